-- the range of the forecast: spm.forecast_range over (amount, probability[, resolution]),
-- the spm.bookings_range summary and its accessors
\set VERBOSITY default

-- three open deals, by hand: totals 0 and 100 each 0.3375, 200 0.1125, 300 0.15
-- (300 alone 0.0375 + 100 and 200 0.1125), 400 0.0375, 500 0.0125, 600 0.0125
CREATE TABLE range_deals (id int, amount numeric, probability numeric);
INSERT INTO range_deals VALUES (1, 100, 0.5), (2, 200, 0.25), (3, 300, 0.1), (4, NULL, 0.5), (5, 50, NULL);
SELECT spm.forecast_range(amount, probability) FROM range_deals;
SELECT spm.forecast_range(amount, probability) AS s FROM range_deals \gset
SELECT spm.expected_bookings(:'s'), spm.bookings_variance(:'s'), spm.range_method(:'s');
-- by hand: 100 * 0.5 + 200 * 0.25 + 300 * 0.1; 100^2 * 0.25 + 200^2 * 0.1875 + 300^2 * 0.09
SELECT 100 * 0.5 + 200 * 0.25 + 300 * 0.1 AS mean_by_hand,
       100^2 * 0.25 + 200^2 * 0.1875 + 300^2 * 0.09 AS variance_by_hand;
SELECT q, spm.bookings_quantile(:'s', q)
FROM unnest('{0.1, 0.3375, 0.34, 0.5, 0.675, 0.7, 0.9, 0.95, 0.99}'::numeric[]) q;
SELECT t, spm.probability_of_reaching(:'s', t)
FROM unnest('{-5, 0, 0.5, 100, 101, 300, 400, 500, 600, 601}'::numeric[]) t;

-- a resolution: cents
SELECT spm.forecast_range(amount, probability, 0.01)::text,
       spm.expected_bookings(spm.forecast_range(amount, probability, 0.01)),
       spm.bookings_quantile(spm.forecast_range(amount, probability, 0.01), 0.9)
FROM (VALUES (10.25, 0.5), (0.75, 1), (3, 0)) v(amount, probability);
-- sure and lost deals, and amounts of 0
SELECT spm.forecast_range(a, p)::text, spm.probability_of_reaching(spm.forecast_range(a, p), 5)
FROM (VALUES (5, 1), (7, 0), (0, 0.5)) v(a, p);
-- no deals: NULL
SELECT spm.forecast_range(amount, probability) IS NULL AS no_deals FROM range_deals WHERE id > 10;

-- text and binary round trips
SELECT :'s'::spm.bookings_range::text = :'s' AS text_round_trip;
SELECT '(resolution=1,deals=1414,mean=300121.5,variance=198110202.15,exact=no)'::spm.bookings_range::text;

-- bad input
SELECT spm.forecast_range(100, 1.5);
SELECT spm.forecast_range(100, -0.1);
SELECT spm.forecast_range(100, 'NaN');
SELECT spm.forecast_range(-100, 0.5);
SELECT spm.forecast_range(100.5, 0.5);
SELECT spm.forecast_range(100, 0.5, 0.3);
SELECT spm.forecast_range(100, 0.123456789012345678901);
SELECT spm.forecast_range(a, 0.5, r) FROM (VALUES (100, 1), (100, 0.01)) v(a, r);
SELECT spm.bookings_quantile(:'s', 0);
SELECT spm.bookings_quantile(:'s', 1);
SELECT '(resolution=1,deals=1,mean=50,variance=2500,exact={100@0.4})'::spm.bookings_range;
SELECT '(resolution=1,deals=1,mean=50)'::spm.bookings_range;

-- the exact bound: 100 deals of 10,000 units are exact (100 * 1,000,000 = 10^8), 101 are not
SELECT spm.range_method(spm.forecast_range(10000, 0.3)) AS hundred,
       spm.bookings_quantile(spm.forecast_range(10000, 0.3), 0.5) AS hundred_median,
       spm.probability_of_reaching(spm.forecast_range(10000, 0.3), 300000) AS hundred_reach
FROM generate_series(1, 100);
SELECT spm.range_method(spm.forecast_range(10000, 0.3)) AS hundred_one,
       spm.bookings_quantile(spm.forecast_range(10000, 0.3), 0.5) AS hundred_one_median,
       spm.probability_of_reaching(spm.forecast_range(10000, 0.3), 300000) AS hundred_one_reach
FROM generate_series(1, 101);
-- the same 101 deals at a resolution of 10,000: 101 units, exact
SELECT spm.range_method(spm.forecast_range(10000, 0.3, 10000)),
       spm.bookings_quantile(spm.forecast_range(10000, 0.3, 10000), 0.5)
FROM generate_series(1, 101);

-- generated pipelines: the distribution sums to 1, its mean is the expected bookings,
-- quantiles increase with q, P(reach 0) = 1
CREATE TABLE range_gen AS
SELECT i % 20 AS g, (i * 37 % 50) * 10 AS amount, round((i * 53 % 101) / 100.0, 2) AS probability
FROM generate_series(1, 600) i;
CREATE TABLE range_by_g AS
SELECT g, spm.forecast_range(amount, probability, 10) AS s, sum(amount) AS top FROM range_gen GROUP BY g;
SELECT count(*) AS groups,
       bool_and(spm.range_method(s) = 'exact') AS all_exact,
       bool_and(spm.expected_bookings(s) = (SELECT sum(amount * probability) FROM range_gen x WHERE x.g = b.g)) AS mean_exact,
       bool_and(spm.bookings_variance(s) = (SELECT sum(amount * amount * probability * (1 - probability)) FROM range_gen x WHERE x.g = b.g)) AS variance_exact,
       bool_and(spm.probability_of_reaching(s, 0) = 1) AS reach_zero_is_one,
       bool_and(spm.bookings_quantile(s, 0.1) <= spm.bookings_quantile(s, 0.5)
            AND spm.bookings_quantile(s, 0.5) <= spm.bookings_quantile(s, 0.9)) AS quantiles_increase
FROM range_by_g b;
-- P(total = t) = P(reach t) - P(reach t + 10): summed over t it is 1, and sum t P(total = t)
-- is the expected bookings, both within 10^-18 of the 20-decimal results
SELECT bool_and(abs(total_mass - 1) < 1e-18) AS sums_to_one,
       bool_and(abs(mean - spm.expected_bookings(b.s)) < 1e-18 * b.top) AS mean_is_expected
FROM (SELECT b.g,
             sum(spm.probability_of_reaching(b.s, t) - spm.probability_of_reaching(b.s, t + 10)) AS total_mass,
             sum(t * (spm.probability_of_reaching(b.s, t) - spm.probability_of_reaching(b.s, t + 10))) AS mean
      FROM range_by_g b, generate_series(0, b.top::int, 10) t
      WHERE b.g < 4
      GROUP BY b.g) d
JOIN range_by_g b USING (g);

-- parallel: the Partial Aggregate plan equals the serial one
CREATE TABLE range_big AS SELECT g.* FROM range_gen g, generate_series(1, 40) k;
ALTER TABLE range_big SET (parallel_workers = 2);
ANALYZE range_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.forecast_range(amount, probability, 10) FROM range_big;
SELECT spm.forecast_range(amount, probability, 10)::text AS parallel_result FROM range_big \gset
SELECT spm.forecast_range(amount, probability, 10)::text AS parallel_small FROM range_big WHERE g = 1 \gset
SET max_parallel_workers_per_gather = 0;
SELECT :'parallel_result' = (SELECT spm.forecast_range(amount, probability, 10)::text FROM range_big) AS same_as_serial,
       :'parallel_small' = (SELECT spm.forecast_range(amount, probability, 10)::text FROM range_big WHERE g = 1) AS small_same_as_serial,
       spm.range_method(:'parallel_result'), spm.range_method(:'parallel_small');
RESET ALL;

-- search_path safety
SET search_path = pg_catalog;
SELECT spm.bookings_quantile(spm.forecast_range(amount, probability), 0.5) FROM public.range_deals;
RESET search_path;

DROP TABLE range_deals, range_gen, range_by_g, range_big;
