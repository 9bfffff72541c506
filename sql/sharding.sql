-- Sharded PostgreSQL with postgres_fdw: a partitioned deal table whose partitions are foreign
-- tables on shards (here two tables of this database, reached through a loopback server).
-- With enable_partitionwise_aggregate and the server option extensions 'spm', spm's
-- aggregates run on the shards (Remote SQL), with search_path = pg_catalog there, and give
-- what the same aggregates give over all rows locally.  Across shards, per-shard deal
-- summaries roll up exactly.  The loopback connection needs trust (or peer) authentication on
-- the local socket, as test/run's throwaway cluster has; where the server asks for a password
-- (scram or md5 for local connections), the file checks that first and stops, saying so
-- (expected/sharding_1.out).
CREATE EXTENSION postgres_fdw;
-- the shards are this server, reached through its own unix socket
DO $$
BEGIN
  EXECUTE format('CREATE SERVER shards FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host %L, port %L, dbname %L, extensions %L)',
                 split_part(current_setting('unix_socket_directories'), ',', 1), current_setting('port'),
                 current_database(), 'spm');
END $$;
CREATE USER MAPPING FOR CURRENT_USER SERVER shards;
CREATE TABLE loopback_probe (x int);
CREATE FOREIGN TABLE loopback_probe_remote (x int) SERVER shards OPTIONS (table_name 'loopback_probe');
CREATE FUNCTION pg_temp.loopback_connects() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count(*) FROM loopback_probe_remote;
  RETURN true;
-- could not connect (08001), or a password is required of a non-superuser (2F003)
EXCEPTION WHEN sqlclient_unable_to_establish_sqlconnection OR prohibited_sql_statement_attempted THEN
  RETURN false;
END $$;
SELECT pg_temp.loopback_connects() AS loopback_connects \gset
DROP FOREIGN TABLE loopback_probe_remote;
DROP TABLE loopback_probe;
\if :loopback_connects
\else
\echo 'sharding: skipped: the postgres_fdw loopback cannot connect without a password here (local authentication is not trust or peer)'
DROP USER MAPPING FOR CURRENT_USER SERVER shards;
DROP SERVER shards;
DROP EXTENSION postgres_fdw;
\quit
\endif

CREATE TABLE shard_east (region text, rep text, amount numeric, quota numeric, won boolean, cycle integer);
CREATE TABLE shard_west (LIKE shard_east);
INSERT INTO shard_east
  SELECT 'east', 'e' || (i % 7), (i * 37 % 1000) + 0.25, 1000,
         CASE WHEN i % 3 = 0 THEN NULL ELSE i % 2 = 0 END, i % 90
  FROM generate_series(1, 5000) i;
INSERT INTO shard_west
  SELECT 'west', 'w' || (i % 5), (i * 53 % 1000) + 0.5, 2000,
         CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 = 0 END, i % 60
  FROM generate_series(1, 4000) i;
CREATE TABLE sharded_deals (LIKE shard_east) PARTITION BY LIST (region);
CREATE FOREIGN TABLE deals_east PARTITION OF sharded_deals FOR VALUES IN ('east')
  SERVER shards OPTIONS (table_name 'shard_east');
CREATE FOREIGN TABLE deals_west PARTITION OF sharded_deals FOR VALUES IN ('west')
  SERVER shards OPTIONS (table_name 'shard_west');
CREATE VIEW all_deals AS SELECT * FROM shard_east UNION ALL SELECT * FROM shard_west;

SET enable_partitionwise_aggregate = on;
-- grouped by the partition key, each shard aggregates its own rows
EXPLAIN (VERBOSE, COSTS OFF)
SELECT region, spm.group_attainment(amount, quota), spm.win_rate(won),
       spm.group_commission(amount, 'from 0 rate 5%; from 100000 rate 8%'), spm.deal_summary(won, amount, cycle)
FROM sharded_deals GROUP BY region;
-- and gives what the same aggregates give over all rows locally
SELECT (SELECT array_agg(r ORDER BY r) FROM (
          SELECT (region, spm.group_attainment(amount, quota), spm.win_rate(won),
                  spm.group_commission(amount, 'from 0 rate 5%; from 100000 rate 8%'),
                  spm.deal_summary(won, amount, cycle))::text AS r
          FROM sharded_deals GROUP BY region) s)
     = (SELECT array_agg(r ORDER BY r) FROM (
          SELECT (region, spm.group_attainment(amount, quota), spm.win_rate(won),
                  spm.group_commission(amount, 'from 0 rate 5%; from 100000 rate 8%'),
                  spm.deal_summary(won, amount, cycle))::text AS r
          FROM all_deals GROUP BY region) s) AS shards_equal_local;
-- across shards: the per-shard summaries (computed remotely) roll up to the summary of all rows
SELECT spm.rollup(s) AS rolled_up, spm.rollup(s)::text = (SELECT spm.deal_summary(won, amount, cycle) FROM all_deals)::text AS exact
FROM (SELECT spm.deal_summary(won, amount, cycle) AS s FROM sharded_deals GROUP BY region) per_shard;
-- not grouped by the partition key: rows come back and aggregate locally, with the same result
SELECT spm.group_attainment(amount, quota) = (SELECT spm.group_attainment(amount, quota) FROM all_deals) AS overall_equal
FROM sharded_deals;
RESET enable_partitionwise_aggregate;
DROP VIEW all_deals;
DROP TABLE sharded_deals, shard_east, shard_west;
DROP USER MAPPING FOR CURRENT_USER SERVER shards;
DROP SERVER shards;
DROP EXTENSION postgres_fdw;
