/*
 * Unit tests of the plain-C payout core (draws),
 * run outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payout_core.h"
#include "unit.h"

#define MAX_N 64

/* A recoverable draw over periods, in cents, share 1; compares payouts and balances. */
static int
draw_run(const int64_t *earnings, const int64_t *draws, int n, spm_int128 share_units,
		 spm_int128 share_one, const int64_t *payouts, const int64_t *balances)
{
	spm_int128	balance = 0;
	int			t;

	for (t = 0; t < n; t++)
	{
		SpmDrawLine line;

		if (spm_draw_period(earnings[t], draws[t], balance, share_units, share_one, true,
							&line) != SPM_PAYOUT_OK ||
			line.payout != payouts[t] || line.balance != balances[t])
			return 0;
		balance = line.balance;
	}
	return 1;
}

static void
test_draws(void)
{
	SpmDrawLine line;
	int			c,
				failures = 0;

	/* earnings 3000, 4000, 8000, 9000 against a 5000 draw (cents omitted) */
	check(draw_run((int64_t[]) {3000, 4000, 8000, 9000}, (int64_t[]) {5000, 5000, 5000, 5000}, 4,
				   1, 1, (int64_t[]) {5000, 5000, 5000, 9000}, (int64_t[]) {2000, 3000, 0, 0}),
		  "recoverable draw: shortfalls carried, recovered from earnings above the draw");
	check(draw_run((int64_t[]) {3000, 9000, 9000}, (int64_t[]) {5000, 5000, 5000}, 3,
				   5, 10, (int64_t[]) {5000, 7000, 9000}, (int64_t[]) {2000, 0, 0}),
		  "recovery limited to half the excess per period");
	check(draw_run((int64_t[]) {-1000, 0, 2000}, (int64_t[]) {0, 0, 0}, 3,
				   1, 1, (int64_t[]) {0, 0, 1000}, (int64_t[]) {1000, 1000, 0}),
		  "zero draw: negative earnings carried as a balance, recovered from later earnings");
	check(draw_run((int64_t[]) {1000, 9000}, (int64_t[]) {5000, 5000}, 2,
				   0, 1, (int64_t[]) {5000, 9000}, (int64_t[]) {4000, 4000}),
		  "share 0 recovers nothing");
	check(spm_draw_period(-2000, 5000, 700, 1, 1, false, &line) == SPM_PAYOUT_OK &&
		  line.payout == 5000 && line.advance == 7000 && line.balance == 0 && line.recovered == 0,
		  "non-recoverable draw: pays the draw, carries nothing, ignores a balance given");
	check(spm_draw_period(8000, 5000, 700, 1, 1, false, &line) == SPM_PAYOUT_OK &&
		  line.payout == 8000 && line.advance == 0 && line.balance == 0,
		  "non-recoverable draw: earnings above the draw are paid in full");
	check(spm_draw_period(5000, 5000, 700, 1, 1, true, &line) == SPM_PAYOUT_OK &&
		  line.payout == 5000 && line.recovered == 0 && line.balance == 700,
		  "earnings exactly at the draw recover nothing");
	check(spm_draw_period(1, -1, 0, 1, 1, true, &line) == SPM_PAYOUT_NEGATIVE_DRAW,
		  "a negative draw is refused");
	check(spm_draw_period(1, 1, 0, 11, 10, true, &line) == SPM_PAYOUT_SHARE_OUT_OF_RANGE &&
		  spm_draw_period(1, 1, 0, -1, 10, true, &line) == SPM_PAYOUT_SHARE_OUT_OF_RANGE,
		  "a recovery share outside [0, 1] is refused");
	check(spm_draw_period(-((spm_int128) 1 << 126) * 2, (spm_int128) 1 << 126, 0, 1, 1, true,
						  &line) == SPM_PAYOUT_OVERFLOW,
		  "a shortfall beyond 128 bits is refused, not wrapped");

	/* laws: payout >= draw; balance >= 0; sum(payout) = sum(earnings) + balance */
	for (c = 0; c < 2000; c++)
	{
		spm_int128	balance = 0,
					paid = 0,
					earned = 0;
		int64_t		one = c % 3 == 0 ? 1 : 100;
		int64_t		share = c % 3 == 0 ? 1 : random_between(0, 100);
		int			t;

		for (t = 0; t < 1 + c % 24; t++)
		{
			int64_t		earnings = random_between(-200000, 1500000) * one;
			int64_t		draw = random_between(0, 800000) * one;

			if (spm_draw_period(earnings, draw, balance, share, one, true, &line) != SPM_PAYOUT_OK ||
				line.payout < draw || line.balance < 0 ||
				line.payout != earnings + line.advance - line.recovered ||
				line.balance != balance + line.advance - line.recovered ||
				line.recovered * one > (earnings > draw ? (spm_int128) (earnings - draw) * share : 0))
				failures++;
			balance = line.balance;
			paid += line.payout;
			earned += earnings;
		}
		if (paid != earned + balance)
			failures++;
	}
	check(failures == 0, "draw laws on 2000 generated rep-years");
}

int
main(void)
{
	test_draws();
	return done();
}
