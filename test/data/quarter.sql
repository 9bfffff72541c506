-- test/data/quarter.sql -- a whole quarter of payout runs for three reps, in schema quarter
-- (included by sql/statement.sql and test/statement.sql; doc/compensation.md, "Payout
-- statements", explains the tables and the run).
--
-- Plans with a gate (0 % below half of quota, caught up at half), an accelerator and a cap
-- (2x target); bo has a recoverable draw of 2,000 a month; cy a SPIFF in February.  Known
-- late: in February, deal 3 (paid in January) is cancelled; in March, deal 9's amount is
-- corrected and deal 8 (February) gets a split; ana's plan changes from March 1.
-- Each month's run pays adjustments for earlier periods, then the month's own lines,
-- and records (restatement_checks) what every earlier line was paid against what the
-- month's data restate it to.
SET client_min_messages = warning;
CREATE SCHEMA quarter;
SET search_path = quarter;
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE plans (plan text PRIMARY KEY, schedule spm.tier_schedule NOT NULL);
INSERT INTO plans VALUES
  ('gated',    'marginal; from 0% rate 0%; from 50% rate 7.5% catch-up; from 100% rate 12.5%; cap 2x target'),
  ('gated_v2', 'marginal; from 0% rate 0%; from 40% rate 8% catch-up; from 100% rate 13.5%; cap 2x target'),
  ('tiered',   'marginal; from 0 rate 4.75%; from 60000 rate 6%');

-- who is on which plan when: monthly quota and draw; a rep's ranges never overlap
CREATE TABLE assignments (
  rep   text NOT NULL,
  plan  text NOT NULL REFERENCES plans,
  quota numeric NOT NULL,
  draw  numeric NOT NULL DEFAULT 0,
  valid daterange NOT NULL,
  EXCLUDE USING gist (rep WITH =, valid WITH &&)
);
INSERT INTO assignments VALUES
  ('ana', 'gated',  50000, 0,    '[2026-01-01,2026-04-01)'),
  ('bo',  'gated',  40000, 2000, '[2026-01-01,2026-04-01)'),
  ('cy',  'tiered', 30000, 0,    '[2026-01-01,2026-04-01)');

CREATE TABLE deals (deal_id int PRIMARY KEY, close_date date NOT NULL, amount numeric(12,2) NOT NULL,
                    cancelled boolean NOT NULL DEFAULT false);
CREATE TABLE deal_credit (deal_id int REFERENCES deals, rep text, share numeric NOT NULL,
                          PRIMARY KEY (deal_id, rep));
CREATE TABLE spiffs (spiff_id int PRIMARY KEY, rep text NOT NULL, period date NOT NULL,
                     label text NOT NULL, amount numeric NOT NULL);

-- the statement lines kept: exact amounts, and what was paid once a run issued them
CREATE TABLE statement_lines (
  rep        text    NOT NULL,
  period     date    NOT NULL,      -- the statement the line is paid on
  for_period date    NOT NULL,      -- the period the money belongs to (earlier for an adjustment)
  kind       text    NOT NULL CHECK (spm.statement_order(kind) > 0),
  line_no    integer NOT NULL,      -- order within the kind
  ref        text    NOT NULL,      -- what the line pays for: a deal, a SPIFF, the draw
  label      text    NOT NULL,
  amount     numeric NOT NULL,      -- exact
  paid       numeric NOT NULL,      -- rounded to the cent
  PRIMARY KEY (rep, period, for_period, ref)
);

-- every period's exact lines from the data as it stands: commission per deal (credit split
-- by shares, cancelled deals left out), SPIFFs, and the draw on the period's earnings
CREATE VIEW exact_lines AS
WITH credit AS (
  SELECT c.rep, d.deal_id, d.close_date, date_trunc('month', d.close_date)::date AS period,
         spm.split_share(d.amount, c.share) OVER (PARTITION BY d.deal_id ORDER BY c.rep) AS credit
  FROM deals d JOIN deal_credit c USING (deal_id)
  WHERE NOT d.cancelled),
earned AS (
  SELECT cr.rep, cr.period, 'commission' AS kind, cr.deal_id AS line_no, 'deal ' || cr.deal_id AS ref,
         'Deal ' || cr.deal_id || ', closed ' || to_char(cr.close_date, 'YYYY-MM-DD') || ', credit ' || cr.credit AS label,
         spm.deal_commission(cr.credit, p.schedule, a.quota)
           OVER (PARTITION BY cr.rep, cr.period ORDER BY cr.close_date, cr.deal_id) AS amount
  FROM credit cr JOIN assignments a ON a.rep = cr.rep AND a.valid @> cr.close_date JOIN plans p USING (plan)
  UNION ALL
  SELECT rep, period, 'spiff', spiff_id, 'spiff ' || spiff_id, label, amount FROM spiffs),
months AS (
  SELECT a.rep, m::date AS period, a.draw
  FROM assignments a, generate_series(lower(a.valid), upper(a.valid) - 1, interval '1 month') m),
draws AS (
  SELECT rep, period,
         spm.recoverable_draw(earnings, draw) OVER (PARTITION BY rep ORDER BY period) AS d
  FROM (SELECT m.rep, m.period, m.draw, coalesce(sum(e.amount), 0) AS earnings
        FROM months m LEFT JOIN earned e USING (rep, period) GROUP BY m.rep, m.period, m.draw) t)
SELECT * FROM earned
UNION ALL
SELECT rep, period, 'draw_advance', 1, 'draw advance', 'Draw paid above earnings', (d).advance
FROM draws WHERE (d).advance <> 0
UNION ALL
SELECT rep, period, 'draw_recovery', 1, 'draw recovery', 'Draw recovered', -(d).recovered
FROM draws WHERE (d).recovered <> 0;

CREATE TABLE restatement_checks (run date, rep text, for_period date, ref text, paid numeric, restated numeric);

-- a run pays month m: first the adjustments that restate earlier periods (their exact
-- lines now, rounded as a statement, less what was paid on each), then the month's own
-- lines rounded so that they sum to their rounded total; adjustments are whole cents
CREATE PROCEDURE run_month(m date) LANGUAGE sql AS $$
  INSERT INTO quarter.statement_lines
  SELECT rep, m, for_period, 'adjustment',
         row_number() OVER (PARTITION BY rep ORDER BY for_period, section, line_no), ref,
         'Adjustment for ' || to_char(for_period, 'Mon YYYY') || ': ' || label, adjustment, adjustment
  FROM (SELECT rep, for_period, ref, coalesce(r.section, p.section) AS section,
               coalesce(r.line_no, p.line_no) AS line_no, coalesce(r.label, p.label) AS label,
               spm.adjustment_line(r.amount, p.paid)
                 OVER (PARTITION BY rep, for_period ORDER BY r.section, r.line_no) AS adjustment
        FROM (SELECT rep, period AS for_period, ref, spm.statement_order(kind) AS section, line_no,
                     label, amount
              FROM quarter.exact_lines WHERE period < m) r
        FULL JOIN (SELECT rep, for_period, ref, sum(paid) AS paid,
                          min(spm.statement_order(kind)) FILTER (WHERE period = for_period) AS section,
                          min(line_no) FILTER (WHERE period = for_period) AS line_no,
                          min(label) FILTER (WHERE period = for_period) AS label
                   FROM quarter.statement_lines WHERE for_period < m
                   GROUP BY rep, for_period, ref) p USING (rep, for_period, ref)) a
  WHERE adjustment <> 0;
  INSERT INTO quarter.statement_lines
  SELECT rep, period, period, kind, line_no, ref, label, amount,
         spm.round_line(amount) OVER (PARTITION BY rep ORDER BY spm.statement_order(kind), line_no)
  FROM quarter.exact_lines WHERE period = m;
  -- paid so far on every line against its restatement now
  INSERT INTO quarter.restatement_checks
  SELECT m, rep, for_period, ref, coalesce(p.paid, 0), coalesce(r.restated, 0)
  FROM (SELECT rep, period AS for_period, ref,
               spm.round_line(amount) OVER (PARTITION BY rep, period ORDER BY spm.statement_order(kind), line_no)
                 AS restated
        FROM quarter.exact_lines WHERE period <= m) r
  FULL JOIN (SELECT rep, for_period, ref, sum(paid) AS paid FROM quarter.statement_lines
             GROUP BY rep, for_period, ref) p USING (rep, for_period, ref);
$$;

-- January
INSERT INTO deals VALUES
  (1, '2026-01-06', 18250.35), (2, '2026-01-12', 11830.10), (3, '2026-01-15', 22415.55),
  (4, '2026-01-20', 9999.99), (5, '2026-01-27', 34207.77), (6, '2026-01-29', 6120.45),
  (7, '2026-01-30', 14004.45);
INSERT INTO deal_credit VALUES
  (1, 'ana', 1), (2, 'bo', 1), (3, 'ana', 1), (4, 'cy', 1), (5, 'ana', 1), (6, 'bo', 1),
  (7, 'ana', 0.5), (7, 'cy', 0.5);
CALL run_month('2026-01-01');

-- February: deal 3 is cancelled; a SPIFF of 1.5 % on cy's new-widget deal 10
INSERT INTO deals VALUES
  (8, '2026-02-03', 25555.55), (9, '2026-02-10', 48123.21), (10, '2026-02-17', 12345.67),
  (11, '2026-02-24', 30000.05);
INSERT INTO deal_credit VALUES (8, 'bo', 1), (9, 'ana', 1), (10, 'cy', 1), (11, 'bo', 1);
UPDATE deals SET cancelled = true WHERE deal_id = 3;
INSERT INTO spiffs VALUES (1, 'cy', '2026-02-01', 'SPIFF new-widget launch: 1.5% of deal 10', 0.015 * 12345.67);
CALL run_month('2026-02-01');

-- March: deal 9 was 46,123.21, not 48,123.21; deal 8 is split 60/40 with cy;
-- ana moves to the gated_v2 plan from March 1
INSERT INTO deals VALUES
  (12, '2026-03-04', 61717.17), (13, '2026-03-11', 27272.73), (14, '2026-03-19', 19999.99),
  (15, '2026-03-26', 50404.04);
INSERT INTO deal_credit VALUES (12, 'ana', 1), (13, 'bo', 1), (14, 'cy', 1), (15, 'ana', 1);
UPDATE deals SET amount = 46123.21 WHERE deal_id = 9;
UPDATE deal_credit SET share = 0.6 WHERE deal_id = 8;
INSERT INTO deal_credit VALUES (8, 'cy', 0.4);
UPDATE assignments SET valid = '[2026-01-01,2026-03-01)' WHERE rep = 'ana';
INSERT INTO assignments VALUES ('ana', 'gated_v2', 50000, 0, '[2026-03-01,2026-04-01)');
CALL run_month('2026-03-01');

RESET search_path;
RESET client_min_messages;
