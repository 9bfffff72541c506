
-- ---------------------------------------------------------------- quota & attainment

CREATE FUNCTION @extschema@.attainment(actual numeric, quota numeric)
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment(numeric, numeric) IS
'actual / quota; NULL when the quota is zero; error on a negative, NaN or infinite quota';

CREATE FUNCTION @extschema@.attainment_accum(state numeric[], actual numeric, quota numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_attainment_accum'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum(numeric[], numeric, numeric) IS
'transition function of group_attainment: adds the non-NULL actual and quota to {sum of actual, sum of quota}';

CREATE FUNCTION @extschema@.attainment_accum_inv(state numeric[], actual numeric, quota numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_attainment_accum_inv'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_accum_inv(numeric[], numeric, numeric) IS
'inverse transition function of group_attainment: removes a row that leaves a moving window';

CREATE FUNCTION @extschema@.attainment_combine(numeric[], numeric[])
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_attainment_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_combine(numeric[], numeric[]) IS
'combine function of group_attainment: adds two partial {sum of actual, sum of quota} states';

CREATE FUNCTION @extschema@.attainment_final(numeric[])
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_attainment_final'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.attainment_final(numeric[]) IS
'final function of group_attainment: sum of actual / sum of quota, NULL when the quota sum is zero';

CREATE AGGREGATE @extschema@.group_attainment(actual numeric, quota numeric) (
    SFUNC = @extschema@.attainment_accum,
    STYPE = numeric[],
    INITCOND = '{0,0}',
    FINALFUNC = @extschema@.attainment_final,
    COMBINEFUNC = @extschema@.attainment_combine,
    MSFUNC = @extschema@.attainment_accum,
    MINVFUNC = @extschema@.attainment_accum_inv,
    MSTYPE = numeric[],
    MINITCOND = '{0,0}',
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
