-- Stage probabilities from history: spm.stage_summary and its accessors.
SET extra_float_digits = 0;

-- ten closed deals by their furthest stage: 1: 3 lost; 2: 2 lost; 3: 1 won, 1 lost; 4: 3 won
CREATE TEMP TABLE closed_deals (segment text, furthest_stage integer, won boolean);
INSERT INTO closed_deals VALUES
  ('east', 1, false), ('east', 1, false), ('west', 1, false),
  ('east', 2, false), ('west', 2, false),
  ('east', 3, true), ('west', 3, false),
  ('east', 4, true), ('west', 4, true), ('west', 4, true),
  ('west', NULL, true), ('east', 2, NULL);   -- skipped: a NULL stage or outcome

SELECT spm.stage_summary(furthest_stage, won) FROM closed_deals;

-- reached s = furthest >= s: 10, 7, 5, 3, 0 deals; won among them 4, 4, 4, 3, 0
SELECT s AS stage,
       spm.stage_reached_count(m, s) AS reached,
       spm.stage_won_count(m, s) AS won,
       spm.stage_win_probability(m, s) AS probability,
       spm.stage_win_probability(m, s, 5) AS smoothed_5,
       spm.stage_win_lower(m, s) AS lower_95,
       spm.stage_win_upper(m, s) AS upper_95
FROM (SELECT spm.stage_summary(furthest_stage, won) AS m FROM closed_deals) x, generate_series(1, 5) s;

-- smoothing by hand: p0 = 4/10; stage 4: (3 + 5 * 0.4) / (3 + 5) = 0.625; stage 5: (0 + 2) / 5 = 0.4
SELECT spm.stage_win_probability(m, 4, 5) = 0.625 AS stage_4,
       spm.stage_win_probability(m, 5, 5) = 0.4 AS stage_5,
       spm.stage_win_probability(m, 3, 0) = spm.stage_win_probability(m, 3) AS weight_0_is_raw,
       spm.stage_win_lower(m, 2, 0.9) = spm.wilson_lower(4, 7, 0.9) AS wilson_reused
FROM (SELECT spm.stage_summary(furthest_stage, won) AS m FROM closed_deals) x;

-- an empty summary: every probability NULL
SELECT spm.stage_win_probability(m, 1) IS NULL AS raw_null,
       spm.stage_win_probability(m, 1, 10) IS NULL AS smoothed_null,
       spm.stage_win_lower(m, 1) IS NULL AS lower_null,
       spm.stage_reached_count(m, 1) AS reached
FROM (SELECT spm.stage_summary(s, w) AS m FROM (VALUES (NULL::integer, NULL::boolean)) v(s, w)) x;
SELECT spm.stage_summary(s, w) IS NULL AS no_rows FROM (VALUES (1, true)) v(s, w) WHERE false;

-- rollup: the rollup of segment summaries equals the summary of all deals
SELECT (SELECT spm.rollup(m)::text FROM (SELECT segment, spm.stage_summary(furthest_stage, won) AS m
                                          FROM closed_deals GROUP BY segment) g)
     = (SELECT spm.stage_summary(furthest_stage, won)::text FROM closed_deals) AS rollup_law;

-- a moving window: the inverse removes exactly what was added
SELECT i, spm.stage_win_probability(spm.stage_summary(st, w) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), 1) AS p
FROM (VALUES (1, 1, false), (2, 4, true), (3, 2, true), (4, 3, false), (5, 3, true)) v(i, st, w) ORDER BY i;
SELECT i, spm.stage_reached_count(spm.rollup(m) OVER (ORDER BY i ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), 2) AS reached
FROM (SELECT i, spm.stage_summary(i, true) AS m FROM generate_series(1, 4) i GROUP BY i) g ORDER BY i;

-- parallel = serial
CREATE TEMP TABLE many_deals AS
SELECT 1 + (i * 7) % 6 AS furthest_stage, (i * 13) % 5 < 2 AS won FROM generate_series(1, 200000) i;
ANALYZE many_deals;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 4;
SELECT spm.stage_summary(furthest_stage, won)::text AS parallel_summary FROM many_deals \gset
RESET max_parallel_workers_per_gather; SET max_parallel_workers_per_gather = 0;
SELECT spm.stage_summary(furthest_stage, won)::text = :'parallel_summary' AS parallel_equals_serial FROM many_deals;
RESET ALL;
SET extra_float_digits = 0;

-- text round trip; the binary form of a summary read back from text is the same
SELECT s::text::spm.stage_summary::text = s::text AS text_round_trip
FROM (SELECT spm.stage_summary(furthest_stage, won) AS s FROM closed_deals) x;
SELECT spm.stage_summary_send(spm.stage_summary(furthest_stage, won)) = spm.stage_summary_send(spm.stage_summary(furthest_stage, won)::text::spm.stage_summary) AS send_stable
FROM closed_deals;

-- errors
SELECT spm.stage_summary(0, true);
SELECT spm.stage_summary(21, false);
SELECT spm.stage_win_probability(spm.stage_summary(1, true), 0);
SELECT spm.stage_win_probability(spm.stage_summary(1, true), 1, -1);
SELECT spm.stage_win_lower(spm.stage_summary(1, true), 1, 1.5);
SELECT '(won_1=1)'::spm.stage_summary;
SELECT replace(spm.stage_summary(1, true)::text, 'won_1=1', 'won_1=-1')::spm.stage_summary;
SELECT spm.stage_summary_unmerge(spm.stage_summary(1, true), spm.stage_summary(2, true));
SELECT spm.stage_summary_accum_inv(spm.stage_summary(1, true), 1, false);
SELECT spm.stage_summary_accum_inv(NULL, 1, false);
-- counts never wrap: 22003
SELECT spm.stage_reached_count(replace(replace(spm.stage_summary(1, true)::text, 'won_1=1', 'won_1=9223372036854775807'),
                                       'lost_2=0', 'lost_2=1')::spm.stage_summary, 1);
SELECT spm.rollup(m) FROM (SELECT replace(spm.stage_summary(1, true)::text, 'won_1=1', 'won_1=9223372036854775807')::spm.stage_summary
                          UNION ALL SELECT spm.stage_summary(1, true)) v(m);
