/*
 * forecast.c: forecasting.  Forecast accuracy: the accuracy summary (its aggregate,
 * accessors, rollup and type I/O) and the one-line aggregates wape, mape, bias and
 * tracking_signal, which share its state.
 *
 * The summary, spm.accuracy_summary, is an SpmTally (tally.h) of two counts and five
 * exact sums.  One pair's terms (|f - a|, |a|, the rounded percentage error) are
 * forecast_core.c's, in 128-bit fixed point; this file falls back to numeric arithmetic
 * when they do not fit, and words the errors.  Every ratio and mean an accessor
 * returns is rounded once, half away from zero, to RESULT_SCALE decimals.
 */
#include "spm.h"
#include "tally.h"
#include "forecast_core.h"

#include "fmgr.h"
#include "utils/fmgrprotos.h"

/* Decimals of every ratio and mean of an accuracy summary. */
#define RESULT_SCALE 20

/* The counts and sums of spm.accuracy_summary, in the order of its text form. */
enum
{
	PERIODS, ZERO_ACTUALS
};
enum
{
	FORECAST, ACTUAL, ABS_ERROR, ABS_ACTUAL, APE, NSUMS
};

static const char *const accuracy_names[] = {
	"periods", "zero_actuals", "forecast", "actual", "abs_error", "abs_actual", "ape"
};
static const SpmTallyShape accuracy_shape = {"spm.accuracy_summary", 2, NSUMS, accuracy_names};

#define SUM_NAME(i) (accuracy_names[ZERO_ACTUALS + 1 + (i)])

/* sum(forecast) - sum(actual): the total error, forecast minus actual. */
static Numeric
total_error(const SpmTally *t)
{
	return spm_numeric_sub(spm_tally_get_sum(t, FORECAST), spm_tally_get_sum(t, ACTUAL));
}

/*
 * What no accuracy summary can hold: negative counts or absolute sums, more zero actuals
 * than periods, sums without periods, absolute sums that disagree with the zero actuals
 * or are smaller than the signed sums they bound.
 */
static const char *
accuracy_flaw(const SpmTally *t)
{
	int64		periods = spm_tally_get_count(t, PERIODS);
	int64		zeros = spm_tally_get_count(t, ZERO_ACTUALS);
	int			i;

	if (periods < 0 || zeros < 0)
		return "a count is negative";
	if (zeros > periods)
		return "zero_actuals exceeds periods";
	for (i = ABS_ERROR; i <= APE; i++)
		if (spm_tally_sum_sign(t, i) < 0)
			return psprintf("%s is negative", SUM_NAME(i));
	for (i = FORECAST; periods == 0 && i < NSUMS; i++)
		if (spm_tally_sum_sign(t, i) != 0)
			return psprintf("%s is not zero while periods is", SUM_NAME(i));
	if (spm_tally_sum_sign(t, ABS_ACTUAL) == 0 && zeros < periods)
		return "abs_actual is zero while some actuals are not (zero_actuals < periods)";
	if (spm_tally_sum_sign(t, ABS_ACTUAL) != 0 && zeros == periods)
		return "abs_actual is not zero while every actual is (zero_actuals = periods)";
	if (spm_tally_sum_sign(t, APE) != 0 && (zeros == periods || spm_tally_sum_sign(t, ABS_ERROR) == 0))
		return "ape is not zero while no period has a percentage error";
	if (spm_numeric_cmp(spm_numeric_abs(spm_tally_get_sum(t, ACTUAL)), spm_tally_get_sum(t, ABS_ACTUAL)) > 0)
		return "|actual| exceeds abs_actual";
	if (spm_numeric_cmp(spm_numeric_abs(total_error(t)), spm_tally_get_sum(t, ABS_ERROR)) > 0)
		return "|forecast - actual| exceeds abs_error";
	return NULL;
}

static void
check_accuracy(const SpmTally *t, int sqlstate)
{
	const char *flaw = accuracy_flaw(t);

	if (flaw)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid spm.accuracy_summary: %s", flaw),
				 errhint("Build accuracy summaries with spm.accuracy_summary(forecast, actual) or spm.rollup(summary), not by hand.")));
}

/* ---------------------------------------------------------------- type I/O */

PG_FUNCTION_INFO_V1(spm_accuracy_summary_in);
Datum
spm_accuracy_summary_in(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_in(PG_GETARG_CSTRING(0), &accuracy_shape);

	check_accuracy(t, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_accuracy_summary_out);
Datum
spm_accuracy_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_tally_out(spm_tally_arg(fcinfo, 0, &accuracy_shape), &accuracy_shape));
}

PG_FUNCTION_INFO_V1(spm_accuracy_summary_recv);
Datum
spm_accuracy_summary_recv(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_recv((StringInfo) PG_GETARG_POINTER(0), &accuracy_shape);

	check_accuracy(t, ERRCODE_PROTOCOL_VIOLATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_accuracy_summary_send);
Datum
spm_accuracy_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(spm_tally_send(spm_tally_arg(fcinfo, 0, &accuracy_shape), &accuracy_shape));
}

/* ---------------------------------------------------------------- transition */

/* Count i += sign, refusing to remove a period the summary does not hold. */
static void
count_period(SpmTally *t, int i, int sign)
{
	if (sign < 0 && spm_tally_get_count(t, i) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a period that spm.accuracy_summary does not hold"),
				 errdetail("Its %s count is 0.", accuracy_names[i]),
				 errhint("Inverse transition functions remove only rows that were added.")));
	spm_tally_count(t, i, sign);
}

/*
 * Add (sign 1) or remove (sign -1) the sums of one pair: 128-bit terms from the core
 * where they fit, numeric arithmetic otherwise (the same values, of the same display
 * scales).  NULL when the window must recompute its frame (see tally.h).
 */
static SpmTally *
add_pair(SpmTally *t, Numeric forecast, Numeric actual, bool zero_actual, int sign)
{
	spm_int128	f,
				a;
	int			fs,
				as;
	SpmAccuracyTerms terms;
	Numeric		values[NSUMS];
	int			i;

	if (spm_numeric_to_fixed_dscale(forecast, &f, &fs) &&
		spm_numeric_to_fixed_dscale(actual, &a, &as) &&
		spm_accuracy_terms(f, fs, a, as, &terms) == SPM_FORECAST_OK)
	{
		const spm_int128 units[NSUMS] = {f, a, terms.abs_error, terms.abs_actual, terms.ape};
		const int	scales[NSUMS] = {fs, as, terms.error_scale, as, SPM_FORECAST_APE_SCALE};

		for (i = FORECAST; t != NULL && i < NSUMS; i++)
			if (i != APE || !zero_actual)
				t = spm_tally_add_fixed(t, i, units[i], scales[i], sign);
		return t;
	}
	/* numeric arithmetic needs unpacked values */
	values[FORECAST] = (Numeric) PG_DETOAST_DATUM(PointerGetDatum(forecast));
	values[ACTUAL] = (Numeric) PG_DETOAST_DATUM(PointerGetDatum(actual));
	values[ABS_ERROR] = spm_numeric_abs(spm_numeric_sub(values[FORECAST], values[ACTUAL]));
	values[ABS_ACTUAL] = spm_numeric_abs(values[ACTUAL]);
	values[APE] = zero_actual ? NULL :
		spm_numeric_round_ratio(values[ABS_ERROR], values[ABS_ACTUAL], SPM_FORECAST_APE_SCALE);
	for (i = FORECAST; t != NULL && i < NSUMS; i++)
		if (values[i] != NULL)
			t = spm_tally_add(t, i, values[i], sign);
	return t;
}

/*
 * accuracy_summary_accum(state, forecast, actual): add (sign 1) or remove (sign -1) one
 * period.  A row with a NULL forecast or actual is no pair and is skipped.
 */
static Datum
accuracy_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *t;
	Numeric		forecast;
	Numeric		actual;
	bool		zero_actual;

	if (sign < 0 && PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a period from an empty spm.accuracy_summary"),
				 errhint("Inverse transition functions remove only rows that were added.")));
	t = spm_tally_arg_for_update(fcinfo, 0, &accuracy_shape);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(t);
	forecast = SPM_GETARG_NUMERIC_PACKED(1);
	actual = SPM_GETARG_NUMERIC_PACKED(2);
	spm_require_finite(forecast, "forecast");
	zero_actual = spm_finite_sign(actual, "actual") == 0;
	count_period(t, PERIODS, sign);
	if (zero_actual)
		count_period(t, ZERO_ACTUALS, sign);
	t = add_pair(t, forecast, actual, zero_actual, sign);
	if (t == NULL)
		PG_RETURN_NULL();		/* the window recomputes its frame (see tally.h) */
	PG_RETURN_POINTER(t);
}

SPM_MOVING_TRANSITIONS(spm_accuracy_summary_accum, spm_accuracy_summary_accum_inv, accuracy_step)

/* merge and unmerge two summaries; unmerging must leave a valid summary */
SPM_TALLY_MERGE_FUNCTIONS(spm_accuracy_summary_merge, spm_accuracy_summary_unmerge, &accuracy_shape, accuracy_flaw, "an accuracy summary")

/* ---------------------------------------------------------------- accessors */

static const SpmTally *
accuracy_arg(FunctionCallInfo fcinfo)
{
	return spm_tally_arg(fcinfo, 0, &accuracy_shape);
}

/*
 * Return numerator / denominator (never negative) rounded half away from zero to
 * RESULT_SCALE decimals, or SQL NULL when the denominator is zero.
 */
#define RETURN_ROUNDED_RATIO(numerator, denominator) \
	do { \
		Numeric		den_ = (denominator); \
		if (spm_numeric_sign(den_) == 0) \
			PG_RETURN_NULL(); \
		PG_RETURN_NUMERIC(spm_numeric_round_ratio((numerator), den_, RESULT_SCALE)); \
	} while (0)

SPM_TALLY_COUNT_ACCESSOR(spm_accuracy_period_count, &accuracy_shape, PERIODS)
SPM_TALLY_COUNT_ACCESSOR(spm_accuracy_zero_actual_count, &accuracy_shape, ZERO_ACTUALS)
SPM_TALLY_SUM_ACCESSOR(spm_accuracy_forecast_sum, &accuracy_shape, FORECAST)
SPM_TALLY_SUM_ACCESSOR(spm_accuracy_actual_sum, &accuracy_shape, ACTUAL)

/* The periods as a numeric, the denominator of the means. */
static Numeric
periods_of(const SpmTally *t)
{
	return int64_to_numeric(spm_tally_get_count(t, PERIODS));
}

/* wape = sum |f - a| / sum |a|.  Also the final function of spm.wape(forecast, actual). */
PG_FUNCTION_INFO_V1(spm_accuracy_wape);
Datum
spm_accuracy_wape(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(spm_tally_get_sum(t, ABS_ERROR), spm_tally_get_sum(t, ABS_ACTUAL));
}

/* mape = sum of the rounded |f - a| / |a| over the periods whose actual is not zero, / their number. */
PG_FUNCTION_INFO_V1(spm_accuracy_mape);
Datum
spm_accuracy_mape(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(spm_tally_get_sum(t, APE),
						 int64_to_numeric(spm_tally_get_count(t, PERIODS) - spm_tally_get_count(t, ZERO_ACTUALS)));
}

/* mad = sum |f - a| / periods: the mean absolute deviation (MAE). */
PG_FUNCTION_INFO_V1(spm_accuracy_mad);
Datum
spm_accuracy_mad(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(spm_tally_get_sum(t, ABS_ERROR), periods_of(t));
}

/* bias = sum (f - a) / periods: the mean error, positive when the forecast ran high. */
PG_FUNCTION_INFO_V1(spm_accuracy_bias);
Datum
spm_accuracy_bias(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(total_error(t), periods_of(t));
}

/* relative_bias = sum (f - a) / sum |a|: the signed counterpart of wape. */
PG_FUNCTION_INFO_V1(spm_accuracy_relative_bias);
Datum
spm_accuracy_relative_bias(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(total_error(t), spm_tally_get_sum(t, ABS_ACTUAL));
}

/* tracking_signal = sum (f - a) / mad = periods * sum (f - a) / sum |f - a|, from -periods to periods. */
PG_FUNCTION_INFO_V1(spm_accuracy_tracking_signal);
Datum
spm_accuracy_tracking_signal(PG_FUNCTION_ARGS)
{
	const SpmTally *t = accuracy_arg(fcinfo);

	RETURN_ROUNDED_RATIO(spm_numeric_mul(total_error(t), periods_of(t)), spm_tally_get_sum(t, ABS_ERROR));
}
