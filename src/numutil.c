/*
 * numutil.c: numeric helpers shared by every spm area.
 */
#include "spm.h"

#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

PG_MODULE_MAGIC;

int
spm_numeric_sign(Numeric num)
{
	/* made once per backend: this runs on every aggregated row */
	static Numeric zero = NULL;

	if (zero == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(TopMemoryContext);

		zero = int64_to_numeric(0);
		MemoryContextSwitchTo(old);
	}
	return spm_numeric_cmp(num, zero);
}

void
spm_require_finite(Numeric num, const char *what)
{
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", what),
				 errdetail("The value given was %s.",
						   numeric_normalize(num)),
				 errhint("Replace NaN and Infinity with a real amount, or filter those rows out.")));
}

Numeric
spm_numeric_add(Numeric a, Numeric b)
{
	return numeric_add_opt_error(a, b, NULL);
}

Numeric
spm_numeric_sub(Numeric a, Numeric b)
{
	return numeric_sub_opt_error(a, b, NULL);
}

Numeric
spm_numeric_mul(Numeric a, Numeric b)
{
	return numeric_mul_opt_error(a, b, NULL);
}

int
spm_numeric_cmp(Numeric a, Numeric b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(a),
											 NumericGetDatum(b)));
}

Numeric
spm_numeric_div(Numeric a, Numeric b)
{
	return numeric_div_opt_error(a, b, NULL);
}

/* Significant digits after the decimal point of a finite numeric (0.50 has one). */
int
spm_numeric_min_scale(Numeric num)
{
	return DatumGetInt32(DirectFunctionCall1(numeric_min_scale, NumericGetDatum(num)));
}

/* num * 10^scale as a 64-bit integer, e.g. 12.34 at scale 2 is 1234 cents. */
SpmUnits
spm_numeric_to_units(Numeric num, int scale, int64 *units)
{
	Numeric		scaled = spm_numeric_mul(num, int64_div_fast_to_numeric(1, -scale));
	Numeric		whole = DatumGetNumeric(DirectFunctionCall2(numeric_trunc,
															NumericGetDatum(scaled),
															Int32GetDatum(0)));

	if (spm_numeric_cmp(whole, scaled) != 0)
		return SPM_UNITS_FRACTIONAL;
	if (spm_numeric_cmp(whole, int64_to_numeric(PG_INT64_MIN)) <= 0 ||
		spm_numeric_cmp(whole, int64_to_numeric(PG_INT64_MAX)) > 0)
		return SPM_UNITS_OUT_OF_RANGE;
	*units = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(whole)));
	return SPM_UNITS_OK;
}

/* units * 10^-scale, shown with scale decimals. */
Numeric
spm_units_to_numeric(int64 units, int scale)
{
	return int64_div_fast_to_numeric(units, scale);
}
