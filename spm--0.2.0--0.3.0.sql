-- spm upgrade 0.2.0 -> 0.3.0. Committed and edited by hand: every change that adds or alters
-- an object in src/*.sql (a function, type, aggregate, operator, cast, comment) writes the same
-- change here too, as CREATE, CREATE OR REPLACE, ALTER, COMMENT ON or DROP, so that 0.2.0
-- updated equals a fresh 0.3.0 install (sql/upgrade.sql compares them object by object).
\echo Use "ALTER EXTENSION spm UPDATE" to load this file. \quit

-- 0.2.0 left the schema without USAGE for other roles: every call by a role other than the
-- installing one failed with "permission denied for schema spm".
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;
