/*
 * quota.c: quota attainment, per row and per group.
 *
 * Group attainment is sum(actual) / sum(quota), never an average of ratios.  Its
 * aggregate state is numeric[2] = {sum of actual, sum of quota}: a real SQL type, so
 * parallel workers and Citus can ship partial states as text.
 */
#include "spm.h"
#include "spm_core.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/fmgrprotos.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "windowapi.h"

#define STATE_ACTUAL 0
#define STATE_QUOTA  1
#define STATE_LEN	 2

/* Reject what no quota can be: NaN, Infinity, below zero. */
static void
check_quota(Numeric quota)
{
	spm_require_finite(quota, "quota");
	if (spm_numeric_sign(quota) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota must not be negative"),
				 errdetail("The quota given was %s.", numeric_normalize(quota)),
				 errhint("Store quotas as amounts of zero or more; a zero quota gives a NULL attainment.")));
}

/* actual / quota, or NULL when the quota is zero. */
static Numeric
attainment_of(Numeric actual, Numeric quota, bool *isnull)
{
	*isnull = (spm_numeric_sign(quota) == 0);
	return *isnull ? NULL : spm_numeric_div(actual, quota);
}

PG_FUNCTION_INFO_V1(spm_attainment);
Datum
spm_attainment(PG_FUNCTION_ARGS)
{
	Numeric		actual = PG_GETARG_NUMERIC(0);
	Numeric		quota = PG_GETARG_NUMERIC(1);
	Numeric		result;
	bool		isnull;

	spm_require_finite(actual, "actual");
	check_quota(quota);
	result = attainment_of(actual, quota, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

/* Unpack a {actual, quota} state; anything else is a corrupted state. */
static void
state_get(ArrayType *state, Numeric *sums)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	if (ARR_NDIM(state) != 1 || ARR_ELEMTYPE(state) != NUMERICOID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid attainment state"),
				 errdetail("The state must be a one-dimensional numeric array {sum of actual, sum of quota}.")));
	deconstruct_array(state, NUMERICOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &n);
	if (n != STATE_LEN || nulls[0] || nulls[1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid attainment state"),
				 errdetail("The state must hold exactly two non-NULL sums, {sum of actual, sum of quota}.")));
	sums[STATE_ACTUAL] = DatumGetNumeric(elems[0]);
	sums[STATE_QUOTA] = DatumGetNumeric(elems[1]);
	spm_require_finite(sums[STATE_ACTUAL], "the state's sum of actual");
	check_quota(sums[STATE_QUOTA]);
}

static ArrayType *
state_make(Numeric *sums)
{
	Datum		elems[STATE_LEN] = {NumericGetDatum(sums[0]), NumericGetDatum(sums[1])};

	return construct_array(elems, STATE_LEN, NUMERICOID, -1, false, TYPALIGN_INT);
}

/* Add (sign 1) or remove (sign -1) one row's non-NULL actual and quota. */
static Datum
attainment_step(FunctionCallInfo fcinfo, int sign)
{
	Numeric		sums[STATE_LEN];
	int			i;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "attainment transition called in non-aggregate context");
	state_get(PG_GETARG_ARRAYTYPE_P(0), sums);
	for (i = 0; i < STATE_LEN; i++)
	{
		Numeric		value;

		if (PG_ARGISNULL(i + 1))
			continue;
		value = PG_GETARG_NUMERIC(i + 1);
		if (i == STATE_QUOTA)
			check_quota(value);
		else
			spm_require_finite(value, "actual");
		sums[i] = sign > 0 ? spm_numeric_add(sums[i], value)
			: spm_numeric_sub(sums[i], value);
	}
	PG_RETURN_ARRAYTYPE_P(state_make(sums));
}

PG_FUNCTION_INFO_V1(spm_attainment_accum);
Datum
spm_attainment_accum(PG_FUNCTION_ARGS)
{
	return attainment_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(spm_attainment_accum_inv);
Datum
spm_attainment_accum_inv(PG_FUNCTION_ARGS)
{
	return attainment_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(spm_attainment_combine);
Datum
spm_attainment_combine(PG_FUNCTION_ARGS)
{
	Numeric		left[STATE_LEN];
	Numeric		right[STATE_LEN];
	int			i;

	state_get(PG_GETARG_ARRAYTYPE_P(0), left);
	state_get(PG_GETARG_ARRAYTYPE_P(1), right);
	for (i = 0; i < STATE_LEN; i++)
		left[i] = spm_numeric_add(left[i], right[i]);
	PG_RETURN_ARRAYTYPE_P(state_make(left));
}

PG_FUNCTION_INFO_V1(spm_attainment_final);
Datum
spm_attainment_final(PG_FUNCTION_ARGS)
{
	Numeric		sums[STATE_LEN];
	Numeric		result;
	bool		isnull;

	state_get(PG_GETARG_ARRAYTYPE_P(0), sums);
	result = attainment_of(sums[STATE_ACTUAL], sums[STATE_QUOTA], &isnull);
	if (isnull)
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(result);
}

/* Currency units run from thousands (-3 .. with care, -9) to 12 decimal places. */
#define MIN_ALLOCATION_SCALE (-9)
#define MAX_ALLOCATION_SCALE 12

static void
check_allocation_scale(int scale)
{
	if (scale < MIN_ALLOCATION_SCALE || scale > MAX_ALLOCATION_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("allocation scale %d is out of range", scale),
				 errhint("Pass the number of decimal places of the currency unit, from %d to %d (2 for cents, 0 for whole units, -3 for thousands).",
						 MIN_ALLOCATION_SCALE, MAX_ALLOCATION_SCALE)));
}

/* The total as a count of currency units; it must be a whole number of them. */
static int64
allocation_total_units(Numeric total, int scale)
{
	int64		units = 0;

	spm_require_finite(total, "the total to allocate");
	switch (spm_numeric_to_units(total, scale, &units))
	{
		case SPM_UNITS_FRACTIONAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("total %s is not a whole number of currency units at scale %d",
							numeric_normalize(total), scale),
					 errhint("Round the total first, e.g. round(total, %d), or pass a larger scale.", scale)));
			break;
		case SPM_UNITS_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("total %s has too many currency units to allocate", numeric_normalize(total)),
					 errdetail("spm allocates at most 9223372036854775807 units."),
					 errhint("Pass a smaller scale.")));
			break;
		case SPM_UNITS_OK:
			break;
	}
	return units;
}

/* Weights as integers at their common scale; NULLs are left out (nulls[i] set). */
static void
allocation_weights(Datum *elems, bool *nulls, int n, int64 *weights)
{
	int			scale = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		Numeric		weight;

		if (nulls[i])
			continue;
		weight = DatumGetNumeric(elems[i]);
		spm_require_finite(weight, "an allocation weight");
		if (spm_numeric_sign(weight) < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("allocation weights must not be negative"),
					 errdetail("Weight %d is %s.", i + 1, numeric_normalize(weight)),
					 errhint("Use zero for a part that should get nothing.")));
		scale = Max(scale, spm_numeric_min_scale(weight));
	}
	for (i = 0; i < n; i++)
		if (!nulls[i] &&
			spm_numeric_to_units(DatumGetNumeric(elems[i]), scale, &weights[i]) != SPM_UNITS_OK)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("allocation weight %d is too large for its decimal places", i + 1),
					 errhint("Weights are relative: round them to fewer decimal places, e.g. round(weight, 6), or divide them all by a power of ten.")));
}

/*
 * The parts, in currency units, for weights[0..n-1]; a NULL weight (nulls[i]) takes
 * no part.  Checks the total, the scale and every weight.
 */
static int64 *
allocate_units(Numeric total, int scale, Datum *weight_datums, bool *nulls, int n)
{
	int64		total_units;
	int64	   *weights = palloc0(sizeof(int64) * Max(n, 1));
	int64	   *parts = palloc0(sizeof(int64) * Max(n, 1));
	int64	   *taken;
	SpmRemainder *scratch;
	int			taking = 0;
	int			i;

	check_allocation_scale(scale);
	total_units = allocation_total_units(total, scale);
	allocation_weights(weight_datums, nulls, n, weights);
	/* compact the non-NULL weights for the core */
	for (i = 0; i < n; i++)
		if (!nulls[i])
			weights[taking++] = weights[i];
	if (taking == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot allocate %s across no weights", numeric_normalize(total)),
				 errhint("Pass at least one non-NULL weight.")));
	taken = palloc(sizeof(int64) * taking);
	scratch = palloc(sizeof(SpmRemainder) * taking);
	if (spm_allocate_units(total_units, weights, taking, taken, scratch) != SPM_OK)
		elog(ERROR, "allocation core refused checked weights");
	for (i = n - 1; i >= 0; i--)
		if (!nulls[i])
			parts[i] = taken[--taking];
	pfree(weights);
	pfree(taken);
	pfree(scratch);
	return parts;
}

/*
 * allocate(total, weights, scale): the parts, multiples of 10^-scale summing exactly to
 * total.  A NULL weight takes no part and gets NULL.
 */
PG_FUNCTION_INFO_V1(spm_allocate);
Datum
spm_allocate(PG_FUNCTION_ARGS)
{
	Numeric		total = PG_GETARG_NUMERIC(0);
	ArrayType  *weight_array = PG_GETARG_ARRAYTYPE_P(1);
	int			scale = PG_GETARG_INT32(2);
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int64	   *parts;
	int			dims[1];
	int			lbs[1] = {1};
	int			i;

	if (ARR_NDIM(weight_array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("allocation weights must be a one-dimensional array"),
				 errhint("Pass one weight per part, e.g. ARRAY[3, 2, 1].")));
	deconstruct_array(weight_array, NUMERICOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	parts = allocate_units(total, scale, elems, nulls, n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			elems[i] = NumericGetDatum(spm_units_to_numeric(parts[i], scale));
	dims[0] = n;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(elems, nulls, 1, dims, lbs, NUMERICOID,
											 -1, false, TYPALIGN_INT));
}

/* One window partition's allocation, computed on its first row. */
typedef struct PartitionAllocation
{
	bool		computed;
	int			scale;
	bool	   *nulls;
	int64	   *parts;
} PartitionAllocation;

/* Argument argno of partition row pos, copied: the next read may reuse its slot. */
static Datum
partition_arg(WindowObject win, int argno, int64 pos, bool *isnull)
{
	bool		isout;
	Datum		value = WinGetFuncArgInPartition(win, argno, (int) pos, WINDOW_SEEK_HEAD,
												 false, isnull, &isout);

	return *isnull || argno == 2 ? value : datumCopy(value, false, -1);
}

/* Every row of a partition must carry the same non-NULL total and scale. */
static void
check_same_in_partition(Datum first, Datum other, bool isnull, bool is_total)
{
	bool		differs;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the %s of allocate_share must not be NULL", is_total ? "total" : "scale"),
				 errhint("Filter out rows whose total is NULL, or COALESCE it.")));
	differs = is_total
		? DatumGetInt32(DirectFunctionCall2(numeric_cmp, first, other)) != 0
		: DatumGetInt32(first) != DatumGetInt32(other);
	if (differs)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s of allocate_share differs between rows of one window partition",
						is_total ? "total" : "scale"),
				 errhint("PARTITION BY whatever the total belongs to (e.g. the team), so that every row of a partition carries the same total.")));
}

static void
compute_partition_allocation(WindowObject win, PartitionAllocation *alloc)
{
	int64		n = WinGetPartitionRowCount(win);
	Datum	   *weights = palloc(sizeof(Datum) * Max(n, 1));
	Datum		total;
	Datum		scale;
	bool		isnull;
	int64		pos;

	alloc->nulls = palloc(sizeof(bool) * Max(n, 1));
	total = partition_arg(win, 0, 0, &isnull);
	scale = partition_arg(win, 2, 0, &isnull);
	/* row 0 is compared with itself, which checks it for NULL */
	for (pos = 0; pos < n; pos++)
	{
		Datum		row_total = partition_arg(win, 0, pos, &isnull);
		Datum		row_scale;

		check_same_in_partition(total, row_total, isnull, true);
		row_scale = partition_arg(win, 2, pos, &isnull);
		check_same_in_partition(scale, row_scale, isnull, false);
		weights[pos] = partition_arg(win, 1, pos, &alloc->nulls[pos]);
	}
	alloc->scale = DatumGetInt32(scale);
	alloc->parts = allocate_units(DatumGetNumeric(total), alloc->scale, weights,
								  alloc->nulls, (int) n);
	alloc->computed = true;
}

/*
 * allocate_share(total, weight, scale) OVER (PARTITION BY ... ORDER BY ...): this row's
 * part of its partition's total; ties go to the row that comes first in the window order.
 */
PG_FUNCTION_INFO_V1(spm_allocate_share);
Datum
spm_allocate_share(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	PartitionAllocation *alloc = WinGetPartitionLocalMemory(win, sizeof(PartitionAllocation));
	int64		pos = WinGetCurrentPosition(win);

	if (!alloc->computed)
	{
		/* the parts must live as long as the partition, like alloc itself */
		MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(alloc));

		compute_partition_allocation(win, alloc);
		MemoryContextSwitchTo(old);
	}
	if (alloc->nulls[pos])
		PG_RETURN_NULL();
	PG_RETURN_NUMERIC(spm_units_to_numeric(alloc->parts[pos], alloc->scale));
}
