/*
 * apportion.c: the largest remainder method for the glue (spm.allocate and
 * allocate_share, spm.split and split_share, spm.round_lines and round_line).
 *
 * The rule is written once, in apportion_core.h: floors first, then the units left to
 * the largest remainders, equal remainders to the lower index.  Values that fit go to
 * the 128-bit core; the rest (weights with 20 decimals, lines past 38 digits) run the
 * same rule here in numeric arithmetic, sorted by the core's own order.  Argument
 * checks and their messages stay with the calling area.
 */
#include "apportion.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/fmgrprotos.h"

/* A part's floor and remainder in numeric arithmetic, and where it stands. */
typedef struct NumericShare
{
	Numeric		floor;
	Numeric		remainder;
	int			index;
} NumericShare;

/* Does share a come before share b in the method's order?  (SpmBefore) */
static bool
numeric_share_before(const void *a, const void *b, void *context)
{
	const NumericShare *x = a;
	const NumericShare *y = b;

	return spm_remainder_order(spm_numeric_cmp(x->remainder, y->remainder), x->index, y->index) < 0;
}

/*
 * spm_largest_remainder in numeric arithmetic: parts[i] = floor(numerators[i] /
 * divisor) plus one for each of the target - sum(floors) largest remainders.
 */
static void
largest_remainder_numeric(Numeric *numerators, int n, Numeric divisor, Numeric target,
						  Numeric *parts)
{
	NumericShare *shares = palloc(sizeof(NumericShare) * n);
	Numeric		one = int64_to_numeric(1);
	Numeric		leftover = target;
	int			i;

	for (i = 0; i < n; i++)
	{
		Numeric		quotient;
		Numeric		remainder;

		CHECK_FOR_INTERRUPTS();
		quotient = spm_numeric_div_trunc(numerators[i], divisor);
		remainder = spm_numeric_sub(numerators[i], spm_numeric_mul(quotient, divisor));
		/* floor division: the remainder is in [0, divisor) whatever the sign */
		if (spm_numeric_sign(remainder) < 0)
		{
			quotient = spm_numeric_sub(quotient, one);
			remainder = spm_numeric_add(remainder, divisor);
		}
		shares[i].floor = quotient;
		shares[i].remainder = remainder;
		shares[i].index = i;
		parts[i] = quotient;
		leftover = spm_numeric_sub(leftover, quotient);
	}
	/* fewer than n units are left over: one each to the largest remainders */
	if (spm_numeric_sign(leftover) > 0)
	{
		int			receivers = n;

		if (spm_numeric_cmp(leftover, int64_to_numeric(n)) < 0)
			receivers = (int) DatumGetInt64(DirectFunctionCall1(numeric_int8,
																NumericGetDatum(leftover)));
		spm_select_first(shares, n, sizeof(NumericShare), receivers, numeric_share_before,
						 NULL, spm_check_for_interrupts);
		for (i = 0; i < receivers; i++)
			parts[shares[i].index] = spm_numeric_add(shares[i].floor, one);
	}
	pfree(shares);
}

/* Weights as int64 units at their common scale, or false when some need more. */
static bool
weights_as_units(Numeric *weights, int n, int64 *units)
{
	int			scale = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		scale = Max(scale, spm_numeric_min_scale(weights[i]));
	}
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (spm_numeric_to_units(weights[i], scale, &units[i]) != SPM_UNITS_OK)
			return false;
	}
	return true;
}

/* The numeric path of spm_allocate_units: the same numerators, divisor and target. */
static void
apportion_by_weights_numeric(int64 total_units, Numeric *weights, int n, int64 *parts)
{
	Numeric		magnitude = spm_numeric_abs(int64_to_numeric(total_units));
	Numeric		weight_sum = int64_to_numeric(0);
	Numeric    *numerators = palloc(sizeof(Numeric) * n);
	Numeric    *shares = palloc(sizeof(Numeric) * n);
	int			i;

	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		weight_sum = spm_numeric_add(weight_sum, weights[i]);
		numerators[i] = spm_numeric_mul(magnitude, weights[i]);
	}
	/* a weight too wide for 64-bit units is not zero: the sum is positive */
	largest_remainder_numeric(numerators, n, weight_sum, magnitude, shares);
	for (i = 0; i < n; i++)
	{
		int64		units = DatumGetInt64(DirectFunctionCall1(numeric_int8,
															  NumericGetDatum(shares[i])));

		CHECK_FOR_INTERRUPTS();
		parts[i] = total_units < 0 ? -units : units;
	}
}

/* total_units apportioned by weights[0..n-1] (n > 0), on whichever path they fit. */
static void
apportion_by_weights(int64 total_units, Numeric *weights, int n, int64 *parts)
{
	int64	   *units = palloc(sizeof(int64) * n);
	spm_int128 *work = palloc(sizeof(spm_int128) * n);
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * n);

	if (!weights_as_units(weights, n, units))
		apportion_by_weights_numeric(total_units, weights, n, parts);
	else if (spm_allocate_units(total_units, units, n, parts, work, scratch,
								spm_check_for_interrupts) != SPM_APPORTION_OK)
		elog(ERROR, "apportionment core refused checked weights");
	pfree(units);
	pfree(work);
	pfree(scratch);
}

/* Lines as 128-bit units at their common scale (at least scale), or false. */
static bool
lines_as_units(Numeric *lines, int n, int scale, spm_int128 *units, int *line_scale)
{
	int		   *scales = palloc(sizeof(int) * n);
	bool		fits = true;
	int			i;

	*line_scale = Max(scale, 0);
	for (i = 0; fits && i < n; i++)
	{
		fits = spm_numeric_to_fixed_dscale(lines[i], &units[i], &scales[i]);
		*line_scale = Max(*line_scale, scales[i]);
	}
	for (i = 0; fits && i < n; i++)
		fits = *line_scale - scale <= 38 && spm_scale_up_128(&units[i], *line_scale - scales[i]);
	pfree(scales);
	return fits;
}

/* units (an integer) of 10^-scale as an amount shown with max(scale, 0) decimals */
static Numeric
amount_of_units(Numeric units, int scale)
{
	return spm_numeric_round(spm_numeric_mul(units, spm_numeric_pow10(-scale)), Max(scale, 0));
}

static bool
numeric_is_odd(Numeric integer)
{
	Numeric		two = int64_to_numeric(2);

	return spm_numeric_cmp(spm_numeric_mul(spm_numeric_div_trunc(integer, two), two), integer) != 0;
}

/* magnitude (>= 0) rounded to an integer by mode. */
static Numeric
round_magnitude_numeric(Numeric magnitude, SpmRounding mode)
{
	Numeric		rounded = spm_numeric_round(magnitude, 0);	/* halves away from zero */
	Numeric		twice_up = spm_numeric_mul(spm_numeric_sub(rounded, magnitude), int64_to_numeric(2));

	/* half_even: an exact half that went up to an odd unit goes down to the even one */
	if (mode == SPM_ROUND_HALF_EVEN && spm_numeric_cmp(twice_up, int64_to_numeric(1)) == 0 &&
		numeric_is_odd(rounded))
		rounded = spm_numeric_sub(rounded, int64_to_numeric(1));
	return rounded;
}

/*
 * The numeric path of spm_round_lines: the lines' magnitudes (signed like their
 * total) in units of 10^-scale, divisor 1, and the total's magnitude rounded by mode.
 */
static void
apportion_lines_numeric(Numeric *lines, int n, int scale, SpmRounding mode, Numeric *parts)
{
	Numeric		total = int64_to_numeric(0);
	Numeric    *numerators = palloc(sizeof(Numeric) * n);
	Numeric		to_units;
	int			i;

	for (i = 0; i < n; i++)
		total = spm_numeric_add(total, lines[i]);
	/* a negative total mirrors a positive one, as in spm_round_lines */
	to_units = spm_numeric_pow10(scale);
	if (spm_numeric_sign(total) < 0)
		to_units = spm_numeric_mul(to_units, int64_to_numeric(-1));
	for (i = 0; i < n; i++)
		numerators[i] = spm_numeric_mul(lines[i], to_units);
	largest_remainder_numeric(numerators, n, int64_to_numeric(1),
							  round_magnitude_numeric(spm_numeric_mul(total, to_units), mode),
							  parts);
	for (i = 0; i < n; i++)
		parts[i] = amount_of_units(spm_numeric_sign(total) < 0 ?
								   spm_numeric_mul(parts[i], int64_to_numeric(-1)) : parts[i],
								   scale);
	pfree(numerators);
}

/* lines[0..n-1] (n > 0) rounded as one statement, on whichever path they fit. */
static void
apportion_lines(Numeric *lines, int n, int scale, SpmRounding mode, Numeric *parts)
{
	spm_int128 *units = palloc(sizeof(spm_int128) * n);
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * n);
	int			line_scale;
	int			i;

	if (lines_as_units(lines, n, scale, units, &line_scale) &&
		spm_round_lines(units, n, spm_pow10_128(line_scale - scale), mode, units, scratch,
						spm_check_for_interrupts) == SPM_APPORTION_OK)
		for (i = 0; i < n; i++)
			/* units of a cent and finer are a numeric of that scale as they stand */
			parts[i] = scale >= 0 ? spm_fixed_to_numeric(units[i], scale)
				: amount_of_units(spm_fixed_to_numeric(units[i], 0), scale);
	else
		apportion_lines_numeric(lines, n, scale, mode, parts);
	pfree(units);
	pfree(scratch);
}

/* The non-NULL values among values[0..n-1], in order, as numerics; how many. */
static int
non_null_numerics(const Datum *values, const bool *nulls, int n, Numeric *taken)
{
	int			taking = 0;
	int			i;

	for (i = 0; i < n; i++)
		if (!nulls[i])
			taken[taking++] = DatumGetNumeric(values[i]);
	return taking;
}

void
spm_apportion_by_weights(int64 total_units, const Datum *weights, const bool *nulls, int n,
						 int64 *parts)
{
	Numeric    *taken = palloc(sizeof(Numeric) * Max(n, 1));
	int64	   *taken_parts = palloc(sizeof(int64) * Max(n, 1));
	int			taking = non_null_numerics(weights, nulls, n, taken);
	int			i;

	if (taking > 0)
		apportion_by_weights(total_units, taken, taking, taken_parts);
	/* each part back where its weight stood, from the end */
	for (i = n - 1; i >= 0; i--)
		parts[i] = nulls[i] ? 0 : taken_parts[--taking];
	pfree(taken);
	pfree(taken_parts);
}

void
spm_apportion_lines(const Datum *lines, const bool *nulls, int n, int scale, SpmRounding mode,
					Datum *parts)
{
	Numeric    *taken = palloc(sizeof(Numeric) * Max(n, 1));
	int			taking = non_null_numerics(lines, nulls, n, taken);
	int			i;

	if (taking > 0)
		apportion_lines(taken, taking, scale, mode, taken);
	for (i = n - 1; i >= 0; i--)
		if (!nulls[i])
			parts[i] = NumericGetDatum(taken[--taking]);
	pfree(taken);
}

int64
spm_apportion_total(Numeric total, int scale, const char *what, int n, const char *parts,
					const char *hint)
{
	int64		units;

	spm_check_scale(scale);
	spm_require_finite(total, what);
	units = spm_whole_units(total, scale, what);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot divide %s %s among no %s", what, spm_numeric_text(total), parts),
				 errhint("%s", hint)));
	return units;
}

ArrayType *
spm_parts_array(ArrayType *input, Datum *parts, bool *nulls, int n)
{
	int			dims[1] = {n};
	/* part i stands where element i stood, whatever the subscripts */
	int			lbs[1] = {ARR_NDIM(input) == 1 ? ARR_LBOUND(input)[0] : 1};

	return construct_md_array(parts, nulls, 1, dims, lbs, NUMERICOID, -1, false, TYPALIGN_INT);
}
