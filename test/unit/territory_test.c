/*
 * Unit tests of the plain-C territory core (balance scores, balanced assignment),
 * run outside the server by test/run.  Prints one TAP line per check.
 */
#include <stdlib.h>
#include <string.h>

#include "territory_core.h"
#include "unit.h"

/* How often the core called back, as the glue's interrupt check would be called. */
static long polls = 0;

static void
count_poll(void)
{
	polls++;
}

/* Assign with a workspace that is 8-byte but not 16-byte aligned, as palloc may give. */
static SpmTerritoryStatus
assign(const SpmAccount *accounts, size_t n, size_t k, int64_t max_moves,
	   int64_t tol_num, int64_t tol_den, int32_t *proposed)
{
	SpmAssignOptions options = {max_moves, tol_num, tol_den, count_poll};
	char	   *raw = malloc(spm_assign_workspace(n, k) + 24);
	char	   *workspace = raw + ((uintptr_t) raw % 16 == 0 ? 8 : 0);
	SpmTerritoryStatus status = spm_assign(accounts, n, k, &options, workspace, proposed);

	free(raw);
	return status;
}

/* Accounts with these weights and no current territory. */
static SpmAccount *
unassigned(const int64_t *weights, size_t n)
{
	SpmAccount *accounts = calloc(n, sizeof(SpmAccount));
	size_t		i;

	for (i = 0; i < n; i++)
	{
		accounts[i].weight = weights[i];
		accounts[i].current = -1;
	}
	return accounts;
}

/* The largest |k * load - total| of a proposal. */
static spm_int128
largest_gap(const SpmAccount *accounts, size_t n, size_t k, const int32_t *proposed)
{
	spm_int128	loads[64] = {0};
	spm_int128	total = 0,
				worst = 0;
	size_t		i;

	for (i = 0; i < n; i++)
	{
		loads[proposed[i]] += accounts[i].weight;
		total += accounts[i].weight;
	}
	for (i = 0; i < k; i++)
	{
		spm_int128	gap = (spm_int128) k * loads[i] - total;

		if ((gap < 0 ? -gap : gap) > worst)
			worst = gap < 0 ? -gap : gap;
	}
	return worst;
}

static int64_t
moves(const SpmAccount *accounts, size_t n, const int32_t *proposed)
{
	int64_t		moved = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		moved += accounts[i].current >= 0 && proposed[i] != accounts[i].current;
	return moved;
}

static void
test_balance(void)
{
	/* hand-computed: mean 4; sum of |xi - xj| over ordered pairs 80, so Gini = 80 / (2 * 25 * 4) */
	int64_t		values[] = {10, 3, 1, 4, 2};
	int64_t		one[] = {7};
	int64_t		zeros[] = {0, 0, 0};
	int64_t		negative[] = {1, -1};
	int64_t		huge[] = {INT64_MAX, INT64_MAX};
	SpmBalance	b;

	check(spm_balance(values, 5, &b) == SPM_TERRITORY_OK, "balance of 1,2,3,4,10");
	check(values[0] == 1 && values[4] == 10, "values come back sorted");
	check(b.n == 5 && b.sum == 20 && b.min == 1 && b.max == 10, "count, sum, min, max");
	check(b.gini == 40, "Gini numerator 40: Gini = 40 / (5 * 20) = 0.4");
	check(b.spread == 250, "spread 5 * 130 - 400 = 250: CV = sqrt(250) / 20");
	check(b.max_gap == 30, "largest gap |5 * 10 - 20| = 30: relative deviation 1.5");
	check(spm_balance_within(values, 5, b.sum, 1, 2) == 3, "3 values within +-50% of the mean (2, 3, 4)");
	check(spm_balance_within(values, 5, b.sum, 0, 1) == 1, "1 value exactly at the mean");
	check(spm_balance(one, 1, &b) == SPM_TERRITORY_OK && b.gini == 0 && b.spread == 0 &&
		  b.max_gap == 0, "a single territory is perfectly balanced");
	check(spm_balance(zeros, 3, &b) == SPM_TERRITORY_OK && b.sum == 0 && b.gini == 0 &&
		  b.spread == 0 && b.max_gap == 0, "all zero: every numerator is zero");
	check(spm_balance(negative, 2, &b) == SPM_TERRITORY_NEGATIVE, "a negative value is refused");
	check(spm_balance(huge, 2, &b) == SPM_TERRITORY_OVERFLOW, "sum of squares beyond 128 bits is reported");
	check(spm_balance_within(huge, 2, (spm_int128) INT64_MAX * 2, INT64_MAX, 1) == 2,
		  "the band test does not overflow");
}

static void
test_perfect_split(void)
{
	/* largest first gives 17 / 13; a swap of 8 for 6 finds 15 / 15 */
	int64_t		weights[] = {8, 7, 6, 5, 4};
	int64_t		ones[60];
	SpmAccount *accounts = unassigned(weights, 5);
	SpmAccount *sixty;
	int32_t		proposed[60];
	int32_t		again[60];
	size_t		i;

	/* 1..60 (1830) splits into six territories of 305 */
	for (i = 0; i < 60; i++)
		ones[i] = (int64_t) i + 1;
	sixty = unassigned(ones, 60);
	check(assign(accounts, 5, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 5, 2, proposed) == 0, "8,7,6,5,4 split into two 15s");
	check(assign(sixty, 60, 6, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(sixty, 60, 6, proposed) == 0, "1..60 split into six 305s");
	check(assign(sixty, 60, 6, -1, 0, 1, again) == SPM_TERRITORY_OK &&
		  memcmp(proposed, again, sizeof(proposed)) == 0, "the same input gives the same proposal");
	/*
	 * from blocks of ten (55, 155, ... 555) moves and swaps between two territories stop
	 * within 2 of 305; the exhaustive search for small problems finds the perfect split
	 */
	for (i = 0; i < 60; i++)
		sixty[i].current = (int32_t) (i / 10);
	check(assign(sixty, 60, 6, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(sixty, 60, 6, proposed) == 0,
		  "1..60 in blocks of ten: the perfect split, 305 each");
	free(accounts);
	free(sixty);
}

static void
test_current_and_locked(void)
{
	/* everything (200) starts in territory 0; account 0 (60) is locked there */
	int64_t		weights[] = {60, 40, 30, 20, 10, 10, 10, 10, 10};
	SpmAccount *accounts = unassigned(weights, 9);
	int32_t		proposed[9];
	size_t		i;

	for (i = 0; i < 9; i++)
		accounts[i].current = 0;
	accounts[0].locked = true;
	check(assign(accounts, 9, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK,
		  "rebalance 200 from one territory into two");
	check(proposed[0] == 0, "the locked account stays");
	check(largest_gap(accounts, 9, 2, proposed) == 0, "the split is 100 / 100");
	check(moves(accounts, 9, proposed) == 4, "with the fewest moves: 40 + 30 + 20 + 10");
	check(assign(accounts, 9, 2, 1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  moves(accounts, 9, proposed) == 1 && largest_gap(accounts, 9, 2, proposed) == 120,
		  "a limit of one move is kept: the best single move (40) gives 160 / 40");
	/* tolerance 25%: mean 100, stop once both are within 75..125 */
	check(assign(accounts, 9, 2, -1, 1, 4, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 9, 2, proposed) <= 50 && moves(accounts, 9, proposed) == 3,
		  "a 25% band is reached with three moves (110 / 90) and moving stops");
	accounts[1].locked = true;
	check(assign(accounts, 9, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[0] == 0 && proposed[1] == 0 && largest_gap(accounts, 9, 2, proposed) == 0,
		  "with 60 and 40 locked together the rest moves: 100 / 100");
	accounts[2].current = -1;
	accounts[2].locked = true;
	check(assign(accounts, 9, 2, -1, 0, 1, proposed) == SPM_TERRITORY_LOCKED_UNASSIGNED,
		  "a locked account without a territory is refused");
	accounts[2].locked = false;
	accounts[2].current = 2;
	check(assign(accounts, 9, 2, -1, 0, 1, proposed) == SPM_TERRITORY_BAD_TERRITORY,
		  "a current territory out of range is refused");
	accounts[2].current = 0;
	accounts[2].weight = -1;
	check(assign(accounts, 9, 2, -1, 0, 1, proposed) == SPM_TERRITORY_NEGATIVE,
		  "a negative weight is refused");
	check(assign(accounts, 9, 0, -1, 0, 1, proposed) == SPM_TERRITORY_NO_TERRITORIES,
		  "zero territories are refused");
	free(accounts);
}

static void
test_edges(void)
{
	int64_t		weights[] = {5, 3, 1};
	int64_t		zeros[] = {0, 0, 0, 0};
	SpmAccount *accounts = unassigned(weights, 3);
	SpmAccount *none = unassigned(zeros, 4);
	int32_t		proposed[4];

	check(assign(accounts, 3, 5, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[0] == 0 && proposed[1] == 1 && proposed[2] == 2,
		  "more territories than accounts: one account each, in the first territories");
	check(assign(none, 4, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[0] == 0 && proposed[1] == 1 && proposed[2] == 0 && proposed[3] == 1,
		  "zero weights are spread by account count");
	check(assign(none, 0, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK, "no accounts is fine");
	/* placing an account that has no territory is not a move: a limit of 0 still places it */
	accounts[0].current = 0;
	accounts[1].current = 0;
	check(assign(accounts, 3, 2, 0, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[0] == 0 && proposed[1] == 0 && proposed[2] == 1,
		  "with no moves allowed, assigned accounts stay and the unassigned one is placed");
	free(accounts);
	free(none);
}

/* With coordinates and a band, the account moved is the one nearest the taker. */
static void
test_compact(void)
{
	int64_t		weights[] = {10, 10, 10, 10, 10, 10};
	SpmAccount *accounts = unassigned(weights, 6);
	int32_t		proposed[6];
	double		lon[] = {0, 1, 2, 9, 10, 20};
	size_t		i;

	/* territory 0 holds five accounts on the equator, territory 1 one at longitude 20 */
	for (i = 0; i < 6; i++)
	{
		accounts[i].current = i < 5 ? 0 : 1;
		accounts[i].located = true;
		accounts[i].lon = lon[i];
	}
	check(assign(accounts, 6, 2, -1, 1, 10, proposed) == SPM_TERRITORY_OK &&
		  moves(accounts, 6, proposed) == 2 && proposed[4] == 1 && proposed[3] == 1,
		  "the accounts nearest territory 1 move there (longitudes 10 and 9)");
	/* at tolerance 0 every account of 10 levels the pair equally well: the nearest moves */
	check(assign(accounts, 6, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 6, 2, proposed) == 0 && moves(accounts, 6, proposed) == 2 &&
		  proposed[4] == 1 && proposed[3] == 1,
		  "at tolerance 0 too, of equally good moves the nearest is taken");
	free(accounts);
}

/* Accounts with these weights, no current territory, at (lat[i], lon[i]). */
static SpmAccount *
located(const int64_t *weights, const double *lat, const double *lon, size_t n)
{
	SpmAccount *accounts = unassigned(weights, n);
	size_t		i;

	for (i = 0; i < n; i++)
	{
		accounts[i].located = true;
		accounts[i].lat = lat[i];
		accounts[i].lon = lon[i];
	}
	return accounts;
}

/* Account i's cluster: a different one for each account of a weight group of four. */
static int
cluster_of(size_t i)
{
	return (int) ((i + i / 4) % 4);
}

/* How many territories hold accounts of one cluster only. */
static int
pure_territories(const int32_t *proposed, size_t n, size_t k)
{
	int			pure = 0;
	size_t		t,
				i;

	for (t = 0; t < k; t++)
	{
		int			cluster = -1;
		bool		mixed = false;

		for (i = 0; i < n; i++)
			if ((size_t) proposed[i] == t)
			{
				mixed |= cluster >= 0 && cluster != cluster_of(i);
				cluster = cluster_of(i);
			}
		pure += cluster >= 0 && !mixed;
	}
	return pure;
}

/* From scratch with coordinates: four clusters far apart become four territories. */
static void
test_clusters(void)
{
	int64_t		weights[40];
	double		lat[40],
				lon[40];
	SpmAccount *accounts,
			   *shuffled;
	int32_t		proposed[40],
				again[40];
	size_t		i;
	bool		same = true;

	/* clusters around (0, 0), (0, 40), (40, 0) and (40, 40), each with weights 1..10 */
	for (i = 0; i < 40; i++)
	{
		weights[i] = (int64_t) (i / 4) + 1;
		lat[i] = (cluster_of(i) >= 2) * 40.0 + (double) (i / 4 % 3) * 0.1;
		lon[i] = (cluster_of(i) % 2) * 40.0 + (double) (i / 12) * 0.1;
	}
	accounts = located(weights, lat, lon, 40);
	check(assign(accounts, 40, 4, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 40, 4, proposed) == 0 && pure_territories(proposed, 40, 4) == 4,
		  "four clusters of 55 far apart: each territory is exactly one cluster");
	/* the same accounts in another order (i -> 7i mod 40) get the same territories */
	shuffled = calloc(40, sizeof(SpmAccount));
	for (i = 0; i < 40; i++)
		shuffled[i * 7 % 40] = accounts[i];
	check(assign(shuffled, 40, 4, -1, 0, 1, again) == SPM_TERRITORY_OK, "shuffled clusters");
	for (i = 0; i < 40; i++)
		same &= again[i * 7 % 40] == proposed[i];
	check(same, "the territories depend on where accounts are, not on their order");
	for (i = 0; i < 40; i++)
		accounts[i].located = false;
	check(assign(accounts, 40, 4, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 40, 4, proposed) == 0 && pure_territories(proposed, 40, 4) < 4,
		  "without coordinates the same split mixes the clusters");
	/* rebalancing from a scattered start keeps locked accounts and the move limit */
	for (i = 0; i < 40; i++)
	{
		accounts[i].located = true;
		accounts[i].current = (int32_t) (i / 10);
		accounts[i].locked = i % 9 == 0;
	}
	check(assign(accounts, 40, 4, 3, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  moves(accounts, 40, proposed) <= 3 && proposed[0] == 0 && proposed[9] == 0 &&
		  proposed[18] == 1 && proposed[27] == 2 && proposed[36] == 3,
		  "with coordinates, locked accounts stay and at most max_moves accounts move");
	free(accounts);
	free(shuffled);
}

/* Placing with coordinates next to territories that already have located accounts. */
static void
test_placement(void)
{
	int64_t		six[] = {10, 10, 5, 5, 5, 5};
	double		lat6[] = {0, 0, 0, 0, 0, 0};
	double		lon6[] = {0, 50, 1, 2, 48, 49};
	int64_t		eight[] = {5, 16, 17, 6, 10, 4, 14, 2};
	double		lat8[] = {3, 30, 17, 2, 49, 21, 27, 7};
	double		lon8[] = {24, 31, 49, 32, 41, 34, 17, 38};
	int64_t		zeros[] = {0, 0, 0, 0};
	double		lon4[] = {0, 50, 1, 51};
	SpmAccount *accounts = located(six, lat6, lon6, 6);
	int32_t		proposed[8];

	/* territory 0 at longitude 0 and territory 1 at 50 hold 10 each; four new accounts of 5 */
	accounts[0].current = 0;
	accounts[1].current = 1;
	check(assign(accounts, 6, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[2] == 0 && proposed[3] == 0 && proposed[4] == 1 && proposed[5] == 1 &&
		  moves(accounts, 6, proposed) == 0,
		  "unassigned accounts go to the nearest territory with room");
	free(accounts);
	/* 74 into three: from the regions the search stops at 26 / 24 / 24 */
	accounts = located(eight, lat8, lon8, 8);
	check(assign(accounts, 8, 3, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(accounts, 8, 3, proposed) == 2,
		  "coordinates never cost balance: largest first's 25 / 25 / 24 is kept");
	free(accounts);
	accounts = located(zeros, lat6, lon4, 4);
	check(assign(accounts, 4, 2, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  proposed[0] == proposed[2] && proposed[1] == proposed[3] && proposed[0] != proposed[1],
		  "zero weights with coordinates: equal counts of neighbours");
	free(accounts);
}

/* A long assignment calls back as it goes, in placement and in improvement. */
static void
test_polls(void)
{
	size_t		n = 50000,
				i;
	int64_t    *weights = malloc(sizeof(int64_t) * n);
	SpmAccount *accounts;
	int32_t    *proposed = malloc(sizeof(int32_t) * n);
	long		placing;

	for (i = 0; i < n; i++)
		weights[i] = 1 + (int64_t) (i * 7919 % 100000);
	accounts = unassigned(weights, n);
	polls = 0;
	assign(accounts, n, 97, -1, 0, 1, proposed);
	placing = polls;
	for (i = 0; i < n; i++)
		accounts[i].current = (int32_t) (i % 97);
	polls = 0;
	assign(accounts, n, 97, -1, 0, 1, proposed);
	check(placing >= (long) (n / SPM_POLL_EVERY) && polls > 0,
		  "a long assignment polls for interrupts while it places and while it improves");
	free(weights);
	free(accounts);
	free(proposed);
}

/* Shuffle weights[0..n-1] and planted[0..n-1] alike. */
static void
shuffle(int64_t *weights, int32_t *planted, size_t n)
{
	size_t		i;

	for (i = n; i > 1; i--)
	{
		size_t		j = (size_t) random_between(0, (int64_t) i - 1);
		int64_t		w = weights[i - 1];
		int32_t		p = planted[i - 1];

		weights[i - 1] = weights[j], planted[i - 1] = planted[j];
		weights[j] = w, planted[j] = p;
	}
}

/* Splits that need accounts rotated through three or more territories. */
static void
test_rotations(void)
{
	int64_t		eight[] = {8, 7, 6, 5, 4, 3, 2, 1};
	int64_t		twelve[] = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1, 4};
	SpmAccount *a = unassigned(eight, 8);
	SpmAccount *b = unassigned(twelve, 12);
	int32_t		proposed[12];
	int			c,
				failures = 0;

	check(assign(a, 8, 3, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(a, 8, 3, proposed) == 0, "8,7,6,5,4,3,2,1 into 3 territories: 12/12/12");
	check(assign(b, 12, 4, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
		  largest_gap(b, 12, 4, proposed) == 0, "10,9,8,7,6,5,4,3,2,1,1,4 into 4 territories: 15 each");
	{
		/* 8,7,6 | 5,4,3 | 2,1 at home (21/12/3): the perfect split moves at least 3 */
		int32_t		homes[] = {0, 0, 0, 1, 1, 1, 2, 2};
		size_t		i;
		int			moved = 0;

		for (i = 0; i < 8; i++)
			a[i].current = homes[i];
		check(assign(a, 8, 3, 2, 0, 1, proposed) == SPM_TERRITORY_OK &&
			  largest_gap(a, 8, 3, proposed) > 0, "with at most 2 moves the perfect split is out of reach");
		for (i = 0; i < 8; i++)
			moved += proposed[i] != homes[i];
		check(moved <= 2, "and the proposal keeps to the move limit");
		check(assign(a, 8, 3, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
			  largest_gap(a, 8, 3, proposed) == 0, "without a limit it is perfect");
	}
	free(a);
	free(b);
	{
		/* 124 into 3 has no perfect split: moves and swaps end 40/42/42 */
		int64_t		no_split[] = {14, 5, 17, 26, 16, 30, 10, 6};
		SpmAccount *d = unassigned(no_split, 8);

		check(assign(d, 8, 3, -1, 0, 1, proposed) == SPM_TERRITORY_OK &&
			  largest_gap(d, 8, 3, proposed) == 2,
			  "without a perfect split, chains and cycles still end 41/42/41");
		free(d);
	}

	/*
	 * Planted perfect splits: k = 2..8 territories of one target, each cut into random
	 * accounts (up to 60 in all), shuffled; from scratch, then from random homes with a
	 * locked account.  Every one ends perfect at tolerance 0, and locked stays locked.
	 */
	for (c = 0; c < 400; c++)
	{
		size_t		k = 2 + c % 7,
					n = 0,
					t,
					i;
		int64_t		weights[60];
		int32_t		planted[60];
		int32_t		out[60];
		int64_t		target = 20 + random_between(0, 80);
		SpmAccount *accounts;

		for (t = 0; t < k; t++)
		{
			int64_t		left = target;

			while (left > 0 && n < 60 - (k - 1 - t))
			{
				int64_t		w = left <= 3 || n + 1 == 60 - (k - 1 - t) ? left : random_between(1, left / 2 + 1);

				weights[n] = w;
				planted[n++] = (int32_t) t;
				left -= w;
			}
			if (left > 0)
				weights[n - 1] += left;
		}
		shuffle(weights, planted, n);
		accounts = unassigned(weights, n);
		if (assign(accounts, n, k, -1, 0, 1, out) != SPM_TERRITORY_OK ||
			largest_gap(accounts, n, k, out) != 0)
			failures++;
		for (i = 0; i < n; i++)
			accounts[i].current = (int32_t) random_between(0, (int64_t) k - 1);
		accounts[0].current = planted[0];
		accounts[0].locked = true;
		if (assign(accounts, n, k, -1, 0, 1, out) != SPM_TERRITORY_OK ||
			largest_gap(accounts, n, k, out) != 0 || out[0] != planted[0])
			failures++;
		free(accounts);
	}
	check(failures == 0, "400 planted perfect splits (k = 2..8, up to 60 accounts) end perfect, from scratch and from random homes with a locked account");
}

/*
 * A planted perfect split too large for the exhaustive search: k territories of one
 * load, each cut into per accounts of 1..2 * scale (the last makes up the load),
 * shuffled into weights[] and planted[] (room for k * per).
 */
static void
planted_split(size_t k, size_t per, int64_t scale, int64_t *weights, int32_t *planted)
{
	int64_t		partial[12] = {0};
	int64_t		load = 0;
	size_t		t,
				j;

	for (t = 0; t < k; t++)
		for (j = 0; j + 1 < per; j++)
		{
			weights[t * per + j] = random_between(1, 2 * scale);
			planted[t * per + j] = (int32_t) t;
			partial[t] += weights[t * per + j];
			load = partial[t] > load ? partial[t] : load;
		}
	load += random_between(1, 2 * scale);
	for (t = 0; t < k; t++)
	{
		weights[t * per + per - 1] = load - partial[t];
		planted[t * per + per - 1] = (int32_t) t;
	}
	shuffle(weights, planted, k * per);
}

/*
 * Rotate one account through each three territories t, t + 1, t + 2 (t = 0, 3, ...) of a
 * planted split: from t to t + 1, from t + 1 to t + 2, from t + 2 to t.  Account 0 stays
 * (the caller locks it).  Returns how many accounts moved.
 */
static int64_t
rotate_threes(SpmAccount *accounts, size_t n, size_t k)
{
	int64_t		moved = 0;
	size_t		t,
				j;

	for (t = 0; t + 3 <= k; t += 3)
	{
		size_t		pick[3];

		for (j = 0; j < 3; j++)
			do
				pick[j] = (size_t) random_between(1, (int64_t) n - 1);
			while (accounts[pick[j]].current != (int32_t) (t + j));
		for (j = 0; j < 3; j++)
			accounts[pick[j]].current = (int32_t) (t + (j + 1) % 3);
		moved += 3;
	}
	return moved;
}

/*
 * Planted perfect splits too large for the exhaustive search (61 to 200 accounts, k =
 * 3..12, accounts of 1..2 * scale), from scratch, and from the split with one account
 * rotated through each three territories and account 0 locked: at least perfect of the
 * 2 * cases proposals end perfect.  Locked accounts stay, max_moves (the rotated
 * accounts) holds, and the same input gives the same proposal.
 */
static void
test_chains(int cases, int64_t scale, int perfect, const char *what)
{
	int			c,
				ended = 0,
				within_limit = 0,
				same = 0,
				stayed = 0;

	for (c = 0; c < cases; c++)
	{
		size_t		k = 3 + c % 10,
					per = ((size_t) random_between(61, 200) + k - 1) / k,
					n = k * per,
					i;
		int64_t		weights[12 * 67];
		int32_t		planted[12 * 67];
		int32_t		out[12 * 67],
					again[12 * 67];
		SpmAccount *accounts;
		int64_t		limit;

		planted_split(k, per, scale, weights, planted);
		accounts = unassigned(weights, n);
		assign(accounts, n, k, -1, 0, 1, out);
		assign(accounts, n, k, -1, 0, 1, again);
		ended += largest_gap(accounts, n, k, out) == 0;
		same += memcmp(out, again, sizeof(int32_t) * n) == 0;
		for (i = 0; i < n; i++)
			accounts[i].current = planted[i];
		accounts[0].locked = true;
		limit = rotate_threes(accounts, n, k);
		assign(accounts, n, k, -1, 0, 1, out);
		ended += largest_gap(accounts, n, k, out) == 0;
		stayed += out[0] == planted[0];
		assign(accounts, n, k, limit, 0, 1, out);
		within_limit += moves(accounts, n, out) <= limit && out[0] == planted[0];
		free(accounts);
	}
	check(ended >= perfect, what);
	check(stayed == cases && within_limit == cases && same == cases,
		  "and locked accounts stay, max_moves holds, the same input gives the same proposal");
}

int
main(void)
{
	test_rotations();
	test_chains(200, 50, 400, "200 planted splits above the exhaustive search's bound (61..200 "
				"accounts, k = 3..12, weights 1..100) end perfect, from scratch and from one "
				"account rotated through each three territories (moves and swaps between two "
				"territories alone: 310 of 400)");
	test_chains(100, 300, 194, "with weights 1..600, 194 of 200 end perfect (moves and swaps "
				"between two territories alone: 73)");
	test_polls();
	test_balance();
	test_perfect_split();
	test_current_and_locked();
	test_edges();
	test_compact();
	test_clusters();
	test_placement();
	return done();
}
