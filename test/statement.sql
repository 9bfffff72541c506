-- pgTAP: payout statements (statement_order, adjustment_line) and a whole quarter of
-- payout runs for three reps (test/data/quarter.sql, loaded here and rolled back)
BEGIN;
SELECT plan(27);

-- labels
SELECT has_function('spm', 'statement_order', ARRAY['text']);
SELECT has_function('spm', 'adjustment_line', ARRAY['numeric', 'numeric', 'integer', 'text']);
SELECT volatility_is('spm', 'statement_order', ARRAY['text'], 'immutable');
SELECT is_strict('spm', 'statement_order', ARRAY['text']);
SELECT is((SELECT prokind::text FROM pg_proc WHERE oid = 'spm.adjustment_line(numeric, numeric, integer, text)'::regprocedure),
  'w', 'adjustment_line is a window function');

-- statement_order
SELECT is((SELECT array_agg(k ORDER BY spm.statement_order(k))
           FROM unnest(ARRAY['draw_recovery', 'spiff', 'commission', 'draw_advance', 'adjustment', 'tier_bonus']) k),
  ARRAY['commission', 'tier_bonus', 'spiff', 'adjustment', 'draw_advance', 'draw_recovery'],
  'statement sections: earnings, adjustments, then the draw');
SELECT throws_ok($$SELECT spm.statement_order('spif')$$, '22023', 'unknown statement line kind "spif"',
  'a misspelt kind is an error');

-- adjustment_line
SELECT is((SELECT array_agg(a ORDER BY line)
           FROM (SELECT line, spm.adjustment_line(restated, paid) OVER (ORDER BY line) AS a
                 FROM (VALUES (1, 33.34, 33.3333), (2, 33.33, 33.3333), (3, 33.33, 40)) v(line, paid, restated)) t),
  ARRAY[0.00, 0.00, 6.67], 'a corrected line gets its change, rounded so paid + adjustments = the restatement');
SELECT is((SELECT array_agg(a ORDER BY line)
           FROM (SELECT line, spm.adjustment_line(restated, paid) OVER (ORDER BY line) AS a
                 FROM (VALUES (1, 120.00, NULL), (2, NULL, 80.125)) v(line, paid, restated)) t),
  ARRAY[-120.00, 80.13], 'a line gone gives back what it was paid; a new line is paid in full');
SELECT throws_ok($$SELECT spm.adjustment_line(10.005, 10.005) OVER ()$$, '22023',
  'paid line 10.005 is not a whole number of currency units at scale 2', 'paid lines are whole cents');
SELECT is((SELECT count(*)::int FROM (
             SELECT s FROM (SELECT s, p, r, spm.adjustment_line(r, p) OVER (PARTITION BY s ORDER BY k) AS a
                            FROM (SELECT s, k, round(x, 2) AS p, x + (s * k % 7) / 3.0 AS r
                                  FROM generate_series(1, 300) s, generate_series(1, 1 + s % 9) k,
                                       LATERAL (SELECT (hashint8extended(s * 16 + k, 3) % 100000) / 1000.0 AS x) h) t) l
             GROUP BY s HAVING sum(p + a) <> round(sum(r), 2)) c), 0,
  'over 300 generated restatements paid + adjustments = the restated total rounded, to the cent');

-- a statement per tier (doc/compensation.md): spm.commission_explain's rows as lines
SELECT is((SELECT count(*)::int
           FROM generate_series(0, 200) g, LATERAL (SELECT g * 997.13 AS credit,
             'marginal; from 0% rate 5%; from 50% rate 10% catch-up; from 100% rate 22.5% bonus 250; from 150% rate 30% bonus 99.995; cap 3x target'::spm.tier_schedule AS s) p,
           LATERAL (WITH tiers AS (SELECT * FROM spm.commission_explain(p.credit, p.s, 33000) WITH ORDINALITY),
                    lines AS (SELECT 'commission' AS kind, ordinality, commission - coalesce(bonus, 0) AS amount FROM tiers
                              UNION ALL
                              SELECT 'tier_bonus', ordinality, bonus FROM tiers WHERE bonus > 0)
                    SELECT sum(amount) AS exact, sum(paid) AS paid
                    FROM (SELECT amount, spm.round_line(amount) OVER (ORDER BY spm.statement_order(kind), ordinality) AS paid
                          FROM lines) l) t
           WHERE t.exact IS DISTINCT FROM spm.commission(p.credit, p.s, 33000)
              OR t.paid IS DISTINCT FROM round(spm.commission(p.credit, p.s, 33000), 2)), 0,
  'per-tier lines (commission less bonus, the bonus as tier_bonus, the cap) sum to spm.commission, rounded to it rounded');

-- the quarter
\ir data/quarter.sql
SELECT is((SELECT count(*)::int FROM (SELECT DISTINCT rep, period FROM quarter.statement_lines) s), 9,
  'three reps, three monthly statements each');
SELECT is((SELECT count(*)::int FROM (
             SELECT rep, period FROM quarter.statement_lines GROUP BY rep, period
             HAVING sum(paid) <> round(sum(amount) FILTER (WHERE kind <> 'adjustment'), 2)
                                  + coalesce(sum(amount) FILTER (WHERE kind = 'adjustment'), 0)) s), 0,
  'every month''s statement sums exactly: its own lines to their rounded total, adjustments in cents');
SELECT is((SELECT count(*)::int FROM quarter.statement_lines
           WHERE paid <> round(paid, 2) OR abs(paid - amount) >= 0.01), 0,
  'every statement line is whole cents, less than a cent from its exact amount');
SELECT is((SELECT count(*)::int FROM quarter.restatement_checks WHERE run = '2026-01-01' AND paid <> restated), 0,
  'January: paid = computed, per line');
SELECT is((SELECT count(*)::int FROM quarter.restatement_checks WHERE run = '2026-02-01' AND paid <> restated), 0,
  'February: January paid + adjustments = January restated, per line, after the clawback');
SELECT is((SELECT count(*)::int FROM quarter.restatement_checks WHERE run = '2026-03-01' AND paid <> restated), 0,
  'March: paid + adjustments = restated, per line, after the late split and the corrected amount');
SELECT is((SELECT count(*)::int FROM quarter.restatement_checks WHERE run = '2026-03-01' AND for_period < run), 16,
  'March restates the 16 lines of January and February');
SELECT is((SELECT paid FROM quarter.statement_lines
           WHERE rep = 'ana' AND period = '2026-02-01' AND for_period = '2026-01-01' AND ref = 'deal 3'),
  -3049.94, 'the clawback in February gives back what deal 3 was paid in January');
SELECT is((SELECT sum(paid) FROM quarter.statement_lines WHERE rep = 'ana' AND for_period = '2026-01-01'),
  4932.54, 'ana''s January, restated without deal 3, is paid 4,932.54 in all (under the cap now)');
SELECT is((SELECT array_agg(rep || ' ' || paid ORDER BY rep) FROM quarter.statement_lines
           WHERE period = '2026-03-01' AND for_period = '2026-02-01' AND ref = 'deal 8'),
  ARRAY['bo -1916.67', 'cy 485.56'], 'the split added late moves deal 8''s commission from bo to cy');
SELECT is((SELECT paid FROM quarter.statement_lines
           WHERE rep = 'bo' AND period = '2026-03-01' AND for_period = '2026-02-01' AND ref = 'draw recovery'),
  333.33, 'bo''s smaller February earnings recover less of his draw: 333.33 back');
SELECT is((SELECT array_agg(paid ORDER BY period) FROM quarter.statement_lines WHERE rep = 'bo' AND kind LIKE 'draw%'),
  ARRAY[2000.00, -2000.00, -45.45], 'bo''s draw: advanced in January, recovered in February and March');
SELECT is((SELECT paid FROM quarter.statement_lines WHERE rep = 'cy' AND kind = 'spiff'), 185.18,
  'cy''s SPIFF is a line of February''s statement');
SELECT is((SELECT sum(paid) FROM quarter.statement_lines WHERE rep = 'ana' AND period = '2026-03-01' AND kind = 'commission'),
  8000.00, 'ana''s March, under the plan that changed on March 1, is capped at 2x target (8,000)');
SELECT throws_ok($$INSERT INTO quarter.assignments VALUES ('ana', 'gated', 50000, 0, '[2026-03-15,2026-04-01)')$$,
  '23P01', NULL, 'a rep''s plan assignments cannot overlap');

SELECT * FROM finish();
ROLLBACK;
