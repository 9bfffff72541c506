-- pgTAP: compensation (tier schedules and commission)
BEGIN;
SELECT plan(45);

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
    WHERE n.nspname = 'spm' AND p.proparallel <> 's'), 0, 'every spm function is PARALLEL SAFE');
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
  '22023', 'the schedule of the commission differs between rows of one group', 'two schedules in one group');
SELECT throws_ok($$SELECT spm.deal_commission(1, NULL::spm.tier_schedule) OVER ()$$, '22004',
  'the schedule of deal_commission must not be NULL', 'NULL schedule in a window');
SELECT throws_ok($$SELECT spm.commission_state_in('(credit=1) quota=5')$$, '22P02', NULL, 'corrupted state text');

SELECT * FROM finish();
ROLLBACK;
