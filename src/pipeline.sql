
-- ---------------------------------------------------------------- pipeline analytics
-- Objects are declared one by one, each CREATE followed by its COMMENT ON: declarations
-- of one kind (type I/O functions, aggregates, accessors) repeat one shape by design.

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

-- the deal summary: a two-step, roll-up-able state of counts and exact sums

CREATE TYPE @extschema@.deal_summary;

CREATE FUNCTION @extschema@.deal_summary_in(cstring)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_in(cstring) IS
'text input of deal_summary: (won=<n>,lost=<n>,open=<n>,cycle_deals=<n>,cycle_days=<n>,won_amount=<sum>,lost_amount=<sum>,open_amount=<sum>)';

CREATE FUNCTION @extschema@.deal_summary_out(@extschema@.deal_summary)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_deal_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_out(@extschema@.deal_summary) IS
'text output of deal_summary: every count and exact sum, named';

CREATE FUNCTION @extschema@.deal_summary_recv(internal)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_recv(internal) IS
'binary input of deal_summary (version byte, the counts, then the sums as numerics)';

CREATE FUNCTION @extschema@.deal_summary_send(@extschema@.deal_summary)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_deal_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_send(@extschema@.deal_summary) IS
'binary output of deal_summary';

CREATE TYPE @extschema@.deal_summary (
    INPUT = @extschema@.deal_summary_in,
    OUTPUT = @extschema@.deal_summary_out,
    RECEIVE = @extschema@.deal_summary_recv,
    SEND = @extschema@.deal_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.deal_summary IS
'counts of won, lost and open deals, closed deals with a known cycle and their cycle days, and exact won, lost and open amounts; store it, roll it up with spm.rollup';

CREATE FUNCTION @extschema@.deal_summary_accum(state @extschema@.deal_summary, won boolean, amount numeric, cycle_days integer)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_accum(@extschema@.deal_summary, boolean, numeric, integer) IS
'transition function of deal_summary: adds one deal (won NULL = open; cycle_days counted for closed deals when not NULL)';

CREATE FUNCTION @extschema@.deal_summary_accum_inv(state @extschema@.deal_summary, won boolean, amount numeric, cycle_days integer)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_accum_inv(@extschema@.deal_summary, boolean, numeric, integer) IS
'inverse transition function of deal_summary: removes a deal that leaves a moving window';

CREATE FUNCTION @extschema@.deal_summary_merge(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_merge(@extschema@.deal_summary, @extschema@.deal_summary) IS
'adds two deal summaries field by field: the combine function of win_rate, value_win_rate and deal_summary, and the transition function of rollup';

CREATE FUNCTION @extschema@.deal_summary_unmerge(@extschema@.deal_summary, @extschema@.deal_summary)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_deal_summary_unmerge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.deal_summary_unmerge(@extschema@.deal_summary, @extschema@.deal_summary) IS
'subtracts a deal summary that was added: the inverse transition function of rollup';

CREATE FUNCTION @extschema@.win_rate_accum(state @extschema@.deal_summary, won boolean)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_win_rate_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate_accum(@extschema@.deal_summary, boolean) IS
'transition function of win_rate: counts a closed deal as won or lost (open deals, NULL, are skipped)';

CREATE FUNCTION @extschema@.win_rate_accum_inv(state @extschema@.deal_summary, won boolean)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_win_rate_accum_inv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate_accum_inv(@extschema@.deal_summary, boolean) IS
'inverse transition function of win_rate: removes a closed deal that leaves a moving window';

CREATE FUNCTION @extschema@.value_win_rate_accum(state @extschema@.deal_summary, won boolean, amount numeric)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_value_win_rate_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate_accum(@extschema@.deal_summary, boolean, numeric) IS
'transition function of value_win_rate: adds a closed deal''s amount to the won or lost amount (rows with a NULL outcome or amount are skipped)';

CREATE FUNCTION @extschema@.value_win_rate_accum_inv(state @extschema@.deal_summary, won boolean, amount numeric)
RETURNS @extschema@.deal_summary
AS 'MODULE_PATHNAME', 'spm_value_win_rate_accum_inv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate_accum_inv(@extschema@.deal_summary, boolean, numeric) IS
'inverse transition function of value_win_rate: removes a closed deal that leaves a moving window';

-- accessors

CREATE FUNCTION @extschema@.won_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_won_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.won_count(@extschema@.deal_summary) IS 'deals won';

CREATE FUNCTION @extschema@.lost_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_lost_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lost_count(@extschema@.deal_summary) IS 'deals lost';

CREATE FUNCTION @extschema@.open_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_open_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_count(@extschema@.deal_summary) IS 'deals still open';

CREATE FUNCTION @extschema@.closed_count(summary @extschema@.deal_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_summary_closed_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.closed_count(@extschema@.deal_summary) IS 'deals closed: won + lost';

CREATE FUNCTION @extschema@.won_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_won_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.won_amount(@extschema@.deal_summary) IS 'exact sum of the won deals'' amounts';

CREATE FUNCTION @extschema@.lost_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_lost_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lost_amount(@extschema@.deal_summary) IS 'exact sum of the lost deals'' amounts';

CREATE FUNCTION @extschema@.open_amount(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_open_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_amount(@extschema@.deal_summary) IS 'exact sum of the open deals'' amounts: the open pipeline';

CREATE FUNCTION @extschema@.win_rate(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.win_rate(@extschema@.deal_summary) IS
'won / (won + lost); NULL when nothing is closed';

CREATE FUNCTION @extschema@.value_win_rate(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_value_win_rate' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.value_win_rate(@extschema@.deal_summary) IS
'won amount / (won + lost amount); NULL when the closed amount is zero';

CREATE FUNCTION @extschema@.avg_deal_size(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_avg_deal_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.avg_deal_size(@extschema@.deal_summary) IS
'average won deal: won amount / won deals; NULL when nothing is won';

CREATE FUNCTION @extschema@.avg_cycle_days(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_avg_cycle_days' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.avg_cycle_days(@extschema@.deal_summary) IS
'average sales cycle of the closed deals whose cycle is known, in days; NULL when there are none';

CREATE FUNCTION @extschema@.sales_velocity(summary @extschema@.deal_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_summary_sales_velocity' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.sales_velocity(@extschema@.deal_summary) IS
'sales velocity of a summary: open deals * average won deal * win rate / average cycle, computed as one exact division; NULL without closed deals or cycle days';

CREATE FUNCTION @extschema@.wilson_lower(summary @extschema@.deal_summary, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_lower(@extschema@.won_count(summary), @extschema@.closed_count(summary), confidence) $$;
COMMENT ON FUNCTION @extschema@.wilson_lower(@extschema@.deal_summary, numeric) IS
'lower Wilson bound of a summary''s win rate';

CREATE FUNCTION @extschema@.wilson_upper(summary @extschema@.deal_summary, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_upper(@extschema@.won_count(summary), @extschema@.closed_count(summary), confidence) $$;
COMMENT ON FUNCTION @extschema@.wilson_upper(@extschema@.deal_summary, numeric) IS
'upper Wilson bound of a summary''s win rate';

CREATE FUNCTION @extschema@.smoothed_win_rate(summary @extschema@.deal_summary, prior_rate numeric, prior_weight numeric)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.smoothed_win_rate(@extschema@.won_count(summary), @extschema@.closed_count(summary), prior_rate, prior_weight) $$;
COMMENT ON FUNCTION @extschema@.smoothed_win_rate(@extschema@.deal_summary, numeric, numeric) IS
'Bayesian-smoothed win rate of a summary';

-- aggregates

CREATE AGGREGATE @extschema@.win_rate(won boolean) (
    SFUNC = @extschema@.win_rate_accum,
    STYPE = @extschema@.deal_summary,
    INITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    FINALFUNC = @extschema@.win_rate,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.win_rate_accum,
    MINVFUNC = @extschema@.win_rate_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    MINITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    MFINALFUNC = @extschema@.win_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.win_rate(boolean) IS
'win rate: won / (won + lost) from a boolean outcome, NULL (open) ignored; NULL when nothing is closed; parallel, moving windows';

CREATE AGGREGATE @extschema@.value_win_rate(won boolean, amount numeric) (
    SFUNC = @extschema@.value_win_rate_accum,
    STYPE = @extschema@.deal_summary,
    INITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    FINALFUNC = @extschema@.value_win_rate,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.value_win_rate_accum,
    MINVFUNC = @extschema@.value_win_rate_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    MINITCOND = '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)',
    MFINALFUNC = @extschema@.value_win_rate,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.value_win_rate(boolean, numeric) IS
'value-weighted win rate: won amount / closed amount, rows with a NULL outcome or amount ignored; NULL when the closed amount is zero; parallel, moving windows';

CREATE AGGREGATE @extschema@.deal_summary(won boolean, amount numeric, cycle_days integer) (
    SFUNC = @extschema@.deal_summary_accum,
    STYPE = @extschema@.deal_summary,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.deal_summary_accum,
    MINVFUNC = @extschema@.deal_summary_accum_inv,
    MSTYPE = @extschema@.deal_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.deal_summary(boolean, numeric, integer) IS
'the deal summary of a group: won (NULL = open), amount (not NULL), cycle_days (of closed deals; NULL = unknown); parallel, moving windows';

CREATE AGGREGATE @extschema@.rollup(@extschema@.deal_summary) (
    SFUNC = @extschema@.deal_summary_merge,
    STYPE = @extschema@.deal_summary,
    COMBINEFUNC = @extschema@.deal_summary_merge,
    MSFUNC = @extschema@.deal_summary_merge,
    MINVFUNC = @extschema@.deal_summary_unmerge,
    MSTYPE = @extschema@.deal_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.deal_summary) IS
'adds stored deal summaries exactly (NULLs ignored): daily summaries roll up to weeks, quarters, regions or rolling windows; parallel, moving windows';

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

-- ---------------------------------------------------------------- pipeline movement
-- The waterfall of a period between two snapshots of deals (movement.c): spm.pipeline_waterfall,
-- a stored, roll-up-able summary of exact counts and sums per step, its aggregate, rollup and
-- accessors.

CREATE TYPE @extschema@.pipeline_waterfall;

CREATE FUNCTION @extschema@.pipeline_waterfall_in(cstring)
RETURNS @extschema@.pipeline_waterfall
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_in(cstring) IS
'text input of pipeline_waterfall: (rows=<n>,period_start=<YYYYMMDD>,period_end=<YYYYMMDD>,opening=<n>,...,closing=<n>,opening_amount=<sum>,...,closing_amount=<sum>); the identity is checked';

CREATE FUNCTION @extschema@.pipeline_waterfall_out(@extschema@.pipeline_waterfall)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_out(@extschema@.pipeline_waterfall) IS
'text output of pipeline_waterfall: rows, the period, every step''s deals and exact amount, named';

CREATE FUNCTION @extschema@.pipeline_waterfall_recv(internal)
RETURNS @extschema@.pipeline_waterfall
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_recv(internal) IS
'binary input of pipeline_waterfall (version byte, the counts, then the sums as numerics)';

CREATE FUNCTION @extschema@.pipeline_waterfall_send(@extschema@.pipeline_waterfall)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_send(@extschema@.pipeline_waterfall) IS
'binary output of pipeline_waterfall';

CREATE TYPE @extschema@.pipeline_waterfall (
    INPUT = @extschema@.pipeline_waterfall_in,
    OUTPUT = @extschema@.pipeline_waterfall_out,
    RECEIVE = @extschema@.pipeline_waterfall_recv,
    SEND = @extschema@.pipeline_waterfall_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.pipeline_waterfall IS
'the pipeline waterfall of a period between two snapshots: rows, the period, deals and exact amounts of opening, new, increased, decreased, pulled_in, pushed_out, won, lost and closing, which satisfy opening + new + increased - decreased + pulled_in - pushed_out - won - lost = closing; store it, roll it up with spm.rollup';

CREATE FUNCTION @extschema@.pipeline_waterfall_accum(state @extschema@.pipeline_waterfall, period_start date, period_end date, old_status text, old_amount numeric, old_close date, new_status text, new_amount numeric, new_close date)
RETURNS @extschema@.pipeline_waterfall
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_accum(@extschema@.pipeline_waterfall, date, date, text, numeric, date, text, numeric, date) IS
'transition function of pipeline_waterfall: adds one deal (a side whose status, amount and close are NULL is a snapshot the deal is absent from)';

CREATE FUNCTION @extschema@.pipeline_waterfall_merge(@extschema@.pipeline_waterfall, @extschema@.pipeline_waterfall)
RETURNS @extschema@.pipeline_waterfall
AS 'MODULE_PATHNAME', 'spm_pipeline_waterfall_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pipeline_waterfall_merge(@extschema@.pipeline_waterfall, @extschema@.pipeline_waterfall) IS
'adds two waterfalls of one period step by step: the combine function of pipeline_waterfall and the transition function of rollup';

CREATE FUNCTION @extschema@.step_amount(waterfall @extschema@.pipeline_waterfall, step text) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_waterfall_step_amount' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.step_amount(@extschema@.pipeline_waterfall, text) IS
'the exact amount of one step (''opening'', ''new'', ''increased'', ''decreased'', ''pulled_in'', ''pushed_out'', ''won'', ''lost'', ''closing''), zero or more';

CREATE FUNCTION @extschema@.step_deals(waterfall @extschema@.pipeline_waterfall, step text) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_waterfall_step_deals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.step_deals(@extschema@.pipeline_waterfall, text) IS
'the deals of one step (''opening'', ''new'', ..., ''closing'')';

CREATE FUNCTION @extschema@.waterfall_steps(waterfall @extschema@.pipeline_waterfall,
    OUT step text, OUT deals bigint, OUT amount numeric, OUT running_total numeric)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'spm_waterfall_steps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 9;
COMMENT ON FUNCTION @extschema@.waterfall_steps(@extschema@.pipeline_waterfall) IS
'the waterfall as nine rows in order, for charts: step, deals, amount signed as it moves the total (decreased, pushed_out, won, lost negative; opening and closing the totals) and the running total after the step';

CREATE AGGREGATE @extschema@.pipeline_waterfall(period_start date, period_end date, old_status text, old_amount numeric, old_close date, new_status text, new_amount numeric, new_close date) (
    SFUNC = @extschema@.pipeline_waterfall_accum,
    STYPE = @extschema@.pipeline_waterfall,
    COMBINEFUNC = @extschema@.pipeline_waterfall_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.pipeline_waterfall(date, date, text, numeric, date, text, numeric, date) IS
'the pipeline waterfall of the period [period_start, period_end) between two snapshots, one row per deal of their FULL JOIN (status ''open'', ''won'' or ''lost'', amount, close date on each side; all NULL where the deal is absent); parallel';

CREATE AGGREGATE @extschema@.rollup(@extschema@.pipeline_waterfall) (
    SFUNC = @extschema@.pipeline_waterfall_merge,
    STYPE = @extschema@.pipeline_waterfall,
    COMBINEFUNC = @extschema@.pipeline_waterfall_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.pipeline_waterfall) IS
'adds stored waterfalls of one period exactly (NULLs ignored): reps to teams, regions to the company; parallel';

-- near-real-time summaries: a trigger keeps a table of daily deal summaries current

CREATE FUNCTION @extschema@.maintain_deal_summary()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    -- what each trigger argument names, in order (TG_ARGV[0] .. TG_ARGV[8])
    roles constant text[] := ARRAY['summary table', 'summary table''s day column',
        'summary table''s rep column', 'summary table''s summary column', 'deals'' day column',
        'deals'' rep column', 'deals'' won column', 'deals'' amount column',
        'deals'' close date column'];
    -- the type each column must have (NULL: the rep, any type, the same in both tables)
    types constant regtype[] := ARRAY[NULL, 'date', NULL, '@extschema@.deal_summary', 'date',
        NULL, 'boolean', 'numeric', 'date'];
    usage constant text := 'Write EXECUTE FUNCTION @extschema@.maintain_deal_summary(''summary_table'', ''day'', ''rep'', ''summary'', ''deal_day'', ''deal_rep'', ''won'', ''amount'', ''close_date''): the summary table and its columns, then the deals'' columns.';
    target text[];
    summary_oid oid;
    summary_table text;
    deals text := format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME);
    -- where the deals of a day and rep are: the whole partition tree, not this partition
    all_deals text := coalesce(pg_partition_root(TG_RELID), TG_RELID)::regclass::text;
    rel oid;
    typ oid;
    rep_type oid;
    rep_equals text;
    attnum int2;
    attnums int2[] := '{}';
    col text[] := ARRAY(SELECT unnest(TG_ARGV));   -- 1-based (TG_ARGV starts at 0)
    unchanged boolean;
    same_key boolean;
    first_is_old boolean;
    day_null boolean;
    rep_null boolean;
    sides text[];
    side text;
    deal record;
    fresh @extschema@.deal_summary;
    key_matches text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' THEN
        RAISE EXCEPTION USING ERRCODE = '39P01',
            MESSAGE = format('trigger %s must be fired AFTER ... FOR EACH ROW', TG_NAME),
            DETAIL = format('It was fired %s %s FOR EACH %s on %s.', TG_WHEN, TG_OP, TG_LEVEL, deals),
            HINT = 'Create it AFTER INSERT OR UPDATE OR DELETE ON the deals FOR EACH ROW.';
    END IF;
    IF TG_NARGS <> 9 THEN
        RAISE EXCEPTION USING ERRCODE = '22023',
            MESSAGE = format('trigger %s must have 9 arguments', TG_NAME),
            DETAIL = format('It has %s.', TG_NARGS), HINT = usage;
    END IF;

    -- the summary table: schema-qualified, or in the deals' schema (never by search_path)
    target := parse_ident(col[1]);
    IF cardinality(target) = 1 THEN
        target := ARRAY[TG_TABLE_SCHEMA] || target;
    END IF;
    SELECT c.oid INTO summary_oid
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE cardinality(target) = 2 AND n.nspname = target[1] AND c.relname = target[2]
      AND c.relkind IN ('r', 'p');
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42P01',
            MESSAGE = format('summary table %s of trigger %s does not exist', col[1], TG_NAME),
            DETAIL = CASE WHEN col[1] LIKE '%.%' THEN format('Argument 1 of trigger %s names no table.', TG_NAME)
                     ELSE format('An unqualified name is looked up in the schema of %s, %s.', deals, TG_TABLE_SCHEMA) END,
            HINT = 'Create the table (day date, rep ..., summary @extschema@.deal_summary, PRIMARY KEY (day, rep)) first, or qualify its name with its schema.';
    END IF;
    summary_table := format('%I.%I', target[1], target[2]);
    -- a recomputation must see every deal of its day and rep, and the summary rows: under
    -- row-level security it would see what the writer's policies show, a silently wrong sum
    IF row_security_active(all_deals::regclass) OR row_security_active(summary_oid) THEN
        RAISE EXCEPTION USING ERRCODE = '42501',
            MESSAGE = format('trigger %s cannot keep %s under row-level security', TG_NAME, summary_table),
            DETAIL = format('Row-level security applies to %s on %s, so a recomputation would see only the rows its policies show.',
                            current_user, CASE WHEN row_security_active(all_deals::regclass) THEN all_deals ELSE summary_table END),
            HINT = 'Write the deals as a role that row-level security does not apply to (the tables'' owner, or BYPASSRLS), or recompute the summary on a schedule instead.';
    END IF;

    -- each column: present, of its type; both reps of one type
    FOR i IN 2..9 LOOP
        rel := CASE WHEN i <= 4 THEN summary_oid ELSE TG_RELID END;
        SELECT a.attnum, coalesce(nullif(t.typbasetype, 0), a.atttypid) INTO attnum, typ
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = rel AND a.attname = col[i] AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703',
                MESSAGE = format('column "%s" of %s does not exist', col[i], rel::regclass),
                DETAIL = format('Argument %s of trigger %s names the %s.', i, TG_NAME, roles[i]),
                HINT = usage;
        END IF;
        attnums[i] := attnum;
        IF i IN (3, 6) THEN
            IF rep_type IS NULL THEN
                rep_type := typ;
            ELSIF rep_type <> typ THEN
                RAISE EXCEPTION USING ERRCODE = '42804',
                    MESSAGE = format('the rep columns of trigger %s differ in type', TG_NAME),
                    DETAIL = format('%s.%s is %s and %s.%s is %s.', summary_table, quote_ident(col[3]),
                                    format_type(rep_type, NULL), deals, quote_ident(col[6]), format_type(typ, NULL)),
                    HINT = 'Give the summary table''s rep column the type of the deals'' rep column.';
            END IF;
        ELSIF typ <> types[i] THEN
            RAISE EXCEPTION USING ERRCODE = '42804',
                MESSAGE = format('column "%s" of %s must be of type %s', col[i], rel::regclass, types[i]),
                DETAIL = format('It is the %s of trigger %s, of type %s.', roles[i], TG_NAME, format_type(typ, NULL)),
                HINT = usage;
        END IF;
    END LOOP;
    -- ON CONFLICT needs a unique key on exactly (day, rep); reps are compared by its equality
    -- (citext's, say), so that a recomputation counts the deals that share the key's row
    SELECT format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO rep_equals
    FROM pg_index i
    JOIN pg_opclass c ON c.oid = i.indclass[CASE WHEN i.indkey[0] = attnums[3] THEN 0 ELSE 1 END]
    JOIN pg_amop a ON a.amopfamily = c.opcfamily AND a.amoplefttype = c.opcintype
                  AND a.amoprighttype = c.opcintype AND a.amopstrategy = 3
    JOIN pg_operator o ON o.oid = a.amopopr
    JOIN pg_namespace n ON n.oid = o.oprnamespace
    WHERE i.indrelid = summary_oid AND i.indisunique AND i.indimmediate AND i.indnkeyatts = 2
      AND i.indpred IS NULL AND i.indexprs IS NULL
      AND ARRAY[i.indkey[0], i.indkey[1]] @> ARRAY[attnums[2], attnums[3]]
    ORDER BY i.indisprimary DESC, i.indexrelid
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = '42P10',
            MESSAGE = format('summary table %s has no unique key on (%I, %I)', summary_table, col[2], col[3]),
            DETAIL = format('Trigger %s keeps one summary row per day and rep.', TG_NAME),
            HINT = format('ALTER TABLE %s ADD PRIMARY KEY (%I, %I).', summary_table, col[2], col[3]);
    END IF;

    -- the sides whose (day, rep) to refresh, in (day, rep) order so that writers lock the
    -- rows of two days or reps in one order (no deadlock between two single-deal moves)
    EXECUTE format('SELECT ROW(($1).%1$I, ($1).%2$I, ($1).%3$I, ($1).%4$I::text, ($1).%5$I)
                               IS NOT DISTINCT FROM ROW(($2).%1$I, ($2).%2$I, ($2).%3$I, ($2).%4$I::text, ($2).%5$I),
                           ($1).%1$I OPERATOR(pg_catalog.=) ($2).%1$I AND ($1).%2$I %6$s ($2).%2$I,
                           ROW(($1).%1$I, ($1).%2$I) OPERATOR(pg_catalog.<=) ROW(($2).%1$I, ($2).%2$I)',
                   col[5], col[6], col[7], col[8], col[9], rep_equals)
        INTO unchanged, same_key, first_is_old
        USING CASE WHEN TG_OP = 'INSERT' THEN NEW ELSE OLD END, CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    sides := CASE TG_OP WHEN 'INSERT' THEN ARRAY['new'] WHEN 'DELETE' THEN ARRAY['old']
             WHEN 'UPDATE' THEN CASE WHEN unchanged THEN '{}'
                                     WHEN same_key THEN ARRAY['new']
                                     WHEN first_is_old THEN ARRAY['old', 'new']
                                     ELSE ARRAY['new', 'old'] END END;
    key_matches := format('%I OPERATOR(pg_catalog.=) ($1).%I AND %I %s ($1).%I',
                          col[2], col[5], col[3], rep_equals, col[6]);
    FOREACH side IN ARRAY sides LOOP
        IF side = 'old' THEN deal := OLD; ELSE deal := NEW; END IF;
        EXECUTE format('SELECT ($1).%I IS NULL, ($1).%I IS NULL', col[5], col[6])
            INTO day_null, rep_null USING deal;
        -- a deal that had no day or rep (from before the trigger) is in no summary row:
        -- correcting or deleting it only refreshes its new side
        CONTINUE WHEN side = 'old' AND (day_null OR rep_null);
        IF day_null OR rep_null THEN
            RAISE EXCEPTION USING ERRCODE = '22004',
                MESSAGE = format('a deal of %s has no %s', deals, CASE WHEN day_null THEN 'day' ELSE 'rep' END),
                DETAIL = format('Trigger %s keeps a summary per day (%s) and rep (%s); %s is NULL.', TG_NAME,
                                col[5], col[6], CASE WHEN day_null THEN col[5] ELSE col[6] END),
                HINT = format('Give every deal a %s (a NOT NULL constraint on %s keeps them).',
                              CASE WHEN day_null THEN col[5] ELSE col[6] END, deals);
        END IF;
        -- lock the summary row (creating it if it is not there), then recompute it in a new
        -- statement: its snapshot sees every deal of that day and rep that another writer
        -- committed before the lock was ours (READ COMMITTED; REPEATABLE READ and
        -- SERIALIZABLE raise 40001 instead), and this statement's own changes
        EXECUTE format('INSERT INTO %1$s AS s (%2$I, %3$I, %4$I)
                        VALUES (($1).%5$I, ($1).%6$I, %7$L::@extschema@.deal_summary)
                        ON CONFLICT (%2$I, %3$I) DO UPDATE SET %4$I = s.%4$I',
                       summary_table, col[2], col[3], col[4], col[5], col[6],
                       '(won=0,lost=0,open=0,cycle_deals=0,cycle_days=0,won_amount=0,lost_amount=0,open_amount=0)')
            USING deal;
        EXECUTE format('SELECT @extschema@.deal_summary(d.%3$I, d.%4$I, d.%5$I OPERATOR(pg_catalog.-) d.%1$I)
                        FROM %6$s d
                        WHERE d.%1$I OPERATOR(pg_catalog.=) ($1).%1$I AND d.%2$I %7$s ($1).%2$I',
                       col[5], col[6], col[7], col[8], col[9], all_deals, rep_equals)
            INTO fresh USING deal;
        IF fresh IS NULL THEN
            EXECUTE format('DELETE FROM %s WHERE %s', summary_table, key_matches) USING deal;
        ELSE
            EXECUTE format('UPDATE %s SET %I = $2 WHERE %s', summary_table, col[4], key_matches)
                USING deal, fresh;
        END IF;
    END LOOP;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.maintain_deal_summary() IS
'trigger function AFTER INSERT OR UPDATE OR DELETE ON deals FOR EACH ROW: keeps a table of daily deal summaries current; arguments: summary table, its day, rep and summary columns, then the deals'' day, rep, won, amount and close date columns';
