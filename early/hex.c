// SPDX-License-Identifier: MIT
#include <errno.h>

#include "hex.h"

static int digit(char c, unsigned base)
{
	unsigned v = (c >= '0' && c <= '9') ? (unsigned)(c - '0') :
		     (c >= 'a' && c <= 'f') ? (unsigned)(c - 'a' + 10) :
		     (c >= 'A' && c <= 'F') ? (unsigned)(c - 'A' + 10) : 99;

	return v < base ? (int)v : -1;
}

static int parse(const char *s, size_t n, unsigned base, size_t max, unsigned *out)
{
	unsigned v = 0;

	if (n == 0 || n > max)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int d = digit(s[i], base);

		if (d < 0)
			return -EINVAL;
		v = v * base + (unsigned)d;
	}
	*out = v;
	return 0;
}

int hex_digit(char c)
{
	return digit(c, 16);
}

int hex_parse(const char *s, size_t n, unsigned *out)
{
	return parse(s, n, 16, 8, out);
}

int dec_parse(const char *s, size_t n, unsigned *out)
{
	return parse(s, n, 10, 9, out);
}
