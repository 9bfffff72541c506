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
 * (SPM_GETARG_NUMERIC_PACKED).  May return a new tally.
 */
extern SpmTally *spm_tally_add(SpmTally *t, int i, Numeric value, int sign);

/* t += sign * other, field by field (shapes must match).  May return a new tally. */
extern SpmTally *spm_tally_merge(SpmTally *t, const SpmTally *other, int sign);

extern int64 spm_tally_get_count(const SpmTally *t, int i);
extern Numeric spm_tally_get_sum(const SpmTally *t, int i);
extern int	spm_tally_sum_sign(const SpmTally *t, int i);

/*
 * Type I/O.  Text is "(name=value,...)" with every field of the shape, in order;
 * binary is a version byte then the fields.  Malformed input raises 22P02
 * (text) or 08P01 (binary) with a message naming the type and what is wrong.
 */
extern SpmTally *spm_tally_in(const char *str, const SpmTallyShape *shape);
extern char *spm_tally_out(const SpmTally *t, const SpmTallyShape *shape);
extern SpmTally *spm_tally_recv(StringInfo buf, const SpmTallyShape *shape);
extern bytea *spm_tally_send(const SpmTally *t, const SpmTallyShape *shape);

#endif
