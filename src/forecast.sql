-- ---------------------------------------------------------------- forecasting
-- Forecast accuracy: spm.accuracy_summary, a stored, roll-up-able state of exact sums over
-- (forecast, actual) pairs, its accessors, and one-line aggregates sharing its functions.
-- Objects are declared one by one, each CREATE followed by its COMMENT ON.

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
