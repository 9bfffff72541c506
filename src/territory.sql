-- ---------------------------------------------------------------- territory balance
-- Objects are declared one by one, each CREATE followed by its COMMENT ON: declarations
-- of one kind (type I/O functions, aggregates, accessors) repeat one shape by design.

-- The balance aggregates keep every value (the Gini coefficient needs them all): their
-- state is numeric[] {tolerance, value, value, ...}, tolerance NULL when not taken.
CREATE FUNCTION @extschema@.balance_accum(state numeric[], value numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_accum'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_accum(numeric[], numeric) IS
'transition function of the territory balance aggregates: appends a territory''s value (finite, >= 0) to the state {tolerance, values...}';

CREATE FUNCTION @extschema@.balance_accum(state numeric[], value numeric, tolerance numeric)
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_accum_tolerance'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_accum(numeric[], numeric, numeric) IS
'transition function of the territory balance aggregates that take a tolerance: keeps the one tolerance in element 1 and appends the value';

CREATE FUNCTION @extschema@.balance_combine(numeric[], numeric[])
RETURNS numeric[]
AS 'MODULE_PATHNAME', 'spm_balance_combine'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_combine(numeric[], numeric[]) IS
'combine function of the territory balance aggregates: the values of both partial states, with the tolerance they share';

CREATE FUNCTION @extschema@.gini_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_gini_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.gini_final(numeric[]) IS
'final function of spm.gini: sum_i sum_j |x_i - x_j| / (2 n^2 mean), rounded half up to 20 decimals';

CREATE FUNCTION @extschema@.cv_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_cv_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.cv_final(numeric[]) IS
'final function of spm.cv: population standard deviation / mean, rounded half up to 20 decimals, every digit exact';

CREATE FUNCTION @extschema@.max_min_ratio_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_max_min_ratio_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_min_ratio_final(numeric[]) IS
'final function of spm.max_min_ratio: largest / smallest value, rounded half up to 20 decimals; NULL when only the smallest is zero';

CREATE FUNCTION @extschema@.max_deviation_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_max_deviation_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.max_deviation_final(numeric[]) IS
'final function of spm.max_deviation: max |x - mean| / mean, rounded half up to 20 decimals';

CREATE FUNCTION @extschema@.balance_score_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_balance_score_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_score_final(numeric[]) IS
'final function of spm.balance_score: 100 * (1 - largest relative deviation), at least 0, rounded half up to 2 decimals';

CREATE FUNCTION @extschema@.share_within_final(numeric[]) RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_share_within_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.share_within_final(numeric[]) IS
'final function of spm.share_within: the share of values with |x - mean| <= tolerance * mean, rounded half up to 20 decimals';

CREATE TYPE @extschema@.balance_report AS (
    territories   bigint,
    total         numeric,
    mean          numeric,
    min           numeric,
    max           numeric,
    gini          numeric,
    cv            numeric,
    max_min_ratio numeric,
    max_deviation numeric,
    share_within  numeric,
    score         numeric
);
COMMENT ON TYPE @extschema@.balance_report IS
'every territory balance score of a set of territories (see spm.balance)';

CREATE FUNCTION @extschema@.balance_report_final(numeric[]) RETURNS @extschema@.balance_report
AS 'MODULE_PATHNAME', 'spm_balance_report_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.balance_report_final(numeric[]) IS
'final function of spm.balance: every balance score as an spm.balance_report';

CREATE AGGREGATE @extschema@.gini(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.gini_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.gini(numeric) IS
'Gini coefficient of per-territory values: sum_i sum_j |x_i - x_j| / (2 n^2 mean), 0 = equal, at most (n-1)/n; 0 when all are zero; exact, rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.cv(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.cv_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.cv(numeric) IS
'coefficient of variation of per-territory values: population standard deviation / mean; 0 when all are zero; rounded half up to 20 decimals, every digit exact';

CREATE AGGREGATE @extschema@.max_min_ratio(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.max_min_ratio_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.max_min_ratio(numeric) IS
'largest / smallest per-territory value, rounded half up to 20 decimals; 1 when all are zero, NULL when only the smallest is';

CREATE AGGREGATE @extschema@.max_deviation(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.max_deviation_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.max_deviation(numeric) IS
'largest relative deviation from the mean, max |x - mean| / mean; 0 when all are zero; exact, rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.balance_score(value numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.balance_score_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.balance_score(numeric) IS
'0-100 balance score: 100 * (1 - largest relative deviation from the mean), at least 0; 85 or more means every territory is within +-15% of the mean; rounded half up to 2 decimals';

CREATE AGGREGATE @extschema@.share_within(value numeric, tolerance numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.share_within_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.share_within(numeric, numeric) IS
'share of territories whose value is within +-tolerance of the mean (|x - mean| <= tolerance * mean, e.g. 0.15), rounded half up to 20 decimals';

CREATE AGGREGATE @extschema@.balance(value numeric, tolerance numeric) (
    SFUNC = @extschema@.balance_accum, STYPE = numeric[], INITCOND = '{NULL}',
    FINALFUNC = @extschema@.balance_report_final, COMBINEFUNC = @extschema@.balance_combine,
    PARALLEL = SAFE);
COMMENT ON AGGREGATE @extschema@.balance(numeric, numeric) IS
'every balance score of per-territory values at once (territories, total, mean, min, max, gini, cv, max_min_ratio, max_deviation, share_within tolerance, score): compare scenarios side by side';

-- ---------------------------------------------------------------- territory index

CREATE FUNCTION @extschema@.territory_index(metrics numeric[], weights numeric[])
RETURNS numeric
AS 'MODULE_PATHNAME', 'spm_territory_index'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.territory_index(numeric[], numeric[]) IS
'window function: this territory''s weighted index, sum_m w_m * x_m / mean_m / sum_m w_m over the partition''s territories (1 = average); a metric whose mean is zero counts as 1; exact, rounded half up to 20 decimals';

-- ---------------------------------------------------------------- balanced assignment

CREATE FUNCTION @extschema@.territory_keys(k integer)
RETURNS text[]
AS 'MODULE_PATHNAME', 'spm_territory_keys'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.territory_keys(integer) IS
'k territory keys ''1''..''k'', zero-padded to one width so they sort in order (k from 1 to 1000000)';

CREATE FUNCTION @extschema@.propose_territory(
    account text, weight numeric, current_territory text, territories text[] DEFAULT NULL,
    locked boolean DEFAULT false, lat double precision DEFAULT NULL,
    lon double precision DEFAULT NULL, max_moves integer DEFAULT NULL,
    tolerance numeric DEFAULT 0)
RETURNS text
AS 'MODULE_PATHNAME', 'spm_propose_territory'
LANGUAGE C WINDOW IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.propose_territory(text, numeric, text, text[], boolean, double precision, double precision, integer, numeric) IS
'window function: the proposed territory of this account so that territory weights are as close to their mean as possible (smallest largest relative deviation), then with the fewest accounts moved (at most max_moves; stop once within +-tolerance), then compact by lat/lon; locked accounts stay; deterministic';

CREATE FUNCTION @extschema@.lorenz_curve(amounts numeric[])
RETURNS TABLE (population_share numeric, value_share numeric)
AS 'MODULE_PATHNAME', 'spm_lorenz_curve'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.lorenz_curve(numeric[]) IS
'the Lorenz curve of the non-NULL values (finite, >= 0), smallest first from (0, 0): the population share counted and the share of the total it holds; all zero: the line of equality';
