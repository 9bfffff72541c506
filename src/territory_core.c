/*
 * territory_core.c: territory balance scores and balanced assignment, in plain C.
 *
 * Everything is integer arithmetic on exact units except the coordinates used to keep
 * territories compact: they cut accounts into regions for placement and choose
 * between moves that balance equally well.  No backend calls: territory.c passes
 * every buffer in and words every status.
 */
#include "territory_core.h"

#include <stdlib.h>
#include <string.h>

typedef unsigned __int128 spm_uint128;

#define NOWHERE ((size_t) -1)

/* ---------------------------------------------------------------- exact helpers */

static spm_int128
abs128(spm_int128 v)
{
	return v < 0 ? -v : v;
}

/* a * b as a 256-bit number hi:lo. */
static void
multiply_wide(spm_uint128 a, spm_uint128 b, spm_uint128 *hi, spm_uint128 *lo)
{
	const spm_uint128 mask = ((spm_uint128) 1 << 64) - 1;
	spm_uint128 p00 = (a & mask) * (b & mask);
	spm_uint128 p01 = (a & mask) * (b >> 64);
	spm_uint128 p10 = (a >> 64) * (b & mask);
	spm_uint128 p11 = (a >> 64) * (b >> 64);
	spm_uint128 mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);

	*lo = (p00 & mask) | (mid << 64);
	*hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

/* a * b <= c * d for non-negative a, b, c, d, without overflow. */
static bool
product_le(spm_int128 a, spm_int128 b, spm_int128 c, spm_int128 d)
{
	spm_uint128 left_hi, left_lo, right_hi, right_lo;

	multiply_wide((spm_uint128) a, (spm_uint128) b, &left_hi, &left_lo);
	multiply_wide((spm_uint128) c, (spm_uint128) d, &right_hi, &right_lo);
	return left_hi < right_hi || (left_hi == right_hi && left_lo <= right_lo);
}

/* ---------------------------------------------------------------- balance scores */

static int
compare_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

SpmTerritoryStatus
spm_balance(int64_t *values, size_t n, SpmBalance *balance)
{
	spm_int128	sum = 0,
				squares = 0,
				gini = 0,
				n_squares,
				sum_squared;
	size_t		i;

	for (i = 0; i < n; i++)
		if (values[i] < 0)
			return SPM_TERRITORY_NEGATIVE;
	qsort(values, n, sizeof(int64_t), compare_int64);
	for (i = 0; i < n; i++)
	{
		/* each square is below 2^126; only their sum can overflow */
		if (__builtin_add_overflow(squares, (spm_int128) values[i] * values[i], &squares))
			return SPM_TERRITORY_OVERFLOW;
		sum += values[i];
		gini += ((spm_int128) (2 * i + 1) - (spm_int128) n) * values[i];
	}
	if (__builtin_mul_overflow(squares, (spm_int128) n, &n_squares) ||
		__builtin_mul_overflow(sum, sum, &sum_squared))
		return SPM_TERRITORY_OVERFLOW;
	balance->n = n;
	balance->sum = sum;
	balance->min = values[0];
	balance->max = values[n - 1];
	balance->gini = gini;
	balance->spread = n_squares - sum_squared;
	/* the farthest value from the mean is the smallest or the largest */
	balance->max_gap = abs128((spm_int128) n * values[0] - sum);
	if (abs128((spm_int128) n * values[n - 1] - sum) > balance->max_gap)
		balance->max_gap = abs128((spm_int128) n * values[n - 1] - sum);
	return SPM_TERRITORY_OK;
}

size_t
spm_balance_within(const int64_t *values, size_t n, spm_int128 sum,
				   int64_t tol_num, int64_t tol_den)
{
	size_t		within = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		if (product_le(abs128((spm_int128) n * values[i] - sum), tol_den, tol_num, sum))
			within++;
	return within;
}

/* ---------------------------------------------------------------- assignment */

/* An account in weight order. */
typedef struct Ranked
{
	int64_t		weight;
	size_t		index;
} Ranked;

/* A territory in order of its deviation. */
typedef struct Standing
{
	spm_int128	dev;
	size_t		index;
} Standing;

/* The proposal being improved. */
typedef struct Plan
{
	const SpmAccount *accounts;
	size_t		n;
	size_t		k;
	int32_t    *at;				/* proposed territory of each account */
	spm_int128 *dev;			/* k * load - total: the deviation from the mean, times k */
	int64_t    *count;			/* accounts per territory */
	double	   *lat_sum;		/* sums of located members' coordinates, for centroids */
	double	   *lon_sum;
	int64_t    *located;
	bool	   *settled;		/* nothing shrinks it any more: left as it is */
	Ranked	   *movable;		/* unlocked accounts of positive weight, lightest first */
	size_t		nmovable;
	Ranked	   *bucket;			/* movable accounts by territory, lightest first within */
	size_t	   *first;			/* territory t's are bucket[first[t] .. first[t + 1]) */
	bool		grouped;		/* bucket follows every assign (else it is scratch) */
	Standing   *standing;		/* scratch: territories by deviation */
	spm_int128	total;
	int64_t		moves;
	int64_t		max_moves;
	spm_int128	tol_num;
	spm_int128	tol_den;
	bool		compact;		/* coordinates given: prefer nearby accounts */
	bool		chains;			/* look for chains and cycles where moves and swaps stop */
	size_t		chain_steps;	/* accounts and pairs looked at by the current chain search */
	size_t		chain_budget;	/* at most this many per search */
	SpmPoll		poll;
} Plan;

static size_t
aligned(size_t bytes)
{
	return (bytes + 15) & ~(size_t) 15;
}

/* Bytes of one plan's arrays. */
static size_t
plan_workspace(size_t n, size_t k)
{
	return aligned(sizeof(spm_int128) * k) + aligned(sizeof(Standing) * k) +
		2 * aligned(sizeof(int64_t) * k) + 2 * aligned(sizeof(double) * k) +
		aligned(sizeof(bool) * k) + aligned(sizeof(size_t) * (k + 1)) +
		2 * aligned(sizeof(Ranked) * n);
}

/* A plan, then a second proposal and the two proposals' sorted deviations. */
size_t
spm_assign_workspace(size_t n, size_t k)
{
	return plan_workspace(n, k) + aligned(sizeof(int32_t) * n) +
		2 * aligned(sizeof(spm_int128) * k);
}

/* Carve the plan's arrays out of workspace, zeroed. */
static void
plan_layout(Plan *plan, char *workspace)
{
	size_t		n = plan->n,
				k = plan->k;

	memset(workspace, 0, plan_workspace(n, k));
#define CARVE(field, type, count) \
	(plan->field = (type *) workspace, workspace += aligned(sizeof(type) * (count)))
	CARVE(dev, spm_int128, k);
	CARVE(standing, Standing, k);
	CARVE(count, int64_t, k);
	CARVE(located, int64_t, k);
	CARVE(lat_sum, double, k);
	CARVE(lon_sum, double, k);
	CARVE(settled, bool, k);
	CARVE(first, size_t, k + 1);
	CARVE(movable, Ranked, n);
	CARVE(bucket, Ranked, n);
#undef CARVE
}

/* Would account i in territory t count as moved (away from a real home)? */
static int64_t
moved_if(const Plan *plan, size_t i, int32_t t)
{
	int32_t		home = plan->accounts[i].current;

	return home >= 0 && t != home;
}

/* Change in the number of moved accounts if account i went to t. */
static int64_t
move_cost(const Plan *plan, size_t i, int32_t t)
{
	return moved_if(plan, i, t) - moved_if(plan, i, plan->at[i]);
}

static bool
affordable(const Plan *plan, int64_t cost)
{
	return plan->max_moves < 0 || plan->moves + cost <= plan->max_moves;
}

/* Lightest first; the lower index first on ties. */
static int
compare_ranked(const void *a, const void *b)
{
	const Ranked *x = a;
	const Ranked *y = b;

	if (x->weight != y->weight)
		return (x->weight > y->weight) - (x->weight < y->weight);
	return (x->index > y->index) - (x->index < y->index);
}

/* Group the movable accounts by territory into bucket, keeping weight order. */
static void
group_by_territory(Plan *plan)
{
	size_t		k = plan->k;
	size_t		j,
				t;

	memset(plan->first, 0, sizeof(size_t) * (k + 1));
	for (j = 0; j < plan->nmovable; j++)
		plan->first[plan->at[plan->movable[j].index] + 1]++;
	for (t = 0; t < k; t++)
		plan->first[t + 1] += plan->first[t];
	/* fill each territory from its start; first[t] ends at t + 1's start */
	for (j = 0; j < plan->nmovable; j++)
		plan->bucket[plan->first[plan->at[plan->movable[j].index]]++] = plan->movable[j];
	for (t = k; t > 0; t--)
		plan->first[t] = plan->first[t - 1];
	plan->first[0] = 0;
}

/*
 * Where r lies, or would lie, among territory t's bucket entries: the first position
 * not before it in (weight, index) order, the order group_by_territory leaves.
 */
static size_t
bucket_position(const Plan *plan, size_t t, const Ranked *r)
{
	size_t		lo = plan->first[t],
				hi = plan->first[t + 1];

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (compare_ranked(&plan->bucket[mid], r) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Movable account i leaves territory from for to in bucket, which ends as
 * group_by_territory would leave it: the entries between the two places shift by one,
 * and so do the bounds of the territories between.  A contiguous shift is far cheaper
 * than grouping all accounts again, which every round of improvement otherwise did.
 */
static void
bucket_move(Plan *plan, size_t i, size_t from, size_t to)
{
	Ranked		r = {plan->accounts[i].weight, i};
	size_t		p,
				q,
				t;

	if (plan->accounts[i].locked || r.weight <= 0)
		return;					/* not movable: in no bucket */
	p = bucket_position(plan, from, &r);
	q = bucket_position(plan, to, &r);
	if (from < to)
	{
		memmove(&plan->bucket[p], &plan->bucket[p + 1], sizeof(Ranked) * (q - 1 - p));
		plan->bucket[q - 1] = r;
		for (t = from + 1; t <= to; t++)
			plan->first[t]--;
	}
	else
	{
		memmove(&plan->bucket[q + 1], &plan->bucket[q], sizeof(Ranked) * (p - q));
		plan->bucket[q] = r;
		for (t = to + 1; t <= from; t++)
			plan->first[t]++;
	}
}

/* Put account i into territory t (it may be in none yet: at[i] < 0). */
static void
assign(Plan *plan, size_t i, int32_t t)
{
	const SpmAccount *a = &plan->accounts[i];
	spm_int128	kw = (spm_int128) plan->k * a->weight;
	int32_t		from = plan->at[i];

	if (from >= 0)
	{
		if (plan->grouped && from != t)
			bucket_move(plan, i, (size_t) from, (size_t) t);
		plan->moves += move_cost(plan, i, t);
		plan->dev[from] -= kw;
		plan->count[from]--;
		if (a->located)
		{
			plan->lat_sum[from] -= a->lat;
			plan->lon_sum[from] -= a->lon;
			plan->located[from]--;
		}
	}
	plan->at[i] = t;
	plan->dev[t] += kw;
	plan->count[t]++;
	if (a->located)
	{
		plan->lat_sum[t] += a->lat;
		plan->lon_sum[t] += a->lon;
		plan->located[t]++;
	}
}

/* Is a deviation (times k) within the tolerance band? */
static bool
within_band(const Plan *plan, spm_int128 dev)
{
	return product_le(abs128(dev), plan->tol_den, plan->tol_num, plan->total);
}

/* The lightest territory: fewest accounts, then the lowest index, break ties. */
static size_t
lightest(const Plan *plan)
{
	size_t		best = 0;
	size_t		t;

	for (t = 1; t < plan->k; t++)
		if (plan->dev[t] < plan->dev[best] ||
			(plan->dev[t] == plan->dev[best] && plan->count[t] < plan->count[best]))
			best = t;
	return best;
}

/* The unsettled territory farthest from the mean (lowest index on ties), or NOWHERE. */
static size_t
farthest(const Plan *plan)
{
	size_t		best = NOWHERE;
	size_t		t;

	for (t = 0; t < plan->k; t++)
		if (!plan->settled[t] &&
			(best == NOWHERE || abs128(plan->dev[t]) > abs128(plan->dev[best])))
			best = t;
	return best;
}

/* Heaviest first; the lower index first on ties. */
static int
compare_ranked_heavy_first(const void *a, const void *b)
{
	const Ranked *x = a;
	const Ranked *y = b;

	if (x->weight != y->weight)
		return (x->weight < y->weight) - (x->weight > y->weight);
	return (x->index > y->index) - (x->index < y->index);
}

/* Largest first; the lower index first on ties. */
static int
compare_standing(const void *a, const void *b)
{
	const Standing *x = a;
	const Standing *y = b;

	if (x->dev != y->dev)
		return (x->dev < y->dev) - (x->dev > y->dev);
	return (x->index > y->index) - (x->index < y->index);
}

/* cos(latitude) by Bhaskara's approximation (within 0.2%), so that no libm is needed. */
static double
cos_latitude(double lat)
{
	double		r = lat * 3.14159265358979323846 / 180;

	return (9.8696044010893586 - 4 * r * r) / (9.8696044010893586 + r * r);
}

/* Squared distance from account i to territory t's centroid (0 when t has none). */
static double
distance_to(const Plan *plan, size_t i, size_t t)
{
	const SpmAccount *a = &plan->accounts[i];
	double		lat,
				lon,
				x,
				y;

	if (!a->located || plan->located[t] == 0)
		return 0;
	lat = plan->lat_sum[t] / plan->located[t];
	lon = plan->lon_sum[t] / plan->located[t];
	/* equirectangular: a degree of longitude shrinks by cos(latitude) */
	x = (a->lon - lon) * cos_latitude((a->lat + lat) / 2);
	y = a->lat - lat;
	return x * x + y * y;
}

/* How far the pair (giver, taker) ends from the mean if kw moves between them. */
static spm_int128
pair_after(const Plan *plan, size_t giver, size_t taker, spm_int128 kw)
{
	spm_int128	g = abs128(plan->dev[giver] - kw);
	spm_int128	t = abs128(plan->dev[taker] + kw);

	return g > t ? g : t;
}

/*
 * The best single move of an account from giver to taker: k * weight in (0, limit),
 * affordable, closest to target (k * weight that would level the pair).  With
 * coordinates, the account nearest the taker's centroid among those (up to 64) that
 * leave the pair as close to the mean as the closest one does, or within the band.
 * NOWHERE when there is none.
 */
static size_t
best_move(const Plan *plan, size_t giver, size_t taker, spm_int128 limit, spm_int128 target)
{
	const Ranked *m = plan->bucket + plan->first[giver];
	size_t		count = plan->first[giver + 1] - plan->first[giver];
	spm_int128	k = (spm_int128) plan->k;
	size_t		lo = 0,
				hi = count;
	size_t		below,
				above;
	size_t		best = NOWHERE;
	double		best_distance = 0;
	spm_int128	closest = 0;
	int			compact_left = 64;

	/* first account with k * weight >= target */
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (k * m[mid].weight < target)
			lo = mid + 1;
		else
			hi = mid;
	}
	below = lo;					/* candidates below are m[below - 1], m[below - 2], ... */
	above = lo;
	for (;;)
	{
		bool		take_above;
		size_t		i;
		spm_int128	after;

		if (above < count && k * m[above].weight >= limit)
			above = count;
		if (below == 0 && above == count)
			break;
		/* the candidate closer to the target; the lighter one on ties */
		take_above = below == 0 ||
			(above < count && k * m[above].weight - target < target - k * m[below - 1].weight);
		i = take_above ? m[above++].index : m[--below].index;
		if (!affordable(plan, move_cost(plan, i, (int32_t) taker)))
			continue;
		if (!plan->compact)
			return i;
		after = pair_after(plan, giver, taker, k * plan->accounts[i].weight);
		if (best == NOWHERE)
			closest = after;
		else if (after > closest && !within_band(plan, after))
			break;				/* farther from the target from here on */
		if (best == NOWHERE || distance_to(plan, i, taker) < best_distance)
		{
			best = i;
			best_distance = distance_to(plan, i, taker);
		}
		if (--compact_left == 0)
			break;
	}
	return best;
}

/*
 * The best swap of an account of giver for a lighter one of taker: k * (difference)
 * in (0, limit), closest to target, affordable.  False when there is none.
 */
static bool
best_swap(const Plan *plan, size_t giver, size_t taker, spm_int128 limit, spm_int128 target,
		  size_t *give, size_t *take)
{
	const Ranked *gives = plan->bucket + plan->first[giver];
	const Ranked *takes = plan->bucket + plan->first[taker];
	size_t		ngive = plan->first[giver + 1] - plan->first[giver];
	size_t		ntake = plan->first[taker + 1] - plan->first[taker];
	spm_int128	k = (spm_int128) plan->k;
	spm_int128	best_miss = -1;
	size_t		g = 0,
				t;

	for (t = 0; t < ntake; t++)
	{
		int64_t		w = takes[t].weight;
		size_t		c;

		/* the giver's accounts around weight w + target / k: g only moves up as w does */
		while (g < ngive && k * (gives[g].weight - w) < target)
			g++;
		for (c = g > 0 ? g - 1 : g; c <= g && c < ngive; c++)
		{
			spm_int128	net = k * (gives[c].weight - w);
			spm_int128	miss = abs128(net - target);

			if (net <= 0 || net >= limit || (best_miss >= 0 && miss >= best_miss))
				continue;
			if (!affordable(plan, move_cost(plan, gives[c].index, (int32_t) taker) +
							move_cost(plan, takes[t].index, (int32_t) giver)))
				continue;
			best_miss = miss;
			*give = gives[c].index;
			*take = takes[t].index;
		}
	}
	return best_miss >= 0;
}

/*
 * One move (or, with swap, one swap) from giver to taker that shrinks the larger of
 * the pair's deviations; false when there is none.
 */
static bool
level_pair(Plan *plan, size_t giver, size_t taker, bool swap)
{
	spm_int128	worst = abs128(plan->dev[giver]) > abs128(plan->dev[taker])
		? abs128(plan->dev[giver]) : abs128(plan->dev[taker]);
	/* both ends stay below worst iff 0 < k * weight < min(worst + giver, worst - taker) */
	spm_int128	limit = worst + plan->dev[giver] < worst - plan->dev[taker]
		? worst + plan->dev[giver] : worst - plan->dev[taker];
	spm_int128	target = (plan->dev[giver] - plan->dev[taker]) / 2;
	size_t		i,
				j;

	if (plan->dev[giver] <= plan->dev[taker])
		return false;
	if (!swap)
	{
		i = best_move(plan, giver, taker, limit, target);
		if (i != NOWHERE)
			assign(plan, i, (int32_t) taker);
		return i != NOWHERE;
	}
	if (!best_swap(plan, giver, taker, limit, target, &i, &j))
		return false;
	assign(plan, i, (int32_t) taker);
	assign(plan, j, (int32_t) giver);
	return true;
}

/* ---------------------------------------------------------------- chains and cycles */

/*
 * Moves and swaps between two territories stop where the excess of the farthest
 * territory x can only reach the other side of the mean through a third: with x one
 * unit above the mean, y one below and the rest at it, x and y may have no two accounts
 * one unit apart while x and z have, and so have z and y.  So when improve finds no
 * move or swap, it looks for
 *
 *	an ejection chain: x trades with t1 (a move or a swap), t1 with t2, and so on, each
 *	territory after x passing on about what it took; or
 *	a cyclic exchange: the same, the last territory trading with x again, so that
 *	accounts rotate through three territories (or two swaps between the same pair).
 *
 * It is made when every territory on it ends strictly closer to the mean than x is now,
 * so the sorted deviations still shrink and the search still ends.
 */

/* Trades on a chain or cycle, at most. */
#define CHAIN_ARCS 3

/* How many partners (those farthest on the other side first) it may pass through. */
#define CHAIN_PARTNERS 8

/* Steps (accounts and pairs of accounts looked at) of one search: this plus 8 per account. */
#define CHAIN_BUDGET 16384

/*
 * A chain's trades are bounded by what each territory may end at; a cycle's first trade
 * is not (whatever x gives, the cycle brings back), so a cycle starts only where x and
 * its first partner hold at most this many movable accounts each.
 */
#define CYCLE_ACCOUNTS 64

/*
 * Trades along territories: territory[i] gives give[i] to territory[i + 1] and takes
 * back[i] from it.  A cycle's last territory, territory[arcs], is territory[0] again.
 */
typedef struct Chain
{
	size_t		arcs;
	size_t		territory[CHAIN_ARCS + 1];
	size_t		give[CHAIN_ARCS];	/* NOWHERE: nothing */
	size_t		back[CHAIN_ARCS];
	spm_int128	net[CHAIN_ARCS];	/* k * (weight given - weight taken back) */
} Chain;

typedef struct ChainSearch
{
	Chain		path;			/* the chain being built */
	Chain		best;
	bool		found;
	spm_int128	best_worst;		/* the best chain's largest |deviation| after it, */
	spm_int128	best_gain;		/* how much it shrinks the sum of |deviations|, */
	int64_t		best_cost;		/* and the change in moved accounts */
	spm_int128	lo;				/* every territory on it must end within [lo, hi] */
	spm_int128	hi;
	size_t		partner[CHAIN_PARTNERS];
	size_t		npartners;
	spm_int128	most_below;		/* the partners' largest room above lo, */
	spm_int128	most_above;		/* and below hi */
	bool		cycle;			/* the path may close at x: its first trade was any */
	spm_int128	nearest;		/* the least |deviation| within [lo, hi] */
} ChainSearch;

/*
 * Territory t's movable accounts as a list with "nothing" (weight 0) in front:
 * position p is nothing when p is 0, bucket entry p - 1 otherwise.
 */
static size_t
list_length(const Plan *plan, size_t t)
{
	return plan->first[t + 1] - plan->first[t] + 1;
}

static spm_int128
k_weight_at(const Plan *plan, size_t t, size_t p)
{
	return p == 0 ? 0 : (spm_int128) plan->k * plan->bucket[plan->first[t] + p - 1].weight;
}

static size_t
account_at(const Plan *plan, size_t t, size_t p)
{
	return p == 0 ? NOWHERE : plan->bucket[plan->first[t] + p - 1].index;
}

/* The first position of t's list at which k * weight >= bound (its length if none). */
static size_t
first_at_least(const Plan *plan, size_t t, spm_int128 bound)
{
	size_t		lo = 0,
				hi = list_length(plan, t);

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (k_weight_at(plan, t, mid) < bound)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Count a step of the search: false once its budget is spent. */
static bool
chain_step(Plan *plan)
{
	spm_poll(plan->poll, plan->chain_steps);
	return plan->chain_steps++ < plan->chain_budget;
}

static bool
closed(const Chain *c)
{
	return c->territory[c->arcs] == c->territory[0];
}

/* The deviation territory[i] of chain c ends at. */
static spm_int128
after_chain(const Plan *plan, const Chain *c, size_t i)
{
	spm_int128	in = i > 0 ? c->net[i - 1] : closed(c) ? c->net[c->arcs - 1] : 0;
	spm_int128	out = i < c->arcs ? c->net[i] : 0;

	return plan->dev[c->territory[i]] + in - out;
}

/*
 * Make the path the best if every territory on it ends within [lo, hi] and it ends
 * better balanced than the best (its largest deviation smaller, or as small and the
 * sum of deviations smaller), or as well with fewer moves.  One that leaves every
 * territory on it as near the mean as deviations can be ends the search.
 */
static void
consider_chain(Plan *plan, ChainSearch *s)
{
	const Chain *c = &s->path;
	spm_int128	worst = 0,
				gain = 0;
	int64_t		cost = 0;
	size_t		i;

	for (i = 0; i < c->arcs + !closed(c); i++)
	{
		spm_int128	after = after_chain(plan, c, i);

		if (after < s->lo || after > s->hi)
			return;
		worst = abs128(after) > worst ? abs128(after) : worst;
		gain += abs128(plan->dev[c->territory[i]]) - abs128(after);
	}
	for (i = 0; i < c->arcs; i++)
	{
		if (c->give[i] != NOWHERE)
			cost += move_cost(plan, c->give[i], (int32_t) c->territory[i + 1]);
		if (c->back[i] != NOWHERE)
			cost += move_cost(plan, c->back[i], (int32_t) c->territory[i]);
	}
	if (!affordable(plan, cost) ||
		(s->found && (worst > s->best_worst ||
					  (worst == s->best_worst &&
					   (gain < s->best_gain || (gain == s->best_gain && cost >= s->best_cost))))))
		return;
	s->found = true;
	s->best = *c;
	s->best_worst = worst;
	s->best_gain = gain;
	s->best_cost = cost;
	if (worst == s->nearest)
		plan->chain_steps = plan->chain_budget;
}

/*
 * Set arc i of the path: territory[i] gives position p of its list to u and takes back
 * position q of u's.  False when that trades nothing, or an account a second time.
 */
static bool
set_arc(const Plan *plan, Chain *c, size_t i, size_t u, size_t p, size_t q)
{
	c->arcs = i + 1;
	c->territory[i + 1] = u;
	c->give[i] = account_at(plan, c->territory[i], p);
	c->back[i] = account_at(plan, u, q);
	c->net[i] = k_weight_at(plan, c->territory[i], p) - k_weight_at(plan, u, q);
	return (p > 0 || q > 0) &&
		(p == 0 || i == 0 || c->give[i] != c->back[i - 1]) &&
		(q == 0 || !closed(c) || c->back[i] != c->give[0]);
}

/*
 * Can a trade of t with u have a net within [low, high]?  It is at most t's heaviest
 * account and at least minus u's.
 */
static bool
can_trade(const Plan *plan, size_t t, size_t u, spm_int128 low, spm_int128 high)
{
	return low <= high && low <= k_weight_at(plan, t, list_length(plan, t) - 1) &&
		high >= -k_weight_at(plan, u, list_length(plan, u) - 1);
}

/* Is territory u among the path's territories 0..i? */
static bool
on_path(const Chain *c, size_t i, size_t u)
{
	size_t		j;

	for (j = 0; j <= i; j++)
		if (c->territory[j] == u)
			return true;
	return false;
}

static void extend_chain(Plan *plan, ChainSearch *s, size_t i, spm_int128 below,
						 spm_int128 above);

/*
 * The trades of territory[i] with u whose net is within [low, high].  To end the path at
 * u (x itself closes a cycle): for each account of territory[i], the two accounts of u
 * next to where the two territories end level, found by bisection, each offered to the
 * search.  To pass the path on through u: every one, the path growing further from u,
 * its room then below and above.
 */
static void
trade(Plan *plan, ChainSearch *s, size_t i, size_t u, spm_int128 low, spm_int128 high,
	  bool end, spm_int128 below, spm_int128 above)
{
	size_t		t = s->path.territory[i];
	/* territory[i] ends at start - net, u at now + net: level at net = (start - now) / 2 */
	spm_int128	start = plan->dev[t] + (i > 0 ? s->path.net[i - 1] : 0);
	spm_int128	now = plan->dev[u] - (u == s->path.territory[0] ? s->path.net[0] : 0);
	size_t		p,
				q,
				last;

	if (!can_trade(plan, t, u, low, high))
		return;
	for (p = 0; p < list_length(plan, t) && chain_step(plan); p++)
	{
		spm_int128	kp = k_weight_at(plan, t, p);

		if (end)
		{
			last = first_at_least(plan, u, kp - (start - now) / 2);
			q = last > 0 ? last - 1 : last;
			last = last < list_length(plan, u) ? last + 1 : last;
		}
		else
		{
			q = first_at_least(plan, u, kp - high);
			last = first_at_least(plan, u, kp - low + 1);
		}
		for (; q < last && chain_step(plan); q++)
		{
			spm_int128	net = kp - k_weight_at(plan, u, q);

			if (net < low || net > high || !set_arc(plan, &s->path, i, u, p, q))
				continue;
			if (end)
				consider_chain(plan, s);
			else
				extend_chain(plan, s, i + 1, below, above);
		}
	}
}

/* The larger of a and b, and the smaller. */
static spm_int128
max128(spm_int128 a, spm_int128 b)
{
	return a > b ? a : b;
}

static spm_int128
min128(spm_int128 a, spm_int128 b)
{
	return a < b ? a : b;
}

/*
 * Grow the path from territory[i]: close it at x (on a cycle), end it at a partner,
 * or pass it on through one.  below and above are the path's room: the sums of its
 * deviations minus lo, and hi minus them.  Trades keep the sum of the deviations of
 * the territories they touch, so a chain or cycle whose room is negative cannot end
 * within [lo, hi], and what a territory passes on, the territories after it must
 * take within their room.
 */
static void
extend_chain(Plan *plan, ChainSearch *s, size_t i, spm_int128 below, spm_int128 above)
{
	Chain	   *c = &s->path;
	size_t		t = c->territory[i];
	spm_int128	x_ends = plan->dev[c->territory[0]] - (i > 0 ? c->net[0] : 0);
	spm_int128	start = plan->dev[t] + (i > 0 ? c->net[i - 1] : 0);
	/* territory[i] ends at start - net, within [lo, hi] */
	spm_int128	low = start - s->hi,
				high = start - s->lo;
	/* the partners after territory[i] take at most this much, and give at most */
	spm_int128	after = (spm_int128) (CHAIN_ARCS - i);
	spm_int128	take = after * s->most_above + (i > 0 && s->cycle ? max128(s->hi - x_ends, 0) : 0);
	spm_int128	give = after * s->most_below + (i > 0 && s->cycle ? max128(x_ends - s->lo, 0) : 0);
	size_t		j;

	/* one trade with x is a move or swap, which improve has tried: two at least */
	if (i > 0 && s->cycle && below >= 0 && above >= 0)
		trade(plan, s, i, c->territory[0], max128(low, s->lo - x_ends),
			  min128(high, s->hi - x_ends), true, 0, 0);
	for (j = 0; j < s->npartners; j++)
	{
		size_t		u = s->partner[j];
		spm_int128	du = plan->dev[u];

		if (on_path(c, i, u))
			continue;
		if (i > 0 && x_ends >= s->lo && x_ends <= s->hi &&
			below + du - s->lo >= 0 && above + s->hi - du >= 0)
			trade(plan, s, i, u, max128(low, s->lo - du), min128(high, s->hi - du), true, 0, 0);
		if (i + 1 == CHAIN_ARCS ||
			below + du - s->lo + (after - 1) * s->most_below < 0 ||
			above + s->hi - du + (after - 1) * s->most_above < 0)
			continue;
		if (i == 0)
			s->cycle = list_length(plan, t) <= CYCLE_ACCOUNTS + 1 &&
				list_length(plan, u) <= CYCLE_ACCOUNTS + 1;
		/* whatever x gives a cycle comes back: its first trade may be any of x's */
		if (i == 0 && s->cycle)
			trade(plan, s, i, u, -(spm_int128) plan->k * plan->total,
				  (spm_int128) plan->k * plan->total, false, below + du - s->lo,
				  above + s->hi - du);
		else
			trade(plan, s, i, u, max128(low, -give), min128(high, take), false,
				  below + du - s->lo, above + s->hi - du);
	}
}

/*
 * The deviations a territory on a chain from x may end at: those strictly nearer the
 * mean than dx, x's (all are congruent to it modulo k), from lo to hi; and the least
 * |deviation| among them.  False when there are none.
 */
static bool
chain_bounds(ChainSearch *s, spm_int128 dx, spm_int128 k)
{
	/* the multiple of k from dx that stays farthest inside |dx| on the other side */
	spm_int128	far = (2 * abs128(dx) - 1) / k * k;
	spm_int128	below;			/* the one at or below the mean nearest it, or lo */

	s->lo = dx > 0 ? dx - far : dx + k;
	s->hi = dx > 0 ? dx - k : dx + far;
	below = s->lo < 0 ? s->lo + -s->lo / k * k : s->lo;
	s->nearest = below + k <= s->hi && below + k < -below ? below + k : abs128(below);
	return s->lo <= s->hi;
}

/* x's first CHAIN_PARTNERS unsettled partners in standing order (set by improve). */
static void
chain_partners(const Plan *plan, size_t x, ChainSearch *s)
{
	size_t		t;

	for (t = 0; t < plan->k && s->npartners < CHAIN_PARTNERS; t++)
	{
		size_t		u = plan->standing[t].index;

		if (u == x || plan->settled[u])
			continue;
		s->partner[s->npartners++] = u;
		s->most_below = max128(s->most_below, plan->dev[u] - s->lo);
		s->most_above = max128(s->most_above, s->hi - plan->dev[u]);
	}
}

/* Make the best chain or cycle from x through its partners; false when there is none. */
static bool
chain_from(Plan *plan, size_t x)
{
	ChainSearch s;
	size_t		i;

	memset(&s, 0, sizeof(s));
	if (!chain_bounds(&s, plan->dev[x], (spm_int128) plan->k))
		return false;			/* no territory can end nearer the mean than x is */
	chain_partners(plan, x, &s);
	s.path.territory[0] = x;
	plan->chain_steps = 0;
	extend_chain(plan, &s, 0, plan->dev[x] - s.lo, s.hi - plan->dev[x]);
	if (!s.found)
		return false;
	for (i = 0; i < s.best.arcs; i++)
	{
		if (s.best.give[i] != NOWHERE)
			assign(plan, s.best.give[i], (int32_t) s.best.territory[i + 1]);
		if (s.best.back[i] != NOWHERE)
			assign(plan, s.best.back[i], (int32_t) s.best.territory[i]);
	}
	return true;
}

/*
 * Shrink the deviation of territory x, the farthest from the mean, by a move to or
 * from an unsettled territory, those farthest on the other side first; failing
 * that, by a swap, in the same order; failing that (with chains), by a chain or cycle.
 */
static bool
improve(Plan *plan, size_t x)
{
	bool		above = plan->dev[x] > 0;
	size_t		t;
	int			pass;

	for (t = 0; t < plan->k; t++)
	{
		plan->standing[t].dev = above ? -plan->dev[t] : plan->dev[t];
		plan->standing[t].index = t;
	}
	qsort(plan->standing, plan->k, sizeof(Standing), compare_standing);
	for (pass = 0; pass < 2; pass++)
		for (t = 0; t < plan->k; t++)
		{
			size_t		partner = plan->standing[t].index;

			if (partner == x || plan->settled[partner])
				continue;
			if (above ? level_pair(plan, x, partner, pass == 1)
				: level_pair(plan, partner, x, pass == 1))
				return true;
		}
	return plan->chains && chain_from(plan, x);
}

/* The unassigned accounts (only the located ones if located) into order, heaviest first. */
static size_t
unassigned_heaviest_first(const Plan *plan, bool located, Ranked *order)
{
	size_t		count = 0;
	size_t		i;

	for (i = 0; i < plan->n; i++)
		if (plan->at[i] < 0 && (!located || plan->accounts[i].located))
		{
			order[count].weight = plan->accounts[i].weight;
			order[count++].index = i;
		}
	qsort(order, count, sizeof(Ranked), compare_ranked_heavy_first);
	return count;
}

/* Place the accounts that have no territory yet, heaviest first, each into the lightest. */
static void
place_largest_first(Plan *plan)
{
	size_t		count = unassigned_heaviest_first(plan, false, plan->bucket);
	size_t		i;

	for (i = 0; i < count; i++)
	{
		spm_poll(plan->poll, i);
		assign(plan, plan->bucket[i].index, (int32_t) lightest(plan));
	}
}

/*
 * The territory holding located accounts whose centroid is nearest account i, among
 * those it fits in (stays at or below the mean); NOWHERE when it fits in none.
 */
static size_t
nearest_with_room(const Plan *plan, size_t i)
{
	spm_int128	kw = (spm_int128) plan->k * plan->accounts[i].weight;
	size_t		best = NOWHERE;
	double		best_distance = 0;
	size_t		t;

	for (t = 0; t < plan->k; t++)
		if (plan->located[t] > 0 && plan->dev[t] + kw <= 0 &&
			(best == NOWHERE || distance_to(plan, i, t) < best_distance))
		{
			best = t;
			best_distance = distance_to(plan, i, t);
		}
	return best;
}

/*
 * Where territories already hold located accounts, place each located unassigned
 * account, heaviest first, into the nearest of them it fits in; the others wait.  An
 * account of weight zero fits anywhere, so it waits too: the nearest territory would
 * take every one.
 */
static bool
place_near(Plan *plan)
{
	bool		placed = false;
	size_t		count,
				i,
				t;

	for (t = 0; t < plan->k && plan->located[t] == 0; t++)
		;
	if (t == plan->k)
		return false;			/* no territory has a centroid yet */
	count = unassigned_heaviest_first(plan, true, plan->bucket);
	for (i = 0; i < count && plan->accounts[plan->bucket[i].index].weight > 0; i++)
	{
		size_t		best;

		spm_poll(plan->poll, i);
		best = nearest_with_room(plan, plan->bucket[i].index);

		if (best != NOWHERE)
			assign(plan, plan->bucket[i].index, (int32_t) best);
		placed |= best != NOWHERE;
	}
	return placed;
}

/* The room of territories room[0..count-1] together. */
static spm_int128
total_room(const Standing *room, size_t count)
{
	spm_int128	sum = 0;
	size_t		t;

	for (t = 0; t < count; t++)
		sum += room[t].dev;
	return sum;
}

/*
 * Sort accounts order[0..count-1] west to east, or south to north when their extent
 * is taller than wide (longitude scaled by cos(latitude)); the lower index first on
 * ties.
 */
static void
sort_along_longer_side(const Plan *plan, Ranked *order, size_t count)
{
	double		lat_min = 90,
				lat_max = -90,
				lon_min = 180,
				lon_max = -180;
	bool		wide;
	size_t		i;

	for (i = 0; i < count; i++)
	{
		const SpmAccount *a = &plan->accounts[order[i].index];

		lat_min = a->lat < lat_min ? a->lat : lat_min;
		lat_max = a->lat > lat_max ? a->lat : lat_max;
		lon_min = a->lon < lon_min ? a->lon : lon_min;
		lon_max = a->lon > lon_max ? a->lon : lon_max;
	}
	wide = (lon_max - lon_min) * cos_latitude((lat_min + lat_max) / 2) > lat_max - lat_min;
	/* a coordinate as an exact integer key: micro-degrees are far finer than any address */
	for (i = 0; i < count; i++)
	{
		const SpmAccount *a = &plan->accounts[order[i].index];

		order[i].weight = (int64_t) ((wide ? a->lon + 180 : a->lat + 90) * 1e6);
	}
	qsort(order, count, sizeof(Ranked), compare_ranked);
}

/*
 * Split accounts order[0..count-1] among territories room[0..nroom-1] by recursive
 * coordinate bisection: the first half of the territories gets the accounts on the
 * west (or south) side of the cut that gives it its share of the weight in proportion
 * to its room (an account goes where the middle of its weight falls); each side is
 * split again.  by_count: every account and every room counts 1.
 */
static void
bisect(Plan *plan, Ranked *order, size_t count, const Standing *room, size_t nroom,
	   bool by_count)
{
	spm_int128	k = (spm_int128) plan->k;
	size_t		half = nroom / 2;
	spm_int128	first = total_room(room, half),
				rooms = first + total_room(room + half, nroom - half),
				measure = 0,
				before = 0;
	size_t		i,
				cut;

	/* each call sorts its accounts: poll on every one */
	if (plan->poll)
		plan->poll();
	if (nroom == 1)
	{
		for (i = 0; i < count; i++)
			assign(plan, order[i].index, (int32_t) room[0].index);
		return;
	}
	for (i = 0; i < count; i++)
		measure += by_count ? 1 : k * plan->accounts[order[i].index].weight;
	sort_along_longer_side(plan, order, count);
	for (cut = 0; cut < count; cut++)
	{
		spm_int128	m = by_count ? 1 : k * plan->accounts[order[cut].index].weight;

		if (product_le(2 * first, measure, 2 * before + m, rooms))
			break;
		before += m;
	}
	bisect(plan, order, cut, room, half, by_count);
	bisect(plan, order + cut, count - cut, room + half, nroom - half, by_count);
}

/*
 * Split the located unassigned accounts among the territories that hold no located
 * account and have room below the mean, in proportion to their room, into compact
 * regions (bisect).  All weights zero: equal counts among all such territories.
 */
static bool
place_in_regions(Plan *plan)
{
	Ranked	   *order = plan->bucket;
	Standing   *room = plan->standing;
	size_t		count = 0,
				nroom = 0,
				i;
	bool		by_count = true;

	for (i = 0; i < plan->n; i++)
		if (plan->at[i] < 0 && plan->accounts[i].located)
		{
			order[count++].index = i;
			by_count &= plan->accounts[i].weight == 0;
		}
	for (i = 0; i < plan->k; i++)
		if (plan->located[i] == 0 && (by_count || plan->dev[i] < 0))
		{
			room[nroom].dev = by_count ? 1 : -plan->dev[i];
			room[nroom++].index = i;
		}
	if (count == 0 || nroom == 0)
		return false;
	bisect(plan, order, count, room, nroom, by_count);
	return true;
}

/*
 * Place the accounts that have no territory.  With by_place, first near the
 * territories that have located accounts, then in compact regions into those that
 * have none; whatever is left goes largest first into the lightest territory.
 * True when coordinates placed any.
 */
static bool
place_unassigned(Plan *plan, bool by_place)
{
	bool		near = by_place && place_near(plan);
	bool		regions = by_place && place_in_regions(plan);

	place_largest_first(plan);
	return near || regions;
}

/*
 * May territory t end at deviation dev when an account goes home?  Within what the
 * unsettled territories reached, or the band, or (settled) no farther than now.
 */
static bool
may_end_at(const Plan *plan, size_t t, spm_int128 dev, spm_int128 reached)
{
	return abs128(dev) <= reached || within_band(plan, dev) ||
		(plan->settled[t] && abs128(dev) <= abs128(plan->dev[t]));
}

/* Send moved accounts home wherever both territories stay within reach of the result. */
static void
send_home(Plan *plan)
{
	size_t		x = farthest(plan);
	spm_int128	reached = x == NOWHERE ? 0 : abs128(plan->dev[x]);
	bool		changed = true;

	while (changed)
	{
		size_t		i;

		changed = false;
		for (i = 0; i < plan->n; i++)
		{
			int32_t		home = plan->accounts[i].current;
			int32_t		now = plan->at[i];
			spm_int128	kw = (spm_int128) plan->k * plan->accounts[i].weight;

			spm_poll(plan->poll, i);
			if (home < 0 || now == home ||
				!may_end_at(plan, now, plan->dev[now] - kw, reached) ||
				!may_end_at(plan, home, plan->dev[home] + kw, reached))
				continue;
			assign(plan, i, home);
			changed = true;
		}
	}
}

/* Accounts the core can assign: weights >= 0, territories below k, locked ones placed. */
static SpmTerritoryStatus
check_accounts(const SpmAccount *accounts, size_t n, size_t k)
{
	size_t		i;

	if (k == 0)
		return SPM_TERRITORY_NO_TERRITORIES;
	for (i = 0; i < n; i++)
	{
		const SpmAccount *a = &accounts[i];

		if (a->weight < 0)
			return SPM_TERRITORY_NEGATIVE;
		if (a->current >= 0 && (size_t) a->current >= k)
			return SPM_TERRITORY_BAD_TERRITORY;
		if (a->locked && a->current < 0)
			return SPM_TERRITORY_LOCKED_UNASSIGNED;
	}
	return SPM_TERRITORY_OK;
}

/*
 * Place, improve and send home into proposed, with a plan in workspace; by_place:
 * place unassigned accounts by their coordinates; chains: improve by chains and cycles
 * too.  True when coordinates placed any.
 */
static bool
propose(Plan *plan, const SpmAccount *accounts, size_t n, size_t k,
		const SpmAssignOptions *options, void *workspace, int32_t *proposed, bool by_place,
		bool chains)
{
	bool		placed;
	size_t		i,
				round,
				rounds;

	memset(plan, 0, sizeof(*plan));
	plan->accounts = accounts;
	plan->n = n;
	plan->k = k;
	plan->at = proposed;
	plan->max_moves = options->max_moves;
	plan->tol_num = options->tol_num;
	plan->tol_den = options->tol_den;
	plan->poll = options->poll;
	plan->chains = chains;
	plan->chain_budget = CHAIN_BUDGET + 8 * n;
	plan_layout(plan, workspace);
	for (i = 0; i < n; i++)
	{
		plan->compact |= accounts[i].located;
		plan->total += accounts[i].weight;
		proposed[i] = -1;
		if (!accounts[i].locked && accounts[i].weight > 0)
		{
			plan->movable[plan->nmovable].weight = accounts[i].weight;
			plan->movable[plan->nmovable++].index = i;
		}
	}
	/* deviations are k * load - total: every territory starts empty at -total */
	for (i = 0; i < k; i++)
		plan->dev[i] = -plan->total;
	for (i = 0; i < n; i++)
		if (accounts[i].current >= 0)
			assign(plan, i, accounts[i].current);
	qsort(plan->movable, plan->nmovable, sizeof(Ranked), compare_ranked);
	placed = place_unassigned(plan, by_place && plan->compact);
	/* from here on until the accounts go home, assign keeps bucket grouped */
	group_by_territory(plan);
	plan->grouped = true;

	/*
	 * Every round shrinks the sorted deviations of the unsettled territories or
	 * settles one; the cap is a safety net.
	 */
	rounds = 4 * (n + k) + 1000;
	for (round = 0; round < rounds; round++)
	{
		size_t		x = farthest(plan);

		/*
		 * a round costs O(k log k) and the shifts of bucket, a chain search its budget:
		 * poll on every one
		 */
		if (plan->poll)
			plan->poll();
		if (x == NOWHERE || plan->dev[x] == 0 || within_band(plan, plan->dev[x]))
			break;
		if (!improve(plan, x))
			plan->settled[x] = true;
	}
	plan->grouped = false;
	send_home(plan);
	return placed;
}

/* The larger first. */
static int
compare_int128_descending(const void *a, const void *b)
{
	spm_int128	x = *(const spm_int128 *) a;
	spm_int128	y = *(const spm_int128 *) b;

	return (x < y) - (x > y);
}

/* The plan's deviations into balance, farthest first, those within the band as 0. */
static void
sorted_deviations(const Plan *plan, spm_int128 *balance)
{
	size_t		t;

	for (t = 0; t < plan->k; t++)
		balance[t] = within_band(plan, plan->dev[t]) ? 0 : abs128(plan->dev[t]);
	qsort(balance, plan->k, sizeof(spm_int128), compare_int128_descending);
}

/* Is sorted deviations a (with a_moves) strictly better than b (with b_moves)? */
static bool
better_balanced(const spm_int128 *a, int64_t a_moves, const spm_int128 *b, int64_t b_moves,
				size_t k)
{
	size_t		t;

	for (t = 0; t < k; t++)
		if (a[t] != b[t])
			return a[t] < b[t];
	return a_moves < b_moves;
}

/*
 * Take the plan's proposal, plain, instead of proposed if it ends strictly better
 * balanced, or as well with fewer moves.  kept holds proposed's sorted deviations and
 * *kept_moves its moves; other is room for k more.
 */
static void
keep_better(const Plan *plan, int32_t *proposed, const int32_t *plain, spm_int128 *kept,
			int64_t *kept_moves, spm_int128 *other)
{
	sorted_deviations(plan, other);
	if (!better_balanced(other, plan->moves, kept, *kept_moves, plan->k))
		return;
	memcpy(proposed, plain, sizeof(int32_t) * plan->n);
	memcpy(kept, other, sizeof(spm_int128) * plan->k);
	*kept_moves = plan->moves;
}

/* Does the exhaustive search take the problem (SPM_EXACT_MAX_ACCOUNTS, _TERRITORIES)? */
static bool
fits_exact(const SpmAccount *accounts, size_t n, size_t k)
{
	size_t		movable = 0,
				i;

	for (i = 0; i < n && movable <= SPM_EXACT_MAX_ACCOUNTS; i++)
		movable += !accounts[i].locked && accounts[i].weight > 0;
	return k <= SPM_EXACT_MAX_TERRITORIES && movable <= SPM_EXACT_MAX_ACCOUNTS;
}

SpmTerritoryStatus
spm_assign(const SpmAccount *accounts, size_t n, size_t k,
		   const SpmAssignOptions *options, void *workspace, int32_t *proposed)
{
	SpmTerritoryStatus status = check_accounts(accounts, n, k);
	Plan		plan;
	char	   *extra = (char *) workspace + plan_workspace(n, k);
	int32_t    *plain = (int32_t *) extra;
	spm_int128 *kept = (spm_int128 *) (extra + aligned(sizeof(int32_t) * n));
	spm_int128 *other = kept + aligned(sizeof(spm_int128) * k) / sizeof(spm_int128);
	int64_t		moves,
				exact_moves;
	bool		small;

	if (status != SPM_TERRITORY_OK)
		return status;
	small = fits_exact(accounts, n, k);
	if (propose(&plan, accounts, n, k, options, workspace, proposed, true, !small))
	{
		/*
		 * Placing by coordinates starts the local search elsewhere: keep its proposal
		 * unless largest first ends strictly better balanced, or as well with fewer moves.
		 */
		sorted_deviations(&plan, kept);
		moves = plan.moves;
		propose(&plan, accounts, n, k, options, workspace, plain, false, !small);
		keep_better(&plan, proposed, plain, kept, &moves, other);
	}
	else
	{
		sorted_deviations(&plan, kept);
		moves = plan.moves;
	}
	if (!small || kept[0] == 0)
		return SPM_TERRITORY_OK;

	/*
	 * A small problem with a territory still outside the band goes to the exhaustive
	 * search, which finds a perfect split with few moves; if it finds none, the local
	 * search runs again from largest-first placement, with chains and cycles.
	 */
	if (spm_assign_exact(accounts, n, k, options->max_moves, options->poll, plain, &exact_moves))
	{
		memcpy(proposed, plain, sizeof(int32_t) * n);
		return SPM_TERRITORY_OK;
	}
	propose(&plan, accounts, n, k, options, workspace, plain, false, true);
	keep_better(&plan, proposed, plain, kept, &moves, other);
	return SPM_TERRITORY_OK;
}
