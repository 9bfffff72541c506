-- A deal's chance to close won by a date (spm.close_chance) and capacity planning.
SET extra_float_digits = 0;
SET DateStyle = ISO;

-- ---------------------------------------------------------------- close_chance

-- ten closed deals by furthest stage (stage 2: 4 won of 7 reached; stage 4: 3 of 3)
CREATE TEMP TABLE closed_stages (furthest_stage integer, won boolean);
INSERT INTO closed_stages VALUES (1, false), (1, false), (1, false), (2, false), (2, false),
  (3, true), (3, false), (4, true), (4, true), (4, true);
-- nine cycles as of 2026-03-16: closed after 14, 14, 14, 30, 30, 40 days; open at 28, 42, 63
CREATE TEMP TABLE history AS
SELECT (SELECT spm.stage_summary(furthest_stage, won) FROM closed_stages) AS stages,
       '{14:3/0,28:0/1,30:2/0,40:1/0,42:0/1,63:0/1}'::spm.cycle_summary AS cycles;

-- By hand: S(14) = 6/9, S(30) = 6/9 * 3/5 = 2/5, S(40) = 2/5 * 2/3 = 4/15.
-- A stage 4 deal created 2026-02-16 (age 28 on 2026-03-16), period ending 2026-03-31 (15 days):
-- 3/3 * (1 - (4/15) / (2/3)) = 0.6; smoothed with 5 pseudo-deals: 5/8 * 0.6 = 0.375.
-- Stage 2, age 14 on 2026-03-16 (created 2026-03-02), period end 2026-04-01 (16 days, to 30):
-- 4/7 * (1 - S(30) / S(14)) = 4/7 * (1 - 3/5) = 8/35 = 0.228571428571428571428571...
SELECT spm.close_chance(stages, cycles, 4, '2026-02-16', '2026-03-16', '2026-03-31') AS h,
       spm.close_chance(stages, cycles, 4, '2026-02-16', '2026-03-16', '2026-03-31', 5) AS h_smoothed,
       spm.close_chance(stages, cycles, 2, '2026-03-02', '2026-03-16', '2026-04-01') AS eight_35ths,
       round(8 / 35.0, 20) AS by_hand
FROM history;

-- the period end is inclusive: a deal closing on it counts.  Age 0, 13 and 14 days left:
-- nothing closes within 13 days, a third of the deals on day 14
SELECT d AS days_left,
       spm.close_chance(stages, cycles, 1, '2026-03-16', '2026-03-16', date '2026-03-16' + d) AS stage_1,
       spm.stage_win_probability(stages, 1) * spm.close_within(cycles, 0, d) AS product_of_accessors
FROM history, unnest(ARRAY[0, 13, 14]) d;

-- undefined: age 63 past the longest (open) cycle; a stage no deal reached; S(age) = 0
SELECT spm.close_chance(stages, cycles, 3, '2026-01-12', '2026-03-16', '2026-03-31') AS past_the_data,
       spm.close_chance(stages, cycles, 5, '2026-02-16', '2026-03-16', '2026-03-31') AS stage_never_reached,
       spm.close_chance(stages, cycles, 5, '2026-02-16', '2026-03-16', '2026-03-31', 5) AS smoothed_to_p0,
       spm.close_chance(stages, '{10:2/0}', 1, '2026-03-01', '2026-03-16', '2026-03-31') AS every_deal_closed_younger,
       spm.close_chance(stages, '{}', 1, '2026-03-01', '2026-03-16', '2026-03-31') AS no_cycles
FROM history;

-- STRICT: any NULL argument gives NULL
SELECT spm.close_chance(NULL, cycles, 1, '2026-03-01', '2026-03-16', '2026-03-31') IS NULL AS a,
       spm.close_chance(stages, NULL, 1, '2026-03-01', '2026-03-16', '2026-03-31') IS NULL AS b,
       spm.close_chance(stages, cycles, NULL, '2026-03-01', '2026-03-16', '2026-03-31') IS NULL AS c,
       spm.close_chance(stages, cycles, 1, NULL, '2026-03-16', '2026-03-31') IS NULL AS d,
       spm.close_chance(stages, cycles, 1, '2026-03-01', NULL, '2026-03-31') IS NULL AS e,
       spm.close_chance(stages, cycles, 1, '2026-03-01', '2026-03-16', NULL) IS NULL AS f,
       spm.close_chance(stages, cycles, 1, '2026-03-01', '2026-03-16', '2026-03-31', NULL) IS NULL AS g
FROM history;

-- bad input
SELECT spm.close_chance(stages, cycles, 2, '2026-03-20', '2026-03-16', '2026-03-31') FROM history;
SELECT spm.close_chance(stages, cycles, 2, '2026-03-01', '2026-03-16', '2026-03-15') FROM history;
SELECT spm.close_chance(stages, cycles, 0, '2026-03-01', '2026-03-16', '2026-03-31') FROM history;
SELECT spm.close_chance(stages, cycles, 21, '2026-03-01', '2026-03-16', '2026-03-31') FROM history;
SELECT spm.close_chance(stages, cycles, 2, '-infinity', '2026-03-16', '2026-03-31') FROM history;
SELECT spm.close_chance(stages, cycles, 2, '2026-03-01', '2026-03-16', 'infinity') FROM history;
SELECT spm.close_chance(stages, cycles, 2, '2026-03-01', '2026-03-16', '2026-03-31', -1) FROM history;

-- generated: stages 1-6, ages and days left with age + days <= 89 (the largest duration),
-- against the exact rational won/reached * (1 - S(a + d) / S(a)) rounded half up to 20
-- decimals in integer arithmetic; S as a fraction of the products of the Kaplan-Meier factors
CREATE TEMP TABLE gen_cycles AS
SELECT (i * 7919) % 90 AS days, i % 4 <> 0 AS closed FROM generate_series(1, 300) i;
CREATE TEMP TABLE gen_stages AS
SELECT 1 + (i * 31) % 6 AS furthest_stage, (i * 13) % 5 < 2 + (i * 31) % 6 / 3 AS won FROM generate_series(1, 400) i;
CREATE TEMP TABLE gen AS
SELECT (SELECT spm.stage_summary(furthest_stage, won) FROM gen_stages) AS stages,
       (SELECT spm.cycle_summary(days, closed) FROM gen_cycles) AS cycles;
CREATE FUNCTION pg_temp.km(t integer) RETURNS numeric[] LANGUAGE plpgsql STABLE AS $$
DECLARE n numeric := 1; d numeric := 1; r record;
BEGIN
  FOR r IN SELECT days, count(*) FILTER (WHERE closed) AS events,
                  (SELECT count(*) FROM gen_cycles g2 WHERE g2.days >= g.days) AS at_risk
           FROM gen_cycles g WHERE days <= t GROUP BY days LOOP
    n := n * (r.at_risk - r.events); d := d * r.at_risk;
  END LOOP;
  RETURN ARRAY[n, d];
END $$;
CREATE TEMP TABLE cases AS
SELECT s, a, d, pg_temp.km(a) AS sa, pg_temp.km(a + d) AS sb
FROM generate_series(1, 6) s, generate_series(0, 84, 6) a, unnest(ARRAY[0, 1, 5, 9, 30]) d WHERE a + d <= 89;
WITH exact AS (
  SELECT spm.stage_won_count(g.stages, s) * (sa[1] * sb[2] - sb[1] * sa[2]) AS num,
         spm.stage_reached_count(g.stages, s) * sa[1] * sb[2] AS den,
         spm.close_chance(g.stages, g.cycles, s, date '2026-01-01', date '2026-01-01' + a, date '2026-01-01' + a + d) AS chance
  FROM cases, gen g)
SELECT count(*) AS cases, count(*) FILTER (WHERE den = 0) AS undefined,
       count(*) FILTER (WHERE (den = 0 AND chance IS NULL)
                           OR chance = div(2 * num * 10::numeric ^ 20 + den, 2 * den) / 10::numeric ^ 20) AS equal_exact
FROM exact;

-- ---------------------------------------------------------------- capacity_by_month

CREATE TEMP TABLE roster (person text, hire_date date, leave_date date, full_quota numeric(12,2), ramp numeric[], attainment numeric);
INSERT INTO roster VALUES
  ('ana', '2024-05-01', NULL,         10000.00, '{0.5}',           0.9),
  ('bo',  '2027-01-20', NULL,          8000.00, '{0.25,0.5,0.75}', 1),
  ('cy',  '2025-01-01', '2027-02-15', 12000.00, NULL,              0.8),
  ('dee', '2027-05-01', NULL,          9000.00, '{0.5}',           1);    -- after the quarter
CREATE TEMP VIEW roster_array AS
SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, attainment)::spm.roster_entry ORDER BY person DESC) AS r
FROM roster;

-- By hand (attrition 2% a month, counted from January for those on board, from the hire month
-- for bo): ana 10000 * 0.9 * 0.98^k = 9000, 8820, 8643.60; bo 8000 * 0.25 * 12/31 = 774.19,
-- 8000 * 0.5 * 0.98 = 3920, 8000 * 0.75 * 0.9604 = 5762.40; cy 9600, 9600 * 14/28 * 0.98 = 4704
SELECT c.* FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), 0.02) c;

-- no attrition, whole currency units, and scale -2 (hundreds): 774.19 is 774 and 800
SELECT c.* FROM roster_array, spm.capacity_by_month(r, '[2027-01-01,2027-01-31]', 0, 0) c;
SELECT c.* FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-02-01'), 0, -2) c;

-- attrition 1: everyone leaves after their first month; 0.5 with 20 decimals of 0.5^k
SELECT c.* FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), 1) c;
SELECT spm.capacity_by_month(ARRAY[('x', '2020-01-01', NULL, 1, NULL, 1)::spm.roster_entry],
                             daterange('2027-01-01', '2027-04-01'), 0.5, 12);

-- a person's two rows that meet (a quota raise on 2027-02-15 with no new ramp) add up in February:
-- 10000 * 14/28 + 12000 * 14/28 = 11000
SELECT c.* FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', '2027-02-15', 10000, NULL, 1)::spm.roster_entry,
                                            ('ana', '2027-02-15', NULL, 12000, NULL, 1)::spm.roster_entry],
                                      daterange('2027-01-01', '2027-04-01')) c;

-- empty roster, NULLs (STRICT)
SELECT count(*) FROM spm.capacity_by_month('{}', daterange('2027-01-01', '2027-04-01'));
SELECT count(*) FROM roster_array, spm.capacity_by_month(NULL, daterange('2027-01-01', '2027-04-01')) c;
SELECT count(*) FROM roster_array, spm.capacity_by_month(r, NULL) c;
SELECT count(*) FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), NULL) c;
SELECT count(*) FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), 0, NULL) c;

-- bad input
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, 10000, NULL, 0.9)::spm.roster_entry,
                                          ('bo', '2024-05-01', NULL, 10000, NULL, 0.9)::spm.roster_entry,
                                          ('ana', '2025-01-01', '2027-02-01', 12000, NULL, 0.9)::spm.roster_entry],
                                    daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', '2027-02-02', 10000, NULL, 0.9)::spm.roster_entry,
                                          ('ana', '2027-02-01', NULL, 12000, NULL, 0.9)::spm.roster_entry],
                                    daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[NULL::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[(NULL, '2024-05-01', NULL, 10000, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', NULL, NULL, 10000, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, NULL, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, 10000, NULL, NULL)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '-infinity', NULL, 10000, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2027-03-01', '2027-03-01', 10000, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2027-03-01', '-infinity', 10000, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, -1, NULL, 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, 10000, NULL, 'NaN')::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, 10000, '{50}', 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[('ana', '2024-05-01', NULL, 10000, '{0.5,NULL}', 0.9)::spm.roster_entry], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM spm.capacity_by_month(ARRAY[[('ana', '2024-05-01', NULL, 10000, NULL, 0.9)::spm.roster_entry]], daterange('2027-01-01', '2027-04-01'));
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), 1.5);
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), -0.01);
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-15', '2027-04-01'));
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', NULL));
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2037-02-01'));
SELECT * FROM roster_array, spm.capacity_by_month(r, daterange('2027-01-01', '2027-04-01'), 0, 13);

-- generated: 40 reps over 18 months against a plain-SQL computation of the model (tenure and
-- ramp by ramp_quota, days by prorate_days' rule, (1 - a)^k by repeated multiplication)
CREATE TEMP TABLE gen_roster AS
SELECT 'r' || i AS person, date '2025-06-01' + (i * 37) % 900 AS hire_date,
       CASE WHEN i % 3 = 0 THEN date '2025-06-01' + (i * 37) % 900 + 30 + (i * 53) % 700 END AS leave_date,
       (5000 + (i * 711) % 9000)::numeric(12,2) AS full_quota,
       CASE i % 4 WHEN 0 THEN NULL WHEN 1 THEN '{0.25,0.5,0.75}' WHEN 2 THEN '{0,0.3}' ELSE '{0.1,0.2,0.3,0.4,0.5,0.6}' END::numeric[] AS ramp,
       (0.6 + (i % 7) / 10.0)::numeric AS attainment
FROM generate_series(1, 40) i;
CREATE FUNCTION pg_temp.keep(a numeric, k integer) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE p numeric := 1;
BEGIN FOR i IN 1 .. k LOOP p := p * (1 - a); END LOOP; RETURN p; END $$;
WITH spm_rows AS (
  SELECT c.* FROM spm.capacity_by_month((SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, attainment)::spm.roster_entry) FROM gen_roster),
                                       daterange('2026-07-01', '2028-01-01'), 0.015) c),
by_hand AS (
  SELECT m::date AS month, g.person,
         round(spm.ramp_quota(g.full_quota, spm.tenure_month(g.hire_date, m::date), coalesce(g.ramp, '{}'))
               * (least(coalesce(g.leave_date, 'infinity'), (m + interval '1 month')::date) - greatest(g.hire_date, m::date))
               / ((m + interval '1 month')::date - m::date)
               * g.attainment
               * pg_temp.keep(0.015, least(spm.tenure_month(g.hire_date, m::date), spm.tenure_month('2026-07-01', m::date)) - 1), 2) AS capacity
  FROM gen_roster g, generate_series(date '2026-07-01', date '2027-12-01', interval '1 month') m
  WHERE g.hire_date < (m + interval '1 month')::date AND coalesce(g.leave_date, 'infinity') > m::date)
SELECT (SELECT count(*) FROM spm_rows) AS spm_rows, (SELECT count(*) FROM by_hand) AS hand_rows,
       (SELECT count(*) FROM spm_rows s JOIN by_hand h USING (month, person) WHERE s.capacity = h.capacity) AS equal,
       (SELECT sum(capacity) FROM spm_rows) = (SELECT sum(capacity) FROM by_hand) AS totals_equal;

-- attainment 1, no attrition: every row-month is prorate_days(ramp_quota(...)) to the cent
SELECT count(*) AS row_months,
       count(*) FILTER (WHERE c.capacity = spm.prorate_days(spm.ramp_quota(g.full_quota, spm.tenure_month(g.hire_date, c.month), coalesce(g.ramp, '{}')),
                                                            daterange(c.month, (c.month + interval '1 month')::date),
                                                            daterange(g.hire_date, g.leave_date))) AS equal_to_prorate_days
FROM spm.capacity_by_month((SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, 1)::spm.roster_entry) FROM gen_roster),
                           daterange('2026-01-01', '2028-01-01')) c
JOIN gen_roster g USING (person);

-- ---------------------------------------------------------------- hires_needed

-- By hand: the roster brings 51224.19 in the quarter.  A hire from 2026-11-01 (tenure 3 in
-- January) brings 6750 + 8820 + 8643.60 = 24213.60: 100000 needs 3; from 2026-12-01 each brings
-- 4500 + 6615 + 8643.60 = 19758.60 (3 bring 59275.80 >= 48775.81), from 2027-01-01 13142.70 (not enough)
SELECT t AS target, h.*
FROM roster_array, unnest(ARRAY[0, 40000, 51224.19, 51224.20, 60000, 100000, 1000000]) t,
     spm.hires_needed(r, t, daterange('2027-01-01', '2027-04-01'),
                      ('new', '2026-11-01', NULL, 10000.00, '{0.25,0.5,0.75}', 0.9)::spm.roster_entry, 0.02) h
ORDER BY t;

-- the earliest start mid-month (2027-01-20: 12 of 31 days of January), later starts on the 1st;
-- an earliest start years before the period counts as fully ramped from its first day
SELECT h.* FROM roster_array, spm.hires_needed(r, 80000, daterange('2027-01-01', '2027-04-01'),
                                               ('new', '2027-01-20', NULL, 10000.00, '{0.25,0.5,0.75}', 0.9)::spm.roster_entry, 0.02) h;
SELECT h.* FROM roster_array, spm.hires_needed(r, 80000, daterange('2027-01-01', '2027-04-01'),
                                               ('new', '2001-01-01', NULL, 10000.00, '{0.25,0.5,0.75}', 0.9)::spm.roster_entry, 0.02) h;
-- a ramp that falls ({1, 0, 0}: a first month at full quota, then nothing for two): the
-- earliest start, 2027-01-28, brings 10000 * 4/31 = 1290.32; a start on Feb 1 or Mar 1 brings
-- 10000; 25000 needs 3 hires (not 20), who can start as late as Mar 1
SELECT h.* FROM spm.hires_needed('{}', 25000, daterange('2027-01-01', '2027-04-01'),
                                 ('new', '2027-01-28', NULL, 10000.00, '{1,0,0}', 1)::spm.roster_entry) h;
-- no hire adds anything: NULL hires
SELECT h.* FROM roster_array, spm.hires_needed(r, 80000, daterange('2027-01-01', '2027-04-01'),
                                               ('new', '2027-01-01', NULL, 10000.00, '{0,0,0,0.5}', 0.9)::spm.roster_entry) h;

-- the answer checked with capacity_by_month: n hires starting on latest_start reach the
-- target, n - 1 from the earliest start do not, n from the next month do not
CREATE TEMP TABLE hire_cases AS
SELECT t, h.*
FROM (SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, attainment)::spm.roster_entry) AS r FROM gen_roster) g,
     generate_series(2600000, 4100000, 150000) t,
     spm.hires_needed(g.r, t, daterange('2027-01-01', '2028-01-01'),
                      ('new', '2026-10-01', NULL, 9000.00, '{0.2,0.4,0.6,0.8}', 0.85)::spm.roster_entry, 0.01) h;
CREATE FUNCTION pg_temp.with_hires(n bigint, start date) RETURNS numeric LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(c.capacity), 0)
  FROM spm.capacity_by_month((SELECT array_agg((person, hire_date, leave_date, full_quota, ramp, attainment)::spm.roster_entry) FROM gen_roster)
                             || ARRAY(SELECT ('new' || k, start, NULL, 9000.00, '{0.2,0.4,0.6,0.8}', 0.85)::spm.roster_entry FROM generate_series(1, n) k),
                             daterange('2027-01-01', '2028-01-01'), 0.01) c $$;
SELECT count(*) AS cases, count(*) FILTER (WHERE hires > 0) AS hiring,
       count(*) FILTER (WHERE pg_temp.with_hires(hires, coalesce(latest_start, '2027-01-01')) = planned_capacity
                          AND planned_capacity >= t) AS reach_target,
       count(*) FILTER (WHERE hires = 0 OR pg_temp.with_hires(hires - 1, '2026-10-01') < t) AS fewest,
       count(*) FILTER (WHERE hires = 0 OR latest_start = '2027-12-01'
                           OR pg_temp.with_hires(hires, (latest_start + interval '1 month')::date) < t) AS latest
FROM hire_cases;

-- bad input
SELECT * FROM roster_array, spm.hires_needed(r, 1e6, daterange('2027-01-01', '2027-04-01'),
                                             ('new', '2027-04-01', NULL, 10000, NULL, 0.9)::spm.roster_entry);
SELECT * FROM roster_array, spm.hires_needed(r, 1e6, daterange('2027-01-01', '2027-04-01'),
                                             ('new', '2027-01-01', '2027-06-01', 10000, NULL, 0.9)::spm.roster_entry);
SELECT * FROM roster_array, spm.hires_needed(r, 'NaN', daterange('2027-01-01', '2027-04-01'),
                                             ('new', '2027-01-01', NULL, 10000, NULL, 0.9)::spm.roster_entry);
SELECT * FROM roster_array, spm.hires_needed(r, 1e6, daterange('2027-01-01', '2027-04-01'),
                                             ('new', '2027-01-01', NULL, NULL, NULL, 0.9)::spm.roster_entry);
SELECT count(*) FROM roster_array, spm.hires_needed(r, NULL, daterange('2027-01-01', '2027-04-01'),
                                                    ('new', '2027-01-01', NULL, 10000, NULL, 0.9)::spm.roster_entry);
-- more hires than a bigint counts: an error that says so, not bigint's own
SELECT * FROM roster_array, spm.hires_needed(r, 1e30, daterange('2027-01-01', '2027-04-01'),
                                             ('new', '2027-01-01', NULL, 1, NULL, 0.9)::spm.roster_entry);
