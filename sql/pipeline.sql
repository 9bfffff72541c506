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
-- 2 of 2 does not top a leaderboard: its lower bound is below that of 70 of 120
-- (45 won, 135 lost: https://www.contextawareanalytics.com/metrics-governance/how-to-calculate-win-rate)
SELECT spm.wilson_lower(2, 2) AS two_of_two, spm.wilson_lower(70, 120) AS seventy_of_120,
       spm.wilson_lower(45, 180) AS forty_five_of_180, spm.wilson_upper(45, 180) AS upper_45_of_180;
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

-- ================================================================ win rate aggregates
-- Worked example (https://www.contextawareanalytics.com/metrics-governance/how-to-calculate-win-rate):
-- 45 closed-won, 135 closed-lost, 80 still open (excluded) gives 45 / 180 = 25 %
CREATE TABLE quarter AS
  SELECT i, CASE WHEN i <= 45 THEN 'won' WHEN i <= 180 THEN 'lost' ELSE 'open' END AS outcome
  FROM generate_series(1, 260) i;
SELECT spm.win_rate(CASE outcome WHEN 'won' THEN true WHEN 'lost' THEN false END) AS win_rate,
       count(*) FILTER (WHERE outcome = 'open') AS open_ignored
FROM quarter;
-- "no decision" treated both ways.  Worked example (https://winsabove.pages.dev/glossary/win-rate):
-- 12 won, 26 lost, 9 no decision: 12 / 38 = 31.6 % when no decision is excluded (NULL),
-- 12 / 47 = 25.5 % when it counts as a loss (false)
CREATE TABLE ae AS
  SELECT i, CASE WHEN i <= 12 THEN 'won' WHEN i <= 38 THEN 'lost' ELSE 'no decision' END AS outcome
  FROM generate_series(1, 47) i;
SELECT spm.win_rate(CASE outcome WHEN 'won' THEN true WHEN 'lost' THEN false END) AS no_decision_excluded,
       spm.win_rate(outcome = 'won') AS no_decision_is_a_loss,
       12 / 38.0 AS by_hand_excluded, 12 / 47.0 AS by_hand_as_loss
FROM ae;
-- value-weighted.  Worked example (http://blog.altify.com/donals-blog/when-is-your-win-rate-not-your-win-rate):
-- A 20,000 won, B 10,000 won, C 40,000 lost, D 30,000 lost: unit win rate 50 %, value win rate 30 %;
-- with C still open: 2 of 3 = 66 %, and 30,000 of 60,000 = 50 % by value
CREATE TABLE altify (deal text, amount numeric(12,2), won boolean, won_c_open boolean);
INSERT INTO altify VALUES ('A', 20000, true, true), ('B', 10000, true, true),
                          ('C', 40000, false, NULL), ('D', 30000, false, false);
SELECT spm.win_rate(won) AS unit, spm.value_win_rate(won, amount) AS value,
       spm.win_rate(won_c_open) AS unit_c_open, spm.value_win_rate(won_c_open, amount) AS value_c_open
FROM altify;
-- nothing closed gives NULL, like a division by no deals; NULL amounts are ignored by value_win_rate
SELECT spm.win_rate(w) IS NULL AS all_open, spm.value_win_rate(w, 1) IS NULL AS all_open_by_value
FROM (VALUES (NULL::boolean), (NULL)) v(w);
SELECT spm.win_rate(w) IS NULL AS no_rows FROM (VALUES (true)) v(w) WHERE false;
SELECT spm.value_win_rate(w, a) AS value, sum(a) FILTER (WHERE w) / sum(a) FILTER (WHERE w IS NOT NULL) AS plain_sql
FROM (VALUES (true, 10::numeric), (false, NULL), (false, 30), (NULL, 1000)) v(w, a);
SELECT spm.value_win_rate(w, a) IS NULL AS zero_amounts FROM (VALUES (true, 0), (false, 0)) v(w, a);
SELECT spm.value_win_rate(w, a) FROM (VALUES (true, -10)) v(w, a);
SELECT spm.value_win_rate(w, a) FROM (VALUES (true, 'NaN'::numeric)) v(w, a);

-- ================================================================ the deal summary
CREATE TABLE deals (rep text, won boolean, amount numeric(12,2), created date, closed date);
INSERT INTO deals VALUES
  ('ana', true,  20000.00, '2026-01-05', '2026-02-04'),
  ('ana', true,  10000.50, '2026-01-10', '2026-03-01'),
  ('ana', false, 40000.00, '2026-01-12', '2026-02-01'),
  ('ana', NULL,  55000.25, '2026-02-01', NULL),
  ('ana', false,  5000.00, '2026-02-10', NULL),         -- closed, close date unknown: no cycle
  ('bo',  NULL,  12000.00, '2026-03-01', NULL);
SELECT rep, spm.deal_summary(won, amount, closed - created) AS summary FROM deals GROUP BY rep ORDER BY rep;
SELECT rep, spm.won_count(s), spm.lost_count(s), spm.open_count(s), spm.closed_count(s),
       spm.won_amount(s), spm.lost_amount(s), spm.open_amount(s)
FROM (SELECT rep, spm.deal_summary(won, amount, closed - created) AS s FROM deals GROUP BY rep) t ORDER BY rep;
SELECT rep, spm.win_rate(s), spm.value_win_rate(s), spm.avg_deal_size(s), spm.avg_cycle_days(s),
       spm.sales_velocity(s), spm.wilson_lower(s), spm.wilson_upper(s, 0.9), spm.smoothed_win_rate(s, 0.25, 10)
FROM (SELECT rep, spm.deal_summary(won, amount, closed - created) AS s FROM deals GROUP BY rep) t ORDER BY rep;
-- ana's sales velocity: 1 open deal * 15,000.25 average won deal * 2/4 win rate / (100/3 days)
-- = 1 * 30,000.50 * 3 / (4 * 100) = 225.00375 exactly, one division, no rounded average in between
SELECT 1 * 30000.50 * 3 / (4 * 100) AS by_hand, spm.sales_velocity(1, 15000.25, 0.5, 100 / 3.0) AS rounded_cycle_drifts;
-- bad deals
SELECT spm.deal_summary(w, a, c) FROM (VALUES (true, NULL::numeric, 5)) v(w, a, c);
SELECT spm.deal_summary(w, a, c) FROM (VALUES (true, -1::numeric, 5)) v(w, a, c);
SELECT spm.deal_summary(w, a, c) FROM (VALUES (true, 'Infinity'::numeric, 5)) v(w, a, c);
SELECT spm.deal_summary(w, a, c) FROM (VALUES (false, 1::numeric, -3)) v(w, a, c);
-- an open deal's cycle is not counted; a closed deal with an unknown cycle counts without one
SELECT spm.deal_summary(w, a, c) FROM (VALUES (NULL::boolean, 1::numeric, 40), (true, 2, NULL)) v(w, a, c);

-- text I/O: round trip, and corrupted text is refused with 22P02
SELECT '(won=2,lost=1,open=1,cycle_deals=3,cycle_days=90,won_amount=30000.50,lost_amount=0.001,open_amount=1e40)'::spm.deal_summary;
SELECT s::text::spm.deal_summary::text = s::text AS round_trip
FROM (SELECT spm.deal_summary(won, amount, closed - created) AS s FROM deals) t;
-- equality: every count, and every sum by value (100 = 100.00), with a hash consistent
-- with it, so SELECT DISTINCT, GROUP BY and hash joins work on stored summaries
SELECT a OPERATOR(spm.=) b AS equal_by_value, a OPERATOR(spm.<>) c AS differs,
       spm.deal_summary_hash(a) = spm.deal_summary_hash(b) AS same_hash,
       spm.deal_summary_hash_extended(a, 42) = spm.deal_summary_hash_extended(b, 42) AS same_seeded_hash,
       spm.deal_summary_hash(a)::bigint & 4294967295 = spm.deal_summary_hash_extended(a, 0) & 4294967295 AS hash_is_seed_0_low_half
FROM (VALUES ('(won=1,lost=0,open=0,cycle_deals=1,cycle_days=9,won_amount=100,lost_amount=0,open_amount=0)'::spm.deal_summary,
              '(won=1,lost=0,open=0,cycle_deals=1,cycle_days=9,won_amount=100.00,lost_amount=0.0,open_amount=0)'::spm.deal_summary,
              '(won=1,lost=0,open=0,cycle_deals=1,cycle_days=9,won_amount=100.01,lost_amount=0,open_amount=0)'::spm.deal_summary)) v(a, b, c);
CREATE TEMP TABLE rep_summaries AS
  SELECT rep, spm.deal_summary(won, amount, closed - created) AS s FROM deals GROUP BY rep;
SELECT (SELECT count(*) FROM (SELECT s FROM rep_summaries UNION ALL SELECT s FROM rep_summaries) t) AS summaries,
       (SELECT count(*) FROM (SELECT DISTINCT s FROM (SELECT s FROM rep_summaries UNION ALL SELECT s FROM rep_summaries) t) d) AS distinct_summaries,
       (SELECT count(*) FROM (SELECT s FROM rep_summaries UNION SELECT s FROM rep_summaries) u) AS union_keeps,
       (SELECT count(*) FROM (SELECT s, count(*) FROM (SELECT s FROM rep_summaries UNION ALL SELECT s FROM rep_summaries) t GROUP BY s) g) AS groups;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT a.rep FROM rep_summaries a JOIN rep_summaries b ON a.s OPERATOR(spm.=) b.s;
SELECT a.rep, b.rep AS same_summary_as FROM rep_summaries a JOIN rep_summaries b ON a.s OPERATOR(spm.=) b.s ORDER BY 1, 2;
RESET enable_mergejoin;
RESET enable_nestloop;

-- counters never wrap: 5e18 won and 5e18 lost deals (cycles known for all) roll up, read
-- back from their text, give a win rate of 0.5; only closed_count, a bigint, refuses (22003)
CREATE TEMP TABLE huge AS
SELECT spm.rollup(s) AS s
FROM (VALUES ('(won=5000000000000000000,lost=0,open=0,cycle_deals=5000000000000000000,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)'::spm.deal_summary),
             ('(won=0,lost=5000000000000000000,open=0,cycle_deals=4000000000000000000,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)')) v(s);
SELECT s::text::spm.deal_summary::text = s::text AS reads_back, spm.win_rate(s), spm.won_count(s), spm.lost_count(s)
FROM huge;
SELECT spm.closed_count(s) FROM huge;
SELECT '(won=1,lost=1)'::spm.deal_summary;
SELECT '(won=-1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=-5,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=1,lost=0,open=0,cycle_deals=2,cycle_days=9,won_amount=5,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=99,won_amount=5,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=NaN,lost_amount=0,open_amount=0)'::spm.deal_summary;
SELECT '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0) junk'::spm.deal_summary;
SELECT 'garbage'::spm.deal_summary;

-- binary I/O: out and back through COPY BINARY unchanged; corrupted bytes refused with 08P01
CREATE TABLE summary_io (s spm.deal_summary);
INSERT INTO summary_io
  SELECT spm.deal_summary(won, amount, closed - created) FROM deals
  UNION ALL SELECT '(won=0,lost=1,open=1,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=99999999999999999999999999999999999999.5,open_amount=1e-20)';
COPY summary_io TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
CREATE TABLE summary_back (s spm.deal_summary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
SELECT s FROM summary_back;
SELECT (SELECT array_agg(s::text ORDER BY s::text) FROM summary_io) = (SELECT array_agg(s::text ORDER BY s::text) FROM summary_back) AS unchanged;
CREATE TABLE raw_bytes (i int, b bytea);
INSERT INTO raw_bytes VALUES
  (1, '\x020503'),                                  -- unknown version
  (2, '\x010403'),                                  -- a different shape
  (3, '\x0105030000000000000001'),                  -- cut short
  (4, '\x010503'::bytea || '\x00000000000000010000000000000000000000000000000000000000000000000000000000000000'::bytea
      || '\x0000000a00010000400000000005'::bytea || '\x000000080000000000000000'::bytea
      || '\x000000080000000000000000'::bytea),     -- won_amount -5
  (5, '\x010503'::bytea || '\x00000000000000000000000000000000000000000000000000000000000000010000000000000005'::bytea
      || '\x000000080000000000000000'::bytea || '\x000000080000000000000000'::bytea
      || '\x000000080000000000000000'::bytea);     -- a cycle without a closed deal
COPY (SELECT b FROM raw_bytes WHERE i = 1) TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE i = 2) TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE i = 3) TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE i = 4) TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE i = 5) TO '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_pipeline_summary.bin' (FORMAT binary);
DROP TABLE summary_io, summary_back, raw_bytes;

-- support functions refuse to remove what was never added
SELECT spm.win_rate_accum_inv('(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)', true);
SELECT spm.deal_summary_unmerge('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)',
                                '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=6,lost_amount=0,open_amount=0)');
SELECT spm.deal_summary_merge('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)',
                              '(won=1,lost=2,open=0,cycle_deals=3,cycle_days=7,won_amount=6.5,lost_amount=1,open_amount=0)') AS merged;

-- ================================================================ generated deals
-- 3,000 deals of 7 reps over a year, with ties on close dates, open deals (NULL outcome),
-- amounts of 0 to 4 decimals and a few past 128 bits (exact numeric path)
CREATE TABLE gen AS
SELECT i AS id, 1 + (h1 % 7) AS rep,
       date '2026-01-01' + (h2 % 365)::int AS day,
       CASE WHEN h3 % 10 < 3 THEN true WHEN h3 % 10 < 7 THEN false END AS won,
       CASE WHEN i % 997 = 0 THEN 1e38 + i
            ELSE round((h4 % 10000000) / 100.0, (h4 % 5)::int) END AS amount,
       CASE WHEN h3 % 13 = 0 THEN NULL ELSE (h5 % 200)::int END AS cycle_days
FROM generate_series(1, 3000) i,
LATERAL (SELECT hashint8extended(i, 41) & 2147483647 AS h1, hashint8extended(i, 42) & 2147483647 AS h2,
                hashint8extended(i, 43) & 2147483647 AS h3, hashint8extended(i, 44) & 2147483647 AS h4,
                hashint8extended(i, 45) & 2147483647 AS h5) h;
ANALYZE gen;
SELECT count(*) AS deals, count(DISTINCT (rep, day)) AS rep_days, count(*) FILTER (WHERE won IS NULL) AS open,
       count(*) FILTER (WHERE amount > 1e30) AS huge FROM gen;

-- two summaries hold the same numbers, and print the same digits (a moving window
-- recomputes its frame when the value with the most decimals leaves it)
CREATE FUNCTION same(a spm.deal_summary, b spm.deal_summary) RETURNS boolean LANGUAGE sql AS $$
  SELECT a IS NULL AND b IS NULL OR a::text = b::text AND
         (spm.won_count(a), spm.lost_count(a), spm.open_count(a), spm.avg_cycle_days(a) IS NULL,
          spm.won_amount(a), spm.lost_amount(a), spm.open_amount(a), coalesce(spm.avg_cycle_days(a), 0))
         = (spm.won_count(b), spm.lost_count(b), spm.open_count(b), spm.avg_cycle_days(b) IS NULL,
            spm.won_amount(b), spm.lost_amount(b), spm.open_amount(b), coalesce(spm.avg_cycle_days(b), 0)) $$;

-- moving aggregate = non-moving on every row: each windowed value (computed with the
-- inverse transition) against the aggregate recomputed from scratch over the same frame
CREATE TABLE framed AS
SELECT g.*, row_number() OVER (PARTITION BY rep ORDER BY day, id) AS pos,
       spm.win_rate(won) OVER (PARTITION BY rep ORDER BY day RANGE BETWEEN '90 days' PRECEDING AND CURRENT ROW) AS wr_range,
       spm.win_rate(won) OVER (PARTITION BY rep ORDER BY day, id ROWS BETWEEN 20 PRECEDING AND CURRENT ROW) AS wr_rows,
       spm.win_rate(won) OVER (PARTITION BY rep ORDER BY day RANGE BETWEEN '30 days' PRECEDING AND '10 days' PRECEDING) AS wr_gap,
       spm.win_rate(won) OVER (PARTITION BY rep ORDER BY day, id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) AS wr_rows_gap,
       spm.value_win_rate(won, amount) OVER (PARTITION BY rep ORDER BY day RANGE BETWEEN '90 days' PRECEDING AND CURRENT ROW) AS vwr_range,
       spm.deal_summary(won, amount, cycle_days) OVER (PARTITION BY rep ORDER BY day RANGE BETWEEN '90 days' PRECEDING AND CURRENT ROW) AS ds_range,
       spm.deal_summary(won, amount, cycle_days) OVER (PARTITION BY rep ORDER BY day, id ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING) AS ds_rows_gap,
       (count(*) FILTER (WHERE won) OVER w)::numeric / nullif(count(won) OVER w, 0) AS plain_sql_range
FROM gen g
WINDOW w AS (PARTITION BY rep ORDER BY day RANGE BETWEEN '90 days' PRECEDING AND CURRENT ROW);
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE wr_range IS NOT DISTINCT FROM
         (SELECT spm.win_rate(x.won) FROM gen x WHERE x.rep = f.rep AND x.day BETWEEN f.day - 90 AND f.day)) AS range_90,
       count(*) FILTER (WHERE wr_rows IS NOT DISTINCT FROM
         (SELECT spm.win_rate(x.won) FROM framed x WHERE x.rep = f.rep AND x.pos BETWEEN f.pos - 20 AND f.pos)) AS rows_20,
       count(*) FILTER (WHERE wr_gap IS NOT DISTINCT FROM
         (SELECT spm.win_rate(x.won) FROM gen x WHERE x.rep = f.rep AND x.day BETWEEN f.day - 30 AND f.day - 10)) AS range_gap,
       count(*) FILTER (WHERE wr_rows_gap IS NOT DISTINCT FROM
         (SELECT spm.win_rate(x.won) FROM framed x WHERE x.rep = f.rep AND x.pos BETWEEN f.pos - 3 AND f.pos - 1)) AS rows_gap,
       count(*) FILTER (WHERE vwr_range IS NOT DISTINCT FROM
         (SELECT spm.value_win_rate(x.won, x.amount) FROM gen x WHERE x.rep = f.rep AND x.day BETWEEN f.day - 90 AND f.day)) AS value_range,
       count(*) FILTER (WHERE same(ds_range,
         (SELECT spm.deal_summary(x.won, x.amount, x.cycle_days) FROM gen x WHERE x.rep = f.rep AND x.day BETWEEN f.day - 90 AND f.day))) AS summary_range,
       count(*) FILTER (WHERE same(ds_rows_gap,
         (SELECT spm.deal_summary(x.won, x.amount, x.cycle_days) FROM framed x WHERE x.rep = f.rep AND x.pos BETWEEN f.pos - 5 AND f.pos - 2))) AS summary_rows_gap,
       count(*) FILTER (WHERE wr_gap IS NULL) AS empty_or_open_frames,
       count(*) FILTER (WHERE ds_rows_gap IS NULL) AS empty_summary_frames,
       count(*) FILTER (WHERE wr_range IS NOT DISTINCT FROM plain_sql_range) AS range_90_plain_sql
FROM framed f;

-- roll-up law: daily summaries per rep, rolled up to quarters, reps and everything, equal
-- the summary of the raw rows for every accessor, exactly
CREATE TABLE daily AS
  SELECT rep, day, spm.deal_summary(won, amount, cycle_days) AS s FROM gen GROUP BY rep, day;
CREATE TABLE by_rollup AS
  SELECT rep, date_trunc('quarter', day) AS q, spm.rollup(s) AS s FROM daily GROUP BY ROLLUP (rep, date_trunc('quarter', day));
CREATE TABLE by_raw AS
  SELECT rep, date_trunc('quarter', day) AS q, spm.deal_summary(won, amount, cycle_days) AS s FROM gen GROUP BY ROLLUP (rep, date_trunc('quarter', day));
SELECT count(*) AS groups,
       count(*) FILTER (WHERE a.s::text = b.s::text) AS same_summary,
       count(*) FILTER (WHERE spm.won_count(a.s) = spm.won_count(b.s) AND spm.lost_count(a.s) = spm.lost_count(b.s)
                          AND spm.open_count(a.s) = spm.open_count(b.s) AND spm.closed_count(a.s) = spm.closed_count(b.s)) AS same_counts,
       count(*) FILTER (WHERE spm.won_amount(a.s) = spm.won_amount(b.s) AND spm.lost_amount(a.s) = spm.lost_amount(b.s)
                          AND spm.open_amount(a.s) = spm.open_amount(b.s)) AS same_amounts,
       count(*) FILTER (WHERE spm.win_rate(a.s) IS NOT DISTINCT FROM spm.win_rate(b.s)
                          AND spm.value_win_rate(a.s) IS NOT DISTINCT FROM spm.value_win_rate(b.s)
                          AND spm.avg_deal_size(a.s) IS NOT DISTINCT FROM spm.avg_deal_size(b.s)
                          AND spm.avg_cycle_days(a.s) IS NOT DISTINCT FROM spm.avg_cycle_days(b.s)
                          AND spm.sales_velocity(a.s) IS NOT DISTINCT FROM spm.sales_velocity(b.s)
                          AND spm.wilson_lower(a.s) IS NOT DISTINCT FROM spm.wilson_lower(b.s)
                          AND spm.wilson_upper(a.s) IS NOT DISTINCT FROM spm.wilson_upper(b.s)
                          AND spm.smoothed_win_rate(a.s, 0.3, 20) IS NOT DISTINCT FROM spm.smoothed_win_rate(b.s, 0.3, 20)) AS same_ratios
FROM by_rollup a JOIN by_raw b ON a.rep IS NOT DISTINCT FROM b.rep AND a.q IS NOT DISTINCT FROM b.q;
-- the raw summary's figures equal plain SQL over the raw rows
WITH r AS (SELECT s FROM by_raw WHERE rep IS NULL AND q IS NULL),
     g AS (SELECT count(*) FILTER (WHERE won) AS won, count(*) FILTER (WHERE won IS NULL) AS open,
                  sum(amount) FILTER (WHERE won) AS won_amount, sum(amount) FILTER (WHERE NOT won) AS lost_amount,
                  sum(amount) FILTER (WHERE won IS NULL) AS open_amount,
                  avg(cycle_days) FILTER (WHERE won IS NOT NULL) AS avg_cycle, avg(amount) FILTER (WHERE won) AS avg_deal
           FROM gen)
SELECT spm.won_count(s) = won AS won, spm.open_count(s) = open AS open, spm.won_amount(s) = won_amount AS won_amount,
       spm.lost_amount(s) = lost_amount AS lost_amount, spm.open_amount(s) = open_amount AS open_amount,
       spm.avg_cycle_days(s) = avg_cycle AS avg_cycle, spm.avg_deal_size(s) = avg_deal AS avg_deal
FROM r, g;
-- rolling: a 7-day rolling rollup of daily summaries (moving, with the inverse) equals the raw rows of the window
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE same(rolled, (
         SELECT spm.deal_summary(x.won, x.amount, x.cycle_days) FROM gen x
         WHERE x.rep = d.rep AND x.day BETWEEN d.day - 6 AND d.day))) AS same_as_raw,
       count(*) FILTER (WHERE spm.win_rate(rolled) IS NOT DISTINCT FROM (
         SELECT spm.win_rate(x.won) FROM gen x WHERE x.rep = d.rep AND x.day BETWEEN d.day - 6 AND d.day)) AS same_win_rate
FROM (SELECT rep, day, spm.rollup(s) OVER (PARTITION BY rep ORDER BY day RANGE BETWEEN '6 days' PRECEDING AND CURRENT ROW) AS rolled
      FROM daily) d;
SELECT spm.rollup(s) IS NULL AS no_rows FROM daily WHERE false;

-- parallel: Partial Aggregate plans equal the serial plans for every aggregate
CREATE TABLE big_deals AS SELECT g.* FROM gen g, generate_series(1, 30) k;
ALTER TABLE big_deals SET (parallel_workers = 2);
ANALYZE big_deals;
CREATE TABLE big_daily AS SELECT d.* FROM daily d, generate_series(1, 30) k;
ALTER TABLE big_daily SET (parallel_workers = 2);
ANALYZE big_daily;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.win_rate(won), spm.value_win_rate(won, amount), spm.deal_summary(won, amount, cycle_days) FROM big_deals;
EXPLAIN (COSTS OFF) SELECT spm.rollup(s) FROM big_daily;
SELECT spm.win_rate(won)::text || ' ' || spm.value_win_rate(won, amount)::text || ' ' || spm.deal_summary(won, amount, cycle_days)::text
       AS parallel_result FROM big_deals \gset
SELECT spm.rollup(s)::text AS parallel_rollup FROM big_daily \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT spm.win_rate(won)::text || ' ' || spm.value_win_rate(won, amount)::text || ' ' ||
                                    spm.deal_summary(won, amount, cycle_days)::text FROM big_deals) AS same_as_serial,
       :'parallel_rollup' = (SELECT spm.rollup(s)::text FROM big_daily) AS rollup_same_as_serial,
       :'parallel_rollup' = (SELECT spm.deal_summary(won, amount, cycle_days)::text FROM big_deals) AS rollup_same_as_raw;
RESET ALL;

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT spm.win_rate(won), spm.wilson_lower(spm.deal_summary(won, amount, closed - created)) FROM public.deals;
RESET search_path;
