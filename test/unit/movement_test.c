/*
 * Unit tests of the plain-C movement core (pipeline movement between two snapshots), run
 * outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdint.h>
#include <string.h>

#include "fixed_point_core.h"
#include "movement_core.h"
#include "unit.h"

#define INT128_MAX_ ((spm_int128) (((unsigned __int128) 1 << 127) - 1))

/* the period of every case: days 100 to 199 */
#define START 100
#define END 200

static SpmMovementSide
side(SpmDealState state, int32_t close)
{
	SpmMovementSide s = {state, close};

	return s;
}

/* The steps of one deal as a string of step=term pairs, e.g. "opening=old closing=new". */
static const char *
steps_of(SpmMovementSide o, SpmMovementSide n, int cmp)
{
	static char buf[256];
	static const char *const term_names[] = {"", "old", "new", "change"};
	SpmMovementTerm terms[SPM_STEP_COUNT];
	int			k;

	buf[0] = '\0';
	if (spm_movement_classify(o, n, START, END, cmp, terms) != SPM_MOVEMENT_OK)
		return "error";
	for (k = 0; k < SPM_STEP_COUNT; k++)
		if (terms[k] != SPM_TERM_NONE)
		{
			if (buf[0])
				strcat(buf, " ");
			strcat(buf, spm_movement_step_names[k]);
			strcat(buf, "=");
			strcat(buf, term_names[terms[k]]);
		}
	return buf;
}

static void
case_is(SpmMovementSide o, SpmMovementSide n, int cmp, const char *expected, const char *what)
{
	check(strcmp(steps_of(o, n, cmp), expected) == 0, what);
}

/* One random side: absent, open, won or lost, close date around the period. */
static SpmMovementSide
random_side(void)
{
	return side((SpmDealState) random_between(0, 3), (int32_t) random_between(START - 50, END + 50));
}

int
main(void)
{
	SpmMovementSide absent = side(SPM_DEAL_ABSENT, 0);
	SpmMovementTerm terms[SPM_STEP_COUNT];
	spm_int128	mag;
	int			scale,
				cmp,
				i,
				k;
	bool		deal_ok = true,
				counts_ok = true,
				signs_ok = true;
	spm_int128	sums[SPM_STEP_COUNT] = {0};
	int64_t		counts[SPM_STEP_COUNT] = {0};
	spm_int128	total;
	int64_t		count_total;

	/* the rules, case by case */
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_OPEN, 120), 1,
			"opening=old increased=change closing=new", "in the period on both sides, larger: increased");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_OPEN, 150), 0,
			"opening=old closing=new", "unchanged: opening and closing only");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_OPEN, 250), -1,
			"opening=old pushed_out=old", "pushed out at the old amount; the change outside is not shown");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_OPEN, 99), 1,
			"opening=old pushed_out=old", "moved before the period start: pushed out too");
	case_is(side(SPM_DEAL_OPEN, 250), side(SPM_DEAL_OPEN, 150), -1,
			"decreased=change pulled_in=old closing=new", "pulled in at the old amount, then decreased");
	case_is(side(SPM_DEAL_OPEN, 250), side(SPM_DEAL_OPEN, 260), 1, "", "outside on both sides: no step");
	case_is(absent, side(SPM_DEAL_OPEN, 150), 0, "new=new closing=new", "a new deal");
	case_is(absent, side(SPM_DEAL_OPEN, 250), 0, "", "a new deal outside the period: no step");
	case_is(side(SPM_DEAL_LOST, 50), side(SPM_DEAL_OPEN, 150), 1, "new=new closing=new", "a reopened deal is new");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_WON, 140), 1,
			"opening=old increased=change won=new", "won in the period at the new amount, after the change");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_LOST, 199), -1,
			"opening=old decreased=change lost=new", "lost on the period's last day");
	case_is(side(SPM_DEAL_OPEN, 150), side(SPM_DEAL_WON, 200), 0,
			"opening=old pushed_out=old", "won after the period: pushed out (end is exclusive)");
	case_is(side(SPM_DEAL_OPEN, 300), side(SPM_DEAL_WON, 150), 0,
			"pulled_in=old won=new", "pulled in and won");
	case_is(absent, side(SPM_DEAL_LOST, 150), 0, "new=new lost=new", "created and lost between the snapshots");
	case_is(side(SPM_DEAL_WON, 150), side(SPM_DEAL_WON, 150), 0, "", "closed on both sides: no step");
	case_is(side(SPM_DEAL_WON, 150), absent, 0, "", "closed, then gone: no step");
	case_is(absent, absent, 0, "", "absent from both: no step");
	case_is(side(SPM_DEAL_OPEN, 150), absent, 0, "error", "open, then absent: an error");
	check(spm_movement_classify(side(SPM_DEAL_OPEN, 250), absent, START, END, 0, terms) ==
		  SPM_MOVEMENT_MISSING_OUTCOME, "open outside the period, then absent: missing outcome too");
	check(spm_movement_classify(absent, absent, END, END, 0, terms) == SPM_MOVEMENT_BAD_PERIOD,
		  "an empty period is refused");
	check(spm_movement_check_period(INT32_MIN, INT32_MAX) == SPM_MOVEMENT_OK, "the widest period");
	case_is(side(SPM_DEAL_OPEN, INT32_MAX), side(SPM_DEAL_OPEN, INT32_MIN), 0, "", "infinite close dates are outside");

	/* the change */
	check(spm_movement_change(10050, 2, 1007, 1, &mag, &scale, &cmp) == SPM_MOVEMENT_OK &&
		  mag == 20 && scale == 2 && cmp == 1, "100.50 to 100.7: +0.20 at scale 2");
	check(spm_movement_change(1005, 1, 10050, 2, &mag, &scale, &cmp) == SPM_MOVEMENT_OK &&
		  mag == 0 && cmp == 0, "100.5 to 100.50: no change");
	check(spm_movement_change(7, 0, 3, 0, &mag, &scale, &cmp) == SPM_MOVEMENT_OK &&
		  mag == 4 && cmp == -1, "7 to 3: -4");
	check(spm_movement_change(INT128_MAX_, 0, 1, 1, &mag, &scale, &cmp) == SPM_MOVEMENT_OVERFLOW,
		  "rescaling past 128 bits: overflow");
	check(spm_movement_change(0, 0, INT128_MAX_, 0, &mag, &scale, &cmp) == SPM_MOVEMENT_OK &&
		  mag == INT128_MAX_, "the largest change fits");

	/* the identity, for thousands of random deals, one at a time and summed */
	for (i = 0; i < 20000; i++)
	{
		SpmMovementSide o = random_side();
		SpmMovementSide n = random_side();
		spm_int128	a_old = random_between(0, 1000000);
		spm_int128	a_new = random_between(0, 1000000);
		spm_int128	value[4];
		spm_int128	deal = 0;
		int			deal_count = 0;

		if (i % 7 == 0)
			a_new = a_old;
		if (o.state == SPM_DEAL_OPEN && n.state == SPM_DEAL_ABSENT)
			n.state = SPM_DEAL_LOST;
		if (spm_movement_change(a_old, 2, a_new, 2, &mag, &scale, &cmp) != SPM_MOVEMENT_OK ||
			spm_movement_classify(o, n, START, END, cmp, terms) != SPM_MOVEMENT_OK)
		{
			deal_ok = false;
			continue;
		}
		value[SPM_TERM_NONE] = 0;
		value[SPM_TERM_OLD] = a_old;
		value[SPM_TERM_NEW] = a_new;
		value[SPM_TERM_CHANGE] = mag;
		for (k = 0; k < SPM_STEP_COUNT; k++)
		{
			spm_int128	v = value[terms[k]];

			sums[k] += v;
			if (terms[k] != SPM_TERM_NONE)
			{
				counts[k]++;
				if (k != SPM_STEP_INCREASED && k != SPM_STEP_DECREASED && k != SPM_STEP_CLOSING)
					deal_count += spm_movement_step_signs[k];
			}
			if (v < 0)
				signs_ok = false;
			deal += spm_movement_step_signs[k] * v;
		}
		if (deal != value[terms[SPM_STEP_CLOSING]])
			deal_ok = false;
		if (deal_count != (terms[SPM_STEP_CLOSING] != SPM_TERM_NONE))
			counts_ok = false;
		if (terms[SPM_STEP_INCREASED] != SPM_TERM_NONE && terms[SPM_STEP_DECREASED] != SPM_TERM_NONE)
			counts_ok = false;
		if ((terms[SPM_STEP_OPENING] != SPM_TERM_NONE) + (terms[SPM_STEP_NEW] != SPM_TERM_NONE) +
			(terms[SPM_STEP_PULLED_IN] != SPM_TERM_NONE) > 1)
			counts_ok = false;
	}
	check(deal_ok, "each of 20000 random deals satisfies the identity on its own");
	check(counts_ok, "each deal enters and leaves at most once, and its counts satisfy the identity");
	check(signs_ok, "every step takes an amount of zero or more");
	total = 0;
	count_total = 0;
	for (k = 0; k < SPM_STEP_COUNT; k++)
	{
		total += spm_movement_step_signs[k] * sums[k];
		if (k != SPM_STEP_INCREASED && k != SPM_STEP_DECREASED)
			count_total += spm_movement_step_signs[k] * counts[k];
	}
	check(total == sums[SPM_STEP_CLOSING], "the sums of 20000 deals satisfy the identity exactly");
	check(count_total == counts[SPM_STEP_CLOSING], "so do their counts");
	for (k = 0; k < SPM_STEP_COUNT; k++)
		if (counts[k] == 0)
			break;
	check(k == SPM_STEP_COUNT, "the random deals take every step");
	return done();
}
