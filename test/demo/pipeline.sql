-- test/demo/pipeline.sql -- win rates, honest small samples, deal summaries, velocity,
-- coverage and funnels on the sample company (schema demo) and, when loaded, the CRM
-- dataset (schema crm)
--
--   psql -f test/data/company.sql; psql -f test/data/crm.sql; psql -f test/demo/pipeline.sql
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set QUIET on

\echo
\echo '=== pipeline: win rate per rep, deals closed in 2026 H1, ranked by the Wilson lower bound (95 %) ==='
\echo '    (a rep with few deals no longer tops the board on luck; smoothed pulls toward the team rate)'
SELECT spm.win_rate(won) AS team_rate FROM demo.deals
WHERE close_date >= date '2026-01-01' AND close_date < date '2026-07-01' \gset
SELECT r.name AS rep, spm.won_count(s) AS won, spm.closed_count(s) AS closed,
       round(100 * spm.win_rate(s), 1) AS win_rate_pct,
       round(100 * spm.wilson_lower(s), 1) AS wilson_low_pct,
       round(100 * spm.wilson_upper(s), 1) AS wilson_high_pct,
       round(100 * spm.smoothed_win_rate(s, :'team_rate', 20), 1) AS smoothed_pct
FROM (SELECT rep_id, spm.deal_summary(won, amount, close_date - created) AS s
      FROM demo.deals WHERE close_date >= date '2026-01-01' AND close_date < date '2026-07-01'
      GROUP BY rep_id) t
JOIN demo.reps r USING (rep_id)
ORDER BY spm.wilson_lower(s) DESC LIMIT 8;

\echo '=== pipeline: rolling 90-day win rate of Ada Smith, as of each close date (moving aggregate) ==='
SELECT close_date, won,
       round(100 * spm.win_rate(won) OVER w, 1) AS rolling_90d_pct,
       round(100 * spm.value_win_rate(won, amount) OVER w, 1) AS rolling_90d_by_value_pct,
       count(won) OVER w AS closed_in_window
FROM demo.deals
WHERE rep_id = 1 AND won IS NOT NULL
WINDOW w AS (ORDER BY close_date RANGE BETWEEN '90 days' PRECEDING AND CURRENT ROW)
ORDER BY close_date DESC, deal_id LIMIT 8;

\echo '=== pipeline: the materialized-view recipe: daily summaries per rep, rolled up to any period ==='
CREATE TEMP TABLE deal_daily AS
  SELECT rep_id, created AS day, spm.deal_summary(won, amount, close_date - created) AS summary
  FROM demo.deals GROUP BY rep_id, created;
SELECT count(*) AS daily_rows, (SELECT count(*) FROM demo.deals) AS raw_deals FROM deal_daily;
\echo '--- per region and quarter of creation (rollup of daily rows)'
SELECT g.name AS region, date_trunc('quarter', d.day)::date AS quarter,
       spm.won_count(spm.rollup(summary)) AS won, spm.lost_count(spm.rollup(summary)) AS lost,
       spm.open_count(spm.rollup(summary)) AS open,
       round(100 * spm.win_rate(spm.rollup(summary)), 1) AS win_rate_pct,
       round(spm.avg_deal_size(spm.rollup(summary)), 2) AS avg_won_deal,
       round(spm.avg_cycle_days(spm.rollup(summary)), 1) AS avg_cycle_days,
       spm.open_amount(spm.rollup(summary)) AS open_pipeline
FROM deal_daily d JOIN demo.reps r USING (rep_id) JOIN demo.regions g USING (region_id)
WHERE d.day >= date '2026-01-01' AND d.day < date '2027-01-01'
GROUP BY g.name, date_trunc('quarter', d.day) ORDER BY 1, 2;
\echo '--- the same from raw deals: identical (roll-up law)'
SELECT count(*) AS region_quarters,
       count(*) FILTER (WHERE rolled::text = raw::text) AS identical_summaries
FROM (SELECT r.region_id, date_trunc('quarter', d.day) AS q, spm.rollup(summary) AS rolled
      FROM deal_daily d JOIN demo.reps r USING (rep_id) GROUP BY 1, 2) a
JOIN (SELECT r.region_id, date_trunc('quarter', x.created) AS q,
             spm.deal_summary(won, amount, close_date - created) AS raw
      FROM demo.deals x JOIN demo.reps r USING (rep_id) GROUP BY 1, 2) b USING (region_id, q);
\echo '--- a rolling 28-day window of daily rows for rep 1 (moving rollup)'
SELECT day, round(100 * spm.win_rate(spm.rollup(summary) OVER w), 1) AS win_rate_28d_pct,
       spm.open_amount(spm.rollup(summary) OVER w) AS open_created_28d
FROM deal_daily WHERE rep_id = 1
WINDOW w AS (ORDER BY day RANGE BETWEEN '27 days' PRECEDING AND CURRENT ROW)
ORDER BY day DESC LIMIT 5;

\echo '=== pipeline: velocity, coverage and expected attainment per region, as of 2026-07-01 ==='
\echo '    (win rate, deal size and cycle from deals closed in 2026 H1; pipeline = deals created by then and not yet closed;'
\echo '     booked = won in 2026 H1; coverage = pipeline / (2026 quota - booked))'
WITH history AS (
  SELECT r.region_id, spm.deal_summary(won, amount, close_date - created) AS s
  FROM demo.deals d JOIN demo.reps r USING (rep_id)
  WHERE close_date >= date '2026-01-01' AND close_date < date '2026-07-01' GROUP BY r.region_id
), open_now AS (
  SELECT r.region_id, count(*) AS opportunities, sum(amount) AS pipeline
  FROM demo.deals d JOIN demo.reps r USING (rep_id)
  WHERE created < date '2026-07-01' AND (close_date IS NULL OR close_date >= date '2026-07-01') GROUP BY r.region_id
), booked AS (
  SELECT r.region_id, sum(amount) FILTER (WHERE won AND close_date >= date '2026-01-01'
                                          AND close_date < date '2026-07-01') AS booked_h1
  FROM demo.deals d JOIN demo.reps r USING (rep_id) GROUP BY r.region_id
), quota AS (
  SELECT r.region_id, sum(q.quota) AS quota FROM demo.quotas q JOIN demo.reps r USING (rep_id)
  WHERE q.year = 2026 GROUP BY r.region_id
)
SELECT g.name AS region, o.opportunities, round(spm.win_rate(h.s), 3) AS win_rate,
       round(spm.sales_velocity(o.opportunities, spm.avg_deal_size(h.s), spm.win_rate(h.s), spm.avg_cycle_days(h.s)), 2) AS velocity_per_day,
       round(spm.pipeline_coverage(o.pipeline, q.quota - b.booked_h1), 2) AS coverage,
       round(spm.required_coverage(spm.win_rate(h.s)), 2) AS required,
       round(100 * spm.expected_attainment(b.booked_h1, o.pipeline, spm.win_rate(h.s), q.quota), 1) AS expected_attainment_pct
FROM history h JOIN open_now o USING (region_id) JOIN booked b USING (region_id) JOIN quota q USING (region_id)
JOIN demo.regions g USING (region_id) ORDER BY g.name;

\echo '=== pipeline: Wilson bounds at several confidences, and the normal quantile behind them ==='
SELECT c AS confidence, spm.normal_quantile(1 - (1 - c) / 2) AS z,
       spm.wilson_lower(7, 10, c) AS low_7_of_10, spm.wilson_upper(7, 10, c) AS high_7_of_10
FROM unnest(ARRAY[0.8, 0.9, 0.95, 0.99]) c;

SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
\echo '=== pipeline movement: the Q2 2026 waterfall between the snapshots of 1 April and 1 May ==='
\echo '    (snapshots rebuilt from demo.deals: open deals expect to close 90 days after creation; the'
\echo '     April snapshot''s amounts and close dates are simulated edits, up to 15% and 30 days off)'
CREATE TEMP TABLE snapshots AS
SELECT taken, deal_id, rep_id,
       CASE WHEN close_date < taken THEN outcome ELSE 'open' END AS status,
       CASE WHEN taken = date '2026-04-01' THEN round(amount * (1 + (deal_id % 7 - 3) * 0.05), 2) ELSE amount END AS amount,
       CASE WHEN close_date < taken THEN close_date
            WHEN taken = date '2026-04-01' THEN coalesce(close_date, created + 90) + ((deal_id % 5 - 2) * 15)::int
            ELSE coalesce(close_date, created + 90) END AS close_date
FROM demo.deals, (VALUES (date '2026-04-01'), (date '2026-05-01')) v(taken)
WHERE created < taken AND (close_date IS NULL OR close_date >= taken - 60);
CREATE TEMP TABLE q2_waterfall AS
SELECT coalesce(o.rep_id, n.rep_id) AS rep_id,
       spm.pipeline_waterfall('2026-04-01', '2026-07-01', o.status, o.amount, o.close_date,
                              n.status, n.amount, n.close_date) AS w
FROM (SELECT * FROM snapshots WHERE taken = '2026-04-01') o
FULL JOIN (SELECT * FROM snapshots WHERE taken = '2026-05-01') n USING (deal_id)
GROUP BY 1;
SELECT s.step, s.deals, s.amount, s.running_total
FROM (SELECT spm.rollup(w) AS w FROM q2_waterfall) t, spm.waterfall_steps(w) s;
\echo '=== pipeline movement: reps whose Q2 pipeline slipped most (pushed out), from the stored per-rep waterfalls ==='
SELECT r.name AS rep, spm.step_amount(w, 'opening') AS opening, spm.step_amount(w, 'pushed_out') AS pushed_out,
       spm.step_amount(w, 'pulled_in') AS pulled_in, spm.step_amount(w, 'closing') AS closing
FROM q2_waterfall JOIN demo.reps r USING (rep_id)
ORDER BY spm.step_amount(w, 'pushed_out') DESC, r.name LIMIT 5;

\if :have_crm
\echo '=== crm: funnel from each opportunity''s furthest stage (1 Prospecting, 2 Engaging, 3 Decided, 4 Won) ==='
SELECT (f).stage, (ARRAY['Prospecting', 'Engaging', 'Decided (won or lost)', 'Won'])[(f).stage] AS name,
       (f).reached, (f).stopped, round(100 * (f).conversion, 1) AS from_previous_pct,
       round(100 * (f).cumulative, 1) AS from_first_pct
FROM (SELECT unnest(spm.funnel(CASE deal_stage WHEN 'Prospecting' THEN 1 WHEN 'Engaging' THEN 2
                                               WHEN 'Lost' THEN 3 WHEN 'Won' THEN 4 END, 4)) AS f
      FROM crm.pipeline) s;

\echo '=== crm: win rate per regional office by quarter of close: spm vs plain SQL ==='
SELECT t.regional_office, date_trunc('quarter', p.close_date)::date AS quarter,
       count(*) FILTER (WHERE deal_stage = 'Won') AS won, count(*) AS closed,
       round(100 * spm.win_rate(deal_stage = 'Won'), 2) AS spm_pct,
       round(100 * count(*) FILTER (WHERE deal_stage = 'Won')::numeric / count(*), 2) AS plain_sql_pct,
       spm.win_rate(deal_stage = 'Won') = count(*) FILTER (WHERE deal_stage = 'Won')::numeric / count(*) AS equal,
       round(100 * spm.wilson_lower(count(*) FILTER (WHERE deal_stage = 'Won'), count(*)), 1) AS wilson_low_pct
FROM crm.pipeline p JOIN crm.teams t USING (sales_agent)
WHERE deal_stage IN ('Won', 'Lost')
GROUP BY t.regional_office, date_trunc('quarter', p.close_date) ORDER BY 1, 2;

\echo '=== crm: win rate per agent, 2017 Q4, all agents equal to plain SQL; top 5 by Wilson lower bound ==='
WITH a AS (
  SELECT sales_agent, spm.deal_summary(deal_stage = 'Won', close_value, close_date - engage_date) AS s,
         count(*) FILTER (WHERE deal_stage = 'Won')::numeric / count(*) AS plain_rate
  FROM crm.pipeline
  WHERE deal_stage IN ('Won', 'Lost') AND close_date >= date '2017-10-01' AND close_date < date '2018-01-01'
  GROUP BY sales_agent
)
SELECT (SELECT count(*) FROM a) AS agents, (SELECT count(*) FROM a WHERE spm.win_rate(s) = plain_rate) AS equal_to_plain_sql;
SELECT sales_agent, spm.won_count(s) AS won, spm.closed_count(s) AS closed,
       round(100 * spm.win_rate(s), 1) AS win_rate_pct, round(100 * spm.wilson_lower(s), 1) AS wilson_low_pct,
       round(spm.avg_deal_size(s), 2) AS avg_won_deal, round(spm.avg_cycle_days(s), 1) AS avg_cycle_days
FROM (SELECT sales_agent, spm.deal_summary(deal_stage = 'Won', close_value, close_date - engage_date) AS s
      FROM crm.pipeline
      WHERE deal_stage IN ('Won', 'Lost') AND close_date >= date '2017-10-01' AND close_date < date '2018-01-01'
      GROUP BY sales_agent) t
ORDER BY spm.wilson_lower(s) DESC LIMIT 5;
\else
\echo '(schema crm not loaded: skipping the real-data part; load it with test/data/crm.sql)'
\endif

\echo '=== pipeline: a daily summary table kept current by a trigger (spm.maintain_deal_summary) under a day of changes ==='
\echo '    (the deals created in December 2026; 20 open deals won, 5 moved to another rep, 5 deleted; no refresh)'
CREATE TABLE demo.live_deals AS SELECT * FROM demo.deals WHERE created >= date '2026-12-01';
CREATE INDEX ON demo.live_deals (rep_id, created);
CREATE TABLE demo.live_daily (day date, rep_id int, summary spm.deal_summary NOT NULL, PRIMARY KEY (day, rep_id));
CREATE TRIGGER live_daily_current AFTER INSERT OR UPDATE OR DELETE ON demo.live_deals
FOR EACH ROW EXECUTE FUNCTION spm.maintain_deal_summary(
    'live_daily', 'day', 'rep_id', 'summary', 'created', 'rep_id', 'won', 'amount', 'close_date');
INSERT INTO demo.live_daily
SELECT created, rep_id, spm.deal_summary(won, amount, close_date - created)
FROM demo.live_deals GROUP BY created, rep_id;
SELECT 'before' AS "when", spm.open_count(s) AS open, spm.won_count(s) AS won, spm.won_amount(s) AS won_amount,
       spm.open_amount(s) AS open_amount
FROM (SELECT spm.rollup(summary) AS s FROM demo.live_daily) t;
UPDATE demo.live_deals SET won = true, outcome = 'won', close_date = date '2026-12-31'
WHERE deal_id IN (SELECT deal_id FROM demo.live_deals WHERE won IS NULL ORDER BY deal_id LIMIT 20);
UPDATE demo.live_deals SET rep_id = rep_id % 40 + 1
WHERE deal_id IN (SELECT deal_id FROM demo.live_deals ORDER BY deal_id DESC LIMIT 5);
DELETE FROM demo.live_deals
WHERE deal_id IN (SELECT deal_id FROM demo.live_deals ORDER BY deal_id LIMIT 5 OFFSET 100);
SELECT 'after' AS "when", spm.open_count(s) AS open, spm.won_count(s) AS won, spm.won_amount(s) AS won_amount,
       spm.open_amount(s) AS open_amount
FROM (SELECT spm.rollup(summary) AS s FROM demo.live_daily) t;
SELECT count(*) AS day_rep_rows, count(*) FILTER (WHERE summary::text = fresh::text) AS equal_to_recomputed
FROM demo.live_daily d
FULL JOIN (SELECT created AS day, rep_id, spm.deal_summary(won, amount, close_date - created) AS fresh
           FROM demo.live_deals GROUP BY created, rep_id) f USING (day, rep_id);
DROP TABLE demo.live_deals, demo.live_daily;
