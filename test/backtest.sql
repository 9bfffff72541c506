-- test/backtest.sql: the forecast back-test on the CRM dataset (test/data/crm_backtest.sql):
-- the figures doc/forecast.md shows, exactly; skipped when the dataset is not loaded.
BEGIN;
SELECT plan(9);
SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
SELECT diag('CRM dataset loaded: ' || :'have_crm');
\if :have_crm
\ir data/crm_backtest.sql
SELECT is((SELECT count(*)::int FROM backtest), 1686, 'CRM back-test: 1,686 deals open on 2017-06-30');
SELECT is((SELECT count(p)::int FROM backtest), 1565,
          'CRM back-test: 121 of them older than any deal seen (spm.close_within NULL: no estimate)');
SELECT is((SELECT count(*)::int FROM backtest WHERE won_in_q3), 609, 'CRM back-test: 609 of them won in Q3 2017');
SELECT is((SELECT sum(p) FROM backtest), 725.24551990236280629087,
          'CRM back-test: expected deals won, the sum of the probabilities (each to 20 decimals)');
SELECT is((SELECT round(sum(amount * coalesce(p, 0))) || ' ' || sum(actual) FROM backtest), '1796830 1441450.00',
          'CRM back-test: expected bookings at list prices, and the bookings');
SELECT is((SELECT spm.range_method(r) || ' ' || spm.bookings_quantile(r, 0.1) || ' ' || spm.bookings_quantile(r, 0.9)
           FROM (SELECT spm.forecast_range(amount, coalesce(p, 0)) AS r FROM backtest) x),
          'normal 1702608 1891053', 'CRM back-test: the range P10 to P90, below which the bookings fell');
SELECT is((SELECT round(spm.wape(f, a), 4) || ' ' || round(spm.mape(f, a), 4) || ' ' || round(spm.bias(f, a))
                  || ' ' || round(spm.tracking_signal(f, a), 2)
           FROM (SELECT sales_agent, sum(amount * coalesce(p, 0)) AS f, sum(actual) AS a FROM backtest GROUP BY 1) g),
          '0.4733 0.8324 11846 15.63', 'CRM back-test: WAPE, MAPE, bias and tracking signal over the 30 agents');
SELECT is((SELECT round(spm.wape(f, a), 4) || ' ' || round(spm.relative_bias(spm.accuracy_summary(f, a)), 4)
           FROM (SELECT regional_office, sum(amount * coalesce(p, 0)) AS f, sum(actual) AS a FROM backtest GROUP BY 1) o),
          '0.4168 0.2465', 'CRM back-test: WAPE and relative bias over the 3 regional offices');
SELECT is((SELECT string_agg(concat_ws(' ', band, deals, predicted_pct, won_pct), '; ' ORDER BY band NULLS LAST)
           FROM (SELECT floor(10 * p) AS band, count(*) AS deals, round(100 * avg(p), 1) AS predicted_pct,
                        round(100 * avg(won_in_q3::int), 1) AS won_pct
                 FROM backtest GROUP BY 1) c),
          '0 56 2.8 0.0; 1 31 13.9 0.0; 2 40 25.5 0.0; 3 101 37.5 23.8; 4 641 45.1 46.8; 5 657 54.5 40.9; 6 39 61.8 41.0; 121 0.0',
          'CRM back-test: the calibration table (band, deals, predicted %, won %)');
\else
SELECT skip('the CRM dataset is not loaded (../shared/data/crm absent)', 9);
\endif
SELECT * FROM finish();
ROLLBACK;
