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
SELECT spm.tier_schedule(spm.to_jsonb(s))::text = s::text AS jsonb_round_trip
FROM (VALUES ('marginal; boundary lower; from 0% rate 5%; from 50% rate 10% bonus 100 catch-up; from 100% rate 20%; cap 3x target'::spm.tier_schedule),
             ('curve; at 50% pay 25%; at 100% pay 100%')) v(s);
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
-- beyond 128 bits the same math runs in numeric, exactly
SELECT spm.commission(1e30 + 0.000001, 'marginal; from 0 rate 8%; from 100000 rate 12.5%') AS huge,
       1e30 * 0.125 + 0.000001 * 0.125 - 100000 * 0.045 AS reference;
SELECT sum(c) AS paid, spm.commission(sum(a), 'retroactive; from 0 rate 5%; from 100 rate 10%') AS on_total,
       sum(a) * 0.1 AS reference
FROM (SELECT a, spm.deal_commission(a, 'retroactive; from 0 rate 5%; from 100 rate 10%') OVER (ORDER BY i) AS c
      FROM (VALUES (1, 1e35), (2, 9e36), (3, -1e35), (4, 0.0000001)) v(i, a)) t;

-- errors inside groups and windows
SELECT spm.group_commission(a, s) FROM (VALUES (1, 'from 0 rate 5%'::spm.tier_schedule), (2, 'from 0 rate 6%')) v(a, s);
SELECT spm.deal_commission(a, s) OVER () FROM (VALUES (1, 'from 0 rate 5%'::spm.tier_schedule), (2, 'from 0 rate 6%')) v(a, s);
SELECT spm.group_commission(a, 'from 0% rate 5%', q) FROM (VALUES (1, 10), (2, 20)) v(a, q);
SELECT spm.deal_commission(a, NULL) OVER () FROM (VALUES (1)) v(a);
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
