/*
 * payout_core.c: draws, splits and exact rounding of payout lines, plain C.
 */
#include <stdlib.h>

#include "payout_core.h"

static spm_int128
min128(spm_int128 a, spm_int128 b)
{
	return a < b ? a : b;
}

SpmPayoutStatus
spm_draw_period(spm_int128 earnings, spm_int128 draw, spm_int128 balance,
				spm_int128 share_units, spm_int128 share_one, bool recoverable,
				SpmDrawLine *line)
{
	spm_int128	excess;
	spm_int128	cap;

	if (draw < 0)
		return SPM_PAYOUT_NEGATIVE_DRAW;
	if (share_units < 0 || share_units > share_one)
		return SPM_PAYOUT_SHARE_OUT_OF_RANGE;
	line->recovered = 0;
	line->advance = 0;
	line->balance = recoverable ? balance : 0;
	if (earnings < draw)
	{
		/* the draw tops the earnings up; a recoverable draw books the top-up as owed */
		if (__builtin_sub_overflow(draw, earnings, &line->advance) ||
			__builtin_add_overflow(line->balance, recoverable ? line->advance : 0, &line->balance))
			return SPM_PAYOUT_OVERFLOW;
		line->payout = draw;
		return SPM_PAYOUT_OK;
	}
	/* recover only from earnings above the draw, at most share of them */
	if (__builtin_sub_overflow(earnings, draw, &excess) ||
		__builtin_mul_overflow(excess, share_units, &cap))
		return SPM_PAYOUT_OVERFLOW;
	line->recovered = min128(line->balance, cap / share_one);
	line->balance -= line->recovered;
	line->payout = earnings - line->recovered;
	return SPM_PAYOUT_OK;
}

/* Larger remainder first; equal remainders by lower index, so results are deterministic. */
static int
larger_remainder_first(const void *a, const void *b)
{
	const SpmRemainder *x = a;
	const SpmRemainder *y = b;

	if (x->remainder != y->remainder)
		return x->remainder > y->remainder ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
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

SpmPayoutStatus
spm_round_lines(const spm_int128 *lines, size_t n, spm_int128 unit, SpmRounding mode,
				spm_int128 *rounded, SpmRemainder *scratch)
{
	spm_int128	total = 0;
	spm_int128	floors = 0;
	spm_int128	leftover;
	int			sign;
	size_t		i;

	if (n == 0)
		return SPM_PAYOUT_NO_LINES;
	for (i = 0; i < n; i++)
		if (__builtin_add_overflow(total, lines[i], &total))
			return SPM_PAYOUT_OVERFLOW;
	/* a negative total mirrors a positive one, so reversing lines reverses the rounding */
	sign = total < 0 ? -1 : 1;
	for (i = 0; i < n; i++)
	{
		spm_int128	magnitude;
		spm_int128	remainder;

		if (__builtin_mul_overflow(lines[i], (spm_int128) sign, &magnitude))
			return SPM_PAYOUT_OVERFLOW;
		/* floor division: the remainder is in [0, unit) whatever the line's sign */
		remainder = magnitude % unit;
		if (remainder < 0)
			remainder += unit;
		rounded[i] = (magnitude - remainder) / unit;
		floors += rounded[i];
		scratch[i].remainder = remainder;
		scratch[i].index = i;
	}
	/* the rounded total exceeds the floors by at most n units */
	leftover = round_units(total * sign, unit, mode) - floors;
	qsort(scratch, n, sizeof(SpmRemainder), larger_remainder_first);
	for (i = 0; leftover > 0; i++, leftover--)
		rounded[scratch[i].index]++;
	for (i = 0; i < n; i++)
		rounded[i] *= sign;
	return SPM_PAYOUT_OK;
}

SpmPayoutStatus
spm_split_units(int64_t amount, const int64_t *share_units, size_t n, int64_t share_one,
				bool overlay, int64_t *parts, spm_int128 *work, SpmRemainder *scratch)
{
	spm_int128	share_sum = 0;
	SpmPayoutStatus status;
	size_t		i;

	if (n == 0)
		return SPM_PAYOUT_NO_LINES;
	for (i = 0; i < n; i++)
	{
		if (share_units[i] < 0 || share_units[i] > share_one)
			return SPM_PAYOUT_SHARE_OUT_OF_RANGE;
		share_sum += share_units[i];
	}
	if (!overlay)
	{
		if (share_sum != share_one)
			return SPM_PAYOUT_SHARES_NOT_ONE;
		return spm_allocate_units(amount, share_units, n, parts, scratch) == SPM_OK
			? SPM_PAYOUT_OK : SPM_PAYOUT_NO_LINES;
	}
	/* each credit is amount * share exactly, in units of 1/share_one unit */
	for (i = 0; i < n; i++)
		work[i] = (spm_int128) amount * share_units[i];
	status = spm_round_lines(work, n, share_one, SPM_ROUND_HALF_UP, work, scratch);
	if (status != SPM_PAYOUT_OK)
		return status;
	/* a share is at most 1, so each credit is at most the amount: it fits */
	for (i = 0; i < n; i++)
		parts[i] = (int64_t) work[i];
	return SPM_PAYOUT_OK;
}
