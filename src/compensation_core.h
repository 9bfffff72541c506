/*
 * compensation_core.h: commission schedules and their math in plain C (no backend
 * calls), so that unit tests and fuzzers drive them outside the server.
 *
 * A schedule is stored exactly as the struct below (the SQL type spm.tier_schedule is
 * this struct; its first four bytes are PostgreSQL's varlena header).  Every number is
 * an exact decimal: a 128-bit coefficient at one scale per kind of number (thresholds,
 * rates, money), normalised so that equal schedules have equal bytes.
 */
#ifndef SPM_COMPENSATION_CORE_H
#define SPM_COMPENSATION_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fixed_point_core.h"

#define SPM_SCHEDULE_VERSION 1
#define SPM_SCHEDULE_MAX_TIERS 1000
/* at most this many digits before and after the decimal point of any number */
#define SPM_SCHEDULE_MAX_DIGITS 18

typedef enum SpmScheduleKind
{
	SPM_KIND_TIERS = 1,			/* commission: rate x credit, tier by tier */
	SPM_KIND_CURVE = 2			/* pay curve: target incentive x factor(attainment) */
} SpmScheduleKind;

/* schedule flags */
#define SPM_SCHED_RETROACTIVE	0x01	/* every tier reached re-rates all credit below it */
#define SPM_SCHED_BOUNDARY_LOWER 0x02	/* an amount on a threshold stays in the lower tier */
#define SPM_SCHED_OF_QUOTA		0x04	/* thresholds are fractions of the quota */
#define SPM_SCHED_CAP			0x08	/* cap is an amount of commission */
#define SPM_SCHED_CAP_TARGET	0x10	/* cap is a multiple of the commission at quota */

/* tier flags */
#define SPM_TIER_CATCH_UP		0x01	/* reaching it re-rates all credit below it */

typedef struct SpmTier
{
	spm_int128	threshold;		/* at threshold_scale; a fraction of quota if OF_QUOTA */
	spm_int128	rate;			/* at rate_scale; 0.08 is 8 % (a curve's payout factor) */
	spm_int128	bonus;			/* at money_scale: paid once on reaching the tier */
	uint32_t	flags;
	uint32_t	reserved;		/* zero */
} SpmTier;

typedef struct SpmSchedule
{
	uint32_t	vl_len_;		/* PostgreSQL's varlena header; the core never reads it */
	uint8_t		version;
	uint8_t		kind;
	uint8_t		flags;
	uint8_t		threshold_scale;
	uint8_t		rate_scale;
	uint8_t		money_scale;
	uint8_t		cap_scale;		/* the cap's own scale (an amount or a multiple) */
	uint8_t		reserved;		/* zero */
	uint16_t	ntiers;
	uint16_t	reserved2;		/* zero */
	spm_int128	cap;
	SpmTier		tiers[];
} SpmSchedule;

#define SPM_SCHEDULE_SIZE(n) (offsetof(SpmSchedule, tiers) + (size_t) (n) * sizeof(SpmTier))

typedef enum SpmScheduleStatus
{
	SPM_SCHED_OK = 0,
	SPM_SCHED_EMPTY,			/* no tier at all */
	SPM_SCHED_EMPTY_CLAUSE,		/* ";;" or a trailing ";" */
	SPM_SCHED_UNKNOWN_KEYWORD,	/* a clause that starts with no known word */
	SPM_SCHED_EXPECTED,			/* a word or number missing (see expected) */
	SPM_SCHED_BAD_NUMBER,		/* not a decimal number */
	SPM_SCHED_NOT_FINITE,		/* NaN or Infinity */
	SPM_SCHED_TOO_MANY_DIGITS,	/* more than SPM_SCHEDULE_MAX_DIGITS either side */
	SPM_SCHED_NEGATIVE,			/* a threshold, rate, bonus or cap below zero */
	SPM_SCHED_BARE_RATE_ABOVE_ONE,	/* rate 8: above 100 % without a % sign */
	SPM_SCHED_FIRST_NOT_ZERO,	/* the first tier must start at 0 */
	SPM_SCHED_UNSORTED,			/* thresholds must increase */
	SPM_SCHED_DUPLICATE,		/* two tiers at the same threshold */
	SPM_SCHED_MIXED_BASIS,		/* amounts and percentages of quota together */
	SPM_SCHED_PERCENT_REQUIRED, /* a curve point's attainment without % */
	SPM_SCHED_REPEATED_CLAUSE,	/* the mode, boundary or cap given twice */
	SPM_SCHED_CATCH_UP_FIRST,	/* the first tier has nothing below it to catch up */
	SPM_SCHED_CATCH_UP_RETRO,	/* catch-up on a retroactive schedule is implied */
	SPM_SCHED_BONUS_FIRST,		/* a bonus for reaching 0 */
	SPM_SCHED_KIND_MIXED,		/* "from" tiers in a curve or "at" points in tiers */
	SPM_SCHED_CURVE_CLAUSE,		/* retroactive or cap on a curve */
	SPM_SCHED_TOO_MANY_TIERS,
	SPM_SCHED_CORRUPT			/* a stored or received value breaks an invariant */
} SpmScheduleStatus;

/* Where parsing or validation failed. */
typedef struct SpmScheduleError
{
	SpmScheduleStatus status;
	int			clause;			/* 1-based clause, 0 if none */
	int			tier;			/* 1-based tier or curve point, 0 if none */
	const char *field;			/* "threshold", "rate", "bonus", "cap", ... or NULL */
	const char *expected;		/* what was expected, for SPM_SCHED_EXPECTED */
	size_t		offset;			/* byte offset of the offending token */
	size_t		length;			/* its length */
} SpmScheduleError;

/*
 * Parse schedule text into out, which must hold SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS)
 * bytes.  On success *size is the value's size; on failure err says where and why.
 */
extern SpmScheduleStatus spm_schedule_parse(const char *text, SpmSchedule *out, size_t *size,
											SpmScheduleError *err);

/* Check a stored or received value of size bytes against every invariant. */
extern SpmScheduleStatus spm_schedule_check(const SpmSchedule *s, size_t size,
											SpmScheduleError *err);

/* Canonical text of a valid schedule into buf (NUL-terminated); the length it needs. */
extern size_t spm_schedule_format(const SpmSchedule *s, char *buf, size_t buflen);

/* A decimal coefficient at scale as text ("-12.5" for -125 at 1), trailing zeros dropped. */
extern size_t spm_decimal_format(spm_int128 coef, int scale, char *buf, size_t buflen);

/*
 * A schedule for part of its period: the amounts that hold for a whole period (amount
 * thresholds and an amount cap) x days / period_days (0 < days <= period_days), each
 * rounded half up to scale decimals (-9..12) once.  Relative parts (thresholds in % of
 * quota, a cap in multiples of target, a pay curve) stay, as do rates and bonuses: prorate
 * the quota instead.  out must hold SPM_SCHEDULE_SIZE(in->ntiers); SPM_SCHED_DUPLICATE
 * (err->tier) when two thresholds round to one amount.
 */
extern SpmScheduleStatus spm_schedule_prorate(const SpmSchedule *in, int64_t days,
											  int64_t period_days, int scale,
											  SpmSchedule *out, SpmScheduleError *err);

/* ---------------------------------------------------------------- calculation */

/* How a calculation failed: the caller falls back to numeric arithmetic on OVERFLOW. */
typedef enum SpmCalcStatus
{
	SPM_CALC_OK = 0,
	SPM_CALC_OVERFLOW			/* does not fit 128 bits or 38 decimal places */
} SpmCalcStatus;

/*
 * A schedule made ready for amounts at amount_scale: thresholds as amounts, the cap,
 * the result scale.  Prepare once per schedule and quota, evaluate per amount.
 */
typedef struct SpmPrepared
{
	const SpmSchedule *schedule;
	int			amount_scale;
	int			result_scale;	/* scale of commissions */
	int			rate_shift;		/* result_scale - amount_scale - rate_scale */
	int			money_shift;	/* result_scale - money_scale */
	bool		capped;
	spm_int128	cap;			/* at result_scale */
	spm_int128 *bounds;			/* ntiers thresholds at amount_scale */

	/*
	 * Without catch-up, the commission of an amount in tier t is base[t] + (amount -
	 * bounds[t]) * slope[t]: base[t] is what the tiers below pay in full plus tier t's
	 * bonus, slope[t] its rate at the result scale.  direct says spm_prepare_direct filled
	 * them in.
	 */
	bool		direct;
	spm_int128 *base;
	spm_int128 *slope;
} SpmPrepared;

/* How many spm_int128 values spm_prepare needs for a schedule of ntiers tiers. */
#define SPM_PREPARED_ROOM(ntiers) (3 * (ntiers))

/* One line of a payout statement: a tier touched, or the cap. */
typedef struct SpmLine
{
	int			tier;			/* 1-based; 0 for the cap line */
	bool		has_to;			/* false: the top tier, unbounded */
	bool		caught_up;		/* paid at a higher tier's rate by a catch-up */
	spm_int128	from;			/* at amount_scale */
	spm_int128	to;
	spm_int128	credited;		/* at amount_scale */
	int			rate_tier;		/* 1-based tier whose rate applies */
	spm_int128	bonus;			/* at result_scale */
	spm_int128	commission;		/* at result_scale */
} SpmLine;

/*
 * The scales a commission is computed at: amounts at *amount_scale (at least
 * min_amount_scale, the thresholds' and, for a cap relative to target, the quota's), and
 * commissions at *result_scale (the amount scale plus the rate scale, at least the
 * bonuses' and the cap's).  Every path that computes a commission returns this scale.
 */
extern void spm_prepare_scales(const SpmSchedule *s, int quota_scale, bool has_quota,
							   int min_amount_scale, int *amount_scale, int *result_scale);

/*
 * Prepare a tier schedule: quota at quota_scale (ignored unless needed), room must
 * hold SPM_PREPARED_ROOM(ntiers) values.  The amount scale is at least min_amount_scale.
 */
extern SpmCalcStatus spm_prepare(const SpmSchedule *s, spm_int128 quota, int quota_scale,
								 bool has_quota, int min_amount_scale, spm_int128 *room,
								 SpmPrepared *p);

/*
 * Fill in p's per-tier shortcut when the schedule allows it (no catch-up), for callers
 * that evaluate many amounts with one preparation: O(ntiers) now, one multiplication per
 * spm_commission without lines after.
 */
extern void spm_prepare_direct(SpmPrepared *p);

/*
 * Whether credit comparing cmp (< 0, 0, > 0) with a tier's start reaches that tier,
 * under the schedule's boundary rule.  Both the 128-bit walk and commission.c's numeric
 * walk decide by it.
 */
extern bool spm_tier_reached(const SpmSchedule *s, int cmp);

/*
 * The highest tier up to top (the highest reached) that re-rates all credit below it
 * (every tier of a retroactive schedule, a catch-up tier of a marginal one); -1: none.
 */
extern int	spm_catch_up_tier(const SpmSchedule *s, int top);

/*
 * Commission of amount (at p->amount_scale), at p->result_scale.  lines, when not NULL,
 * receives one line per tier touched (at most ntiers + 1 with the cap line).
 */
extern SpmCalcStatus spm_commission(const SpmPrepared *p, spm_int128 amount,
									spm_int128 *commission, SpmLine *lines, int *nlines);

/*
 * spm_commission without lines where spm_prepare_direct prepared p (p->direct): the tier
 * reached, then one multiplication.  Inline for callers that evaluate an amount per row.
 */
static inline SpmCalcStatus
spm_commission_direct(const SpmPrepared *p, spm_int128 amount, spm_int128 *commission)
{
	const spm_int128 *b = p->bounds;
	bool		lower = (p->schedule->flags & SPM_SCHED_BOUNDARY_LOWER) != 0;
	int			ntiers = p->schedule->ntiers;
	int			top = 0;
	spm_int128	total;

	/* the boundary rule of spm_tier_reached; below zero the first tier runs on */
	while (amount > 0 && top + 1 < ntiers && (lower ? amount > b[top + 1] : amount >= b[top + 1]))
		top++;
	if (__builtin_mul_overflow(amount - b[top], p->slope[top], &total) ||
		__builtin_add_overflow(total, p->base[top], &total))
		return SPM_CALC_OVERFLOW;
	*commission = p->capped && total > p->cap ? p->cap : total;
	return SPM_CALC_OK;
}

#endif
