/*
 * range_core.h: the plain-C part of spm's forecast range (no backend calls), so that unit
 * tests drive it outside the server.
 *
 * A bookings range (spm.bookings_range) summarizes open deals, each an amount of u whole
 * units of the currency resolution and a probability p = P * 10^-20 of closing won,
 * independently.  It keeps two exact moments in 256-bit integers, whatever the size:
 *   s1 = sum u * P                       (the expected total is s1 * 10^-20 units)
 *   s2 = sum u^2 * P * (10^20 - P)       (its variance is s2 * 10^-40 units squared)
 * and, while the pipeline is small enough (SPM_RANGE_EXACT_UNITS, SPM_RANGE_EXACT_WORK),
 * the list of its deals with a positive amount, from which spm_range_distribution computes
 * the exact distribution of the total by dynamic programming.
 */
#ifndef SPM_RANGE_CORE_H
#define SPM_RANGE_CORE_H

#include "spm_core.h"

/* Decimals of a probability: P = p * 10^20. */
#define SPM_RANGE_P_SCALE 20

/*
 * The exact distribution is kept while the deals with a positive amount total at most
 * SPM_RANGE_EXACT_UNITS units and (those deals) * (their total units) <= SPM_RANGE_EXACT_WORK.
 */
#define SPM_RANGE_EXACT_UNITS 1000000
#define SPM_RANGE_EXACT_WORK 100000000

/* 2^-126: the unit of a probability in the distribution (1 is 2^126). */
#define SPM_RANGE_ONE_SHIFT 126

/* An unsigned 128-bit value 8-byte aligned, as palloc'd arrays of it are (cf. spm_int128). */
typedef unsigned __int128 spm_uint128 __attribute__((aligned(8)));

typedef struct SpmU256
{
	uint64_t	w[4];			/* little-endian limbs */
} SpmU256;

/* One listed deal: u units, probability (p_hi * 2^64 + p_lo) * 10^-20. */
typedef struct SpmRangeDeal
{
	int64_t		units;
	uint64_t	p_lo;
	uint64_t	p_hi;
} SpmRangeDeal;

typedef enum SpmRangeStatus
{
	SPM_RANGE_OK = 0,
	SPM_RANGE_OVERFLOW			/* a moment would pass 2^256 */
} SpmRangeStatus;

/* P of a listed deal, and a deal of P */
extern unsigned __int128 spm_range_deal_p(const SpmRangeDeal *d);

/* *acc += the terms of one deal (u >= 0, 0 <= P <= 10^20); untouched unless OK. */
extern SpmRangeStatus spm_range_add_moments(SpmU256 *s1, SpmU256 *s2, int64_t units,
											unsigned __int128 p);

/* *a += *b; untouched unless OK. */
extern SpmRangeStatus spm_u256_add(SpmU256 *a, const SpmU256 *b);

/* Is a list of deals whose positive units total total_units, n of them, within the bound? */
extern bool spm_range_within_bound(int64_t n, int64_t total_units);

/* Sorts deals by units, then P: the canonical order of a list. */
extern void spm_range_sort(SpmRangeDeal *deals, size_t n);

/*
 * The distribution of the total of the n deals (each units > 0): dist[t] = P(total = t)
 * in units of 2^-126, for t = 0 .. total (dist has room for total + 1 entries, total the
 * deals' units summed).  Each deal's p is taken as the nearest multiple of 2^-126 and
 * each product is rounded to one: the entries sum to 1 within (n + work) * 2^-126, work the
 * entries updated (at most n * total), below 10^-29 within the exact bound.
 */
extern void spm_range_distribution(const SpmRangeDeal *deals, size_t n, int64_t total,
								   spm_uint128 *dist, SpmPoll poll);

#endif
