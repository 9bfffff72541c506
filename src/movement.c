/*
 * movement.c: pipeline movement between two snapshots, the waterfall of a period.
 *
 * spm.pipeline_waterfall is an SpmTally (tally.h) of twelve counts (rows, the period as
 * two YYYYMMDD numbers, the deals of each step) and nine exact sums (the amount of each
 * step).  Which step takes which amount of a deal is movement_core.c's; this file reads
 * the arguments, adds the amounts exactly (128-bit where the change fits, numeric
 * otherwise) and words the errors.  The period is constant within a summary: rows and
 * merged summaries of another period are refused.
 */
#include "spm.h"
#include "tally.h"
#include "movement_core.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/tuplestore.h"

/* The counts of spm.pipeline_waterfall: rows, the period, then one per step. */
enum
{
	ROWS, PERIOD_START, PERIOD_END, FIRST_STEP, NCOUNTS = FIRST_STEP + SPM_STEP_COUNT
};

static const char *const waterfall_names[NCOUNTS + SPM_STEP_COUNT] = {
	"rows", "period_start", "period_end",
	"opening", "new", "increased", "decreased", "pulled_in", "pushed_out", "won", "lost", "closing",
	"opening_amount", "new_amount", "increased_amount", "decreased_amount", "pulled_in_amount",
	"pushed_out_amount", "won_amount", "lost_amount", "closing_amount"
};
static const SpmTallyShape waterfall_shape = {"spm.pipeline_waterfall", NCOUNTS, SPM_STEP_COUNT, waterfall_names};

#define STEP_COUNT(t, k) spm_tally_get_count((t), FIRST_STEP + (k))

#define PERIOD_HINT "The period is [period_start, period_end): pass its first day and the day after its last, e.g. date '2024-07-01' and date '2024-10-01' for the third quarter of 2024."

/* ---------------------------------------------------------------- the period */

/* A date as YYYYMMDD, or -1 when it is infinite or before the year 1. */
static int64
date_code(DateADT date)
{
	int			y,
				m,
				d;

	if (DATE_NOT_FINITE(date))
		return -1;
	j2date(date + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y < 1)
		return -1;
	return (int64) y * 10000 + m * 100 + d;
}

/* A YYYYMMDD code as a date, false when it is not one date_code returns. */
static bool
code_date(int64 code, DateADT *date)
{
	int64		y = code / 10000;
	int			m = (int) (code / 100 % 100);
	int			d = (int) (code % 100);

	if (code <= 0 || y > 5874897 || !IS_VALID_JULIAN(y, m, d) || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	*date = date2j((int) y, m, d) - POSTGRES_EPOCH_JDATE;
	return IS_VALID_DATE(*date) && date_code(*date) == code;
}

/* A YYYYMMDD code as text, YYYY-MM-DD. */
static char *
code_text(int64 code)
{
	return psprintf("%04lld-%02d-%02d", (long long) (code / 10000), (int) (code / 100 % 100), (int) (code % 100));
}

/* Argument argno, a period bound: not NULL, finite, from the year 1 on; as YYYYMMDD. */
static int64
period_arg(FunctionCallInfo fcinfo, int argno, const char *what)
{
	DateADT		date;
	int64		code;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what),
				 errhint(PERIOD_HINT)));
	date = PG_GETARG_DATEADT(argno);
	code = date_code(date);
	if (code < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite date from the year 1 on", what),
				 errdetail("%s given was %s.", what,
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(date)))),
				 errhint(PERIOD_HINT)));
	return code;
}

/* Refuse a period of another period than the summary's (which holds rows). */
static void
check_same_period(const SpmTally *t, int64 start, int64 end, const char *fn)
{
	int64		t_start = spm_tally_get_count(t, PERIOD_START);
	int64		t_end = spm_tally_get_count(t, PERIOD_END);

	if (t_start != start || t_end != end)
		spm_differs_between_rows("period", fn,
								 psprintf("[%s, %s)", code_text(t_start), code_text(t_end)),
								 psprintf("[%s, %s)", code_text(start), code_text(end)),
								 0, "A waterfall is of one period: GROUP BY the period, or pass the same period_start and period_end on every row.");
}

/* ---------------------------------------------------------------- the type */

/*
 * What no waterfall can hold: negative counts or amounts; something without rows; an
 * invalid period; an amount without deals; more deals entering than rows; counts or
 * amounts that break the identity.
 */
static const char *
waterfall_flaw(const SpmTally *t)
{
	int64		rows = spm_tally_get_count(t, ROWS);
	DateADT		start,
				end;
	int			i,
				k;
	spm_int128	entered = 0;
	spm_int128	deals = 0;
	Numeric		amount = int64_to_numeric(0);

	for (i = 0; i < NCOUNTS; i++)
		if (spm_tally_get_count(t, i) < 0)
			return "a count is negative";
	for (k = 0; k < SPM_STEP_COUNT; k++)
		if (spm_tally_sum_sign(t, k) < 0)
			return "an amount is negative";
	if (rows == 0)
	{
		for (i = 1; i < NCOUNTS; i++)
			if (spm_tally_get_count(t, i) != 0)
				return psprintf("%s is not zero while rows is", waterfall_names[i]);
		for (k = 0; k < SPM_STEP_COUNT; k++)
			if (spm_tally_sum_sign(t, k) != 0)
				return psprintf("%s is not zero while rows is", waterfall_names[NCOUNTS + k]);
		return NULL;
	}
	if (!code_date(spm_tally_get_count(t, PERIOD_START), &start) ||
		!code_date(spm_tally_get_count(t, PERIOD_END), &end))
		return "a period bound is no date written YYYYMMDD";
	if (start >= end)
		return "period_end is not after period_start";
	for (k = 0; k < SPM_STEP_COUNT; k++)
	{
		if (STEP_COUNT(t, k) == 0 && spm_tally_sum_sign(t, k) != 0)
			return psprintf("%s is not zero while %s is", waterfall_names[NCOUNTS + k], waterfall_names[FIRST_STEP + k]);
		if (k != SPM_STEP_INCREASED && k != SPM_STEP_DECREASED)
			deals += (spm_int128) spm_movement_step_signs[k] * STEP_COUNT(t, k);
		if (spm_movement_step_signs[k] > 0 && k != SPM_STEP_INCREASED)
			entered += STEP_COUNT(t, k);
		if (spm_movement_step_signs[k] > 0)
			amount = spm_numeric_add(amount, spm_tally_get_sum(t, k));
		else if (spm_movement_step_signs[k] < 0)
			amount = spm_numeric_sub(amount, spm_tally_get_sum(t, k));
	}
	if (entered > rows)
		return "more deals enter the period (opening + new + pulled_in) than there are rows";
	if (STEP_COUNT(t, SPM_STEP_INCREASED) + (spm_int128) STEP_COUNT(t, SPM_STEP_DECREASED) > entered)
		return "more deals changed amount than entered the period";
	if (deals != STEP_COUNT(t, SPM_STEP_CLOSING))
		return "the deal counts break the identity opening + new + pulled_in - pushed_out - won - lost = closing";
	if (spm_numeric_cmp(amount, spm_tally_get_sum(t, SPM_STEP_CLOSING)) != 0)
		return "the amounts break the identity opening + new + increased - decreased + pulled_in - pushed_out - won - lost = closing";
	return NULL;
}

static void
check_waterfall(const SpmTally *t, int sqlstate)
{
	const char *flaw = waterfall_flaw(t);

	if (flaw)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid spm.pipeline_waterfall: %s", flaw),
				 errhint("Build waterfalls with spm.pipeline_waterfall(period_start, period_end, old_status, old_amount, old_close, new_status, new_amount, new_close) or spm.rollup(waterfall), not by hand.")));
}

PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_in);
Datum
spm_pipeline_waterfall_in(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_in(PG_GETARG_CSTRING(0), &waterfall_shape);

	check_waterfall(t, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_out);
Datum
spm_pipeline_waterfall_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_tally_out(spm_tally_arg(fcinfo, 0, &waterfall_shape), &waterfall_shape));
}

PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_recv);
Datum
spm_pipeline_waterfall_recv(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_recv((StringInfo) PG_GETARG_POINTER(0), &waterfall_shape);

	check_waterfall(t, ERRCODE_PROTOCOL_VIOLATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_send);
Datum
spm_pipeline_waterfall_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(spm_tally_send(spm_tally_arg(fcinfo, 0, &waterfall_shape), &waterfall_shape));
}

/* ---------------------------------------------------------------- transition */

/* One snapshot's side of a deal, as read from three arguments. */
typedef struct Side
{
	SpmMovementSide core;
	Numeric		amount;			/* packed; NULL when absent */
} Side;

#define SIDE_HINT(which) "Pass " which "_status 'open', 'won' or 'lost' with the deal's amount and close date, or all three NULL for a deal absent from the " which " snapshot (map CRM stages with CASE)."

/* Arguments first .. first + 2: status, amount, close of the snapshot which ("old" or "new"). */
static Side
read_side(FunctionCallInfo fcinfo, int first, const char *which)
{
	Side		s = {{SPM_DEAL_ABSENT, 0}, NULL};
	const char *hint = strcmp(which, "old") == 0 ? SIDE_HINT("old") : SIDE_HINT("new");
	char	   *status;

	if (PG_ARGISNULL(first))
	{
		if (!PG_ARGISNULL(first + 1) || !PG_ARGISNULL(first + 2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s_status must not be NULL for a deal with an amount or a close date", which),
					 errdetail("%s_status is NULL, %s_amount is %s, %s_close is %s.", which, which,
							   PG_ARGISNULL(first + 1) ? "NULL" : spm_numeric_text(SPM_GETARG_NUMERIC_PACKED(first + 1)),
							   which, PG_ARGISNULL(first + 2) ? "NULL" :
							   DatumGetCString(DirectFunctionCall1(date_out, PG_GETARG_DATUM(first + 2)))),
					 errhint("%s", hint)));
		return s;
	}
	status = text_to_cstring(PG_GETARG_TEXT_PP(first));
	if (strcmp(status, "open") == 0)
		s.core.state = SPM_DEAL_OPEN;
	else if (strcmp(status, "won") == 0)
		s.core.state = SPM_DEAL_WON;
	else if (strcmp(status, "lost") == 0)
		s.core.state = SPM_DEAL_LOST;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s_status must be 'open', 'won' or 'lost'", which),
				 errdetail("%s_status given was '%s'.", which, status),
				 errhint("%s", hint)));
	if (PG_ARGISNULL(first + 1) || PG_ARGISNULL(first + 2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s_%s must not be NULL for a deal in the %s snapshot", which,
						PG_ARGISNULL(first + 1) ? "amount" : "close", which),
				 errdetail("%s_status is '%s'.", which, status),
				 errhint("%s", hint)));
	s.amount = SPM_GETARG_NUMERIC_PACKED(first + 1);
	spm_require_not_negative(s.amount, psprintf("%s_amount", which), "Pass the deal's amount, zero or more.");
	s.core.close = PG_GETARG_DATEADT(first + 2);
	return s;
}

/*
 * The change new - old of a deal's two amounts: *cmp its sign, and in *change either a
 * 128-bit magnitude (*fixed true) or a numeric (*fixed false).
 */
typedef struct Change
{
	int			cmp;
	bool		fixed;
	spm_int128	units;
	int			scale;
	Numeric		value;
} Change;

static Change
change_of(Numeric old_amount, Numeric new_amount)
{
	Change		c = {0, false, 0, 0, NULL};
	spm_int128	o,
				n;
	int			os,
				ns;

	if (spm_numeric_to_fixed_dscale(old_amount, &o, &os) &&
		spm_numeric_to_fixed_dscale(new_amount, &n, &ns) &&
		spm_movement_change(o, os, n, ns, &c.units, &c.scale, &c.cmp) == SPM_MOVEMENT_OK)
	{
		c.fixed = true;
		return c;
	}
	c.value = spm_numeric_sub((Numeric) PG_DETOAST_DATUM(PointerGetDatum(new_amount)),
							  (Numeric) PG_DETOAST_DATUM(PointerGetDatum(old_amount)));
	c.cmp = spm_numeric_sign(c.value);
	c.value = spm_numeric_abs(c.value);
	return c;
}

/*
 * pipeline_waterfall_accum(state, period_start, period_end, old_status, old_amount,
 * old_close, new_status, new_amount, new_close): adds one deal.
 */
PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_accum);
Datum
spm_pipeline_waterfall_accum(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_arg_for_update(fcinfo, 0, &waterfall_shape);
	int64		start = period_arg(fcinfo, 1, "period_start");
	int64		end = period_arg(fcinfo, 2, "period_end");
	DateADT		start_date = PG_GETARG_DATEADT(1);
	DateADT		end_date = PG_GETARG_DATEADT(2);
	Side		old_side,
				new_side;
	Change		change = {0, false, 0, 0, NULL};
	SpmMovementTerm terms[SPM_STEP_COUNT];
	SpmMovementStatus status;
	int			k;

	if (spm_movement_check_period(start_date, end_date) != SPM_MOVEMENT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period_end must be after period_start"),
				 errdetail("period_start is %s, period_end is %s.", code_text(start), code_text(end)),
				 errhint(PERIOD_HINT)));
	if (spm_tally_get_count(t, ROWS) == 0)
	{
		spm_tally_count(t, PERIOD_START, start);
		spm_tally_count(t, PERIOD_END, end);
	}
	else
		check_same_period(t, start, end, "pipeline_waterfall");
	old_side = read_side(fcinfo, 3, "old");
	new_side = read_side(fcinfo, 6, "new");
	if (old_side.amount != NULL && new_side.amount != NULL)
		change = change_of(old_side.amount, new_side.amount);
	status = spm_movement_classify(old_side.core, new_side.core, start_date, end_date, change.cmp, terms);
	if (status == SPM_MOVEMENT_MISSING_OUTCOME)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a deal open in the old snapshot must be in the new one"),
				 errdetail("old_status is 'open' (amount %s, close %s); new_status is NULL.",
						   spm_numeric_text(old_side.amount),
						   DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(old_side.core.close)))),
				 errhint("Say how it left the pipeline: pass new_status 'won' or 'lost' with its final amount and close date (a deal deleted from the CRM as 'lost'); join the new snapshot with the closed deals, not only the open ones.")));
	Assert(status == SPM_MOVEMENT_OK);
	spm_tally_count(t, ROWS, 1);
	for (k = 0; k < SPM_STEP_COUNT; k++)
	{
		if (terms[k] == SPM_TERM_NONE)
			continue;
		spm_tally_count(t, FIRST_STEP + k, 1);
		if (terms[k] == SPM_TERM_OLD)
			t = spm_tally_add(t, k, old_side.amount, 1);
		else if (terms[k] == SPM_TERM_NEW)
			t = spm_tally_add(t, k, new_side.amount, 1);
		else if (change.fixed)
			t = spm_tally_add_fixed(t, k, change.units, change.scale, 1);
		else
			t = spm_tally_add(t, k, change.value, 1);
	}
	PG_RETURN_POINTER(t);
}

/*
 * merge(a, b): b's rows, deals and amounts added to a's; both must be of one period
 * (a summary without rows takes the other's).  The combine function of
 * pipeline_waterfall and the transition function of rollup.
 */
PG_FUNCTION_INFO_V1(spm_pipeline_waterfall_merge);
Datum
spm_pipeline_waterfall_merge(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_arg_for_update(fcinfo, 0, &waterfall_shape);
	const SpmTally *other = spm_tally_arg(fcinfo, 1, &waterfall_shape);
	int64		start = spm_tally_get_count(other, PERIOD_START);
	int64		end = spm_tally_get_count(other, PERIOD_END);
	bool		both = spm_tally_get_count(t, ROWS) > 0;

	if (spm_tally_get_count(other, ROWS) == 0)
		PG_RETURN_POINTER(t);
	if (both)
		check_same_period(t, start, end, "rollup");
	t = spm_tally_merge(t, other, 1);
	if (both)
	{
		/* the period was added twice */
		spm_tally_count(t, PERIOD_START, -start);
		spm_tally_count(t, PERIOD_END, -end);
	}
	PG_RETURN_POINTER(t);
}

/* ---------------------------------------------------------------- accessors */

/* The step named by argument argno. */
static int
step_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	int			k;

	for (k = 0; k < SPM_STEP_COUNT; k++)
		if (strcmp(name, spm_movement_step_names[k]) == 0)
			return k;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown waterfall step"),
			 errdetail("step given was '%s'.", name),
			 errhint("Pass one of 'opening', 'new', 'increased', 'decreased', 'pulled_in', 'pushed_out', 'won', 'lost', 'closing'.")));
	return 0;					/* not reached */
}

/* step_amount(waterfall, step): the exact amount of one step (zero or more). */
PG_FUNCTION_INFO_V1(spm_waterfall_step_amount);
Datum
spm_waterfall_step_amount(PG_FUNCTION_ARGS)
{
	const SpmTally *t = spm_tally_arg(fcinfo, 0, &waterfall_shape);

	PG_RETURN_NUMERIC(spm_tally_get_sum(t, step_arg(fcinfo, 1)));
}

/* step_deals(waterfall, step): the deals of one step. */
PG_FUNCTION_INFO_V1(spm_waterfall_step_deals);
Datum
spm_waterfall_step_deals(PG_FUNCTION_ARGS)
{
	const SpmTally *t = spm_tally_arg(fcinfo, 0, &waterfall_shape);

	PG_RETURN_INT64(STEP_COUNT(t, step_arg(fcinfo, 1)));
}

/*
 * waterfall_steps(waterfall): one row per step, in order: (step, deals, amount,
 * running_total).  amount is signed as the step counts (decreased, pushed_out, won and
 * lost negative); opening and closing are totals, and running_total after each step.
 */
PG_FUNCTION_INFO_V1(spm_waterfall_steps);
Datum
spm_waterfall_steps(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const SpmTally *t = spm_tally_arg(fcinfo, 0, &waterfall_shape);
	Numeric		running = NULL;
	int			k;

	InitMaterializedSRF(fcinfo, 0);
	for (k = 0; k < SPM_STEP_COUNT; k++)
	{
		Numeric		amount = spm_tally_get_sum(t, k);
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if (spm_movement_step_signs[k] < 0)
			amount = SPM_NUMERIC_CALL1(numeric_uminus, amount);
		running = (k == SPM_STEP_OPENING || k == SPM_STEP_CLOSING) ? amount :
			spm_numeric_add(running, amount);
		values[0] = CStringGetTextDatum(spm_movement_step_names[k]);
		values[1] = Int64GetDatum(STEP_COUNT(t, k));
		values[2] = NumericGetDatum(amount);
		values[3] = NumericGetDatum(running);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
