/*
 * Unit tests of the plain-C calendar core used by proration, run outside the server.
 */
#include "quota_core.h"
#include "unit.h"

/* PostgreSQL's day number of a calendar date, by counting (no shared formula). */
static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return days[m - 1] + (m == 2 && is_leap(y));
}

int
main(void)
{
	int			y,
				m,
				d,
				mismatches = 0;
	int32_t		day = spm_civil_to_day(1900, 1, 1);
	int64_t		counted = 0,
				months = 0;
	int32_t		jan = spm_civil_to_day(2026, 1, 1);
	int32_t		apr = spm_civil_to_day(2026, 4, 1);

	check(spm_civil_to_day(2000, 1, 1) == 0, "2000-01-01 is day 0, as in PostgreSQL");
	check(spm_civil_to_day(2026, 11, 22) == 9822, "2026-11-22 is day 9822");
	/* every day from 1900 to 2100 converts both ways and the days follow each other */
	for (y = 1900; y < 2100; y++)
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= days_in_month(y, m); d++, day++)
			{
				int			yy,
							mm,
							dd;

				spm_day_to_civil(day, &yy, &mm, &dd);
				if (spm_civil_to_day(y, m, d) != day || yy != y || mm != m || dd != d)
					mismatches++;
			}
	check(mismatches == 0, "day numbers and dates agree on every day of 1900-2099");

	check(spm_overlap_days(jan, apr, spm_civil_to_day(2026, 3, 1), SPM_DAY_MAX) == 31,
		  "an open-ended rep starting in March is active 31 days of Q1");
	check(spm_overlap_days(jan, apr, apr, SPM_DAY_MAX) == 0, "a rep starting after the period is not active");
	check(spm_overlap_days(jan, apr, SPM_DAY_MIN, SPM_DAY_MAX) == 90, "an unbounded rep covers all of Q1 2026");

	check(spm_whole_months(jan, apr, &months) == SPM_QUOTA_OK && months == 3, "Q1 is three whole months");
	check(spm_whole_months(jan + 1, apr, &months) == SPM_QUOTA_NOT_WHOLE_MONTHS, "a period from the 2nd is refused");
	check(spm_add_months(jan, 14) == spm_civil_to_day(2027, 3, 1), "14 months after Jan 2026 is Mar 2027");

	/* starts on Feb 14: February has 15 active days, so it counts at min_days 15, not 16 */
	check(spm_months_counted(jan, apr, spm_civil_to_day(2026, 2, 14), SPM_DAY_MAX, 15, &counted, &months) == SPM_QUOTA_OK
		  && counted == 2 && months == 3, "mid-month rule: 15 active days count the month");
	check(spm_months_counted(jan, apr, spm_civil_to_day(2026, 2, 14), SPM_DAY_MAX, 16, &counted, &months) == SPM_QUOTA_OK
		  && counted == 1, "mid-month rule: 15 active days do not reach 16");
	check(spm_months_counted(jan, apr, jan, SPM_DAY_MAX, 0, &counted, &months) == SPM_QUOTA_BAD_MIN_DAYS,
		  "min_days below one is refused");

	check(spm_tenure_month(spm_civil_to_day(2026, 3, 20), spm_civil_to_day(2026, 3, 1)) == 1, "the hire month is tenure month 1");
	check(spm_tenure_month(spm_civil_to_day(2026, 3, 20), spm_civil_to_day(2027, 2, 1)) == 12, "eleven months later is month 12");
	check(spm_tenure_month(spm_civil_to_day(2026, 3, 20), spm_civil_to_day(2026, 1, 1)) <= 0, "before hire is 0 or less");
	return done();
}
