-- test/demo/forecast.sql -- forecast accuracy on the sample company (schema demo)
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
