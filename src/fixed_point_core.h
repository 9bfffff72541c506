/*
 * fixed_point_core.h: exact fixed-point arithmetic in plain C: PostgreSQL's numeric
 * format decoded into a 128-bit count of 10^-scale units, and the powers of ten that
 * scale such counts.  The backend side of numerics is spm_numeric.h.
 */
#ifndef SPM_FIXED_POINT_CORE_H
#define SPM_FIXED_POINT_CORE_H

#include "spm_core.h"

typedef enum SpmFixedStatus
{
	SPM_FIXED_OK = 0,
	SPM_FIXED_NOT_FINITE,		/* NaN or infinity where a number is needed */
	SPM_FIXED_FRACTIONAL,		/* digits beyond the scale asked for */
	SPM_FIXED_OVERFLOW,			/* does not fit in 128 bits */
	SPM_FIXED_MALFORMED			/* bytes that are not a numeric */
} SpmFixedStatus;

/*
 * PostgreSQL's numeric format decoded without the server: payload is the value after
 * its varlena header (short or long numeric header, then base-10000 digits).  Sets
 * *units to value * 10^scale and *dscale to the value's display scale; scale
 * SPM_OWN_SCALE means the value's own display scale.
 * The format is stable across major versions (pg_upgrade keeps it on disk).
 */
#define SPM_OWN_SCALE (-1)
extern SpmFixedStatus spm_decode_numeric(const unsigned char *payload, size_t len, int scale,
										 spm_int128 *units, int *dscale);

/*
 * The numeric units * 10^-scale in PostgreSQL's format, as numeric.c's make_result
 * writes it (short header, no leading or trailing zero digits, display scale = scale):
 * the payload into out (SPM_NUMERIC_PAYLOAD_MAX bytes), its length into *len.
 * SPM_FIXED_OVERFLOW for a scale outside 0..SPM_ENCODE_MAX_SCALE.
 */
#define SPM_ENCODE_MAX_SCALE 38
#define SPM_NUMERIC_PAYLOAD_MAX 32
extern SpmFixedStatus spm_encode_numeric(spm_int128 units, int scale, unsigned char *out,
										 size_t *len);

/* The display scale of a numeric payload read from its header; SPM_FIXED_NOT_FINITE for NaN/±Inf. */
extern SpmFixedStatus spm_numeric_payload_dscale(const unsigned char *payload, size_t len, int *dscale);

/* The sign (-1, 0, 1) of a numeric payload read from its header; SPM_FIXED_NOT_FINITE for NaN/±Inf. */
extern SpmFixedStatus spm_numeric_payload_sign(const unsigned char *payload, size_t len, int *sign);

/* 10^k for 0 <= k <= 38, the powers of ten that fit in 128 bits; 0 for any other k. */
extern spm_int128 spm_pow10_128(int k);

/* *value *= 10^k, false on overflow (then *value is unchanged). */
extern int	spm_scale_up_128(spm_int128 *value, int k);

#endif
