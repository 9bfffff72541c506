/*
 * payout.c: turning commission into pay: draws across periods (recoverable and not),
 * split credit of a deal among reps, and exact rounding of a statement's lines.
 *
 * The draw recurrence is payout_core.c; splits and rounded lines are apportionments by
 * the largest remainder method (apportion.c).  This file checks arguments and words
 * their errors; it must not hold rounding rules of its own.
 */
#include "spm.h"
#include "apportion.h"
#include "payout_core.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

/* 10^38 < 2^127: a 128-bit count of units holds up to 38 decimal digits */
#define MAX_DIGITS 38

/* ---------------------------------------------------------------- numerics as units */

/* A finite numeric as a 128-bit count of units of its own display scale. */
typedef struct Fixed
{
	spm_int128	units;
	int			scale;
} Fixed;

static void out_of_range(const char *what, Numeric num) pg_attribute_noreturn();

static void
out_of_range(const char *what, Numeric num)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s %s is out of range for exact payout arithmetic", what, spm_numeric_text(num)),
			 errdetail("spm computes payouts exactly on up to %d significant digits.", MAX_DIGITS),
			 errhint("Round it to fewer decimal places, e.g. round(x, 6).")));
}

static Fixed
fixed_of(Numeric num, const char *what)
{
	Fixed		f;

	if (!spm_numeric_to_fixed_dscale(num, &f.units, &f.scale))
		out_of_range(what, num);
	return f;
}

/* f as a count of 10^-scale units, scale >= f.scale; num and what name it in errors. */
static spm_int128
fixed_at(Fixed f, int scale, Numeric num, const char *what)
{
	if (scale - f.scale > MAX_DIGITS || !spm_scale_up_128(&f.units, scale - f.scale))
		out_of_range(what, num);
	return f.units;
}

/* Decimals that units * 10^-scale needs: scale less its trailing zeros, at least 0. */
static int
needed_scale(spm_int128 units, int scale)
{
	while (scale > 0 && units % 10 == 0)
		units /= 10, scale--;
	return scale;
}

/*
 * units * 10^-scale shown with to_scale decimals, 0 <= to_scale <= MAX_DIGITS and
 * to_scale >= needed_scale(units, scale).
 */
static Numeric
numeric_at(spm_int128 units, int scale, int to_scale)
{
	if (to_scale < scale)
		units /= spm_pow10_128(scale - to_scale);
	else if (!spm_scale_up_128(&units, to_scale - scale))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("payout result is out of range"),
				 errhint("Round the amounts and shares to fewer decimal places.")));
	return spm_fixed_to_numeric(units, to_scale);
}

/* The argument, which must not be NULL; what names it, hint says what to pass instead. */
static Numeric
required_numeric(Datum value, bool isnull, const char *what, const char *hint)
{
	Numeric		num;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", what),
				 errhint("%s", hint)));
	num = DatumGetNumeric(value);
	spm_require_finite(num, what);
	return num;
}

/* ---------------------------------------------------------------- draws */

/* The arguments of one draw period as units of one scale at which the step is exact. */
typedef struct DrawArgs
{
	spm_int128	earnings;
	spm_int128	draw;
	Fixed		share;
	int			scale;			/* amounts' scale: theirs plus the share's decimals */
	int			shown;			/* decimals results show at least: the inputs' */
	Numeric		draw_given;		/* for messages */
	Numeric		share_given;
} DrawArgs;

static void
draw_args(DrawArgs *args, Datum *values, bool *nulls, int balance_scale)
{
	Numeric		earnings = required_numeric(values[0], nulls[0], "earnings",
											"Pass 0 for a period without earnings, e.g. COALESCE(earnings, 0), or leave out periods that have not closed.");
	Fixed		e = fixed_of(earnings, "earnings");
	Fixed		d;

	args->draw_given = required_numeric(values[1], nulls[1], "draw",
										"Pass 0 for a period without a draw.");
	args->share_given = required_numeric(values[2], nulls[2], "recovery share",
										 "Pass the largest fraction of earnings above the draw that may go to recovery, from 0 to 1.");
	d = fixed_of(args->draw_given, "draw");
	args->share = fixed_of(args->share_given, "recovery share");
	args->shown = Max(e.scale, d.scale);
	/* share * (earnings - draw) is exact at the amounts' scale plus the share's */
	args->scale = Max(args->shown, balance_scale) + args->share.scale;
	if (args->scale > MAX_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("draw amounts and recovery share have too many decimal places"),
				 errdetail("spm recovers exactly with at most %d decimal places in all.", MAX_DIGITS),
				 errhint("Round the recovery share, e.g. round(share, 4).")));
	args->earnings = fixed_at(e, args->scale, earnings, "earnings");
	args->draw = fixed_at(d, args->scale, args->draw_given, "draw");
}

/* One period: the core's step, its status reported as an error. */
static SpmDrawLine
draw_step(DrawArgs *args, spm_int128 balance, bool recoverable)
{
	SpmDrawLine line;

	switch (spm_draw_period(args->earnings, args->draw, balance, args->share.units,
							spm_pow10_128(args->share.scale), recoverable, &line))
	{
		case SPM_PAYOUT_OK:
			break;
		case SPM_PAYOUT_NEGATIVE_DRAW:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("draw must not be negative"),
					 errdetail("The draw given was %s.", spm_numeric_text(args->draw_given)),
					 errhint("Pass the amount guaranteed for the period, or 0 for no draw.")));
			break;
		case SPM_PAYOUT_SHARE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("recovery share must be between 0 and 1"),
					 errdetail("The share given was %s.", spm_numeric_text(args->share_given)),
					 errhint("Pass the largest fraction of earnings above the draw that may go to recovery, e.g. 0.5; 1 recovers as fast as possible.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("draw amounts are out of range"),
					 errhint("Pass smaller amounts, or round them to fewer decimal places.")));
	}
	return line;
}

/*
 * The draw_period composite for a line at scale, its four amounts shown alike: with the
 * inputs' decimals (shown), more only where a partial recovery needs them.
 */
static Datum
draw_period_datum(FunctionCallInfo fcinfo, const SpmDrawLine *line, int scale, int shown)
{
	TupleDesc	desc = fcinfo->flinfo->fn_extra;
	spm_int128	amounts[4] = {line->payout, line->advance, line->recovered, line->balance};
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			i;

	if (desc == NULL)
	{
		/* made once per call site: the window calls this on every row */
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "draw function must return the composite spm.draw_period");
		desc = BlessTupleDesc(desc);
		fcinfo->flinfo->fn_extra = desc;
		MemoryContextSwitchTo(old);
	}
	for (i = 0; i < 4; i++)
		shown = Max(shown, needed_scale(amounts[i], scale));
	for (i = 0; i < 4; i++)
		values[i] = NumericGetDatum(numeric_at(amounts[i], scale, shown));
	return HeapTupleGetDatum(heap_form_tuple(desc, values, nulls));
}

/* nonrecoverable_draw(earnings, draw): the greater of the two; no balance. */
PG_FUNCTION_INFO_V1(spm_nonrecoverable_draw);
Datum
spm_nonrecoverable_draw(PG_FUNCTION_ARGS)
{
	Datum		values[3] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), NumericGetDatum(int64_to_numeric(1))};
	bool		nulls[3] = {PG_ARGISNULL(0), PG_ARGISNULL(1), false};
	DrawArgs	args;
	SpmDrawLine line;

	draw_args(&args, values, nulls, 0);
	line = draw_step(&args, 0, false);
	return draw_period_datum(fcinfo, &line, args.scale, args.shown);
}

/* A rep's balance so far in the window partition. */
typedef struct DrawBalance
{
	int64		next_row;		/* the row the balance is carried into */
	spm_int128	units;			/* balance owed, in 10^-scale units */
	int			scale;
} DrawBalance;

/*
 * recoverable_draw(earnings, draw, recovery_share) OVER (PARTITION BY rep ORDER BY period):
 * one step of the recurrence per row, in window order, so a partition costs linear time.
 */
PG_FUNCTION_INFO_V1(spm_recoverable_draw);
Datum
spm_recoverable_draw(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	DrawBalance *carried = WinGetPartitionLocalMemory(win, sizeof(DrawBalance));
	Datum		values[3];
	bool		nulls[3];
	DrawArgs	args;
	SpmDrawLine line;
	spm_int128	balance;
	Datum		result;
	int			i;

	if (WinGetCurrentPosition(win) != carried->next_row)
		elog(ERROR, "recoverable_draw called out of row order");
	for (i = 0; i < 3; i++)
		values[i] = WinGetFuncArgCurrent(win, i, &nulls[i]);
	draw_args(&args, values, nulls, carried->scale);
	balance = carried->units;
	if (!spm_scale_up_128(&balance, args.scale - carried->scale))
		elog(ERROR, "a carried draw balance does not fit at the period's scale");
	line = draw_step(&args, balance, true);
	result = draw_period_datum(fcinfo, &line, args.scale, args.shown);
	/* carry the balance at the fewest decimals it needs, so the scale does not creep */
	carried->scale = needed_scale(line.balance, args.scale);
	carried->units = line.balance / spm_pow10_128(args.scale - carried->scale);
	carried->next_row++;
	return result;
}

/* ---------------------------------------------------------------- splits */

static const char *const shares_hint = "Pass one share per rep, e.g. ARRAY[0.6, 0.4].";

/* Share i (0-based) of a split: a fraction from 0 to 1. */
static void
check_share(Numeric share, int i)
{
	if (numeric_is_nan(share) || numeric_is_inf(share) ||
		spm_numeric_sign(share) < 0 || spm_numeric_cmp(share, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("split shares must be between 0 and 1"),
				 errdetail("Share %d is %s.", i + 1, spm_numeric_text(share)),
				 errhint("Give each rep the fraction of the deal credited to them, e.g. 0.5 for half.")));
}

/*
 * Split amount by shares (share_datums[0..n-1], nulls all false) into parts, whole
 * units of 10^-scale: shares summing to 1 are the weights of an allocation; overlay
 * shares, which may sum to anything, credit amount * share each, rounded as payout
 * lines half up.  how_overlay tells the user how to allow overlays in this function's
 * syntax.  parts may be share_datums.
 */
static void
split_parts(Numeric amount, Datum *share_datums, bool *nulls, int n, bool overlay, int scale,
			const char *how_overlay, Datum *parts)
{
	int64		amount_units = spm_apportion_total(amount, scale, "amount", n, "shares", shares_hint);
	int64	   *part_units = palloc(sizeof(int64) * Max(n, 1));
	Numeric		sum = int64_to_numeric(0);
	int			i;

	for (i = 0; i < n; i++)
	{
		check_share(DatumGetNumeric(share_datums[i]), i);
		sum = spm_numeric_add(sum, DatumGetNumeric(share_datums[i]));
	}
	if (overlay)
	{
		/* the exact credits, rounded in place */
		for (i = 0; i < n; i++)
			parts[i] = NumericGetDatum(spm_numeric_mul(amount, DatumGetNumeric(share_datums[i])));
		spm_apportion_lines(parts, nulls, n, scale, SPM_ROUND_HALF_UP, parts);
		return;
	}
	if (spm_numeric_cmp(sum, int64_to_numeric(1)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("split shares must sum to 1"),
				 errdetail("The shares of the split of %s sum to %s.", spm_numeric_text(amount),
						   spm_numeric_text(sum)),
				 errhint("Correct the shares so that they sum to exactly 1; for overlay credit, which need not sum to 1, %s.",
						 how_overlay)));
	spm_apportion_by_weights(amount_units, share_datums, nulls, n, part_units);
	for (i = 0; i < n; i++)
		parts[i] = NumericGetDatum(spm_units_to_numeric(part_units[i], scale));
}

/* Every share of a split must be given. */
static void
check_shares_given(bool *nulls, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("split shares must not be NULL"),
					 errdetail("Share %d is NULL.", i + 1),
					 errhint("Give every rep on the deal a share; leave out reps who get no credit.")));
}

/*
 * split and round_lines, like allocate, come in two forms over one parts function: an
 * array form and a window form (PARTITION BY the deal or the statement).  The forms of
 * the three read alike on purpose; what differs is which arguments each carries.
 */

/* split(amount, shares, overlay, scale) */
PG_FUNCTION_INFO_V1(spm_split);
Datum
spm_split(PG_FUNCTION_ARGS)
{
	ArrayType  *share_array = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *shares;
	bool	   *nulls;
	int			n;

	n = spm_numeric_list(share_array, "split shares", shares_hint, &shares, &nulls);
	check_shares_given(nulls, n);
	/* each part takes its share's place */
	split_parts(PG_GETARG_NUMERIC(0), shares, nulls, n, PG_GETARG_BOOL(2), PG_GETARG_INT32(3),
				"pass allow_overlay => true", shares);
	PG_RETURN_ARRAYTYPE_P(spm_parts_array(share_array, shares, nulls, n));
}

static const char *const deal_partition_hint =
"PARTITION BY the deal, so that every row of a partition carries the same amount, overlay flag and scale.";

static void
compute_split_share(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
					bool *nulls)
{
	Datum		amount = spm_partition_constant(fcinfo, win, 0, n, NULL, "amount", "split_share",
												deal_partition_hint);
	Datum		overlay = spm_partition_constant(fcinfo, win, 2, n, NULL, "overlay flag",
												 "split_share", deal_partition_hint);
	Datum		scale = spm_partition_constant(fcinfo, win, 3, n, NULL, "scale", "split_share",
											   deal_partition_hint);

	/* the shares, then each row's part in its place */
	spm_partition_column(fcinfo, win, 1, n, results, nulls);
	check_shares_given(nulls, (int) n);
	split_parts(DatumGetNumeric(amount), results, nulls, (int) n, DatumGetBool(overlay),
				DatumGetInt32(scale), "pass true as the third argument", results);
}

/* split_share(amount, share, overlay, scale) OVER (PARTITION BY deal ORDER BY rep) */
PG_FUNCTION_INFO_V1(spm_split_share);
Datum
spm_split_share(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_split_share);
}

/* ---------------------------------------------------------------- rounding payout lines */

static SpmRounding
rounding_rule(text *rule)
{
	char	   *name = text_to_cstring(rule);

	if (strcmp(name, "half_up") == 0)
		return SPM_ROUND_HALF_UP;
	if (strcmp(name, "half_even") == 0)
		return SPM_ROUND_HALF_EVEN;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown rounding rule \"%s\"", name),
			 errhint("Pass 'half_up' (halves away from zero) or 'half_even' (halves to the even unit).")));
	return SPM_ROUND_HALF_UP;	/* not reached */
}

/*
 * Round lines[0..n-1] (NULL ones take no part) to whole units of 10^-scale so that
 * they sum exactly to their total rounded by rule; parts may be lines.
 */
static void
round_parts(Datum *lines, bool *nulls, int n, int scale, SpmRounding rule, Datum *parts)
{
	int			i;

	spm_check_scale(scale);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			spm_require_finite(DatumGetNumeric(lines[i]), "a payout line");
	spm_apportion_lines(lines, nulls, n, scale, rule, parts);
}

/* round_lines(lines, scale, rounding) */
PG_FUNCTION_INFO_V1(spm_round_lines_array);
Datum
spm_round_lines_array(PG_FUNCTION_ARGS)
{
	ArrayType  *line_array = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *lines;
	bool	   *nulls;
	int			n;

	n = spm_numeric_list(line_array, "payout lines",
						 "Pass the lines of one statement, e.g. ARRAY[10.005, 20.005].", &lines, &nulls);
	round_parts(lines, nulls, n, PG_GETARG_INT32(1), rounding_rule(PG_GETARG_TEXT_PP(2)), lines);
	PG_RETURN_ARRAYTYPE_P(spm_parts_array(line_array, lines, nulls, n));
}

static const char *const statement_partition_hint =
"PARTITION BY the statement (e.g. the rep and period), so that every row of a partition carries the same scale and rounding rule.";

/*
 * Argument 0 of a statement window's n rows rounded as round_lines, by the scale and
 * rule in arguments scale_arg and scale_arg + 1 (the same on every row of the partition).
 */
static void
round_partition(FunctionCallInfo fcinfo, WindowObject win, int64 n, int scale_arg,
				const char *fn, Datum *results, bool *nulls, int *scale)
{
	Datum		unit = spm_partition_constant(fcinfo, win, scale_arg, n, NULL, "scale", fn,
											  statement_partition_hint);
	Datum		rule = spm_partition_constant(fcinfo, win, scale_arg + 1, n, NULL, "rounding rule",
											  fn, statement_partition_hint);

	*scale = DatumGetInt32(unit);
	spm_partition_column(fcinfo, win, 0, n, results, nulls);
	round_parts(results, nulls, (int) n, *scale, rounding_rule(DatumGetTextPP(rule)), results);
}

static void
compute_round_line(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
				   bool *nulls)
{
	int			scale;

	round_partition(fcinfo, win, n, 1, "round_line", results, nulls, &scale);
}

/* round_line(line, scale, rounding) OVER (PARTITION BY statement ORDER BY line_no) */
PG_FUNCTION_INFO_V1(spm_round_line);
Datum
spm_round_line(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_round_line);
}

/* A line already paid must be whole units of 10^-scale: what a statement paid out. */
static void
check_paid_line(Numeric paid, int scale)
{
	Numeric		whole;

	spm_require_finite(paid, "a paid line");
	whole = spm_numeric_round(paid, scale);
	if (spm_numeric_cmp(whole, paid) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("paid line %s is not a whole number of currency units at scale %d",
						spm_numeric_text(paid), scale),
				 errdetail("A paid line is what a statement paid out, rounded."),
				 errhint("Pass the rounded lines as paid (spm.round_line), not their exact amounts.")));
}

/*
 * The restated lines rounded as round_line rounds them, less what was paid on each:
 * paid plus the adjustment is then the restated statement, line by line and in total.
 * A line missing on either side (NULL) counts as 0: a restated 0 would have no
 * remainder, and the rounding never gives such a line a unit, so leaving it out of the
 * rounding changes nothing.
 */
static void
compute_adjustment_line(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
						bool *nulls)
{
	Datum	   *paid = palloc(sizeof(Datum) * n);
	bool	   *unpaid = palloc(sizeof(bool) * n);
	int			scale;
	int64		i;

	spm_partition_column(fcinfo, win, 1, n, paid, unpaid);
	round_partition(fcinfo, win, n, 2, "adjustment_line", results, nulls, &scale);
	for (i = 0; i < n; i++)
	{
		Numeric		restated = nulls[i] ? spm_numeric_round(int64_to_numeric(0), Max(scale, 0))
			: DatumGetNumeric(results[i]);

		CHECK_FOR_INTERRUPTS();
		nulls[i] = false;
		if (unpaid[i])
			results[i] = NumericGetDatum(restated);
		else
		{
			check_paid_line(DatumGetNumeric(paid[i]), scale);
			results[i] = NumericGetDatum(spm_numeric_sub(restated, DatumGetNumeric(paid[i])));
		}
	}
	pfree(paid);
	pfree(unpaid);
}

/* adjustment_line(restated, paid, scale, rounding) OVER (PARTITION BY statement ORDER BY line_no) */
PG_FUNCTION_INFO_V1(spm_adjustment_line);
Datum
spm_adjustment_line(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_adjustment_line);
}
