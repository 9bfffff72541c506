-- test/demo/compensation.sql -- commission on the sample company (schema demo)
--
--   psql -f test/data/company.sql && psql -f test/demo/compensation.sql
\set ON_ERROR_STOP on
\pset footer off
\pset null '-'
\set QUIET on

-- the 2026 plan: half rate below 50 % of quota, full rate retroactively from 50 %,
-- an accelerator above 100 %, a 1,000 step bonus at 100 %, capped at 3x target
CREATE TEMP TABLE plan AS
SELECT daterange('2026-01-01', '2027-01-01') AS valid,
       'marginal; from 0% rate 2.5%; from 50% rate 5% catch-up; from 100% rate 8% bonus 1000; cap 3x target'::spm.tier_schedule AS schedule;
CREATE TEMP VIEW won_2026 AS
SELECT d.rep_id, d.deal_id, d.close_date, d.amount, q.quota
FROM demo.deals d JOIN demo.quotas q ON q.rep_id = d.rep_id AND q.year = 2026
WHERE d.won AND d.close_date >= date '2026-01-01' AND d.close_date < date '2027-01-01';

\echo
\echo '=== compensation: the plan is one value ==='
SELECT schedule FROM plan;

\echo '=== compensation: 2026 commission per rep (group_commission on the total credit) ==='
SELECT w.rep_id, r.name AS rep, min(w.quota) AS quota, sum(w.amount) AS credit,
       round(100 * sum(w.amount) / min(w.quota), 1) AS attainment_pct,
       spm.group_commission(w.amount, p.schedule, w.quota) AS commission
FROM won_2026 w JOIN demo.reps r USING (rep_id) JOIN plan p ON p.valid @> w.close_date
GROUP BY w.rep_id, r.name ORDER BY commission DESC LIMIT 8;

\echo '=== compensation: payout statement of the top rep ==='
WITH top AS (
  SELECT rep_id, sum(amount) AS credit, min(quota) AS quota FROM won_2026
  GROUP BY rep_id ORDER BY sum(amount) / min(quota) DESC LIMIT 1
)
SELECT e.* FROM top, plan p, spm.commission_explain(top.credit, p.schedule, top.quota) e;

\echo '=== compensation: per-deal commission of rep 1 around the 50 % gate (the crossing deal carries the catch-up) ==='
SELECT * FROM (
  SELECT deal_id, close_date, amount, sum(amount) OVER w AS credit,
         spm.deal_commission(amount, p.schedule, quota) OVER w AS commission
  FROM won_2026 JOIN plan p ON p.valid @> close_date
  WHERE rep_id = 1
  WINDOW w AS (ORDER BY close_date, deal_id)) t
WHERE credit BETWEEN 0.48 * (SELECT quota FROM demo.quotas WHERE rep_id = 1 AND year = 2026)
                 AND 0.51 * (SELECT quota FROM demo.quotas WHERE rep_id = 1 AND year = 2026)
ORDER BY close_date, deal_id;

\echo '=== compensation: per-deal amounts sum exactly to the period commission, for every rep ==='
SELECT count(*) AS reps, count(*) FILTER (WHERE paid = total) AS exact
FROM (SELECT rep_id, sum(c) AS paid, spm.commission(sum(amount), (SELECT schedule FROM plan), min(quota)) AS total
      FROM (SELECT rep_id, amount, quota, spm.deal_commission(amount, (SELECT schedule FROM plan), quota)
                   OVER (PARTITION BY rep_id ORDER BY close_date, deal_id) AS c FROM won_2026) d
      GROUP BY rep_id) t;

\echo '=== compensation: what-if for rep 1 on a 25,000 deal, and credit to the next tier ==='
SELECT spm.commission_what_if(sum(amount), 25000, (SELECT schedule FROM plan), min(quota)) AS next_deal_earns,
       spm.credit_to_next_tier(sum(amount), (SELECT schedule FROM plan), min(quota)) AS credit_to_next_tier
FROM won_2026 WHERE rep_id = 1 AND close_date < date '2026-07-01';
