/*
 * wilson.c: small samples, honestly: Wilson score bounds of a win rate and the
 * standard normal quantile they need, in numeric arithmetic.
 *
 * The one irrational quantity, the normal quantile z, is refined by Newton's method on
 * erf with enough guard digits that the bounds returned (rounded to WILSON_SCALE
 * decimals) are within 10^-40 of the exact bound before rounding; floating point only
 * seeds the refinement.  Win rates and summaries themselves are pipeline.c.
 */
#include "spm.h"
#include "pipeline.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

/* Decimals of the Wilson bounds and of normal_quantile. */
#define WILSON_SCALE 20
#define QUANTILE_SCALE 30
/* Guard digits of the quantile refinement, beyond those the tail probability needs. */
#define GUARD_DIGITS 60
/* The smallest tail probability (1 - confidence) spm computes a quantile for. */
#define MIN_TAIL_DIGITS 30

/* pi to 100 decimals, for the normalising constant 2 / sqrt(pi) of erf. */
static const char *const pi_digits =
"3.1415926535897932384626433832795028841971693993751058209749445923078164062862089986280348253421170679";

/* ---------------------------------------------------------------- numeric at a scale */

static Numeric
mul_at(Numeric a, Numeric b, int scale)
{
	return spm_numeric_round(spm_numeric_mul(a, b), scale);
}

/* a / b to scale decimals: numeric_div keeps at least the dividend's decimals. */
static Numeric
div_at(Numeric a, Numeric b, int scale)
{
	return spm_numeric_round(spm_numeric_div(spm_numeric_round(a, scale + 1), b), scale);
}

/* sqrt(x) to scale decimals: numeric_sqrt keeps at least its argument's decimals. */
static Numeric
sqrt_at(Numeric x, int scale)
{
	return spm_numeric_round(DatumGetNumeric(DirectFunctionCall1(numeric_sqrt,
														NumericGetDatum(spm_numeric_round(x, scale + 1)))),
					scale);
}

/* exp(x) to scale decimals: numeric_exp keeps at least its argument's decimals. */
static Numeric
exp_at(Numeric x, int scale)
{
	return spm_numeric_round(DatumGetNumeric(DirectFunctionCall1(numeric_exp,
														NumericGetDatum(spm_numeric_round(x, scale + 1)))),
					scale);
}

static double
double_of(Numeric x)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(x)));
}

/* ---------------------------------------------------------------- the normal quantile */

/*
 * Acklam's rational approximation of the lower-tail normal quantile for
 * 0 < p < 0.5 (relative error below 1.2e-9): only the seed of the refinement.
 */
static double
quantile_seed(double p)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
		-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
		2.445134137142996e+00, 3.754408661907416e+00};

	if (p < 0.02425)
	{
		double		q = sqrt(-2 * log(p));

		return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
			((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
	}
	else
	{
		double		q = p - 0.5;
		double		r = q * q;

		return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
}

/*
 * erf(x) * sqrt(pi) / 2 * exp(x^2) = sum over n >= 0 of 2^n x^(2n+1) / (1 * 3 * ... * (2n+1)):
 * every term positive, so no digits cancel.
 */
static Numeric
erf_series(Numeric x, int scale)
{
	Numeric		two_x2 = mul_at(int64_to_numeric(2), spm_numeric_mul(x, x), scale);
	double		x2 = double_of(spm_numeric_mul(x, x));
	Numeric		eps = spm_numeric_pow10(-scale);
	Numeric		term = x;
	Numeric		sum = x;
	int64		n;

	/* the terms grow while 2n + 1 < 2x^2, then shrink geometrically */
	for (n = 1;; n++)
	{
		term = div_at(mul_at(term, two_x2, scale), int64_to_numeric(2 * n + 1), scale);
		sum = spm_numeric_add(sum, term);
		if (n > x2 && spm_numeric_cmp(term, eps) < 0)
			break;
		CHECK_FOR_INTERRUPTS();
	}
	return sum;
}

/*
 * The z > 0 with P(|Z| <= z) = confidence for a standard normal Z, that is
 * sqrt(2) * erfinv(confidence), to about 10^-(scale - 2 * tail_digits - 3):
 * Newton's method on erf(x) = confidence from Acklam's seed.  erf is concave for
 * x > 0, so after the first step the iterates rise monotonically to the root.
 */
static Numeric
two_sided_z(Numeric confidence, Numeric tail, int scale)
{
	Numeric		pi = spm_numeric_in(pi_digits);
	Numeric		k = div_at(int64_to_numeric(2), sqrt_at(pi, scale), scale);	/* 2 / sqrt(pi) */
	Numeric		sqrt2 = sqrt_at(int64_to_numeric(2), scale);
	/* below this a step is rounding noise (see confidence_z's scale) */
	Numeric		tolerance = spm_numeric_pow10(-(GUARD_DIGITS - 5));
	double		seed = -quantile_seed(double_of(tail) / 2);
	Numeric		x;
	int			i;

	x = div_at(DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(seed))),
			   sqrt2, scale);
	for (i = 0; i < 100; i++)
	{
		/* erf'(x) = 2 / sqrt(pi) * exp(-x^2) */
		Numeric		slope = mul_at(k, exp_at(spm_numeric_sub(int64_to_numeric(0),
														   spm_numeric_mul(x, x)), scale), scale);
		Numeric		erf = mul_at(slope, erf_series(x, scale), scale);
		Numeric		step = div_at(spm_numeric_sub(erf, confidence), slope, scale);

		x = spm_numeric_sub(x, step);
		if (spm_numeric_cmp(spm_numeric_abs(step),
							tolerance) < 0)
			return mul_at(x, sqrt2, scale);
	}
	elog(ERROR, "normal quantile refinement did not converge");
	return NULL;
}

/* Leading zeros of the tail probability after the point (0 for tails of 0.1 or more). */
static int
tail_digits(Numeric tail)
{
	double		t = double_of(tail);

	return t >= 0.1 ? 0 : (int) ceil(-log10(t));
}

/* z for a confidence in (0, 1), checked; the working scale it needs goes to *scale. */
static Numeric
confidence_z(Numeric confidence, int *scale)
{
	Numeric		one = int64_to_numeric(1);
	Numeric		tail;

	if (numeric_is_nan(confidence) || numeric_is_inf(confidence) ||
		spm_numeric_sign(confidence) <= 0 || spm_numeric_cmp(confidence, one) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence must be between 0 and 1, exclusive"),
				 errdetail("The confidence given was %s.", spm_numeric_text(confidence)),
				 errhint("Pass the confidence level as a fraction, e.g. 0.95 for 95%%.")));
	tail = spm_numeric_sub(one, confidence);
	if (spm_numeric_cmp(tail, spm_numeric_pow10(-MIN_TAIL_DIGITS)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confidence %s is too close to 1", spm_numeric_text(confidence)),
				 errdetail("spm computes normal quantiles for tail probabilities down to 1e-%d.",
						   MIN_TAIL_DIGITS),
				 errhint("Pass a confidence of at most 1 - 1e-%d, e.g. 0.999.", MIN_TAIL_DIGITS)));
	*scale = GUARD_DIGITS + 2 * tail_digits(tail);
	return two_sided_z(confidence, tail, *scale);
}

/* The last confidence a call site asked for and its z: a query usually asks for one (see spm.h). */
typedef struct ZCache
{
	Numeric		confidence;
	Numeric		z;
	int			scale;
} ZCache;

Numeric
spm_confidence_z(FunctionCallInfo fcinfo, Numeric confidence, int *scale)
{
	ZCache	   *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL || spm_numeric_cmp(cache->confidence, confidence) != 0)
	{
		MemoryContext old;
		Numeric		z = confidence_z(confidence, scale);

		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		if (cache == NULL)
			cache = fcinfo->flinfo->fn_extra = palloc0(sizeof(ZCache));
		cache->confidence = DatumGetNumeric(datumCopy(NumericGetDatum(confidence), false, -1));
		cache->z = DatumGetNumeric(datumCopy(NumericGetDatum(z), false, -1));
		cache->scale = *scale;
		MemoryContextSwitchTo(old);
	}
	*scale = cache->scale;
	return cache->z;
}

/* normal_quantile(p): the z with P(Z <= z) = p, rounded to QUANTILE_SCALE decimals. */
PG_FUNCTION_INFO_V1(spm_normal_quantile);
Datum
spm_normal_quantile(PG_FUNCTION_ARGS)
{
	Numeric		p = PG_GETARG_NUMERIC(0);
	Numeric		one = int64_to_numeric(1);
	Numeric		two_sided;
	Numeric		z;
	int			scale;

	if (numeric_is_nan(p) || numeric_is_inf(p) ||
		spm_numeric_sign(p) <= 0 || spm_numeric_cmp(p, one) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability must be between 0 and 1, exclusive"),
				 errdetail("The probability given was %s.", spm_numeric_text(p)),
				 errhint("Pass a lower-tail probability, e.g. 0.975 for the z of a two-sided 95%% interval.")));
	/* P(Z <= z) = p  <=>  P(|Z| <= |z|) = |2p - 1|, z of the sign of p - 1/2 */
	if (spm_numeric_cmp(p, spm_numeric_pow10(-MIN_TAIL_DIGITS)) < 0 ||
		spm_numeric_cmp(spm_numeric_sub(one, p), spm_numeric_pow10(-MIN_TAIL_DIGITS)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("probability %s is too close to 0 or 1", spm_numeric_text(p)),
				 errdetail("spm computes normal quantiles for tail probabilities down to 1e-%d.",
						   MIN_TAIL_DIGITS),
				 errhint("Pass a probability from 1e-%d to 1 - 1e-%d.", MIN_TAIL_DIGITS, MIN_TAIL_DIGITS)));
	two_sided = spm_numeric_sub(spm_numeric_mul(int64_to_numeric(2), p), one);
	if (spm_numeric_sign(two_sided) == 0)
		PG_RETURN_NUMERIC(spm_numeric_round(int64_to_numeric(0), QUANTILE_SCALE));
	z = spm_confidence_z(fcinfo, spm_numeric_abs(two_sided), &scale);
	if (spm_numeric_sign(two_sided) < 0)
		z = spm_numeric_sub(int64_to_numeric(0), z);
	PG_RETURN_NUMERIC(spm_numeric_round(z, QUANTILE_SCALE));
}

void
spm_check_won_closed(int64 won, int64 closed)
{
	if (won < 0 || closed < won)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("won must be between 0 and closed"),
				 errdetail("won is " INT64_FORMAT " and closed is " INT64_FORMAT ".", won, closed),
				 errhint("Pass the number of won deals and the number of closed (won + lost) deals, e.g. wilson_lower(12, 38).")));
}

/*
 * A Wilson score bound for won of closed at confidence z:
 * (won + z^2/2 -+ z sqrt(won lost / closed + z^2/4)) / (closed + z^2).
 */
static Datum
wilson_bound(FunctionCallInfo fcinfo, int sign)
{
	int64		won = PG_GETARG_INT64(0);
	int64		closed = PG_GETARG_INT64(1);
	Numeric		z;
	Numeric		z2;
	Numeric		center;
	Numeric		spread;
	Numeric		radicand;
	int			scale;

	spm_check_won_closed(won, closed);
	z = spm_confidence_z(fcinfo, PG_GETARG_NUMERIC(2), &scale);
	if (closed == 0)
		PG_RETURN_NULL();
	/* the bound on the side of an observed 0 % or 100 % is exactly that */
	if ((sign < 0 && won == 0) || (sign > 0 && won == closed))
		PG_RETURN_NUMERIC(spm_numeric_round(int64_to_numeric(sign < 0 ? 0 : 1), WILSON_SCALE));
	z2 = mul_at(z, z, scale);
	center = spm_numeric_add(int64_to_numeric(won), div_at(z2, int64_to_numeric(2), scale));
	radicand = spm_numeric_add(div_at(spm_numeric_mul(int64_to_numeric(won), int64_to_numeric(closed - won)),
									  int64_to_numeric(closed), scale),
							   div_at(z2, int64_to_numeric(4), scale));
	spread = mul_at(z, sqrt_at(radicand, scale), scale);
	if (sign < 0)
		spread = spm_numeric_sub(int64_to_numeric(0), spread);
	PG_RETURN_NUMERIC(spm_numeric_round(div_at(spm_numeric_add(center, spread),
									  spm_numeric_add(int64_to_numeric(closed), z2), scale),
							   WILSON_SCALE));
}

PG_FUNCTION_INFO_V1(spm_wilson_lower);
Datum
spm_wilson_lower(PG_FUNCTION_ARGS)
{
	return wilson_bound(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(spm_wilson_upper);
Datum
spm_wilson_upper(PG_FUNCTION_ARGS)
{
	return wilson_bound(fcinfo, 1);
}
