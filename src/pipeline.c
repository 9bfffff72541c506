/*
 * pipeline.c: win rates, the deal summary (its aggregate, accessors, rollup, equality),
 * smoothing toward a prior, sales velocity, pipeline coverage and funnels.
 *
 * Ratios are plain numeric divisions, exact to numeric's division scale.  Wilson
 * bounds and the normal quantile are wilson.c; counting belongs to tally.c and funnel
 * counting to pipeline_core.c, not here.
 */
#include "spm.h"
#include "tally.h"
#include "pipeline.h"
#include "pipeline_core.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "access/htup_details.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/typcache.h"


/* A rate argument: finite, from 0 to 1. */
static void
check_rate(Numeric rate, const char *what)
{
	spm_require_finite(rate, what);
	if (spm_numeric_sign(rate) < 0 || spm_numeric_cmp(rate, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and 1", what),
				 errdetail("The value given was %s.", spm_numeric_text(rate)),
				 errhint("Pass a rate as a fraction, e.g. 0.25 for 25%%.")));
}

/* What a numeric argument must be. */
typedef enum ArgRule
{
	ARG_FINITE,
	ARG_NOT_NEGATIVE,			/* an amount or count: finite and zero or more */
	ARG_RATE					/* a fraction from 0 to 1 */
} ArgRule;

typedef struct NumericArg
{
	const char *name;
	ArgRule		rule;
} NumericArg;

/* Arguments first .. first + n - 1, numerics named and checked by spec, into args. */
static void
checked_numerics(FunctionCallInfo fcinfo, int first, const NumericArg *spec, int n,
				 Numeric *args)
{
	int			i;

	for (i = 0; i < n; i++)
	{
		args[i] = PG_GETARG_NUMERIC(first + i);
		if (spec[i].rule == ARG_RATE)
			check_rate(args[i], spec[i].name);
		else if (spec[i].rule == ARG_NOT_NEGATIVE)
			spm_require_not_negative(args[i], spec[i].name, "Pass zero or more.");
		else
			spm_require_finite(args[i], spec[i].name);
	}
}

/* smoothed_win_rate(won, closed, prior_rate, prior_weight) = (won + rate * weight) / (closed + weight) */
PG_FUNCTION_INFO_V1(spm_smoothed_win_rate);
Datum
spm_smoothed_win_rate(PG_FUNCTION_ARGS)
{
	static const NumericArg spec[] = {{"prior_rate", ARG_RATE}, {"prior_weight", ARG_NOT_NEGATIVE}};
	int64		won = PG_GETARG_INT64(0);
	int64		closed = PG_GETARG_INT64(1);
	Numeric		prior[2];

	spm_check_won_closed(won, closed);
	checked_numerics(fcinfo, 2, spec, lengthof(spec), prior);
	SPM_RETURN_RATIO(spm_numeric_add(int64_to_numeric(won), spm_numeric_mul(prior[0], prior[1])),
				 spm_numeric_add(int64_to_numeric(closed), prior[1]));
}

/* sales_velocity(opportunities, avg_deal_size, win_rate, cycle_days) = o * s * w / c */
PG_FUNCTION_INFO_V1(spm_sales_velocity);
Datum
spm_sales_velocity(PG_FUNCTION_ARGS)
{
	static const NumericArg spec[] = {{"opportunities", ARG_NOT_NEGATIVE},
	{"avg_deal_size", ARG_NOT_NEGATIVE}, {"win_rate", ARG_RATE}, {"cycle_days", ARG_NOT_NEGATIVE}};
	Numeric		a[4];

	checked_numerics(fcinfo, 0, spec, lengthof(spec), a);
	SPM_RETURN_RATIO(spm_numeric_mul(spm_numeric_mul(a[0], a[1]), a[2]), a[3]);
}

/* pipeline_coverage(pipeline, remaining_quota): NULL when nothing remains to cover. */
PG_FUNCTION_INFO_V1(spm_pipeline_coverage);
Datum
spm_pipeline_coverage(PG_FUNCTION_ARGS)
{
	static const NumericArg spec[] = {{"pipeline", ARG_NOT_NEGATIVE}, {"remaining_quota", ARG_FINITE}};
	Numeric		a[2];

	checked_numerics(fcinfo, 0, spec, lengthof(spec), a);
	if (spm_numeric_sign(a[1]) <= 0)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_div(a[0], a[1]));
}

/* required_coverage(win_rate) = 1 / win_rate */
PG_FUNCTION_INFO_V1(spm_required_coverage);
Datum
spm_required_coverage(PG_FUNCTION_ARGS)
{
	static const NumericArg spec[] = {{"win_rate", ARG_RATE}};
	Numeric		win_rate;

	checked_numerics(fcinfo, 0, spec, lengthof(spec), &win_rate);
	SPM_RETURN_RATIO(int64_to_numeric(1), win_rate);
}

/* expected_attainment(booked, pipeline, win_rate, quota) = (b + p * w) / q */
PG_FUNCTION_INFO_V1(spm_expected_attainment);
Datum
spm_expected_attainment(PG_FUNCTION_ARGS)
{
	static const NumericArg spec[] = {{"booked", ARG_FINITE}, {"pipeline", ARG_NOT_NEGATIVE},
	{"win_rate", ARG_RATE}, {"quota", ARG_NOT_NEGATIVE}};
	Numeric		a[4];

	checked_numerics(fcinfo, 0, spec, lengthof(spec), a);
	SPM_RETURN_RATIO(spm_numeric_add(a[0], spm_numeric_mul(a[1], a[2])), a[3]);
}

/* ---------------------------------------------------------------- funnel */

/*
 * The funnel state is bigint[stages]: element k counts the deals whose furthest
 * stage is k.  A real SQL type, so partial states travel as text.
 */
static int64 *
funnel_counts(ArrayType *state, int64 *stages)
{
	if (ARR_NDIM(state) != 1 || ARR_ELEMTYPE(state) != INT8OID || ARR_HASNULL(state) ||
		spm_funnel_check_stages(ARR_DIMS(state)[0]) != SPM_PIPELINE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid funnel state"),
				 errdetail("A funnel state is a one-dimensional bigint array of 1 to %d counts without NULLs.",
						   SPM_FUNNEL_MAX_STAGES)));
	*stages = ARR_DIMS(state)[0];
	return (int64 *) ARR_DATA_PTR(state);
}

/* The state argument ready to update in place: a copy unless in an aggregate's memory. */
static ArrayType *
funnel_state_for_update(FunctionCallInfo fcinfo, int argno)
{
	MemoryContext aggcontext;
	MemoryContext old;
	ArrayType  *state;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		return PG_GETARG_ARRAYTYPE_P_COPY(argno);
	/* a detoasted copy, if one is made, must outlive this call */
	old = MemoryContextSwitchTo(aggcontext);
	state = PG_GETARG_ARRAYTYPE_P(argno);
	MemoryContextSwitchTo(old);
	return state;
}

static void
check_stages(int64 stages)
{
	if (spm_funnel_check_stages(stages) != SPM_PIPELINE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a funnel must have from 1 to %d stages", SPM_FUNNEL_MAX_STAGES),
				 errdetail("stages given was " INT64_FORMAT ".", stages),
				 errhint("Pass the number of stages of the funnel, e.g. 5.")));
}

/* funnel_accum(state, furthest_stage, stages) */
PG_FUNCTION_INFO_V1(spm_funnel_accum);
Datum
spm_funnel_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *counts;
	int64		stages;
	int32		stage;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the number of funnel stages must not be NULL"),
				 errhint("Pass the number of stages of the funnel, e.g. funnel(stage, 5).")));
	check_stages(PG_GETARG_INT32(2));
	if (PG_ARGISNULL(0))
	{
		MemoryContext aggcontext;
		MemoryContext old = CurrentMemoryContext;
		Datum	   *zeros;
		int			i;

		if (AggCheckCallContext(fcinfo, &aggcontext))
			old = MemoryContextSwitchTo(aggcontext);
		zeros = palloc(sizeof(Datum) * PG_GETARG_INT32(2));
		for (i = 0; i < PG_GETARG_INT32(2); i++)
			zeros[i] = Int64GetDatum(0);
		state = construct_array(zeros, PG_GETARG_INT32(2), INT8OID, sizeof(int64), true, TYPALIGN_DOUBLE);
		MemoryContextSwitchTo(old);
	}
	else
		state = funnel_state_for_update(fcinfo, 0);
	counts = funnel_counts(state, &stages);
	if (stages != PG_GETARG_INT32(2))
		spm_differs_between_rows("stage count", "funnel", psprintf(INT64_FORMAT, stages),
								 psprintf("%d", PG_GETARG_INT32(2)), 0,
								 "Pass the same number of stages on every row of a group, e.g. a constant.");
	if (PG_ARGISNULL(1))
		PG_RETURN_ARRAYTYPE_P(state);
	stage = PG_GETARG_INT32(1);
	switch (spm_funnel_count(counts, stages, stage))
	{
		case SPM_PIPELINE_STAGE_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("funnel stage %d is out of range", stage),
					 errdetail("Stages of this funnel are numbered from 1 to " INT64_FORMAT ".", stages),
					 errhint("Pass each deal's furthest stage reached as its ordinal, 1 for the first stage.")));
			break;
		case SPM_PIPELINE_OVERFLOW:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("funnel stage count out of range")));
			break;
		default:
			break;
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

/* funnel_combine(a, b): stage by stage sums of two partial funnels. */
PG_FUNCTION_INFO_V1(spm_funnel_combine);
Datum
spm_funnel_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state = funnel_state_for_update(fcinfo, 0);
	int64		stages,
				other_stages;
	int64	   *counts = funnel_counts(state, &stages);
	const int64 *other = funnel_counts(PG_GETARG_ARRAYTYPE_P(1), &other_stages);

	if (stages != other_stages)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine funnels of " INT64_FORMAT " and " INT64_FORMAT " stages",
						stages, other_stages),
				 errhint("Pass the same number of stages on every row of a group.")));
	if (spm_funnel_merge(counts, other, stages) != SPM_PIPELINE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid funnel state"),
				 errdetail("Funnel counts must be zero or more, and their sums must fit in a bigint.")));
	PG_RETURN_ARRAYTYPE_P(state);
}

/* reached / previous as numeric, NULL (nulls[i] set) when previous is zero. */
static Datum
conversion(int64 reached, int64 previous, bool *isnull)
{
	*isnull = (previous == 0);
	return *isnull ? (Datum) 0
		: NumericGetDatum(spm_numeric_div(int64_to_numeric(reached), int64_to_numeric(previous)));
}

/*
 * funnel_final(state): one spm.funnel_stage per stage: (stage, reached, stopped,
 * conversion from the previous stage, conversion from the first stage).
 */
PG_FUNCTION_INFO_V1(spm_funnel_final);
Datum
spm_funnel_final(PG_FUNCTION_ARGS)
{
	int64		stages;
	const int64 *counts = funnel_counts(PG_GETARG_ARRAYTYPE_P(0), &stages);
	int64	   *reached = palloc(sizeof(int64) * stages);
	/* the declared result, not the call's: Citus calls final functions without one */
	Oid			row_type = get_element_type(get_func_rettype(fcinfo->flinfo->fn_oid));
	TupleDesc	desc;
	Datum	   *rows = palloc(sizeof(Datum) * stages);
	int64		k;

	if (spm_funnel_reached(counts, stages, reached) != SPM_PIPELINE_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid funnel state"),
				 errdetail("Funnel counts must be zero or more, and their sum must fit in a bigint.")));
	if (!OidIsValid(row_type))
		elog(ERROR, "funnel_final called without a known result type");
	desc = BlessTupleDesc(lookup_rowtype_tupdesc_copy(row_type, -1));
	for (k = 0; k < stages; k++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = Int32GetDatum((int32) k + 1);
		values[1] = Int64GetDatum(reached[k]);
		values[2] = Int64GetDatum(counts[k]);
		values[3] = k == 0 ? (nulls[3] = true, (Datum) 0) : conversion(reached[k], reached[k - 1], &nulls[3]);
		values[4] = conversion(reached[k], reached[0], &nulls[4]);
		rows[k] = HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(rows, (int) stages, row_type, -1, false, TYPALIGN_DOUBLE));
}

/* ---------------------------------------------------------------- the deal summary */

/*
 * spm.deal_summary: an SpmTally of counts (won, lost, open, closed deals with a known
 * cycle, their cycle days) and exact sums (won, lost and open amounts).  It is the
 * state of win_rate, value_win_rate and deal_summary, and what rollup adds up.
 */
enum
{
	WON, LOST, OPEN, CYCLE_DEALS, CYCLE_DAYS
};
enum
{
	WON_AMOUNT, LOST_AMOUNT, OPEN_AMOUNT
};

static const char *const summary_names[] = {
	"won", "lost", "open", "cycle_deals", "cycle_days",
	"won_amount", "lost_amount", "open_amount"
};
static const SpmTallyShape summary_shape = {"spm.deal_summary", 5, 3, summary_names};

/* won + lost, which two counts of up to 2^63 - 1 can take past 64 bits. */
static spm_int128
closed_of(const SpmTally *t)
{
	return (spm_int128) spm_tally_get_count(t, WON) + spm_tally_get_count(t, LOST);
}

/*
 * What no deal summary can hold: negative counts or sums, an amount without deals, more
 * cycles than closed deals, cycle days without cycles.
 */
static const char *
summary_flaw(const SpmTally *t)
{
	int			i;

	for (i = WON; i <= CYCLE_DAYS; i++)
		if (spm_tally_get_count(t, i) < 0)
			return "a count is negative";
	for (i = WON_AMOUNT; i <= OPEN_AMOUNT; i++)
		if (spm_tally_sum_sign(t, i) < 0)
			return "an amount is negative";
	/* WON..OPEN and WON_AMOUNT..OPEN_AMOUNT run in step */
	for (i = WON; i <= OPEN; i++)
		if (spm_tally_get_count(t, i) == 0 && spm_tally_sum_sign(t, WON_AMOUNT + i) != 0)
			return psprintf("%s is not zero while %s is", summary_names[CYCLE_DAYS + 1 + i], summary_names[i]);
	if (spm_tally_get_count(t, CYCLE_DEALS) > closed_of(t))
		return "cycle_deals exceeds the closed (won + lost) deals";
	if (spm_tally_get_count(t, CYCLE_DEALS) == 0 && spm_tally_get_count(t, CYCLE_DAYS) != 0)
		return "cycle_days is not zero while cycle_deals is";
	return NULL;
}

static void
check_summary(const SpmTally *t, int sqlstate)
{
	const char *flaw = summary_flaw(t);

	if (flaw)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("invalid spm.deal_summary: %s", flaw),
				 errhint("Build deal summaries with spm.deal_summary(won, amount, cycle_days) or spm.rollup(summary), not by hand.")));
}

PG_FUNCTION_INFO_V1(spm_deal_summary_in);
Datum
spm_deal_summary_in(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_in(PG_GETARG_CSTRING(0), &summary_shape);

	check_summary(t, ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_deal_summary_out);
Datum
spm_deal_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_tally_out(spm_tally_arg(fcinfo, 0, &summary_shape), &summary_shape));
}

PG_FUNCTION_INFO_V1(spm_deal_summary_recv);
Datum
spm_deal_summary_recv(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_recv((StringInfo) PG_GETARG_POINTER(0), &summary_shape);

	check_summary(t, ERRCODE_PROTOCOL_VIOLATION);
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_deal_summary_send);
Datum
spm_deal_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(spm_tally_send(spm_tally_arg(fcinfo, 0, &summary_shape), &summary_shape));
}

/* A deal amount: finite and not negative. */
static Numeric
deal_amount(FunctionCallInfo fcinfo, int argno)
{
	Numeric		amount;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("deal amount must not be NULL"),
				 errdetail("A deal summary counts every deal with its amount; an unknown amount would make its averages wrong."),
				 errhint("Filter such deals out (after a LEFT JOIN, rows without a deal: FILTER (WHERE deal_id IS NOT NULL)), or pass coalesce(amount, 0) if a deal of zero is what you mean.")));
	amount = SPM_GETARG_NUMERIC_PACKED(argno);
	spm_require_not_negative(amount, "deal amount", "Pass zero or more.");
	return amount;
}

/* Count i += sign, refusing to remove what the summary does not hold. */
static void
count_deal(SpmTally *t, int i, int64 delta)
{
	if (delta < 0 && spm_tally_get_count(t, i) < -delta)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a deal that spm.deal_summary does not hold"),
				 errdetail("Its %s count is " INT64_FORMAT ".", summary_names[i], spm_tally_get_count(t, i)),
				 errhint("Inverse transition functions remove only rows that were added.")));
	spm_tally_count(t, i, delta);
}

/* Add (sign 1) or remove (sign -1) one deal: won NULL is open, cycle_days counts for closed deals. */
static Datum
summary_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *t = spm_tally_arg_for_update(fcinfo, 0, &summary_shape);
	Numeric		amount = deal_amount(fcinfo, 2);
	bool		open = PG_ARGISNULL(1);
	bool		won = !open && PG_GETARG_BOOL(1);

	count_deal(t, open ? OPEN : won ? WON : LOST, sign);
	t = spm_tally_add(t, open ? OPEN_AMOUNT : won ? WON_AMOUNT : LOST_AMOUNT, amount, sign);
	if (t == NULL)
		PG_RETURN_NULL();		/* the window recomputes its frame (see tally.h) */
	if (!open && !PG_ARGISNULL(3))
	{
		int32		days = PG_GETARG_INT32(3);

		if (days < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sales cycle must not be negative"),
					 errdetail("cycle_days given was %d.", days),
					 errhint("Pass the days from creation to close, e.g. close_date - created, for closed deals.")));
		count_deal(t, CYCLE_DEALS, sign);
		count_deal(t, CYCLE_DAYS, (int64) sign * days);
	}
	PG_RETURN_POINTER(t);
}

SPM_MOVING_TRANSITIONS(spm_deal_summary_accum, spm_deal_summary_accum_inv, summary_step)

/* win_rate(won) transition: a closed deal (won is never NULL here: the function is strict). */
static Datum
win_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *t = spm_tally_arg_for_update(fcinfo, 0, &summary_shape);

	count_deal(t, PG_GETARG_BOOL(1) ? WON : LOST, sign);
	PG_RETURN_POINTER(t);
}

SPM_MOVING_TRANSITIONS(spm_win_rate_accum, spm_win_rate_accum_inv, win_step)

/* value_win_rate(won, amount) transition: a closed deal with a known amount. */
static Datum
value_win_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *t = spm_tally_arg_for_update(fcinfo, 0, &summary_shape);
	Numeric		amount = SPM_GETARG_NUMERIC_PACKED(2);
	bool		won = PG_GETARG_BOOL(1);
	int			field = won ? WON_AMOUNT : LOST_AMOUNT;
	spm_int128	units;
	int			dscale;
	/* decoded once per row: its sign read from the units; other amounts are checked first */
	bool		fixed = spm_numeric_to_fixed_dscale(amount, &units, &dscale) && units >= 0 &&
		dscale <= SPM_ENCODE_MAX_SCALE;

	if (!fixed)
		amount = deal_amount(fcinfo, 2);
	count_deal(t, won ? WON : LOST, sign);
	t = fixed ? spm_tally_add_fixed(t, field, units, dscale, sign) : spm_tally_add(t, field, amount, sign);
	if (t == NULL)
		PG_RETURN_NULL();		/* the window recomputes its frame (see tally.h) */
	PG_RETURN_POINTER(t);
}

SPM_MOVING_TRANSITIONS(spm_value_win_rate_accum, spm_value_win_rate_accum_inv, value_win_step)

/* merge and unmerge two summaries; unmerging must leave a valid summary */
SPM_TALLY_MERGE_FUNCTIONS(spm_deal_summary_merge, spm_deal_summary_unmerge, &summary_shape, summary_flaw, "a deal summary")

/* ---------------------------------------------------------------- accessors */

static const SpmTally *
summary_arg(FunctionCallInfo fcinfo)
{
	return spm_tally_arg(fcinfo, 0, &summary_shape);
}


SPM_TALLY_COUNT_ACCESSOR(spm_summary_won_count, &summary_shape, WON)
SPM_TALLY_COUNT_ACCESSOR(spm_summary_lost_count, &summary_shape, LOST)
SPM_TALLY_COUNT_ACCESSOR(spm_summary_open_count, &summary_shape, OPEN)
SPM_TALLY_SUM_ACCESSOR(spm_summary_won_amount, &summary_shape, WON_AMOUNT)
SPM_TALLY_SUM_ACCESSOR(spm_summary_lost_amount, &summary_shape, LOST_AMOUNT)
SPM_TALLY_SUM_ACCESSOR(spm_summary_open_amount, &summary_shape, OPEN_AMOUNT)

PG_FUNCTION_INFO_V1(spm_summary_closed_count);
Datum
spm_summary_closed_count(PG_FUNCTION_ARGS)
{
	spm_int128	closed = closed_of(summary_arg(fcinfo));

	if (closed > PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("closed count %s is out of range for type bigint",
						spm_numeric_text(spm_fixed_to_numeric(closed, 0))),
				 errhint("Read won_count and lost_count, or win_rate, which take any counts.")));
	PG_RETURN_INT64((int64) closed);
}

/* won / (won + lost); NULL when nothing is closed.  Also win_rate's final function. */
PG_FUNCTION_INFO_V1(spm_summary_win_rate);
Datum
spm_summary_win_rate(PG_FUNCTION_ARGS)
{
	const SpmTally *t = summary_arg(fcinfo);

	SPM_RETURN_RATIO(int64_to_numeric(spm_tally_get_count(t, WON)), spm_fixed_to_numeric(closed_of(t), 0));
}

/* won amount / (won + lost amount); NULL when that is zero.  Also value_win_rate's final. */
PG_FUNCTION_INFO_V1(spm_summary_value_win_rate);
Datum
spm_summary_value_win_rate(PG_FUNCTION_ARGS)
{
	const SpmTally *t = summary_arg(fcinfo);
	Numeric		won = spm_tally_get_sum(t, WON_AMOUNT);

	SPM_RETURN_RATIO(won, spm_numeric_add(won, spm_tally_get_sum(t, LOST_AMOUNT)));
}

/* won amount / won deals */
PG_FUNCTION_INFO_V1(spm_summary_avg_deal_size);
Datum
spm_summary_avg_deal_size(PG_FUNCTION_ARGS)
{
	const SpmTally *t = summary_arg(fcinfo);

	SPM_RETURN_RATIO(spm_tally_get_sum(t, WON_AMOUNT), int64_to_numeric(spm_tally_get_count(t, WON)));
}

/* cycle days / closed deals with a known cycle */
PG_FUNCTION_INFO_V1(spm_summary_avg_cycle_days);
Datum
spm_summary_avg_cycle_days(PG_FUNCTION_ARGS)
{
	const SpmTally *t = summary_arg(fcinfo);

	SPM_RETURN_RATIO(int64_to_numeric(spm_tally_get_count(t, CYCLE_DAYS)),
				 int64_to_numeric(spm_tally_get_count(t, CYCLE_DEALS)));
}

/*
 * Sales velocity of a summary: open deals * average won deal * win rate / average
 * cycle = open * won_amount * cycle_deals / (closed * cycle_days), one exact division.
 */
PG_FUNCTION_INFO_V1(spm_summary_sales_velocity);
Datum
spm_summary_sales_velocity(PG_FUNCTION_ARGS)
{
	const SpmTally *t = summary_arg(fcinfo);

	if (spm_tally_get_count(t, CYCLE_DEALS) == 0)
		PG_RETURN_NULL();
	SPM_RETURN_RATIO(spm_numeric_mul(spm_numeric_mul(int64_to_numeric(spm_tally_get_count(t, OPEN)),
												 spm_tally_get_sum(t, WON_AMOUNT)),
								 int64_to_numeric(spm_tally_get_count(t, CYCLE_DEALS))),
				 spm_numeric_mul(spm_fixed_to_numeric(closed_of(t), 0),
								 int64_to_numeric(spm_tally_get_count(t, CYCLE_DAYS))));
}

/* ---------------------------------------------------------------- equality and hashing */

/* Every count the same and every sum the same by value (100 is 100.00). */
static bool
summaries_equal(FunctionCallInfo fcinfo)
{
	const SpmTally *a = spm_tally_arg(fcinfo, 0, &summary_shape);
	const SpmTally *b = spm_tally_arg(fcinfo, 1, &summary_shape);
	int			i;

	for (i = WON; i <= CYCLE_DAYS; i++)
		if (spm_tally_get_count(a, i) != spm_tally_get_count(b, i))
			return false;
	for (i = WON_AMOUNT; i <= OPEN_AMOUNT; i++)
		if (spm_numeric_cmp(spm_tally_get_sum(a, i), spm_tally_get_sum(b, i)) != 0)
			return false;
	return true;
}

SPM_EQUALITY_FUNCTIONS(spm_deal_summary_eq, spm_deal_summary_ne, summaries_equal)

/*
 * A seeded 64-bit hash of the counts and of the sums by value (numeric's own hash,
 * which 100 and 100.00 share), so equal summaries hash alike.
 */
static uint64
summary_hash(const SpmTally *t, int64 seed)
{
	uint64		hash = 0;
	int			i;

	for (i = WON; i <= CYCLE_DAYS; i++)
		hash = hash_combine64(hash, DatumGetUInt64(DirectFunctionCall2(hashint8extended,
																	   Int64GetDatum(spm_tally_get_count(t, i)),
																	   Int64GetDatum(seed))));
	for (i = WON_AMOUNT; i <= OPEN_AMOUNT; i++)
		hash = hash_combine64(hash, DatumGetUInt64(DirectFunctionCall2(hash_numeric_extended,
																	   NumericGetDatum(spm_tally_get_sum(t, i)),
																	   Int64GetDatum(seed))));
	return hash;
}

/* The 32-bit hash is the seed-0 extended hash's low half, as hash operator classes require. */
PG_FUNCTION_INFO_V1(spm_deal_summary_hash);
Datum
spm_deal_summary_hash(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT32((uint32) summary_hash(summary_arg(fcinfo), 0));
}

PG_FUNCTION_INFO_V1(spm_deal_summary_hash_extended);
Datum
spm_deal_summary_hash_extended(PG_FUNCTION_ARGS)
{
	PG_RETURN_UINT64(summary_hash(summary_arg(fcinfo), PG_GETARG_INT64(1)));
}
