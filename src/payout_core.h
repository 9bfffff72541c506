/*
 * payout_core.h: payout math in plain C (draws, splits, rounding of payout lines),
 * with no backend calls, so that unit tests drive it outside the server.
 *
 * Amounts are 128-bit counts of units of one decimal scale chosen by the caller
 * (e.g. cents); shares are share_units / share_one, share_one a power of ten.
 */
#ifndef SPM_PAYOUT_CORE_H
#define SPM_PAYOUT_CORE_H

#include <stdbool.h>
#include <stddef.h>

#include "spm_core.h"

typedef enum SpmPayoutStatus
{
	SPM_PAYOUT_OK = 0,
	SPM_PAYOUT_NEGATIVE_DRAW,	/* a draw below zero */
	SPM_PAYOUT_SHARE_OUT_OF_RANGE,	/* a recovery or split share outside [0, 1] */
	SPM_PAYOUT_SHARES_NOT_ONE,	/* split shares that do not sum to exactly 1 */
	SPM_PAYOUT_NO_LINES,		/* nothing to split or round */
	SPM_PAYOUT_OVERFLOW			/* a result beyond 128 bits */
} SpmPayoutStatus;

/* One period of a draw. */
typedef struct SpmDrawLine
{
	spm_int128	payout;			/* what the rep is paid this period */
	spm_int128	advance;		/* draw paid beyond earnings: payout - earnings, or 0 */
	spm_int128	recovered;		/* balance recovered from earnings above the draw */
	spm_int128	balance;		/* balance owed after this period (recoverable only) */
} SpmDrawLine;

/*
 * One period of a draw, given the balance carried in (zero or more).
 * Earnings below the draw: the rep is paid the draw, and for a recoverable draw the
 * shortfall draw - earnings is added to the balance.  Earnings at or above the draw:
 * a recoverable draw recovers min(balance, share * (earnings - draw)), never taking
 * the payout below the draw; a non-recoverable draw recovers nothing and carries no
 * balance.  share * (earnings - draw) is truncated to whole units: pass amounts at a
 * scale where it is exact.
 */
extern SpmPayoutStatus spm_draw_period(spm_int128 earnings, spm_int128 draw, spm_int128 balance,
									   spm_int128 share_units, spm_int128 share_one,
									   bool recoverable, SpmDrawLine *line);

/* How the exact total of payout lines is rounded to whole units. */
typedef enum SpmRounding
{
	SPM_ROUND_HALF_UP,			/* halves away from zero */
	SPM_ROUND_HALF_EVEN			/* halves to the even unit (banker's rounding) */
} SpmRounding;

/*
 * Round n lines, given in units of 1/unit of the result unit (unit >= 1, a power of
 * ten), to whole result units so that they sum exactly to their exact total rounded
 * by mode.  Each line first takes the floor of its magnitude, then the units left over
 * go one each to the largest remainders, equal remainders to the lower index; a
 * negative total is rounded as its absolute value, negated.  Each rounded line is
 * therefore less than one unit from its exact value.
 */
extern SpmPayoutStatus spm_round_lines(const spm_int128 *lines, size_t n, spm_int128 unit,
									   SpmRounding mode, spm_int128 *rounded,
									   SpmRemainder *scratch);

/*
 * Split amount (whole units) into n parts by shares (share_units / share_one, each in
 * [0, 1]).  Without overlay the shares must sum to exactly 1 and the parts are the
 * largest-remainder allocation of the amount (spm_allocate_units).  With overlay they
 * may sum to anything (overlay credit comes on top of the deal), and the parts are the
 * exact credits amount * share rounded by spm_round_lines (half up), summing to the
 * total credit rounded half up.
 * work and scratch hold n elements each.
 */
extern SpmPayoutStatus spm_split_units(int64_t amount, const int64_t *share_units, size_t n,
									   int64_t share_one, bool overlay, int64_t *parts,
									   spm_int128 *work, SpmRemainder *scratch);

#endif
