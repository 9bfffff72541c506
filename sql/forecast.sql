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

-- the tests of other areas share this database
DROP TABLE months, gen, by_rep, framed, monthly, big, big_monthly CASCADE;
DROP FUNCTION ref_round(numeric, numeric);
