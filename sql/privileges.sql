-- Who can use spm: a login role that owns nothing and was granted nothing uses every kind of
-- spm object (function, aggregate, window function, type, cast, operator, operator class),
-- and the schema's USAGE is the one grant that takes (0.2.0 lacked it).
SET client_min_messages = warning;     -- what an interrupted earlier run may have left
DROP DATABASE IF EXISTS spm_trusted;
DROP ROLE IF EXISTS regress_spm_analyst;
DROP ROLE IF EXISTS regress_spm_dbowner;
RESET client_min_messages;
CREATE ROLE regress_spm_analyst LOGIN;
-- as on a new PostgreSQL 15 cluster (one upgraded from an older release may still grant it)
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SELECT has_schema_privilege('regress_spm_analyst', 'spm', 'USAGE') AS analyst_may_use_spm,
       has_schema_privilege('regress_spm_analyst', 'spm', 'CREATE') AS analyst_may_create_in_spm,
       (SELECT count(*) FROM pg_namespace
        WHERE has_schema_privilege('regress_spm_analyst', oid, 'CREATE')) AS schemas_analyst_may_create_in;

SET ROLE regress_spm_analyst;
-- functions and aggregates
SELECT spm.attainment(150000, 100000) AS attainment,
       spm.allocate(100, ARRAY[1, 1, 1]) AS allocation,
       spm.commission(150000, 'marginal; from 0 rate 8%; from 100000 rate 12%') AS commission;
SELECT region, spm.group_attainment(amount, quota) AS attainment, spm.win_rate(won) AS win_rate
FROM (VALUES ('east', 150000, 100000, true), ('east', 10000, 50000, false)) d(region, amount, quota, won)
GROUP BY region;
-- window functions
SELECT rep, spm.split_share(100, share) OVER (ORDER BY rep) AS credit
FROM (VALUES ('ana', 0.5), ('bo', 0.5)) s(rep, share);
-- types (text input and output), casts, operators and their operator classes
SELECT 'from 0 rate 8%'::spm.tier_schedule AS plan,
       '{"tiers": [{"from": 0, "rate": 0.08}]}'::jsonb::spm.tier_schedule AS plan_from_jsonb,
       ('from 0 rate 8%'::spm.tier_schedule)::jsonb AS plan_as_jsonb,
       'from 0 rate 8%'::spm.tier_schedule OPERATOR(spm.=) 'from 0 rate 0.08' AS same_plan,
       (spm.deal_summary(true, 100, 10)) AS summary;
SELECT count(DISTINCT plan) AS distinct_plans
FROM (VALUES ('from 0 rate 8%'::spm.tier_schedule), ('from 0 rate 0.08'), ('from 0 rate 9%')) p(plan);
-- README.md's Quickstart, statement for statement (test/run checks they are the same lines):
-- its table is TEMP, which PUBLIC may create in every database, so the role needs no schema
-- of its own; the extension is there already, so CREATE EXTENSION IF NOT EXISTS only notices
CREATE EXTENSION IF NOT EXISTS spm;
CREATE TEMP TABLE deals (rep text, region text, amount numeric(12,2), quota numeric(12,2));
INSERT INTO deals VALUES ('ana','east',150000,100000), ('bo','east',10000,50000);
SELECT region, spm.group_attainment(amount, quota) FROM deals GROUP BY region;  -- 1.0666666666666667
SELECT rep, spm.attainment(amount, quota) FROM deals;                           -- 1.5…, 0.2…
DROP TABLE deals;
-- the role cannot change spm itself
CREATE FUNCTION spm.attainment(numeric, integer) RETURNS numeric LANGUAGE sql AS 'SELECT 1';
DROP FUNCTION spm.attainment(numeric, numeric);
RESET ROLE;

DROP ROLE regress_spm_analyst;

-- spm is a trusted extension: a database owner who is not a superuser installs it.  The
-- extension and its schema are the owner's; its objects stay the bootstrap superuser's, so
-- the owner can use them, drop the whole extension, but not change or replace a member.
CREATE ROLE regress_spm_dbowner LOGIN;
CREATE DATABASE spm_trusted OWNER regress_spm_dbowner;
\c spm_trusted
SET ROLE regress_spm_dbowner;
CREATE EXTENSION spm;
SELECT e.extowner::regrole AS extension_owner, n.nspowner::regrole AS schema_owner,
       (SELECT count(*) FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
        WHERE d.refobjid = e.oid AND d.deptype = 'e' AND p.proowner = e.extowner) AS members_owned_by_installer
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'spm';
SELECT spm.attainment(150000, 100000) AS attainment;
CREATE OR REPLACE FUNCTION spm.attainment(actual numeric, quota numeric) RETURNS numeric LANGUAGE sql AS 'SELECT 1';
ALTER FUNCTION spm.attainment(numeric, numeric) SECURITY DEFINER;
DROP FUNCTION spm.attainment(numeric, numeric);
CREATE FUNCTION spm.sneaky(cstring) RETURNS cstring AS 'MODULE_PATHNAME', 'spm_tier_schedule_in' LANGUAGE C;
ALTER EXTENSION spm DROP FUNCTION spm.attainment(numeric, numeric);
SELECT spm.attainment(150000, 100000) AS still_spms_attainment;
DROP EXTENSION spm;
RESET ROLE;
\c contrib_regression
DROP DATABASE spm_trusted;
DROP ROLE regress_spm_dbowner;
