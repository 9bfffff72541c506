-- pgTAP: quota & attainment
BEGIN;
SELECT plan(68);

-- labels: every object is in schema spm, commented, and honestly labelled
SELECT has_function('spm', 'attainment', ARRAY['numeric', 'numeric']);
SELECT volatility_is('spm', 'attainment', ARRAY['numeric', 'numeric'], 'immutable');
SELECT is_strict('spm', 'attainment', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'group_attainment', ARRAY['numeric', 'numeric']);
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND p.proparallel <> 's'
      AND p.prorettype NOT IN ('spm.input_problem'::regtype, 'trigger'::regtype)), 0,
  'every spm function and aggregate is PARALLEL SAFE (but the input checks, which may read a temporary table, and the trigger function, which writes)');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND obj_description(p.oid, 'pg_proc') IS NULL), 0,
  'every spm function and aggregate has a COMMENT');
SELECT is(
  (SELECT aggcombinefn::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_attainment'::regproc),
  'spm.attainment_combine', 'group_attainment has a combine function');
SELECT is(
  (SELECT aggtranstype::regtype::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_attainment'::regproc),
  'spm.attainment_state', 'group_attainment''s state is a real SQL type (text I/O), not internal');
SELECT isnt(
  (SELECT aggminvtransfn::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_attainment'::regproc),
  '-', 'group_attainment supports moving windows');

-- values, exactly
SELECT is(spm.attainment(125000.00, 100000.00), 1.25000000000000000000, '125k on 100k is 1.25');
SELECT is(spm.attainment(0, 80000), 0::numeric, 'nothing sold is 0');
SELECT is(spm.attainment(500, 0), NULL, 'zero quota gives NULL');
SELECT is(spm.attainment(-1500, 60000), -0.02500000000000000000, 'a net clawback gives a negative attainment');
SELECT is(
  (SELECT spm.group_attainment(a, q) FROM (VALUES (150, 100), (10, 50)) v(a, q)),
  160 / 150::numeric, 'group attainment is sum/sum');
SELECT isnt(
  (SELECT spm.group_attainment(a, q) FROM (VALUES (150, 100), (10, 50)) v(a, q)),
  (SELECT avg(a::numeric / q) FROM (VALUES (150, 100), (10, 50)) v(a, q)),
  'group attainment is not the average of ratios');
SELECT is(
  (SELECT spm.group_attainment(a, q) FROM (VALUES (NULL::numeric, 100::numeric)) v(a, q)),
  0::numeric, 'a quota with no actual counts as zero attainment');
SELECT is(
  (SELECT spm.group_attainment(a, q) FROM (VALUES (1::numeric, 1::numeric)) v(a, q) WHERE false),
  NULL, 'no rows gives NULL');

-- bad input: specific SQLSTATEs and messages
SELECT throws_ok('SELECT spm.attainment(1, -1)', '22023', 'quota must not be negative');
SELECT throws_ok($$SELECT spm.attainment(1, 'NaN')$$, '22023', 'quota must be a finite number');
SELECT throws_ok($$SELECT spm.attainment('Infinity', 1)$$, '22023', 'actual must be a finite number');
SELECT throws_ok($$SELECT spm.group_attainment(a, q) FROM (VALUES (1::numeric, -1::numeric)) v(a, q)$$,
  '22023', 'quota must not be negative');
SELECT throws_ok($$SELECT spm.attainment_final('{1}')$$, '22P02',
  'invalid input syntax for type spm.attainment_state: "{1}"');

-- allocate
SELECT has_function('spm', 'allocate', ARRAY['numeric', 'numeric[]', 'integer']);
SELECT is(spm.allocate(100.00, ARRAY[1, 1, 1]), ARRAY[33.34, 33.33, 33.33]::numeric[], 'thirds of 100.00, the extra cent to the first');
SELECT is(spm.allocate(10.00, ARRAY[0, 0]), ARRAY[5.00, 5.00]::numeric[], 'all-zero weights split evenly');
SELECT is((SELECT sum(p) FROM unnest(spm.allocate(999.99, ARRAY[3, 7, 11, 13])) p), 999.99, 'parts sum exactly to the total');
SELECT is(spm.allocate(10, ARRAY[1, NULL, 1], 0), ARRAY[5, NULL, 5]::numeric[], 'a NULL weight takes no part');
SELECT throws_ok('SELECT spm.allocate(100.005, ARRAY[1])', '22023', 'total 100.005 is not a whole number of currency units at scale 2');
SELECT throws_ok('SELECT spm.allocate(100, ARRAY[1, -1])', '22023', 'allocation weights must not be negative');
SELECT throws_ok('SELECT spm.allocate(100, ARRAY[1], 99)', '22023', 'scale 99 is out of range');

-- allocate_share
SELECT has_function('spm', 'allocate_share', ARRAY['numeric', 'numeric', 'integer']);
SELECT results_eq(
  $$SELECT spm.allocate_share(100.00, w) OVER (ORDER BY k) FROM (VALUES (1, 1), (2, 1), (3, 1)) v(k, w) ORDER BY k$$,
  $$VALUES (33.34), (33.33), (33.33)$$, 'allocate_share spreads 100.00 in thirds, the extra cent to the first row');
SELECT throws_ok($$SELECT spm.allocate_share(t, 1) OVER () FROM (VALUES (100), (200)) v(t)$$,
  '22023', 'the total of allocate_share differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.allocate_share(NULL, 1) OVER ()$$, '22004', 'the total of allocate_share must not be NULL');
-- proration, ramps, pacing
SELECT has_function('spm', 'prorate_days', ARRAY['numeric', 'daterange', 'daterange', 'integer']);
SELECT has_function('spm', 'prorate_days', ARRAY['numeric', 'daterange', 'daterange', 'numeric[]', 'integer']);
SELECT has_function('spm', 'prorate_months', ARRAY['numeric', 'daterange', 'daterange', 'integer', 'integer']);
SELECT has_function('spm', 'ramp_quota', ARRAY['numeric', 'integer', 'numeric[]']);
SELECT has_function('spm', 'tenure_month', ARRAY['date', 'date']);
SELECT has_function('spm', 'pacing', ARRAY['numeric', 'numeric', 'daterange', 'date']);
SELECT has_function('spm', 'run_rate', ARRAY['numeric', 'daterange', 'date']);
SELECT is(spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-07-01', NULL)), 60493.15,
  '184 of 365 days of 120000, open-ended employment');
SELECT is(spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), 'empty'), 0.00, 'empty active range gives 0');
SELECT is(spm.prorate_days(0.01, daterange('2026-01-01', '2026-01-03'), daterange('2026-01-01', '2026-01-02')), 0.01,
  'an exact half cent rounds away from zero');
SELECT is(spm.prorate_days(0.0149999999999999999999999999 * 3, daterange('2026-01-01', '2026-01-04'),
  daterange('2026-01-01', '2026-01-02')), 0.01, 'no double rounding just below a half');
SELECT is(spm.prorate_days(10000, daterange('2026-01-01', '2026-01-03'), daterange('2026-01-01', '2026-01-02'), -4), 10000::numeric,
  'negative scale rounds to tens of thousands');
SELECT is(spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-03-18', NULL)), 90000.00,
  '14 days of March do not count at min_days 15');
SELECT is(spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-02-01', '2026-03-01'), 31), 10000.00,
  'February counts when fully active even with min_days 31');
SELECT is(spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-18', NULL)), 66.67,
  'two of three months');
SELECT is(spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-12-01', NULL), ARRAY[1, 1, 1, 2]),
  round(48000 * 31 / 92.0, 2), 'Q4 weighted 2 of 5: 48000 * 31/92');
SELECT is(spm.ramp_quota(10000.00, 2, ARRAY[0.25, 0.5, 0.75]), 5000.000, 'ramp month 2 is half');
SELECT is(spm.ramp_quota(10000.00, 4, ARRAY[0.25, 0.5, 0.75]), 10000.00, 'after the ramp, the full quota');
SELECT is(spm.ramp_quota(10000.00, 0, ARRAY[0.25]), 0::numeric, 'before hire, no quota');
SELECT is(spm.tenure_month('2026-03-20', '2026-04-01'), 2, 'the month after hire is tenure month 2');
SELECT is(spm.pacing(30000, 120000, daterange('2026-01-01', '2027-01-01'), '2026-12-31'), 0.25::numeric, 'pacing at period end is attainment');
SELECT is(spm.pacing(30000, 120000, daterange('2026-01-01', '2027-01-01'), '2025-12-31'), NULL, 'pacing before the period is NULL');
SELECT is(spm.run_rate(100, daterange('2026-01-01', '2026-01-11'), '2026-01-05'), 200::numeric, 'run rate 100 over 5 of 10 days');
SELECT throws_ok($$SELECT spm.prorate_days(100, 'empty', daterange('2026-01-01', NULL))$$, '22023', 'period must not be empty');
SELECT throws_ok($$SELECT spm.prorate_days(100, daterange('2026-01-01', NULL), daterange('2026-01-01', NULL))$$, '22023',
  'period must have a finite start and end');
SELECT throws_ok($$SELECT spm.prorate_days(-1, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL))$$, '22023',
  'quota must not be negative');
SELECT throws_ok($$SELECT spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-01', NULL), 0)$$, '22023',
  'min_days must be at least 1');
SELECT throws_ok($$SELECT spm.prorate_months(100, daterange('2026-01-02', '2026-04-01'), daterange('2026-01-01', NULL))$$, '22023',
  'period [2026-01-02, 2026-04-01) is not a whole number of calendar months');
SELECT throws_ok($$SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, 1, 1, 1, 1])$$,
  '22023', 'a period of 12 months cannot be split into 5 equal sub-periods');
SELECT throws_ok($$SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[0, 0])$$,
  '22023', 'seasonal weights must not all be zero');
SELECT throws_ok($$SELECT spm.ramp_quota(100, 1, ARRAY[0.5, NULL])$$, '22004', 'ramp schedule must not contain NULL');
SELECT throws_ok($$SELECT spm.ramp_quota(100, 1, ARRAY[-0.5])$$, '22023', 'ramp schedule entries must not be negative');
SELECT throws_ok($$SELECT spm.pacing(1, 1, daterange('2026-01-01', NULL), '2026-01-05')$$, '22023',
  'period must have a finite start and end');
SELECT throws_ok($$SELECT spm.run_rate(1, daterange('2026-01-01', '2027-01-01'), 'infinity')$$, '22023', 'as_of must be a finite date');

SELECT * FROM finish();
ROLLBACK;
