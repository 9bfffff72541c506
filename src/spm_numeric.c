/*
 * spm_numeric.c: numerics in the backend, shared by every area's glue (see
 * spm_numeric.h).  The plain-C side, decoding numerics into 128-bit fixed point, is
 * fixed_point_core.c; this file must not grow area math, only what two areas share.
 */
#include "spm.h"

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

PG_MODULE_MAGIC;

int
spm_numeric_sign(Numeric num)
{
	int			sign = 0;

	if (spm_numeric_payload_sign((const unsigned char *) VARDATA_ANY(num),
								 VARSIZE_ANY_EXHDR(num), &sign) != SPM_FIXED_OK)
		elog(ERROR, "sign of a non-finite numeric");
	return sign;
}

int
spm_numeric_dscale(Numeric num)
{
	int			dscale = 0;

	/* NaN and infinities have no places (numeric's scale() gives NULL) */
	if (spm_numeric_payload_dscale((const unsigned char *) VARDATA_ANY(num),
								   VARSIZE_ANY_EXHDR(num), &dscale) != SPM_FIXED_OK)
		return 0;
	return dscale;
}

char *
spm_numeric_text(Numeric num)
{
	return numeric_normalize((Numeric) PG_DETOAST_DATUM(PointerGetDatum(num)));
}

char *
spm_numeric_out(Numeric num)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
}

Numeric
spm_numeric_in(const char *text)
{
	return DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(text),
											   ObjectIdGetDatum(InvalidOid),
											   Int32GetDatum(-1)));
}

int
spm_finite_sign(Numeric num, const char *what)
{
	int			sign = 0;

	if (spm_numeric_payload_sign((const unsigned char *) VARDATA_ANY(num),
								 VARSIZE_ANY_EXHDR(num), &sign) != SPM_FIXED_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what),
				 errdetail("The value given was %s.", spm_numeric_text(num)),
				 errhint("Replace NaN and Infinity with a real amount, or filter those rows out.")));
	return sign;
}

void
spm_require_finite(Numeric num, const char *what)
{
	(void) spm_finite_sign(num, what);
}

void
spm_require_not_negative(Numeric num, const char *what, const char *hint)
{
	if (spm_finite_sign(num, what) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be negative", what),
				 errdetail("The value given was %s.", spm_numeric_text(num)),
				 errhint("%s", hint)));
}

/*
 * The integer quotient of numerator * 10^scale by the denominator, plus one (away from
 * zero) when twice the remainder reaches the denominator, times 10^-scale.
 */
Numeric
spm_numeric_round_ratio(Numeric numerator, Numeric denominator, int scale)
{
	Numeric		scaled = spm_numeric_mul(numerator, spm_numeric_pow10(scale));
	Numeric		quotient = spm_numeric_div_trunc(scaled, denominator);
	Numeric		remainder = spm_numeric_sub(scaled, spm_numeric_mul(quotient, denominator));
	int			sign = spm_numeric_sign(remainder);

	if (sign != 0)
	{
		Numeric		twice = spm_numeric_mul(remainder, int64_to_numeric(2 * sign));

		if (spm_numeric_cmp(twice, denominator) >= 0)
			quotient = spm_numeric_add(quotient, int64_to_numeric(sign));
	}
	return spm_numeric_mul(quotient, spm_numeric_pow10(-scale));
}

int
spm_numeric_min_scale(Numeric num)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_min_scale, NumericGetDatum(num)));
}

/* num * 10^scale as a 64-bit integer, e.g. 12.34 at scale 2 is 1234 cents. */
SpmUnits
spm_numeric_to_units(Numeric num, int scale, int64 *units)
{
	Numeric		scaled = spm_numeric_mul(num, spm_numeric_pow10(scale));
	Numeric		whole = DatumGetNumeric(DirectFunctionCall2(numeric_trunc, NumericGetDatum(scaled),
															Int32GetDatum(0)));

	if (spm_numeric_cmp(whole, scaled) != 0)
		return SPM_UNITS_FRACTIONAL;
	if (spm_numeric_cmp(whole, int64_to_numeric(PG_INT64_MIN)) <= 0 ||
		spm_numeric_cmp(whole, int64_to_numeric(PG_INT64_MAX)) > 0)
		return SPM_UNITS_OUT_OF_RANGE;
	*units = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(whole)));
	return SPM_UNITS_OK;
}

/* A currency unit's scale argument: 22023 outside SPM_MIN_SCALE..SPM_MAX_SCALE. */
void
spm_check_scale(int scale)
{
	if (scale < SPM_MIN_SCALE || scale > SPM_MAX_SCALE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("scale %d is out of range", scale),
				 errhint("Pass the number of decimal places of the currency unit, from %d to %d (2 for cents, 0 for whole units, -3 for thousands).",
						 SPM_MIN_SCALE, SPM_MAX_SCALE)));
}

/* num (finite) as a whole count of 10^-scale currency units; what names it in messages. */
int64
spm_whole_units(Numeric num, int scale, const char *what)
{
	int64		units = 0;

	switch (spm_numeric_to_units(num, scale, &units))
	{
		case SPM_UNITS_FRACTIONAL:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s %s is not a whole number of currency units at scale %d",
							what, spm_numeric_text(num), scale),
					 errhint("Round the %s first, e.g. round(%s, %d), or pass a larger scale.", what, what, scale)));
			break;
		case SPM_UNITS_OUT_OF_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s %s has too many currency units at scale %d", what, spm_numeric_text(num), scale),
					 errdetail("spm counts at most 9223372036854775807 units."),
					 errhint("Pass a smaller scale, e.g. 0 for whole units.")));
			break;
		case SPM_UNITS_OK:
			break;
	}
	return units;
}

/* units * 10^-scale, shown with scale decimals. */
Numeric
spm_units_to_numeric(int64 units, int scale)
{
	return int64_div_fast_to_numeric(units, scale);
}

bool
spm_numeric_to_fixed(Numeric num, int scale, spm_int128 *units)
{
	int			dscale;

	return spm_decode_numeric((const unsigned char *) VARDATA_ANY(num),
							  VARSIZE_ANY_EXHDR(num), scale, units, &dscale) == SPM_FIXED_OK;
}

bool
spm_numeric_to_fixed_dscale(Numeric num, spm_int128 *units, int *dscale)
{
	return spm_decode_numeric((const unsigned char *) VARDATA_ANY(num),
							  VARSIZE_ANY_EXHDR(num), SPM_OWN_SCALE, units, dscale) == SPM_FIXED_OK;
}

Numeric
spm_fixed_to_numeric(spm_int128 units, int scale)
{
	/* written straight in numeric's format: one allocation, no numeric arithmetic */
	Numeric		result = palloc(VARHDRSZ + SPM_NUMERIC_PAYLOAD_MAX);
	size_t		len;

	if (spm_encode_numeric(units, scale, (unsigned char *) VARDATA(result), &len) != SPM_FIXED_OK)
		elog(ERROR, "fixed-point scale %d out of range", scale);
	SET_VARSIZE(result, VARHDRSZ + len);
	return result;
}

int
spm_numeric_list(ArrayType *array, const char *what, const char *hint, Datum **elems, bool **nulls)
{
	int			n;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", what),
				 hint ? errhint("%s", hint) : 0));
	deconstruct_array(array, NUMERICOID, -1, false, TYPALIGN_INT, elems, nulls, &n);
	return n;
}

int
spm_numeric_list_no_nulls(ArrayType *array, const char *what, const char *hint,
						  const char *null_hint, Datum **elems)
{
	bool	   *nulls;
	int			n = spm_numeric_list(array, what, hint, elems, &nulls);
	int			i;

	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what),
					 errdetail("Element %d is NULL.", i + 1),
					 errhint("%s", null_hint)));
	return n;
}
