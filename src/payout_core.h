/*
 * payout_core.h: draws in plain C, with no backend calls, so that unit tests drive
 * them outside the server.  Splits and rounded payout lines are apportion_core.h.
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
	SPM_PAYOUT_SHARE_OUT_OF_RANGE,	/* a recovery share outside [0, 1] */
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

#endif
