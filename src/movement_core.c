/*
 * movement_core.c: which waterfall steps a deal's change between two snapshots takes
 * (see movement_core.h and doc/pipeline.md, "Pipeline movement").
 *
 * The rules, for a period [start, end) of close dates:
 *   - in the pipeline: open with start <= close < end;
 *   - closed in the period: won or lost with start <= close < end.
 * Old side: in the pipeline (opening, at the old amount), open elsewhere (a pull-in
 * candidate), or not in the pipeline at all (absent, or already closed).
 * The order of a deal's steps: first its date (pulled in at the old amount, or pushed out
 * at the old amount, after which nothing of it is in the period), then its amount (the
 * change, increased or decreased), then how it ends (closing, won or lost, at the new
 * amount).  Each deal's steps satisfy the identity on their own.
 */
#include "movement_core.h"
#include "fixed_point_core.h"

const char *const spm_movement_step_names[SPM_STEP_COUNT] = {
	"opening", "new", "increased", "decreased", "pulled_in", "pushed_out", "won", "lost", "closing"
};

const int	spm_movement_step_signs[SPM_STEP_COUNT] = {1, 1, 1, -1, 1, -1, -1, -1, 0};

SpmMovementStatus
spm_movement_check_period(int32_t start, int32_t end)
{
	return start < end ? SPM_MOVEMENT_OK : SPM_MOVEMENT_BAD_PERIOD;
}

static bool
within(int32_t close, int32_t start, int32_t end)
{
	return close >= start && close < end;
}

/* The amount change, as increased or decreased. */
static void
amount_change(int amount_cmp, SpmMovementTerm terms[SPM_STEP_COUNT])
{
	if (amount_cmp > 0)
		terms[SPM_STEP_INCREASED] = SPM_TERM_CHANGE;
	else if (amount_cmp < 0)
		terms[SPM_STEP_DECREASED] = SPM_TERM_CHANGE;
}

SpmMovementStatus
spm_movement_classify(SpmMovementSide old_side, SpmMovementSide new_side, int32_t start,
					  int32_t end, int amount_cmp, SpmMovementTerm terms[SPM_STEP_COUNT])
{
	bool		old_open = old_side.state == SPM_DEAL_OPEN;
	bool		old_in = old_open && within(old_side.close, start, end);
	bool		new_in = new_side.state == SPM_DEAL_OPEN && within(new_side.close, start, end);
	bool		new_closed_in = (new_side.state == SPM_DEAL_WON || new_side.state == SPM_DEAL_LOST) &&
		within(new_side.close, start, end);
	int			k;

	for (k = 0; k < SPM_STEP_COUNT; k++)
		terms[k] = SPM_TERM_NONE;
	if (spm_movement_check_period(start, end) != SPM_MOVEMENT_OK)
		return SPM_MOVEMENT_BAD_PERIOD;
	if (old_open && new_side.state == SPM_DEAL_ABSENT)
		return SPM_MOVEMENT_MISSING_OUTCOME;

	if (old_in)
	{
		terms[SPM_STEP_OPENING] = SPM_TERM_OLD;
		if (!new_in && !new_closed_in)
		{
			/* open elsewhere, or closed outside the period: its date took it out */
			terms[SPM_STEP_PUSHED_OUT] = SPM_TERM_OLD;
			return SPM_MOVEMENT_OK;
		}
	}
	else if (old_open)
	{
		if (!new_in && !new_closed_in)
			return SPM_MOVEMENT_OK;	/* outside the period on both sides */
		terms[SPM_STEP_PULLED_IN] = SPM_TERM_OLD;
	}
	else
	{
		/* absent, or closed before the old snapshot */
		if (!new_in && !(new_closed_in && old_side.state == SPM_DEAL_ABSENT))
			return SPM_MOVEMENT_OK;	/* not in the period, or closed on both sides */
		terms[SPM_STEP_NEW] = SPM_TERM_NEW;
	}

	/* in the period on the old side or brought into it: then its amount, then its end */
	if (old_open)
		amount_change(amount_cmp, terms);
	if (new_in)
		terms[SPM_STEP_CLOSING] = SPM_TERM_NEW;
	else
		terms[new_side.state == SPM_DEAL_WON ? SPM_STEP_WON : SPM_STEP_LOST] = SPM_TERM_NEW;
	return SPM_MOVEMENT_OK;
}

SpmMovementStatus
spm_movement_change(spm_int128 old_units, int old_scale, spm_int128 new_units, int new_scale,
					spm_int128 *magnitude, int *scale, int *cmp)
{
	int			s = old_scale > new_scale ? old_scale : new_scale;
	spm_int128	o = old_units;
	spm_int128	n = new_units;
	spm_int128	d;

	if (old_scale < 0 || new_scale < 0 ||
		!spm_scale_up_128(&o, s - old_scale) || !spm_scale_up_128(&n, s - new_scale) ||
		__builtin_sub_overflow(n, o, &d))
		return SPM_MOVEMENT_OVERFLOW;
	*cmp = d > 0 ? 1 : d < 0 ? -1 : 0;
	if (d < 0 && __builtin_sub_overflow((spm_int128) 0, d, &d))
		return SPM_MOVEMENT_OVERFLOW;
	*magnitude = d;
	*scale = s;
	return SPM_MOVEMENT_OK;
}
