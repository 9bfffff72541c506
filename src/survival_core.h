/*
 * survival_core.h: the plain-C part of spm's time-to-close estimate (no backend calls), so
 * that unit tests drive it outside the server.
 *
 * A cycle summary (spm.cycle_summary) is a list of counts per distinct duration in whole
 * days, sorted by day: how many deals closed after exactly that many days (events) and how
 * many were still open at that age (censored), plus the total of both over the list.  This
 * core keeps such lists: finds a day, adds or removes one deal, merges and unmerges two
 * lists, checks a list read from outside, and lists the Kaplan-Meier steps (each day with
 * events, the deals at risk then and the events).  The product of the steps, in numeric,
 * is the glue's (src/survival.c).
 *
 * Counts and the total are int64 and never wrap: a step that would pass 2^63 - 1 returns
 * SPM_SURVIVAL_OVERFLOW and leaves the list untouched.  A day whose two counts fall to 0
 * leaves the list, so a list has one form only: a moving window's state equals the state
 * built from scratch over its frame.
 */
#ifndef SPM_SURVIVAL_CORE_H
#define SPM_SURVIVAL_CORE_H

#include "spm_core.h"

/* Durations run from 0 to this many days (about 273 years): at most 100,001 distinct days. */
#define SPM_CYCLE_MAX_DAY 100000

/* One distinct duration of a cycle summary. */
typedef struct SpmCycleCount
{
	int64_t		events;			/* deals closed after exactly day days */
	int64_t		censored;		/* deals still open at an age of day days */
	int32_t		day;
	int32_t		unused;			/* zero: the struct has no padding of unknown content */
} SpmCycleCount;

/* A list of counts: n entries sorted by day (strictly), total = every count summed. */
typedef struct SpmCycleList
{
	SpmCycleCount *counts;
	size_t		n;
	int64_t		total;
} SpmCycleList;

typedef enum SpmSurvivalStatus
{
	SPM_SURVIVAL_OK = 0,
	SPM_SURVIVAL_OVERFLOW,		/* a count or the total would pass 2^63 - 1 */
	SPM_SURVIVAL_NOT_HELD,		/* removing a deal or counts the list does not hold */
	SPM_SURVIVAL_BAD_DAY,		/* a day outside 0..SPM_CYCLE_MAX_DAY */
	SPM_SURVIVAL_UNSORTED,		/* days not strictly increasing */
	SPM_SURVIVAL_NEGATIVE,		/* a negative count */
	SPM_SURVIVAL_EMPTY_DAY,		/* a day with no deal (0 events and 0 censored) */
	SPM_SURVIVAL_BAD_TOTAL		/* the total is not the sum of the counts */
} SpmSurvivalStatus;

/*
 * The index of day in list (*found true), or the index where it would be inserted to keep
 * the list sorted (*found false).  Binary search.
 */
extern size_t spm_cycle_search(const SpmCycleList *list, int32_t day, bool *found);

/*
 * Add (sign 1) or remove (sign -1) one deal of duration day: an event when closed, else a
 * censoring.  Adding a day the list does not hold inserts it: list->counts must have room
 * for list->n + 1 entries (SPM_SURVIVAL_NOT_HELD is never returned for sign 1).  Removing
 * a deal the list does not hold is SPM_SURVIVAL_NOT_HELD; a day left without deals is
 * taken out.  On any status but OK the list is untouched.
 */
extern SpmSurvivalStatus spm_cycle_add(SpmCycleList *list, int32_t day, bool closed, int sign);

/*
 * *out = a + sign * b, day by day (sign 1 merges, -1 removes b from a).  out->counts must
 * have room for a->n + b->n entries (and differ from both inputs).  Days whose counts
 * become 0 are dropped; a count that would become negative is SPM_SURVIVAL_NOT_HELD.
 */
extern SpmSurvivalStatus spm_cycle_merge(const SpmCycleList *a, const SpmCycleList *b, int sign,
										 SpmCycleList *out, SpmPoll poll);

/* Is the list one that adding deals can build?  Sorted days in range, counts as stated. */
extern SpmSurvivalStatus spm_cycle_check(const SpmCycleList *list, SpmPoll poll);

/* Events and censorings summed over the list. */
extern int64_t spm_cycle_events(const SpmCycleList *list, SpmPoll poll);

/* One step of the Kaplan-Meier estimate: at day, at_risk deals, of which events closed. */
typedef struct SpmKmStep
{
	int64_t		at_risk;
	int64_t		events;
	int32_t		day;
	int32_t		unused;
} SpmKmStep;

/*
 * The steps of days d with after < d <= upto and events > 0, in order, into steps (room for
 * list->n entries); returns how many.  The deals at risk at d are those whose duration is d
 * or more: a deal censored at d is still at risk at d (events at d come first, the standard
 * convention for ties).  S(t) is the product of (1 - events / at_risk) over the steps with
 * day <= t.
 */
extern size_t spm_km_steps(const SpmCycleList *list, int32_t after, int32_t upto,
						   SpmKmStep *steps, SpmPoll poll);

/*
 * Is S(t) defined?  For t of 0 or more: the list holds a deal, and t is at most its largest
 * duration or no deal of that duration is censored (then S has reached 0 and stays there).
 * Past a censored largest duration no deal was watched: the estimate says nothing.
 */
extern bool spm_km_defined(const SpmCycleList *list, int32_t t);

#endif
