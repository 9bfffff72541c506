/*
 * spm_core.h: spm's math in plain C, with no backend calls, so that unit tests and
 * fuzzers can drive it outside the server.  Functions return an SpmStatus.
 */
#ifndef SPM_CORE_H
#define SPM_CORE_H

#include <stddef.h>
#include <stdint.h>

/* 8-byte aligned, as palloc and malloc'd arrays of it may be (like PostgreSQL's int128) */
typedef __int128 spm_int128 __attribute__((aligned(8)));

typedef enum SpmStatus
{
	SPM_OK = 0,
	SPM_ERR_NEGATIVE_WEIGHT,	/* a weight below zero */
	SPM_ERR_NO_PARTS,			/* nothing to allocate to */
	SPM_ERR_NOT_WHOLE_MONTHS,	/* a period that does not start on a 1st and end at a month end */
	SPM_ERR_UNEVEN_SPLIT,		/* months not divisible by the number of sub-periods */
	SPM_ERR_BAD_MIN_DAYS,		/* a month threshold below one day */
	SPM_ERR_NOT_FINITE,			/* NaN or infinity where a number is needed */
	SPM_ERR_FRACTIONAL,			/* digits beyond the scale asked for */
	SPM_ERR_OVERFLOW,			/* does not fit in 128 bits */
	SPM_ERR_MALFORMED			/* bytes that are not a numeric */
} SpmStatus;

/*
 * PostgreSQL's numeric format decoded without the server (numeric_core.c): payload is
 * the value after its varlena header (short or long numeric header, then base-10000
 * digits).  Sets *units to value * 10^scale and *dscale to the value's display scale;
 * scale SPM_OWN_SCALE means the value's own display scale.
 * The format is stable across major versions (pg_upgrade keeps it on disk).
 */
#define SPM_OWN_SCALE (-1)
extern SpmStatus spm_decode_numeric(const unsigned char *payload, size_t len, int scale,
									spm_int128 *units, int *dscale);

/* The sign (-1, 0, 1) of a numeric payload read from its header; SPM_ERR_NOT_FINITE for NaN/±Inf. */
extern SpmStatus spm_numeric_payload_sign(const unsigned char *payload, size_t len, int *sign);

/* 10^k for 0 <= k <= 38, the powers of ten that fit in 128 bits; 0 for any other k. */
extern spm_int128 spm_pow10_128(int k);

/* *value *= 10^k, false on overflow (then *value is unchanged). */
extern int	spm_scale_up_128(spm_int128 *value, int k);

/* Scratch for spm_allocate_units: one per part. */
typedef struct SpmRemainder
{
	spm_int128	remainder;
	size_t		index;
} SpmRemainder;

/*
 * Split total units into n parts proportional to weights (largest remainder method):
 * parts sum exactly to total, each within one unit of its exact share; leftover units
 * go to the largest remainders, ties to the lower index.  All-zero weights split evenly.
 * Since every input fits in 64 bits, every product fits in 128 bits: no overflow.
 */
extern SpmStatus spm_allocate_units(int64_t total, const int64_t *weights, size_t n,
									int64_t *parts, SpmRemainder *scratch);

/*
 * Calendar math for proration (prorate_core.c).  Days are PostgreSQL date values (days
 * since 2000-01-01, proleptic Gregorian); every range is half-open [lo, hi).
 */
#define SPM_DAY_MIN INT32_MIN		/* an unbounded lower end */
#define SPM_DAY_MAX INT32_MAX		/* an unbounded upper end */

/* Calendar date of a day, and the day of a calendar date. */
extern void spm_day_to_civil(int32_t day, int *year, int *month, int *mday);
extern int32_t spm_civil_to_day(int year, int month, int mday);

/* Days in [alo, ahi) ∩ [plo, phi); zero when they do not meet. */
extern int64_t spm_overlap_days(int32_t plo, int32_t phi, int32_t alo, int32_t ahi);

/* Whole months in [plo, phi): SPM_ERR_NOT_WHOLE_MONTHS unless both ends fall on a 1st. */
extern SpmStatus spm_whole_months(int32_t plo, int32_t phi, int64_t *months);

/* The day `months` months after the 1st `day` falls on. */
extern int32_t spm_add_months(int32_t first_of_month, int64_t months);

/*
 * Months of whole-month period [plo, phi) in which [alo, ahi) covers at least
 * min(min_days, days in the month) days.
 */
extern SpmStatus spm_months_counted(int32_t plo, int32_t phi, int32_t alo, int32_t ahi,
									int min_days, int64_t *counted, int64_t *months);

/* 1 for the month of hire, 2 for the next, zero or less before it. */
extern int64_t spm_tenure_month(int32_t hire, int32_t month);

#endif
