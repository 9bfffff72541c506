-- pipeline analytics: win rates, Wilson bounds, smoothing, deal summaries, velocity,
-- coverage, funnels
\set VERBOSITY default

-- normal_quantile: numeric Newton refinement of Acklam's seed; the exact digits of
-- z(0.975) = 1.959963984540054235524594430520551527956 (known to 40 digits) are reproduced
SELECT spm.normal_quantile(0.975) AS z_95, spm.normal_quantile(0.95) AS z_90,
       spm.normal_quantile(0.995) AS z_99;
SELECT spm.normal_quantile(0.5) AS median, spm.normal_quantile(0.025) AS lower_tail,
       spm.normal_quantile(1e-30) AS far_tail;
SELECT spm.normal_quantile(0.975) = -spm.normal_quantile(0.025) AS symmetric;
-- bad input
SELECT spm.normal_quantile(0);
SELECT spm.normal_quantile(1);
SELECT spm.normal_quantile('NaN');
SELECT spm.normal_quantile(1e-31);
SELECT spm.normal_quantile(1 - 1e-31);

-- Wilson score interval.  Worked example (https://math.stackexchange.com/questions/2078966,
-- answer citing the Wilson interval at 90 % confidence): 25 of 50 gives a lower bound of
-- 38.7 %, 50 of 100 gives 41.9 %: more evidence, a higher pessimistic estimate.
SELECT spm.wilson_lower(25, 50, 0.90) AS lower_25_of_50, spm.wilson_lower(50, 100, 0.90) AS lower_50_of_100,
       spm.wilson_upper(25, 50, 0.90) AS upper_25_of_50;
-- 2 of 2 does not top a leaderboard: its lower bound is below that of 45 of 180
-- (45 won, 135 lost: https://www.contextawareanalytics.com/metrics-governance/how-to-calculate-win-rate)
SELECT spm.wilson_lower(2, 2) AS two_of_two, spm.wilson_lower(45, 180) AS forty_five_of_180,
       spm.wilson_upper(45, 180) AS upper_45_of_180;
-- at the edges: nothing won gives exactly 0, everything won gives exactly 1, nothing closed NULL
SELECT spm.wilson_lower(0, 5) AS lower_none_won, spm.wilson_upper(0, 5) AS upper_none_won,
       spm.wilson_upper(1, 1) AS upper_all_won, spm.wilson_lower(0, 0) IS NULL AS nothing_closed;
-- the bounds straddle the observed rate and widen with the confidence
SELECT c, spm.wilson_lower(12, 38, c) AS lower, spm.wilson_upper(12, 38, c) AS upper
FROM unnest(ARRAY[0.5, 0.9, 0.95, 0.99, 0.999999]) c;
-- bad input: confidence outside (0, 1), counts that cannot be
SELECT spm.wilson_lower(1, 2, 0);
SELECT spm.wilson_lower(1, 2, 1);
SELECT spm.wilson_upper(1, 2, 95);
SELECT spm.wilson_lower(1, 2, 'NaN');
SELECT spm.wilson_lower(1, 2, 1 - 1e-31);
SELECT spm.wilson_lower(3, 2);
SELECT spm.wilson_lower(-1, 2);

-- Bayesian smoothing: prior_weight pseudo-deals at prior_rate.  Worked examples:
-- a Beta(1, 10) prior (rate 1/11, weight 11) turns 25 of 50 into 26/61
-- (https://math.stackexchange.com/questions/2078966); adding 78 wins and 78 losses
-- (rate 0.5, weight 156) turns a 22-2 record into 100/180 = 55.6 %
-- (https://www.reddit.com/r/LoRCompetitive/comments/icc6kp/)
SELECT spm.smoothed_win_rate(25, 50, 1 / 11.0, 11) AS beta_1_10, 26 / 61.0 AS by_hand,
       spm.smoothed_win_rate(22, 24, 0.5, 156) AS twenty_two_and_two, 100 / 180.0 AS by_hand_2;
SELECT spm.smoothed_win_rate(2, 2, 0.25, 10) AS two_of_two_pulled_down,
       spm.smoothed_win_rate(0, 0, 0.25, 10) AS no_deals_is_the_prior,
       spm.smoothed_win_rate(3, 4, 0.25, 0) AS zero_weight_is_raw,
       spm.smoothed_win_rate(0, 0, 0.25, 0) IS NULL AS nothing_at_all;
SELECT spm.smoothed_win_rate(1, 2, 0.5, -1);
SELECT spm.smoothed_win_rate(1, 2, 1.5, 10);
SELECT spm.smoothed_win_rate(1, 2, 0.5, 'Infinity');

-- sales velocity = opportunities * average deal size * win rate / cycle length.  Worked
-- examples: 40 opportunities, 25,000 deals, 25 %, 90 days = 2,777.78 a day
-- (https://www.mavenlb.com/blog/sales-velocity-formula); 18 opportunities, 42,000, 24 %,
-- 78 days = 2,326 a day (https://winsabove.pages.dev/glossary/sales-velocity)
SELECT spm.sales_velocity(40, 25000, 0.25, 90) AS mavenlb, spm.sales_velocity(18, 42000, 0.24, 78) AS winsabove,
       spm.sales_velocity(18, 42000, 0.24, 65) AS shorter_cycle;
SELECT spm.sales_velocity(40, 25000, 0.25, 0) IS NULL AS zero_cycle;
SELECT spm.sales_velocity(40, 25000, 25, 90);
SELECT spm.sales_velocity(-1, 25000, 0.25, 90);

-- coverage.  Worked example (https://winsabove.pages.dev/glossary/pipeline-coverage-ratio):
-- 4.8M open pipeline on 1.6M remaining quota is 3.0x; a 22 % win rate requires 1 / 0.22 = 4.5x;
-- the expected close 4.8M * 22 % = 1.056M is 66 % of the remaining number.  And
-- (https://contextawareanalytics.com/metrics-governance/how-to-calculate-pipeline-coverage):
-- 7.5M on a 2M target is 3.75x, expected revenue 7.5M * 28 % = 2.1M, 105 % of target.
SELECT spm.pipeline_coverage(4800000, 1600000) AS coverage, spm.required_coverage(0.22) AS required,
       spm.expected_attainment(0, 4800000, 0.22, 1600000) AS expected;
SELECT spm.pipeline_coverage(7500000, 2000000) AS coverage, spm.required_coverage(0.28) AS required,
       spm.expected_attainment(0, 7500000, 0.28, 2000000) AS expected;
-- booked revenue counts in full, the pipeline at the win rate
SELECT spm.expected_attainment(400000, 1000000, 0.25, 1000000) AS booked_and_pipeline;
SELECT spm.pipeline_coverage(100, 0) IS NULL AS quota_met, spm.pipeline_coverage(100, -5) IS NULL AS quota_passed,
       spm.required_coverage(0) IS NULL AS never_wins, spm.expected_attainment(1, 1, 0.5, 0) IS NULL AS zero_quota;
SELECT spm.pipeline_coverage(-1, 100);
SELECT spm.required_coverage(1.01);
SELECT spm.expected_attainment(0, 100, 0.5, -1);

-- funnel conversion from each deal's furthest stage.  Worked example
-- (https://pitchbites.com/academy/go-to-market/build-your-sales-funnel/): lead-to-demo 20 %,
-- demo-to-pilot 50 %, pilot-to-deal 60 % gives 6 % overall: 1000 leads, 200 demos, 100 pilots, 60 deals
CREATE TABLE leads AS
  SELECT i AS lead_id, CASE WHEN i <= 60 THEN 4 WHEN i <= 100 THEN 3 WHEN i <= 200 THEN 2 ELSE 1 END AS furthest
  FROM generate_series(1, 1000) i;
SELECT (f).* FROM (SELECT unnest(spm.funnel(furthest, 4)) AS f FROM leads) s;
-- NULL stages are ignored; a group with no rows gives NULL; stages nobody reached give NULL conversions
SELECT spm.funnel(s, 3) FROM (VALUES (1), (NULL), (1)) v(s);
SELECT spm.funnel(s, 3) IS NULL AS empty FROM (VALUES (1)) v(s) WHERE false;
-- bad input: stage ordinals out of range, impossible funnels, corrupted states
SELECT spm.funnel(s, 3) FROM (VALUES (1), (4)) v(s);
SELECT spm.funnel(s, 3) FROM (VALUES (0)) v(s);
SELECT spm.funnel(s, 0) FROM (VALUES (1)) v(s);
SELECT spm.funnel(s, NULL) FROM (VALUES (1)) v(s);
SELECT spm.funnel(s, n) FROM (VALUES (1, 3), (1, 4)) v(s, n);
SELECT spm.funnel_final('{1,-2}');
SELECT spm.funnel_final('{}');
SELECT spm.funnel_combine('{1,2}', '{1,2,3}');
SELECT spm.funnel_combine('{1,2}', '{3,4}') AS combined;
-- parallel: Partial Aggregate in workers, combined by funnel_combine, equals the serial plan
CREATE TABLE big_funnel AS SELECT i, 1 + (i * 7919) % 5 AS furthest FROM generate_series(1, 100000) i;
ALTER TABLE big_funnel SET (parallel_workers = 2);
ANALYZE big_funnel;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.funnel(furthest, 5) FROM big_funnel;
SELECT spm.funnel(furthest, 5)::text AS parallel_result FROM big_funnel \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT spm.funnel(furthest, 5)::text FROM big_funnel) AS same_as_serial;
RESET ALL;
