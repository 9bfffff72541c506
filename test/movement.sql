-- pgTAP: pipeline movement, the waterfall of a period between two snapshots
BEGIN;
SELECT plan(16);

-- labels: objects in schema spm, honestly labelled; aggregates with a combine function over the real state
SELECT has_type('spm', 'pipeline_waterfall', 'the waterfall is a type');
SELECT is_aggregate('spm', 'pipeline_waterfall', ARRAY['date', 'date', 'text', 'numeric', 'date', 'text', 'numeric', 'date']);
SELECT is_aggregate('spm', 'rollup', ARRAY['spm.pipeline_waterfall']);
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate
    WHERE aggtranstype = 'spm.pipeline_waterfall'::regtype AND aggcombinefn <> 0), 2,
  'both waterfall aggregates have a combine function over the real state type');
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND (proname LIKE 'pipeline_waterfall%' OR proargtypes::oid[] @> ARRAY['spm.pipeline_waterfall'::regtype::oid])
     AND (obj_description(oid, 'pg_proc') IS NULL OR proparallel <> 's' OR provolatile <> 'i')), 0,
  'every waterfall function is commented, IMMUTABLE and PARALLEL SAFE');

-- values, exactly: two deals moving into and out of the third quarter
SELECT is(
  (SELECT array_agg(format('%s %s %s', step, deals, amount))
     FROM spm.waterfall_steps((SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', o_s, o_a, o_c, n_s, n_a, n_c)
                               FROM (VALUES ('open', 100.25, date '2024-11-01', 'open', 90, date '2024-08-01'),
                                            ('open', 50, date '2024-08-01', 'won', 55.10, date '2024-07-15')) v(o_s, o_a, o_c, n_s, n_a, n_c)))),
  ARRAY['opening 1 50', 'new 0 0', 'increased 1 5.10', 'decreased 1 -10.25', 'pulled_in 1 100.25', 'pushed_out 0 0',
        'won 1 -55.10', 'lost 0 0', 'closing 1 90'],
  'pulled in at the old amount then decreased; increased then won at the new amount');

-- bad input: a specific SQLSTATE each
SELECT throws_ok($$SELECT spm.pipeline_waterfall('2024-10-01', '2024-07-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01')$$,
                 '22023', NULL, 'an empty or reversed period is refused (22023)');
SELECT throws_ok($$SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', -1, '2024-08-01', 'open', 1, '2024-08-01')$$,
                 '22023', NULL, 'a negative amount is refused (22023)');
SELECT throws_ok($$SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'Closed Won', 1, '2024-08-01', 'open', 1, '2024-08-01')$$,
                 '22023', NULL, 'a status other than open, won or lost is refused (22023)');
SELECT throws_ok($$SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', NULL, NULL, NULL)$$,
                 '22004', NULL, 'a deal open in the old snapshot and absent from the new one is refused (22004)');
SELECT throws_ok($$SELECT spm.pipeline_waterfall(p, '2024-10-01', NULL, NULL, NULL, 'open', 1, '2024-08-01')
                   FROM (VALUES (date '2024-07-01'), (date '2024-07-02')) v(p)$$,
                 '22023', NULL, 'two periods in one group are refused (22023)');

-- laws over generated snapshot pairs: 800 deals of eight reps, random changes
SELECT setseed(0.13);
CREATE TEMP TABLE pairs AS
SELECT i, i % 8 AS rep, o_s AS old_status,
       CASE WHEN o_s IS NOT NULL THEN round((random() * 100000)::numeric, (i % 3)) END AS old_amount,
       CASE WHEN o_s IS NOT NULL THEN date '2024-05-01' + (random() * 240)::int END AS old_close,
       n_s AS new_status,
       CASE WHEN n_s IS NOT NULL THEN round((random() * 100000)::numeric, (i % 4)) END AS new_amount,
       CASE WHEN n_s IS NOT NULL THEN date '2024-05-01' + (random() * 240)::int END AS new_close
FROM (SELECT i, o_s, CASE WHEN o_s = 'open' AND r IS NULL THEN 'lost' ELSE r END AS n_s
      FROM (SELECT i, (ARRAY[NULL, 'open', 'open', 'open', 'won', 'lost'])[1 + (random() * 5)::int] AS o_s,
                   (ARRAY[NULL, 'open', 'open', 'won', 'lost'])[1 + (random() * 4)::int] AS r
            FROM generate_series(1, 800) i) a) b;
CREATE TEMP TABLE by_rep AS
SELECT rep, spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                   new_status, new_amount, new_close) AS w
FROM pairs GROUP BY rep;
SELECT is(
  (SELECT count(*)::int FROM by_rep
    WHERE (SELECT sum(amount) FROM spm.waterfall_steps(w) WHERE step <> 'closing') <> spm.step_amount(w, 'closing')), 0,
  'the waterfall identity holds exactly for every rep: opening + new + increased - decreased + pulled_in - pushed_out - won - lost = closing');
SELECT is(
  (SELECT count(*)::int FROM by_rep
    WHERE spm.step_deals(w, 'opening') + spm.step_deals(w, 'new') + spm.step_deals(w, 'pulled_in') - spm.step_deals(w, 'pushed_out')
          - spm.step_deals(w, 'won') - spm.step_deals(w, 'lost') <> spm.step_deals(w, 'closing')), 0,
  'the deal counts satisfy the identity too');
SELECT is(
  (SELECT spm.step_amount(w, 'closing') FROM (SELECT spm.rollup(w) AS w FROM by_rep) t),
  (SELECT sum(new_amount) FROM pairs WHERE new_status = 'open' AND new_close >= '2024-07-01' AND new_close < '2024-10-01'),
  'closing is the new snapshot''s open pipeline of the period, exactly');
SELECT is(
  (SELECT spm.rollup(w)::text FROM by_rep),
  (SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                 new_status, new_amount, new_close)::text FROM pairs),
  'the waterfall of the union equals the rollup of the reps'' waterfalls');
SELECT is(
  (SELECT count(*)::int FROM by_rep WHERE w::text::spm.pipeline_waterfall::text <> w::text), 0,
  'a waterfall survives its text form');

SELECT * FROM finish();
ROLLBACK;
