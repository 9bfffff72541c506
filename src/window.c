/*
 * window.c: rows of one group.  Window functions that compute a whole partition on
 * its first row (allocate_share, split_share, round_line, territory_index,
 * propose_territory) and return each row its own result; and the one error for an
 * argument that must be the same on every row of a group or partition but is not, the
 * errors of a corrupted or badly sent state value, and the interrupt check the cores poll.  It knows nothing of what the functions compute.
 */
#include "spm.h"

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

/* A window partition's results, computed on its first row. */
typedef struct PartitionResults
{
	bool		computed;
	int16		typlen;			/* of the function's result */
	bool		typbyval;
	Datum	   *results;
	bool	   *nulls;
} PartitionResults;

Datum
spm_partition_result(FunctionCallInfo fcinfo, SpmPartitionCompute compute)
{
	WindowObject win = PG_WINDOW_OBJECT();
	PartitionResults *out = WinGetPartitionLocalMemory(win, sizeof(PartitionResults));
	int64		pos = WinGetCurrentPosition(win);

	if (!out->computed)
	{
		/* the results must live as long as the partition, like out itself */
		MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(out));
		int64		n = WinGetPartitionRowCount(win);

		get_typlenbyval(get_fn_expr_rettype(fcinfo->flinfo), &out->typlen, &out->typbyval);
		out->results = palloc0(sizeof(Datum) * Max(n, 1));
		out->nulls = palloc0(sizeof(bool) * Max(n, 1));
		compute(fcinfo, win, n, out->results, out->nulls);
		out->computed = true;
		MemoryContextSwitchTo(old);
	}
	if (out->nulls[pos])
		PG_RETURN_NULL();
	/* a copy in the caller's context: the partition's memory goes with the partition */
	return datumCopy(out->results[pos], out->typbyval, out->typlen);
}

/* The type of argument argno, looked up once for a whole column. */
static void
arg_type(FunctionCallInfo fcinfo, int argno, Oid *type, int16 *typlen, bool *typbyval)
{
	*type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	get_typlenbyval(*type, typlen, typbyval);
}

/* Argument argno of partition row pos, as read: valid until the next read. */
static Datum
arg_in_slot(WindowObject win, int argno, int64 pos, bool *isnull)
{
	bool		isout;

	return WinGetFuncArgInPartition(win, argno, (int) pos, WINDOW_SEEK_HEAD, false,
									isnull, &isout);
}

/* The same, copied. */
static Datum
arg_copy(WindowObject win, int argno, int64 pos, int16 typlen, bool typbyval, bool *isnull)
{
	Datum		value = arg_in_slot(win, argno, pos, isnull);

	return *isnull ? (Datum) 0 : datumCopy(value, typbyval, typlen);
}

Datum
spm_partition_arg(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 pos,
				  bool *isnull)
{
	Oid			type;
	int16		typlen;
	bool		typbyval;

	arg_type(fcinfo, argno, &type, &typlen, &typbyval);
	return arg_copy(win, argno, pos, typlen, typbyval, isnull);
}

void
spm_partition_column(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 n,
					 Datum *values, bool *nulls)
{
	Oid			type;
	int16		typlen;
	bool		typbyval;
	int64		pos;

	arg_type(fcinfo, argno, &type, &typlen, &typbyval);
	for (pos = 0; pos < n; pos++)
	{
		CHECK_FOR_INTERRUPTS();
		values[pos] = arg_copy(win, argno, pos, typlen, typbyval, &nulls[pos]);
	}
}

/* Two non-NULL values of type type are the same (numerics by value: 100 is 100.00). */
static bool
same_value(Oid type, int16 typlen, bool typbyval, Datum a, Datum b)
{
	if (type == NUMERICOID)
		return spm_numeric_cmp(DatumGetNumeric(a), DatumGetNumeric(b)) == 0;
	return datum_image_eq(a, b, typbyval, typlen);
}

/*
 * A value of type type as text for messages, cut after 200 characters; a string is
 * quoted, so that '' and 'NULL' are not mistaken for nothing and NULL.
 */
static char *
value_text(Oid type, Datum value, bool isnull)
{
	Oid			output;
	bool		varlena;
	char		category;
	bool		preferred;
	char	   *text;

	if (isnull)
		return "NULL";
	if (type == NUMERICOID)
		text = spm_numeric_text(DatumGetNumeric(value));
	else
	{
		getTypeOutputInfo(type, &output, &varlena);
		text = OidOutputFunctionCall(output, value);
	}
	if (strlen(text) > 200)
		text = psprintf("%.*s...", pg_mbcliplen(text, strlen(text), 200), text);
	get_type_category_preferred(type, &category, &preferred);
	return category == TYPCATEGORY_STRING ? quote_literal_cstr(text) : text;
}

Datum
spm_partition_constant(FunctionCallInfo fcinfo, WindowObject win, int argno, int64 n,
					   bool *isnull, const char *what, const char *fn, const char *hint)
{
	Oid			type;
	int16		typlen;
	bool		typbyval;
	bool		first_null;
	Datum		first;
	int64		pos;

	arg_type(fcinfo, argno, &type, &typlen, &typbyval);
	first = arg_copy(win, argno, 0, typlen, typbyval, &first_null);
	/* row 0 too, which checks it for NULL */
	for (pos = 0; pos < n; pos++)
	{
		bool		row_null;
		Datum		value = arg_in_slot(win, argno, pos, &row_null);

		CHECK_FOR_INTERRUPTS();
		if (row_null && isnull == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the %s of %s must not be NULL", what, fn),
					 errhint("Filter out rows whose %s is NULL, or COALESCE it.", what)));
		if (row_null != first_null ||
			(!row_null && !same_value(type, typlen, typbyval, first, value)))
			spm_differs_between_rows(what, fn, value_text(type, first, first_null),
									 value_text(type, value, row_null), pos + 1, hint);
	}
	if (isnull != NULL)
		*isnull = first_null;
	return first;
}

void
spm_differs_between_rows(const char *what, const char *fn, const char *first,
						 const char *other, int64 row, const char *hint)
{
	if (row > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the %s of %s differs between rows of one window partition", what, fn),
				 errdetail("Row 1 of the partition has %s; row %lld has %s.", first, (long long) row, other),
				 errhint("%s", hint)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the %s of %s differs between rows of one group", what, fn),
			 errdetail("One row of the group has %s; another has %s.", first, other),
			 errhint("%s", hint)));
}

void
spm_corrupted_value(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted %s value", type_name),
			 errdetail("Its version or size does not match this version of spm.")));
}

void
spm_bad_binary(const char *type_name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("invalid external binary %s value", type_name),
			 errdetail("%s", detail),
			 errhint("Send values produced by this version of spm's send function.")));
}

void
spm_check_for_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}
