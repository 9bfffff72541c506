/*
 * Unit tests of the plain-C numeric decoder (fixed_point_core.c), run outside the server.
 * Payloads are written by hand in PostgreSQL's numeric format; the in-server test
 * (sql/quota.sql) checks the decoder against numeric_out over thousands of values.
 */
#include "fixed_point_core.h"
#include "unit.h"

#include <string.h>

/* A short-header numeric payload: sign, display scale, weight, then base-10000 digits. */
static size_t
short_numeric(unsigned char *buf, int negative, int dscale, int weight,
			  const uint16_t *digits, size_t n)
{
	uint16_t	header = 0x8000 | (negative ? 0x2000 : 0) | (dscale << 7) | (weight & 0x7F);

	memcpy(buf, &header, 2);
	memcpy(buf + 2, digits, n * 2);
	return 2 + n * 2;
}

/* A long-header payload (any dscale and weight). */
static size_t
long_numeric(unsigned char *buf, int negative, int dscale, int16_t weight,
			 const uint16_t *digits, size_t n)
{
	uint16_t	header = (negative ? 0x4000 : 0) | dscale;

	memcpy(buf, &header, 2);
	memcpy(buf + 2, &weight, 2);
	memcpy(buf + 4, digits, n * 2);
	return 4 + n * 2;
}

int
main(void)
{
	unsigned char buf[64];
	spm_int128	units = 0;
	int			dscale = 0;
	int			sign = 0;
	size_t		len;
	uint16_t	d1234_5678[] = {1234, 5678};
	uint16_t	d7[] = {7};
	uint16_t	big[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	uint16_t	bad[] = {10000};

	/* 1234.5678 at scale 4 and 6; at scale 2 it has digits left over */
	len = short_numeric(buf, 0, 4, 0, d1234_5678, 2);
	check(spm_decode_numeric(buf, len, 4, &units, &dscale) == SPM_FIXED_OK && units == 12345678 && dscale == 4,
		  "1234.5678 is 12345678 units at scale 4");
	check(spm_decode_numeric(buf, len, 6, &units, &dscale) == SPM_FIXED_OK && units == 1234567800,
		  "1234.5678 is 1234567800 units at scale 6");
	check(spm_decode_numeric(buf, len, 2, &units, &dscale) == SPM_FIXED_FRACTIONAL,
		  "1234.5678 is not a whole number of cents");

	/* -0.0007 (weight -1, one digit 7) and -70000 (weight 1, digit 7 then a zero group dropped) */
	len = short_numeric(buf, 1, 4, -1, d7, 1);
	check(spm_decode_numeric(buf, len, 4, &units, &dscale) == SPM_FIXED_OK && units == -7,
		  "-0.0007 is -7 units at scale 4");
	len = long_numeric(buf, 1, 0, 1, d7, 1);
	check(spm_decode_numeric(buf, len, 0, &units, &dscale) == SPM_FIXED_OK && units == -70000,
		  "-70000 from a long header with a trailing zero group stripped");

	/* 10000^9 = 1e36 fits 128 bits at scale 0, not at scale 3 */
	len = long_numeric(buf, 0, 0, 9, big, 1);
	check(spm_decode_numeric(buf, len, 0, &units, &dscale) == SPM_FIXED_OK &&
		  units == spm_pow10_128(36), "1e36 decodes exactly");
	check(spm_decode_numeric(buf, len, 3, &units, &dscale) == SPM_FIXED_OVERFLOW,
		  "1e39 units do not fit 128 bits");

	/* zero has no digits; NaN and malformed bytes are refused */
	len = short_numeric(buf, 0, 2, 0, d7, 0);
	check(spm_decode_numeric(buf, len, 2, &units, &dscale) == SPM_FIXED_OK && units == 0 && dscale == 2 &&
		  spm_numeric_payload_sign(buf, len, &sign) == SPM_FIXED_OK && sign == 0, "0.00 is zero");
	buf[0] = 0x00;
	buf[1] = 0xC0;
	check(spm_decode_numeric(buf, 2, 0, &units, &dscale) == SPM_FIXED_NOT_FINITE &&
		  spm_numeric_payload_sign(buf, 2, &sign) == SPM_FIXED_NOT_FINITE, "NaN is not finite");
	len = short_numeric(buf, 0, 0, 0, bad, 1);
	check(spm_decode_numeric(buf, len, 0, &units, &dscale) == SPM_FIXED_MALFORMED,
		  "a digit of 10000 is malformed");
	check(spm_decode_numeric(buf, 3, 0, &units, &dscale) == SPM_FIXED_MALFORMED &&
		  spm_decode_numeric(buf, 1, 0, &units, &dscale) == SPM_FIXED_MALFORMED &&
		  spm_decode_numeric(buf, 0, 0, &units, &dscale) == SPM_FIXED_MALFORMED,
		  "truncated payloads are malformed");
	len = long_numeric(buf, 0, 0, 0, d7, 1);
	check(spm_decode_numeric(buf, 3, 0, &units, &dscale) == SPM_FIXED_MALFORMED,
		  "a long header cut short is malformed");
	units = 5;
	check(!spm_scale_up_128(&units, 39) && units == 5 && spm_scale_up_128(&units, 37) &&
		  units == 5 * spm_pow10_128(37), "scaling up stops at 128 bits and leaves the value");
	return done();
}
