-- pipeline movement: the waterfall of a period between two snapshots (spm.pipeline_waterfall,
-- its rollup, step_amount, step_deals, waterfall_steps)
\set VERBOSITY default

-- two snapshots of eight deals, the period the third quarter of 2024
CREATE TABLE snapshot (taken date, deal text, status text, amount numeric, close_date date);
INSERT INTO snapshot VALUES
  ('2024-07-01', 'A', 'open', 1000, '2024-08-15'), ('2024-08-01', 'A', 'open', 1200, '2024-09-10'),
  ('2024-07-01', 'B', 'open',  500, '2024-09-20'), ('2024-08-01', 'B', 'open',  500, '2024-11-05'),
  ('2024-07-01', 'C', 'open',  800, '2024-12-01'), ('2024-08-01', 'C', 'open',  700, '2024-09-30'),
                                                   ('2024-08-01', 'D', 'open',  300, '2024-08-30'),
  ('2024-07-01', 'E', 'open', 2000, '2024-07-31'), ('2024-08-01', 'E', 'won',  2100, '2024-07-25'),
  ('2024-07-01', 'F', 'open',  400, '2024-08-10'), ('2024-08-01', 'F', 'lost',  400, '2024-07-20'),
  ('2024-07-01', 'G', 'open',  600, '2024-09-01'), ('2024-08-01', 'G', 'open', 550.50, '2024-09-01'),
  ('2024-07-01', 'H', 'won',   900, '2024-06-28'), ('2024-08-01', 'H', 'won',   900, '2024-06-28');
CREATE VIEW pairs AS
SELECT deal, o.status AS old_status, o.amount AS old_amount, o.close_date AS old_close,
       n.status AS new_status, n.amount AS new_amount, n.close_date AS new_close
FROM (SELECT * FROM snapshot WHERE taken = '2024-07-01') o
FULL JOIN (SELECT * FROM snapshot WHERE taken = '2024-08-01') n USING (deal);
-- by hand: A opening 1000, increased 200, closing 1200; B opening 500, pushed out 500;
-- C pulled in 800, decreased 100, closing 700; D new 300, closing 300; E opening 2000,
-- increased 100, won 2100; F opening 400, lost 400; G opening 600, decreased 49.50, closing
-- 550.50; H closed in both: nothing.  4500 + 300 + 300 - 149.50 + 800 - 500 - 2100 - 400 = 2750.50
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                              new_status, new_amount, new_close)
FROM pairs;
SELECT s.* FROM (SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                               new_status, new_amount, new_close) AS w FROM pairs) t,
       spm.waterfall_steps(w) s;
-- each deal's steps on its own
SELECT deal, string_agg(format('%s %s', s.step, s.amount), ', ' ORDER BY s.n) FILTER (WHERE s.deals > 0) AS steps
FROM (SELECT deal, spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                          new_status, new_amount, new_close) AS w
      FROM pairs GROUP BY deal) t, spm.waterfall_steps(w) WITH ORDINALITY s(step, deals, amount, running_total, n)
GROUP BY deal ORDER BY deal;
SELECT spm.step_amount(w, 'decreased'), spm.step_deals(w, 'decreased'), spm.step_amount(w, 'closing'),
       spm.step_deals(w, 'closing')
FROM (SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                    new_status, new_amount, new_close) AS w FROM pairs) t;
-- a week's period: only G (close 2024-09-01) is in it on both sides
SELECT spm.pipeline_waterfall('2024-08-26', '2024-09-02', old_status, old_amount, old_close,
                              new_status, new_amount, new_close)
FROM pairs;
-- no rows: NULL; a summary of rows without deals has the period and nothing else
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                              new_status, new_amount, new_close) IS NULL AS no_rows
FROM pairs WHERE false;
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', NULL, NULL, NULL, NULL, NULL, NULL);

-- errors: each names the value and says what to pass
SELECT spm.pipeline_waterfall(NULL, '2024-10-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', NULL, 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-10-01', '2024-07-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-07-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('-infinity', '2024-07-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('0044-03-15 BC', '2024-07-01', 'open', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'Closed Won', 1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', 'OPEN', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', NULL, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', 'won', 1, NULL);
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', NULL, 5, NULL, 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', NULL, NULL, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', -1, '2024-08-01', 'open', 1, '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', 'open', 'NaN', '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1, '2024-08-01', 'open', 'Infinity', '2024-08-01');
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close, NULL, NULL, NULL)
FROM pairs;
SELECT spm.pipeline_waterfall(p, p + 30, 'open', 1, '2024-08-01', 'open', 1, '2024-08-01')
FROM (VALUES (date '2024-07-01'), (date '2024-07-02')) v(p);
SELECT spm.rollup(w) FROM (VALUES
  ('(rows=1,period_start=20240701,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=1,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=5)'::spm.pipeline_waterfall),
  ('(rows=1,period_start=20240801,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=1,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=5)')) v(w);
SELECT spm.step_amount(spm.pipeline_waterfall('2024-07-01', '2024-10-01', NULL, NULL, NULL, NULL, NULL, NULL), 'closed');

-- text input: the identity, the period and the counts are checked
SELECT '(rows=1,period_start=20240701,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=1,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=6)'::spm.pipeline_waterfall;
SELECT '(rows=1,period_start=20240701,period_end=20241001,opening=1,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=0,opening_amount=5,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=5)'::spm.pipeline_waterfall;
SELECT '(rows=1,period_start=20240231,period_end=20241001,opening=0,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=0,opening_amount=0,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=0)'::spm.pipeline_waterfall;
SELECT '(rows=1,period_start=20241001,period_end=20240701,opening=0,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=0,opening_amount=0,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=0)'::spm.pipeline_waterfall;
SELECT '(rows=0,period_start=20240701,period_end=20241001,opening=0,new=0,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=0,closing=0,opening_amount=0,new_amount=0,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=0,closing_amount=0)'::spm.pipeline_waterfall;
SELECT '(rows=1,period_start=20240701,period_end=20241001,opening=0,new=1,increased=0,decreased=0,pulled_in=0,pushed_out=0,won=0,lost=1,closing=0,opening_amount=0,new_amount=-5,increased_amount=0,decreased_amount=0,pulled_in_amount=0,pushed_out_amount=0,won_amount=0,lost_amount=-5,closing_amount=0)'::spm.pipeline_waterfall;
SELECT '(rows=0)'::spm.pipeline_waterfall;

-- generated snapshot pairs: 600 deals of five reps, against a plain-SQL reference
CREATE TABLE gen AS
SELECT i, i % 5 AS rep, o_status AS old_status,
       CASE WHEN o_status IS NOT NULL THEN (i * 7919 % 100000) * 0.01 END AS old_amount,
       CASE WHEN o_status IS NOT NULL THEN date '2024-05-01' + i * 37 % 240 END AS old_close,
       n_status AS new_status,
       CASE WHEN n_status IS NULL THEN NULL
            WHEN o_status IS NULL OR i % 4 = 3 THEN (i * 104729 % 500000) * 0.001
            WHEN i % 4 = 0 THEN (i * 7919 % 100000) * 0.01
            WHEN i % 4 = 1 THEN (i * 7919 % 100000) * 0.01 + i % 50
            ELSE greatest((i * 7919 % 100000) * 0.01 - i % 70 * 1.5, 0) END AS new_amount,
       CASE WHEN n_status IS NULL THEN NULL
            WHEN o_status IS NULL THEN date '2024-06-01' + i % 200
            ELSE date '2024-05-01' + i * 37 % 240 + i * 31 % 121 - 60 END AS new_close
FROM (SELECT i, CASE i % 11 WHEN 0 THEN NULL WHEN 1 THEN 'won' WHEN 2 THEN 'lost' ELSE 'open' END AS o_status,
             CASE WHEN i * 13 % 9 = 0 THEN 'won' WHEN i * 13 % 9 = 1 THEN 'lost'
                  WHEN i * 13 % 9 = 2 AND i % 11 IN (1, 2) THEN NULL
                  WHEN i * 13 % 9 = 2 AND i % 11 = 0 THEN 'open'
                  WHEN i * 13 % 9 = 2 THEN 'lost' ELSE 'open' END AS n_status
      FROM generate_series(1, 600) i) s;
CREATE VIEW reference AS
WITH f AS (
  SELECT *, old_status = 'open' AND old_close >= '2024-07-01' AND old_close < '2024-10-01' AS in_old,
         new_status = 'open' AND new_close >= '2024-07-01' AND new_close < '2024-10-01' AS in_new,
         new_status IN ('won', 'lost') AND new_close >= '2024-07-01' AND new_close < '2024-10-01' AS closed_in
  FROM gen),
g AS (
  SELECT *, coalesce(in_old, false) AS o_in, coalesce(old_status = 'open', false) AS o_open,
         coalesce(in_new, false) AS n_in, coalesce(closed_in, false) AS n_closed
  FROM f),
s AS (
  SELECT *, o_in AS opening, o_open AND NOT o_in AND (n_in OR n_closed) AS pulled_in,
         o_in AND NOT (n_in OR n_closed) AS pushed_out,
         NOT o_open AND (n_in OR (n_closed AND old_status IS NULL)) AS is_new,
         o_open AND (n_in OR n_closed) AS stays
  FROM g)
SELECT rep, step, count(*) FILTER (WHERE took) AS deals, coalesce(sum(amount) FILTER (WHERE took), 0) AS amount
FROM s, LATERAL (VALUES
  ('opening', opening, old_amount), ('new', is_new, new_amount),
  ('increased', stays AND new_amount > old_amount, new_amount - old_amount),
  ('decreased', stays AND new_amount < old_amount, old_amount - new_amount),
  ('pulled_in', pulled_in, old_amount), ('pushed_out', pushed_out, old_amount),
  ('won', (is_new OR stays) AND n_closed AND new_status = 'won', new_amount),
  ('lost', (is_new OR stays) AND n_closed AND new_status = 'lost', new_amount),
  ('closing', n_in AND (is_new OR stays), new_amount)) v(step, took, amount)
GROUP BY rep, step;
CREATE TABLE by_rep AS
SELECT rep, spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                   new_status, new_amount, new_close) AS w
FROM gen GROUP BY rep;
SELECT count(*) AS steps_checked,
       count(*) FILTER (WHERE spm.step_amount(b.w, r.step) = r.amount AND spm.step_deals(b.w, r.step) = r.deals) AS same_as_reference
FROM by_rep b JOIN reference r USING (rep);
SELECT spm.waterfall_steps(spm.rollup(w)) FROM by_rep;
-- the identity, exactly, per rep and in total; the summary of the union = the rollup of the summaries
SELECT count(*) AS reps,
       count(*) FILTER (WHERE spm.step_amount(w, 'opening') + spm.step_amount(w, 'new') + spm.step_amount(w, 'increased')
                              - spm.step_amount(w, 'decreased') + spm.step_amount(w, 'pulled_in') - spm.step_amount(w, 'pushed_out')
                              - spm.step_amount(w, 'won') - spm.step_amount(w, 'lost') = spm.step_amount(w, 'closing')) AS identity_holds
FROM by_rep;
SELECT (SELECT spm.rollup(w)::text FROM by_rep) =
       (SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                      new_status, new_amount, new_close)::text FROM gen) AS rollup_same_as_union;
-- text round trip
SELECT count(*) FILTER (WHERE w::text::spm.pipeline_waterfall::text = w::text) AS round_trips FROM by_rep;

-- binary I/O: out and back through COPY BINARY unchanged
CREATE TABLE waterfall_io (w spm.pipeline_waterfall);
INSERT INTO waterfall_io SELECT w FROM by_rep UNION ALL
  SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', NULL, NULL, NULL, 'open', 99999999999999999999999999999999999999.5, '2024-07-01');
COPY waterfall_io TO '/tmp/spm_movement_waterfall.bin' (FORMAT binary);
CREATE TABLE waterfall_back (w spm.pipeline_waterfall);
COPY waterfall_back FROM '/tmp/spm_movement_waterfall.bin' (FORMAT binary);
SELECT (SELECT array_agg(w::text ORDER BY w::text) FROM waterfall_io) = (SELECT array_agg(w::text ORDER BY w::text) FROM waterfall_back) AS unchanged;

-- amounts past 128 bits: the numeric path, exact
SELECT spm.waterfall_steps(spm.pipeline_waterfall('2024-07-01', '2024-10-01', 'open', 1e40, '2024-08-01',
                                                  'open', 1e40 + 0.000001, '2024-08-01'));

-- parallel: the Partial Aggregate plans equal the serial plans
CREATE TABLE big AS SELECT g.* FROM gen g, generate_series(1, 40) k;
ALTER TABLE big SET (parallel_workers = 2);
ANALYZE big;
CREATE TABLE big_by_rep AS SELECT b.* FROM by_rep b, generate_series(1, 40) k;
ALTER TABLE big_by_rep SET (parallel_workers = 2);
ANALYZE big_by_rep;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                                  new_status, new_amount, new_close) FROM big;
EXPLAIN (COSTS OFF) SELECT spm.rollup(w) FROM big_by_rep;
SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                              new_status, new_amount, new_close)::text AS parallel_result FROM big \gset
SELECT spm.rollup(w)::text AS parallel_rollup FROM big_by_rep \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT spm.pipeline_waterfall('2024-07-01', '2024-10-01', old_status, old_amount, old_close,
                                                           new_status, new_amount, new_close)::text FROM big) AS same_as_serial,
       :'parallel_rollup' = (SELECT spm.rollup(w)::text FROM big_by_rep) AS rollup_same_as_serial,
       :'parallel_rollup' = :'parallel_result' AS rollup_same_as_raw;
RESET ALL;

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT s.step, s.amount FROM (SELECT spm.rollup(w) AS w FROM public.by_rep) t, spm.waterfall_steps(w) s WHERE s.step = 'closing';
RESET search_path;

-- the tests of other areas share this database
DROP TABLE snapshot, gen, by_rep, waterfall_io, waterfall_back, big, big_by_rep CASCADE;
