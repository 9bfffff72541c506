/*
 * spm.h: what every area's glue (src/<area>.c) shares: numerics (spm_numeric.h), the
 * wording of errors that several areas raise, and window functions that compute a
 * whole partition at once (window.c).
 *
 * The glue turns SQL arguments into plain values, calls a plain-C core
 * (src/<name>_core.h) and turns its status into ereport; it must not hold math that a
 * core could hold.
 */
#ifndef SPM_H
#define SPM_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/date.h"
#include "windowapi.h"

#include "spm_numeric.h"

/*
 * Raise 22023: argument what of function fn differs between two rows of one group,
 * first and other being the two values as text (spm_numeric_text for numbers).  row is
 * the 1-based row of the other in its window partition, or 0 for an aggregate's group,
 * whose rows have no number.  hint says how to group.  Every "differs between rows"
 * error of spm is worded by this function.
 */
extern void spm_differs_between_rows(const char *what, const char *fn, const char *first,
									 const char *other, int64 row, const char *hint)
			pg_attribute_noreturn();

/*
 * The errors of a stored state or summary type type_name (e.g. "spm.cycle_summary"): a
 * value whose header does not match this version (XX001), and binary input that is not
 * what its send function writes (08P01, detail says what is wrong).  One wording for all.
 */
extern void spm_corrupted_value(const char *type_name) pg_attribute_noreturn();
extern void spm_bad_binary(const char *type_name, const char *detail) pg_attribute_noreturn();

/*
 * A moving aggregate's forward and inverse transition functions, both of one body:
 * step(fcinfo, sign) with sign 1 when a row enters the frame and -1 when it leaves.
 */
#define SPM_MOVING_TRANSITIONS(forward, inverse, step) \
	PG_FUNCTION_INFO_V1(forward); \
	Datum forward(PG_FUNCTION_ARGS) { return step(fcinfo, 1); } \
	PG_FUNCTION_INFO_V1(inverse); \
	Datum inverse(PG_FUNCTION_ARGS) { return step(fcinfo, -1); }

/*
 * A type's = and <> support functions, both of one body: equal(fcinfo) compares
 * arguments 0 and 1.
 */
#define SPM_EQUALITY_FUNCTIONS(eq, ne, equal) \
	PG_FUNCTION_INFO_V1(eq); \
	Datum eq(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(equal(fcinfo)); } \
	PG_FUNCTION_INFO_V1(ne); \
	Datum ne(PG_FUNCTION_ARGS) { PG_RETURN_BOOL(!equal(fcinfo)); }

/*
 * The z > 0 with P(|Z| <= z) = confidence for a standard normal Z (a two-sided interval's
 * z: 1.959963... for 0.95), computed in numeric to about 10^-55 (wilson.c); *scale gets the
 * decimals it carries, the working scale of a computation that uses it.  22023 unless
 * 0 < confidence < 1, 22003 when 1 - confidence is below 1e-30.  Cached per call site
 * (fn_extra) for the last confidence asked.
 */
extern Numeric spm_confidence_z(FunctionCallInfo fcinfo, Numeric confidence, int *scale);

/* Date argument argno, 22023 unless finite; what names it in the message (quota.c). */
extern DateADT spm_finite_date_arg(FunctionCallInfo fcinfo, int argno, const char *what);

/*
 * The chance that a deal open at an age of age days closes within the next days days,
 * 1 - S(age + days) / S(age) of the spm.cycle_summary datum summary, to 60 decimals (within
 * 10^-54 of the exact rational); NULL where spm.close_within is NULL (survival.c).
 */
extern Numeric spm_cycle_close_within(Datum summary, int32 age, int32 days);

/*
 * The SpmPoll callback the glue hands a core (spm_core.h): CHECK_FOR_INTERRUPTS, so that
 * a cancel or statement_timeout stops a long call within one poll interval.
 */
extern void spm_check_for_interrupts(void);

/*
 * Days of dateranges (quota.c), as quota_core.h counts them: [lo, hi) with an unbounded
 * or infinite end at SPM_DAY_MIN / SPM_DAY_MAX.  spm_range_days is false for an empty
 * range, *finite false when an end is open; spm_period_days takes argument argno as a
 * period, which must be non-empty with two finite ends (22023).  spm_iso_day writes a day
 * as YYYY-MM-DD whatever the DateStyle, for messages.
 */
extern bool spm_range_days(FunctionCallInfo fcinfo, Datum range, int32 *lo, int32 *hi,
						   bool *finite);
extern void spm_period_days(FunctionCallInfo fcinfo, int argno, int32 *lo, int32 *hi);
extern char *spm_iso_day(int32 day);

/*
 * Window functions that compute a whole partition at once (window.c).  compute fills
 * results[pos] or nulls[pos] for each of the partition's n rows.
 */
typedef void (*SpmPartitionCompute) (FunctionCallInfo fcinfo, WindowObject win, int64 n,
									 Datum *results, bool *nulls);

/* The current row's result, compute having run on the partition's first row. */
extern Datum spm_partition_result(FunctionCallInfo fcinfo, SpmPartitionCompute compute);

/* Argument argno of partition row pos, copied: the next read may reuse its slot. */
extern Datum spm_partition_arg(FunctionCallInfo fcinfo, WindowObject win, int argno,
							   int64 pos, bool *isnull);

/* Argument argno of each of the partition's n rows, copied. */
extern void spm_partition_column(FunctionCallInfo fcinfo, WindowObject win, int argno,
								 int64 n, Datum *values, bool *nulls);

/*
 * Argument argno, which every row of the partition must carry the same (numerics by
 * value), copied.  With isnull NULL a NULL is refused (22004); otherwise it may be
 * NULL, on every row, and *isnull says so.  A differing row is
 * spm_differs_between_rows: what names the argument, fn the window function and hint
 * how to partition.
 */
extern Datum spm_partition_constant(FunctionCallInfo fcinfo, WindowObject win, int argno,
									int64 n, bool *isnull, const char *what, const char *fn,
									const char *hint);

#endif
