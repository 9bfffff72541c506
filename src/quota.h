/*
 * quota.h: what quota.c shares with capacity.c: the checked ramp schedule, a period of
 * whole calendar months (the days of
 * dateranges and a day as text are in spm.h).
 */
#ifndef SPM_QUOTA_H
#define SPM_QUOTA_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/numeric.h"

/*
 * The factors of a ramp schedule (subscripted from 1, 2202E otherwise), each checked: not
 * NULL (22004), finite, from 0 to 1 (22023); returns how many.
 */
extern int	spm_ramp_schedule(ArrayType *schedule, Datum **elems);

/* The ramped quota of a tenure month: 0 before month 1, full after the schedule. */
extern Numeric spm_ramped_quota(Numeric full, int32 tenure, const Datum *factors, int n);

/* The daterange argument argno as a period of whole calendar months (22023 otherwise). */
extern void spm_month_period(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi, int64 *months);

#endif
