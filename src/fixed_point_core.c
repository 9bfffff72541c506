/*
 * fixed_point_core.c: PostgreSQL's numeric on-disk format read in plain C, the fast exact
 * path from a numeric to a 128-bit count of units with no numeric arithmetic per row.
 *
 * The layout mirrors src/backend/utils/adt/numeric.c (PostgreSQL 15): a uint16 header,
 * for the long form an int16 weight, then base-10000 digits; the value is
 * sum(digit[i] * 10000^(weight - i)).  Only this file may know that layout; it
 * must not do numeric arithmetic (spm_numeric.c does, in the backend).
 */
#include "fixed_point_core.h"

#include <string.h>

#define NBASE				10000
#define NUMERIC_SIGN_MASK	0xC000
#define NUMERIC_NEG			0x4000
#define NUMERIC_SHORT		0x8000
#define NUMERIC_SPECIAL		0xC000
#define SHORT_SIGN_MASK		0x2000
#define SHORT_DSCALE_MASK	0x1F80
#define SHORT_DSCALE_SHIFT	7
#define SHORT_WEIGHT_SIGN	0x0040
#define SHORT_WEIGHT_MASK	0x003F
#define LONG_DSCALE_MASK	0x3FFF

static const int64_t pow10_64[19] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
	10000000000, 100000000000, 1000000000000, 10000000000000, 100000000000000,
	1000000000000000, 10000000000000000, 100000000000000000, 1000000000000000000
};

spm_int128
spm_pow10_128(int k)
{
	spm_int128	p = 1;

	if (k < 0 || k > 38)
		return 0;
	for (; k > 18; k -= 18)
		p *= pow10_64[18];
	return p * pow10_64[k];
}

int
spm_scale_up_128(spm_int128 *value, int k)
{
	spm_int128	result;

	if (k == 0)
		return 1;
	if (k < 0 || k > 38 || __builtin_mul_overflow(*value, spm_pow10_128(k), &result))
		return 0;
	*value = result;
	return 1;
}

/* The header's sign, weight and display scale; the digits start at *digits_at. */
static SpmFixedStatus
decode_header(const unsigned char *payload, size_t len, int *negative, int *weight,
			  int *dscale, size_t *digits_at)
{
	uint16_t	header;
	int16_t		long_weight;

	if (len < sizeof(header))
		return SPM_FIXED_MALFORMED;
	memcpy(&header, payload, sizeof(header));
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		return SPM_FIXED_NOT_FINITE;
	if (header & NUMERIC_SHORT)
	{
		*negative = (header & SHORT_SIGN_MASK) != 0;
		*dscale = (header & SHORT_DSCALE_MASK) >> SHORT_DSCALE_SHIFT;
		*weight = (header & SHORT_WEIGHT_MASK) |
			((header & SHORT_WEIGHT_SIGN) ? ~SHORT_WEIGHT_MASK : 0);
		*digits_at = sizeof(header);
		return SPM_FIXED_OK;
	}
	if (len < sizeof(header) + sizeof(long_weight))
		return SPM_FIXED_MALFORMED;
	memcpy(&long_weight, payload + sizeof(header), sizeof(long_weight));
	*negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
	*dscale = header & LONG_DSCALE_MASK;
	*weight = long_weight;
	*digits_at = sizeof(header) + sizeof(long_weight);
	return SPM_FIXED_OK;
}

/* acc / divisor when it divides exactly, else -1 (acc is not negative). */
static inline int64_t
divide_exact(int64_t acc, int64_t divisor)
{
	return acc % divisor == 0 ? acc / divisor : -1;
}

/*
 * Up to four digits (below 10^16) with a shift of at most 18 places: 64-bit
 * arithmetic, and a product that cannot overflow 128 bits.  Most money is this.
 */
static SpmFixedStatus
decode_small(const unsigned char *digits, size_t ndigits, int shift, int negative,
			 spm_int128 *units)
{
	int64_t		acc = 0;
	spm_int128	result;

	for (size_t i = 0; i < ndigits; i++)
	{
		uint16_t	digit;

		memcpy(&digit, digits + i * sizeof(digit), sizeof(digit));
		if (digit >= NBASE)
			return SPM_FIXED_MALFORMED;
		acc = acc * NBASE + digit;
	}
	if (shift >= 0)
		result = (spm_int128) acc * pow10_64[shift];
	else
	{
		/* constant divisors for the usual few places, so no hardware divide per row */
		switch (-shift)
		{
			case 1:
				result = divide_exact(acc, 10);
				break;
			case 2:
				result = divide_exact(acc, 100);
				break;
			case 3:
				result = divide_exact(acc, 1000);
				break;
			default:
				result = divide_exact(acc, pow10_64[-shift]);
				break;
		}
		if (result < 0)
			return SPM_FIXED_FRACTIONAL;
	}
	*units = negative ? -result : result;
	return SPM_FIXED_OK;
}

SpmFixedStatus
spm_decode_numeric(const unsigned char *payload, size_t len, int scale,
				   spm_int128 *units, int *dscale)
{
	int			negative;
	int			weight;
	size_t		at;
	size_t		ndigits;
	spm_int128	acc = 0;
	long		shift;
	SpmFixedStatus	status;

	status = decode_header(payload, len, &negative, &weight, dscale, &at);
	if (status != SPM_FIXED_OK)
		return status;
	if (scale == SPM_OWN_SCALE)
		scale = *dscale;
	if ((len - at) % sizeof(uint16_t) != 0)
		return SPM_FIXED_MALFORMED;
	ndigits = (len - at) / sizeof(uint16_t);
	shift = (long) scale - 4L * ((long) ndigits - 1 - weight);
	if (ndigits <= 4 && shift >= -18 && shift <= 18)
		return decode_small(payload + at, ndigits, (int) shift, negative, units);
	for (size_t i = 0; i < ndigits; i++)
	{
		uint16_t	digit;

		memcpy(&digit, payload + at + i * sizeof(digit), sizeof(digit));
		if (digit >= NBASE)
			return SPM_FIXED_MALFORMED;
		if (__builtin_mul_overflow(acc, NBASE, &acc) ||
			__builtin_add_overflow(acc, (spm_int128) digit, &acc))
			return SPM_FIXED_OVERFLOW;
	}
	if (acc == 0)
	{
		*units = 0;
		return SPM_FIXED_OK;
	}
	/* acc is value * 10000^(ndigits - 1 - weight); bring it to value * 10^scale */
	if (shift > 0 && !spm_scale_up_128(&acc, (int) shift))
		return SPM_FIXED_OVERFLOW;
	for (; shift < 0; shift++)
	{
		if (acc % 10 != 0)
			return SPM_FIXED_FRACTIONAL;
		acc /= 10;
	}
	*units = negative ? -acc : acc;
	return SPM_FIXED_OK;
}

/*
 * Base-10000 digits of magnitude, least significant first, into digits; their count.
 * 64-bit arithmetic once the rest fits, as most money does from the start.
 */
static int
nbase_digits(unsigned __int128 magnitude, uint16_t *digits)
{
	int			n = 0;

	for (; magnitude > UINT64_MAX; magnitude /= NBASE)
		digits[n++] = (uint16_t) (magnitude % NBASE);
	for (uint64_t rest = (uint64_t) magnitude; rest != 0; rest /= NBASE)
		digits[n++] = (uint16_t) (rest % NBASE);
	return n;
}

SpmFixedStatus
spm_encode_numeric(spm_int128 units, int scale, unsigned char *out, size_t *len)
{
	unsigned __int128 magnitude = units < 0 ? -(unsigned __int128) units : (unsigned __int128) units;
	uint16_t	digits[12];		/* 2^127 needs 10 base-10000 digits, and one for the fraction */
	int			pad,
				n,
				low = 0,
				weight;
	uint16_t	header;
	size_t		at;

	if (scale < 0 || scale > SPM_ENCODE_MAX_SCALE)
		return SPM_FIXED_OVERFLOW;

	/*
	 * The last base-10000 digit ends the fraction at a multiple of four places, pad
	 * places past the scale: it is the last 4 - pad decimal digits times 10^pad, and
	 * the digits above it are those of the rest (no product that could overflow).
	 */
	pad = (4 - scale % 4) % 4;
	if (magnitude <= UINT64_MAX)
	{
		uint64_t	small = (uint64_t) magnitude;

		/* constant divisors: no hardware division per value (cents are pad 2) */
		switch (pad)
		{
			case 0:
				digits[0] = (uint16_t) (small % 10000);
				small /= 10000;
				break;
			case 1:
				digits[0] = (uint16_t) (small % 1000 * 10);
				small /= 1000;
				break;
			case 2:
				digits[0] = (uint16_t) (small % 100 * 100);
				small /= 100;
				break;
			default:
				digits[0] = (uint16_t) (small % 10 * 1000);
				small /= 10;
				break;
		}
		n = 1 + nbase_digits(small, digits + 1);
	}
	else
	{
		digits[0] = (uint16_t) (magnitude % pow10_64[4 - pad] * pow10_64[pad]);
		n = 1 + nbase_digits(magnitude / pow10_64[4 - pad], digits + 1);
	}
	while (low < n && digits[low] == 0)
		low++;
	weight = n - 1 - (scale + pad) / 4;
	header = NUMERIC_SHORT | (uint16_t) (scale << SHORT_DSCALE_SHIFT);
	if (low == n)
		weight = 0;				/* zero: no digits, positive, as numeric.c writes it */
	else if (units < 0)
		header |= SHORT_SIGN_MASK;
	header |= (uint16_t) ((weight < 0 ? SHORT_WEIGHT_SIGN : 0) | (weight & SHORT_WEIGHT_MASK));
	memcpy(out, &header, sizeof(header));
	at = sizeof(header);
	for (int i = n - 1; i >= low; i--, at += sizeof(uint16_t))
		memcpy(out + at, &digits[i], sizeof(uint16_t));
	*len = at;
	return SPM_FIXED_OK;
}

SpmFixedStatus
spm_numeric_payload_dscale(const unsigned char *payload, size_t len, int *dscale)
{
	int			negative;
	int			weight;
	size_t		at;

	return decode_header(payload, len, &negative, &weight, dscale, &at);
}

SpmFixedStatus
spm_numeric_payload_sign(const unsigned char *payload, size_t len, int *sign)
{
	int			negative;
	int			weight;
	int			dscale;
	size_t		at;
	SpmFixedStatus	status;

	status = decode_header(payload, len, &negative, &weight, &dscale, &at);
	if (status != SPM_FIXED_OK)
		return status;
	/* numerics carry no leading or trailing zero digits: zero has none at all */
	*sign = (len == at) ? 0 : (negative ? -1 : 1);
	return SPM_FIXED_OK;
}
