/*
 * Unit tests of the plain-C compensation core (schedule parser, printer, checker,
 * commission), run outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compensation_core.h"
#include "unit.h"

static SpmSchedule *parsed;		/* room for the largest schedule */
static size_t parsed_size;

static SpmScheduleStatus
parse(const char *text, SpmScheduleError *err)
{
	return spm_schedule_parse(text, parsed, &parsed_size, err);
}

static int
parses_as(const char *text, const char *canonical)
{
	SpmScheduleError err;
	char		buf[4096];

	if (parse(text, &err) != SPM_SCHED_OK)
		return 0;
	spm_schedule_format(parsed, buf, sizeof(buf));
	if (strcmp(buf, canonical) != 0)
		printf("# got: %s\n", buf);
	return strcmp(buf, canonical) == 0;
}

static int
fails_with(const char *text, SpmScheduleStatus status, int tier)
{
	SpmScheduleError err;
	SpmScheduleStatus got = parse(text, &err);

	if (got != status || err.tier != tier)
		printf("# %s: status %d tier %d\n", text, got, err.tier);
	return got == status && err.tier == tier && err.status == status;
}

/* Commission in units of 10^-result_scale for a whole-unit amount (scale 0 inputs). */
static spm_int128
commission_of(const char *text, long long amount, long long quota, int *result_scale)
{
	SpmScheduleError err;
	SpmPrepared p;
	spm_int128	bounds[SPM_PREPARED_ROOM(SPM_SCHEDULE_MAX_TIERS)];
	spm_int128	c = -12345;

	if (parse(text, &err) != SPM_SCHED_OK ||
		spm_prepare(parsed, quota, 0, quota != 0, 0, bounds, &p) != SPM_CALC_OK ||
		spm_commission(&p, amount * spm_pow10_128(p.amount_scale), &c, NULL, NULL) != SPM_CALC_OK)
		return -12345;
	*result_scale = p.result_scale;
	return c;
}

/* The commission as text, e.g. "13000". */
static int
commission_is(const char *text, long long amount, long long quota, const char *expected)
{
	int			scale = 0;
	spm_int128	c = commission_of(text, amount, quota, &scale);
	char		buf[80];

	spm_decimal_format(c, scale, buf, sizeof(buf));
	if (strcmp(buf, expected) != 0)
		printf("# %s at %lld: got %s, expected %s\n", text, amount, buf, expected);
	return strcmp(buf, expected) == 0;
}


/* A generated valid schedule text with n tiers. */
static void
generated_schedule(char *buf, size_t len, int n)
{
	size_t		used = 0;
	int			i;
	long long	threshold = 0;
	bool		retro = next_random() % 3 == 0;

	used += snprintf(buf + used, len - used, "%s%s", retro ? "retroactive" : "marginal",
					 next_random() % 2 ? "; boundary lower" : "");
	for (i = 0; i < n; i++)
	{
		used += snprintf(buf + used, len - used, "; from %lld rate %d.%d%%", threshold,
						 (int) (next_random() % 30), (int) (next_random() % 10));
		if (i > 0 && next_random() % 4 == 0)
			used += snprintf(buf + used, len - used, " bonus %d", (int) (next_random() % 1000));
		if (i > 0 && !retro && next_random() % 4 == 0)
			used += snprintf(buf + used, len - used, " catch-up");
		threshold += 1 + next_random() % 50000;
	}
	if (next_random() % 3 == 0)
		snprintf(buf + used, len - used, "; cap %d.%02d", (int) (next_random() % 20000),
				 (int) (next_random() % 100));
}

/* Per-deal differences of cumulative commission telescope; clawing back returns to 0. */
static int
property_holds(int cases)
{
	char		text[2048];
	int			c;

	for (c = 0; c < cases; c++)
	{
		SpmScheduleError err;
		SpmPrepared p;
		spm_int128	bounds[SPM_PREPARED_ROOM(16)];
		spm_int128	cum = 0,
					before = 0,
					after,
					paid = 0,
					total;
		spm_int128	deals[40];
		int			ndeals = 1 + (int) (next_random() % 40),
					i;

		generated_schedule(text, sizeof(text), 1 + (int) (next_random() % 8));
		if (parse(text, &err) != SPM_SCHED_OK ||
			spm_prepare(parsed, 0, 0, false, 2, bounds, &p) != SPM_CALC_OK)
			return 0;
		/* as deal_commission evaluates a partition */
		spm_prepare_direct(&p);
		for (i = 0; i < ndeals; i++)
		{
			deals[i] = (spm_int128) (next_random() % 4000000) - (next_random() % 5 == 0 ? 2000000 : 0);
			cum += deals[i];
			spm_commission(&p, cum, &after, NULL, NULL);
			paid += after - before;
			before = after;
		}
		spm_commission(&p, cum, &total, NULL, NULL);
		if (paid != total)
			return 0;
		for (i = 0; i < ndeals; i++)
		{
			cum -= deals[i];
			spm_commission(&p, cum, &after, NULL, NULL);
			paid += after - before;
			before = after;
		}
		if (cum != 0 || paid != 0)
			return 0;
	}
	return 1;
}

/*
 * Explain lines sum to the commission, for generated schedules and amounts, and the
 * commission without lines (the per-row shortcut where there is no catch-up) is the same.
 */
static int
lines_sum(int cases)
{
	char		text[2048];
	int			c,
				direct = 0;

	for (c = 0; c < cases; c++)
	{
		SpmScheduleError err;
		SpmPrepared p;
		spm_int128	bounds[SPM_PREPARED_ROOM(16)],
					amount = (spm_int128) (next_random() % 50000000) - 1000000,
					commission,
					without_lines,
					sum = 0;
		SpmLine		lines[17];
		int			n,
					i;

		generated_schedule(text, sizeof(text), 1 + (int) (next_random() % 8));
		if (parse(text, &err) != SPM_SCHED_OK ||
			spm_prepare(parsed, 0, 0, false, 2, bounds, &p) != SPM_CALC_OK)
			return 0;
		spm_prepare_direct(&p);
		if (spm_commission(&p, amount, &commission, lines, &n) != SPM_CALC_OK ||
			spm_commission(&p, amount, &without_lines, NULL, NULL) != SPM_CALC_OK)
			return 0;
		for (i = 0; i < n; i++)
			sum += lines[i].commission;
		if (sum != commission || without_lines != commission)
			return 0;
		direct += p.direct;
	}
	/* both ways of computing were compared, the per-row shortcut among them */
	return direct > 0 && direct < cases;
}

/* Garbage and mutated texts: never a crash; what parses prints and re-parses to itself. */
static int
fuzz(int cases)
{
	static const char *const seeds[] = {
		"marginal; from 0 rate 8%; from 100000 rate 12% bonus 500; cap 3x target",
		"retroactive; boundary lower; from 0% rate 5%; from 100% rate 8.5%",
		"curve; at 50% pay 0%; at 100% pay 100%; at 150% pay 200%",
	};
	char		text[512];
	char		canonical[8192];
	char		again[8192];
	SpmSchedule *copy = malloc(SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS));
	int			c,
				ok = 1;

	for (c = 0; c < cases && ok; c++)
	{
		SpmScheduleError err;
		size_t		len,
					i,
					size;

		if (c % 2)
		{
			len = next_random() % 80;
			for (i = 0; i < len; i++)
				text[i] = " ;%x.-+0123456789fromrateatpaycapbonuscatch-upmarginalNaN"[next_random() % 57];
			text[len] = '\0';
		}
		else
		{
			strcpy(text, seeds[c % 3]);
			len = strlen(text);
			for (i = 0; i < 3; i++)
				text[next_random() % len] = (char) (1 + next_random() % 127);
		}
		if (parse(text, &err) != SPM_SCHED_OK)
			continue;
		size = parsed_size;
		memcpy(copy, parsed, size);
		spm_schedule_format(copy, canonical, sizeof(canonical));
		ok = parse(canonical, &err) == SPM_SCHED_OK && parsed_size == size &&
			memcmp(parsed, copy, size) == 0 &&
			spm_schedule_format(parsed, again, sizeof(again)) == strlen(canonical) &&
			strcmp(again, canonical) == 0;
		if (!ok)
			printf("# round trip failed: %s -> %s\n", text, canonical);
	}
	free(copy);
	return ok;
}

/*
 * Flip every bit of a stored schedule: the checker refuses the result, or accepts a
 * value whose canonical text parses back to exactly those bytes.
 */
static int
corruption_caught(void)
{
	SpmScheduleError err;
	SpmSchedule *s;
	size_t		size;
	char		text[4096];
	int			ok = 1;
	size_t		i;
	int			bit;

	if (parse("marginal; from 0 rate 8%; from 100 rate 12% bonus 5; cap 90", &err) != SPM_SCHED_OK)
		return 0;
	size = parsed_size;
	s = malloc(size);
	for (i = sizeof(uint32_t); i < size && ok; i++)
		for (bit = 0; bit < 8 && ok; bit++)
		{
			SpmSchedule *original = malloc(size);

			memcpy(original, parsed, size);
			memcpy(s, parsed, size);
			((unsigned char *) s)[i] ^= (unsigned char) (1 << bit);
			if (spm_schedule_check(s, size, &err) == SPM_SCHED_OK)
			{
				spm_schedule_format(s, text, sizeof(text));
				ok = parse(text, &err) == SPM_SCHED_OK && parsed_size == size &&
					memcmp(parsed, s, size) == 0;
				if (!ok)
					printf("# byte %zu bit %d: accepted but not canonical\n", i, bit);
			}
			memcpy(parsed, original, size);
			free(original);
		}
	memcpy(s, parsed, size);
	ok = ok && spm_schedule_check(s, size - 1, &err) == SPM_SCHED_CORRUPT;
	free(s);
	return ok;
}

/* The canonical text of text prorated by days of period_days at scale ("" on failure). */
static int
prorates_as(const char *text, int64_t days, int64_t period_days, int scale, const char *expected)
{
	SpmScheduleError err;
	SpmSchedule *out = malloc(SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS));
	char		buf[4096] = "";
	int			ok;

	if (parse(text, &err) == SPM_SCHED_OK &&
		spm_schedule_prorate(parsed, days, period_days, scale, out, &err) == SPM_SCHED_OK)
		spm_schedule_format(out, buf, sizeof(buf));
	ok = strcmp(buf, expected) == 0;
	if (!ok)
		printf("# %s x %lld/%lld at %d: got \"%s\"\n", text, (long long) days, (long long) period_days, scale, buf);
	free(out);
	return ok;
}

/*
 * Generated thresholds against a reference that fits in 128 bits for small values:
 * round half up of t x d / D at scale s is floor((2 t d 10^s + D 10^ts) / (2 D 10^ts)).
 */
static int
proration_matches_reference(int cases)
{
	SpmSchedule *in = malloc(SPM_SCHEDULE_SIZE(2));
	SpmSchedule *out = malloc(SPM_SCHEDULE_SIZE(2));
	SpmScheduleError err;
	int			ok = 1,
				c;

	for (c = 0; c < cases && ok; c++)
	{
		int			ts = (int) random_between(0, 4),
					scale = (int) random_between(-3, 6);
		int64_t		period_days = random_between(1, 400),
					days = random_between(1, period_days);
		spm_int128	t = random_between(1, 1000000000000LL),
					num,
					den,
					expected,
					got;

		memset(in, 0, SPM_SCHEDULE_SIZE(2));
		in->version = SPM_SCHEDULE_VERSION;
		in->kind = SPM_KIND_TIERS;
		in->ntiers = 2;
		in->tiers[1].threshold = t;
		in->threshold_scale = (uint8_t) ts;
		if (spm_schedule_prorate(in, days, period_days, scale, out, &err) != SPM_SCHED_OK)
			continue;			/* rounded onto tier 1: checked below */
		num = 2 * t * days * spm_pow10_128(scale > 0 ? scale : 0);
		den = 2 * period_days * spm_pow10_128(ts) * spm_pow10_128(scale < 0 ? -scale : 0);
		expected = (num + den / 2) / den * spm_pow10_128(scale < 0 ? -scale : 0);
		got = out->tiers[1].threshold * spm_pow10_128((scale > 0 ? scale : 0) - out->threshold_scale);
		ok = got == expected;
		if (!ok)
			printf("# case %d: t %lld at %d x %lld/%lld at %d\n", c, (long long) t, ts,
				   (long long) days, (long long) period_days, scale);
	}
	free(in);
	free(out);
	return ok;
}

int
main(void)
{
	parsed = malloc(SPM_SCHEDULE_SIZE(SPM_SCHEDULE_MAX_TIERS));

	/* text form */
	check(parses_as("from 0 rate 8%", "marginal; from 0 rate 8%"), "the kind defaults to marginal");
	check(parses_as("  MARGINAL ;from 0 rate 0.080 ;  from 100000.00 rate 12.5% bonus 500.50 catch-up; cap 30000",
					"marginal; from 0 rate 8%; from 100000 rate 12.5% bonus 500.5 catch-up; cap 30000"),
		  "keywords in any case, spaces free, fractions and percentages, trailing zeros dropped");
	check(parses_as("retroactive; boundary lower; from 0% rate 5%; from 120% rate 6%",
					"retroactive; boundary lower; from 0% rate 5%; from 120% rate 6%"),
		  "retroactive, lower boundary, thresholds as % of quota");
	check(parses_as("marginal; from 0 rate 4%; from 50% rate 8% catch-up; from 100% rate 12%; cap 3 x target",
					"marginal; from 0% rate 4%; from 50% rate 8% catch-up; from 100% rate 12%; cap 3x target"),
		  "the mixed plan is one value; a bare 0 takes the schedule's unit");
	check(parses_as("curve; at 50% pay 25%; at 100% pay 1; at 150% pay 200%",
					"curve; at 50% pay 25%; at 100% pay 100%; at 150% pay 200%"), "pay curve");
	check(parses_as("boundary upper; from 0 rate 0.000000000000000001; from 999999999999999999.999999999999999999 rate 1",
					"marginal; from 0 rate 0.0000000000000001%; from 999999999999999999.999999999999999999 rate 100%"),
		  "18 digits either side of the point");

	/* malformed */
	check(fails_with("", SPM_SCHED_EMPTY, 0), "empty text");
	check(fails_with("marginal", SPM_SCHED_EMPTY, 0), "no tier");
	check(fails_with("from 0 rate 8%;", SPM_SCHED_EMPTY_CLAUSE, 0), "trailing semicolon");
	check(fails_with("from 0 rate 8%; tier 5 rate 3%", SPM_SCHED_UNKNOWN_KEYWORD, 0), "unknown keyword");
	check(fails_with("from 0 rate 8%; from 100 rate", SPM_SCHED_EXPECTED, 2), "missing rate names tier 2");
	check(fails_with("from 0 rate 8%; from 100 rate 9% bonus", SPM_SCHED_EXPECTED, 2), "missing bonus");
	check(fails_with("from 0 rate 8%; from 100 rate 9% extra", SPM_SCHED_EXPECTED, 2), "junk after a tier");
	check(fails_with("from 0 rate 8%; from 1e5 rate 9%", SPM_SCHED_BAD_NUMBER, 2), "exponent");
	check(fails_with("from 0 rate 8%; from 100 rate NaN", SPM_SCHED_NOT_FINITE, 2), "NaN rate");
	check(fails_with("from 0 rate 8%; from -Infinity rate 9%", SPM_SCHED_NOT_FINITE, 2), "infinite threshold");
	check(fails_with("from 0 rate -8%", SPM_SCHED_NEGATIVE, 1), "negative rate");
	check(fails_with("from 0 rate 5%; from 100 rate 8", SPM_SCHED_BARE_RATE_ABOVE_ONE, 2),
		  "a bare rate above 1 is a percentage missing its sign");
	check(parses_as("from 0 rate 1; from 100 rate 800%", "marginal; from 0 rate 100%; from 100 rate 800%"),
		  "a bare rate of exactly 1 and a rate above 100 % with its sign are fine");
	check(fails_with("from 0 rate 8%; from 100 rate 9% bonus -1", SPM_SCHED_NEGATIVE, 2), "negative bonus");
	check(fails_with("from 0 rate 8%; cap -5", SPM_SCHED_NEGATIVE, 0), "negative cap");
	check(fails_with("from 10 rate 8%", SPM_SCHED_FIRST_NOT_ZERO, 1), "first tier above zero");
	check(fails_with("from 0 rate 8%; from 200 rate 9%; from 100 rate 10%", SPM_SCHED_UNSORTED, 3), "unsorted");
	check(fails_with("from 0 rate 8%; from 100 rate 9%; from 100.0 rate 10%", SPM_SCHED_DUPLICATE, 3), "duplicate");
	check(fails_with("from 0 rate 8%; from 100% rate 9%; from 5000 rate 10%", SPM_SCHED_MIXED_BASIS, 3), "mixed units");
	check(fails_with("curve; at 0.5 pay 10%", SPM_SCHED_PERCENT_REQUIRED, 1), "curve attainment without %");
	check(fails_with("marginal; retroactive; from 0 rate 1%", SPM_SCHED_REPEATED_CLAUSE, 0), "two kinds");
	check(fails_with("from 0 rate 1%; cap 5; cap 6", SPM_SCHED_REPEATED_CLAUSE, 0), "two caps");
	check(fails_with("from 0 rate 1% catch-up", SPM_SCHED_CATCH_UP_FIRST, 1), "catch-up on the first tier");
	check(fails_with("retroactive; from 0 rate 1%; from 5 rate 2% catch-up", SPM_SCHED_CATCH_UP_RETRO, 2),
		  "catch-up on a retroactive schedule");
	check(fails_with("from 0 rate 1% bonus 5", SPM_SCHED_BONUS_FIRST, 1), "bonus for reaching zero");
	check(fails_with("curve; at 50% pay 1; from 0 rate 1%", SPM_SCHED_KIND_MIXED, 0), "tiers in a curve");
	check(fails_with("from 0 rate 1%; at 50% pay 1", SPM_SCHED_KIND_MIXED, 0), "a point in tiers");
	check(fails_with("curve; at 50% pay 1; cap 4", SPM_SCHED_CURVE_CLAUSE, 0), "cap on a curve");
	check(fails_with("from 0 rate 1%; from 1234567890123456789 rate 2%", SPM_SCHED_TOO_MANY_DIGITS, 2), "19 digits");
	check(fails_with("from 0 rate 1%; boundary sideways", SPM_SCHED_EXPECTED, 0), "bad boundary");
	check(fails_with("from 0 rate 8% ; cap 3 y target", SPM_SCHED_EXPECTED, 0), "bad cap");

	/* commission: https://www.spiff.com/blog/tiered-commission-structure (marginal vs retroactive) */
	check(commission_is("marginal; from 0 rate 5%; from 50000 rate 10%; from 100000 rate 15%", 120000, 0, "10500"),
		  "marginal: 2500 + 5000 + 3000");
	check(commission_is("retroactive; from 0 rate 5%; from 50000 rate 10%; from 100000 rate 15%", 120000, 0, "18000"),
		  "retroactive: all 120000 at 15%");
	check(commission_is("retroactive; from 0 rate 5%; from 50000 rate 10%", 50000, 0, "5000"),
		  "upper boundary: 50000 belongs to the tier starting there");
	check(commission_is("retroactive; boundary lower; from 0 rate 5%; from 50000 rate 10%", 50000, 0, "2500"),
		  "lower boundary: 50000 stays in the lower tier");
	check(commission_is("marginal; from 0% rate 4%; from 50% rate 8% catch-up; from 100% rate 12%; cap 3x target",
						130000, 100000, "11600"),
		  "mixed plan: 100000 at 8% after catch-up, 30000 at 12%");
	check(commission_is("marginal; from 0% rate 4%; from 50% rate 8% catch-up; from 100% rate 12%; cap 3x target",
						49999, 100000, "1999.96"), "mixed plan below the gate: half rate");
	check(commission_is("marginal; from 0% rate 4%; from 50% rate 8% catch-up; from 100% rate 12%; cap 3x target",
						900000, 100000, "24000"), "mixed plan capped at 3 x 8000");
	check(commission_is("marginal; from 0 rate 10%; from 1000 rate 10% bonus 250", 1000, 0, "350"),
		  "a step bonus on reaching the threshold");
	check(commission_is("marginal; from 0 rate 10%; from 1000 rate 5%", -300, 0, "-30"),
		  "negative credit reverses at the first tier's rate");
	{
		SpmScheduleError err;
		SpmPrepared p;
		spm_int128	bounds[SPM_PREPARED_ROOM(4)],
					c;

		parse("from 0 rate 99999999999999999%", &err);
		check(spm_prepare(parsed, 0, 0, false, 18, bounds, &p) == SPM_CALC_OK &&
			  spm_commission(&p, (spm_int128) 1 << 120, &c, NULL, NULL) == SPM_CALC_OVERFLOW,
			  "128-bit overflow is reported, never wrapped");
	}

	check(property_holds(5000), "5000 generated schedules: per-deal amounts sum to the total, clawbacks return to zero");
	check(lines_sum(5000), "5000 generated explanations: lines sum to the commission, which the per-row shortcut equals");
	check(fuzz(200000), "200000 garbage and mutated texts: no crash, canonical text round-trips");
	check(corruption_caught(), "every flipped bit of a stored schedule is refused or still canonical");

	/* proration by days */
	check(prorates_as("from 0 rate 5%; from 100000 rate 8% bonus 500; cap 30000", 15, 31, 2,
					  "marginal; from 0 rate 5%; from 48387.1 rate 8% bonus 500; cap 14516.13"),
		  "15 of 31 days: thresholds and the cap rounded half up to cents, bonuses and rates kept");
	check(prorates_as("from 0 rate 5%; from 100000 rate 8%", 31, 31, 2, "marginal; from 0 rate 5%; from 100000 rate 8%"),
		  "the whole period keeps the schedule");
	check(prorates_as("from 0 rate 5%; from 0.125 rate 8%", 1, 1, 2, "marginal; from 0 rate 5%; from 0.13 rate 8%"),
		  "a half cent rounds up, also over the whole period");
	check(prorates_as("from 0 rate 5%; from 0.0149999 rate 8%", 1, 1, 2, "marginal; from 0 rate 5%; from 0.01 rate 8%"),
		  "just below a half cent rounds down");
	check(prorates_as("from 0 rate 5%; from 1000000 rate 8%", 1, 3, -3, "marginal; from 0 rate 5%; from 333000 rate 8%"),
		  "scale -3 rounds to thousands");
	check(prorates_as("from 0 rate 5%; from 1 rate 8%", 1, 3, 0, ""), "two thresholds rounded onto one amount are refused");
	check(prorates_as("retroactive; from 0% rate 5%; from 100% rate 8%; cap 2x target", 10, 30, 2,
					  "retroactive; from 0% rate 5%; from 100% rate 8%; cap 2x target"),
		  "relative thresholds and caps are the quota's to prorate");
	check(prorates_as("from 0 rate 5%; from 999999999999999999.999999999999999999 rate 8%", 1, 2, 12,
					  "marginal; from 0 rate 5%; from 500000000000000000 rate 8%"),
		  "18 digits either side of the point");
	check(prorates_as("from 0 rate 5%", 0, 31, 2, ""), "zero days are refused");
	check(proration_matches_reference(100000), "100000 generated prorations equal a reference");
	free(parsed);
	return done();
}
