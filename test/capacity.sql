-- pgTAP: a deal's chance to close won by a date (spm.close_chance) and capacity planning
-- (spm.capacity_by_month, spm.hires_needed), and the quota-from-history recipe
BEGIN;
SELECT plan(24);

-- labels
SELECT has_type('spm', 'roster_entry', 'the roster entry is a type');
SELECT volatility_is('spm', 'close_chance', ARRAY['spm.stage_summary', 'spm.cycle_summary', 'integer', 'date', 'date', 'date'], 'immutable');
SELECT is_strict('spm', 'capacity_by_month', ARRAY['spm.roster_entry[]', 'daterange', 'numeric', 'integer']);
SELECT is(
  (SELECT count(*)::int FROM pg_proc WHERE pronamespace = 'spm'::regnamespace
     AND proname IN ('close_chance', 'capacity_by_month', 'hires_needed')
     AND obj_description(oid, 'pg_proc') IS NOT NULL AND proparallel = 's' AND provolatile = 'i'), 4,
  'close_chance (2), capacity_by_month and hires_needed are commented, IMMUTABLE and PARALLEL SAFE');

-- close_chance: stage 2 is won 4 of 7 times; of deals open at 14 days, 2 of 5 close by day 30
CREATE TEMP TABLE h AS
SELECT '(won_1=1,lost_1=3,won_2=3,lost_2=2,won_3=0,lost_3=0,won_4=0,lost_4=0,won_5=0,lost_5=0,won_6=0,lost_6=0,won_7=0,lost_7=0,won_8=0,lost_8=0,won_9=0,lost_9=0,won_10=0,lost_10=0,won_11=0,lost_11=0,won_12=0,lost_12=0,won_13=0,lost_13=0,won_14=0,lost_14=0,won_15=0,lost_15=0,won_16=0,lost_16=0,won_17=0,lost_17=0,won_18=0,lost_18=0,won_19=0,lost_19=0,won_20=0,lost_20=0)'::spm.stage_summary AS stages,
       '{14:3/0,28:0/1,30:2/0,40:1/0,42:0/1,63:0/1}'::spm.cycle_summary AS cycles;
SELECT is((SELECT spm.close_chance(stages, cycles, 2, '2026-03-02', '2026-03-16', '2026-04-01') FROM h),
          round(3 / 5.0 * 2 / 5, 20), 'close_chance = P(won | stage) x P(close within the days left | age): 3/5 x 2/5');
SELECT is((SELECT spm.close_chance(stages, cycles, 2, '2026-03-02', '2026-03-16', '2026-03-16') FROM h),
          0.00000000000000000000, 'no days left: chance 0');
SELECT ok((SELECT bool_and(spm.close_chance(stages, cycles, 2, '2026-02-01', '2026-02-10', date '2026-02-10' + d)
                           <= spm.close_chance(stages, cycles, 2, '2026-02-01', '2026-02-10', date '2026-02-10' + d + 1))
           FROM h, generate_series(0, 40) d),
          'the chance never falls as the period end moves later');
SELECT ok((SELECT bool_and(spm.close_chance(stages, cycles, s, '2026-02-01', '2026-02-10', '2026-03-31') <= spm.stage_win_probability(stages, s))
           FROM h, generate_series(1, 2) s),
          'the chance never exceeds the stage''s win probability');
SELECT is((SELECT spm.close_chance(stages, cycles, 2, '2026-01-01', '2026-03-16', '2026-03-31') FROM h), NULL,
          'past the longest cycle, which is open: NULL, no guess');
SELECT throws_ok($$SELECT spm.close_chance(stages, cycles, 2, '2026-03-20', '2026-03-16', '2026-03-31') FROM h$$,
                 '22023', 'as_of is before created', 'an as-of date before the deal was created is refused');
SELECT throws_ok($$SELECT spm.close_chance(stages, cycles, 2, '2026-03-01', '2026-03-16', '2026-03-15') FROM h$$,
                 '22023', 'period_end is before as_of', 'a period end before the as-of date is refused');
SELECT throws_ok($$SELECT spm.close_chance(stages, cycles, 21, '2026-03-01', '2026-03-16', '2026-03-31') FROM h$$,
                 '22023', 'stage must be from 1 to 20', 'a stage out of range is refused');

-- capacity_by_month
CREATE TEMP TABLE roster AS
SELECT 'rep' || i AS person, date '2026-01-01' + i * 19 AS hire_date,
       CASE WHEN i % 4 = 0 THEN date '2026-01-01' + i * 19 + 200 END AS leave_date,
       (6000 + i * 250)::numeric(12,2) AS full_quota, '{0.2,0.4,0.6,0.8}'::numeric[] AS ramp, (0.7 + i % 5 / 10.0)::numeric AS attainment
FROM generate_series(1, 25) i;
CREATE TEMP VIEW r AS SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, attainment)::spm.roster_entry) AS roster FROM roster;
SELECT is((SELECT capacity FROM spm.capacity_by_month(ARRAY[('bo', '2027-01-20', NULL, 8000.00, '{0.25,0.5,0.75}', 1)::spm.roster_entry],
                                                      daterange('2027-01-01', '2027-04-01'), 0.02) WHERE month = '2027-03-01'),
          5762.40, 'tenure 3 with two months of 2% attrition: 8000 x 0.75 x 0.98^2');
SELECT ok((SELECT bool_and(a.capacity >= b.capacity)
           FROM r, spm.capacity_by_month(roster, daterange('2026-01-01', '2028-01-01'), 0.01) a
           JOIN spm.capacity_by_month(roster, daterange('2026-01-01', '2028-01-01'), 0.03) b USING (month, person)),
          'more attrition never gives more capacity');
SELECT is((SELECT count(*)::int FROM r, spm.capacity_by_month(roster, daterange('2026-01-01', '2028-01-01'), 0.02) c
           JOIN roster g USING (person) WHERE c.month < date_trunc('month', g.hire_date) OR c.month >= coalesce(g.leave_date, 'infinity')),
          0, 'nobody has capacity in a month before their hire month or from their leave date on');
SELECT throws_ok($$SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2026-01-01', '2026-06-01', 1, NULL, 1)::spm.roster_entry,
                                                            ('ana', '2026-05-31', NULL, 1, NULL, 1)::spm.roster_entry],
                                                      daterange('2026-01-01', '2027-01-01'))$$,
                 '23P01', 'roster rows of person "ana" overlap', 'overlapping rows of one person are refused');
SELECT lives_ok($$SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2026-01-01', '2026-06-01', 1, NULL, 1)::spm.roster_entry,
                                                           ('ana', '2026-06-01', NULL, 1, NULL, 1)::spm.roster_entry],
                                                     daterange('2026-01-01', '2027-01-01'))$$,
                'rows that meet (leave_date = the next hire_date) do not overlap');
SELECT throws_ok($$SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2026-01-01', NULL, NULL, NULL, 1)::spm.roster_entry],
                                                      daterange('2026-01-01', '2027-01-01'))$$,
                 '22004', 'full_quota of roster entry 1 must not be NULL', 'a NULL quota is refused');
SELECT throws_ok($$SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2026-01-01', NULL, 1, NULL, 1)::spm.roster_entry],
                                                      daterange('2026-01-01', '2027-01-01'), 1.01)$$,
                 '22023', 'attrition must be from 0 to 1', 'attrition above 1 is refused');

-- hires_needed
CREATE TEMP TABLE hn AS
SELECT t, h.* FROM r, generate_series(1000000, 2500000, 250000) t,
       spm.hires_needed(roster, t, daterange('2027-01-01', '2028-01-01'),
                        ('new', '2026-12-01', NULL, 9000.00, '{0.2,0.4,0.6,0.8}', 0.9)::spm.roster_entry, 0.01) h;
SELECT ok((SELECT bool_and(planned_capacity >= t AND (hires = 0) = (roster_capacity >= t)) FROM hn),
          'the planned capacity reaches every target; no hires exactly when the roster does');
SELECT ok((SELECT bool_and(hires = 0 OR roster_capacity + (hires - 1) * (SELECT sum(capacity) FROM spm.capacity_by_month(
                   ARRAY[('x', '2026-12-01', NULL, 9000.00, '{0.2,0.4,0.6,0.8}', 0.9)::spm.roster_entry], daterange('2027-01-01', '2028-01-01'), 0.01)) < t)
           FROM hn),
          'one hire fewer, from the earliest start, does not reach the target');
SELECT ok((SELECT bool_and(a.hires <= b.hires) FROM hn a JOIN hn b ON b.t = a.t + 250000),
          'a higher target never needs fewer hires');

-- the recipe: next year's quotas from capacity and history sum exactly to the target
CREATE TEMP TABLE weights AS
SELECT person, sum(capacity) * least(greatest(0.6 + length(person) % 7 / 10.0, 0.8), 1.2) AS weight
FROM r, spm.capacity_by_month(roster, daterange('2027-01-01', '2028-01-01'), 0.02) GROUP BY person;
SELECT is((SELECT sum(q) FROM (SELECT spm.allocate_share(1234567.89, weight) OVER (ORDER BY person) AS q FROM weights) x),
          1234567.89, 'the quotas sum exactly to the company target');
SELECT is((SELECT array_agg(q ORDER BY person) FROM (SELECT person, spm.allocate_share(1234567.89, weight) OVER (ORDER BY person) AS q FROM weights) x),
          (SELECT spm.allocate(1234567.89, array_agg(weight ORDER BY person)) FROM weights),
          'allocate_share over the rows is spm.allocate over the weights');

SELECT * FROM finish();
ROLLBACK;
