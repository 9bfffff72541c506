/*
 * tally.c: exact counts and sums for aggregate states (see tally.h).
 *
 * Layout: a fixed header, ncounts int64 counts, then the sums.  A fixed-point
 * tally keeps each sum as an int128 count of 10^-scale units, with its own scale
 * (the largest display scale added to it so far, as numeric's own sum keeps).  A
 * sum that would overflow turns the whole tally into a numeric tally, whose sums
 * are numeric varlenas, each MAXALIGNed; it never turns back.  Counts never wrap:
 * a count past 2^63 is an error.  This file knows nothing of what the counts mean.
 */
#include "tally.h"

#include "common/int.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/fmgrprotos.h"
#include "parser/scansup.h"
#include "utils/builtins.h"

#define TALLY_VERSION	2		/* 1: 0.1.0, sums without at_scale */
#define BINARY_VERSION	1		/* of the send/recv format */
#define TALLY_NUMERIC	0x01	/* sums are numerics */

struct SpmTally
{
	int32		vl_len_;
	uint8		version;
	uint8		ncounts;
	uint8		nsums;
	uint8		flags;
	int32		padding;
	int64		data[FLEXIBLE_ARRAY_MEMBER];	/* counts, then sums */
};

/*
 * A fixed-point sum: value = units * 10^-scale, scale being the largest display
 * scale among the values summed, and at_scale how many of them have it (so that
 * removing the last one tells a moving window to recompute, as numeric's sum does).
 */
typedef struct FixedSum
{
	spm_int128	units;
	int32		scale;
	int32		unused;
	int64		at_scale;
} FixedSum;

/* The version 1 layout (0.1.0): no at_scale. */
typedef struct FixedSumV1
{
	spm_int128	units;
	int64		scale;
} FixedSumV1;

/* Sums keep at most the 38 decimals that 128 bits can hold; beyond, numeric. */
#define MAX_FIXED_SCALE 38

/* How a fixed-point step went. */
typedef enum FixedStep
{
	STEP_DONE,
	STEP_NO_FIT,				/* continue in numeric arithmetic */
	STEP_RECOMPUTE				/* the largest scale left a moving window */
} FixedStep;

#define TALLY_HDRSZ offsetof(SpmTally, data)

static bool
is_numeric_tally(const SpmTally *t)
{
	return (t->flags & TALLY_NUMERIC) != 0;
}

static Size
fixed_size(int ncounts, int nsums)
{
	return TALLY_HDRSZ + ncounts * sizeof(int64) + nsums * sizeof(FixedSum);
}

/* Where the sums start. */
static char *
sums_at(const SpmTally *t)
{
	return (char *) (t->data + t->ncounts);
}

/* Sum i of a fixed-point tally, in place (tallies are MAXALIGNed: ALIGNMENT = double). */
static FixedSum *
fixed_slot(const SpmTally *t, int i)
{
	return (FixedSum *) (sums_at(t) + i * sizeof(FixedSum));
}

/* Sum i of a numeric tally. */
static Numeric
numeric_sum_at(const SpmTally *t, int i)
{
	char	   *p = sums_at(t);

	while (i-- > 0)
		p += MAXALIGN(VARSIZE(p));
	return (Numeric) p;
}

SpmTally *
spm_tally_create(const SpmTallyShape *shape)
{
	SpmTally   *t = palloc0(fixed_size(shape->ncounts, shape->nsums));

	SET_VARSIZE(t, fixed_size(shape->ncounts, shape->nsums));
	t->version = TALLY_VERSION;
	t->ncounts = shape->ncounts;
	t->nsums = shape->nsums;
	return t;
}

/* A numeric tally with t's counts and the given sums. */
static SpmTally *
build_numeric_tally(const SpmTally *t, Numeric *sums)
{
	Size		size = TALLY_HDRSZ + t->ncounts * sizeof(int64);
	SpmTally   *result;
	char	   *p;

	for (int i = 0; i < t->nsums; i++)
		size += MAXALIGN(VARSIZE(sums[i]));
	result = palloc0(size);
	memcpy(result, t, TALLY_HDRSZ + t->ncounts * sizeof(int64));
	SET_VARSIZE(result, size);
	result->version = TALLY_VERSION;
	result->flags |= TALLY_NUMERIC;
	p = sums_at(result);
	for (int i = 0; i < t->nsums; i++)
	{
		memcpy(p, sums[i], VARSIZE(sums[i]));
		p += MAXALIGN(VARSIZE(sums[i]));
	}
	return result;
}

/* Every sum of t as a numeric, in a palloc'd array. */
static Numeric *
sums_as_numeric(const SpmTally *t)
{
	Numeric    *sums = palloc(Max(t->nsums, 1) * sizeof(Numeric));

	for (int i = 0; i < t->nsums; i++)
		sums[i] = spm_tally_get_sum(t, i);
	return sums;
}

/* *result = a + sign * b (b summed values, or removes them when sign < 0); *result untouched unless STEP_DONE. */
static FixedStep
fixed_sum_add(FixedSum a, FixedSum b, int sign, FixedSum *result)
{
	int			scale = Max(a.scale, b.scale);
	spm_int128	sum;
	int64		at_scale;

	if (sign < 0)
	{
		/* removing every value of the largest scale may shrink the scale: recompute */
		if (b.scale > a.scale || (b.scale == a.scale && b.scale > 0 && a.at_scale <= b.at_scale))
			return STEP_RECOMPUTE;
		at_scale = b.scale == a.scale ? a.at_scale - b.at_scale : a.at_scale;
	}
	else
		at_scale = (a.scale == scale ? a.at_scale : 0) + (b.scale == scale ? b.at_scale : 0);
	if (scale > MAX_FIXED_SCALE ||
		(a.scale < scale && !spm_scale_up_128(&a.units, scale - a.scale)) ||
		(b.scale < scale && !spm_scale_up_128(&b.units, scale - b.scale)) ||
		(sign < 0 ? __builtin_sub_overflow(a.units, b.units, &sum) :
		 __builtin_add_overflow(a.units, b.units, &sum)))
		return STEP_NO_FIT;
	result->units = sum;
	result->scale = scale;
	result->at_scale = at_scale;
	return STEP_DONE;
}

/* Fixed-point sum i += sign * units * 10^-scale, a value of display scale scale. */
static FixedStep
fixed_add_units(SpmTally *t, int i, spm_int128 units, int scale, int sign)
{
	FixedSum	addend = {0};

	if (scale < 0 || scale > MAX_FIXED_SCALE)
		return STEP_NO_FIT;
	addend.units = units;
	addend.scale = scale;
	addend.at_scale = 1;
	return fixed_sum_add(*fixed_slot(t, i), addend, sign, fixed_slot(t, i));
}

/* Fixed-point sum i += sign * value. */
static FixedStep
fixed_add(SpmTally *t, int i, Numeric value, int sign)
{
	spm_int128	units;
	int			dscale;

	if (!spm_numeric_to_fixed_dscale(value, &units, &dscale))
		return STEP_NO_FIT;
	return fixed_add_units(t, i, units, dscale, sign);
}

static void
check_index(const SpmTally *t, int i, int n)
{
	if (i < 0 || i >= n)
		elog(ERROR, "spm tally field %d out of range", i);
}

/* *slot += sign * delta, 22003 on overflow. */
static void
add_count(int64 *slot, int64 delta, int sign)
{
	if (sign < 0 ? pg_sub_s64_overflow(*slot, delta, slot) :
		pg_add_s64_overflow(*slot, delta, slot))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count out of range"),
				 errdetail("A count of the aggregate state would exceed 64 bits.")));
}

void
spm_tally_count(SpmTally *t, int i, int64 delta)
{
	check_index(t, i, t->ncounts);
	add_count(&t->data[i], delta, 1);
}

SpmTally *
spm_tally_add(SpmTally *t, int i, Numeric value, int sign)
{
	Numeric    *sums;

	check_index(t, i, t->nsums);
	if (!is_numeric_tally(t))
	{
		FixedStep	step = fixed_add(t, i, value, sign);

		if (step != STEP_NO_FIT)
			return step == STEP_DONE ? t : NULL;
	}
	else if (sign < 0)
		return NULL;			/* a numeric sum cannot tell whether its scale shrinks */
	sums = sums_as_numeric(t);
	value = (Numeric) PG_DETOAST_DATUM(PointerGetDatum(value));	/* unpack for numeric_add */
	sums[i] = sign < 0 ? spm_numeric_sub(sums[i], value) : spm_numeric_add(sums[i], value);
	return build_numeric_tally(t, sums);
}

SpmTally *
spm_tally_add_fixed(SpmTally *t, int i, spm_int128 units, int scale, int sign)
{
	check_index(t, i, t->nsums);
	if (!is_numeric_tally(t))
	{
		FixedStep	step = fixed_add_units(t, i, units, scale, sign);

		if (step != STEP_NO_FIT)
			return step == STEP_DONE ? t : NULL;
	}
	return spm_tally_add(t, i, spm_fixed_to_numeric(units, scale), sign);
}

static void
check_same_shape(const SpmTally *a, const SpmTally *b)
{
	if (a->ncounts != b->ncounts || a->nsums != b->nsums)
		elog(ERROR, "spm tallies of different shapes cannot be merged");
}

/* Fixed-point t += sign * other; t untouched unless STEP_DONE. */
static FixedStep
fixed_merge(SpmTally *t, const SpmTally *other, int sign)
{
	FixedSum	merged[PG_UINT8_MAX];

	for (int i = 0; i < t->nsums; i++)
	{
		FixedStep	step = fixed_sum_add(*fixed_slot(t, i), *fixed_slot(other, i), sign, &merged[i]);

		if (step != STEP_DONE)
			return step;
	}
	for (int i = 0; i < t->nsums; i++)
		*fixed_slot(t, i) = merged[i];
	return STEP_DONE;
}

SpmTally *
spm_tally_merge(SpmTally *t, const SpmTally *other, int sign)
{
	Numeric    *sums;
	Numeric    *others;

	check_same_shape(t, other);
	for (int i = 0; i < t->ncounts; i++)
		add_count(&t->data[i], other->data[i], sign);
	if (!is_numeric_tally(t) && !is_numeric_tally(other))
	{
		FixedStep	step = fixed_merge(t, other, sign);

		if (step != STEP_NO_FIT)
			return step == STEP_DONE ? t : NULL;
	}
	else if (sign < 0)
		return NULL;			/* a numeric sum cannot tell whether its scale shrinks */
	sums = sums_as_numeric(t);
	others = sums_as_numeric(other);
	for (int i = 0; i < t->nsums; i++)
		sums[i] = sign < 0 ? spm_numeric_sub(sums[i], others[i]) :
			spm_numeric_add(sums[i], others[i]);
	return build_numeric_tally(t, sums);
}

Datum
spm_tally_merge_args(FunctionCallInfo fcinfo, const SpmTallyShape *shape, SpmTallyFlaw flaw,
					 const char *what, int sign)
{
	SpmTally   *t = spm_tally_merge(spm_tally_arg_for_update(fcinfo, 0, shape),
									spm_tally_arg(fcinfo, 1, shape), sign);

	if (t == NULL)
		PG_RETURN_NULL();		/* the window recomputes its frame */
	if (sign < 0 && flaw(t))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot remove %s that was not added", what),
				 errdetail("Removing it would leave %s.", flaw(t)),
				 errhint("Inverse transition functions remove only rows that were added.")));
	PG_RETURN_POINTER(t);
}

int64
spm_tally_get_count(const SpmTally *t, int i)
{
	check_index(t, i, t->ncounts);
	return t->data[i];
}

Numeric
spm_tally_get_sum(const SpmTally *t, int i)
{
	check_index(t, i, t->nsums);
	if (is_numeric_tally(t))
		return numeric_sum_at(t, i);
	return spm_fixed_to_numeric(fixed_slot(t, i)->units, fixed_slot(t, i)->scale);
}

int
spm_tally_sum_sign(const SpmTally *t, int i)
{
	spm_int128	v;

	check_index(t, i, t->nsums);
	if (is_numeric_tally(t))
		return spm_numeric_sign(numeric_sum_at(t, i));
	v = fixed_slot(t, i)->units;
	return (v > 0) - (v < 0);
}

/* ---------------------------------------------------------------- arguments */

static void
corrupted(const SpmTallyShape *shape)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted %s value", shape->type_name),
			 errdetail("Its version, fields or size do not match this version of spm.")));
}

/* A numeric tally's sums must be numerics that end exactly where the tally does. */
static bool
numeric_sums_fit(const SpmTally *t)
{
	const char *p = sums_at(t);
	const char *end = (const char *) t + VARSIZE(t);

	for (int i = 0; i < t->nsums; i++)
	{
		if (end - p < VARHDRSZ + (ptrdiff_t) sizeof(uint16) ||
			VARSIZE(p) < VARHDRSZ + sizeof(uint16) || VARSIZE(p) > end - p)
			return false;
		p += MAXALIGN(VARSIZE(p));
	}
	return p == end;
}

/* A version 1 (0.1.0) tally in today's layout; how many values had the largest scale is unknown (0). */
static SpmTally *
upgrade_v1(const SpmTally *old, const SpmTallyShape *shape)
{
	SpmTally   *t = spm_tally_create(shape);

	if (VARSIZE(old) != TALLY_HDRSZ + shape->ncounts * sizeof(int64) + shape->nsums * sizeof(FixedSumV1))
		corrupted(shape);
	memcpy(t->data, old->data, shape->ncounts * sizeof(int64));
	for (int i = 0; i < shape->nsums; i++)
	{
		FixedSumV1	v1;

		memcpy(&v1, (const char *) (old->data + shape->ncounts) + i * sizeof(FixedSumV1), sizeof(v1));
		if (v1.scale < 0 || v1.scale > MAX_FIXED_SCALE)
			corrupted(shape);
		fixed_slot(t, i)->units = v1.units;
		fixed_slot(t, i)->scale = (int32) v1.scale;
	}
	return t;
}

/* t as a well-formed tally of shape in today's layout, or an error. */
static SpmTally *
checked(SpmTally *t, const SpmTallyShape *shape)
{
	Assert(((uintptr_t) t & (MAXIMUM_ALIGNOF - 1)) == 0);
	if (t->ncounts != shape->ncounts || t->nsums != shape->nsums)
		corrupted(shape);
	if (t->version == 1 && !is_numeric_tally(t))
		return upgrade_v1(t, shape);
	/* numeric tallies kept their layout from version 1 on */
	if ((t->version != TALLY_VERSION && !(t->version == 1 && is_numeric_tally(t))) ||
		(is_numeric_tally(t) ? !numeric_sums_fit(t) :
		 VARSIZE(t) != fixed_size(t->ncounts, t->nsums)))
		corrupted(shape);
	return t;
}

SpmTally *
spm_tally_arg_for_update(FunctionCallInfo fcinfo, int argno, const SpmTallyShape *shape)
{
	struct varlena *raw;
	SpmTally   *t;

	if (PG_ARGISNULL(argno))
		return spm_tally_create(shape);
	raw = (struct varlena *) PG_GETARG_POINTER(argno);
	/* the aggregate owns its state: update it in place unless it is packed or toasted */
	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(raw))
		t = (SpmTally *) raw;	/* a version 1 state is replaced by a copy */
	else
		t = (SpmTally *) PG_DETOAST_DATUM_COPY(PointerGetDatum(raw));
	return checked(t, shape);
}

const SpmTally *
spm_tally_arg(FunctionCallInfo fcinfo, int argno, const SpmTallyShape *shape)
{
	return checked((SpmTally *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno)), shape);
}

/* ---------------------------------------------------------------- text I/O */

char *
spm_tally_out(const SpmTally *t, const SpmTallyShape *shape)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '(');
	for (int i = 0; i < t->ncounts + t->nsums; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "%s=", shape->names[i]);
		if (i < t->ncounts)
			appendStringInfo(&buf, INT64_FORMAT, t->data[i]);
		else
			appendStringInfoString(&buf, spm_numeric_out(spm_tally_get_sum(t, i - t->ncounts)));
	}
	appendStringInfoChar(&buf, ')');
	return buf.data;
}

/* The text form of a zero tally of shape, shown in hints. */
static char *
example_text(const SpmTallyShape *shape)
{
	SpmTally   *zero = spm_tally_create(shape);

	return spm_tally_out(zero, shape);
}

static void bad_text(const char *str, const SpmTallyShape *shape, const char *detail) pg_attribute_noreturn();

static void
bad_text(const char *str, const SpmTallyShape *shape, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", shape->type_name, str),
			 errdetail("%s", detail),
			 errhint("Write every field, in this order, as in %s.", example_text(shape))));
}

static const char *
skip_space(const char *p)
{
	while (scanner_isspace(*p))
		p++;
	return p;
}

/* Length of a plain decimal number at p ([+-]digits[.digits][e[+-]digits]), 0 if none. */
static int
decimal_length(const char *p, bool allow_fraction)
{
	const char *start = p;
	const char *digits;

	if (*p == '+' || *p == '-')
		p++;
	digits = p;
	while (isdigit((unsigned char) *p))
		p++;
	if (allow_fraction && *p == '.')
	{
		p++;
		while (isdigit((unsigned char) *p))
			p++;
	}
	if (p == digits || (p == digits + 1 && *digits == '.'))
		return 0;
	if (allow_fraction && (*p == 'e' || *p == 'E'))
	{
		const char *exponent = p + 1;

		if (*exponent == '+' || *exponent == '-')
			exponent++;
		if (!isdigit((unsigned char) *exponent))
			return 0;
		p = exponent;
		while (isdigit((unsigned char) *p))
			p++;
	}
	return p - start;
}

SpmTally *
spm_tally_in(const char *str, const SpmTallyShape *shape)
{
	SpmTally   *t = spm_tally_create(shape);
	const char *p = skip_space(str);
	int			nfields = shape->ncounts + shape->nsums;

	if (*p++ != '(')
		bad_text(str, shape, "It must start with \"(\".");
	for (int i = 0; i < nfields; i++)
	{
		const char *name = shape->names[i];
		bool		is_count = i < shape->ncounts;
		int			len;
		char	   *value;

		p = skip_space(p);
		if (strncmp(p, name, strlen(name)) != 0 || *skip_space(p + strlen(name)) != '=')
			bad_text(str, shape, psprintf("Field %d must be \"%s=\".", i + 1, name));
		p = skip_space(skip_space(p + strlen(name)) + 1);
		len = decimal_length(p, !is_count);
		if (len == 0)
			bad_text(str, shape, psprintf("The value of \"%s\" is not %s.", name,
										  is_count ? "a whole number" : "a finite decimal number"));
		value = pnstrdup(p, len);
		if (is_count && *value == '-')
			bad_text(str, shape, psprintf("The count \"%s\" must not be negative.", name));
		if (is_count)
			t->data[i] = pg_strtoint64(value);
		else
			t = spm_tally_add(t, i - shape->ncounts,
							  DatumGetNumeric(DirectFunctionCall3(numeric_in,
																  CStringGetDatum(value),
																  ObjectIdGetDatum(InvalidOid),
																  Int32GetDatum(-1))), 1);
		p = skip_space(p + len);
		if (*p != (i + 1 < nfields ? ',' : ')'))
			bad_text(str, shape, psprintf("Expected \"%c\" after the value of \"%s\".",
										  i + 1 < nfields ? ',' : ')', name));
		p++;
	}
	if (nfields == 0 && *p++ != ')')
		bad_text(str, shape, "Expected \")\".");
	if (*skip_space(p) != '\0')
		bad_text(str, shape, "Nothing may follow the closing \")\".");
	return t;
}

/* ---------------------------------------------------------------- binary I/O */

bytea *
spm_tally_send(const SpmTally *t, const SpmTallyShape *shape)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, BINARY_VERSION);
	pq_sendbyte(&buf, t->ncounts);
	pq_sendbyte(&buf, t->nsums);
	for (int i = 0; i < t->ncounts; i++)
		pq_sendint64(&buf, t->data[i]);
	for (int i = 0; i < t->nsums; i++)
	{
		bytea	   *sum = DatumGetByteaPP(DirectFunctionCall1(numeric_send,
															  NumericGetDatum(spm_tally_get_sum(t, i))));

		pq_sendint32(&buf, VARSIZE_ANY_EXHDR(sum));
		pq_sendbytes(&buf, VARDATA_ANY(sum), VARSIZE_ANY_EXHDR(sum));
	}
	return pq_endtypsend(&buf);
}

SpmTally *
spm_tally_recv(StringInfo buf, const SpmTallyShape *shape)
{
	SpmTally   *t = spm_tally_create(shape);

	if (pq_getmsgbyte(buf) != BINARY_VERSION)
		spm_bad_binary(shape->type_name, "Its version byte is unknown.");
	if (pq_getmsgbyte(buf) != shape->ncounts || pq_getmsgbyte(buf) != shape->nsums)
		spm_bad_binary(shape->type_name, "Its number of fields does not match the type.");
	for (int i = 0; i < shape->ncounts; i++)
	{
		t->data[i] = pq_getmsgint64(buf);
		if (t->data[i] < 0)
			spm_bad_binary(shape->type_name, psprintf("Count %d is negative.", i + 1));
	}
	for (int i = 0; i < shape->nsums; i++)
	{
		int			len = pq_getmsgint(buf, 4);
		StringInfoData sum;
		Numeric		value;

		if (len < 0 || len > buf->len - buf->cursor)
			spm_bad_binary(shape->type_name, psprintf("Sum %d claims more bytes than the message has.", i + 1));
		sum.data = unconstify(char *, pq_getmsgbytes(buf, len));
		sum.len = sum.maxlen = len;
		sum.cursor = 0;
		value = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&sum),
													ObjectIdGetDatum(InvalidOid),
													Int32GetDatum(-1)));
		if (sum.cursor != sum.len || numeric_is_nan(value) || numeric_is_inf(value))
			spm_bad_binary(shape->type_name, psprintf("Sum %d is not one finite numeric.", i + 1));
		t = spm_tally_add(t, i, value, 1);
	}
	pq_getmsgend(buf);
	return t;
}
