-- test/demo/quota.sql -- readable tour of spm's quota area on the sample data
--
--   psql -f test/data/company.sql            # schema demo (required)
--   psql -f test/data/crm.sql                # schema crm  (optional)
--   psql -f test/demo/quota.sql              # test/run demo then runs the other test/demo/*.sql
--
-- Needs the spm extension (CREATE EXTENSION spm) in the current database.
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set QUIET on

\echo
\echo '=== demo: attainment per rep, 2026 (won deals closed in 2026 vs annual quota) ==='
WITH won AS (
    SELECT rep_id, sum(amount) AS won
    FROM demo.deals
    WHERE won AND close_date >= date '2026-01-01' AND close_date < date '2027-01-01'
    GROUP BY rep_id
)
SELECT r.rep_id, r.name AS rep, g.name AS region,
       coalesce(w.won, 0)                                   AS won_2026,
       q.quota,
       round(100 * spm.attainment(coalesce(w.won, 0), q.quota), 1) AS attainment_pct
FROM demo.reps r
JOIN demo.regions g USING (region_id)
JOIN demo.quotas q ON q.rep_id = r.rep_id AND q.year = 2026
LEFT JOIN won w ON w.rep_id = r.rep_id
ORDER BY attainment_pct DESC, r.rep_id;

\echo '=== demo: spm.attainment edge cases: zero / NULL quota give NULL ==='
SELECT spm.attainment(50, 0) AS quota_zero, spm.attainment(50, NULL) AS quota_null,
       spm.attainment(50, 200) AS quarter;

-- per-rep won value and quota, reused below
CREATE TEMP VIEW rep_2026 AS
SELECT r.rep_id, r.manager_id, r.region_id,
       coalesce(sum(d.amount) FILTER (WHERE d.won AND d.close_date >= date '2026-01-01'
                                      AND d.close_date < date '2027-01-01'), 0) AS won,
       q.quota
FROM demo.reps r
JOIN demo.quotas q ON q.rep_id = r.rep_id AND q.year = 2026
LEFT JOIN demo.deals d ON d.rep_id = r.rep_id
GROUP BY r.rep_id, r.manager_id, r.region_id, q.quota;

\echo '=== demo: group attainment per region: sum(won)/sum(quota) vs the WRONG avg of ratios ==='
SELECT g.name AS region, count(*) AS reps,
       sum(x.won) AS won_2026, sum(x.quota) AS quota,
       round(100 * spm.group_attainment(x.won, x.quota), 1)  AS group_attainment_pct,
       round(100 * avg(spm.attainment(x.won, x.quota)), 1)   AS wrong_avg_of_ratios_pct
FROM rep_2026 x JOIN demo.regions g USING (region_id)
GROUP BY ROLLUP (g.name)
ORDER BY g.name NULLS LAST;

\echo '=== demo: group attainment per manager ==='
SELECT m.name AS manager, g.name AS region, count(*) AS reps,
       sum(x.won) AS won_2026, sum(x.quota) AS quota,
       round(100 * spm.group_attainment(x.won, x.quota), 1)  AS group_attainment_pct,
       round(100 * avg(spm.attainment(x.won, x.quota)), 1)   AS wrong_avg_of_ratios_pct
FROM rep_2026 x
JOIN demo.managers m USING (manager_id)
JOIN demo.regions g ON g.region_id = m.region_id
GROUP BY m.name, g.name
ORDER BY g.name, m.name;

\echo '=== demo: why averaging ratios is wrong: one tiny-quota rep dominates ==='
SELECT round(100 * spm.group_attainment(won, quota), 1)  AS group_attainment_pct,
       round(100 * avg(spm.attainment(won, quota)), 1)   AS wrong_avg_of_ratios_pct
FROM (VALUES (900000::numeric, 1000000::numeric),   -- big rep: 90 %
             (  3000, 1000)) AS t(won, quota);     -- tiny rep: 300 %

\echo '=== demo: next year''s regional targets spread over reps by their 2026 bookings (exact to the cent) ==='
WITH booked AS (
  SELECT r.rep_id, r.region_id, coalesce(sum(d.amount) FILTER (WHERE d.won AND d.close_date >= date '2026-01-01'
                                                                AND d.close_date < date '2027-01-01'), 0) AS won_2026
  FROM demo.reps r LEFT JOIN demo.deals d USING (rep_id)
  GROUP BY r.rep_id, r.region_id
), targets AS (
  SELECT region_id, round(1.1 * sum(won_2026), -3) + 0.01 AS target FROM booked GROUP BY region_id
), spread AS (
  SELECT b.region_id, b.rep_id, t.target,
         spm.allocate_share(t.target, b.won_2026) OVER (PARTITION BY b.region_id ORDER BY b.rep_id) AS quota_2027
  FROM booked b JOIN targets t USING (region_id)
)
SELECT g.name AS region, count(*) AS reps, min(target) AS target, sum(quota_2027) AS sum_of_rep_quotas,
       min(quota_2027) AS smallest, max(quota_2027) AS largest
FROM spread JOIN demo.regions g USING (region_id)
GROUP BY g.name ORDER BY g.name;

\echo '=== demo: a 2026 annual quota of 120,000 weighted by quarter {1,1,1,2}, prorated for late hires, and a ramp ==='
SELECT hire, spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange(hire, NULL)) AS by_days,
       spm.prorate_days(120000, daterange('2026-01-01', '2027-01-01'), daterange(hire, NULL), ARRAY[1, 1, 1, 2]) AS seasonal,
       spm.prorate_months(120000, daterange('2026-01-01', '2027-01-01'), daterange(hire, NULL)) AS by_months,
       spm.ramp_quota(10000, spm.tenure_month(hire, date '2026-12-01'), ARRAY[0.25, 0.5, 0.75]) AS december_ramped
FROM (VALUES (date '2026-01-01'), (date '2026-07-16'), (date '2026-10-15'), (date '2026-12-01')) h(hire);

SELECT to_regclass('crm.pipeline') IS NOT NULL AS has_crm \gset
\if :has_crm
-- crm: the real dataset has no quotas, so we make one up: every agent has a quota of
-- 200,000 per year (won close_value; close dates are all in 2017), except the 5 new
-- hires without any deal, who carry a ramp-up quota of 50,000.
\echo '=== crm (real data): attainment per agent, 2017, made-up quota 200,000 per agent (new hires 50,000) ==='
CREATE TEMP VIEW crm_agent AS
SELECT t.sales_agent, t.manager, t.regional_office,
       coalesce(sum(p.close_value) FILTER (WHERE p.deal_stage = 'Won'
                                           AND p.close_date >= date '2017-01-01'
                                           AND p.close_date < date '2018-01-01'), 0) AS won,
       CASE WHEN count(p.opportunity_id) = 0 THEN 50000 ELSE 200000 END::numeric AS quota
FROM crm.teams t
LEFT JOIN crm.pipeline p ON p.sales_agent = t.sales_agent
GROUP BY t.sales_agent, t.manager, t.regional_office;

SELECT sales_agent, regional_office, won AS won_2017, quota,
       round(100 * spm.attainment(won, quota), 1) AS attainment_pct
FROM crm_agent
ORDER BY attainment_pct DESC, sales_agent;

\echo '=== crm: group attainment per regional office vs the WRONG avg of ratios ==='
SELECT regional_office, count(*) AS agents, sum(won) AS won_2017, sum(quota) AS quota,
       round(100 * spm.group_attainment(won, quota), 1)  AS group_attainment_pct,
       round(100 * avg(spm.attainment(won, quota)), 1)   AS wrong_avg_of_ratios_pct
FROM crm_agent
GROUP BY ROLLUP (regional_office)
ORDER BY regional_office NULLS LAST;

\echo '=== crm: group attainment per manager ==='
SELECT manager, regional_office, count(*) AS agents, sum(won) AS won_2017,
       round(100 * spm.group_attainment(won, quota), 1)  AS group_attainment_pct,
       round(100 * avg(spm.attainment(won, quota)), 1)   AS wrong_avg_of_ratios_pct
FROM crm_agent
GROUP BY manager, regional_office
ORDER BY regional_office, manager;
\else
\echo '(schema crm not loaded: skipping the real-data part; load it with test/data/crm.sql)'
\endif
