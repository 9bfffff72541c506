/*
 * Unit tests of the plain-C survival core (counts per duration, Kaplan-Meier steps), run
 * outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "survival_core.h"
#include "unit.h"

#define MAX_N 512
#define SPAN 64					/* generated durations: 0..SPAN-1 days */

/* A list with its own room. */
typedef struct Owned
{
	SpmCycleCount room[MAX_N];
	SpmCycleList list;
} Owned;

static void
init(Owned *o)
{
	memset(o, 0, sizeof(*o));
	o->list.counts = o->room;
}

/* The list equals the dense counts ev[] and ce[] over days 0..SPAN-1. */
static int
equals_dense(const SpmCycleList *l, const int64_t *ev, const int64_t *ce)
{
	size_t		k = 0;
	int64_t		total = 0;

	for (int d = 0; d < SPAN; d++)
	{
		total += ev[d] + ce[d];
		if (ev[d] == 0 && ce[d] == 0)
			continue;
		if (k >= l->n || l->counts[k].day != d || l->counts[k].events != ev[d] ||
			l->counts[k].censored != ce[d])
			return 0;
		k++;
	}
	return k == l->n && total == l->total && spm_cycle_check(l, NULL) == SPM_SURVIVAL_OK;
}

static int
same_list(const SpmCycleList *a, const SpmCycleList *b)
{
	return a->n == b->n && a->total == b->total &&
		memcmp(a->counts, b->counts, a->n * sizeof(SpmCycleCount)) == 0;
}

static int
add_all(Owned *o, const int *days, const bool *closed, int n)
{
	for (int i = 0; i < n; i++)
		if (spm_cycle_add(&o->list, days[i], closed[i], 1) != SPM_SURVIVAL_OK)
			return 0;
	return 1;
}

int
main(void)
{
	Owned		a,
				b,
				m;
	SpmKmStep	steps[MAX_N];
	bool		found;
	int			ok;

	/* by hand: days 3 (closed), 3 (open), 1 (closed), 7 (open) */
	init(&a);
	check(spm_cycle_add(&a.list, 3, true, 1) == SPM_SURVIVAL_OK &&
		  spm_cycle_add(&a.list, 3, false, 1) == SPM_SURVIVAL_OK &&
		  spm_cycle_add(&a.list, 1, true, 1) == SPM_SURVIVAL_OK &&
		  spm_cycle_add(&a.list, 7, false, 1) == SPM_SURVIVAL_OK &&
		  a.list.n == 3 && a.list.total == 4 &&
		  a.list.counts[0].day == 1 && a.list.counts[0].events == 1 &&
		  a.list.counts[1].day == 3 && a.list.counts[1].events == 1 && a.list.counts[1].censored == 1 &&
		  a.list.counts[2].day == 7 && a.list.counts[2].censored == 1,
		  "adding keeps the days sorted, one entry per day, events and censorings apart");
	check(spm_cycle_search(&a.list, 3, &found) == 1 && found &&
		  spm_cycle_search(&a.list, 5, &found) == 2 && !found &&
		  spm_cycle_search(&a.list, 0, &found) == 0 && !found &&
		  spm_cycle_search(&a.list, 9, &found) == 3 && !found,
		  "search finds a day or where it goes");
	check(spm_km_steps(&a.list, -1, SPM_CYCLE_MAX_DAY, steps, NULL) == 2 &&
		  steps[0].day == 1 && steps[0].at_risk == 4 && steps[0].events == 1 &&
		  steps[1].day == 3 && steps[1].at_risk == 3 && steps[1].events == 1,
		  "steps: at day 3 the deal censored at 3 is still at risk (3 at risk, 1 event)");
	check(spm_km_steps(&a.list, 1, 3, steps, NULL) == 1 && steps[0].day == 3 &&
		  spm_km_steps(&a.list, 3, 100, steps, NULL) == 0,
		  "steps of a range (after, upto]");
	check(spm_km_defined(&a.list, 7) && !spm_km_defined(&a.list, 8) && spm_km_defined(&a.list, 0) &&
		  !spm_km_defined(&a.list, -1),
		  "S is defined up to the largest duration when that one is censored");
	check(spm_cycle_add(&a.list, 7, false, -1) == SPM_SURVIVAL_OK && a.list.n == 2 &&
		  spm_km_defined(&a.list, 1000) == false && spm_cycle_add(&a.list, 3, false, -1) == SPM_SURVIVAL_OK &&
		  spm_km_defined(&a.list, 1000),
		  "a largest duration without censoring: S has reached 0 and is defined for ever");
	check(spm_cycle_add(&a.list, 3, false, -1) == SPM_SURVIVAL_NOT_HELD &&
		  spm_cycle_add(&a.list, 4, true, -1) == SPM_SURVIVAL_NOT_HELD && a.list.n == 2 && a.list.total == 2,
		  "removing a deal the list does not hold is refused and changes nothing");
	check(spm_cycle_add(&a.list, -1, true, 1) == SPM_SURVIVAL_BAD_DAY &&
		  spm_cycle_add(&a.list, SPM_CYCLE_MAX_DAY + 1, true, 1) == SPM_SURVIVAL_BAD_DAY &&
		  spm_cycle_add(&a.list, SPM_CYCLE_MAX_DAY, true, 1) == SPM_SURVIVAL_OK,
		  "days run from 0 to SPM_CYCLE_MAX_DAY");

	/* counts never wrap */
	init(&a);
	a.list.n = 1;
	a.room[0].day = 5;
	a.room[0].events = INT64_MAX;
	a.list.total = INT64_MAX;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_OK &&
		  spm_cycle_add(&a.list, 5, true, 1) == SPM_SURVIVAL_OVERFLOW &&
		  spm_cycle_add(&a.list, 6, false, 1) == SPM_SURVIVAL_OVERFLOW &&
		  a.list.n == 1 && a.list.total == INT64_MAX,
		  "a total past 2^63 - 1 is refused, the list untouched");
	init(&b);
	check(spm_cycle_add(&b.list, 9, false, 1) == SPM_SURVIVAL_OK && (init(&m), 1) &&
		  spm_cycle_merge(&a.list, &b.list, 1, &m.list, NULL) == SPM_SURVIVAL_OVERFLOW,
		  "merging past 2^63 - 1 deals is refused");
	check(spm_km_steps(&a.list, -1, 10, steps, NULL) == 1 && steps[0].at_risk == INT64_MAX,
		  "at-risk counts reach 2^63 - 1");

	/* check refuses what adding cannot build */
	init(&a);
	a.list.n = 2;
	a.room[0].day = 4, a.room[0].events = 1;
	a.room[1].day = 4, a.room[1].events = 1;
	a.list.total = 2;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_UNSORTED, "a repeated day is refused");
	a.room[1].day = 2;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_UNSORTED, "days out of order are refused");
	a.room[1].day = 5, a.room[1].events = 0;
	a.list.total = 1;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_EMPTY_DAY, "a day without deals is refused");
	a.room[1].censored = -1;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_NEGATIVE, "a negative count is refused");
	a.room[1].censored = 1;
	a.list.total = 3;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_BAD_TOTAL, "a total that is not the sum is refused");
	a.room[1].day = SPM_CYCLE_MAX_DAY + 1;
	a.list.total = 2;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_BAD_DAY, "a day out of range is refused");
	a.room[0].events = INT64_MAX;
	a.room[1].day = 6;
	check(spm_cycle_check(&a.list, NULL) == SPM_SURVIVAL_OVERFLOW, "counts summing past 2^63 - 1 are refused");

	/* generated: random adds and removes against dense counts */
	ok = 1;
	for (int round = 0; round < 400 && ok; round++)
	{
		int64_t		ev[SPAN] = {0},
					ce[SPAN] = {0};

		init(&a);
		for (int step = 0; step < 300 && ok; step++)
		{
			int			day = (int) random_between(0, SPAN - 1);
			bool		closed = random_between(0, 1);
			int64_t    *slot = closed ? &ev[day] : &ce[day];
			int			sign = random_between(0, 2) == 0 ? -1 : 1;
			SpmSurvivalStatus s = spm_cycle_add(&a.list, day, closed, sign);

			if (sign < 0 && *slot == 0)
				ok = s == SPM_SURVIVAL_NOT_HELD;
			else
			{
				*slot += sign;
				ok = s == SPM_SURVIVAL_OK;
			}
			ok = ok && equals_dense(&a.list, ev, ce);
		}
	}
	check(ok, "120,000 random adds and removes keep the list equal to dense counts");

	/* generated: the merge of two lists is the list of both inputs; unmerge undoes it */
	ok = 1;
	for (int round = 0; round < 2000 && ok; round++)
	{
		int			na = (int) random_between(0, 100),
					nb = (int) random_between(0, 100);
		int			days[200];
		bool		closed[200];
		Owned		both,
					back;
		int			span = (int) random_between(1, SPAN);

		for (int i = 0; i < na + nb; i++)
		{
			days[i] = (int) random_between(0, span - 1);
			closed[i] = random_between(0, 3) != 0;
		}
		init(&a), init(&b), init(&m), init(&both), init(&back);
		ok = add_all(&a, days, closed, na) && add_all(&b, days + na, closed + na, nb) &&
			add_all(&both, days, closed, na + nb) &&
			spm_cycle_merge(&a.list, &b.list, 1, &m.list, NULL) == SPM_SURVIVAL_OK &&
			same_list(&m.list, &both.list) &&
			spm_cycle_merge(&m.list, &b.list, -1, &back.list, NULL) == SPM_SURVIVAL_OK &&
			same_list(&back.list, &a.list);
		/* removing more than a holds is refused, unless b is empty */
		if (ok && nb > 0)
		{
			Owned		refused;

			init(&refused);
			ok = spm_cycle_merge(&a.list, &both.list, -1, &refused.list, NULL) == SPM_SURVIVAL_NOT_HELD;
		}
	}
	check(ok, "2,000 generated merges equal the list of the union; unmerging gives back the first");

	/* generated: steps against the at-risk set counted deal by deal */
	ok = 1;
	for (int round = 0; round < 500 && ok; round++)
	{
		int			n = (int) random_between(1, 150);
		int			days[150];
		bool		closed[150];
		size_t		k;
		int			after = (int) random_between(-1, SPAN);
		int			upto = (int) random_between(after, SPAN + 2);
		size_t		expected = 0;

		for (int i = 0; i < n; i++)
		{
			days[i] = (int) random_between(0, SPAN / 2);
			closed[i] = random_between(0, 2) != 0;
		}
		init(&a);
		ok = add_all(&a, days, closed, n);
		k = spm_km_steps(&a.list, after, upto, steps, NULL);
		for (int d = after + 1; d <= upto && ok; d++)
		{
			int64_t		at_risk = 0,
						events = 0;

			for (int i = 0; i < n; i++)
			{
				at_risk += days[i] >= d;
				events += days[i] == d && closed[i];
			}
			if (events == 0)
				continue;
			ok = expected < k && steps[expected].day == d && steps[expected].at_risk == at_risk &&
				steps[expected].events == events;
			expected++;
		}
		ok = ok && expected == k;
	}
	check(ok, "500 generated step lists equal the risk sets counted deal by deal");

	return done();
}
