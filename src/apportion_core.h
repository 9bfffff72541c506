/*
 * apportion_core.h: exact apportionment by the largest remainder method, plain C.
 *
 * One rule serves every exact split in spm: allocating a quota by weights
 * (spm.allocate), crediting a deal by shares (spm.split) and rounding payout lines
 * (spm.round_lines).  Each part first takes the floor of its exact share; the units
 * still missing from the target total, fewer than the number of parts, go one each to
 * the parts with the largest remainders, equal remainders to the lower index.  Here it
 * runs on 128-bit integers; apportion.c runs the same rule in numeric arithmetic when a
 * value does not fit, so both paths give the same parts.
 */
#ifndef SPM_APPORTION_CORE_H
#define SPM_APPORTION_CORE_H

#include "spm_core.h"

typedef enum SpmApportionStatus
{
	SPM_APPORTION_OK = 0,
	SPM_APPORTION_NEGATIVE_WEIGHT,	/* a weight below zero */
	SPM_APPORTION_NO_PARTS,		/* nothing to apportion to */
	SPM_APPORTION_OVERFLOW		/* a total beyond 128 bits */
} SpmApportionStatus;

/* Scratch for the method: one per part. */
typedef struct SpmRemainder
{
	spm_int128	remainder;
	size_t		index;
} SpmRemainder;

/*
 * The method's order: negative when part a (remainder compared with b's: remainder_cmp
 * < 0, 0, > 0) comes before part b, i.e. has the larger remainder, or an equal one and
 * the lower index.  The numeric path sorts by it too.
 */
extern int	spm_remainder_order(int remainder_cmp, size_t a, size_t b);

/* Whether entry a comes before entry b; context is the caller's. */
typedef bool (*SpmBefore) (const void *a, const void *b, void *context);

/*
 * Rearrange entries[0..n) (each size bytes, at most 64) so that the first count of them are the
 * count entries that come first by before, in no particular order among themselves:
 * quickselect, linear on average where sorting all would cost n log n, falling back to
 * a heapsort of what is left when pivots keep choosing badly (introselect), so input
 * built against median-of-three costs n log n, not n^2.  With a strict
 * total order (the method's: remainders, then indexes) the chosen set does not depend
 * on the pivots.  Both the 128-bit path and the numeric one pick their receivers so.
 */
extern void spm_select_first(void *entries, size_t n, size_t size, size_t count,
							 SpmBefore before, void *context, SpmPoll poll);

/*
 * parts[i] = floor(numerators[i] / divisor) (divisor > 0, any sign of numerator), plus
 * one for each of the target - sum(floors) parts with the largest remainders, which
 * callers guarantee is from 0 to n.  parts may be numerators.  poll (may be NULL) is
 * called as the work goes on, here and in the two uses below.
 */
extern SpmApportionStatus spm_largest_remainder(const spm_int128 *numerators, size_t n,
												spm_int128 divisor, spm_int128 target,
												spm_int128 *parts, SpmRemainder *scratch,
												SpmPoll poll);

/*
 * Split total units into n parts proportional to weights (>= 0): parts sum exactly to
 * total, each within one unit of its exact share; all-zero weights split evenly; a
 * negative total is apportioned as its magnitude, negated.  Since every input fits in
 * 64 bits, every product fits in 128 bits.  work holds n elements.
 */
extern SpmApportionStatus spm_allocate_units(int64_t total, const int64_t *weights, size_t n,
											 int64_t *parts, spm_int128 *work,
											 SpmRemainder *scratch, SpmPoll poll);

/* How the exact total of payout lines is rounded to whole units. */
typedef enum SpmRounding
{
	SPM_ROUND_HALF_UP,			/* halves away from zero */
	SPM_ROUND_HALF_EVEN			/* halves to the even unit (banker's rounding) */
} SpmRounding;

/*
 * Round n lines, given in units of 1/unit of the result unit (unit >= 1), to whole
 * result units summing exactly to their exact total rounded by mode; a negative total
 * is rounded as its magnitude, negated, so negating the lines negates the result.
 * Each rounded line is less than one unit from its exact value.  rounded may be lines.
 */
extern SpmApportionStatus spm_round_lines(const spm_int128 *lines, size_t n, spm_int128 unit,
										  SpmRounding mode, spm_int128 *rounded,
										  SpmRemainder *scratch, SpmPoll poll);

#endif
