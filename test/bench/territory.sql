-- test/bench/territory.sql -- quality benchmark of spm.propose_territory
--
--   psql -v accounts=100000 -f test/bench/territory.sql      (run by test/bench/run)
--
-- :accounts accounts (default 100000) with heavy-tailed Pareto weights, deterministic
-- (no random(): u = hashint8extended(i, seed) in (0, 1], weight = 1000 * u^(-1/alpha)),
-- start in 200 territories of consecutive accounts.  For each tail (alpha 2 and 1.5)
-- the table shows the starting assignment, the greedy largest-first baseline (every
-- account from scratch, heaviest first into the lightest territory: spm.propose_territory
-- with no current territories and a tolerance so wide that it stops after placing) and
-- spm's proposal from the starting assignment, exact (tolerance 0) and with a 1% band:
-- seconds (the whole SQL statement, rows written included), the
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

-- each proposal timed on its own (the INSERT of its rows included)
SELECT set_config('bench.territories', :'territories', false) AS bench_territories \gset
DO $$
DECLARE
    tail float8;
    s record;
    started timestamptz;
    elapsed numeric;
BEGIN
    FOR tail IN SELECT DISTINCT alpha FROM bench_accounts ORDER BY 1 DESC LOOP
        FOR s IN SELECT * FROM (VALUES ('greedy largest-first', 'NULL', 1e9),
                                       ('spm (tolerance 0)', 'current', 0),
                                       ('spm (tolerance 1%)', 'current', 0.01)) v(name, start, tolerance) LOOP
            started := clock_timestamp();
            EXECUTE format('INSERT INTO bench_result SELECT alpha, %L, NULL, account,
                              spm.propose_territory(account, weight, %s, spm.territory_keys(%s),
                                                    tolerance => %s) OVER ()
                            FROM bench_accounts WHERE alpha = %s',
                           s.name, s.start, current_setting('bench.territories'), s.tolerance, tail);
            elapsed := round(extract(epoch FROM clock_timestamp() - started)::numeric, 3);
            UPDATE bench_result SET seconds = elapsed WHERE seconds IS NULL;
        END LOOP;
    END LOOP;
END $$;

\echo
\echo === territory assignment quality: :accounts accounts into :territories territories ===
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
