-- pgTAP: territory balance, territory index, balanced assignment
--
-- Formula sources for the hand-computed values:
--   Gini = mean absolute difference / (2 * mean) = sum_i sum_j |x_i - x_j| / (2 n^2 mean)
--     ("the average difference between every pair of values divided by two times the
--     average", http://ifci.ch/00011603.htm; "the relative mean absolute difference ...
--     equal to twice the Gini coefficient", Mean absolute difference,
--     https://wikisum.wiki/wiki/Mean_absolute_difference)
--   CV = population standard deviation / mean ("the standard deviation of the population
--     divided by the mean", Software AG COEFVARPCTP,
--     https://documentation.softwareag.com/adabas/cxx146/userguide/CONNXCDD32F/COEFVARPCTP_NUMERIC.htm)
BEGIN;
SELECT plan(65);

-- labels
SELECT is_aggregate('spm', a, ARRAY['numeric']) FROM unnest(ARRAY['gini', 'cv', 'max_min_ratio',
  'max_deviation', 'balance_score']) a;
SELECT is_aggregate('spm', a, ARRAY['numeric', 'numeric']) FROM unnest(ARRAY['share_within', 'balance']) a;
SELECT is(
  (SELECT count(*)::int FROM pg_aggregate g JOIN pg_proc p ON p.oid = g.aggfnoid
    JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'spm' AND p.proname IN ('gini', 'cv', 'max_min_ratio', 'max_deviation',
          'balance_score', 'share_within', 'balance')
      AND g.aggcombinefn::text = 'spm.balance_combine' AND g.aggtranstype = 'numeric[]'::regtype),
  7, 'the seven balance aggregates combine, and their state is numeric[] (text I/O), not internal');
SELECT volatility_is('spm', 'propose_territory',
  ARRAY['text', 'numeric', 'text', 'text[]', 'boolean', 'double precision', 'double precision',
        'integer', 'numeric'], 'immutable');
SELECT is((SELECT prokind::text FROM pg_proc WHERE oid = 'spm.territory_index'::regproc), 'w',
  'territory_index is a window function');
SELECT is((SELECT prokind::text FROM pg_proc WHERE proname = 'propose_territory'), 'w',
  'propose_territory is a window function');

-- balance scores against hand-computed values: 1, 2, 3, 4, 10 (mean 4)
CREATE TEMP TABLE v5 AS SELECT unnest(ARRAY[1, 2, 3, 4, 10])::numeric AS v;
SELECT is((SELECT spm.gini(v) FROM v5), 0.4, 'Gini: 80 / (2 * 25 * 4) = 0.4');
SELECT is((SELECT spm.cv(v) FROM v5), round(sqrt(10::numeric(40, 38)) / 4, 20), 'CV: sqrt(10) / 4');
SELECT is((SELECT spm.max_min_ratio(v) FROM v5), 10::numeric, 'max / min: 10 / 1');
SELECT is((SELECT spm.max_deviation(v) FROM v5), 1.5, 'largest relative deviation: (10 - 4) / 4');
SELECT is((SELECT spm.share_within(v, 0.5) FROM v5), 0.6, 'within +-50% of 4: 2, 3, 4');
SELECT is((SELECT spm.balance_score(v) FROM v5), 0::numeric, 'score: 100 * max(0, 1 - 1.5) = 0');
-- 90, 100, 100, 110 (mean 100): pairs differ by 120 in all, Gini = 120 / (2 * 16 * 100)
SELECT is((SELECT spm.gini(v) FROM unnest(ARRAY[90, 100, 100, 110]::numeric[]) v), 0.0375, 'Gini 0.0375');
SELECT is((SELECT spm.cv(v) FROM unnest(ARRAY[90, 100, 100, 110]::numeric[]) v),
  0.07071067811865475244, 'CV sqrt(50) / 100 to 20 decimals');
SELECT is((SELECT spm.balance_score(v) FROM unnest(ARRAY[90, 100, 100, 110]::numeric[]) v), 90::numeric,
  'score 90: every territory within +-10%');
SELECT is((SELECT spm.share_within(v, 0.05) FROM unnest(ARRAY[90, 100, 100, 110]::numeric[]) v), 0.5,
  'half within +-5%');
-- the largest Gini for n values is (n - 1) / n: one territory holds everything
SELECT is((SELECT spm.gini(v) FROM unnest(ARRAY[0, 0, 0, 8]::numeric[]) v), 0.75, 'Gini of 0,0,0,8 is 3/4');
-- the Gini equals its pairwise definition on generated data
SELECT is(
  (SELECT spm.gini(v) FROM (SELECT (hashint8extended(i, 9) & 1023)::numeric / 4 v FROM generate_series(1, 300) i) s),
  (SELECT round(sum(abs(a.v - b.v)) / (2 * sum(a.v)), 20)
     FROM (SELECT (hashint8extended(i, 9) & 1023)::numeric / 4 v FROM generate_series(1, 300) i) a,
          (SELECT (hashint8extended(i, 9) & 1023)::numeric / 4 v FROM generate_series(1, 300) i) b),
  'Gini of 300 generated values equals sum |xi - xj| / (2 n^2 mean)');
-- defined cases
SELECT is((SELECT spm.gini(v) FROM v5 WHERE false), NULL, 'no territories: NULL');
SELECT is((SELECT spm.balance_score(v) FROM (VALUES (7::numeric)) t(v)), 100::numeric, 'one territory: 100');
SELECT is((SELECT spm.cv(v) FROM (VALUES (0::numeric), (0)) t(v)), 0::numeric, 'all zero: CV 0');
SELECT is((SELECT spm.max_min_ratio(v) FROM (VALUES (0::numeric), (3)) t(v)), NULL,
  'a zero among others: max / min is NULL (unbounded)');

-- bad input: specific SQLSTATEs
SELECT throws_ok($$SELECT spm.gini(v) FROM (VALUES (-1::numeric)) t(v)$$, '22023',
  'territory value must not be negative');
SELECT throws_ok($$SELECT spm.gini(v) FROM (VALUES ('NaN'::numeric)) t(v)$$, '22023',
  'territory value must be a finite number');
SELECT throws_ok($$SELECT spm.share_within(v, 'Infinity') FROM (VALUES (1::numeric)) t(v)$$, '22023',
  'tolerance must be a finite number');
SELECT is((SELECT spm.gini(v) FROM (VALUES (1e30::numeric), (2e30)) t(v)), 0.16666666666666666667,
  'values past 64-bit units are scored in numeric');
SELECT is((SELECT spm.gini(v) FROM (VALUES (0.09::numeric), (1/3.0)) t(v)), 0.28740157480314960630,
  'ratios with 20 decimals (spm''s own outputs) are scored too');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1e30, NULL, '{x}') OVER () FROM (VALUES ('a')) t(a)$$, '22003',
  'account weight 1000000000000000000000000000000 does not fit in 18 significant digits at 0 decimal places');
SELECT throws_ok($$SELECT spm.gini_final('{NULL,1,NULL}')$$, '22023', 'invalid territory balance state');
SELECT throws_ok($$SELECT spm.territory_keys(0)$$, '22023',
  'the number of territories must be between 1 and 1000000');
SELECT throws_ok($$SELECT spm.propose_territory(a, w, NULL, '{x}') OVER () FROM (VALUES ('a', -1::numeric)) t(a, w)$$,
  '22023', 'account weight must not be negative');
SELECT throws_ok($$SELECT spm.propose_territory(a, w, NULL, '{x}') OVER () FROM (VALUES ('a', 'NaN'::numeric)) t(a, w)$$,
  '22023', 'account weight must be a finite number');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{x}') OVER () FROM (VALUES ('a'), ('a')) t(a)$$,
  '23505', 'duplicate account key "a"');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => 95, lon => 0) OVER () FROM (VALUES ('a')) t(a)$$,
  '22003', 'latitude 95 of account "a" is out of range');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{x}', lat => 0, lon => 200) OVER () FROM (VALUES ('a')) t(a)$$,
  '22003', 'longitude 200 of account "a" is out of range');
SELECT throws_ok($$SELECT spm.propose_territory(a, NULL, NULL, '{x}') OVER () FROM (VALUES ('a')) t(a)$$,
  '22004', 'account weight must not be NULL');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{}') OVER () FROM (VALUES ('a')) t(a)$$,
  '22023', 'there are no territories to assign accounts to');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, 'gone', '{x}', locked => true) OVER () FROM (VALUES ('a')) t(a)$$,
  '22023');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{x}', max_moves => -1) OVER () FROM (VALUES ('a')) t(a)$$,
  '22023', 'max_moves must not be negative');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, '{x}', max_moves => m) OVER () FROM (VALUES ('a', 1), ('b', 2)) t(a, m)$$,
  '22023', 'the max_moves of propose_territory differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.propose_territory(a, 1, NULL, k) OVER () FROM (VALUES ('a', '{x}'::text[]), ('b', NULL)) t(a, k)$$,
  '22023', 'the territory array of propose_territory differs between rows of one window partition');
SELECT throws_ok($$SELECT spm.territory_index(ARRAY[1], NULL) OVER ()$$,
  '22004', 'the weight array of territory_index must not be NULL');
SELECT throws_ok($$SELECT spm.territory_index(ARRAY[1, 2], ARRAY[1]) OVER ()$$, '2202E',
  'territory metrics and weights differ in length');

-- territory index: 30 / 60 / 10 of potential, workload, accounts, each over its mean
SELECT is(
  (SELECT i FROM (SELECT t, spm.territory_index(ARRAY[p, w, a], ARRAY[30, 60, 10]) OVER () AS i
                  FROM (VALUES ('north', 120, 50, 12), ('south', 80, 40, 8), ('east', 100, 70, 10),
                               ('west', 100, 40, 10)) x(t, p, w, a)) s WHERE t = 'north'),
  1.08, 'north: 0.3 * 1.2 + 0.6 * 1.0 + 0.1 * 1.2');

-- assignment: a known perfect split, locked accounts, the move limit, determinism
CREATE TEMP TABLE acc AS
SELECT 'a' || lpad(i::text, 2, '0') AS account, i::numeric AS weight,
       'r' || (i - 1) / 10 AS owner, i >= 59 AS locked
FROM generate_series(1, 60) i;
SELECT is(
  (SELECT max(w) - min(w) FROM (SELECT sum(weight) w FROM (
     SELECT weight, spm.propose_territory(account, weight, NULL, spm.territory_keys(6)) OVER () t FROM acc) p
   GROUP BY t) s), 0::numeric, '1..60 into six: the perfect split of 305 each');
SELECT is(
  (SELECT count(*)::int FROM (SELECT locked, owner,
     spm.propose_territory(account, weight, owner, locked => locked) OVER () t FROM acc) p
   WHERE locked AND t <> owner), 0, 'locked accounts never move');
SELECT is(
  (SELECT count(*)::int FROM (SELECT owner,
     spm.propose_territory(account, weight, owner, max_moves => 4) OVER () t FROM acc) p
   WHERE t <> owner), 4, 'a move limit of 4 moves exactly 4 accounts (the best 4)');
SELECT is(
  (SELECT count(*)::int FROM (SELECT owner,
     spm.propose_territory(account, weight, owner, max_moves => 0) OVER () t FROM acc) p
   WHERE t <> owner), 0, 'a move limit of 0 moves nothing');
SELECT is(
  (SELECT array_agg(t ORDER BY account) FROM (SELECT account,
     spm.propose_territory(account, weight, owner) OVER () t FROM acc) p),
  (SELECT array_agg(t ORDER BY account) FROM (SELECT account,
     spm.propose_territory(account, weight, owner) OVER (ORDER BY md5(account)) t
     FROM (SELECT * FROM acc ORDER BY weight DESC) r) p),
  'the same proposal whatever the row order');
SELECT cmp_ok(
  (SELECT spm.max_deviation(w) FROM (SELECT sum(weight) w FROM (SELECT weight,
     spm.propose_territory(account, weight, owner) OVER () t FROM acc) p GROUP BY t) s),
  '<=', 0.01, 'from blocks of ten the largest deviation ends within 1% of the mean');
SELECT is(
  (SELECT count(DISTINCT t)::int FROM (SELECT spm.propose_territory(a, 1, NULL, spm.territory_keys(5)) OVER () t
     FROM (VALUES ('x'), ('y'), ('z')) v(a)) p), 3,
  'more territories than accounts: one account each, the rest empty');
SELECT is(
  (SELECT array_agg(t ORDER BY a) FROM (SELECT a, spm.propose_territory(a, 0, NULL, spm.territory_keys(2)) OVER () t
     FROM (VALUES ('w'), ('x'), ('y'), ('z')) v(a)) p), ARRAY['1', '2', '1', '2'],
  'zero weights are spread evenly by account count');
-- assignment with coordinates: 8 accounts around each of five cities (1..8 in each), far apart
CREATE TEMP TABLE geo AS
SELECT c || '-' || i AS account, c AS city, i::numeric AS weight, 'r' || ((i + c) % 5) AS owner,
       i = 1 AS locked, 30 + 4 * c + i * 0.01 AS lat, -120 + 9 * c - i * 0.01 AS lon
FROM generate_series(1, 5) c, generate_series(1, 8) i;
SELECT is(
  (SELECT count(*)::int FROM (SELECT t FROM (SELECT city, weight,
     spm.propose_territory(account, weight, NULL, spm.territory_keys(5), lat => lat, lon => lon) OVER () t
     FROM geo) p GROUP BY t HAVING count(DISTINCT city) = 1 AND sum(weight) = 36) s), 5,
  'from scratch with coordinates: five cities of 36 become five territories of one city each');
SELECT is(
  (SELECT array_agg(t ORDER BY account) FROM (SELECT account,
     spm.propose_territory(account, weight, NULL, spm.territory_keys(5), lat => lat, lon => lon) OVER () t
     FROM geo) p),
  (SELECT array_agg(t ORDER BY account) FROM (SELECT account,
     spm.propose_territory(account, weight, NULL, spm.territory_keys(5), lat => lat, lon => lon)
       OVER (ORDER BY md5(account)) t
     FROM (SELECT * FROM geo ORDER BY lat DESC, weight) r) p),
  'with coordinates, the same proposal whatever the row order');
SELECT is(
  (SELECT count(*)::int FROM (SELECT locked, owner, spm.propose_territory(account, weight, owner,
     locked => locked, lat => lat, lon => lon) OVER () t FROM geo) p
   WHERE locked AND t <> owner), 0, 'with coordinates, locked accounts never move');
SELECT cmp_ok(
  (SELECT count(*)::int FROM (SELECT owner, spm.propose_territory(account, weight, owner,
     lat => lat, lon => lon, max_moves => 3) OVER () t FROM geo) p
   WHERE t <> owner), '<=', 3, 'with coordinates, a move limit of 3 is kept');
SELECT is(
  (SELECT max(w) - min(w) FROM (SELECT sum(weight) w FROM (SELECT weight, spm.propose_territory(account,
     weight, NULL, spm.territory_keys(5), lat => lat, lon => lon) OVER () t FROM geo) p GROUP BY t) s)
  <= (SELECT max(w) - min(w) FROM (SELECT sum(weight) w FROM (SELECT weight, spm.propose_territory(account,
     weight, NULL, spm.territory_keys(5)) OVER () t FROM geo) p GROUP BY t) s),
  true, 'coordinates do not cost balance: the spread is at most that without them');
-- Lorenz curve: the points beside the Gini
SELECT is((SELECT array_agg(value_share ORDER BY population_share) FROM spm.lorenz_curve(ARRAY[40, 10, NULL, 30, 20])),
          ARRAY[0, 0.1, 0.3, 0.6, 1]::numeric[], 'smallest first from (0, 0), NULLs left out');
SELECT is((SELECT array_agg(value_share ORDER BY population_share) FROM spm.lorenz_curve(ARRAY[0, 0])),
          ARRAY[0, 0.5, 1]::numeric[], 'all zero: the line of equality');
SELECT throws_ok($$SELECT * FROM spm.lorenz_curve(ARRAY[1, -1])$$, '22023', 'a value must not be negative');

SELECT * FROM finish();
ROLLBACK;
