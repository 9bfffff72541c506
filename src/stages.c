/*
 * stages.c: stage probabilities from history.  The stage summary, spm.stage_summary
 * (its aggregate, accessors, rollup and type I/O): from closed deals and the furthest
 * stage each reached, the probability that a deal that reached stage s ends won, raw or
 * smoothed toward the overall win rate; its Wilson bounds are spm.wilson_lower/upper of
 * the counts (forecast.sql).
 *
 * The summary is an SpmTally (tally.h) of 2 * STAGE_MAX counts and no sums: for each
 * stage s, won_s and lost_s count the closed deals whose furthest stage is s.  A deal
 * reached stage s when its furthest stage is s or later, so the deals that reached s
 * and the won among them are suffix sums; no arithmetic wraps (int64 sums of counts
 * that are each at most int64, checked: 22003).  Ratios are rounded once, half away
 * from zero, to RESULT_SCALE decimals.
 */
#include "spm.h"
#include "quota.h"
#include "tally.h"

#include "common/int.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"

/* The largest stage number: stages are numbered 1 to STAGE_MAX in funnel order. */
#define STAGE_MAX 20
/* Decimals of every probability. */
#define RESULT_SCALE 20

#define WON(s) (2 * ((s) - 1))
#define LOST(s) (2 * ((s) - 1) + 1)

static const char *const stage_names[2 * STAGE_MAX] = {
	"won_1", "lost_1", "won_2", "lost_2", "won_3", "lost_3", "won_4", "lost_4",
	"won_5", "lost_5", "won_6", "lost_6", "won_7", "lost_7", "won_8", "lost_8",
	"won_9", "lost_9", "won_10", "lost_10", "won_11", "lost_11", "won_12", "lost_12",
	"won_13", "lost_13", "won_14", "lost_14", "won_15", "lost_15", "won_16", "lost_16",
	"won_17", "lost_17", "won_18", "lost_18", "won_19", "lost_19", "won_20", "lost_20"
};
static const SpmTallyShape stage_shape = {"spm.stage_summary", 2 * STAGE_MAX, 0, stage_names};

/* What no stage summary can hold: a negative count ("<name> below zero"). */
static const char *
stage_flaw(const SpmTally *t)
{
	for (int i = 0; i < 2 * STAGE_MAX; i++)
		if (spm_tally_get_count(t, i) < 0)
			return psprintf("%s below zero", stage_names[i]);
	return NULL;
}

/* a + b, 22003 when it does not fit in a bigint. */
static int64
add_counts(int64 a, int64 b)
{
	int64		sum;

	if (pg_add_s64_overflow(a, b, &sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("spm.stage_summary holds more deals than a bigint can count"),
				 errdetail("The counts to add are " INT64_FORMAT " and " INT64_FORMAT ".", a, b),
				 errhint("Summarize fewer deals at a time.")));
	return sum;
}

/* ---------------------------------------------------------------- type I/O */

PG_FUNCTION_INFO_V1(spm_stage_summary_in);
Datum
spm_stage_summary_in(PG_FUNCTION_ARGS)
{
	/* tally.c refuses negative counts in text */
	PG_RETURN_POINTER(spm_tally_in(PG_GETARG_CSTRING(0), &stage_shape));
}

PG_FUNCTION_INFO_V1(spm_stage_summary_out);
Datum
spm_stage_summary_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_tally_out(spm_tally_arg(fcinfo, 0, &stage_shape), &stage_shape));
}

PG_FUNCTION_INFO_V1(spm_stage_summary_recv);
Datum
spm_stage_summary_recv(PG_FUNCTION_ARGS)
{
	SpmTally   *t = spm_tally_recv((StringInfo) PG_GETARG_POINTER(0), &stage_shape);
	const char *flaw = stage_flaw(t);

	if (flaw)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid spm.stage_summary: %s", flaw),
				 errhint("Build stage summaries with spm.stage_summary(furthest_stage, won) or spm.rollup(summary), not by hand.")));
	PG_RETURN_POINTER(t);
}

PG_FUNCTION_INFO_V1(spm_stage_summary_send);
Datum
spm_stage_summary_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(spm_tally_send(spm_tally_arg(fcinfo, 0, &stage_shape), &stage_shape));
}

/* ---------------------------------------------------------------- transition */

/* 22023 unless 1 <= stage <= STAGE_MAX. */
static void
check_stage(int32 stage)
{
	if (stage < 1 || stage > STAGE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("stage must be from 1 to %d", STAGE_MAX),
				 errdetail("stage is %d.", stage),
				 errhint("Number the stages of the funnel 1, 2, ... in order (at most %d) and pass the furthest stage each deal reached.",
						 STAGE_MAX)));
}

/*
 * stage_summary_accum(state, furthest_stage, won): add (sign 1) or remove (sign -1) one
 * closed deal.  A row with a NULL stage or outcome is skipped.
 */
static Datum
stage_step(FunctionCallInfo fcinfo, int sign)
{
	SpmTally   *t;
	int32		stage;
	int			field;

	if (sign < 0 && PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a deal from an empty spm.stage_summary"),
				 errhint("Inverse transition functions remove only rows that were added.")));
	t = spm_tally_arg_for_update(fcinfo, 0, &stage_shape);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(t);
	stage = PG_GETARG_INT32(1);
	check_stage(stage);
	field = PG_GETARG_BOOL(2) ? WON(stage) : LOST(stage);
	if (sign < 0 && spm_tally_get_count(t, field) < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove a deal that spm.stage_summary does not hold"),
				 errdetail("Its %s count is 0.", stage_names[field]),
				 errhint("Inverse transition functions remove only rows that were added.")));
	spm_tally_count(t, field, sign);
	PG_RETURN_POINTER(t);
}

SPM_MOVING_TRANSITIONS(spm_stage_summary_accum, spm_stage_summary_accum_inv, stage_step)

/* merge and unmerge two summaries; unmerging must leave a valid summary */
SPM_TALLY_MERGE_FUNCTIONS(spm_stage_summary_merge, spm_stage_summary_unmerge, &stage_shape, stage_flaw, "a stage summary")

/* ---------------------------------------------------------------- accessors */

/* The deals that reached stage (furthest stage >= stage) and the won among them. */
static void
reached(const SpmTally *t, int32 stage, int64 *deals, int64 *won)
{
	*deals = 0;
	*won = 0;
	for (int s = STAGE_MAX; s >= stage; s--)
	{
		*won = add_counts(*won, spm_tally_get_count(t, WON(s)));
		*deals = add_counts(*deals, add_counts(spm_tally_get_count(t, WON(s)),
											   spm_tally_get_count(t, LOST(s))));
	}
}

/*
 * For argument 0, a stage summary, and argument 1, a stage (checked): the deals that
 * reached the stage and the won among them.
 */
static void
reached_arg(FunctionCallInfo fcinfo, int64 *deals, int64 *won)
{
	int32		stage = PG_GETARG_INT32(1);

	check_stage(stage);
	reached(spm_tally_arg(fcinfo, 0, &stage_shape), stage, deals, won);
}

PG_FUNCTION_INFO_V1(spm_stage_reached_count);
Datum
spm_stage_reached_count(PG_FUNCTION_ARGS)
{
	int64		deals,
				won;

	reached_arg(fcinfo, &deals, &won);
	PG_RETURN_INT64(deals);
}

PG_FUNCTION_INFO_V1(spm_stage_won_count);
Datum
spm_stage_won_count(PG_FUNCTION_ARGS)
{
	int64		deals,
				won;

	reached_arg(fcinfo, &deals, &won);
	PG_RETURN_INT64(won);
}

/*
 * The win probability of stage (checked) in summary t as an exact fraction *num / *den
 * (den > 0): won_s / n_s when w is NULL, else smoothed toward the overall win rate
 * p0 = W / N (W won of N closed deals) with w pseudo-deals, (won_s + w p0) / (n_s + w)
 * = (won_s N + w W) / ((n_s + w) N).  False when it is not defined: no deal reached the
 * stage (w NULL or 0), or no deal at all.
 */
static bool
win_ratio(const SpmTally *t, int32 stage, Numeric w, Numeric *num, Numeric *den)
{
	int64		deals,
				won,
				all_deals,
				all_won;

	check_stage(stage);
	reached(t, stage, &deals, &won);

	if (w == NULL)
	{
		*num = int64_to_numeric(won);
		*den = int64_to_numeric(deals);
		return deals > 0;
	}
	if (spm_finite_sign(w, "prior_weight") < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("prior_weight must not be negative"),
				 errdetail("prior_weight is %s.", spm_numeric_text(w)),
				 errhint("Pass the number of pseudo-deals at the overall win rate to add to each stage, e.g. 10, or 0 for no smoothing.")));
	reached(t, 1, &all_deals, &all_won);
	if (all_deals == 0)
		return false;
	*num = spm_numeric_add(spm_numeric_mul(int64_to_numeric(won), int64_to_numeric(all_deals)),
						   spm_numeric_mul(w, int64_to_numeric(all_won)));
	*den = spm_numeric_mul(spm_numeric_add(int64_to_numeric(deals), w), int64_to_numeric(all_deals));
	return spm_numeric_sign(*den) != 0;
}

/* The win probability, raw (w NULL) or smoothed, rounded once to 20 decimals. */
static Datum
win_probability(FunctionCallInfo fcinfo, Numeric w)
{
	Numeric		num,
				den;

	if (!win_ratio(spm_tally_arg(fcinfo, 0, &stage_shape), PG_GETARG_INT32(1), w, &num, &den))
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_round_ratio(num, den, RESULT_SCALE));
}

/* won_s / n_s, 20 decimals; NULL when no deal reached the stage. */
PG_FUNCTION_INFO_V1(spm_stage_win_probability);
Datum
spm_stage_win_probability(PG_FUNCTION_ARGS)
{
	return win_probability(fcinfo, NULL);
}

/* (won_s + w p0) / (n_s + w), 20 decimals; NULL without deals, or w = 0 and none reached. */
PG_FUNCTION_INFO_V1(spm_stage_win_probability_smoothed);
Datum
spm_stage_win_probability_smoothed(PG_FUNCTION_ARGS)
{
	return win_probability(fcinfo, PG_GETARG_NUMERIC(2));
}

/* ---------------------------------------------------------------- chance to close won */

/* 22023 unless first <= second: "<second_name> is before <first_name>". */
static void
check_order(DateADT first, const char *first_name, DateADT second, const char *second_name,
			const char *hint)
{
	if (second < first)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is before %s", second_name, first_name),
				 errdetail("%s is %s and %s is %s.", first_name, spm_iso_day(first),
						   second_name, spm_iso_day(second)),
				 errhint("%s", hint)));
}

/*
 * close_chance(stages, cycles, stage, created, as_of, period_end [, prior_weight]):
 * P(won | stage) x P(closes by period_end | open at age as_of - created), the first the
 * exact fraction of win_ratio, the second spm_cycle_close_within to 60 decimals, the
 * product rounded once half away from zero to 20 decimals.  period_end is the period's
 * last day: a deal closing on it counts.  NULL when either factor is.  Both SQL
 * signatures call it: prior_weight is the seventh argument when given.
 */
PG_FUNCTION_INFO_V1(spm_close_chance);
Datum
spm_close_chance(PG_FUNCTION_ARGS)
{
	DateADT		created = spm_finite_date_arg(fcinfo, 3, "created");
	DateADT		as_of = spm_finite_date_arg(fcinfo, 4, "as_of");
	DateADT		period_end = spm_finite_date_arg(fcinfo, 5, "period_end");
	Numeric		w = PG_NARGS() > 6 ? PG_GETARG_NUMERIC(6) : NULL;
	Numeric		num,
				den,
				closes;

	check_order(created, "created", as_of, "as_of",
				"Pass an as-of date on or after the deal's creation; a deal created after the as-of date was not open then.");
	check_order(as_of, "as_of", period_end, "period_end",
				"Pass the last day of the period, on or after the as-of date.");
	if (!win_ratio(spm_tally_arg(fcinfo, 0, &stage_shape), PG_GETARG_INT32(2), w, &num, &den))
		PG_RETURN_NULL();
	closes = spm_cycle_close_within(PG_GETARG_DATUM(1), as_of - created, period_end - as_of);
	if (closes == NULL)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_numeric_round_ratio(spm_numeric_mul(num, closes), den, RESULT_SCALE));
}

