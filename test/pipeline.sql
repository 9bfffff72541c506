-- pgTAP: pipeline analytics (win rates, Wilson bounds, smoothing, deal summaries,
-- velocity, coverage, funnels), including the CRM dataset when it is loaded
BEGIN;
SELECT plan(61);

-- labels: real SQL state types, combine functions, moving-window support
SELECT is_aggregate('spm', 'win_rate', ARRAY['boolean']);
SELECT is_aggregate('spm', 'value_win_rate', ARRAY['boolean', 'numeric']);
SELECT is_aggregate('spm', 'deal_summary', ARRAY['boolean', 'numeric', 'integer']);
SELECT is_aggregate('spm', 'rollup', ARRAY['spm.deal_summary']);
SELECT is_aggregate('spm', 'funnel', ARRAY['integer', 'integer']);
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'spm'::regnamespace AND p.proname IN ('win_rate', 'value_win_rate', 'deal_summary', 'rollup', 'funnel')
      AND a.aggfnoid NOT IN ('spm.rollup(spm.accuracy_summary)'::regprocedure,       -- forecast's (test/forecast.sql)
                             'spm.rollup(spm.pipeline_waterfall)'::regprocedure)    -- movement's (test/movement.sql)
      AND a.aggcombinefn <> 0 AND a.aggtranstype <> 'internal'::regtype), 5,
  'every pipeline aggregate has a combine function and a real SQL state type');
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
    WHERE p.pronamespace = 'spm'::regnamespace AND p.proname IN ('win_rate', 'value_win_rate', 'deal_summary', 'rollup')
      AND a.aggfnoid NOT IN ('spm.rollup(spm.accuracy_summary)'::regprocedure,       -- forecast's (test/forecast.sql)
                             'spm.rollup(spm.pipeline_waterfall)'::regprocedure)    -- movement's (test/movement.sql)
      AND a.aggminvtransfn <> 0), 4,
  'win_rate, value_win_rate, deal_summary and rollup have exact inverses for moving windows');
SELECT is(
  (SELECT aggtranstype::regtype::text FROM pg_aggregate WHERE aggfnoid = 'spm.win_rate(boolean)'::regprocedure),
  'spm.deal_summary', 'win_rate''s state is a deal summary');
SELECT volatility_is('spm', 'wilson_lower', ARRAY['bigint', 'bigint', 'numeric'], 'immutable');
SELECT is_strict('spm', 'wilson_lower', ARRAY['bigint', 'bigint', 'numeric']);

-- worked examples from public sources
-- https://www.contextawareanalytics.com/metrics-governance/how-to-calculate-win-rate : 45 won, 135 lost, 80 open
SELECT is((SELECT spm.win_rate(CASE WHEN i <= 45 THEN true WHEN i <= 180 THEN false END) FROM generate_series(1, 260) i),
          0.25::numeric, '45 won, 135 lost, 80 open: 25 %, open deals excluded');
-- https://winsabove.pages.dev/glossary/win-rate : 12 won, 26 lost, 9 no decision
SELECT is((SELECT spm.win_rate(CASE WHEN i <= 12 THEN true WHEN i <= 38 THEN false END) FROM generate_series(1, 47) i),
          12 / 38.0, 'no decision excluded: 12 / 38');
SELECT is((SELECT spm.win_rate(i <= 12) FROM generate_series(1, 47) i),
          12 / 47.0, 'no decision as a loss: 12 / 47');
-- http://blog.altify.com/donals-blog/when-is-your-win-rate-not-your-win-rate : unit 50 %, value 30 %
SELECT is((SELECT spm.value_win_rate(w, a) FROM (VALUES (true, 20000), (true, 10000), (false, 40000), (false, 30000)) v(w, a)),
          0.3::numeric, 'value win rate 30,000 of 100,000');
SELECT is((SELECT spm.value_win_rate(w, a) FROM (VALUES (true, 20000), (true, 10000), (NULL, 40000), (false, 30000)) v(w, a)),
          0.5::numeric, 'value win rate with the open deal excluded: 30,000 of 60,000');
-- https://math.stackexchange.com/questions/2078966 : Wilson lower bound at 90 %, 38.7 % and 41.9 %
SELECT is(round(spm.wilson_lower(25, 50, 0.90), 3), 0.387, 'Wilson lower bound of 25 / 50 at 90 %');
SELECT is(round(spm.wilson_lower(50, 100, 0.90), 3), 0.419, 'Wilson lower bound of 50 / 100 at 90 %');
-- the same source: a Beta(1, 10) prior gives 26 / 61 for 25 / 50
SELECT is(spm.smoothed_win_rate(25, 50, 1 / 11.0, 11), 26 / 61.0, 'smoothed with a Beta(1, 10) prior');
-- z of 95 % to 30 decimals (1.959963984540054235524594430520551527956...)
SELECT is(spm.normal_quantile(0.975), 1.959963984540054235524594430521, 'z(0.975) to 30 decimals');
SELECT is(spm.wilson_lower(12, 38), 0.19084603675596181899, 'Wilson lower bound of 12 / 38 to 20 decimals');
-- https://www.mavenlb.com/blog/sales-velocity-formula : 40 x 25,000 x 25 % / 90 days
SELECT is(spm.sales_velocity(40, 25000, 0.25, 90), 250000 / 90.0, 'sales velocity 2,777.78 a day');
-- https://winsabove.pages.dev/glossary/pipeline-coverage-ratio : 4.8M on 1.6M, 22 % win rate
SELECT is(spm.pipeline_coverage(4800000, 1600000), 3::numeric, 'coverage 3.0x');
SELECT is(round(spm.required_coverage(0.22), 1), 4.5, 'a 22 % win rate requires 4.5x');
SELECT is(spm.expected_attainment(0, 4800000, 0.22, 1600000), 0.66::numeric, 'expected attainment 66 %');
-- https://pitchbites.com/academy/go-to-market/build-your-sales-funnel/ : 20 % x 50 % x 60 % = 6 %
SELECT is((SELECT (f[4]).cumulative FROM (SELECT spm.funnel(CASE WHEN i <= 60 THEN 4 WHEN i <= 100 THEN 3 WHEN i <= 200 THEN 2 ELSE 1 END, 4) f
                                          FROM generate_series(1, 1000) i) s),
          0.06::numeric, 'funnel overall conversion 6 %');
SELECT is((SELECT array_agg((x).conversion ORDER BY (x).stage)
             FROM unnest((SELECT spm.funnel(CASE WHEN i <= 60 THEN 4 WHEN i <= 100 THEN 3 WHEN i <= 200 THEN 2 ELSE 1 END, 4)
                          FROM generate_series(1, 1000) i)) x),
          ARRAY[NULL, 0.2, 0.5, 0.6]::numeric[], 'funnel stage-to-stage conversion 20 %, 50 %, 60 %');

-- NULL semantics
SELECT is((SELECT spm.win_rate(w) FROM (VALUES (NULL::boolean)) v(w)), NULL, 'only open deals: NULL');
SELECT is((SELECT spm.win_rate(w) FROM (VALUES (true)) v(w) WHERE false), NULL, 'no deals: NULL');
SELECT is(spm.wilson_lower(0, 0), NULL, 'Wilson bound with nothing closed: NULL');
SELECT is(spm.wilson_upper(0, 5), spm.wilson_upper(0, 5, 0.95), 'the default confidence is 95 %');

-- the roll-up law on generated deals: daily summaries rolled up equal the raw rows
CREATE TEMP TABLE g AS
SELECT i, 1 + i % 5 AS rep, date '2026-01-01' + (hashint8extended(i, 7) & 255)::int AS day,
       CASE WHEN hashint8extended(i, 9) & 15 < 5 THEN true WHEN hashint8extended(i, 9) & 15 < 13 THEN false END AS won,
       ((hashint8extended(i, 8) & 1048575) / 100.0)::numeric(12,2) AS amount, (i % 97)::int AS cycle
FROM generate_series(1, 5000) i;
SELECT is(
  (SELECT count(*)::int FROM
     (SELECT rep, spm.rollup(s) AS s FROM (SELECT rep, day, spm.deal_summary(won, amount, cycle) AS s FROM g GROUP BY rep, day) d GROUP BY rep) a
     JOIN (SELECT rep, spm.deal_summary(won, amount, cycle) AS s FROM g GROUP BY rep) b USING (rep)
   WHERE a.s::text = b.s::text
     AND (spm.win_rate(a.s), spm.value_win_rate(a.s), spm.avg_deal_size(a.s), spm.avg_cycle_days(a.s), spm.sales_velocity(a.s))
         IS NOT DISTINCT FROM
         (spm.win_rate(b.s), spm.value_win_rate(b.s), spm.avg_deal_size(b.s), spm.avg_cycle_days(b.s), spm.sales_velocity(b.s))),
  5, 'rollup of daily summaries equals the summary of the raw rows for every rep');
SELECT is(
  (SELECT count(*)::int FROM (
     SELECT rep, day, spm.win_rate(won) OVER w AS moving, (count(*) FILTER (WHERE won) OVER w)::numeric / nullif(count(won) OVER w, 0) AS plain
     FROM g WINDOW w AS (PARTITION BY rep ORDER BY day RANGE BETWEEN '30 days' PRECEDING AND CURRENT ROW)) x
   WHERE moving IS DISTINCT FROM plain), 0,
  'a rolling 30-day win rate equals the plain SQL ratio of two window counts on every row');

-- bad input: specific SQLSTATEs and messages
SELECT throws_ok('SELECT spm.wilson_lower(1, 2, 0)', '22023', 'confidence must be between 0 and 1, exclusive');
SELECT throws_ok('SELECT spm.wilson_upper(1, 2, 1)', '22023', 'confidence must be between 0 and 1, exclusive');
SELECT throws_ok('SELECT spm.wilson_upper(1, 2, 95)', '22023', 'confidence must be between 0 and 1, exclusive');
SELECT throws_ok('SELECT spm.wilson_lower(1, 2, 1 - 1e-31)', '22003', 'confidence 0.9999999999999999999999999999999 is too close to 1');
SELECT throws_ok('SELECT spm.wilson_lower(3, 2)', '22023', 'won must be between 0 and closed');
SELECT throws_ok('SELECT spm.normal_quantile(1)', '22023', 'probability must be between 0 and 1, exclusive');
SELECT throws_ok('SELECT spm.smoothed_win_rate(1, 2, 0.5, -1)', '22023', 'prior_weight must not be negative');
SELECT throws_ok('SELECT spm.smoothed_win_rate(1, 2, 1.5, 1)', '22023', 'prior_rate must be between 0 and 1');
SELECT throws_ok('SELECT spm.sales_velocity(1, 1, 2, 1)', '22023', 'win_rate must be between 0 and 1');
SELECT throws_ok('SELECT spm.funnel(s, 3) FROM (VALUES (4)) v(s)', '22003', 'funnel stage 4 is out of range');
SELECT throws_ok('SELECT spm.funnel(s, 3) FROM (VALUES (0)) v(s)', '22003', 'funnel stage 0 is out of range');
SELECT throws_ok('SELECT spm.funnel(s, 0) FROM (VALUES (1)) v(s)', '22023', 'a funnel must have from 1 to 1000 stages');
SELECT throws_ok('SELECT spm.funnel(s, NULL) FROM (VALUES (1)) v(s)', '22004', 'the number of funnel stages must not be NULL');
SELECT throws_ok('SELECT spm.deal_summary(true, NULL, 1)', '22004', 'deal amount must not be NULL');
SELECT throws_ok('SELECT spm.deal_summary(true, -1, 1)', '22023', 'deal amount must not be negative');
SELECT throws_ok('SELECT spm.deal_summary(false, 1, -1)', '22023', 'sales cycle must not be negative');
SELECT throws_ok($$SELECT 'garbage'::spm.deal_summary$$, '22P02', 'invalid input syntax for type spm.deal_summary: "garbage"');
SELECT throws_ok($$SELECT '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=-5,lost_amount=0,open_amount=0)'::spm.deal_summary$$,
                 '22P02', 'invalid spm.deal_summary: an amount is negative');
SELECT throws_ok($$SELECT '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)'::spm.deal_summary$$,
                 '22P02', 'invalid spm.deal_summary: won_amount is not zero while won is');
CREATE TEMP TABLE summary_back (s spm.deal_summary);
COPY (SELECT '\x020503'::bytea) TO '/tmp/spm_pipeline_tap.bin' (FORMAT binary);
SELECT throws_ok($$COPY summary_back FROM '/tmp/spm_pipeline_tap.bin' (FORMAT binary)$$, '08P01',
                 'invalid external binary spm.deal_summary value');
COPY (SELECT '\x010503'::bytea || '\x00000000000000000000000000000000000000000000000000000000000000010000000000000005'::bytea
             || '\x000000080000000000000000000000080000000000000000000000080000000000000000'::bytea)
  TO '/tmp/spm_pipeline_tap.bin' (FORMAT binary);
SELECT throws_ok($$COPY summary_back FROM '/tmp/spm_pipeline_tap.bin' (FORMAT binary)$$, '08P01',
                 'invalid spm.deal_summary: cycle_deals exceeds the closed (won + lost) deals');

-- the CRM dataset (schema crm, loaded by test/run when ../shared/data/crm exists):
-- win rate per agent and per regional office by quarter of close equals plain SQL
SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
SELECT diag('CRM dataset loaded: ' || :'have_crm');
\if :have_crm
CREATE TEMP TABLE crm_closed AS
  SELECT p.sales_agent, t.regional_office, date_trunc('quarter', p.close_date)::date AS quarter,
         p.deal_stage = 'Won' AS won, p.close_value, p.close_date - p.engage_date AS cycle
  FROM crm.pipeline p JOIN crm.teams t USING (sales_agent)
  WHERE p.deal_stage IN ('Won', 'Lost');
SELECT is((SELECT count(*)::int FROM crm_closed), 6711, 'CRM: 6,711 closed opportunities (4,238 won, 2,473 lost)');
SELECT is(
  (SELECT count(*)::int FROM (
     SELECT sales_agent, quarter, spm.win_rate(won) AS spm_rate,
            count(*) FILTER (WHERE won)::numeric / count(*) AS plain_rate
     FROM crm_closed GROUP BY sales_agent, quarter) x WHERE spm_rate = plain_rate),
  (SELECT count(DISTINCT (sales_agent, quarter))::int FROM crm_closed),
  'CRM: win rate per agent and quarter equals plain SQL');
SELECT is(
  (SELECT count(*)::int FROM (
     SELECT regional_office, quarter, spm.win_rate(won) AS spm_rate,
            count(*) FILTER (WHERE won)::numeric / count(*) AS plain_rate
     FROM crm_closed GROUP BY regional_office, quarter) x WHERE spm_rate = plain_rate),
  (SELECT count(DISTINCT (regional_office, quarter))::int FROM crm_closed),
  'CRM: win rate per regional office and quarter equals plain SQL');
SELECT is(
  (SELECT count(*)::int FROM (
     SELECT regional_office, quarter, spm.win_rate(spm.rollup(s)) AS rolled,
            (SELECT count(*) FILTER (WHERE won)::numeric / count(*) FROM crm_closed c
              WHERE c.regional_office = d.regional_office AND c.quarter = d.quarter) AS plain_rate
     FROM (SELECT sales_agent, regional_office, quarter, spm.deal_summary(won, close_value, cycle) AS s
           FROM crm_closed GROUP BY sales_agent, regional_office, quarter) d
     GROUP BY regional_office, quarter) x WHERE rolled = plain_rate),
  (SELECT count(DISTINCT (regional_office, quarter))::int FROM crm_closed),
  'CRM: agent-quarter summaries rolled up to offices give the same win rates');
SELECT is(
  (SELECT spm.avg_cycle_days(spm.deal_summary(won, close_value, cycle)) FROM crm_closed),
  (SELECT avg(cycle) FROM crm_closed), 'CRM: average sales cycle equals avg()');
\else
SELECT skip('the CRM dataset is not loaded (../shared/data/crm absent)', 5);
\endif

-- deal summary equality and hashing
SELECT ok('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=100,lost_amount=0,open_amount=0)'::spm.deal_summary
          OPERATOR(spm.=) '(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=100.00,lost_amount=0,open_amount=0)',
          'summaries are equal by value (100 = 100.00)');
SELECT is(spm.deal_summary_hash('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=100,lost_amount=0,open_amount=0)'),
          spm.deal_summary_hash('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=100.00,lost_amount=0,open_amount=0)'),
          'equal summaries hash alike');
SELECT is((SELECT count(*) FROM (SELECT DISTINCT s FROM (VALUES
            ('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)'::spm.deal_summary),
            ('(won=1,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5.0,lost_amount=0,open_amount=0)'),
            ('(won=2,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=5,lost_amount=0,open_amount=0)')) v(s)) d),
          2::bigint, 'SELECT DISTINCT goes by value');

SELECT * FROM finish();
ROLLBACK;
