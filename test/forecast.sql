-- pgTAP: forecasting, forecast accuracy
BEGIN;
SELECT plan(40);

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

SELECT * FROM finish();
ROLLBACK;
