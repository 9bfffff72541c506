/*
 * Unit tests of the plain-C forecast core (forecast accuracy terms), run outside the
 * server by test/run.  Prints one TAP line per check.
 */
#include <stdint.h>
#include <string.h>

#include "fixed_point_core.h"
#include "forecast_core.h"
#include "unit.h"

#define INT128_MAX_ ((spm_int128) (((unsigned __int128) 1 << 127) - 1))
#define INT128_MIN_ (-INT128_MAX_ - 1)

/* The terms of (forecast, actual) at their scales, OK or not. */
static int
terms_of(spm_int128 f, int fs, spm_int128 a, int as, SpmAccuracyTerms *t)
{
	return spm_accuracy_terms(f, fs, a, as, t) == SPM_FORECAST_OK;
}

/* 10^20 as a 128-bit integer. */
static spm_int128
e20(void)
{
	return spm_pow10_128(20);
}

/* Is q = num * 10^20 / den rounded half away from zero (num >= 0, den > 0)? */
static int
is_rounded_ratio(spm_int128 num, spm_int128 den, spm_int128 q)
{
	spm_int128	scaled = num * e20();
	spm_int128	diff = scaled - q * den;	/* exact value minus rounded, times den */

	if (diff < 0)
		diff = -diff;
	if (2 * diff > den)
		return 0;				/* more than half a unit away */
	/* an exact half must have gone up (away from zero) */
	return 2 * diff < den || q * den > scaled;
}

int
main(void)
{
	SpmAccuracyTerms t;
	spm_int128	q;
	int			generated_ok = 1;

	/* one pair, by hand */
	check(terms_of(110, 0, 100, 0, &t) && t.abs_error == 10 && t.error_scale == 0 &&
		  t.abs_actual == 100 && !t.zero_actual && t.ape == e20() / 10,
		  "110 against 100: error 10, |actual| 100, ape 0.1");
	check(terms_of(90, 0, 100, 0, &t) && t.abs_error == 10 && t.ape == e20() / 10,
		  "an under-forecast has the same absolute error as an over-forecast");
	check(terms_of(10050, 2, 100, 0, &t) && t.abs_error == 50 && t.error_scale == 2 &&
		  t.abs_actual == 100 && t.ape == e20() / 200,
		  "100.50 against 100: error 0.50 at the larger scale, |actual| at its own scale, ape 0.005");
	check(terms_of(100, 0, 10000, 2, &t) && t.abs_error == 0 && t.error_scale == 2 && t.ape == 0,
		  "100 against 100.00: no error");
	check(terms_of(50, 0, -50, 0, &t) && t.abs_error == 100 && t.abs_actual == 50 && t.ape == 2 * e20(),
		  "a negative actual: its magnitude is the denominator");
	check(terms_of(-30, 0, -20, 0, &t) && t.abs_error == 10 && t.abs_actual == 20 && t.ape == e20() / 2,
		  "both negative");
	check(terms_of(500, 0, 0, 0, &t) && t.zero_actual && t.abs_error == 500 && t.abs_actual == 0 && t.ape == 0,
		  "a zero actual has no percentage error");
	check(terms_of(0, 0, 0, 3, &t) && t.zero_actual && t.abs_error == 0 && t.error_scale == 3,
		  "zero against 0.000");
	check(terms_of(0, 0, 7, 0, &t) && t.ape == e20(), "a zero forecast of a nonzero actual is 100% off");

	/* rounding of the percentage error: 20 decimals, half away from zero */
	check(terms_of(4, 0, 3, 0, &t) && t.ape == e20() / 3, "1/3 is rounded down to 20 threes");
	check(terms_of(5, 0, 3, 0, &t) && t.ape == 2 * e20() / 3 + 1, "2/3 is rounded up in its last digit");
	check(spm_forecast_round_ratio(1, 2, 0, &q) == SPM_FORECAST_OK && q == 1, "an exact half goes up");
	check(spm_forecast_round_ratio(1, 4, 0, &q) == SPM_FORECAST_OK && q == 0, "a quarter goes down");
	check(spm_forecast_round_ratio(3, 4, 0, &q) == SPM_FORECAST_OK && q == 1, "three quarters go up");
	check(spm_forecast_round_ratio(1, 2 * e20(), 20, &q) == SPM_FORECAST_OK && q == 1,
		  "half of the last decimal goes up");
	check(spm_forecast_round_ratio(0, 7, 20, &q) == SPM_FORECAST_OK && q == 0, "zero is zero");
	check(spm_forecast_round_ratio(INT128_MAX_, INT128_MAX_, 0, &q) == SPM_FORECAST_OK && q == 1,
		  "the largest values divide without overflow");
	check(spm_forecast_round_ratio(INT128_MAX_ - 1, INT128_MAX_, 0, &q) == SPM_FORECAST_OK && q == 1,
		  "a remainder near the largest divisor is compared without overflow");
	check(spm_forecast_round_ratio(-1, 2, 0, &q) == SPM_FORECAST_OVERFLOW, "a negative numerator is refused");
	check(spm_forecast_round_ratio(1, 0, 0, &q) == SPM_FORECAST_OVERFLOW, "a zero divisor is refused");
	check(spm_forecast_round_ratio(1, 1, 39, &q) == SPM_FORECAST_OVERFLOW, "10^39 does not fit");

	/* what does not fit is said, for the numeric fallback */
	check(!terms_of(INT128_MAX_, 0, -1, 0, &t), "a difference past 128 bits does not fit");
	check(!terms_of(1, 0, INT128_MIN_, 0, &t), "the smallest 128-bit actual has no magnitude");
	check(!terms_of(INT128_MAX_ / 10, 0, 1, 1, &t), "aligning the scales past 128 bits does not fit");
	check(!terms_of(spm_pow10_128(30), 0, 1, 0, &t), "a percentage error past 10^18 at 20 decimals does not fit");
	check(terms_of(spm_pow10_128(18), 0, 1, 0, &t) && t.ape == (spm_pow10_128(18) - 1) * e20(),
		  "a percentage error just under 10^18 fits");
	check(!terms_of(1, -1, 1, 0, &t), "a negative scale is refused");

	/* generated pairs against an independent computation */
	for (int i = 0; i < 20000 && generated_ok; i++)
	{
		int			fs = (int) random_between(0, 4);
		int			as = (int) random_between(0, 4);
		spm_int128	f = random_between(-1000000000, 1000000000);
		spm_int128	a = i % 10 == 0 ? 0 : random_between(-1000000000, 1000000000);
		int			s = fs > as ? fs : as;
		spm_int128	fa = f * spm_pow10_128(s - fs);
		spm_int128	aa = a * spm_pow10_128(s - as);
		spm_int128	err = fa > aa ? fa - aa : aa - fa;

		if (!terms_of(f, fs, a, as, &t) || t.error_scale != s || t.abs_error != err ||
			t.abs_actual != (a < 0 ? -a : a) || t.zero_actual != (a == 0) ||
			(a == 0 ? t.ape != 0 : !is_rounded_ratio(err, aa < 0 ? -aa : aa, t.ape)))
			generated_ok = 0;
	}
	check(generated_ok, "20,000 generated pairs: every term exact, every ratio rounded half away from zero");
	return done();
}
