/*
 * range.c: the range of the forecast.  The bookings range spm.bookings_range (its aggregate
 * spm.forecast_range over (amount, probability[, resolution]), type I/O, merge for combine)
 * and its accessors: expected bookings, variance, quantiles, the probability of reaching a
 * target, and the method the distribution came from.
 *
 * A summary is a varlena: a header with the currency scale (resolution 10^-scale), the
 * deals counted, the total units of the listed deals, the two exact moments of
 * range_core.h, and, while exact, the list of deals with a positive amount.  Accessors
 * compute the exact distribution from the list (range_core.c), or use a normal
 * approximation with continuity correction when the list was dropped past the bound.
 */
#include "spm.h"
#include "range_core.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#define TYPE_NAME "spm.bookings_range"
#define SUMMARY_VERSION 1
#define BINARY_VERSION 1
#define RESULT_SCALE 20

typedef unsigned __int128 u128;

typedef struct RangeSummary
{
	int32		vl_len_;
	uint8		version;
	uint8		exact;			/* 1: deals[] lists every deal with a positive amount */
	int16		scale;			/* resolution 10^-scale */
	int32		n;				/* deals listed (the varlena may have room for more) */
	int64		deals;			/* deals counted (non-NULL rows) */
	int64		total_units;	/* units of the listed deals summed (0 when not exact) */
	SpmU256		s1;
	SpmU256		s2;
	SpmRangeDeal list[FLEXIBLE_ARRAY_MEMBER];
} RangeSummary;

#define SUMMARY_HDRSZ offsetof(RangeSummary, list)
#define SUMMARY_SIZE(n) (SUMMARY_HDRSZ + (Size) (n) * sizeof(SpmRangeDeal))

static const char *const hint_build =
"Build bookings ranges with spm.forecast_range(amount, probability, resolution), not by hand.";

static RangeSummary *
summary_alloc(int32 n)
{
	RangeSummary *s = palloc0(SUMMARY_SIZE(n));

	SET_VARSIZE(s, SUMMARY_SIZE(n));
	s->version = SUMMARY_VERSION;
	s->exact = 1;
	s->n = n;
	return s;
}

static RangeSummary *
checked(RangeSummary *s)
{
	if (VARSIZE(s) < SUMMARY_HDRSZ || s->version != SUMMARY_VERSION || s->n < 0 ||
		VARSIZE(s) < SUMMARY_SIZE(s->n) || (VARSIZE(s) - SUMMARY_HDRSZ) % sizeof(SpmRangeDeal) != 0 ||
		(!s->exact && s->n != 0))
		spm_corrupted_value(TYPE_NAME);
	return s;
}

static const RangeSummary *
summary_arg(FunctionCallInfo fcinfo, int argno)
{
	return checked((RangeSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno)));
}

static void
moment_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("the variance of the bookings is out of range"),
			 errdetail("A moment of the %s would exceed 256 bits.", TYPE_NAME),
			 errhint("Pass a coarser resolution, e.g. 1000 instead of 1.")));
}

static void
count_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("count out of range"),
			 errdetail("The number of deals or of units of the %s would exceed 64 bits.", TYPE_NAME)));
}

/* s with one deal of u units and probability P added; may return a new summary. */
static RangeSummary *
add_deal(RangeSummary *s, int64 u, u128 p)
{
	if (spm_range_add_moments(&s->s1, &s->s2, u, p) != SPM_RANGE_OK)
		moment_out_of_range();
	if (__builtin_add_overflow(s->deals, 1, &s->deals))
		count_out_of_range();
	if (!s->exact || u == 0)
		return s;
	if (!spm_range_within_bound((int64) s->n + 1, s->total_units + u))
	{
		/* past the bound: drop the list for good */
		s->exact = 0;
		s->n = 0;
		s->total_units = 0;
		SET_VARSIZE(s, SUMMARY_SIZE(0));
		return s;
	}
	if (SUMMARY_SIZE(s->n + 1) > VARSIZE(s))
	{
		/*
		 * Room for twice as many deals.  The varlena's size is its room, so that the
		 * executor's copy of a new state (datumCopy) keeps it; the list is s->n long.
		 */
		int32		room = Max(16, 2 * s->n);
		RangeSummary *grown = palloc0(SUMMARY_SIZE(room));

		memcpy(grown, s, SUMMARY_SIZE(s->n));
		SET_VARSIZE(grown, SUMMARY_SIZE(room));
		s = grown;
	}
	s->list[s->n].units = u;
	s->list[s->n].p_lo = (uint64) p;
	s->list[s->n].p_hi = (uint64) (p >> 64);
	s->n++;
	s->total_units += u;
	return s;
}

/* ---------------------------------------------------------------- numerics */

static int64
num_int64(Numeric x)
{
	return DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(x)));
}

static Numeric
u64_numeric(uint64 v)
{
	return spm_numeric_add(spm_numeric_mul(int64_to_numeric((int64) (v >> 32)),
										   int64_to_numeric(INT64CONST(1) << 32)),
						   int64_to_numeric((int64) (v & 0xFFFFFFFF)));
}

static Numeric
u256_numeric(const SpmU256 *a)
{
	Numeric		r = int64_to_numeric(0);
	Numeric		base = spm_numeric_mul(int64_to_numeric(INT64CONST(1) << 32),
									   int64_to_numeric(INT64CONST(1) << 32));

	for (int i = 3; i >= 0; i--)
		r = spm_numeric_add(spm_numeric_mul(r, base), u64_numeric(a->w[i]));
	return r;
}

/* The currency scale of a resolution: 22023 unless a power of ten from 10^-12 to 10^9. */
static int
resolution_scale(Numeric resolution)
{
	spm_int128	units;
	int			dscale;

	spm_require_finite(resolution, "resolution");
	if (spm_numeric_sign(resolution) > 0 &&
		spm_numeric_to_fixed_dscale(resolution, &units, &dscale))
	{
		int			k = -dscale;

		while (units % 10 == 0)
		{
			units /= 10;
			k++;
		}
		if (units == 1 && k >= SPM_MIN_SCALE && k <= 9)
			return -k;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("resolution %s is not a power of ten from 0.000000000001 to 1000000000",
					spm_numeric_text(resolution)),
			 errhint("Pass the currency resolution the amounts are counted in, e.g. 1 for whole units or 0.01 for cents.")));
	pg_unreachable();
}

static void
check_scale(int scale)
{
	if (scale < -9 || scale > 12)
		spm_corrupted_value(TYPE_NAME);
}

/* P = p * 10^20 of a probability: 22023 outside [0, 1] or with more than 20 decimals. */
static u128
probability_units(Numeric p)
{
	spm_int128	v;

	spm_require_finite(p, "probability");
	if (spm_numeric_sign(p) < 0 || spm_numeric_cmp(p, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability %s is outside 0 to 1", spm_numeric_text(p)),
				 errhint("Pass the deal's chance to close won as a fraction from 0 to 1, e.g. 0.35 for 35%%.")));
	if (!spm_numeric_to_fixed(p, SPM_RANGE_P_SCALE, &v))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("probability %s has more than %d decimals", spm_numeric_text(p), SPM_RANGE_P_SCALE),
				 errhint("Round the probability first, e.g. round(probability, 20).")));
	return (u128) v;
}

/* The units of an amount at scale: 22023 when negative or not a whole number of them. */
static int64
amount_units(Numeric amount, int scale)
{
	int64		u = 0;

	if (spm_finite_sign(amount, "amount") < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s of an open deal is negative", spm_numeric_text(amount)),
				 errhint("Pass the amount the deal books when won, 0 or more; leave credits out of the forecast range.")));
	switch (spm_numeric_to_units(amount, scale, &u))
	{
		case SPM_UNITS_OK:
			break;
		case SPM_UNITS_FRACTIONAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("amount %s is not a whole number of the resolution %s",
							spm_numeric_text(amount), spm_numeric_text(spm_numeric_pow10(-scale))),
					 errhint("Round the amount first, e.g. round(amount, %d), or pass a finer resolution.", scale)));
			break;
		case SPM_UNITS_OUT_OF_RANGE:
			count_out_of_range();
	}
	return u;
}

/* ---------------------------------------------------------------- aggregate */

PG_FUNCTION_INFO_V1(spm_bookings_range_accum);
Datum
spm_bookings_range_accum(PG_FUNCTION_ARGS)
{
	MemoryContext agg = CurrentMemoryContext;
	MemoryContext old;
	bool		in_agg = AggCheckCallContext(fcinfo, &agg);
	RangeSummary *s;
	int			scale;
	int64		u;
	u128		p;

	if (!in_agg)
		agg = CurrentMemoryContext;
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || (PG_NARGS() > 3 && PG_ARGISNULL(3)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	scale = PG_NARGS() > 3 ? resolution_scale(PG_GETARG_NUMERIC(3)) : 0;
	u = amount_units(PG_GETARG_NUMERIC(1), scale);
	p = probability_units(PG_GETARG_NUMERIC(2));
	old = MemoryContextSwitchTo(agg);
	if (PG_ARGISNULL(0))
	{
		s = summary_alloc(0);
		s->scale = (int16) scale;
	}
	else if (in_agg)
		s = checked((RangeSummary *) PG_GETARG_POINTER(0));	/* the state itself: update it */
	else
		s = checked((RangeSummary *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
	if (s->scale != scale)
		spm_differs_between_rows("resolution", "forecast_range",
								 spm_numeric_text(spm_numeric_pow10(-s->scale)),
								 spm_numeric_text(spm_numeric_pow10(-scale)), 0,
								 "Count every deal of a group at one resolution.");
	s = add_deal(s, u, p);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(spm_bookings_range_merge);
Datum
spm_bookings_range_merge(PG_FUNCTION_ARGS)
{
	const RangeSummary *a;
	const RangeSummary *b;
	RangeSummary *r;
	int64		total;
	int64		n;
	bool		exact;

	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
	{
		MemoryContext agg = CurrentMemoryContext;

		a = summary_arg(fcinfo, PG_ARGISNULL(0) ? 1 : 0);
		if (!AggCheckCallContext(fcinfo, &agg))
			agg = CurrentMemoryContext;
		r = MemoryContextAlloc(agg, SUMMARY_SIZE(a->n));
		memcpy(r, a, SUMMARY_SIZE(a->n));
		SET_VARSIZE(r, SUMMARY_SIZE(a->n));
		PG_RETURN_POINTER(r);
	}
	a = summary_arg(fcinfo, 0);
	b = summary_arg(fcinfo, 1);
	check_scale(a->scale);
	check_scale(b->scale);
	if (a->scale != b->scale)
		spm_differs_between_rows("resolution", "forecast_range",
								 spm_numeric_text(spm_numeric_pow10(-a->scale)),
								 spm_numeric_text(spm_numeric_pow10(-b->scale)), 0,
								 "Count every deal of a group at one resolution.");
	n = (int64) a->n + b->n;
	exact = a->exact && b->exact && !__builtin_add_overflow(a->total_units, b->total_units, &total) &&
		spm_range_within_bound(n, total);
	{
		MemoryContext agg = CurrentMemoryContext;
		MemoryContext old;

		if (!AggCheckCallContext(fcinfo, &agg))
			agg = CurrentMemoryContext;
		old = MemoryContextSwitchTo(agg);
		r = summary_alloc(exact ? (int32) n : 0);
		MemoryContextSwitchTo(old);
	}
	r->scale = a->scale;
	r->exact = exact;
	r->s1 = a->s1;
	r->s2 = a->s2;
	if (spm_u256_add(&r->s1, &b->s1) != SPM_RANGE_OK || spm_u256_add(&r->s2, &b->s2) != SPM_RANGE_OK)
		moment_out_of_range();
	if (__builtin_add_overflow(a->deals, b->deals, &r->deals))
		count_out_of_range();
	if (exact)
	{
		r->total_units = total;
		memcpy(r->list, a->list, a->n * sizeof(SpmRangeDeal));
		memcpy(r->list + a->n, b->list, b->n * sizeof(SpmRangeDeal));
	}
	PG_RETURN_POINTER(r);
}

/* ---------------------------------------------------------------- text and binary I/O */

static void bad_text(const char *str, const char *detail) pg_attribute_noreturn();

static void
bad_text(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", TYPE_NAME, str),
			 errdetail("%s", detail),
			 errhint("Write (resolution=1,deals=2,mean=...,variance=...,exact={amount@probability,...}) or exact=no, as spm prints it.")));
}

/* The text of "key=" at *p up to the next delimiter among stops; advances *p. */
static char *
read_field(const char *str, const char **p, const char *key, const char *stops)
{
	size_t		k = strlen(key);
	const char *q;

	if (strncmp(*p, key, k) != 0 || (*p)[k] != '=')
		bad_text(str, psprintf("Expected \"%s=\".", key));
	*p += k + 1;
	q = *p + strcspn(*p, stops);
	{
		char	   *v = pnstrdup(*p, q - *p);

		*p = q;
		return v;
	}
}

static Numeric
read_numeric(const char *str, const char *text)
{
	if (*text == '\0')
		bad_text(str, "A number is missing.");
	return spm_numeric_in(text);
}

static void
expect(const char *str, const char **p, char c)
{
	if (**p != c)
		bad_text(str, psprintf("Expected \"%c\".", c));
	(*p)++;
}

PG_FUNCTION_INFO_V1(spm_bookings_range_in);
Datum
spm_bookings_range_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	RangeSummary *s = summary_alloc(0);
	Numeric		mean;
	Numeric		variance;
	int64		deals;
	int			scale;

	expect(str, &p, '(');
	scale = resolution_scale(read_numeric(str, read_field(str, &p, "resolution", ",)")));
	s->scale = (int16) scale;
	expect(str, &p, ',');
	deals = DatumGetInt64(DirectFunctionCall1(int8in, CStringGetDatum(read_field(str, &p, "deals", ",)"))));
	if (deals < 0)
		bad_text(str, "The number of deals is negative.");
	expect(str, &p, ',');
	mean = read_numeric(str, read_field(str, &p, "mean", ",)"));
	expect(str, &p, ',');
	variance = read_numeric(str, read_field(str, &p, "variance", ",)"));
	expect(str, &p, ',');
	if (strncmp(p, "exact=no)", 9) == 0)
	{
		Numeric		r = spm_numeric_pow10(-scale);
		Numeric		m1 = spm_numeric_div(mean, r);
		Numeric		m2 = spm_numeric_div(spm_numeric_div(variance, r), r);
		Numeric		two64 = spm_numeric_mul(int64_to_numeric(INT64CONST(1) << 32),
											int64_to_numeric(INT64CONST(1) << 32));
		Numeric		parts[2];

		p += 9;
		s->exact = 0;
		m1 = spm_numeric_mul(m1, spm_numeric_pow10(SPM_RANGE_P_SCALE));
		m2 = spm_numeric_mul(m2, spm_numeric_pow10(2 * SPM_RANGE_P_SCALE));
		parts[0] = m1;
		parts[1] = m2;
		for (int k = 0; k < 2; k++)
		{
			SpmU256    *acc = k == 0 ? &s->s1 : &s->s2;
			Numeric		v = parts[k];

			if (spm_numeric_sign(v) < 0 ||
				spm_numeric_cmp(v, spm_numeric_trim_scale(spm_numeric_round(v, 0))) != 0)
				bad_text(str, "The mean or the variance is not a multiple of the resolution at 20 decimals of probability.");
			for (int i = 0; i < 4; i++)
			{
				Numeric		q = spm_numeric_div_trunc(v, two64);
				Numeric		rem = spm_numeric_sub(v, spm_numeric_mul(q, two64));
				Numeric		hi = spm_numeric_div_trunc(rem, int64_to_numeric(INT64CONST(1) << 32));
				Numeric		lo = spm_numeric_sub(rem, spm_numeric_mul(hi, int64_to_numeric(INT64CONST(1) << 32)));

				acc->w[i] = ((uint64) num_int64(hi) << 32) |
					(uint64) num_int64(lo);
				v = q;
			}
			if (spm_numeric_sign(v) != 0)
				moment_out_of_range();
		}
		s->deals = deals;
	}
	else
	{
		(void) read_field(str, &p, "exact", "{");
		expect(str, &p, '{');
		while (*p != '}')
		{
			char	   *a = pnstrdup(p, strcspn(p, "@,}"));
			char	   *pr;

			p += strlen(a);
			expect(str, &p, '@');
			pr = pnstrdup(p, strcspn(p, ",}"));
			p += strlen(pr);
			s = add_deal(s, amount_units(read_numeric(str, a), scale),
						 probability_units(read_numeric(str, pr)));
			if (!s->exact)
				bad_text(str, "Its deals are past the bound of the exact distribution: write exact=no.");
			if (*p == ',')
				p++;
		}
		p++;
		expect(str, &p, ')');
		if (deals < s->deals)
			bad_text(str, "It lists more deals than it counts.");
		s->deals = deals;		/* deals of amount 0 are counted, not listed */
	}
	if (*p != '\0')
		bad_text(str, "Nothing may follow the closing \")\".");
	if (s->exact)
	{
		/* the mean and variance given must be the list's */
		Numeric		r = spm_numeric_pow10(-scale);
		Numeric		m1 = spm_numeric_mul(spm_numeric_div(u256_numeric(&s->s1), spm_numeric_pow10(SPM_RANGE_P_SCALE)), r);
		Numeric		m2 = spm_numeric_mul(spm_numeric_mul(spm_numeric_div(u256_numeric(&s->s2), spm_numeric_pow10(2 * SPM_RANGE_P_SCALE)), r), r);

		if (spm_numeric_cmp(m1, mean) != 0 || spm_numeric_cmp(m2, variance) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid %s: its mean or variance is not that of its deals", TYPE_NAME),
					 errdetail("The value given was \"%s\".", str),
					 errhint("%s", hint_build)));
	}
	PG_RETURN_POINTER(s);
}

static Numeric expected_of(const RangeSummary *s);
static Numeric variance_of(const RangeSummary *s);

/* A copy of s's list in canonical order. */
static SpmRangeDeal *
sorted_list(const RangeSummary *s)
{
	SpmRangeDeal *l = palloc(Max(s->n, 1) * sizeof(SpmRangeDeal));

	memcpy(l, s->list, s->n * sizeof(SpmRangeDeal));
	spm_range_sort(l, s->n);
	return l;
}

static Numeric
p_numeric(const SpmRangeDeal *d)
{
	u128		p = spm_range_deal_p(d);
	Numeric		hi = u64_numeric((uint64) (p >> 64));
	Numeric		v = spm_numeric_add(spm_numeric_mul(hi, spm_numeric_mul(int64_to_numeric(INT64CONST(1) << 32),
																		  int64_to_numeric(INT64CONST(1) << 32))),
									u64_numeric((uint64) p));

	return spm_numeric_trim_scale(spm_numeric_div(v, spm_numeric_pow10(SPM_RANGE_P_SCALE)));
}

PG_FUNCTION_INFO_V1(spm_bookings_range_out);
Datum
spm_bookings_range_out(PG_FUNCTION_ARGS)
{
	const RangeSummary *s = summary_arg(fcinfo, 0);
	StringInfoData buf;

	check_scale(s->scale);
	initStringInfo(&buf);
	appendStringInfo(&buf, "(resolution=%s,deals=" INT64_FORMAT ",mean=%s,variance=%s,exact=",
					 spm_numeric_text(spm_numeric_pow10(-s->scale)), s->deals,
					 spm_numeric_text(expected_of(s)), spm_numeric_text(variance_of(s)));
	if (!s->exact)
		appendStringInfoString(&buf, "no");
	else
	{
		SpmRangeDeal *l = sorted_list(s);

		appendStringInfoChar(&buf, '{');
		for (int32 i = 0; i < s->n; i++)
			appendStringInfo(&buf, "%s%s@%s", i > 0 ? "," : "",
							 spm_numeric_text(spm_units_to_numeric(l[i].units, s->scale)),
							 spm_numeric_text(p_numeric(&l[i])));
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ')');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(spm_bookings_range_recv);
Datum
spm_bookings_range_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	RangeSummary *s = summary_alloc(0);
	int32		n;
	int			scale;

	if (pq_getmsgbyte(buf) != BINARY_VERSION)
		spm_bad_binary(TYPE_NAME, "Its version byte is unknown.");
	scale = (int16) pq_getmsgint(buf, 2);
	if (scale < -9 || scale > 12)
		spm_bad_binary(TYPE_NAME, "Its resolution is not a power of ten from 10^-12 to 10^9.");
	s->scale = (int16) scale;
	s->exact = pq_getmsgbyte(buf) != 0;
	s->deals = pq_getmsgint64(buf);
	for (int i = 0; i < 4; i++)
		s->s1.w[i] = (uint64) pq_getmsgint64(buf);
	for (int i = 0; i < 4; i++)
		s->s2.w[i] = (uint64) pq_getmsgint64(buf);
	n = pq_getmsgint(buf, 4);
	if (n < 0 || (!s->exact && n > 0) || (int64) n * 24 != buf->len - buf->cursor)
		spm_bad_binary(TYPE_NAME, psprintf("It claims %d deals, which the message does not hold.", n));
	if (s->exact)
	{
		SpmU256		s1 = s->s1;
		SpmU256		s2 = s->s2;
		int64		deals = s->deals;

		memset(&s->s1, 0, sizeof(SpmU256));
		memset(&s->s2, 0, sizeof(SpmU256));
		s->deals = 0;
		for (int32 i = 0; i < n; i++)
		{
			int64		u = pq_getmsgint64(buf);
			u128		p = ((u128) (uint64) pq_getmsgint64(buf)) << 64;

			p |= (uint64) pq_getmsgint64(buf);
			if (u <= 0 || p > (u128) 10000000000000000000ULL * 10)
				spm_bad_binary(TYPE_NAME, "A deal has an amount of 0 or less or a probability outside 0 to 1.");
			s = add_deal(s, u, p);
			if (!s->exact)
				spm_bad_binary(TYPE_NAME, "Its deals are past the bound of the exact distribution.");
		}
		if (memcmp(&s1, &s->s1, sizeof(s1)) != 0 || memcmp(&s2, &s->s2, sizeof(s2)) != 0 ||
			deals < s->deals)
			spm_bad_binary(TYPE_NAME, "Its moments or its count are not those of its deals.");
		s->deals = deals;
	}
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(spm_bookings_range_send);
Datum
spm_bookings_range_send(PG_FUNCTION_ARGS)
{
	const RangeSummary *s = summary_arg(fcinfo, 0);
	SpmRangeDeal *l = sorted_list(s);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BINARY_VERSION);
	pq_sendint16(&buf, s->scale);
	pq_sendbyte(&buf, s->exact);
	pq_sendint64(&buf, s->deals);
	for (int i = 0; i < 4; i++)
		pq_sendint64(&buf, s->s1.w[i]);
	for (int i = 0; i < 4; i++)
		pq_sendint64(&buf, s->s2.w[i]);
	pq_sendint32(&buf, s->n);
	for (int32 i = 0; i < s->n; i++)
	{
		pq_sendint64(&buf, l[i].units);
		pq_sendint64(&buf, l[i].p_hi);
		pq_sendint64(&buf, l[i].p_lo);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------- accessors */

/* The z with Phi(z) = q for 0 < q < 1 (standard normal, float8, about 1e-15): */
/*
 * Acklam's rational approximation of the normal quantile (relative error 1.15e-9), then
 * one Halley step on erfc, which brings it to about 1e-15.
 */
static double
normal_quantile(double q)
{
	static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
		-2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01,
	2.506628277459239e+00};
	static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
	-1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01};
	static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
		-2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00,
	2.938163982698783e+00};
	static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
	2.445134137142996e+00, 3.754408661907416e+00};
	double		x;
	double		r;
	double		e;
	double		u;

	if (q < 0.02425)
	{
		r = sqrt(-2 * log(q));
		x = (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
			((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
	}
	else if (q <= 1 - 0.02425)
	{
		double		s = q - 0.5;

		r = s * s;
		x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s /
			(((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}
	else
	{
		r = sqrt(-2 * log(1 - q));
		x = -(((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5]) /
			((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1);
	}
	e = 0.5 * erfc(-x / sqrt(2)) - q;
	u = e * sqrt(2 * M_PI) * exp(x * x / 2);
	return x - u / (1 + x * u / 2);
}


static Numeric
expected_of(const RangeSummary *s)
{
	return spm_numeric_trim_scale(spm_numeric_mul(spm_numeric_div(u256_numeric(&s->s1),
																  spm_numeric_pow10(SPM_RANGE_P_SCALE)),
												  spm_numeric_pow10(-s->scale)));
}

static Numeric
variance_of(const RangeSummary *s)
{
	Numeric		r = spm_numeric_pow10(-s->scale);

	return spm_numeric_trim_scale(spm_numeric_mul(spm_numeric_mul(spm_numeric_div(u256_numeric(&s->s2),
																				  spm_numeric_pow10(2 * SPM_RANGE_P_SCALE)),
																  r), r));
}

PG_FUNCTION_INFO_V1(spm_expected_bookings);
Datum
spm_expected_bookings(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(expected_of(summary_arg(fcinfo, 0)));
}

PG_FUNCTION_INFO_V1(spm_bookings_variance);
Datum
spm_bookings_variance(PG_FUNCTION_ARGS)
{
	PG_RETURN_NUMERIC(variance_of(summary_arg(fcinfo, 0)));
}

PG_FUNCTION_INFO_V1(spm_range_method);
Datum
spm_range_method(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(summary_arg(fcinfo, 0)->exact ? "exact" : "normal"));
}

/* The exact distribution of s (exact), dist[0..total], in units of 2^-126. */
static spm_uint128 *
distribution(const RangeSummary *s)
{
	SpmRangeDeal *l = sorted_list(s);
	spm_uint128 *dist = palloc((s->total_units + 1) * sizeof(spm_uint128));

	spm_range_distribution(l, s->n, s->total_units, dist, spm_check_for_interrupts);
	return dist;
}

/* v * 2^-126 as a numeric rounded to RESULT_SCALE decimals */
static Numeric
fraction_numeric(u128 v)
{
	Numeric		n = spm_numeric_add(spm_numeric_mul(u64_numeric((uint64) (v >> 64)),
													spm_numeric_mul(int64_to_numeric(INT64CONST(1) << 32),
																	int64_to_numeric(INT64CONST(1) << 32))),
									u64_numeric((uint64) v));
	Numeric		one = spm_numeric_mul(spm_numeric_mul(u64_numeric(UINT64CONST(1) << 63),
													  u64_numeric(UINT64CONST(1) << 63)),
									  int64_to_numeric(1));

	return spm_numeric_round_ratio(n, one, RESULT_SCALE);
}

static double
double_of(Numeric x)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(x)));
}

/* 22023 unless 0 < q < 1 */
static void
check_q(Numeric q)
{
	spm_require_finite(q, "q");
	if (spm_numeric_sign(q) <= 0 || spm_numeric_cmp(q, int64_to_numeric(1)) >= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile %s is not between 0 and 1", spm_numeric_text(q)),
				 errhint("Pass a fraction strictly between 0 and 1, e.g. 0.1 for P10 or 0.9 for P90.")));
}

PG_FUNCTION_INFO_V1(spm_bookings_quantile);
Datum
spm_bookings_quantile(PG_FUNCTION_ARGS)
{
	const RangeSummary *s = summary_arg(fcinfo, 0);
	Numeric		q = PG_GETARG_NUMERIC(1);
	Numeric		r;

	check_q(q);
	check_scale(s->scale);
	r = spm_numeric_pow10(-s->scale);
	if (s->exact)
	{
		spm_uint128 *dist = distribution(s);
		/* q in units of 2^-126, less the tie tolerance 2^-96 (about 1.3e-29) */
		Numeric		qn = spm_numeric_mul(q, spm_numeric_mul(u64_numeric(UINT64CONST(1) << 63),
															u64_numeric(UINT64CONST(1) << 63)));
		Numeric		qh = spm_numeric_div_trunc(qn, u64_numeric(UINT64CONST(1) << 63));
		Numeric		ql = spm_numeric_sub(qn, spm_numeric_mul(qh, u64_numeric(UINT64CONST(1) << 63)));
		u128		target = ((u128) num_int64(qh) << 63) +
			(u128) num_int64(spm_numeric_trim_scale(spm_numeric_div_trunc(ql, int64_to_numeric(1))));
		u128		cdf = 0;
		int64		t;

		target = target > ((u128) 1 << 30) ? target - ((u128) 1 << 30) : 0;
		for (t = 0; t < s->total_units; t++)
		{
			cdf += dist[t];
			if (cdf >= target)
				break;
		}
		PG_RETURN_NUMERIC(spm_units_to_numeric(t, s->scale));
	}
	else
	{
		/* mean + z sigma, continuity corrected, up to a multiple of the resolution */
		double		z = normal_quantile(double_of(q));
		Numeric		sigma = DatumGetNumeric(DirectFunctionCall1(numeric_sqrt, NumericGetDatum(variance_of(s))));
		Numeric		x = spm_numeric_add(expected_of(s),
										spm_numeric_mul(DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(z))), sigma));
		Numeric		k = spm_numeric_sub(spm_numeric_div(x, r), DatumGetNumeric(DirectFunctionCall1(float8_numeric, Float8GetDatum(0.5))));

		k = DatumGetNumeric(DirectFunctionCall1(numeric_ceil, NumericGetDatum(k)));
		if (spm_numeric_sign(k) < 0)
			k = int64_to_numeric(0);
		PG_RETURN_NUMERIC(spm_numeric_round(spm_numeric_mul(k, r), Max(s->scale, 0)));
	}
}

PG_FUNCTION_INFO_V1(spm_probability_of_reaching);
Datum
spm_probability_of_reaching(PG_FUNCTION_ARGS)
{
	const RangeSummary *s = summary_arg(fcinfo, 0);
	Numeric		target = PG_GETARG_NUMERIC(1);
	Numeric		r;
	Numeric		k;

	spm_require_finite(target, "target");
	check_scale(s->scale);
	r = spm_numeric_pow10(-s->scale);
	if (spm_numeric_sign(target) <= 0)
		PG_RETURN_NUMERIC(spm_numeric_round(int64_to_numeric(1), RESULT_SCALE));
	/* the smallest whole number of units at least target */
	k = DatumGetNumeric(DirectFunctionCall1(numeric_ceil, NumericGetDatum(spm_numeric_div(target, r))));
	if (s->exact)
	{
		spm_uint128 *dist;
		u128		tail = 0;
		int64		from;

		if (spm_numeric_cmp(k, int64_to_numeric(s->total_units)) > 0)
			PG_RETURN_NUMERIC(spm_numeric_round(int64_to_numeric(0), RESULT_SCALE));
		from = num_int64(k);
		dist = distribution(s);
		for (int64 t = from; t <= s->total_units; t++)
			tail += dist[t];
		PG_RETURN_NUMERIC(fraction_numeric(tail));
	}
	else
	{
		Numeric		variance = variance_of(s);
		double		x;

		if (spm_numeric_sign(variance) == 0)
			PG_RETURN_NUMERIC(spm_numeric_round(int64_to_numeric(spm_numeric_cmp(expected_of(s), target) >= 0), RESULT_SCALE));
		x = (double_of(spm_numeric_sub(spm_numeric_mul(k, r), expected_of(s))) - 0.5 * double_of(r)) /
			sqrt(double_of(variance));
		PG_RETURN_NUMERIC(spm_numeric_round(DatumGetNumeric(DirectFunctionCall1(float8_numeric,
																				 Float8GetDatum(0.5 * erfc(x / sqrt(2))))),
											RESULT_SCALE));
	}
}
