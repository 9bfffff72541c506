/*
 * survival_core.c: counts per duration and the Kaplan-Meier steps (see survival_core.h).
 */
#include "survival_core.h"

#include <string.h>

size_t
spm_cycle_search(const SpmCycleList *list, int32_t day, bool *found)
{
	size_t		lo = 0;
	size_t		hi = list->n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (list->counts[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < list->n && list->counts[lo].day == day;
	return lo;
}

SpmSurvivalStatus
spm_cycle_add(SpmCycleList *list, int32_t day, bool closed, int sign)
{
	bool		found;
	size_t		i;
	int64_t		total;
	SpmCycleCount *c;

	if (day < 0 || day > SPM_CYCLE_MAX_DAY)
		return SPM_SURVIVAL_BAD_DAY;
	i = spm_cycle_search(list, day, &found);
	if (sign < 0)
	{
		if (!found || (closed ? list->counts[i].events : list->counts[i].censored) < 1)
			return SPM_SURVIVAL_NOT_HELD;
		c = &list->counts[i];
		if (closed)
			c->events--;
		else
			c->censored--;
		list->total--;
		if (c->events == 0 && c->censored == 0)
		{
			memmove(c, c + 1, (list->n - i - 1) * sizeof(SpmCycleCount));
			list->n--;
		}
		return SPM_SURVIVAL_OK;
	}
	if (__builtin_add_overflow(list->total, 1, &total))
		return SPM_SURVIVAL_OVERFLOW;	/* no count can pass the total */
	if (!found)
	{
		memmove(&list->counts[i + 1], &list->counts[i], (list->n - i) * sizeof(SpmCycleCount));
		memset(&list->counts[i], 0, sizeof(SpmCycleCount));
		list->counts[i].day = day;
		list->n++;
	}
	c = &list->counts[i];
	if (closed)
		c->events++;
	else
		c->censored++;
	list->total = total;
	return SPM_SURVIVAL_OK;
}

/* *r = x + sign * y for counts, false when it passes 2^63 - 1 (a negative result is the caller's). */
static bool
add_count(int64_t x, int64_t y, int sign, int64_t *r)
{
	return sign < 0 ? !__builtin_sub_overflow(x, y, r) : !__builtin_add_overflow(x, y, r);
}

SpmSurvivalStatus
spm_cycle_merge(const SpmCycleList *a, const SpmCycleList *b, int sign, SpmCycleList *out,
				SpmPoll poll)
{
	size_t		i = 0;
	size_t		j = 0;
	size_t		k = 0;
	int64_t		total;

	if (!add_count(a->total, b->total, sign, &total))
		return SPM_SURVIVAL_OVERFLOW;
	if (total < 0)
		return SPM_SURVIVAL_NOT_HELD;
	while (i < a->n || j < b->n)
	{
		SpmCycleCount c;

		spm_poll(poll, i + j);
		if (j == b->n || (i < a->n && a->counts[i].day < b->counts[j].day))
			c = a->counts[i++];
		else if (i == a->n || b->counts[j].day < a->counts[i].day)
		{
			if (sign < 0)
				return SPM_SURVIVAL_NOT_HELD;
			c = b->counts[j++];
		}
		else
		{
			c = a->counts[i];
			if (!add_count(a->counts[i].events, b->counts[j].events, sign, &c.events) ||
				!add_count(a->counts[i].censored, b->counts[j].censored, sign, &c.censored))
				return SPM_SURVIVAL_OVERFLOW;
			if (c.events < 0 || c.censored < 0)
				return SPM_SURVIVAL_NOT_HELD;
			i++, j++;
		}
		if (c.events != 0 || c.censored != 0)
			out->counts[k++] = c;
	}
	out->n = k;
	out->total = total;
	return SPM_SURVIVAL_OK;
}

SpmSurvivalStatus
spm_cycle_check(const SpmCycleList *list, SpmPoll poll)
{
	int64_t		total = 0;

	for (size_t i = 0; i < list->n; i++)
	{
		const SpmCycleCount *c = &list->counts[i];

		spm_poll(poll, i);
		if (c->day < 0 || c->day > SPM_CYCLE_MAX_DAY)
			return SPM_SURVIVAL_BAD_DAY;
		if (i > 0 && c->day <= list->counts[i - 1].day)
			return SPM_SURVIVAL_UNSORTED;
		if (c->events < 0 || c->censored < 0)
			return SPM_SURVIVAL_NEGATIVE;
		if (c->events == 0 && c->censored == 0)
			return SPM_SURVIVAL_EMPTY_DAY;
		if (__builtin_add_overflow(total, c->events, &total) ||
			__builtin_add_overflow(total, c->censored, &total))
			return SPM_SURVIVAL_OVERFLOW;
	}
	return total == list->total ? SPM_SURVIVAL_OK : SPM_SURVIVAL_BAD_TOTAL;
}

int64_t
spm_cycle_events(const SpmCycleList *list, SpmPoll poll)
{
	int64_t		events = 0;

	/* no overflow: the events are part of the total */
	for (size_t i = 0; i < list->n; i++)
	{
		spm_poll(poll, i);
		events += list->counts[i].events;
	}
	return events;
}

size_t
spm_km_steps(const SpmCycleList *list, int32_t after, int32_t upto, SpmKmStep *steps,
			 SpmPoll poll)
{
	int64_t		at_risk = list->total;	/* deals whose duration is the current day or more */
	size_t		k = 0;

	for (size_t i = 0; i < list->n && list->counts[i].day <= upto; i++)
	{
		const SpmCycleCount *c = &list->counts[i];

		spm_poll(poll, i);
		if (c->day > after && c->events > 0)
		{
			steps[k].at_risk = at_risk;
			steps[k].events = c->events;
			steps[k].day = c->day;
			steps[k].unused = 0;
			k++;
		}
		at_risk -= c->events + c->censored;
	}
	return k;
}

bool
spm_km_defined(const SpmCycleList *list, int32_t t)
{
	const SpmCycleCount *last;

	if (list->n == 0 || t < 0)
		return false;
	last = &list->counts[list->n - 1];
	return t <= last->day || last->censored == 0;
}
