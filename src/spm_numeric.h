/*
 * spm_numeric.h: numerics in the backend, for every area's glue.
 *
 * Arithmetic that cannot fail silently (the numeric_*_opt_error calls raise on
 * overflow), the checks every argument gets (finite, not negative), conversion to and
 * from counts of currency units and to the 128-bit fixed point of fixed_point_core.h,
 * and the one way a number is shown in a message: spm_numeric_text.
 */
#ifndef SPM_NUMERIC_H
#define SPM_NUMERIC_H

#include "postgres.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

#include "fixed_point_core.h"

/*
 * A numeric argument left as stored: short-header (packed) values are not copied.
 * Only spm_numeric_sign, spm_numeric_dscale, spm_require_finite, spm_finite_sign, spm_numeric_to_fixed*,
 * spm_numeric_text and spm_tally_add accept it; give the other functions
 * PG_GETARG_NUMERIC values.
 */
#define SPM_GETARG_NUMERIC_PACKED(n) ((Numeric) PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(n)))

/* ---- showing numbers */

/* A numeric, packed or not, as every spm message shows it: no trailing zeros (100.50 is 100.5). */
extern char *spm_numeric_text(Numeric num);

/* numeric_out and numeric_in: the text of stored values (schedules, states), every digit kept. */
extern char *spm_numeric_out(Numeric num);
extern Numeric spm_numeric_in(const char *text);

/*
 * ---- arithmetic: numeric.c's own functions; they raise errors (overflow, division by
 * zero) rather than returning them.
 */

#define spm_numeric_add(a, b) numeric_add_opt_error((a), (b), NULL)
#define spm_numeric_sub(a, b) numeric_sub_opt_error((a), (b), NULL)
#define spm_numeric_mul(a, b) numeric_mul_opt_error((a), (b), NULL)
#define spm_numeric_div(a, b) numeric_div_opt_error((a), (b), NULL)

/* numeric.c's SQL-callable functions of one or two numerics, called directly */
#define SPM_NUMERIC_CALL1(fn, a) DatumGetNumeric(DirectFunctionCall1(fn, NumericGetDatum(a)))
#define SPM_NUMERIC_CALL2(fn, a, b) \
	DatumGetNumeric(DirectFunctionCall2(fn, NumericGetDatum(a), NumericGetDatum(b)))

#define spm_numeric_cmp(a, b) \
	DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a), NumericGetDatum(b)))
#define spm_numeric_abs(a) SPM_NUMERIC_CALL1(numeric_abs, a)
/* a / b truncated toward zero to an integer */
#define spm_numeric_div_trunc(a, b) SPM_NUMERIC_CALL2(numeric_div_trunc, a, b)
/* num with its trailing fractional zeros dropped (100000.00 is 100000) */
#define spm_numeric_trim_scale(num) \
	DatumGetNumeric(DirectFunctionCall1(numeric_trim_scale, NumericGetDatum(num)))
/* num rounded half away from zero to scale decimals, shown with scale decimals */
#define spm_numeric_round(num, scale) \
	DatumGetNumeric(DirectFunctionCall2(numeric_round, NumericGetDatum(num), Int32GetDatum(scale)))
/* 10^k, for any k (10^-2 is 0.01) */
#define spm_numeric_pow10(k) int64_div_fast_to_numeric(1, -(k))

/* Return numerator / denominator from a function, or SQL NULL when the denominator is zero. */
#define SPM_RETURN_RATIO(numerator, denominator) \
	do { \
		Numeric		den_ = (denominator); \
		if (spm_numeric_sign(den_) == 0) \
			PG_RETURN_NULL(); \
		PG_RETURN_NUMERIC(spm_numeric_div((numerator), den_)); \
	} while (0)

/*
 * numerator / denominator (denominator > 0) rounded half away from zero to scale
 * decimals exactly: no inexact division on the way.
 */
extern Numeric spm_numeric_round_ratio(Numeric numerator, Numeric denominator, int scale);

/* Significant digits after the decimal point of a finite numeric (0.50 has one). */
extern int	spm_numeric_min_scale(Numeric num);

/* ---- checks of arguments */

/* Sign of a finite numeric: -1, 0 or 1. */
extern int	spm_numeric_sign(Numeric num);
/* The display scale (decimals shown), read from the header; 0 for NaN and infinities. */
extern int	spm_numeric_dscale(Numeric num);

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

/*
 * The same for an array that may hold no NULL: 22004 naming the first NULL element,
 * with null_hint saying what to put there instead.
 */
extern int	spm_numeric_list_no_nulls(ArrayType *array, const char *what, const char *hint,
									  const char *null_hint, Datum **elems);

/* ---- currency units */

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

/* ---- the fast exact path */

/*
 * A finite numeric as a 128-bit count of 10^-scale units, decoded straight from its
 * digits.  False when the value is NaN or infinite, has nonzero digits beyond scale,
 * or does not fit; then use numeric arithmetic.
 */
extern bool spm_numeric_to_fixed(Numeric num, int scale, spm_int128 *units);
/* The same at num's own display scale, which is returned in *dscale. */
extern bool spm_numeric_to_fixed_dscale(Numeric num, spm_int128 *units, int *dscale);
/* units * 10^-scale as a numeric of display scale scale (0 <= scale <= 38). */
extern Numeric spm_fixed_to_numeric(spm_int128 units, int scale);

#endif
