/*
 * statement.c: the sections of a payout statement.
 *
 * A statement's lines are rows of the user's own table; their rounding is round_line and
 * adjustment_line (payout.c).  What this file holds is the one list of line kinds and
 * the order a statement prints them in, so that every statement, PDF or portal sorts
 * its sections alike and a misspelt kind is an error rather than a line sorted last.
 */
#include "spm.h"

#include "utils/builtins.h"

/* The kinds of line, in the order a statement prints them: earnings, then pay. */
static const char *const statement_kinds[] = {
	"commission",				/* per tier or per deal; a clawback is a negative line */
	"tier_bonus",				/* a step bonus on reaching a tier */
	"spiff",					/* a one-off incentive */
	"adjustment",				/* a correction of an earlier period, paid on this one */
	"draw_advance",				/* the draw paid above earnings */
	"draw_recovery"				/* earnings kept back against the draw balance */
};

/* statement_order(kind) -> the kind's section, 1 for commission .. 6 for draw_recovery */
PG_FUNCTION_INFO_V1(spm_statement_order);
Datum
spm_statement_order(PG_FUNCTION_ARGS)
{
	text	   *kind = PG_GETARG_TEXT_PP(0);
	const char *name = VARDATA_ANY(kind);
	size_t		len = VARSIZE_ANY_EXHDR(kind);
	int			i;

	for (i = 0; i < lengthof(statement_kinds); i++)
		if (strlen(statement_kinds[i]) == len && memcmp(statement_kinds[i], name, len) == 0)
			PG_RETURN_INT32(i + 1);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown statement line kind \"%s\"", text_to_cstring(kind)),
			 errhint("Write one of commission, tier_bonus, spiff, adjustment, draw_advance, draw_recovery.")));
	PG_RETURN_NULL();			/* not reached */
}
