/*
 * bare_call.c: a test-only module, not part of spm (test/bare/run builds it in a copy).
 *
 * bare_call(fn, VARIADIC args text[]) calls fn the way Citus's coordinator calls an
 * aggregate's final function after combining the workers' states: fmgr_info,
 * InitFunctionCallInfoData and FunctionCallInvoke.  So there is no call expression
 * (flinfo->fn_expr is NULL: get_fn_expr_rettype and get_fn_expr_argtype give InvalidOid),
 * no aggregate context (fcinfo->context is NULL, stricter than Citus, which passes its own
 * aggregate's) and no ReturnSetInfo.
 *
 * Each argument is read with its declared type's input function; arguments past the given
 * ones are NULL, as Citus passes a FINALFUNC_EXTRA final function's extra arguments.  A
 * strict function with a NULL argument is not called and gives NULL, as in the executor.
 * The result is written with the declared return type's output function (record_out for a
 * composite, array_out for an array of composites); a composite, or an array's elements,
 * must carry the declared type, not an anonymous record.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(bare_call);

Datum
bare_call(PG_FUNCTION_ARGS)
{
	Oid			fn,
				rettype,
				elemtype,
			   *argtypes;
	int			nargs,
				ngiven = 0,
				i;
	Datum	   *given = NULL;
	bool	   *given_null = NULL;
	FmgrInfo	flinfo;
	LOCAL_FCINFO(call, FUNC_MAX_ARGS);
	Datum		result;
	Oid			typoutput;
	bool		typisvarlena;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	fn = PG_GETARG_OID(0);
	rettype = get_func_signature(fn, &argtypes, &nargs);
	if (get_func_prokind(fn) != PROKIND_FUNCTION || get_func_retset(fn))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s is not a plain function returning one value", format_procedure(fn)),
				 errdetail("Aggregates, window and set-returning functions need the executor.")));
	if (!PG_ARGISNULL(1))
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT,
						  &given, &given_null, &ngiven);
	if (ngiven > nargs)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("%s takes %d arguments, not %d", format_procedure(fn), nargs, ngiven)));

	fmgr_info(fn, &flinfo);		/* fn_expr stays NULL */
	InitFunctionCallInfoData(*call, &flinfo, nargs, PG_GET_COLLATION(), NULL, NULL);
	for (i = 0; i < nargs; i++)
	{
		Oid			typinput,
					typioparam;

		call->args[i].isnull = i >= ngiven || given_null[i];
		call->args[i].value = (Datum) 0;
		if (call->args[i].isnull)
		{
			if (flinfo.fn_strict)
				PG_RETURN_NULL();
			continue;
		}
		getTypeInputInfo(argtypes[i], &typinput, &typioparam);
		call->args[i].value = OidInputFunctionCall(typinput, TextDatumGetCString(given[i]),
												   typioparam, -1);
	}

	result = FunctionCallInvoke(call);
	if (call->isnull)
		PG_RETURN_NULL();

	if (get_typtype(rettype) == TYPTYPE_COMPOSITE &&
		HeapTupleHeaderGetTypeId(DatumGetHeapTupleHeader(result)) != rettype)
		elog(ERROR, "%s returned a row of type %s, not of its declared %s", format_procedure(fn),
			 format_type_be(HeapTupleHeaderGetTypeId(DatumGetHeapTupleHeader(result))),
			 format_type_be(rettype));
	elemtype = get_element_type(rettype);
	if (OidIsValid(elemtype) && ARR_ELEMTYPE(DatumGetArrayTypeP(result)) != elemtype)
		elog(ERROR, "%s returned an array of %s, not of its declared %s", format_procedure(fn),
			 format_type_be(ARR_ELEMTYPE(DatumGetArrayTypeP(result))), format_type_be(elemtype));

	getTypeOutputInfo(rettype, &typoutput, &typisvarlena);
	PG_RETURN_TEXT_P(cstring_to_text(OidOutputFunctionCall(typoutput, result)));
}
