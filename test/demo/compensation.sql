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

-- ---------------------------------------------------------------- payouts: draws, splits, payout lines
-- For draws, a simpler monthly plan: a rep earns 5 % of the amount of the deals won in a
-- month, and is guaranteed a monthly draw of 90 % of the commission at quota (5 % of a
-- twelfth of the annual quota, rounded to hundreds).

-- monthly earnings per rep, 2026: every month, also those without a win (earnings 0)
CREATE TEMP VIEW rep_month AS
SELECT r.rep_id, r.name, m.month::date AS month,
       coalesce(round(0.05 * sum(d.amount), 2), 0) AS earnings,
       round(0.9 * 0.05 * q.quota / 12, -2) AS draw
FROM demo.reps r
JOIN demo.quotas q ON q.rep_id = r.rep_id AND q.year = 2026
CROSS JOIN generate_series(date '2026-01-01', date '2026-12-01', interval '1 month') m(month)
LEFT JOIN demo.deals d ON d.rep_id = r.rep_id AND d.won
                      AND d.close_date >= m.month AND d.close_date < m.month + interval '1 month'
GROUP BY r.rep_id, r.name, m.month, q.quota;

CREATE TEMP VIEW rep_draw AS
SELECT rep_id, name, month, earnings, draw, (d).payout, (d).advance, (d).recovered, (d).balance,
       (spm.nonrecoverable_draw(earnings, draw)).payout AS nonrecoverable_payout
FROM (SELECT *, spm.recoverable_draw(earnings, draw) OVER (PARTITION BY rep_id ORDER BY month) AS d
      FROM rep_month) s;

\echo
\echo '=== payout: a recoverable draw month by month for the rep with the leanest first quarter ==='
SELECT to_char(month, 'YYYY-MM') AS month, earnings, draw, payout, advance, recovered, balance
FROM rep_draw
WHERE rep_id = (SELECT rep_id FROM rep_month WHERE month < date '2026-04-01'
                GROUP BY rep_id ORDER BY sum(earnings) / min(draw), rep_id LIMIT 1)
ORDER BY month;

\echo '=== payout: the year per rep (lowest earnings against the draw first): recoverable vs non-recoverable ==='
SELECT rep_id, name, sum(earnings) AS earned, sum(payout) AS paid_recoverable,
       max(balance) FILTER (WHERE month = date '2026-12-01') AS owed_at_year_end,
       sum(nonrecoverable_payout) AS paid_nonrecoverable,
       count(*) FILTER (WHERE advance > 0) AS months_topped_up
FROM rep_draw
GROUP BY rep_id, name
ORDER BY sum(earnings) / sum(draw), rep_id
LIMIT 8;

\echo '=== payout: the balance identity holds for every rep: paid = earned + still owed ==='
SELECT count(*) AS reps, count(*) FILTER (WHERE paid = earned + owed) AS identity_holds,
       sum(owed) AS owed_by_all_reps_at_year_end
FROM (SELECT rep_id, sum(payout) AS paid, sum(earnings) AS earned,
             max(balance) FILTER (WHERE month = date '2026-12-01') AS owed
      FROM rep_draw GROUP BY rep_id) r;

\echo '=== payout: big deals (won, over 90,000) split 60/40 with the next rep, plus a 10 % overlay for the manager ==='
-- the revenue split (shares summing to 1) and the overlay (on top, allowed by the flag) are
-- split in partitions of their own, so the reps' credits sum exactly to the deal
CREATE TEMP TABLE deal_credit AS
SELECT d.deal_id, d.amount, c.role, c.credited, c.share
FROM demo.deals d
JOIN demo.reps r ON r.rep_id = d.rep_id
CROSS JOIN LATERAL (VALUES ('owner', 'rep ' || d.rep_id, 0.6),
                           ('partner', 'rep ' || (d.rep_id % 40 + 1), 0.4),
                           ('overlay', 'manager ' || r.manager_id, 0.1)) c(role, credited, share)
WHERE d.won AND d.amount > 90000;
CREATE TEMP VIEW credited AS
SELECT *, spm.split_share(amount, share, role = 'overlay')
            OVER (PARTITION BY deal_id, role = 'overlay' ORDER BY share DESC, credited) AS credit
FROM deal_credit;
SELECT deal_id, amount, role, credited, share, credit
FROM credited
WHERE deal_id IN (SELECT DISTINCT deal_id FROM deal_credit ORDER BY deal_id LIMIT 2)
ORDER BY deal_id, share DESC;

\echo '=== payout: every revenue split credits the deal exactly (to the cent); the overlay is 10 % to the cent ==='
SELECT count(DISTINCT deal_id) AS split_deals,
       bool_and(rep_total = amount) AS reps_get_exactly_the_deal,
       bool_and(overlay = round(amount * 0.1, 2)) AS overlay_is_10_pct
FROM (SELECT deal_id, min(amount) AS amount,
             sum(credit) FILTER (WHERE role <> 'overlay') AS rep_total,
             sum(credit) FILTER (WHERE role = 'overlay') AS overlay
      FROM credited GROUP BY deal_id) t;

\echo '=== payout: a statement rounded line by line to the cent still sums to the rounded total ==='
WITH lines AS (
  SELECT deal_id, close_date, amount, 0.0475 * amount AS commission   -- 4.75 %: fractions of a cent
  FROM demo.deals
  WHERE rep_id = 1 AND won AND close_date >= date '2026-03-01' AND close_date < date '2026-04-01'
)
SELECT deal_id, close_date, amount, commission,
       round(commission, 2) AS each_rounded_alone,
       spm.round_line(commission) OVER (ORDER BY close_date, deal_id) AS statement_line
FROM lines
UNION ALL
SELECT NULL, NULL, sum(amount), sum(commission), sum(round(commission, 2)), round(sum(commission), 2)
FROM lines
ORDER BY close_date NULLS LAST, deal_id;

-- ---------------------------------------------------------------- payout statements
-- rep 1's monthly statements under the 2026 plan (tiers on the year to date, so a deal's line
-- depends on every deal before it), issued month by month; in March a February deal is clawed
-- back and the months already paid are restated (doc/compensation.md, "Payout statements")
CREATE TEMP TABLE clawed_back (deal_id int PRIMARY KEY);
CREATE TEMP VIEW stmt_exact AS
SELECT w.rep_id, date_trunc('month', w.close_date)::date AS period, 'commission'::text AS kind,
       row_number() OVER (PARTITION BY w.rep_id, date_trunc('month', w.close_date) ORDER BY w.close_date, w.deal_id)
         AS line_no, 'deal ' || w.deal_id AS ref,
       'Deal ' || w.deal_id || ', won ' || w.close_date || ', ' || w.amount AS label,
       spm.deal_commission(w.amount, p.schedule, w.quota) OVER (PARTITION BY w.rep_id ORDER BY w.close_date, w.deal_id) AS amount
FROM won_2026 w JOIN plan p ON p.valid @> w.close_date
WHERE w.rep_id = 1 AND w.deal_id NOT IN (SELECT deal_id FROM clawed_back);
CREATE TEMP TABLE stmt_lines (
  rep_id int, period date, for_period date, kind text NOT NULL CHECK (spm.statement_order(kind) > 0),
  line_no int, ref text, label text, amount numeric NOT NULL, paid numeric NOT NULL,
  PRIMARY KEY (rep_id, period, for_period, ref));
-- January and February: each month's own lines, rounded together
INSERT INTO stmt_lines
SELECT rep_id, period, period, kind, line_no, ref, label, amount,
       spm.round_line(amount) OVER (PARTITION BY rep_id, period ORDER BY spm.statement_order(kind), line_no)
FROM stmt_exact WHERE period < date '2026-03-01';

\echo '=== statements: rep 1''s February statement as issued ==='
SELECT label, amount, paid
FROM (SELECT line_no, label, amount, paid FROM stmt_lines WHERE period = date '2026-02-01'
      UNION ALL
      SELECT NULL, 'Total payable', sum(amount), sum(paid) FROM stmt_lines WHERE period = date '2026-02-01') s
ORDER BY line_no NULLS LAST;

-- March: February's largest deal is clawed back; the adjustments first, then March's lines
INSERT INTO clawed_back
SELECT deal_id FROM won_2026
WHERE rep_id = 1 AND close_date >= date '2026-02-01' AND close_date < date '2026-03-01'
ORDER BY amount DESC LIMIT 1;
INSERT INTO stmt_lines
SELECT rep_id, date '2026-03-01', for_period, 'adjustment',
       row_number() OVER (ORDER BY for_period, line_no), ref,
       'Adjustment for ' || to_char(for_period, 'Mon YYYY') || ': ' || label, adjustment, adjustment
FROM (SELECT rep_id, for_period, ref, coalesce(r.line_no, p.line_no) AS line_no, coalesce(r.label, p.label) AS label,
             spm.adjustment_line(r.amount, p.paid) OVER (PARTITION BY rep_id, for_period ORDER BY r.line_no) AS adjustment
      FROM (SELECT rep_id, period AS for_period, ref, line_no, label, amount
            FROM stmt_exact WHERE period < date '2026-03-01') r
      FULL JOIN (SELECT rep_id, for_period, ref, sum(paid) AS paid, min(line_no) AS line_no, min(label) AS label
                 FROM stmt_lines GROUP BY rep_id, for_period, ref) p USING (rep_id, for_period, ref)) a
WHERE adjustment <> 0;
INSERT INTO stmt_lines
SELECT rep_id, period, period, kind, line_no, ref, label, amount,
       spm.round_line(amount) OVER (PARTITION BY rep_id, period ORDER BY spm.statement_order(kind), line_no)
FROM stmt_exact WHERE period = date '2026-03-01';

\echo '=== statements: rep 1''s March statement, with the adjustments for February ==='
SELECT label, amount, paid
FROM (SELECT spm.statement_order(kind) AS section, for_period, line_no, label, amount, paid
      FROM stmt_lines WHERE period = date '2026-03-01'
      UNION ALL
      SELECT 7, NULL, NULL, 'Total payable', sum(amount), sum(paid) FROM stmt_lines WHERE period = date '2026-03-01') s
ORDER BY section, for_period, line_no;

\echo '=== statements: paid + adjustments = each month restated without the clawed-back deal, to the cent ==='
SELECT for_period, sum(paid) AS paid_in_all,
       (SELECT round(sum(amount), 2) FROM stmt_exact e WHERE e.period = s.for_period) AS restated
FROM stmt_lines s GROUP BY for_period ORDER BY for_period;

SELECT to_regclass('crm.pipeline') IS NOT NULL AS has_crm \gset
\if :has_crm
\echo '=== crm (real data): a made-up 1,500 monthly recoverable draw against 5 % of won value, 2017 ==='
WITH agent_month AS (
  SELECT t.sales_agent, m.month::date AS month,
         coalesce(round(0.05 * sum(p.close_value), 2), 0) AS earnings
  FROM crm.teams t
  CROSS JOIN generate_series(date '2017-01-01', date '2017-12-01', interval '1 month') m(month)
  LEFT JOIN crm.pipeline p ON p.sales_agent = t.sales_agent AND p.deal_stage = 'Won'
                          AND p.close_date >= m.month AND p.close_date < m.month + interval '1 month'
  GROUP BY t.sales_agent, m.month
), drawn AS (
  SELECT sales_agent, month, earnings,
         spm.recoverable_draw(earnings, 1500.00) OVER (PARTITION BY sales_agent ORDER BY month) AS d
  FROM agent_month
)
SELECT sales_agent, sum(earnings) AS earned, sum((d).payout) AS paid,
       sum((d).advance) AS advanced, sum((d).recovered) AS recovered,
       max((d).balance) FILTER (WHERE month = date '2017-12-01') AS owed_at_year_end
FROM drawn
GROUP BY sales_agent
ORDER BY sum(earnings), sales_agent
LIMIT 8;
\else
\echo '(schema crm not loaded: skipping the real-data part; load it with test/data/crm.sql)'
\endif

\echo '=== compensation: a plan changed mid-March (effective dating) ==='
-- reps 1 to 5 move from the standard plan to an accelerated one on 16 March; the database
-- keeps each rep's assignments from overlapping (btree_gist ships with PostgreSQL)
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TEMP TABLE month_plans (plan_id text PRIMARY KEY, schedule spm.tier_schedule NOT NULL);
INSERT INTO month_plans VALUES ('standard', 'marginal; from 0 rate 4%; from 310000 rate 7%'),
                               ('accelerated', 'marginal; from 0 rate 5%; from 310000 rate 9%');
CREATE TEMP TABLE plan_assignments (rep_id int NOT NULL, plan_id text NOT NULL REFERENCES month_plans,
                                    valid daterange NOT NULL, EXCLUDE USING gist (rep_id WITH =, valid WITH &&));
INSERT INTO plan_assignments
SELECT rep_id, 'standard', daterange('2026-01-01', '2026-03-16') FROM generate_series(1, 5) rep_id
UNION ALL
SELECT rep_id, 'accelerated', daterange('2026-03-16', NULL) FROM generate_series(1, 5) rep_id;
-- March per rep: continue carries the credit across the change; restart counts from it, each
-- plan's thresholds prorated by days (310,000 over 15 of 31 days is 150,000, over 16 is 160,000)
SELECT rep_id, count(*) AS deals, sum(amount) AS credit,
       count(DISTINCT plan_id) AS plans,
       sum(continued) AS continued, sum(restarted) AS restarted
FROM (
  SELECT d.rep_id, d.amount, a.plan_id,
         spm.effective_deal_commission(d.amount, d.close_date, a.valid, p.schedule, 'continue') OVER w AS continued,
         spm.effective_deal_commission(d.amount, d.close_date, a.valid,
           spm.prorate_schedule(p.schedule, '[2026-03-01,2026-04-01)', a.valid), 'restart') OVER w AS restarted
  FROM demo.deals d
  JOIN plan_assignments a ON a.rep_id = d.rep_id AND a.valid @> d.close_date
  JOIN month_plans p USING (plan_id)
  WHERE d.won AND d.close_date >= date '2026-03-01' AND d.close_date < date '2026-04-01'
  WINDOW w AS (PARTITION BY d.rep_id ORDER BY d.close_date, d.deal_id)
) m
GROUP BY rep_id ORDER BY rep_id;
