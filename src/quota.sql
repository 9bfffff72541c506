
-- ---------------------------------------------------------------- quota & attainment
-- Objects are declared one by one, each CREATE followed by its COMMENT ON: declarations
-- of one kind (type I/O functions, aggregates, accessors) repeat one shape by design.

CREATE FUNCTION @extschema@.attainment(actual numeric, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment(numeric, numeric) IS
'actual / quota; NULL when the quota is zero; error on a negative, NaN or infinite quota';

-- The group_attainment state: the exact sums of actual and of quota, e.g. (actual=1250.00,quota=2000.00).
CREATE TYPE @extschema@.attainment_state;

CREATE FUNCTION @extschema@.attainment_state_in(cstring)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_state_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_in(cstring) IS
'text input of attainment_state: (actual=<sum>,quota=<sum>)';

CREATE FUNCTION @extschema@.attainment_state_out(@extschema@.attainment_state)
RETURNS cstring
AS 'MODULE_PATHNAME', 'spm_attainment_state_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_out(@extschema@.attainment_state) IS
'text output of attainment_state: (actual=<sum>,quota=<sum>)';

CREATE FUNCTION @extschema@.attainment_state_recv(internal)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_state_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_recv(internal) IS
'binary input of attainment_state (version byte, then the sums as numerics)';

CREATE FUNCTION @extschema@.attainment_state_send(@extschema@.attainment_state)
RETURNS bytea
AS 'MODULE_PATHNAME', 'spm_attainment_state_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_state_send(@extschema@.attainment_state) IS
'binary output of attainment_state';

CREATE TYPE @extschema@.attainment_state (
    INPUT = @extschema@.attainment_state_in,
    OUTPUT = @extschema@.attainment_state_out,
    RECEIVE = @extschema@.attainment_state_recv,
    SEND = @extschema@.attainment_state_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = plain
);
COMMENT ON TYPE @extschema@.attainment_state IS
'state of group_attainment: exact sums of actual and quota (128-bit fixed point, numeric beyond)';

CREATE FUNCTION @extschema@.attainment_accum(state @extschema@.attainment_state, actual numeric, quota numeric)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum(@extschema@.attainment_state, numeric, numeric) IS
'transition function of group_attainment: adds the non-NULL actual and quota to the sums';

CREATE FUNCTION @extschema@.attainment_accum_inv(state @extschema@.attainment_state, actual numeric, quota numeric)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum_inv(@extschema@.attainment_state, numeric, numeric) IS
'inverse transition function of group_attainment: removes a row that leaves a moving window';

CREATE FUNCTION @extschema@.attainment_combine(@extschema@.attainment_state, @extschema@.attainment_state)
RETURNS @extschema@.attainment_state
AS 'MODULE_PATHNAME', 'spm_attainment_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_combine(@extschema@.attainment_state, @extschema@.attainment_state) IS
'combine function of group_attainment: adds two partial states';

CREATE FUNCTION @extschema@.attainment_final(@extschema@.attainment_state)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_final(@extschema@.attainment_state) IS
'final function of group_attainment: sum of actual / sum of quota, NULL when the quota sum is zero';

CREATE AGGREGATE @extschema@.group_attainment(actual numeric, quota numeric) (
    SFUNC = @extschema@.attainment_accum,
    STYPE = @extschema@.attainment_state,
    FINALFUNC = @extschema@.attainment_final,
    COMBINEFUNC = @extschema@.attainment_combine,
    MSFUNC = @extschema@.attainment_accum,
    MINVFUNC = @extschema@.attainment_accum_inv,
    MSTYPE = @extschema@.attainment_state,
    MFINALFUNC = @extschema@.attainment_final,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.group_attainment(numeric, numeric) IS
'attainment of a group: sum(actual) / sum(quota), NULLs of each column ignored, never an average of ratios';

CREATE FUNCTION @extschema@.allocate(total numeric, weights numeric[], scale integer DEFAULT 2)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_allocate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocate(numeric, numeric[], integer) IS
'splits total into parts proportional to weights, each a multiple of 10^-scale, summing exactly to total (largest remainder, ties to the earlier part); all-zero weights split evenly; a NULL weight gets NULL';

CREATE FUNCTION @extschema@.allocate_share(total numeric, weight numeric, scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_allocate_share'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.allocate_share(numeric, numeric, integer) IS
'window function: this row''s part of the partition''s total, proportional to weight, a multiple of 10^-scale; parts sum exactly to the total; ties go to the earlier row in the window order';
-- ---------------------------------------------------------------- proration, ramps, pacing

CREATE FUNCTION @extschema@.prorate_days(quota numeric, period daterange, active daterange,
                                         scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_days'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_days(numeric, daterange, daterange, integer) IS
'quota * (days of active within period) / (days of period), rounded half away from zero to scale decimals exactly; the period must be finite and non-empty, active may be unbounded or empty';

CREATE FUNCTION @extschema@.prorate_months(quota numeric, period daterange, active daterange,
                                           min_days integer DEFAULT 15, scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_months'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_months(numeric, daterange, daterange, integer, integer) IS
'quota * (months of period in which active covers at least min(min_days, days in the month) days) / (months of period), rounded half away from zero to scale decimals exactly; the period must be whole calendar months';

CREATE FUNCTION @extschema@.prorate_days(quota numeric, period daterange, active daterange,
                                         weights numeric[], scale integer DEFAULT 2)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_prorate_days_weighted'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.prorate_days(numeric, daterange, daterange, numeric[], integer) IS
'seasonal proration: the whole-month period is split into equal sub-periods, one per weight; sub-period i carries quota * w_i / sum(w) prorated by its days; the exact sum is rounded once, half away from zero, to scale decimals';

CREATE FUNCTION @extschema@.ramp_quota(full_quota numeric, tenure_month integer, schedule numeric[])
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_ramp_quota'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ramp_quota(numeric, integer, numeric[]) IS
'full_quota * schedule[tenure_month] exactly (1-based); the full quota after the schedule ends, 0 before tenure month 1';

CREATE FUNCTION @extschema@.tenure_month(hire_date date, month date)
RETURNS integer
AS 'MODULE_PATHNAME', 'spm_tenure_month_of'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.tenure_month(date, date) IS
'calendar month of tenure: 1 for the month of hire_date, 2 for the next, zero or less before it';

CREATE FUNCTION @extschema@.pacing(actual numeric, quota numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_pacing'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.pacing(numeric, numeric, daterange, date) IS
'actual / (quota * elapsed days / period days), elapsed days counting through as_of and clamped to the period; NULL when that expectation is zero; a plain numeric division';

CREATE FUNCTION @extschema@.run_rate(actual numeric, period daterange, as_of date)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_run_rate'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.run_rate(numeric, daterange, date) IS
'actual * period days / elapsed days, elapsed days counting through as_of and clamped to the period; NULL before the period; a plain numeric division';
