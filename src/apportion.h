/*
 * apportion.h: exact splits for every area's glue, by the largest remainder method of
 * apportion_core.h: on 128-bit integers where the values fit, in numeric arithmetic by
 * the same rule where they do not, so that both give the same parts.
 */
#ifndef SPM_APPORTION_H
#define SPM_APPORTION_H

#include "spm.h"
#include "apportion_core.h"

/*
 * total_units apportioned by weights[0..n-1] (finite and not negative, checked by the
 * caller) into parts[0..n-1]; a NULL weight (nulls[i]) takes no part (0), all-zero
 * weights split evenly, and when every weight is NULL nothing is apportioned.
 */
extern void spm_apportion_by_weights(int64 total_units, const Datum *weights,
									 const bool *nulls, int n, int64 *parts);

/*
 * lines[0..n-1] (finite, checked by the caller; NULL ones take no part) rounded to
 * whole units of 10^-scale, summing exactly to their exact total rounded by mode, as
 * numerics of max(scale, 0) decimals in parts[i] for each non-NULL line.  parts may be
 * lines.
 */
extern void spm_apportion_lines(const Datum *lines, const bool *nulls, int n, int scale,
								SpmRounding mode, Datum *parts);

/*
 * What is apportioned, total (what names it in messages: "total", "amount"), as whole
 * units of 10^-scale, checked: the scale in range, total finite and whole at that
 * scale, and n > 0 parts to give it to (parts names them, e.g. "weights").  hint shows
 * how to pass the parts.
 */
extern int64 spm_apportion_total(Numeric total, int scale, const char *what, int n,
								 const char *parts, const char *hint);

/* The parts as a numeric array standing where the input array's elements stood. */
extern ArrayType *spm_parts_array(ArrayType *input, Datum *parts, bool *nulls, int n);

#endif
