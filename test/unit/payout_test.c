/*
 * Unit tests of the plain-C payout core (draws, splits, rounding of payout lines),
 * run outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payout_core.h"
#include "unit.h"

#define MAX_N 64

static uint64_t seed = 88172645463325252ULL;

/* xorshift: deterministic pseudo-random numbers */
static uint64_t
next_random(void)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return seed;
}

static int64_t
random_between(int64_t lo, int64_t hi)
{
	return lo + (int64_t) (next_random() % (uint64_t) (hi - lo + 1));
}

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

static int
rounded_are(const spm_int128 *rounded, const int64_t *expected, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (rounded[i] != expected[i])
			return 0;
	return 1;
}

static int
negated(const spm_int128 *a, const spm_int128 *b, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (a[i] != -b[i])
			return 0;
	return 1;
}

/* The exact total rounded by mode, in the test's own words. */
static spm_int128
rounded_total(spm_int128 total, spm_int128 unit, SpmRounding mode)
{
	spm_int128	magnitude = total < 0 ? -total : total;
	spm_int128	q = magnitude / unit,
				r = magnitude % unit;

	if (2 * r > unit || (2 * r == unit && (mode == SPM_ROUND_HALF_UP || q % 2)))
		q++;
	return total < 0 ? -q : q;
}

static SpmPayoutStatus
round_lines(const int64_t *lines, size_t n, spm_int128 unit, SpmRounding mode,
			spm_int128 *rounded)
{
	spm_int128	wide[MAX_N];
	SpmRemainder scratch[MAX_N];
	size_t		i;

	for (i = 0; i < n; i++)
		wide[i] = lines[i];
	return spm_round_lines(wide, n, unit, mode, rounded, scratch);
}

static SpmPayoutStatus
split(int64_t amount, const int64_t *shares, size_t n, int64_t one, bool overlay,
	  int64_t *parts)
{
	spm_int128	work[MAX_N];
	SpmRemainder scratch[MAX_N];

	return spm_split_units(amount, shares, n, one, overlay, parts, work, scratch);
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

static void
test_round_lines(void)
{
	spm_int128	rounded[MAX_N];
	int			c,
				failures = 0;

	/* lines in thousandths of a cent: 1.004 + 2.004 = 3.008 -> 3.01 */
	check(round_lines((int64_t[]) {1004, 2004}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {101, 200}, 2),
		  "the leftover unit goes to the larger remainder, the tie to the earlier line");
	check(round_lines((int64_t[]) {-1004, -2004}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {-101, -200}, 2),
		  "negative lines mirror positive ones");
	check(round_lines((int64_t[]) {5, 20}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {1, 2}, 2), "half up: 0.5 + 2.0 = 2.5 rounds to 3");
	check(round_lines((int64_t[]) {5, 20}, 2, 10, SPM_ROUND_HALF_EVEN, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {0, 2}, 2) &&
		  round_lines((int64_t[]) {15}, 1, 10, SPM_ROUND_HALF_EVEN, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {2}, 1),
		  "half even: 2.5 rounds to 2 and 1.5 to 2");
	check(round_lines((int64_t[]) {-5}, 1, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {-1}, 1), "half up is away from zero: -0.5 rounds to -1");
	check(round_lines((int64_t[]) {156, -38}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_OK &&
		  rounded_are(rounded, (int64_t[]) {16, -4}, 2), "mixed signs: 15.6 - 3.8 = 11.8 -> 16 - 4 = 12");
	check(round_lines(NULL, 0, 10, SPM_ROUND_HALF_UP, rounded) == SPM_PAYOUT_NO_LINES,
		  "no lines is refused");

	/* laws: exact rounded total, each line within one unit, negation mirrors */
	for (c = 0; c < 5000; c++)
	{
		int64_t		lines[MAX_N];
		spm_int128	mirrored[MAX_N];
		size_t		n = 1 + c % MAX_N,
					i;
		spm_int128	unit = c % 2 ? 1000 : 10;
		SpmRounding mode = c % 4 < 2 ? SPM_ROUND_HALF_UP : SPM_ROUND_HALF_EVEN;
		spm_int128	total = 0,
					sum = 0;

		for (i = 0; i < n; i++)
		{
			lines[i] = random_between(c % 3 ? -5000000 : 0, 5000000);
			total += lines[i];
		}
		if (round_lines(lines, n, unit, mode, rounded) != SPM_PAYOUT_OK)
		{
			failures++;
			continue;
		}
		for (i = 0; i < n; i++)
		{
			spm_int128	gap = rounded[i] * unit - lines[i];

			sum += rounded[i];
			if (gap <= -unit || gap >= unit)
				failures++;
			lines[i] = -lines[i];
		}
		if (sum != rounded_total(total, unit, mode))
			failures++;
		if (total != 0 &&
			(round_lines(lines, n, unit, mode, mirrored) != SPM_PAYOUT_OK ||
			 !negated(mirrored, rounded, n)))
			failures++;
	}
	check(failures == 0, "rounded lines: exact rounded total, within one unit, mirrored, 5000 cases");
}

static void
test_splits(void)
{
	int64_t		parts[MAX_N];
	int			c,
				failures = 0;

	check(split(10000, (int64_t[]) {1, 1, 1}, 3, 3, false, parts) == SPM_PAYOUT_OK &&
		  parts[0] == 3334 && parts[1] == 3333 && parts[2] == 3333,
		  "thirds of 100.00: the extra cent to the first rep");
	check(split(-10000, (int64_t[]) {1, 1, 1}, 3, 3, false, parts) == SPM_PAYOUT_OK &&
		  parts[0] == -3334 && parts[1] == -3333 && parts[2] == -3333,
		  "a clawed-back deal reverses the split cent for cent");
	check(split(10001, (int64_t[]) {10, 5}, 2, 10, true, parts) == SPM_PAYOUT_OK &&
		  parts[0] == 10001 && parts[1] == 5001,
		  "overlay: 100.01 at 1 and 0.5 credits 100.01 and 50.01 (150.015 rounded half up)");
	check(split(100, (int64_t[]) {6, 3}, 2, 10, false, parts) == SPM_PAYOUT_SHARES_NOT_ONE,
		  "shares summing to 0.9 are refused");
	check(split(100, (int64_t[]) {6, 6}, 2, 10, false, parts) == SPM_PAYOUT_SHARES_NOT_ONE,
		  "shares summing to 1.2 are refused without the overlay flag");
	check(split(10005, (int64_t[]) {2, 1}, 2, 10, true, parts) == SPM_PAYOUT_OK &&
		  parts[0] == 2001 && parts[1] == 1001,
		  "overlay shares alone may sum below 1: 20 % and 10 % of 100.05 credit 20.01 and 10.01 (30.015 rounded up)");
	check(split(100, (int64_t[]) {11, -1}, 2, 10, false, parts) == SPM_PAYOUT_SHARE_OUT_OF_RANGE &&
		  split(100, (int64_t[]) {11, 0}, 2, 10, true, parts) == SPM_PAYOUT_SHARE_OUT_OF_RANGE,
		  "a share below 0 or above 1 is refused");
	check(split(100, NULL, 0, 10, false, parts) == SPM_PAYOUT_NO_LINES, "no reps is refused");

	/* the overlay engine agrees with the allocation wherever the shares sum to 1 */
	for (c = 0; c < 3000; c++)
	{
		int64_t		shares[MAX_N];
		int64_t		by_overlay[MAX_N];
		size_t		n = 1 + c % 20,
					i;
		int64_t		one = c % 2 ? 10000 : 7;	/* 7 is no power of ten: the rule still holds */
		int64_t		left = one;
		int64_t		amount = random_between(-100000000, 100000000);

		for (i = 0; i + 1 < n; i++)
		{
			shares[i] = random_between(0, left);
			left -= shares[i];
		}
		shares[n - 1] = left;
		if (split(amount, shares, n, one, false, parts) != SPM_PAYOUT_OK ||
			split(amount, shares, n, one, true, by_overlay) != SPM_PAYOUT_OK ||
			memcmp(parts, by_overlay, n * sizeof(int64_t)) != 0)
			failures++;
	}
	check(failures == 0, "with shares summing to 1 the overlay rounding equals the allocation, 3000 cases");
}

int
main(void)
{
	test_draws();
	test_round_lines();
	test_splits();
	return done();
}
