/*
 * capacity_core.h: capacity planning in plain C: the checks of a roster (no person on two
 * rows at once) and what one roster row brings to one month (tenure, active days, months
 * of attrition).  The money (quota x ramp x days x attainment x survival) is exact numeric
 * arithmetic in capacity.c; the calendar is quota_core.h's.
 *
 * Days are PostgreSQL date values; a row is active on [lo, hi), hi SPM_DAY_MAX when open.
 */
#ifndef SPM_CAPACITY_CORE_H
#define SPM_CAPACITY_CORE_H

#include "quota_core.h"

typedef enum SpmCapacityStatus
{
	SPM_CAPACITY_OK = 0,
	SPM_CAPACITY_OVERLAP		/* two rows of one person share a day */
} SpmCapacityStatus;

/* One roster row: who (bytes, not NUL-terminated), the days it is active, its input row. */
typedef struct SpmRosterSpan
{
	const char *person;
	size_t		person_len;
	int32_t		lo;
	int32_t		hi;
	size_t		row;
} SpmRosterSpan;

/*
 * Sort spans by person, then first day, and look for two rows of one person that share
 * a day: SPM_CAPACITY_OVERLAP with *first and *second the pair's positions in the sorted
 * spans (the earlier-starting first), the first such pair in that order.
 */
extern SpmCapacityStatus spm_roster_check(SpmRosterSpan *spans, size_t n,
										  size_t *first, size_t *second, SpmPoll poll);

/* What a roster row brings to a month. */
typedef struct SpmCapacityMonth
{
	int64_t		tenure;			/* calendar month of tenure: 1 in the hire month */
	int64_t		active_days;	/* days of the month in [lo, hi) */
	int64_t		month_days;		/* days of the month */
	int64_t		attrition_months;	/* whole months since the later of the plan's first
									 * month and the hire month: 0 in that month */
} SpmCapacityMonth;

/*
 * The month starting on month_first (a 1st) for the row active on [lo, hi), in a plan
 * starting in the month of plan_first.
 */
extern SpmCapacityMonth spm_capacity_month(int32_t lo, int32_t hi, int32_t month_first,
										   int32_t plan_first);

#endif
