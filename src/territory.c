/*
 * territory.c: territory balance aggregates, the weighted territory index and the
 * balanced assignment proposal (SQL wrappers of territory_core.c).
 *
 * The balance aggregates keep every value: the Gini coefficient needs them all.  Their
 * state is a numeric[] {tolerance, value, value, ...} (tolerance NULL for aggregates
 * that take none), appended to in place as an expanded array and concatenated by the
 * combine function, so parallel workers and Citus ship partial states as text.
 * Scores and assignment are computed by territory_core.c; this file must not hold
 * their math, only the numeric fallback for values past 64-bit units.
 */
#include "spm.h"
#include "territory_core.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"
#include "windowapi.h"

/* Ratios are rounded half up to this many decimal places, the score to two. */
#define RATIO_SCALE 20
#define SCORE_SCALE 2

/* ---------------------------------------------------------------- exact helpers */

static Numeric
numeric_of(spm_int128 value)
{
	return spm_fixed_to_numeric(value, 0);
}

/* The largest integer whose square is at most x (an integer >= 0). */
static Numeric
integer_sqrt(Numeric x)
{
	Numeric		one = int64_to_numeric(1);
	Numeric		root = DatumGetNumeric(DirectFunctionCall2(numeric_trunc,
														   DirectFunctionCall1(numeric_sqrt, NumericGetDatum(x)),
														   Int32GetDatum(0)));

	/* numeric_sqrt rounds its last digit: step to the exact floor */
	while (spm_numeric_cmp(spm_numeric_mul(root, root), x) > 0)
		root = spm_numeric_sub(root, one);
	while (spm_numeric_cmp(spm_numeric_mul(spm_numeric_add(root, one), spm_numeric_add(root, one)), x) <= 0)
		root = spm_numeric_add(root, one);
	return root;
}

/*
 * sqrt(num / den) rounded half up to scale decimals, every digit exact: with
 * z = sqrt(num / den) * 10^scale, floor(2z) = isqrt(floor(4 num 10^(2 scale) / den))
 * and round(z) = floor((floor(2z) + 1) / 2).
 */
static Numeric
rounded_sqrt_ratio(Numeric num, Numeric den, int scale)
{
	Numeric		four_scaled = spm_numeric_mul(spm_numeric_mul(num, int64_to_numeric(4)),
											  spm_numeric_pow10(2 * scale));
	Numeric		twice = integer_sqrt(spm_numeric_div_trunc(four_scaled, den));
	Numeric		units = spm_numeric_div_trunc(spm_numeric_add(twice, int64_to_numeric(1)),
										  int64_to_numeric(2));

	return spm_numeric_mul(units, spm_numeric_pow10(-scale));
}

/*
 * values[0..n-1] (finite, >= 0) as exact int64 counts of 10^-*scale units, at the
 * smallest scale that holds them all; false when some value does not fit, *culprit
 * then being its index and *widest that of the value with the most decimals.
 */
static bool
common_units(Numeric *values, int n, int64 *result, int *scale, int *culprit, int *widest)
{
	spm_int128 *units = palloc(sizeof(spm_int128) * Max(n, 1));
	int		   *scales = palloc(sizeof(int) * Max(n, 1));
	int			common = 0;
	bool		all_tens = true;
	int			i;

	*widest = 0;
	for (i = 0; i < n; i++)
	{
		*culprit = i;
		if (!spm_numeric_to_fixed_dscale(values[i], &units[i], &scales[i]))
			return false;
		if (scales[i] > common)
			common = scales[i], *widest = i;
	}
	for (i = 0; i < n; i++)
		if (*culprit = i, !spm_scale_up_128(&units[i], common - scales[i]))
			return false;
	/* drop trailing zeros every value shares (1.50 and 2.00 are 15 and 20 tenths) */
	while (common > 0 && all_tens)
	{
		for (i = 0; i < n && all_tens; i++)
			all_tens = units[i] % 10 == 0;
		if (!all_tens)
			break;
		for (i = 0; i < n; i++)
			units[i] /= 10;
		common--;
	}
	for (i = 0; i < n; i++)
	{
		if (*culprit = i, units[i] > PG_INT64_MAX)
			return false;
		result[i] = (int64) units[i];
	}
	*scale = common;
	pfree(units);
	pfree(scales);
	return true;
}

/* common_units, or an error that names the value that does not fit and why. */
static int64 *
exact_units(Numeric *values, int n, const char *what, int *scale)
{
	int64	   *result = palloc(sizeof(int64) * Max(n, 1));
	int			culprit,
				widest;

	if (!common_units(values, n, result, scale, &culprit, &widest))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s %s does not fit in 18 significant digits at %d decimal places",
						what, spm_numeric_text(values[culprit]),
						spm_numeric_min_scale(values[widest])),
				 culprit == widest ? 0 :
				 errdetail("All are counted in units of the smallest decimal any of them has: %s has %d decimal places.",
						   spm_numeric_text(values[widest]), spm_numeric_min_scale(values[widest])),
				 errhint("Round the values to fewer decimal places, e.g. round(value, 6).")));
	return result;
}

/* A value or weight: finite and not negative. */
static void
check_amount(Numeric value, const char *what)
{
	spm_require_not_negative(value, what,
							 "Territory values and account weights are sizes: use zero or more.");
}

/* A tolerance as the fraction num / den; finite, >= 0. */
static void
tolerance_fraction(Numeric tolerance, int64 *num, int64 *den)
{
	spm_int128	units;
	int			scale;
	bool		fits;

	spm_require_finite(tolerance, "tolerance");
	/* above 1 every territory between 0 and twice the mean is "within": 15 means 0.15 */
	if (spm_numeric_sign(tolerance) < 0 || spm_numeric_cmp(tolerance, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance must be between 0 and 1"),
				 errdetail("The tolerance given was %s.", spm_numeric_text(tolerance)),
				 errhint("Pass a fraction of the mean, e.g. 0.15 for +-15%%.")));
	fits = spm_numeric_to_fixed_dscale(tolerance, &units, &scale);
	while (fits && scale > 0 && units % 10 == 0)
		units /= 10, scale--;
	if (!fits || scale > 18 || units > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("tolerance %s has too many digits", spm_numeric_text(tolerance)),
				 errhint("Pass a fraction of the mean below 10^18 with at most 18 decimal places, e.g. 0.15.")));
	*num = (int64) units;
	*den = (int64) spm_pow10_128(scale);
}

/* ---------------------------------------------------------------- balance aggregates */

#define STATE_TOLERANCE 1		/* subscript of the tolerance in a balance state */

/* The aggregates that take a tolerance, as their errors name them. */
#define BALANCE_AGGREGATES "share_within or balance"

static const char *const tolerance_hint = "Pass one constant tolerance, e.g. 0.15.";

/* balance_accum(state, value): append a non-negative value (in place in an aggregate). */
PG_FUNCTION_INFO_V1(spm_balance_accum);
Datum
spm_balance_accum(PG_FUNCTION_ARGS)
{
	check_amount(PG_GETARG_NUMERIC(1), "territory value");
	/* nodeAgg hands array_append the state as a read-write expanded array: no copy */
	return array_append(fcinfo);
}

/* balance_accum(state, value, tolerance): the same, keeping the one tolerance. */
PG_FUNCTION_INFO_V1(spm_balance_accum_tolerance);
Datum
spm_balance_accum_tolerance(PG_FUNCTION_ARGS)
{
	Numeric		tolerance = PG_GETARG_NUMERIC(2);
	int			subscript = STATE_TOLERANCE;
	bool		isnull;
	Datum		kept;
	int64		num,
				den;

	tolerance_fraction(tolerance, &num, &den);
	kept = array_get_element(PG_GETARG_DATUM(0), 1, &subscript, -1, -1, false,
							 TYPALIGN_INT, &isnull);
	if (isnull)
		fcinfo->args[0].value = array_set_element(PG_GETARG_DATUM(0), 1, &subscript,
												  NumericGetDatum(tolerance), false,
												  -1, -1, false, TYPALIGN_INT);
	else if (spm_numeric_cmp(DatumGetNumeric(kept), tolerance) != 0)
		spm_differs_between_rows("tolerance", BALANCE_AGGREGATES,
								 spm_numeric_text(DatumGetNumeric(kept)),
								 spm_numeric_text(tolerance), 0, tolerance_hint);
	return spm_balance_accum(fcinfo);
}

/* A balance state's elements, checked: one-dimensional, subscripted from 1, values not NULL. */
static int
balance_state(ArrayType *state, Datum **elems, bool **nulls)
{
	int			n;
	int			i;

	if (ARR_NDIM(state) != 1 || ARR_LBOUND(state)[0] != 1 || ARR_ELEMTYPE(state) != NUMERICOID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid territory balance state"),
				 errdetail("A balance state is a numeric array {tolerance, value, value, ...} subscripted from 1.")));
	deconstruct_array(state, NUMERICOID, -1, false, TYPALIGN_INT, elems, nulls, &n);
	for (i = 1; i < n; i++)
		if ((*nulls)[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid territory balance state"),
					 errdetail("Element %d is NULL; only the tolerance (element 1) may be.", i + 1)));
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid territory balance state"),
				 errdetail("A balance state starts with its tolerance or NULL, e.g. '{NULL}'.")));
	return n;
}

/* balance_combine(a, b): a's values then b's, with the tolerance both carry. */
PG_FUNCTION_INFO_V1(spm_balance_combine);
Datum
spm_balance_combine(PG_FUNCTION_ARGS)
{
	Datum	   *left,
			   *right,
			   *both;
	bool	   *left_nulls,
			   *right_nulls,
			   *both_nulls;
	int			nleft = balance_state(PG_GETARG_ARRAYTYPE_P(0), &left, &left_nulls);
	int			nright = balance_state(PG_GETARG_ARRAYTYPE_P(1), &right, &right_nulls);
	int			dims[1] = {nleft + nright - 1};
	int			lbs[1] = {1};

	if (!left_nulls[0] && !right_nulls[0] &&
		spm_numeric_cmp(DatumGetNumeric(left[0]), DatumGetNumeric(right[0])) != 0)
		spm_differs_between_rows("tolerance", BALANCE_AGGREGATES,
								 spm_numeric_text(DatumGetNumeric(left[0])),
								 spm_numeric_text(DatumGetNumeric(right[0])), 0, tolerance_hint);
	both = palloc(sizeof(Datum) * dims[0]);
	both_nulls = palloc0(sizeof(bool) * dims[0]);
	both[0] = left_nulls[0] ? right[0] : left[0];
	both_nulls[0] = left_nulls[0] && right_nulls[0];
	memcpy(both + 1, left + 1, sizeof(Datum) * (nleft - 1));
	memcpy(both + nleft, right + 1, sizeof(Datum) * (nright - 1));
	PG_RETURN_ARRAYTYPE_P(construct_md_array(both, both_nulls, 1, dims, lbs, NUMERICOID,
											 -1, false, TYPALIGN_INT));
}

/*
 * What every balance score is computed from: the integers of SpmBalance, counted in
 * units of the values' smallest decimal when they fit 64 bits, else in numeric.
 */
typedef struct BalanceFacts
{
	int			n;				/* territories; zero gives NULL scores */
	Numeric		unit;			/* what one unit of the figures below is worth */
	int			scale;			/* decimals the values need: total, min, max show them */
	Numeric		sum;
	Numeric		min;
	Numeric		max;
	Numeric		gini;			/* sum_i (2i - n - 1) x_(i) */
	Numeric		spread;			/* n sum x_i^2 - S^2 */
	Numeric		max_gap;		/* max_i |n x_i - S| */
	int64		within;			/* values within the tolerance; -1 without one */
} BalanceFacts;

static int
compare_numerics(const void *a, const void *b)
{
	return spm_numeric_cmp(*(const Numeric *) a, *(const Numeric *) b);
}

/* |n x - S| * tol_den <= tol_num * S: x is within the tolerance of the mean. */
static bool
numeric_within(Numeric gap, Numeric sum, int64 tol_num, int64 tol_den)
{
	return spm_numeric_cmp(spm_numeric_mul(gap, int64_to_numeric(tol_den)),
						   spm_numeric_mul(sum, int64_to_numeric(tol_num))) <= 0;
}

/* The facts in numeric arithmetic, for values past 64-bit units (as spm_balance does). */
static void
balance_facts_numeric(Numeric *values, BalanceFacts *f, bool tolerance, int64 tol_num, int64 tol_den)
{
	Numeric		n = int64_to_numeric(f->n);
	Numeric		squares = int64_to_numeric(0);
	int			i;

	qsort(values, f->n, sizeof(Numeric), compare_numerics);
	f->unit = int64_to_numeric(1);
	f->scale = 0;
	for (i = 0; i < f->n; i++)
		f->scale = Max(f->scale, spm_numeric_min_scale(values[i]));
	f->sum = f->gini = squares;
	for (i = 0; i < f->n; i++)
	{
		f->sum = spm_numeric_add(f->sum, values[i]);
		squares = spm_numeric_add(squares, spm_numeric_mul(values[i], values[i]));
		f->gini = spm_numeric_add(f->gini, spm_numeric_mul(int64_to_numeric(2 * i + 1 - f->n), values[i]));
		CHECK_FOR_INTERRUPTS();
	}
	f->min = values[0];
	f->max = values[f->n - 1];
	f->spread = spm_numeric_sub(spm_numeric_mul(n, squares), spm_numeric_mul(f->sum, f->sum));
	/* |n x - S| is largest at the smallest or the largest value */
	f->max_gap = spm_numeric_abs(spm_numeric_sub(spm_numeric_mul(n, f->min), f->sum));
	if (spm_numeric_cmp(spm_numeric_sub(spm_numeric_mul(n, f->max), f->sum), f->max_gap) > 0)
		f->max_gap = spm_numeric_sub(spm_numeric_mul(n, f->max), f->sum);
	f->within = tolerance ? 0 : -1;
	for (i = 0; tolerance && i < f->n; i++)
		f->within += numeric_within(spm_numeric_abs(spm_numeric_sub(spm_numeric_mul(n, values[i]), f->sum)),
									f->sum, tol_num, tol_den);
}

static void
balance_facts(FunctionCallInfo fcinfo, BalanceFacts *f)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n = balance_state(PG_GETARG_ARRAYTYPE_P(0), &elems, &nulls);
	Numeric    *values = palloc(sizeof(Numeric) * n);
	int64	   *units = palloc(sizeof(int64) * n);
	SpmBalance	core;
	int64		tol_num = 0,
				tol_den = 1;
	int			scale,
				culprit,
				widest,
				i;

	if (!nulls[0])
		tolerance_fraction(DatumGetNumeric(elems[0]), &tol_num, &tol_den);
	f->n = n - 1;
	for (i = 1; i < n; i++)
	{
		values[i - 1] = DatumGetNumeric(elems[i]);
		check_amount(values[i - 1], "territory value");
	}
	if (f->n == 0)
		return;
	if (!common_units(values, f->n, units, &scale, &culprit, &widest) ||
		spm_balance(units, f->n, &core) != SPM_TERRITORY_OK)
	{
		balance_facts_numeric(values, f, !nulls[0], tol_num, tol_den);
		return;
	}
	f->unit = spm_numeric_pow10(-scale);
	f->scale = scale;
	f->sum = numeric_of(core.sum);
	f->min = int64_to_numeric(core.min);
	f->max = int64_to_numeric(core.max);
	f->gini = numeric_of(core.gini);
	f->spread = numeric_of(core.spread);
	f->max_gap = numeric_of(core.max_gap);
	f->within = nulls[0] ? -1 : (int64) spm_balance_within(units, f->n, core.sum, tol_num, tol_den);
}

/* num / (sum of values * times), or zero when every value is zero (no imbalance). */
static Numeric
share_of_sum(const BalanceFacts *f, Numeric num, Numeric times)
{
	if (spm_numeric_sign(f->sum) == 0)
		return spm_numeric_round_ratio(int64_to_numeric(0), int64_to_numeric(1), RATIO_SCALE);
	return spm_numeric_round_ratio(num, spm_numeric_mul(f->sum, times), RATIO_SCALE);
}

static Numeric
gini_of(const BalanceFacts *f)
{
	return share_of_sum(f, f->gini, int64_to_numeric(f->n));
}

static Numeric
max_deviation_of(const BalanceFacts *f)
{
	return share_of_sum(f, f->max_gap, int64_to_numeric(1));
}

static Numeric
cv_of(const BalanceFacts *f)
{
	if (spm_numeric_sign(f->sum) == 0)
		return spm_numeric_round_ratio(int64_to_numeric(0), int64_to_numeric(1), RATIO_SCALE);
	return rounded_sqrt_ratio(f->spread, spm_numeric_mul(f->sum, f->sum), RATIO_SCALE);
}

/* max / min; 1 when all are zero, NULL (unbounded) when only the smallest is. */
static Numeric
max_min_ratio_of(const BalanceFacts *f)
{
	if (spm_numeric_sign(f->max) == 0)
		return spm_numeric_round_ratio(int64_to_numeric(1), int64_to_numeric(1), RATIO_SCALE);
	if (spm_numeric_sign(f->min) == 0)
		return NULL;
	return spm_numeric_round_ratio(f->max, f->min, RATIO_SCALE);
}

/* 100 * (1 - largest relative deviation), at least 0. */
static Numeric
score_of(const BalanceFacts *f)
{
	Numeric		left = spm_numeric_sub(f->sum, f->max_gap);

	if (spm_numeric_sign(f->sum) == 0)
		return spm_numeric_round_ratio(int64_to_numeric(100), int64_to_numeric(1), SCORE_SCALE);
	if (spm_numeric_sign(left) < 0)
		left = int64_to_numeric(0);
	return spm_numeric_round_ratio(spm_numeric_mul(int64_to_numeric(100), left), f->sum, SCORE_SCALE);
}

/* The share within the tolerance; NULL for a state that carries none. */
static Numeric
share_within_of(const BalanceFacts *f)
{
	if (f->within < 0)
		return NULL;
	return spm_numeric_round_ratio(int64_to_numeric(f->within), int64_to_numeric(f->n), RATIO_SCALE);
}

/* One final function per score: NULL over no territories. */
#define BALANCE_FINAL(sqlname, score) \
PG_FUNCTION_INFO_V1(sqlname); \
Datum \
sqlname(PG_FUNCTION_ARGS) \
{ \
	BalanceFacts facts; \
	Numeric		result; \
\
	balance_facts(fcinfo, &facts); \
	result = facts.n == 0 ? NULL : score(&facts); \
	if (result == NULL) \
		PG_RETURN_NULL(); \
	PG_RETURN_NUMERIC(result); \
}

BALANCE_FINAL(spm_gini_final, gini_of)
BALANCE_FINAL(spm_cv_final, cv_of)
BALANCE_FINAL(spm_max_min_ratio_final, max_min_ratio_of)
BALANCE_FINAL(spm_max_deviation_final, max_deviation_of)
BALANCE_FINAL(spm_balance_score_final, score_of)
BALANCE_FINAL(spm_share_within_final, share_within_of)

/* Field i of a report: value, or NULL when there is none. */
static void
put_numeric(Datum *fields, bool *nulls, int i, Numeric value)
{
	nulls[i] = value == NULL;
	fields[i] = value ? NumericGetDatum(value) : (Datum) 0;
}

/* A figure of the facts as a value, with the decimals the values need (exact: no rounding). */
static Numeric
shown(const BalanceFacts *f, Numeric figure)
{
	return spm_numeric_round(spm_numeric_mul(figure, f->unit), f->scale);
}

/* balance(value, tolerance): every score at once, as an spm.balance_report. */
PG_FUNCTION_INFO_V1(spm_balance_report_final);
Datum
spm_balance_report_final(PG_FUNCTION_ARGS)
{
	enum
	{
		TERRITORIES, TOTAL, MEAN, MIN, MAX, GINI, CV, MAX_MIN_RATIO, MAX_DEVIATION,
		SHARE_WITHIN, SCORE, NFIELDS
	};
	BalanceFacts facts;
	TupleDesc	desc;
	Datum		fields[NFIELDS];
	bool		nulls[NFIELDS] = {0};

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "balance report must return a composite type");
	balance_facts(fcinfo, &facts);
	if (facts.n == 0)
		PG_RETURN_NULL();
	fields[TERRITORIES] = Int64GetDatum(facts.n);
	fields[TOTAL] = NumericGetDatum(shown(&facts, facts.sum));
	fields[MEAN] = NumericGetDatum(spm_numeric_round_ratio(spm_numeric_mul(facts.sum, facts.unit),
												 int64_to_numeric(facts.n), RATIO_SCALE));
	fields[MIN] = NumericGetDatum(shown(&facts, facts.min));
	fields[MAX] = NumericGetDatum(shown(&facts, facts.max));
	put_numeric(fields, nulls, GINI, gini_of(&facts));
	put_numeric(fields, nulls, CV, cv_of(&facts));
	put_numeric(fields, nulls, MAX_MIN_RATIO, max_min_ratio_of(&facts));
	put_numeric(fields, nulls, MAX_DEVIATION, max_deviation_of(&facts));
	put_numeric(fields, nulls, SHARE_WITHIN, share_within_of(&facts));
	put_numeric(fields, nulls, SCORE, score_of(&facts));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), fields, nulls)));
}

/* ---------------------------------------------------------------- territory index */

/* A one-dimensional numeric array without NULLs, finite and >= 0; its length. */
static int
amounts(Datum array, const char *what, Numeric **out)
{
	ArrayType  *a = DatumGetArrayTypeP(array);
	Datum	   *elems;
	int			n,
				i;

	n = spm_numeric_list_no_nulls(a, what,
								  "Pass one number per metric, e.g. ARRAY[potential, workload, accounts].",
								  "COALESCE missing metrics to zero.", &elems);
	*out = palloc(sizeof(Numeric) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		(*out)[i] = DatumGetNumeric(elems[i]);
		check_amount((*out)[i], what);
	}
	return n;
}

/*
 * Row pos's index: sum_m w_m * x_m / mean_m / sum_m w_m, as one exact fraction
 * num / den, rounded; a metric whose mean is zero counts as 1 (all equal).
 */
static Numeric
index_of_row(Numeric *row, Numeric *sums, Numeric *weights, int m, int64 n, Numeric weight_sum)
{
	Numeric		num = int64_to_numeric(0);
	Numeric		den = int64_to_numeric(1);
	int			j;

	for (j = 0; j < m; j++)
	{
		bool		zero = spm_numeric_sign(sums[j]) == 0;
		Numeric		a = zero ? weights[j]
			: spm_numeric_mul(spm_numeric_mul(weights[j], int64_to_numeric(n)), row[j]);
		Numeric		b = zero ? int64_to_numeric(1) : sums[j];

		num = spm_numeric_add(spm_numeric_mul(num, b), spm_numeric_mul(a, den));
		den = spm_numeric_mul(den, b);
	}
	return spm_numeric_round_ratio(num, spm_numeric_mul(den, weight_sum), RATIO_SCALE);
}

static void
compute_territory_index(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
						bool *nulls)
{
	Numeric   **rows = palloc(sizeof(Numeric *) * Max(n, 1));
	Numeric    *weights;
	Numeric    *sums;
	Numeric		weight_sum = int64_to_numeric(0);
	Datum		weight_datum;
	bool		isnull;
	int			m,
				j;
	int64		pos;

	weight_datum = spm_partition_constant(fcinfo, win, 1, n, NULL, "weight array", "territory_index",
										  "Pass the same weights on every row, e.g. ARRAY[30, 60, 10].");
	m = amounts(weight_datum, "territory index weights", &weights);
	for (j = 0; j < m; j++)
		weight_sum = spm_numeric_add(weight_sum, weights[j]);
	if (m == 0 || spm_numeric_sign(weight_sum) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("territory index weights must not be empty or all zero"),
				 errhint("Pass one weight per metric, e.g. ARRAY[30, 60, 10].")));
	sums = palloc(sizeof(Numeric) * m);
	for (j = 0; j < m; j++)
		sums[j] = int64_to_numeric(0);
	for (pos = 0; pos < n; pos++)
	{
		Datum		metrics = spm_partition_arg(fcinfo, win, 0, pos, &isnull);

		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the metrics of territory_index must not be NULL"),
					 errhint("Pass one array of metrics per territory, e.g. ARRAY[potential, workload, accounts].")));
		if (amounts(metrics, "territory metrics", &rows[pos]) != m)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("territory metrics and weights differ in length"),
					 errdetail("Row %lld has %d metrics; there are %d weights.",
							   (long long) pos + 1, ArrayGetNItems(ARR_NDIM(DatumGetArrayTypeP(metrics)),
																   ARR_DIMS(DatumGetArrayTypeP(metrics))), m),
					 errhint("Pass one weight per metric.")));
		for (j = 0; j < m; j++)
			sums[j] = spm_numeric_add(sums[j], rows[pos][j]);
	}
	for (pos = 0; pos < n; pos++)
		results[pos] = NumericGetDatum(index_of_row(rows[pos], sums, weights, m, n, weight_sum));
}

/* territory_index(metrics, weights) OVER (...) */
PG_FUNCTION_INFO_V1(spm_territory_index);
Datum
spm_territory_index(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_territory_index);
}

/* ---------------------------------------------------------------- assignment */

/* Arguments of propose_territory. */
enum
{
	ARG_ACCOUNT, ARG_WEIGHT, ARG_CURRENT, ARG_TERRITORIES, ARG_LOCKED, ARG_LAT, ARG_LON,
	ARG_MAX_MOVES, ARG_TOLERANCE
};

/* A key and where it came from. */
typedef struct Keyed
{
	char	   *key;
	int64		pos;
} Keyed;

static int
compare_keyed(const void *a, const void *b)
{
	const Keyed *x = a;
	const Keyed *y = b;
	int			c = strcmp(x->key, y->key);

	return c != 0 ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* Sort keys (byte order) and refuse duplicates; what names them. */
static void
sort_unique(Keyed *keys, int64 n, const char *what, const char *hint)
{
	int64		i;

	qsort(keys, n, sizeof(Keyed), compare_keyed);
	for (i = 1; i < n; i++)
		if (strcmp(keys[i - 1].key, keys[i].key) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("duplicate %s \"%s\"", what, keys[i].key),
					 errhint("%s", hint)));
}

/* The index of key among sorted territory keys, or -1. */
static int32
territory_of(const Keyed *territories, int k, const char *key)
{
	int			lo = 0,
				hi = k;

	while (lo < hi)
	{
		int			mid = lo + (hi - lo) / 2;
		int			c = strcmp(territories[mid].key, key);

		if (c == 0)
			return (int32) territories[mid].pos;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* The territory keys given, or the distinct current territories when NULL; sorted. */
static Keyed *
territory_keys(Datum array, bool isnull, char **current, int64 n, int *k, char ***names)
{
	Keyed	   *keys;
	int			count = 0;
	int64		i;

	if (!isnull)
	{
		ArrayType  *a = DatumGetArrayTypeP(array);
		Datum	   *elems;
		bool	   *nulls;
		int			len;

		if (ARR_NDIM(a) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("territories must be a one-dimensional array"),
					 errhint("Pass the territory keys, e.g. ARRAY['east', 'west'] or spm.territory_keys(12).")));
		deconstruct_array(a, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &len);
		keys = palloc(sizeof(Keyed) * Max(len, 1));
		for (i = 0; i < len; i++)
		{
			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("territory keys must not be NULL"),
						 errdetail("Element %lld is NULL.", (long long) i + 1)));
			keys[count].key = TextDatumGetCString(elems[i]);
			keys[count].pos = count;
			count++;
		}
	}
	else
	{
		/* the distinct current territories, in key order */
		int			distinct = 0;

		keys = palloc(sizeof(Keyed) * Max(n, 1));
		for (i = 0; i < n; i++)
			if (current[i] != NULL)
			{
				keys[count].key = current[i];
				keys[count++].pos = 0;
			}
		qsort(keys, count, sizeof(Keyed), compare_keyed);
		for (i = 0; i < count; i++)
			if (distinct == 0 || strcmp(keys[distinct - 1].key, keys[i].key) != 0)
				keys[distinct++].key = keys[i].key;
		count = distinct;
		for (i = 0; i < count; i++)
			keys[i].pos = i;
	}
	if (count == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there are no territories to assign accounts to"),
				 errdetail("The territories argument is empty, or NULL while no account has a current territory."),
				 errhint("Pass the territory keys, e.g. spm.territory_keys(12) for twelve territories.")));
	sort_unique(keys, count, "territory key", "List each territory once.");
	*names = palloc(sizeof(char *) * count);
	for (i = 0; i < count; i++)
		(*names)[keys[i].pos] = keys[i].key;
	*k = count;
	return keys;
}

/* Latitude and longitude: both or neither, within range. */
static bool
coordinates(bool lat_null, double lat, bool lon_null, double lon, const char *account)
{
	if (lat_null != lon_null)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account \"%s\" has only one coordinate", account),
				 errhint("Give both latitude and longitude, or neither.")));
	if (!lat_null && !(lat >= -90 && lat <= 90))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("latitude %g of account \"%s\" is out of range", lat, account),
				 errdetail("Latitude runs from -90 to 90 degrees."),
				 errhint("Pass decimal degrees, latitude before longitude, e.g. 48.85, 2.35 for Paris.")));
	if (!lon_null && !(lon >= -180 && lon <= 180))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("longitude %g of account \"%s\" is out of range", lon, account),
				 errdetail("Longitude runs from -180 to 180 degrees."),
				 errhint("Pass decimal degrees, latitude before longitude, e.g. 48.85, 2.35 for Paris.")));
	return !lat_null;
}

/* An account's territory index: -1 for none (or one not among the territories). */
static int32
current_territory(const Keyed *territories, int k, const char *current, bool locked,
				  const char *account)
{
	int32		t = current ? territory_of(territories, k, current) : -1;

	if (locked && current == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account \"%s\" is locked but has no current territory", account),
				 errhint("Lock only accounts that have a current territory.")));
	if (locked && t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("account \"%s\" is locked to territory \"%s\", which is not among the territories",
						account, current),
				 errhint("Add \"%s\" to the territories, or unlock the account.", current)));
	return t;
}

/* The options from the max_moves and tolerance arguments; either may be NULL. */
static void
assign_options(Datum max_moves, bool max_moves_null, Datum tolerance, bool tolerance_null,
			   SpmAssignOptions *options)
{
	options->max_moves = max_moves_null ? -1 : DatumGetInt32(max_moves);
	if (!max_moves_null && options->max_moves < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_moves must not be negative"),
				 errdetail("max_moves given was %d.", DatumGetInt32(max_moves)),
				 errhint("Pass the most accounts that may change territory, or NULL for no limit.")));
	options->tol_num = 0;
	options->tol_den = 1;
	options->poll = spm_check_for_interrupts;
	if (!tolerance_null)
		tolerance_fraction(DatumGetNumeric(tolerance), &options->tol_num, &options->tol_den);
}

/* A non-NULL argument of row pos; what names it in the message. */
static Datum
required_arg(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 pos, const char *what,
			 const char *hint)
{
	bool		isnull;
	Datum		value = spm_partition_arg(fcinfo, win, argno, pos, &isnull);

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what),
				 errdetail("Row %lld of the window partition has none.", (long long) pos + 1),
				 errhint("%s", hint)));
	return value;
}

/* Row pos's account: key, current territory, weight (checked), lock and coordinates. */
static void
read_account(FunctionCallInfo fcinfo, WindowObject win, int64 pos, Keyed *key, char **current,
			 Numeric *weight, SpmAccount *account)
{
	bool		lat_null,
				lon_null,
				locked_null,
				home_null;
	Datum		lat = spm_partition_arg(fcinfo, win, ARG_LAT, pos, &lat_null);
	Datum		lon = spm_partition_arg(fcinfo, win, ARG_LON, pos, &lon_null);
	Datum		locked = spm_partition_arg(fcinfo, win, ARG_LOCKED, pos, &locked_null);
	Datum		home = spm_partition_arg(fcinfo, win, ARG_CURRENT, pos, &home_null);

	key->key = TextDatumGetCString(required_arg(fcinfo, win, ARG_ACCOUNT, pos, "account key",
												"Give every account a key, e.g. its id."));
	key->pos = pos;
	*current = home_null ? NULL : TextDatumGetCString(home);
	*weight = DatumGetNumeric(required_arg(fcinfo, win, ARG_WEIGHT, pos, "account weight",
										   "COALESCE missing weights to zero."));
	check_amount(*weight, "account weight");
	account->locked = !locked_null && DatumGetBool(locked);
	account->located = coordinates(lat_null, lat_null ? 0 : DatumGetFloat8(lat),
								   lon_null, lon_null ? 0 : DatumGetFloat8(lon), key->key);
	account->lat = account->located ? DatumGetFloat8(lat) : 0;
	account->lon = account->located ? DatumGetFloat8(lon) : 0;
}

/*
 * The proposed territory of accounts[i] (sorted by key), computed with the accounts
 * in key order, so that row order does not matter.
 */
static int32 *
assign_in_key_order(const Keyed *accounts, const SpmAccount *by_row, int64 n, int k,
					const SpmAssignOptions *options)
{
	SpmAccount *ordered = palloc(sizeof(SpmAccount) * n);
	int32	   *proposed = palloc(sizeof(int32) * n);
	void	   *workspace = MemoryContextAllocHuge(CurrentMemoryContext, spm_assign_workspace(n, k));
	int64		i;

	for (i = 0; i < n; i++)
		ordered[i] = by_row[accounts[i].pos];
	if (spm_assign(ordered, n, k, options, workspace, proposed) != SPM_TERRITORY_OK)
		elog(ERROR, "territory core refused checked accounts");
	pfree(workspace);
	pfree(ordered);
	return proposed;
}

static const char *const constant_hint =
"Pass one value for the whole window partition, e.g. a constant.";

static void
compute_proposal(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
				 bool *nulls)
{
	Keyed	   *accounts = palloc(sizeof(Keyed) * n);
	char	  **current = palloc0(sizeof(char *) * n);
	Numeric    *weights = palloc(sizeof(Numeric) * n);
	SpmAccount *core = palloc0(sizeof(SpmAccount) * n);
	int32	   *proposed;
	bool		territories_null,
				max_moves_null,
				tolerance_null;
	Datum		territories_arg = spm_partition_constant(fcinfo, win, ARG_TERRITORIES, n,
														 &territories_null, "territory array",
														 "propose_territory", constant_hint);
	Datum		max_moves = spm_partition_constant(fcinfo, win, ARG_MAX_MOVES, n, &max_moves_null,
												   "max_moves", "propose_territory", constant_hint);
	Datum		tolerance = spm_partition_constant(fcinfo, win, ARG_TOLERANCE, n, &tolerance_null,
												   "tolerance", "propose_territory", constant_hint);
	Datum	   *names_text;
	char	  **names;
	Keyed	   *territories;
	SpmAssignOptions options;
	int64	   *units;
	int			scale,
				k;
	int64		i;

	for (i = 0; i < n; i++)
	{
		read_account(fcinfo, win, i, &accounts[i], &current[i], &weights[i], &core[i]);
		CHECK_FOR_INTERRUPTS();
	}
	sort_unique(accounts, n, "account key",
				"Give each account one row, e.g. aggregate with GROUP BY account first.");
	territories = territory_keys(territories_arg, territories_null, current, n, &k, &names);
	assign_options(max_moves, max_moves_null, tolerance, tolerance_null, &options);
	units = exact_units(weights, (int) n, "account weight", &scale);
	for (i = 0; i < n; i++)
	{
		int64		pos = accounts[i].pos;

		core[pos].weight = units[pos];
		core[pos].current = current_territory(territories, k, current[pos], core[pos].locked,
											  accounts[i].key);
	}
	proposed = assign_in_key_order(accounts, core, n, k, &options);
	names_text = palloc(sizeof(Datum) * k);
	for (i = 0; i < k; i++)
		names_text[i] = CStringGetTextDatum(names[i]);
	for (i = 0; i < n; i++)
		results[accounts[i].pos] = names_text[proposed[i]];
}

/*
 * propose_territory(account, weight, current_territory, territories, locked, lat, lon,
 * max_moves, tolerance) OVER (...): this account's proposed territory.
 */
PG_FUNCTION_INFO_V1(spm_propose_territory);
Datum
spm_propose_territory(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_proposal);
}

/* territory_keys(k): '1' .. 'k', zero-padded to one width so they sort in order. */
PG_FUNCTION_INFO_V1(spm_territory_keys);
Datum
spm_territory_keys(PG_FUNCTION_ARGS)
{
	int32		k = PG_GETARG_INT32(0);
	int			width;
	Datum	   *keys;
	int			i;

	if (k < 1 || k > 1000000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the number of territories must be between 1 and 1000000"),
				 errdetail("The number given was %d.", k),
				 errhint("Pass how many territories to balance across, e.g. spm.territory_keys(12).")));
	width = snprintf(NULL, 0, "%d", k);
	keys = palloc(sizeof(Datum) * k);
	for (i = 0; i < k; i++)
		keys[i] = CStringGetTextDatum(psprintf("%0*d", width, i + 1));
	PG_RETURN_ARRAYTYPE_P(construct_array(keys, k, TEXTOID, -1, false, TYPALIGN_INT));
}
