-- test/bench/territory.sql -- quality benchmark of spm.propose_territory
--
--   psql -v accounts=100000 -f test/bench/territory.sql      (run by test/bench/run)
--
-- :accounts accounts (default 100000) with heavy-tailed Pareto weights, deterministic
-- (no random(): u = hashint8extended(i, seed) in (0, 1], weight = 1000 * u^(-1/alpha)),
-- start in 200 territories of consecutive accounts.  For each tail (alpha 2 and 1.5)
-- the table shows the starting assignment, the greedy largest-first baseline (every
-- account from scratch, heaviest first into the lightest territory) and spm's proposal
-- from the starting assignment, exact (tolerance 0) and with a 1% band: seconds, the
-- largest relative deviation from the mean in %, and accounts moved.  The lower bound
-- is what the heaviest account allows: max(0, heaviest / mean - 1).
\set ON_ERROR_STOP on
\pset footer off
SET client_min_messages = warning;
\if :{?accounts}
\else
\set accounts 100000
\endif
\set territories 200

DROP TABLE IF EXISTS bench_accounts, bench_result;
CREATE TEMP TABLE bench_accounts AS
SELECT alpha, 'a' || lpad(i::text, 6, '0') AS account,
       round((1000 * power(((hashint8extended(i, 51) & 4503599627370495) + 1) / 4503599627370496.0,
                           -1 / alpha))::numeric, 2) AS weight,
       (spm.territory_keys(:territories))[1 + (i - 1) * :territories / :accounts] AS current
FROM generate_series(1, :accounts) i, (VALUES (2.0::float8), (1.5)) t(alpha);
CREATE TEMP TABLE bench_result (alpha float8, scenario text, seconds numeric,
                                account text, territory text);

INSERT INTO bench_result SELECT alpha, 'start', 0, account, current FROM bench_accounts;

SELECT clock_timestamp() AS t0 \gset
INSERT INTO bench_result
SELECT alpha, 'greedy largest-first', NULL, account,
       spm.propose_territory(account, weight, NULL, spm.territory_keys(:territories), tolerance => 1e9)
         OVER (PARTITION BY alpha)
FROM bench_accounts;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric / 2, 3) AS secs \gset
UPDATE bench_result SET seconds = :secs WHERE seconds IS NULL;

SELECT clock_timestamp() AS t0 \gset
INSERT INTO bench_result
SELECT alpha, 'spm (tolerance 0)', NULL, account,
       spm.propose_territory(account, weight, current, spm.territory_keys(:territories))
         OVER (PARTITION BY alpha)
FROM bench_accounts;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric / 2, 3) AS secs \gset
UPDATE bench_result SET seconds = :secs WHERE seconds IS NULL;

SELECT clock_timestamp() AS t0 \gset
INSERT INTO bench_result
SELECT alpha, 'spm (tolerance 1%)', NULL, account,
       spm.propose_territory(account, weight, current, spm.territory_keys(:territories),
                             tolerance => 0.01)
         OVER (PARTITION BY alpha)
FROM bench_accounts;
SELECT round(extract(epoch FROM clock_timestamp() - :'t0')::numeric / 2, 3) AS secs \gset
UPDATE bench_result SET seconds = :secs WHERE seconds IS NULL;

\echo
\echo === territory assignment quality: :accounts accounts, :territories territories (seconds per tail) ===
WITH loads AS (
    SELECT r.alpha, r.scenario, r.seconds, r.territory, sum(a.weight) AS load,
           count(*) FILTER (WHERE r.territory <> a.current) AS moved
    FROM bench_result r JOIN bench_accounts a USING (alpha, account)
    GROUP BY 1, 2, 3, 4
), bound AS (
    SELECT alpha, max(weight) / (sum(weight) / :territories) AS heaviest_per_mean
    FROM bench_accounts GROUP BY alpha
)
SELECT l.alpha AS pareto_alpha, l.scenario, l.seconds,
       round(100 * spm.max_deviation(l.load), 4) AS largest_deviation_pct,
       round(100 * greatest(b.heaviest_per_mean - 1, 0), 4) AS lower_bound_pct,
       sum(l.moved) AS accounts_moved,
       round(spm.gini(l.load), 6) AS gini,
       round(spm.cv(l.load), 6) AS cv
FROM loads l JOIN bound b USING (alpha)
GROUP BY l.alpha, l.scenario, l.seconds, b.heaviest_per_mean
ORDER BY l.alpha DESC, l.seconds, l.scenario;
