-- Long calls stop soon after a cancel or a statement timeout: the plain-C cores poll the
-- backend's interrupt check as they work (spm_core.h), and the glue checks between rows.
-- Each call below runs for many seconds uncancelled; with a 1 s statement_timeout it must
-- stop within 0.5 s of it.
CREATE TEMP TABLE long_assignment AS
  SELECT 'a' || i AS account, (i::bigint * 7919 % 100000 + 1)::numeric AS weight,
         lpad((i % 1000 + 1)::text, 4, '0') AS owner
  FROM generate_series(1, 111112) i;
CREATE TEMP TABLE long_allocation AS
  SELECT array_agg((i::bigint * 7919 % 1000 + 1)::numeric / 3) AS weights
  FROM generate_series(1, 1000000) i;

-- balanced assignment of 111,112 accounts among 1,000 territories
SELECT clock_timestamp() AS started \gset
SET statement_timeout = '1s';
SELECT count(p) FROM (SELECT spm.propose_territory(account, weight, owner, spm.territory_keys(1000)) OVER () AS p
                      FROM long_assignment) s;
RESET statement_timeout;
SELECT clock_timestamp() - :'started' < interval '1.5 s' AS assignment_stopped_in_time;

-- allocation by a million weights of 20 decimals (the numeric path)
SELECT clock_timestamp() AS started \gset
SET statement_timeout = '1s';
SELECT array_length(spm.allocate(1e12, weights), 1) FROM long_allocation;
RESET statement_timeout;
SELECT clock_timestamp() - :'started' < interval '1.5 s' AS allocation_stopped_in_time;

-- capacity of 20,000 reps over 120 months (exact powers of the attrition), and the hires
-- needed on top of it
CREATE TEMP TABLE long_roster AS
  SELECT array_agg(('r' || i, date '2020-01-01' + i % 3000, NULL::date, 1000 + i % 5000, '{0.25,0.5,0.75}'::numeric[], 0.9)::spm.roster_entry) AS roster
  FROM generate_series(1, 20000) i;
SELECT clock_timestamp() AS started \gset
SET statement_timeout = '1s';
SELECT count(*) FROM long_roster, spm.capacity_by_month(roster, daterange('2027-01-01', '2037-01-01'), 0.0123);
RESET statement_timeout;
SELECT clock_timestamp() - :'started' < interval '1.5 s' AS capacity_stopped_in_time;
SELECT clock_timestamp() AS started \gset
SET statement_timeout = '1s';
SELECT hires FROM long_roster, spm.hires_needed(roster, 1e12, daterange('2027-01-01', '2037-01-01'),
                                                ('new', '2027-01-01', NULL, 1000, NULL, 0.9)::spm.roster_entry, 0.0123);
RESET statement_timeout;
SELECT clock_timestamp() - :'started' < interval '1.5 s' AS hires_stopped_in_time;
