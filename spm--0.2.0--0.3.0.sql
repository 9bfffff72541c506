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

-- 0.3.0: the forecast area, forecast accuracy (forecast.c)

CREATE TYPE @extschema@.accuracy_summary;

CREATE FUNCTION @extschema@.accuracy_summary_in(cstring)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_in(cstring) IS
'text input of accuracy_summary: (periods=<n>,zero_actuals=<n>,forecast=<sum>,actual=<sum>,abs_error=<sum>,abs_actual=<sum>,ape=<sum>)';

CREATE FUNCTION @extschema@.accuracy_summary_out(@extschema@.accuracy_summary)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_out(@extschema@.accuracy_summary) IS
'text output of accuracy_summary: every count and exact sum, named';

CREATE FUNCTION @extschema@.accuracy_summary_recv(internal)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_recv(internal) IS
'binary input of accuracy_summary (version byte, the counts, then the sums as numerics)';

CREATE FUNCTION @extschema@.accuracy_summary_send(@extschema@.accuracy_summary)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_send(@extschema@.accuracy_summary) IS
'binary output of accuracy_summary';

CREATE TYPE @extschema@.accuracy_summary (
    INPUT = @extschema@.accuracy_summary_in,
    OUTPUT = @extschema@.accuracy_summary_out,
    RECEIVE = @extschema@.accuracy_summary_recv,
    SEND = @extschema@.accuracy_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.accuracy_summary IS
'forecast accuracy of a group of periods: periods and zero actuals counted, exact sums of forecast, actual, |forecast - actual|, |actual| and the percentage errors (20 decimals each); store it, roll it up with spm.rollup';

CREATE FUNCTION @extschema@.accuracy_summary_accum(state @extschema@.accuracy_summary, forecast numeric, actual numeric)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_accum(@extschema@.accuracy_summary, numeric, numeric) IS
'transition function of accuracy_summary, wape, mape, bias and tracking_signal: adds one period (rows with a NULL forecast or actual are skipped)';

CREATE FUNCTION @extschema@.accuracy_summary_accum_inv(state @extschema@.accuracy_summary, forecast numeric, actual numeric)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_accum_inv(@extschema@.accuracy_summary, numeric, numeric) IS
'inverse transition function of accuracy_summary, wape, mape, bias and tracking_signal: removes a period that leaves a moving window';

CREATE FUNCTION @extschema@.accuracy_summary_merge(@extschema@.accuracy_summary, @extschema@.accuracy_summary)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_merge(@extschema@.accuracy_summary, @extschema@.accuracy_summary) IS
'adds two accuracy summaries field by field: the combine function of accuracy_summary, wape, mape, bias and tracking_signal, and the transition function of rollup';

CREATE FUNCTION @extschema@.accuracy_summary_unmerge(@extschema@.accuracy_summary, @extschema@.accuracy_summary)
RETURNS @extschema@.accuracy_summary
AS 'MODULE_PATHNAME', 'spm_accuracy_summary_unmerge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.accuracy_summary_unmerge(@extschema@.accuracy_summary, @extschema@.accuracy_summary) IS
'subtracts an accuracy summary that was added: the inverse transition function of rollup';

-- accessors

CREATE FUNCTION @extschema@.period_count(summary @extschema@.accuracy_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_accuracy_period_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.period_count(@extschema@.accuracy_summary) IS
'periods counted: rows with both a forecast and an actual';

CREATE FUNCTION @extschema@.zero_actual_count(summary @extschema@.accuracy_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_accuracy_zero_actual_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.zero_actual_count(@extschema@.accuracy_summary) IS
'periods whose actual is zero: counted everywhere but in the MAPE, which they have no percentage error for';

CREATE FUNCTION @extschema@.forecast_sum(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_forecast_sum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.forecast_sum(@extschema@.accuracy_summary) IS
'exact sum of the forecasts';

CREATE FUNCTION @extschema@.actual_sum(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_actual_sum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.actual_sum(@extschema@.accuracy_summary) IS
'exact sum of the actuals';

CREATE FUNCTION @extschema@.wape(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_wape' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.wape(@extschema@.accuracy_summary) IS
'weighted absolute percentage error sum |forecast - actual| / sum |actual| as a fraction, rounded half away from zero to 20 decimals; NULL when every actual is zero';

CREATE FUNCTION @extschema@.mape(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_mape' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mape(@extschema@.accuracy_summary) IS
'mean absolute percentage error as a fraction: the mean of |forecast - actual| / |actual| over the periods whose actual is not zero (each rounded half away from zero to 20 decimals, then the mean rounded so); zero actuals are left out and counted by zero_actual_count; NULL when every actual is zero';

CREATE FUNCTION @extschema@.mad(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_mad' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.mad(@extschema@.accuracy_summary) IS
'mean absolute deviation (MAE): sum |forecast - actual| / periods, rounded half away from zero to 20 decimals; NULL without periods';

CREATE FUNCTION @extschema@.bias(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_bias' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bias(@extschema@.accuracy_summary) IS
'mean error sum (forecast - actual) / periods, in the amounts'' unit: positive when the forecast ran high; rounded half away from zero to 20 decimals; NULL without periods';

CREATE FUNCTION @extschema@.relative_bias(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_relative_bias' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.relative_bias(@extschema@.accuracy_summary) IS
'sum (forecast - actual) / sum |actual| as a fraction, the signed counterpart of wape (|relative_bias| <= wape): positive when the forecast ran high; rounded half away from zero to 20 decimals; NULL when every actual is zero';

CREATE FUNCTION @extschema@.tracking_signal(summary @extschema@.accuracy_summary) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_accuracy_tracking_signal' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tracking_signal(@extschema@.accuracy_summary) IS
'tracking signal sum (forecast - actual) / mad, between -periods and periods: positive when the forecast ran high (the opposite sign of textbooks that sum actual - forecast); beyond +-4 is a biased forecast; rounded half away from zero to 20 decimals; NULL when every forecast was exact';

-- aggregates

CREATE AGGREGATE @extschema@.accuracy_summary(forecast numeric, actual numeric) (
    SFUNC = @extschema@.accuracy_summary_accum,
    STYPE = @extschema@.accuracy_summary,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_accum,
    MINVFUNC = @extschema@.accuracy_summary_accum_inv,
    MSTYPE = @extschema@.accuracy_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.accuracy_summary(numeric, numeric) IS
'the forecast accuracy summary of a group of periods, one row per period (rows with a NULL forecast or actual skipped); read it with wape, mape, bias, tracking_signal, ...; parallel, moving windows';

CREATE AGGREGATE @extschema@.rollup(@extschema@.accuracy_summary) (
    SFUNC = @extschema@.accuracy_summary_merge,
    STYPE = @extschema@.accuracy_summary,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_merge,
    MINVFUNC = @extschema@.accuracy_summary_unmerge,
    MSTYPE = @extschema@.accuracy_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.accuracy_summary) IS
'adds stored accuracy summaries exactly (NULLs ignored): monthly rows of reps roll up to teams, years or rolling windows; parallel, moving windows';

CREATE AGGREGATE @extschema@.wape(forecast numeric, actual numeric) (
    SFUNC = @extschema@.accuracy_summary_accum,
    STYPE = @extschema@.accuracy_summary,
    FINALFUNC = @extschema@.wape,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_accum,
    MINVFUNC = @extschema@.accuracy_summary_accum_inv,
    MSTYPE = @extschema@.accuracy_summary,
    MFINALFUNC = @extschema@.wape,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.wape(numeric, numeric) IS
'weighted absolute percentage error sum |forecast - actual| / sum |actual|, 20 decimals; NULL when every actual is zero; parallel, moving windows';

CREATE AGGREGATE @extschema@.mape(forecast numeric, actual numeric) (
    SFUNC = @extschema@.accuracy_summary_accum,
    STYPE = @extschema@.accuracy_summary,
    FINALFUNC = @extschema@.mape,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_accum,
    MINVFUNC = @extschema@.accuracy_summary_accum_inv,
    MSTYPE = @extschema@.accuracy_summary,
    MFINALFUNC = @extschema@.mape,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.mape(numeric, numeric) IS
'mean absolute percentage error over the periods whose actual is not zero (zero actuals left out), 20 decimals; NULL when every actual is zero; parallel, moving windows';

CREATE AGGREGATE @extschema@.bias(forecast numeric, actual numeric) (
    SFUNC = @extschema@.accuracy_summary_accum,
    STYPE = @extschema@.accuracy_summary,
    FINALFUNC = @extschema@.bias,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_accum,
    MINVFUNC = @extschema@.accuracy_summary_accum_inv,
    MSTYPE = @extschema@.accuracy_summary,
    MFINALFUNC = @extschema@.bias,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.bias(numeric, numeric) IS
'mean error sum (forecast - actual) / periods: positive when the forecast ran high, 20 decimals; parallel, moving windows';

CREATE AGGREGATE @extschema@.tracking_signal(forecast numeric, actual numeric) (
    SFUNC = @extschema@.accuracy_summary_accum,
    STYPE = @extschema@.accuracy_summary,
    FINALFUNC = @extschema@.tracking_signal,
    COMBINEFUNC = @extschema@.accuracy_summary_merge,
    MSFUNC = @extschema@.accuracy_summary_accum,
    MINVFUNC = @extschema@.accuracy_summary_accum_inv,
    MSTYPE = @extschema@.accuracy_summary,
    MFINALFUNC = @extschema@.tracking_signal,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.tracking_signal(numeric, numeric) IS
'tracking signal sum (forecast - actual) / mean absolute deviation: positive when the forecast ran high, beyond +-4 a biased forecast; 20 decimals; NULL when every forecast was exact; parallel, moving windows';

-- 0.3.0: the forecast area, time to close (survival.c)

-- Time to close (survival): spm.cycle_summary, counts per distinct duration of closed deals
-- (events) and open ones (censored at their age), exact and mergeable, and the Kaplan-Meier
-- accessors over it.

CREATE TYPE @extschema@.cycle_summary;

CREATE FUNCTION @extschema@.cycle_summary_in(cstring)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_in(cstring) IS
'text input of cycle_summary: {day:closed/open,...} with increasing days from 0 to 100000, e.g. {0:1/0,12:3/2}; {} is empty';

CREATE FUNCTION @extschema@.cycle_summary_out(@extschema@.cycle_summary)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_cycle_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_out(@extschema@.cycle_summary) IS
'text output of cycle_summary: {day:closed/open,...}, one entry per distinct duration, increasing';

CREATE FUNCTION @extschema@.cycle_summary_recv(internal)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_recv(internal) IS
'binary input of cycle_summary (version byte, the number of days, then day int4, closed int8, open int8 for each)';

CREATE FUNCTION @extschema@.cycle_summary_send(@extschema@.cycle_summary)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_cycle_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_send(@extschema@.cycle_summary) IS
'binary output of cycle_summary';

CREATE TYPE @extschema@.cycle_summary (
    INPUT = @extschema@.cycle_summary_in,
    OUTPUT = @extschema@.cycle_summary_out,
    RECEIVE = @extschema@.cycle_summary_recv,
    SEND = @extschema@.cycle_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.cycle_summary IS
'sales cycles of a group of deals: per distinct duration in days, how many deals closed after exactly that long and how many were open at that age (censored); exact counts; store it, roll it up with spm.rollup, read the Kaplan-Meier estimate with spm.survival, spm.cycle_quantile, spm.close_within';

CREATE FUNCTION @extschema@.cycle_summary_accum(state @extschema@.cycle_summary, days integer, closed boolean)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_accum(@extschema@.cycle_summary, integer, boolean) IS
'transition function of cycle_summary: adds one deal (rows with NULL days or closed are skipped)';

CREATE FUNCTION @extschema@.cycle_summary_accum_inv(state @extschema@.cycle_summary, days integer, closed boolean)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_accum_inv(@extschema@.cycle_summary, integer, boolean) IS
'inverse transition function of cycle_summary: removes a deal that leaves a moving window';

CREATE FUNCTION @extschema@.cycle_summary_merge(@extschema@.cycle_summary, @extschema@.cycle_summary)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_merge(@extschema@.cycle_summary, @extschema@.cycle_summary) IS
'adds two cycle summaries day by day: the combine function of cycle_summary and the transition function of rollup';

CREATE FUNCTION @extschema@.cycle_summary_unmerge(@extschema@.cycle_summary, @extschema@.cycle_summary)
RETURNS @extschema@.cycle_summary
AS 'MODULE_PATHNAME', 'spm_cycle_summary_unmerge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_summary_unmerge(@extschema@.cycle_summary, @extschema@.cycle_summary) IS
'subtracts a cycle summary that was added: the inverse transition function of rollup';

-- accessors

CREATE FUNCTION @extschema@.closed_count(summary @extschema@.cycle_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_cycle_closed_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.closed_count(@extschema@.cycle_summary) IS
'deals of the cycle summary that closed (the events)';

CREATE FUNCTION @extschema@.open_count(summary @extschema@.cycle_summary) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_cycle_open_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.open_count(@extschema@.cycle_summary) IS
'deals of the cycle summary that were still open at their age (censored)';

CREATE FUNCTION @extschema@.survival(summary @extschema@.cycle_summary, t integer) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_survival' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.survival(@extschema@.cycle_summary, integer) IS
'Kaplan-Meier estimate S(t) of the share of deals still open after t days (events before censorings at a tie), 20 decimals; NULL past the largest duration when that one is censored, or without deals';

CREATE FUNCTION @extschema@.survival_lower(summary @extschema@.cycle_summary, t integer, confidence numeric DEFAULT 0.95) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_survival_lower' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.survival_lower(@extschema@.cycle_summary, integer, numeric) IS
'lower bound of the pointwise confidence band of S(t): Greenwood''s variance, log-log transformed (S ^ exp(z sigma)), 20 decimals';

CREATE FUNCTION @extschema@.survival_upper(summary @extschema@.cycle_summary, t integer, confidence numeric DEFAULT 0.95) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_survival_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.survival_upper(@extschema@.cycle_summary, integer, numeric) IS
'upper bound of the pointwise confidence band of S(t): Greenwood''s variance, log-log transformed (S ^ exp(-z sigma)), 20 decimals';

CREATE FUNCTION @extschema@.cycle_quantile(summary @extschema@.cycle_summary, p numeric) RETURNS integer
AS 'MODULE_PATHNAME', 'spm_cycle_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cycle_quantile(@extschema@.cycle_summary, numeric) IS
'the p-quantile of the sales cycle: the smallest t with S(t) <= 1 - p (the median for p = 0.5), in days; NULL when the estimate never falls that low';

CREATE FUNCTION @extschema@.close_within(summary @extschema@.cycle_summary, age integer, days integer) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_close_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.close_within(@extschema@.cycle_summary, integer, integer) IS
'the probability that a deal open at an age of age days closes within the next days days: 1 - S(age + days) / S(age), 20 decimals; NULL when S(age) is 0 or S(age + days) is not defined';

-- aggregates

CREATE AGGREGATE @extschema@.cycle_summary(days integer, closed boolean) (
    SFUNC = @extschema@.cycle_summary_accum,
    STYPE = @extschema@.cycle_summary,
    COMBINEFUNC = @extschema@.cycle_summary_merge,
    MSFUNC = @extschema@.cycle_summary_accum,
    MINVFUNC = @extschema@.cycle_summary_accum_inv,
    MSTYPE = @extschema@.cycle_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.cycle_summary(integer, boolean) IS
'the sales cycles of a group of deals, one row per deal: days = close - created when closed, as-of date - created when open (censored); rows with NULL days or closed skipped; parallel, moving windows';

CREATE AGGREGATE @extschema@.rollup(@extschema@.cycle_summary) (
    SFUNC = @extschema@.cycle_summary_merge,
    STYPE = @extschema@.cycle_summary,
    COMBINEFUNC = @extschema@.cycle_summary_merge,
    MSFUNC = @extschema@.cycle_summary_merge,
    MINVFUNC = @extschema@.cycle_summary_unmerge,
    MSTYPE = @extschema@.cycle_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.cycle_summary) IS
'adds stored cycle summaries exactly (NULLs ignored): the summary of a union is the rollup of the summaries; parallel, moving windows';

-- 0.3.0: pipeline movement, the waterfall between two snapshots (movement.c)
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

-- The range of the forecast: spm.bookings_range, the exact moments of the total of open
-- deals (amount, probability) and, while small enough, their list for the exact
-- distribution of the total; a normal approximation beyond (spm.range_method says which).

CREATE TYPE @extschema@.bookings_range;

CREATE FUNCTION @extschema@.bookings_range_in(cstring)
RETURNS @extschema@.bookings_range
AS 'MODULE_PATHNAME', 'spm_bookings_range_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_in(cstring) IS
'text input of bookings_range: (resolution=1,deals=2,mean=...,variance=...,exact={amount@probability,...}) or exact=no past the exact bound';

CREATE FUNCTION @extschema@.bookings_range_out(@extschema@.bookings_range)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_bookings_range_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_out(@extschema@.bookings_range) IS
'text output of bookings_range: resolution, deals, exact mean and variance, and the deals of a positive amount (sorted) while exact';

CREATE FUNCTION @extschema@.bookings_range_recv(internal)
RETURNS @extschema@.bookings_range
AS 'MODULE_PATHNAME', 'spm_bookings_range_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_recv(internal) IS
'binary input of bookings_range (version byte, scale int2, exact byte, deals int8, two 256-bit moments, the deals)';

CREATE FUNCTION @extschema@.bookings_range_send(@extschema@.bookings_range)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_bookings_range_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_send(@extschema@.bookings_range) IS
'binary output of bookings_range';

CREATE TYPE @extschema@.bookings_range (
    INPUT = @extschema@.bookings_range_in,
    OUTPUT = @extschema@.bookings_range_out,
    RECEIVE = @extschema@.bookings_range_recv,
    SEND = @extschema@.bookings_range_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.bookings_range IS
'the range of the forecast of a group of open deals: exact expected bookings and variance, and the deals themselves while the exact distribution of the total is tractable; read it with spm.expected_bookings, spm.bookings_variance, spm.bookings_quantile, spm.probability_of_reaching, spm.range_method';

CREATE FUNCTION @extschema@.bookings_range_accum(state @extschema@.bookings_range, amount numeric, probability numeric)
RETURNS @extschema@.bookings_range
AS 'MODULE_PATHNAME', 'spm_bookings_range_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_accum(@extschema@.bookings_range, numeric, numeric) IS
'transition function of forecast_range at resolution 1: adds one open deal (rows with a NULL argument are skipped)';

CREATE FUNCTION @extschema@.bookings_range_accum(state @extschema@.bookings_range, amount numeric, probability numeric, resolution numeric)
RETURNS @extschema@.bookings_range
AS 'MODULE_PATHNAME', 'spm_bookings_range_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_accum(@extschema@.bookings_range, numeric, numeric, numeric) IS
'transition function of forecast_range: adds one open deal counted at the resolution (rows with a NULL argument are skipped)';

CREATE FUNCTION @extschema@.bookings_range_merge(@extschema@.bookings_range, @extschema@.bookings_range)
RETURNS @extschema@.bookings_range
AS 'MODULE_PATHNAME', 'spm_bookings_range_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_range_merge(@extschema@.bookings_range, @extschema@.bookings_range) IS
'adds two bookings ranges (moments exactly; the deals while the union stays within the exact bound): the combine function of forecast_range';

CREATE FUNCTION @extschema@.expected_bookings(summary @extschema@.bookings_range) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_expected_bookings' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.expected_bookings(@extschema@.bookings_range) IS
'expected bookings sum amount * probability, exact (trailing zeros dropped)';

CREATE FUNCTION @extschema@.bookings_variance(summary @extschema@.bookings_range) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_bookings_variance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_variance(@extschema@.bookings_range) IS
'variance of the bookings sum amount^2 * probability * (1 - probability) (independent deals), exact (trailing zeros dropped)';

CREATE FUNCTION @extschema@.bookings_quantile(summary @extschema@.bookings_range, q numeric) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_bookings_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.bookings_quantile(@extschema@.bookings_range, numeric) IS
'the q-quantile of the bookings (P10 for q = 0.1): the smallest total t, a multiple of the resolution, with P(total <= t) >= q; exact or normal per spm.range_method';

CREATE FUNCTION @extschema@.probability_of_reaching(summary @extschema@.bookings_range, target numeric) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_probability_of_reaching' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.probability_of_reaching(@extschema@.bookings_range, numeric) IS
'P(total bookings >= target), 20 decimals; exact or normal per spm.range_method';

CREATE FUNCTION @extschema@.range_method(summary @extschema@.bookings_range) RETURNS text
AS 'MODULE_PATHNAME', 'spm_range_method' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.range_method(@extschema@.bookings_range) IS
'how the quantiles and probabilities of a bookings range are computed: exact (the distribution of the total) or normal (an approximation past the exact bound)';

CREATE AGGREGATE @extschema@.forecast_range(amount numeric, probability numeric) (
    SFUNC = @extschema@.bookings_range_accum,
    STYPE = @extschema@.bookings_range,
    COMBINEFUNC = @extschema@.bookings_range_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.forecast_range(numeric, numeric) IS
'the range of the forecast of open deals (amount in whole currency units, probability 0 to 1, independent): a bookings_range; rows with a NULL skipped; parallel';

CREATE AGGREGATE @extschema@.forecast_range(amount numeric, probability numeric, resolution numeric) (
    SFUNC = @extschema@.bookings_range_accum,
    STYPE = @extschema@.bookings_range,
    COMBINEFUNC = @extschema@.bookings_range_merge,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.forecast_range(numeric, numeric, numeric) IS
'the range of the forecast of open deals (amounts whole multiples of resolution, a power of ten; probability 0 to 1, independent): a bookings_range; rows with a NULL skipped; parallel';

-- Stage probabilities from history: spm.stage_summary, per stage the closed deals whose
-- furthest stage it is, won and lost (stages 1 to 20 in funnel order), exact and mergeable;
-- the probability that a deal that reached stage s ends won, raw, smoothed toward the
-- overall win rate, and its Wilson bounds.

CREATE TYPE @extschema@.stage_summary;

CREATE FUNCTION @extschema@.stage_summary_in(cstring)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_in(cstring) IS
'text input of stage_summary: (won_1=<n>,lost_1=<n>,...,won_20=<n>,lost_20=<n>), every stage, counts not negative';

CREATE FUNCTION @extschema@.stage_summary_out(@extschema@.stage_summary)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_stage_summary_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_out(@extschema@.stage_summary) IS
'text output of stage_summary: the won and lost counts of stages 1 to 20, named';

CREATE FUNCTION @extschema@.stage_summary_recv(internal)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_recv(internal) IS
'binary input of stage_summary (version byte, then the 40 counts; lengths and signs checked)';

CREATE FUNCTION @extschema@.stage_summary_send(@extschema@.stage_summary)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_stage_summary_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_send(@extschema@.stage_summary) IS
'binary output of stage_summary';

CREATE TYPE @extschema@.stage_summary (
    INPUT = @extschema@.stage_summary_in,
    OUTPUT = @extschema@.stage_summary_out,
    RECEIVE = @extschema@.stage_summary_recv,
    SEND = @extschema@.stage_summary_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.stage_summary IS
'closed deals by the furthest stage each reached (1 to 20), won and lost counted exactly; store it, roll it up with spm.rollup, read it with stage_win_probability';

CREATE FUNCTION @extschema@.stage_summary_accum(state @extschema@.stage_summary, furthest_stage integer, won boolean)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_accum(@extschema@.stage_summary, integer, boolean) IS
'transition function of stage_summary: counts one closed deal at its furthest stage (rows with a NULL stage or outcome are skipped)';

CREATE FUNCTION @extschema@.stage_summary_accum_inv(state @extschema@.stage_summary, furthest_stage integer, won boolean)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_accum_inv(@extschema@.stage_summary, integer, boolean) IS
'inverse transition function of stage_summary: removes a deal that leaves a moving window';

CREATE FUNCTION @extschema@.stage_summary_merge(@extschema@.stage_summary, @extschema@.stage_summary)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_merge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_merge(@extschema@.stage_summary, @extschema@.stage_summary) IS
'adds two stage summaries stage by stage: the combine function of stage_summary and the transition function of rollup';

CREATE FUNCTION @extschema@.stage_summary_unmerge(@extschema@.stage_summary, @extschema@.stage_summary)
RETURNS @extschema@.stage_summary
AS 'MODULE_PATHNAME', 'spm_stage_summary_unmerge'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_summary_unmerge(@extschema@.stage_summary, @extschema@.stage_summary) IS
'subtracts a stage summary that was added: the inverse transition function of rollup';

-- accessors

CREATE FUNCTION @extschema@.stage_reached_count(summary @extschema@.stage_summary, stage integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_stage_reached_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_reached_count(@extschema@.stage_summary, integer) IS
'closed deals that reached the stage (furthest stage >= stage, 1 to 20)';

CREATE FUNCTION @extschema@.stage_won_count(summary @extschema@.stage_summary, stage integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'spm_stage_won_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_won_count(@extschema@.stage_summary, integer) IS
'won deals among those that reached the stage (furthest stage >= stage, 1 to 20)';

CREATE FUNCTION @extschema@.stage_win_probability(summary @extschema@.stage_summary, stage integer) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_stage_win_probability' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_win_probability(@extschema@.stage_summary, integer) IS
'the historical probability that a deal at the stage ends won: won / closed among the deals that reached it, rounded half away from zero to 20 decimals; NULL when none reached it';

CREATE FUNCTION @extschema@.stage_win_probability(summary @extschema@.stage_summary, stage integer, prior_weight numeric) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_stage_win_probability_smoothed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.stage_win_probability(@extschema@.stage_summary, integer, numeric) IS
'the stage''s win probability smoothed toward the overall win rate p0 (won / closed of all deals) with prior_weight pseudo-deals w >= 0: (won_s + w p0) / (n_s + w), computed exactly and rounded half away from zero to 20 decimals; NULL without deals';

CREATE FUNCTION @extschema@.stage_win_lower(summary @extschema@.stage_summary, stage integer, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_lower(@extschema@.stage_won_count(summary, stage), @extschema@.stage_reached_count(summary, stage), confidence) $$;
COMMENT ON FUNCTION @extschema@.stage_win_lower(@extschema@.stage_summary, integer, numeric) IS
'Wilson score lower bound of the stage''s win probability (won and closed among the deals that reached it) at the two-sided confidence, 20 decimals; NULL when none reached it';

CREATE FUNCTION @extschema@.stage_win_upper(summary @extschema@.stage_summary, stage integer, confidence numeric DEFAULT 0.95)
RETURNS numeric
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT @extschema@.wilson_upper(@extschema@.stage_won_count(summary, stage), @extschema@.stage_reached_count(summary, stage), confidence) $$;
COMMENT ON FUNCTION @extschema@.stage_win_upper(@extschema@.stage_summary, integer, numeric) IS
'Wilson score upper bound of the stage''s win probability (won and closed among the deals that reached it) at the two-sided confidence, 20 decimals; NULL when none reached it';

-- aggregates

CREATE AGGREGATE @extschema@.stage_summary(furthest_stage integer, won boolean) (
    SFUNC = @extschema@.stage_summary_accum,
    STYPE = @extschema@.stage_summary,
    COMBINEFUNC = @extschema@.stage_summary_merge,
    MSFUNC = @extschema@.stage_summary_accum,
    MINVFUNC = @extschema@.stage_summary_accum_inv,
    MSTYPE = @extschema@.stage_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.stage_summary(integer, boolean) IS
'the stage summary of closed deals, one row per deal: its furthest stage reached (1 to 20) and whether it was won (rows with a NULL skipped); parallel, moving windows';

CREATE AGGREGATE @extschema@.rollup(@extschema@.stage_summary) (
    SFUNC = @extschema@.stage_summary_merge,
    STYPE = @extschema@.stage_summary,
    COMBINEFUNC = @extschema@.stage_summary_merge,
    MSFUNC = @extschema@.stage_summary_merge,
    MINVFUNC = @extschema@.stage_summary_unmerge,
    MSTYPE = @extschema@.stage_summary,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.stage_summary) IS
'adds stored stage summaries exactly (NULLs ignored): periods and segments roll up; parallel, moving windows';

-- 0.3.0: payout statements (statement line kinds, adjustments after a restatement)
CREATE FUNCTION @extschema@.statement_order(kind text)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_statement_order'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.statement_order(text) IS
'the section a payout statement prints a line kind in: 1 commission, 2 tier_bonus, 3 spiff, 4 adjustment, 5 draw_advance, 6 draw_recovery; any other kind is an error';

CREATE FUNCTION @extschema@.adjustment_line(restated numeric, paid numeric, scale integer DEFAULT 2,
                                            rounding text DEFAULT 'half_up')
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_adjustment_line'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adjustment_line(numeric, numeric, integer, text) IS
'window function over a restated statement''s lines (PARTITION BY statement ORDER BY line): this line rounded as spm.round_line less what was paid on it, so that paid plus adjustments is the restated statement to the unit, line by line and in total; a NULL line or paid counts as 0; paid must be whole units of 10^-scale';
-- ---------------------------------------------------------------- effective dating: plan changes mid-period

CREATE FUNCTION @extschema@.prorate_schedule(schedule @extschema@.tier_schedule, period daterange, active daterange,
                                             scale integer DEFAULT 2)
RETURNS @extschema@.tier_schedule
AS 'MODULE_PATHNAME', 'spm_prorate_schedule'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_schedule(@extschema@.tier_schedule, daterange, daterange, integer) IS
'the schedule for the days of active within period: amount thresholds and an amount cap times active days / period days, each rounded half away from zero to scale decimals as prorate_days; rates, bonuses and relative thresholds and caps (% of quota, x target: prorate the quota) unchanged';

CREATE FUNCTION @extschema@.effective_deal_commission(amount numeric, close_date date, valid daterange,
                                                      schedule @extschema@.tier_schedule, rule text)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_effective_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.effective_deal_commission(numeric, date, daterange, @extschema@.tier_schedule, text) IS
'window function over a rep''s deals in close date order whose plan may change: each deal paid by the plan of its assignment (valid @> close_date) on the credit through it less that before it, the credit counted over the partition (rule continue) or from the start of the deal''s assignment (rule restart); overlapping assignments are 23P01';

CREATE FUNCTION @extschema@.effective_deal_commission(amount numeric, close_date date, valid daterange,
                                                      schedule @extschema@.tier_schedule, quota numeric, rule text)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_effective_deal_commission'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.effective_deal_commission(numeric, date, daterange, @extschema@.tier_schedule, numeric, text) IS
'window function over a rep''s deals in close date order whose plan and quota may change: each deal paid by the plan and quota of its assignment on the credit through it less that before it, counted over the partition (continue) or from the assignment''s start (restart)';
-- 0.3.0: input checks that report instead of abort (src/checks.sql)
CREATE TYPE @extschema@.input_problem AS (
    check_name text,    -- the check that found it: split_shares, duplicate_keys, ...
    code       text,    -- what is wrong, one of the check's documented codes
    key        text,    -- the offending row's key, as text
    message    text     -- what is wrong and what to fix
);
COMMENT ON TYPE @extschema@.input_problem IS
'one problem found by an spm input check: the check''s name, a problem code, the offending row''s key (as text) and a message that says what to fix';

CREATE FUNCTION @extschema@.input_column(relation regclass, column_name text, argument text, kind text DEFAULT 'any')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  typ oid;
  ok boolean;
BEGIN
  IF relation IS NULL OR argument IS NULL OR kind IS NULL THEN
    RAISE EXCEPTION 'a table is needed'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass the table or view to check as a regclass, e.g. ''public.deals''.';
  END IF;
  IF column_name IS NULL THEN
    RAISE EXCEPTION 'argument % is NULL', argument
      USING ERRCODE = 'null_value_not_allowed',
            HINT = pg_catalog.format('Pass %s => the name of a column of %s.', argument, relation);
  END IF;
  SELECT coalesce(NULLIF(t.typbasetype, 0), a.atttypid) INTO typ
  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid
  WHERE a.attrelid OPERATOR(pg_catalog.=) relation AND a.attname OPERATOR(pg_catalog.=) column_name
    AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped;
  IF typ IS NULL THEN
    RAISE EXCEPTION 'column "%" of % does not exist', column_name, relation
      USING ERRCODE = 'undefined_column',
            DETAIL = pg_catalog.format('%s => %L names no column of %s.', argument, column_name, relation),
            HINT = pg_catalog.format('Pass %s => the name of a column of %s (names are case-sensitive), or a view with a column of that name.', argument, relation);
  END IF;
  ok := CASE kind
          WHEN 'any' THEN true
          WHEN 'exact number' THEN typ OPERATOR(pg_catalog.=) ANY ('{int2,int4,int8,numeric}'::pg_catalog.regtype[])
          WHEN 'date or time' THEN typ OPERATOR(pg_catalog.=) ANY ('{date,timestamp,timestamptz}'::pg_catalog.regtype[])
          WHEN 'boolean' THEN typ OPERATOR(pg_catalog.=) 'bool'::pg_catalog.regtype
          WHEN 'range' THEN EXISTS (SELECT FROM pg_catalog.pg_range r WHERE r.rngtypid OPERATOR(pg_catalog.=) typ)
        END;
  IF ok IS NULL THEN
    RAISE EXCEPTION 'unknown column kind "%"', kind
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Pass kind => ''any'', ''exact number'', ''date or time'', ''boolean'' or ''range''.';
  END IF;
  IF NOT ok THEN
    RAISE EXCEPTION 'column "%" of % is not of type %', column_name, relation,
                    CASE kind WHEN 'exact number' THEN 'numeric or integer'
                              WHEN 'date or time' THEN 'date, timestamp or timestamptz'
                              ELSE kind END
      USING ERRCODE = 'datatype_mismatch',
            DETAIL = pg_catalog.format('%s => %L is of type %s.', argument, column_name, pg_catalog.format_type(typ, NULL)),
            HINT = CASE kind
                     WHEN 'exact number' THEN 'Money and shares are checked exactly: store them as numeric, or pass a view that casts the column to numeric.'
                     WHEN 'range' THEN 'Pass a range column (daterange, tstzrange), or a view with daterange(valid_from, valid_until) AS valid.'
                     WHEN 'boolean' THEN 'Pass a boolean column, or a view with e.g. stage = ''Won'' AS won.'
                     ELSE 'Pass a view that casts the column to date.' END;
  END IF;
  RETURN pg_catalog.quote_ident(column_name);
END $$;
COMMENT ON FUNCTION @extschema@.input_column(regclass, text, text, text) IS
'the quoted name of relation''s column column_name, checked to exist and to be of kind (''any'', ''exact number'', ''date or time'', ''boolean'', ''range''): undefined_column or datatype_mismatch naming argument otherwise; used by the input checks';

CREATE FUNCTION @extschema@.input_won(relation regclass, won_column text)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN won_column IS NULL THEN 'true'
              ELSE @extschema@.input_column(relation, won_column, 'won_column', 'boolean') END
$$;
COMMENT ON FUNCTION @extschema@.input_won(regclass, text) IS
'the condition of a won row: relation''s boolean won_column, quoted, or true when won_column is NULL (every row is won); used by the input checks';

CREATE FUNCTION @extschema@.input_comparable(relation regclass, column_name text, referenced regclass, referenced_column text)
RETURNS text
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  types text[];   -- as declared, for the casts and the message
  base oid[];     -- domains' base types, whose operator classes apply
  equals text;
BEGIN
  SELECT pg_catalog.array_agg(pg_catalog.format_type(a.atttypid, a.atttypmod) ORDER BY c.i),
         pg_catalog.array_agg(coalesce(NULLIF(t.typbasetype, 0), t.oid) ORDER BY c.i)
    INTO types, base
  FROM (VALUES (1, relation, column_name), (2, referenced, referenced_column)) c(i, r, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) c.r
                                AND a.attname OPERATOR(pg_catalog.=) c.n
  JOIN pg_catalog.pg_type t ON t.oid OPERATOR(pg_catalog.=) a.atttypid;
  -- two columns of one type compare as that type's default btree opclass has it (citext's
  -- 'Ann' is 'ann', as in its DISTINCT and GROUP BY); other pairs as pg_catalog's = resolves them
  SELECT pg_catalog.format('OPERATOR(%I.%s)', n.nspname, o.oprname) INTO equals
  FROM pg_catalog.pg_opclass c
  JOIN pg_catalog.pg_am m ON m.oid OPERATOR(pg_catalog.=) c.opcmethod
  JOIN pg_catalog.pg_amop p ON p.amopfamily OPERATOR(pg_catalog.=) c.opcfamily
                           AND p.amoplefttype OPERATOR(pg_catalog.=) c.opcintype
                           AND p.amoprighttype OPERATOR(pg_catalog.=) c.opcintype
                           AND p.amopstrategy OPERATOR(pg_catalog.=) 3
  JOIN pg_catalog.pg_operator o ON o.oid OPERATOR(pg_catalog.=) p.amopopr
  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
  WHERE m.amname OPERATOR(pg_catalog.=) 'btree' AND c.opcdefault
    AND c.opcintype OPERATOR(pg_catalog.=) base[1] AND base[1] OPERATOR(pg_catalog.=) base[2];
  equals := coalesce(equals, 'OPERATOR(pg_catalog.=)');
  EXECUTE pg_catalog.format('SELECT NULL::%s %s NULL::%s', types[1], equals, types[2]);
  RETURN equals;
EXCEPTION
  WHEN undefined_function THEN
    RAISE EXCEPTION 'column "%" of % and column "%" of % cannot be compared', column_name, relation,
                    referenced_column, referenced
      USING ERRCODE = 'datatype_mismatch',
            DETAIL = pg_catalog.format('They are of types %s and %s.', types[1], types[2]),
            HINT = 'Name them with the same type in both tables, or pass views that cast both columns to text.';
END $$;
COMMENT ON FUNCTION @extschema@.input_comparable(regclass, text, regclass, text) IS
'the equality operator, schema-qualified, that relation''s column_name and referenced''s referenced_column (both existing) compare with: their type''s default btree equality when both are of one type (citext''s, say), else pg_catalog''s =; datatype_mismatch if they do not compare; used by the input checks';

CREATE FUNCTION @extschema@.check_split_shares(splits regclass, deal_column text DEFAULT 'deal_id',
                                               share_column text DEFAULT 'share')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  deal text := @extschema@.input_column(splits, deal_column, 'deal_column');
  share text := @extschema@.input_column(splits, share_column, 'share_column', 'exact number');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'split_shares'::text,
           CASE WHEN missing OPERATOR(pg_catalog.>) 0 THEN 'share_missing'
                WHEN outside OPERATOR(pg_catalog.>) 0 THEN 'share_out_of_range'
                ELSE 'shares_not_one' END,
           deal::text,
           CASE WHEN missing OPERATOR(pg_catalog.>) 0
                THEN pg_catalog.format('deal %%s has %%s without a share in %%s: fill in the shares', coalesce(deal::text, '(no key)'), CASE WHEN missing OPERATOR(pg_catalog.=) 1 THEN 'a split row' ELSE missing OPERATOR(pg_catalog.||) ' split rows' END, %3$L)
                WHEN outside OPERATOR(pg_catalog.>) 0
                THEN pg_catalog.format('deal %%s has %%s outside 0 to 1 in %%s: correct the shares so that each is a part of the deal', coalesce(deal::text, '(no key)'), CASE WHEN outside OPERATOR(pg_catalog.=) 1 THEN 'a share' ELSE outside OPERATOR(pg_catalog.||) ' shares' END, %3$L)
                ELSE pg_catalog.format('the shares of deal %%s sum to %%s, not 1, in %%s: correct them so that they sum to 1 (%%s %%s)',
                                       coalesce(deal::text, '(no key)'), pg_catalog.trim_scale(total), %3$L,
                                       CASE WHEN total OPERATOR(pg_catalog.<) 1 THEN 'add' ELSE 'remove' END,
                                       pg_catalog.trim_scale(pg_catalog.abs(1 OPERATOR(pg_catalog.-) total))) END
    FROM (SELECT %1$s AS deal, pg_catalog.sum(%2$s)::numeric AS total,
                 pg_catalog.count(*) FILTER (WHERE %2$s IS NULL) AS missing,
                 pg_catalog.count(*) FILTER (WHERE %2$s OPERATOR(pg_catalog.<) 0 OR %2$s OPERATOR(pg_catalog.>) 1) AS outside
          FROM %3$s GROUP BY %1$s) s
    WHERE missing OPERATOR(pg_catalog.>) 0 OR outside OPERATOR(pg_catalog.>) 0 OR total OPERATOR(pg_catalog.<>) 1
    ORDER BY deal$q$, deal, share, splits);
END $$;
COMMENT ON FUNCTION @extschema@.check_split_shares(regclass, text, text) IS
'one problem per deal whose split shares do not sum exactly to 1 (shares_not_one), have a NULL (share_missing) or one outside 0 to 1 (share_out_of_range); splits has one row per (deal, rep) with the rep''s share';

CREATE FUNCTION @extschema@.check_duplicate_keys(relation regclass, key_column text DEFAULT 'deal_id')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(relation, key_column, 'key_column');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'duplicate_keys'::text,
           CASE WHEN key IS NULL THEN 'key_missing' ELSE 'duplicate_key' END,
           key::text,
           CASE WHEN key IS NULL AND n OPERATOR(pg_catalog.=) 1
                THEN pg_catalog.format('a row of %%s has no %%s: give it its key', %2$L, %3$L)
                WHEN key IS NULL
                THEN pg_catalog.format('%%s rows of %%s have no %%s: give each its key', n, %2$L, %3$L)
                ELSE pg_catalog.format('%%s %%s appears in %%s rows of %%s: keep one row per key, or give the others keys of their own', %3$L, key, n, %2$L) END
    FROM (SELECT %1$s AS key, pg_catalog.count(*) AS n FROM %2$s GROUP BY %1$s) s
    WHERE n OPERATOR(pg_catalog.>) 1 OR key IS NULL
    ORDER BY key$q$, k, relation, key_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_duplicate_keys(regclass, text) IS
'one problem per key value that appears in more than one row of relation (duplicate_key), and one for the rows without a key (key_missing)';

CREATE FUNCTION @extschema@.check_close_before_create(deals regclass, key_column text DEFAULT 'deal_id',
                                                      created_column text DEFAULT 'created',
                                                      closed_column text DEFAULT 'close_date')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  created text := @extschema@.input_column(deals, created_column, 'created_column', 'date or time');
  closed text := @extschema@.input_column(deals, closed_column, 'closed_column', 'date or time');
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'close_before_create'::text, 'close_before_create'::text, %1$s::text,
           pg_catalog.format('deal %%s closes on %%s, before it was created on %%s: correct %%s or %%s',
                             coalesce(%1$s::text, '(no key)'), %3$s, %2$s, %5$L, %6$L)
    FROM %4$s
    WHERE %3$s OPERATOR(pg_catalog.<) %2$s
    ORDER BY %1$s$q$, k, created, closed, deals, created_column, closed_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_close_before_create(regclass, text, text, text) IS
'one problem per deal that closes before it was created (close_before_create); rows with either date NULL (open deals) are not checked';

CREATE FUNCTION @extschema@.check_won_amounts(deals regclass, key_column text DEFAULT 'deal_id',
                                              amount_column text DEFAULT 'amount', won_column text DEFAULT 'won')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  amount text := @extschema@.input_column(deals, amount_column, 'amount_column', 'exact number');
  won text := @extschema@.input_won(deals, won_column);
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'won_amounts'::text,
           CASE WHEN %2$s IS NULL THEN 'won_amount_missing'
                WHEN pg_catalog.abs(%2$s::numeric) OPERATOR(pg_catalog.>=) 'Infinity'::numeric THEN 'won_amount_not_finite'
                ELSE 'won_amount_not_positive' END,
           %1$s::text,
           CASE WHEN %2$s IS NULL
                THEN pg_catalog.format('won deal %%s has no %%s: fill in the amount it was won for', coalesce(%1$s::text, '(no key)'), %5$L)
                WHEN pg_catalog.abs(%2$s::numeric) OPERATOR(pg_catalog.>=) 'Infinity'::numeric
                THEN pg_catalog.format('won deal %%s has %%s %%s: a won deal books a finite amount; correct it',
                                       coalesce(%1$s::text, '(no key)'), %5$L, %2$s)
                ELSE pg_catalog.format('won deal %%s has %%s %%s: a won deal books a positive amount; correct it, or record a refund or clawback as its own line',
                                       coalesce(%1$s::text, '(no key)'), %5$L, pg_catalog.trim_scale(%2$s::numeric)) END
    FROM %4$s
    WHERE %3$s AND (%2$s IS NULL OR %2$s OPERATOR(pg_catalog.<=) 0 OR %2$s::numeric OPERATOR(pg_catalog.>=) 'Infinity'::numeric)
    ORDER BY %1$s$q$, k, amount, won, deals, amount_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_won_amounts(regclass, text, text, text) IS
'one problem per won deal whose amount is zero or negative (won_amount_not_positive), NaN or infinite (won_amount_not_finite) or NULL (won_amount_missing); won_column is boolean, NULL: every row is a won deal';

CREATE FUNCTION @extschema@.check_references(relation regclass, column_name text, referenced regclass,
                                             referenced_column text DEFAULT NULL, key_column text DEFAULT 'deal_id',
                                             allow_null boolean DEFAULT false)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(relation, key_column, 'key_column');
  col text := @extschema@.input_column(relation, column_name, 'column_name');
  ref text := @extschema@.input_column(referenced, coalesce(referenced_column, column_name), 'referenced_column');
  equals text;
BEGIN
  IF allow_null IS NULL THEN
    RAISE EXCEPTION 'argument allow_null is NULL'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass allow_null => true to accept rows without a reference, false to report them.';
  END IF;
  equals := @extschema@.input_comparable(relation, column_name, referenced, coalesce(referenced_column, column_name));
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'references'::text,
           CASE WHEN d.%2$s IS NULL THEN 'missing_' ELSE 'unknown_' END OPERATOR(pg_catalog.||) %6$L,
           d.%1$s::text,
           CASE WHEN d.%2$s IS NULL
                THEN pg_catalog.format('row %%s of %%s has no %%s: fill it in from %%s.%%s', coalesce(d.%1$s::text, '(no key)'), %4$L, %6$L, %5$L, %7$L)
                ELSE pg_catalog.format('row %%s of %%s has %%s %%L, which is not in %%s.%%s: correct its spelling, or add it to %%s',
                                       coalesce(d.%1$s::text, '(no key)'), %4$L, %6$L, d.%2$s, %5$L, %7$L, %5$L) END
    FROM %4$s d LEFT JOIN (SELECT DISTINCT %3$s AS v FROM %5$s) r ON r.v %9$s d.%2$s
    WHERE r.v IS NULL%8$s
    ORDER BY d.%1$s$q$, k, col, ref, relation, referenced, column_name,
    coalesce(referenced_column, column_name),
    CASE WHEN allow_null THEN pg_catalog.format(' AND d.%s IS NOT NULL', col) ELSE '' END, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_references(regclass, text, regclass, text, text, boolean) IS
'one problem per row of relation whose column_name is not a referenced_column (default: the same name) of referenced (code unknown_<column_name>) or is NULL (missing_<column_name>, unless allow_null); the row named by key_column';

CREATE FUNCTION @extschema@.check_credit_without_quota(credits regclass, quotas regclass,
                                                       rep_column text DEFAULT 'rep_id', quota_column text DEFAULT 'quota',
                                                       won_column text DEFAULT 'won', quota_rep_column text DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rep text := @extschema@.input_column(credits, rep_column, 'rep_column');
  won text := @extschema@.input_won(credits, won_column);
  quota_rep text := @extschema@.input_column(quotas, coalesce(quota_rep_column, rep_column), 'quota_rep_column');
  quota text := @extschema@.input_column(quotas, quota_column, 'quota_column', 'exact number');
  equals text := @extschema@.input_comparable(credits, rep_column, quotas, coalesce(quota_rep_column, rep_column));
BEGIN
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'credit_without_quota'::text,
           CASE WHEN q.positive IS NULL THEN 'credit_without_quota' ELSE 'quota_not_positive' END,
           c.rep::text,
           CASE WHEN q.positive IS NULL
                THEN pg_catalog.format('rep %%s is credited in %%s but has no quota in %%s: add the rep''s quota', c.rep, %5$L, %6$L)
                ELSE pg_catalog.format('rep %%s is credited in %%s but has no finite quota above zero in %%s: correct the rep''s quota (attainment divides by it)', c.rep, %5$L, %6$L) END
    FROM (SELECT DISTINCT %1$s AS rep FROM %5$s WHERE %2$s AND %1$s IS NOT NULL) c
    LEFT JOIN (SELECT %3$s AS rep, pg_catalog.bool_or(%4$s OPERATOR(pg_catalog.>) 0 AND %4$s::numeric OPERATOR(pg_catalog.<) 'Infinity'::numeric) AS positive
               FROM %6$s WHERE %4$s IS NOT NULL GROUP BY %3$s) q ON q.rep %7$s c.rep
    WHERE q.positive IS NOT TRUE
    ORDER BY c.rep$q$, rep, won, quota_rep, quota, credits, quotas, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_credit_without_quota(regclass, regclass, text, text, text, text) IS
'one problem per rep credited in credits (rows where won_column is true; NULL: every row) who has no quota in quotas (credit_without_quota) or none finite and above zero (quota_not_positive); for one period, pass views of that period';

CREATE FUNCTION @extschema@.check_overlapping_assignments(assignments regclass, rep_column text DEFAULT 'rep_id',
                                                          valid_column text DEFAULT 'valid')
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rep text := @extschema@.input_column(assignments, rep_column, 'rep_column');
  valid text := @extschema@.input_column(assignments, valid_column, 'valid_column', 'range');
BEGIN
  -- In the order of the ranges (by lower bound), a range overlaps an earlier one exactly when
  -- it overlaps the hull of all earlier ones: the earlier range reaching furthest contains
  -- everything from its lower bound, at most this one's, up to the hull's upper bound.
  -- Rows without a rep are no one's assignments: each is reported as such, and none overlaps.
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'overlapping_assignments'::text,
           CASE WHEN rep IS NULL THEN 'rep_missing' ELSE 'overlapping_assignment' END,
           CASE WHEN rep IS NULL THEN valid::text ELSE pg_catalog.format('%%s %%s', rep, valid) END,
           CASE WHEN rep IS NULL
                THEN pg_catalog.format('an assignment valid %%s in %%s has no %%s: fill in the rep it assigns',
                                       coalesce(valid::text, '(no range)'), %3$L, %4$L)
                ELSE pg_catalog.format('the assignment of rep %%s valid %%s overlaps an earlier assignment of the rep valid within %%s in %%s: end the earlier one before this one starts, or start this one later',
                                       rep, valid, earlier, %3$L) END
    FROM (SELECT rep, valid, earlier
          FROM (SELECT %1$s AS rep, %2$s AS valid,
                       pg_catalog.range_merge(pg_catalog.range_agg(%2$s) OVER (PARTITION BY %1$s ORDER BY %2$s
                                              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)) AS earlier
                FROM %3$s WHERE %1$s IS NOT NULL AND %2$s IS NOT NULL AND NOT pg_catalog.isempty(%2$s)) a
          WHERE valid OPERATOR(pg_catalog.&&) earlier
          UNION ALL
          SELECT NULL, %2$s, NULL FROM %3$s WHERE %1$s IS NULL) p
    ORDER BY rep, valid$q$, rep, valid, assignments, rep_column);
END $$;
COMMENT ON FUNCTION @extschema@.check_overlapping_assignments(regclass, text, text) IS
'one problem per plan assignment that overlaps an earlier one of the same rep (overlapping_assignment), earlier by the range order, and one per assignment without a rep (rep_missing); the key is the rep and the range (the range alone for rep_missing); valid_column is a range (daterange, tstzrange)';

CREATE FUNCTION @extschema@.check_list_prices(deals regclass, products regclass, threshold numeric,
                                              key_column text DEFAULT 'deal_id', product_column text DEFAULT 'product',
                                              price_column text DEFAULT 'amount', list_price_column text DEFAULT 'list_price',
                                              won_column text DEFAULT 'won', list_product_column text DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  k text := @extschema@.input_column(deals, key_column, 'key_column');
  product text := @extschema@.input_column(deals, product_column, 'product_column');
  price text := @extschema@.input_column(deals, price_column, 'price_column', 'exact number');
  won text := @extschema@.input_won(deals, won_column);
  list_product text := @extschema@.input_column(products, coalesce(list_product_column, product_column), 'list_product_column');
  list_price text := @extschema@.input_column(products, list_price_column, 'list_price_column', 'exact number');
  equals text;
BEGIN
  IF threshold IS NULL OR threshold OPERATOR(pg_catalog.<) 0 OR threshold OPERATOR(pg_catalog.=) 'NaN' OR threshold OPERATOR(pg_catalog.=) 'Infinity' THEN
    RAISE EXCEPTION 'threshold must be a fraction of the list price of 0 or more'
      USING ERRCODE = CASE WHEN threshold IS NULL THEN 'null_value_not_allowed' ELSE 'invalid_parameter_value' END,
            DETAIL = pg_catalog.format('threshold => %s.', coalesce(threshold::text, 'NULL')),
            HINT = 'Pass threshold => 0.25 to report prices more than 25% below or above the list price.';
  END IF;
  equals := @extschema@.input_comparable(deals, product_column, products, coalesce(list_product_column, product_column));
  -- a product listed twice has no one list price: check_duplicate_keys reports it, and its
  -- deals are left out here, as are deals of products not listed (check_references)
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT 'list_prices'::text,
           CASE WHEN NOT d.finite THEN 'price_not_finite'
                WHEN NOT l.finite THEN 'list_price_not_finite'
                WHEN d.price OPERATOR(pg_catalog.<) l.price THEN 'price_below_list' ELSE 'price_above_list' END,
           d.key::text,
           CASE WHEN NOT d.finite
                THEN pg_catalog.format('deal %%s sold %%s for %%s: a deal''s price is finite; correct it',
                                       coalesce(d.key::text, '(no key)'), d.product, d.price)
                WHEN NOT l.finite
                THEN pg_catalog.format('deal %%s sold %%s, whose list price is %%s in %%s: a list price is finite; correct it',
                                       coalesce(d.key::text, '(no key)'), d.product, l.price, %7$L)
                ELSE pg_catalog.format('deal %%s sold %%s for %%s, %%s%%%% %%s its list price %%s (more than %%s%%%%): correct the price or the list price, or record why it differs',
                                       coalesce(d.key::text, '(no key)'), d.product, pg_catalog.trim_scale(d.price),
                                       pg_catalog.round(100 OPERATOR(pg_catalog.*) pg_catalog.abs(d.price OPERATOR(pg_catalog.-) l.price) OPERATOR(pg_catalog./) l.price, 1),
                                       CASE WHEN d.price OPERATOR(pg_catalog.<) l.price THEN 'below' ELSE 'above' END,
                                       pg_catalog.trim_scale(l.price), pg_catalog.trim_scale(100 OPERATOR(pg_catalog.*) %8$L::numeric)) END
    FROM (SELECT %1$s AS key, %2$s AS product, %3$s::numeric AS price,
                 pg_catalog.abs(%3$s::numeric) OPERATOR(pg_catalog.<) 'Infinity'::numeric AS finite
          FROM %6$s WHERE %4$s AND %3$s IS NOT NULL) d
    JOIN (SELECT %5$s AS product, pg_catalog.min(%9$s)::numeric AS price,
                 pg_catalog.bool_and(pg_catalog.abs(%9$s::numeric) OPERATOR(pg_catalog.<) 'Infinity'::numeric) AS finite
          FROM %7$s GROUP BY %5$s
          HAVING pg_catalog.count(*) OPERATOR(pg_catalog.=) 1) l ON l.product %10$s d.product
    WHERE NOT d.finite OR NOT l.finite
       OR (l.price OPERATOR(pg_catalog.>) 0
           AND pg_catalog.abs(d.price OPERATOR(pg_catalog.-) l.price) OPERATOR(pg_catalog.>) (%8$L::numeric OPERATOR(pg_catalog.*) l.price))
    ORDER BY d.key$q$, k, product, price, won, list_product, deals, products, threshold, list_price, equals);
END $$;
COMMENT ON FUNCTION @extschema@.check_list_prices(regclass, regclass, numeric, text, text, text, text, text, text) IS
'one problem per won deal (won_column true; NULL: every row) whose price is more than threshold (a fraction: 0.25 = 25%) of the list price below it (price_below_list) or above it (price_above_list), or whose price (price_not_finite) or list price (list_price_not_finite) is NaN or infinite; deals of products not listed, listed twice or without a positive list price are not checked';

CREATE FUNCTION @extschema@.check_inputs(deals regclass, reps regclass DEFAULT NULL, products regclass DEFAULT NULL,
                                         splits regclass DEFAULT NULL, quotas regclass DEFAULT NULL,
                                         assignments regclass DEFAULT NULL, price_threshold numeric DEFAULT NULL)
RETURNS SETOF @extschema@.input_problem
LANGUAGE plpgsql STABLE PARALLEL RESTRICTED SECURITY INVOKER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF deals IS NULL THEN
    RAISE EXCEPTION 'a deals table is needed'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Pass deals => a table or view with deal_id, rep_id, amount, created, close_date and won.';
  END IF;
  RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(deals, 'deal_id');
  RETURN QUERY SELECT * FROM @extschema@.check_close_before_create(deals);
  RETURN QUERY SELECT * FROM @extschema@.check_won_amounts(deals);
  IF reps IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(reps, 'rep_id');
    RETURN QUERY SELECT * FROM @extschema@.check_references(deals, 'rep_id', reps);
  END IF;
  IF products IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_duplicate_keys(products, 'product');
    RETURN QUERY SELECT * FROM @extschema@.check_references(deals, 'product', products);
    IF price_threshold IS NOT NULL THEN
      RETURN QUERY SELECT * FROM @extschema@.check_list_prices(deals, products, price_threshold);
    END IF;
  END IF;
  IF splits IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_split_shares(splits);
  END IF;
  IF quotas IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_credit_without_quota(deals, quotas);
  END IF;
  IF assignments IS NOT NULL THEN
    RETURN QUERY SELECT * FROM @extschema@.check_overlapping_assignments(assignments);
  END IF;
END $$;
COMMENT ON FUNCTION @extschema@.check_inputs(regclass, regclass, regclass, regclass, regclass, regclass, numeric) IS
'every input check over tables (or views) with spm''s column names: deals (deal_id, rep_id, product, amount, created, close_date, won), reps (rep_id), products (product, list_price), splits (deal_id, share), quotas (rep_id, quota), assignments (rep_id, valid); a NULL table skips its checks, a NULL price_threshold the list prices';
-- ---------------------------------------------------------------- a deal's chance to close won by a date (stages.c)

CREATE FUNCTION @extschema@.close_chance(stages @extschema@.stage_summary, cycles @extschema@.cycle_summary, stage integer,
                                         created date, as_of date, period_end date) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_close_chance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.close_chance(@extschema@.stage_summary, @extschema@.cycle_summary, integer, date, date, date) IS
'the chance that an open deal at the stage, created on created, closes won by period_end (its last day, inclusive) as seen on as_of: stage_win_probability(stages, stage) * close_within(cycles, as_of - created, period_end - as_of), outcome and timing independent; the exact product rounded once half away from zero to 20 decimals; NULL when either factor is NULL';

CREATE FUNCTION @extschema@.close_chance(stages @extschema@.stage_summary, cycles @extschema@.cycle_summary, stage integer,
                                         created date, as_of date, period_end date, prior_weight numeric) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_close_chance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.close_chance(@extschema@.stage_summary, @extschema@.cycle_summary, integer, date, date, date, numeric) IS
'close_chance with the stage''s win probability smoothed toward the overall win rate with prior_weight pseudo-deals (stage_win_probability(stages, stage, prior_weight)); 20 decimals';

-- ---------------------------------------------------------------- capacity planning (capacity.c)

CREATE TYPE @extschema@.roster_entry AS (
    person text, hire_date date, leave_date date, full_quota numeric, ramp numeric[], attainment numeric);
COMMENT ON TYPE @extschema@.roster_entry IS
'one row of a sales roster for capacity planning: the person, on the roster from hire_date to the day before leave_date (NULL: still there), a fully ramped monthly quota, the ramp schedule by month of tenure (as spm.ramp_quota; NULL: none) and the expected attainment (0.9 = 90%)';

CREATE FUNCTION @extschema@.capacity_by_month(roster @extschema@.roster_entry[], period daterange,
                                              attrition numeric DEFAULT 0, scale integer DEFAULT 2)
RETURNS TABLE (month date, person text, capacity numeric)
AS 'MODULE_PATHNAME', 'spm_capacity_by_month' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.capacity_by_month(@extschema@.roster_entry[], daterange, numeric, integer) IS
'expected bookings capacity of each person on the roster in each month of the period (whole months): round(full_quota * ramp[tenure month] * active days / days of the month * attainment * (1 - attrition)^months, scale), months of attrition counted from the later of the period''s first month and the hire month; rows of one person must not overlap (23P01)';

CREATE FUNCTION @extschema@.hires_needed(roster @extschema@.roster_entry[], target numeric, period daterange,
                                         new_hire @extschema@.roster_entry, attrition numeric DEFAULT 0, scale integer DEFAULT 2)
RETURNS TABLE (hires bigint, latest_start date, roster_capacity numeric, capacity_per_hire numeric, planned_capacity numeric)
AS 'MODULE_PATHNAME', 'spm_hires_needed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.hires_needed(@extschema@.roster_entry[], numeric, daterange, @extschema@.roster_entry, numeric, integer) IS
'the fewest additional hires like new_hire, all starting on one day (its hire_date or a later 1st), whose capacity_by_month added to the roster''s over the period reaches target: ceil((target - roster) / the most one hire brings), and the latest start at which they still reach it; 0 hires when the roster reaches it, NULL when no hire adds capacity';
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
