-- test/data/crm_backtest.sql -- the forecast back-test on the CRM dataset (schema crm):
-- as of 2017-06-30, each deal then open gets a probability of being won in the third quarter,
-- P(win) x P(close within Q3): P(win) its agent's stage probability at Engaging from the deals
-- closed by then (spm.stage_summary), P(close within Q3) the chance that a deal of its age
-- closes in the next 92 days (spm.cycle_summary as of 2017-06-30, spm.close_within); its amount
-- its product's list price (open deals have no close value yet). Then what did close in Q3.
-- Creates TEMP TABLE backtest (one row per deal open on 2017-06-30); test/demo/forecast.sql
-- and test/backtest.sql read it.
CREATE TEMP TABLE backtest AS
WITH params AS (SELECT date '2017-06-30' AS as_of, date '2017-09-30' AS q3_end),
-- stages: 1 Prospecting, 2 Engaging, 3 decided (won or lost), 4 Won; a lost deal got to 3
stages AS (
    SELECT p.sales_agent, spm.stage_summary(CASE p.deal_stage WHEN 'Won' THEN 4 ELSE 3 END,
                                            p.deal_stage = 'Won') AS m
    FROM crm.pipeline p, params WHERE p.close_date <= params.as_of GROUP BY p.sales_agent),
-- time to close as of 2017-06-30: closed deals by their cycle, open ones censored at their age
cycles AS (
    SELECT spm.cycle_summary(least(p.close_date, params.as_of) - p.engage_date,
                             coalesce(p.close_date <= params.as_of, false)) AS s
    FROM crm.pipeline p, params WHERE p.engage_date <= params.as_of),
open_then AS (
    SELECT p.*, params.as_of - p.engage_date AS age, params.q3_end - params.as_of AS days_left
    FROM crm.pipeline p, params
    WHERE p.engage_date <= params.as_of AND (p.close_date IS NULL OR p.close_date > params.as_of))
SELECT o.opportunity_id, o.sales_agent, t.regional_office, o.product, o.age,
       pr.sales_price AS amount,
       spm.stage_win_probability(st.m, 2) AS p_win,
       spm.close_within(c.s, o.age, o.days_left) AS p_close,
       round(spm.stage_win_probability(st.m, 2) * spm.close_within(c.s, o.age, o.days_left), 20) AS p,
       o.deal_stage = 'Won' AND o.close_date <= date '2017-09-30' AS won_in_q3,
       CASE WHEN o.deal_stage = 'Won' AND o.close_date <= date '2017-09-30' THEN o.close_value ELSE 0 END AS actual
FROM open_then o
JOIN crm.teams t USING (sales_agent)
JOIN crm.products pr ON pr.product = replace(o.product, 'GTXPro', 'GTX Pro')
JOIN stages st USING (sales_agent)
CROSS JOIN cycles c;
