/*
 * forecast_core.h: the plain-C part of spm's forecast area (no backend calls), so that
 * unit tests drive it outside the server.
 *
 * Forecast accuracy: the terms one (forecast, actual) pair adds to an accuracy summary
 * (spm.accuracy_summary), in exact 128-bit fixed point.  The glue sums them in a tally
 * and falls back to numeric arithmetic when a status says a term does not fit.
 */
#ifndef SPM_FORECAST_CORE_H
#define SPM_FORECAST_CORE_H

#include "spm_core.h"

typedef enum SpmForecastStatus
{
	SPM_FORECAST_OK = 0,
	SPM_FORECAST_OVERFLOW		/* a term does not fit in 128 bits: compute it in numeric */
} SpmForecastStatus;

/*
 * Decimals of each pair's absolute percentage error |forecast - actual| / |actual|, the
 * terms of the MAPE, rounded half away from zero before they are summed.
 */
#define SPM_FORECAST_APE_SCALE 20

/* What one pair adds to an accuracy summary. */
typedef struct SpmAccuracyTerms
{
	spm_int128	abs_error;		/* |forecast - actual| in units of 10^-error_scale */
	int			error_scale;	/* the larger of the two scales */
	spm_int128	abs_actual;		/* |actual| at the actual's own scale */
	bool		zero_actual;	/* actual is 0: the pair has no percentage error */
	spm_int128	ape;			/* |f - a| / |a| in units of 10^-SPM_FORECAST_APE_SCALE; 0 when zero_actual */
} SpmAccuracyTerms;

/*
 * The terms of the pair forecast * 10^-forecast_scale, actual * 10^-actual_scale
 * (scales 0 to 38).  SPM_FORECAST_OVERFLOW when a term does not fit; *terms is then
 * undefined.
 */
extern SpmForecastStatus spm_accuracy_terms(spm_int128 forecast, int forecast_scale,
											spm_int128 actual, int actual_scale,
											SpmAccuracyTerms *terms);

/*
 * *quotient = num * 10^k / den rounded half away from zero, for num >= 0, den > 0 and
 * 0 <= k <= 38.  SPM_FORECAST_OVERFLOW when num * 10^k does not fit.
 */
extern SpmForecastStatus spm_forecast_round_ratio(spm_int128 num, spm_int128 den, int k,
												  spm_int128 *quotient);

#endif
