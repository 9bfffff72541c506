-- forecasting: forecast accuracy (spm.accuracy_summary, its accessors and rollup, the
-- one-line aggregates wape, mape, bias and tracking_signal)
\set VERBOSITY default

-- six months of one rep's forecast against what was booked; March booked nothing
CREATE TABLE months (rep text, month date, forecast numeric(12,2), actual numeric(12,2));
INSERT INTO months VALUES
  ('ana', '2026-01-01', 100000, 92000),    ('ana', '2026-02-01', 120000, 131000),
  ('ana', '2026-03-01',  90000, 0),        ('ana', '2026-04-01', 110000, 104500.50),
  ('ana', '2026-05-01',  95000, 101000),   ('ana', '2026-06-01', 130000, 118000),
  ('bo',  '2026-01-01',  50000, 50000),    ('bo',  '2026-02-01',  40000, NULL),
  ('bo',  '2026-03-01',  NULL,  45000),    ('bo',  '2026-04-01',  60000, 60000.00);
SELECT rep, spm.accuracy_summary(forecast, actual) FROM months GROUP BY rep ORDER BY rep;
-- by hand, ana: errors f - a = 8000, -11000, 90000, 5499.50, -6000, 12000 (sum 98499.50),
-- |f - a| sum 132499.50, |a| sum 546500.50; percentage errors over the five nonzero actuals
-- 8000/92000 + 11000/131000 + 5499.5/104500.5 + 6000/101000 + 12000/118000
SELECT rep, spm.wape(forecast, actual), spm.mape(forecast, actual), spm.bias(forecast, actual),
       spm.tracking_signal(forecast, actual)
FROM months GROUP BY rep ORDER BY rep;
SELECT 132499.50 / 546500.50 AS wape_by_hand, 98499.50 / 6 AS bias_by_hand,
       98499.50 / (132499.50 / 6) AS tracking_signal_by_hand,
       (8000/92000.0 + 11000/131000.0 + 5499.5/104500.5 + 6000/101000.0 + 12000/118000.0) / 5 AS mape_by_hand;
SELECT rep, spm.period_count(s), spm.zero_actual_count(s), spm.forecast_sum(s), spm.actual_sum(s),
       spm.mad(s), spm.relative_bias(s)
FROM (SELECT rep, spm.accuracy_summary(forecast, actual) AS s FROM months GROUP BY rep) t ORDER BY rep;

-- the sign convention: a forecast that runs high is positive bias and tracking signal
SELECT spm.bias(f, a) AS bias_high, spm.tracking_signal(f, a) AS signal_high,
       spm.bias(a, f) AS bias_low, spm.tracking_signal(a, f) AS signal_low
FROM (VALUES (110, 100), (120, 100), (100, 100)) v(f, a);
-- |tracking signal| reaches the number of periods when every error has one sign
SELECT spm.tracking_signal(f, a) FROM (VALUES (110, 100), (105, 100), (101, 100), (150, 100)) v(f, a);

-- zero actuals: counted everywhere but the MAPE, which leaves them out; all zero: NULL
SELECT spm.mape(f, a), spm.wape(f, a), spm.zero_actual_count(spm.accuracy_summary(f, a))
FROM (VALUES (50, 0), (110, 100)) v(f, a);
SELECT spm.mape(f, a) IS NULL AS mape_null, spm.wape(f, a) IS NULL AS wape_null, spm.bias(f, a) AS bias,
       spm.relative_bias(spm.accuracy_summary(f, a)) IS NULL AS relative_bias_null
FROM (VALUES (50, 0), (0, 0.00)) v(f, a);
-- perfect forecasts: errors zero, tracking signal undefined (NULL)
SELECT spm.wape(f, a), spm.mape(f, a), spm.bias(f, a), spm.tracking_signal(f, a) IS NULL AS signal_null
FROM (VALUES (100, 100), (7.5, 7.50)) v(f, a);
-- negative actuals (a month of clawbacks): |actual| is the weight
SELECT spm.wape(f, a), spm.mape(f, a), spm.relative_bias(spm.accuracy_summary(f, a))
FROM (VALUES (-100, -80), (200, 250), (0, -20)) v(f, a);

-- NULLs: a row without both values is no period; no rows: NULL
SELECT spm.accuracy_summary(f, a) FROM (VALUES (NULL::numeric, 1::numeric), (1, NULL)) v(f, a);
SELECT spm.wape(f, a) IS NULL AS wape, spm.accuracy_summary(f, a) IS NULL AS summary
FROM (VALUES (1::numeric, 1::numeric)) v(f, a) WHERE false;
SELECT spm.period_count(spm.accuracy_summary(f, a)), spm.mad(spm.accuracy_summary(f, a)) IS NULL AS mad_null,
       spm.tracking_signal(f, a) IS NULL AS signal_null
FROM (VALUES (NULL::numeric, 1::numeric)) v(f, a);

-- scales: every ratio and mean has 20 decimals, rounded half away from zero
SELECT spm.wape(f, a) AS one_third, spm.mape(f, a) AS two_thirds_of_one, spm.bias(f, a) AS bias
FROM (VALUES (4::numeric, 3::numeric), (2, 3)) v(f, a);
SELECT spm.mape(f, a) AS half_of_last_digit FROM (VALUES (1, 2e20)) v(f, a);
SELECT spm.bias(f, a) AS half_rounds_away_from_zero FROM (VALUES (0, 1e-20), (0, 0)) v(f, a);

-- bad input
SELECT spm.wape(f, a) FROM (VALUES (1::numeric, 1::numeric), ('NaN', 1)) v(f, a);
SELECT spm.accuracy_summary(f, a) FROM (VALUES (1::numeric, 'Infinity'::numeric)) v(f, a);
SELECT spm.mape(f, a) FROM (VALUES ('-Infinity'::numeric, 1::numeric)) v(f, a);

-- text I/O: the text reads back as the same value; malformed or impossible text is refused
SELECT s::text::spm.accuracy_summary::text = s::text AS round_trip
FROM (SELECT spm.accuracy_summary(forecast, actual) AS s FROM months) t;
SELECT '(periods=1,zero_actuals=0)'::spm.accuracy_summary;
SELECT '(periods=-1,zero_actuals=0,forecast=0,actual=0,abs_error=0,abs_actual=0,ape=0)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=2,forecast=0,actual=0,abs_error=0,abs_actual=0,ape=0)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=0,forecast=5,actual=3,abs_error=-2,abs_actual=3,ape=0)'::spm.accuracy_summary;
SELECT '(periods=0,zero_actuals=0,forecast=5,actual=0,abs_error=0,abs_actual=0,ape=0)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=0,forecast=5,actual=3,abs_error=2,abs_actual=0,ape=0)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=1,forecast=5,actual=0,abs_error=5,abs_actual=3,ape=0)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=1,forecast=5,actual=0,abs_error=5,abs_actual=0,ape=0.5)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=0,forecast=5,actual=-3,abs_error=8,abs_actual=2,ape=4)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=0,forecast=5,actual=3,abs_error=1,abs_actual=3,ape=0.3)'::spm.accuracy_summary;
SELECT '(periods=1,zero_actuals=0,forecast=5,actual=3,abs_error=2,abs_actual=3,ape=NaN)'::spm.accuracy_summary;
SELECT 'garbage'::spm.accuracy_summary;

-- binary I/O: out and back through COPY BINARY unchanged; an impossible value refused with 08P01
CREATE TABLE summary_io (s spm.accuracy_summary);
INSERT INTO summary_io
  SELECT spm.accuracy_summary(forecast, actual) FROM months GROUP BY rep
  UNION ALL SELECT spm.accuracy_summary(f, a) FROM (VALUES (1e38, 1e-20), (-1e38, 3)) v(f, a);
COPY summary_io TO '/tmp/spm_forecast_summary.bin' (FORMAT binary);
CREATE TABLE summary_back (s spm.accuracy_summary);
COPY summary_back FROM '/tmp/spm_forecast_summary.bin' (FORMAT binary);
SELECT s FROM summary_back ORDER BY s::text;
SELECT (SELECT array_agg(s::text ORDER BY s::text) FROM summary_io) = (SELECT array_agg(s::text ORDER BY s::text) FROM summary_back) AS unchanged;
COPY (SELECT '\x010205'::bytea || '\x00000000000000010000000000000000'::bytea
             || '\x000000080000000000000000'::bytea || '\x000000080000000000000000'::bytea
             || '\x0000000a00010000400000000005'::bytea    -- abs_error -5
             || '\x000000080000000000000000'::bytea || '\x000000080000000000000000'::bytea)
  TO '/tmp/spm_forecast_summary.bin' (FORMAT binary);
COPY summary_back FROM '/tmp/spm_forecast_summary.bin' (FORMAT binary);
DROP TABLE summary_io, summary_back;

-- support functions refuse to remove what was never added; counts never wrap
SELECT spm.accuracy_summary_accum_inv(NULL, 1, 1);
SELECT spm.accuracy_summary_accum_inv('(periods=0,zero_actuals=0,forecast=0,actual=0,abs_error=0,abs_actual=0,ape=0)', 1, 1);
SELECT spm.accuracy_summary_accum_inv('(periods=1,zero_actuals=0,forecast=1,actual=1,abs_error=0,abs_actual=1,ape=0)', 1, 0);
SELECT spm.accuracy_summary_unmerge('(periods=1,zero_actuals=0,forecast=1,actual=1,abs_error=0,abs_actual=1,ape=0)',
                                    '(periods=1,zero_actuals=0,forecast=2,actual=1,abs_error=1,abs_actual=1,ape=1)');
SELECT spm.accuracy_summary_accum('(periods=9223372036854775807,zero_actuals=0,forecast=1,actual=1,abs_error=0,abs_actual=1,ape=0)', 1, 1);
SELECT spm.accuracy_summary_merge('(periods=2,zero_actuals=1,forecast=3,actual=1,abs_error=2,abs_actual=1,ape=0)',
                                  '(periods=1,zero_actuals=0,forecast=2,actual=1,abs_error=1,abs_actual=1,ape=1.00000000000000000000)') AS merged;

-- a plain-SQL reference, independent of spm: n / d rounded half away from zero to 20 decimals
CREATE FUNCTION ref_round(n numeric, d numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN d <> 0 THEN
    (div(n * 1e20, d) + CASE WHEN 2 * abs(mod(n * 1e20, d)) >= abs(d) THEN sign(n) * sign(d) ELSE 0 END) * 1e-20 END $$;

-- 2,400 generated periods of 8 reps over 60 months, several rows per rep and month (ties),
-- amounts of 0 to 4 decimals, zero and negative actuals, NULLs, and a few past 128 bits
CREATE TABLE gen AS
SELECT i AS id, 1 + (h1 % 8) AS rep, 1 + (h2 % 60)::int AS month,
       CASE WHEN h3 % 41 = 0 THEN NULL WHEN i % 601 = 0 THEN 1e38 + i
            ELSE round((h3 % 10000000) / 100.0, (h3 % 5)::int) END AS f,
       CASE WHEN h4 % 37 = 0 THEN NULL WHEN h4 % 9 = 0 THEN 0 WHEN h4 % 13 = 0 THEN -round((h4 % 100000) / 10.0, 1)
            WHEN i % 997 = 0 THEN 1e-30 ELSE round((h4 % 10000000) / 100.0, (h4 % 4)::int) END AS a
FROM generate_series(1, 2400) i,
LATERAL (SELECT hashint8extended(i, 51) & 2147483647 AS h1, hashint8extended(i, 52) & 2147483647 AS h2,
                hashint8extended(i, 53) & 2147483647 AS h3, hashint8extended(i, 54) & 2147483647 AS h4) h;
ANALYZE gen;
-- the terms of each period in plain SQL (NULL unless the row is a pair)
CREATE VIEW terms AS
SELECT g.*, CASE WHEN f IS NOT NULL AND a IS NOT NULL THEN 1 ELSE 0 END AS pair,
       CASE WHEN a IS NOT NULL THEN f - a END AS e, CASE WHEN a IS NOT NULL THEN abs(f - a) END AS ae,
       CASE WHEN f IS NOT NULL THEN abs(a) END AS aa,
       CASE WHEN f IS NOT NULL AND a <> 0 THEN ref_round(abs(f - a), abs(a)) END AS ape,
       CASE WHEN f IS NOT NULL AND a <> 0 THEN 1 ELSE 0 END AS nonzero,
       CASE WHEN f IS NOT NULL AND a <> 0 THEN div(abs(f - a) * 1e40, abs(a)) * 1e-40 END AS ape_40_digits
FROM gen g;
SELECT count(*) AS rows, sum(pair) AS periods, sum(pair) - sum(nonzero) AS zero_actuals,
       count(*) FILTER (WHERE a < 0 AND f IS NOT NULL) AS negative_actuals, count(*) FILTER (WHERE f > 1e30 OR a = 1e-30) AS past_128_bits
FROM terms;

-- every accessor equals its definition in plain SQL, per rep and overall
CREATE TABLE by_rep AS
SELECT rep, spm.accuracy_summary(f, a) AS s, spm.wape(f, a) AS wape, spm.mape(f, a) AS mape,
       spm.bias(f, a) AS bias, spm.tracking_signal(f, a) AS ts,
       sum(pair) AS n, sum(pair) - sum(nonzero) AS zeros, sum(f) FILTER (WHERE pair = 1) AS fs, sum(a) FILTER (WHERE pair = 1) AS as_,
       sum(e) AS se, sum(ae) AS sae, sum(aa) AS saa, sum(ape) AS sape, sum(nonzero) AS nz, sum(ape_40_digits) AS sape40
FROM terms GROUP BY ROLLUP (rep);
SELECT count(*) AS groups,
       count(*) FILTER (WHERE spm.period_count(s) = n AND spm.zero_actual_count(s) = zeros
                          AND spm.forecast_sum(s) = fs AND spm.actual_sum(s) = as_) AS counts_and_sums,
       count(*) FILTER (WHERE wape = ref_round(sae, saa) AND spm.wape(s) = wape) AS wape,
       count(*) FILTER (WHERE mape = ref_round(sape, nz) AND spm.mape(s) = mape) AS mape,
       count(*) FILTER (WHERE bias = ref_round(se, n) AND spm.bias(s) = bias) AS bias,
       count(*) FILTER (WHERE ts = ref_round(se * n, sae) AND spm.tracking_signal(s) = ts) AS tracking_signal,
       count(*) FILTER (WHERE spm.mad(s) = ref_round(sae, n) AND spm.relative_bias(s) = ref_round(se, saa)) AS mad_relative_bias,
       count(*) FILTER (WHERE abs(spm.relative_bias(s)) <= spm.wape(s) AND abs(ts) <= n) AS bounds,
       -- the MAPE is within 1e-20 of the mean of the unrounded ratios (here known to 40 digits)
       count(*) FILTER (WHERE abs(mape - sape40 / nz) <= 1e-20 + 1e-35) AS mape_within_1e_20
FROM by_rep;

-- moving windows = the aggregate recomputed from scratch over every frame, and = plain SQL
CREATE TABLE framed AS
SELECT t.*, row_number() OVER (PARTITION BY rep ORDER BY month, id) AS pos,
       spm.wape(f, a) OVER r12 AS wape_rows, spm.mape(f, a) OVER r12 AS mape_rows,
       spm.bias(f, a) OVER r12 AS bias_rows, spm.tracking_signal(f, a) OVER r12 AS ts_rows,
       spm.accuracy_summary(f, a) OVER r12 AS s_rows,
       spm.accuracy_summary(f, a) OVER (PARTITION BY rep ORDER BY month RANGE BETWEEN 11 PRECEDING AND CURRENT ROW) AS s_range,
       spm.accuracy_summary(f, a) OVER (PARTITION BY rep ORDER BY month, id ROWS BETWEEN 5 PRECEDING AND 2 PRECEDING) AS s_gap,
       ref_round(sum(ae) OVER r12, sum(aa) OVER r12) AS wape_sql, ref_round(sum(ape) OVER r12, sum(nonzero) OVER r12) AS mape_sql,
       ref_round(sum(e) OVER r12, sum(pair) OVER r12) AS bias_sql,
       ref_round(sum(e) OVER r12 * sum(pair) OVER r12, sum(ae) OVER r12) AS ts_sql
FROM terms t
WINDOW r12 AS (PARTITION BY rep ORDER BY month, id ROWS 11 PRECEDING);
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE s_rows::text = (SELECT spm.accuracy_summary(x.f, x.a)::text FROM framed x
                                              WHERE x.rep = y.rep AND x.pos BETWEEN y.pos - 11 AND y.pos)) AS rows_11,
       count(*) FILTER (WHERE s_range::text = (SELECT spm.accuracy_summary(x.f, x.a)::text FROM gen x
                                               WHERE x.rep = y.rep AND x.month BETWEEN y.month - 11 AND y.month)) AS range_11,
       count(*) FILTER (WHERE s_gap::text IS NOT DISTINCT FROM (SELECT spm.accuracy_summary(x.f, x.a)::text FROM framed x
                                              WHERE x.rep = y.rep AND x.pos BETWEEN y.pos - 5 AND y.pos - 2)) AS rows_gap,
       count(*) FILTER (WHERE s_gap IS NULL) AS empty_frames,
       count(*) FILTER (WHERE wape_rows IS NOT DISTINCT FROM wape_sql AND mape_rows IS NOT DISTINCT FROM mape_sql
                          AND bias_rows IS NOT DISTINCT FROM bias_sql AND ts_rows IS NOT DISTINCT FROM ts_sql) AS same_as_plain_sql,
       count(*) FILTER (WHERE wape_rows IS NOT DISTINCT FROM spm.wape(s_rows) AND mape_rows IS NOT DISTINCT FROM spm.mape(s_rows)
                          AND bias_rows IS NOT DISTINCT FROM spm.bias(s_rows)
                          AND ts_rows IS NOT DISTINCT FROM spm.tracking_signal(s_rows)) AS one_liners_same_as_summary
FROM framed y;

-- roll-up law: monthly summaries per rep, rolled up to years, reps and everything, equal the
-- summary of the raw rows exactly; a rolling 12-month rollup equals the raw rows of its window
CREATE TABLE monthly AS SELECT rep, month, spm.accuracy_summary(f, a) AS s FROM gen GROUP BY rep, month;
SELECT count(*) AS groups, count(*) FILTER (WHERE r.s::text = w.s::text) AS same_summary,
       count(*) FILTER (WHERE spm.wape(r.s) IS NOT DISTINCT FROM spm.wape(w.s) AND spm.mape(r.s) IS NOT DISTINCT FROM spm.mape(w.s)
                          AND spm.bias(r.s) IS NOT DISTINCT FROM spm.bias(w.s)
                          AND spm.tracking_signal(r.s) IS NOT DISTINCT FROM spm.tracking_signal(w.s)) AS same_ratios
FROM (SELECT rep, (month - 1) / 12 AS year, spm.rollup(s) AS s FROM monthly GROUP BY ROLLUP (rep, (month - 1) / 12)) r
JOIN (SELECT rep, (month - 1) / 12 AS year, spm.accuracy_summary(f, a) AS s FROM gen GROUP BY ROLLUP (rep, (month - 1) / 12)) w
  ON r.rep IS NOT DISTINCT FROM w.rep AND r.year IS NOT DISTINCT FROM w.year;
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE rolled::text = (
         SELECT spm.accuracy_summary(x.f, x.a)::text FROM gen x WHERE x.rep = m.rep AND x.month BETWEEN m.month - 11 AND m.month))
       AS same_as_raw
FROM (SELECT rep, month, spm.rollup(s) OVER (PARTITION BY rep ORDER BY month RANGE BETWEEN 11 PRECEDING AND CURRENT ROW) AS rolled
      FROM monthly) m;
SELECT spm.rollup(s) IS NULL AS no_rows FROM monthly WHERE false;

-- parallel: Partial Aggregate plans equal the serial plans for every aggregate
CREATE TABLE big AS SELECT g.* FROM gen g, generate_series(1, 40) k;
ALTER TABLE big SET (parallel_workers = 2);
ANALYZE big;
CREATE TABLE big_monthly AS SELECT m.* FROM monthly m, generate_series(1, 40) k;
ALTER TABLE big_monthly SET (parallel_workers = 2);
ANALYZE big_monthly;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.accuracy_summary(f, a), spm.wape(f, a), spm.mape(f, a), spm.bias(f, a), spm.tracking_signal(f, a) FROM big;
EXPLAIN (COSTS OFF) SELECT spm.rollup(s) FROM big_monthly;
SELECT concat_ws(' ', spm.accuracy_summary(f, a), spm.wape(f, a), spm.mape(f, a), spm.bias(f, a), spm.tracking_signal(f, a))
       AS parallel_result FROM big \gset
SELECT spm.rollup(s)::text AS parallel_rollup FROM big_monthly \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT concat_ws(' ', spm.accuracy_summary(f, a), spm.wape(f, a), spm.mape(f, a), spm.bias(f, a),
                                              spm.tracking_signal(f, a)) FROM big) AS same_as_serial,
       :'parallel_rollup' = (SELECT spm.rollup(s)::text FROM big_monthly) AS rollup_same_as_serial,
       :'parallel_rollup' = (SELECT spm.accuracy_summary(f, a)::text FROM big) AS rollup_same_as_raw;
RESET ALL;

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT spm.wape(forecast, actual), spm.tracking_signal(spm.accuracy_summary(forecast, actual)) FROM public.months;
SELECT spm.mape(spm.rollup(s)) FROM (SELECT spm.accuracy_summary(forecast, actual) AS s FROM public.months GROUP BY rep) t;
RESET search_path;

-- ================================================================ time to close (survival)

-- the 6-MP arm of Freireich et al. (1963), remission in weeks, as textbooks tabulate it
-- (Klein & Moeschberger, Survival Analysis, 2nd ed., section 4.2; R's survival package);
-- closed = relapse observed, open = censored.  Published: S(6) 0.857, S(7) 0.807, S(10) 0.753,
-- S(13) 0.690, S(16) 0.627, S(22) 0.538, S(23) 0.448, median 23; standard errors 0.076, 0.087,
-- 0.096, 0.107, 0.114, 0.128, 0.135; log-log 95 % bands (R) 0.620-0.952 at 6, 0.188-0.680 at 23
CREATE TABLE mp (weeks int, closed boolean);
INSERT INTO mp VALUES (6, true), (6, true), (6, true), (6, false), (7, true), (9, false), (10, true),
  (10, false), (11, false), (13, true), (16, true), (17, false), (19, false), (20, false), (22, true),
  (23, true), (25, false), (32, false), (32, false), (34, false), (35, false);
SELECT spm.cycle_summary(weeks, closed) FROM mp;
SELECT t, spm.survival(s, t), round(spm.survival(s, t), 3) AS published,
       round(spm.survival(s, t) * sqrt(v), 3) AS greenwood_se,
       round(spm.survival_lower(s, t), 3) AS lower_95, round(spm.survival_upper(s, t), 3) AS upper_95
FROM (SELECT spm.cycle_summary(weeks, closed) AS s FROM mp) x,
     (VALUES (0, 0), (6, 3/(21*18.0)), (7, 3/(21*18.0) + 1/(17*16.0)), (10, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0)),
             (13, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0) + 1/(12*11.0)),
             (16, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0) + 1/(12*11.0) + 1/(11*10.0)),
             (22, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0) + 1/(12*11.0) + 1/(11*10.0) + 1/(7*6.0)),
             (23, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0) + 1/(12*11.0) + 1/(11*10.0) + 1/(7*6.0) + 1/(6*5.0)),
             (35, 3/(21*18.0) + 1/(17*16.0) + 1/(15*14.0) + 1/(12*11.0) + 1/(11*10.0) + 1/(7*6.0) + 1/(6*5.0)),
             (36, NULL)) v(t, v)
ORDER BY t;
-- by hand: S(6) = 18/21, S(7) = 18/21 * 16/17, ... S(23) = 18/21 * 16/17 * 14/15 * 11/12 * 10/11 * 6/7 * 5/6
SELECT round(18/21.0, 20) AS s6, round(18 * 16 * 14 * 11 * 10 * 6 * 5 / (21 * 17 * 15 * 12 * 11 * 7 * 6.0), 20) AS s23;
SELECT spm.cycle_quantile(s, 0.5) AS median, spm.cycle_quantile(s, 0.25) AS q25, spm.cycle_quantile(s, 0.6) AS q60,
       spm.close_within(s, 10, 10) AS open_at_10_closes_by_20, spm.closed_count(s), spm.open_count(s)
FROM (SELECT spm.cycle_summary(weeks, closed) AS s FROM mp) x;

-- ties: at a day with closings and censorings, the censored deals are still at risk
SELECT spm.survival(spm.cycle_summary(d, c), 3) AS two_of_four_close_at_3
FROM (VALUES (3, true), (3, true), (3, false), (3, false)) v(d, c);
-- exact ties of S with 1 - p are found: 5 of 10 deals closed by day 5, S(5) = 0.5 exactly
SELECT spm.cycle_quantile(spm.cycle_summary(g, true), 0.5) AS median, spm.survival(spm.cycle_summary(g, true), 5)
FROM generate_series(1, 10) g;
-- S reaches 0 when the longest deal closed: then defined for ever; the band is [0, 0]
SELECT spm.survival(s, 2) AS s2, spm.survival(s, 1000) AS s1000, spm.survival_lower(s, 50) AS lower,
       spm.cycle_quantile(s, 1) AS all_closed_by, spm.close_within(s, 2, 5) AS none_left
FROM (SELECT spm.cycle_summary(d, true) AS s FROM (VALUES (1), (2)) v(d)) x;
-- no closings yet: S is 1 and its band [1, 1]; no quantile
SELECT spm.survival(s, 5), spm.survival_lower(s, 5), spm.survival_upper(s, 5), spm.cycle_quantile(s, 0.5) IS NULL AS no_median
FROM (SELECT spm.cycle_summary(d, false) AS s FROM (VALUES (4), (9)) v(d)) x;
-- the band widens with the confidence
SELECT c, spm.survival_lower(s, 16, c), spm.survival_upper(s, 16, c)
FROM (SELECT spm.cycle_summary(weeks, closed) AS s FROM mp) x, unnest(ARRAY[0.5, 0.9, 0.95, 0.99]) c;

-- NULLs: a row without days or closed is no deal; no rows: NULL; an empty summary has no estimate
SELECT spm.cycle_summary(d, c) FROM (VALUES (NULL::int, true), (5, NULL)) v(d, c);
SELECT spm.cycle_summary(d, c) IS NULL AS no_rows FROM (VALUES (1, true)) v(d, c) WHERE false;
SELECT spm.survival('{}', 0) IS NULL AS survival, spm.cycle_quantile('{}', 0.5) IS NULL AS quantile,
       spm.close_within('{}', 0, 1) IS NULL AS close_within, spm.survival_lower('{}', 0) IS NULL AS band;

-- bad input
SELECT spm.cycle_summary(d, true) FROM (VALUES (3), (-2)) v(d);
SELECT spm.cycle_summary(d, false) FROM (VALUES (100001)) v(d);
SELECT spm.cycle_summary(d, true)::text FROM (VALUES (0), (100000)) v(d);
SELECT spm.survival('{1:1/0}', -1);
SELECT spm.close_within('{1:1/0}', 0, -5);
SELECT spm.cycle_quantile('{1:1/0}', 0);
SELECT spm.cycle_quantile('{1:1/0}', 1.5);
SELECT spm.cycle_quantile('{1:1/0}', 'NaN');
SELECT spm.survival_lower('{1:1/1}', 1, 1);

-- text I/O: reads back as the same value; malformed or impossible text is refused
SELECT s::text::spm.cycle_summary::text = s::text AS round_trip FROM (SELECT spm.cycle_summary(weeks, closed) AS s FROM mp) t;
SELECT ' { 3 : 1 / 2 , 7:0/1 } '::spm.cycle_summary AS spaces_allowed;
SELECT '{3:1/2,3:1/0}'::spm.cycle_summary;
SELECT '{7:1/2,3:1/0}'::spm.cycle_summary;
SELECT '{3:0/0}'::spm.cycle_summary;
SELECT '{3:-1/2}'::spm.cycle_summary;
SELECT '{100001:1/0}'::spm.cycle_summary;
SELECT '{3:1}'::spm.cycle_summary;
SELECT '{3:1/2'::spm.cycle_summary;
SELECT '{3:1/2} x'::spm.cycle_summary;
SELECT '(3:1/2)'::spm.cycle_summary;
SELECT '{1:9223372036854775807/0,2:1/0}'::spm.cycle_summary;
SELECT '{1:9223372036854775808/0}'::spm.cycle_summary;

-- binary I/O: out and back through COPY BINARY unchanged; impossible values refused with 08P01
CREATE TABLE cycle_io (s spm.cycle_summary);
INSERT INTO cycle_io SELECT spm.cycle_summary(weeks, closed) FROM mp
  UNION ALL SELECT '{}' UNION ALL SELECT '{0:9223372036854775806/1}' UNION ALL SELECT '{0:1/0,100000:0/7}';
COPY cycle_io TO '/tmp/spm_cycle_summary.bin' (FORMAT binary);
CREATE TABLE cycle_back (s spm.cycle_summary);
COPY cycle_back FROM '/tmp/spm_cycle_summary.bin' (FORMAT binary);
SELECT s FROM cycle_back ORDER BY s::text;
SELECT (SELECT array_agg(s::text ORDER BY s::text) FROM cycle_io) = (SELECT array_agg(s::text ORDER BY s::text) FROM cycle_back) AS unchanged;
-- version 1, 2 days: (5, 1, 0) then (3, 1, 0): out of order
COPY (SELECT '\x0100000002'::bytea || '\x00000005' || '\x0000000000000001' || '\x0000000000000000'
             || '\x00000003' || '\x0000000000000001' || '\x0000000000000000') TO '/tmp/spm_cycle_summary.bin' (FORMAT binary);
COPY cycle_back FROM '/tmp/spm_cycle_summary.bin' (FORMAT binary);
-- claims 2 days, holds 1
COPY (SELECT '\x0100000002'::bytea || '\x00000005' || '\x0000000000000001' || '\x0000000000000000') TO '/tmp/spm_cycle_summary.bin' (FORMAT binary);
COPY cycle_back FROM '/tmp/spm_cycle_summary.bin' (FORMAT binary);
-- version 2
COPY (SELECT '\x0200000000'::bytea) TO '/tmp/spm_cycle_summary.bin' (FORMAT binary);
COPY cycle_back FROM '/tmp/spm_cycle_summary.bin' (FORMAT binary);
-- a negative count
COPY (SELECT '\x0100000001'::bytea || '\x00000005' || '\xffffffffffffffff' || '\x0000000000000002') TO '/tmp/spm_cycle_summary.bin' (FORMAT binary);
COPY cycle_back FROM '/tmp/spm_cycle_summary.bin' (FORMAT binary);
DROP TABLE cycle_io, cycle_back;

-- support functions refuse to remove what was never added; counts never wrap
SELECT spm.cycle_summary_accum_inv(NULL, 1, true);
SELECT spm.cycle_summary_accum_inv('{1:0/1}', 1, true);
SELECT spm.cycle_summary_accum_inv('{1:1/1}', 1, true) AS removed, spm.cycle_summary_accum_inv('{1:1/0}', 1, true) AS emptied,
       spm.cycle_summary_accum_inv('{1:1/0}', NULL, true) AS skipped;
SELECT spm.cycle_summary_unmerge('{1:1/0,4:2/0}', '{4:3/0}');
SELECT spm.cycle_summary_unmerge('{1:1/0,4:2/0}', '{5:1/0}');
SELECT spm.cycle_summary_unmerge('{1:1/0,4:2/0}', '{4:2/0}') AS unmerged, spm.cycle_summary_merge('{1:1/0,4:2/0}', '{0:0/3,4:1/1}') AS merged;
SELECT spm.cycle_summary_accum('{1:9223372036854775807/0}', 1, true);
SELECT spm.cycle_summary_accum('{1:9223372036854775807/0}', 2, false);
SELECT spm.cycle_summary_merge('{1:9223372036854775807/0}', '{2:1/0}');

-- a plain-SQL reference, independent of spm: the exact products of the Kaplan-Meier factors as
-- integers (no rounding at all), then num / den rounded half away from zero to 20 decimals by
-- ref_round (above)
CREATE AGGREGATE ref_product(numeric) (SFUNC = numeric_mul, STYPE = numeric, INITCOND = '1');

-- 1,600 generated deals in 8 groups: durations 0 to 120 days with many ties, a third open
-- (censored), some NULLs; group 8 has no censoring (S reaches 0)
CREATE TABLE deals_gen AS
SELECT i AS id, 1 + (h1 % 8)::int AS g,
       CASE WHEN h2 % 53 = 0 THEN NULL ELSE (h3 % (30 + 11 * (h1 % 8)))::int END AS days,
       CASE WHEN h4 % 61 = 0 THEN NULL ELSE h1 % 8 = 7 OR h4 % 3 <> 0 END AS closed
FROM generate_series(1, 1600) i,
LATERAL (SELECT hashint8extended(i, 71) & 2147483647 AS h1, hashint8extended(i, 72) & 2147483647 AS h2,
                hashint8extended(i, 73) & 2147483647 AS h3, hashint8extended(i, 74) & 2147483647 AS h4) h;
ANALYZE deals_gen;
-- the risk table of each group: per distinct day, deals closed (d) and at risk (n); the exact
-- survival after that day as num / den
CREATE TABLE risk AS
WITH days AS (
  SELECT g, days AS day, count(*) FILTER (WHERE closed) AS d, count(*) FILTER (WHERE NOT closed) AS c
  FROM deals_gen WHERE days IS NOT NULL AND closed IS NOT NULL GROUP BY g, days
), at_risk AS (
  SELECT g, day, d, c, sum(d + c) OVER (PARTITION BY g ORDER BY day DESC) AS n FROM days
)
SELECT g, day, d, c, n,
       ref_product((n - d)::numeric) FILTER (WHERE d > 0) OVER w AS num,
       ref_product(n::numeric) FILTER (WHERE d > 0) OVER w AS den,
       sum(d::numeric / (n * (n - d))) FILTER (WHERE d > 0 AND n > d) OVER w AS greenwood
FROM at_risk WINDOW w AS (PARTITION BY g ORDER BY day);
SELECT count(*) AS deals, count(*) FILTER (WHERE closed) AS closed, count(*) FILTER (WHERE NOT closed) AS open,
       count(*) FILTER (WHERE days IS NULL OR closed IS NULL) AS skipped,
       (SELECT count(*) FROM risk) AS distinct_days, (SELECT max(length(den::text)) FROM risk) AS longest_denominator_digits
FROM deals_gen;
CREATE TABLE by_group AS SELECT g, spm.cycle_summary(days, closed) AS s FROM deals_gen GROUP BY g;
-- S(t) for every t from 0 to past the largest duration: the reference at the last day <= t
CREATE TABLE s_check AS
SELECT b.g, t, spm.survival(b.s, t) AS spm_s,
       CASE WHEN t <= (SELECT max(day) FROM risk r WHERE r.g = b.g)
              OR (SELECT c = 0 FROM risk r WHERE r.g = b.g ORDER BY day DESC LIMIT 1)
            THEN coalesce((SELECT ref_round(num, den) FROM risk r WHERE r.g = b.g AND r.day <= t AND num IS NOT NULL
                           ORDER BY day DESC LIMIT 1), 1.00000000000000000000) END AS ref_s,
       coalesce((SELECT r.num FROM risk r WHERE r.g = b.g AND r.day <= t AND num IS NOT NULL ORDER BY day DESC LIMIT 1), 1) AS num,
       coalesce((SELECT r.den FROM risk r WHERE r.g = b.g AND r.day <= t AND num IS NOT NULL ORDER BY day DESC LIMIT 1), 1) AS den,
       (SELECT r.greenwood FROM risk r WHERE r.g = b.g AND r.day <= t AND num IS NOT NULL ORDER BY day DESC LIMIT 1) AS v,
       spm.survival_lower(b.s, t) AS lower, spm.survival_upper(b.s, t) AS upper
FROM by_group b, generate_series(0, 125) t;
SELECT count(*) AS points, count(*) FILTER (WHERE spm_s IS NOT DISTINCT FROM ref_s) AS survival_equal,
       count(*) FILTER (WHERE spm_s IS NULL) AS undefined_past_the_data,
       count(*) FILTER (WHERE ref_s = 0) AS reached_zero
FROM s_check;
-- the log-log Greenwood band from S (num / den to 60 decimals) in plain SQL (numeric ln, exp, sqrt), within 1e-18
SELECT count(*) AS points_with_a_band,
       count(*) FILTER (WHERE abs(lower - exp(ln(s) * exp(z * sqrt(v) / abs(ln(s))))) <= 1e-18
                          AND abs(upper - exp(ln(s) * exp(-z * sqrt(v) / abs(ln(s))))) <= 1e-18) AS band_equal,
       count(*) FILTER (WHERE lower <= spm_s AND spm_s <= upper AND lower >= 0 AND upper <= 1) AS band_holds_s
FROM (SELECT *, div(num * 1e60, den) * 1e-60 AS s FROM s_check) c, (SELECT 1.959963984540054235524594430521 AS z) z
WHERE spm_s > 0 AND spm_s < 1;
-- quantiles: the smallest day whose exact S is <= 1 - p (num <= (1 - p) den, in integers)
SELECT count(*) AS quantiles, count(*) FILTER (WHERE spm.cycle_quantile(b.s, p) IS NOT DISTINCT FROM
         (SELECT min(day) FROM risk r WHERE r.g = b.g AND r.num IS NOT NULL AND r.num <= (1 - p) * r.den)) AS quantile_equal,
       count(*) FILTER (WHERE spm.cycle_quantile(b.s, p) IS NULL) AS not_reached
FROM by_group b, unnest(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9, 1]) p;
-- close_within(age, days) = 1 - S(age + days) / S(age), exactly
SELECT count(*) AS pairs, count(*) FILTER (WHERE spm.close_within(b.s, age, d) IS NOT DISTINCT FROM
         CASE WHEN sa.ref_s > 0 AND sb.ref_s IS NOT NULL THEN
           ref_round(sa.num * sb.den - sb.num * sa.den, sa.num * sb.den) END) AS close_within_equal,
       count(*) FILTER (WHERE spm.close_within(b.s, age, d) IS NULL) AS undefined
FROM by_group b, generate_series(0, 100, 7) age, unnest(ARRAY[0, 1, 14, 30]) d,
     s_check sa, s_check sb
WHERE sa.g = b.g AND sa.t = age AND sb.g = b.g AND sb.t = least(age + d, 125) AND age + d <= 125;

-- roll-up law: monthly (here: id-range) summaries rolled up equal the summary of the raw rows
CREATE TABLE cycle_parts AS SELECT g, id / 100 AS part, spm.cycle_summary(days, closed) AS s FROM deals_gen GROUP BY g, id / 100;
SELECT count(*) AS groups, count(*) FILTER (WHERE r.s::text = w.s::text) AS same_summary
FROM (SELECT g, spm.rollup(s) AS s FROM cycle_parts GROUP BY ROLLUP (g)) r
JOIN (SELECT g, spm.cycle_summary(days, closed) AS s FROM deals_gen GROUP BY ROLLUP (g)) w ON r.g IS NOT DISTINCT FROM w.g;
SELECT spm.rollup(s) IS NULL AS no_rows FROM cycle_parts WHERE false;

-- moving windows = the aggregate recomputed over every frame (removal leaves no empty days)
CREATE TABLE cycle_framed AS
SELECT d.*, row_number() OVER (PARTITION BY g ORDER BY id) AS pos,
       spm.cycle_summary(days, closed) OVER (PARTITION BY g ORDER BY id ROWS 30 PRECEDING) AS s_rows,
       spm.cycle_summary(days, closed) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 9 PRECEDING AND 3 PRECEDING) AS s_gap
FROM deals_gen d;
SELECT count(*) AS rows_checked,
       count(*) FILTER (WHERE s_rows::text = (SELECT spm.cycle_summary(x.days, x.closed)::text FROM cycle_framed x
                                              WHERE x.g = y.g AND x.pos BETWEEN y.pos - 30 AND y.pos)) AS rows_30,
       count(*) FILTER (WHERE s_gap::text IS NOT DISTINCT FROM (SELECT spm.cycle_summary(x.days, x.closed)::text FROM cycle_framed x
                                              WHERE x.g = y.g AND x.pos BETWEEN y.pos - 9 AND y.pos - 3)) AS rows_gap
FROM cycle_framed y;
SELECT count(*) AS rows_checked, count(*) FILTER (WHERE rolled::text = (
         SELECT spm.cycle_summary(x.days, x.closed)::text FROM deals_gen x WHERE x.g = m.g AND x.id / 100 BETWEEN m.part - 3 AND m.part))
       AS rolling_rollup_same_as_raw
FROM (SELECT g, part, spm.rollup(s) OVER (PARTITION BY g ORDER BY part RANGE BETWEEN 3 PRECEDING AND CURRENT ROW) AS rolled
      FROM cycle_parts) m;

-- parallel: Partial Aggregate plans equal the serial plans
CREATE TABLE cycle_big AS SELECT d.* FROM deals_gen d, generate_series(1, 40) k;
ALTER TABLE cycle_big SET (parallel_workers = 2);
ANALYZE cycle_big;
CREATE TABLE cycle_big_parts AS SELECT p.* FROM cycle_parts p, generate_series(1, 40) k;
ALTER TABLE cycle_big_parts SET (parallel_workers = 2);
ANALYZE cycle_big_parts;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.cycle_summary(days, closed) FROM cycle_big;
EXPLAIN (COSTS OFF) SELECT spm.rollup(s) FROM cycle_big_parts;
SELECT spm.cycle_summary(days, closed)::text AS parallel_result FROM cycle_big \gset
SELECT spm.rollup(s)::text AS parallel_rollup FROM cycle_big_parts \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT spm.cycle_summary(days, closed)::text FROM cycle_big) AS same_as_serial,
       :'parallel_rollup' = (SELECT spm.rollup(s)::text FROM cycle_big_parts) AS rollup_same_as_serial,
       :'parallel_rollup' = :'parallel_result' AS rollup_same_as_raw;
RESET ALL;

-- search_path safety
SET search_path = pg_catalog;
SELECT spm.cycle_quantile(spm.rollup(s), 0.5), spm.survival(spm.rollup(s), 10) FROM public.by_group;
RESET search_path;

DROP TABLE mp, deals_gen, risk, by_group, s_check, cycle_parts, cycle_framed, cycle_big, cycle_big_parts;
DROP AGGREGATE ref_product(numeric);

-- the tests of other areas share this database
DROP TABLE months, gen, by_rep, framed, monthly, big, big_monthly CASCADE;
DROP FUNCTION ref_round(numeric, numeric);
