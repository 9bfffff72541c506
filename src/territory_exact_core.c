/*
 * territory_exact_core.c: a perfect split for small territory problems, by exhaustive
 * search, plain C.
 *
 * Moves and swaps between two territories cannot rotate accounts through three or more:
 * 8,7,6,5,4,3,2,1 into 3 territories ends at 13/12/11 although 12/12/12 exists.  Larger
 * problems get the chains and cycles of territory_core.c's local search; for small ones
 * (at most SPM_EXACT_MAX_ACCOUNTS accounts that may move, SPM_EXACT_MAX_TERRITORIES
 * territories) spm_assign asks this search first for an assignment with every territory
 * exactly at the mean: depth-first, heaviest account first, home territory first, so the
 * first split found moves few accounts and later ones must move fewer.  A node budget
 * bounds the work; the search is deterministic.  It must not know anything of
 * coordinates.
 */
#include <string.h>

#include "territory_core.h"

/* Nodes one search may visit before it gives up with what it has. */
#define NODE_BUDGET 2000000

typedef struct Search
{
	const SpmAccount *accounts;
	size_t		k;
	size_t		m;				/* accounts to place, heaviest first in order[] */
	size_t		order[SPM_EXACT_MAX_ACCOUNTS];
	int32_t		at[SPM_EXACT_MAX_ACCOUNTS];
	int32_t		best[SPM_EXACT_MAX_ACCOUNTS];
	int64_t		homes_left[SPM_EXACT_MAX_TERRITORIES];	/* of accounts not placed yet */
	spm_int128	load[SPM_EXACT_MAX_TERRITORIES];
	spm_int128	target;
	int64_t		max_moves;		/* < 0: any */
	int64_t		best_moves;		/* -1: no split found yet */
	long		nodes;
	SpmPoll		poll;
} Search;

/* Heavier first, then the lower index. */
static bool
heavier(const SpmAccount *accounts, size_t a, size_t b)
{
	return accounts[a].weight > accounts[b].weight ||
		(accounts[a].weight == accounts[b].weight && a < b);
}

/*
 * A lower bound on the moves order[i..m) still need: a territory whose unplaced accounts
 * outweigh its room must lose at least as many of them as it takes, heaviest first, to
 * cover the excess.
 */
static int64_t
moves_still_needed(const Search *s, size_t i)
{
	spm_int128	excess[SPM_EXACT_MAX_TERRITORIES];
	int64_t		needed = 0;
	size_t		j,
				t;

	for (t = 0; t < s->k; t++)
		excess[t] = s->load[t] - s->target;
	for (j = i; j < s->m; j++)
	{
		int32_t		home = s->accounts[s->order[j]].current;

		if (home >= 0)
			excess[home] += s->accounts[s->order[j]].weight;
	}
	/* heaviest first: each account that leaves covers as much of the excess as it can */
	for (j = i; j < s->m; j++)
	{
		int32_t		home = s->accounts[s->order[j]].current;

		if (home >= 0 && excess[home] > 0)
		{
			excess[home] -= s->accounts[s->order[j]].weight;
			needed++;
		}
	}
	return needed;
}

/* Place order[i..m) with moves made so far; keep the split that moves fewest. */
static void
place_from(Search *s, size_t i, int64_t moves)
{
	size_t		a;
	int32_t		home;
	spm_int128	tried[SPM_EXACT_MAX_TERRITORIES];
	size_t		ntried = 0;
	size_t		pass;
	int64_t		least;

	if (s->nodes++ >= NODE_BUDGET)
		return;
	spm_poll(s->poll, (size_t) s->nodes);
	least = moves + moves_still_needed(s, i);
	if ((s->max_moves >= 0 && least > s->max_moves) ||
		(s->best_moves >= 0 && least >= s->best_moves))
		return;
	if (i == s->m)
	{
		/* every load is at most the target and they sum to k * target: all equal it */
		s->best_moves = moves;
		memcpy(s->best, s->at, sizeof(int32_t) * s->m);
		return;
	}
	a = s->order[i];
	home = s->accounts[a].current;
	if (home >= 0)
		s->homes_left[home]--;
	/* pass 0 tries the account's home, pass 1 every other territory */
	for (pass = 0; pass < 2; pass++)
	{
		size_t		t;

		for (t = 0; t < s->k; t++)
		{
			int64_t		cost = (home >= 0 && (int32_t) t != home) ? 1 : 0;
			size_t		j;
			bool		same = false;

			if ((pass == 0) != ((int32_t) t == home) ||
				s->load[t] + s->accounts[a].weight > s->target ||
				(s->max_moves >= 0 && moves + cost > s->max_moves) ||
				(s->best_moves >= 0 && moves + cost >= s->best_moves))
				continue;
			/* territories alike (same load, home to none of the rest) give alike splits */
			for (j = 0; j < ntried && !same; j++)
				same = tried[j] == s->load[t];
			if (same && s->homes_left[t] == 0 && (int32_t) t != home)
				continue;
			if (s->homes_left[t] == 0 && (int32_t) t != home)
				tried[ntried++] = s->load[t];
			s->at[i] = (int32_t) t;
			s->load[t] += s->accounts[a].weight;
			place_from(s, i + 1, moves + cost);
			s->load[t] -= s->accounts[a].weight;
		}
	}
	if (home >= 0)
		s->homes_left[home]++;
}

bool
spm_assign_exact(const SpmAccount *accounts, size_t n, size_t k, int64_t max_moves,
				 SpmPoll poll, int32_t *proposed, int64_t *moves)
{
	Search		s;
	spm_int128	total = 0;
	size_t		i,
				j;

	if (k == 0 || k > SPM_EXACT_MAX_TERRITORIES)
		return false;
	memset(&s, 0, sizeof(s));
	s.accounts = accounts;
	s.k = k;
	s.max_moves = max_moves;
	s.best_moves = -1;
	s.poll = poll;
	for (i = 0; i < n; i++)
		total += accounts[i].weight;
	if (total % (spm_int128) k != 0)
		return false;			/* loads are whole units: no split is perfect */
	s.target = total / (spm_int128) k;
	/* locked accounts and accounts of weight zero stay where they are (or go to 0) */
	for (i = 0; i < n; i++)
	{
		const SpmAccount *a = &accounts[i];

		/* spm_assign has checked; a caller that has not gets no answer, not a wild write */
		if (a->current >= (int32_t) k || a->weight < 0)
			return false;
		if (a->locked || a->weight == 0)
		{
			proposed[i] = a->current >= 0 ? a->current : 0;
			s.load[proposed[i]] += a->weight;
			continue;
		}
		if (s.m == SPM_EXACT_MAX_ACCOUNTS)
			return false;
		/* insertion into order[], heaviest first */
		for (j = s.m++; j > 0 && heavier(accounts, i, s.order[j - 1]); j--)
			s.order[j] = s.order[j - 1];
		s.order[j] = i;
		if (a->current >= 0)
			s.homes_left[a->current]++;
	}
	for (i = 0; i < k; i++)
		if (s.load[i] > s.target)
			return false;		/* the locked accounts alone overfill a territory */
	place_from(&s, 0, 0);
	if (s.best_moves < 0)
		return false;
	for (i = 0; i < s.m; i++)
		proposed[s.order[i]] = s.best[i];
	*moves = s.best_moves;
	return true;
}
