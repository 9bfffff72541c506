/*
 * tally.h: exact counts and sums for aggregate states that are real SQL types.
 *
 * An SpmTally is a small varlena holding ncounts int64 counters and nsums exact
 * decimal sums.  Sums are 128-bit integers at one shared scale while they fit
 * (numeric inputs are decoded straight from their base-10000 digits, no numeric
 * arithmetic per row) and numerics once they do not.  Each spm state type (the
 * group attainment state, the deal summary, ...) is an SpmTally of its own shape;
 * text and binary I/O, in-place update, merge and inverse are shared here.
 *
 * Declare such a type with INTERNALLENGTH = VARIABLE, ALIGNMENT = double,
 * STORAGE = plain (never packed or compressed, so it can be updated in place).
 */
#ifndef SPM_TALLY_H
#define SPM_TALLY_H

#include "spm.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

/* What a tally type holds; names label the fields in its text form, counts first. */
typedef struct SpmTallyShape
{
	const char *type_name;		/* for messages, e.g. "spm.deal_summary" */
	int			ncounts;
	int			nsums;
	const char *const *names;	/* ncounts + nsums names */
} SpmTallyShape;

typedef struct SpmTally SpmTally;

/* A zero tally of this shape, allocated in CurrentMemoryContext. */
extern SpmTally *spm_tally_create(const SpmTallyShape *shape);

/*
 * Argument argno of an aggregate support function, ready to update: the state
 * itself when called as an aggregate (AggCheckCallContext), otherwise a copy; a
 * zero tally when the argument is NULL.  Its shape is checked.
 */
extern SpmTally *spm_tally_arg_for_update(FunctionCallInfo fcinfo, int argno,
										  const SpmTallyShape *shape);

/* Argument argno, read only (detoasted, shape checked). */
extern const SpmTally *spm_tally_arg(FunctionCallInfo fcinfo, int argno,
									 const SpmTallyShape *shape);

/* Count i += delta (22003 on overflow). */
extern void spm_tally_count(SpmTally *t, int i, int64 delta);

/*
 * Sum i += sign * value (sign is 1 or -1); value must be finite and may be packed
 * (SPM_GETARG_NUMERIC_PACKED).  May return a new tally.  Removing (sign -1) returns
 * NULL when the sum can no longer say which display scale a fresh sum of what is
 * left would have (the last value of the largest scale left): a moving aggregate's
 * inverse transition function must then return NULL, so the window recomputes, as
 * PostgreSQL's own numeric sum does.
 */
extern SpmTally *spm_tally_add(SpmTally *t, int i, Numeric value, int sign);

/*
 * The same for a value already decoded: units * 10^-scale (0 <= scale <= 38), of
 * display scale scale, so that a state adds what a core computed without building
 * a numeric first.
 */
extern SpmTally *spm_tally_add_fixed(SpmTally *t, int i, spm_int128 units, int scale, int sign);

/* t += sign * other, field by field (shapes must match).  May return a new tally; NULL as above. */
extern SpmTally *spm_tally_merge(SpmTally *t, const SpmTally *other, int sign);

/* What no value of a tally type can hold, as a phrase, or NULL when t is sound. */
typedef const char *(*SpmTallyFlaw) (const SpmTally *t);

/*
 * The merge (sign 1) or unmerge (sign -1) support function of a summary type: argument
 * 1 added to or removed from argument 0, field by field.  Unmerging must leave a value
 * without flaw: otherwise 22023 "cannot remove <what> that was not added" (what: "a
 * deal summary").  Returns SQL NULL when a moving window must recompute (see above).
 */
extern Datum spm_tally_merge_args(FunctionCallInfo fcinfo, const SpmTallyShape *shape,
								  SpmTallyFlaw flaw, const char *what, int sign);

/* A summary type's merge and unmerge support functions, both of spm_tally_merge_args. */
#define SPM_TALLY_MERGE_FUNCTIONS(merge, unmerge, shape, flaw, what) \
	PG_FUNCTION_INFO_V1(merge); \
	Datum merge(PG_FUNCTION_ARGS) { return spm_tally_merge_args(fcinfo, (shape), (flaw), (what), 1); } \
	PG_FUNCTION_INFO_V1(unmerge); \
	Datum unmerge(PG_FUNCTION_ARGS) { return spm_tally_merge_args(fcinfo, (shape), (flaw), (what), -1); }

/* Accessor functions of one count or one sum of a tally type's argument 0. */
#define SPM_TALLY_COUNT_ACCESSOR(fn, shape, field) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) { PG_RETURN_INT64(spm_tally_get_count(spm_tally_arg(fcinfo, 0, (shape)), (field))); }
#define SPM_TALLY_SUM_ACCESSOR(fn, shape, field) \
	PG_FUNCTION_INFO_V1(fn); \
	Datum fn(PG_FUNCTION_ARGS) { PG_RETURN_NUMERIC(spm_tally_get_sum(spm_tally_arg(fcinfo, 0, (shape)), (field))); }

extern int64 spm_tally_get_count(const SpmTally *t, int i);
extern Numeric spm_tally_get_sum(const SpmTally *t, int i);
extern int	spm_tally_sum_sign(const SpmTally *t, int i);

/*
 * Type I/O.  Text is "(name=value,...)" with every field of the shape, in order;
 * binary is a version byte then the fields.  Malformed input raises 22P02
 * (text) or 08P01 (binary) with a message naming the type and what is wrong, a sum
 * too large for numeric 22003.
 */
extern SpmTally *spm_tally_in(const char *str, const SpmTallyShape *shape);
extern char *spm_tally_out(const SpmTally *t, const SpmTallyShape *shape);
extern SpmTally *spm_tally_recv(StringInfo buf, const SpmTallyShape *shape);
extern bytea *spm_tally_send(const SpmTally *t, const SpmTallyShape *shape);

#endif
