/*
 * chart.c: the points a BI tool plots, as set-returning functions: a plan's payout
 * curve (commission and effective rate against attainment, how plan designers check a
 * plan) and the Lorenz curve of a set of values (territory balance beside its Gini).
 *
 * Every point is exact decimal arithmetic: the curve's commission is spm.commission's,
 * the shares are numeric divisions.  This file only lays points out; it must not hold
 * commission or balance math of its own.
 */
#include "spm.h"
#include "tier_schedule.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* Decimals of an attainment step (max_attainment * k / points, rounded half away from zero). */
#define STEP_SCALE 6
/* The most points one curve returns. */
#define MAX_POINTS 10000

/* x without trailing fraction zeros: 0.050000 shows as 0.05 */
static Numeric
trimmed(Numeric x)
{
	return spm_numeric_round(x, spm_numeric_min_scale(x));
}

/* The curve's arguments: a positive finite quota and max_attainment, 1..MAX_POINTS points. */
static void
check_curve_args(Numeric quota, Numeric max_attainment, int points)
{
	if (spm_finite_sign(quota, "quota") <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota must be positive for a payout curve"),
				 errdetail("The quota given was %s.", spm_numeric_text(quota)),
				 errhint("Attainment is credit divided by quota: pass the quota of the period the plan pays on.")));
	if (spm_finite_sign(max_attainment, "max_attainment") <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_attainment must be positive"),
				 errdetail("The value given was %s.", spm_numeric_text(max_attainment)),
				 errhint("Pass the attainment the curve ends at as a fraction, e.g. 2 for 200%%.")));
	if (points < 1 || points > MAX_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 1 and %d", MAX_POINTS),
				 errdetail("points given was %d.", points),
				 errhint("Pass how many steps to divide 0..max_attainment into, e.g. 40.")));
}

/*
 * payout_curve(schedule, quota, max_attainment, points, target_incentive): the plan at
 * points + 1 attainments from 0 to max_attainment, evenly spaced: attainment, credit
 * (attainment * quota), commission (spm.commission of the credit; a pay curve's, with
 * target_incentive) and the effective rate (commission / credit; NULL at 0).  NULL for
 * any argument but target_incentive gives no rows, as a strict function would.
 */
PG_FUNCTION_INFO_V1(spm_payout_curve);
Datum
spm_payout_curve(PG_FUNCTION_ARGS)
{
	Datum		schedule;
	Numeric		quota;
	Numeric		max_attainment;
	int			points;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		return (Datum) 0;
	schedule = PG_GETARG_DATUM(0);
	quota = PG_GETARG_NUMERIC(1);
	max_attainment = PG_GETARG_NUMERIC(2);
	points = PG_GETARG_INT32(3);
	check_curve_args(quota, max_attainment, points);
	for (k = 0; k <= points; k++)
	{
		ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
		Numeric		attainment = trimmed(spm_numeric_round_ratio(spm_numeric_mul(max_attainment,
																				   int64_to_numeric(k)),
																 int64_to_numeric(points), STEP_SCALE));
		Numeric		credit = trimmed(spm_numeric_mul(attainment, quota));
		Datum		commission = PG_ARGISNULL(4)
			? DirectFunctionCall3(spm_commission_of, NumericGetDatum(credit), schedule,
								  NumericGetDatum(quota))
			: DirectFunctionCall4(spm_curve_commission, NumericGetDatum(credit), schedule,
								  NumericGetDatum(quota), PG_GETARG_DATUM(4));
		Datum		values[4] = {NumericGetDatum(attainment), NumericGetDatum(credit), commission, 0};
		/* no rate without credit: at 0, and at steps too small for STEP_SCALE */
		bool		nulls[4] = {false, false, false, spm_numeric_sign(credit) == 0};

		CHECK_FOR_INTERRUPTS();
		if (!nulls[3])
			values[3] = NumericGetDatum(spm_numeric_div(DatumGetNumeric(commission), credit));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

static int
numeric_order(const void *a, const void *b)
{
	return spm_numeric_cmp(*(const Numeric *) a, *(const Numeric *) b);
}

/*
 * lorenz_curve(values): the Lorenz curve of the non-NULL values (finite, >= 0): from
 * (0, 0), one point per value, smallest first: the share of the population counted so
 * far and the share of the total it holds.  All values zero: the line of equality.
 */
PG_FUNCTION_INFO_V1(spm_lorenz_curve);
Datum
spm_lorenz_curve(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *elems;
	bool	   *nulls;
	int			n = spm_numeric_list(PG_GETARG_ARRAYTYPE_P(0), "amounts",
									 "Pass one value per territory, e.g. ARRAY(SELECT revenue FROM territory_totals).",
									 &elems, &nulls);
	Numeric    *values = palloc(sizeof(Numeric) * Max(n, 1));
	Numeric		total = int64_to_numeric(0);
	Numeric		running = int64_to_numeric(0);
	int			count = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (!nulls[i])
		{
			values[count] = DatumGetNumeric(elems[i]);
			spm_require_not_negative(values[count], "a value",
									 "Lorenz curves are of sizes: territory values, revenue, accounts.");
			total = spm_numeric_add(total, values[count++]);
		}
	qsort(values, count, sizeof(Numeric), numeric_order);
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; count > 0 && i <= count; i++)
	{
		Numeric		population = trimmed(spm_numeric_div(int64_to_numeric(i), int64_to_numeric(count)));
		Datum		point[2] = {NumericGetDatum(population), NumericGetDatum(population)};
		bool		point_nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			running = spm_numeric_add(running, values[i - 1]);
		if (spm_numeric_sign(total) > 0)
			point[1] = NumericGetDatum(trimmed(spm_numeric_div(running, total)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, point, point_nulls);
	}
	return (Datum) 0;
}
