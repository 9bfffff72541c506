-- payout: draws across periods, split credit, exact rounding of payout lines
\set VERBOSITY default

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
SELECT spm.split(100, ARRAY[1], false, 13);
SELECT spm.split(100, ARRAY[1 / 3.0, 2 / 3.0]);

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
SELECT spm.round_lines(ARRAY[1 / 3.0 * 1e-30]);
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
