
-- ---------------------------------------------------------------- pipeline analytics

CREATE FUNCTION @extschema@.normal_quantile(p numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_normal_quantile'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normal_quantile(numeric) IS
'the z with P(Z <= z) = p for a standard normal Z, 0 < p < 1, computed in numeric arithmetic (Newton on erf) and rounded to 30 decimals';

CREATE FUNCTION @extschema@.wilson_lower(won bigint, closed bigint, confidence numeric DEFAULT 0.95)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_wilson_lower'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_lower(bigint, bigint, numeric) IS
'lower bound of the Wilson score interval of the win rate won / closed at a two-sided confidence in (0, 1), rounded to 20 decimals; NULL when nothing is closed';

CREATE FUNCTION @extschema@.wilson_upper(won bigint, closed bigint, confidence numeric DEFAULT 0.95)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_wilson_upper'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wilson_upper(bigint, bigint, numeric) IS
'upper bound of the Wilson score interval of the win rate won / closed at a two-sided confidence in (0, 1), rounded to 20 decimals; NULL when nothing is closed';

CREATE FUNCTION @extschema@.smoothed_win_rate(won bigint, closed bigint, prior_rate numeric, prior_weight numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_smoothed_win_rate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.smoothed_win_rate(bigint, bigint, numeric, numeric) IS
'Bayesian-smoothed win rate (won + prior_rate * prior_weight) / (closed + prior_weight): prior_weight pseudo-deals won at prior_rate; NULL when the denominator is zero';

CREATE FUNCTION @extschema@.sales_velocity(opportunities numeric, avg_deal_size numeric, win_rate numeric, cycle_days numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_sales_velocity'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(numeric, numeric, numeric, numeric) IS
'sales velocity, revenue per day: opportunities * avg_deal_size * win_rate / cycle_days, one exact product and one division; NULL for a zero cycle';

CREATE FUNCTION @extschema@.pipeline_coverage(pipeline numeric, remaining_quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_pipeline_coverage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_coverage(numeric, numeric) IS
'pipeline coverage: open pipeline / quota still to close; NULL when nothing remains to close (remaining quota zero or less)';

CREATE FUNCTION @extschema@.required_coverage(win_rate numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_required_coverage'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.required_coverage(numeric) IS
'the pipeline coverage a win rate requires: 1 / win_rate; NULL for a zero win rate';

CREATE FUNCTION @extschema@.expected_attainment(booked numeric, pipeline numeric, win_rate numeric, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_expected_attainment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_attainment(numeric, numeric, numeric, numeric) IS
'expected attainment: (booked + pipeline * win_rate) / quota; NULL for a zero quota';

-- funnel: per-stage counts and conversions from each deal's furthest stage reached

CREATE TYPE @extschema@.funnel_stage AS (
    stage      integer,   -- ordinal, 1 = first stage
    reached    bigint,    -- deals whose furthest stage is this one or later
    stopped    bigint,    -- deals whose furthest stage is this one
    conversion numeric,   -- reached / reached at the previous stage (NULL for stage 1)
    cumulative numeric    -- reached / reached at stage 1: the overall conversion at the last stage
);
COMMENT ON TYPE @extschema@.funnel_stage IS
'one stage of spm.funnel: stage, reached, stopped, conversion from the previous stage, cumulative conversion from the first stage';

CREATE FUNCTION @extschema@.funnel_accum(state bigint[], furthest_stage integer, stages integer)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'spm_funnel_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_accum(bigint[], integer, integer) IS
'transition function of funnel: counts one deal at its furthest stage (NULL stages are ignored)';

CREATE FUNCTION @extschema@.funnel_combine(bigint[], bigint[])
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'spm_funnel_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_combine(bigint[], bigint[]) IS
'combine function of funnel: adds two partial per-stage counts';

CREATE FUNCTION @extschema@.funnel_final(bigint[])
RETURNS @extschema@.funnel_stage[]
AS 'MODULE_PATHNAME', 'spm_funnel_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_final(bigint[]) IS
'final function of funnel: per-stage reached and stopped counts, stage-to-stage and cumulative conversion';

CREATE AGGREGATE @extschema@.funnel(furthest_stage integer, stages integer) (
    SFUNC = @extschema@.funnel_accum,
    STYPE = bigint[],
    FINALFUNC = @extschema@.funnel_final,
    COMBINEFUNC = @extschema@.funnel_combine,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel(integer, integer) IS
'funnel conversion from each deal''s furthest stage reached (1..stages): one spm.funnel_stage per stage';
