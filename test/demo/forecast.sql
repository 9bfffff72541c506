-- test/demo/forecast.sql -- forecast accuracy, time to close, the range and a quarter forecast on the
-- sample company (schema demo); the back-test on the CRM dataset (schema crm) when it is loaded
--
--   psql -f test/data/company.sql; psql -f test/demo/forecast.sql
--
-- The sample company records no forecasts, so this demo makes a naive one: each month's
-- forecast is the average of the three months before it (a 3-month moving average of won
-- bookings by close month), per region and per rep.  spm then measures how good it was,
-- from April 2026 on (deals start closing in October 2025: earlier forecasts would average
-- the company's empty first months).
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set QUIET on

-- won bookings per region and month, and the naive forecast: the mean of the 3 months before
CREATE TEMP VIEW region_months AS
WITH booked AS (
    SELECT r.region_id, m::date AS month,
           coalesce(sum(d.amount) FILTER (WHERE d.won), 0) AS actual
    FROM demo.reps r
    CROSS JOIN generate_series(date '2025-10-01', date '2026-12-01', interval '1 month') m
    LEFT JOIN demo.deals d ON d.rep_id = r.rep_id AND date_trunc('month', d.close_date) = m
    GROUP BY r.region_id, m
)
SELECT region_id, month, actual,
       round(avg(actual) OVER (PARTITION BY region_id ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), 2) AS forecast
FROM booked;

\echo
\echo '=== forecast: accuracy of a naive 3-month moving-average forecast per region, April to December 2026 ==='
\echo '    (wape/mape/relative bias in %; bias in currency per month; tracking signal beyond +-4 = biased)'
SELECT coalesce(g.name, 'all') AS region, spm.period_count(s) AS months,
       spm.forecast_sum(s) AS forecast, spm.actual_sum(s) AS actual,
       round(100 * spm.wape(s), 1) AS wape_pct, round(100 * spm.mape(s), 1) AS mape_pct,
       round(spm.bias(s), 2) AS bias, round(100 * spm.relative_bias(s), 1) AS relative_bias_pct,
       round(spm.tracking_signal(s), 2) AS tracking_signal
FROM (SELECT region_id, spm.accuracy_summary(forecast, actual) AS s
      FROM region_months WHERE month >= date '2026-04-01'
      GROUP BY ROLLUP (region_id)) t
LEFT JOIN demo.regions g USING (region_id)
ORDER BY g.name NULLS LAST;

\echo '=== forecast: the company, month by month, with a rolling 6-month WAPE and tracking signal (moving aggregates) ==='
SELECT month, sum(forecast) AS forecast, sum(actual) AS actual,
       round(100 * spm.wape(sum(forecast), sum(actual)) OVER w, 1) AS rolling_wape_pct,
       round(spm.tracking_signal(sum(forecast), sum(actual)) OVER w, 2) AS rolling_tracking_signal
FROM region_months WHERE month >= date '2026-04-01'
GROUP BY month
WINDOW w AS (ORDER BY month ROWS 5 PRECEDING)
ORDER BY month;

\echo '=== forecast: stored monthly summaries per region roll up to the year exactly (spm.rollup) ==='
CREATE TEMP TABLE accuracy_monthly AS
SELECT region_id, month, spm.accuracy_summary(forecast, actual) AS s
FROM region_months WHERE month >= date '2026-04-01' GROUP BY region_id, month;
SELECT spm.rollup(s) AS rolled_up,
       spm.rollup(s)::text = (SELECT spm.accuracy_summary(forecast, actual)::text FROM region_months
                              WHERE month >= date '2026-04-01') AS same_as_raw
FROM accuracy_monthly;

\echo '=== forecast: per rep, the least accurate (zero_months: months without bookings, left out of the MAPE and counted) ==='
WITH rep_months AS (
    SELECT r.rep_id, m::date AS month, coalesce(sum(d.amount) FILTER (WHERE d.won), 0) AS actual
    FROM demo.reps r
    CROSS JOIN generate_series(date '2025-10-01', date '2026-12-01', interval '1 month') m
    LEFT JOIN demo.deals d ON d.rep_id = r.rep_id AND date_trunc('month', d.close_date) = m
    GROUP BY r.rep_id, m
), naive AS (
    SELECT rep_id, month, actual,
           round(avg(actual) OVER (PARTITION BY rep_id ORDER BY month ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING), 2) AS forecast
    FROM rep_months
)
SELECT r.name AS rep, spm.period_count(s) AS months, spm.zero_actual_count(s) AS zero_months,
       round(100 * spm.wape(s), 1) AS wape_pct, round(100 * spm.mape(s), 1) AS mape_pct,
       round(spm.tracking_signal(s), 2) AS tracking_signal
FROM (SELECT rep_id, spm.accuracy_summary(forecast, actual) AS s FROM naive
      WHERE month >= date '2026-04-01' GROUP BY rep_id) t
JOIN demo.reps r USING (rep_id)
ORDER BY spm.wape(s) DESC, r.rep_id LIMIT 6;

-- Time to close (survival): as of 2026-09-30, the deals created by then; a deal closed (won or
-- lost) by then is a closed cycle, any other is open at its age (censored), a deal that closed
-- later included.
CREATE TEMP VIEW cycles_asof AS
SELECT d.*, r.region_id,
       CASE WHEN d.close_date <= date '2026-09-30' THEN d.close_date - d.created
            ELSE date '2026-09-30' - d.created END AS days,
       coalesce(d.close_date <= date '2026-09-30', false) AS closed
FROM demo.deals d JOIN demo.reps r USING (rep_id)
WHERE d.created <= date '2026-09-30';

\echo '=== time to close: the Kaplan-Meier curve of the sales cycle as of 2026-09-30 (any outcome; open deals censored at their age) ==='
SELECT t AS days, round(100 * spm.survival(s, t), 1) AS still_open_pct,
       round(100 * spm.survival_lower(s, t), 1) AS lower_95_pct, round(100 * spm.survival_upper(s, t), 1) AS upper_95_pct
FROM (SELECT spm.cycle_summary(days, closed) AS s FROM cycles_asof) x,
     unnest(ARRAY[0, 7, 14, 30, 45, 60, 90, 120, 180, 270, 365]) t;

\echo '=== time to close: median and quartiles of the cycle per region (stored monthly summaries rolled up) ==='
CREATE TEMP TABLE cycles_monthly AS
SELECT region_id, date_trunc('month', created)::date AS month, spm.cycle_summary(days, closed) AS s
FROM cycles_asof GROUP BY 1, 2;
SELECT coalesce(g.name, 'all') AS region, spm.closed_count(s) AS closed, spm.open_count(s) AS open,
       spm.cycle_quantile(s, 0.25) AS p25_days, spm.cycle_quantile(s, 0.5) AS median_days,
       spm.cycle_quantile(s, 0.75) AS p75_days,
       s::text = (SELECT spm.cycle_summary(days, closed)::text FROM cycles_asof c
                  WHERE c.region_id = t.region_id OR t.region_id IS NULL) AS same_as_raw
FROM (SELECT region_id, spm.rollup(s) AS s FROM cycles_monthly GROUP BY ROLLUP (region_id)) t
LEFT JOIN demo.regions g USING (region_id)
ORDER BY g.name NULLS LAST;

\echo '=== time to close: the open deals of 2026-09-30 by age, and their chance to close within 30 and 90 days ==='
SELECT width_bucket(c.days, ARRAY[0, 30, 60, 90, 180, 365]) AS age_band,
       min(c.days) || '-' || max(c.days) AS age_days, count(*) AS open_deals,
       round(100 * avg(spm.close_within(x.s, c.days, 30)), 1) AS closes_in_30_days_pct,
       round(100 * avg(spm.close_within(x.s, c.days, 90)), 1) AS closes_in_90_days_pct,
       count(*) FILTER (WHERE spm.close_within(x.s, c.days, 90) IS NULL) AS past_the_data
FROM cycles_asof c, (SELECT spm.cycle_summary(days, closed) AS s FROM cycles_asof) x
WHERE NOT c.closed
GROUP BY 1 ORDER BY 1;

\echo '=== the range of the forecast: the open pipeline per region (probability a stand-in from the deal id, 5-95%) ==='
CREATE TEMP VIEW open_pipeline AS
SELECT d.deal_id, d.rep_id, r.region_id, d.amount, (5 + d.deal_id * 37 % 91) / 100.0 AS probability
FROM demo.deals d JOIN demo.reps r USING (rep_id)
WHERE d.outcome = 'open';
SELECT coalesce(g.name, 'all') AS region, spm.range_method(s) AS method,
       round(spm.expected_bookings(s)) AS expected, spm.bookings_quantile(s, 0.1) AS p10,
       spm.bookings_quantile(s, 0.5) AS p50, spm.bookings_quantile(s, 0.9) AS p90,
       round(100 * spm.probability_of_reaching(s, 0.995 * spm.expected_bookings(s)), 1) AS reach_99_5pct_of_expected_pct
FROM (SELECT region_id, spm.forecast_range(amount, probability, 0.01) AS s FROM open_pipeline GROUP BY ROLLUP (region_id)) t
LEFT JOIN demo.regions g USING (region_id)
ORDER BY g.name NULLS LAST;

\echo '=== the range of the forecast: the 40 newest open deals of five reps, exact (counted in thousands), and the chance to reach 600,000 ==='
SELECT rep_id, spm.range_method(s) AS method, spm.expected_bookings(s) AS expected,
       spm.bookings_quantile(s, 0.1) AS p10, spm.bookings_quantile(s, 0.5) AS p50, spm.bookings_quantile(s, 0.9) AS p90,
       round(spm.probability_of_reaching(s, 600000), 4) AS reach_600k
FROM (SELECT rep_id, spm.forecast_range(round(amount, -3), probability, 1000) AS s
      FROM (SELECT o.*, row_number() OVER (PARTITION BY rep_id ORDER BY deal_id DESC) AS k
            FROM open_pipeline o WHERE rep_id <= 5) n
      WHERE k <= 40 GROUP BY rep_id) t
ORDER BY rep_id;

-- A deal's chance to close won by a date.  The sample company records no stages: a stand-in
-- from the deal id (won deals reached stage 4, lost ones stopped at 1 to 4; open deals sit at
-- 1 to 4).  As of 2026-09-30, the chance to close won by the quarter's end, 2026-12-31.
\echo '=== chance to close won by 2026-12-31, as of 2026-09-30: stage probability x chance to close in the 92 days left ==='
CREATE TEMP VIEW pipeline_chance AS
WITH history AS (
  SELECT (SELECT spm.stage_summary(CASE WHEN won THEN 4 ELSE 1 + (deal_id % 4)::int END, won)
          FROM cycles_asof WHERE closed) AS stages,
         (SELECT spm.cycle_summary(days, closed) FROM cycles_asof) AS cycles)
SELECT c.deal_id, c.region_id, c.amount, 1 + (c.deal_id % 4)::int AS stage, c.days AS age,
       spm.close_chance(h.stages, h.cycles, 1 + (c.deal_id % 4)::int, c.created, date '2026-09-30', date '2026-12-31') AS chance
FROM cycles_asof c, history h
WHERE NOT c.closed;
SELECT stage, count(*) AS open_deals, round(100 * avg(chance), 1) AS avg_chance_pct,
       count(*) FILTER (WHERE chance IS NULL) AS past_the_data, round(sum(amount * chance)) AS expected_bookings
FROM pipeline_chance GROUP BY ROLLUP (stage) ORDER BY stage NULLS LAST;
SELECT coalesce(g.name, 'all') AS region, round(spm.expected_bookings(s)) AS expected,
       spm.bookings_quantile(s, 0.1) AS p10, spm.bookings_quantile(s, 0.9) AS p90
FROM (SELECT region_id, spm.forecast_range(amount, chance, 0.01) AS s
      FROM pipeline_chance WHERE chance IS NOT NULL GROUP BY ROLLUP (region_id)) t
LEFT JOIN demo.regions g USING (region_id)
ORDER BY g.name NULLS LAST;

-- Capacity planning for 2027.  Each rep's full monthly quota is a twelfth of the 2026 quota,
-- the expected attainment is 2026's (won in 2026 / quota) held between 0.5 and 1.2, new reps
-- ramp over three months, 1.5 % of reps leave a month.
\echo '=== capacity plan 2027: the roster''s expected capacity by quarter and region (1.5 % attrition a month) ==='
CREATE TEMP VIEW roster_2027 AS
SELECT r.region_id,
       array_agg((r.name, r.hire_date, NULL::date, round(q.quota / 12, 2), '{0.25,0.5,0.75}'::numeric[],
                  least(greatest(coalesce(w.won / q.quota, 0.5), 0.5), 1.2))::spm.roster_entry ORDER BY r.rep_id) AS roster
FROM demo.reps r JOIN demo.quotas q ON q.rep_id = r.rep_id AND q.year = 2026
LEFT JOIN (SELECT rep_id, sum(amount) AS won FROM demo.deals
           WHERE won AND close_date >= '2026-01-01' AND close_date < '2027-01-01' GROUP BY rep_id) w ON w.rep_id = r.rep_id
GROUP BY r.region_id;
SELECT coalesce(g.name, 'all') AS region, extract(quarter FROM c.month) AS quarter, sum(c.capacity) AS capacity,
       count(DISTINCT c.person) AS reps
FROM roster_2027 t JOIN demo.regions g USING (region_id),
     spm.capacity_by_month(t.roster, daterange('2027-01-01', '2028-01-01'), 0.015) c
GROUP BY ROLLUP (g.name, extract(quarter FROM c.month))
HAVING g.name IS NOT NULL OR extract(quarter FROM c.month) IS NULL
ORDER BY g.name NULLS LAST, 2;

\echo '=== capacity plan 2027: hires needed per region for a target 20 % above the 2026 quotas (new reps like the region''s median quota, 90 % attainment, from 2026-11-01) ==='
SELECT g.name AS region, target, h.hires, h.latest_start, h.roster_capacity, h.capacity_per_hire, h.planned_capacity
FROM roster_2027 t JOIN demo.regions g USING (region_id),
     LATERAL (SELECT round(1.2 * sum(q.quota), -3) AS target,
                     percentile_disc(0.5) WITHIN GROUP (ORDER BY round(q.quota / 12, 2)) AS median_quota
              FROM demo.quotas q JOIN demo.reps r USING (rep_id) WHERE q.year = 2026 AND r.region_id = t.region_id) s,
     spm.hires_needed(t.roster, s.target, daterange('2027-01-01', '2028-01-01'),
                      ('new hire', '2026-11-01', NULL, s.median_quota, '{0.25,0.5,0.75}', 0.9)::spm.roster_entry, 0.015) h
ORDER BY g.name;

\echo '=== quotas 2027 from history and capacity: a target 10 % above the 2026 quotas split by capacity x 2026 attainment (0.8-1.2), exact to the cent ==='
CREATE TEMP VIEW quota_2027 AS
WITH capacity AS (
  SELECT c.person, sum(c.capacity) AS capacity
  FROM roster_2027 t, spm.capacity_by_month(t.roster, daterange('2027-01-01', '2028-01-01'), 0.015) c
  GROUP BY c.person),
history AS (
  SELECT r.name AS person, coalesce(sum(d.amount) FILTER (WHERE d.won AND d.close_date >= '2026-01-01' AND d.close_date < '2027-01-01'), 0) / q.quota AS attainment
  FROM demo.reps r JOIN demo.quotas q ON q.rep_id = r.rep_id AND q.year = 2026 LEFT JOIN demo.deals d ON d.rep_id = r.rep_id
  GROUP BY r.name, q.quota)
SELECT person, capacity, round(h.attainment, 3) AS attainment_2026,
       spm.allocate_share((SELECT round(1.1 * sum(quota), -3) FROM demo.quotas WHERE year = 2026), capacity * least(greatest(h.attainment, 0.8), 1.2)) OVER (ORDER BY person) AS quota_2027
FROM capacity JOIN history h USING (person);
(SELECT * FROM quota_2027 ORDER BY quota_2027 DESC LIMIT 5)
UNION ALL
SELECT 'all ' || count(*) || ' reps', sum(capacity), NULL, sum(quota_2027) FROM quota_2027
UNION ALL
SELECT 'target', NULL, NULL, round(1.1 * sum(quota), -3) FROM demo.quotas WHERE year = 2026;
\echo '=== quarter forecast: Q4 2026 as of 2026-09-30, each open deal at its region''s win rate (deals closed by then) x its chance to close within 92 days; the range against what closed ==='
CREATE TEMP TABLE q4_forecast AS
SELECT c.deal_id, c.region_id, c.amount,
       round(spm.win_rate(w.s) * spm.close_within(k.s, c.days, 92), 20) AS p,
       coalesce(c.won AND c.close_date <= date '2026-12-31', false) AS won_in_q4
FROM cycles_asof c
JOIN (SELECT r.region_id, spm.deal_summary(d.won, d.amount, d.close_date - d.created) AS s
      FROM demo.deals d JOIN demo.reps r USING (rep_id)
      WHERE d.close_date <= date '2026-09-30' GROUP BY r.region_id) w USING (region_id)
CROSS JOIN (SELECT spm.cycle_summary(days, closed) AS s FROM cycles_asof) k
WHERE NOT c.closed;
SELECT coalesce(g.name, 'all') AS region, deals, past_the_data, spm.range_method(r) AS method,
       round(spm.expected_bookings(r)) AS expected, spm.bookings_quantile(r, 0.1) AS p10,
       spm.bookings_quantile(r, 0.5) AS p50, spm.bookings_quantile(r, 0.9) AS p90, booked,
       round(100 * spm.probability_of_reaching(r, booked), 1) AS reach_booked_pct
FROM (SELECT region_id, count(*) AS deals, count(*) FILTER (WHERE p IS NULL) AS past_the_data,
             sum(amount) FILTER (WHERE won_in_q4) AS booked,
             spm.forecast_range(amount, coalesce(p, 0), 0.01) AS r
      FROM q4_forecast GROUP BY ROLLUP (region_id)) t
LEFT JOIN demo.regions g USING (region_id)
ORDER BY g.name NULLS LAST;

-- the back-test on the CRM dataset (schema crm, when loaded): test/data/crm_backtest.sql
SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
\if :have_crm
\ir ../data/crm_backtest.sql
\echo '=== back-test (CRM dataset): as of 2017-06-30, the deals then open, forecast for Q3 2017 against what closed ==='
\echo '    (P(win): the agent''s stage probability at Engaging from deals closed by then; P(close in Q3): spm.close_within'
\echo '     of the cycle summary as of then; amount: the product''s list price; no estimate: older than any deal seen)'
SELECT open_deals, with_estimate, expected_won, won, round(spm.expected_bookings(r)) AS expected_bookings,
       booked, spm.range_method(r) AS method, spm.bookings_quantile(r, 0.1) AS p10,
       spm.bookings_quantile(r, 0.9) AS p90, round(100 * spm.probability_of_reaching(r, booked), 1) AS reach_booked_pct
FROM (SELECT count(*) AS open_deals, count(p) AS with_estimate, round(sum(p), 1) AS expected_won,
             count(*) FILTER (WHERE won_in_q3) AS won, sum(actual) AS booked,
             spm.forecast_range(amount, coalesce(p, 0)) AS r
      FROM backtest) t;
\echo '--- accuracy: one (forecast, actual) pair per regional office, and per agent'
SELECT 'regional office' AS per, count(*) AS pairs, round(spm.wape(f, a), 4) AS wape, round(spm.mape(f, a), 4) AS mape,
       round(spm.bias(f, a)) AS bias, round(spm.relative_bias(spm.accuracy_summary(f, a)), 4) AS relative_bias,
       round(spm.tracking_signal(f, a), 2) AS tracking_signal
FROM (SELECT regional_office, sum(amount * coalesce(p, 0)) AS f, sum(actual) AS a FROM backtest GROUP BY 1) o
UNION ALL
SELECT 'agent', count(*), round(spm.wape(f, a), 4), round(spm.mape(f, a), 4),
       round(spm.bias(f, a)), round(spm.relative_bias(spm.accuracy_summary(f, a)), 4), round(spm.tracking_signal(f, a), 2)
FROM (SELECT sales_agent, sum(amount * coalesce(p, 0)) AS f, sum(actual) AS a FROM backtest GROUP BY 1) g;
\echo '--- calibration: predicted probability bands against the share actually won in Q3'
SELECT coalesce(to_char(10 * floor(10 * p), 'FM90') || '-' || to_char(10 * floor(10 * p) + 10, 'FM990') || '%', 'no estimate') AS band,
       count(*) AS deals, round(100 * avg(p), 1) AS predicted_pct,
       round(100 * avg(won_in_q3::int), 1) AS won_pct, count(*) FILTER (WHERE won_in_q3) AS won
FROM backtest GROUP BY floor(10 * p) ORDER BY floor(10 * p) NULLS LAST;
\else
\echo '=== back-test (CRM dataset): skipped, the dataset is not loaded (../shared/data/crm absent) ==='
\endif
