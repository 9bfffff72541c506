-- spm upgrade 0.2.0 -> 0.3.0. Committed and edited by hand: every change that adds or alters
-- an object in src/*.sql (a function, type, aggregate, operator, cast, comment) writes the same
-- change here too, as CREATE, CREATE OR REPLACE, ALTER, COMMENT ON or DROP, so that 0.2.0
-- updated equals a fresh 0.3.0 install (sql/upgrade.sql compares them object by object).
\echo Use "ALTER EXTENSION spm UPDATE" to load this file. \quit

-- 0.2.0 left the schema without USAGE for other roles: every call by a role other than the
-- installing one failed with "permission denied for schema spm".
GRANT USAGE ON SCHEMA @extschema@ TO PUBLIC;

-- 0.3.0: deal_summary equality and hashing

-- deal_summary equality: every count, and every sum by value; a hash operator class makes
-- SELECT DISTINCT, GROUP BY and hash joins work on summaries
CREATE FUNCTION @extschema@.deal_summary_eq(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_deal_summary_eq'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_eq(@extschema@.deal_summary, @extschema@.deal_summary) IS
'the same counts and the same sums (by value: 100 equals 100.00)';

CREATE FUNCTION @extschema@.deal_summary_ne(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS boolean
AS 'MODULE_PATHNAME', 'spm_deal_summary_ne'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_ne(@extschema@.deal_summary, @extschema@.deal_summary) IS
'a count or a sum differs';

CREATE FUNCTION @extschema@.deal_summary_hash(@extschema@.deal_summary)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_deal_summary_hash'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_hash(@extschema@.deal_summary) IS
'hash of a deal summary, consistent with =';

CREATE FUNCTION @extschema@.deal_summary_hash_extended(@extschema@.deal_summary, bigint)
RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_deal_summary_hash_extended'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_hash_extended(@extschema@.deal_summary, bigint) IS
'seeded 64-bit hash of a deal summary, consistent with = (hash partitioning)';

CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.deal_summary,
    RIGHTARG = @extschema@.deal_summary,
    FUNCTION = @extschema@.deal_summary_eq,
    COMMUTATOR = OPERATOR(@extschema@.=),
    NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = eqsel,
    JOIN = eqjoinsel,
    HASHES
);
COMMENT ON OPERATOR @extschema@.= (@extschema@.deal_summary, @extschema@.deal_summary) IS
'the same counts and the same sums';

CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.deal_summary,
    RIGHTARG = @extschema@.deal_summary,
    FUNCTION = @extschema@.deal_summary_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>),
    NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel,
    JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<> (@extschema@.deal_summary, @extschema@.deal_summary) IS
'a count or a sum differs';

CREATE OPERATOR CLASS @extschema@.deal_summary_hash_ops
DEFAULT FOR TYPE @extschema@.deal_summary USING hash AS
    OPERATOR 1 @extschema@.= (@extschema@.deal_summary, @extschema@.deal_summary),
    FUNCTION 1 @extschema@.deal_summary_hash(@extschema@.deal_summary),
    FUNCTION 2 @extschema@.deal_summary_hash_extended(@extschema@.deal_summary, bigint);
COMMENT ON OPERATOR CLASS @extschema@.deal_summary_hash_ops USING hash IS
'SELECT DISTINCT, GROUP BY and hash joins on deal summaries';

-- 0.3.0: points for charts (chart.c)

CREATE FUNCTION @extschema@.payout_curve(schedule @extschema@.tier_schedule, quota numeric,
                                         max_attainment numeric DEFAULT 2, points integer DEFAULT 40,
                                         target_incentive numeric DEFAULT NULL)
RETURNS TABLE (attainment numeric, credit numeric, commission numeric, effective_rate numeric)
AS 'MODULE_PATHNAME', 'spm_payout_curve'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.payout_curve(@extschema@.tier_schedule, numeric, numeric, integer, numeric) IS
'a plan at points + 1 attainments from 0 to max_attainment: attainment, credit (attainment * quota), commission, effective rate; with target_incentive, a pay curve''s payout; no rows when another argument is NULL';

CREATE FUNCTION @extschema@.lorenz_curve(amounts numeric[])
RETURNS TABLE (population_share numeric, value_share numeric)
AS 'MODULE_PATHNAME', 'spm_lorenz_curve'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lorenz_curve(numeric[]) IS
'the Lorenz curve of the non-NULL values (finite, >= 0), smallest first from (0, 0): the population share counted and the share of the total it holds; all zero: the line of equality';
