/*
 * movement_core.h: pipeline movement between two snapshots, the plain-C part (no
 * backend calls), so that unit tests drive it outside the server.
 *
 * One deal is seen in an old and a new snapshot.  On each side it is absent, open, won or
 * lost, with a close date (days, as PostgreSQL's date).  A period [start, end) of close
 * dates defines the pipeline: the deals open with a close date in the period.  Each deal's
 * change moves amounts between the waterfall's steps so that
 *
 *   opening + new + increased - decreased + pulled_in - pushed_out - won - lost = closing
 *
 * holds for every deal, hence exactly for any sum of deals (doc/pipeline.md).  This core
 * says which amount each step takes (the old amount, the new one, or the change between
 * them); the glue adds those amounts exactly.
 */
#ifndef SPM_MOVEMENT_CORE_H
#define SPM_MOVEMENT_CORE_H

#include "spm_core.h"

typedef enum SpmMovementStatus
{
	SPM_MOVEMENT_OK = 0,
	SPM_MOVEMENT_BAD_PERIOD,	/* period_end is not after period_start */
	SPM_MOVEMENT_MISSING_OUTCOME,	/* open in the old snapshot, absent from the new one */
	SPM_MOVEMENT_OVERFLOW		/* the change does not fit 128 bits: compute it in numeric */
} SpmMovementStatus;

/* Where a deal is in one snapshot. */
typedef enum SpmDealState
{
	SPM_DEAL_ABSENT,
	SPM_DEAL_OPEN,
	SPM_DEAL_WON,
	SPM_DEAL_LOST
} SpmDealState;

/* The steps of the waterfall, in order. */
typedef enum SpmMovementStep
{
	SPM_STEP_OPENING,
	SPM_STEP_NEW,
	SPM_STEP_INCREASED,
	SPM_STEP_DECREASED,
	SPM_STEP_PULLED_IN,
	SPM_STEP_PUSHED_OUT,
	SPM_STEP_WON,
	SPM_STEP_LOST,
	SPM_STEP_CLOSING,
	SPM_STEP_COUNT
} SpmMovementStep;

/* The step names, as the SQL functions take and show them ("opening", "pulled_in", ...). */
extern const char *const spm_movement_step_names[SPM_STEP_COUNT];

/*
 * How each movement step counts in the identity: +1 (opening, new, increased, pulled_in),
 * -1 (decreased, pushed_out, won, lost); closing is 0, the result.
 */
extern const int spm_movement_step_signs[SPM_STEP_COUNT];

/* Which amount of a deal a step takes. */
typedef enum SpmMovementTerm
{
	SPM_TERM_NONE,
	SPM_TERM_OLD,				/* the amount in the old snapshot */
	SPM_TERM_NEW,				/* the amount in the new snapshot */
	SPM_TERM_CHANGE				/* |new amount - old amount| */
} SpmMovementTerm;

/* One side of a deal: its state and, unless absent, its close date. */
typedef struct SpmMovementSide
{
	SpmDealState state;
	int32_t		close;
} SpmMovementSide;

/* SPM_MOVEMENT_BAD_PERIOD unless start < end. */
extern SpmMovementStatus spm_movement_check_period(int32_t start, int32_t end);

/*
 * The steps of one deal: terms[k] is what step k takes.  amount_cmp is the sign of
 * new amount - old amount (only read when both sides have an amount).  A deal absent
 * from both sides takes no step.  SPM_MOVEMENT_MISSING_OUTCOME when the deal is open in
 * the old snapshot and absent from the new one; BAD_PERIOD as above.
 */
extern SpmMovementStatus spm_movement_classify(SpmMovementSide old_side, SpmMovementSide new_side,
											   int32_t start, int32_t end, int amount_cmp,
											   SpmMovementTerm terms[SPM_STEP_COUNT]);

/*
 * The change new - old of two amounts (units at their scales, 0 to 38): its magnitude
 * in units of 10^-(*scale), the larger scale, and its sign in *cmp.
 * SPM_MOVEMENT_OVERFLOW when it does not fit.
 */
extern SpmMovementStatus spm_movement_change(spm_int128 old_units, int old_scale,
											 spm_int128 new_units, int new_scale,
											 spm_int128 *magnitude, int *scale, int *cmp);

#endif
