-- territory balance, territory index, balanced assignment
\set VERBOSITY default

-- Balance scores of 1, 2, 3, 4, 10 (mean 4), by hand:
--   Gini = sum_i sum_j |x_i - x_j| / (2 n^2 mean) = 80 / (2 * 25 * 4) = 0.4
--   CV   = population sd / mean = sqrt(10) / 4 = 0.790569415042094832999...
--   max / min = 10; largest relative deviation = (10 - 4) / 4 = 1.5;
--   within +-50% of 4 (2..6): 2, 3, 4 = 3 of 5; score = 100 * max(0, 1 - 1.5) = 0
CREATE TABLE terr_values (territory text, value numeric);
INSERT INTO terr_values VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4), ('e', 10);
SELECT spm.gini(value), spm.cv(value), spm.max_min_ratio(value), spm.max_deviation(value),
       spm.share_within(value, 0.5), spm.balance_score(value)
FROM terr_values;
-- 90, 100, 100, 110 (mean 100): Gini = 2 * (10+10+20+0+10+10) / (2 * 16 * 100) = 0.0375,
-- CV = sqrt(50) / 100, max / min = 11/9, deviation 0.1, score 90
SELECT (spm.balance(v, 0.05)).* FROM (VALUES (90), (100), (100), (110)) t(v);
-- the same scores from plain SQL: Gini by its pairwise definition, CV from stddev_pop
SELECT round(sum(abs(a.v - b.v))::numeric / (2 * sum(a.v)), 20) AS gini_by_pairs,
       (SELECT round(stddev_pop(v) / avg(v), 19) FROM (VALUES (90), (100), (100), (110)) t(v)) AS cv_19_digits
FROM (VALUES (90), (100), (100), (110)) a(v), (VALUES (90), (100), (100), (110)) b(v);
-- the CV is exact to its 20th decimal: sqrt(2) / 20 = 0.07071067811865475244008...
SELECT spm.cv(v) = round(sqrt(2::numeric(40,38)) / 20, 20) AS cv_exact
FROM (VALUES (90), (100), (100), (110)) t(v);
-- decimal values and their own scales mix exactly: 0.5, 1.25 and 2 are 50, 125, 200 hundredths
SELECT spm.gini(v), spm.max_deviation(v) FROM (VALUES (0.5), (1.25), (2.00)) t(v);

-- defined cases: no territories -> NULL; one territory and all-equal -> perfectly balanced;
-- all zero -> perfectly balanced (max / min 1); a zero among others -> max / min NULL
SELECT spm.gini(value) IS NULL AS gini_null, spm.balance_score(value) IS NULL AS score_null,
       spm.balance(value, 0.1) IS NULL AS report_null
FROM terr_values WHERE false;
SELECT (spm.balance(v, 0.1)).* FROM (VALUES (250000)) t(v);
SELECT (spm.balance(v, 0)).* FROM (VALUES (0), (0), (0)) t(v);
SELECT spm.max_min_ratio(v) IS NULL AS unbounded, spm.gini(v), spm.max_deviation(v), spm.balance_score(v)
FROM (VALUES (0), (10)) t(v);
-- NULL values are ignored, like sum()
SELECT spm.gini(v), count(v) FROM (VALUES (1), (NULL), (3)) t(v);
-- bad values are refused, not skipped
SELECT spm.gini(v) FROM (VALUES (1), (-1)) t(v);
SELECT spm.cv(v) FROM (VALUES (1), ('NaN'::numeric)) t(v);
SELECT spm.max_deviation(v) FROM (VALUES (1), ('Infinity'::numeric)) t(v);
SELECT spm.share_within(v, -0.1) FROM (VALUES (1)) t(v);
SELECT spm.share_within(v, 15) FROM (VALUES (1)) t(v);
SELECT spm.share_within(v, t) FROM (VALUES (1, 0.1), (2, 0.2)) x(v, t);
SELECT spm.share_within(v, 1e-30) FROM (VALUES (1)) t(v);
SELECT spm.share_within(v, 1e40) FROM (VALUES (1)) t(v);
-- values past 64-bit units (huge, or with many decimals: ratios, spm's own outputs) are
-- scored in numeric arithmetic, with the same results
SELECT spm.gini(v) FROM (VALUES (1e30), (2e30)) t(v);
SELECT spm.gini(spm.attainment(a, q)) AS gini_of_attainments, spm.balance_score(spm.attainment(a, q))
FROM (VALUES (150000.00, 100000.00), (90000.00, 120000.00), (10000.00, 30000.00)) v(a, q);
SELECT spm.balance_score(i), spm.gini(i), spm.cv(i), spm.max_min_ratio(i), spm.max_deviation(i), spm.share_within(i, 0.15)
FROM (SELECT spm.territory_index(ARRAY[potential, workload, accounts], ARRAY[30, 60, 10]) OVER () AS i
      FROM (VALUES ('north', 120, 50, 12), ('south', 80, 45, 8), ('east', 110, 70, 11), ('west', 100, 40, 9)) t(territory, potential, workload, accounts)) s;
SELECT (spm.balance(v, 0.15)).* FROM (VALUES (0.09::numeric), (1/3.0)) t(v);
-- total, min and max show the decimals the values need, on either path (1.5 of 1.50)
SELECT (r).total, (r).min, (r).max FROM (SELECT spm.balance(v, 0.15) AS r FROM (VALUES (1.50), (2.50), (100.00)) t(v)) s
UNION ALL
SELECT (r).total, (r).min, (r).max FROM (SELECT spm.balance(v, 0.15) AS r FROM (VALUES (1.50), (2.50), (100000000000000000000.00)) t(v)) s;
-- generated: the numeric path (values at 25 decimals) gives every score the 64-bit path gives
WITH sets AS (
  SELECT g, (hashint4(g * 31 + i) & 65535) / 100.0 + i AS v
  FROM generate_series(1, 200) g, generate_series(1, 1 + g % 9) i)
SELECT count(*) AS sets,
       count(*) FILTER (WHERE fast = wide) AS same_scores
FROM (SELECT g, row(spm.gini(v), spm.cv(v), spm.max_min_ratio(v), spm.max_deviation(v), spm.balance_score(v), spm.share_within(v, 0.2))::text AS fast,
             row(spm.gini(v::numeric(60, 25)), spm.cv(v::numeric(60, 25)), spm.max_min_ratio(v::numeric(60, 25)),
                 spm.max_deviation(v::numeric(60, 25)), spm.balance_score(v::numeric(60, 25)), spm.share_within(v::numeric(60, 25), 0.2))::text AS wide
      FROM sets GROUP BY g) t;

-- the state is a real numeric[] {tolerance, values...}: it reads back from text, and the
-- combine and final functions check what they are given
SELECT spm.gini_final('{NULL,1,2,3,4,10}'), spm.share_within_final('{0.5,1,2,3,4,10}');
SELECT spm.balance_combine('{0.1,1,2}', '{NULL,3}'), spm.balance_combine('{NULL}', '{NULL}');
SELECT spm.balance_combine('{0.1,1}', '{0.2,3}');
-- a state without its tolerance has no share within it
SELECT spm.share_within_final('{NULL,1,2}') IS NULL AS no_share,
       (spm.balance_report_final('{NULL,1,2}')).share_within IS NULL AS no_share_in_report;
SELECT spm.gini_final('{NULL,1,NULL}');
SELECT spm.gini_final('{}');
SELECT spm.gini_final('{{NULL,1},{2,3}}');
SELECT spm.gini_final('[0:1]={NULL,1}');
SELECT spm.gini_final('{NULL,-1}');

-- a parallel plan (Partial Aggregate in workers, concatenated by balance_combine) gives the
-- same scores as a serial one
CREATE TABLE terr_big AS
  SELECT i AS territory, (1000 + (hashint8extended(i, 3) & 65535) / 100.0)::numeric(12,2) AS value
  FROM generate_series(1, 20000) i;
ALTER TABLE terr_big SET (parallel_workers = 2);
ANALYZE terr_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT spm.balance(value, 0.15) FROM terr_big;
SELECT spm.balance(value, 0.15)::text AS parallel_result, spm.gini(value)::text AS parallel_gini
FROM terr_big \gset
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT spm.balance(value, 0.15) FROM terr_big;
SELECT :'parallel_result' AS report,
       :'parallel_result' = (SELECT spm.balance(value, 0.15)::text FROM terr_big) AS same_as_serial,
       :'parallel_gini' = (SELECT spm.gini(value)::text FROM terr_big) AS gini_same_as_serial;
RESET ALL;

-- search_path safety: everything resolves with only pg_catalog on the path
SET search_path = pg_catalog;
SELECT spm.gini(value), spm.balance_score(value) FROM public.terr_values;
RESET search_path;

-- territory index: potential, workload and account count, each divided by its mean,
-- weighted 30 / 60 / 10.  North: 0.3 * 120/100 + 0.6 * 50/50 + 0.1 * 12/10 = 1.08
CREATE TABLE terr_metrics (territory text, potential numeric, workload numeric, accounts int);
INSERT INTO terr_metrics VALUES ('north', 120, 50, 12), ('south', 80, 40, 8),
                                ('east', 100, 70, 10), ('west', 100, 40, 10);
SELECT territory,
       spm.territory_index(ARRAY[potential, workload, accounts], ARRAY[30, 60, 10]) OVER () AS index
FROM terr_metrics ORDER BY territory;
-- the balance of the blend
SELECT spm.balance_score(index), spm.gini(index), spm.max_deviation(index)
FROM (SELECT spm.territory_index(ARRAY[potential, workload, accounts], ARRAY[30, 60, 10]) OVER () AS index
      FROM terr_metrics) s;
-- a metric that is zero everywhere counts as 1 (all equal)
SELECT territory, spm.territory_index(ARRAY[potential, 0], ARRAY[1, 1]) OVER () AS index
FROM terr_metrics ORDER BY territory;
-- bad input
SELECT spm.territory_index(ARRAY[potential, workload], ARRAY[30, 60, 10]) OVER () FROM terr_metrics;
SELECT spm.territory_index(ARRAY[potential, NULL], ARRAY[1, 1]) OVER () FROM terr_metrics;
SELECT spm.territory_index(ARRAY[potential, -workload], ARRAY[1, 1]) OVER () FROM terr_metrics;
SELECT spm.territory_index(ARRAY[potential], ARRAY[0]) OVER () FROM terr_metrics;
SELECT spm.territory_index(ARRAY[potential], ARRAY[-1]) OVER () FROM terr_metrics;
SELECT spm.territory_index(ARRAY[potential], ARRAY[accounts]::numeric[]) OVER () FROM terr_metrics;

-- territory keys for a number of territories
SELECT spm.territory_keys(3) AS three, spm.territory_keys(12) AS twelve;
SELECT spm.territory_keys(0);
SELECT spm.territory_keys(-4);

-- balanced assignment.  1..60 (1830) into six territories: a perfect split of 305 each
CREATE TABLE terr_accounts (account text, weight numeric, owner text, locked boolean,
                            lat float8, lon float8);
INSERT INTO terr_accounts SELECT 'acct' || lpad(i::text, 2, '0'), i, NULL, false, NULL, NULL
FROM generate_series(1, 60) i;
SELECT territory, sum(weight) AS weight, count(*) AS accounts
FROM (SELECT weight, spm.propose_territory(account, weight, owner, spm.territory_keys(6)) OVER () AS territory
      FROM terr_accounts) p
GROUP BY territory ORDER BY territory;
-- deterministic: the same proposal whatever the row order
SELECT count(*) AS differences
FROM (SELECT account, spm.propose_territory(account, weight, owner, spm.territory_keys(6)) OVER () AS t
      FROM terr_accounts) a
JOIN (SELECT account, spm.propose_territory(account, weight, owner, spm.territory_keys(6))
                      OVER (ORDER BY account DESC) AS t
      FROM (SELECT * FROM terr_accounts ORDER BY md5(account)) r) b USING (account)
WHERE a.t <> b.t;

-- rebalancing: every account starts with an owner (blocks of ten: 55, 155, ... 555)
UPDATE terr_accounts SET owner = 'rep' || (substr(account, 5)::int - 1) / 10;
-- the two heaviest accounts are locked with their owner
UPDATE terr_accounts SET locked = true WHERE weight >= 59;
CREATE TABLE terr_proposal AS
SELECT account, weight, owner, locked,
       spm.propose_territory(account, weight, owner, locked => locked) OVER () AS proposed
FROM terr_accounts;
-- balance before and after (scenario comparison)
SELECT 'before' AS scenario, (spm.balance(w, 0.05)).*
FROM (SELECT sum(weight) w FROM terr_proposal GROUP BY owner) s
UNION ALL
SELECT 'after', (spm.balance(w, 0.05)).*
FROM (SELECT sum(weight) w FROM terr_proposal GROUP BY proposed) s;
-- locked accounts stayed; the list of moves
SELECT count(*) FILTER (WHERE locked AND proposed <> owner) AS locked_moved,
       count(*) FILTER (WHERE proposed <> owner) AS moved
FROM terr_proposal;
SELECT owner AS from_territory, proposed AS to_territory, count(*) AS accounts, sum(weight) AS weight
FROM terr_proposal WHERE proposed <> owner GROUP BY 1, 2 ORDER BY 1, 2;
-- a move limit is kept, and the best moves come first
WITH p AS (
  SELECT m, account, weight, owner,
         spm.propose_territory(account, weight, owner, max_moves => m) OVER (PARTITION BY m) AS proposed
  FROM terr_accounts, (VALUES (0), (1), (3), (10)) v(m)
), loads AS (SELECT m, proposed, sum(weight) AS w FROM p GROUP BY m, proposed)
SELECT m AS max_moves, (SELECT count(*) FROM p WHERE p.m = l.m AND proposed <> owner) AS moved,
       round(100 * spm.max_deviation(w), 2) AS largest_deviation_pct
FROM loads l GROUP BY m ORDER BY m;
-- a tolerance band stops moving once every territory is within +-10% of the mean
WITH p AS (
  SELECT account, weight, owner,
         spm.propose_territory(account, weight, owner, tolerance => 0.10) OVER () AS proposed
  FROM terr_accounts
)
SELECT count(*) FILTER (WHERE proposed <> owner) AS moved,
       (SELECT round(100 * spm.max_deviation(w), 2)
        FROM (SELECT sum(weight) w FROM p GROUP BY proposed) l) AS largest_deviation_pct
FROM p;

-- more territories than accounts: one account each in the first territories (heaviest
-- first), the others stay empty
SELECT account, weight, spm.propose_territory(account, weight, NULL, ARRAY['t1', 't2', 't3', 't4', 't5'])
                        OVER () AS territory
FROM (VALUES ('x', 5), ('y', 3), ('z', 1)) a(account, weight) ORDER BY account;
-- new territories next to existing ones: the current owners keep what balance allows
SELECT account, weight, owner, spm.propose_territory(account, weight, owner, ARRAY['ann', 'bob', 'new'])
                               OVER () AS territory
FROM (VALUES ('a1', 40, 'ann'), ('a2', 30, 'ann'), ('a3', 20, 'ann'), ('b1', 30, 'bob'),
             ('b2', 10, 'bob'), ('c1', 20, NULL)) a(account, weight, owner)
ORDER BY account;

-- compactness: with coordinates and a band, the accounts that move to the east territory
-- are the easternmost of the west (longitudes 9 and 10), not just any of equal weight
SELECT account, lon, spm.propose_territory(account, weight, owner, lat => lat, lon => lon,
                                           tolerance => 0.1) OVER () AS territory
FROM (VALUES ('w1', 10, 'west', 45.0, 0.0), ('w2', 10, 'west', 45.0, 1.0), ('w3', 10, 'west', 45.0, 2.0),
             ('w4', 10, 'west', 45.0, 9.0), ('w5', 10, 'west', 45.0, 10.0), ('e1', 10, 'east', 45.0, 20.0))
     a(account, weight, owner, lat, lon)
ORDER BY account;

-- at tolerance 0 too: every move of 10 levels west and east equally well, so the nearest go
SELECT account, lon, spm.propose_territory(account, weight, owner, lat => lat, lon => lon) OVER () AS territory
FROM (VALUES ('w1', 10, 'west', 45.0, 0.0), ('w2', 10, 'west', 45.0, 1.0), ('w3', 10, 'west', 45.0, 2.0),
             ('w4', 10, 'west', 45.0, 9.0), ('w5', 10, 'west', 45.0, 10.0), ('e1', 10, 'east', 45.0, 20.0))
     a(account, weight, owner, lat, lon)
ORDER BY account;

-- from scratch with coordinates: six accounts in each of four cities (other weights in
-- each, 210 in all) into four territories; each territory is one city
CREATE TABLE terr_located AS
SELECT city || i AS account, i, 10 * i + (ARRAY[0, 5 - 10 * (i % 2), 3 - 6 * (i / 4), (i % 3 - 1) * 3])[c] AS weight,
       city, lat + i * 0.02 AS lat, lon - i * 0.03 AS lon
FROM (VALUES (1, 'boston', 42.36, -71.06), (2, 'chicago', 41.88, -87.63), (3, 'denver', 39.74, -104.99),
             (4, 'seattle', 47.61, -122.33)) v(c, city, lat, lon), generate_series(1, 6) i;
SELECT city, array_agg(weight ORDER BY i) AS weights, sum(weight) AS total
FROM terr_located GROUP BY city ORDER BY city;
CREATE TABLE terr_located_proposal AS
SELECT account, weight, city,
       spm.propose_territory(account, weight, NULL, spm.territory_keys(4), lat => lat, lon => lon)
         OVER () AS territory
FROM terr_located;
SELECT territory, string_agg(DISTINCT city, ', ') AS cities, sum(weight) AS weight, count(*) AS accounts
FROM terr_located_proposal GROUP BY territory ORDER BY territory;
-- the same proposal whatever the row order
SELECT count(*) AS differences
FROM terr_located_proposal a
JOIN (SELECT account, spm.propose_territory(account, weight, NULL, spm.territory_keys(4), lat => lat, lon => lon)
                      OVER (ORDER BY md5(account)) AS territory
      FROM (SELECT * FROM terr_located ORDER BY weight DESC, account DESC) r) b USING (account)
WHERE a.territory <> b.territory;
-- without coordinates the cities are mixed
SELECT territory, string_agg(DISTINCT city, ', ') AS cities, sum(weight) AS weight
FROM (SELECT city, weight, spm.propose_territory(account, weight, NULL, spm.territory_keys(4)) OVER () AS territory
      FROM terr_located) p
GROUP BY territory ORDER BY territory;
-- new accounts join the nearest territory with room: Boston's and Denver's reps hold their
-- city's first three accounts, the other accounts of the two cities are new
SELECT city, territory, count(*) AS accounts, sum(weight) AS weight
FROM (SELECT city, weight,
             spm.propose_territory(account, weight, owner, ARRAY['east', 'west'], lat => lat, lon => lon)
               OVER () AS territory
      FROM (SELECT *, CASE WHEN i > 3 THEN NULL WHEN city = 'boston' THEN 'east' ELSE 'west' END AS owner
            FROM terr_located WHERE city IN ('boston', 'denver')) a) p
GROUP BY city, territory ORDER BY city, territory;
-- accounts of weight zero (prospects) fit anywhere, so they do not all join the one
-- territory that has a located account: they are split among the others by count
SELECT territory, count(*) AS accounts
FROM (SELECT spm.propose_territory(a, 0, cur, ARRAY['T1', 'T2', 'T3'], false, lat, lon) OVER () AS territory
      FROM (SELECT 'a' || i AS a, CASE WHEN i = 1 THEN 'T1' END AS cur, 48 + i * 0.01 AS lat, 2 + i * 0.01 AS lon
            FROM generate_series(1, 30) i) s) q
GROUP BY territory ORDER BY territory;

-- bad input gets a specific error
SELECT spm.propose_territory(a, w, NULL, spm.territory_keys(0)) OVER () FROM (VALUES ('a', 1)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{}') OVER () FROM (VALUES ('a', 1)) t(a, w);
SELECT spm.propose_territory(a, w, o) OVER () FROM (VALUES ('a', 1, NULL::text)) t(a, w, o);
SELECT spm.propose_territory(a, w, NULL, '{x,y}') OVER () FROM (VALUES ('a', 1), ('b', -2)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,y}') OVER () FROM (VALUES ('a', 1), ('b', 'NaN'::numeric)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,y}') OVER () FROM (VALUES ('a', 1), ('b', NULL)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,y}') OVER () FROM (VALUES ('a', 1), (NULL, 2)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,y}') OVER () FROM (VALUES ('a', 1), ('a', 2)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,y,x}') OVER () FROM (VALUES ('a', 1)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{x,NULL}') OVER () FROM (VALUES ('a', 1)) t(a, w);
SELECT spm.propose_territory(a, w, NULL, '{{x},{y}}') OVER () FROM (VALUES ('a', 1)) t(a, w);
SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => la, lon => lo) OVER ()
FROM (VALUES ('a', 91.0, 0.0)) t(a, la, lo);
SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => la, lon => lo) OVER ()
FROM (VALUES ('a', 10.0, -180.5)) t(a, la, lo);
SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => la, lon => lo) OVER ()
FROM (VALUES ('a', 'NaN'::float8, 0.0)) t(a, la, lo);
SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => la) OVER () FROM (VALUES ('a', 10.0)) t(a, la);
SELECT spm.propose_territory(a, 1, NULL, '{x}', locked => true) OVER () FROM (VALUES ('a')) t(a);
SELECT spm.propose_territory(a, 1, 'gone', '{x}', locked => true) OVER () FROM (VALUES ('a')) t(a);
SELECT spm.propose_territory(a, 1, NULL, '{x}', max_moves => -1) OVER () FROM (VALUES ('a')) t(a);
SELECT spm.propose_territory(a, 1, NULL, '{x}', tolerance => -0.1) OVER () FROM (VALUES ('a')) t(a);
SELECT spm.propose_territory(a, 1, NULL, '{x}', tolerance => 'NaN') OVER () FROM (VALUES ('a')) t(a);
SELECT spm.propose_territory(a, 1, NULL, '{x}', max_moves => m) OVER ()
FROM (VALUES ('a', 1), ('b', 2)) t(a, m);
SELECT spm.propose_territory(a, 1, NULL, k) OVER () FROM (VALUES ('a', '{x}'::text[]), ('b', NULL)) t(a, k);
-- a partition-wide numeric is compared by value: 0.15 and 0.150 are one tolerance
SELECT a, spm.propose_territory(a, 1, NULL, '{x}', tolerance => tol) OVER () AS proposed
FROM (VALUES ('a', 0.15), ('b', 0.150)) t(a, tol) ORDER BY a;
SELECT spm.propose_territory(a, 1e30, NULL, '{x}') OVER () FROM (VALUES ('a')) t(a);
