/*
 * apportion_core.c: the largest remainder method and its two uses, allocation by
 * weights and rounding of lines, on 128-bit integers; plain C, no backend calls.
 * It must not check what callers check (finite values, scales): it gets integers.
 */
#include <string.h>

#include "apportion_core.h"

int
spm_remainder_order(int remainder_cmp, size_t a, size_t b)
{
	if (remainder_cmp != 0)
		return remainder_cmp > 0 ? -1 : 1;
	return a < b ? -1 : (a > b);
}

/* Does x come before y in the method's order?  (SpmBefore over SpmRemainder) */
static bool
remainder_before(const void *x, const void *y, void *context)
{
	const SpmRemainder *a = x;
	const SpmRemainder *b = y;

	(void) context;				/* the order needs nothing beyond the entries */
	return spm_remainder_order((a->remainder > b->remainder) - (a->remainder < b->remainder),
							   a->index, b->index) < 0;
}

#define SPM_SELECT_MAX_SIZE 64		/* entries are small structs */

static void
swap_bytes(char *a, char *b, size_t size)
{
	char		t[SPM_SELECT_MAX_SIZE];

	if (a == b)
		return;
	memcpy(t, a, size);
	memcpy(a, b, size);
	memcpy(b, t, size);
}

/* Of entries i, j and k, the one in the middle of the order. */
static size_t
median_of_three(char *base, size_t size, SpmBefore before, void *context,
				size_t i, size_t j, size_t k)
{
	char	   *a = base + i * size,
			   *b = base + j * size,
			   *c = base + k * size;

	if (before(a, b, context))
		return before(b, c, context) ? j : (before(a, c, context) ? k : i);
	return before(a, c, context) ? i : (before(b, c, context) ? k : j);
}

/* Heap order within entries[0..n): an entry never comes before its children. */
static void
sift_down(char *base, size_t size, size_t root, size_t n, SpmBefore before, void *context)
{
	size_t		child;

	while ((child = 2 * root + 1) < n)
	{
		if (child + 1 < n && before(base + child * size, base + (child + 1) * size, context))
			child++;
		if (!before(base + root * size, base + child * size, context))
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

/* Heapsort of entries[0..n) into the order: n log n whatever the input. */
static void
sort_entries(char *base, size_t n, size_t size, SpmBefore before, void *context, SpmPoll poll)
{
	size_t		i;

	for (i = n / 2; i-- > 0;)
	{
		spm_poll(poll, i);
		sift_down(base, size, i, n, before, context);
	}
	for (i = n; i-- > 1;)
	{
		spm_poll(poll, i);
		swap_bytes(base, base + i * size, size);
		sift_down(base, size, 0, i, before, context);
	}
}

/* 2 log2(n) + 4: more partitions than that and the pivots are being chosen badly. */
static int
partition_budget(size_t n)
{
	int			budget = 4;

	for (; n > 1; n >>= 1)
		budget += 2;
	return budget;
}

void
spm_select_first(void *entries, size_t n, size_t size, size_t count, SpmBefore before,
				 void *context, SpmPoll poll)
{
	char	   *base = entries;
	size_t		lo = 0,
				hi = n;
	int			budget = partition_budget(n);

	/* invariant: entries [0, lo) come before [lo, n), and [0, hi) before [hi, n) */
	while (lo < count && count < hi)
	{
		char	   *pivot = base + (hi - 1) * size;
		size_t		store = lo;
		size_t		i;

		swap_bytes(base + median_of_three(base, size, before, context, lo, lo + (hi - lo) / 2,
										  hi - 1) * size, pivot, size);
		for (i = lo; i < hi - 1; i++)
		{
			spm_poll(poll, i);
			if (before(base + i * size, pivot, context))
				swap_bytes(base + i * size, base + store++ * size, size);
		}
		swap_bytes(base + store * size, pivot, size);
		/* the pivot now stands at store, everything before it ahead of it */
		if (count <= store)
			hi = store;
		else
			lo = store + 1;
		/* input built to defeat median-of-three: sort what is left (introselect) */
		if (--budget == 0 && lo < count && count < hi)
		{
			sort_entries(base + lo * size, hi - lo, size, before, context, poll);
			return;
		}
	}
}

SpmApportionStatus
spm_largest_remainder(const spm_int128 *numerators, size_t n, spm_int128 divisor,
					  spm_int128 target, spm_int128 *parts, SpmRemainder *scratch, SpmPoll poll)
{
	spm_int128	floors = 0;
	spm_int128	leftover;
	size_t		i;

	if (n == 0)
		return SPM_APPORTION_NO_PARTS;
	for (i = 0; i < n; i++)
	{
		/* floor division: the remainder is in [0, divisor) whatever the sign */
		spm_int128	quotient = numerators[i] / divisor;
		spm_int128	remainder = numerators[i] % divisor;

		/* (numerator - remainder) could overflow near -2^127; this cannot */
		if (remainder < 0)
		{
			remainder += divisor;
			quotient--;
		}
		spm_poll(poll, i);
		parts[i] = quotient;
		if (__builtin_add_overflow(floors, parts[i], &floors))
			return SPM_APPORTION_OVERFLOW;
		scratch[i].remainder = remainder;
		scratch[i].index = i;
	}
	/* fewer than n units are left over: one each to the largest remainders */
	leftover = target - floors;
	if (leftover <= 0)
		return SPM_APPORTION_OK;
	if (leftover > (spm_int128) n)
		leftover = n;
	spm_select_first(scratch, n, sizeof(SpmRemainder), (size_t) leftover, remainder_before,
					 NULL, poll);
	for (i = 0; i < (size_t) leftover; i++)
		parts[scratch[i].index]++;
	return SPM_APPORTION_OK;
}

SpmApportionStatus
spm_allocate_units(int64_t total, const int64_t *weights, size_t n, int64_t *parts,
				   spm_int128 *work, SpmRemainder *scratch, SpmPoll poll)
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
								   magnitude, work, scratch, poll);
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
				spm_int128 *rounded, SpmRemainder *scratch, SpmPoll poll)
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
								   rounded, scratch, poll);
	for (i = 0; status == SPM_APPORTION_OK && i < n; i++)
		rounded[i] *= sign;
	return status;
}
