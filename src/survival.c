/*
 * survival.c: time to close.  The cycle summary spm.cycle_summary (its aggregate over
 * (days, closed), type I/O, merge for combine and rollup, exact inverses) and the
 * Kaplan-Meier accessors: survival, its Greenwood band, quantiles, the chance to close
 * within some days at an age.
 *
 * A summary is a varlena holding a list of survival_core.h: counts per distinct duration,
 * sorted, exact.  The core keeps the list and lists the Kaplan-Meier steps; this file
 * multiplies them in numeric, rounding each partial product half away from zero to
 * WORK_SCALE decimals (so that after k <= 100,001 steps it is within k * 10^-60 < 10^-54 of
 * the exact rational product), and rounds each result once to RESULT_SCALE decimals.  The
 * Greenwood band takes logarithms, exponentials and a square root, also in numeric at
 * WORK_SCALE; the z of its confidence is wilson.c's.  No floating point.
 */
#include "spm.h"
#include "survival_core.h"

#include "fmgr.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "parser/scansup.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#define TYPE_NAME "spm.cycle_summary"
#define SUMMARY_VERSION 1		/* of the stored layout */
#define BINARY_VERSION 1		/* of the send/recv format */
/* Decimals of every probability returned, and of the partial products on the way. */
#define RESULT_SCALE 20
#define WORK_SCALE 60
/* S(t) and 1 - p this close are taken to be equal (the products are within 10^-54). */
#define TIE_DIGITS 50

typedef struct CycleSummary
{
	int32		vl_len_;
	uint8		version;
	uint8		unused[3];
	int32		n;				/* distinct durations */
	int32		padding;
	int64		total;			/* deals: every count summed */
	SpmCycleCount counts[FLEXIBLE_ARRAY_MEMBER];	/* sorted by day */
} CycleSummary;

#define SUMMARY_HDRSZ offsetof(CycleSummary, counts)
#define SUMMARY_SIZE(n) (SUMMARY_HDRSZ + (Size) (n) * sizeof(SpmCycleCount))

static const char *const hint_build =
"Build cycle summaries with spm.cycle_summary(days, closed) or spm.rollup(summary), not by hand.";
static const char *const hint_inverse =
"Inverse transition functions remove only rows that were added.";

/* ---------------------------------------------------------------- the summary */

/* An empty summary with room for n counts (its size says n; the caller sets it). */
static CycleSummary *
summary_alloc(int32 n)
{
	CycleSummary *s = palloc0(SUMMARY_SIZE(n));

	SET_VARSIZE(s, SUMMARY_SIZE(n));
	s->version = SUMMARY_VERSION;
	return s;
}

static SpmCycleList
list_of(const CycleSummary *s)
{
	SpmCycleList list;

	list.counts = (SpmCycleCount *) s->counts;	/* read only unless s is the caller's to update */
	list.n = s->n;
	list.total = s->total;
	return list;
}

/* Store list (whose counts are s's) back into s, its size shrunk or grown to fit. */
static void
store_list(CycleSummary *s, const SpmCycleList *list)
{
	s->n = (int32) list->n;
	s->total = list->total;
	SET_VARSIZE(s, SUMMARY_SIZE(s->n));
}

/* s, its header checked against its size (the counts are checked by I/O only). */
static CycleSummary *
checked(CycleSummary *s)
{
	if (VARSIZE(s) < SUMMARY_HDRSZ || s->version != SUMMARY_VERSION || s->n < 0 ||
		s->n > SPM_CYCLE_MAX_DAY + 1 || VARSIZE(s) != SUMMARY_SIZE(s->n))
		spm_corrupted_value(TYPE_NAME);
	return s;
}

static const CycleSummary *
summary_arg(FunctionCallInfo fcinfo, int argno)
{
	return checked((CycleSummary *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno)));
}

/*
 * Argument argno ready to update: the aggregate's own state in place, otherwise a copy;
 * an empty summary when NULL.
 */
static CycleSummary *
summary_arg_for_update(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw;

	if (PG_ARGISNULL(argno))
		return summary_alloc(0);
	raw = (struct varlena *) PG_GETARG_POINTER(argno);
	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(raw))
		return checked((CycleSummary *) raw);
	return checked((CycleSummary *) PG_DETOAST_DATUM_COPY(PointerGetDatum(raw)));
}

static void count_out_of_range(void) pg_attribute_noreturn();

static void
count_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("count out of range"),
			 errdetail("The number of deals of the %s would exceed 64 bits.", TYPE_NAME)));
}

/* list->total += the deals of c, a count read from text or binary (22003 past 64 bits) */
static void
add_to_total(SpmCycleList *list, const SpmCycleCount *c)
{
	if (__builtin_add_overflow(list->total, c->events, &list->total) ||
		__builtin_add_overflow(list->total, c->censored, &list->total))
		count_out_of_range();
}

/* What a list read from text or binary must not be, as a phrase; NULL when sound. */
static const char *
list_flaw(const SpmCycleList *list)
{
	switch (spm_cycle_check(list, spm_check_for_interrupts))
	{
		case SPM_SURVIVAL_OK:
			return NULL;
		case SPM_SURVIVAL_BAD_DAY:
			return psprintf("a day is outside 0 to %d", SPM_CYCLE_MAX_DAY);
		case SPM_SURVIVAL_UNSORTED:
			return "the days are not in increasing order, each once";
		case SPM_SURVIVAL_NEGATIVE:
			return "a count is negative";
		case SPM_SURVIVAL_EMPTY_DAY:
			return "a day has no deals (0/0)";
		case SPM_SURVIVAL_OVERFLOW:
			count_out_of_range();
		default:
			return "its total is not the sum of its counts";
	}
}

/* ---------------------------------------------------------------- text I/O */

static void bad_text(const char *str, const char *detail) pg_attribute_noreturn();

static void
bad_text(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", TYPE_NAME, str),
			 errdetail("%s", detail),
			 errhint("Write {day:closed/open,...} with increasing days, as in {0:1/0,12:3/2}; {} is empty.")));
}

static const char *
skip_space(const char *p)
{
	while (scanner_isspace(*p))
		p++;
	return p;
}

/* A whole number of at most max at *p (digits only), advancing *p; false if none or too big. */
static bool
read_count(const char **p, int64 max, int64 *value)
{
	const char *q = skip_space(*p);
	int64		v = 0;

	if (!isdigit((unsigned char) *q))
		return false;
	for (; isdigit((unsigned char) *q); q++)
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, *q - '0', &v) || v > max)
			return false;
	*p = skip_space(q);
	*value = v;
	return true;
}

PG_FUNCTION_INFO_V1(spm_cycle_summary_in);
Datum
spm_cycle_summary_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = skip_space(str);
	int32		room = 0;
	CycleSummary *s;
	SpmCycleList list;
	const char *flaw;

	for (const char *q = str; *q; q++)
		room += *q == ':';
	if (room > SPM_CYCLE_MAX_DAY + 1)
		bad_text(str, psprintf("It has more than %d days.", SPM_CYCLE_MAX_DAY + 1));
	s = summary_alloc(room);
	list = list_of(s);
	list.n = 0;
	if (*p++ != '{')
		bad_text(str, "It must start with \"{\".");
	p = skip_space(p);
	if (*p == '}')
		p++;
	else
		for (;;)
		{
			SpmCycleCount *c = &list.counts[list.n];
			int64		day;

			if (!read_count(&p, SPM_CYCLE_MAX_DAY, &day))
				bad_text(str, psprintf("Entry %zu must start with a day from 0 to %d.", list.n + 1, SPM_CYCLE_MAX_DAY));
			c->day = (int32) day;
			if (*p++ != ':')
				bad_text(str, psprintf("Expected \":\" after day %d.", c->day));
			if (!read_count(&p, PG_INT64_MAX, &c->events) || *p++ != '/' ||
				!read_count(&p, PG_INT64_MAX, &c->censored))
				bad_text(str, psprintf("Day %d must be followed by closed/open, two counts from 0 to %lld.",
									   c->day, (long long) PG_INT64_MAX));
			add_to_total(&list, c);
			list.n++;
			if (*p == '}')
			{
				p++;
				break;
			}
			if (*p++ != ',')
				bad_text(str, psprintf("Expected \",\" or \"}\" after the counts of day %d.", c->day));
		}
	if (*skip_space(p) != '\0')
		bad_text(str, "Nothing may follow the closing \"}\".");
	if ((flaw = list_flaw(&list)) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid %s: %s", TYPE_NAME, flaw),
				 errdetail("The value given was \"%s\".", str),
				 errhint("%s", hint_build)));
	store_list(s, &list);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(spm_cycle_summary_out);
Datum
spm_cycle_summary_out(PG_FUNCTION_ARGS)
{
	const CycleSummary *s = summary_arg(fcinfo, 0);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (int32 i = 0; i < s->n; i++)
		appendStringInfo(&buf, "%s%d:" INT64_FORMAT "/" INT64_FORMAT, i > 0 ? "," : "",
						 s->counts[i].day, s->counts[i].events, s->counts[i].censored);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* ---------------------------------------------------------------- binary I/O */

/* bytes per count on the wire: day int32, events int64, censored int64 */
#define WIRE_COUNT_SIZE 20

PG_FUNCTION_INFO_V1(spm_cycle_summary_recv);
Datum
spm_cycle_summary_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n;
	CycleSummary *s;
	SpmCycleList list;
	const char *flaw;

	if (pq_getmsgbyte(buf) != BINARY_VERSION)
		spm_bad_binary(TYPE_NAME, "Its version byte is unknown.");
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > SPM_CYCLE_MAX_DAY + 1)
		spm_bad_binary(TYPE_NAME, psprintf("Its number of days, %d, is not from 0 to %d.", n, SPM_CYCLE_MAX_DAY + 1));
	if ((int64) n * WIRE_COUNT_SIZE != buf->len - buf->cursor)
		spm_bad_binary(TYPE_NAME, psprintf("It claims %d days, which the message does not hold.", n));
	s = summary_alloc(n);
	list = list_of(s);
	list.n = n;
	for (int32 i = 0; i < n; i++)
	{
		SpmCycleCount *c = &list.counts[i];

		c->day = pq_getmsgint(buf, 4);
		c->events = pq_getmsgint64(buf);
		c->censored = pq_getmsgint64(buf);
		if (c->events < 0 || c->censored < 0)
			spm_bad_binary(TYPE_NAME, "A count is negative.");
		add_to_total(&list, c);
	}
	pq_getmsgend(buf);
	if ((flaw = list_flaw(&list)) != NULL)
		spm_bad_binary(TYPE_NAME, psprintf("Its counts are impossible: %s.", flaw));
	store_list(s, &list);
	PG_RETURN_POINTER(s);
}

PG_FUNCTION_INFO_V1(spm_cycle_summary_send);
Datum
spm_cycle_summary_send(PG_FUNCTION_ARGS)
{
	const CycleSummary *s = summary_arg(fcinfo, 0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BINARY_VERSION);
	pq_sendint32(&buf, s->n);
	for (int32 i = 0; i < s->n; i++)
	{
		pq_sendint32(&buf, s->counts[i].day);
		pq_sendint64(&buf, s->counts[i].events);
		pq_sendint64(&buf, s->counts[i].censored);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------- transition */

/* days of one deal: 22023 unless 0 to SPM_CYCLE_MAX_DAY. */
static void
check_days(int32 days, const char *what)
{
	if (days < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what),
				 errdetail("The value given was %d.", days),
				 errhint("Pass close date - created date for a closed deal and as-of date - created date for an open one; a deal created after the as-of date has no age yet: leave it out.")));
	if (days > SPM_CYCLE_MAX_DAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be at most %d", what, SPM_CYCLE_MAX_DAY),
				 errdetail("The value given was %d.", days),
				 errhint("Pass a number of days; check the dates it was computed from.")));
}

/*
 * cycle_summary_accum(state, days, closed): add (sign 1) or remove (sign -1) one deal.  A
 * row with NULL days or closed is no deal and is skipped.
 */
static Datum
cycle_step(FunctionCallInfo fcinfo, int sign)
{
	CycleSummary *s;
	SpmCycleList list;
	int32		days;
	bool		closed;
	bool		found;
	SpmSurvivalStatus status;

	if (sign < 0 && PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a deal from an empty %s", TYPE_NAME),
				 errhint("%s", hint_inverse)));
	s = summary_arg_for_update(fcinfo, 0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	days = PG_GETARG_INT32(1);
	closed = PG_GETARG_BOOL(2);
	check_days(days, "days");
	list = list_of(s);
	if (sign > 0)
	{
		(void) spm_cycle_search(&list, days, &found);
		if (!found)
		{
			/* a new day: a summary with room for one more count */
			CycleSummary *grown = palloc(SUMMARY_SIZE(s->n + 1));

			memcpy(grown, s, SUMMARY_SIZE(s->n));
			s = grown;
			list = list_of(s);
		}
	}
	status = spm_cycle_add(&list, days, closed, sign);
	if (status == SPM_SURVIVAL_OVERFLOW)
		count_out_of_range();
	if (status == SPM_SURVIVAL_NOT_HELD)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a deal that %s does not hold", TYPE_NAME),
				 errdetail("It holds no %s deal of %d days.", closed ? "closed" : "open", days),
				 errhint("%s", hint_inverse)));
	store_list(s, &list);
	PG_RETURN_POINTER(s);
}

SPM_MOVING_TRANSITIONS(spm_cycle_summary_accum, spm_cycle_summary_accum_inv, cycle_step)

/* merge (sign 1) or unmerge (sign -1) argument 1 into argument 0 */
static Datum
cycle_merge(FunctionCallInfo fcinfo, int sign)
{
	const CycleSummary *a = summary_arg(fcinfo, 0);
	const CycleSummary *b = summary_arg(fcinfo, 1);
	SpmCycleList la = list_of(a);
	SpmCycleList lb = list_of(b);
	CycleSummary *out = summary_alloc(a->n + b->n);
	SpmCycleList lo = list_of(out);

	switch (spm_cycle_merge(&la, &lb, sign, &lo, spm_check_for_interrupts))
	{
		case SPM_SURVIVAL_OK:
			break;
		case SPM_SURVIVAL_OVERFLOW:
			count_out_of_range();
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot remove a cycle summary that was not added"),
					 errdetail("The summary removed holds deals that the other does not (" INT64_FORMAT " deals from " INT64_FORMAT ").",
							   b->total, a->total),
					 errhint("%s", hint_inverse)));
	}
	store_list(out, &lo);
	PG_RETURN_POINTER(out);
}

PG_FUNCTION_INFO_V1(spm_cycle_summary_merge);
Datum
spm_cycle_summary_merge(PG_FUNCTION_ARGS)
{
	return cycle_merge(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(spm_cycle_summary_unmerge);
Datum
spm_cycle_summary_unmerge(PG_FUNCTION_ARGS)
{
	return cycle_merge(fcinfo, -1);
}

/* ---------------------------------------------------------------- counts */

PG_FUNCTION_INFO_V1(spm_cycle_closed_count);
Datum
spm_cycle_closed_count(PG_FUNCTION_ARGS)
{
	SpmCycleList list = list_of(summary_arg(fcinfo, 0));

	PG_RETURN_INT64(spm_cycle_events(&list, spm_check_for_interrupts));
}

PG_FUNCTION_INFO_V1(spm_cycle_open_count);
Datum
spm_cycle_open_count(PG_FUNCTION_ARGS)
{
	SpmCycleList list = list_of(summary_arg(fcinfo, 0));

	PG_RETURN_INT64(list.total - spm_cycle_events(&list, spm_check_for_interrupts));
}

/* ---------------------------------------------------------------- the estimate */

/* A day argument (t, age, days): 22023 unless 0 or more. */
static int32
day_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	int32		t = PG_GETARG_INT32(argno);

	if (t < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what),
				 errdetail("The value given was %d.", t),
				 errhint("Pass a number of days, 0 or more.")));
	return t;
}

/* The Kaplan-Meier steps of list with after < day <= upto; *n gets how many. */
static SpmKmStep *
steps_of(const SpmCycleList *list, int32 after, int32 upto, size_t *n)
{
	SpmKmStep  *steps = palloc(Max(list->n, 1) * sizeof(SpmKmStep));

	*n = spm_km_steps(list, after, upto, steps, spm_check_for_interrupts);
	return steps;
}

/* product *= 1 - events / at_risk, rounded half away from zero to WORK_SCALE decimals */
static Numeric
times_factor(Numeric product, const SpmKmStep *step)
{
	return spm_numeric_round_ratio(spm_numeric_mul(product, int64_to_numeric(step->at_risk - step->events)),
								   int64_to_numeric(step->at_risk), WORK_SCALE);
}

/* The product of the factors of steps[0..n), to WORK_SCALE decimals. */
static Numeric
product_of(const SpmKmStep *steps, size_t n)
{
	Numeric		product = int64_to_numeric(1);

	for (size_t i = 0; i < n; i++)
	{
		product = times_factor(product, &steps[i]);
		if ((i + 1) % SPM_POLL_EVERY == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return product;
}

/* S(t) to WORK_SCALE decimals, or NULL when the estimate does not reach t. */
static Numeric
survival_at(const SpmCycleList *list, int32 t)
{
	size_t		n;
	SpmKmStep  *steps;

	if (!spm_km_defined(list, t))
		return NULL;
	steps = steps_of(list, -1, t, &n);
	return product_of(steps, n);
}

#define RETURN_PROBABILITY(value) \
	PG_RETURN_NUMERIC(spm_numeric_round((value), RESULT_SCALE))

/* survival(s, t): the share of deals still open after t days. */
PG_FUNCTION_INFO_V1(spm_survival);
Datum
spm_survival(PG_FUNCTION_ARGS)
{
	SpmCycleList list = list_of(summary_arg(fcinfo, 0));
	Numeric		s = survival_at(&list, day_arg(fcinfo, 1, "t"));

	if (s == NULL)
		PG_RETURN_NULL();
	RETURN_PROBABILITY(s);
}

/*
 * 1 - S(age + days) / S(age) to WORK_SCALE decimals: the product of the factors of the
 * steps after age, up to age + days.  NULL when S(age) is 0 or S(age + days) is not
 * defined.  close_within and spm.close_chance (stages.c) read it.
 */
Numeric
spm_cycle_close_within(Datum summary, int32 age, int32 days)
{
	SpmCycleList list = list_of(checked((CycleSummary *) PG_DETOAST_DATUM(summary)));
	int32		until;
	size_t		n;
	SpmKmStep  *steps;

	if (__builtin_add_overflow(age, days, &until))
		until = PG_INT32_MAX;
	if (!spm_km_defined(&list, until))
		return NULL;
	/* S(age) = 0 when a step up to age closed every deal at risk */
	steps = steps_of(&list, -1, age, &n);
	for (size_t i = 0; i < n; i++)
		if (steps[i].events == steps[i].at_risk)
			return NULL;
	steps = steps_of(&list, age, until, &n);
	return spm_numeric_sub(int64_to_numeric(1), product_of(steps, n));
}

/* close_within(s, age, days): the chance that a deal open at age closes within days. */
PG_FUNCTION_INFO_V1(spm_close_within);
Datum
spm_close_within(PG_FUNCTION_ARGS)
{
	int32		age = day_arg(fcinfo, 1, "age");
	int32		days = day_arg(fcinfo, 2, "days");
	Numeric		p = spm_cycle_close_within(PG_GETARG_DATUM(0), age, days);

	if (p == NULL)
		PG_RETURN_NULL();
	RETURN_PROBABILITY(p);
}

PG_FUNCTION_INFO_V1(spm_cycle_quantile);
Datum
spm_cycle_quantile(PG_FUNCTION_ARGS)
{
	SpmCycleList list = list_of(summary_arg(fcinfo, 0));
	Numeric		p = PG_GETARG_NUMERIC(1);
	Numeric		target;
	Numeric		product = int64_to_numeric(1);
	Numeric		tolerance = spm_numeric_pow10(-TIE_DIGITS);
	size_t		n;
	SpmKmStep  *steps;

	if (numeric_is_nan(p) || numeric_is_inf(p) || spm_numeric_sign(p) <= 0 ||
		spm_numeric_cmp(p, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("p must be greater than 0 and at most 1"),
				 errdetail("The value given was %s.", spm_numeric_text(p)),
				 errhint("Pass the share of deals closed as a fraction, e.g. 0.5 for the median.")));
	target = spm_numeric_add(spm_numeric_sub(int64_to_numeric(1), p), tolerance);
	steps = steps_of(&list, -1, SPM_CYCLE_MAX_DAY, &n);
	for (size_t i = 0; i < n; i++)
	{
		product = times_factor(product, &steps[i]);
		if (spm_numeric_cmp(product, target) <= 0)
			PG_RETURN_INT32(steps[i].day);
		if ((i + 1) % SPM_POLL_EVERY == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_NULL();
}

/* x rounded to WORK_SCALE decimals after fn (numeric_ln, numeric_exp, numeric_sqrt) at one more. */
static Numeric
call_at_work_scale(PGFunction fn, Numeric x)
{
	Numeric		rounded = spm_numeric_round(x, WORK_SCALE + 1);

	return spm_numeric_round(DatumGetNumeric(DirectFunctionCall1(fn, NumericGetDatum(rounded))),
							 WORK_SCALE);
}

/*
 * The bound of the Greenwood band on side sign (-1 lower, 1 upper), log-log transformed
 * (Kalbfleisch and Prentice): with V = sum events / (at_risk (at_risk - events)) over the
 * steps up to t (Greenwood: Var S(t) = S(t)^2 V) and sigma = sqrt(V) / |ln S(t)|, the bounds
 * are S(t) ^ exp(+- z sigma), inside [0, 1].  S(t) of 1 (no deal closed by t) or 0 (every
 * deal closed) is both bounds.  NULL when S(t) is not defined.
 */
static Datum
survival_bound(FunctionCallInfo fcinfo, int sign)
{
	SpmCycleList list = list_of(summary_arg(fcinfo, 0));
	int32		t = day_arg(fcinfo, 1, "t");
	int			scale;
	Numeric		z = spm_confidence_z(fcinfo, PG_GETARG_NUMERIC(2), &scale);
	Numeric		product = int64_to_numeric(1);
	Numeric		variance = int64_to_numeric(0);
	Numeric		log_s;
	Numeric		sigma;
	Numeric		power;
	size_t		n;
	SpmKmStep  *steps;

	if (!spm_km_defined(&list, t))
		PG_RETURN_NULL();
	steps = steps_of(&list, -1, t, &n);
	for (size_t i = 0; i < n; i++)
	{
		const SpmKmStep *step = &steps[i];

		product = times_factor(product, step);
		if (step->events == step->at_risk)
			RETURN_PROBABILITY(int64_to_numeric(0));
		variance = spm_numeric_add(variance,
								   spm_numeric_round_ratio(int64_to_numeric(step->events),
														   spm_numeric_mul(int64_to_numeric(step->at_risk),
																		   int64_to_numeric(step->at_risk - step->events)),
														   WORK_SCALE));
		if ((i + 1) % SPM_POLL_EVERY == 0)
			CHECK_FOR_INTERRUPTS();
	}
	if (n == 0)
		RETURN_PROBABILITY(int64_to_numeric(1));
	log_s = call_at_work_scale(numeric_ln, product);	/* < 0 */
	sigma = spm_numeric_round_ratio(call_at_work_scale(numeric_sqrt, variance), spm_numeric_abs(log_s),
									WORK_SCALE);
	power = call_at_work_scale(numeric_exp, spm_numeric_mul(z, sigma));
	/* lower: S ^ exp(z sigma) = exp(ln S * exp(z sigma)); upper: the exponent exp(-z sigma) */
	if (sign > 0)
		power = spm_numeric_round_ratio(int64_to_numeric(1), power, WORK_SCALE);
	RETURN_PROBABILITY(call_at_work_scale(numeric_exp, spm_numeric_mul(log_s, power)));
}

PG_FUNCTION_INFO_V1(spm_survival_lower);
Datum
spm_survival_lower(PG_FUNCTION_ARGS)
{
	return survival_bound(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(spm_survival_upper);
Datum
spm_survival_upper(PG_FUNCTION_ARGS)
{
	return survival_bound(fcinfo, 1);
}
