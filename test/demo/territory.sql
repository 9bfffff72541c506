-- test/demo/territory.sql -- readable tour of spm's territory area
--
--   psql -f test/data/company.sql            # schema demo (required)
--   psql -f test/data/crm.sql                # schema crm  (optional)
--   psql -f test/demo/territory.sql
--
-- Needs the spm extension (CREATE EXTENSION spm) in the current database.
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set QUIET on

-- per-rep loads of the sample company: 2026 won value, open pipeline, deal count
CREATE TEMP VIEW rep_load AS
SELECT r.rep_id, g.name AS region,
       coalesce(sum(d.amount) FILTER (WHERE d.won AND d.close_date >= date '2026-01-01'
                                      AND d.close_date < date '2027-01-01'), 0) AS won,
       coalesce(sum(d.amount) FILTER (WHERE d.outcome = 'open'), 0) AS pipeline,
       count(d.deal_id) AS deals
FROM demo.reps r JOIN demo.regions g USING (region_id)
LEFT JOIN demo.deals d ON d.rep_id = r.rep_id
GROUP BY r.rep_id, g.name;

\echo
\echo '=== demo: balance of the 40 reps and the 3 regions (score = 100 * (1 - largest deviation from the mean)) ==='
SELECT level, metric, (b).territories, (b).total, round((b).mean, 2) AS mean, (b).min, (b).max,
       round((b).gini, 4) AS gini, round((b).cv, 4) AS cv, round((b).max_min_ratio, 2) AS max_min,
       round(100 * (b).max_deviation, 1) AS max_dev_pct, round(100 * (b).share_within, 1) AS within_15_pct,
       (b).score
FROM (SELECT 'reps' AS level, 'won 2026' AS metric, spm.balance(won, 0.15) AS b FROM rep_load
      UNION ALL SELECT 'reps', 'open pipeline', spm.balance(pipeline, 0.15) FROM rep_load
      UNION ALL SELECT 'reps', 'deals', spm.balance(deals, 0.15) FROM rep_load
      UNION ALL SELECT 'regions', 'won 2026', spm.balance(won, 0.15)
                FROM (SELECT region, sum(won) AS won FROM rep_load GROUP BY region) r) s
ORDER BY level DESC, metric DESC;

\echo '=== demo: weighted territory index per region: won 30%, open pipeline 60%, deals 10%, each / its mean ==='
SELECT region, won, pipeline, deals,
       round(spm.territory_index(ARRAY[won, pipeline, deals], ARRAY[30, 60, 10]) OVER (), 4) AS index
FROM (SELECT region, sum(won) AS won, sum(pipeline) AS pipeline, sum(deals) AS deals
      FROM rep_load GROUP BY region) r
ORDER BY region;

-- an account book for the sample company: 400 accounts (deals grouped by deal_id % 400),
-- each owned by the rep of its first deal
CREATE TEMP TABLE demo_book AS
SELECT 'acct' || lpad((deal_id % 400)::text, 3, '0') AS account,
       sum(amount) AS potential,
       (array_agg(rep_id ORDER BY deal_id))[1]::text AS owner
FROM demo.deals GROUP BY deal_id % 400;
CREATE TEMP TABLE demo_plan AS
SELECT account, potential, owner,
       spm.propose_territory(account, potential, owner, tolerance => 0.02) OVER () AS proposed
FROM demo_book;

\echo '=== demo: rebalancing 400 accounts across the 40 reps within +-2% of the mean: before and after ==='
SELECT scenario, (b).territories, round((b).mean, 2) AS mean, (b).min, (b).max, round((b).gini, 4) AS gini,
       round(100 * (b).max_deviation, 2) AS max_dev_pct, (b).score, moved
FROM (SELECT 'before' AS scenario, spm.balance(load, 0.02) AS b, 0 AS moved
      FROM (SELECT sum(potential) AS load FROM demo_plan GROUP BY owner) s
      UNION ALL
      SELECT 'after', spm.balance(load, 0.02),
             (SELECT count(*) FROM demo_plan WHERE proposed <> owner)
      FROM (SELECT sum(potential) AS load FROM demo_plan GROUP BY proposed) s) x;

SELECT to_regclass('crm.pipeline') IS NOT NULL AS has_crm \gset
\if :has_crm
-- crm: every agent's won value and the accounts they have deals with
CREATE TEMP VIEW crm_agent_load AS
SELECT t.sales_agent, t.regional_office,
       coalesce(sum(p.close_value) FILTER (WHERE p.deal_stage = 'Won'), 0) AS won,
       count(DISTINCT p.account) AS accounts
FROM crm.teams t LEFT JOIN crm.pipeline p USING (sales_agent)
GROUP BY t.sales_agent, t.regional_office;

\echo '=== crm (real data): balance of the 35 agents and the 3 regional offices, by won value and by account count ==='
SELECT level, metric, (b).territories, (b).total, round((b).mean, 2) AS mean, (b).min, (b).max,
       round((b).gini, 4) AS gini, round((b).cv, 4) AS cv, round((b).max_min_ratio, 2) AS max_min,
       round(100 * (b).max_deviation, 1) AS max_dev_pct, round(100 * (b).share_within, 1) AS within_15_pct,
       (b).score
FROM (SELECT 'agents' AS level, 'won value' AS metric, spm.balance(won, 0.15) AS b FROM crm_agent_load
      UNION ALL SELECT 'agents', 'accounts', spm.balance(accounts, 0.15) FROM crm_agent_load
      UNION ALL SELECT 'offices', 'won value', spm.balance(won, 0.15)
                FROM (SELECT regional_office, sum(won) AS won FROM crm_agent_load GROUP BY 1) o
      UNION ALL SELECT 'offices', 'accounts', spm.balance(accounts, 0.15)
                FROM (SELECT t.regional_office, count(DISTINCT p.account) AS accounts
                      FROM crm.teams t JOIN crm.pipeline p USING (sales_agent) GROUP BY 1) o) s
ORDER BY level, metric DESC;

-- the 85 accounts: won value, owned by the agent who won most with them (ties by name)
CREATE TEMP TABLE crm_book AS
WITH per_agent AS (
    SELECT account, sales_agent, sum(close_value) AS won
    FROM crm.pipeline WHERE deal_stage = 'Won' AND account IS NOT NULL
    GROUP BY account, sales_agent
), owner AS (
    SELECT DISTINCT ON (account) account, sales_agent AS owner
    FROM per_agent ORDER BY account, won DESC, sales_agent
)
SELECT a.account, coalesce(sum(p.won), 0) AS won, o.owner, t.regional_office AS office
FROM crm.accounts a
LEFT JOIN per_agent p USING (account)
LEFT JOIN owner o USING (account)
LEFT JOIN crm.teams t ON t.sales_agent = o.owner
GROUP BY a.account, o.owner, t.regional_office;

\echo '=== crm: rebalancing the 85 accounts across the 3 regional offices (exact), before and after ==='
CREATE TEMP TABLE crm_office_plan AS
SELECT account, won, office, spm.propose_territory(account, won, office) OVER () AS proposed
FROM crm_book;
SELECT scenario, (b).territories, round((b).mean, 2) AS mean, (b).min, (b).max, round((b).gini, 6) AS gini,
       round(100 * (b).max_deviation, 4) AS max_dev_pct, (b).score, moved
FROM (SELECT 'before' AS scenario, spm.balance(load, 0.05) AS b, 0 AS moved
      FROM (SELECT sum(won) AS load FROM crm_office_plan GROUP BY office) s
      UNION ALL
      SELECT 'after', spm.balance(load, 0.05), (SELECT count(*) FROM crm_office_plan WHERE proposed <> office)
      FROM (SELECT sum(won) AS load FROM crm_office_plan GROUP BY proposed) s) x;
\echo '=== crm: the moves ==='
SELECT account, won, office AS from_office, proposed AS to_office
FROM crm_office_plan WHERE proposed <> office ORDER BY won DESC, account;
\echo '=== crm: fewer moves for a looser band (tolerance stops moving once every office is within it) ==='
WITH plans AS (
    SELECT tolerance, account, won, office,
           spm.propose_territory(account, won, office, tolerance => tolerance)
             OVER (PARTITION BY tolerance) AS proposed
    FROM crm_book, (VALUES (0), (0.01), (0.05)) v(tolerance)
)
SELECT tolerance, count(*) FILTER (WHERE proposed <> office) AS moved,
       (SELECT round(100 * spm.max_deviation(load), 4)
        FROM (SELECT sum(won) AS load FROM plans q WHERE q.tolerance = p.tolerance GROUP BY proposed) l)
         AS max_dev_pct
FROM plans p GROUP BY tolerance ORDER BY tolerance;

\echo '=== crm: the 85 accounts across all 35 agents (the 5 new hires own none yet): toward +-15%, stopped by a limit of 40 moves ==='
CREATE TEMP TABLE crm_agent_plan AS
SELECT account, won, owner,
       spm.propose_territory(account, won, owner,
                             (SELECT array_agg(sales_agent ORDER BY sales_agent) FROM crm.teams),
                             max_moves => 40, tolerance => 0.15) OVER () AS proposed
FROM crm_book;
SELECT scenario, (b).territories, round((b).mean, 2) AS mean, (b).min, (b).max, round((b).gini, 4) AS gini,
       round(100 * (b).max_deviation, 1) AS max_dev_pct, round(100 * (b).share_within, 1) AS within_15_pct,
       (b).score, moved
FROM (SELECT 'before' AS scenario, spm.balance(coalesce(load, 0), 0.15) AS b, 0 AS moved
      FROM crm.teams t LEFT JOIN (SELECT owner, sum(won) AS load FROM crm_agent_plan GROUP BY owner) s
           ON s.owner = t.sales_agent
      UNION ALL
      SELECT 'after', spm.balance(coalesce(load, 0), 0.15),
             (SELECT count(*) FROM crm_agent_plan WHERE proposed <> owner)
      FROM crm.teams t LEFT JOIN (SELECT proposed, sum(won) AS load FROM crm_agent_plan GROUP BY proposed) s
           ON s.proposed = t.sales_agent) x;
\echo '=== crm: what the 16 agents who owned no account get (the 5 new hires among them) ==='
SELECT t.sales_agent, t.manager, t.regional_office, count(p.account) AS accounts, sum(p.won) AS won
FROM crm.teams t JOIN crm_agent_plan p ON p.proposed = t.sales_agent
WHERE NOT EXISTS (SELECT 1 FROM crm_agent_plan q WHERE q.owner = t.sales_agent)
GROUP BY 1, 2, 3 ORDER BY 1;
\else
\echo '(schema crm not loaded: skipping the real-data part; load it with test/data/crm.sql)'
\endif
