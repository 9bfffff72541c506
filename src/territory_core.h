/*
 * territory_core.h: territory balance and balanced assignment in plain C, with no
 * backend calls, so that unit tests drive them outside the server.
 *
 * Values and weights are exact counts of 10^-scale units (int64_t); sums and the
 * quantities the scores are ratios of are 128-bit integers.
 */
#ifndef TERRITORY_CORE_H
#define TERRITORY_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spm_core.h"

typedef enum SpmTerritoryStatus
{
	SPM_TERRITORY_OK = 0,
	SPM_TERRITORY_NEGATIVE,			/* a value or weight below zero */
	SPM_TERRITORY_OVERFLOW,			/* n * sum of squares beyond 128 bits */
	SPM_TERRITORY_NO_TERRITORIES,	/* k is zero */
	SPM_TERRITORY_BAD_TERRITORY,	/* a current territory index not below k */
	SPM_TERRITORY_LOCKED_UNASSIGNED /* a locked account with no current territory */
} SpmTerritoryStatus;

/*
 * The exact integers every balance score is a ratio of, for n >= 1 values x_i
 * (sorted ascending as x_(1) <= ... <= x_(n)) with sum S:
 *   Gini                       = gini / (n * S)    (= sum_i sum_j |x_i - x_j| / (2 n^2 mean))
 *   coefficient of variation   = sqrt(spread) / S  (population standard deviation / mean)
 *   largest relative deviation = max_gap / S       (max |x_i - mean| / mean)
 *   max / min                  = max / min
 */
typedef struct SpmBalance
{
	size_t		n;
	spm_int128	sum;
	int64_t		min;
	int64_t		max;
	spm_int128	gini;			/* sum_i (2i - n - 1) x_(i) */
	spm_int128	spread;			/* n sum x_i^2 - S^2 = n^2 * population variance */
	spm_int128	max_gap;		/* max_i |n x_i - S| */
} SpmBalance;

/* The balance of values[0..n-1] (n >= 1); sorts values ascending in place. */
extern SpmTerritoryStatus spm_balance(int64_t *values, size_t n, SpmBalance *balance);

/*
 * How many of values[0..n-1] (summing to sum) lie within +-tol_num/tol_den of their
 * mean: |n x - sum| * tol_den <= tol_num * sum.  tol_num >= 0, tol_den > 0.
 */
extern size_t spm_balance_within(const int64_t *values, size_t n, spm_int128 sum,
								 int64_t tol_num, int64_t tol_den);

/* One account to assign. */
typedef struct SpmAccount
{
	int64_t		weight;			/* units, >= 0 */
	int32_t		current;		/* territory index, or -1 when it has none */
	bool		locked;			/* stays in its current territory */
	bool		located;		/* lat and lon are set */
	double		lat;			/* degrees */
	double		lon;
} SpmAccount;

typedef struct SpmAssignOptions
{
	int64_t		max_moves;		/* most accounts moved from their current territory; < 0: any */
	int64_t		tol_num;		/* stop once the largest relative deviation is at most */
	int64_t		tol_den;		/* tol_num / tol_den (0 / 1: improve as far as it goes) */
	SpmPoll		poll;			/* called as the work goes on (see spm_core.h); may be NULL */
} SpmAssignOptions;

/* Bytes of workspace spm_assign needs for n accounts and k territories. */
extern size_t spm_assign_workspace(size_t n, size_t k);

/*
 * Propose a territory (0..k-1) for each of accounts[0..n-1] into proposed[]:
 * accounts without a current territory are placed largest first into the lightest
 * territory (with coordinates: first into the nearest territory with located accounts
 * that has room, then in compact regions, cut by recursive coordinate bisection, into
 * the territories without any), then single moves and pairwise swaps out of (or into)
 * the territory farthest from the mean shrink the largest relative deviation until it
 * is within the tolerance, the move budget is spent, or nothing shrinks it; where no
 * move or swap does, ejection chains and cyclic exchanges through three or four
 * territories are tried; of equally good moves the account nearest the receiving
 * territory goes; last, moved accounts go back home wherever that keeps the reached
 * deviation.  When coordinates placed accounts, the proposal from largest-first
 * placement replaces it only if that one ends strictly better balanced, or as well with
 * fewer moves.  A small problem (see SPM_EXACT_MAX_ACCOUNTS) that moves and swaps leave
 * outside the band goes to the exhaustive search below instead, and gets chains and
 * cycles only if that finds no perfect split.  Locked accounts never move.  Ties go to the lower index: the result depends
 * only on the input order (and, with coordinates, on where the accounts are).
 * workspace holds spm_assign_workspace(n, k) bytes, 8-byte aligned (as palloc gives).
 */
extern SpmTerritoryStatus spm_assign(const SpmAccount *accounts, size_t n, size_t k,
									 const SpmAssignOptions *options, void *workspace,
									 int32_t *proposed);

/*
 * Small problems get an exhaustive search for a perfect split (territory_exact_core.c):
 * at most this many accounts that may move (unlocked, weight above zero), and
 * territories.
 */
#define SPM_EXACT_MAX_ACCOUNTS 60
#define SPM_EXACT_MAX_TERRITORIES 8

/*
 * An assignment into proposed[] that puts every territory exactly at the mean (k * load
 * = total), locked accounts and accounts of weight zero at home, moving the fewest
 * accounts found (at most max_moves, < 0: any; *moves says how many).  False when the
 * problem is too large, no such split exists, or the search budget ran out first.
 */
extern bool spm_assign_exact(const SpmAccount *accounts, size_t n, size_t k, int64_t max_moves,
							 SpmPoll poll, int32_t *proposed, int64_t *moves);

#endif
