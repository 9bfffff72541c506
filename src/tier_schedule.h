/*
 * tier_schedule.h: the spm.tier_schedule type for the glue that reads schedules
 * (tier_schedule.c defines the type, commission.c evaluates it).  Its bytes are an
 * SpmSchedule of compensation_core.h, behind a varlena header.
 */
#ifndef SPM_TIER_SCHEDULE_H
#define SPM_TIER_SCHEDULE_H

#include "spm.h"
#include "lib/stringinfo.h"
#include "compensation_core.h"

#define DatumGetSchedule(d) ((SpmSchedule *) PG_DETOAST_DATUM(d))
#define PG_GETARG_SCHEDULE(n) DatumGetSchedule(PG_GETARG_DATUM(n))

/*
 * Raise the error a schedule failed with; sqlstate is 22P02 for text, 22023 for
 * arrays and jsonb, 08P01 for binary.  text (may be NULL) is the parsed text.
 */
extern void spm_report_schedule_error(const SpmScheduleError *err, const char *text,
									  int sqlstate) pg_attribute_noreturn();

/* Parse text into a palloc'd schedule, or raise sqlstate. */
extern SpmSchedule *spm_schedule_from_text(const char *text, int sqlstate);

/* The canonical text of a schedule, which reads back to the same bytes. */
extern char *spm_schedule_text(const SpmSchedule *s);

/* Argument argno as a schedule, checked: a corrupted one never reaches the math. */
extern SpmSchedule *spm_schedule_arg(FunctionCallInfo fcinfo, int argno);

/* The binary form of a schedule (version byte, then its fields), and back, checked (08P01). */
extern void spm_schedule_send(StringInfo buf, const SpmSchedule *s);
extern SpmSchedule *spm_schedule_recv(StringInfo buf);

/*
 * A tier schedule with its quota (NULL: none), ready to evaluate credit of up to
 * amount_scale decimals (at least 2) at one result scale, as spm.commission does
 * (commission.c).  spm_evaluator_new checks the quota and refuses a pay curve (22023).
 */
typedef struct Evaluator Evaluator;
extern Evaluator *spm_evaluator_new(const SpmSchedule *s, Numeric quota, int amount_scale);
extern Numeric spm_evaluator_commission(Evaluator *e, Numeric credit);

/* commission(amount, schedule, quota) and commission(amount, curve, quota, target): commission.c */
extern Datum spm_commission_of(PG_FUNCTION_ARGS);
extern Datum spm_curve_commission(PG_FUNCTION_ARGS);

#endif
