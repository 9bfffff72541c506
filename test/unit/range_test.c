/*
 * Unit tests of the plain-C range core (exact moments, the exact distribution of a
 * forecast's total), run outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "range_core.h"
#include "unit.h"

typedef unsigned __int128 u128;

#define ONE ((u128) 1 << SPM_RANGE_ONE_SHIFT)
#define P_ONE ((u128) 10000000000000000000ULL * 10)

static SpmRangeDeal
deal(int64_t units, u128 p)
{
	SpmRangeDeal d = {units, (uint64_t) p, (uint64_t) (p >> 64)};

	return d;
}

/* |a - b| <= tol */
static int
near(u128 a, u128 b, u128 tol)
{
	return a >= b ? a - b <= tol : b - a <= tol;
}

/* p given in hundredths */
static u128
pct(int hundredths)
{
	return P_ONE / 100 * (u128) hundredths;
}

static spm_uint128 dist[20001];

int
main(void)
{
	/* three deals by hand: 100 @ 0.5, 200 @ 0.25, 300 @ 0.1 (units of 100) */
	{
		SpmRangeDeal d[3] = {deal(1, pct(50)), deal(2, pct(25)), deal(3, pct(10))};
		/* 0.3375 0.3375 0.1125 0.15 0.0375 0.0125 0.0125 */
		static const int by_hand[7] = {3375, 3375, 1125, 1500, 375, 125, 125};
		int			ok = 1;

		spm_range_distribution(d, 3, 6, dist, NULL);
		for (int t = 0; t <= 6; t++)
		{
			long double got = (long double) dist[t] / (long double) ONE;
			long double want = by_hand[t] / 10000.0L;

			ok &= got - want < 1e-17L && want - got < 1e-17L;
		}
		check(ok, "three deals: the distribution computed by hand");
	}
	/* a sure deal shifts; a lost one changes nothing */
	{
		SpmRangeDeal d[2] = {deal(2, P_ONE), deal(5, 0)};

		spm_range_distribution(d, 2, 7, dist, NULL);
		check(dist[2] == ONE && dist[0] == 0 && dist[7] == 0, "a sure deal shifts, a lost one does nothing");
	}
	/* moments: exact sums */
	{
		SpmU256		s1 = {{0}};
		SpmU256		s2 = {{0}};

		spm_range_add_moments(&s1, &s2, 100, pct(50));
		spm_range_add_moments(&s1, &s2, 200, pct(25));
		/* s1 = 100 * 0.5e20 + 200 * 0.25e20 = 1e22; s2 = 1e4 * .25e40 + 4e4 * .1875e40 = 1e44 */
		check(s1.w[2] == 0 && s1.w[3] == 0 &&
			  (((u128) s1.w[1] << 64) | s1.w[0]) == P_ONE * 100, "first moment exact");
		check(s2.w[0] == 0x11d100000000000ULL && s2.w[1] == 0x9673df52e37f2410ULL && s2.w[2] == 0x47bf1 && s2.w[3] == 0,
			  "second moment exact: 10^44");
	}
	/* overflow of the moments is reported, the sums left untouched */
	{
		SpmU256		s1 = {{UINT64_MAX, UINT64_MAX, UINT64_MAX, UINT64_MAX}};
		SpmU256		s2 = {{0}};
		SpmU256		before = s1;

		check(spm_range_add_moments(&s1, &s2, INT64_MAX, P_ONE) == SPM_RANGE_OVERFLOW &&
			  memcmp(&s1, &before, sizeof(s1)) == 0, "overflow: reported, sums untouched");
	}
	/* the bound */
	check(spm_range_within_bound(100, 1000000) && !spm_range_within_bound(101, 1000000) &&
		  !spm_range_within_bound(1, 1000001) && spm_range_within_bound(0, 0), "the exact bound");
	/* generated pipelines: the distribution sums to 1, its mean is sum u p */
	{
		int			ok_sum = 1;
		int			ok_mean = 1;

		for (int k = 0; k < 200; k++)
		{
			SpmRangeDeal d[40];
			int			n = (int) random_between(1, 40);
			int64_t		total = 0;
			u128		mass = 0;
			long double mean = 0;
			long double expected = 0;

			for (int i = 0; i < n; i++)
			{
				u128		p = (u128) random_between(0, 1000000) * (P_ONE / 1000000);

				d[i] = deal(random_between(1, 500), p);
				total += d[i].units;
				expected += (long double) d[i].units * (long double) p / 1e20L;
			}
			spm_range_sort(d, n);
			spm_range_distribution(d, n, total, dist, NULL);
			for (int64_t t = 0; t <= total; t++)
			{
				mass += dist[t];
				mean += (long double) t * ((long double) dist[t] / (long double) ONE);
			}
			ok_sum &= near(mass, ONE, (u128) (total + 1) * (u128) (n + 1) * 4);
			ok_mean &= (mean - expected) < 1e-9L * (total + 1) && (expected - mean) < 1e-9L * (total + 1);
		}
		check(ok_sum, "200 generated pipelines: the distribution sums to 1 within (n + work) 2^-126");
		check(ok_mean, "200 generated pipelines: the mean is the expected total");
	}
	/* sorting: units, then p */
	{
		SpmRangeDeal d[3] = {deal(5, pct(10)), deal(2, pct(90)), deal(5, pct(5))};

		spm_range_sort(d, 3);
		check(d[0].units == 2 && d[1].units == 5 && spm_range_deal_p(&d[1]) == pct(5), "canonical order");
	}
	return done();
}
