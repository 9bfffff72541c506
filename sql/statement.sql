-- Payout statements: the order of a statement's sections, adjustments after a restatement,
-- and a whole quarter of payout runs (test/data/quarter.sql).

-- ---------------------------------------------------------------- statement_order
SELECT kind, spm.statement_order(kind) AS section
FROM unnest(ARRAY['draw_recovery', 'commission', 'adjustment', 'spiff', 'draw_advance', 'tier_bonus']) kind
ORDER BY section;
SELECT spm.statement_order(NULL) IS NULL AS strict;
-- a misspelt kind is an error, not a line sorted last
SELECT spm.statement_order('spif');
SELECT spm.statement_order('Commission');
SELECT spm.statement_order('');

-- ---------------------------------------------------------------- adjustment_line
-- three thirds were paid 33.34, 33.33, 33.33; the third line is corrected to 40: the
-- restated statement (73.3333 in all) rounds to 33.33, 33.33, 40.00, so the first line
-- gives back the cent it carried and the third gets its 6.67
SELECT line, paid, restated, spm.adjustment_line(restated, paid) OVER (ORDER BY line) AS adjustment,
       paid + spm.adjustment_line(restated, paid) OVER (ORDER BY line) AS paid_in_all,
       spm.round_line(restated) OVER (ORDER BY line) AS restated_statement
FROM (VALUES (1, 33.34, 33.3333), (2, 33.33, 33.3333), (3, 33.33, 40)) v(line, paid, restated)
ORDER BY line;
-- a line missing on either side counts as 0: a deal paid and now gone, a deal new to the period
SELECT line, paid, restated, spm.adjustment_line(restated, paid) OVER (ORDER BY line) AS adjustment
FROM (VALUES (1, 120.00, NULL), (2, NULL, 80.125), (3, 10.00, 10.004), (4, NULL, NULL)) v(line, paid, restated)
ORDER BY line;
-- scale and rule as round_line: whole units, half even
SELECT line, spm.adjustment_line(restated, paid, 0) OVER (ORDER BY line) AS whole_units,
       spm.adjustment_line(restated, paid, 2, 'half_even') OVER (ORDER BY line) AS half_even
FROM (VALUES (1, 100, 100.125), (2, 200, 200.5)) v(line, paid, restated)
ORDER BY line;
-- bad input: paid must be what a statement paid (whole units), finite; scale and rule as round_line
SELECT spm.adjustment_line(restated, paid) OVER () FROM (VALUES (10.005, 10.005)) v(restated, paid);
SELECT spm.adjustment_line(restated, paid, 0) OVER () FROM (VALUES (10, 10.50)) v(restated, paid);
SELECT spm.adjustment_line(restated, paid) OVER () FROM (VALUES (10, 'NaN'::numeric)) v(restated, paid);
SELECT spm.adjustment_line(restated, paid) OVER () FROM (VALUES ('Infinity'::numeric, 10)) v(restated, paid);
SELECT spm.adjustment_line(10, 10, 2, 'bankers') OVER ();
SELECT spm.adjustment_line(10, 10, NULL) OVER ();
SELECT spm.adjustment_line(r, p, s) OVER () FROM (VALUES (10, 10, 2), (20, 20, 3)) v(r, p, s);
SELECT spm.adjustment_line(10, 10, 13) OVER ();

-- the laws over 500 generated statements, paid as spm.round_lines rounded them, then
-- restated with lines changed, removed (NULL) and added (paid NULL): paid plus adjustment
-- is the restated statement line by line (spm.round_lines of the restated lines); every
-- adjustment is whole cents, less than a cent from restated - paid; the restated total,
-- rounded half up, is what is paid in all; an unchanged statement needs no adjustment
CREATE TABLE restatements AS
WITH original AS (
  SELECT s, k, (hashint8extended(s * 64 + k, 7) % 2000000) / 1000.0 AS exact
  FROM generate_series(1, 500) s, generate_series(1, 1 + s % 13) k),
paid AS (
  SELECT s, k, exact, spm.round_line(exact) OVER (PARTITION BY s ORDER BY k) AS paid FROM original)
SELECT s, k, paid,
       CASE WHEN s % 5 = 0 THEN exact
            WHEN (s + k) % 4 = 0 THEN NULL
            WHEN (s * k) % 3 = 0 THEN exact + (hashint8extended(s * 64 + k, 8) % 100000) / 10000.0
            ELSE exact END AS restated
FROM paid
UNION ALL
SELECT s, 100, NULL, (hashint8extended(s, 9) % 50000) / 1000.0 FROM generate_series(1, 500) s WHERE s % 5 <> 0 AND s % 2 = 0;
WITH adjusted AS (
  SELECT s, k, paid, restated, spm.adjustment_line(restated, paid) OVER (PARTITION BY s ORDER BY k) AS adjustment
  FROM restatements),
statements AS (
  SELECT s, spm.round_lines(array_agg(coalesce(restated, 0) ORDER BY k)) AS restated_statement,
         array_agg(coalesce(paid, 0) + adjustment ORDER BY k) AS paid_in_all,
         sum(coalesce(paid, 0) + adjustment) AS paid_total, round(coalesce(sum(restated), 0), 2) AS restated_total,
         bool_and(adjustment = round(adjustment, 2)) AS whole_cents,
         bool_and(abs(adjustment - (coalesce(restated, 0) - coalesce(paid, 0))) < 0.01) AS within_a_cent,
         bool_and(adjustment = 0) AS no_adjustment
  FROM adjusted GROUP BY s)
SELECT count(*) AS statements,
       count(*) FILTER (WHERE restated_statement = paid_in_all) AS paid_in_all_is_restated,
       count(*) FILTER (WHERE paid_total = restated_total) AS totals_exact,
       count(*) FILTER (WHERE whole_cents AND within_a_cent) AS lines_in_cents,
       count(*) FILTER (WHERE s % 5 = 0 AND no_adjustment) AS unchanged_without_adjustment,
       count(*) FILTER (WHERE s % 5 = 0) AS unchanged
FROM statements;
DROP TABLE restatements;

-- ---------------------------------------------------------------- a whole quarter
\set ECHO none
\i test/data/quarter.sql
\set ECHO all
SET search_path = quarter;
-- each month's statements as issued: sections in order, adjustments for earlier periods,
-- the total payable
SELECT rep, period, label, amount, paid
FROM (SELECT rep, period, spm.statement_order(kind) AS section, for_period, line_no, label, amount, paid
      FROM statement_lines
      UNION ALL
      SELECT rep, period, 7, NULL, NULL, 'Total payable', sum(amount), sum(paid)
      FROM statement_lines GROUP BY rep, period) s
ORDER BY rep, period, section, for_period, line_no;
-- every statement sums exactly: its own lines to their rounded total, adjustments whole
SELECT rep, period, sum(paid) AS paid,
       round(sum(amount) FILTER (WHERE kind <> 'adjustment'), 2) AS own_rounded,
       coalesce(sum(amount) FILTER (WHERE kind = 'adjustment'), 0) AS adjustments,
       bool_and(paid = round(paid, 2) AND abs(paid - amount) < 0.01) AS lines_within_a_cent
FROM statement_lines GROUP BY rep, period ORDER BY rep, period;
-- after every run, each line paid so far (originals and adjustments) is its restatement
-- from that month's data, to the cent
SELECT run, count(*) AS lines, count(*) FILTER (WHERE for_period < run) AS of_earlier_periods,
       count(*) FILTER (WHERE paid = restated) AS paid_as_restated, sum(paid) AS paid, sum(restated) AS restated
FROM restatement_checks GROUP BY run ORDER BY run;
-- the database keeps a rep's plans from overlapping
INSERT INTO assignments VALUES ('ana', 'gated', 50000, 0, '[2026-03-15,2026-04-01)');
RESET search_path;
SET client_min_messages = warning;
DROP SCHEMA quarter CASCADE;
RESET client_min_messages;
