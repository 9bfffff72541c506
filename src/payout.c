/*
 * payout.c: draws across periods, split credit, exact rounding of payout lines.
 *
 * The math is in payout_core.c on 128-bit counts of units; this file checks the SQL
 * arguments, converts numerics to units of a scale at which every step is exact,
 * and reports the core's status codes as errors with hints.
 */
#include "spm.h"
#include "payout_core.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "windowapi.h"

/* Currency units run from 10^9 (scale -9) to 10^-12 (scale 12), as in allocate. */
#define PAYOUT_MIN_SCALE (-9)
#define PAYOUT_MAX_SCALE 12
/* 10^38 < 2^127: a 128-bit count of units holds up to 38 decimal digits */
#define MAX_DIGITS 38

/* ---------------------------------------------------------------- numerics as units */

/* A finite numeric as a 128-bit count of units of its own display scale. */
typedef struct Fixed
{
	spm_int128	units;
	int			scale;
} Fixed;

static void
out_of_range(const char *what, Numeric num)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s %s is out of range for exact payout arithmetic", what, numeric_normalize(num)),
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

static void
check_scale(int scale)
{
	if (scale < PAYOUT_MIN_SCALE || scale > PAYOUT_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale %d is out of range", scale),
				 errhint("Pass the decimal places of the currency unit, from %d to %d: 2 for cents, 0 for whole units.",
						 PAYOUT_MIN_SCALE, PAYOUT_MAX_SCALE)));
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
					 errdetail("The draw given was %s.", numeric_normalize(args->draw_given)),
					 errhint("Pass the amount guaranteed for the period, or 0 for no draw.")));
			break;
		case SPM_PAYOUT_SHARE_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("recovery share must be between 0 and 1"),
					 errdetail("The share given was %s.", numeric_normalize(args->share_given)),
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

/* ---------------------------------------------------------------- partitions */

/*
 * Argument argno on every row of the window partition, copied (the next read may
 * reuse the slot), in the partition's memory.
 */
static void
partition_column(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 n,
				 Datum *values, bool *nulls)
{
	int16		typlen;
	bool		typbyval;
	int64		pos;

	get_typlenbyval(get_fn_expr_argtype(fcinfo->flinfo, argno), &typlen, &typbyval);
	for (pos = 0; pos < n; pos++)
	{
		bool		isout;
		Datum		value = WinGetFuncArgInPartition(win, argno, (int) pos, WINDOW_SEEK_HEAD,
													 false, &nulls[pos], &isout);

		values[pos] = nulls[pos] ? (Datum) 0 : datumCopy(value, typbyval, typlen);
	}
}

/* Two values of a partition-wide argument of type type are the same. */
static bool
same_value(Oid type, Datum a, Datum b)
{
	switch (type)
	{
		case NUMERICOID:
			return spm_numeric_cmp(DatumGetNumeric(a), DatumGetNumeric(b)) == 0;
		case TEXTOID:
			return strcmp(TextDatumGetCString(a), TextDatumGetCString(b)) == 0;
		case BOOLOID:
			return DatumGetBool(a) == DatumGetBool(b);
		default:
			return DatumGetInt32(a) == DatumGetInt32(b);
	}
}

/*
 * The value of argument argno, which every row of the partition must carry, non-NULL
 * and the same; what names it and fn the window function in messages.
 */
static Datum
partition_constant(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 n,
				   const char *what, const char *fn, const char *partition_hint)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	Datum	   *values = palloc(sizeof(Datum) * n);
	bool	   *nulls = palloc(sizeof(bool) * n);
	int64		pos;

	partition_column(fcinfo, win, argno, n, values, nulls);
	for (pos = 0; pos < n; pos++)
	{
		if (nulls[pos])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the %s of %s must not be NULL", what, fn),
					 errhint("Filter out rows whose %s is NULL, or COALESCE it.", what)));
		if (!same_value(type, values[0], values[pos]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the %s of %s differs between rows of one window partition", what, fn),
					 errhint("%s", partition_hint)));
	}
	return values[0];
}

/* Results of a window partition, computed on its first row. */
typedef struct PartitionParts
{
	bool		computed;
	bool	   *nulls;
	Numeric    *parts;
} PartitionParts;

/*
 * The parts of the current row's partition; compute fills them on the first row, in
 * memory that lives as long as the partition.
 */
static PartitionParts *
partition_parts(FunctionCallInfo fcinfo, void (*compute) (FunctionCallInfo, WindowObject, int64, PartitionParts *))
{
	WindowObject win = PG_WINDOW_OBJECT();
	PartitionParts *parts = WinGetPartitionLocalMemory(win, sizeof(PartitionParts));

	if (!parts->computed)
	{
		MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(parts));
		int64		n = WinGetPartitionRowCount(win);

		parts->nulls = palloc(sizeof(bool) * Max(n, 1));
		parts->parts = palloc(sizeof(Numeric) * Max(n, 1));
		compute(fcinfo, win, n, parts);
		parts->computed = true;
		MemoryContextSwitchTo(old);
	}
	return parts;
}

static Datum
partition_part(FunctionCallInfo fcinfo, PartitionParts *parts)
{
	int64		pos = WinGetCurrentPosition(PG_WINDOW_OBJECT());

	if (parts->nulls[pos])
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(parts->parts[pos]);
}

/* Elements of a one-dimensional numeric array. */
static int
numeric_elements(ArrayType *array, const char *what, const char *hint, Datum **elems, bool **nulls)
{
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what),
				 errhint("%s", hint)));
	deconstruct_array(array, NUMERICOID, -1, false, TYPALIGN_INT, elems, nulls, &n);
	return n;
}

/* A numeric array of parts standing where the input's elements stood. */
static ArrayType *
parts_array(ArrayType *input, int n, Numeric *parts, bool *nulls)
{
	Datum	   *elems = palloc(sizeof(Datum) * Max(n, 1));
	int			dims[1] = {n};
	int			lbs[1] = {ARR_NDIM(input) == 1 ? ARR_LBOUND(input)[0] : 1};
	int			i;

	for (i = 0; i < n; i++)
		elems[i] = nulls[i] ? (Datum) 0 : NumericGetDatum(parts[i]);
	return construct_md_array(elems, nulls, 1, dims, lbs, NUMERICOID, -1, false, TYPALIGN_INT);
}

/* ---------------------------------------------------------------- splits */

/*
 * Split amount by shares (shares[0..n-1], non-NULL) into parts, whole units of
 * 10^-scale; overlay allows shares summing above 1.  how_overlay tells the user how
 * to allow overlays in this function's syntax.
 */
static void
split_parts(Numeric amount, Datum *shares, int n, bool overlay, int scale,
			const char *how_overlay, Numeric *parts)
{
	int64		amount_units = 0;
	int64	   *share_units = palloc(sizeof(int64) * Max(n, 1));
	int64	   *part_units = palloc(sizeof(int64) * Max(n, 1));
	spm_int128 *work = palloc(sizeof(spm_int128) * Max(n, 1));
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * Max(n, 1));
	Numeric		sum = int64_to_numeric(0);
	int			share_scale = 0;
	int			i;

	check_scale(scale);
	spm_require_finite(amount, "amount");
	if (spm_numeric_to_units(amount, scale, &amount_units) != SPM_UNITS_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("amount %s is not a whole number of currency units at scale %d",
						numeric_normalize(amount), scale),
				 errhint("Round the amount first, e.g. round(amount, %d), or pass a larger scale.", scale)));
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot split %s among no shares", numeric_normalize(amount)),
				 errhint("Pass one share per rep, e.g. ARRAY[0.6, 0.4].")));
	for (i = 0; i < n; i++)
	{
		Numeric		share = DatumGetNumeric(shares[i]);

		if (numeric_is_nan(share) || numeric_is_inf(share) ||
			spm_numeric_sign(share) < 0 || spm_numeric_cmp(share, int64_to_numeric(1)) > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("split shares must be between 0 and 1"),
					 errdetail("Share %d is %s.", i + 1, numeric_normalize(share)),
					 errhint("Give each rep the fraction of the deal credited to them, e.g. 0.5 for half.")));
		sum = spm_numeric_add(sum, share);
		share_scale = Max(share_scale, spm_numeric_min_scale(share));
	}
	if (share_scale > 18)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("split shares have more than 18 decimal places"),
				 errhint("Round the shares, e.g. round(share, 6), keeping their sum at 1.")));
	/* a share is at most 1 and has at most 18 decimals: it fits in 64 bits */
	for (i = 0; i < n; i++)
		if (spm_numeric_to_units(DatumGetNumeric(shares[i]), share_scale, &share_units[i]) != SPM_UNITS_OK)
			elog(ERROR, "split share does not convert at its own scale");
	switch (spm_split_units(amount_units, share_units, n, (int64) spm_pow10_128(share_scale),
							overlay, part_units, work, scratch))
	{
		case SPM_PAYOUT_OK:
			break;
		case SPM_PAYOUT_SHARES_NOT_ONE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("split shares must sum to 1"),
					 errdetail("The shares sum to %s.", numeric_normalize(sum)),
					 errhint("Correct the shares so that they sum to exactly 1; for overlay credit, which need not sum to 1, %s.",
							 how_overlay)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("split of %s is out of range", numeric_normalize(amount)),
					 errhint("Pass fewer decimal places in the shares, or a smaller scale.")));
	}
	for (i = 0; i < n; i++)
		parts[i] = spm_units_to_numeric(part_units[i], scale);
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

/* split(amount, shares, overlay, scale) */
PG_FUNCTION_INFO_V1(spm_split);
Datum
spm_split(PG_FUNCTION_ARGS)
{
	ArrayType  *share_array = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *shares;
	bool	   *nulls;
	Numeric    *parts;
	int			n;

	n = numeric_elements(share_array, "split shares",
						 "Pass one share per rep, e.g. ARRAY[0.6, 0.4].", &shares, &nulls);
	check_shares_given(nulls, n);
	parts = palloc(sizeof(Numeric) * Max(n, 1));
	split_parts(PG_GETARG_NUMERIC(0), shares, n, PG_GETARG_BOOL(2), PG_GETARG_INT32(3),
				"pass allow_overlay => true", parts);
	PG_RETURN_ARRAYTYPE_P(parts_array(share_array, n, parts, nulls));
}

static const char *const deal_partition_hint =
"PARTITION BY the deal, so that every row of a partition carries the same amount, overlay flag and scale.";

static void
compute_split_share(FunctionCallInfo fcinfo, WindowObject win, int64 n, PartitionParts *parts)
{
	Datum	   *shares = palloc(sizeof(Datum) * Max(n, 1));
	Datum		amount = partition_constant(fcinfo, win, 0, n, "amount", "split_share", deal_partition_hint);
	Datum		overlay = partition_constant(fcinfo, win, 2, n, "overlay flag", "split_share", deal_partition_hint);
	Datum		scale = partition_constant(fcinfo, win, 3, n, "scale", "split_share", deal_partition_hint);

	partition_column(fcinfo, win, 1, n, shares, parts->nulls);
	check_shares_given(parts->nulls, (int) n);
	split_parts(DatumGetNumeric(amount), shares, (int) n, DatumGetBool(overlay),
				DatumGetInt32(scale), "pass true as the third argument", parts->parts);
}

/* split_share(amount, share, overlay, scale) OVER (PARTITION BY deal ORDER BY rep) */
PG_FUNCTION_INFO_V1(spm_split_share);
Datum
spm_split_share(PG_FUNCTION_ARGS)
{
	return partition_part(fcinfo, partition_parts(fcinfo, compute_split_share));
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
 * they sum exactly to their total rounded by rule.
 */
static void
round_parts(Datum *lines, bool *nulls, int n, int scale, SpmRounding rule, Numeric *parts)
{
	Fixed	   *fixed = palloc(sizeof(Fixed) * Max(n, 1));
	spm_int128 *units = palloc(sizeof(spm_int128) * Max(n, 1));
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * Max(n, 1));
	int			line_scale = Max(scale, 0);
	int			taking = 0;
	int			i;

	check_scale(scale);
	for (i = 0; i < n; i++)
		if (!nulls[i])
		{
			spm_require_finite(DatumGetNumeric(lines[i]), "a payout line");
			fixed[i] = fixed_of(DatumGetNumeric(lines[i]), "payout line");
			line_scale = Max(line_scale, fixed[i].scale);
		}
	if (line_scale - scale > MAX_DIGITS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("payout lines have too many decimal places to round exactly"),
				 errhint("Round the lines to at most %d decimal places first, e.g. round(line, 20).",
						 MAX_DIGITS + scale)));
	/* compact the non-NULL lines, at one scale, for the core */
	for (i = 0; i < n; i++)
		if (!nulls[i])
			units[taking++] = fixed_at(fixed[i], line_scale, DatumGetNumeric(lines[i]), "payout line");
	if (taking > 0 &&
		spm_round_lines(units, taking, spm_pow10_128(line_scale - scale), rule, units,
						scratch) != SPM_PAYOUT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("payout lines sum beyond the range of exact rounding"),
				 errhint("Round the lines to fewer decimal places first.")));
	for (i = n - 1; i >= 0; i--)
		if (!nulls[i])
			parts[i] = numeric_at(units[--taking], scale, Max(scale, 0));
}

/* round_lines(lines, scale, rounding) */
PG_FUNCTION_INFO_V1(spm_round_lines_array);
Datum
spm_round_lines_array(PG_FUNCTION_ARGS)
{
	ArrayType  *line_array = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *lines;
	bool	   *nulls;
	Numeric    *parts;
	int			n;

	n = numeric_elements(line_array, "payout lines",
						 "Pass the lines of one statement, e.g. ARRAY[10.005, 20.005].", &lines, &nulls);
	parts = palloc(sizeof(Numeric) * Max(n, 1));
	round_parts(lines, nulls, n, PG_GETARG_INT32(1), rounding_rule(PG_GETARG_TEXT_PP(2)), parts);
	PG_RETURN_ARRAYTYPE_P(parts_array(line_array, n, parts, nulls));
}

static const char *const statement_partition_hint =
"PARTITION BY the statement (e.g. the rep and period), so that every row of a partition carries the same scale and rounding rule.";

static void
compute_round_line(FunctionCallInfo fcinfo, WindowObject win, int64 n, PartitionParts *parts)
{
	Datum	   *lines = palloc(sizeof(Datum) * Max(n, 1));
	Datum		scale = partition_constant(fcinfo, win, 1, n, "scale", "round_line",
										   statement_partition_hint);
	Datum		rule = partition_constant(fcinfo, win, 2, n, "rounding rule", "round_line",
										  statement_partition_hint);

	partition_column(fcinfo, win, 0, n, lines, parts->nulls);
	round_parts(lines, parts->nulls, (int) n, DatumGetInt32(scale),
				rounding_rule(DatumGetTextPP(rule)), parts->parts);
}

/* round_line(line, scale, rounding) OVER (PARTITION BY statement ORDER BY line_no) */
PG_FUNCTION_INFO_V1(spm_round_line);
Datum
spm_round_line(PG_FUNCTION_ARGS)
{
	return partition_part(fcinfo, partition_parts(fcinfo, compute_round_line));
}
