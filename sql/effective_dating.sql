-- effective dating: plans and plan assignments with validity ranges, a plan changed mid-period
\set VERBOSITY default

-- the recipe: plans as values, assignments that the database keeps from overlapping
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE plans (plan_id text PRIMARY KEY, schedule spm.tier_schedule NOT NULL);
INSERT INTO plans VALUES ('standard', 'marginal; from 0 rate 5%; from 31000 rate 10%'),
                         ('senior', 'marginal; from 0 rate 6%; from 31000 rate 12%'),
                         ('quota', 'retroactive; from 0% rate 4%; from 100% rate 8%; cap 2x target');
CREATE TABLE plan_assignments (
  rep text NOT NULL, plan_id text NOT NULL REFERENCES plans, valid daterange NOT NULL, quota numeric(12,2),
  CHECK (NOT isempty(valid)),
  EXCLUDE USING gist (rep WITH =, valid WITH &&));
INSERT INTO plan_assignments VALUES
  ('ana', 'standard', '[2026-01-01,2026-03-16)', 31000), ('ana', 'senior', '[2026-03-16,)', 31000),
  ('bo', 'quota', '[2026-01-01,2026-03-11)', 30000), ('bo', 'quota', '[2026-03-11,2026-03-21)', 45000),
  ('bo', 'standard', '[2026-03-21,)', NULL);
-- an overlapping assignment is refused by the table (23P01)
INSERT INTO plan_assignments VALUES ('ana', 'senior', '[2026-03-10,2026-04-01)', 31000);
-- touching ranges do not overlap: [a,b) and [b,c)
SELECT '[2026-01-01,2026-03-16)'::daterange && '[2026-03-16,)'::daterange AS touching_overlap;

-- the plan in force on a date
SELECT a.rep, a.plan_id, p.schedule
FROM plan_assignments a JOIN plans p USING (plan_id)
WHERE a.valid @> date '2026-03-16' ORDER BY a.rep;
SELECT a.rep, a.plan_id FROM plan_assignments a WHERE a.valid @> date '2026-03-15' ORDER BY a.rep;
-- the assignments in force during March, as segments of the period
SELECT rep, plan_id, valid * '[2026-03-01,2026-04-01)' AS segment,
       upper(valid * '[2026-03-01,2026-04-01)') - lower(valid * '[2026-03-01,2026-04-01)') AS days
FROM plan_assignments WHERE valid && '[2026-03-01,2026-04-01)' ORDER BY rep, lower(valid);

-- ---------------------------------------------------------------- prorate_schedule
-- 31,000 a month: 15 of 31 days is 15,000, 16 of 31 is 16,000
SELECT spm.prorate_schedule(schedule, '[2026-03-01,2026-04-01)', valid) AS prorated, valid
FROM plan_assignments JOIN plans USING (plan_id) WHERE rep = 'ana' ORDER BY lower(valid);
-- rounded once, half away from zero, to scale decimals (prorate_days' rule); bonuses and rates kept, an amount cap prorated
SELECT spm.prorate_schedule('from 0 rate 5%; from 100000 rate 8% bonus 500; cap 30000',
                            '[2026-01-01,2026-02-01)', '[2026-01-17,)') AS fifteen_days,
       spm.prorate_days(100000, '[2026-01-01,2026-02-01)', '[2026-01-17,)') AS threshold_by_prorate_days,
       spm.prorate_days(30000, '[2026-01-01,2026-02-01)', '[2026-01-17,)') AS cap_by_prorate_days;
SELECT spm.prorate_schedule('from 0 rate 5%; from 100000 rate 8%', '[2026-01-01,2026-02-01)', '[2026-01-17,)', 6) AS six_places,
       spm.prorate_schedule('from 0 rate 5%; from 100000 rate 8%', '[2026-01-01,2026-02-01)', '[2026-01-17,)', 0) AS whole,
       spm.prorate_schedule('from 0 rate 5%; from 100000 rate 8%', '[2026-01-01,2026-02-01)', '[2026-01-17,)', -3) AS thousands;
-- halves: 0.125 kept whole rounds up at 2 places; just below a half rounds down
SELECT spm.prorate_schedule('from 0 rate 5%; from 0.125 rate 8%', '[2026-01-01,2026-01-02)', '[2026-01-01,)') AS half_up,
       spm.prorate_schedule('from 0 rate 5%; from 0.0149999 rate 8%', '[2026-01-01,2026-01-02)', '[2026-01-01,)') AS below_half,
       spm.prorate_schedule('from 0 rate 5%; from 0.03 rate 8%', '[2026-01-01,2026-01-03)', '[2026-01-02,)') AS exact_half_cent;
-- the whole period keeps an amount schedule at its scale; the active range may stick out of the period on either side
SELECT spm.prorate_schedule('boundary lower; from 0 rate 5%; from 31000 rate 10% catch-up; cap 5000',
                            '[2026-03-01,2026-04-01)', daterange(NULL, NULL)) AS whole_period,
       spm.prorate_schedule('from 0 rate 5%; from 31000 rate 10%', '[2026-03-01,2026-04-01)', '[2025-12-01,2026-03-11)') AS ten_days,
       spm.prorate_schedule('from 0 rate 5%; from 31000 rate 10%', '[2026-03-01,2026-04-01)', '[2026-03-01,2026-03-05]') AS inclusive_upper;
-- relative parts are the quota's to prorate: thresholds in % of quota, a cap in x target, a pay curve
SELECT spm.prorate_schedule(schedule, '[2026-03-01,2026-04-01)', '[2026-03-11,2026-03-21)') AS unchanged,
       spm.prorate_days(45000, '[2026-03-01,2026-04-01)', '[2026-03-11,2026-03-21)') AS prorate_the_quota
FROM plans WHERE plan_id = 'quota';
SELECT spm.prorate_schedule('curve; at 50% pay 25%; at 100% pay 100%', '[2026-03-01,2026-04-01)', '[2026-03-11,2026-03-21)') AS curve;
-- 18 digits either side of the point
SELECT spm.prorate_schedule('from 0 rate 5%; from 999999999999999999.999999999999999999 rate 8%; cap 999999999999999999',
                            '[2026-01-01,2026-01-03)', '[2026-01-02,)', 12) AS largest;
-- prorate_schedule's thresholds are prorate_days' on each threshold, over generated cases
SELECT count(*) AS cases,
       count(*) FILTER (WHERE got = expected) AS agree
FROM (
  SELECT (SELECT array_agg((t->>'from')::numeric ORDER BY k)
          FROM jsonb_array_elements(spm.to_jsonb(spm.prorate_schedule(
                 spm.tier_schedule(ARRAY[0, t1, t1 + t2], ARRAY[0.05, 0.08, 0.1]), period, active, sc))->'tiers')
               WITH ORDINALITY e(t, k)) AS got,
         ARRAY[0, spm.prorate_days(t1, period, active, sc), spm.prorate_days(t1 + t2, period, active, sc)] AS expected
  FROM (SELECT round(1 + (i * 7919 % 1000003) / 1000003.0 * 10::numeric ^ (1 + i % 9), i % 5) AS t1,
               round(1 + (i * 104729 % 999983) / 999983.0 * 10::numeric ^ (1 + i % 7), i % 3) AS t2,
               daterange(date '2026-01-01', date '2026-01-01' + 28 + i % 340) AS period,
               daterange(date '2026-01-01' + i % 28, NULL) AS active,
               i % 7 AS sc
        FROM generate_series(1, 2000) i) g
  WHERE spm.prorate_days(t1, period, active, sc) > 0
    AND spm.prorate_days(t1, period, active, sc) < spm.prorate_days(t1 + t2, period, active, sc)) c;
-- errors
SELECT spm.prorate_schedule('from 0 rate 5%; from 1 rate 6%', '[2026-03-01,2026-04-01)', '[2026-03-01,2026-03-02)', 0);
SELECT spm.prorate_schedule('from 0 rate 5%; from 100 rate 6%', '[2026-03-01,2026-04-01)', '[2026-04-01,)');
SELECT spm.prorate_schedule('from 0 rate 5%; from 100 rate 6%', '[2026-03-01,2026-04-01)', 'empty');
SELECT spm.prorate_schedule('from 0 rate 5%; from 100 rate 6%', '[2026-03-01,)', '[2026-03-01,)');
SELECT spm.prorate_schedule('from 0 rate 5%; from 100 rate 6%', 'empty', '[2026-03-01,)');
SELECT spm.prorate_schedule('from 0 rate 5%; from 100 rate 6%', '[2026-03-01,2026-04-01)', '[2026-03-01,)', 13);
SELECT spm.prorate_schedule(NULL, '[2026-03-01,2026-04-01)', '[2026-03-01,)') IS NULL AS strict;

-- ---------------------------------------------------------------- effective_deal_commission
CREATE TABLE plan_deals (deal_id int, rep text, close_date date, amount numeric(12,2));
INSERT INTO plan_deals VALUES
  (1, 'ana', '2026-03-05', 10000), (2, 'ana', '2026-03-12', 8000), (3, 'ana', '2026-03-20', 12000),
  (4, 'ana', '2026-03-28', 6000),
  (5, 'bo', '2026-03-02', 20000), (6, 'bo', '2026-03-15', 9000), (7, 'bo', '2026-03-16', NULL),
  (8, 'bo', '2026-03-25', 4000), (9, 'bo', '2026-03-31', -1000);
CREATE VIEW march AS
SELECT d.*, a.plan_id, a.valid, a.quota, p.schedule, daterange('2026-03-01', '2026-04-01') AS period
FROM plan_deals d JOIN plan_assignments a ON a.rep = d.rep AND a.valid @> d.close_date JOIN plans p USING (plan_id)
WHERE d.close_date <@ daterange('2026-03-01', '2026-04-01');

-- ana: standard to 15 March, senior from 16 March; continue carries the credit, restart counts from the change
SELECT deal_id, close_date, amount, plan_id,
       spm.effective_deal_commission(amount, close_date, valid, schedule, 'continue') OVER w AS continued,
       spm.effective_deal_commission(amount, close_date, valid, spm.prorate_schedule(schedule, period, valid), 'restart') OVER w AS restarted_prorated,
       spm.effective_deal_commission(amount, close_date, valid, schedule, 'restart') OVER w AS restarted_whole
FROM march WHERE rep = 'ana'
WINDOW w AS (PARTITION BY rep ORDER BY close_date, deal_id) ORDER BY close_date, deal_id;
-- the same by hand: continue = C_standard(18000) + C_senior(36000) - C_senior(18000); restart = C_standard'(18000) + C_senior'(18000)
SELECT spm.commission(18000.00, 'from 0 rate 5%; from 31000 rate 10%')
       + spm.commission(36000.00, 'from 0 rate 6%; from 31000 rate 12%')
       - spm.commission(18000.00, 'from 0 rate 6%; from 31000 rate 12%') AS continued,
       spm.commission(18000.00, 'from 0 rate 5%; from 15000 rate 10%')
       + spm.commission(18000.00, 'from 0 rate 6%; from 16000 rate 12%') AS restarted_prorated;
-- bo: one plan, three quotas, then an amount plan without quota; a NULL amount credits nothing; a clawback
SELECT deal_id, close_date, amount, quota,
       spm.effective_deal_commission(amount, close_date, valid, schedule, coalesce(quota, 0), 'continue') OVER w AS continued,
       spm.effective_deal_commission(amount, close_date, valid, schedule, coalesce(quota, 0), 'restart') OVER w AS restarted
FROM march WHERE rep = 'bo'
WINDOW w AS (PARTITION BY rep ORDER BY close_date, deal_id) ORDER BY close_date, deal_id;
-- one plan throughout: both rules are deal_commission
SELECT deal_id,
       spm.effective_deal_commission(amount, close_date, '[2026-01-01,)', 'from 0 rate 5%; from 31000 rate 10%', 'continue') OVER w AS continued,
       spm.effective_deal_commission(amount, close_date, '[2026-01-01,)', 'from 0 rate 5%; from 31000 rate 10%', 'restart') OVER w AS restarted,
       spm.deal_commission(amount, 'from 0 rate 5%; from 31000 rate 10%') OVER w AS deal_commission
FROM plan_deals WHERE rep = 'ana'
WINDOW w AS (ORDER BY close_date, deal_id) ORDER BY close_date, deal_id;
-- amounts of more places widen the result scale from that deal on, as deal_commission
SELECT d, spm.effective_deal_commission(a, d, '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER (ORDER BY d) AS commission
FROM (VALUES (date '2026-03-01', 100.5), ('2026-03-02', 0.125), ('2026-03-03', 10)) v(d, a);

-- errors: overlapping assignments name both ranges (23P01, as the exclusion constraint)
SELECT spm.effective_deal_commission(amount, d, v, 'from 0 rate 5%', 'continue') OVER (ORDER BY d)
FROM (VALUES (1, date '2026-03-01', daterange('2026-03-01', '2026-03-10')), (2, '2026-03-11', '[2026-03-05,2026-04-01)')) x(amount, d, v);
SELECT spm.effective_deal_commission(amount, d, v, 'from 0 rate 5%', 'restart') OVER (ORDER BY d)
FROM (VALUES (1, date '2026-03-01', daterange('2026-03-01', NULL)), (2, '2026-03-11', '[2026-03-11,2026-04-01)')) x(amount, d, v);
SELECT spm.effective_deal_commission(amount, d, v, s::spm.tier_schedule, 'continue') OVER (ORDER BY d)
FROM (VALUES (1, date '2026-03-01', daterange('2026-03-01', '2026-03-10'), 'from 0 rate 5%'),
             (2, '2026-03-02', '[2026-03-01,2026-03-10)', 'from 0 rate 6%')) x(amount, d, v, s);
SELECT spm.effective_deal_commission(amount, d, v, 'from 0% rate 5%', q, 'continue') OVER (ORDER BY d)
FROM (VALUES (1, date '2026-03-01', daterange('2026-03-01', '2026-03-10'), 1000), (2, '2026-03-02', '[2026-03-01,2026-03-10)', 2000)) x(amount, d, v, q);
-- ... and from the tables: two assignments joined to one deal (a table without the constraint)
CREATE TABLE loose_assignments (rep text, plan_id text, valid daterange);
INSERT INTO loose_assignments VALUES ('ana', 'standard', '[2026-01-01,2026-03-16)'), ('ana', 'senior', '[2026-03-01,)');
SELECT d.deal_id, spm.effective_deal_commission(d.amount, d.close_date, a.valid, p.schedule, 'continue')
         OVER (PARTITION BY d.rep ORDER BY d.close_date, d.deal_id, a.valid)
FROM plan_deals d JOIN loose_assignments a ON a.rep = d.rep AND a.valid @> d.close_date JOIN plans p USING (plan_id);
-- ... and a deal on a day no assignment covers, left-joined, stops the query instead of dropping out
SELECT d.deal_id, spm.effective_deal_commission(d.amount, d.close_date, a.valid, p.schedule, 'continue') OVER w
FROM (VALUES (10, 'cy', date '2026-03-09', 5000)) d(deal_id, rep, close_date, amount)
LEFT JOIN plan_assignments a ON a.rep = d.rep AND a.valid @> d.close_date LEFT JOIN plans p USING (plan_id)
WINDOW w AS (PARTITION BY d.rep ORDER BY d.close_date, d.deal_id);
-- deals out of date order, a date outside its assignment, a rule unknown or changing
SELECT spm.effective_deal_commission(amount, d, '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER (ORDER BY amount)
FROM (VALUES (1, date '2026-03-05'), (2, '2026-03-02')) x(amount, d);
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,2026-03-10)', 'from 0 rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', 'empty', 'from 0 rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date 'infinity', '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'from 0 rate 5%', 'carry') OVER ();
SELECT spm.effective_deal_commission(1, d, '[2026-03-01,)', 'from 0 rate 5%', r) OVER (ORDER BY d)
FROM (VALUES (date '2026-03-05', 'continue'), ('2026-03-06', 'restart')) x(d, r);
-- NULLs: an amount credits nothing; anything else of a deal is an error (22004)
SELECT spm.effective_deal_commission(NULL, NULL, NULL, NULL, NULL) OVER () IS NULL AS null_amount;
SELECT spm.effective_deal_commission(1, NULL, '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', NULL, 'from 0 rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', NULL, 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'from 0% rate 5%', NULL, 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'from 0 rate 5%', NULL) OVER ();
-- what the schedule needs: a quota, a positive one; a pay curve pays a target incentive; amounts finite
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'from 0% rate 5%', 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'from 0% rate 5%', 0, 'continue') OVER ();
SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,)', 'curve; at 100% pay 100%', 10, 'continue') OVER ();
SELECT spm.effective_deal_commission('NaN', date '2026-03-15', '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER ();

-- generated periods against a plain-SQL reference: 300 reps, up to four assignments each in a
-- 30-day period, marginal and retroactive plans with caps, deals with refunds
CREATE TABLE g_assignments AS
SELECT rep, k, daterange(date '2026-06-01' + cut, date '2026-06-01' + coalesce(next_cut, 30)) AS valid,
       spm.tier_schedule(ARRAY[0, 1000 + (rep * 7 + k * 13) % 5000, 8000 + (rep * 11 + k) % 9000],
                         ARRAY[0.05 + k * 0.01, 0.08 + (rep % 3) * 0.01, 0.12],
                         CASE WHEN (rep + k) % 3 = 0 THEN 'retroactive' ELSE 'marginal' END,
                         cap => CASE WHEN (rep + k) % 4 = 0 THEN 1200 + k * 100 END) AS schedule
FROM (SELECT rep, k, cut, lead(cut) OVER (PARTITION BY rep ORDER BY cut) AS next_cut
      FROM (SELECT rep, k, CASE WHEN k = 0 THEN 0 ELSE (k * 7 + rep) % 29 + 1 END AS cut
            FROM generate_series(1, 300) rep, generate_series(0, (rep % 4)) k) c) s
WHERE next_cut IS DISTINCT FROM cut;
CREATE TABLE g_deals AS
SELECT rep, i AS deal_id, date '2026-06-01' + (i * 17 + rep) % 30 AS close_date,
       round(((i * 7919 + rep * 104729) % 400000) / 100.0 - CASE WHEN i % 9 = 0 THEN 3000 ELSE 0 END, 2) AS amount
FROM generate_series(1, 300) rep, generate_series(1, 5 + rep % 20) i;
CREATE TABLE g_paid AS
SELECT d.rep, d.deal_id, d.close_date, d.amount, a.valid, a.schedule,
       spm.effective_deal_commission(d.amount, d.close_date, a.valid, a.schedule, 'continue') OVER w AS continued,
       spm.effective_deal_commission(d.amount, d.close_date, a.valid,
                                     spm.prorate_schedule(a.schedule, '[2026-06-01,2026-07-01)', a.valid), 'restart') OVER w AS restarted,
       sum(d.amount) OVER w AS credit_through,
       sum(d.amount) OVER (PARTITION BY d.rep, a.valid ORDER BY d.close_date, d.deal_id) AS segment_credit_through
FROM g_deals d JOIN g_assignments a ON a.rep = d.rep AND a.valid @> d.close_date
WINDOW w AS (PARTITION BY d.rep ORDER BY d.close_date, d.deal_id);
SELECT count(DISTINCT rep) AS reps, count(*) AS deals,
       count(*) FILTER (WHERE continued = spm.commission(credit_through, schedule)
                                          - spm.commission(credit_through - amount, schedule)) AS continue_as_reference,
       count(*) FILTER (WHERE restarted = spm.commission(segment_credit_through, spm.prorate_schedule(schedule, '[2026-06-01,2026-07-01)', valid))
                                          - spm.commission(segment_credit_through - amount, spm.prorate_schedule(schedule, '[2026-06-01,2026-07-01)', valid))) AS restart_as_reference,
       count(DISTINCT rep) FILTER (WHERE valid <> '[2026-06-01,2026-07-01)') AS reps_with_a_change
FROM g_paid;
-- restart is deal_commission per assignment; each segment of continue telescopes to C(end) - C(start)
SELECT count(*) AS segments,
       count(*) FILTER (WHERE restarted = via_deal_commission) AS restart_is_deal_commission,
       count(*) FILTER (WHERE continued = spm.commission(last_credit, schedule) - spm.commission(first_credit, schedule)) AS continue_telescopes
FROM (SELECT rep, valid, schedule, sum(restarted) AS restarted, sum(continued) AS continued,
             max(credit_through) FILTER (WHERE is_last) AS last_credit,
             min(credit_through - amount) FILTER (WHERE is_first) AS first_credit,
             sum(dc) AS via_deal_commission
      FROM (SELECT *, spm.deal_commission(amount, spm.prorate_schedule(schedule, '[2026-06-01,2026-07-01)', valid)) OVER s AS dc,
                   row_number() OVER s = 1 AS is_first,
                   row_number() OVER s = count(*) OVER (PARTITION BY rep, valid) AS is_last
            FROM g_paid WINDOW s AS (PARTITION BY rep, valid ORDER BY close_date, deal_id)) x
      GROUP BY rep, valid, schedule) seg;
-- the GROUP BY recipe for period totals gives every rep's window totals
SELECT count(*) AS reps,
       count(*) FILTER (WHERE w.continued = g.continued) AS continue_agrees,
       count(*) FILTER (WHERE w.restarted = g.restarted) AS restart_agrees
FROM (SELECT rep, sum(continued) AS continued, sum(restarted) AS restarted FROM g_paid GROUP BY rep) w
JOIN (SELECT rep, sum(spm.commission(credit_through, schedule) - spm.commission(credit_through - credit, schedule)) AS continued,
             sum(restarted) AS restarted
      FROM (SELECT *, sum(credit) OVER (PARTITION BY rep ORDER BY valid) AS credit_through
            FROM (SELECT d.rep, a.valid, a.schedule, sum(d.amount) AS credit,
                         spm.group_commission(d.amount, spm.prorate_schedule(a.schedule, '[2026-06-01,2026-07-01)', a.valid)) AS restarted
                  FROM g_deals d JOIN g_assignments a ON a.rep = d.rep AND a.valid @> d.close_date
                  GROUP BY d.rep, a.valid, a.schedule) seg) s
      GROUP BY rep) g USING (rep);
DROP VIEW march;
DROP TABLE plan_deals, loose_assignments, plan_assignments, plans, g_assignments, g_deals, g_paid;
