/*
 * quota.c: quota attainment (per row and per group), allocation of a quota by
 * weights, proration by days, months and seasons, ramps, tenure, pacing and run rate.
 *
 * Group attainment is sum(actual) / sum(quota), never an average of ratios.  Its
 * aggregate state, spm.attainment_state, is a tally of the two exact sums: a real SQL
 * type, so parallel workers and Citus can ship partial states as text.  Calendar math
 * is quota_core.c and allocation is apportion.c: this file checks arguments, words
 * errors and must not grow a rounding or calendar rule of its own.
 */
#include "spm.h"
#include "apportion.h"
#include "quota.h"
#include "quota_core.h"
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
	spm_require_not_negative(quota, "quota", "Store quotas as amounts of zero or more.");
}

PG_FUNCTION_INFO_V1(spm_attainment);
Datum
spm_attainment(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	Numeric		quota = PG_GETARG_NUMERIC(1);

	spm_require_finite(actual, "actual");
	check_quota(quota);
	SPM_RETURN_RATIO(actual, quota);
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
	SpmTally   *state;

	if (sign < 0 && PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a row from an empty attainment state"),
				 errhint("Inverse transition functions remove only rows that were added.")));
	state = spm_tally_arg_for_update(fcinfo, 0, &attainment_state);

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

SPM_MOVING_TRANSITIONS(spm_attainment_accum, spm_attainment_accum_inv, attainment_step)

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

	if (spm_tally_sum_sign(state, STATE_QUOTA) < 0)
		check_quota(spm_tally_get_sum(state, STATE_QUOTA));
	SPM_RETURN_RATIO(spm_tally_get_sum(state, STATE_ACTUAL), spm_tally_get_sum(state, STATE_QUOTA));
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
				 errdetail("Weight %d is %s.", i + 1, spm_numeric_text(weight)),
				 errhint("Replace NaN and Infinity with a real weight.")));
	if (spm_numeric_sign(weight) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s weights must not be negative", kind),
				 errdetail("Weight %d is %s.", i + 1, spm_numeric_text(weight)),
				 errhint("Use zero for %s that should get nothing.", what_gets_it)));
}

static const char *const weights_hint = "Pass one weight per part, e.g. ARRAY[3, 2, 1].";

/*
 * The parts, multiples of 10^-scale, of total for weights[0..n-1], into parts[i] (which
 * may be weights); a NULL weight (nulls[i]) takes no part and its part is left alone,
 * and when every weight is NULL (a team of new hires) nothing is allocated.  Checks the
 * total, the scale and every weight.
 */
static void
allocate_parts(Numeric total, int scale, Datum *weights, bool *nulls, int n, Datum *parts)
{
	int64		total_units = spm_apportion_total(total, scale, "total", n, "weights", weights_hint);
	int64	   *units = palloc(sizeof(int64) * Max(n, 1));
	int			i;

	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!nulls[i])
			check_weight(DatumGetNumeric(weights[i]), i, "allocation", "a part");
	}
	spm_apportion_by_weights(total_units, weights, nulls, n, units);
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (!nulls[i])
			parts[i] = NumericGetDatum(spm_units_to_numeric(units[i], scale));
	}
}

/*
 * allocate(total, weights, scale): the parts, multiples of 10^-scale summing exactly to
 * total, each where its weight stood.  A NULL weight takes no part and gets NULL.
 */
PG_FUNCTION_INFO_V1(spm_allocate);
Datum
spm_allocate(PG_FUNCTION_ARGS)
{
	ArrayType  *weight_array = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *weights;
	bool	   *nulls;
	int			n = spm_numeric_list(weight_array, "allocation weights", weights_hint,
									 &weights, &nulls);

	allocate_parts(PG_GETARG_NUMERIC(0), PG_GETARG_INT32(2), weights, nulls, n, weights);
	PG_RETURN_ARRAYTYPE_P(spm_parts_array(weight_array, weights, nulls, n));
}

static const char *const total_partition_hint =
"PARTITION BY whatever the total belongs to (e.g. the team), so that every row of a partition carries the same total.";

/* A window partition's parts of its total, which every row carries with the scale. */
static void
compute_allocate_share(FunctionCallInfo fcinfo, WindowObject win, int64 n,
					   Datum *results, bool *nulls)
{
	Datum		total = spm_partition_constant(fcinfo, win, 0, n, NULL, "total", "allocate_share",
											   total_partition_hint);
	Datum		scale = spm_partition_constant(fcinfo, win, 2, n, NULL, "scale", "allocate_share",
											   total_partition_hint);

	/* the weights, then each row's part in its place */
	spm_partition_column(fcinfo, win, 1, n, results, nulls);
	allocate_parts(DatumGetNumeric(total), DatumGetInt32(scale), results, nulls, (int) n, results);
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

bool
spm_range_days(FunctionCallInfo fcinfo, Datum range_datum, int32 *lo, int32 *hi, bool *finite)
{
	RangeType  *range = DatumGetRangeTypeP(range_datum);
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

void
spm_period_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi)
{
	bool		finite;

	if (!spm_range_days(fcinfo, PG_GETARG_DATUM(argno), lo, hi, &finite))
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

	if (!spm_range_days(fcinfo, PG_GETARG_DATUM(argno), lo, hi, &finite))
		return false;
	spm_period_days(fcinfo, argno, lo, hi);
	return true;
}

/* The active range; false when empty. */
static bool
active_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi)
{
	bool		finite;

	return spm_range_days(fcinfo, PG_GETARG_DATUM(argno), lo, hi, &finite);
}

/* A day as YYYY-MM-DD whatever the DateStyle. */
char *
spm_iso_day(int32 day)
{
	int			y,
				m,
				d;

	spm_day_to_civil(day, &y, &m, &d);
	return psprintf("%04d-%02d-%02d", y, m, d);
}

static void
check_whole_months(SpmQuotaStatus status, int32 lo, int32 hi)
{
	if (status == SPM_QUOTA_NOT_WHOLE_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period [%s, %s) is not a whole number of calendar months",
						spm_iso_day(lo), spm_iso_day(hi)),
				 errhint("Start the period on the 1st of a month and end it on a month end, e.g. daterange('2026-01-01', '2026-04-01').")));
}

/* The period argument argno, whole calendar months (22023 otherwise): its days and months. */
void
spm_month_period(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi, int64 *months)
{
	spm_period_days(fcinfo, argno, lo, hi);
	check_whole_months(spm_whole_months(*lo, *hi, months), *lo, *hi);
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
	spm_period_days(fcinfo, 1, &plo, &phi);
	if (active_days(fcinfo, 2, &alo, &ahi))
		days = spm_overlap_days(plo, phi, alo, ahi);
	PG_RETURN_NUMERIC(spm_numeric_round_ratio(spm_numeric_mul(quota, int64_to_numeric(days)),
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
	SpmQuotaStatus	status;

	check_quota(quota);
	spm_check_scale(scale);
	if (min_days < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_days must be at least 1"),
				 errdetail("min_days given was %d.", min_days),
				 errhint("Pass the days of a month a rep must be active for it to count, e.g. 15.")));
	spm_period_days(fcinfo, 1, &plo, &phi);
	if (!active_days(fcinfo, 2, &alo, &ahi))
		alo = ahi = plo;		/* empty: active in no month */
	status = spm_months_counted(plo, phi, alo, ahi, min_days, &counted, &months);
	check_whole_months(status, plo, phi);
	if (status != SPM_QUOTA_OK)
		elog(ERROR, "proration core refused checked arguments");
	PG_RETURN_NUMERIC(spm_numeric_round_ratio(spm_numeric_mul(quota, int64_to_numeric(counted)),
													  int64_to_numeric(months), scale));
}

/* Weights: one-dimensional, non-empty, non-NULL, finite, >= 0, not all zero. */
static Numeric *
season_weights(ArrayType *array, int *n, Numeric *sum)
{
	Datum	   *elems;
	Numeric    *weights;
	int			i;

	*n = spm_numeric_list_no_nulls(array, "seasonal weights", NULL,
								   "Use zero for a sub-period that carries no quota.", &elems);
	if (*n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("seasonal weights must not be empty"),
				 errhint("Pass one weight per sub-period, e.g. ARRAY[1, 1, 1, 2] for quarters.")));
	weights = palloc(sizeof(Numeric) * *n);
	*sum = int64_to_numeric(0);
	for (i = 0; i < *n; i++)
	{
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
	spm_period_days(fcinfo, 1, &plo, &phi);
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
		Numeric		per_day = spm_numeric_div_trunc(common,
													   int64_to_numeric((int64) bound[i + 1] - bound[i]));

		numerator = spm_numeric_add(numerator,
									spm_numeric_mul(weights[i], spm_numeric_mul(int64_to_numeric(days), per_day)));
		CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_NUMERIC(spm_numeric_round_ratio(spm_numeric_mul(quota, numerator),
													  spm_numeric_mul(weight_sum, common), scale));
}

/* The checked factors of a ramp schedule (quota.h). */
int
spm_ramp_schedule(ArrayType *schedule, Datum **elems)
{
	int			n;

	/* entry 1 is tenure month 1: a schedule subscripted otherwise would be misread */
	if (ARR_NDIM(schedule) == 1 && ARR_LBOUND(schedule)[0] != 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("ramp schedule must be subscripted from 1"),
				 errdetail("Its first subscript is %d.", ARR_LBOUND(schedule)[0]),
				 errhint("Entry 1 is the factor for the hire month: pass e.g. ARRAY[0.25, 0.5, 0.75].")));
	n = spm_numeric_list_no_nulls(schedule, "ramp schedule", NULL,
								  "Give every ramp month a factor, e.g. ARRAY[0.25, 0.5, 0.75].", elems);
	for (int i = 0; i < n; i++)
	{
		Numeric		factor = DatumGetNumeric((*elems)[i]);

		spm_require_finite(factor, "a ramp schedule entry");
		if (spm_numeric_sign(factor) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ramp schedule entries must not be negative"),
					 errdetail("Entry %d is %s.", i + 1, spm_numeric_text(factor)),
					 errhint("Use zero for a month with no quota.")));
		/* a ramp lowers the quota: 50 is a percentage typed for 0.5, not 50 times quota */
		if (spm_numeric_cmp(factor, int64_to_numeric(1)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("ramp schedule entries must not exceed 1"),
					 errdetail("Entry %d is %s.", i + 1, spm_numeric_text(factor)),
					 errhint("Give each month its fraction of the full quota, e.g. ARRAY[0.25, 0.5, 0.75] for 25%%, 50%%, 75%%.")));
	}
	return n;
}

/*
 * The quota of tenure month tenure under the n checked ramp factors: 0 before the hire
 * month, the full quota after the schedule (quota.h).
 */
Numeric
spm_ramped_quota(Numeric full, int32 tenure, const Datum *factors, int n)
{
	if (tenure < 1)
		return int64_to_numeric(0);
	if (tenure > n)
		return full;
	return spm_numeric_mul(full, DatumGetNumeric(factors[tenure - 1]));
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
	int			n;

	check_quota(full);
	n = spm_ramp_schedule(schedule, &elems);
	PG_RETURN_NUMERIC(spm_ramped_quota(full, tenure, elems, n));
}

/* Date argument argno, which must be finite; what names it in the message. */
DateADT
spm_finite_date_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	DateADT		day = PG_GETARG_DATEADT(argno);

	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date", what),
				 errhint("Replace infinity and -infinity with a real date.")));
	return day;
}

/* tenure_month(hire_date, month) */
PG_FUNCTION_INFO_V1(spm_tenure_month_of);
Datum
spm_tenure_month_of(PG_FUNCTION_ARGS)
{
	DateADT		hire = spm_finite_date_arg(fcinfo, 0, "hire_date");

	PG_RETURN_INT32((int32) spm_tenure_month(hire, spm_finite_date_arg(fcinfo, 1, "month")));
}

/* Days of the period up to and including as_of (argument argno), clamped to the period. */
static int64
elapsed_days(FunctionCallInfo fcinfo, int argno, int32 plo, int32 phi)
{
	DateADT		as_of = spm_finite_date_arg(fcinfo, argno, "as_of");

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
	elapsed = elapsed_days(fcinfo, 3, plo, phi);
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
	elapsed = elapsed_days(fcinfo, 2, plo, phi);
	if (elapsed == 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_div(spm_numeric_mul(actual, int64_to_numeric((int64) phi - plo)),
									  int64_to_numeric(elapsed)));
}
