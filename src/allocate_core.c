/*
 * allocate_core.c: exact proportional allocation (largest remainder method), plain C.
 */
#include <stdlib.h>

#include "spm_core.h"

/* Larger remainder first; equal remainders by lower index, so results are deterministic. */
static int
remainder_order(const void *a, const void *b)
{
	const SpmRemainder *x = a;
	const SpmRemainder *y = b;

	if (x->remainder != y->remainder)
		return x->remainder > y->remainder ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

SpmStatus
spm_allocate_units(int64_t total, const int64_t *weights, size_t n,
				   int64_t *parts, SpmRemainder *scratch)
{
	spm_int128	weight_sum = 0;
	spm_int128	magnitude = total < 0 ? -(spm_int128) total : total;
	spm_int128	given = 0;
	size_t		i;

	if (n == 0)
		return SPM_ERR_NO_PARTS;
	for (i = 0; i < n; i++)
	{
		if (weights[i] < 0)
			return SPM_ERR_NEGATIVE_WEIGHT;
		weight_sum += weights[i];
	}
	for (i = 0; i < n; i++)
	{
		/* all-zero weights: every part weighs one */
		spm_int128	weight = weight_sum == 0 ? 1 : weights[i];
		spm_int128	divisor = weight_sum == 0 ? (spm_int128) n : weight_sum;
		spm_int128	product = magnitude * weight;

		parts[i] = (int64_t) (product / divisor);
		given += parts[i];
		scratch[i].remainder = product % divisor;
		scratch[i].index = i;
	}
	qsort(scratch, n, sizeof(SpmRemainder), remainder_order);
	/* fewer than n units are left over: one each to the largest remainders */
	for (i = 0; given < magnitude; i++, given++)
		parts[scratch[i].index]++;
	if (total < 0)
		for (i = 0; i < n; i++)
			parts[i] = -parts[i];
	return SPM_OK;
}
