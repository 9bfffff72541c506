/*
 * spm_core.h: spm's math in plain C, with no backend calls, so that unit tests and
 * fuzzers can drive it outside the server.  Functions return an SpmStatus.
 */
#ifndef SPM_CORE_H
#define SPM_CORE_H

#include <stddef.h>
#include <stdint.h>

/* 8-byte aligned, as palloc and malloc'd arrays of it may be (like PostgreSQL's int128) */
typedef __int128 spm_int128 __attribute__((aligned(8)));

typedef enum SpmStatus
{
	SPM_OK = 0,
	SPM_ERR_NEGATIVE_WEIGHT,	/* a weight below zero */
	SPM_ERR_NO_PARTS			/* nothing to allocate to */
} SpmStatus;

/* Scratch for spm_allocate_units: one per part. */
typedef struct SpmRemainder
{
	spm_int128	remainder;
	size_t		index;
} SpmRemainder;

/*
 * Split total units into n parts proportional to weights (largest remainder method):
 * parts sum exactly to total, each within one unit of its exact share; leftover units
 * go to the largest remainders, ties to the lower index.  All-zero weights split evenly.
 * Since every input fits in 64 bits, every product fits in 128 bits: no overflow.
 */
extern SpmStatus spm_allocate_units(int64_t total, const int64_t *weights, size_t n,
									int64_t *parts, SpmRemainder *scratch);

#endif
