-- pgTAP: the fair leaderboards of doc/governance.md (win rate by the Wilson lower bound,
-- attainment and velocity smoothed toward the team's, ties by rank()) on the sample company
-- (test/data/company.sql, loaded here and rolled back) with planted small samples and ties,
-- and on the CRM dataset when it is loaded
BEGIN;
SELECT plan(20);

\set n_deals 2000
\ir data/company.sql
SET client_min_messages = warning;
-- planted: Zed, a new hire with 2 wins of 2 (fast, large) on a small quota; Yan and Xia with
-- the same record, 60 of 100, and the same quota
INSERT INTO demo.reps VALUES (41, 'Zed New', 1, 1, '2026-06-01'), (42, 'Yan Solid', 2, 1, '2020-01-01'),
                             (43, 'Xia Twin', 2, 1, '2020-01-01');
INSERT INTO demo.quotas VALUES (41, 2026, 50000), (42, 2026, 1200000), (43, 2026, 1200000);
INSERT INTO demo.deals
SELECT 100000 + 1000 * r + i, r, CASE WHEN r = 41 THEN 80000 ELSE 30000 END, date '2026-07-01',
       CASE WHEN i <= n THEN date '2026-07-01' + CASE WHEN r = 41 THEN 1 ELSE 30 END END,
       CASE WHEN i <= w THEN 'won' WHEN i <= n THEN 'lost' ELSE 'open' END,
       CASE WHEN i <= w THEN true WHEN i <= n THEN false END, 0
FROM (VALUES (41, 2, 2, 3), (42, 60, 100, 105), (43, 60, 100, 105)) p(r, w, n, total), generate_series(1, total) i;

-- the boards' inputs, as doc/governance.md names them
CREATE TEMP VIEW board_reps AS SELECT name::text AS rep, manager_id::text AS team FROM demo.reps;
CREATE TEMP VIEW board_quotas AS
  SELECT r.name::text AS rep, q.quota::numeric AS quota FROM demo.quotas q JOIN demo.reps r USING (rep_id) WHERE q.year = 2026;
CREATE TEMP VIEW board_deals AS
  SELECT r.name::text AS rep, d.won, d.amount::numeric AS amount, (d.close_date - d.created)::int AS cycle_days
  FROM demo.deals d JOIN demo.reps r USING (rep_id);

-- the three boards, as doc/governance.md defines them
CREATE TEMP VIEW win_rate_board AS
SELECT rank() OVER (ORDER BY lower DESC, upper DESC) AS rank, rep, won, closed, win_rate, lower, upper
FROM (SELECT rep, spm.won_count(s) AS won, spm.closed_count(s) AS closed, spm.win_rate(s) AS win_rate,
             spm.wilson_lower(s) AS lower, spm.wilson_upper(s) AS upper
      FROM (SELECT rep, spm.deal_summary(won, amount, cycle_days) AS s FROM board_deals GROUP BY rep) per_rep
      WHERE spm.closed_count(s) > 0) scored;
CREATE TEMP VIEW attainment_board AS
WITH per_rep AS (
  SELECT r.rep, r.team, q.quota, coalesce(sum(d.amount) FILTER (WHERE d.won), 0) AS actual
  FROM board_reps r JOIN board_quotas q USING (rep) LEFT JOIN board_deals d USING (rep)
  GROUP BY r.rep, r.team, q.quota),
with_team AS (
  SELECT *, spm.group_attainment(actual, quota) OVER (PARTITION BY team) AS team_attainment,
            avg(quota) OVER (PARTITION BY team) / 2 AS k
  FROM per_rep),
scored AS (
  SELECT rep, team, actual, quota, spm.attainment(actual, quota) AS attainment, team_attainment,
         (actual + team_attainment * k) / (quota + k) AS smoothed
  FROM with_team)
SELECT rank() OVER (ORDER BY smoothed DESC, actual DESC) AS rank, * FROM scored;
CREATE TEMP VIEW velocity_board AS
WITH per_rep AS (
  SELECT d.rep, r.team, spm.deal_summary(d.won, d.amount, d.cycle_days) AS s,
         coalesce(sum(d.cycle_days) FILTER (WHERE d.won IS NOT NULL), 0) AS cycle_days,
         count(d.cycle_days) FILTER (WHERE d.won IS NOT NULL) AS cycle_deals
  FROM board_deals d JOIN board_reps r USING (rep) GROUP BY d.rep, r.team),
with_team AS (
  SELECT *, spm.rollup(s) OVER (PARTITION BY team) AS team_s,
            sum(cycle_days) OVER (PARTITION BY team) AS team_cycle_days,
            sum(cycle_deals) OVER (PARTITION BY team) AS team_cycle_deals,
            10 AS m
  FROM per_rep),
scored AS (
  SELECT rep, team, spm.won_amount(s) AS won_amount, spm.sales_velocity(s) AS raw_velocity,
         spm.sales_velocity(
           spm.open_count(s),
           (spm.won_amount(s) + m * spm.avg_deal_size(team_s)) / (spm.won_count(s) + m),
           spm.smoothed_win_rate(s, spm.win_rate(team_s), m),
           (cycle_days + m * team_cycle_days / team_cycle_deals) / (cycle_deals + m)) AS smoothed
  FROM with_team)
SELECT rank() OVER (ORDER BY smoothed DESC, won_amount DESC) AS rank, * FROM scored;

-- win rate
SELECT is((SELECT rep FROM win_rate_board ORDER BY win_rate DESC, rep LIMIT 1), 'Zed New',
          'company: by the raw win rate the 2-of-2 rep would top the board');
SELECT cmp_ok((SELECT rank FROM win_rate_board WHERE rep = 'Zed New'), '>',
              (SELECT rank FROM win_rate_board WHERE rep = 'Yan Solid'),
              'company: a rep with 2 wins of 2 ranks below a rep with 60 of 100');
SELECT is((SELECT lower FROM win_rate_board WHERE rep = 'Zed New'), 0.34238022750665303782::numeric,
          'company: 2 of 2 scores its Wilson lower bound at 95 %, 34.2 %');
SELECT is((SELECT array_agg(rank ORDER BY rep) FROM win_rate_board WHERE rep IN ('Yan Solid', 'Xia Twin')),
          ARRAY[1, 1]::bigint[], 'company: the two 60-of-100 records share first place');
SELECT is((SELECT min(rank) FROM win_rate_board WHERE rank > 1), 3::bigint,
          'company: after a shared first place the next rank is 3 (competition ranking)');
SELECT is((SELECT count(*)::int FROM win_rate_board b
           WHERE rank <> 1 + (SELECT count(*) FROM win_rate_board o WHERE (o.lower, o.upper) > (b.lower, b.upper))), 0,
          'company: every rank is 1 + the reps strictly ahead by (lower bound, upper bound)');
SELECT is((SELECT count(*)::int FROM win_rate_board), 43, 'company: every rep with a closed deal is on the board once');
-- the same ranks whatever the plan
CREATE TEMP TABLE first_read AS SELECT rank, rep FROM win_rate_board;
SET LOCAL enable_hashagg = off;
SET LOCAL enable_sort = off;
SELECT is((SELECT count(*)::int FROM (SELECT rank, rep FROM win_rate_board EXCEPT SELECT rank, rep FROM first_read) x), 0,
          'company: the ranks do not depend on the plan (sort-based grouping gives the same)');
RESET enable_hashagg;
RESET enable_sort;

-- attainment
SELECT is((SELECT rep FROM attainment_board ORDER BY attainment DESC, rep LIMIT 1), 'Zed New',
          'company: by raw attainment the small-quota rep would top the board');
SELECT cmp_ok((SELECT rank FROM attainment_board WHERE rep = 'Zed New'), '>', 1::bigint,
              'company: smoothed toward the team, the small-quota rep does not top the board');
SELECT is((SELECT smoothed FROM attainment_board WHERE rep = 'Zed New'),
          (SELECT (actual + team_attainment * (SELECT avg(quota) / 2 FROM attainment_board WHERE team = '1')) /
                  (quota + (SELECT avg(quota) / 2 FROM attainment_board WHERE team = '1'))
           FROM attainment_board WHERE rep = 'Zed New'),
          'company: the smoothed attainment is (actual + team attainment x k) / (quota + k), k half the team''s average quota');
SELECT is((SELECT count(DISTINCT rank)::int FROM attainment_board WHERE rep IN ('Yan Solid', 'Xia Twin')), 1,
          'company: equal actual and quota in one team share an attainment rank');

-- velocity
SELECT is((SELECT rep FROM velocity_board ORDER BY raw_velocity DESC NULLS LAST, rep LIMIT 1), 'Zed New',
          'company: by raw velocity the rep with two one-day wins would top the board');
SELECT cmp_ok((SELECT rank FROM velocity_board WHERE rep = 'Zed New'), '>', 1::bigint,
              'company: smoothed velocity does not put that rep first');
SELECT is((SELECT count(DISTINCT rank)::int FROM velocity_board WHERE rep IN ('Yan Solid', 'Xia Twin')), 1,
          'company: equal records in one team share a velocity rank');

-- the CRM dataset (schema crm, loaded by test/run when ../shared/data/crm exists), with a
-- planted agent who won 2 of 2
SELECT to_regclass('crm.pipeline') IS NOT NULL AS have_crm \gset
\if :have_crm
INSERT INTO crm.teams VALUES ('Zed New', 'Nobody Yet', 'West');
INSERT INTO crm.pipeline VALUES ('ZED00001', 'Zed New', 'GTX Pro', NULL, 'Won', '2017-12-01', '2017-12-02', 5000),
                                ('ZED00002', 'Zed New', 'GTX Pro', NULL, 'Won', '2017-12-01', '2017-12-02', 5000);
CREATE OR REPLACE TEMP VIEW board_reps AS SELECT sales_agent AS rep, manager AS team FROM crm.teams;
CREATE OR REPLACE TEMP VIEW board_deals AS
  SELECT sales_agent AS rep, CASE deal_stage WHEN 'Won' THEN true WHEN 'Lost' THEN false END AS won,
         coalesce(close_value, 0)::numeric AS amount, (close_date - engage_date)::int AS cycle_days
  FROM crm.pipeline;
SELECT is((SELECT count(*)::int FROM win_rate_board), 31, 'CRM: the 30 agents with deals and the planted one are ranked');
SELECT cmp_ok((SELECT rank FROM win_rate_board WHERE rep = 'Zed New'), '>', 1::bigint,
              'CRM: the planted 2-of-2 agent does not top the win-rate board (the raw rate would put it first)');
SELECT is((SELECT rep || ' ' || won || '/' || closed FROM win_rate_board WHERE rank = 1), 'Maureen Marcano 149/213',
          'CRM: the win-rate board''s leader');
SELECT is((SELECT count(*)::int FROM win_rate_board b
           WHERE rank <> 1 + (SELECT count(*) FROM win_rate_board o WHERE (o.lower, o.upper) > (b.lower, b.upper))), 0,
          'CRM: every rank is 1 + the agents strictly ahead');
SELECT is((SELECT rep FROM velocity_board WHERE rank = 1), 'Darcel Schlecht', 'CRM: the velocity board''s leader');
\else
SELECT skip('the CRM dataset is not loaded (../shared/data/crm absent)', 5);
\endif

SELECT * FROM finish();
ROLLBACK;
