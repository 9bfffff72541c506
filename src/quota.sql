
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
