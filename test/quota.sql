-- pgTAP: quota & attainment
BEGIN;
SELECT plan(34);

-- labels: every object is in schema spm, commented, and honestly labelled
SELECT has_function('spm', 'attainment', ARRAY['numeric', 'numeric']);
SELECT volatility_is('spm', 'attainment', ARRAY['numeric', 'numeric'], 'immutable');
SELECT is_strict('spm', 'attainment', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'group_attainment', ARRAY['numeric', 'numeric']);
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND p.proparallel <> 's'), 0,
  'every spm function and aggregate is PARALLEL SAFE');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND obj_description(p.oid, 'pg_proc') IS NULL), 0,
  'every spm function and aggregate has a COMMENT');
SELECT is(
  (SELECT aggcombinefn::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_attainment'::regproc),
  'spm.attainment_combine', 'group_attainment has a combine function');
SELECT is(
  (SELECT aggtranstype::regtype::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_attainment'::regproc),
  'numeric[]', 'group_attainment''s state is a real SQL type (text I/O), not internal');
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
SELECT throws_ok($$SELECT spm.attainment_final('{1}')$$, '22023', 'invalid attainment state');

-- allocate
SELECT has_function('spm', 'allocate', ARRAY['numeric', 'numeric[]', 'integer']);
SELECT is(spm.allocate(100.00, ARRAY[1, 1, 1]), ARRAY[33.34, 33.33, 33.33]::numeric[], 'thirds of 100.00, the extra cent to the first');
SELECT is(spm.allocate(10.00, ARRAY[0, 0]), ARRAY[5.00, 5.00]::numeric[], 'all-zero weights split evenly');
SELECT is((SELECT sum(p) FROM unnest(spm.allocate(999.99, ARRAY[3, 7, 11, 13])) p), 999.99, 'parts sum exactly to the total');
SELECT is(spm.allocate(10, ARRAY[1, NULL, 1], 0), ARRAY[5, NULL, 5]::numeric[], 'a NULL weight takes no part');
SELECT throws_ok('SELECT spm.allocate(100.005, ARRAY[1])', '22023', 'total 100.005 is not a whole number of currency units at scale 2');
SELECT throws_ok('SELECT spm.allocate(100, ARRAY[1, -1])', '22023', 'allocation weights must not be negative');
SELECT throws_ok('SELECT spm.allocate(100, ARRAY[1], 99)', '22023', 'allocation scale 99 is out of range');

-- allocate_share
SELECT has_function('spm', 'allocate_share', ARRAY['numeric', 'numeric', 'integer']);
SELECT results_eq(
  $$SELECT spm.allocate_share(100.00, w) OVER (ORDER BY k) FROM (VALUES (1, 1), (2, 1), (3, 1)) v(k, w) ORDER BY k$$,
  $$VALUES (33.34), (33.33), (33.33)$$, 'allocate_share spreads 100.00 in thirds, the extra cent to the first row');
SELECT throws_ok($$SELECT spm.allocate_share(t, 1) OVER () FROM (VALUES (100), (200)) v(t)$$,
  '22023', 'the total of allocate_share differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.allocate_share(NULL, 1) OVER ()$$, '22004', 'the total of allocate_share must not be NULL');

SELECT * FROM finish();
ROLLBACK;
