-- pgTAP: forecasting, forecast accuracy, time to close (survival) and stage probabilities
BEGIN;
SELECT plan(76);

-- labels: objects in schema spm, honestly labelled; aggregates with combine, inverse and a real state
SELECT has_type('spm', 'accuracy_summary', 'the accuracy summary is a type');
SELECT is_aggregate('spm', 'accuracy_summary', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'rollup', ARRAY['spm.accuracy_summary']);
SELECT is_aggregate('spm', 'wape', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'mape', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'bias', ARRAY['numeric', 'numeric']);
SELECT is_aggregate('spm', 'tracking_signal', ARRAY['numeric', 'numeric']);
SELECT volatility_is('spm', 'wape', ARRAY['spm.accuracy_summary'], 'immutable');
SELECT is_strict('spm', 'tracking_signal', ARRAY['spm.accuracy_summary']);
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate
    WHERE aggtranstype = 'spm.accuracy_summary'::regtype
      AND aggcombinefn <> 0 AND aggminvtransfn <> 0 AND aggmtranstype = 'spm.accuracy_summary'::regtype), 6,
  'all six accuracy aggregates have a combine function and a moving inverse over the real state type');
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND (proname LIKE 'accuracy_summary%' OR proargtypes::oid[] @> ARRAY['spm.accuracy_summary'::regtype::oid])
     AND (obj_description(oid, 'pg_proc') IS NULL OR proparallel <> 's')), 0,
  'every accuracy function is commented and PARALLEL SAFE');

-- values, exactly (a rep's six months; March booked nothing)
CREATE TEMP TABLE months (month int, forecast numeric, actual numeric);
INSERT INTO months VALUES (1, 100000, 92000), (2, 120000, 131000), (3, 90000, 0),
                          (4, 110000, 104500.50), (5, 95000, 101000), (6, 130000, 118000);
SELECT is((SELECT spm.wape(forecast, actual) FROM months), round(132499.50::numeric(60, 40) / 546500.50, 20),
          'wape is sum |f - a| / sum |a|: 132,499.50 / 546,500.50');
SELECT is((SELECT spm.mape(forecast, actual) FROM months),
          round((8000/92000.0 + 11000/131000.0 + 5499.5/104500.5 + 6000/101000.0 + 12000/118000.0) / 5, 20),
          'mape is the mean |f - a| / |a| over the five months whose actual is not zero');
SELECT is((SELECT spm.bias(forecast, actual) FROM months), 16416.58333333333333333333,
          'bias is sum (f - a) / periods: 98,499.50 / 6');
SELECT is((SELECT spm.tracking_signal(forecast, actual) FROM months), round((98499.50 * 6)::numeric(60, 40) / 132499.50, 20),
          'tracking signal is sum (f - a) / (sum |f - a| / periods)');
SELECT is((SELECT spm.mad(spm.accuracy_summary(forecast, actual)) FROM months), 22083.25::numeric,
          'mad is sum |f - a| / periods');
SELECT is((SELECT spm.relative_bias(spm.accuracy_summary(forecast, actual)) FROM months), round(98499.50::numeric(60, 40) / 546500.50, 20),
          'relative bias is sum (f - a) / sum |a|');
SELECT is((SELECT spm.zero_actual_count(spm.accuracy_summary(forecast, actual)) FROM months), 1::bigint,
          'the zero actual is counted');
SELECT is((SELECT spm.period_count(spm.accuracy_summary(forecast, actual)) FROM months), 6::bigint,
          'every month is a period');
SELECT is((SELECT spm.forecast_sum(spm.accuracy_summary(forecast, actual)) || ' ' ||
                  spm.actual_sum(spm.accuracy_summary(forecast, actual)) FROM months), '645000 546500.50',
          'the sums are exact and keep their decimals');
SELECT is((SELECT scale(spm.wape(forecast, actual)) FROM months), 20, 'ratios have 20 decimals');

-- defined behaviour at the edges
SELECT is((SELECT spm.mape(f, a) FROM (VALUES (50, 0), (110, 100)) v(f, a)), 0.1::numeric,
          'a zero actual is left out of the mape');
SELECT is((SELECT spm.mape(f, a) FROM (VALUES (50, 0), (0, 0)) v(f, a)), NULL, 'mape of zero actuals only is NULL');
SELECT is((SELECT spm.wape(f, a) FROM (VALUES (50, 0)) v(f, a)), NULL, 'wape of zero actuals only is NULL');
SELECT is((SELECT spm.tracking_signal(f, a) FROM (VALUES (5, 5), (7, 7)) v(f, a)), NULL,
          'tracking signal of perfect forecasts is NULL');
SELECT is((SELECT spm.bias(f, a) FROM (VALUES (110, 100), (120, 100)) v(f, a)), 15::numeric,
          'a forecast that runs high has positive bias');
SELECT is((SELECT spm.tracking_signal(f, a) FROM (VALUES (90, 100), (80, 100)) v(f, a)), -2::numeric,
          'a forecast that runs low has a negative tracking signal, as low as -periods');
SELECT is((SELECT spm.wape(f, a) FROM (VALUES (-100, -80), (200, 250)) v(f, a)), round(70 / 330.0, 20),
          'negative actuals weigh by their magnitude');
SELECT is((SELECT spm.accuracy_summary(f, a) FROM (VALUES (1, NULL::numeric)) v(f, a))::text,
          '(periods=0,zero_actuals=0,forecast=0,actual=0,abs_error=0,abs_actual=0,ape=0)',
          'a row without both values is no period');

-- bad input: specific SQLSTATEs
SELECT throws_ok($$SELECT spm.wape(f, a) FROM (VALUES ('NaN'::numeric, 1::numeric)) v(f, a)$$, '22023',
                 'forecast must be a finite number');
SELECT throws_ok($$SELECT spm.bias(f, a) FROM (VALUES (1::numeric, 'Infinity'::numeric)) v(f, a)$$, '22023',
                 'actual must be a finite number');
SELECT throws_ok($$SELECT '(periods=1)'::spm.accuracy_summary$$, '22P02');
SELECT throws_ok($$SELECT '(periods=1,zero_actuals=2,forecast=0,actual=0,abs_error=0,abs_actual=0,ape=0)'::spm.accuracy_summary$$,
                 '22P02', 'invalid spm.accuracy_summary: zero_actuals exceeds periods');
SELECT throws_ok($$SELECT spm.accuracy_summary_accum('(periods=9223372036854775807,zero_actuals=0,forecast=1,actual=1,abs_error=0,abs_actual=1,ape=0)', 1, 1)$$,
                 '22003', 'count out of range');

-- laws over generated data
CREATE TEMP TABLE gen AS
SELECT i, 1 + i % 7 AS rep, 1 + (i * 37) % 48 AS month,
       round(((hashint8extended(i, 61) & 1048575) - 1000) / 100.0, (i % 4)::int) AS f,
       CASE WHEN i % 9 = 0 THEN 0 ELSE round((hashint8extended(i, 62) & 1048575) / 100.0, (i % 3)::int) END AS a
FROM generate_series(1, 1500) i;
SELECT is((SELECT count(*)::int FROM (
             SELECT rep, spm.rollup(s)::text AS rolled FROM
               (SELECT rep, month, spm.accuracy_summary(f, a) AS s FROM gen GROUP BY rep, month) m GROUP BY rep) r
           JOIN (SELECT rep, spm.accuracy_summary(f, a)::text AS raw FROM gen GROUP BY rep) w USING (rep)
           WHERE rolled = raw), 7,
          'roll-up law: the rollup of monthly summaries equals the summary of the raw rows, for every rep');
SELECT is((SELECT count(*)::int FROM (
             SELECT spm.wape(f, a) OVER w AS moving, rep, month, i FROM gen WINDOW w AS (PARTITION BY rep ORDER BY month, i ROWS 11 PRECEDING)) m
           WHERE moving IS DISTINCT FROM (SELECT spm.wape(x.f, x.a) FROM
             (SELECT f, a FROM gen x WHERE x.rep = m.rep AND (x.month, x.i) <= (m.month, m.i) ORDER BY x.month DESC, x.i DESC LIMIT 12) x)), 0,
          'a moving 12-row wape equals wape recomputed over every frame');
SELECT is((SELECT spm.wape(f, a) FROM gen), (SELECT round(sum(abs(f - a)) / sum(abs(a)), 20) FROM gen),
          'wape over 1,500 periods equals plain SQL');
SELECT ok((SELECT abs(spm.relative_bias(s)) <= spm.wape(s) FROM (SELECT spm.accuracy_summary(f, a) AS s FROM gen) t),
          '|relative bias| never exceeds wape');
SELECT ok((SELECT bool_and(abs(spm.tracking_signal(s)) <= spm.period_count(s))
           FROM (SELECT spm.accuracy_summary(f, a) AS s FROM gen GROUP BY rep) t),
          '|tracking signal| never exceeds the number of periods');
SELECT is((SELECT spm.bias(a, f) FROM gen), (SELECT -spm.bias(f, a) FROM gen),
          'swapping forecast and actual negates the bias');

-- time to close (survival)
SELECT has_type('spm', 'cycle_summary', 'the cycle summary is a type');
SELECT is_aggregate('spm', 'cycle_summary', ARRAY['integer', 'boolean']);
SELECT is_aggregate('spm', 'rollup', ARRAY['spm.cycle_summary']);
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate
    WHERE aggtranstype = 'spm.cycle_summary'::regtype
      AND aggcombinefn <> 0 AND aggminvtransfn <> 0 AND aggmtranstype = 'spm.cycle_summary'::regtype), 2,
  'both cycle aggregates have a combine function and a moving inverse over the real state type');
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND (proname LIKE 'cycle_summary%' OR proargtypes::oid[] @> ARRAY['spm.cycle_summary'::regtype::oid])
     AND (obj_description(oid, 'pg_proc') IS NULL OR proparallel <> 's'
          OR (prokind = 'f' AND proname NOT LIKE 'cycle_summary_accum%' AND NOT proisstrict)
          OR (prokind = 'f' AND provolatile <> 'i'))), 0,
  'every survival function is commented, PARALLEL SAFE, IMMUTABLE and STRICT (but the transition functions)');
CREATE TEMP TABLE mp (weeks int, closed boolean);
INSERT INTO mp VALUES (6, true), (6, true), (6, true), (6, false), (7, true), (9, false), (10, true),
  (10, false), (11, false), (13, true), (16, true), (17, false), (19, false), (20, false), (22, true),
  (23, true), (25, false), (32, false), (32, false), (34, false), (35, false);
SELECT is((SELECT spm.survival(spm.cycle_summary(weeks, closed), 23) FROM mp),
          round(18 * 16 * 14 * 11 * 10 * 6 * 5 / (21 * 17 * 15 * 12 * 11 * 7 * 6.0), 20),
          'Freireich 6-MP: S(23) = 18/21 * 16/17 * 14/15 * 11/12 * 10/11 * 6/7 * 5/6, the published 0.448');
SELECT is((SELECT spm.cycle_quantile(spm.cycle_summary(weeks, closed), 0.5) FROM mp), 23, 'Freireich 6-MP: the median is 23 weeks');
SELECT is((SELECT round(spm.survival_lower(s, 6), 3) || ' ' || round(spm.survival_upper(s, 6), 3)
           FROM (SELECT spm.cycle_summary(weeks, closed) AS s FROM mp) x), '0.620 0.952',
          'Freireich 6-MP: the log-log Greenwood 95 % band at 6 weeks is 0.620 to 0.952, as R''s survival package gives');
SELECT is((SELECT spm.survival(spm.cycle_summary(d, c), 3) FROM (VALUES (3, true), (3, false)) v(d, c)), 0.5::numeric,
          'ties: a deal censored at the day of a closing is still at risk then');
SELECT is((SELECT spm.cycle_quantile(spm.cycle_summary(g, true), 0.5) FROM generate_series(1, 10) g), 5,
          'an exact tie S(t) = 1 - p is found: the median of 1..10 is 5');
SELECT is((SELECT spm.close_within(spm.cycle_summary(weeks, closed), 10, 10) FROM mp), round(1 / 6.0, 20),
          'close_within(10, 10) = 1 - S(20) / S(10) = 1 - 11/12 * 10/11');
SELECT is((SELECT spm.survival(spm.cycle_summary(weeks, closed), 36) FROM mp), NULL,
          'S past the largest duration, a censored one, is NULL');
SELECT throws_ok($$SELECT spm.cycle_summary(d, true) FROM (VALUES (-1)) v(d)$$, '22023', 'days must not be negative');
SELECT throws_ok($$SELECT spm.cycle_summary_accum_inv('{1:0/1}', 1, true)$$, '22023',
                 'cannot remove a deal that spm.cycle_summary does not hold');
SELECT throws_ok($$SELECT spm.cycle_summary_accum('{1:9223372036854775807/0}', 1, true)$$, '22003', 'count out of range');
CREATE TEMP TABLE cycles AS
SELECT i, i % 5 AS team, ((hashint8extended(i, 81) & 1023) % 200)::int AS days, hashint8extended(i, 82) & 3 <> 0 AS closed
FROM generate_series(1, 3000) i;
SELECT is((SELECT count(*)::int FROM (
             SELECT team, spm.rollup(s)::text AS rolled FROM
               (SELECT team, i / 250 AS part, spm.cycle_summary(days, closed) AS s FROM cycles GROUP BY team, i / 250) m GROUP BY team) r
           JOIN (SELECT team, spm.cycle_summary(days, closed)::text AS raw FROM cycles GROUP BY team) w USING (team)
           WHERE rolled = raw), 5,
          'roll-up law: the summary of a union equals the rollup of the summaries, for every team');
SELECT is((SELECT count(*)::int FROM (
             SELECT spm.cycle_summary(days, closed) OVER w AS moving, team, i FROM cycles WINDOW w AS (PARTITION BY team ORDER BY i ROWS 49 PRECEDING)) m
           WHERE moving::text <> (SELECT spm.cycle_summary(x.days, x.closed)::text FROM cycles x
                                  WHERE x.team = m.team AND x.i <= m.i AND x.i > m.i - 250)), 0,
          'a moving 50-row cycle summary equals the summary recomputed over every frame');
SELECT ok((SELECT bool_and(spm.survival(s, t) >= spm.survival(s, t + 1) AND spm.survival_lower(s, t) <= spm.survival(s, t)
                           AND spm.survival(s, t) <= spm.survival_upper(s, t))
           FROM (SELECT spm.cycle_summary(days, closed) AS s FROM cycles) x, generate_series(0, 190, 10) t),
          'S never rises, and lies inside its band');

-- the range of the forecast
CREATE TEMP TABLE range3 (amount numeric, probability numeric);
INSERT INTO range3 VALUES (100, 0.5), (200, 0.25), (300, 0.1);
SELECT is((SELECT spm.expected_bookings(spm.forecast_range(amount, probability)) FROM range3), 130::numeric,
          'expected bookings of three deals: 100 * 0.5 + 200 * 0.25 + 300 * 0.1');
SELECT is((SELECT spm.bookings_variance(spm.forecast_range(amount, probability)) FROM range3), 18100::numeric,
          'variance of three deals: 100^2 * 0.25 + 200^2 * 0.1875 + 300^2 * 0.09');
SELECT is((SELECT array_agg(spm.probability_of_reaching(r, t) - spm.probability_of_reaching(r, t + 100) ORDER BY t)
           FROM (SELECT spm.forecast_range(amount, probability) AS r FROM range3) x, generate_series(0, 600, 100) t),
          '{0.3375,0.3375,0.1125,0.15,0.0375,0.0125,0.0125}'::numeric[],
          'the exact distribution of three deals, computed by hand');
SELECT is((SELECT ARRAY[spm.bookings_quantile(r, 0.1), spm.bookings_quantile(r, 0.5), spm.bookings_quantile(r, 0.9)]
           FROM (SELECT spm.forecast_range(amount, probability) AS r FROM range3) x),
          '{0,100,300}'::numeric[], 'P10, P50, P90 of three deals: the smallest t with P(T <= t) >= q');
SELECT throws_ok($$SELECT spm.forecast_range(100, 1.01)$$, '22023', 'probability 1.01 is outside 0 to 1');
SELECT throws_ok($$SELECT spm.forecast_range(10.5, 0.5)$$, '22023', 'amount 10.5 is not a whole number of the resolution 1');
CREATE TEMP TABLE range_pipes AS
SELECT i % 25 AS g, (hashint8extended(i, 91) & 1023) % 40 * 10 AS amount,
       round(((hashint8extended(i, 92) & 1023) % 101) / 100.0, 2) AS probability
FROM generate_series(1, 1000) i;
CREATE TEMP TABLE range_sums AS
SELECT g, spm.forecast_range(amount, probability, 10) AS r, sum(amount) AS top FROM range_pipes GROUP BY g;
SELECT ok((SELECT bool_and(abs(mass - 1) < 1e-18 AND abs(mean - spm.expected_bookings(r)) < 1e-18 * top)
           FROM (SELECT g, sum(spm.probability_of_reaching(r, t) - spm.probability_of_reaching(r, t + 10)) AS mass,
                        sum(t * (spm.probability_of_reaching(r, t) - spm.probability_of_reaching(r, t + 10))) AS mean
                 FROM range_sums, generate_series(0, top::int, 10) t WHERE g < 5 GROUP BY g) d JOIN range_sums USING (g)),
          'generated pipelines: the distribution sums to 1 and its mean is the expected bookings');
SELECT ok((SELECT bool_and(spm.expected_bookings(r) = (SELECT sum(amount * probability) FROM range_pipes p WHERE p.g = s.g)
                           AND spm.bookings_variance(r) = (SELECT sum(amount * amount * probability * (1 - probability)) FROM range_pipes p WHERE p.g = s.g)
                           AND spm.probability_of_reaching(r, 0) = 1
                           AND spm.bookings_quantile(r, 0.1) <= spm.bookings_quantile(r, 0.5)
                           AND spm.bookings_quantile(r, 0.5) <= spm.bookings_quantile(r, 0.9))
           FROM range_sums s),
          'generated pipelines: exact moments, P(reach 0) = 1, quantiles increase');
SELECT is((SELECT ARRAY[spm.range_method(spm.forecast_range(10000, 0.3) FILTER (WHERE i <= 100)),
                        spm.range_method(spm.forecast_range(10000, 0.3))]
           FROM generate_series(1, 101) i),
          '{exact,normal}'::text[], 'the exact bound: 100 deals of 10,000 are exact, 101 normal');
SELECT is((SELECT spm.forecast_range(amount, probability, 10)::text::spm.bookings_range::text FROM range_pipes),
          (SELECT spm.forecast_range(amount, probability, 10)::text FROM range_pipes),
          'text round trip of a bookings range');

-- stage probabilities from history
SELECT has_type('spm', 'stage_summary', 'the stage summary is a type');
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate
    WHERE aggtranstype = 'spm.stage_summary'::regtype
      AND aggcombinefn <> 0 AND aggminvtransfn <> 0 AND aggmtranstype = 'spm.stage_summary'::regtype), 2,
  'stage_summary and its rollup have a combine function and a moving inverse over the real state type');
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND (proname LIKE 'stage%' OR proargtypes::oid[] @> ARRAY['spm.stage_summary'::regtype::oid])
     AND (obj_description(oid, 'pg_proc') IS NULL OR proparallel <> 's')), 0,
  'every stage function is commented and PARALLEL SAFE');
CREATE TEMP TABLE stage_deals AS
  SELECT i % 7 AS segment, 1 + (i * 37) % 9 AS furthest, ((i * 53) % 11) < 1 + (i * 37) % 9 AS won
  FROM generate_series(1, 5000) i;
SELECT is((SELECT count(*)::int FROM generate_series(1, 10) s,
                  (SELECT spm.stage_summary(furthest, won) AS m FROM stage_deals) x
           WHERE spm.stage_win_probability(m, s) IS DISTINCT FROM
                 (SELECT round(count(*) FILTER (WHERE won)::numeric / nullif(count(*), 0), 20) FROM stage_deals WHERE furthest >= s)),
          0, 'generated deals: each stage''s probability is won / reached among the deals with furthest >= stage');
SELECT is((SELECT count(*)::int FROM generate_series(1, 10) s,
                  (SELECT spm.stage_summary(furthest, won) AS m, count(*) FILTER (WHERE won) AS w, count(*) AS n FROM stage_deals) x
           WHERE spm.stage_win_probability(m, s, 7.5) <>
                 round((spm.stage_won_count(m, s) * n + 7.5 * w)::numeric(60, 30) / ((spm.stage_reached_count(m, s) + 7.5) * n), 20)),
          0, 'generated deals: the smoothed probability is (won_s + w p0) / (n_s + w), p0 = W / N');
SELECT is((SELECT count(*)::int FROM generate_series(1, 9) s,
                  (SELECT spm.stage_summary(furthest, won) AS m FROM stage_deals) x
           WHERE spm.stage_win_lower(m, s, 0.9) <> spm.wilson_lower(spm.stage_won_count(m, s), spm.stage_reached_count(m, s), 0.9)
              OR spm.stage_win_upper(m, s) <> spm.wilson_upper(spm.stage_won_count(m, s), spm.stage_reached_count(m, s))),
          0, 'the stage bounds are the Wilson bounds of its counts');
SELECT is((SELECT spm.rollup(m)::text FROM (SELECT spm.stage_summary(furthest, won) AS m FROM stage_deals GROUP BY segment) g),
          (SELECT spm.stage_summary(furthest, won)::text FROM stage_deals),
          'the rollup of segment summaries is the summary of all deals');
SELECT is((SELECT count(*)::int FROM (
             SELECT spm.stage_summary(furthest, won) OVER w AS moving,
                    (SELECT spm.stage_summary(d.furthest, d.won) FROM stage_deals d
                     WHERE d.segment = o.segment AND d.furthest BETWEEN o.furthest - 2 AND o.furthest) AS direct
             FROM stage_deals o WHERE o.segment < 2
             WINDOW w AS (PARTITION BY o.segment ORDER BY o.furthest RANGE BETWEEN 2 PRECEDING AND CURRENT ROW)) x
           WHERE moving::text <> direct::text),
          0, 'a moving stage summary equals the summary of its frame');

SELECT * FROM finish();
ROLLBACK;
