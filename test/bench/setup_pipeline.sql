-- test/bench/setup_pipeline.sql -- daily deal summaries per rep, for the rollup benchmark
-- (run by test/bench/run after the extension exists)
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS demo.deal_daily;
CREATE TABLE demo.deal_daily AS
  SELECT rep_id, created AS day, spm.deal_summary(won, amount, close_date - created) AS summary
  FROM demo.deals GROUP BY rep_id, created;
ANALYZE demo.deal_daily;
