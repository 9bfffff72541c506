-- A deal's chance to close won by a date (spm.close_chance) and capacity planning.
SET extra_float_digits = 0;

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
