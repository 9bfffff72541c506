/*
 * capacity.c: capacity planning.  spm.capacity_by_month(roster, period, attrition, scale)
 * gives the expected bookings capacity of each person of a roster in each month of a
 * period; spm.hires_needed(roster, target, period, new_hire, attrition, scale) how many
 * more hires reach a target and the latest month they can start.
 *
 * A roster is an array of spm.roster_entry (person, hire_date, leave_date, full_quota,
 * ramp, attainment).  One row's capacity in one month is the arithmetic of ramp_quota
 * and prorate_days (quota.c), times the expected attainment and the share of reps still
 * there after the months of attrition, computed exactly and rounded once:
 *
 *   round(full_quota * ramp[tenure] * active_days / month_days * attainment
 *         * (1 - attrition)^months, scale)
 *
 * The calendar and the roster check are capacity_core.c; this file reads arguments,
 * multiplies numerics and words errors.
 */
#include "spm.h"
#include "capacity_core.h"
#include "quota.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

/* The longest period planned: (1 - attrition)^months stays within numeric's scale. */
#define MAX_MONTHS 120

/* The fields of spm.roster_entry, in order. */
#define FIELD_PERSON 1
#define FIELD_HIRE 2
#define FIELD_LEAVE 3
#define FIELD_QUOTA 4
#define FIELD_RAMP 5
#define FIELD_ATTAINMENT 6

static const char *const field_hint =
"Give every roster row a person, hire_date, full_quota and attainment; leave_date and ramp may be NULL (still on the roster; no ramp).";

/* One roster entry, checked. */
typedef struct RosterRow
{
	char	   *person;
	int32		lo;				/* hire_date */
	int32		hi;				/* leave_date (the first day off the roster), or SPM_DAY_MAX */
	Numeric		full_quota;
	Datum	   *ramp;
	int			ramp_n;
	Numeric		attainment;
} RosterRow;

/* The plan: its months, and (1 - attrition)^k for k < months. */
typedef struct CapacityPlan
{
	int32		first;			/* the period's first day, a 1st */
	int64		months;
	Numeric    *survival;
	int			scale;
} CapacityPlan;

/* ---------------------------------------------------------------- reading the roster */

/* A date as text, YYYY-MM-DD whatever the DateStyle, or -infinity / infinity. */
static char *
date_text(Datum date)
{
	if (DATE_NOT_FINITE(DatumGetDateADT(date)))
		return DatumGetCString(DirectFunctionCall1(date_out, date));
	return spm_iso_day(DatumGetDateADT(date));
}

/* Field attno of entry (what names it), 22004 when NULL unless nullable. */
static Datum
field(HeapTupleHeader entry, int attno, const char *name, const char *what, bool nullable,
	  bool *isnull)
{
	Datum		value = GetAttributeByNum(entry, attno, isnull);

	if (*isnull && !nullable)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s of %s must not be NULL", name, what),
				 errhint("%s", field_hint)));
	return value;
}

/* A spm.roster_entry, every field checked; what names it ("roster entry 2", "new_hire"). */
static RosterRow
roster_row(HeapTupleHeader entry, const char *what)
{
	RosterRow	r;
	bool		isnull;
	Datum		hire,
				leave;

	r.person = TextDatumGetCString(field(entry, FIELD_PERSON, "person", what, false, &isnull));
	hire = field(entry, FIELD_HIRE, "hire_date", what, false, &isnull);
	if (DATE_NOT_FINITE(DatumGetDateADT(hire)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hire_date of %s must be a finite date", what),
				 errdetail("The row of person \"%s\" has hire_date %s.", r.person, date_text(hire)),
				 errhint("Pass the first day the person is on the roster.")));
	r.lo = DatumGetDateADT(hire);
	leave = field(entry, FIELD_LEAVE, "leave_date", what, true, &isnull);
	if (isnull || DATE_IS_NOEND(DatumGetDateADT(leave)))
		r.hi = SPM_DAY_MAX;		/* still on the roster */
	else if (DATE_IS_NOBEGIN(DatumGetDateADT(leave)))
		r.hi = SPM_DAY_MIN;
	else
		r.hi = DatumGetDateADT(leave);
	if (r.hi <= r.lo)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("leave_date of %s must be after its hire_date", what),
				 errdetail("The row of person \"%s\" has hire_date %s and leave_date %s.", r.person,
						   date_text(hire), date_text(leave)),
				 errhint("leave_date is the first day the person is no longer on the roster; leave it NULL while they stay, and drop a row that ends before it starts.")));
	r.full_quota = DatumGetNumeric(field(entry, FIELD_QUOTA, "full_quota", what, false, &isnull));
	spm_require_not_negative(r.full_quota, "full_quota",
							 "Pass the monthly quota of a fully ramped rep, zero or more.");
	r.ramp_n = 0;
	r.ramp = NULL;
	{
		Datum		ramp = field(entry, FIELD_RAMP, "ramp", what, true, &isnull);

		if (!isnull)
			r.ramp_n = spm_ramp_schedule(DatumGetArrayTypeP(ramp), &r.ramp);
	}
	r.attainment = DatumGetNumeric(field(entry, FIELD_ATTAINMENT, "attainment", what, false, &isnull));
	spm_require_not_negative(r.attainment, "attainment",
							 "Pass the expected share of quota a rep books, e.g. 0.9 for 90%.");
	return r;
}

/* The entries of a roster, each checked; 22004 for a NULL entry. */
static RosterRow *
roster_rows(ArrayType *roster, int *n)
{
	Datum	   *elems;
	bool	   *nulls;
	int16		typlen;
	bool		typbyval;
	char		typalign;
	RosterRow  *rows;

	if (ARR_NDIM(roster) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("roster must be a one-dimensional array"),
				 errhint("Pass ARRAY(SELECT (...)::spm.roster_entry FROM ...), one element per roster row.")));
	get_typlenbyvalalign(ARR_ELEMTYPE(roster), &typlen, &typbyval, &typalign);
	deconstruct_array(roster, ARR_ELEMTYPE(roster), typlen, typbyval, typalign, &elems, &nulls, n);
	rows = palloc(Max(*n, 1) * sizeof(RosterRow));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("roster entry %d must not be NULL", i + 1),
					 errhint("Leave people who are not on the roster out of the array.")));
		rows[i] = roster_row(DatumGetHeapTupleHeader(elems[i]), psprintf("roster entry %d", i + 1));
		CHECK_FOR_INTERRUPTS();
	}
	return rows;
}

/* A row's days as text: [hire_date, leave_date) or [hire_date, open). */
static char *
span_text(const RosterRow *r)
{
	return psprintf("[%s, %s)", spm_iso_day(r->lo), r->hi == SPM_DAY_MAX ? "open" : spm_iso_day(r->hi));
}

/*
 * Sort the roster by person, then hire_date, and refuse two rows of one person that
 * share a day (23P01, as an exclusion constraint on (person, daterange) would).
 */
static void
check_roster(RosterRow *rows, int n)
{
	SpmRosterSpan *spans = palloc(Max(n, 1) * sizeof(SpmRosterSpan));
	RosterRow  *sorted = palloc(Max(n, 1) * sizeof(RosterRow));
	size_t		a,
				b;

	for (int i = 0; i < n; i++)
	{
		spans[i].person = rows[i].person;
		spans[i].person_len = strlen(rows[i].person);
		spans[i].lo = rows[i].lo;
		spans[i].hi = rows[i].hi;
		spans[i].row = i;
	}
	if (spm_roster_check(spans, n, &a, &b, spm_check_for_interrupts) == SPM_CAPACITY_OVERLAP)
	{
		const RosterRow *x = &rows[spans[a].row];
		const RosterRow *y = &rows[spans[b].row];

		ereport(ERROR,
				(errcode(ERRCODE_EXCLUSION_VIOLATION),
				 errmsg("roster rows of person \"%s\" overlap", x->person),
				 errdetail("Entry %zu is on the roster %s and entry %zu %s: both on %s.",
						   spans[a].row + 1, span_text(x), spans[b].row + 1, span_text(y),
						   spm_iso_day(y->lo)),
				 errhint("End the earlier row on or before the later row's hire_date (leave_date is the first day off the roster), or merge the two rows into one.")));
	}
	for (int i = 0; i < n; i++)
		sorted[i] = rows[spans[i].row];
	memcpy(rows, sorted, n * sizeof(RosterRow));
}

/* ---------------------------------------------------------------- the plan */

/*
 * The plan of the period argument argno (whole calendar months, at most MAX_MONTHS), the
 * attrition argument (0 to 1) and the scale argument.
 */
static CapacityPlan
plan_args(FunctionCallInfo fcinfo, int period_arg, int attrition_arg, int scale_arg)
{
	CapacityPlan plan;
	int32		hi;
	Numeric		attrition = PG_GETARG_NUMERIC(attrition_arg);
	Numeric		keep;

	plan.scale = PG_GETARG_INT32(scale_arg);
	spm_check_scale(plan.scale);
	spm_month_period(fcinfo, period_arg, &plan.first, &hi, &plan.months);
	if (plan.months > MAX_MONTHS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("period must be at most %d months", MAX_MONTHS),
				 errdetail("The period [%s, %s) has " INT64_FORMAT " months.",
						   spm_iso_day(plan.first), spm_iso_day(hi), plan.months),
				 errhint("Plan up to ten years at a time.")));
	if (spm_finite_sign(attrition, "attrition") < 0 ||
		spm_numeric_cmp(attrition, int64_to_numeric(1)) > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attrition must be from 0 to 1"),
				 errdetail("attrition is %s.", spm_numeric_text(attrition)),
				 errhint("Pass the expected share of reps who leave in a month, e.g. 0.02 for 2%% a month.")));
	/* (1 - attrition)^k exactly: k multiplications, no rounding */
	keep = spm_numeric_sub(int64_to_numeric(1), attrition);
	plan.survival = palloc(plan.months * sizeof(Numeric));
	plan.survival[0] = int64_to_numeric(1);
	for (int64 k = 1; k < plan.months; k++)
		plan.survival[k] = spm_numeric_mul(plan.survival[k - 1], keep);
	return plan;
}

/* The first day of month k of the plan (0-based). */
static int32
plan_month(const CapacityPlan *plan, int64 k)
{
	return spm_add_months(plan->first, k);
}

/*
 * Row r's expected capacity in the month starting on month (a month of the plan), or
 * NULL when r is not on the roster on any of its days.
 */
static Numeric
row_capacity(const RosterRow *r, const CapacityPlan *plan, int32 month)
{
	SpmCapacityMonth m = spm_capacity_month(r->lo, r->hi, month, plan->first);
	Numeric		quota;

	if (m.active_days == 0)
		return NULL;
	quota = spm_ramped_quota(r->full_quota, m.tenure, r->ramp, r->ramp_n);
	quota = spm_numeric_mul(spm_numeric_mul(quota, int64_to_numeric(m.active_days)),
							spm_numeric_mul(r->attainment, plan->survival[m.attrition_months]));
	return spm_numeric_round_ratio(quota, int64_to_numeric(m.month_days), plan->scale);
}

/* The sum of row r's capacities over the months of the plan. */
static Numeric
row_total(const RosterRow *r, const CapacityPlan *plan)
{
	Numeric		total = spm_numeric_round(int64_to_numeric(0), plan->scale);

	for (int64 k = 0; k < plan->months; k++)
	{
		Numeric		c = row_capacity(r, plan, plan_month(plan, k));

		if (c != NULL)
			total = spm_numeric_add(total, c);
		CHECK_FOR_INTERRUPTS();
	}
	return total;
}

/* ---------------------------------------------------------------- the functions */

/*
 * capacity_by_month(roster, period, attrition, scale): (month, person, capacity) for each
 * month of the period and each person on the roster on a day of it, by month then person;
 * a person's rows in one month (left and came back) add up.
 */
PG_FUNCTION_INFO_V1(spm_capacity_by_month);
Datum
spm_capacity_by_month(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CapacityPlan plan = plan_args(fcinfo, 1, 2, 3);
	int			n;
	RosterRow  *rows = roster_rows(PG_GETARG_ARRAYTYPE_P(0), &n);

	check_roster(rows, n);
	InitMaterializedSRF(fcinfo, 0);
	for (int64 k = 0; k < plan.months; k++)
	{
		int32		month = plan_month(&plan, k);

		for (int i = 0; i < n;)
		{
			Numeric		sum = NULL;
			int			j;

			/* rows i .. j - 1 are one person's */
			for (j = i; j < n && strcmp(rows[j].person, rows[i].person) == 0; j++)
			{
				Numeric		c = row_capacity(&rows[j], &plan, month);

				if (c != NULL)
					sum = sum == NULL ? c : spm_numeric_add(sum, c);
			}
			if (sum != NULL)
			{
				Datum		values[3] = {DateADTGetDatum(month), CStringGetTextDatum(rows[i].person),
				NumericGetDatum(sum)};
				bool		nulls[3] = {false, false, false};

				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
			i = j;
			CHECK_FOR_INTERRUPTS();
		}
	}
	return (Datum) 0;
}

/*
 * hires_needed(roster, target, period, new_hire, attrition, scale): one row (hires,
 * latest_start, roster_capacity, capacity_per_hire, planned_capacity).  New hires are
 * like new_hire and start on its hire_date or on a later 1st; each one starting on s
 * brings cap(s) over the period.  hires is the fewest n with roster_capacity + n cap(s)
 * >= target for some s (n = ceil(gap / max cap)), latest_start the last such s.  0
 * hires when the roster reaches the target; NULL hires when no hire brings anything.
 */
PG_FUNCTION_INFO_V1(spm_hires_needed);
Datum
spm_hires_needed(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Numeric		target = PG_GETARG_NUMERIC(1);
	CapacityPlan plan = plan_args(fcinfo, 2, 4, 5);
	int			n;
	RosterRow  *rows = roster_rows(PG_GETARG_ARRAYTYPE_P(0), &n);
	RosterRow	hire = roster_row(PG_GETARG_HEAPTUPLEHEADER(3), "new_hire");
	int32		earliest = hire.lo;
	Numeric		roster_capacity = spm_numeric_round(int64_to_numeric(0), plan.scale);
	Numeric		gap;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};
	int64		first_start;

	spm_require_finite(target, "target");
	if (hire.hi != SPM_DAY_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new_hire must have no leave_date"),
				 errdetail("Its leave_date is %s.", spm_iso_day(hire.hi)),
				 errhint("Describe the new hires by their quota, ramp, attainment and the earliest day they can start (hire_date); attrition takes them off.")));
	/*
	 * The first start, as a month of the plan (negative before it): new_hire's hire_date.
	 * Starts ramp_n months or more before the plan bring the same (fully ramped from its
	 * first day, attrition counted from it), so the search starts there at the earliest.
	 */
	first_start = spm_tenure_month(plan.first, earliest) - 1;
	if (first_start < -hire.ramp_n)
		first_start = -hire.ramp_n, earliest = plan_month(&plan, first_start);
	if (first_start >= plan.months)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("new_hire's hire_date %s is after the period", spm_iso_day(earliest)),
				 errdetail("The period ends before %s.", spm_iso_day(plan_month(&plan, plan.months))),
				 errhint("Pass in new_hire the earliest day new hires can start, within the period or before it.")));
	check_roster(rows, n);
	for (int i = 0; i < n; i++)
		roster_capacity = spm_numeric_add(roster_capacity, row_total(&rows[i], &plan));
	gap = spm_numeric_sub(target, roster_capacity);
	values[2] = NumericGetDatum(roster_capacity);
	if (spm_numeric_sign(gap) <= 0)
	{
		/* the roster is enough: no hires, no start */
		values[0] = Int64GetDatum(0);
		nulls[1] = nulls[3] = true;
		values[4] = NumericGetDatum(roster_capacity);
	}
	else
	{
		int64		starts = plan.months - first_start;
		Numeric    *cap = palloc(starts * sizeof(Numeric));
		int32	   *start = palloc(starts * sizeof(int32));
		Numeric		most = int64_to_numeric(0);
		int64		hires,
					s;

		/* cap(s) of every start; the earliest may be mid-month, the later ones are 1sts */
		for (s = 0; s < starts; s++)
		{
			hire.lo = start[s] = s == 0 ? earliest : plan_month(&plan, first_start + s);
			cap[s] = row_total(&hire, &plan);
			if (spm_numeric_cmp(cap[s], most) > 0)
				most = cap[s];
		}
		if (spm_numeric_sign(most) == 0)
		{
			/* no hire brings anything: hiring cannot reach the target */
			nulls[0] = nulls[1] = nulls[3] = nulls[4] = true;
		}
		else
		{
			/* the fewest hires: ceil(gap / the most a hire brings), a bigint */
			Numeric		fewest = spm_numeric_div_trunc(gap, most);

			if (spm_numeric_cmp(spm_numeric_mul(fewest, most), gap) < 0)
				fewest = spm_numeric_add(fewest, int64_to_numeric(1));
			if (spm_numeric_cmp(fewest, int64_to_numeric(PG_INT64_MAX)) > 0)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("reaching target %s takes more hires than a bigint counts", spm_numeric_text(target)),
						 errdetail("The roster brings %s and one hire at most %s: %s hires.",
								   spm_numeric_text(roster_capacity), spm_numeric_text(most),
								   spm_numeric_text(fewest)),
						 errhint("Check the target, and new_hire's full_quota and attainment against the scale.")));
			hires = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(fewest)));
			/* the latest start at which that many still reach it (one does: most's) */
			for (s = starts - 1; spm_numeric_cmp(spm_numeric_mul(int64_to_numeric(hires), cap[s]), gap) < 0; s--)
				;
			values[0] = Int64GetDatum(hires);
			values[1] = DateADTGetDatum(start[s]);
			values[3] = NumericGetDatum(cap[s]);
			values[4] = NumericGetDatum(spm_numeric_add(roster_capacity,
														spm_numeric_mul(int64_to_numeric(hires), cap[s])));
		}
	}
	InitMaterializedSRF(fcinfo, 0);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	return (Datum) 0;
}
