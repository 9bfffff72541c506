/*
 * quota_core.c: calendar math for quota proration, ramps and tenure, plain C.
 * No backend calls: quota.c turns its statuses into errors.
 *
 * Days are PostgreSQL date values (days since 2000-01-01); the civil conversions are
 * Howard Hinnant's days_from_civil / civil_from_days, proleptic Gregorian.
 */
#include "quota_core.h"

/* Days from 1970-01-01 to 2000-01-01. */
#define EPOCH_SHIFT 10957

void
spm_day_to_civil(int32_t day, int *year, int *month, int *mday)
{
	int64_t		z = (int64_t) day + EPOCH_SHIFT + 719468;
	int64_t		era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t		doe = z - era * 146097;
	int64_t		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t		doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t		mp = (5 * doy + 2) / 153;
	int64_t		d = doy - (153 * mp + 2) / 5 + 1;
	int64_t		m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int) (yoe + era * 400 + (m <= 2));
	*month = (int) m;
	*mday = (int) d;
}

int32_t
spm_civil_to_day(int year, int month, int mday)
{
	int64_t		y = (int64_t) year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		yoe = y - era * 400;
	int64_t		doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + mday - 1;
	int64_t		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return (int32_t) (era * 146097 + doe - 719468 - EPOCH_SHIFT);
}

int64_t
spm_overlap_days(int32_t plo, int32_t phi, int32_t alo, int32_t ahi)
{
	int64_t		lo = plo > alo ? plo : alo;
	int64_t		hi = phi < ahi ? phi : ahi;

	return hi > lo ? hi - lo : 0;
}

static int64_t
month_index(int32_t day, int *mday)
{
	int			y,
				m;

	spm_day_to_civil(day, &y, &m, mday);
	return (int64_t) y * 12 + (m - 1);
}

SpmQuotaStatus
spm_whole_months(int32_t plo, int32_t phi, int64_t *months)
{
	int			dlo,
				dhi;
	int64_t		mlo = month_index(plo, &dlo);
	int64_t		mhi = month_index(phi, &dhi);

	if (dlo != 1 || dhi != 1 || mhi <= mlo)
		return SPM_QUOTA_NOT_WHOLE_MONTHS;
	*months = mhi - mlo;
	return SPM_QUOTA_OK;
}

int32_t
spm_add_months(int32_t first_of_month, int64_t months)
{
	int			d;
	int64_t		m = month_index(first_of_month, &d) + months;
	int64_t		y = (m >= 0 ? m : m - 11) / 12;

	return spm_civil_to_day((int) y, (int) (m - y * 12) + 1, 1);
}

SpmQuotaStatus
spm_months_counted(int32_t plo, int32_t phi, int32_t alo, int32_t ahi,
				   int min_days, int64_t *counted, int64_t *months)
{
	SpmQuotaStatus	status;
	int64_t		i;

	if (min_days < 1)
		return SPM_QUOTA_BAD_MIN_DAYS;
	status = spm_whole_months(plo, phi, months);
	if (status != SPM_QUOTA_OK)
		return status;
	*counted = 0;
	for (i = 0; i < *months; i++)
	{
		int32_t		lo = spm_add_months(plo, i);
		int32_t		hi = spm_add_months(plo, i + 1);
		int64_t		need = hi - lo < min_days ? hi - lo : min_days;

		if (spm_overlap_days(lo, hi, alo, ahi) >= need)
			(*counted)++;
	}
	return SPM_QUOTA_OK;
}

int64_t
spm_tenure_month(int32_t hire, int32_t month)
{
	int			d;

	return month_index(month, &d) - month_index(hire, &d) + 1;
}
