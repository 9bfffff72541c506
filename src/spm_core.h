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

#endif
