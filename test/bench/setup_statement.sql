-- test/bench/setup_statement.sql -- a year of deals for the payout statement benchmark:
-- 10,000 reps x 12 months x 8 deals at the full size (10 million demo deals), one rep per
-- 1,000 demo deals below it (at least 10), each with a monthly quota and a 2,000 draw
-- (run by test/bench/run after the extension exists)
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS demo.stmt_reps, demo.stmt_deals;
CREATE TABLE demo.stmt_reps AS
  SELECT r AS rep_id, 40000 + 1000 * (r % 41) AS quota, 2000 AS draw
  FROM generate_series(1, (SELECT least(10000, greatest(10, count(*) / 1000))::int FROM demo.deals)) r;
-- a deal's amount: from 0.2 to 1.8 times an eighth of the quota; one in four a new product;
-- the rep's quota and draw on every deal row, as demo.deals carries its quota
CREATE TABLE demo.stmt_deals AS
  SELECT r.rep_id, r.quota, r.draw, (date '2026-01-01' + (m - 1) * interval '1 month')::date AS period,
         (date '2026-01-01' + (m - 1) * interval '1 month' + (k * 3) * interval '1 day')::date AS close_date,
         (r.rep_id::bigint * 12 + m - 1) * 8 + k AS deal_id,
         round(r.quota / 8 * (0.2 + 1.6 * (abs(hashint8((r.rep_id::bigint * 12 + m) * 8 + k)) % 1000000) / 1000000.0), 2)
           ::numeric(12,2) AS amount,
         hashint8((r.rep_id::bigint * 12 + m) * 8 + k) % 4 = 0 AS new_product
  FROM demo.stmt_reps r, generate_series(1, 12) m, generate_series(1, 8) k;
ANALYZE demo.stmt_reps, demo.stmt_deals;
