/*
 * apportion_core.c: the largest remainder method and its two uses, allocation by
 * weights and rounding of lines, on 128-bit integers; plain C, no backend calls.
 * It must not check what callers check (finite values, scales): it gets integers.
 */
#include <stdlib.h>

#include "apportion_core.h"

int
spm_remainder_order(int remainder_cmp, size_t a, size_t b)
{
	if (remainder_cmp != 0)
		return remainder_cmp > 0 ? -1 : 1;
	return a < b ? -1 : (a > b);
}

static int
remainder_order_128(const void *a, const void *b)
{
	const SpmRemainder *x = a;
	const SpmRemainder *y = b;

	return spm_remainder_order((x->remainder > y->remainder) - (x->remainder < y->remainder),
							   x->index, y->index);
}

SpmApportionStatus
spm_largest_remainder(const spm_int128 *numerators, size_t n, spm_int128 divisor,
					  spm_int128 target, spm_int128 *parts, SpmRemainder *scratch)
{
	spm_int128	floors = 0;
	spm_int128	leftover;
	size_t		i;

	if (n == 0)
		return SPM_APPORTION_NO_PARTS;
	for (i = 0; i < n; i++)
	{
		/* floor division: the remainder is in [0, divisor) whatever the sign */
		spm_int128	remainder = numerators[i] % divisor;

		if (remainder < 0)
			remainder += divisor;
		parts[i] = (numerators[i] - remainder) / divisor;
		if (__builtin_add_overflow(floors, parts[i], &floors))
			return SPM_APPORTION_OVERFLOW;
		scratch[i].remainder = remainder;
		scratch[i].index = i;
	}
	qsort(scratch, n, sizeof(SpmRemainder), remainder_order_128);
	/* fewer than n units are left over: one each to the largest remainders */
	for (leftover = target - floors, i = 0; leftover > 0 && i < n; leftover--, i++)
		parts[scratch[i].index]++;
	return SPM_APPORTION_OK;
}

SpmApportionStatus
spm_allocate_units(int64_t total, const int64_t *weights, size_t n, int64_t *parts,
				   spm_int128 *work, SpmRemainder *scratch)
{
	spm_int128	weight_sum = 0;
	spm_int128	magnitude = total < 0 ? -(spm_int128) total : total;
	SpmApportionStatus status;
	size_t		i;

	if (n == 0)
		return SPM_APPORTION_NO_PARTS;
	for (i = 0; i < n; i++)
	{
		if (weights[i] < 0)
			return SPM_APPORTION_NEGATIVE_WEIGHT;
		weight_sum += weights[i];
	}
	/* all-zero weights: every part weighs one */
	for (i = 0; i < n; i++)
		work[i] = magnitude * (weight_sum == 0 ? 1 : weights[i]);
	status = spm_largest_remainder(work, n, weight_sum == 0 ? (spm_int128) n : weight_sum,
								   magnitude, work, scratch);
	/* each part is at most the total's magnitude: it fits in 64 bits */
	for (i = 0; status == SPM_APPORTION_OK && i < n; i++)
		parts[i] = (int64_t) (total < 0 ? -work[i] : work[i]);
	return status;
}

/* magnitude / unit rounded by mode; magnitude >= 0, unit >= 1. */
static spm_int128
round_units(spm_int128 magnitude, spm_int128 unit, SpmRounding mode)
{
	spm_int128	quotient = magnitude / unit;
	spm_int128	remainder = magnitude % unit;
	/* remainder against unit - remainder: twice the remainder could overflow */
	spm_int128	other = unit - remainder;

	if (remainder > other ||
		(remainder == other && (mode == SPM_ROUND_HALF_UP || quotient % 2 != 0)))
		quotient++;
	return quotient;
}

SpmApportionStatus
spm_round_lines(const spm_int128 *lines, size_t n, spm_int128 unit, SpmRounding mode,
				spm_int128 *rounded, SpmRemainder *scratch)
{
	spm_int128	total = 0;
	spm_int128	magnitude;
	SpmApportionStatus status;
	int			sign;
	size_t		i;

	if (n == 0)
		return SPM_APPORTION_NO_PARTS;
	for (i = 0; i < n; i++)
		if (__builtin_add_overflow(total, lines[i], &total))
			return SPM_APPORTION_OVERFLOW;
	/* a negative total mirrors a positive one, so reversing lines reverses the rounding */
	sign = total < 0 ? -1 : 1;
	if (__builtin_mul_overflow(total, (spm_int128) sign, &magnitude))
		return SPM_APPORTION_OVERFLOW;
	for (i = 0; i < n; i++)
		if (__builtin_mul_overflow(lines[i], (spm_int128) sign, &rounded[i]))
			return SPM_APPORTION_OVERFLOW;
	status = spm_largest_remainder(rounded, n, unit, round_units(magnitude, unit, mode),
								   rounded, scratch);
	for (i = 0; status == SPM_APPORTION_OK && i < n; i++)
		rounded[i] *= sign;
	return status;
}
