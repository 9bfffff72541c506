/*
 * forecast_core.c: forecast accuracy terms in exact 128-bit fixed point (see
 * forecast_core.h).
 */
#include "forecast_core.h"
#include "fixed_point_core.h"

/* |value|, false when it is the one 128-bit value without a magnitude. */
static bool
magnitude(spm_int128 value, spm_int128 *result)
{
	if (value >= 0)
	{
		*result = value;
		return true;
	}
	return !__builtin_sub_overflow((spm_int128) 0, value, result);
}

SpmForecastStatus
spm_forecast_round_ratio(spm_int128 num, spm_int128 den, int k, spm_int128 *quotient)
{
	spm_int128	q;
	spm_int128	r;

	if (num < 0 || den <= 0 || !spm_scale_up_128(&num, k))
		return SPM_FORECAST_OVERFLOW;
	q = num / den;
	r = num % den;
	/* half away from zero: up when the remainder is at least half the divisor */
	if (r >= den - r)
		q++;
	*quotient = q;
	return SPM_FORECAST_OK;
}

SpmForecastStatus
spm_accuracy_terms(spm_int128 forecast, int forecast_scale, spm_int128 actual, int actual_scale,
				   SpmAccuracyTerms *terms)
{
	int			scale = forecast_scale > actual_scale ? forecast_scale : actual_scale;
	spm_int128	f = forecast;
	spm_int128	a = actual;
	spm_int128	error;
	spm_int128	abs_actual_at_scale;

	if (forecast_scale < 0 || actual_scale < 0 ||
		!magnitude(actual, &terms->abs_actual) ||
		!spm_scale_up_128(&f, scale - forecast_scale) ||
		!spm_scale_up_128(&a, scale - actual_scale) ||
		__builtin_sub_overflow(f, a, &error) ||
		!magnitude(error, &terms->abs_error) ||
		!magnitude(a, &abs_actual_at_scale))
		return SPM_FORECAST_OVERFLOW;
	terms->error_scale = scale;
	terms->zero_actual = (actual == 0);
	terms->ape = 0;
	if (terms->zero_actual)
		return SPM_FORECAST_OK;
	return spm_forecast_round_ratio(terms->abs_error, abs_actual_at_scale, SPM_FORECAST_APE_SCALE,
									&terms->ape);
}
