-- pgTAP: compensation (tier schedules, commission, draws, splits, payout lines)
BEGIN;
SELECT plan(102);

-- labels
SELECT has_type('spm', 'tier_schedule', 'type spm.tier_schedule exists');
SELECT has_type('spm', 'commission_state', 'type spm.commission_state exists');
SELECT has_function('spm', 'commission', ARRAY['numeric', 'spm.tier_schedule']);
SELECT has_function('spm', 'commission', ARRAY['numeric', 'spm.tier_schedule', 'numeric']);
SELECT volatility_is('spm', 'commission', ARRAY['numeric', 'spm.tier_schedule', 'numeric'], 'immutable');
SELECT is_strict('spm', 'commission', ARRAY['numeric', 'spm.tier_schedule', 'numeric']);
SELECT is_aggregate('spm', 'group_commission', ARRAY['numeric', 'spm.tier_schedule', 'numeric']);
SELECT is(
  (SELECT aggcombinefn::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_commission(numeric, spm.tier_schedule)'::regprocedure),
  'spm.commission_combine', 'group_commission has a combine function');
SELECT is(
  (SELECT aggtranstype::regtype::text FROM pg_aggregate WHERE aggfnoid = 'spm.group_commission(numeric, spm.tier_schedule)'::regprocedure),
  'spm.commission_state', 'group_commission''s state is a real SQL type, not internal');
SELECT is((SELECT prokind::text FROM pg_proc WHERE oid = 'spm.deal_commission(numeric, spm.tier_schedule, numeric)'::regprocedure),
  'w', 'deal_commission is a window function');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND p.proparallel <> 's'
      AND p.prorettype NOT IN ('spm.input_problem'::regtype, 'trigger'::regtype)), 0,
  'every spm function is PARALLEL SAFE (but the input checks, which may read a temporary table, and the trigger function, which writes)');
SELECT is(
  (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND obj_description(p.oid, 'pg_proc') IS NULL), 0, 'every spm function has a COMMENT');

-- values (worked examples; sources cited in sql/compensation.sql)
SELECT is(spm.commission(180000, 'marginal; from 0 rate 50%; from 100000 rate 60%'), 98000::numeric, 'marginal (earnbase)');
SELECT is(spm.commission(180000, 'retroactive; from 0 rate 50%; from 100000 rate 60%'), 108000::numeric, 'retroactive (earnbase)');
SELECT is(spm.commission(650000, 'from 0% rate 20%; from 100% rate 30%; from 130% rate 40%', 500000), 145000::numeric, 'accelerator (revopsmasters)');
SELECT is(spm.commission(200000, 'from 0% rate 10%; from 50% rate 20%; from 100% rate 30%', 500000), 20000::numeric, 'decelerator (revopsmasters)');
SELECT is(spm.commission(400000, 'from 0 rate 3%; cap 10000'), 10000::numeric, 'cap (sparrowgenie)');
SELECT is(spm.commission(1000000, 'retroactive; from 0 rate 5%; from 1000000 rate 7%'), 70000::numeric, 'on a threshold: the upper tier by default');
SELECT is(spm.commission(1000000, 'retroactive; boundary lower; from 0 rate 5%; from 1000000 rate 7%'), 50000::numeric, 'on a threshold: the lower tier with boundary lower');
SELECT is(spm.commission(20000, 'from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 33000), 2000::numeric, 'gate reached: catch-up (QuotaPath)');
SELECT is(spm.commission(100000, 'from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 33000), 9900::numeric, 'mixed plan capped at 3x target');
SELECT is((SELECT sum(commission) FROM spm.commission_explain(100000, 'from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 33000)),
  9900::numeric, 'explain rows sum to the commission');
SELECT is(spm.commission_what_if(15000, 2000, 'from 0% rate 5%; from 50% rate 10% catch-up', 33000), 950::numeric, 'what-if includes the catch-up');
SELECT is(spm.credit_to_next_tier(15000, 'from 0% rate 5%; from 50% rate 10% catch-up', 33000), 1500::numeric, 'credit to the next tier');

-- regression: jsonb thresholds were read through numeric_in with an unset typmod
SELECT is(spm.tier_schedule('{"tiers": [{"from": 0, "rate": 0.05}, {"from": 1000000, "rate": 0.07}]}'::jsonb)::text,
  'marginal; from 0 rate 5%; from 1000000 rate 7%', 'jsonb thresholds are read exactly');

-- malformed schedules: specific SQLSTATEs and messages
SELECT throws_ok($$SELECT ''::spm.tier_schedule$$, '22P02', 'tier schedule has no tiers', 'empty');
SELECT throws_ok($$SELECT 'from 0 rate 8%; from 200 rate 9%; from 100 rate 10%'::spm.tier_schedule$$, '22P02',
  'tier 3 of the tier schedule starts below tier 2', 'unsorted');
SELECT throws_ok($$SELECT 'from 0 rate 8%; from 100 rate 9%; from 100 rate 10%'::spm.tier_schedule$$, '22P02',
  'tier 3 of the tier schedule starts at the same threshold as tier 2', 'duplicate');
SELECT throws_ok($$SELECT 'from 0 rate -8%'::spm.tier_schedule$$, '22P02',
  'tier 1 of the tier schedule: rate must not be negative', 'negative rate');
SELECT throws_ok($$SELECT 'from 0 rate NaN'::spm.tier_schedule$$, '22P02',
  'tier 1 of the tier schedule: rate must be a finite number', 'NaN rate');
SELECT throws_ok($$SELECT 'from 0 rate Infinity%'::spm.tier_schedule$$, '22P02',
  'tier 1 of the tier schedule: rate must be a finite number', 'infinite rate');
SELECT throws_ok($$SELECT 'from 0 rate 8%; tiers 5'::spm.tier_schedule$$, '22P02',
  'unknown keyword "tiers" in clause 2 of the tier schedule', 'unknown keyword');
SELECT throws_ok($$SELECT 'from 0 rate 8%; cap -5'::spm.tier_schedule$$, '22P02',
  'clause 2 of the tier schedule: cap must not be negative', 'negative cap');
SELECT throws_ok($$SELECT spm.commission(1, 'from 0% rate 8%; from 100% rate 9%')$$, '22023',
  'this tier schedule needs a quota', 'attainment schedule without quota');
SELECT throws_ok($$SELECT spm.commission(1, 'from 0% rate 8%; from 100% rate 9%', 0)$$, '22023',
  'quota must be positive for this tier schedule', 'zero quota');
SELECT throws_ok($$SELECT spm.commission(1, 'from 0% rate 8%; from 100% rate 9%', -3)$$, '22023',
  'quota must be positive for this tier schedule', 'negative quota');
SELECT throws_ok($$SELECT 'x'::spm.tier_schedule$$, '22P02', 'unknown keyword "x" in clause 1 of the tier schedule', 'garbage text');
SELECT throws_ok($$SELECT spm.tier_schedule('"x"'::jsonb)$$, '22023', 'invalid tier schedule jsonb: the value must be an object', 'garbage jsonb');
SELECT throws_ok($$SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": 0.08, "speed": 1}]}'::jsonb)$$, '22023',
  'invalid tier schedule jsonb: unknown key "speed" in tier 1', 'unknown jsonb key');
SELECT throws_ok($$SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": -1}]}'::jsonb)$$, '22023',
  'tier 1 of the tier schedule: rate must not be negative', 'negative jsonb rate');
SELECT throws_ok($$SELECT spm.tier_schedule(ARRAY[0, 100], ARRAY[0.1])$$, '22023',
  'thresholds, rates and bonuses must have one element per tier', 'mismatched arrays');
SELECT throws_ok($$SELECT spm.tier_schedule(ARRAY[0, 100], ARRAY[0.1, 'Infinity'])$$, '22023',
  'tier 2 of the tier schedule: rate must be a finite number', 'infinite array rate');
SELECT throws_ok($$SELECT spm.group_commission(a, s) FROM (VALUES (1, 'from 0 rate 5%'::spm.tier_schedule), (2, 'from 0 rate 6%')) v(a, s)$$,
  '22023', 'the schedule of group_commission differs between rows of one group', 'two schedules in one group');
SELECT throws_ok($$SELECT spm.deal_commission(1, NULL::spm.tier_schedule) OVER ()$$, '22004',
  'the schedule of deal_commission must not be NULL', 'NULL schedule in a window');
SELECT throws_ok($$SELECT spm.commission_state_in('(credit=1) quota=5')$$, '22P02', NULL, 'corrupted state text');
SELECT is((SELECT count(*) FROM (SELECT DISTINCT s FROM (VALUES ('from 0 rate 5%'::spm.tier_schedule), ('from 0 rate 0.05'),
             ('from 0 rate 6%')) v(s)) d), 2::bigint, 'SELECT DISTINCT on schedules goes by plan, however written');
SELECT throws_ok($$SELECT spm.deal_commission(1, 'from 0 rate 5%', 100, 20000) OVER ()$$, '22023',
  'a target incentive applies to pay curves only', 'a target incentive with a tier schedule');
SELECT is((SELECT sum(c) FROM (SELECT spm.deal_commission(a, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000)
             OVER (ORDER BY d) AS c FROM (VALUES (1, 30), (2, 40), (3, 50), (4, -25), (5, 1/3::numeric)) v(d, a)) t),
  spm.commission(95 + 1/3::numeric, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000),
  'per-deal shares of a pay curve sum exactly to the payout on the total');

-- ---------------------------------------------------------------- payouts: draws, splits, rounding
-- labels
SELECT has_type('spm', 'draw_period', 'the draw line is a composite type');
SELECT has_function('spm', 'recoverable_draw', ARRAY['numeric', 'numeric', 'numeric']);
SELECT has_function('spm', 'nonrecoverable_draw', ARRAY['numeric', 'numeric']);
SELECT has_function('spm', 'split', ARRAY['numeric', 'numeric[]', 'boolean', 'integer']);
SELECT has_function('spm', 'split_share', ARRAY['numeric', 'numeric', 'boolean', 'integer']);
SELECT has_function('spm', 'round_lines', ARRAY['numeric[]', 'integer', 'text']);
SELECT has_function('spm', 'round_line', ARRAY['numeric', 'integer', 'text']);
SELECT is(
  (SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
    WHERE pronamespace = 'spm'::regnamespace AND prokind = 'w'
      AND proname IN ('recoverable_draw', 'split_share', 'round_line')),
  ARRAY['recoverable_draw', 'round_line', 'split_share'], 'the window forms are window functions');
SELECT is(
  (SELECT count(*)::int FROM pg_proc
    WHERE pronamespace = 'spm'::regnamespace
      AND proname IN ('recoverable_draw', 'nonrecoverable_draw', 'split', 'split_share', 'round_lines', 'round_line')
      AND (provolatile <> 'i' OR proparallel <> 's' OR obj_description(oid, 'pg_proc') IS NULL)), 0,
  'every payout function is IMMUTABLE, PARALLEL SAFE and commented');
SELECT isnt(obj_description('spm.draw_period'::regtype, 'pg_type'), NULL, 'spm.draw_period has a COMMENT');

-- recoverable draw: Xactly's example (https://www.xactlycorp.com/blog/non-recoverable-draw/),
-- a 1,500 draw, 500 earned in August and 3,000 in September
SELECT results_eq(
  $$SELECT (d).payout, (d).balance FROM (
      SELECT m, spm.recoverable_draw(e, 1500) OVER (ORDER BY m) AS d
      FROM (VALUES (8, 500.00), (9, 3000.00)) v(m, e)) s ORDER BY m$$,
  $$VALUES (1500.00, 1000.00), (2000.00, 0.00)$$,
  'recoverable: August pays the draw and carries 1,000; September recovers it and pays 2,000');
SELECT results_eq(
  $$SELECT (spm.nonrecoverable_draw(e, 1500)).payout FROM (VALUES (8, 500.00), (9, 3000.00)) v(m, e) ORDER BY m$$,
  $$VALUES (1500.00), (3000.00)$$,
  'non-recoverable: the greater of earnings and draw, September pays 3,000');
-- Oracle's draw and recovery example (https://docs.oracle.com/en/cloud/saas/sales/facmi/example-of-incentive-compensation-draw-and-recovery.html):
-- 1,000 per period, earnings 500, 700, 400 leave 500, 800, 1,400 due
SELECT results_eq(
  $$SELECT (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 1000, 0) OVER (ORDER BY p) AS d
      FROM (VALUES (1, 500), (2, 700), (3, 400)) v(p, e)) s ORDER BY p$$,
  $$VALUES (500::numeric), (800), (1400)$$,
  'Oracle: balance due 500, 800, 1,400 over three periods');
SELECT results_eq(
  $$SELECT (d).payout, (d).recovered, (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 5000.00, 0.5) OVER (ORDER BY p) AS d
      FROM (VALUES (1, 2000.00), (2, 7000.00), (3, 9000.00)) v(p, e)) s ORDER BY p$$,
  $$VALUES (5000.00, 0.00, 3000.00), (6000.00, 1000.00, 2000.00), (7000.00, 2000.00, 0.00)$$,
  'recovery at most half of the earnings above the draw per period');
SELECT results_eq(
  $$SELECT (d).payout, (d).balance FROM (
      SELECT p, spm.recoverable_draw(e, 0) OVER (ORDER BY p) AS d
      FROM (VALUES (1, -250.00), (2, 100.00), (3, 400.00)) v(p, e)) s ORDER BY p$$,
  $$VALUES (0.00, 250.00), (0.00, 150.00), (250.00, 0.00)$$,
  'a zero draw carries a clawback forward and recovers it from later earnings');
SELECT results_eq(
  $$SELECT r, (d).balance FROM (
      SELECT r, p, spm.recoverable_draw(e, 1000) OVER (PARTITION BY r ORDER BY p) AS d
      FROM (VALUES ('a', 1, 0), ('a', 2, 0), ('b', 1, 1000)) v(r, p, e)) s ORDER BY r, p$$,
  $$VALUES ('a', 1000::numeric), ('a', 2000), ('b', 0)$$,
  'each partition starts with no balance; the last row shows what is owed');
SELECT is((SELECT (spm.nonrecoverable_draw(-300.00, 1000.00)).advance), 1300.00,
  'non-recoverable: a clawback below the draw is absorbed by the advance');

SELECT throws_ok($$SELECT spm.recoverable_draw(NULL::numeric, 1000) OVER ()$$, '22004', 'earnings must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, NULL::numeric) OVER ()$$, '22004', 'draw must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, NULL::numeric) OVER ()$$, '22004', 'recovery share must not be NULL');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, -1) OVER ()$$, '22023', 'draw must not be negative');
SELECT throws_ok($$SELECT spm.recoverable_draw('NaN', 1000) OVER ()$$, '22023', 'earnings must be a finite number');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, 1.01) OVER ()$$, '22023', 'recovery share must be between 0 and 1');
SELECT throws_ok($$SELECT spm.recoverable_draw(100, 1000, -0.5) OVER ()$$, '22023', 'recovery share must be between 0 and 1');
SELECT throws_ok($$SELECT spm.nonrecoverable_draw(100, 'Infinity')$$, '22023', 'draw must be a finite number');
SELECT throws_ok($$SELECT spm.nonrecoverable_draw(NULL, 1)$$, '22004', 'earnings must not be NULL');

-- splits
SELECT is(spm.split(100.00, ARRAY[0.3333, 0.3333, 0.3334]), ARRAY[33.33, 33.33, 33.34]::numeric[], 'a three-way split');
SELECT is(spm.split(0.05, ARRAY[0.5, 0.5]), ARRAY[0.03, 0.02]::numeric[], 'the odd cent goes to the first rep');
SELECT is(spm.split(-0.05, ARRAY[0.5, 0.5]), ARRAY[-0.03, -0.02]::numeric[], 'a clawback reverses the split cent for cent');
SELECT is(spm.split(12345.67, ARRAY[0.5, 0.5, 0.2], true), ARRAY[6172.84, 6172.83, 2469.13]::numeric[],
  'Spiff''s 50/50 revenue split with a 20 % overlay');
SELECT results_eq(
  $$SELECT spm.split_share(100.00, s) OVER (PARTITION BY d ORDER BY r) FROM (VALUES (1, 1, 0.25), (1, 2, 0.75)) v(d, r, s)$$,
  $$VALUES (25.00), (75.00)$$, 'split_share credits each row of a deal');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[0.5, 0.4])$$, '22023', 'split shares must sum to 1');
SELECT is(spm.split(100.05, ARRAY[0.2, 0.1], true), ARRAY[20.01, 10.01]::numeric[], 'overlay shares need not sum to 1');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[-0.5, 1.5])$$, '22023', 'split shares must be between 0 and 1');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[1, NULL])$$, '22004', 'split shares must not be NULL');
SELECT throws_ok($$SELECT spm.split(100, '{}'::numeric[])$$, '22023', 'cannot divide amount 100 among no shares');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[[1]])$$, '2202E', 'split shares must be a one-dimensional array');
SELECT throws_ok($$SELECT spm.split(100.001, ARRAY[1])$$, '22023', 'amount 100.001 is not a whole number of currency units at scale 2');
SELECT throws_ok($$SELECT spm.split(100, ARRAY[1], false, -10)$$, '22023', 'scale -10 is out of range');
SELECT throws_ok($$SELECT spm.split_share(a, 1) OVER () FROM (VALUES (1), (2)) v(a)$$, '22023',
  'the amount of split_share differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.split_share(NULL, 1) OVER ()$$, '22004', 'the amount of split_share must not be NULL');

-- rounding payout lines
SELECT is(spm.round_lines(ARRAY[33.3333, 33.3333, 33.3333]), ARRAY[33.34, 33.33, 33.33]::numeric[],
  'lines sum to the rounded total 100.00');
SELECT is(spm.round_lines(ARRAY[0.125, 0.5]), ARRAY[0.13, 0.50]::numeric[], 'half_up: 0.625 rounds to 0.63');
SELECT is(spm.round_lines(ARRAY[0.125, 0.5], 2, 'half_even'), ARRAY[0.12, 0.50]::numeric[], 'half_even: 0.625 rounds to 0.62');
SELECT is(spm.round_lines(ARRAY[1.5, NULL]::numeric[], 0), ARRAY[2, NULL]::numeric[], 'a NULL line stays NULL');
SELECT results_eq(
  $$SELECT spm.round_line(x) OVER (ORDER BY k) FROM (VALUES (1, 1.004), (2, 2.004)) v(k, x)$$,
  $$VALUES (1.01), (2.00)$$, 'round_line: the leftover cent to the larger remainder, the tie to the earlier line');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1], 2, 'up')$$, '22023', 'unknown rounding rule "up"');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1, 'NaN']::numeric[])$$, '22023', 'a payout line must be a finite number');
SELECT throws_ok($$SELECT spm.round_lines(ARRAY[1], 99)$$, '22023', 'scale 99 is out of range');
SELECT throws_ok($$SELECT spm.round_line(x, s) OVER () FROM (VALUES (1, 2), (1, 0)) v(x, s)$$, '22023',
  'the scale of round_line differs between rows of one window partition');

-- payout curve: the points a plan designer plots
SELECT is((SELECT count(*) FROM spm.payout_curve('from 0 rate 5%', 1000, 2, 40)), 41::bigint, 'points + 1 points from 0 to max_attainment');
SELECT is((SELECT array_agg(commission ORDER BY attainment) FROM spm.payout_curve('marginal; from 0% rate 5%; from 100% rate 10%; cap 2x target', 100000, 2, 4)),
          ARRAY[0.00, 2500.00, 5000.00, 10000.00, 10000.00]::numeric[], 'accelerator above quota, capped at twice the commission at quota');
SELECT is((SELECT effective_rate FROM spm.payout_curve('from 0 rate 5%', 1000, 1, 1) WHERE attainment = 0), NULL::numeric, 'no effective rate without credit');
SELECT throws_ok($$SELECT * FROM spm.payout_curve('from 0 rate 5%', 1000, 2, 0)$$, '22023', 'points must be between 1 and 10000');

SELECT * FROM finish();
ROLLBACK;
