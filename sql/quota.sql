-- quota & attainment
\set VERBOSITY default

-- attainment: actual / quota
SELECT spm.attainment(125000.00, 100000.00) AS over_quota,
       spm.attainment(0, 80000) AS nothing_sold,
       spm.attainment(-1500.00, 60000.00) AS clawed_back,
       spm.attainment(1, 3) AS one_third;
-- a zero or NULL quota gives NULL, so BI tools never divide by zero
SELECT spm.attainment(500, 0) IS NULL AS zero_quota, spm.attainment(500, NULL) IS NULL AS null_quota,
       spm.attainment(NULL, 100) IS NULL AS null_actual;
-- bad input
SELECT spm.attainment(100, -5);
SELECT spm.attainment(100, 'NaN');
SELECT spm.attainment('Infinity', 100);
SELECT spm.attainment(100, '-Infinity');

-- group attainment is sum(actual) / sum(quota), not the average of ratios
CREATE TABLE reps (rep text, region text, actual numeric(12,2), quota numeric(12,2));
INSERT INTO reps VALUES
  ('ana',  'east', 150000.00, 100000.00),
  ('bo',   'east',  10000.00,  50000.00),
  ('cy',   'west',  90000.00, 120000.00),
  ('dee',  'west',      NULL,  80000.00),   -- no sales yet: counts as quota with no actual
  ('eve',  'west',  20000.00,      NULL),   -- no quota row: actual counts, quota does not
  ('fay',  'north',     0.00,      0.00);
SELECT region, spm.group_attainment(actual, quota) AS attainment,
       sum(actual) / NULLIF(sum(quota), 0) AS plain_sql,
       avg(spm.attainment(actual, quota)) AS wrong_average_of_ratios
FROM reps GROUP BY region ORDER BY region;
SELECT spm.group_attainment(actual, quota) FROM reps;
-- empty input and all-zero quotas give NULL
SELECT spm.group_attainment(actual, quota) IS NULL AS empty FROM reps WHERE false;
-- bad rows are refused, not skipped
SELECT spm.group_attainment(a, q) FROM (VALUES (1::numeric, 10::numeric), (1, -10)) v(a, q);
SELECT spm.group_attainment(a, q) FROM (VALUES (1::numeric, 10::numeric), ('NaN', 10)) v(a, q);

-- as a moving window (exact inverse): running and trailing-two attainment
SELECT rep, spm.group_attainment(actual, quota) OVER (ORDER BY rep) AS running,
       spm.group_attainment(actual, quota) OVER (ORDER BY rep ROWS 1 PRECEDING) AS trailing_two
FROM reps ORDER BY rep;

-- the state is a real type, spm.attainment_state: its text form reads back, and
-- combine and final work on stored states
SELECT spm.attainment_accum(spm.attainment_accum(NULL, 1250.50, 1000), 0.25, NULL);
SELECT spm.attainment_final('(actual=150000.00,quota=100000.00)');
SELECT spm.attainment_combine('(actual=1,quota=2)', '( actual = 3.5 , quota = 4 )');
SELECT '(actual=-12.5e2,quota=0)'::spm.attainment_state;
-- corrupted text is refused with the expected form in the hint
SELECT '{1,2}'::spm.attainment_state;
SELECT '(actual=1)'::spm.attainment_state;
SELECT '(quota=1,actual=2)'::spm.attainment_state;
SELECT '(actual=1,quota=2) x'::spm.attainment_state;
SELECT '(actual=NaN,quota=2)'::spm.attainment_state;
SELECT '(actual=1,quota=Infinity)'::spm.attainment_state;
SELECT '(actual=1.2.3,quota=2)'::spm.attainment_state;
SELECT '(actual=,quota=2)'::spm.attainment_state;
SELECT ''::spm.attainment_state;
-- a stored state with a negative quota sum is refused when read
SELECT spm.attainment_final('(actual=1,quota=-2)');

-- the fast path decodes numerics straight from their digits: every generated value
-- (signs, magnitudes 1e-30 .. 1e40, display scales 0 .. 40) reads back exactly as
-- numeric_out prints it, also past 128 bits where the state falls back to numeric
WITH v AS (
  SELECT i, round(CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END * (hashint4(i) % 1000000) * ('1e' || (i % 71 - 30))::numeric,
                  i % 41) AS value
  FROM generate_series(1, 5000) i
)
SELECT count(*) AS values_checked,
       count(*) FILTER (WHERE spm.attainment_accum(NULL, value, 0)::text
                              <> format('(actual=%s,quota=0)', value)) AS misread,
       count(DISTINCT scale(value)) AS display_scales
FROM v;
-- and sums of them equal numeric's sum, per group, to the last digit shown (an
-- aggregate returning the state itself shows the sums)
CREATE AGGREGATE attainment_state_of(numeric, numeric) (
  SFUNC = spm.attainment_accum, STYPE = spm.attainment_state,
  COMBINEFUNC = spm.attainment_combine);
WITH v AS (
  SELECT i, i % 50 AS g,
         round(CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END * (hashint4(i) % 1000000) * ('1e' || (i % 61 - 30))::numeric, i % 31) AS value
  FROM generate_series(1, 20000) i
)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE state::text <> format('(actual=%s,quota=%s)', actual, quota)) AS wrong
FROM (SELECT g, attainment_state_of(value, i) AS state, sum(value) AS actual, sum(i) AS quota
      FROM v GROUP BY g) s;
-- a state whose sums pass 128 bits keeps going, exactly, in numeric
SELECT spm.attainment_accum(spm.attainment_accum(NULL, 99999999999999999999999999999999999999, 1),
                            99999999999999999999999999999999999999, 1);
SELECT spm.group_attainment(a, 1) = sum(a) / count(*) AS exact_past_128_bits
FROM (VALUES (1e37), (9e37), (9e37), (-1e37), (0.000000000000000000001)) t(a);

-- regression: zeros of ever larger display scale pushed a sum's scale past 38 and a
-- long value then overflowed the output buffer (crash); scales past 38 now sum in numeric
SELECT spm.group_attainment(a, 1 ORDER BY o) = sum(a) / count(*) AS exact,
       attainment_state_of(a, 1 ORDER BY o)::text = format('(actual=%s,quota=6)', sum(a)) AS same_digits
FROM (VALUES (1, 0e-38), (2, 0e-76), (3, 0e-114), (4, 0e-152), (5, 0e-190),
             (6, 12345678901234567890e-190)) v(o, a);

-- regression: a moving window kept the largest display scale after its value left the
-- frame, and the division then rounded at a different scale; now the window recomputes
SELECT o, spm.group_attainment(a, q) OVER w AS moving, sum(a) OVER w / sum(q) OVER w AS plain
FROM (VALUES (1, 0.000000000000000000001, 3), (2, 1, 3), (3, 1, 3), (4, 1, 3)) v(o, a, q)
WINDOW w AS (ORDER BY o ROWS 1 PRECEDING) ORDER BY o;
-- and on 3,000 generated rows of mixed display scales, every moving frame prints exactly
-- what sum() / sum() over the same frame prints (ROWS and RANGE frames, NULLs, empty frames)
WITH v AS (
  SELECT i, i % 7 AS g, i / 3 AS day,
         CASE WHEN i % 11 = 0 THEN NULL
              ELSE round((hashint4(i) % 100000) * ('1e' || (i % 9 - 4))::numeric, i % 6) END AS a,
         CASE WHEN i % 13 = 0 THEN NULL ELSE round(abs(hashint4(-i) % 1000) / 10.0, i % 3) END AS q
  FROM generate_series(1, 3000) i
), w AS (
  SELECT spm.group_attainment(a, q) OVER r AS moving_rows, sum(a) OVER r / nullif(sum(q) OVER r, 0) AS plain_rows,
         spm.group_attainment(a, q) OVER d AS moving_range, sum(a) OVER d / nullif(sum(q) OVER d, 0) AS plain_range,
         spm.group_attainment(a, q) OVER e AS moving_empty, sum(a) OVER e / nullif(sum(q) OVER e, 0) AS plain_empty
  FROM v
  WINDOW r AS (PARTITION BY g ORDER BY i ROWS BETWEEN 5 PRECEDING AND CURRENT ROW),
         d AS (PARTITION BY g ORDER BY day RANGE BETWEEN 20 PRECEDING AND CURRENT ROW),
         e AS (PARTITION BY g ORDER BY i ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING)
)
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving_rows::text IS DISTINCT FROM plain_rows::text) AS rows_differ,
       count(*) FILTER (WHERE moving_range::text IS DISTINCT FROM plain_range::text) AS range_differ,
       count(*) FILTER (WHERE moving_empty::text IS DISTINCT FROM plain_empty::text) AS empty_differ,
       count(*) FILTER (WHERE plain_empty IS NULL) AS empty_or_zero_frames
FROM w;

-- binary I/O: a state goes out and back through COPY BINARY unchanged, and bytes that
-- are not a state are refused (a bytea column's raw bytes fed to attainment_state_recv)
SELECT format('/tmp/spm_quota_state_%s.bin', pg_backend_pid()) AS state_file \gset
CREATE TABLE state_io (s spm.attainment_state);
INSERT INTO state_io VALUES ('(actual=1250.50,quota=99999999999999999999999999999999999999.5)');
COPY state_io TO :'state_file' (FORMAT binary);
CREATE TABLE state_back (s spm.attainment_state);
COPY state_back FROM :'state_file' (FORMAT binary);
SELECT s FROM state_back;
CREATE TABLE raw_bytes (n int, b bytea);
INSERT INTO raw_bytes VALUES (1, '\x02000200'), (2, '\x01000300'), (3, '\x0100020000000004');
COPY (SELECT b FROM raw_bytes WHERE n = 1) TO :'state_file' (FORMAT binary);
COPY state_back FROM :'state_file' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE n = 2) TO :'state_file' (FORMAT binary);
COPY state_back FROM :'state_file' (FORMAT binary);
COPY (SELECT b FROM raw_bytes WHERE n = 3) TO :'state_file' (FORMAT binary);
COPY state_back FROM :'state_file' (FORMAT binary);
DROP TABLE state_io, state_back, raw_bytes;

-- a parallel plan (Partial Aggregate in workers, combined by attainment_combine)
-- gives the same answer as a serial one
CREATE TABLE big AS
  SELECT i % 37 AS rep, ((i * 7919) % 100000) / 100.0 AS actual, (1000 + i % 500)::numeric(12,2) AS quota
  FROM generate_series(1, 200000) i;
ANALYZE big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.group_attainment(actual, quota) FROM big;
SELECT spm.group_attainment(actual, quota) AS parallel_result FROM big \gset
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT spm.group_attainment(actual, quota) FROM big;
SELECT :'parallel_result'::numeric AS a,
       :'parallel_result'::numeric = (SELECT spm.group_attainment(actual, quota) FROM big) AS same_as_serial,
       :'parallel_result'::numeric = (SELECT sum(actual) / sum(quota) FROM big) AS same_as_plain_sql;
RESET ALL;

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT spm.group_attainment(actual, quota) FROM public.reps;
RESET search_path;

-- allocate: exact split by weights, parts are whole cents and sum exactly to the total
SELECT spm.allocate(100.00, ARRAY[1, 1, 1]) AS thirds,
       spm.allocate(100, ARRAY[1, 1, 1], 0) AS whole_units,
       spm.allocate(-100.00, ARRAY[1, 1, 1]) AS negative_total;
SELECT spm.allocate(1000000, ARRAY[30, 25, 25, 20]) AS quarters,
       spm.allocate(1000000, ARRAY[0.3, 0.25, 0.25, 0.2], -3) AS in_thousands;
-- ties go to the earlier part; all-zero weights split evenly; NULL weights take no part
SELECT spm.allocate(0.05, ARRAY[1, 1]) AS tie, spm.allocate(10.00, ARRAY[0, 0, 0]) AS even,
       spm.allocate(10.00, ARRAY[1, NULL, 3]) AS with_null, spm.allocate(0, ARRAY[5, 5]) AS nothing;
-- bad input
SELECT spm.allocate(100.005, ARRAY[1, 1]);
SELECT spm.allocate(100, ARRAY[1, -1]);
SELECT spm.allocate(100, ARRAY[1, 'NaN']::numeric[]);
SELECT spm.allocate('Infinity', ARRAY[1]);
SELECT spm.allocate(100, '{}');
SELECT spm.allocate(100, ARRAY[NULL, NULL]::numeric[]) AS all_null_weights_allocate_nothing;
SELECT spm.allocate(100, ARRAY[[1, 2], [3, 4]]);
SELECT spm.allocate(100, ARRAY[1], 13);
SELECT spm.allocate(100000000000000000000, ARRAY[1]);
SELECT spm.allocate(NULL, ARRAY[1]) IS NULL AS null_total;

-- the two laws over 600 generated cases: exact sum, and each part within one cent of its share
-- (also the regression test for a crash on 8-byte-aligned 128-bit scratch with many parts)
WITH cases AS (
  SELECT c, ((c * 7919) % 10000000) / 100.0 * (CASE WHEN c % 5 = 0 THEN -1 ELSE 1 END) AS total,
         array_agg(((c * 31 + k * 17) % 97) / (CASE WHEN c % 3 = 0 THEN 10.0 ELSE 1 END)
                   ORDER BY k) AS weights
  FROM generate_series(1, 600) c, generate_series(1, 1 + c % 13) k
  GROUP BY c
), split AS (
  SELECT c, total, weights, spm.allocate(total, weights) AS parts FROM cases
), checked AS (
  SELECT c, total, (SELECT sum(p) FROM unnest(parts) p) AS parts_sum,
         (SELECT bool_and(abs(p - CASE WHEN ws = 0 THEN total / n ELSE total * w / ws END) < 0.01)
            FROM unnest(parts, weights) AS u(p, w),
                 LATERAL (SELECT sum(x) AS ws, count(*) AS n FROM unnest(weights) x) t) AS within_a_cent
  FROM split
)
SELECT count(*) AS cases, count(*) FILTER (WHERE parts_sum = total) AS exact_sum,
       count(*) FILTER (WHERE within_a_cent) AS within_one_unit
FROM checked;

-- weights past 64-bit units (ratios with 20 decimals, huge values) are allocated in numeric
-- arithmetic by the same largest-remainder method
SELECT spm.allocate(100, ARRAY[1, 1 / 3.0]) AS a_third, spm.allocate(100.00, ARRAY[1 / 3.0, 2 / 3.0]) AS thirds,
       spm.allocate(10.00, ARRAY[1e30, 2e30, 1]) AS huge;
-- against a plain-SQL largest remainder over 300 generated cases of 20-decimal weights
WITH cases AS (
  SELECT c, ((c * 7919) % 10000000) / 100.0 * (CASE WHEN c % 5 = 0 THEN -1 ELSE 1 END) AS total,
         array_agg(((c * 31 + k * 17) % 97) / 7.0 ORDER BY k) AS weights
  FROM generate_series(1, 300) c, generate_series(1, 1 + c % 13) k
  GROUP BY c
), shares AS (
  SELECT c, k, w, abs(total) * 100 AS units, sign(total) AS sign,
         trunc(abs(total) * 100 * w / sum(w) OVER (PARTITION BY c)) AS whole,
         abs(total) * 100 * w - trunc(abs(total) * 100 * w / sum(w) OVER (PARTITION BY c)) * sum(w) OVER (PARTITION BY c) AS remainder
  FROM cases, unnest(weights) WITH ORDINALITY u(w, k)
), reference AS (
  SELECT c, array_agg(sign * (whole + CASE WHEN rank <= units - given THEN 1 ELSE 0 END) / 100 ORDER BY k) AS parts
  FROM (SELECT *, sum(whole) OVER (PARTITION BY c) AS given,
               row_number() OVER (PARTITION BY c ORDER BY remainder DESC, k) AS rank
        FROM shares) s
  GROUP BY c
)
SELECT count(*) AS cases, count(*) FILTER (WHERE spm.allocate(total, weights) = r.parts) AS equal_to_reference
FROM cases JOIN reference r USING (c);

-- allocate_share: the same allocation as a window function, spreading a team target over rep rows
CREATE TABLE team_reps (team text, rep text, last_year numeric(12,2), target numeric(12,2));
INSERT INTO team_reps VALUES
  ('east', 'ana', 300000.00, 1000000.00), ('east', 'bo', 200000.00, 1000000.00),
  ('east', 'cy', 100000.00, 1000000.00),
  ('west', 'dee', 50000.00, 500000.01), ('west', 'eve', 50000.00, 500000.01),
  ('west', 'new', NULL, 500000.01);
SELECT team, rep, last_year,
       spm.allocate_share(target, last_year) OVER (PARTITION BY team ORDER BY rep) AS quota
FROM team_reps ORDER BY team, rep;
SELECT team, sum(quota) AS allocated, min(target) AS target FROM (
  SELECT team, target, spm.allocate_share(target, last_year) OVER (PARTITION BY team ORDER BY rep) AS quota
  FROM team_reps) s GROUP BY team ORDER BY team;
-- whole thousands
SELECT rep, spm.allocate_share(target, last_year, -3) OVER (PARTITION BY team ORDER BY rep)
FROM team_reps WHERE team = 'east' ORDER BY rep;
-- a team of new hires only (no history: NULL weights) gets NULLs; the other teams are allocated
SELECT team, rep, spm.allocate_share(target, last_year) OVER (PARTITION BY team ORDER BY rep) AS quota
FROM (SELECT * FROM team_reps UNION ALL VALUES ('north', 'nia', NULL::numeric, 300000.00), ('north', 'ola', NULL, 300000.00)) t
ORDER BY team, rep;
-- the window and the array forms agree on every generated case
WITH rows AS (
  SELECT c, k, ((c * 7919) % 10000000) / 100.0 AS total, ((c * 31 + k * 17) % 97)::numeric AS w
  FROM generate_series(1, 200) c, generate_series(1, 1 + c % 11) k
), by_window AS (
  SELECT c, array_agg(part ORDER BY k) AS parts FROM (
    SELECT c, k, spm.allocate_share(total, w) OVER (PARTITION BY c ORDER BY k) AS part FROM rows) s
  GROUP BY c
), by_array AS (
  SELECT c, spm.allocate(min(total), array_agg(w ORDER BY k)) AS parts FROM rows GROUP BY c
)
SELECT count(*) AS cases, count(*) FILTER (WHERE a.parts = w.parts) AS same
FROM by_array a JOIN by_window w USING (c);
-- bad input: totals must agree within a partition, and must not be NULL
-- (a NULL total on the first row once crashed the backend: regression test)
SELECT spm.allocate_share(t, 1) OVER () FROM (VALUES (100), (200)) v(t);
SELECT spm.allocate_share(t, 1) OVER () FROM (VALUES (NULL::numeric), (200)) v(t);
SELECT spm.allocate_share(100, w) OVER () FROM (VALUES (1), (-1)) v(w);
SELECT spm.allocate_share(100, 1, s) OVER () FROM (VALUES (2), (3)) v(s);
SELECT spm.allocate_share(100, 1, s) OVER () FROM (VALUES (2), (NULL)) v(s);
-- prorate_days: quota * active days / period days, rounded half away from zero exactly
SELECT spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-07-01', NULL)) AS joined_july,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2025-06-01', '2026-03-15')) AS left_march,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange(NULL, NULL)) AS whole_year,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), 'empty') AS never_active,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2027-02-01', NULL)) AS after_period;
-- rounding: 1 * 1/3 at 2, 0 and 6 decimals; exact halves go away from zero
SELECT spm.prorate_days(1, daterange('2026-01-01', '2026-01-04'), daterange('2026-01-01', '2026-01-02')) AS third,
       spm.prorate_days(1, daterange('2026-01-01', '2026-01-04'), daterange('2026-01-01', '2026-01-02'), 6) AS third_6,
       spm.prorate_days(0.01, daterange('2026-01-01', '2026-01-03'), daterange('2026-01-01', '2026-01-02')) AS half_cent,
       spm.prorate_days(0.1, daterange('2026-01-01', '2026-01-03'), daterange('2026-01-01', '2026-01-02'), 1) AS half_tenth,
       spm.prorate_days(10000, daterange('2026-01-01', '2026-01-03'), daterange('2026-01-01', '2026-01-02'), -4) AS half_ten_thousand,
       spm.prorate_days(100, daterange('2026-01-01', '2026-01-08'), '[2026-01-01,2026-01-03]') AS inclusive_upper;
-- not double rounding: 0.0049999... must not round up through 0.005
SELECT spm.prorate_days(0.004999999999999999999999, daterange('2026-01-01', '2026-01-02'), daterange(NULL, NULL)) AS just_below_half,
       spm.prorate_days(0.0149999999999999999999999999 * 3, daterange('2026-01-01', '2026-01-04'), daterange('2026-01-01', '2026-01-02')) AS third_just_below_half;
-- bad input
SELECT spm.prorate_days(100, 'empty', daterange('2026-01-01', NULL));
SELECT spm.prorate_days(100, daterange('2026-01-01', NULL), daterange('2026-01-01', NULL));
SELECT spm.prorate_days(100, daterange(NULL, '2026-01-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_days(100, daterange('-infinity', '2026-01-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_days(100, daterange('2026-02-01', '2026-01-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_days(-100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_days('NaN', daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), 13);
SELECT spm.prorate_days(NULL, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL)) IS NULL AS null_quota,
       spm.prorate_days(100, NULL, daterange('2026-01-01', NULL)) IS NULL AS null_period,
       spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), NULL) IS NULL AS null_active;

-- prorate_months: a month counts when active on at least min(min_days, days in the month) of its days
SELECT spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-03-18', NULL)) AS from_18_march,
       spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-03-16', NULL)) AS from_16_march,
       spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-02-14', '2026-06-16')) AS feb_14_to_jun_15,
       spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-02-01', '2026-03-01'), 31) AS feb_with_min_31,
       spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-01', NULL)) AS whole_quarter,
       spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-18', NULL)) AS two_thirds,
       spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), 'empty') AS never_active;
-- bad input
SELECT spm.prorate_months(100, daterange('2026-01-02', '2026-04-01'), daterange('2026-01-01', NULL));
SELECT spm.prorate_months(100, '[2026-01-01,2026-03-31)', daterange('2026-01-01', NULL));
SELECT spm.prorate_months(100, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-01', NULL), 0);
SELECT spm.prorate_months(100, 'empty', daterange('2026-01-01', NULL));
SELECT spm.prorate_months(-1, daterange('2026-01-01', '2026-04-01'), daterange('2026-01-01', NULL));

-- seasonal weights: Q4 carries 2/5 of 120000 = 48000, and a rep active from 2026-12-01 gets 31/92 of it
SELECT spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-12-01', NULL),
                        ARRAY[1, 1, 1, 2]) AS q4_weighted,
       round(48000 * 31 / 92.0, 2) AS by_hand,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange(NULL, NULL),
                        ARRAY[1, 1, 1, 2]) AS whole_year,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-07-01', NULL),
                        ARRAY[1]) AS one_weight_is_plain_days,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange('2026-02-15', '2026-08-15'),
                        ARRAY[0.1, 0.2, 0.3, 0.4], 0) AS mid_quarters;
-- ten years in 120 monthly weights (the common denominator is the lcm of the month lengths,
-- not their product), against a 40-decimal numeric reference
WITH months AS (
  SELECT i, m::date AS lo, (m + interval '1 month')::date AS hi, 1 + (i % 7) AS w
  FROM generate_series(0, 119) i, LATERAL (SELECT date '2020-01-01' + i * interval '1 month') t(m))
SELECT spm.prorate_days(1000000, daterange('2020-01-01', '2030-01-01'), daterange('2023-02-17', '2028-11-03'),
                        (SELECT array_agg(w ORDER BY i) FROM months)) AS spm,
       round(1000000 * (SELECT sum(w * greatest(0, least(hi, date '2028-11-03') - greatest(lo, date '2023-02-17'))
                                   / (hi - lo)::numeric(60, 40)) FROM months)
                     / (SELECT sum(w) FROM months), 2) AS reference;
-- 24 sub-periods of 2,500,000 months: their lengths' lcm would overflow 64 bits; it is taken in
-- numeric (the rep is active inside the first sub-period only)
SELECT spm.prorate_days(1000000000000, daterange('0001-01-01', '5000001-01-01'), daterange('0001-02-10', '2026-11-20'),
                        array_fill(1, ARRAY[24])) AS spm,
       round(1000000000000 * (date '2026-11-20' - date '0001-02-10')
             / (24 * (make_date(208334, 5, 1) - date '0001-01-01'))::numeric, 2) AS reference;
-- bad input
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, 1, 1, 1, 1]);
SELECT spm.prorate_days(100, daterange('2026-01-15', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, 1]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), '{}'::numeric[]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, NULL]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, -1]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[1, 'NaN']::numeric[]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[0, 0]);
SELECT spm.prorate_days(100, daterange('2026-01-01', '2027-01-01'), daterange('2026-01-01', NULL), ARRAY[[1, 2], [3, 4]]);

-- ramp_quota and tenure_month
SELECT m, spm.tenure_month('2026-03-20', m) AS tenure,
       spm.ramp_quota(10000.00, spm.tenure_month('2026-03-20', m), ARRAY[0.25, 0.5, 0.75]) AS quota
FROM unnest(ARRAY['2026-02-01', '2026-03-01', '2026-04-30', '2026-05-01', '2026-06-01', '2027-03-01']::date[]) m;
SELECT spm.ramp_quota(10000, 2, '{}') AS empty_schedule, spm.ramp_quota(10000, 0, ARRAY[0.5]) AS before_hire,
       spm.ramp_quota(10000, 1, ARRAY[1]) AS full_from_the_start;
-- bad input
SELECT spm.ramp_quota(10000, 1, ARRAY[0.5, NULL]);
SELECT spm.ramp_quota(10000, 1, ARRAY[0.5, -0.1]);
SELECT spm.ramp_quota(10000, 1, ARRAY[50, 75]);
SELECT spm.ramp_quota(10000, 1, ARRAY[0.5, 'Infinity']::numeric[]);
SELECT spm.ramp_quota(-10000, 1, ARRAY[0.5]);
SELECT spm.ramp_quota(10000, 1, ARRAY[[0.5], [1]]);
SELECT spm.tenure_month('infinity', '2026-01-01');
SELECT spm.ramp_quota(10000, NULL, ARRAY[0.5]) IS NULL AS null_tenure, spm.tenure_month(NULL, '2026-01-01') IS NULL AS null_hire;

-- recipe (doc/quota.md): seasonal months, a ramp and a mid-month start
WITH months AS (
  SELECT m::date AS month FROM generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m),
seasonal AS (   -- 120,000 a year, quarter-end months twice the others, exact to the cent
  SELECT month, spm.allocate_share(120000.00, CASE WHEN extract(month FROM month) IN (3, 6, 9, 12) THEN 2 ELSE 1 END)
                  OVER (ORDER BY month) AS month_quota
  FROM months)
SELECT month, month_quota, spm.tenure_month('2026-03-20', month) AS tenure,
       spm.prorate_days(spm.ramp_quota(month_quota, spm.tenure_month('2026-03-20', month), ARRAY[0.25, 0.5, 0.75]),
                        daterange(month, (month + interval '1 month')::date), daterange('2026-03-20', NULL)) AS quota
FROM seasonal ORDER BY month;
-- pacing and run_rate: plain numeric divisions
SELECT d, spm.pacing(30000, 120000, daterange('2026-01-01', '2027-01-01'), d) AS pacing,
       spm.run_rate(30000, daterange('2026-01-01', '2027-01-01'), d) AS run_rate
FROM unnest(ARRAY['2025-12-31', '2026-01-01', '2026-03-31', '2026-07-02', '2026-12-31', '2027-06-30']::date[]) d;
SELECT spm.pacing(100, 0, daterange('2026-01-01', '2027-01-01'), '2026-06-30') IS NULL AS zero_quota,
       spm.pacing(-50, 100, daterange('2026-01-01', '2026-01-11'), '2026-01-05') AS clawback;
-- bad input
SELECT spm.pacing(100, -1, daterange('2026-01-01', '2027-01-01'), '2026-06-30');
SELECT spm.pacing('NaN', 1, daterange('2026-01-01', '2027-01-01'), '2026-06-30');
-- an empty period expects nothing: pacing over period * active, for a rep who left before it
SELECT spm.pacing(0, 100, daterange('2027-04-01', '2027-07-01') * daterange('2026-01-01', '2027-03-15'), '2027-05-01') AS left_before,
       spm.run_rate(0, 'empty', '2027-05-01') AS empty_run_rate,
       spm.pacing(50, 100, daterange('2027-04-01', '2027-07-01') * daterange('2027-05-01', NULL), '2027-06-01') AS joined_mid_quarter;
SELECT spm.run_rate(100, daterange('2026-01-01', NULL), '2026-06-30');
SELECT spm.run_rate(100, daterange('2026-01-01', '2027-01-01'), 'infinity');
SELECT spm.run_rate(NULL, daterange('2026-01-01', '2027-01-01'), '2026-06-30') IS NULL AS null_actual;

-- arrays subscripted from elsewhere than 1 (regression tests: parts once lost their positions,
-- and a ramp schedule was misread)
SELECT spm.allocate(100.00, '[0:2]={1,1,1}'::numeric[]) AS zero_based;
SELECT spm.ramp_quota(100000, 1, '[0:2]={0.25,0.5,0.75}'::numeric[]);
