/*
 * quota_core.h: calendar math for quota proration, ramps and tenure, in plain C.
 *
 * Days are PostgreSQL date values (days since 2000-01-01, proleptic Gregorian); every
 * range is half-open [lo, hi).  Allocation of a quota by weights is apportion_core.h.
 */
#ifndef SPM_QUOTA_CORE_H
#define SPM_QUOTA_CORE_H

#include "spm_core.h"

typedef enum SpmQuotaStatus
{
	SPM_QUOTA_OK = 0,
	SPM_QUOTA_NOT_WHOLE_MONTHS,	/* a period that does not start on a 1st and end at a month end */
	SPM_QUOTA_UNEVEN_SPLIT,		/* months not divisible by the number of sub-periods */
	SPM_QUOTA_BAD_MIN_DAYS		/* a month threshold below one day */
} SpmQuotaStatus;

#define SPM_DAY_MIN INT32_MIN		/* an unbounded lower end */
#define SPM_DAY_MAX INT32_MAX		/* an unbounded upper end */

/* Calendar date of a day, and the day of a calendar date. */
extern void spm_day_to_civil(int32_t day, int *year, int *month, int *mday);
extern int32_t spm_civil_to_day(int year, int month, int mday);

/* Days in [alo, ahi) ∩ [plo, phi); zero when they do not meet. */
extern int64_t spm_overlap_days(int32_t plo, int32_t phi, int32_t alo, int32_t ahi);

/* Whole months in [plo, phi): SPM_QUOTA_NOT_WHOLE_MONTHS unless both ends fall on a 1st. */
extern SpmQuotaStatus spm_whole_months(int32_t plo, int32_t phi, int64_t *months);

/* The day `months` months after the 1st `day` falls on. */
extern int32_t spm_add_months(int32_t first_of_month, int64_t months);

/*
 * Months of whole-month period [plo, phi) in which [alo, ahi) covers at least
 * min(min_days, days in the month) days.
 */
extern SpmQuotaStatus spm_months_counted(int32_t plo, int32_t phi, int32_t alo, int32_t ahi,
										 int min_days, int64_t *counted, int64_t *months);

/* 1 for the month of hire, 2 for the next, zero or less before it. */
extern int64_t spm_tenure_month(int32_t hire, int32_t month);

#endif
