/*
 * Unit tests of the plain-C allocation core, run outside the server by test/run.
 * Prints one TAP line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm_core.h"
#include "unit.h"

/* Allocate into scratch that is 8-byte but not 16-byte aligned, as palloc may give. */
static SpmStatus
allocate(int64_t total, const int64_t *weights, size_t n, int64_t *parts)
{
	char	   *raw = malloc(sizeof(SpmRemainder) * (n + 1) + 8);
	SpmRemainder *scratch = (SpmRemainder *) (raw + ((uintptr_t) raw % 16 == 0 ? 8 : 0));
	SpmStatus	status = spm_allocate_units(total, weights, n, parts, scratch);

	free(raw);
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

int
main(void)
{
	int64_t		parts[64];
	uint64_t	seed = 88172645463325252ULL;
	int			c,
				law_failures = 0;

	check(allocate(10000, (int64_t[]) {1, 1, 1}, 3, parts) == SPM_OK &&
		  parts_are(parts, (int64_t[]) {3334, 3333, 3333}, 3), "thirds: the extra unit goes to the first part");
	check(allocate(-10000, (int64_t[]) {1, 1, 1}, 3, parts) == SPM_OK &&
		  parts_are(parts, (int64_t[]) {-3334, -3333, -3333}, 3), "a negative total mirrors a positive one");
	check(allocate(1000, (int64_t[]) {0, 0, 0}, 3, parts) == SPM_OK &&
		  parts_are(parts, (int64_t[]) {334, 333, 333}, 3), "all-zero weights split evenly");
	check(allocate(5, (int64_t[]) {1, 3}, 2, parts) == SPM_OK &&
		  parts_are(parts, (int64_t[]) {1, 4}, 2), "the largest remainder wins the leftover unit");
	check(allocate(7, (int64_t[]) {1, -1}, 2, parts) == SPM_ERR_NEGATIVE_WEIGHT, "a negative weight is refused");
	check(allocate(7, NULL, 0, parts) == SPM_ERR_NO_PARTS, "no parts is refused");
	check(allocate(INT64_MAX, (int64_t[]) {INT64_MAX, INT64_MAX, 1}, 3, parts) == SPM_OK &&
		  laws_hold(INT64_MAX, (int64_t[]) {INT64_MAX, INT64_MAX, 1}, 3, parts),
		  "64-bit extremes allocate exactly in 128-bit arithmetic");

	/* xorshift: deterministic pseudo-random cases */
	for (c = 0; c < 10000; c++)
	{
		int64_t		weights[64];
		size_t		n = 1 + c % 64,
					i;
		int64_t		total;

		seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
		total = (int64_t) (seed % 2000000001ULL) - 1000000000;
		for (i = 0; i < n; i++)
		{
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			weights[i] = c % 7 == 0 ? 0 : (int64_t) (seed % (c % 2 ? 100 : 1000000007ULL));
		}
		if (allocate(total, weights, n, parts) != SPM_OK || !laws_hold(total, weights, n, parts))
			law_failures++;
	}
	check(law_failures == 0, "exact sum and one-unit bound on 10000 generated cases");

	return done();
}
