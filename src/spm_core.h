/*
 * spm_core.h: what every plain-C core of spm shares.
 *
 * The cores (src/<name>_core.c) hold spm's math with no backend calls, so that unit tests
 * (test/unit/) and fuzzers drive them outside the server under ASan and UBSan.  They
 * take plain values, return a status code of their own header's enum, and never
 * allocate behind the caller's back: the glue (src/<area>.c) passes any scratch space
 * and turns statuses into ereport.  Only this header is common to all of them.
 */
#ifndef SPM_CORE_H
#define SPM_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Exact money in the cores is a 128-bit count of units of some decimal scale.  It is
 * 8-byte aligned, as palloc and malloc'd arrays of it may be (like PostgreSQL's int128).
 */
typedef __int128 spm_int128 __attribute__((aligned(8)));

/*
 * Loops whose length grows with the input call back every SPM_POLL_EVERY steps, so
 * that the glue can let the backend act on a cancel or a statement timeout
 * (CHECK_FOR_INTERRUPTS, which may not return) without the core knowing the backend.
 * NULL checks nothing, as in the unit tests.  Whatever a core holds when the callback
 * does not return is the caller's memory: nothing leaks.
 */
typedef void (*SpmPoll) (void);

#define SPM_POLL_EVERY 4096

/* Call poll (if any) on every SPM_POLL_EVERY-th step of a loop. */
static inline void
spm_poll(SpmPoll poll, size_t step)
{
	if (poll != NULL && step % SPM_POLL_EVERY == 0)
		poll();
}

#endif
