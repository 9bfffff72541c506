/*
 * Unit tests of the plain-C apportionment core (allocation by weights, rounding of
 * lines, and splits, which are one or the other), run outside the server by test/run.
 * Prints one TAP line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apportion_core.h"
#include "unit.h"

#define MAX_N 64

/* Allocate into scratch that is 8-byte but not 16-byte aligned, as palloc may give. */
static SpmApportionStatus
allocate(int64_t total, const int64_t *weights, size_t n, int64_t *parts)
{
	char	   *raw = malloc(sizeof(SpmRemainder) * (n + 1) + 8);
	char	   *raw_work = malloc(sizeof(spm_int128) * (n + 1) + 8);
	SpmRemainder *scratch = (SpmRemainder *) (raw + ((uintptr_t) raw % 16 == 0 ? 8 : 0));
	spm_int128 *work = (spm_int128 *) (raw_work + ((uintptr_t) raw_work % 16 == 0 ? 8 : 0));
	SpmApportionStatus status = spm_allocate_units(total, weights, n, parts, work, scratch, NULL);

	free(raw);
	free(raw_work);
	return status;
}

static int
parts_are(const int64_t *parts, const int64_t *expected, size_t n)
{
	return memcmp(parts, expected, n * sizeof(int64_t)) == 0;
}

/* Both laws on one case: exact sum, each part within one unit of total*w/W. */
static int
laws_hold(int64_t total, const int64_t *weights, size_t n, const int64_t *parts)
{
	spm_int128	sum = 0,
				weight_sum = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		sum += parts[i];
		weight_sum += weights[i];
	}
	if (sum != total)
		return 0;
	for (i = 0; i < n; i++)
	{
		spm_int128	w = weight_sum == 0 ? 1 : weights[i];
		spm_int128	ws = weight_sum == 0 ? (spm_int128) n : weight_sum;
		/* |part*ws - total*w| < ws  <=>  within one unit of the exact share */
		spm_int128	gap = (spm_int128) parts[i] * ws - (spm_int128) total * w;

		if (gap <= -ws || gap >= ws)
			return 0;
	}
	return 1;
}

static void
test_allocation(void)
{
	int64_t		parts[64];
	int			c,
				law_failures = 0;

	check(allocate(10000, (int64_t[]) {1, 1, 1}, 3, parts) == SPM_APPORTION_OK &&
		  parts_are(parts, (int64_t[]) {3334, 3333, 3333}, 3), "thirds: the extra unit goes to the first part");
	check(allocate(-10000, (int64_t[]) {1, 1, 1}, 3, parts) == SPM_APPORTION_OK &&
		  parts_are(parts, (int64_t[]) {-3334, -3333, -3333}, 3), "a negative total mirrors a positive one");
	check(allocate(1000, (int64_t[]) {0, 0, 0}, 3, parts) == SPM_APPORTION_OK &&
		  parts_are(parts, (int64_t[]) {334, 333, 333}, 3), "all-zero weights split evenly");
	check(allocate(5, (int64_t[]) {1, 3}, 2, parts) == SPM_APPORTION_OK &&
		  parts_are(parts, (int64_t[]) {1, 4}, 2), "the largest remainder wins the leftover unit");
	check(allocate(7, (int64_t[]) {1, -1}, 2, parts) == SPM_APPORTION_NEGATIVE_WEIGHT, "a negative weight is refused");
	check(allocate(7, NULL, 0, parts) == SPM_APPORTION_NO_PARTS, "no parts is refused");
	check(allocate(INT64_MAX, (int64_t[]) {INT64_MAX, INT64_MAX, 1}, 3, parts) == SPM_APPORTION_OK &&
		  laws_hold(INT64_MAX, (int64_t[]) {INT64_MAX, INT64_MAX, 1}, 3, parts),
		  "64-bit extremes allocate exactly in 128-bit arithmetic");

	/* xorshift: deterministic pseudo-random cases */
	for (c = 0; c < 10000; c++)
	{
		int64_t		weights[64];
		size_t		n = 1 + c % 64,
					i;
		int64_t		total;

		total = random_between(-1000000000, 1000000000);
		for (i = 0; i < n; i++)
		{
			weights[i] = c % 7 == 0 ? 0 : random_between(0, c % 2 ? 99 : 1000000006);
		}
		if (allocate(total, weights, n, parts) != SPM_APPORTION_OK || !laws_hold(total, weights, n, parts))
			law_failures++;
	}
	check(law_failures == 0, "exact sum and one-unit bound on 10000 generated cases");

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

static SpmApportionStatus
round_lines(const int64_t *lines, size_t n, spm_int128 unit, SpmRounding mode,
			spm_int128 *rounded)
{
	spm_int128	wide[MAX_N];
	SpmRemainder scratch[MAX_N];
	size_t		i;

	for (i = 0; i < n; i++)
		wide[i] = lines[i];
	return spm_round_lines(wide, n, unit, mode, rounded, scratch, NULL);
}

/*
 * A split as apportion.c makes one: shares summing to one are weights of an
 * allocation; overlay shares give exact credits amount * share, rounded as lines.
 */
static SpmApportionStatus
split(int64_t amount, const int64_t *shares, size_t n, int64_t one, bool overlay,
	  int64_t *parts)
{
	spm_int128	work[MAX_N] = {0};
	SpmRemainder scratch[MAX_N];
	SpmApportionStatus status;
	size_t		i;

	if (!overlay)
		return spm_allocate_units(amount, shares, n, parts, work, scratch, NULL);
	for (i = 0; i < n; i++)
		work[i] = (spm_int128) amount * shares[i];
	status = spm_round_lines(work, n, one, SPM_ROUND_HALF_UP, work, scratch, NULL);
	for (i = 0; i < n; i++)
		parts[i] = (int64_t) work[i];
	return status;
}

static void
test_round_lines(void)
{
	spm_int128	rounded[MAX_N];
	int			c,
				failures = 0;

	/* lines in thousandths of a cent: 1.004 + 2.004 = 3.008 -> 3.01 */
	check(round_lines((int64_t[]) {1004, 2004}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {101, 200}, 2),
		  "the leftover unit goes to the larger remainder, the tie to the earlier line");
	check(round_lines((int64_t[]) {-1004, -2004}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {-101, -200}, 2),
		  "negative lines mirror positive ones");
	check(round_lines((int64_t[]) {5, 20}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {1, 2}, 2), "half up: 0.5 + 2.0 = 2.5 rounds to 3");
	check(round_lines((int64_t[]) {5, 20}, 2, 10, SPM_ROUND_HALF_EVEN, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {0, 2}, 2) &&
		  round_lines((int64_t[]) {15}, 1, 10, SPM_ROUND_HALF_EVEN, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {2}, 1),
		  "half even: 2.5 rounds to 2 and 1.5 to 2");
	check(round_lines((int64_t[]) {-5}, 1, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {-1}, 1), "half up is away from zero: -0.5 rounds to -1");
	check(round_lines((int64_t[]) {156, -38}, 2, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_OK &&
		  rounded_are(rounded, (int64_t[]) {16, -4}, 2), "mixed signs: 15.6 - 3.8 = 11.8 -> 16 - 4 = 12");
	check(round_lines(NULL, 0, 10, SPM_ROUND_HALF_UP, rounded) == SPM_APPORTION_NO_PARTS,
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
		if (round_lines(lines, n, unit, mode, rounded) != SPM_APPORTION_OK)
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
			(round_lines(lines, n, unit, mode, mirrored) != SPM_APPORTION_OK ||
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

	check(split(10000, (int64_t[]) {1, 1, 1}, 3, 3, false, parts) == SPM_APPORTION_OK &&
		  parts[0] == 3334 && parts[1] == 3333 && parts[2] == 3333,
		  "thirds of 100.00: the extra cent to the first rep");
	check(split(-10000, (int64_t[]) {1, 1, 1}, 3, 3, false, parts) == SPM_APPORTION_OK &&
		  parts[0] == -3334 && parts[1] == -3333 && parts[2] == -3333,
		  "a clawed-back deal reverses the split cent for cent");
	check(split(10001, (int64_t[]) {10, 5}, 2, 10, true, parts) == SPM_APPORTION_OK &&
		  parts[0] == 10001 && parts[1] == 5001,
		  "overlay: 100.01 at 1 and 0.5 credits 100.01 and 50.01 (150.015 rounded half up)");
	check(split(10005, (int64_t[]) {2, 1}, 2, 10, true, parts) == SPM_APPORTION_OK &&
		  parts[0] == 2001 && parts[1] == 1001,
		  "overlay shares alone may sum below 1: 20 % and 10 % of 100.05 credit 20.01 and 10.01 (30.015 rounded up)");
	check(split(100, NULL, 0, 10, false, parts) == SPM_APPORTION_NO_PARTS, "no reps is refused");

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
		if (split(amount, shares, n, one, false, parts) != SPM_APPORTION_OK ||
			split(amount, shares, n, one, true, by_overlay) != SPM_APPORTION_OK ||
			memcmp(parts, by_overlay, n * sizeof(int64_t)) != 0)
			failures++;
	}
	check(failures == 0, "with shares summing to 1 the overlay rounding equals the allocation, 3000 cases");
}

/* The method by the book, for comparison: sort every remainder, then hand out units. */
static int
by_order(const void *a, const void *b)
{
	const SpmRemainder *x = a;
	const SpmRemainder *y = b;

	return spm_remainder_order((x->remainder > y->remainder) - (x->remainder < y->remainder),
							   x->index, y->index);
}

static void
largest_remainder_sorted(const spm_int128 *numerators, size_t n, spm_int128 divisor,
						 spm_int128 target, spm_int128 *parts)
{
	SpmRemainder order[MAX_N];
	spm_int128	given = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		spm_int128	r = ((numerators[i] % divisor) + divisor) % divisor;

		parts[i] = (numerators[i] - r) / divisor;
		given += parts[i];
		order[i].remainder = r;
		order[i].index = i;
	}
	qsort(order, n, sizeof(SpmRemainder), by_order);
	for (i = 0; given < target && i < n; i++, given++)
		parts[order[i].index]++;
}

/* Selecting the units' receivers equals sorting every remainder, ties and all. */
static void
test_selection_equals_sorting(void)
{
	int			c,
				failures = 0;

	for (c = 0; c < 5000; c++)
	{
		spm_int128	numerators[MAX_N],
					parts[MAX_N],
					expected[MAX_N];
		SpmRemainder scratch[MAX_N];
		size_t		n = 1 + c % MAX_N,
					i;
		spm_int128	divisor = 1 + c % 7;	/* few distinct remainders: many ties */
		spm_int128	floors = 0,
					target;

		for (i = 0; i < n; i++)
		{
			numerators[i] = random_between(-1000, 1000);
			floors += (numerators[i] - ((numerators[i] % divisor) + divisor) % divisor) / divisor;
		}
		target = floors + random_between(0, (int64_t) n);
		largest_remainder_sorted(numerators, n, divisor, target, expected);
		if (spm_largest_remainder(numerators, n, divisor, target, parts, scratch, NULL) != SPM_APPORTION_OK ||
			memcmp(parts, expected, n * sizeof(spm_int128)) != 0)
			failures++;
	}
	check(failures == 0, "choosing the largest remainders by selection equals sorting them all, 5000 cases with ties");
}

/*
 * McIlroy's adversary ("A killer adversary for quicksort"): values are decided only
 * when compared, always so as to make the pivot a bad one.  The selection must stay
 * near n log n comparisons against it, not n^2.
 */
typedef struct Adversary
{
	int		   *value;
	int			gas;			/* a value not decided yet */
	int			solid;			/* values decided so far */
	int			candidate;
	long		comparisons;
} Adversary;

static bool
adversary_before(const void *a, const void *b, void *context)
{
	Adversary  *adv = context;
	int			x = *(const int *) a;
	int			y = *(const int *) b;

	adv->comparisons++;
	if (adv->value[x] == adv->gas && adv->value[y] == adv->gas)
		adv->value[x == adv->candidate ? x : y] = adv->solid++;
	if (adv->value[x] == adv->gas)
		adv->candidate = x;
	else if (adv->value[y] == adv->gas)
		adv->candidate = y;
	return adv->value[x] < adv->value[y] || (adv->value[x] == adv->value[y] && x < y);
}

static void
test_selection_against_an_adversary(void)
{
	int			n = 20000;
	int		   *entries = malloc(sizeof(int) * n);
	Adversary	adv = {malloc(sizeof(int) * n), n, 0, 0, 0};
	long		bound = 40L * n * 15;	/* 40 n log2(n) */
	int			i;

	for (i = 0; i < n; i++)
	{
		entries[i] = i;
		adv.value[i] = adv.gas;
	}
	spm_select_first(entries, n, sizeof(int), n / 2, adversary_before, &adv, NULL);
	check(adv.comparisons < bound,
		  "selection against an adversary of median-of-three stays within 40 n log n comparisons (introselect)");
	free(entries);
	free(adv.value);
}

/* The method itself: floor division of any sign, ties to the lower index, overflow. */
static void
test_largest_remainder(void)
{
	spm_int128	parts[4];
	SpmRemainder scratch[4];
	spm_int128	huge = ((spm_int128) 1) << 125;

	check(spm_largest_remainder((spm_int128[]) {-7, 7, 1}, 3, 2, 0, parts, scratch, NULL) == SPM_APPORTION_OK &&
		  parts[0] == -3 && parts[1] == 3 && parts[2] == 0,
		  "floors of any sign (-7/2 is -4 remainder 1); the leftover unit to the lower index of equal remainders");
	check(spm_largest_remainder((spm_int128[]) {5, 6, 7}, 3, 4, 5, parts, scratch, NULL) == SPM_APPORTION_OK &&
		  parts[0] == 1 && parts[1] == 2 && parts[2] == 2,
		  "leftover units go to the largest remainders first (7 mod 4, then 6 mod 4)");
	check(spm_largest_remainder((spm_int128[]) {huge, huge, huge, huge}, 4, 1, 0, parts, scratch, NULL) == SPM_APPORTION_OVERFLOW,
		  "a sum of floors beyond 128 bits is refused, not wrapped");
	{
		/* the floor of a numerator near -2^127: numerator - remainder would overflow */
		spm_int128	lowest = -(((spm_int128) 1 << 126) - 1) * 2 - 1;	/* -2^127 + 1 */

		check(spm_largest_remainder((spm_int128[]) {lowest, -lowest}, 2, 10, 0, parts, scratch, NULL) == SPM_APPORTION_OK &&
			  parts[0] == lowest / 10 - 1 && parts[1] == -lowest / 10 + 1,
			  "floors near -2^127 do not overflow, and the leftover unit goes where it belongs");
	}
	check(spm_remainder_order(1, 5, 0) < 0 && spm_remainder_order(0, 1, 2) < 0 &&
		  spm_remainder_order(0, 2, 1) > 0 && spm_remainder_order(-1, 0, 5) > 0,
		  "the order: larger remainder first, then the lower index");
}

int
main(void)
{
	test_largest_remainder();
	test_selection_equals_sorting();
	test_selection_against_an_adversary();
	test_allocation();
	test_round_lines();
	test_splits();
	return done();
}
