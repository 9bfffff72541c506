/*
 * unit.h: the few lines every unit test of spm's plain-C core shares.
 * Each check prints one TAP line; main ends with done().
 */
#ifndef SPM_UNIT_H
#define SPM_UNIT_H

#include <stdint.h>
#include <stdio.h>

static int	checks = 0;
static int	failures = 0;

static void
check(int ok, const char *what)
{
	checks++;
	if (!ok)
		failures++;
	printf("%sok %d - %s\n", ok ? "" : "not ", checks, what);
}

/* xorshift: deterministic pseudo-random numbers, the same sequence on every run */
static uint64_t seed = 88172645463325252ULL;

static inline uint64_t
next_random(void)
{
	seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
	return seed;
}

static inline int64_t
random_between(int64_t lo, int64_t hi)
{
	return lo + (int64_t) (next_random() % (uint64_t) (hi - lo + 1));
}

static int
done(void)
{
	printf("1..%d\n", checks);
	return failures != 0;
}

#endif
