/*
 * payout_core.c: recoverable and non-recoverable draws across periods, plain C.
 * Splits and the rounding of payout lines are apportionments (apportion_core.c).
 */
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
