/*
 * tier_schedule.c: the spm.tier_schedule type: a commission plan as a value.  Text
 * and binary I/O, equality, ordering and hashing by canonical text, construction from
 * arrays and jsonb, and to_jsonb.
 *
 * Parsing, validation and the canonical text live in compensation_core.c; this file
 * only moves bytes between PostgreSQL and the core and words the core's errors.  It
 * must not evaluate schedules: that is commission.c.
 */
#include "tier_schedule.h"

#include "access/hash.h"
#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"

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
 * The errors of the text a schedule is written in: its clauses, keywords and numbers.
 * Returns when err is of another kind.
 */
static void
report_syntax_error(const SpmScheduleError *err, const char *text, int sqlstate)
{
	const char *field = err->field ? err->field : "value";
	const char *where = err->tier ? tier_word(err) : psprintf("clause %d", err->clause);

	switch (err->status)
	{
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
							errmsg("%s of the tier schedule: rate %s is more than 100%%", where, token_text(text, err)),
							errdetail("A rate without a %% sign is a fraction of the credited amount."),
							errhint("Write 8%% or 0.08 for eight percent; a rate above 100%% needs its %% sign: 800%%.")));
			break;
		default:
			break;
	}
}

/* The errors of what a schedule says: its tiers, points and clauses together. */
static void
report_structure_error(const SpmScheduleError *err, int sqlstate)
{
	const char *field = err->field ? err->field : "value";
	const char *where = err->tier ? tier_word(err) : psprintf("clause %d", err->clause);

	switch (err->status)
	{
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
		default:
			break;
	}
}

/*
 * Raise the error a schedule failed with; sqlstate is 22P02 for text, 22023 for
 * arrays and jsonb, 08P01 for binary.  text (may be NULL) is the parsed text.
 */
void
spm_report_schedule_error(const SpmScheduleError *err, const char *text, int sqlstate)
{
	report_syntax_error(err, text, sqlstate);
	report_structure_error(err, sqlstate);
	elog(ERROR, "tier schedule status %d has no message", (int) err->status);
}

/* Parse text into a palloc'd schedule, or raise sqlstate. */
SpmSchedule *
spm_schedule_from_text(const char *text, int sqlstate)
{
	SpmSchedule *buf = palloc(SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS));
	SpmSchedule *result;
	SpmScheduleError err;
	size_t		size;

	if (spm_schedule_parse(text, buf, &size, &err) != SPM_SCHED_OK)
		spm_report_schedule_error(&err, text, sqlstate);
	result = palloc(size);
	memcpy(result, buf, size);
	SET_VARSIZE(result, size);
	pfree(buf);
	return result;
}

char *
spm_schedule_text(const SpmSchedule *s)
{
	size_t		len = spm_schedule_format(s, NULL, 0);
	char	   *text = palloc(len + 1);

	spm_schedule_format(s, text, len + 1);
	return text;
}

/* A stored schedule, checked: a corrupted one never reaches the math. */
SpmSchedule *
spm_schedule_arg(FunctionCallInfo fcinfo, int argno)
{
	SpmSchedule *s = PG_GETARG_SCHEDULE(argno);
	SpmScheduleError err;

	if (spm_schedule_check(s, VARSIZE(s), &err) != SPM_SCHED_OK)
		spm_report_schedule_error(&err, NULL, ERRCODE_DATA_CORRUPTED);
	return s;
}

/* ---------------------------------------------------------------- type I/O */

static SpmSchedule *schedule_from_jsonb(Jsonb *json);

/*
 * Text input: the clause form, or a JSON object as tools send a plan written as JSON
 * (the jsonb form, the same value).  A clause never starts with "{".
 */
PG_FUNCTION_INFO_V1(spm_tier_schedule_in);
Datum
spm_tier_schedule_in(PG_FUNCTION_ARGS)
{
	char	   *text = PG_GETARG_CSTRING(0);

	if (text[strspn(text, " \t\r\n")] == '{')
		PG_RETURN_POINTER(schedule_from_jsonb(DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																				  CStringGetDatum(text)))));
	PG_RETURN_POINTER(spm_schedule_from_text(text, ERRCODE_INVALID_TEXT_REPRESENTATION));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_out);
Datum
spm_tier_schedule_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(spm_schedule_text(spm_schedule_arg(fcinfo, 0)));
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
void
spm_schedule_send(StringInfo buf, const SpmSchedule *s)
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

static void bad_binary(const char *detail) pg_attribute_noreturn();

static void
bad_binary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("invalid binary tier schedule"),
			 errdetail("%s", detail)));
}

/* Read a schedule; every length is checked before it is read. */
SpmSchedule *
spm_schedule_recv(StringInfo buf)
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
		spm_report_schedule_error(&err, NULL, ERRCODE_PROTOCOL_VIOLATION);
	return s;
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_recv);
Datum
spm_tier_schedule_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(spm_schedule_recv((StringInfo) PG_GETARG_POINTER(0)));
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_send);
Datum
spm_tier_schedule_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	spm_schedule_send(&buf, spm_schedule_arg(fcinfo, 0));
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

SPM_EQUALITY_FUNCTIONS(spm_tier_schedule_eq, spm_tier_schedule_ne, schedules_equal)

/*
 * Schedules in the order of their canonical texts, which is consistent with = (equal
 * texts, equal bytes): sorting, count(DISTINCT ...) and window PARTITION BY need one.
 */
static int
schedule_order(FunctionCallInfo fcinfo)
{
	SpmSchedule *a = spm_schedule_arg(fcinfo, 0);
	SpmSchedule *b = spm_schedule_arg(fcinfo, 1);
	char	   *a_text = spm_schedule_text(a);
	char	   *b_text = spm_schedule_text(b);
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

/* A numeric as schedule text, as a percentage (of quota, or a rate) when percent. */
static char *
schedule_number(Numeric num, bool percent)
{
	/* NaN and infinities stay as they are, for the parser to name */
	if (percent && !numeric_is_nan(num) && !numeric_is_inf(num))
		return psprintf("%s%%", spm_numeric_out(spm_numeric_mul(num, int64_to_numeric(100))));
	return spm_numeric_out(num);
}

/* Elements of a one-dimensional numeric array argument; none may be NULL. */
static int
array_arg(ArrayType *array, const char *what, Datum **elems)
{
	return spm_numeric_list_no_nulls(array, what,
									 "Pass one value per tier, e.g. ARRAY[0, 100000, 200000].",
									 "Use 0 for a tier with no bonus.", elems);
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
						 spm_numeric_out(DatumGetNumeric(rates[i])));
		if (bonuses && spm_numeric_cmp(DatumGetNumeric(bonuses[i]), int64_to_numeric(0)) != 0)
			appendStringInfo(&buf, " bonus %s", spm_numeric_out(DatumGetNumeric(bonuses[i])));
	}
	if (!PG_ARGISNULL(5))
		appendStringInfo(&buf, "; cap %s", spm_numeric_out(PG_GETARG_NUMERIC(5)));
	PG_RETURN_POINTER(spm_schedule_from_text(buf.data, ERRCODE_INVALID_PARAMETER_VALUE));
}

static void bad_jsonb(const char *message, const char *detail) pg_attribute_noreturn();

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
		return spm_numeric_out(v->val.numeric);
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
	/* jsonb is what tools write (to_jsonb among them): a rate of 1.5 is 150%, taken as it is */
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
/* The schedule a jsonb object describes, as clause text read by the core (22023). */
static SpmSchedule *
schedule_from_jsonb(Jsonb *json)
{
	static const char *const keys[] = {"kind", "boundary", "basis", "tiers", "points", "cap",
	"cap_target_multiple", NULL};
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
	{
		/* checked here: spliced into clause text, "lower; cap 5" would add a clause */
		char	   *boundary = jsonb_scalar_text(v, "boundary", true);

		if (strcmp(boundary, "lower") != 0 && strcmp(boundary, "upper") != 0)
			bad_jsonb(psprintf("\"boundary\" must be \"lower\" or \"upper\", not \"%s\"", boundary), NULL);
		appendStringInfo(&buf, "; boundary %s", boundary);
	}
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
	return spm_schedule_from_text(buf.data, ERRCODE_INVALID_PARAMETER_VALUE);
}

PG_FUNCTION_INFO_V1(spm_tier_schedule_from_jsonb);
Datum
spm_tier_schedule_from_jsonb(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(schedule_from_jsonb(PG_GETARG_JSONB_P(0)));
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
	SpmSchedule *s = spm_schedule_arg(fcinfo, 0);
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
