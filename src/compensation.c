/*
 * compensation.c: the tier schedule type and exact commission (scalar, explain,
 * what-if, per-deal window, group aggregate); then payouts: draws across periods,
 * split credit and exact rounding of payout lines (their math in payout_core.c).
 *
 * The math lives in compensation_core.c in 128-bit fixed point; when a value does not
 * fit (more than 38 digits), the same walk runs here in numeric arithmetic.  Nothing
 * passes through floating point and nothing is rounded, except the one division of a
 * pay curve's interpolation (numeric division, as in spm.attainment).
 */
#include "spm.h"
#include "compensation_core.h"
#include "payout_core.h"
#include "tally.h"

#include "access/hash.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "windowapi.h"

#define DatumGetSchedule(d) ((SpmSchedule *) PG_DETOAST_DATUM(d))
#define PG_GETARG_SCHEDULE(n) DatumGetSchedule(PG_GETARG_DATUM(n))

static const char *const schedule_hint =
"Write clauses separated by \";\", e.g. 'marginal; from 0 rate 8%; from 100000 rate 12% bonus 500; cap 30000' "
"or 'retroactive; from 0% rate 5%; from 100% rate 8%' (thresholds as % of quota).";

/* ---------------------------------------------------------------- errors */

static const char *
tier_word(const SpmScheduleError *err)
{
	return psprintf("tier %d", err->tier);
}

/* The token the parser stopped at, for messages. */
static char *
token_text(const char *text, const SpmScheduleError *err)
{
	if (text == NULL || err->length == 0)
		return pstrdup("end of clause");
	return psprintf("\"%s\"", pnstrdup(text + err->offset, err->length));
}

/*
 * Raise the error a schedule failed with; sqlstate is 22P02 for text, 22023 for
 * arrays and jsonb, 08P01 for binary.  text (may be NULL) is the parsed text.
 */
static void
report_schedule_error(const SpmScheduleError *err, const char *text, int sqlstate)
{
	const char *field = err->field ? err->field : "value";
	const char *where = err->tier ? tier_word(err) : psprintf("clause %d", err->clause);

	switch (err->status)
	{
		case SPM_SCHED_OK:
			break;
		case SPM_SCHED_EMPTY:
			ereport(ERROR, (errcode(sqlstate), errmsg("tier schedule has no tiers"),
							errhint("%s", schedule_hint)));
			break;
		case SPM_SCHED_EMPTY_CLAUSE:
			ereport(ERROR, (errcode(sqlstate), errmsg("clause %d of the tier schedule is empty", err->clause),
							errhint("Separate clauses with one \";\" and do not end the schedule with one.")));
			break;
		case SPM_SCHED_UNKNOWN_KEYWORD:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("unknown keyword %s in clause %d of the tier schedule", token_text(text, err), err->clause),
							errdetail("A clause starts with marginal, retroactive, curve, boundary, from, at or cap."),
							errhint("%s", schedule_hint)));
			break;
		case SPM_SCHED_EXPECTED:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: expected %s, found %s", where, err->expected,
								   token_text(text, err)),
							errhint("%s", schedule_hint)));
			break;
		case SPM_SCHED_BAD_NUMBER:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: %s %s is not a decimal number", where, field,
								   token_text(text, err)),
							errhint("Write amounts like 100000 or 2500.50, rates like 8%% or 0.08, thresholds of quota like 120%%.")));
			break;
		case SPM_SCHED_NOT_FINITE:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: %s must be a finite number", where, field),
							errdetail("Found %s.", token_text(text, err)),
							errhint("Replace NaN and Infinity with a real number; an open-ended top tier needs no upper bound.")));
			break;
		case SPM_SCHED_TOO_MANY_DIGITS:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: %s %s has too many digits", where, field, token_text(text, err)),
							errdetail("Numbers in a schedule have at most %d digits before and %d after the decimal point.",
									  SPM_SCHEDULE_MAX_DIGITS, SPM_SCHEDULE_MAX_DIGITS)));
			break;
		case SPM_SCHED_NEGATIVE:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: %s must not be negative", where, field),
							errdetail("Found %s.", token_text(text, err)),
							errhint("A decelerator is a lower rate, not a negative one; clawbacks are negative credits, not negative rates.")));
			break;
		case SPM_SCHED_BARE_RATE_ABOVE_ONE:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: rate %s is more than 100 %%", where, token_text(text, err)),
							errdetail("A rate without a %% sign is a fraction of the credited amount."),
							errhint("Write 8%% or 0.08 for eight percent; a rate above 100 %% needs its %% sign: 800%%.")));
			break;
		case SPM_SCHED_FIRST_NOT_ZERO:
			ereport(ERROR, (errcode(sqlstate), errmsg("tier 1 of the tier schedule must start at 0"),
							errhint("For nothing below a threshold (a gate), start with a 0%% tier: 'from 0 rate 0%%; from 50%% rate 10%% catch-up'.")));
			break;
		case SPM_SCHED_UNSORTED:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("tier %d of the tier schedule starts below tier %d", err->tier, err->tier - 1),
							errhint("List the tiers in increasing order of threshold.")));
			break;
		case SPM_SCHED_DUPLICATE:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("tier %d of the tier schedule starts at the same threshold as tier %d", err->tier, err->tier - 1),
							errhint("Give each tier its own threshold, or merge the two tiers.")));
			break;
		case SPM_SCHED_MIXED_BASIS:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule mixes amounts and percentages of quota", where),
							errhint("Write every threshold as an amount (100000) or every one as a percentage of quota (120%%).")));
			break;
		case SPM_SCHED_PERCENT_REQUIRED:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("point %d of the pay curve: attainment must be a percentage of quota", err->tier),
							errhint("Write points like 'at 100%% pay 100%%'.")));
			break;
		case SPM_SCHED_REPEATED_CLAUSE:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("the tier schedule gives its %s twice (clause %d)", field, err->clause),
							errhint("Give the kind, the boundary and the cap at most once each.")));
			break;
		case SPM_SCHED_CATCH_UP_FIRST:
			ereport(ERROR, (errcode(sqlstate), errmsg("tier 1 of the tier schedule cannot catch up: there is nothing below it"),
							errhint("Put catch-up on the tier whose threshold re-rates the credit below it.")));
			break;
		case SPM_SCHED_CATCH_UP_RETRO:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("%s of the tier schedule: catch-up is implied in a retroactive schedule", where),
							errhint("Drop \"catch-up\", or make the schedule marginal with catch-up on chosen tiers.")));
			break;
		case SPM_SCHED_BONUS_FIRST:
			ereport(ERROR, (errcode(sqlstate), errmsg("tier 1 of the tier schedule cannot carry a bonus: it is reached with no credit"),
							errhint("Put a step bonus on a tier that starts above 0.")));
			break;
		case SPM_SCHED_KIND_MIXED:
			ereport(ERROR, (errcode(sqlstate),
							errmsg("a tier schedule cannot mix tiers (\"from\") and pay-curve points (\"at\")"),
							errhint("Start a pay curve with \"curve\": 'curve; at 50%% pay 25%%; at 100%% pay 100%%'.")));
			break;
		case SPM_SCHED_CURVE_CLAUSE:
			ereport(ERROR, (errcode(sqlstate), errmsg("a pay curve cannot be retroactive or capped"),
							errdetail("A curve pays nothing below its first point and holds its last point's factor above it.")));
			break;
		case SPM_SCHED_TOO_MANY_TIERS:
			ereport(ERROR, (errcode(sqlstate), errmsg("tier schedule has more than %d tiers", SPM_SCHEDULE_MAX_TIERS)));
			break;
		case SPM_SCHED_CORRUPT:
			ereport(ERROR, (errcode(sqlstate == ERRCODE_PROTOCOL_VIOLATION ? sqlstate : ERRCODE_DATA_CORRUPTED),
							errmsg("invalid binary tier schedule"),
							errdetail("Its version, flags, sizes or numbers do not form a valid schedule of this version of spm.")));
			break;
	}
}

/* Parse text into a palloc'd schedule, or raise sqlstate. */
static SpmSchedule *
schedule_from_text(const char *text, int sqlstate)
{
	SpmSchedule *buf = palloc(SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS));
	SpmSchedule *result;
	SpmScheduleError err;
	size_t		size;

	if (spm_schedule_parse(text, buf, &size, &err) != SPM_SCHED_OK)
		report_schedule_error(&err, text, sqlstate);
	result = palloc(size);
	memcpy(result, buf, size);
	SET_VARSIZE(result, size);
	pfree(buf);
	return result;
}

static char *
schedule_text(const SpmSchedule *s)
{
	size_t		len = spm_schedule_format(s, NULL, 0);
	char	   *text = palloc(len + 1);

	spm_schedule_format(s, text, len + 1);
	return text;
}

/* A stored schedule, checked: a corrupted one never reaches the math. */
static SpmSchedule *
schedule_arg(FunctionCallInfo fcinfo, int argno)
{
	SpmSchedule *s = PG_GETARG_SCHEDULE(argno);
	SpmScheduleError err;

	if (spm_schedule_check(s, VARSIZE(s), &err) != SPM_SCHED_OK)
		report_schedule_error(&err, NULL, ERRCODE_DATA_CORRUPTED);
	return s;
}

/* ---------------------------------------------------------------- type I/O */

PG_FUNCTION_INFO_V1(spm_tier_schedule_in);
Datum
spm_tier_schedule_in(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(schedule_from_text(PG_GETARG_CSTRING(0), ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_out);
Datum
spm_tier_schedule_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(schedule_text(schedule_arg(fcinfo, 0)));
}

static void
send_int128(StringInfo buf, spm_int128 v)
{
	pq_sendint64(buf, (int64) (v >> 64));
	pq_sendint64(buf, (int64) (uint64) v);
}

static spm_int128
recv_int128(StringInfo buf)
{
	spm_int128	hi = (spm_int128) pq_getmsgint64(buf);

	return (hi << 64) | (spm_int128) (uint64) pq_getmsgint64(buf);
}

/* Binary: version byte, then every field in network byte order. */
static void
schedule_send(StringInfo buf, const SpmSchedule *s)
{
	int			i;

	pq_sendbyte(buf, s->version);
	pq_sendbyte(buf, s->kind);
	pq_sendbyte(buf, s->flags);
	pq_sendbyte(buf, s->threshold_scale);
	pq_sendbyte(buf, s->rate_scale);
	pq_sendbyte(buf, s->money_scale);
	pq_sendbyte(buf, s->cap_scale);
	pq_sendint16(buf, s->ntiers);
	send_int128(buf, s->cap);
	for (i = 0; i < s->ntiers; i++)
	{
		send_int128(buf, s->tiers[i].threshold);
		send_int128(buf, s->tiers[i].rate);
		send_int128(buf, s->tiers[i].bonus);
		pq_sendint32(buf, s->tiers[i].flags);
	}
}

static void
bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("invalid binary tier schedule"),
			 errdetail("%s", detail)));
}

/* Read a schedule; every length is checked before it is read. */
static SpmSchedule *
schedule_recv(StringInfo buf)
{
	SpmSchedule head;
	SpmSchedule *s;
	SpmScheduleError err;
	size_t		size;
	int			i;

	memset(&head, 0, sizeof(head));
	if (buf->len - buf->cursor < 9)
		bad_binary("The value is shorter than a schedule's header.");
	head.version = pq_getmsgbyte(buf);
	if (head.version != SPM_SCHEDULE_VERSION)
		bad_binary(psprintf("Version %d is not %d, the version this spm reads.", head.version, SPM_SCHEDULE_VERSION));
	head.kind = pq_getmsgbyte(buf);
	head.flags = pq_getmsgbyte(buf);
	head.threshold_scale = pq_getmsgbyte(buf);
	head.rate_scale = pq_getmsgbyte(buf);
	head.money_scale = pq_getmsgbyte(buf);
	head.cap_scale = pq_getmsgbyte(buf);
	head.ntiers = (uint16) pq_getmsgint(buf, 2);
	if (head.ntiers > SPM_SCHEDULE_MAX_TIERS ||
		buf->len - buf->cursor != 16 + head.ntiers * (3 * 16 + 4))
		bad_binary(psprintf("%d tiers need %d more bytes; %d are left.", head.ntiers,
							16 + head.ntiers * (3 * 16 + 4), buf->len - buf->cursor));
	size = SPM_SCHEDULE_SIZE(head.ntiers);
	s = palloc0(size);
	memcpy(s, &head, SPM_SCHEDULE_SIZE(0));
	SET_VARSIZE(s, size);
	s->cap = recv_int128(buf);
	for (i = 0; i < s->ntiers; i++)
	{
		s->tiers[i].threshold = recv_int128(buf);
		s->tiers[i].rate = recv_int128(buf);
		s->tiers[i].bonus = recv_int128(buf);
		s->tiers[i].flags = (uint32) pq_getmsgint(buf, 4);
	}
	if (spm_schedule_check(s, size, &err) != SPM_SCHED_OK)
		report_schedule_error(&err, NULL, ERRCODE_PROTOCOL_VIOLATION);
	return s;
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_recv);
Datum
spm_tier_schedule_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(schedule_recv((StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_send);
Datum
spm_tier_schedule_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	schedule_send(&buf, schedule_arg(fcinfo, 0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------- equality */

/*
 * The same plan however it was written ('rate 5%' or 'rate 0.05'): a stored schedule is
 * canonical (minimal scales, zeroed spare fields; spm_schedule_check refuses anything
 * else), so equal plans have equal bytes, and = and the hashes compare and hash those.
 * Nothing is left allocated: a hash index calls these in a long-lived context.
 */
static bool
schedules_equal(FunctionCallInfo fcinfo)
{
	struct varlena *a = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	struct varlena *b = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(1));
	bool		equal = VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return equal;
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_eq);
Datum
spm_tier_schedule_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(schedules_equal(fcinfo));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_ne);
Datum
spm_tier_schedule_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!schedules_equal(fcinfo));
}

/*
 * Schedules in the order of their canonical texts, which is consistent with = (equal
 * texts, equal bytes): sorting, count(DISTINCT ...) and window PARTITION BY need one.
 */
static int
schedule_order(FunctionCallInfo fcinfo)
{
	SpmSchedule *a = schedule_arg(fcinfo, 0);
	SpmSchedule *b = schedule_arg(fcinfo, 1);
	char	   *a_text = schedule_text(a);
	char	   *b_text = schedule_text(b);
	int			c = strcmp(a_text, b_text);

	/* an index build compares in a long-lived context: leave nothing behind */
	pfree(a_text);
	pfree(b_text);
	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return c < 0 ? -1 : c > 0;
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_cmp);
Datum
spm_tier_schedule_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(schedule_order(fcinfo));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_lt);
Datum
spm_tier_schedule_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(schedule_order(fcinfo) < 0);
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_le);
Datum
spm_tier_schedule_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(schedule_order(fcinfo) <= 0);
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_gt);
Datum
spm_tier_schedule_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(schedule_order(fcinfo) > 0);
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_ge);
Datum
spm_tier_schedule_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(schedule_order(fcinfo) >= 0);
}

/* hash_any or hash_any_extended(seed) of a schedule's bytes. */
static Datum
schedule_hash(FunctionCallInfo fcinfo, bool extended)
{
	struct varlena *s = PG_DETOAST_DATUM_PACKED(PG_GETARG_DATUM(0));
	Datum		hash = extended
		? hash_any_extended((unsigned char *) VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s), PG_GETARG_INT64(1))
		: hash_any((unsigned char *) VARDATA_ANY(s), VARSIZE_ANY_EXHDR(s));

	PG_FREE_IF_COPY(s, 0);
	return hash;
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_hash);
Datum
spm_tier_schedule_hash(PG_FUNCTION_ARGS)
{
	return schedule_hash(fcinfo, false);
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_hash_extended);
Datum
spm_tier_schedule_hash_extended(PG_FUNCTION_ARGS)
{
	return schedule_hash(fcinfo, true);
}

/* ---------------------------------------------------------------- construction */

static char *
numeric_text(Numeric num)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
}

/* A numeric as schedule text, as a percentage (of quota, or a rate) when percent. */
static char *
schedule_number(Numeric num, bool percent)
{
	/* NaN and infinities stay as they are, for the parser to name */
	if (percent && !numeric_is_nan(num) && !numeric_is_inf(num))
		return psprintf("%s%%", numeric_text(spm_numeric_mul(num, int64_to_numeric(100))));
	return numeric_text(num);
}

/* Elements of a one-dimensional numeric array argument; none may be NULL. */
static int
array_arg(ArrayType *array, const char *what, Datum **elems)
{
	bool	   *nulls;
	int			n,
				i;

	n = spm_numeric_list(array, what, "Pass one value per tier, e.g. ARRAY[0, 100000, 200000].",
						 elems, &nulls);
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", what),
					 errdetail("Element %d is NULL.", i + 1),
					 errhint("Use 0 for a tier with no bonus.")));
	return n;
}

/*
 * tier_schedule(thresholds, rates, kind, of_quota, bonuses, cap): the schedule those
 * arrays describe, validated like text (22023).  Only bonuses and cap may be NULL (none);
 * a NULL in any other argument gives NULL, as a STRICT function would.
 */
PG_FUNCTION_INFO_V1(spm_tier_schedule_from_arrays);
Datum
spm_tier_schedule_from_arrays(PG_FUNCTION_ARGS)
{
	Datum	   *thresholds,
			   *rates,
			   *bonuses = NULL;
	int			n,
				nrates,
				nbonuses;
	char	   *kind;
	bool		of_quota;
	StringInfoData buf;
	int			i;

	for (i = 0; i <= 3; i++)
		if (PG_ARGISNULL(i))
			PG_RETURN_NULL();
	n = array_arg(PG_GETARG_ARRAYTYPE_P(0), "thresholds", &thresholds);
	nrates = array_arg(PG_GETARG_ARRAYTYPE_P(1), "rates", &rates);
	kind = text_to_cstring(PG_GETARG_TEXT_PP(2));
	of_quota = PG_GETARG_BOOL(3);
	nbonuses = PG_ARGISNULL(4) ? n : array_arg(PG_GETARG_ARRAYTYPE_P(4), "bonuses", &bonuses);
	if (n != nrates || n != nbonuses)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("thresholds, rates and bonuses must have one element per tier"),
				 errdetail("There are %d thresholds, %d rates and %d bonuses.", n, nrates, nbonuses),
				 errhint("Pass arrays of equal length, e.g. ARRAY[0, 100000], ARRAY[0.08, 0.12].")));
	if (strcmp(kind, "marginal") != 0 && strcmp(kind, "retroactive") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("kind must be \"marginal\" or \"retroactive\", not \"%s\"", kind),
				 errhint("Build pay curves from text or jsonb.")));
	initStringInfo(&buf);
	appendStringInfoString(&buf, kind);
	for (i = 0; i < n; i++)
	{
		appendStringInfo(&buf, "; from %s rate %s",
						 schedule_number(DatumGetNumeric(thresholds[i]), of_quota),
						 numeric_text(DatumGetNumeric(rates[i])));
		if (bonuses && spm_numeric_cmp(DatumGetNumeric(bonuses[i]), int64_to_numeric(0)) != 0)
			appendStringInfo(&buf, " bonus %s", numeric_text(DatumGetNumeric(bonuses[i])));
	}
	if (!PG_ARGISNULL(5))
		appendStringInfo(&buf, "; cap %s", numeric_text(PG_GETARG_NUMERIC(5)));
	PG_RETURN_POINTER(schedule_from_text(buf.data, ERRCODE_INVALID_PARAMETER_VALUE));
}

static void
bad_jsonb(const char *message, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid tier schedule jsonb: %s", message),
			 detail ? errdetail("%s", detail) : 0,
			 errhint("Pass {\"kind\": \"marginal\", \"basis\": \"amount\", \"tiers\": [{\"from\": 0, \"rate\": 0.08}, {\"from\": 100000, \"rate\": 0.12, \"bonus\": 500}], \"cap\": 30000}.")));
}

/* A jsonb value as schedule text: numbers as they are, strings only where allowed. */
static char *
jsonb_scalar_text(JsonbValue *v, const char *key, bool string_ok)
{
	if (v->type == jbvNumeric)
	{
		if (numeric_is_nan(v->val.numeric) || numeric_is_inf(v->val.numeric))
			bad_jsonb(psprintf("\"%s\" must be a finite number", key), NULL);
		return numeric_text(v->val.numeric);
	}
	if (v->type == jbvString && string_ok)
		return pnstrdup(v->val.string.val, v->val.string.len);
	bad_jsonb(psprintf("\"%s\" must be a %s", key, string_ok ? "string" : "number"), NULL);
	return NULL;
}

/* The object's key, or NULL when absent. */
static JsonbValue *
jsonb_key(JsonbContainer *obj, const char *key)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
}

/* Every key of an object must be one of known (NULL-terminated). */
static void
jsonb_known_keys(JsonbContainer *obj, const char *const *known, const char *where)
{
	JsonbIterator *it = JsonbIteratorInit(obj);
	JsonbValue	v;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		const char *const *k;
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		for (k = known; *k && strcmp(*k, key) != 0; k++)
			;
		if (*k == NULL)
			bad_jsonb(psprintf("unknown key \"%s\" in %s", key, where), NULL);
	}
}

/* One tier object as schedule text. */
static void
jsonb_tier_text(StringInfo buf, JsonbValue *tier, int i, bool curve, bool of_quota)
{
	static const char *const tier_keys[] = {"from", "rate", "bonus", "catch_up", NULL};
	static const char *const point_keys[] = {"at", "pay", NULL};
	const char *where = psprintf("%s %d", curve ? "point" : "tier", i);
	JsonbValue *v;

	if (tier->type != jbvBinary || !JsonContainerIsObject(tier->val.binary.data))
		bad_jsonb(psprintf("%s must be an object", where), NULL);
	jsonb_known_keys(tier->val.binary.data, curve ? point_keys : tier_keys, where);
	if ((v = jsonb_key(tier->val.binary.data, curve ? "at" : "from")) == NULL)
		bad_jsonb(psprintf("%s has no \"%s\"", where, curve ? "at" : "from"), NULL);
	/* checked as a finite number first; a threshold of quota is then written in % */
	jsonb_scalar_text(v, curve ? "at" : "from", false);
	appendStringInfo(buf, curve ? "; at %s" : "; from %s",
					 schedule_number(v->val.numeric, of_quota || curve));
	if ((v = jsonb_key(tier->val.binary.data, curve ? "pay" : "rate")) == NULL)
		bad_jsonb(psprintf("%s has no \"%s\"", where, curve ? "pay" : "rate"), NULL);
	jsonb_scalar_text(v, curve ? "pay" : "rate", false);
	/* jsonb is what tools write (to_jsonb among them): a rate of 1.5 is 150 %, taken as it is */
	appendStringInfo(buf, curve ? " pay %s" : " rate %s", schedule_number(v->val.numeric, true));
	if (!curve && (v = jsonb_key(tier->val.binary.data, "bonus")) != NULL)
		appendStringInfo(buf, " bonus %s", jsonb_scalar_text(v, "bonus", false));
	if (!curve && (v = jsonb_key(tier->val.binary.data, "catch_up")) != NULL)
	{
		if (v->type != jbvBool)
			bad_jsonb(psprintf("\"catch_up\" of %s must be true or false", where), NULL);
		if (v->val.boolean)
			appendStringInfoString(buf, " catch-up");
	}
}

/*
 * tier_schedule(jsonb): {"kind", "boundary", "basis": "amount"|"quota", "tiers" or
 * "points": [...], "cap", "cap_target_multiple"}; rates and factors are fractions.
 */
PG_FUNCTION_INFO_V1(spm_tier_schedule_from_jsonb);
Datum
spm_tier_schedule_from_jsonb(PG_FUNCTION_ARGS)
{
	static const char *const keys[] = {"kind", "boundary", "basis", "tiers", "points", "cap",
	"cap_target_multiple", NULL};
	Jsonb	   *json = PG_GETARG_JSONB_P(0);
	JsonbContainer *root = &json->root;
	JsonbValue *v;
	StringInfoData buf;
	char	   *kind = "marginal";
	bool		curve,
				of_quota = false;
	int			n,
				i;

	if (!JsonContainerIsObject(root))
		bad_jsonb("the value must be an object", NULL);
	jsonb_known_keys(root, keys, "the schedule");
	if ((v = jsonb_key(root, "kind")) != NULL)
		kind = jsonb_scalar_text(v, "kind", true);
	curve = strcmp(kind, "curve") == 0;
	if (!curve && strcmp(kind, "marginal") != 0 && strcmp(kind, "retroactive") != 0)
		bad_jsonb(psprintf("\"kind\" must be \"marginal\", \"retroactive\" or \"curve\", not \"%s\"", kind), NULL);
	if ((v = jsonb_key(root, "basis")) != NULL)
	{
		char	   *basis = jsonb_scalar_text(v, "basis", true);

		if (strcmp(basis, "quota") != 0 && strcmp(basis, "amount") != 0)
			bad_jsonb(psprintf("\"basis\" must be \"amount\" or \"quota\", not \"%s\"", basis), NULL);
		of_quota = strcmp(basis, "quota") == 0;
	}
	initStringInfo(&buf);
	appendStringInfoString(&buf, kind);
	if ((v = jsonb_key(root, "boundary")) != NULL)
		appendStringInfo(&buf, "; boundary %s", jsonb_scalar_text(v, "boundary", true));
	v = jsonb_key(root, curve ? "points" : "tiers");
	if (v == NULL || v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		bad_jsonb(psprintf("\"%s\" must be an array", curve ? "points" : "tiers"), NULL);
	n = JsonContainerSize(v->val.binary.data);
	for (i = 0; i < n; i++)
		jsonb_tier_text(&buf, getIthJsonbValueFromContainer(v->val.binary.data, i), i + 1, curve, of_quota);
	if ((v = jsonb_key(root, "cap")) != NULL)
		appendStringInfo(&buf, "; cap %s", jsonb_scalar_text(v, "cap", false));
	if ((v = jsonb_key(root, "cap_target_multiple")) != NULL)
		appendStringInfo(&buf, "; cap %sx target", jsonb_scalar_text(v, "cap_target_multiple", false));
	PG_RETURN_POINTER(schedule_from_text(buf.data, ERRCODE_INVALID_PARAMETER_VALUE));
}

/* A schedule number as JSON text. */
static char *
json_number(spm_int128 coef, int scale)
{
	size_t		len = spm_decimal_format(coef, scale, NULL, 0);
	char	   *text = palloc(len + 1);

	spm_decimal_format(coef, scale, text, len + 1);
	return text;
}

/* to_jsonb(schedule): the inverse of tier_schedule(jsonb). */
PG_FUNCTION_INFO_V1(spm_tier_schedule_to_jsonb);
Datum
spm_tier_schedule_to_jsonb(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = schedule_arg(fcinfo, 0);
	bool		curve = s->kind == SPM_KIND_CURVE;
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{\"kind\": \"%s\", \"boundary\": \"%s\", \"basis\": \"%s\", \"%s\": [",
					 curve ? "curve" : (s->flags & SPM_SCHED_RETROACTIVE) ? "retroactive" : "marginal",
					 (s->flags & SPM_SCHED_BOUNDARY_LOWER) ? "lower" : "upper",
					 (s->flags & SPM_SCHED_OF_QUOTA) ? "quota" : "amount",
					 curve ? "points" : "tiers");
	for (i = 0; i < s->ntiers; i++)
	{
		const SpmTier *t = &s->tiers[i];

		appendStringInfo(&buf, "%s{\"%s\": %s, \"%s\": %s", i ? ", " : "", curve ? "at" : "from",
						 json_number(t->threshold, s->threshold_scale), curve ? "pay" : "rate",
						 json_number(t->rate, s->rate_scale));
		if (t->bonus != 0)
			appendStringInfo(&buf, ", \"bonus\": %s", json_number(t->bonus, s->money_scale));
		if (t->flags & SPM_TIER_CATCH_UP)
			appendStringInfoString(&buf, ", \"catch_up\": true");
		appendStringInfoChar(&buf, '}');
	}
	appendStringInfoChar(&buf, ']');
	if (s->flags & (SPM_SCHED_CAP | SPM_SCHED_CAP_TARGET))
		appendStringInfo(&buf, ", \"%s\": %s", (s->flags & SPM_SCHED_CAP) ? "cap" : "cap_target_multiple",
						 json_number(s->cap, s->cap_scale));
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

/* ---------------------------------------------------------------- evaluation */

/* A payout-statement line in numeric; tier 0 is the cap. */
typedef struct Line
{
	int			tier;
	Numeric		from;
	Numeric		to;				/* NULL: unbounded */
	Numeric		credited;
	Numeric		rate;
	Numeric		bonus;
	Numeric		commission;
	int			rate_tier;		/* tier whose rate applies, when caught up */
} Line;

/* A schedule with its quota, ready to evaluate amounts. */
typedef struct Evaluator
{
	const SpmSchedule *s;
	Numeric		quota;			/* NULL when none was given */
	bool		fast;			/* the fixed-point path is prepared */
	SpmPrepared p;
	spm_int128 *bounds;
	/* the numeric path, built on first use */
	Numeric    *nbounds;
	Numeric		ncap;			/* NULL: no cap */
} Evaluator;

/* Quota as a count of units at its least scale; false if it does not fit. */
static bool
quota_units(Numeric quota, spm_int128 *units, int *scale)
{
	*scale = spm_numeric_min_scale(quota);
	return *scale <= SPM_SCHEDULE_MAX_DIGITS && spm_numeric_to_fixed(quota, *scale, units);
}

/* What a schedule needs of its quota: present, finite and positive. */
static void
check_quota(const SpmSchedule *s, Numeric quota)
{
	bool		needs = (s->flags & (SPM_SCHED_OF_QUOTA | SPM_SCHED_CAP_TARGET)) != 0;

	if (quota == NULL)
	{
		if (needs)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("this tier schedule needs a quota"),
					 errdetail("Its %s.", (s->flags & SPM_SCHED_OF_QUOTA)
							   ? "thresholds are percentages of quota" : "cap is a multiple of the commission at quota"),
					 errhint("Pass the quota as the third argument, e.g. spm.commission(amount, schedule, quota).")));
		return;
	}
	spm_require_finite(quota, "quota");
	if (needs && spm_numeric_sign(quota) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quota must be positive for this tier schedule"),
				 errdetail("The quota given was %s.", numeric_text(quota)),
				 errhint("A schedule with thresholds or a cap relative to quota cannot apply to a zero or negative quota; filter such reps out or give them an amount-based schedule.")));
}

/* Prepare e for amounts of at least min_scale decimals. */
static void
evaluator_init(Evaluator *e, const SpmSchedule *s, Numeric quota, int min_scale)
{
	spm_int128	q = 0;
	int			qs = 0;

	check_quota(s, quota);
	memset(e, 0, sizeof(*e));
	e->s = s;
	e->quota = quota;
	e->bounds = palloc(sizeof(spm_int128) * s->ntiers);
	if (s->kind == SPM_KIND_TIERS && (quota == NULL || quota_units(quota, &q, &qs)))
		e->fast = spm_prepare(s, q, qs, quota != NULL, min_scale, e->bounds, &e->p) == SPM_CALC_OK;
}

static bool
reaches(const SpmSchedule *s, Numeric amount, Numeric bound)
{
	int			c = spm_numeric_cmp(amount, bound);

	return (s->flags & SPM_SCHED_BOUNDARY_LOWER) ? c > 0 : c >= 0;
}

/* The tier walk of spm_commission, in numeric arithmetic; capped applies the cap. */
static Numeric
numeric_commission(const Evaluator *e, Numeric amount, bool capped, Line *lines, int *nlines)
{
	const SpmSchedule *s = e->s;
	bool		retro = (s->flags & SPM_SCHED_RETROACTIVE) != 0;
	Numeric    *b = e->nbounds;
	Numeric		total = int64_to_numeric(0);
	int			top = 0,
				catch_up = -1,
				n = 0,
				i;

	if (spm_numeric_sign(amount) > 0)
		for (i = 1; i < s->ntiers && reaches(s, amount, b[i]); i++)
		{
			top = i;
			if (retro || (s->tiers[i].flags & SPM_TIER_CATCH_UP))
				catch_up = i;
		}
	for (i = 0; i <= top; i++)
	{
		int			rate_tier = i < catch_up ? catch_up : i;
		Numeric		credited = spm_numeric_sub(i < top ? b[i + 1] : amount, b[i]);
		Numeric		rate = spm_fixed_to_numeric(s->tiers[rate_tier].rate, s->rate_scale);
		Numeric		bonus = spm_fixed_to_numeric(s->tiers[i].bonus, s->money_scale);
		Numeric		line = spm_numeric_add(spm_numeric_mul(credited, rate), bonus);

		total = spm_numeric_add(total, line);
		if (lines)
			lines[n++] = (Line) {i + 1, b[i], i + 1 < s->ntiers ? b[i + 1] : NULL, credited, rate,
			bonus, line, rate_tier + 1};
	}
	if (capped && e->ncap && spm_numeric_cmp(total, e->ncap) > 0)
	{
		if (lines)
			lines[n++] = (Line) {0, NULL, NULL, NULL, NULL, NULL, spm_numeric_sub(e->ncap, total), 0};
		total = e->ncap;
	}
	if (nlines)
		*nlines = n;
	return total;
}

/* Build the numeric path once: thresholds as amounts, and the cap. */
static void
evaluator_numeric(Evaluator *e)
{
	const SpmSchedule *s = e->s;
	int			i;

	if (e->nbounds)
		return;
	e->nbounds = palloc(sizeof(Numeric) * s->ntiers);
	for (i = 0; i < s->ntiers; i++)
	{
		e->nbounds[i] = spm_fixed_to_numeric(s->tiers[i].threshold, s->threshold_scale);
		if (s->flags & SPM_SCHED_OF_QUOTA)
			e->nbounds[i] = spm_numeric_mul(e->nbounds[i], e->quota);
	}
	if (s->flags & SPM_SCHED_CAP)
		e->ncap = spm_fixed_to_numeric(s->cap, s->cap_scale);
	else if (s->flags & SPM_SCHED_CAP_TARGET)
		e->ncap = spm_numeric_mul(numeric_commission(e, e->quota, false, NULL, NULL),
								  spm_fixed_to_numeric(s->cap, s->cap_scale));
}

/* Fixed-point lines as numeric lines. */
static int
fixed_lines(const Evaluator *e, const SpmLine *fl, int n, Line *lines)
{
	const SpmSchedule *s = e->s;
	int			as = e->p.amount_scale,
				rs = e->p.result_scale,
				i;

	for (i = 0; i < n; i++)
	{
		const SpmLine *l = &fl[i];

		if (l->tier == 0)
			lines[i] = (Line) {0, NULL, NULL, NULL, NULL, NULL, spm_fixed_to_numeric(l->commission, rs), 0};
		else
			lines[i] = (Line) {l->tier, spm_fixed_to_numeric(l->from, as), l->has_to ? spm_fixed_to_numeric(l->to, as) : NULL,
				spm_fixed_to_numeric(l->credited, as), spm_fixed_to_numeric(s->tiers[l->rate_tier - 1].rate, s->rate_scale),
				spm_fixed_to_numeric(l->bonus, rs), spm_fixed_to_numeric(l->commission, rs), l->rate_tier};
	}
	return n;
}

/* Commission of amount; lines (room for ntiers + 1), when given, get the statement. */
static Numeric
evaluate(Evaluator *e, Numeric amount, Line *lines, int *nlines)
{
	spm_int128	units,
				commission;

	spm_require_finite(amount, "amount");
	if (e->fast && spm_numeric_to_fixed(amount, e->p.amount_scale, &units))
	{
		SpmLine    *fl = lines ? palloc(sizeof(SpmLine) * (e->s->ntiers + 1)) : NULL;
		int			n = 0;

		if (spm_commission(&e->p, units, &commission, fl, &n) == SPM_CALC_OK)
		{
			if (lines)
				*nlines = fixed_lines(e, fl, n, lines);
			return spm_fixed_to_numeric(commission, e->p.result_scale);
		}
	}
	evaluator_numeric(e);
	return numeric_commission(e, amount, true, lines, nlines);
}

/*
 * A pay curve's payout: target * factor(amount / quota), the factor 0 below the first
 * point, linear between points, the last point's factor above it.  Between points it
 * is one numeric division: target * (f_k*D + (x - A_k)*(f_k1 - f_k)) / D, D = A_k1 - A_k.
 */
static Numeric
curve_payout(const SpmSchedule *s, Numeric amount, Numeric quota, Numeric target, Line *line)
{
	Numeric		points[SPM_SCHEDULE_MAX_TIERS];
	Numeric		factor = int64_to_numeric(0);
	Numeric		payout;
	int			k = -1,
				i;

	spm_require_finite(amount, "amount");
	spm_require_not_negative(target, "target incentive",
							 "Pass the payout at 100 % of the curve, e.g. 20000; a clawback is a negative amount, not a negative target.");
	for (i = 0; i < s->ntiers; i++)
	{
		points[i] = spm_numeric_mul(spm_fixed_to_numeric(s->tiers[i].threshold, s->threshold_scale), quota);
		/* the boundary rule decides the first point; the curve is continuous after it */
		if (i == 0 ? reaches(s, amount, points[i]) : spm_numeric_cmp(amount, points[i]) >= 0)
			k = i;
	}
	if (k >= 0)
		factor = spm_fixed_to_numeric(s->tiers[k].rate, s->rate_scale);
	payout = spm_numeric_mul(target, factor);
	if (k >= 0 && k + 1 < s->ntiers && spm_numeric_cmp(amount, points[k]) != 0)
	{
		Numeric		span = spm_numeric_sub(points[k + 1], points[k]);
		Numeric		rise = spm_numeric_sub(spm_fixed_to_numeric(s->tiers[k + 1].rate, s->rate_scale), factor);
		Numeric		numerator = spm_numeric_add(spm_numeric_mul(factor, span),
												spm_numeric_mul(spm_numeric_sub(amount, points[k]), rise));

		factor = spm_numeric_div(numerator, span);
		payout = spm_numeric_div(spm_numeric_mul(target, numerator), span);
	}
	if (line)
		*line = (Line) {k + 1, k >= 0 ? points[k] : int64_to_numeric(0),
			k + 1 < s->ntiers ? points[k + 1] : NULL, amount, factor, int64_to_numeric(0), payout, k + 1};
	return payout;
}

/* The optional quota argument (argno), NULL when the function has no such argument. */
static Numeric
quota_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_NARGS() > argno ? PG_GETARG_NUMERIC(argno) : NULL;
}

static void
require_tiers(const SpmSchedule *s)
{
	if (s->kind == SPM_KIND_CURVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a pay curve pays a share of a target incentive"),
				 errhint("Call spm.commission(amount, curve, quota, target_incentive).")));
}

/* A target incentive needs a pay curve and its quota. */
static void
require_curve(const SpmSchedule *s, Numeric quota)
{
	if (s->kind != SPM_KIND_CURVE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a target incentive applies to pay curves only"),
				 errhint("Drop the target incentive argument for a tier schedule: spm.commission(amount, schedule, quota).")));
	check_quota(s, quota);
}

/* commission(amount, schedule [, quota]) */
PG_FUNCTION_INFO_V1(spm_commission_of);
Datum
spm_commission_of(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = schedule_arg(fcinfo, 1);
	Evaluator	e;

	require_tiers(s);
	evaluator_init(&e, s, quota_arg(fcinfo, 2), 0);
	PG_RETURN_NUMERIC(evaluate(&e, PG_GETARG_NUMERIC(0), NULL, NULL));
}

/* commission(amount, curve, quota, target_incentive) */
PG_FUNCTION_INFO_V1(spm_curve_commission);
Datum
spm_curve_commission(PG_FUNCTION_ARGS)
{
	SpmSchedule *s = schedule_arg(fcinfo, 1);
	Numeric		quota = PG_GETARG_NUMERIC(2);

	require_curve(s, quota);
	PG_RETURN_NUMERIC(curve_payout(s, PG_GETARG_NUMERIC(0), quota, PG_GETARG_NUMERIC(3), NULL));
}

/* commission_what_if(credit, deal, schedule [, quota]): what the deal adds now. */
PG_FUNCTION_INFO_V1(spm_commission_what_if);
Datum
spm_commission_what_if(PG_FUNCTION_ARGS)
{
	Numeric		credit = PG_GETARG_NUMERIC(0);
	Numeric		deal = PG_GETARG_NUMERIC(1);
	SpmSchedule *s = schedule_arg(fcinfo, 2);
	Evaluator	e;
	Numeric		before;

	require_tiers(s);
	evaluator_init(&e, s, quota_arg(fcinfo, 3), 0);
	before = evaluate(&e, credit, NULL, NULL);
	spm_require_finite(deal, "deal");
	PG_RETURN_NUMERIC(spm_numeric_sub(evaluate(&e, spm_numeric_add(credit, deal), NULL, NULL), before));
}

/*
 * credit_to_next_tier(credit, schedule [, quota]): the credit still needed to reach the
 * next tier (under the lower boundary rule, more than that); NULL in the top tier.
 */
PG_FUNCTION_INFO_V1(spm_credit_to_next_tier);
Datum
spm_credit_to_next_tier(PG_FUNCTION_ARGS)
{
	Numeric		credit = PG_GETARG_NUMERIC(0);
	SpmSchedule *s = schedule_arg(fcinfo, 1);
	Evaluator	e;
	int			i;

	require_tiers(s);
	spm_require_finite(credit, "credit");
	evaluator_init(&e, s, quota_arg(fcinfo, 2), 0);
	evaluator_numeric(&e);
	for (i = 1; i < s->ntiers; i++)
		if (!reaches(s, credit, e.nbounds[i]))
			PG_RETURN_NUMERIC(spm_numeric_sub(e.nbounds[i], credit));
	PG_RETURN_NULL();
}

/*
 * commission_explain(amount, schedule [, quota [, target_incentive]]): one row per tier
 * touched, and one for the cap; the commissions add up to spm.commission.
 */
PG_FUNCTION_INFO_V1(spm_commission_explain);
Datum
spm_commission_explain(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Numeric		amount = PG_GETARG_NUMERIC(0);
	SpmSchedule *s = schedule_arg(fcinfo, 1);
	Line	   *lines = palloc(sizeof(Line) * (s->ntiers + 1));
	int			n = 1,
				i;

	if (s->kind == SPM_KIND_CURVE)
	{
		if (PG_NARGS() < 4)
			require_tiers(s);
		check_quota(s, PG_GETARG_NUMERIC(2));
		curve_payout(s, amount, PG_GETARG_NUMERIC(2), PG_GETARG_NUMERIC(3), &lines[0]);
	}
	else
	{
		Evaluator	e;

		evaluator_init(&e, s, quota_arg(fcinfo, 2), 0);
		evaluate(&e, amount, lines, &n);
	}
	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < n; i++)
	{
		Line	   *l = &lines[i];
		Datum		values[8];
		bool		nulls[8] = {false};
		const char *note = l->tier == 0 ? "cap"
			: l->rate_tier != l->tier && s->kind == SPM_KIND_TIERS ? psprintf("caught up to tier %d's rate", l->rate_tier)
			: NULL;

		values[0] = Int32GetDatum(l->tier);
		nulls[0] = l->tier == 0;
		values[1] = NumericGetDatum(l->from);
		nulls[1] = l->from == NULL;
		values[2] = NumericGetDatum(l->to);
		nulls[2] = l->to == NULL;
		values[3] = NumericGetDatum(l->credited);
		nulls[3] = l->credited == NULL;
		values[4] = NumericGetDatum(l->rate);
		nulls[4] = l->rate == NULL;
		values[5] = NumericGetDatum(l->bonus);
		nulls[5] = l->bonus == NULL;
		values[6] = NumericGetDatum(l->commission);
		values[7] = note ? CStringGetTextDatum(note) : (Datum) 0;
		nulls[7] = note == NULL;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- per-deal window */

/* A window partition's running credit and the commission paid on it so far. */
typedef struct DealWindow
{
	bool		started;
	int64		next_pos;
	SpmSchedule *schedule;		/* the partition's, copied */
	Numeric		quota;			/* copied; NULL without one */
	Numeric		target;			/* a pay curve's target incentive, copied; else NULL */
	Evaluator	e;
	bool		fast;			/* running values in fixed point */
	spm_int128	credit;			/* at e.p.amount_scale */
	spm_int128	paid;			/* at e.p.result_scale */
	Numeric		ncredit;		/* the same in numeric once fixed point does not fit */
	Numeric		npaid;
} DealWindow;

static void
null_in_partition(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("the %s of deal_commission must not be NULL", what),
			 errhint("Filter out rows without a %s, or COALESCE it.", what)));
}

/* The group's first value and the one that differs, as text, for the message. */
static void
differs_in_partition(const char *what, const char *first, const char *other)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("the %s of the commission differs between rows of one group", what),
			 errdetail("The group's first row has %s; another has %s.", first, other),
			 errhint("PARTITION BY (or GROUP BY) the rep and the plan period, so that every row of a group carries the same %s.", what)));
}

/* A schedule datum's canonical text, quoted, for messages. */
static const char *
quoted_schedule(const SpmSchedule *s)
{
	return psprintf("'%s'", schedule_text(s));
}

/* Does the schedule datum hold the same bytes as s? */
static bool
same_schedule(const SpmSchedule *s, Datum d)
{
	SpmSchedule *other = DatumGetSchedule(d);

	return VARSIZE(other) == VARSIZE(s) && memcmp(other, s, VARSIZE(s)) == 0;
}

/* The current row's argument argno, which must not be NULL. */
static Datum
deal_window_arg(WindowObject win, int argno, const char *what)
{
	bool		isnull;
	Datum		value = WinGetFuncArgCurrent(win, argno, &isnull);

	if (isnull)
		null_in_partition(what);
	return value;
}

/* Take the partition's schedule, quota and target from its first row. */
static void
deal_window_start(DealWindow *w, Datum schedule, Numeric quota, Numeric target)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));
	SpmSchedule *s = DatumGetSchedule(schedule);
	SpmScheduleError err;

	if (spm_schedule_check(s, VARSIZE(s), &err) != SPM_SCHED_OK)
		report_schedule_error(&err, NULL, ERRCODE_DATA_CORRUPTED);
	if (target)
		require_curve(s, quota);
	else
		require_tiers(s);
	w->schedule = palloc(VARSIZE(s));
	memcpy(w->schedule, s, VARSIZE(s));
	w->quota = quota ? DatumGetNumericCopy(NumericGetDatum(quota)) : NULL;
	w->target = target ? DatumGetNumericCopy(NumericGetDatum(target)) : NULL;
	if (!target)
	{
		/* cents fit from the start: amounts rarely have more decimals */
		evaluator_init(&w->e, w->schedule, w->quota, 2);
		evaluator_numeric(&w->e);
		w->fast = w->e.fast;
	}
	w->ncredit = int64_to_numeric(0);
	w->npaid = int64_to_numeric(0);
	w->started = true;
	MemoryContextSwitchTo(old);
}

/* The current row's schedule, quota and target: the partition's, checked on every row. */
static void
deal_window_start_or_check(WindowObject win, DealWindow *w, int nargs)
{
	Datum		schedule = deal_window_arg(win, 1, "schedule");
	Numeric		quota = nargs > 2 ? DatumGetNumeric(deal_window_arg(win, 2, "quota")) : NULL;
	Numeric		target = nargs > 3 ? DatumGetNumeric(deal_window_arg(win, 3, "target incentive")) : NULL;

	if (!w->started)
		deal_window_start(w, schedule, quota, target);
	else if (!same_schedule(w->schedule, schedule))
		differs_in_partition("schedule", quoted_schedule(w->schedule),
							 quoted_schedule(DatumGetSchedule(schedule)));
	else if (quota && spm_numeric_cmp(w->quota, quota) != 0)
		differs_in_partition("quota", numeric_text(w->quota), numeric_text(quota));
	else if (target && spm_numeric_cmp(w->target, target) != 0)
		differs_in_partition("target incentive", numeric_text(w->target), numeric_text(target));
}

/* Leave fixed point for good: the running values move to numeric. */
static void
deal_window_to_numeric(DealWindow *w)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));

	w->ncredit = spm_fixed_to_numeric(w->credit, w->e.p.amount_scale);
	w->npaid = spm_fixed_to_numeric(w->paid, w->e.p.result_scale);
	w->fast = false;
	MemoryContextSwitchTo(old);
}

/* This deal's commission in fixed point; false when it does not fit. */
static bool
deal_window_fast(DealWindow *w, Numeric amount, Numeric *result)
{
	spm_int128	units,
				credit,
				paid;

	if (!spm_numeric_to_fixed(amount, w->e.p.amount_scale, &units) ||
		__builtin_add_overflow(w->credit, units, &credit) ||
		spm_commission(&w->e.p, credit, &paid, NULL, NULL) != SPM_CALC_OK)
		return false;
	*result = spm_fixed_to_numeric(paid - w->paid, w->e.p.result_scale);
	w->credit = credit;
	w->paid = paid;
	return true;
}

/*
 * This deal's commission in numeric.  The work runs in the per-row context; only the
 * running credit and paid amount move to the partition's memory.
 */
static Numeric
deal_window_numeric(DealWindow *w, Numeric amount)
{
	Numeric		credit = spm_numeric_add(w->ncredit, amount);
	Numeric		paid = w->target ? curve_payout(w->schedule, credit, w->quota, w->target, NULL)
		: numeric_commission(&w->e, credit, true, NULL, NULL);
	Numeric		result = spm_numeric_sub(paid, w->npaid);
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(w));

	pfree(w->ncredit);
	pfree(w->npaid);
	w->ncredit = DatumGetNumericCopy(NumericGetDatum(credit));
	w->npaid = DatumGetNumericCopy(NumericGetDatum(paid));
	MemoryContextSwitchTo(old);
	return result;
}

/*
 * deal_commission(amount, schedule [, quota [, target]]) OVER (PARTITION BY rep, period
 * ORDER BY close_date, deal_id): commission (or a pay curve's payout) on the credit
 * through this deal minus that on the credit before it.  Rows are taken in the order the window sort delivers them
 * (peers too), so over a partition the results sum exactly to the commission on its
 * total.  A NULL amount credits nothing and returns NULL.
 */
PG_FUNCTION_INFO_V1(spm_deal_commission);
Datum
spm_deal_commission(PG_FUNCTION_ARGS)
{
	WindowObject win = PG_WINDOW_OBJECT();
	DealWindow *w = WinGetPartitionLocalMemory(win, sizeof(DealWindow));
	int64		pos = WinGetCurrentPosition(win);
	bool		isnull;
	Datum		amount_datum;
	Numeric		amount;
	Numeric		result;

	if (pos != w->next_pos)
		elog(ERROR, "deal_commission called out of row order");
	w->next_pos++;
	deal_window_start_or_check(win, w, PG_NARGS());
	amount_datum = WinGetFuncArgCurrent(win, 0, &isnull);
	if (isnull)
		PG_RETURN_NULL();
	/* packed as stored: the fixed-point decoder reads it without a copy */
	amount = (Numeric) PG_DETOAST_DATUM_PACKED(amount_datum);
	spm_require_finite(amount, "amount");
	if (w->fast && deal_window_fast(w, amount, &result))
		PG_RETURN_NUMERIC(result);
	if (w->fast)
		deal_window_to_numeric(w);
	PG_RETURN_NUMERIC(deal_window_numeric(w, DatumGetNumeric(amount_datum)));
}

/* ---------------------------------------------------------------- group aggregate */

static const char *const state_field_names[] = {"credit"};
static const SpmTallyShape state_shape = {"spm.commission_state", 0, 1, state_field_names};

#define STATE_VERSION 1

/*
 * The aggregate's state: the group's schedule and quota, and the exact sum of its
 * credit as an SpmTally (last, so the rest is copied only when the tally grows).
 */
typedef struct CommissionState
{
	int32		vl_len_;
	uint8		version;
	uint8		has_quota;
	uint16		reserved;
	uint32		quota_off;
	uint32		schedule_off;
	uint32		tally_off;
} CommissionState;

static const SpmSchedule *
state_schedule(const CommissionState *st)
{
	return (const SpmSchedule *) ((const char *) st + st->schedule_off);
}

static Numeric
state_quota(const CommissionState *st)
{
	return st->has_quota ? (Numeric) ((char *) st + st->quota_off) : NULL;
}

static SpmTally *
state_tally(const CommissionState *st)
{
	return (SpmTally *) ((char *) st + st->tally_off);
}

static CommissionState *
state_build(const SpmSchedule *s, Numeric quota, const SpmTally *tally)
{
	Size		quota_off = MAXALIGN(sizeof(CommissionState));
	Size		schedule_off = quota_off + (quota ? MAXALIGN(VARSIZE(quota)) : 0);
	Size		tally_off = schedule_off + MAXALIGN(VARSIZE(s));
	Size		size = tally_off + VARSIZE(tally);
	CommissionState *st = palloc0(size);

	SET_VARSIZE(st, size);
	st->version = STATE_VERSION;
	st->has_quota = quota != NULL;
	st->quota_off = quota ? quota_off : 0;
	st->schedule_off = schedule_off;
	st->tally_off = tally_off;
	if (quota)
		memcpy((char *) st + quota_off, quota, VARSIZE(quota));
	memcpy((char *) st + schedule_off, s, VARSIZE(s));
	memcpy((char *) st + tally_off, tally, VARSIZE(tally));
	return st;
}

/* Check a state's layout before any part of it is read. */
static CommissionState *
state_checked(CommissionState *st, int sqlstate)
{
	Size		size = VARSIZE(st);
	SpmScheduleError err;

	/* each part lies inside the value, in order, its own size fitting its slot */
	if (size < MAXALIGN(sizeof(CommissionState)) || st->version != STATE_VERSION ||
		st->has_quota > 1 || st->schedule_off < MAXALIGN(sizeof(CommissionState)) ||
		st->tally_off <= st->schedule_off || st->tally_off + VARHDRSZ > size ||
		(st->has_quota && (st->quota_off != MAXALIGN(sizeof(CommissionState)) ||
						   VARSIZE(state_quota(st)) > st->schedule_off - st->quota_off)) ||
		VARSIZE(state_schedule(st)) > st->tally_off - st->schedule_off ||
		VARSIZE(state_tally(st)) != size - st->tally_off ||
		spm_schedule_check(state_schedule(st), VARSIZE(state_schedule(st)), &err) != SPM_SCHED_OK)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("corrupted spm.commission_state value"),
				 errdetail("Its version, layout or schedule do not match this version of spm.")));
	return st;
}

/* The state argument: in place when the aggregate owns it, otherwise a copy. */
static CommissionState *
state_for_update(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(argno);

	if (AggCheckCallContext(fcinfo, NULL) && VARATT_IS_4B_U(raw))
		return (CommissionState *) raw;
	return state_checked((CommissionState *) PG_DETOAST_DATUM_COPY(PointerGetDatum(raw)),
						 ERRCODE_DATA_CORRUPTED);
}

/* Every row of a group must carry the state's schedule and quota. */
static void
state_check_same(const CommissionState *st, Datum schedule, Numeric quota)
{
	if (!same_schedule(state_schedule(st), schedule))
		differs_in_partition("schedule", quoted_schedule(state_schedule(st)),
							 quoted_schedule(DatumGetSchedule(schedule)));
	if ((quota == NULL) != (state_quota(st) == NULL) ||
		(quota && spm_numeric_cmp(quota, state_quota(st)) != 0))
		differs_in_partition("quota", state_quota(st) ? numeric_text(state_quota(st)) : "none",
							 quota ? numeric_text(quota) : "none");
}

/* The tally may have grown into a new one: rebuild around it. */
static CommissionState *
state_with_tally(CommissionState *st, SpmTally *old, SpmTally *updated)
{
	if (updated == old)
		return st;
	return state_build(state_schedule(st), state_quota(st), updated);
}

/*
 * commission_accum(state, amount, schedule [, quota]) adds a row (sign 1); its inverse
 * removes one that leaves a moving window (sign -1), or returns NULL so the window
 * recomputes when the credit's display scale may shrink (see tally.h).
 */
static Datum
commission_step(FunctionCallInfo fcinfo, int sign)
{
	CommissionState *st = PG_ARGISNULL(0) ? NULL : state_for_update(fcinfo, 0);
	Numeric		quota = NULL;
	Numeric		amount;
	SpmTally   *tally;
	SpmTally   *updated;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("the schedule of group_commission must not be NULL"),
				 errhint("Filter out rows without a plan, or COALESCE the schedule.")));
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("the quota of group_commission must not be NULL"),
					 errhint("Filter out reps without a quota, or COALESCE it.")));
		quota = PG_GETARG_NUMERIC(3);
	}
	if (st == NULL)
	{
		SpmSchedule *s = schedule_arg(fcinfo, 2);

		require_tiers(s);
		check_quota(s, quota);
		st = state_build(s, quota, spm_tally_create(&state_shape));
	}
	else
		state_check_same(st, PG_GETARG_DATUM(2), quota);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	/* packed as stored: the tally decodes it without a copy */
	amount = SPM_GETARG_NUMERIC_PACKED(1);
	spm_require_finite(amount, "amount");
	tally = state_tally(st);
	updated = spm_tally_add(tally, 0, amount, sign);
	if (updated == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state_with_tally(st, tally, updated));
}

PG_FUNCTION_INFO_V1(spm_commission_accum);
Datum
spm_commission_accum(PG_FUNCTION_ARGS)
{
	return commission_step(fcinfo, 1);
}

PG_FUNCTION_INFO_V1(spm_commission_accum_inv);
Datum
spm_commission_accum_inv(PG_FUNCTION_ARGS)
{
	return commission_step(fcinfo, -1);
}

PG_FUNCTION_INFO_V1(spm_commission_combine);
Datum
spm_commission_combine(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_for_update(fcinfo, 0);
	CommissionState *other = state_checked((CommissionState *) PG_GETARG_VARLENA_P(1),
										   ERRCODE_DATA_CORRUPTED);
	SpmTally   *tally = state_tally(st);

	state_check_same(st, PointerGetDatum(state_schedule(other)), state_quota(other));
	PG_RETURN_POINTER(state_with_tally(st, tally, spm_tally_merge(tally, state_tally(other), 1)));
}

PG_FUNCTION_INFO_V1(spm_commission_final);
Datum
spm_commission_final(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	Evaluator	e;

	evaluator_init(&e, state_schedule(st), state_quota(st), 0);
	PG_RETURN_NUMERIC(evaluate(&e, spm_tally_get_sum(state_tally(st), 0), NULL, NULL));
}

/* Text: "(credit=1234.50) quota=100000 schedule=marginal; from 0 rate 8%". */
PG_FUNCTION_INFO_V1(spm_commission_state_out);
Datum
spm_commission_state_out(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoString(&buf, spm_tally_out(state_tally(st), &state_shape));
	if (state_quota(st))
		appendStringInfo(&buf, " quota=%s", numeric_text(state_quota(st)));
	appendStringInfo(&buf, " schedule=%s", schedule_text(state_schedule(st)));
	PG_RETURN_CSTRING(buf.data);
}

static void
bad_state_text(const char *str)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type spm.commission_state: \"%s\"", str),
			 errhint("Write the credit, the quota if any and the schedule, e.g. '(credit=1234.50) quota=100000 schedule=marginal; from 0 rate 8%%'.")));
}

PG_FUNCTION_INFO_V1(spm_commission_state_in);
Datum
spm_commission_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *close = strchr(str, ')');
	char	   *rest;
	char	   *schedule;
	Numeric		quota = NULL;
	SpmSchedule *s;

	if (close == NULL || (schedule = strstr(close, " schedule=")) == NULL)
		bad_state_text(str);
	rest = close + 1;
	if (strncmp(rest, " quota=", 7) == 0 && rest + 7 < schedule)
		quota = DatumGetNumeric(DirectFunctionCall3(numeric_in,
													CStringGetDatum(pnstrdup(rest + 7, schedule - rest - 7)),
													ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	else if (rest != schedule)
		bad_state_text(str);
	s = schedule_from_text(schedule + strlen(" schedule="), ERRCODE_INVALID_TEXT_REPRESENTATION);
	if (quota)
		check_quota(s, quota);
	PG_RETURN_POINTER(state_build(s, quota, spm_tally_in(pnstrdup(str, close - str + 1), &state_shape)));
}

/* A length-prefixed part of a binary value. */
static void
send_part(StringInfo buf, bytea *part)
{
	pq_sendint32(buf, VARSIZE_ANY_EXHDR(part));
	pq_sendbytes(buf, VARDATA_ANY(part), VARSIZE_ANY_EXHDR(part));
}

/* The next length-prefixed part, as a buffer of its own (length checked). */
static void
recv_part(StringInfo buf, StringInfo part)
{
	int			len = pq_getmsgint(buf, 4);

	if (len < 0 || len > buf->len - buf->cursor)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid binary spm.commission_state"),
				 errdetail("A part claims %d bytes; %d are left.", len, buf->len - buf->cursor)));
	part->data = (char *) pq_getmsgbytes(buf, len);
	part->len = len;
	part->maxlen = len;
	part->cursor = 0;
}

PG_FUNCTION_INFO_V1(spm_commission_state_send);
Datum
spm_commission_state_send(PG_FUNCTION_ARGS)
{
	CommissionState *st = state_checked((CommissionState *) PG_GETARG_VARLENA_P(0),
										ERRCODE_DATA_CORRUPTED);
	StringInfoData buf;
	StringInfoData schedule;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, STATE_VERSION);
	pq_sendbyte(&buf, st->has_quota);
	if (st->has_quota)
		send_part(&buf, DatumGetByteaPP(DirectFunctionCall1(numeric_send, NumericGetDatum(state_quota(st)))));
	pq_begintypsend(&schedule);
	schedule_send(&schedule, state_schedule(st));
	send_part(&buf, pq_endtypsend(&schedule));
	send_part(&buf, spm_tally_send(state_tally(st), &state_shape));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(spm_commission_state_recv);
Datum
spm_commission_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	StringInfoData part;
	Numeric		quota = NULL;
	SpmSchedule *s;
	SpmTally   *tally;
	int			version = pq_getmsgbyte(buf);
	int			has_quota = pq_getmsgbyte(buf);

	if (version != STATE_VERSION || has_quota > 1)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("invalid binary spm.commission_state"),
				 errdetail("Version %d with quota flag %d; this spm reads version %d.", version, has_quota, STATE_VERSION)));
	if (has_quota)
	{
		recv_part(buf, &part);
		quota = DatumGetNumeric(DirectFunctionCall3(numeric_recv, PointerGetDatum(&part),
													ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	recv_part(buf, &part);
	s = schedule_recv(&part);
	if (quota)
		check_quota(s, quota);
	recv_part(buf, &part);
	tally = spm_tally_recv(&part, &state_shape);
	PG_RETURN_POINTER(state_build(s, quota, tally));
}

/* ================================================================ payouts */

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

/* ---------------------------------------------------------------- splits */

/* A numeric array of parts standing where the input's elements stood. */
static ArrayType *
parts_array(ArrayType *input, int n, Datum *parts, bool *nulls)
{
	int			dims[1] = {n};
	int			lbs[1] = {ARR_NDIM(input) == 1 ? ARR_LBOUND(input)[0] : 1};

	return construct_md_array(parts, nulls, 1, dims, lbs, NUMERICOID, -1, false, TYPALIGN_INT);
}

/*
 * Split amount by shares (shares[0..n-1], non-NULL) into parts, whole units of
 * 10^-scale; overlay allows shares summing above 1.  how_overlay tells the user how
 * to allow overlays in this function's syntax.
 */
static void
split_parts(Numeric amount, Datum *shares, int n, bool overlay, int scale,
			const char *how_overlay, Datum *parts)
{
	int64		amount_units = 0;
	int64	   *share_units = palloc(sizeof(int64) * Max(n, 1));
	int64	   *part_units = palloc(sizeof(int64) * Max(n, 1));
	spm_int128 *work = palloc(sizeof(spm_int128) * Max(n, 1));
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * Max(n, 1));
	Numeric		sum = int64_to_numeric(0);
	int			share_scale = 0;
	int			i;

	spm_check_scale(scale);
	spm_require_finite(amount, "amount");
	amount_units = spm_whole_units(amount, scale, "amount");
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
					 errdetail("The shares of the split of %s sum to %s.", numeric_normalize(amount),
							   numeric_normalize(sum)),
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

/* split(amount, shares, overlay, scale) */
PG_FUNCTION_INFO_V1(spm_split);
Datum
spm_split(PG_FUNCTION_ARGS)
{
	ArrayType  *share_array = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *shares;
	bool	   *nulls;
	Datum	   *parts;
	int			n;

	n = spm_numeric_list(share_array, "split shares",
						 "Pass one share per rep, e.g. ARRAY[0.6, 0.4].", &shares, &nulls);
	check_shares_given(nulls, n);
	parts = palloc(sizeof(Datum) * Max(n, 1));
	split_parts(PG_GETARG_NUMERIC(0), shares, n, PG_GETARG_BOOL(2), PG_GETARG_INT32(3),
				"pass allow_overlay => true", parts);
	PG_RETURN_ARRAYTYPE_P(parts_array(share_array, n, parts, nulls));
}

static const char *const deal_partition_hint =
"PARTITION BY the deal, so that every row of a partition carries the same amount, overlay flag and scale.";

static void
compute_split_share(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
					bool *nulls)
{
	Datum	   *shares = palloc(sizeof(Datum) * Max(n, 1));
	Datum		amount = spm_partition_constant(fcinfo, win, 0, n, NULL, "amount", "split_share",
												deal_partition_hint);
	Datum		overlay = spm_partition_constant(fcinfo, win, 2, n, NULL, "overlay flag",
												 "split_share", deal_partition_hint);
	Datum		scale = spm_partition_constant(fcinfo, win, 3, n, NULL, "scale", "split_share",
											   deal_partition_hint);

	spm_partition_column(fcinfo, win, 1, n, shares, nulls);
	check_shares_given(nulls, (int) n);
	split_parts(DatumGetNumeric(amount), shares, (int) n, DatumGetBool(overlay),
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
 * they sum exactly to their total rounded by rule.
 */
static void
round_parts(Datum *lines, bool *nulls, int n, int scale, SpmRounding rule, Datum *parts)
{
	Fixed	   *fixed = palloc(sizeof(Fixed) * Max(n, 1));
	spm_int128 *units = palloc(sizeof(spm_int128) * Max(n, 1));
	SpmRemainder *scratch = palloc(sizeof(SpmRemainder) * Max(n, 1));
	int			line_scale = Max(scale, 0);
	int			taking = 0;
	int			i;

	spm_check_scale(scale);
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
			parts[i] = NumericGetDatum(numeric_at(units[--taking], scale, Max(scale, 0)));
}

/* round_lines(lines, scale, rounding) */
PG_FUNCTION_INFO_V1(spm_round_lines_array);
Datum
spm_round_lines_array(PG_FUNCTION_ARGS)
{
	ArrayType  *line_array = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *lines;
	bool	   *nulls;
	Datum	   *parts;
	int			n;

	n = spm_numeric_list(line_array, "payout lines",
						 "Pass the lines of one statement, e.g. ARRAY[10.005, 20.005].", &lines, &nulls);
	parts = palloc(sizeof(Datum) * Max(n, 1));
	round_parts(lines, nulls, n, PG_GETARG_INT32(1), rounding_rule(PG_GETARG_TEXT_PP(2)), parts);
	PG_RETURN_ARRAYTYPE_P(parts_array(line_array, n, parts, nulls));
}

static const char *const statement_partition_hint =
"PARTITION BY the statement (e.g. the rep and period), so that every row of a partition carries the same scale and rounding rule.";

static void
compute_round_line(FunctionCallInfo fcinfo, WindowObject win, int64 n, Datum *results,
				   bool *nulls)
{
	Datum	   *lines = palloc(sizeof(Datum) * Max(n, 1));
	Datum		scale = spm_partition_constant(fcinfo, win, 1, n, NULL, "scale", "round_line",
											   statement_partition_hint);
	Datum		rule = spm_partition_constant(fcinfo, win, 2, n, NULL, "rounding rule",
											  "round_line", statement_partition_hint);

	spm_partition_column(fcinfo, win, 0, n, lines, nulls);
	round_parts(lines, nulls, (int) n, DatumGetInt32(scale),
				rounding_rule(DatumGetTextPP(rule)), results);
}

/* round_line(line, scale, rounding) OVER (PARTITION BY statement ORDER BY line_no) */
PG_FUNCTION_INFO_V1(spm_round_line);
Datum
spm_round_line(PG_FUNCTION_ARGS)
{
	return spm_partition_result(fcinfo, compute_round_line);
}
