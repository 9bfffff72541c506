-- pgTAP: plan changes mid-period and effective dating
BEGIN;
SELECT plan(23);

-- labels
SELECT has_function('spm', 'prorate_schedule', ARRAY['spm.tier_schedule', 'daterange', 'daterange', 'integer']);
SELECT volatility_is('spm', 'prorate_schedule', ARRAY['spm.tier_schedule', 'daterange', 'daterange', 'integer'], 'immutable');
SELECT is_strict('spm', 'prorate_schedule', ARRAY['spm.tier_schedule', 'daterange', 'daterange', 'integer']);
SELECT is((SELECT array_agg(DISTINCT prokind::text) FROM pg_proc
           WHERE oid IN ('spm.effective_deal_commission(numeric, date, daterange, spm.tier_schedule, text)'::regprocedure,
                         'spm.effective_deal_commission(numeric, date, daterange, spm.tier_schedule, numeric, text)'::regprocedure)),
          ARRAY['w'], 'effective_deal_commission is a window function, with and without a quota');
SELECT volatility_is('spm', 'effective_deal_commission', ARRAY['numeric', 'date', 'daterange', 'spm.tier_schedule', 'text'], 'immutable');

-- the recipe: the database keeps assignments from overlapping
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TEMP TABLE plans (plan_id text PRIMARY KEY, schedule spm.tier_schedule NOT NULL);
INSERT INTO plans VALUES ('standard', 'marginal; from 0 rate 5%; from 31000 rate 10%'),
                         ('senior', 'marginal; from 0 rate 6%; from 31000 rate 12%');
CREATE TEMP TABLE plan_assignments (rep text NOT NULL, plan_id text NOT NULL REFERENCES plans, valid daterange NOT NULL,
                                    EXCLUDE USING gist (rep WITH =, valid WITH &&));
INSERT INTO plan_assignments VALUES ('ana', 'standard', '[2026-01-01,2026-03-16)'), ('ana', 'senior', '[2026-03-16,)');
SELECT throws_ok($$INSERT INTO plan_assignments VALUES ('ana', 'senior', '[2026-03-10,2026-04-01)')$$, '23P01',
                 NULL, 'an overlapping assignment is refused by the exclusion constraint');
SELECT lives_ok($$INSERT INTO plan_assignments VALUES ('bo', 'senior', '[2026-03-10,2026-04-01)')$$,
                'another rep''s assignment may cover the same days');
SELECT is((SELECT plan_id FROM plan_assignments WHERE rep = 'ana' AND valid @> date '2026-03-16'), 'senior',
          'the plan in force on the first day of an assignment is that assignment''s');
SELECT is((SELECT plan_id FROM plan_assignments WHERE rep = 'ana' AND valid @> date '2026-03-15'), 'standard',
          'the day before, the earlier assignment is in force (ranges are [start, end))');

-- proration by days
SELECT is(spm.prorate_schedule('from 0 rate 5%; from 31000 rate 10%', '[2026-03-01,2026-04-01)', '[2026-03-16,)')::text,
          'marginal; from 0 rate 5%; from 16000 rate 10%', '31,000 over 16 of 31 days is 16,000');
SELECT is(spm.prorate_schedule('from 0 rate 5%; from 100000.125 rate 8% bonus 500; cap 30000', '[2026-01-01,2026-02-01)', daterange(NULL, NULL))::text,
          'marginal; from 0 rate 5%; from 100000.13 rate 8% bonus 500; cap 30000', 'the whole period keeps the schedule, rounded to the scale (2)');
SELECT is((spm.to_jsonb(spm.prorate_schedule('from 0 rate 5%; from 77777.77 rate 8%; cap 12345.67', '[2026-01-01,2026-04-01)', '[2026-02-17,2026-03-09)'))),
          jsonb_build_object('kind', 'marginal', 'basis', 'amount', 'boundary', 'upper',
            'tiers', jsonb_build_array(jsonb_build_object('from', 0, 'rate', 0.05),
                                       jsonb_build_object('from', spm.prorate_days(77777.77, '[2026-01-01,2026-04-01)', '[2026-02-17,2026-03-09)'), 'rate', 0.08)),
            'cap', spm.prorate_days(12345.67, '[2026-01-01,2026-04-01)', '[2026-02-17,2026-03-09)')),
          'thresholds and the cap are prorate_days of each');
SELECT is(spm.prorate_schedule('retroactive; from 0% rate 4%; from 100% rate 8%; cap 2x target', '[2026-03-01,2026-04-01)', '[2026-03-11,)')::text,
          'retroactive; from 0% rate 4%; from 100% rate 8%; cap 2x target', 'relative thresholds and caps are left to the prorated quota');
SELECT throws_ok($$SELECT spm.prorate_schedule('from 0 rate 5%; from 1 rate 6%', '[2026-03-01,2026-04-01)', '[2026-03-01,2026-03-02)', 0)$$,
                 '22023', NULL, 'two thresholds prorated onto one amount are refused');

-- the two rules on March: 10,000 and 8,000 under standard, 12,000 and 6,000 under senior
CREATE TEMP TABLE plan_deals (deal_id int, rep text, close_date date, amount numeric(12,2));
INSERT INTO plan_deals VALUES (1, 'ana', '2026-03-05', 10000), (2, 'ana', '2026-03-12', 8000),
                              (3, 'ana', '2026-03-20', 12000), (4, 'ana', '2026-03-28', 6000);
CREATE TEMP VIEW paid AS
SELECT d.deal_id, d.amount, a.valid, p.schedule,
       spm.effective_deal_commission(d.amount, d.close_date, a.valid, p.schedule, 'continue') OVER w AS continued,
       spm.effective_deal_commission(d.amount, d.close_date, a.valid,
                                     spm.prorate_schedule(p.schedule, '[2026-03-01,2026-04-01)', a.valid), 'restart') OVER w AS restarted
FROM plan_deals d JOIN plan_assignments a ON a.rep = d.rep AND a.valid @> d.close_date JOIN plans p USING (plan_id)
WINDOW w AS (PARTITION BY d.rep ORDER BY d.close_date, d.deal_id);
SELECT is((SELECT sum(continued) FROM paid), 2280.0000,
          'continue: C_standard(18000) + C_senior(36000) - C_senior(18000) = 900 + 2460 - 1080');
SELECT is((SELECT sum(restarted) FROM paid), 2250.0000,
          'restart, prorated: standard from 15,000 on 18,000 (1050) + senior from 16,000 on 18,000 (1200)');
SELECT is((SELECT array_agg(continued ORDER BY deal_id) FROM paid), ARRAY[500.0000, 400.0000, 720.0000, 660.0000],
          'continue: each deal at the plan in force on its date, on the credit so far');
SELECT is((SELECT array_agg(restarted ORDER BY deal_id) FROM paid), ARRAY[500.0000, 550.0000, 720.0000, 480.0000],
          'restart: each deal at its assignment''s prorated plan, on the assignment''s credit so far');
SELECT is((SELECT count(*)::int FROM (
             SELECT spm.effective_deal_commission(amount, close_date, '[2026-01-01,)', 'from 0 rate 5%; from 31000 rate 10%', 'continue') OVER w AS c,
                    spm.effective_deal_commission(amount, close_date, '[2026-01-01,)', 'from 0 rate 5%; from 31000 rate 10%', 'restart') OVER w AS r,
                    spm.deal_commission(amount, 'from 0 rate 5%; from 31000 rate 10%') OVER w AS dc
             FROM plan_deals WINDOW w AS (ORDER BY close_date, deal_id)) x WHERE c = dc AND r = dc), 4,
          'without a change of plan both rules are deal_commission');

-- errors
SELECT throws_ok($$SELECT spm.effective_deal_commission(amount, d, v, 'from 0 rate 5%', 'continue') OVER (ORDER BY d)
                   FROM (VALUES (1, date '2026-03-01', daterange('2026-03-01', '2026-03-10')),
                                (2, '2026-03-11', '[2026-03-05,2026-04-01)')) x(amount, d, v)$$,
                 '23P01', 'plan assignments [2026-03-01,2026-03-10) and [2026-03-05,2026-04-01) overlap',
                 'overlapping assignments are 23P01, naming both ranges');
SELECT throws_ok($$SELECT spm.effective_deal_commission(amount, d, '[2026-03-01,)', 'from 0 rate 5%', 'continue') OVER (ORDER BY amount)
                   FROM (VALUES (1, date '2026-03-05'), (2, '2026-03-02')) x(amount, d)$$,
                 '22023', NULL, 'deals must come in close date order');
SELECT throws_ok($$SELECT spm.effective_deal_commission(1, date '2026-03-15', '[2026-03-01,2026-03-10)', 'from 0 rate 5%', 'continue') OVER ()$$,
                 '22023', NULL, 'a close date outside its assignment is refused');
SELECT throws_ok($$SELECT spm.effective_deal_commission(1, date '2026-03-15', NULL, 'from 0 rate 5%', 'continue') OVER ()$$,
                 '22004', NULL, 'a deal without an assignment is refused');

SELECT * FROM finish();
ROLLBACK;
