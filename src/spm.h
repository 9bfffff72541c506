/*
 * spm.h: helpers shared by every spm area (numeric checks, error reporting, window
 * partitions).
 */
#ifndef SPM_H
#define SPM_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/numeric.h"
#include "windowapi.h"

#include "spm_core.h"

/* Sign of a finite numeric: -1, 0 or 1. */
extern int	spm_numeric_sign(Numeric num);

/*
 * A numeric argument left as stored: short-header (packed) values are not copied.
 * Only spm_numeric_sign, spm_require_finite, spm_finite_sign, spm_numeric_to_fixed*,
 * spm_numeric_text and spm_tally_add accept it; give the numeric_* functions PG_GETARG_NUMERIC values.
 */
#define SPM_GETARG_NUMERIC_PACKED(n) ((Numeric) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)))

/* Raise 22023 unless num is finite; what names the argument in the message. */
extern void spm_require_finite(Numeric num, const char *what);

/* The same check, returning the sign (-1, 0, 1) read on the way. */
extern int	spm_finite_sign(Numeric num, const char *what);

/* Raise 22023 unless num is finite and zero or more; hint tells what to pass instead. */
extern void spm_require_not_negative(Numeric num, const char *what, const char *hint);

/*
 * The elements of a numeric array (NULLs flagged), which must have at most one
 * dimension (2202E, with hint if given); returns how many.
 */
extern int	spm_numeric_list(ArrayType *array, const char *what, const char *hint,
							 Datum **elems, bool **nulls);

/* The text of a numeric, packed or not, for messages. */
extern char *spm_numeric_text(Numeric num);

extern Numeric spm_numeric_add(Numeric a, Numeric b);
extern Numeric spm_numeric_sub(Numeric a, Numeric b);
extern Numeric spm_numeric_mul(Numeric a, Numeric b);
extern Numeric spm_numeric_div(Numeric a, Numeric b);
extern int	spm_numeric_cmp(Numeric a, Numeric b);


/* How a numeric converts to a count of 10^-scale units. */
typedef enum SpmUnits
{
	SPM_UNITS_OK,
	SPM_UNITS_FRACTIONAL,		/* not a whole number of units */
	SPM_UNITS_OUT_OF_RANGE		/* more units than 64 bits hold */
} SpmUnits;

extern SpmUnits spm_numeric_to_units(Numeric num, int scale, int64 *units);

/* Currency units run from 10^9 (scale -9) to 10^-12 (scale 12). */
#define SPM_MIN_SCALE (-9)
#define SPM_MAX_SCALE 12
extern void spm_check_scale(int scale);
extern int64 spm_whole_units(Numeric num, int scale, const char *what);
extern Numeric spm_units_to_numeric(int64 units, int scale);
extern int	spm_numeric_min_scale(Numeric num);

/*
 * The fast exact path: a finite numeric as a 128-bit count of 10^-scale units,
 * decoded straight from its digits.  False when the value is NaN or infinite,
 * has nonzero digits beyond scale, or does not fit; then use numeric arithmetic.
 */
extern bool spm_numeric_to_fixed(Numeric num, int scale, spm_int128 *units);
/* The same at num's own display scale, which is returned in *dscale. */
extern bool spm_numeric_to_fixed_dscale(Numeric num, spm_int128 *units, int *dscale);
/* units * 10^-scale as a numeric of display scale scale (0 <= scale <= 38). */
extern Numeric spm_fixed_to_numeric(spm_int128 units, int scale);

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
 * NULL, on every row, and *isnull says so.  A differing row is 22023: what names the
 * argument, fn the window function and hint how to partition.
 */
extern Datum spm_partition_constant(FunctionCallInfo fcinfo, WindowObject win, int argno,
									int64 n, bool *isnull, const char *what, const char *fn,
									const char *hint);

#endif
