/*
 * effective.c: plans that change within a period (effective dating).
 *
 * spm.prorate_schedule gives a plan for part of its period: the amounts that hold for a
 * whole period, prorated by days (compensation_core.c, rounded once as spm.prorate_days).
 * spm.effective_deal_commission pays each deal at the plan in force on its close date,
 * the credit before it counted across a change of plan ('continue') or from the change
 * ('restart').  The tier math is commission.c's evaluator; this file reads the rows,
 * checks that their plan assignments do not overlap and words the errors.
 */
#include "tier_schedule.h"
#include "quota_core.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/memutils.h"

/* ---------------------------------------------------------------- proration */

/* [lo,hi) as PostgreSQL writes a daterange (ISO days, an open end left blank); lo = hi: empty. */
static char *
range_text(int32 lo, int32 hi)
{
	if (lo == hi)
		return "empty";
	return psprintf("[%s,%s)", lo == SPM_DAY_MIN ? "" : spm_iso_day(lo),
					hi == SPM_DAY_MAX ? "" : spm_iso_day(hi));
}

/* prorate_schedule(schedule, period, active, scale) */
PG_FUNCTION_INFO_V1(spm_prorate_schedule);
Datum
spm_prorate_schedule(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = spm_schedule_arg(fcinfo, 0);
	int			scale = PG_GETARG_INT32(3);
	int32		plo,
				phi,
				alo = 0,
				ahi = 0;
	int64		days = 0;
	bool		finite;
	SpmSchedule *out;
	SpmScheduleError err;
	SpmScheduleStatus status;

	spm_check_scale(scale);
	spm_period_days(fcinfo, 1, &plo, &phi);
	if (spm_range_days(fcinfo, PG_GETARG_DATUM(2), &alo, &ahi, &finite))
		days = spm_overlap_days(plo, phi, alo, ahi);
	if (days == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the active range has no day in the period"),
				 errdetail("Active %s, period %s.", range_text(alo, ahi), range_text(plo, phi)),
				 errhint("Prorate a plan for the assignments in force during the period: join on valid && period.")));
	out = palloc(VARSIZE(s));
	status = spm_schedule_prorate(s, days, (int64) phi - plo, scale, out, &err);
	if (status == SPM_SCHED_DUPLICATE)
	{
		char		threshold[64];

		spm_decimal_format(out->tiers[err.tier - 1].threshold, out->threshold_scale,
						   threshold, sizeof(threshold));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prorated to %lld of %lld days, tiers %d and %d of the tier schedule start at one threshold",
						(long long) days, (long long) (phi - plo), err.tier - 1, err.tier),
				 errdetail("Both start at %s once rounded to %d decimals.", threshold, scale),
				 errhint("Prorate to more decimals (the scale argument), or keep the whole period's schedule for so short a part.")));
	}
	if (status != SPM_SCHED_OK)
		elog(ERROR, "proration of a checked tier schedule failed with status %d", (int) status);
	PG_RETURN_POINTER(out);
}

/* ---------------------------------------------------------------- per-deal window */

typedef enum EffectiveRule
{
	RULE_NONE = 0,				/* no row read yet */
	RULE_CONTINUE,				/* credit counts across a change of plan */
	RULE_RESTART				/* credit counts from the start of each plan assignment */
} EffectiveRule;

/*
 * A window partition's state: the credit before the current row, the plan assignment
 * (segment) of the previous row with its evaluator, and the segments before it, which a
 * new segment must not overlap.
 */
typedef struct EffectiveWindow
{
	int64		next_pos;
	EffectiveRule rule;
	int			amount_scale;	/* the largest display scale so far, at least 2 */
	Numeric		credit;			/* the period's ('continue') or the segment's ('restart') */
	Numeric		paid;			/* commission on credit under the current segment's plan; NULL: not known */
	DateADT		last_date;
	bool		in_segment;
	int32		lo;				/* the current segment, [lo, hi) */
	int32		hi;
	SpmSchedule *schedule;		/* its plan and quota (NULL: none), copied */
	Numeric		quota;
	Evaluator  *e;
	int			nearlier;		/* the segments before it */
	int			room;
	int32	   *earlier_lo;
	int32	   *earlier_hi;
} EffectiveWindow;

static const char *const fn_name = "effective_deal_commission";

static void null_argument(const char *what, const char *hint) pg_attribute_noreturn();

static void
null_argument(const char *what, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("the %s of %s must not be NULL", what, fn_name),
			 errhint("%s", hint)));
}

/* The current row's argument argno, which must not be NULL. */
static Datum
row_arg(WindowObject win, int argno, const char *what, const char *hint)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(win, argno, &isnull);

	if (isnull)
		null_argument(what, hint);
	return value;
}

static EffectiveRule
rule_of(Datum rule)
{
	char	   *name = TextDatumGetCString(rule);

	if (strcmp(name, "continue") == 0)
		return RULE_CONTINUE;
	if (strcmp(name, "restart") == 0)
		return RULE_RESTART;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown rule \"%s\" for a change of plan", name),
			 errhint("Pass 'continue' (credit before the change counts toward the new plan's tiers) or 'restart' (each plan's tiers count from its start).")));
}

static const char *
rule_name(EffectiveRule rule)
{
	return rule == RULE_CONTINUE ? "continue" : "restart";
}

static void overlapping(int32 lo1, int32 hi1, int32 lo2, int32 hi2, const char *detail) pg_attribute_noreturn();

/* Two plan assignments of one partition share days: 23P01, as the exclusion constraint. */
static void
overlapping(int32 lo1, int32 hi1, int32 lo2, int32 hi2, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_EXCLUSION_VIOLATION),
			 errmsg("plan assignments %s and %s overlap", range_text(lo1, hi1), range_text(lo2, hi2)),
			 errdetail("%s", detail ? detail : psprintf("Both are in force in %s; a rep has one plan on a day.",
														range_text(Max(lo1, lo2), Min(hi1, hi2)))),
			 errhint("End one assignment the day the next begins; EXCLUDE USING gist (rep WITH =, valid WITH &&) keeps a table of assignments so.")));
}

/* The deal's close date: in window order, inside its assignment [lo, hi). */
static void
check_date(EffectiveWindow *w, DateADT date, int32 lo, int32 hi, int64 row)
{
	if (DATE_NOT_FINITE(date))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("close date must be a finite date"),
				 errdetail("Row %lld of the partition closes on %s.", (long long) row,
						   date == DATEVAL_NOBEGIN ? "-infinity" : "infinity"),
				 errhint("Filter out deals that have not closed.")));
	if (w->rule != RULE_NONE && date < w->last_date)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s takes deals in close date order", fn_name),
				 errdetail("Row %lld closes on %s, after a row closing on %s.", (long long) row,
						   spm_iso_day(date), spm_iso_day(w->last_date)),
				 errhint("Order the window by close date: OVER (PARTITION BY rep, period ORDER BY close_date, deal_id).")));
	if (date < lo || date >= hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("close date %s is outside its plan assignment %s", spm_iso_day(date), range_text(lo, hi)),
				 errdetail("Row %lld of the partition.", (long long) row),
				 errhint("Join each deal to the assignment in force on its close date: valid @> close_date.")));
	w->last_date = date;
}

/* Is the row's plan the current segment's? (Schedules are canonical bytes.) */
static bool
same_plan(const EffectiveWindow *w, const SpmSchedule *s, Numeric quota)
{
	return VARSIZE(s) == VARSIZE(w->schedule) && memcmp(s, w->schedule, VARSIZE(s)) == 0 &&
		(quota == NULL || spm_numeric_cmp(quota, w->quota) == 0);
}

/* The commission paid so far is to be computed again, under another plan or scale. */
static void
forget_paid(EffectiveWindow *w)
{
	if (w->paid)
		pfree(w->paid);
	w->paid = NULL;
}

/*
 * Move to the segment [lo, hi) with plan s and quota: it must not overlap the segments
 * before it.  Rows come in date order, so a segment once left never comes back.
 */
static void
start_segment(EffectiveWindow *w, int32 lo, int32 hi, const SpmSchedule *s, Numeric quota)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));
	int			i;

	if (w->in_segment)
	{
		if (w->nearlier == w->room)
		{
			w->room = w->room ? 2 * w->room : 4;
			w->earlier_lo = w->earlier_lo ? repalloc(w->earlier_lo, sizeof(int32) * w->room) : palloc(sizeof(int32) * w->room);
			w->earlier_hi = w->earlier_hi ? repalloc(w->earlier_hi, sizeof(int32) * w->room) : palloc(sizeof(int32) * w->room);
		}
		w->earlier_lo[w->nearlier] = w->lo;
		w->earlier_hi[w->nearlier++] = w->hi;
	}
	for (i = 0; i < w->nearlier; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (lo < w->earlier_hi[i] && w->earlier_lo[i] < hi)
			overlapping(w->earlier_lo[i], w->earlier_hi[i], lo, hi, NULL);
	}
	w->in_segment = true;
	w->lo = lo;
	w->hi = hi;
	w->schedule = palloc(VARSIZE(s));
	memcpy(w->schedule, s, VARSIZE(s));
	w->quota = quota ? DatumGetNumericCopy(NumericGetDatum(quota)) : NULL;
	w->e = spm_evaluator_new(w->schedule, w->quota, w->amount_scale);
	forget_paid(w);
	if (w->rule == RULE_RESTART)
	{
		pfree(w->credit);
		w->credit = int64_to_numeric(0);
	}
	MemoryContextSwitchTo(old);
}

/* An amount of more decimals than so far: commissions carry them from now on. */
static void
widen_scale(EffectiveWindow *w, int dscale)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));

	w->amount_scale = dscale;
	w->e = spm_evaluator_new(w->schedule, w->quota, w->amount_scale);
	forget_paid(w);
	MemoryContextSwitchTo(old);
}

/* The row's segment and plan: the current one, or the start of the next. */
static void
take_segment(FunctionCallInfo fcinfo, WindowObject win, EffectiveWindow *w, int64 row)
{
	int			nargs = PG_NARGS();
	Datum		valid = row_arg(win, 2, "plan assignment",
								"Join each deal to the assignment in force on its close date (valid @> close_date); a deal without one has no plan to be paid by.");
	Datum		date = row_arg(win, 1, "close date", "Filter out deals that have not closed.");
	SpmSchedule *s = DatumGetSchedule(row_arg(win, 3, "schedule", "Join each assignment to its plan's schedule."));
	Numeric		quota = nargs > 5 ? DatumGetNumeric(row_arg(win, 4, "quota", "Filter out assignments without a quota, or COALESCE it.")) : NULL;
	int32		lo = 0,
				hi = 0;
	bool		finite;
	SpmScheduleError err;

	if (!spm_range_days(fcinfo, valid, &lo, &hi, &finite))
		lo = hi = 0;			/* empty: no date is inside */
	check_date(w, DatumGetDateADT(date), lo, hi, row);
	if (w->in_segment && lo == w->lo && hi == w->hi)
	{
		if (!same_plan(w, s, quota))
			overlapping(lo, hi, lo, hi,
						psprintf("One range carries two plans: '%s'%s%s and '%s'%s%s.",
								 spm_schedule_text(w->schedule), w->quota ? " with quota " : "",
								 w->quota ? spm_numeric_text(w->quota) : "", spm_schedule_text(s),
								 quota ? " with quota " : "", quota ? spm_numeric_text(quota) : ""));
		return;
	}
	if (spm_schedule_check(s, VARSIZE(s), &err) != SPM_SCHED_OK)
		spm_report_schedule_error(&err, NULL, ERRCODE_DATA_CORRUPTED);
	/* the evaluator's own error would point at spm.commission's third argument */
	if (quota == NULL && (s->flags & (SPM_SCHED_OF_QUOTA | SPM_SCHED_CAP_TARGET)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("this tier schedule needs a quota"),
				 errdetail("Row %lld's plan '%s' is relative to quota.", (long long) row, spm_schedule_text(s)),
				 errhint("Pass each assignment's quota before the rule: spm.effective_deal_commission(amount, close_date, valid, schedule, quota, rule).")));
	start_segment(w, lo, hi, s, quota);
}

/*
 * effective_deal_commission(amount, close_date, valid, schedule [, quota], rule) OVER
 * (PARTITION BY rep, period ORDER BY close_date, deal_id): the commission of the plan in
 * force on the deal's date on the credit through the deal, less that on the credit before
 * it; under 'continue' the credit is the partition's so far, under 'restart' the deal's
 * segment's.  Within a segment the deals telescope to its plan's commission, as
 * deal_commission.  A NULL amount credits nothing and returns NULL, unread otherwise.
 */
PG_FUNCTION_INFO_V1(spm_effective_deal_commission);
Datum
spm_effective_deal_commission(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	EffectiveWindow *w = WinGetPartitionLocalMemory(win, sizeof(EffectiveWindow));
	int64		pos = WinGetCurrentPosition(win);
	EffectiveRule rule;
	bool		isnull;
	Datum		amount_datum;
	Numeric		amount;
	Numeric		before;
	Numeric		through;
	Numeric		paid;
	Numeric		result;
	MemoryContext old;

	if (pos != w->next_pos)
		elog(ERROR, "%s called out of row order", fn_name);
	w->next_pos++;
	amount_datum = WinGetFuncArgCurrent(win, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	rule = rule_of(row_arg(win, PG_NARGS() - 1, "rule", "Pass 'continue' or 'restart'."));
	if (w->rule == RULE_NONE)
	{
		w->amount_scale = 2;
		old = MemoryContextSwitchTo(GetMemoryChunkContext(w));
		w->credit = int64_to_numeric(0);
		MemoryContextSwitchTo(old);
	}
	else if (rule != w->rule)
		spm_differs_between_rows("rule", fn_name, rule_name(w->rule), rule_name(rule), pos + 1,
								 "Pass one rule for the whole period, e.g. a constant 'continue'.");
	take_segment(fcinfo, win, w, pos + 1);
	w->rule = rule;
	amount = DatumGetNumeric(amount_datum);
	spm_require_finite(amount, "amount");
	if (spm_numeric_dscale(amount) > w->amount_scale)
		widen_scale(w, spm_numeric_dscale(amount));
	before = w->paid ? w->paid : spm_evaluator_commission(w->e, w->credit);
	through = spm_numeric_add(w->credit, amount);
	paid = spm_evaluator_commission(w->e, through);
	result = spm_numeric_sub(paid, before);
	/* only the running values move to the partition's memory */
	forget_paid(w);
	pfree(w->credit);
	old = MemoryContextSwitchTo(GetMemoryChunkContext(w));
	w->credit = DatumGetNumericCopy(NumericGetDatum(through));
	w->paid = DatumGetNumericCopy(NumericGetDatum(paid));
	MemoryContextSwitchTo(old);
	PG_RETURN_NUMERIC(result);
}
