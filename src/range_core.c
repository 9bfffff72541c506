/*
 * range_core.c: exact moments and the exact distribution of a forecast's total (see
 * range_core.h).
 */
#include "range_core.h"

#include <stdlib.h>

typedef unsigned __int128 u128;

static const u128 P_ONE = (u128) 10000000000000000000ULL * 10;	/* 10^20 */
static const u128 FIVE_20 = 95367431640625ULL;	/* 5^20 */

u128
spm_range_deal_p(const SpmRangeDeal *d)
{
	return ((u128) d->p_hi << 64) | d->p_lo;
}

SpmRangeStatus
spm_u256_add(SpmU256 *a, const SpmU256 *b)
{
	SpmU256		r;
	u128		carry = 0;

	for (int i = 0; i < 4; i++)
	{
		u128		s = (u128) a->w[i] + b->w[i] + carry;

		r.w[i] = (uint64_t) s;
		carry = s >> 64;
	}
	if (carry)
		return SPM_RANGE_OVERFLOW;
	*a = r;
	return SPM_RANGE_OK;
}

/* *a *= m (m < 2^128); false on overflow (a then undefined). */
static bool
u256_mul(SpmU256 *a, u128 m)
{
	uint64_t	mw[2] = {(uint64_t) m, (uint64_t) (m >> 64)};
	uint64_t	r[6] = {0};

	for (int i = 0; i < 4; i++)
	{
		u128		carry = 0;

		for (int j = 0; j < 2; j++)
		{
			u128		t = (u128) a->w[i] * mw[j] + r[i + j] + carry;

			r[i + j] = (uint64_t) t;
			carry = t >> 64;
		}
		r[i + 2] += (uint64_t) carry;	/* r[i + 2] was 0 before this row reached it */
	}
	if (r[4] || r[5])
		return false;
	for (int i = 0; i < 4; i++)
		a->w[i] = r[i];
	return true;
}

static SpmU256
u256_of(u128 v)
{
	SpmU256		r = {{(uint64_t) v, (uint64_t) (v >> 64), 0, 0}};

	return r;
}

SpmRangeStatus
spm_range_add_moments(SpmU256 *s1, SpmU256 *s2, int64_t units, u128 p)
{
	SpmU256		t1 = u256_of((u128) units);
	SpmU256		t2 = u256_of((u128) units);
	SpmU256		n1 = *s1;
	SpmU256		n2 = *s2;

	if (!u256_mul(&t1, p) ||
		!u256_mul(&t2, (u128) units) || !u256_mul(&t2, p) || !u256_mul(&t2, P_ONE - p) ||
		spm_u256_add(&n1, &t1) != SPM_RANGE_OK || spm_u256_add(&n2, &t2) != SPM_RANGE_OK)
		return SPM_RANGE_OVERFLOW;
	*s1 = n1;
	*s2 = n2;
	return SPM_RANGE_OK;
}

bool
spm_range_within_bound(int64_t n, int64_t total_units)
{
	return n >= 0 && total_units >= 0 && total_units <= SPM_RANGE_EXACT_UNITS &&
		(n == 0 || total_units <= SPM_RANGE_EXACT_WORK / n);
}

static int
deal_cmp(const void *a, const void *b)
{
	const SpmRangeDeal *x = a;
	const SpmRangeDeal *y = b;
	u128		px = spm_range_deal_p(x);
	u128		py = spm_range_deal_p(y);

	if (x->units != y->units)
		return x->units < y->units ? -1 : 1;
	return px < py ? -1 : px > py;
}

void
spm_range_sort(SpmRangeDeal *deals, size_t n)
{
	if (n > 1)
		qsort(deals, n, sizeof(SpmRangeDeal), deal_cmp);
}

/* c * f / 2^126 rounded to nearest, for c, f <= 2^126 + 2^64 (a 256-bit product). */
static inline u128
mul_frac(u128 c, u128 f)
{
	u128		ch = c >> 64;
	u128		cl = (uint64_t) c;
	u128		fh = f >> 64;
	u128		fl = (uint64_t) f;
	u128		mid = ch * fl + cl * fh;	/* < 2^128: both terms below 2^127 */
	u128		low = cl * fl;
	u128		high = ch * fh + (mid >> 64);
	u128		sum = low + (mid << 64);

	if (sum < low)
		high++;
	/* bits 126 and up, rounded at bit 125 */
	return (high << 2) + (sum >> 126) + ((sum >> 125) & 1);
}

/* P * 2^126 / 10^20 = P * 2^106 / 5^20 rounded, in two steps of 53 bits (P <= 10^20 < 2^67). */
static u128
p_fraction(u128 p)
{
	u128		a = p << 53;
	u128		q = a / FIVE_20;
	u128		r = a % FIVE_20;

	return (q << 53) + (((r << 53) + FIVE_20 / 2) / FIVE_20);
}

void
spm_range_distribution(const SpmRangeDeal *deals, size_t n, int64_t total, spm_uint128 *dist,
					   SpmPoll poll)
{
	int64_t		reach = 0;		/* dist[0..reach] may be nonzero */
	size_t		step = 0;

	for (int64_t t = 0; t <= total; t++)
		dist[t] = 0;
	dist[0] = (u128) 1 << SPM_RANGE_ONE_SHIFT;
	for (size_t i = 0; i < n; i++)
	{
		int64_t		u = deals[i].units;
		u128		p = spm_range_deal_p(&deals[i]);
		u128		f = p_fraction(p);	/* p in units of 2^-126 */
		u128		g = ((u128) 1 << SPM_RANGE_ONE_SHIFT) - f;	/* 1 - p */

		if (p == 0)
			continue;
		reach += u;
		if (p == P_ONE)
		{
			/* a sure deal: shift the distribution */
			for (int64_t t = reach; t >= u; t--)
				dist[t] = dist[t - u];
			for (int64_t t = 0; t < u; t++)
				dist[t] = 0;
			continue;
		}
		for (int64_t t = reach; t >= 0; t--)
		{
			u128		v = mul_frac(dist[t], g);

			if (t >= u)
				v += mul_frac(dist[t - u], f);
			dist[t] = v;
			spm_poll(poll, ++step);
		}
	}
}
