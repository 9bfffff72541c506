/*
 * quota.c: quota attainment, per row and per group.
 *
 * Group attainment is sum(actual) / sum(quota), never an average of ratios.  Its
 * aggregate state, spm.attainment_state, is a tally of the two exact sums: a real SQL
 * type, so parallel workers and Citus can ship partial states as text.
 */
#include "spm.h"
#include "spm_core.h"
#include "tally.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/rangetypes.h"
#include "windowapi.h"

#define STATE_ACTUAL 0
#define STATE_QUOTA  1
#define STATE_LEN	 2

/* Reject what no quota can be: NaN, Infinity, below zero. */
static void
check_quota(Numeric quota)
{
	if (spm_finite_sign(quota, "quota") < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota must not be negative"),
				 errdetail("The quota given was %s.", spm_numeric_text(quota)),
				 errhint("Store quotas as amounts of zero or more.")));
}

/* actual / quota, or NULL when the quota is zero. */
static Numeric
attainment_of(Numeric actual, Numeric quota, bool *isnull)
{
	*isnull = (spm_numeric_sign(quota) == 0);
	return *isnull ? NULL : spm_numeric_div(actual, quota);
}

PG_FUNCTION_INFO_V1(spm_attainment);
Datum
spm_attainment(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	Numeric		quota = PG_GETARG_NUMERIC(1);
	Numeric		result;
	bool		isnull;

	spm_require_finite(actual, "actual");
	check_quota(quota);
	result = attainment_of(actual, quota, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

static const char *const attainment_state_names[] = {"actual", "quota"};

/* The group attainment state: the exact sum of actual and the exact sum of quota. */
static const SpmTallyShape attainment_state = {
	"spm.attainment_state", 0, STATE_LEN, attainment_state_names
};

/*
 * Add (sign 1) or remove (sign -1) one row's non-NULL actual and quota.  A removal
 * the sums cannot make exactly returns NULL: the window then recomputes its frame.
 */
static Datum
attainment_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *state = spm_tally_arg_for_update(fcinfo, 0, &attainment_state);

	if (!PG_ARGISNULL(1 + STATE_ACTUAL))
	{
		Numeric		actual = SPM_GETARG_NUMERIC_PACKED(1 + STATE_ACTUAL);

		spm_require_finite(actual, "actual");
		state = spm_tally_add(state, STATE_ACTUAL, actual, sign);
	}
	if (state != NULL && !PG_ARGISNULL(1 + STATE_QUOTA))
	{
		Numeric		quota = SPM_GETARG_NUMERIC_PACKED(1 + STATE_QUOTA);

		check_quota(quota);
		state = spm_tally_add(state, STATE_QUOTA, quota, sign);
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

PG_FUNCTION_INFO_V1(spm_attainment_accum);
Datum
spm_attainment_accum(PG_FUNCTION_ARGS)
{
	return attainment_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(spm_attainment_accum_inv);
Datum
spm_attainment_accum_inv(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a row from an empty attainment state"),
				 errhint("Inverse transition functions remove only rows that were added.")));
	return attainment_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(spm_attainment_combine);
Datum
spm_attainment_combine(PG_FUNCTION_ARGS)
{
	SpmTally   *state = spm_tally_arg_for_update(fcinfo, 0, &attainment_state);

	PG_RETURN_POINTER(spm_tally_merge(state, spm_tally_arg(fcinfo, 1, &attainment_state), 1));
}

PG_FUNCTION_INFO_V1(spm_attainment_final);
Datum
spm_attainment_final(PG_FUNCTION_ARGS)
{
	const SpmTally *state = spm_tally_arg(fcinfo, 0, &attainment_state);
	Numeric		result;
	bool		isnull;

	if (spm_tally_sum_sign(state, STATE_QUOTA) < 0)
		check_quota(spm_tally_get_sum(state, STATE_QUOTA));
	result = attainment_of(spm_tally_get_sum(state, STATE_ACTUAL),
						   spm_tally_get_sum(state, STATE_QUOTA), &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

PG_FUNCTION_INFO_V1(spm_attainment_state_in);
Datum
spm_attainment_state_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(spm_tally_in(PG_GETARG_CSTRING(0), &attainment_state));
}

PG_FUNCTION_INFO_V1(spm_attainment_state_out);
Datum
spm_attainment_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_tally_out(spm_tally_arg(fcinfo, 0, &attainment_state),
									&attainment_state));
}

PG_FUNCTION_INFO_V1(spm_attainment_state_recv);
Datum
spm_attainment_state_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(spm_tally_recv((StringInfo) PG_GETARG_POINTER(0), &attainment_state));
}

PG_FUNCTION_INFO_V1(spm_attainment_state_send);
Datum
spm_attainment_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(spm_tally_send(spm_tally_arg(fcinfo, 0, &attainment_state),
									 &attainment_state));
}

/* Weight i (0-based) of a kind of weights must be finite and not negative. */
static void
check_weight(Numeric weight, int i, const char *kind, const char *what_gets_it)
{
	if (numeric_is_nan(weight) || numeric_is_inf(weight))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s weights must be finite numbers", kind),
				 errdetail("Weight %d is %s.", i + 1, numeric_normalize(weight)),
				 errhint("Replace NaN and Infinity with a real weight.")));
	if (spm_numeric_sign(weight) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s weights must not be negative", kind),
				 errdetail("Weight %d is %s.", i + 1, numeric_normalize(weight)),
				 errhint("Use zero for %s that should get nothing.", what_gets_it)));
}

/*
 * Weights as integers at their common scale; NULLs are left out (nulls[i] set).  False
 * when some weight needs more than 64 bits there (e.g. a ratio with 20 decimals).
 */
static bool
allocation_weights(Datum *elems, bool *nulls, int n, int64 *weights)
{
	int			scale = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		Numeric		weight;

		if (nulls[i])
			continue;
		weight = DatumGetNumeric(elems[i]);
		check_weight(weight, i, "allocation", "a part");
		scale = Max(scale, spm_numeric_min_scale(weight));
	}
	for (i = 0; i < n; i++)
		if (!nulls[i] &&
			spm_numeric_to_units(DatumGetNumeric(elems[i]), scale, &weights[i]) != SPM_UNITS_OK)
			return false;
	return true;
}

/* A remainder of the numeric allocation and the part it belongs to. */
typedef struct NumericRemainder
{
	Numeric		remainder;
	int			index;
} NumericRemainder;

/* Larger remainder first, then the lower index: the order spm_allocate_units uses. */
static int
numeric_remainder_order(const void *a, const void *b)
{
	const NumericRemainder *x = a;
	const NumericRemainder *y = b;
	int			c = spm_numeric_cmp(y->remainder, x->remainder);

	return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

/*
 * spm_allocate_units in numeric arithmetic, for weights (finite, >= 0, not all zero)
 * too wide for 64-bit units: the same method, so the same parts.
 */
static void
allocate_units_numeric(int64 total, Numeric *weights, int n, int64 *parts)
{
	int64		magnitude = total < 0 ? -total : total;
	Numeric		magnitude_num = int64_to_numeric(magnitude);
	Numeric		weight_sum = int64_to_numeric(0);
	NumericRemainder *order = palloc(sizeof(NumericRemainder) * n);
	int64		given = 0;
	int			i;

	for (i = 0; i < n; i++)
		weight_sum = spm_numeric_add(weight_sum, weights[i]);
	for (i = 0; i < n; i++)
	{
		Numeric		product = spm_numeric_mul(magnitude_num, weights[i]);
		Numeric		part = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
															   NumericGetDatum(product),
															   NumericGetDatum(weight_sum)));

		parts[i] = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(part)));
		given += parts[i];
		order[i].remainder = spm_numeric_sub(product, spm_numeric_mul(part, weight_sum));
		order[i].index = i;
	}
	qsort(order, n, sizeof(NumericRemainder), numeric_remainder_order);
	/* fewer than n units are left over: one each to the largest remainders */
	for (i = 0; given < magnitude; i++, given++)
		parts[order[i].index]++;
	for (i = 0; total < 0 && i < n; i++)
		parts[i] = -parts[i];
	pfree(order);
}

/*
 * The parts, in currency units, for weights[0..n-1]; a NULL weight (nulls[i]) takes
 * no part, and when every weight is NULL nothing is allocated.  Checks the total, the
 * scale and every weight.
 */
static int64 *
allocate_units(Numeric total, int scale, Datum *weight_datums, bool *nulls, int n)
{
	int64		total_units;
	int64	   *weights = palloc0(sizeof(int64) * Max(n, 1));
	Numeric    *wide = palloc(sizeof(Numeric) * Max(n, 1));
	int64	   *parts = palloc0(sizeof(int64) * Max(n, 1));
	int64	   *taken;
	SpmRemainder *scratch;
	bool		fits;
	int			taking = 0;
	int			i;

	spm_check_scale(scale);
	spm_require_finite(total, "the total to allocate");
	total_units = spm_whole_units(total, scale, "total");
	fits = allocation_weights(weight_datums, nulls, n, weights);
	/* compact the non-NULL weights for the core */
	for (i = 0; i < n; i++)
		if (!nulls[i])
		{
			wide[taking] = DatumGetNumeric(weight_datums[i]);
			weights[taking++] = weights[i];
		}
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot allocate %s across no weights", numeric_normalize(total)),
				 errhint("Pass one weight per part, e.g. ARRAY[3, 2, 1].")));
	/* every weight NULL (a team of new hires): no part is allocated, every part is NULL */
	if (taking == 0)
		return parts;
	taken = palloc(sizeof(int64) * taking);
	scratch = palloc(sizeof(SpmRemainder) * taking);
	if (!fits)
		allocate_units_numeric(total_units, wide, taking, taken);
	else if (spm_allocate_units(total_units, weights, taking, taken, scratch) != SPM_OK)
		elog(ERROR, "allocation core refused checked weights");
	for (i = n - 1; i >= 0; i--)
		if (!nulls[i])
			parts[i] = taken[--taking];
	pfree(weights);
	pfree(wide);
	pfree(taken);
	pfree(scratch);
	return parts;
}

/*
 * allocate(total, weights, scale): the parts, multiples of 10^-scale summing exactly to
 * total.  A NULL weight takes no part and gets NULL.
 */
PG_FUNCTION_INFO_V1(spm_allocate);
Datum
spm_allocate(PG_FUNCTION_ARGS)
{
	Numeric		total = PG_GETARG_NUMERIC(0);
	ArrayType  *weight_array = PG_GETARG_ARRAYTYPE_P(1);
	int			scale = PG_GETARG_INT32(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64	   *parts;
	int			dims[1];
	int			lbs[1];
	int			i;

	n = spm_numeric_list(weight_array, "allocation weights",
					 "Pass one weight per part, e.g. ARRAY[3, 2, 1].", &elems, &nulls);
	parts = allocate_units(total, scale, elems, nulls, n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			elems[i] = NumericGetDatum(spm_units_to_numeric(parts[i], scale));
	dims[0] = n;
	/* part i stands where weight i stood, whatever the subscripts */
	lbs[0] = ARR_NDIM(weight_array) == 1 ? ARR_LBOUND(weight_array)[0] : 1;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, 1, dims, lbs, NUMERICOID,
											 -1, false, TYPALIGN_INT));
}

static const char *const total_partition_hint =
"PARTITION BY whatever the total belongs to (e.g. the team), so that every row of a partition carries the same total.";

/* A window partition's parts of its total, which every row carries with the scale. */
static void
compute_allocate_share(FunctionCallInfo fcinfo, WindowObject win, int64 n,
					   Datum *results, bool *nulls)
{
	Datum	   *weights = palloc(sizeof(Datum) * Max(n, 1));
	Datum		total = spm_partition_constant(fcinfo, win, 0, n, NULL, "total", "allocate_share",
											   total_partition_hint);
	int			scale = DatumGetInt32(spm_partition_constant(fcinfo, win, 2, n, NULL, "scale",
															 "allocate_share", total_partition_hint));
	int64	   *parts;
	int64		pos;

	spm_partition_column(fcinfo, win, 1, n, weights, nulls);
	parts = allocate_units(DatumGetNumeric(total), scale, weights, nulls, (int) n);
	for (pos = 0; pos < n; pos++)
		if (!nulls[pos])
			results[pos] = NumericGetDatum(spm_units_to_numeric(parts[pos], scale));
}

/*
 * allocate_share(total, weight, scale) OVER (PARTITION BY ... ORDER BY ...): this row's
 * part of its partition's total; ties go to the row that comes first in the window order.
 */
PG_FUNCTION_INFO_V1(spm_allocate_share);
Datum
spm_allocate_share(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_allocate_share);
}

/* ---------------------------------------------------------------- proration */

/*
 * numerator / denominator (denominator > 0) rounded half away from zero to scale
 * decimals, exactly: the integer quotient of numerator * 10^scale by the denominator,
 * plus one when twice the remainder reaches the denominator.  No inexact division.
 */
static Numeric
round_ratio(Numeric numerator, Numeric denominator, int scale)
{
	Numeric		scaled = spm_numeric_mul(numerator, int64_div_fast_to_numeric(1, -scale));
	Numeric		quotient = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc,
															   NumericGetDatum(scaled),
															   NumericGetDatum(denominator)));
	Numeric		remainder = spm_numeric_sub(scaled, spm_numeric_mul(quotient, denominator));
	int			sign = spm_numeric_sign(remainder);

	if (sign != 0)
	{
		Numeric		twice = spm_numeric_mul(remainder, int64_to_numeric(2 * sign));

		if (spm_numeric_cmp(twice, denominator) >= 0)
			quotient = sign > 0 ? spm_numeric_add(quotient, int64_to_numeric(1))
				: spm_numeric_sub(quotient, int64_to_numeric(1));
	}
	return spm_numeric_mul(quotient, int64_div_fast_to_numeric(1, scale));
}

/* A daterange's ends as days; unbounded or infinite ends become SPM_DAY_MIN / MAX. */
static bool
range_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi, bool *finite)
{
	RangeType  *range = PG_GETARG_RANGE_P(argno);
	TypeCacheEntry *typcache = range_get_typcache(fcinfo, RangeTypeGetOid(range));
	RangeBound	lower,
				upper;
	bool		empty;

	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
		return false;
	*finite = true;
	if (lower.infinite || DATE_NOT_FINITE(DatumGetDateADT(lower.val)))
		*lo = SPM_DAY_MIN, *finite = false;
	else
		*lo = DatumGetDateADT(lower.val) + (lower.inclusive ? 0 : 1);
	if (upper.infinite || DATE_NOT_FINITE(DatumGetDateADT(upper.val)))
		*hi = SPM_DAY_MAX, *finite = false;
	else
		*hi = DatumGetDateADT(upper.val) + (upper.inclusive ? 1 : 0);
	return true;
}

/* The period: a non-empty range with two finite ends. */
static void
period_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi)
{
	bool		finite;

	if (!range_days(fcinfo, argno, lo, hi, &finite))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must not be empty"),
				 errhint("Pass the quota period with its first day and the day after its last, e.g. daterange('2026-01-01', '2027-01-01').")));
	if (!finite)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must have a finite start and end"),
				 errdetail("A quota is prorated over the days of its period, so the period needs both ends."),
				 errhint("Pass the quota period with its first day and the day after its last, e.g. daterange('2026-01-01', '2027-01-01').")));
}

/*
 * The period of pacing or a run rate; false when it is empty, as period * active is for a
 * rep who left before the period or joins after it: nothing is expected of them.
 */
static bool
pace_period(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi)
{
	bool		finite;

	if (!range_days(fcinfo, argno, lo, hi, &finite))
		return false;
	period_days(fcinfo, argno, lo, hi);
	return true;
}

/* The active range; false when empty. */
static bool
active_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi)
{
	bool		finite;

	return range_days(fcinfo, argno, lo, hi, &finite);
}

/* A day as YYYY-MM-DD whatever the DateStyle. */
static char *
iso_day(int32 day)
{
	int			y,
				m,
				d;

	spm_day_to_civil(day, &y, &m, &d);
	return psprintf("%04d-%02d-%02d", y, m, d);
}

static void
check_whole_months(SpmStatus status, int32 lo, int32 hi)
{
	if (status == SPM_ERR_NOT_WHOLE_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period [%s, %s) is not a whole number of calendar months",
						iso_day(lo), iso_day(hi)),
				 errhint("Start the period on the 1st of a month and end it on a month end, e.g. daterange('2026-01-01', '2026-04-01').")));
}

/* prorate_days(quota, period, active, scale) */
PG_FUNCTION_INFO_V1(spm_prorate_days);
Datum
spm_prorate_days(PG_FUNCTION_ARGS)
{
	Numeric		quota = PG_GETARG_NUMERIC(0);
	int			scale = PG_GETARG_INT32(3);
	int32		plo,
				phi,
				alo,
				ahi;
	int64		days = 0;

	check_quota(quota);
	spm_check_scale(scale);
	period_days(fcinfo, 1, &plo, &phi);
	if (active_days(fcinfo, 2, &alo, &ahi))
		days = spm_overlap_days(plo, phi, alo, ahi);
	PG_RETURN_NUMERIC(round_ratio(spm_numeric_mul(quota, int64_to_numeric(days)),
								  int64_to_numeric((int64) phi - plo), scale));
}

/* prorate_months(quota, period, active, min_days, scale) */
PG_FUNCTION_INFO_V1(spm_prorate_months);
Datum
spm_prorate_months(PG_FUNCTION_ARGS)
{
	Numeric		quota = PG_GETARG_NUMERIC(0);
	int			min_days = PG_GETARG_INT32(3);
	int			scale = PG_GETARG_INT32(4);
	int32		plo,
				phi,
				alo = 0,
				ahi = 0;
	int64		counted = 0,
				months = 0;
	SpmStatus	status;

	check_quota(quota);
	spm_check_scale(scale);
	if (min_days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_days must be at least 1"),
				 errdetail("min_days given was %d.", min_days),
				 errhint("Pass the days of a month a rep must be active for it to count, e.g. 15.")));
	period_days(fcinfo, 1, &plo, &phi);
	if (!active_days(fcinfo, 2, &alo, &ahi))
		alo = ahi = plo;		/* empty: active in no month */
	status = spm_months_counted(plo, phi, alo, ahi, min_days, &counted, &months);
	check_whole_months(status, plo, phi);
	if (status != SPM_OK)
		elog(ERROR, "proration core refused checked arguments");
	PG_RETURN_NUMERIC(round_ratio(spm_numeric_mul(quota, int64_to_numeric(counted)),
								  int64_to_numeric(months), scale));
}

/* Weights: one-dimensional, non-empty, non-NULL, finite, >= 0, not all zero. */
static Numeric *
season_weights(ArrayType *array, int *n, Numeric *sum)
{
	Datum	   *elems;
	bool	   *nulls;
	Numeric    *weights;
	int			i;

	*n = spm_numeric_list(array, "seasonal weights", NULL, &elems, &nulls);
	if (*n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seasonal weights must not be empty"),
				 errhint("Pass one weight per sub-period, e.g. ARRAY[1, 1, 1, 2] for quarters.")));
	weights = palloc(sizeof(Numeric) * *n);
	*sum = int64_to_numeric(0);
	for (i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("seasonal weights must not be NULL"),
					 errdetail("Weight %d is NULL.", i + 1),
					 errhint("Use zero for a sub-period that carries no quota.")));
		weights[i] = DatumGetNumeric(elems[i]);
		check_weight(weights[i], i, "seasonal", "a sub-period");
		*sum = spm_numeric_add(*sum, weights[i]);
	}
	if (spm_numeric_sign(*sum) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seasonal weights must not all be zero"),
				 errhint("Give at least one sub-period a positive weight.")));
	return weights;
}

/*
 * prorate_days(quota, period, active, weights, scale): sum over sub-periods i of
 * quota * w_i / W * active_i / days_i, as one exact fraction over W * lcm(days_i),
 * rounded once.
 */
PG_FUNCTION_INFO_V1(spm_prorate_days_weighted);
Datum
spm_prorate_days_weighted(PG_FUNCTION_ARGS)
{
	Numeric		quota = PG_GETARG_NUMERIC(0);
	ArrayType  *weight_array = PG_GETARG_ARRAYTYPE_P(3);
	int			scale = PG_GETARG_INT32(4);
	int32		plo,
				phi,
				alo = 0,
				ahi = 0;
	bool		active;
	int64		months = 0;
	int			n,
				i;
	Numeric    *weights;
	Numeric		weight_sum;
	Numeric		numerator = int64_to_numeric(0);
	Numeric		common = int64_to_numeric(1);
	int32	   *bound;

	check_quota(quota);
	spm_check_scale(scale);
	weights = season_weights(weight_array, &n, &weight_sum);
	period_days(fcinfo, 1, &plo, &phi);
	active = active_days(fcinfo, 2, &alo, &ahi);
	check_whole_months(spm_whole_months(plo, phi, &months), plo, phi);
	if (months % n != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a period of " INT64_FORMAT " months cannot be split into %d equal sub-periods",
						months, n),
				 errhint("Pass as many weights as divide the months evenly, e.g. 4 (quarters) or 12 (months) for a year.")));
	/* sub-period i is [bound[i], bound[i + 1]) */
	bound = palloc(sizeof(int32) * (n + 1));
	for (i = 0; i <= n; i++)
		bound[i] = spm_add_months(plo, (months / n) * i);
	/* sum_i w_i * a_i / d_i over the common denominator lcm(d_i): sub-periods of whole
	 * months differ by a few days, so it stays small however many there are */
	for (i = 0; i < n; i++)
		common = DatumGetNumeric(DirectFunctionCall2(numeric_lcm, NumericGetDatum(common),
													 NumericGetDatum(int64_to_numeric((int64) bound[i + 1] - bound[i]))));
	for (i = 0; i < n; i++)
	{
		int64		days = active ? spm_overlap_days(bound[i], bound[i + 1], alo, ahi) : 0;
		Numeric		per_day = DatumGetNumeric(DirectFunctionCall2(numeric_div_trunc, NumericGetDatum(common),
																  NumericGetDatum(int64_to_numeric((int64) bound[i + 1] - bound[i]))));

		numerator = spm_numeric_add(numerator,
									spm_numeric_mul(weights[i], spm_numeric_mul(int64_to_numeric(days), per_day)));
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_NUMERIC(round_ratio(spm_numeric_mul(quota, numerator),
								  spm_numeric_mul(weight_sum, common), scale));
}

/* ramp_quota(full_quota, tenure_month, schedule) */
PG_FUNCTION_INFO_V1(spm_ramp_quota);
Datum
spm_ramp_quota(PG_FUNCTION_ARGS)
{
	Numeric		full = PG_GETARG_NUMERIC(0);
	int32		tenure = PG_GETARG_INT32(1);
	ArrayType  *schedule = PG_GETARG_ARRAYTYPE_P(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	check_quota(full);
	/* entry 1 is tenure month 1: a schedule subscripted otherwise would be misread */
	if (ARR_NDIM(schedule) == 1 && ARR_LBOUND(schedule)[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("ramp schedule must be subscripted from 1"),
				 errdetail("Its first subscript is %d.", ARR_LBOUND(schedule)[0]),
				 errhint("Entry 1 is the factor for the hire month: pass e.g. ARRAY[0.25, 0.5, 0.75].")));
	n = spm_numeric_list(schedule, "ramp schedule", NULL, &elems, &nulls);
	for (i = 0; i < n; i++)
	{
		Numeric		factor;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ramp schedule entries must not be NULL"),
					 errdetail("Entry %d is NULL.", i + 1),
					 errhint("Give every ramp month a factor, e.g. ARRAY[0.25, 0.5, 0.75].")));
		factor = DatumGetNumeric(elems[i]);
		spm_require_finite(factor, "a ramp schedule entry");
		if (spm_numeric_sign(factor) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ramp schedule entries must not be negative"),
					 errdetail("Entry %d is %s.", i + 1, numeric_normalize(factor)),
					 errhint("Use zero for a month with no quota.")));
		/* a ramp lowers the quota: 50 is a percentage typed for 0.5, not 50 times quota */
		if (spm_numeric_cmp(factor, int64_to_numeric(1)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ramp schedule entries must not exceed 1"),
					 errdetail("Entry %d is %s.", i + 1, numeric_normalize(factor)),
					 errhint("Give each month its fraction of the full quota, e.g. ARRAY[0.25, 0.5, 0.75] for 25 %%, 50 %%, 75 %%.")));
	}
	if (tenure < 1)
		PG_RETURN_NUMERIC(int64_to_numeric(0));
	if (tenure > n)
		PG_RETURN_NUMERIC(full);
	PG_RETURN_NUMERIC(spm_numeric_mul(full, DatumGetNumeric(elems[tenure - 1])));
}

static void
check_finite_date(DateADT day, const char *what)
{
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date", what),
				 errhint("Replace infinity and -infinity with a real date.")));
}

/* tenure_month(hire_date, month) */
PG_FUNCTION_INFO_V1(spm_tenure_month_of);
Datum
spm_tenure_month_of(PG_FUNCTION_ARGS)
{
	DateADT		hire = PG_GETARG_DATEADT(0);
	DateADT		month = PG_GETARG_DATEADT(1);

	check_finite_date(hire, "hire_date");
	check_finite_date(month, "month");
	PG_RETURN_INT32((int32) spm_tenure_month(hire, month));
}

/* Days of the period up to and including as_of, clamped to the period. */
static int64
elapsed_days(int32 plo, int32 phi, DateADT as_of)
{
	check_finite_date(as_of, "as_of");
	return spm_overlap_days(plo, phi, SPM_DAY_MIN, as_of == SPM_DAY_MAX ? as_of : as_of + 1);
}

/* pacing(actual, quota, period, as_of) = actual * period_days / (quota * elapsed_days) */
PG_FUNCTION_INFO_V1(spm_pacing);
Datum
spm_pacing(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	Numeric		quota = PG_GETARG_NUMERIC(1);
	int32		plo,
				phi;
	int64		elapsed;
	Numeric		expected;

	spm_require_finite(actual, "actual");
	check_quota(quota);
	if (!pace_period(fcinfo, 2, &plo, &phi))
		PG_RETURN_NULL();
	elapsed = elapsed_days(plo, phi, PG_GETARG_DATEADT(3));
	expected = spm_numeric_mul(quota, int64_to_numeric(elapsed));
	if (spm_numeric_sign(expected) == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_div(spm_numeric_mul(actual, int64_to_numeric((int64) phi - plo)),
									  expected));
}

/* run_rate(actual, period, as_of) = actual * period_days / elapsed_days */
PG_FUNCTION_INFO_V1(spm_run_rate);
Datum
spm_run_rate(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	int32		plo,
				phi;
	int64		elapsed;

	spm_require_finite(actual, "actual");
	if (!pace_period(fcinfo, 1, &plo, &phi))
		PG_RETURN_NULL();
	elapsed = elapsed_days(plo, phi, PG_GETARG_DATEADT(2));
	if (elapsed == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_div(spm_numeric_mul(actual, int64_to_numeric((int64) phi - plo)),
									  int64_to_numeric(elapsed)));
}
