-- spm install script, assembled by the Makefile from src/*.sql (this file first).
-- Every object lives in schema spm and references others schema-qualified (@extschema@),
-- so calls pushed down to postgres_fdw shards (search_path = pg_catalog) still resolve.

\echo Use "CREATE EXTENSION spm" to load this file. \quit

COMMENT ON SCHEMA @extschema@ IS 'spm: exact sales performance management math';

-- Every role may use what spm defines, as with any schema of functions: functions and
-- types are usable by PUBLIC already, the schema needs USAGE for them to be reached.
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
