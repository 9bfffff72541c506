/*
 * Unit tests of the plain-C capacity core (roster check, a row's month), run outside the
 * server.
 */
#include "capacity_core.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

static SpmRosterSpan
span(const char *person, int32_t lo, int32_t hi, size_t row)
{
	SpmRosterSpan s = {person, strlen(person), lo, hi, row};

	return s;
}

/* Whether two of a person's rows share a day, by comparing every pair (no sort). */
static int
overlaps_by_pairs(const SpmRosterSpan *spans, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (spans[i].person_len == spans[j].person_len &&
				memcmp(spans[i].person, spans[j].person, spans[i].person_len) == 0 &&
				spans[i].lo < spans[j].hi && spans[j].lo < spans[i].hi)
				return 1;
	return 0;
}

int
main(void)
{
	int32_t		jan = spm_civil_to_day(2027, 1, 1);
	int32_t		feb = spm_civil_to_day(2027, 2, 1);
	int32_t		mar = spm_civil_to_day(2027, 3, 1);
	int32_t		jun = spm_civil_to_day(2027, 6, 1);
	size_t		a = 99,
				b = 99;
	SpmCapacityMonth m;
	int			mismatches = 0;

	/* the roster check */
	{
		SpmRosterSpan ok[] = {span("bo", jan, mar, 0), span("ana", jan, SPM_DAY_MAX, 1),
		span("bo", mar, SPM_DAY_MAX, 2), span("b", jan, SPM_DAY_MAX, 3)};

		check(spm_roster_check(ok, 4, &a, &b, NULL) == SPM_CAPACITY_OK,
			  "rows of one person that meet end to start do not overlap; names that share a prefix are different people");
		check(ok[0].row == 1 && ok[1].row == 3 && ok[2].row == 0 && ok[3].row == 2,
			  "sorted by person, then first day");
	}
	{
		SpmRosterSpan bad[] = {span("cy", jun, SPM_DAY_MAX, 0), span("ana", jan, SPM_DAY_MAX, 1),
		span("cy", jan, spm_civil_to_day(2027, 6, 2), 2)};

		check(spm_roster_check(bad, 3, &a, &b, NULL) == SPM_CAPACITY_OVERLAP &&
			  bad[a].row == 2 && bad[b].row == 0,
			  "one shared day (2027-06-01) is an overlap, reported earlier row first");
	}
	{
		SpmRosterSpan inside[] = {span("dee", jan, SPM_DAY_MAX, 0), span("dee", feb, mar, 1),
		span("dee", jun, jun + 10, 2)};

		check(spm_roster_check(inside, 3, &a, &b, NULL) == SPM_CAPACITY_OVERLAP &&
			  inside[a].row == 0 && inside[b].row == 1,
			  "a row inside an open row overlaps it");
	}
	check(spm_roster_check(NULL, 0, &a, &b, NULL) == SPM_CAPACITY_OK, "an empty roster is fine");

	/* generated rosters: the sort-and-neighbours check agrees with every pair compared */
	for (int round = 0; round < 2000; round++)
	{
		static const char *const names[] = {"a", "b", "ab", "ba", ""};
		SpmRosterSpan spans[8];
		size_t		n = 1 + next_random() % 8;
		int			expected;

		for (size_t i = 0; i < n; i++)
		{
			int32_t		lo = jan + (int32_t) (next_random() % 400);
			int32_t		hi = next_random() % 4 == 0 ? SPM_DAY_MAX : lo + 1 + (int32_t) (next_random() % 120);

			spans[i] = span(names[next_random() % 5], lo, hi, i);
		}
		expected = overlaps_by_pairs(spans, n);
		if ((spm_roster_check(spans, n, &a, &b, NULL) == SPM_CAPACITY_OVERLAP) != expected)
			mismatches++;
	}
	check(mismatches == 0, "2,000 generated rosters: the check agrees with comparing every pair");

	/* a row's month: hired 2027-01-20 in a plan starting 2027-01-01 */
	m = spm_capacity_month(spm_civil_to_day(2027, 1, 20), SPM_DAY_MAX, jan, jan);
	check(m.tenure == 1 && m.active_days == 12 && m.month_days == 31 && m.attrition_months == 0,
		  "hire month: tenure 1, 12 of 31 days, no attrition yet");
	m = spm_capacity_month(spm_civil_to_day(2027, 1, 20), SPM_DAY_MAX, mar, jan);
	check(m.tenure == 3 && m.active_days == 31 && m.month_days == 31 && m.attrition_months == 2,
		  "two months on: tenure 3, whole month, two months of attrition");
	m = spm_capacity_month(spm_civil_to_day(2025, 6, 10), SPM_DAY_MAX, mar, jan);
	check(m.tenure == 22 && m.attrition_months == 2,
		  "on board before the plan: attrition counts from the plan's first month");
	m = spm_capacity_month(jun, SPM_DAY_MAX, spm_civil_to_day(2027, 9, 1), jan);
	check(m.tenure == 4 && m.attrition_months == 3, "hired in the plan: attrition counts from the hire month");
	m = spm_capacity_month(jun, SPM_DAY_MAX, mar, jan);
	check(m.tenure == -2 && m.active_days == 0 && m.attrition_months == 0, "before the hire: nothing");
	m = spm_capacity_month(spm_civil_to_day(2024, 2, 1), spm_civil_to_day(2028, 2, 15), spm_civil_to_day(2028, 2, 1), jan);
	check(m.active_days == 14 && m.month_days == 29 && m.attrition_months == 13,
		  "leaving 2028-02-15 (exclusive) of a leap February: 14 of 29 days");
	m = spm_capacity_month(jan, feb, mar, jan);
	check(m.active_days == 0, "after leaving: no days");
	return done();
}
