/*
 * commission.c: exact commission on a spm.tier_schedule: the scalar functions
 * (commission, pay curves, what-if, credit to the next tier), the payout-statement
 * lines of commission_explain, the per-deal window function deal_commission and the
 * group_commission aggregate with its state type.
 *
 * The math lives in compensation_core.c in 128-bit fixed point; when a value does not
 * fit (more than 38 digits), the same walk runs here in numeric arithmetic.  Nothing
 * passes through floating point and nothing is rounded, except the one division of a
 * pay curve's interpolation (numeric division, as in spm.attainment).  The type itself
 * is tier_schedule.c.
 */
#include "tier_schedule.h"
#include "tally.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

/* ---------------------------------------------------------------- evaluation */

/* A payout-statement line in numeric; tier 0 is the cap. */
typedef struct Line
{
	int			tier;
	Numeric		from;
	Numeric		to;				/* NULL: unbounded */
	Numeric		credited;
	Numeric		rate;
	Numeric		bonus;
	Numeric		commission;
	int			rate_tier;		/* tier whose rate applies, when caught up */
} Line;

/* A schedule with its quota, ready to evaluate amounts (tier_schedule.h names the type). */
struct Evaluator
{
	const SpmSchedule *s;
	Numeric		quota;			/* NULL when none was given */
	int			quota_scale;	/* its least scale (100000.00 counts as 100000) */
	bool		fast;			/* the fixed-point path is prepared */
	int			amount_scale;	/* of the amounts, and */
	int			result_scale;	/* of tier commissions, in either path (spm_prepare_scales) */
	SpmPrepared p;
	spm_int128 *bounds;
	/* the numeric path, built on first use */
	Numeric    *nbounds;
	Numeric		ncap;			/* NULL: no cap */
};

/* Quota as a count of units at its least scale; false if it does not fit. */
static bool
quota_units(Numeric quota, int scale, spm_int128 *units)
{
	return scale <= SPM_SCHEDULE_MAX_DIGITS && spm_numeric_to_fixed(quota, scale, units);
}

/* What a schedule needs of its quota: present, finite and positive. */
static void
check_quota(const SpmSchedule *s, Numeric quota)
{
	bool		needs = (s->flags & (SPM_SCHED_OF_QUOTA | SPM_SCHED_CAP_TARGET)) != 0;

	if (quota == NULL)
	{
		if (needs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("this tier schedule needs a quota"),
					 errdetail("Its %s.", (s->flags & SPM_SCHED_OF_QUOTA)
							   ? "thresholds are percentages of quota" : "cap is a multiple of the commission at quota"),
					 errhint("Pass the quota as the third argument, e.g. spm.commission(amount, schedule, quota).")));
		return;
	}
	spm_require_finite(quota, "quota");
	if (needs && spm_numeric_sign(quota) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota must be positive for this tier schedule"),
				 errdetail("The quota given was %s.", spm_numeric_text(quota)),
				 errhint("A schedule with thresholds or a cap relative to quota cannot apply to a zero or negative quota; filter such reps out or give them an amount-based schedule.")));
}

/*
 * Amounts count at least to the cent: a commission has the decimals of amount x rate,
 * the amount's display scale but at least 2, plus the schedule's rate scale.
 */
#define MIN_AMOUNT_SCALE 2

static int
scale_of_amount(Numeric amount)
{
	return Max(spm_numeric_dscale(amount), MIN_AMOUNT_SCALE);
}

/*
 * The scales of commissions of amounts of amount_scale places, from now on: set by
 * evaluator_init, and widened by a window whose amounts gain places (then the
 * fixed-point path stays as it was prepared: the caller has left it).
 */
static void
evaluator_set_scales(Evaluator *e, int amount_scale)
{
	spm_prepare_scales(e->s, e->quota_scale, e->quota != NULL,
					   amount_scale, &e->amount_scale, &e->result_scale);
}

/* Prepare e for amounts of amount_scale decimals (at least MIN_AMOUNT_SCALE). */
static void
evaluator_init(Evaluator *e, const SpmSchedule *s, Numeric quota, int amount_scale)
{
	spm_int128	q = 0;

	check_quota(s, quota);
	memset(e, 0, sizeof(*e));
	e->s = s;
	e->quota = quota;
	e->quota_scale = quota ? spm_numeric_min_scale(quota) : 0;
	e->bounds = palloc(sizeof(spm_int128) * SPM_PREPARED_ROOM(s->ntiers));
	evaluator_set_scales(e, amount_scale);
	if (s->kind == SPM_KIND_TIERS && (quota == NULL || quota_units(quota, e->quota_scale, &q)))
		e->fast = spm_prepare(s, q, e->quota_scale, quota != NULL, amount_scale, e->bounds,
							  &e->p) == SPM_CALC_OK;
}

/*
 * A value from the numeric path written with at least scale places, as the fixed-point
 * path writes it: the numeric walk never has more places; a cap or a zero may have fewer.
 * NULL stays NULL.
 */
static Numeric
padded(Numeric value, int scale)
{
	if (value && spm_numeric_dscale(value) < scale)
		return spm_numeric_round(value, scale);
	return value;
}

static Numeric
at_result_scale(const Evaluator *e, Numeric commission)
{
	return padded(commission, e->result_scale);
}

/* Statement lines from the numeric path, at the fixed-point path's scales. */
static void
lines_at_scales(const Evaluator *e, Line *lines, int n)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		lines[i].from = padded(lines[i].from, e->amount_scale);
		lines[i].to = padded(lines[i].to, e->amount_scale);
		lines[i].credited = padded(lines[i].credited, e->amount_scale);
		lines[i].bonus = padded(lines[i].bonus, e->result_scale);
		lines[i].commission = padded(lines[i].commission, e->result_scale);
	}
}

static bool
reaches(const SpmSchedule *s, Numeric amount, Numeric bound)
{
	return spm_tier_reached(s, spm_numeric_cmp(amount, bound));
}

/* The tier walk of spm_commission, in numeric arithmetic; capped applies the cap. */
static Numeric
numeric_commission(const Evaluator *e, Numeric amount, bool capped, Line *lines, int *nlines)
{
	const SpmSchedule *s = e->s;
	Numeric    *b = e->nbounds;
	Numeric		total = int64_to_numeric(0);
	bool		positive = spm_numeric_sign(amount) > 0;
	int			top = 0,
				catch_up,
				n = 0,
				i;

	while (positive && top + 1 < s->ntiers && reaches(s, amount, b[top + 1]))
		top++;
	catch_up = spm_catch_up_tier(s, top);
	for (i = 0; i <= top; i++)
	{
		int			rate_tier = i < catch_up ? catch_up : i;
		Numeric		credited = spm_numeric_sub(i < top ? b[i + 1] : amount, b[i]);
		Numeric		rate = spm_fixed_to_numeric(s->tiers[rate_tier].rate, s->rate_scale);
		Numeric		bonus = spm_fixed_to_numeric(s->tiers[i].bonus, s->money_scale);
		Numeric		line = spm_numeric_add(spm_numeric_mul(credited, rate), bonus);

		total = spm_numeric_add(total, line);
		if (lines)
			lines[n++] = (Line) {i + 1, b[i], i + 1 < s->ntiers ? b[i + 1] : NULL, credited, rate,
			bonus, line, rate_tier + 1};
	}
	if (capped && e->ncap && spm_numeric_cmp(total, e->ncap) > 0)
	{
		if (lines)
			lines[n++] = (Line) {0, NULL, NULL, NULL, NULL, NULL, spm_numeric_sub(e->ncap, total), 0};
		total = e->ncap;
	}
	if (nlines)
		*nlines = n;
	return total;
}

/* Build the numeric path once: thresholds as amounts, and the cap. */
static void
evaluator_numeric(Evaluator *e)
{
	const SpmSchedule *s = e->s;
	Numeric		quota;
	int			i;

	if (e->nbounds)
		return;
	/* the quota at its least scale, as spm_prepare_scales counts it (100000.00 is 100000) */
	quota = e->quota ? spm_numeric_trim_scale(e->quota) : NULL;
	e->nbounds = palloc(sizeof(Numeric) * s->ntiers);
	for (i = 0; i < s->ntiers; i++)
	{
		e->nbounds[i] = spm_fixed_to_numeric(s->tiers[i].threshold, s->threshold_scale);
		if (s->flags & SPM_SCHED_OF_QUOTA)
			e->nbounds[i] = spm_numeric_mul(e->nbounds[i], quota);
	}
	if (s->flags & SPM_SCHED_CAP)
		e->ncap = spm_fixed_to_numeric(s->cap, s->cap_scale);
	else if (s->flags & SPM_SCHED_CAP_TARGET)
		e->ncap = spm_numeric_mul(numeric_commission(e, quota, false, NULL, NULL),
								  spm_fixed_to_numeric(s->cap, s->cap_scale));
}

/* Fixed-point lines as numeric lines. */
static int
fixed_lines(const Evaluator *e, const SpmLine *fl, int n, Line *lines)
{
	const SpmSchedule *s = e->s;
	int			as = e->p.amount_scale,
				rs = e->p.result_scale,
				i;

	for (i = 0; i < n; i++)
	{
		const SpmLine *l = &fl[i];

		if (l->tier == 0)
			lines[i] = (Line) {0, NULL, NULL, NULL, NULL, NULL, spm_fixed_to_numeric(l->commission, rs), 0};
		else
			lines[i] = (Line) {l->tier, spm_fixed_to_numeric(l->from, as), l->has_to ? spm_fixed_to_numeric(l->to, as) : NULL,
				spm_fixed_to_numeric(l->credited, as), spm_fixed_to_numeric(s->tiers[l->rate_tier - 1].rate, s->rate_scale),
				spm_fixed_to_numeric(l->bonus, rs), spm_fixed_to_numeric(l->commission, rs), l->rate_tier};
	}
	return n;
}

/* Commission of amount; lines (room for ntiers + 1), when given, get the statement. */
static Numeric
evaluate(Evaluator *e, Numeric amount, Line *lines, int *nlines)
{
	spm_int128	units,
				commission;
	Numeric		total;

	spm_require_finite(amount, "amount");
	if (e->fast && spm_numeric_to_fixed(amount, e->p.amount_scale, &units))
	{
		SpmLine    *fl = lines ? palloc(sizeof(SpmLine) * (e->s->ntiers + 1)) : NULL;
		int			n = 0;

		if (spm_commission(&e->p, units, &commission, fl, &n) == SPM_CALC_OK)
		{
			if (lines)
				*nlines = fixed_lines(e, fl, n, lines);
			return spm_fixed_to_numeric(commission, e->p.result_scale);
		}
	}
	evaluator_numeric(e);
	total = numeric_commission(e, amount, true, lines, nlines);
	if (lines)
		lines_at_scales(e, lines, *nlines);
	return at_result_scale(e, total);
}

/*
 * A pay curve's payout: target * factor(amount / quota), the factor 0 below the first
 * point, linear between points, the last point's factor above it.  Between points it
 * is one numeric division: target * (f_k*D + (x - A_k)*(f_k1 - f_k)) / D, D = A_k1 - A_k.
 */
static Numeric
curve_payout(const SpmSchedule *s, Numeric amount, Numeric quota, Numeric target, Line *line)
{
	Numeric		points[SPM_SCHEDULE_MAX_TIERS];
	Numeric		factor = int64_to_numeric(0);
	Numeric		payout;
	int			k = -1,
				i;

	spm_require_finite(amount, "amount");
	spm_require_not_negative(target, "target incentive",
							 "Pass the payout at 100% of the curve, e.g. 20000; a clawback is a negative amount, not a negative target.");
	for (i = 0; i < s->ntiers; i++)
	{
		points[i] = spm_numeric_mul(spm_fixed_to_numeric(s->tiers[i].threshold, s->threshold_scale), quota);
		/* the boundary rule decides the first point; the curve is continuous after it */
		if (i == 0 ? reaches(s, amount, points[i]) : spm_numeric_cmp(amount, points[i]) >= 0)
			k = i;
	}
	if (k >= 0)
		factor = spm_fixed_to_numeric(s->tiers[k].rate, s->rate_scale);
	payout = spm_numeric_mul(target, factor);
	if (k >= 0 && k + 1 < s->ntiers && spm_numeric_cmp(amount, points[k]) != 0)
	{
		Numeric		span = spm_numeric_sub(points[k + 1], points[k]);
		Numeric		rise = spm_numeric_sub(spm_fixed_to_numeric(s->tiers[k + 1].rate, s->rate_scale), factor);
		Numeric		numerator = spm_numeric_add(spm_numeric_mul(factor, span),
												spm_numeric_mul(spm_numeric_sub(amount, points[k]), rise));

		factor = spm_numeric_div(numerator, span);
		payout = spm_numeric_div(spm_numeric_mul(target, numerator), span);
	}
	if (line)
		*line = (Line) {k + 1, k >= 0 ? points[k] : int64_to_numeric(0),
			k + 1 < s->ntiers ? points[k + 1] : NULL, amount, factor, int64_to_numeric(0), payout, k + 1};
	return payout;
}

/* The optional quota argument (argno), NULL when the function has no such argument. */
static Numeric
quota_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_NARGS() > argno ? PG_GETARG_NUMERIC(argno) : NULL;
}

static void
require_tiers(const SpmSchedule *s)
{
	if (s->kind == SPM_KIND_CURVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a pay curve pays a share of a target incentive"),
				 errhint("Call spm.commission(amount, curve, quota, target_incentive).")));
}

/* A target incentive needs a pay curve and its quota. */
static void
require_curve(const SpmSchedule *s, Numeric quota)
{
	if (s->kind != SPM_KIND_CURVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a target incentive applies to pay curves only"),
				 errhint("Drop the target incentive argument for a tier schedule: spm.commission(amount, schedule, quota).")));
	check_quota(s, quota);
}

/*
 * An evaluator of a tier schedule for other glue files: everything it will need is built
 * now, in the current memory context, so that evaluating later allocates only results.
 * s and quota must live as long as it does.
 */
Evaluator *
spm_evaluator_new(const SpmSchedule *s, Numeric quota, int amount_scale)
{
	Evaluator  *e = palloc(sizeof(Evaluator));

	require_tiers(s);
	evaluator_init(e, s, quota, Max(amount_scale, MIN_AMOUNT_SCALE));
	evaluator_numeric(e);
	return e;
}

Numeric
spm_evaluator_commission(Evaluator *e, Numeric credit)
{
	return evaluate(e, credit, NULL, NULL);
}

/* commission(amount, schedule [, quota]) */
PG_FUNCTION_INFO_V1(spm_commission_of);
Datum
spm_commission_of(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = spm_schedule_arg(fcinfo, 1);
	Evaluator	e;

	require_tiers(s);
	evaluator_init(&e, s, quota_arg(fcinfo, 2), scale_of_amount(PG_GETARG_NUMERIC(0)));
	PG_RETURN_NUMERIC(evaluate(&e, PG_GETARG_NUMERIC(0), NULL, NULL));
}

/* commission(amount, curve, quota, target_incentive) */
PG_FUNCTION_INFO_V1(spm_curve_commission);
Datum
spm_curve_commission(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = spm_schedule_arg(fcinfo, 1);
	Numeric		quota = PG_GETARG_NUMERIC(2);

	require_curve(s, quota);
	PG_RETURN_NUMERIC(curve_payout(s, PG_GETARG_NUMERIC(0), quota, PG_GETARG_NUMERIC(3), NULL));
}

/* commission_what_if(credit, deal, schedule [, quota]): what the deal adds now. */
PG_FUNCTION_INFO_V1(spm_commission_what_if);
Datum
spm_commission_what_if(PG_FUNCTION_ARGS)
{
	Numeric		credit = PG_GETARG_NUMERIC(0);
	Numeric		deal = PG_GETARG_NUMERIC(1);
	SpmSchedule *s = spm_schedule_arg(fcinfo, 2);
	Evaluator	e;
	Numeric		before;

	require_tiers(s);
	evaluator_init(&e, s, quota_arg(fcinfo, 3), Max(scale_of_amount(credit), scale_of_amount(deal)));
	before = evaluate(&e, credit, NULL, NULL);
	spm_require_finite(deal, "deal");
	PG_RETURN_NUMERIC(spm_numeric_sub(evaluate(&e, spm_numeric_add(credit, deal), NULL, NULL), before));
}

/*
 * credit_to_next_tier(credit, schedule [, quota]): the credit still needed to reach the
 * next tier (under the lower boundary rule, more than that); NULL in the top tier.
 */
PG_FUNCTION_INFO_V1(spm_credit_to_next_tier);
Datum
spm_credit_to_next_tier(PG_FUNCTION_ARGS)
{
	Numeric		credit = PG_GETARG_NUMERIC(0);
	SpmSchedule *s = spm_schedule_arg(fcinfo, 1);
	Evaluator	e;
	int			i;

	require_tiers(s);
	spm_require_finite(credit, "credit");
	evaluator_init(&e, s, quota_arg(fcinfo, 2), 0);
	evaluator_numeric(&e);
	for (i = 1; i < s->ntiers; i++)
		if (!reaches(s, credit, e.nbounds[i]))
			PG_RETURN_NUMERIC(spm_numeric_sub(e.nbounds[i], credit));
	PG_RETURN_NULL();
}

/*
 * commission_explain(amount, schedule [, quota [, target_incentive]]): one row per tier
 * touched, and one for the cap; the commissions add up to spm.commission.
 */
PG_FUNCTION_INFO_V1(spm_commission_explain);
Datum
spm_commission_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Numeric		amount = PG_GETARG_NUMERIC(0);
	SpmSchedule *s = spm_schedule_arg(fcinfo, 1);
	Line	   *lines = palloc(sizeof(Line) * (s->ntiers + 1));
	int			n = 1,
				i;

	if (s->kind == SPM_KIND_CURVE)
	{
		if (PG_NARGS() < 4)
			require_tiers(s);
		check_quota(s, PG_GETARG_NUMERIC(2));
		curve_payout(s, amount, PG_GETARG_NUMERIC(2), PG_GETARG_NUMERIC(3), &lines[0]);
	}
	else
	{
		Evaluator	e;

		evaluator_init(&e, s, quota_arg(fcinfo, 2), scale_of_amount(amount));
		evaluate(&e, amount, lines, &n);
	}
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < n; i++)
	{
		Line	   *l = &lines[i];
		Datum		values[8];
		bool		nulls[8] = {false};
		const char *note = l->tier == 0 ? "cap"
			: l->rate_tier != l->tier && s->kind == SPM_KIND_TIERS ? psprintf("caught up to tier %d's rate", l->rate_tier)
			: NULL;

		values[0] = Int32GetDatum(l->tier);
		nulls[0] = l->tier == 0;
		values[1] = NumericGetDatum(l->from);
		nulls[1] = l->from == NULL;
		values[2] = NumericGetDatum(l->to);
		nulls[2] = l->to == NULL;
		values[3] = NumericGetDatum(l->credited);
		nulls[3] = l->credited == NULL;
		values[4] = NumericGetDatum(l->rate);
		nulls[4] = l->rate == NULL;
		values[5] = NumericGetDatum(l->bonus);
		nulls[5] = l->bonus == NULL;
		values[6] = NumericGetDatum(l->commission);
		values[7] = note ? CStringGetTextDatum(note) : (Datum) 0;
		nulls[7] = note == NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- per-deal window */

/* How many rows apart deal_commission lets the window drop the rows before it. */
#define MARK_EVERY 64

/* A window partition's running credit and the commission paid on it so far. */
typedef struct DealWindow
{
	bool		started;
	int64		next_pos;
	SpmSchedule *schedule;		/* the partition's, copied */
	Numeric		quota;			/* copied; NULL without one */
	Numeric		target;			/* a pay curve's target incentive, copied; else NULL */
	Evaluator	e;
	bool		fast;			/* running values in fixed point */
	spm_int128	credit;			/* at e.p.amount_scale */
	spm_int128	paid;			/* at e.p.result_scale */
	Numeric		ncredit;		/* the same in numeric once fixed point does not fit */
	Numeric		npaid;
	bool		plan_constant;	/* schedule, quota and target are constants or parameters */
} DealWindow;

static void null_in_partition(const char *what) pg_attribute_noreturn();

static void
null_in_partition(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("the %s of deal_commission must not be NULL", what),
			 errhint("Filter out rows without a %s, or COALESCE it.", what)));
}

static const char *const commission_group_hint =
"PARTITION BY (or GROUP BY) the rep and the plan period, so that every row of a group carries the same schedule, quota and target incentive.";

/* A schedule datum's canonical text, quoted, for messages. */
static const char *
quoted_schedule(const SpmSchedule *s)
{
	return psprintf("'%s'", spm_schedule_text(s));
}

/*
 * Does the datum hold the same bytes as kept?  Read as stored (a short header is not
 * copied into a long one): this runs for every row of a window or group.
 */
static bool
same_bytes(const void *kept, Datum d)
{
	struct varlena *other = PG_DETOAST_DATUM_PACKED(d);
	Size		len = VARSIZE_ANY_EXHDR(other);

	return len == VARSIZE_ANY_EXHDR(kept) && memcmp(VARDATA_ANY(other), VARDATA_ANY(kept), len) == 0;
}

/* Does the schedule datum hold the same value as s? (Schedules are canonical bytes.) */
static bool
same_schedule(const SpmSchedule *s, Datum d)
{
	return same_bytes(s, d);
}

/* Is the numeric datum equal to kept: the same bytes, or else the same value (100 = 100.00)? */
static bool
same_numeric(Numeric kept, Datum d)
{
	return same_bytes(kept, d) || spm_numeric_cmp(kept, DatumGetNumeric(d)) == 0;
}

/* The current row's argument argno, which must not be NULL. */
static Datum
deal_window_arg(WindowObject win, int argno, const char *what)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(win, argno, &isnull);

	if (isnull)
		null_in_partition(what);
	return value;
}

/* Take the partition's schedule, quota and target from its first row. */
static void
deal_window_start(DealWindow *w, Datum schedule, Numeric quota, Numeric target)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));
	SpmSchedule *s = DatumGetSchedule(schedule);
	SpmScheduleError err;

	if (spm_schedule_check(s, VARSIZE(s), &err) != SPM_SCHED_OK)
		spm_report_schedule_error(&err, NULL, ERRCODE_DATA_CORRUPTED);
	if (target)
		require_curve(s, quota);
	else
		require_tiers(s);
	w->schedule = palloc(VARSIZE(s));
	memcpy(w->schedule, s, VARSIZE(s));
	w->quota = quota ? DatumGetNumericCopy(NumericGetDatum(quota)) : NULL;
	w->target = target ? DatumGetNumericCopy(NumericGetDatum(target)) : NULL;
	if (!target)
	{
		evaluator_init(&w->e, w->schedule, w->quota, MIN_AMOUNT_SCALE);
		/* worth its set-up only here, where it serves every deal of the partition */
		if (w->e.fast)
			spm_prepare_direct(&w->e.p);
		evaluator_numeric(&w->e);
		w->fast = w->e.fast;
	}
	w->ncredit = int64_to_numeric(0);
	w->npaid = int64_to_numeric(0);
	w->started = true;
	MemoryContextSwitchTo(old);
}

/*
 * The current row's schedule, quota and target: the partition's, checked on every row
 * unless all three are constants (or parameters), which the first row takes.
 */
static void
deal_window_start_or_check(FunctionCallInfo fcinfo, WindowObject win, DealWindow *w)
{
	int			nargs = PG_NARGS();
	int			argno;
	int64		row = WinGetCurrentPosition(win) + 1;	/* 1-based, for messages */
	Datum		schedule = deal_window_arg(win, 1, "schedule");
	Datum		quota = nargs > 2 ? deal_window_arg(win, 2, "quota") : (Datum) 0;
	Datum		target = nargs > 3 ? deal_window_arg(win, 3, "target incentive") : (Datum) 0;

	if (!w->started)
	{
		deal_window_start(w, schedule, nargs > 2 ? DatumGetNumeric(quota) : NULL,
						  nargs > 3 ? DatumGetNumeric(target) : NULL);
		w->plan_constant = true;
		for (argno = 1; argno < nargs; argno++)
			w->plan_constant &= get_fn_expr_arg_stable(fcinfo->flinfo, argno);
	}
	else if (!same_schedule(w->schedule, schedule))
		spm_differs_between_rows("schedule", "deal_commission", quoted_schedule(w->schedule),
								 quoted_schedule(DatumGetSchedule(schedule)), row, commission_group_hint);
	else if (nargs > 2 && !same_numeric(w->quota, quota))
		spm_differs_between_rows("quota", "deal_commission", spm_numeric_text(w->quota),
								 spm_numeric_text(DatumGetNumeric(quota)), row, commission_group_hint);
	else if (nargs > 3 && !same_numeric(w->target, target))
		spm_differs_between_rows("target incentive", "deal_commission", spm_numeric_text(w->target),
								 spm_numeric_text(DatumGetNumeric(target)), row, commission_group_hint);
}

/* Leave fixed point for good: the running values move to numeric. */
static void
deal_window_to_numeric(DealWindow *w)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));

	w->ncredit = spm_fixed_to_numeric(w->credit, w->e.p.amount_scale);
	w->npaid = spm_fixed_to_numeric(w->paid, w->e.p.result_scale);
	w->fast = false;
	MemoryContextSwitchTo(old);
}

/* This deal's commission in fixed point; false when it does not fit. */
static bool
deal_window_fast(DealWindow *w, Numeric amount, Numeric *result)
{
	spm_int128	units,
				credit,
				paid,
				earned;
	int			dscale;

	/* an amount of more places leaves fixed point: its commissions carry them */
	if (!spm_numeric_to_fixed_dscale(amount, &units, &dscale) ||
		dscale > w->e.p.amount_scale ||
		(dscale < w->e.p.amount_scale && !spm_scale_up_128(&units, w->e.p.amount_scale - dscale)) ||
		__builtin_add_overflow(w->credit, units, &credit) ||
		(w->e.p.direct ? spm_commission_direct(&w->e.p, credit, &paid)
		 : spm_commission(&w->e.p, credit, &paid, NULL, NULL)) != SPM_CALC_OK ||
		__builtin_sub_overflow(paid, w->paid, &earned))
		return false;
	*result = spm_fixed_to_numeric(earned, w->e.p.result_scale);
	w->credit = credit;
	w->paid = paid;
	return true;
}

/*
 * This deal's commission in numeric.  The work runs in the per-row context; only the
 * running credit and paid amount move to the partition's memory.
 */
static Numeric
deal_window_numeric(DealWindow *w, Numeric amount)
{
	Numeric		credit = spm_numeric_add(w->ncredit, amount);
	Numeric		paid;
	Numeric		result;
	MemoryContext old;

	if (w->target)
		paid = curve_payout(w->schedule, credit, w->quota, w->target, NULL);
	else
	{
		/* the largest display scale so far sets the scale, as in the aggregate */
		evaluator_set_scales(&w->e, Max(w->e.amount_scale, spm_numeric_dscale(amount)));
		paid = at_result_scale(&w->e, numeric_commission(&w->e, credit, true, NULL, NULL));
	}
	result = spm_numeric_sub(paid, w->npaid);
	old = MemoryContextSwitchTo(GetMemoryChunkContext(w));

	pfree(w->ncredit);
	pfree(w->npaid);
	w->ncredit = DatumGetNumericCopy(NumericGetDatum(credit));
	w->npaid = DatumGetNumericCopy(NumericGetDatum(paid));
	MemoryContextSwitchTo(old);
	return result;
}

/*
 * deal_commission(amount, schedule [, quota [, target]]) OVER (PARTITION BY rep, period
 * ORDER BY close_date, deal_id): commission (or a pay curve's payout) on the credit
 * through this deal minus that on the credit before it.  Rows are taken in the order the window sort delivers them
 * (peers too), so over a partition the results sum exactly to the commission on its
 * total.  A NULL amount credits nothing and returns NULL.
 */
PG_FUNCTION_INFO_V1(spm_deal_commission);
Datum
spm_deal_commission(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	DealWindow *w = WinGetPartitionLocalMemory(win, sizeof(DealWindow));
	int64		pos = WinGetCurrentPosition(win);
	bool		isnull;
	Datum		amount_datum;
	Numeric		amount;
	Numeric		result;

	if (pos != w->next_pos)
		elog(ERROR, "deal_commission called out of row order");
	w->next_pos++;
	/*
	 * No earlier row is read again: the window may drop them (else a partition spills
	 * to disk).  Marking costs about as much as the commission itself, so it is done
	 * once every MARK_EVERY rows, holding that many rows at most.
	 */
	if (pos % MARK_EVERY == 0)
		WinSetMarkPosition(win, pos);
	if (!w->plan_constant)
		deal_window_start_or_check(fcinfo, win, w);
	amount_datum = WinGetFuncArgCurrent(win, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	/* packed as stored: the fixed-point decoder reads it without a copy */
	amount = (Numeric) PG_DETOAST_DATUM_PACKED(amount_datum);
	if (w->fast && deal_window_fast(w, amount, &result))
		PG_RETURN_NUMERIC(result);
	spm_require_finite(amount, "amount");
	if (w->fast)
		deal_window_to_numeric(w);
	PG_RETURN_NUMERIC(deal_window_numeric(w, DatumGetNumeric(amount_datum)));
}

/* ---------------------------------------------------------------- group aggregate */

static const char *const state_field_names[] = {"credit"};
static const SpmTallyShape state_shape = {"spm.commission_state", 0, 1, state_field_names};

#define STATE_VERSION 1

/*
 * The aggregate's state: the group's schedule and quota, and the exact sum of its
 * credit as an SpmTally (last, so the rest is copied only when the tally grows).
 */
typedef struct CommissionState
{
	int32		vl_len_;
	uint8		version;
	uint8		has_quota;
	uint16		reserved;
	uint32		quota_off;
	uint32		schedule_off;
	uint32		tally_off;
} CommissionState;

static const SpmSchedule *
state_schedule(const CommissionState *st)
{
	return (const SpmSchedule *) ((const char *) st + st->schedule_off);
}

static Numeric
state_quota(const CommissionState *st)
{
	return st->has_quota ? (Numeric) ((char *) st + st->quota_off) : NULL;
}

static SpmTally *
state_tally(const CommissionState *st)
{
	return (SpmTally *) ((char *) st + st->tally_off);
}

static CommissionState *
state_build(const SpmSchedule *s, Numeric quota, const SpmTally *tally)
{
	Size		quota_off = MAXALIGN(sizeof(CommissionState));
	Size		schedule_off = quota_off + (quota ? MAXALIGN(VARSIZE(quota)) : 0);
	Size		tally_off = schedule_off + MAXALIGN(VARSIZE(s));
	Size		size = tally_off + VARSIZE(tally);
	CommissionState *st = palloc0(size);

	SET_VARSIZE(st, size);
	st->version = STATE_VERSION;
	st->has_quota = quota != NULL;
	st->quota_off = quota ? quota_off : 0;
	st->schedule_off = schedule_off;
	st->tally_off = tally_off;
	if (quota)
		memcpy((char *) st + quota_off, quota, VARSIZE(quota));
	memcpy((char *) st + schedule_off, s, VARSIZE(s));
	memcpy((char *) st + tally_off, tally, VARSIZE(tally));
	return st;
}

/* Check a state's layout before any part of it is read. */
static CommissionState *
state_checked(CommissionState *st, int sqlstate)
{
	Size		size = VARSIZE(st);
	SpmScheduleError err;

	/* each part lies inside the value, in order, its own size fitting its slot */
	if (size < MAXALIGN(sizeof(CommissionState)) || st->version != STATE_VERSION ||
		st->has_quota > 1 || st->schedule_off < MAXALIGN(sizeof(CommissionState)) ||
		st->tally_off <= st->schedule_off || st->tally_off + VARHDRSZ > size ||
		(st->has_quota && (st->quota_off != MAXALIGN(sizeof(CommissionState)) ||
						   VARSIZE(state_quota(st)) > st->schedule_off - st->quota_off)) ||
		VARSIZE(state_schedule(st)) > st->tally_off - st->schedule_off ||
		VARSIZE(state_tally(st)) != size - st->tally_off ||
		spm_schedule_check(state_schedule(st), VARSIZE(state_schedule(st)), &err) != SPM_SCHED_OK)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("corrupted spm.commission_state value"),
				 errdetail("Its version, layout or schedule do not match this version of spm.")));
	return st;
}

/* The state argument: in place when the aggregate owns it, otherwise a copy. */
static CommissionState *
state_for_update(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(argno);

	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(raw))
		return (CommissionState *) raw;
	return state_checked((CommissionState *) PG_DETOAST_DATUM_COPY(PointerGetDatum(raw)),
						 ERRCODE_DATA_CORRUPTED);
}

/* Every row of a group must carry the state's schedule and quota. */
static void
state_check_same(const CommissionState *st, Datum schedule, Numeric quota)
{
	if (!same_schedule(state_schedule(st), schedule))
		spm_differs_between_rows("schedule", "group_commission", quoted_schedule(state_schedule(st)),
								 quoted_schedule(DatumGetSchedule(schedule)), 0, commission_group_hint);
	if ((quota == NULL) != (state_quota(st) == NULL) ||
		(quota && spm_numeric_cmp(quota, state_quota(st)) != 0))
		spm_differs_between_rows("quota", "group_commission",
								 state_quota(st) ? spm_numeric_text(state_quota(st)) : "none",
								 quota ? spm_numeric_text(quota) : "none", 0, commission_group_hint);
}

/* The tally may have grown into a new one: rebuild around it. */
static CommissionState *
state_with_tally(CommissionState *st, SpmTally *old, SpmTally *updated)
{
	if (updated == old)
		return st;
	return state_build(state_schedule(st), state_quota(st), updated);
}

/*
 * commission_accum(state, amount, schedule [, quota]) adds a row (sign 1); its inverse
 * removes one that leaves a moving window (sign -1), or returns NULL so the window
 * recomputes when the credit's display scale may shrink (see tally.h).
 */
static Datum
commission_step(FunctionCallInfo fcinfo, int sign)
{
	CommissionState *st = PG_ARGISNULL(0) ? NULL : state_for_update(fcinfo, 0);
	Numeric		quota = NULL;
	Numeric		amount;
	SpmTally   *tally;
	SpmTally   *updated;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the schedule of group_commission must not be NULL"),
				 errhint("Filter out rows without a plan, or COALESCE the schedule.")));
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the quota of group_commission must not be NULL"),
					 errhint("Filter out reps without a quota, or COALESCE it.")));
		quota = PG_GETARG_NUMERIC(3);
	}
	if (st == NULL)
	{
		SpmSchedule *s = spm_schedule_arg(fcinfo, 2);

		require_tiers(s);
		check_quota(s, quota);
		st = state_build(s, quota, spm_tally_create(&state_shape));
	}
	else
		state_check_same(st, PG_GETARG_DATUM(2), quota);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	/* packed as stored: the tally decodes it without a copy */
	amount = SPM_GETARG_NUMERIC_PACKED(1);
	spm_require_finite(amount, "amount");
	tally = state_tally(st);
	updated = spm_tally_add(tally, 0, amount, sign);
	if (updated == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state_with_tally(st, tally, updated));
}

SPM_MOVING_TRANSITIONS(spm_commission_accum, spm_commission_accum_inv, commission_step)

PG_FUNCTION_INFO_V1(spm_commission_combine);
Datum
spm_commission_combine(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_for_update(fcinfo, 0);
	CommissionState *other = state_checked((CommissionState *) PG_GETARG_VARLENA_P(1),
										   ERRCODE_DATA_CORRUPTED);
	SpmTally   *tally = state_tally(st);

	state_check_same(st, PointerGetDatum(state_schedule(other)), state_quota(other));
	PG_RETURN_POINTER(state_with_tally(st, tally, spm_tally_merge(tally, state_tally(other), 1)));
}

PG_FUNCTION_INFO_V1(spm_commission_final);
Datum
spm_commission_final(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	Numeric		credit = spm_tally_get_sum(state_tally(st), 0);
	Evaluator	e;

	evaluator_init(&e, state_schedule(st), state_quota(st), scale_of_amount(credit));
	PG_RETURN_NUMERIC(evaluate(&e, credit, NULL, NULL));
}

/* Text: "(credit=1234.50) quota=100000 schedule=marginal; from 0 rate 8%". */
PG_FUNCTION_INFO_V1(spm_commission_state_out);
Datum
spm_commission_state_out(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, spm_tally_out(state_tally(st), &state_shape));
	if (state_quota(st))
		appendStringInfo(&buf, " quota=%s", spm_numeric_out(state_quota(st)));
	appendStringInfo(&buf, " schedule=%s", spm_schedule_text(state_schedule(st)));
	PG_RETURN_CSTRING(buf.data);
}

static void
bad_state_text(const char *str) pg_attribute_noreturn();

static void
bad_state_text(const char *str)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type spm.commission_state: \"%s\"", str),
			 errhint("Write the credit, the quota if any and the schedule, e.g. '(credit=1234.50) quota=100000 schedule=marginal; from 0 rate 8%%'.")));
}

PG_FUNCTION_INFO_V1(spm_commission_state_in);
Datum
spm_commission_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *close = strchr(str, ')');
	char	   *rest;
	char	   *schedule;
	Numeric		quota = NULL;
	SpmSchedule *s;

	if (close == NULL || (schedule = strstr(close, " schedule=")) == NULL)
		bad_state_text(str);
	rest = close + 1;
	if (strncmp(rest, " quota=", 7) == 0 && rest + 7 < schedule)
		quota = spm_numeric_in(pnstrdup(rest + 7, schedule - rest - 7));
	else if (rest != schedule)
		bad_state_text(str);
	s = spm_schedule_from_text(schedule + strlen(" schedule="), ERRCODE_INVALID_TEXT_REPRESENTATION);
	if (quota)
		check_quota(s, quota);
	PG_RETURN_POINTER(state_build(s, quota, spm_tally_in(pnstrdup(str, close - str + 1), &state_shape)));
}

/* A length-prefixed part of a binary value. */
static void
send_part(StringInfo buf, bytea *part)
{
	pq_sendint32(buf, VARSIZE_ANY_EXHDR(part));
	pq_sendbytes(buf, VARDATA_ANY(part), VARSIZE_ANY_EXHDR(part));
}

/* The next length-prefixed part, as a buffer of its own (length checked). */
static void
recv_part(StringInfo buf, StringInfo part)
{
	int			len = pq_getmsgint(buf, 4);

	if (len < 0 || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid binary spm.commission_state"),
				 errdetail("A part claims %d bytes; %d are left.", len, buf->len - buf->cursor)));
	part->data = (char *) pq_getmsgbytes(buf, len);
	part->len = len;
	part->maxlen = len;
	part->cursor = 0;
}

PG_FUNCTION_INFO_V1(spm_commission_state_send);
Datum
spm_commission_state_send(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	StringInfoData buf;
	StringInfoData schedule;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STATE_VERSION);
	pq_sendbyte(&buf, st->has_quota);
	if (st->has_quota)
		send_part(&buf, DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(state_quota(st)))));
	pq_begintypsend(&schedule);
	spm_schedule_send(&schedule, state_schedule(st));
	send_part(&buf, pq_endtypsend(&schedule));
	send_part(&buf, spm_tally_send(state_tally(st), &state_shape));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(spm_commission_state_recv);
Datum
spm_commission_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	StringInfoData part;
	Numeric		quota = NULL;
	SpmSchedule *s;
	SpmTally   *tally;
	int			version = pq_getmsgbyte(buf);
	int			has_quota = pq_getmsgbyte(buf);

	if (version != STATE_VERSION || has_quota > 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid binary spm.commission_state"),
				 errdetail("Version %d with quota flag %d; this spm reads version %d.", version, has_quota, STATE_VERSION)));
	if (has_quota)
	{
		recv_part(buf, &part);
		quota = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&part),
													ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	recv_part(buf, &part);
	s = spm_schedule_recv(&part);
	if (quota)
		check_quota(s, quota);
	recv_part(buf, &part);
	tally = spm_tally_recv(&part, &state_shape);
	PG_RETURN_POINTER(state_build(s, quota, tally));
}
