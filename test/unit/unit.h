/*
 * unit.h: the few lines every unit test of spm's plain-C core shares.
 * Each check prints one TAP line; main ends with done().
 */
#ifndef SPM_UNIT_H
#define SPM_UNIT_H

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

static int
done(void)
{
	printf("1..%d\n", checks);
	return failures != 0;
}

#endif
