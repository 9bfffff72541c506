-- compensation: tier schedules, commission, explain, what-if, per-deal window, aggregate
\set VERBOSITY default

-- the schedule is a value: canonical text that reads back to the same value
SELECT 'MARGINAL ;from 0 rate 0.080; from 100000.00 rate 12.50% bonus 500.00; cap 30000'::spm.tier_schedule AS canonical;
SELECT s::text::spm.tier_schedule::text = s::text AS reads_back
FROM (VALUES ('retroactive; boundary lower; from 0% rate 5%; from 120% rate 6%'::spm.tier_schedule),
             ('marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 15%; cap 3x target'),
             ('curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%')) v(s);
-- from arrays and jsonb, and back to jsonb
SELECT spm.tier_schedule(ARRAY[0, 100000, 200000], ARRAY[0.08, 0.12, 0.16], bonuses => ARRAY[0, 500, 0], cap => 30000);
SELECT spm.tier_schedule(ARRAY[0, 1, 1.2], ARRAY[0.08, 0.12, 0.16], 'retroactive', of_quota => true);
SELECT spm.to_jsonb('marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target');
SELECT '{"kind": "retroactive", "boundary": "lower", "tiers": [{"from": 0, "rate": 0.05}, {"from": 1000000, "rate": 0.07}]}'::jsonb::spm.tier_schedule;
-- JSON sent as text (as tools send it) reads as the jsonb form would; bad JSON is 22P02
SELECT ' {"kind": "retroactive", "tiers": [{"from": 0, "rate": 0.05}, {"from": 1000000, "rate": 0.07}]}'::spm.tier_schedule AS from_json_text,
       '{"tiers": [{"from": 0, "rate": 0.08}]}'::spm.tier_schedule
         OPERATOR(spm.=) '{"tiers": [{"from": 0, "rate": 0.08}]}'::jsonb::spm.tier_schedule AS same_as_jsonb;
SELECT '{"tiers": [{"from": 0, "rate": 0.08}'::spm.tier_schedule;
-- a JSON boundary is a word, not clause text: "lower; cap 5" must not add a cap
SELECT '{"boundary": "lower; cap 5", "tiers": [{"from": 0, "rate": 0.08}]}'::spm.tier_schedule;
SELECT '{"tiers": [{"from": 0, "rate": 0.08}], "extra": 1}'::spm.tier_schedule;
SELECT spm.tier_schedule(spm.to_jsonb(s))::text = s::text AS jsonb_round_trip
FROM (VALUES ('marginal; boundary lower; from 0% rate 5%; from 50% rate 10% bonus 100 catch-up; from 100% rate 20%; cap 3x target'::spm.tier_schedule),
             ('curve; at 50% pay 25%; at 100% pay 100%'),
             ('retroactive; from 0% rate 5%; from 100% rate 150%')) v(s);
-- equality: the same plan however it was written; SELECT DISTINCT and GROUP BY go by plan
SELECT s AS plan, count(*) AS written_ways
FROM (VALUES ('from 0 rate 5%'::spm.tier_schedule), ('marginal; from 0 rate 0.05'), ('boundary upper; from 0 rate 5.0%'),
             ('from 0 rate 6%')) v(s)
GROUP BY s ORDER BY s::text;
SELECT 'from 0 rate 5%'::spm.tier_schedule OPERATOR(spm.=) 'from 0 rate 0.05' AS same_plan,
       'from 0 rate 5%'::spm.tier_schedule OPERATOR(spm.<>) 'from 0 rate 6%' AS other_plan;
SELECT count(*) AS distinct_plans FROM (SELECT DISTINCT s FROM (VALUES ('from 0 rate 5%'::spm.tier_schedule), ('from 0 rate 0.050')) v(s)) d;
-- ordering by canonical text: ORDER BY, count(DISTINCT), window PARTITION BY, a btree index
SELECT count(DISTINCT s) AS plans,
       (SELECT string_agg(s::text, ' | ' ORDER BY s) FROM (VALUES ('from 0 rate 6%'::spm.tier_schedule), ('from 0 rate 5%')) w(s)) AS sorted
FROM (VALUES ('from 0 rate 5%'::spm.tier_schedule), ('from 0 rate 0.05'), ('from 0 rate 6%')) v(s);
SELECT s, count(*) OVER (PARTITION BY s) AS same_plan
FROM (VALUES ('from 0 rate 5%'::spm.tier_schedule), ('from 0 rate 0.05'), ('from 0 rate 6%')) v(s) ORDER BY s, 2;
CREATE TEMP TABLE plan_index (s spm.tier_schedule PRIMARY KEY);
INSERT INTO plan_index VALUES ('from 0 rate 5%');
INSERT INTO plan_index VALUES ('from 0 rate 0.05');
-- a hash index and hash partitioning on a plan column
CREATE TABLE plan_rows (id int, s spm.tier_schedule) PARTITION BY HASH (s);
CREATE TABLE plan_rows_0 PARTITION OF plan_rows FOR VALUES WITH (MODULUS 2, REMAINDER 0);
CREATE TABLE plan_rows_1 PARTITION OF plan_rows FOR VALUES WITH (MODULUS 2, REMAINDER 1);
CREATE INDEX ON plan_rows USING hash (s);
INSERT INTO plan_rows SELECT i, format('from 0 rate %s%%; from 100000 rate %s%%', i % 7, 10 + i % 7)::spm.tier_schedule
FROM generate_series(1, 700) i;
SELECT count(*) AS rows_of_the_plan FROM plan_rows WHERE s OPERATOR(spm.=) 'from 0 rate 0.03; from 100000 rate 0.13';
DROP TABLE plan_rows;
-- binary I/O through COPY BINARY
CREATE TABLE plans (plan text, schedule spm.tier_schedule);
INSERT INTO plans VALUES ('ae', 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target'),
                         ('sdr', 'retroactive; boundary lower; from 0 rate 5%; from 1000000 rate 7%');
COPY plans TO '/tmp/spm_compensation_plans.bin' (FORMAT binary);
CREATE TABLE plans_back (plan text, schedule spm.tier_schedule);
COPY plans_back FROM '/tmp/spm_compensation_plans.bin' (FORMAT binary);
SELECT p.plan, p.schedule::text = b.schedule::text AS same FROM plans p JOIN plans_back b USING (plan) ORDER BY 1;
-- corrupted binary is refused (a bytea's raw bytes fed to tier_schedule_recv)
CREATE TABLE raw_bytes (b bytea);
INSERT INTO raw_bytes VALUES ('\x02'), ('\x0101000000000000'), ('\x01010000000000000100000000000000000000000000000000ff'),
  (decode('01010000000000' || '0002' || '00000000000000000000000000000000' || '00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000' || '00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000', 'hex'));  -- right length, two tiers at 0
COPY (SELECT b FROM raw_bytes LIMIT 1) TO '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY plans_back (schedule) FROM '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes OFFSET 1 LIMIT 1) TO '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY plans_back (schedule) FROM '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes OFFSET 2 LIMIT 1) TO '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY plans_back (schedule) FROM '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY (SELECT b FROM raw_bytes OFFSET 3) TO '/tmp/spm_compensation_plans.bin' (FORMAT binary);
COPY plans_back (schedule) FROM '/tmp/spm_compensation_plans.bin' (FORMAT binary);
-- the aggregate's state goes out and back through COPY BINARY unchanged, past 128 bits too
CREATE TABLE states (s spm.commission_state);
INSERT INTO states VALUES ('(credit=40000.50) quota=33000 schedule=marginal; from 0% rate 5%; from 50% rate 10% catch-up; cap 3x target'),
                          ('(credit=999999999999999999999999999999999999999.5) schedule=retroactive; from 0 rate 5%');
COPY states TO '/tmp/spm_compensation_states.bin' (FORMAT binary);
CREATE TABLE states_back (s spm.commission_state);
COPY states_back FROM '/tmp/spm_compensation_states.bin' (FORMAT binary);
SELECT s, spm.commission_final(s) FROM states_back;

-- malformed schedules: each a specific message naming the tier (22P02 for text)
SELECT ''::spm.tier_schedule;
SELECT 'marginal'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from 200 rate 9%; from 100 rate 10%'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from 100 rate 9%; from 100.00 rate 10%'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from 100 rate -9%'::spm.tier_schedule;
-- in text and arrays (typed by people), a bare rate above 1 is a typo for a percentage far
-- more often than a rate above 100 %; jsonb (written by tools, to_jsonb among them) takes
-- rates as fractions whatever their size: 1.5 is 150 %
SELECT 'from 0 rate 8; from 100000 rate 12'::spm.tier_schedule;
SELECT spm.tier_schedule(ARRAY[0, 100000], ARRAY[8, 12]);
SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": 0.5}, {"from": 100000, "rate": 1.5}]}'::jsonb) AS fractions_from_jsonb;
SELECT 'from 0 rate 1; from 100000 rate 150%'::spm.tier_schedule AS written_with_percent;
SELECT 'from 0 rate 8%; from 100 rate NaN'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from Infinity rate 9%'::spm.tier_schedule;
SELECT 'from 0 rate 8%; tier 100 rate 9%'::spm.tier_schedule;
SELECT 'from 0 rate 8%; cap -1'::spm.tier_schedule;
SELECT 'from 10 rate 8%'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from 100% rate 9%; from 5000 rate 10%'::spm.tier_schedule;
SELECT 'from 0 rate 8%;'::spm.tier_schedule;
SELECT 'from 0 rate 8% bonus 5'::spm.tier_schedule;
SELECT 'retroactive; from 0 rate 8%; from 5 rate 9% catch-up'::spm.tier_schedule;
SELECT 'from 0 rate 8%; from 5 rate 9% bogus'::spm.tier_schedule;
SELECT 'from 0 rate eight'::spm.tier_schedule;
SELECT 'curve; at 0.5 pay 10%'::spm.tier_schedule;
SELECT 'curve; at 50% pay 10%; cap 5'::spm.tier_schedule;
SELECT '🙂; DROP TABLE plans'::spm.tier_schedule;
-- from arrays and jsonb: 22023
SELECT spm.tier_schedule(ARRAY[0, 100], ARRAY[0.08]);
SELECT spm.tier_schedule(ARRAY[0, 100], ARRAY[0.08, 'NaN']);
SELECT spm.tier_schedule(ARRAY[0, NULL], ARRAY[0.08, 0.1]);
SELECT spm.tier_schedule(ARRAY[0, 100], ARRAY[0.08, 0.1], 'sideways');
SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": 0.08}], "extra": 1}'::jsonb);
SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": "8%"}]}'::jsonb);
SELECT spm.tier_schedule('{"tiers": []}'::jsonb);
SELECT spm.tier_schedule('[1, 2]'::jsonb);
SELECT spm.tier_schedule('{"tiers": [{"from": 0, "rate": 0.08}, {"from": -5, "rate": 0.1}]}'::jsonb);
-- quota rules
SELECT spm.commission(100, 'from 0% rate 5%; from 100% rate 8%');
SELECT spm.commission(100, 'from 0% rate 5%; from 100% rate 8%', 0);
SELECT spm.commission(100, 'from 0% rate 5%; from 100% rate 8%', -1);
SELECT spm.commission(100, 'from 0% rate 5%; from 100% rate 8%', 'NaN');
SELECT spm.commission('Infinity', 'from 0 rate 5%');
SELECT spm.commission(100, 'from 0 rate 5%', NULL) IS NULL AS strict;

-- Worked examples from public documentation (source cited on each).
-- https://www.earnbase.no/glossary/retroactive-tier-jumping : 50% to 100K, 60% above,
-- $180K: incremental $98K, retroactive $108K (marginal vs retroactive on one input)
SELECT spm.commission(180000, 'marginal; from 0 rate 50%; from 100000 rate 60%') AS incremental,
       spm.commission(180000, 'retroactive; from 0 rate 50%; from 100000 rate 60%') AS retroactive;
-- https://www.sparrowgenie.com/sales-commission-models/non-retroactive-commission :
-- 3% to $300K, 5% to $500K, 7% above; $600K pays 9,000 + 10,000 + 7,000 = 26,000
SELECT * FROM spm.commission_explain(600000, 'marginal; from 0 rate 3%; from 300000 rate 5%; from 500000 rate 7%');
-- https://revopsmasters.com/category/sales-compensation/accelerators-and-decelerators :
-- $500K quota, $100K variable (20%), 1.5x from 100% to 130%, 2x above: $650K earns $145K
SELECT spm.commission(650000, 'marginal; from 0% rate 20%; from 100% rate 30%; from 130% rate 40%', 500000) AS accelerator;
-- same page, decelerator: half rate below 50%; a rep at 40% of $500K earns $20K, not $40K
SELECT spm.commission(200000, 'marginal; from 0% rate 10%; from 50% rate 20%; from 100% rate 30%', 500000) AS decelerator;
-- https://www.sparrowgenie.com/sales-commission-models/capped-commission : 3%, cap $10,000,
-- $400,000 of sales pays $10,000 rather than $12,000
SELECT * FROM spm.commission_explain(400000, 'marginal; from 0 rate 3%; cap 10000');
-- https://www.sparrowgenie.com/sales-commission-models/retroactive-commission : 5%, 7% on
-- everything once $1,000,000 is reached; exactly $1,000,000 under both boundary rules
SELECT spm.commission(1000000, 'retroactive; from 0 rate 5%; from 1000000 rate 7%') AS upper_rule,
       spm.commission(1000000, 'retroactive; boundary lower; from 0 rate 5%; from 1000000 rate 7%') AS lower_rule,
       spm.commission(999999.99, 'retroactive; from 0 rate 5%; from 1000000 rate 7%') AS a_cent_below;
-- https://comp.quotapath.com/account-executive/accelerators-decelerators : the mixed plan.
-- $33,000 monthly quota; 5% to 50%, then 10% retroactively on all ARR, 20% above 100%
-- (not retroactive); capped here at 3x the target commission (10% of quota = 3,300)
CREATE TABLE ae_plan AS SELECT 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target'::spm.tier_schedule AS s;
SELECT a AS arr, spm.commission(a, s, 33000) FROM ae_plan, unnest(ARRAY[15000, 16500, 20000, 33000, 40000, 100000]) a;
SELECT * FROM spm.commission_explain(100000, (SELECT s FROM ae_plan), 33000);
-- cumulative multi-deal commission in that plan: the deal crossing 50% carries the
-- catch-up (500 more on the first deal), the deal crossing 100% the accelerator
CREATE TABLE deals (rep text, period date, close_date date, deal_id int, amount numeric(12,2));
INSERT INTO deals VALUES
  ('ana', '2026-01-01', '2026-01-05', 1, 10000), ('ana', '2026-01-01', '2026-01-12', 2, 8000),
  ('ana', '2026-01-01', '2026-01-20', 3, 20000), ('ana', '2026-01-01', '2026-01-20', 4, 1500.50),
  ('bo', '2026-01-01', '2026-01-07', 5, 30000), ('bo', '2026-01-01', '2026-01-28', 6, 12000),
  ('ana', '2026-02-01', '2026-02-03', 7, 16500);
SELECT rep, period, deal_id, amount,
       spm.deal_commission(amount, s, 33000) OVER w AS commission,
       sum(amount) OVER w AS credit_so_far
FROM deals, ae_plan
WINDOW w AS (PARTITION BY rep, period ORDER BY close_date, deal_id)
ORDER BY rep, period, close_date, deal_id;
SELECT rep, period, spm.group_commission(amount, (SELECT s FROM ae_plan), 33000) AS period_commission,
       spm.commission(sum(amount), (SELECT s FROM ae_plan), 33000) AS on_the_total
FROM deals GROUP BY rep, period ORDER BY 1, 2;
-- clawback (https://help.quotapath.com/en/articles/15325102-clawbacks-overview: a clawback
-- is a negative earning). 5% to $450K, 10% above: a cancelled $50K deal that had taken the
-- rep from $420K to $470K reverses the 30K at 5% and 20K at 10% it was paid: -3,500
SELECT deal, amount, spm.deal_commission(amount, 'marginal; from 0 rate 5%; from 450000 rate 10%') OVER (ORDER BY deal)
FROM (VALUES (1, 420000), (2, 50000), (3, -50000)) v(deal, amount);
-- clawback worked example (https://docs.core8.co/commission-plan-patterns/clawbacks-and-early-exit:
-- earned commission $10,000, early termination triggers a 50% clawback, post -5,000), done
-- the way https://www.salescookie.com/Blog/Content/2021/03/09/3-easy-way-to-claw-back-commissions/
-- recommends: a negative transaction, paid back under the same rules. A $100,000 deal at 10%
-- earns 10,000; refunding half the contract (-50,000) claws back exactly 5,000.
SELECT deal, amount, spm.deal_commission(amount, 'marginal; from 0 rate 10%') OVER (ORDER BY deal) AS commission,
       sum(amount) OVER (ORDER BY deal) AS credit
FROM (VALUES (1, 100000.00), (2, -50000.00)) v(deal, amount);
-- credit below zero: the first tier's rate runs on below zero (a rep whose refunds exceed
-- sales owes commission at the base rate), and later credit earns it back first
SELECT deal, amount, spm.deal_commission(amount, 'marginal; from 0 rate 5%; from 1000 rate 10%') OVER (ORDER BY deal),
       sum(amount) OVER (ORDER BY deal) AS credit
FROM (VALUES (1, 500), (2, -800), (3, 1500)) v(deal, amount);
-- ties: peers are taken in the order the sort delivers them; the total is exact anyway
SELECT sum(c) AS paid, spm.commission(sum(a), 'retroactive; from 0 rate 5%; from 100 rate 10%') AS on_total
FROM (SELECT a, spm.deal_commission(a, 'retroactive; from 0 rate 5%; from 100 rate 10%') OVER (ORDER BY d) AS c
      FROM (VALUES (1, 60), (1, 50), (1, 40)) v(d, a)) t;
-- step bonus, what-if, credit to the next tier
SELECT * FROM spm.commission_explain(120000, 'marginal; from 0 rate 8%; from 100000 rate 12% bonus 500');
SELECT spm.commission_what_if(15000, 2000, s, 33000) AS deal_crossing_the_gate,
       spm.commission_what_if(40000, 2000, s, 33000) AS deal_above_quota,
       spm.credit_to_next_tier(15000, s, 33000) AS to_gate,
       spm.credit_to_next_tier(40000, s, 33000) AS in_top_tier
FROM ae_plan;
-- pay curve: 25% of target at 50% attainment, 100% at 100%, 200% at 150% and above
SELECT a AS attainment_pct, spm.commission(a, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000) AS payout
FROM unnest(ARRAY[49.99, 50, 95, 100, 120, 150, 300]) a;
SELECT * FROM spm.commission_explain(95, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000);
-- recipe (doc/compensation.md): claw back what the refunded deal itself was paid
WITH deals(deal_id, rep, period, amount) AS (VALUES (1, 'ana', 'Q2', 60000), (2, 'ana', 'Q2', 50000)),
lines AS (
  SELECT deal_id, amount,
         spm.deal_commission(amount, 'marginal; from 0 rate 5%; from 100000 rate 10%')
           OVER (PARTITION BY rep, period ORDER BY deal_id) AS commission
  FROM deals),
refunds(deal_id, refunded, period) AS (VALUES (2, 25000, 'Q3'))
SELECT r.deal_id, r.period, r.refunded, l.commission AS paid_on_deal,
       -round(l.commission * r.refunded / l.amount, 2) AS clawback
FROM refunds r JOIN lines l USING (deal_id);
-- the same curve per deal: each deal's share of the payout, a clawback included; the
-- lines sum exactly to the payout on the total (95 -> 18500)
SELECT d, a, spm.deal_commission(a, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000)
         OVER (ORDER BY d) AS payout_share
FROM (VALUES (1, 30), (2, 40), (3, 50), (4, -25), (5, 1/3::numeric)) v(d, a);
SELECT sum(c) AS shares, spm.commission(sum(a), 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000) AS on_total
FROM (SELECT a, spm.deal_commission(a, 'curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%', 100, 20000) OVER (ORDER BY d) AS c
      FROM (VALUES (1, 30), (2, 40), (3, 50), (4, -25), (5, 1/3::numeric)) v(d, a)) t;
-- beyond 128 bits the same math runs in numeric, exactly
SELECT spm.commission(1e30 + 0.000001, 'marginal; from 0 rate 8%; from 100000 rate 12.5%') AS huge,
       1e30 * 0.125 + 0.000001 * 0.125 - 100000 * 0.045 AS reference;
SELECT sum(c) AS paid, spm.commission(sum(a), 'retroactive; from 0 rate 5%; from 100 rate 10%') AS on_total,
       sum(a) * 0.1 AS reference
FROM (SELECT a, spm.deal_commission(a, 'retroactive; from 0 rate 5%; from 100 rate 10%') OVER (ORDER BY i) AS c
      FROM (VALUES (1, 1e35), (2, 9e36), (3, -1e35), (4, 0.0000001)) v(i, a)) t;

-- result scale: the amount's display scale (at least 2) plus the rate scale, the same in the
-- 64-bit, 128-bit and numeric paths, for zero and capped results too; deal_commission takes
-- the largest scale so far, group_commission that of the group's sum
WITH a AS (
  SELECT i, round((hashint4(i) % 100000)::numeric * ('1e' || (i % 9 - 4))::numeric
                  * CASE WHEN i % 97 = 0 THEN 1e30 ELSE 1 END, i % 9) AS amount
  FROM generate_series(1, 3000) i
)
SELECT count(*) AS amounts,
       count(*) FILTER (WHERE scale(spm.commission(amount, 'marginal; from 0 rate 5%; from 1000 rate 12.5%; cap 5000'))
                              <> greatest(scale(amount), 2) + 3) AS wrong_scale,
       count(*) FILTER (WHERE abs(amount) >= 1e30) AS numeric_path,
       count(DISTINCT scale(amount)) AS amount_scales
FROM a;
SELECT spm.commission(0, 'from 0 rate 5%') AS zero, spm.commission(2.00, 'from 0 rate 100%') AS whole_rate,
       spm.commission(1e40, 'from 0 rate 5%; cap 10') AS capped_numeric,
       spm.commission(2.5, 'from 0 rate 5%') AS one_place;
SELECT i, a, spm.deal_commission(a, 'marginal; from 0 rate 5%') OVER (ORDER BY i) AS deal_commission
FROM (VALUES (1, 10), (2, 1.5), (3, 1.125), (4, 2), (5, 1e40)) v(i, a);
SELECT g, spm.group_commission(a, 'from 0 rate 5%') AS group_commission, spm.commission(sum(a), 'from 0 rate 5%') AS on_sum
FROM (VALUES (1, 10), (1, 2), (2, 1.5), (2, 2.25), (3, 1.12345)) v(g, a) GROUP BY g ORDER BY g;
-- a quota with trailing zeros counts at its least scale in both paths (numeric(12,2) quotas)
SELECT i, spm.deal_commission(a, 'from 0% rate 5%; from 50.5% rate 10%', 100000.00::numeric(12,2)) OVER (ORDER BY i)
FROM (VALUES (1, 60000.00), (2, 100.1255), (3, 10.00)) v(i, a);
SELECT spm.commission(150000, 'from 0% rate 5%; from 100% rate 10%', 100000.000000) AS fixed_point,
       spm.commission(1e40, 'from 0% rate 5%; from 100% rate 10%', 100000.000000) AS in_numeric,
       spm.commission(1e40, 'from 0% rate 5%; from 100% rate 10%; cap 2x target', 100000.000) AS capped;
-- statement lines of the numeric path at the fixed-point path's scales
SELECT * FROM spm.commission_explain(1e40, 'from 0 rate 5%; from 1000 rate 12.5% bonus 10');
-- two running totals that fit 128 bits whose difference does not: the numeric path takes over
SELECT i, spm.deal_commission(a, 'from 0 rate 5%') OVER (ORDER BY i)
FROM (VALUES (1, -3.2e35), (2, 6.4e35)) v(i, a);
-- commissions are written as numeric writes them (short header, no zero digits at either end)
WITH v AS (
  SELECT i, round(CASE WHEN i % 2 = 0 THEN 1 ELSE -1 END * (hashint4(i) % 1000000) * ('1e' || (i % 40 - 20))::numeric, i % 30) AS value
  FROM generate_series(1, 5000) i
)
SELECT count(*) AS values_checked,
       count(*) FILTER (WHERE numeric_send(spm.commission(value, 'from 0 rate 100%'))
                              <> numeric_send(round(value, greatest(scale(value), 2)))) AS written_differently
FROM v;

-- errors inside groups and windows
SELECT spm.group_commission(a, s) FROM (VALUES (1, 'from 0 rate 5%'::spm.tier_schedule), (2, 'from 0 rate 6%')) v(a, s);
SELECT spm.deal_commission(a, s) OVER () FROM (VALUES (1, 'from 0 rate 5%'::spm.tier_schedule), (2, 'from 0 rate 6%')) v(a, s);
SELECT spm.group_commission(a, 'from 0% rate 5%', q) FROM (VALUES (1, 10), (2, 20)) v(a, q);
SELECT spm.deal_commission(a, 'from 0% rate 5%', q) OVER (ORDER BY a) FROM (VALUES (1, 10), (2, 10.00), (3, 20)) v(a, q);
SELECT spm.deal_commission(a, 'from 0% rate 5%', q) OVER (ORDER BY a) FROM (VALUES (1, 10), (2, 10.00)) v(a, q);
SELECT spm.deal_commission(a, NULL) OVER () FROM (VALUES (1)) v(a);
SELECT spm.deal_commission(a, 'from 0 rate 5%', 100, 20000) OVER () FROM (VALUES (1)) v(a);
SELECT spm.deal_commission(a, 'curve; at 50% pay 25%', 100, t) OVER () FROM (VALUES (1, 10), (2, 20)) v(a, t);
SELECT spm.deal_commission(a, 'curve; at 50% pay 25%', 100, NULL) OVER () FROM (VALUES (1)) v(a);
SELECT spm.deal_commission(a, 'curve; at 50% pay 25%', 0, 1000) OVER () FROM (VALUES (1)) v(a);
SELECT spm.commission(100, 'curve; at 50% pay 25%; at 100% pay 100%', 100, -5);
-- a tier schedule from arrays with a NULL where a value is needed is NULL (this crashed)
SELECT spm.tier_schedule(ARRAY[0, 100], NULL::numeric[]) IS NULL AS no_rates,
       spm.tier_schedule(NULL::numeric[], ARRAY[0.08]) IS NULL AS no_thresholds,
       spm.tier_schedule(ARRAY[0, 100], ARRAY[0.05, 0.1], NULL) IS NULL AS no_kind,
       spm.tier_schedule(ARRAY[0, 100], ARRAY[0.05, 0.1], 'marginal', NULL) IS NULL AS no_basis;
-- the aggregate's state is a real type with text and binary I/O
SELECT spm.commission_final('(credit=40000) quota=33000 schedule=marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%');
SELECT '(credit=1) schedule=nonsense'::spm.commission_state;
SELECT 'garbage'::spm.commission_state;

-- Property test over 3000 generated schedules and deal sequences (hashes, no random()):
-- per-deal commissions sum exactly to the period commission; clawing back every deal
-- returns cumulative commission to zero; and commission equals an independent SQL
-- reference computed from the schedule's jsonb.
CREATE FUNCTION reference_commission(x numeric, s spm.tier_schedule) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
  WITH j AS (SELECT spm.to_jsonb(s) AS j),
  t AS (SELECT i::int AS i, (e->>'from')::numeric AS lo, lead((e->>'from')::numeric) OVER (ORDER BY i) AS hi,
               (e->>'rate')::numeric AS rate, coalesce((e->>'bonus')::numeric, 0) AS bonus,
               coalesce((e->>'catch_up')::boolean, false) OR j->>'kind' = 'retroactive' AS catch_up,
               j->>'boundary' = 'lower' AS lower
        FROM j, jsonb_array_elements(j->'tiers') WITH ORDINALITY AS e(e, i)),
  r AS (SELECT *, i = 1 OR (x > 0 AND CASE WHEN lower THEN x > lo ELSE x >= lo END) AS reached FROM t),
  c AS (SELECT max(i) FILTER (WHERE reached AND catch_up AND i > 1) AS c FROM r),
  raw AS (SELECT sum((CASE WHEN hi IS NOT NULL AND (SELECT reached FROM r r2 WHERE r2.i = r.i + 1) THEN hi ELSE x END - lo)
                     * CASE WHEN r.i < coalesce(c.c, 0) THEN (SELECT rate FROM r r3 WHERE r3.i = c.c) ELSE rate END
                     + CASE WHEN r.i > 1 THEN bonus ELSE 0 END) AS v
          FROM r, c WHERE reached)
  SELECT CASE WHEN (SELECT j ? 'cap' FROM j) THEN least(v, (SELECT (j->>'cap')::numeric FROM j)) ELSE v END FROM raw
$$;
CREATE TABLE gen_schedules AS
SELECT g, (CASE WHEN h1 % 3 = 0 THEN 'retroactive' ELSE 'marginal' END
           || CASE WHEN h1 % 5 = 0 THEN '; boundary lower' ELSE '' END
           || (SELECT string_agg('; from ' || th || ' rate ' || (abs(hashint8extended(g * 10 + k, 3)) % 300) / 10.0 || '%'
                                 || CASE WHEN k > 1 AND abs(hashint8extended(g * 10 + k, 4)) % 4 = 0 THEN ' bonus ' || abs(hashint8extended(g * 10 + k, 5)) % 1000 ELSE '' END
                                 || CASE WHEN k > 1 AND h1 % 3 <> 0 AND abs(hashint8extended(g * 10 + k, 6)) % 4 = 0 THEN ' catch-up' ELSE '' END, '' ORDER BY k)
               FROM (SELECT k, sum(CASE WHEN k = 1 THEN 0 ELSE 1 + abs(hashint8extended(g * 10 + k, 2)) % 5000000 END) OVER (ORDER BY k) / 100.0 AS th
                     FROM generate_series(1, 1 + (h1 % 6)::int) k) ks)
           || CASE WHEN h1 % 4 = 0 THEN '; cap ' || abs(hashint8extended(g, 7)) % 2000000 / 100.0 ELSE '' END)::spm.tier_schedule AS s
FROM generate_series(1, 3000) g, LATERAL (SELECT abs(hashint8extended(g, 1)) AS h1) h;
CREATE TABLE gen_deals AS
SELECT g, d, round(((abs(hashint8extended(g * 100 + d, 8)) % 4000000) - CASE WHEN abs(hashint8extended(g * 100 + d, 9)) % 5 = 0 THEN 2500000 ELSE 0 END) / 100.0, 2) AS amount
FROM generate_series(1, 3000) g, generate_series(1, 1 + (abs(hashint8extended(g, 10)) % 25)::int) d;
WITH per_deal AS (
  SELECT g, d, amount, spm.deal_commission(amount, s) OVER (PARTITION BY g ORDER BY d) AS c
  FROM gen_deals JOIN gen_schedules USING (g)
), with_clawbacks AS (
  SELECT g, spm.deal_commission(amount, s) OVER (PARTITION BY g ORDER BY phase, d) AS c
  FROM (SELECT g, d, 1 AS phase, amount FROM gen_deals UNION ALL SELECT g, d, 2, -amount FROM gen_deals) x
  JOIN gen_schedules USING (g)
), totals AS (
  SELECT g, sum(amount) AS credit, sum(c) AS paid FROM per_deal GROUP BY g
)
SELECT count(*) AS schedules,
       count(*) FILTER (WHERE paid = spm.commission(credit, s)) AS window_sums_to_total,
       count(*) FILTER (WHERE paid = (SELECT spm.group_commission(amount, s) FROM gen_deals d WHERE d.g = t.g)) AS aggregate_agrees,
       count(*) FILTER (WHERE spm.commission(credit, s) = reference_commission(credit, s)) AS matches_sql_reference,
       (SELECT count(*) FROM (SELECT g, sum(c) AS net FROM with_clawbacks GROUP BY g) z WHERE net = 0) AS clawed_back_to_zero
FROM totals t JOIN gen_schedules USING (g);

-- moving windows: group_commission over a trailing frame (inverse transition) equals the
-- commission on the frame's total computed from scratch, on every row of 2,000 generated
-- deals with mixed decimals, clawbacks and frames that empty
WITH d AS (
  SELECT i, i % 5 AS rep, (hashint4(i) % 20000) * ('1e-' || (i % 3))::numeric AS amount
  FROM generate_series(1, 2000) i
), w AS (
  SELECT spm.group_commission(amount, 'retroactive; from 0 rate 4%; from 20000 rate 7.5%', 50000) OVER r AS moving_rows,
         spm.commission(coalesce(sum(amount) OVER r, 0), 'retroactive; from 0 rate 4%; from 20000 rate 7.5%', 50000) AS fresh_rows,
         spm.group_commission(amount, 'marginal; from 0 rate 5%; from 10000 rate 8%') OVER e AS moving_gap,
         CASE WHEN count(*) OVER e > 0
              THEN spm.commission(sum(amount) OVER e, 'marginal; from 0 rate 5%; from 10000 rate 8%') END AS fresh_gap
  FROM d
  WINDOW r AS (PARTITION BY rep ORDER BY i ROWS BETWEEN 7 PRECEDING AND CURRENT ROW),
         e AS (PARTITION BY rep ORDER BY i ROWS BETWEEN 4 PRECEDING AND 2 PRECEDING)
)
SELECT count(*) AS frames,
       count(*) FILTER (WHERE moving_rows::text IS DISTINCT FROM fresh_rows::text) AS rows_differ,
       count(*) FILTER (WHERE moving_gap::text IS DISTINCT FROM fresh_gap::text) AS gap_differ,
       count(*) FILTER (WHERE moving_gap IS NULL) AS empty_frames
FROM w;

-- a parallel plan (Partial Aggregate, combined by commission_combine) equals the serial one
CREATE TABLE big AS
  SELECT i % 37 AS rep, ((i * 7919) % 100000) / 100.0 AS amount FROM generate_series(1, 200000) i;
ALTER TABLE big SET (parallel_workers = 2);
ANALYZE big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT rep, spm.group_commission(amount, 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 10000) FROM big GROUP BY rep;
CREATE TABLE parallel_result AS SELECT rep, spm.group_commission(amount, 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 10000) AS c FROM big GROUP BY rep;
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS reps, count(*) FILTER (WHERE p.c = s.c) AS same_as_serial
FROM parallel_result p JOIN (SELECT rep, spm.commission(sum(amount), 'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 20%; cap 3x target', 10000) AS c FROM big GROUP BY rep) s USING (rep);
RESET ALL;

-- search_path safety
SET search_path = pg_catalog;
SELECT spm.commission(100, 'from 0 rate 5%'::spm.tier_schedule), spm.group_commission(amount, 'from 0 rate 5%'::spm.tier_schedule) FROM public.deals;
RESET search_path;

DROP TABLE plans, plans_back, raw_bytes, states, states_back, ae_plan, deals, gen_schedules, gen_deals, big, parallel_result;
DROP FUNCTION reference_commission(numeric, spm.tier_schedule);

-- ================================================================ payouts

-- ---------------------------------------------------------------- draws
-- Worked example from Xactly, "The Non-Recoverable Draw Against Commission"
-- (https://www.xactlycorp.com/blog/non-recoverable-draw/): a 1,500 monthly draw, 500 earned in
-- August, 3,000 in September.  Recoverable: August pays 1,500 and carries 1,000; September
-- pays 3,000 - 1,000 = 2,000 and the balance is 0.  Non-recoverable: September pays 3,000.
CREATE TABLE xactly (month int, earnings numeric(12,2));
INSERT INTO xactly VALUES (8, 500.00), (9, 3000.00);
SELECT month, earnings, (d).payout, (d).advance, (d).recovered, (d).balance
FROM (SELECT month, earnings, spm.recoverable_draw(earnings, 1500) OVER (ORDER BY month) AS d
      FROM xactly) s
ORDER BY month;
SELECT month, earnings, (spm.nonrecoverable_draw(earnings, 1500)).*
FROM xactly ORDER BY month;

-- Worked example from Oracle Incentive Compensation, "Example of Incentive Compensation Draw
-- and Recovery" (https://docs.oracle.com/en/cloud/saas/sales/facmi/example-of-incentive-compensation-draw-and-recovery.html):
-- a 1,000 draw per period through period 6; recovery is 100 % of earnings above the draw and
-- starts in period 4 (recovery share 0 before).  Periods 1-3 earn 500, 700, 400: each pays
-- 1,000 and the balance due is 500, 800, 1,400, as in Oracle's table.  Periods 4-7 are ours:
-- period 4 earns 1,500 (recovers 500, pays 1,000, balance 900), period 5 earns 900 (pays 1,000,
-- balance 1,000), period 6 earns 1,800 (recovers 800, balance 200), and period 7, after the
-- draw ends (draw 0), earns 600, recovers the last 200 and pays 400.
CREATE TABLE oracle_periods (period int, earnings numeric(12,2), draw numeric(12,2), recovery numeric);
INSERT INTO oracle_periods VALUES
  (1, 500, 1000, 0), (2, 700, 1000, 0), (3, 400, 1000, 0),
  (4, 1500, 1000, 1), (5, 900, 1000, 1), (6, 1800, 1000, 1), (7, 600, 0, 1);
SELECT period, earnings, draw, (d).*
FROM (SELECT period, earnings, draw,
             spm.recoverable_draw(earnings, draw, recovery) OVER (ORDER BY period) AS d
      FROM oracle_periods) s
ORDER BY period;

-- recovery limited to half of the earnings above the draw per period
SELECT period, earnings, (d).*
FROM (SELECT period, earnings, spm.recoverable_draw(earnings, 5000.00, 0.5) OVER (ORDER BY period) AS d
      FROM (VALUES (1, 2000.00), (2, 7000.00), (3, 9000.00), (4, 12000.00)) v(period, earnings)) s
ORDER BY period;
-- a partial recovery is exact, even below a cent: nothing is rounded
SELECT period, earnings, (d).*
FROM (SELECT period, earnings, spm.recoverable_draw(earnings, 100.00, 0.5) OVER (ORDER BY period) AS d
      FROM (VALUES (1, 99.99), (2, 100.01), (3, 100.02)) v(period, earnings)) s
ORDER BY period;

-- edge cases: a clawback (negative earnings) below the draw adds to the balance; a zero draw
-- carries negative earnings forward as a balance; the last row shows what is still owed at
-- the end of the partition; every rep (partition) starts at zero
SELECT rep, period, earnings, draw, (d).*
FROM (SELECT rep, period, earnings, draw,
             spm.recoverable_draw(earnings, draw) OVER (PARTITION BY rep ORDER BY period) AS d
      FROM (VALUES ('ana', 1, -300.00, 1000.00), ('ana', 2, 1500.00, 1000.00), ('ana', 3, 400.00, 1000.00),
                   ('bo', 1, -250.00, 0.00), ('bo', 2, 100.00, 0.00), ('bo', 3, 400.00, 0.00),
                   ('cy', 1, 0.00, 0.00)) v(rep, period, earnings, draw)) s
ORDER BY rep, period;
SELECT (spm.nonrecoverable_draw(-300.00, 1000.00)).* AS clawback_below_guarantee;
-- the frame clause does not matter, and two draws in one query keep separate balances
SELECT month, (spm.recoverable_draw(earnings, 1500) OVER (ORDER BY month ROWS BETWEEN CURRENT ROW AND CURRENT ROW)).balance AS framed,
       (spm.recoverable_draw(earnings, 2000) OVER (ORDER BY month)).balance AS draw_2000,
       (spm.recoverable_draw(earnings, 1500, 0.1) OVER (ORDER BY month)).balance AS tenth_recovered
FROM xactly ORDER BY month;
-- amounts beyond 64-bit units stay exact
SELECT (d).* FROM (SELECT spm.recoverable_draw(e, 50000000000000000.00, 0.25) OVER (ORDER BY p) AS d
                   FROM (VALUES (1, 0.01), (2, 90000000000000000.01)) v(p, e)) s;
SELECT (spm.nonrecoverable_draw(1200, 1000.00)).payout AS above, (spm.nonrecoverable_draw(0, 0)).payout AS zero;

-- bad input: NULL earnings, draw or share; negative draw; NaN and Infinity; share outside [0, 1]
SELECT spm.recoverable_draw(e, 1000) OVER () FROM (VALUES (NULL::numeric)) v(e);
SELECT spm.recoverable_draw(100, d) OVER () FROM (VALUES (NULL::numeric)) v(d);
SELECT spm.recoverable_draw(100, 1000, s) OVER () FROM (VALUES (NULL::numeric)) v(s);
SELECT spm.recoverable_draw(100, -1) OVER ();
SELECT spm.recoverable_draw('NaN', 1000) OVER ();
SELECT spm.recoverable_draw(100, 'Infinity') OVER ();
SELECT spm.recoverable_draw(100, 1000, 1.5) OVER ();
SELECT spm.recoverable_draw(100, 1000, -0.1) OVER ();
SELECT spm.recoverable_draw(100, 1000, 'NaN') OVER ();
SELECT spm.recoverable_draw(100, 1000, 1 / 3.0 * 1e-30) OVER ();
SELECT spm.nonrecoverable_draw(NULL, 1000);
SELECT spm.nonrecoverable_draw(100, -0.01);
SELECT spm.nonrecoverable_draw('-Infinity', 1000);

-- the laws over 300 generated reps x 12 months (draws, shares and clawbacks vary by row),
-- against an independent pure-SQL recursive CTE: every payout, advance, recovery and balance
-- is equal; payout >= draw; balance >= 0; sum(payout) = sum(earnings) + final balance; and the
-- non-recoverable sum is sum(greatest(earnings, draw))
CREATE TABLE periods AS
  SELECT rep, month,
         round(((hashint8extended(rep * 100 + month, 1) & 1048575) - 150000) / 100.0, 2) AS earnings,
         CASE WHEN rep % 7 = 0 THEN 0 ELSE 2000 + (rep % 5) * 500 END::numeric(12,2) AS draw,
         CASE WHEN rep % 3 = 0 THEN 1 ELSE round((hashint8extended(rep, 2) & 1023) / 1023.0, 2) END AS share
  FROM generate_series(1, 300) rep, generate_series(1, 12) month;
CREATE TABLE by_spm AS
  SELECT rep, month, earnings, draw, (d).payout, (d).advance, (d).recovered, (d).balance
  FROM (SELECT *, spm.recoverable_draw(earnings, draw, share) OVER (PARTITION BY rep ORDER BY month) AS d
        FROM periods) s;
WITH RECURSIVE walk AS (
  SELECT p.rep, p.month, p.earnings, p.draw, p.share, r.payout, r.advance, r.recovered, r.balance
  FROM periods p,
       LATERAL (SELECT CASE WHEN p.earnings < p.draw THEN p.draw ELSE p.earnings END AS payout,
                       greatest(p.draw - p.earnings, 0) AS advance, 0::numeric AS recovered,
                       greatest(p.draw - p.earnings, 0) AS balance) r
  WHERE p.month = 1
  UNION ALL
  SELECT p.rep, p.month, p.earnings, p.draw, p.share,
         p.earnings + r.advance - r.recovered, r.advance, r.recovered,
         w.balance + r.advance - r.recovered
  FROM walk w JOIN periods p ON p.rep = w.rep AND p.month = w.month + 1,
       LATERAL (SELECT greatest(p.draw - p.earnings, 0) AS advance,
                       CASE WHEN p.earnings < p.draw THEN 0
                            ELSE least(w.balance, p.share * (p.earnings - p.draw)) END AS recovered) r
)
SELECT count(*) AS periods,
       count(*) FILTER (WHERE s.payout = w.payout AND s.advance = w.advance
                          AND s.recovered = w.recovered AND s.balance = w.balance) AS same_as_recursive_sql,
       count(*) FILTER (WHERE s.payout >= s.draw AND s.balance >= 0) AS payout_at_least_draw
FROM by_spm s JOIN walk w USING (rep, month);
SELECT count(*) AS reps,
       count(*) FILTER (WHERE paid = earned + final_balance) AS balance_identity_holds,
       sum(final_balance) AS owed_at_year_end
FROM (SELECT rep, sum(payout) AS paid, sum(earnings) AS earned,
             (array_agg(balance ORDER BY month DESC))[1] AS final_balance
      FROM by_spm GROUP BY rep) r;
SELECT sum((spm.nonrecoverable_draw(earnings, draw)).payout) = sum(greatest(earnings, draw)) AS nonrecoverable_is_greatest
FROM periods;

-- ---------------------------------------------------------------- splits
-- Salesforce: "revenue splits, which must total 100%, and overlay splits, which can total any
-- percentage" (https://developer.salesforce.com/docs/platform/object-reference/references/standard-objects/object-opportunitysplittype.html);
-- Salesforce Spiff's example (https://help.salesforce.com/apex/HTViewHelpDoc?id=sales.spiff_opportunity_splits.htm):
-- rep A gets a 50 % revenue split and a 20 % overlay, rep B a 50 % revenue split.
SELECT spm.split(12345.67, ARRAY[0.5, 0.5]) AS revenue_split,
       spm.split(12345.67, ARRAY[0.5, 0.5, 0.2], true) AS with_overlay,
       spm.split(100.00, ARRAY[0.6, 0.4]) AS sixty_forty;
-- thirds: the extra cent goes to the first rep; a clawed-back deal reverses the split cent for cent
SELECT spm.split(100.00, ARRAY[0.3333, 0.3333, 0.3334]) AS near_thirds,
       spm.split(1000.00, ARRAY[0.25, 0.25, 0.25, 0.25], false, 0) AS whole_units,
       spm.split(-100.00, ARRAY[0.3333, 0.3333, 0.3334]) AS clawed_back,
       spm.split(0.01, ARRAY[0.5, 0.5]) AS one_cent,
       spm.split(100.01, ARRAY[1, 1], true) AS full_overlay,
       spm.split(100.05, ARRAY[0.2, 0.1], true) AS overlay_only,
       spm.split(NULL, ARRAY[1]) IS NULL AS null_amount;
SELECT spm.split(100.00, '[0:1]={0.5,0.5}'::numeric[]) AS keeps_subscripts;
-- bad input
SELECT spm.split(100.00, ARRAY[0.5, 0.3]);
SELECT spm.split(100.00, ARRAY[0.5, 0.6]);
SELECT spm.split(100.00, ARRAY[1.5]);
SELECT spm.split(100.00, ARRAY[1.2, -0.2]);
SELECT spm.split(100.00, ARRAY[0.5, 'NaN']::numeric[]);
SELECT spm.split(100.00, ARRAY[0.5, NULL]);
SELECT spm.split(100.00, '{}');
SELECT spm.split(100.00, ARRAY[[0.5], [0.5]]);
SELECT spm.split(100.005, ARRAY[1]);
SELECT spm.split('Infinity', ARRAY[1]);
SELECT spm.split(1e30, ARRAY[0.5, 0.5]);
SELECT spm.split(100, ARRAY[1], false, 13);
-- shares straight from a division (20 decimals) are split in numeric by allocate's rule
SELECT spm.split(100, ARRAY[1 / 3.0, 2 / 3.0]) AS thirds,
       spm.split(100, ARRAY[1 / 3.0, 2 / 3.0]) = spm.allocate(100, ARRAY[1 / 3.0, 2 / 3.0]) AS same_as_allocate;

-- the laws over 500 generated deals: parts sum exactly to the amount, each within one cent of
-- amount x share, and the split is the same allocation as spm.allocate; with overlays the parts
-- sum to amount x sum(shares) rounded half away from zero, each within one cent of its credit
-- (shares of four decimals, the last rep of a deal taking the rest so that they sum to exactly 1)
CREATE TABLE deal_credit AS
  WITH raw AS (
    SELECT d AS deal_id, k AS rep,
           round(((hashint8extended(d, 3) & 16777215) - 2000000) / 100.0, 2) AS amount,
           round((hashint8extended(d * 31 + k, 4) & 1023) / 1023.0 / (1 + d % 6), 4) AS w
    FROM generate_series(1, 500) d, generate_series(1, 1 + d % 6) k
  )
  SELECT deal_id, rep, amount,
         CASE WHEN rep = 1 + deal_id % 6
              THEN 1 - coalesce(sum(w) OVER (PARTITION BY deal_id ORDER BY rep
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
              ELSE w END AS share
  FROM raw;
SELECT count(*) AS deals, count(*) FILTER (WHERE total = 1) AS shares_sum_to_one
FROM (SELECT deal_id, sum(share) AS total FROM deal_credit GROUP BY deal_id) d;
WITH deals AS (
  SELECT deal_id, min(amount) AS amount, array_agg(share ORDER BY rep) AS shares
  FROM deal_credit GROUP BY deal_id
), split AS (
  SELECT deal_id, amount, shares, spm.split(amount, shares) AS parts,
         spm.split(amount, shares || 0.35::numeric, true) AS overlay_parts FROM deals
)
SELECT count(*) AS deals,
       count(*) FILTER (WHERE (SELECT sum(p) FROM unnest(parts) p) = amount) AS exact_sum,
       count(*) FILTER (WHERE (SELECT bool_and(abs(p - amount * s) < 0.01) FROM unnest(parts, shares) u(p, s))) AS within_a_cent,
       count(*) FILTER (WHERE parts = spm.allocate(amount, shares)) AS same_as_allocate,
       count(*) FILTER (WHERE (SELECT sum(p) FROM unnest(overlay_parts) p) = round(amount * 1.35, 2)) AS overlay_sum,
       count(*) FILTER (WHERE (SELECT bool_and(abs(p - amount * s) < 0.01)
                                 FROM unnest(overlay_parts, shares || 0.35::numeric) u(p, s))) AS overlay_within_a_cent
FROM split;

-- split_share: the same split as a window over a deal-credit table
SELECT deal_id, rep, amount, share, spm.split_share(amount, share) OVER (PARTITION BY deal_id ORDER BY rep) AS credit
FROM deal_credit WHERE deal_id IN (5, 6) ORDER BY deal_id, rep;
WITH by_window AS (
  SELECT deal_id, array_agg(credit ORDER BY rep) AS parts FROM (
    SELECT deal_id, rep, spm.split_share(amount, share) OVER (PARTITION BY deal_id ORDER BY rep) AS credit
    FROM deal_credit) s GROUP BY deal_id
), by_array AS (
  SELECT deal_id, spm.split(min(amount), array_agg(share ORDER BY rep)) AS parts FROM deal_credit GROUP BY deal_id
)
SELECT count(*) AS deals, count(*) FILTER (WHERE a.parts = w.parts) AS same
FROM by_array a JOIN by_window w USING (deal_id);
SELECT rep, spm.split_share(12345.67, s, true) OVER (ORDER BY rep) AS overlay_credit
FROM (VALUES (1, 0.5), (2, 0.5), (3, 0.2)) v(rep, s);
-- bad input: amount, flag and scale must agree within a deal; shares must be given
SELECT spm.split_share(a, 0.5) OVER () FROM (VALUES (100), (200)) v(a);
SELECT spm.split_share(a, 0.5) OVER () FROM (VALUES (NULL::numeric), (100)) v(a);
SELECT spm.split_share(100, 0.5, f) OVER () FROM (VALUES (true), (false)) v(f);
SELECT spm.split_share(100, s) OVER () FROM (VALUES (0.5), (NULL)) v(s);
SELECT spm.split_share(100, s) OVER () FROM (VALUES (0.5), (0.4)) v(s);

-- ---------------------------------------------------------------- rounding payout lines
-- three commission lines of 33.3333 sum to 99.9999, which rounds to 100.00: the lines round to
-- 33.34, 33.33, 33.33 (rounding each alone would give 99.99)
SELECT spm.round_lines(ARRAY[33.3333, 33.3333, 33.3333]) AS lines,
       (SELECT sum(round(x, 2)) FROM unnest(ARRAY[33.3333, 33.3333, 33.3333]) x) AS each_rounded_alone;
-- the total's rule: half_up (away from zero) or half_even
SELECT spm.round_lines(ARRAY[0.125, 0.5]) AS half_up, spm.round_lines(ARRAY[0.125, 0.5], 2, 'half_even') AS half_even,
       spm.round_lines(ARRAY[0.135, 0.5], 2, 'half_even') AS half_even_odd,
       spm.round_lines(ARRAY[-0.125, -0.5]) AS negative_half_up,
       spm.round_lines(ARRAY[-0.125, -0.5], 2, 'half_even') AS negative_half_even;
-- mixed signs (a clawback line), NULL lines, no lines, whole units and thousands
SELECT spm.round_lines(ARRAY[1250.555, -310.333, NULL, 80.004]) AS with_clawback,
       spm.round_lines('{}') AS no_lines,
       spm.round_lines(ARRAY[NULL]::numeric[]) AS only_null,
       spm.round_lines(ARRAY[1499.6, 1500.7], 0) AS whole_units,
       spm.round_lines(ARRAY[1499.6, 1500.7], -3) AS thousands,
       spm.round_lines(ARRAY[1, 2.5], 4) AS more_decimals,
       spm.round_lines('[3:4]={0.005,0.005}'::numeric[]) AS keeps_subscripts;
-- lines straight from a division (20 decimals) and amounts beyond 64-bit units are exact too
SELECT spm.round_lines(ARRAY[1 / 3.0, 1 / 3.0, 1 / 3.0]) AS thirds_of_one,
       spm.round_lines(ARRAY[12345678901234567.891, 0.004]) AS wide;
-- bad input
SELECT spm.round_lines(ARRAY[1.005], 2, 'bankers');
SELECT spm.round_lines(ARRAY[1.005, 'NaN']);
SELECT spm.round_lines(ARRAY[1.005], 13);
SELECT spm.round_lines(ARRAY[[1.005], [2]]);
-- lines past 38 digits are rounded in numeric by the same rule: 0 for a tiny line, and
-- 400 generated statements agree whether their lines carry 45 decimals (the numeric
-- path) or their own 3 (the 128-bit path)
-- lines near -2^127 units: their floors must not overflow (they summed to 2 * 1.7e34)
SELECT spm.round_lines(ARRAY[-17014118346046923173168730371588410.5727, 17014118346046923173168730371588410.5727], 2) AS opposite_extremes;
SELECT spm.round_lines(ARRAY[1 / 3.0 * 1e-30]) AS tiny;
WITH cases AS (
    SELECT g, CASE WHEN g % 2 = 0 THEN 'half_up' ELSE 'half_even' END AS rule,
           array_agg((abs(hashint8extended(g * 10 + k, 1)) % 20001 - 10000) / 1000.0 ORDER BY k) AS lines
    FROM generate_series(1, 400) g, generate_series(1, 1 + g % 7) k
    GROUP BY g)
SELECT count(*) AS statements,
       count(*) FILTER (WHERE spm.round_lines(lines, 2, rule) IS DISTINCT FROM
                              spm.round_lines((SELECT array_agg(round(l, 45) ORDER BY i)
                                               FROM unnest(lines) WITH ORDINALITY u(l, i)), 2, rule)) AS differing,
       count(*) FILTER (WHERE (SELECT sum(x) FROM unnest(spm.round_lines(lines, 2, rule)) x)
                              <> round((SELECT sum(l) FROM unnest(lines) l), 2)
                          AND rule = 'half_up') AS half_up_total_off
FROM cases;
SELECT spm.round_lines(ARRAY[1.005], 2, NULL) IS NULL AS strict;

-- the laws over 600 generated statements: lines sum exactly to the total rounded half up
-- (PostgreSQL's round) or half even (computed here independently), each line less than a cent
-- from its exact value; negating every line negates the result
CREATE TABLE lines AS
  SELECT s AS statement, k AS line,
         ((hashint8extended(s * 64 + k, 5) & 16777215) - CASE WHEN s % 3 = 0 THEN 8000000 ELSE 0 END)
           / CASE WHEN s % 2 = 0 THEN 1000.0 ELSE 8.0 END AS amount
  FROM generate_series(1, 600) s, generate_series(1, 1 + s % 17) k;
WITH statements AS (
  SELECT statement, array_agg(amount ORDER BY line) AS amounts, sum(amount) AS total FROM lines GROUP BY statement
), rounded AS (
  SELECT statement, amounts, total, spm.round_lines(amounts) AS up, spm.round_lines(amounts, 2, 'half_even') AS even,
         spm.round_lines((SELECT array_agg(-a) FROM unnest(amounts) a)) AS negated,
         -- half even by hand: the nearest cent, a tie going to the even cent
         CASE WHEN abs(total * 100 - trunc(total * 100)) = 0.5
              THEN trunc(total * 100) + CASE WHEN trunc(total * 100) % 2 = 0 THEN 0 ELSE sign(total) END
              ELSE round(total * 100) END / 100 AS even_total
  FROM statements
)
SELECT count(*) AS statements,
       count(*) FILTER (WHERE (SELECT sum(x) FROM unnest(up) x) = round(total, 2)) AS half_up_sum,
       count(*) FILTER (WHERE (SELECT sum(x) FROM unnest(even) x) = even_total) AS half_even_sum,
       count(*) FILTER (WHERE (SELECT bool_and(abs(r - a) < 0.01) FROM unnest(up, amounts) u(r, a))) AS within_a_cent,
       count(*) FILTER (WHERE negated = (SELECT array_agg(-x) FROM unnest(up) x)) AS mirrored,
       count(*) FILTER (WHERE round(total, 2) <> even_total) AS where_rules_differ
FROM rounded;

-- round_line: the same rounding as a window over a statement's lines
SELECT line, amount, spm.round_line(amount) OVER (PARTITION BY statement ORDER BY line) AS rounded
FROM lines WHERE statement = 4 ORDER BY line;
WITH by_window AS (
  SELECT statement, array_agg(r ORDER BY line) AS parts FROM (
    SELECT statement, line, spm.round_line(amount, 2, 'half_even') OVER (PARTITION BY statement ORDER BY line) AS r
    FROM lines) s GROUP BY statement
), by_array AS (
  SELECT statement, spm.round_lines(array_agg(amount ORDER BY line), 2, 'half_even') AS parts FROM lines GROUP BY statement
)
SELECT count(*) AS statements, count(*) FILTER (WHERE a.parts = w.parts) AS same
FROM by_array a JOIN by_window w USING (statement);
-- bad input
SELECT spm.round_line(x, s) OVER () FROM (VALUES (1.005, 2), (2.005, 3)) v(x, s);
SELECT spm.round_line(x, 2, r) OVER () FROM (VALUES (1.005, 'half_up'), (2.005, 'half_even')) v(x, r);
SELECT spm.round_line(1.005, 2, NULL) OVER ();
SELECT spm.round_line(x) OVER () FROM (VALUES (1.005), ('NaN')) v(x);

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT (spm.recoverable_draw(earnings, 1500) OVER (ORDER BY month)).balance FROM public.xactly;
SELECT spm.split(100.00, ARRAY[0.5, 0.5]), spm.round_lines(ARRAY[0.005, 0.005]),
       (spm.nonrecoverable_draw(1, 2)).payout;
RESET search_path;

-- deal_commission reads each row once and lets the window drop the rows before it, so a
-- partition larger than work_mem is not written to a temporary file (it was, row by row)
CREATE TEMP TABLE many_deals AS SELECT g AS deal, (g % 997) + 0.50 AS amount FROM generate_series(1, 20000) g;
SET work_mem = '64kB';
SELECT pg_stat_force_next_flush() \gset
SELECT temp_files AS temp_files_before FROM pg_stat_database WHERE datname = current_database() \gset
SELECT count(c), sum(c) FROM (
  SELECT spm.deal_commission(amount, 'marginal; from 0 rate 5%; from 100000 rate 8%') OVER () AS c FROM many_deals) t;
SELECT pg_stat_force_next_flush() \gset
SELECT temp_files - :temp_files_before AS temp_files_written FROM pg_stat_database WHERE datname = current_database();
RESET work_mem;
