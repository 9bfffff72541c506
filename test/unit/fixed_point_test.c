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

/* Does encoding units at scale give exactly the bytes expected? */
static int
encodes_as(spm_int128 units, int scale, const unsigned char *expected, size_t n)
{
	unsigned char out[SPM_NUMERIC_PAYLOAD_MAX];
	size_t		len = 0;

	return spm_encode_numeric(units, scale, out, &len) == SPM_FIXED_OK && len == n &&
		memcmp(out, expected, n) == 0;
}

/*
 * Generated values of every size and scale encode to a payload that decodes to the same
 * units and scale, with no leading or trailing zero digit (as numeric.c normalises).
 */
static int
encode_round_trips(int cases)
{
	for (int c = 0; c < cases; c++)
	{
		unsigned char out[SPM_NUMERIC_PAYLOAD_MAX];
		size_t		len;
		int			scale = (int) (next_random() % (SPM_ENCODE_MAX_SCALE + 1)),
					dscale = -1;
		int			bits = (int) (next_random() % 127);
		spm_int128	units = (spm_int128) (((unsigned __int128) next_random() << 64 | next_random()) >>
										  (127 - bits)),
					back = 0,
					padded;
		SpmFixedStatus status;
		uint16_t	first,
					last;

		if (c % 4 == 1)
			units = -units;
		if (c % 16 == 3)
			units = spm_pow10_128((int) (next_random() % 39)) * (c % 32 == 3 ? 1 : -1);
		if (spm_encode_numeric(units, scale, out, &len) != SPM_FIXED_OK)
			return 0;
		status = spm_decode_numeric(out, len, SPM_OWN_SCALE, &back, &dscale);
		/* the decoder reads whole base-10000 digits: padded past 128 bits it overflows */
		padded = units;
		if (status == SPM_FIXED_OVERFLOW && !spm_scale_up_128(&padded, (4 - scale % 4) % 4))
			continue;
		if (status != SPM_FIXED_OK || back != units || dscale != scale)
			return 0;
		if (len > 2)
		{
			memcpy(&first, out + 2, 2);
			memcpy(&last, out + len - 2, 2);
			if (first == 0 || last == 0)
				return 0;
		}
	}
	return 1;
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

	/* the encoder writes what numeric.c's make_result writes */
	{
		/* 500.0000: header 0x8000 | dscale 4 << 7, weight 0, digit 500 */
		unsigned char d500[] = {0x00, 0x82, 0xF4, 0x01};
		/* -0.07 at scale 2: sign, dscale 2, weight -1, digit 700 */
		unsigned char dminus[] = {0x7F, 0xA1, 0xBC, 0x02};
		/* 0.00: no digits, positive, weight 0 */
		unsigned char dzero[] = {0x00, 0x81};
		/* 100000000: weight 2, digit 1 (trailing zero digits dropped) */
		unsigned char d1e8[] = {0x02, 0x80, 0x01, 0x00};

		check(encodes_as(5000000, 4, d500, sizeof(d500)), "500.0000 encodes as numeric.c writes it");
		check(encodes_as(-7, 2, dminus, sizeof(dminus)), "-0.07 encodes with its sign and a negative weight");
		check(encodes_as(0, 2, dzero, sizeof(dzero)), "0.00 has no digits and keeps its scale");
		check(encodes_as(100000000, 0, d1e8, sizeof(d1e8)), "trailing zero digits are dropped");
		check(spm_encode_numeric(1, SPM_ENCODE_MAX_SCALE + 1, buf, &len) == SPM_FIXED_OVERFLOW &&
			  spm_encode_numeric(1, -1, buf, &len) == SPM_FIXED_OVERFLOW,
			  "scales the short format cannot carry are refused");
		check(encode_round_trips(200000), "200000 generated values up to 2^127, every scale: decode(encode(x)) = x");
	}
	return done();
}
