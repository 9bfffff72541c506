/*
 * capacity_core.c: capacity planning in plain C: the roster check and what one roster row
 * brings to one month.  No backend calls: capacity.c turns statuses into errors.
 */
#include "capacity_core.h"

#include <stdlib.h>
#include <string.h>

/* By person (bytes, a shorter prefix first), then by first day. */
static int
span_cmp(const void *a, const void *b)
{
	const SpmRosterSpan *x = a;
	const SpmRosterSpan *y = b;
	size_t		len = x->person_len < y->person_len ? x->person_len : y->person_len;
	int			c = len > 0 ? memcmp(x->person, y->person, len) : 0;

	if (c != 0)
		return c;
	if (x->person_len != y->person_len)
		return x->person_len < y->person_len ? -1 : 1;
	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->row < y->row ? -1 : (x->row > y->row);
}

static bool
same_person(const SpmRosterSpan *x, const SpmRosterSpan *y)
{
	return x->person_len == y->person_len &&
		(x->person_len == 0 || memcmp(x->person, y->person, x->person_len) == 0);
}

/*
 * Sorted by first day, a person's rows overlap somewhere exactly when two neighbours do:
 * if row i shares a day with a later row j, row i + 1 starts no later than j, so before
 * row i ends.
 */
SpmCapacityStatus
spm_roster_check(SpmRosterSpan *spans, size_t n, size_t *first, size_t *second, SpmPoll poll)
{
	if (n < 2)
		return SPM_CAPACITY_OK;
	qsort(spans, n, sizeof(SpmRosterSpan), span_cmp);
	for (size_t i = 1; i < n; i++)
	{
		spm_poll(poll, i);
		if (same_person(&spans[i - 1], &spans[i]) && spans[i].lo < spans[i - 1].hi)
		{
			*first = i - 1;
			*second = i;
			return SPM_CAPACITY_OVERLAP;
		}
	}
	return SPM_CAPACITY_OK;
}

SpmCapacityMonth
spm_capacity_month(int32_t lo, int32_t hi, int32_t month_first, int32_t plan_first)
{
	SpmCapacityMonth m;
	int32_t		next = spm_add_months(month_first, 1);
	int64_t		since_plan = spm_tenure_month(plan_first, month_first) - 1;

	m.tenure = spm_tenure_month(lo, month_first);
	m.active_days = spm_overlap_days(month_first, next, lo, hi);
	m.month_days = (int64_t) next - month_first;
	/* attrition starts with the plan for those on board, with the hire for later hires */
	m.attrition_months = m.tenure - 1 < since_plan ? m.tenure - 1 : since_plan;
	if (m.attrition_months < 0)
		m.attrition_months = 0;
	return m;
}
