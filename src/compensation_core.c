/*
 * compensation_core.c: commission schedules (parse, check, print) and the commission
 * of an amount under one, in exact 128-bit fixed point.  Plain C: no backend calls.
 *
 * Text form, clauses separated by ";" (keywords in any case, spaces free):
 *   marginal | retroactive | curve              the kind (default marginal)
 *   boundary lower | boundary upper             who owns an amount on a threshold
 *   from T rate R [bonus B] [catch-up]          a tier: T an amount, or a % of quota
 *   at A% pay F%                                a pay-curve point
 *   cap C | cap Mx target                       a cap on the commission
 * Rates and factors are written as a percentage (8%) or a fraction (0.08).
 *
 * Nothing here may allocate or report: errors are SpmScheduleError values that
 * tier_schedule.c words, and a value that does not fit is SPM_CALC_OVERFLOW, for
 * commission.c to redo in numeric arithmetic.
 */
#include <string.h>

#include "compensation_core.h"

/* A number as read: coefficient, scale, and whether it carried a % sign. */
typedef struct RawNumber
{
	spm_int128	coef;
	int			scale;
	bool		percent;
	bool		times;			/* an "x" suffix (cap 3x target) */
} RawNumber;

typedef struct Lexer
{
	const char *text;
	size_t		pos;
	size_t		clause_end;		/* the ';' or NUL that ends the current clause */
	size_t		tok_start;
	size_t		tok_len;
} Lexer;

static bool
mul_overflows(spm_int128 a, spm_int128 b, spm_int128 *r)
{
	return __builtin_mul_overflow(a, b, r);
}

static bool
add_overflows(spm_int128 a, spm_int128 b, spm_int128 *r)
{
	return __builtin_add_overflow(a, b, r);
}

/* coef * 10^shift (shift >= 0) without overflow, or false. */
static bool
rescale(spm_int128 coef, int shift, spm_int128 *r)
{
	*r = coef;
	return spm_scale_up_128(r, shift);
}

static char
lower_ascii(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The next token of the clause (a run of non-space characters); false at its end. */
static bool
next_token(Lexer *lx)
{
	while (lx->pos < lx->clause_end && is_space(lx->text[lx->pos]))
		lx->pos++;
	if (lx->pos >= lx->clause_end)
		return false;
	lx->tok_start = lx->pos;
	while (lx->pos < lx->clause_end && !is_space(lx->text[lx->pos]))
		lx->pos++;
	lx->tok_len = lx->pos - lx->tok_start;
	return true;
}

static bool
token_is(const Lexer *lx, const char *word)
{
	size_t		n = strlen(word);
	size_t		i;

	if (lx->tok_len != n)
		return false;
	for (i = 0; i < n; i++)
		if (lower_ascii(lx->text[lx->tok_start + i]) != word[i])
			return false;
	return true;
}

static SpmScheduleStatus
fail(SpmScheduleError *err, SpmScheduleStatus status, const Lexer *lx, const char *field,
	 const char *expected)
{
	err->status = status;
	err->field = field;
	err->expected = expected;
	if (lx)
	{
		err->offset = lx->tok_start;
		err->length = lx->tok_len;
	}
	return status;
}

/* Is the token NaN or an infinity, in any case, with any sign? */
static bool
token_not_finite(const Lexer *lx)
{
	static const char *const words[] = {"nan", "inf", "infinity"};
	Lexer		unsigned_tok = *lx;
	size_t		i;

	if (unsigned_tok.tok_len > 0 &&
		(lx->text[lx->tok_start] == '-' || lx->text[lx->tok_start] == '+'))
		unsigned_tok.tok_start++, unsigned_tok.tok_len--;
	/* a % or x suffix does not make it finite either */
	if (unsigned_tok.tok_len > 0 &&
		(lx->text[unsigned_tok.tok_start + unsigned_tok.tok_len - 1] == '%'))
		unsigned_tok.tok_len--;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (token_is(&unsigned_tok, words[i]))
			return true;
	return false;
}

/*
 * The current token as a decimal: [+-]digits[.digits][%|x].  A percentage is stored
 * as its fraction (8% is 0.08).  Trailing fraction zeros are dropped.
 */
static SpmScheduleStatus
read_number(const Lexer *lx, const char *field, bool allow_times, RawNumber *num,
			SpmScheduleError *err)
{
	const char *t = lx->text + lx->tok_start;
	size_t		n = lx->tok_len;
	size_t		i = 0;
	bool		negative = false;
	int			int_digits = 0,
				frac_digits = 0,
				digits = 0;
	spm_int128	coef = 0;

	memset(num, 0, sizeof(*num));
	if (token_not_finite(lx))
		return fail(err, SPM_SCHED_NOT_FINITE, lx, field, NULL);
	if (n > 0 && t[n - 1] == '%')
		num->percent = true, n--;
	else if (allow_times && n > 0 && lower_ascii(t[n - 1]) == 'x')
		num->times = true, n--;
	if (i < n && (t[i] == '-' || t[i] == '+'))
		negative = (t[i++] == '-');
	for (; i < n && t[i] >= '0' && t[i] <= '9'; i++, digits++)
	{
		if (coef == 0 && t[i] == '0')
			continue;			/* leading zeros */
		/* a percentage has two more digits before the point than its fraction */
		if (++int_digits > SPM_SCHEDULE_MAX_DIGITS + (num->percent ? 2 : 0))
			return fail(err, SPM_SCHED_TOO_MANY_DIGITS, lx, field, NULL);
		coef = coef * 10 + (t[i] - '0');
	}
	if (i < n && t[i] == '.')
	{
		int			pending_zeros = 0;

		for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++, digits++)
		{
			if (t[i] == '0')
			{
				pending_zeros++;	/* kept only if a nonzero digit follows */
				continue;
			}
			frac_digits += pending_zeros + 1;
			if (frac_digits > SPM_SCHEDULE_MAX_DIGITS)
				return fail(err, SPM_SCHED_TOO_MANY_DIGITS, lx, field, NULL);
			coef = coef * spm_pow10_128(pending_zeros + 1) + (t[i] - '0');
			pending_zeros = 0;
		}
	}
	if (digits == 0 || i != n)
		return fail(err, SPM_SCHED_BAD_NUMBER, lx, field, NULL);
	if (negative && coef != 0)
		return fail(err, SPM_SCHED_NEGATIVE, lx, field, NULL);
	num->coef = coef;
	num->scale = frac_digits;
	if (num->percent)
	{
		/* 12.5% = 0.125: two more decimals, then drop the zeros that made */
		num->scale += 2;
		while (num->scale > 0 && num->coef % 10 == 0)
			num->coef /= 10, num->scale--;
		if (num->scale > SPM_SCHEDULE_MAX_DIGITS)
			return fail(err, SPM_SCHED_TOO_MANY_DIGITS, lx, field, NULL);
	}
	if (num->coef == 0)
		num->scale = 0;
	return SPM_SCHED_OK;
}

/* The next token, which must be a number, into num. */
static SpmScheduleStatus
expect_number(Lexer *lx, const char *field, bool allow_times, RawNumber *num,
			  SpmScheduleError *err)
{
	if (!next_token(lx))
	{
		lx->tok_start = lx->pos, lx->tok_len = 0;
		return fail(err, SPM_SCHED_EXPECTED, lx, field, "a number");
	}
	return read_number(lx, field, allow_times, num, err);
}

static SpmScheduleStatus
expect_word(Lexer *lx, const char *word, const char *field, SpmScheduleError *err)
{
	if (!next_token(lx))
		lx->tok_start = lx->pos, lx->tok_len = 0;
	else if (token_is(lx, word))
		return SPM_SCHED_OK;
	return fail(err, SPM_SCHED_EXPECTED, lx, field, word);
}

/* The clause must end here. */
static SpmScheduleStatus
expect_end(Lexer *lx, const char *field, SpmScheduleError *err)
{
	if (next_token(lx))
		return fail(err, SPM_SCHED_EXPECTED, lx, field, "the end of the clause (\";\")");
	return SPM_SCHED_OK;
}

/* Scratch while parsing: each number's own scale, until all share one per kind. */
typedef struct ParseState
{
	SpmSchedule *out;
	uint8_t		tscale[SPM_SCHEDULE_MAX_TIERS];
	uint8_t		rscale[SPM_SCHEDULE_MAX_TIERS];
	uint8_t		bscale[SPM_SCHEDULE_MAX_TIERS];
	int			basis;			/* 0 unknown, 1 amounts, 2 % of quota */
	int			basis_tier;		/* the tier that fixed it */
	bool		have_kind;
	bool		have_boundary;
	bool		have_cap;
	bool		have_from;
	bool		have_at;
} ParseState;

/* A threshold's unit must match the others: amounts, or percentages of quota. */
static SpmScheduleStatus
note_basis(ParseState *ps, const RawNumber *num, int tier, Lexer *lx, SpmScheduleError *err)
{
	int			basis;

	if (num->coef == 0 && !num->percent)
		return SPM_SCHED_OK;	/* a bare 0 fits either */
	basis = num->percent ? 2 : 1;
	if (ps->basis != 0 && ps->basis != basis)
		return fail(err, SPM_SCHED_MIXED_BASIS, lx, "threshold", NULL);
	ps->basis = basis;
	ps->basis_tier = tier;
	return SPM_SCHED_OK;
}

static SpmScheduleStatus
add_tier(ParseState *ps, Lexer *lx, SpmScheduleError *err, bool curve_point)
{
	SpmSchedule *s = ps->out;
	SpmTier    *tier;
	RawNumber	num;
	int			i = s->ntiers;
	SpmScheduleStatus st;
	bool		have_bonus = false,
				have_catch_up = false;

	if (i >= SPM_SCHEDULE_MAX_TIERS)
		return fail(err, SPM_SCHED_TOO_MANY_TIERS, lx, NULL, NULL);
	if ((curve_point && ps->have_from) || (!curve_point && ps->have_at))
		return fail(err, SPM_SCHED_KIND_MIXED, lx, NULL, NULL);
	err->tier = i + 1;
	tier = &s->tiers[i];
	memset(tier, 0, sizeof(*tier));
	if ((st = expect_number(lx, "threshold", false, &num, err)) != SPM_SCHED_OK)
		return st;
	if (curve_point && !num.percent)
		return fail(err, SPM_SCHED_PERCENT_REQUIRED, lx, "attainment", NULL);
	if ((st = note_basis(ps, &num, i + 1, lx, err)) != SPM_SCHED_OK)
		return st;
	tier->threshold = num.coef, ps->tscale[i] = (uint8_t) num.scale;
	if ((st = expect_word(lx, curve_point ? "pay" : "rate", curve_point ? "factor" : "rate", err)) != SPM_SCHED_OK ||
		(st = expect_number(lx, curve_point ? "factor" : "rate", false, &num, err)) != SPM_SCHED_OK)
		return st;
	/* "rate 8" is far more often 8 % missing its sign than 800 %: say 800% to mean it */
	if (!curve_point && !num.percent && num.coef > spm_pow10_128(num.scale))
		return fail(err, SPM_SCHED_BARE_RATE_ABOVE_ONE, lx, "rate", NULL);
	tier->rate = num.coef, ps->rscale[i] = (uint8_t) num.scale;
	while (!curve_point && next_token(lx))
	{
		if (token_is(lx, "bonus") && !have_bonus)
		{
			have_bonus = true;
			if ((st = expect_number(lx, "bonus", false, &num, err)) != SPM_SCHED_OK)
				return st;
			if (num.percent)
				return fail(err, SPM_SCHED_BAD_NUMBER, lx, "bonus", NULL);
			tier->bonus = num.coef, ps->bscale[i] = (uint8_t) num.scale;
		}
		else if (token_is(lx, "catch-up") && !have_catch_up)
		{
			have_catch_up = true;
			tier->flags |= SPM_TIER_CATCH_UP;
		}
		else
			return fail(err, SPM_SCHED_EXPECTED, lx, "tier", "\"bonus\", \"catch-up\" or the end of the tier (\";\")");
	}
	if (curve_point && (st = expect_end(lx, "point", err)) != SPM_SCHED_OK)
		return st;
	if (curve_point)
		ps->have_at = true;
	else
		ps->have_from = true;
	s->ntiers++;
	err->tier = 0;
	return SPM_SCHED_OK;
}

static SpmScheduleStatus
add_cap(ParseState *ps, Lexer *lx, SpmScheduleError *err)
{
	SpmSchedule *s = ps->out;
	RawNumber	num;
	SpmScheduleStatus st;

	if (ps->have_cap)
		return fail(err, SPM_SCHED_REPEATED_CLAUSE, lx, "cap", NULL);
	ps->have_cap = true;
	if ((st = expect_number(lx, "cap", true, &num, err)) != SPM_SCHED_OK)
		return st;
	if (num.percent)
		return fail(err, SPM_SCHED_BAD_NUMBER, lx, "cap", NULL);
	if (!num.times && next_token(lx))
	{
		/* "cap 3 x target" */
		if (!token_is(lx, "x"))
			return fail(err, SPM_SCHED_EXPECTED, lx, "cap", "\"x target\" or the end of the clause (\";\")");
		num.times = true;
	}
	if (num.times && (st = expect_word(lx, "target", "cap", err)) != SPM_SCHED_OK)
		return st;
	if ((st = expect_end(lx, "cap", err)) != SPM_SCHED_OK)
		return st;
	s->flags |= num.times ? SPM_SCHED_CAP_TARGET : SPM_SCHED_CAP;
	s->cap = num.coef;
	s->cap_scale = (uint8_t) num.scale;
	return SPM_SCHED_OK;
}

static SpmScheduleStatus
set_kind(ParseState *ps, Lexer *lx, SpmScheduleError *err, int kind, bool retroactive)
{
	if (ps->have_kind)
		return fail(err, SPM_SCHED_REPEATED_CLAUSE, lx, "kind", NULL);
	ps->have_kind = true;
	ps->out->kind = (uint8_t) kind;
	if (retroactive)
		ps->out->flags |= SPM_SCHED_RETROACTIVE;
	return expect_end(lx, "kind", err);
}

static SpmScheduleStatus
set_boundary(ParseState *ps, Lexer *lx, SpmScheduleError *err)
{
	if (ps->have_boundary)
		return fail(err, SPM_SCHED_REPEATED_CLAUSE, lx, "boundary", NULL);
	ps->have_boundary = true;
	if (!next_token(lx))
		lx->tok_start = lx->pos, lx->tok_len = 0;
	else if (token_is(lx, "lower") || token_is(lx, "upper"))
	{
		if (token_is(lx, "lower"))
			ps->out->flags |= SPM_SCHED_BOUNDARY_LOWER;
		return expect_end(lx, "boundary", err);
	}
	return fail(err, SPM_SCHED_EXPECTED, lx, "boundary", "\"lower\" or \"upper\"");
}

static SpmScheduleStatus
parse_clause(ParseState *ps, Lexer *lx, SpmScheduleError *err)
{
	if (!next_token(lx))
	{
		lx->tok_start = lx->pos, lx->tok_len = 0;
		return fail(err, SPM_SCHED_EMPTY_CLAUSE, lx, NULL, NULL);
	}
	if (token_is(lx, "marginal"))
		return set_kind(ps, lx, err, SPM_KIND_TIERS, false);
	if (token_is(lx, "retroactive"))
		return set_kind(ps, lx, err, SPM_KIND_TIERS, true);
	if (token_is(lx, "curve"))
		return set_kind(ps, lx, err, SPM_KIND_CURVE, false);
	if (token_is(lx, "boundary"))
		return set_boundary(ps, lx, err);
	if (token_is(lx, "from"))
		return add_tier(ps, lx, err, false);
	if (token_is(lx, "at"))
		return add_tier(ps, lx, err, true);
	if (token_is(lx, "cap"))
		return add_cap(ps, lx, err);
	return fail(err, SPM_SCHED_UNKNOWN_KEYWORD, lx, NULL, NULL);
}

/* Bring field values to the largest scale among them (each < 10^36 after). */
static void
common_scale(spm_int128 *first, size_t stride, const uint8_t *scales, int n, uint8_t *out_scale)
{
	int			max = 0,
				i;

	for (i = 0; i < n; i++)
		if (scales[i] > max)
			max = scales[i];
	for (i = 0; i < n; i++)
	{
		spm_int128 *v = (spm_int128 *) ((char *) first + stride * i);

		*v *= spm_pow10_128(max - scales[i]);
	}
	*out_scale = (uint8_t) max;
}

SpmScheduleStatus
spm_schedule_parse(const char *text, SpmSchedule *out, size_t *size, SpmScheduleError *err)
{
	ParseState	ps;				/* about 3 KB of scratch */
	Lexer		lx;
	SpmScheduleStatus st;
	size_t		len = strlen(text);
	int			clause = 0;

	memset(err, 0, sizeof(*err));
	memset(&ps, 0, sizeof(ps));
	memset(out, 0, SPM_SCHEDULE_SIZE(0));
	ps.out = out;
	out->version = SPM_SCHEDULE_VERSION;
	out->kind = SPM_KIND_TIERS;
	memset(&lx, 0, sizeof(lx));
	lx.text = text;
	/* an all-blank text is an empty schedule, not an empty clause */
	while (lx.pos < len && is_space(text[lx.pos]))
		lx.pos++;
	if (lx.pos == len)
		return fail(err, SPM_SCHED_EMPTY, NULL, NULL, NULL);
	lx.pos = 0;
	for (;;)
	{
		const char *semi = memchr(text + lx.pos, ';', len - lx.pos);

		lx.clause_end = semi ? (size_t) (semi - text) : len;
		err->clause = ++clause;
		if ((st = parse_clause(&ps, &lx, err)) != SPM_SCHED_OK)
			return st;
		if (!semi)
			break;
		lx.pos = lx.clause_end + 1;
	}
	err->clause = 0;
	if (out->kind == SPM_KIND_CURVE && ps.have_from)
		return fail(err, SPM_SCHED_KIND_MIXED, NULL, NULL, NULL);
	if (out->kind == SPM_KIND_TIERS && ps.have_at)
	{
		err->status = SPM_SCHED_KIND_MIXED;
		err->expected = "curve";
		return SPM_SCHED_KIND_MIXED;
	}
	if (ps.basis == 2 || out->kind == SPM_KIND_CURVE)
		out->flags |= SPM_SCHED_OF_QUOTA;
	common_scale(&out->tiers[0].threshold, sizeof(SpmTier), ps.tscale, out->ntiers, &out->threshold_scale);
	common_scale(&out->tiers[0].rate, sizeof(SpmTier), ps.rscale, out->ntiers, &out->rate_scale);
	common_scale(&out->tiers[0].bonus, sizeof(SpmTier), ps.bscale, out->ntiers, &out->money_scale);
	*size = SPM_SCHEDULE_SIZE(out->ntiers);
	return spm_schedule_check(out, *size, err);
}

/* ---------------------------------------------------------------- invariants */

/* Negative, or more than SPM_SCHEDULE_MAX_DIGITS digits before the point. */
static bool
too_big(spm_int128 v, int scale)
{
	return v < 0 || v >= spm_pow10_128(SPM_SCHEDULE_MAX_DIGITS + scale);
}

/* The scale is the least that holds every value exactly (so equal values, equal bytes). */
static bool
scale_minimal(const spm_int128 *first, size_t stride, int n, int scale)
{
	int			i;

	if (scale == 0)
		return true;
	for (i = 0; i < n; i++)
		if (*(const spm_int128 *) ((const char *) first + stride * i) % 10 != 0)
			return true;
	return false;
}

static SpmScheduleStatus
check_tier(const SpmSchedule *s, int i, SpmScheduleError *err)
{
	const SpmTier *t = &s->tiers[i];
	bool		curve = s->kind == SPM_KIND_CURVE;

	err->tier = i + 1;
	if (t->reserved != 0 || (t->flags & ~SPM_TIER_CATCH_UP) != 0 ||
		too_big(t->threshold, s->threshold_scale) || too_big(t->rate, s->rate_scale) ||
		too_big(t->bonus, s->money_scale))
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	if (!curve && i == 0 && t->threshold != 0)
		return fail(err, SPM_SCHED_FIRST_NOT_ZERO, NULL, "threshold", NULL);
	if (i > 0 && t->threshold == s->tiers[i - 1].threshold)
		return fail(err, SPM_SCHED_DUPLICATE, NULL, "threshold", NULL);
	if (i > 0 && t->threshold < s->tiers[i - 1].threshold)
		return fail(err, SPM_SCHED_UNSORTED, NULL, "threshold", NULL);
	if (t->flags & SPM_TIER_CATCH_UP)
	{
		if (curve)
			return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
		if (i == 0)
			return fail(err, SPM_SCHED_CATCH_UP_FIRST, NULL, "catch-up", NULL);
		if (s->flags & SPM_SCHED_RETROACTIVE)
			return fail(err, SPM_SCHED_CATCH_UP_RETRO, NULL, "catch-up", NULL);
	}
	if (t->bonus != 0 && (curve || i == 0))
		return fail(err, curve ? SPM_SCHED_CORRUPT : SPM_SCHED_BONUS_FIRST, NULL, "bonus", NULL);
	err->tier = 0;
	return SPM_SCHED_OK;
}

SpmScheduleStatus
spm_schedule_check(const SpmSchedule *s, size_t size, SpmScheduleError *err)
{
	const unsigned known = SPM_SCHED_RETROACTIVE | SPM_SCHED_BOUNDARY_LOWER | SPM_SCHED_OF_QUOTA |
		SPM_SCHED_CAP | SPM_SCHED_CAP_TARGET;
	bool		curve;
	int			i;
	SpmScheduleStatus st;

	err->status = SPM_SCHED_OK;
	if (size < SPM_SCHEDULE_SIZE(0) || s->version != SPM_SCHEDULE_VERSION ||
		(s->kind != SPM_KIND_TIERS && s->kind != SPM_KIND_CURVE) ||
		(s->flags & ~known) != 0 || s->reserved != 0 || s->reserved2 != 0 ||
		s->threshold_scale > SPM_SCHEDULE_MAX_DIGITS || s->rate_scale > SPM_SCHEDULE_MAX_DIGITS ||
		s->money_scale > SPM_SCHEDULE_MAX_DIGITS || s->cap_scale > SPM_SCHEDULE_MAX_DIGITS ||
		s->ntiers > SPM_SCHEDULE_MAX_TIERS || size != SPM_SCHEDULE_SIZE(s->ntiers))
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	if (s->ntiers == 0)
		return fail(err, SPM_SCHED_EMPTY, NULL, NULL, NULL);
	curve = s->kind == SPM_KIND_CURVE;
	if (curve && ((s->flags & (SPM_SCHED_RETROACTIVE | SPM_SCHED_CAP | SPM_SCHED_CAP_TARGET)) != 0 ||
				  !(s->flags & SPM_SCHED_OF_QUOTA)))
		return fail(err, SPM_SCHED_CURVE_CLAUSE, NULL, NULL, NULL);
	if ((s->flags & SPM_SCHED_CAP) && (s->flags & SPM_SCHED_CAP_TARGET))
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	if (too_big(s->cap, s->cap_scale) ||
		(!(s->flags & (SPM_SCHED_CAP | SPM_SCHED_CAP_TARGET)) && (s->cap != 0 || s->cap_scale != 0)))
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	for (i = 0; i < s->ntiers; i++)
		if ((st = check_tier(s, i, err)) != SPM_SCHED_OK)
			return st;
	if (!scale_minimal(&s->tiers[0].threshold, sizeof(SpmTier), s->ntiers, s->threshold_scale) ||
		!scale_minimal(&s->tiers[0].rate, sizeof(SpmTier), s->ntiers, s->rate_scale) ||
		!scale_minimal(&s->tiers[0].bonus, sizeof(SpmTier), s->ntiers, s->money_scale) ||
		!scale_minimal(&s->cap, 0, 1, s->cap_scale))
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	return SPM_SCHED_OK;
}

/* ---------------------------------------------------------------- proration */

/*
 * v (>= 0, at vscale) x days / period_days, rounded half up to scale decimals (-9..12)
 * and written at scale max(scale, 0).  With d <= D the quotient never exceeds v, so it
 * fits: floor(t x d / D) is (t / D) x d + (t % D) x d / D, whose terms stay below t and
 * D x D.  When rounding drops k >= 1 more places, the part below the last unit cannot
 * change the result: 10^k is even, so 2 x remainder >= 10^k decides alone.
 */
static spm_int128
prorated_value(spm_int128 v, int vscale, int64_t days, int64_t period_days, int scale)
{
	spm_int128	t = v * spm_pow10_128(scale > vscale ? scale - vscale : 0);
	spm_int128	part = (t % period_days) * days;
	spm_int128	q = (t / period_days) * days + part / period_days;

	if (vscale > scale)
	{
		spm_int128	unit = spm_pow10_128(vscale - scale);
		spm_int128	rest = q % unit;

		q = q / unit + (2 * rest >= unit ? 1 : 0);
	}
	else if (2 * (part % period_days) >= period_days)
		q++;
	return scale < 0 ? q * spm_pow10_128(-scale) : q;
}

/* The least scale that holds the values at *scale exactly (equal values, equal bytes). */
static void
minimal_scale(spm_int128 *first, size_t stride, int n, uint8_t *scale)
{
	int			i;

	while (!scale_minimal(first, stride, n, *scale))
	{
		for (i = 0; i < n; i++)
			*(spm_int128 *) ((char *) first + stride * i) /= 10;
		(*scale)--;
	}
}

SpmScheduleStatus
spm_schedule_prorate(const SpmSchedule *in, int64_t days, int64_t period_days, int scale,
					 SpmSchedule *out, SpmScheduleError *err)
{
	uint8_t		stored = (uint8_t) (scale > 0 ? scale : 0);
	int			i;

	memset(err, 0, sizeof(*err));
	memcpy(out, in, SPM_SCHEDULE_SIZE(in->ntiers));
	if (days <= 0 || days > period_days || scale < -9 || scale > 12)
		return fail(err, SPM_SCHED_CORRUPT, NULL, NULL, NULL);
	if (!(in->flags & SPM_SCHED_OF_QUOTA))
	{
		for (i = 0; i < in->ntiers; i++)
			out->tiers[i].threshold = prorated_value(in->tiers[i].threshold, in->threshold_scale,
													 days, period_days, scale);
		out->threshold_scale = stored;
		minimal_scale(&out->tiers[0].threshold, sizeof(SpmTier), out->ntiers, &out->threshold_scale);
	}
	if (in->flags & SPM_SCHED_CAP)
	{
		out->cap = prorated_value(in->cap, in->cap_scale, days, period_days, scale);
		out->cap_scale = stored;
		minimal_scale(&out->cap, 0, 1, &out->cap_scale);
	}
	return spm_schedule_check(out, SPM_SCHEDULE_SIZE(out->ntiers), err);
}

/* ---------------------------------------------------------------- canonical text */

/* Append c to a bounded buffer, counting it even when it does not fit. */
static void
put_char(char *buf, size_t buflen, size_t *len, char c)
{
	if (*len + 1 < buflen)
		buf[*len] = c;
	(*len)++;
}

size_t
spm_decimal_format(spm_int128 coef, int scale, char *buf, size_t buflen)
{
	char		digits[80];
	int			n = 0;
	size_t		len = 0;
	bool		negative = coef < 0;
	unsigned __int128 mag = negative ? -(unsigned __int128) coef : (unsigned __int128) coef;

	for (; scale < 0; scale++)
		mag *= 10;
	for (; scale > 0 && mag % 10 == 0; scale--)
		mag /= 10;
	do
	{
		digits[n++] = (char) ('0' + (int) (mag % 10));
		mag /= 10;
	} while (mag != 0 || n <= scale);
	if (negative)
		put_char(buf, buflen, &len, '-');
	while (n > 0)
	{
		if (n == scale)
			put_char(buf, buflen, &len, '.');
		n--;
		put_char(buf, buflen, &len, digits[n]);
	}
	if (buflen > 0)
		buf[len < buflen ? len : buflen - 1] = '\0';
	return len;
}

/* Appends to a bounded buffer, counting what it would need. */
typedef struct Out
{
	char	   *buf;
	size_t		cap;
	size_t		len;
} Out;

static void
out_str(Out *o, const char *s)
{
	for (; *s; s++, o->len++)
		if (o->len + 1 < o->cap)
			o->buf[o->len] = *s;
}

/* A number, as a percentage when percent (0.125 prints 12.5%). */
static void
out_num(Out *o, spm_int128 coef, int scale, bool percent)
{
	char		tmp[80];

	spm_decimal_format(coef, percent ? scale - 2 : scale, tmp, sizeof(tmp));
	out_str(o, tmp);
	if (percent)
		out_str(o, "%");
}

size_t
spm_schedule_format(const SpmSchedule *s, char *buf, size_t buflen)
{
	Out			o = {buf, buflen, 0};
	bool		curve = s->kind == SPM_KIND_CURVE;
	bool		of_quota = (s->flags & SPM_SCHED_OF_QUOTA) != 0;
	int			i;

	out_str(&o, curve ? "curve" : (s->flags & SPM_SCHED_RETROACTIVE) ? "retroactive" : "marginal");
	if (s->flags & SPM_SCHED_BOUNDARY_LOWER)
		out_str(&o, "; boundary lower");
	for (i = 0; i < s->ntiers; i++)
	{
		const SpmTier *t = &s->tiers[i];

		out_str(&o, curve ? "; at " : "; from ");
		out_num(&o, t->threshold, s->threshold_scale, of_quota);
		out_str(&o, curve ? " pay " : " rate ");
		out_num(&o, t->rate, s->rate_scale, true);
		if (t->bonus != 0)
		{
			out_str(&o, " bonus ");
			out_num(&o, t->bonus, s->money_scale, false);
		}
		if (t->flags & SPM_TIER_CATCH_UP)
			out_str(&o, " catch-up");
	}
	if (s->flags & (SPM_SCHED_CAP | SPM_SCHED_CAP_TARGET))
	{
		out_str(&o, "; cap ");
		out_num(&o, s->cap, s->cap_scale, false);
		if (s->flags & SPM_SCHED_CAP_TARGET)
			out_str(&o, "x target");
	}
	if (buflen > 0)
		buf[o.len < buflen ? o.len : buflen - 1] = '\0';
	return o.len;
}

/* ---------------------------------------------------------------- commission */

static bool line_amount(const SpmPrepared *p, spm_int128 credited, spm_int128 rate,
						spm_int128 bonus, spm_int128 *out);

/*
 * Fill in p->base and p->slope, the per-row shortcut of spm_commission, for schedules
 * where no tier re-rates the credit below it; false if one does or a value overflows.
 */
static bool
prepare_direct(SpmPrepared *p)
{
	const SpmSchedule *s = p->schedule;
	spm_int128	paid_below = 0;
	int			t;

	if (spm_catch_up_tier(s, s->ntiers - 1) >= 0)
		return false;
	for (t = 0; t < s->ntiers; t++)
	{
		spm_int128	full_tier;

		if (t > 0 &&
			(!line_amount(p, p->bounds[t] - p->bounds[t - 1], s->tiers[t - 1].rate,
						  s->tiers[t - 1].bonus, &full_tier) ||
			 add_overflows(paid_below, full_tier, &paid_below)))
			return false;
		if (!line_amount(p, 0, 0, s->tiers[t].bonus, &p->base[t]) ||
			add_overflows(p->base[t], paid_below, &p->base[t]) ||
			!rescale(s->tiers[t].rate, p->rate_shift, &p->slope[t]))
			return false;
	}
	return true;
}

void
spm_prepare_scales(const SpmSchedule *s, int quota_scale, bool has_quota, int min_amount_scale,
				   int *amount_scale, int *result_scale)
{
	bool		of_quota = (s->flags & SPM_SCHED_OF_QUOTA) != 0;
	bool		cap_target = (s->flags & SPM_SCHED_CAP_TARGET) != 0;
	int			bound_scale = s->threshold_scale + (of_quota ? quota_scale : 0);
	int			base;

	*amount_scale = min_amount_scale;
	if (bound_scale > *amount_scale)
		*amount_scale = bound_scale;
	if (has_quota && cap_target && quota_scale > *amount_scale)
		*amount_scale = quota_scale;
	base = *amount_scale + s->rate_scale;
	if (s->money_scale > base)
		base = s->money_scale;
	if ((s->flags & SPM_SCHED_CAP) && s->cap_scale > base)
		base = s->cap_scale;
	*result_scale = base + (cap_target ? s->cap_scale : 0);
}

SpmCalcStatus
spm_prepare(const SpmSchedule *s, spm_int128 quota, int quota_scale, bool has_quota,
			int min_amount_scale, spm_int128 *room, SpmPrepared *p)
{
	spm_int128 *bounds = room;
	bool		of_quota = (s->flags & SPM_SCHED_OF_QUOTA) != 0;
	int			bound_scale = s->threshold_scale + (of_quota ? quota_scale : 0);
	int			i;

	memset(p, 0, sizeof(*p));
	p->schedule = s;
	p->bounds = bounds;
	spm_prepare_scales(s, quota_scale, has_quota, min_amount_scale, &p->amount_scale,
					   &p->result_scale);
	if (p->amount_scale > 38 || p->result_scale > 38)
		return SPM_CALC_OVERFLOW;
	p->rate_shift = p->result_scale - p->amount_scale - s->rate_scale;
	p->money_shift = p->result_scale - s->money_scale;
	for (i = 0; i < s->ntiers; i++)
	{
		spm_int128	t = s->tiers[i].threshold;

		if ((of_quota && mul_overflows(t, quota, &t)) ||
			!rescale(t, p->amount_scale - bound_scale, &bounds[i]))
			return SPM_CALC_OVERFLOW;
	}
	if (s->flags & SPM_SCHED_CAP)
	{
		p->capped = true;
		if (!rescale(s->cap, p->result_scale - s->cap_scale, &p->cap))
			return SPM_CALC_OVERFLOW;
	}
	else if ((s->flags & SPM_SCHED_CAP_TARGET) && has_quota)
	{
		spm_int128	q,
					at_quota;

		/* the commission at exactly 100 % of quota, uncapped, times the multiple */
		if (!rescale(quota, p->amount_scale - quota_scale, &q) ||
			spm_commission(p, q, &at_quota, NULL, NULL) != SPM_CALC_OK ||
			mul_overflows(at_quota / spm_pow10_128(s->cap_scale), s->cap, &p->cap))
			return SPM_CALC_OVERFLOW;
		p->capped = true;
	}
	p->base = room + s->ntiers;
	p->slope = room + 2 * s->ntiers;
	return SPM_CALC_OK;
}

void
spm_prepare_direct(SpmPrepared *p)
{
	p->direct = prepare_direct(p);
}

bool
spm_tier_reached(const SpmSchedule *s, int cmp)
{
	return (s->flags & SPM_SCHED_BOUNDARY_LOWER) ? cmp > 0 : cmp >= 0;
}

int
spm_catch_up_tier(const SpmSchedule *s, int top)
{
	for (; top > 0; top--)
		if ((s->flags & SPM_SCHED_RETROACTIVE) || (s->tiers[top].flags & SPM_TIER_CATCH_UP))
			return top;
	return -1;
}

/* Does amount reach a tier starting at bound, under the boundary rule? */
static bool
reaches(const SpmSchedule *s, spm_int128 amount, spm_int128 bound)
{
	return spm_tier_reached(s, (amount > bound) - (amount < bound));
}

/* credited * rate + bonus, at the result scale. */
static bool
line_amount(const SpmPrepared *p, spm_int128 credited, spm_int128 rate, spm_int128 bonus,
			spm_int128 *out)
{
	spm_int128	product;

	return !mul_overflows(credited, rate, &product) &&
		rescale(product, p->rate_shift, &product) &&
		rescale(bonus, p->money_shift, &bonus) &&
		!add_overflows(product, bonus, out);
}

SpmCalcStatus
spm_commission(const SpmPrepared *p, spm_int128 amount, spm_int128 *commission,
			   SpmLine *lines, int *nlines)
{
	const SpmSchedule *s = p->schedule;
	const spm_int128 *b = p->bounds;
	int			top = 0,		/* highest tier reached */
				catch_up,
				n = 0,
				i;
	spm_int128	total = 0;

	if (p->direct && !lines)
		return spm_commission_direct(p, amount, commission);
	/* below zero, the first tier's rate runs on downward: negative credit reverses it */
	while (amount > 0 && top + 1 < s->ntiers && reaches(s, amount, b[top + 1]))
		top++;
	catch_up = spm_catch_up_tier(s, top);
	for (i = 0; i <= top; i++)
	{
		int			rate_tier = i < catch_up ? catch_up : i;
		spm_int128	credited = (i < top ? b[i + 1] : amount) - b[i];
		spm_int128	line;

		if (!line_amount(p, credited, s->tiers[rate_tier].rate, s->tiers[i].bonus, &line) ||
			add_overflows(total, line, &total))
			return SPM_CALC_OVERFLOW;
		if (lines)
		{
			SpmLine    *l = &lines[n++];

			memset(l, 0, sizeof(*l));
			l->tier = i + 1;
			l->from = b[i];
			l->has_to = i + 1 < s->ntiers;
			l->to = l->has_to ? b[i + 1] : 0;
			l->credited = credited;
			l->rate_tier = rate_tier + 1;
			l->caught_up = rate_tier != i;
			if (!rescale(s->tiers[i].bonus, p->money_shift, &l->bonus))
				return SPM_CALC_OVERFLOW;
			l->commission = line;
		}
	}
	if (p->capped && total > p->cap)
	{
		if (lines)
		{
			SpmLine    *l = &lines[n++];

			memset(l, 0, sizeof(*l));
			l->commission = p->cap - total;
		}
		total = p->cap;
	}
	*commission = total;
	if (nlines)
		*nlines = n;
	return SPM_CALC_OK;
}
