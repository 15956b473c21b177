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

/* isspace() of the kernel's lib/ctype.c, which counts Latin-1 NBSP too. */
static int kernel_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || (unsigned char)c == 0xa0;
}

size_t hex_scan(const char *s, size_t len, unsigned *out)
{
	size_t i = 0;
	unsigned v = 0;
	int d;

	while (i < len && kernel_space(s[i]))
		i++;
	if (i == len || hex_digit(s[i]) < 0)
		return 0;
	if (s[i] == '0' && i + 1 < len && (s[i + 1] | 0x20) == 'x')
		i += 2;
	for (; i < len && (d = hex_digit(s[i])) >= 0; i++)
		v = v * 16 + (unsigned)d;	/* wraps: the kernel keeps the low 32 bits */
	*out = v;
	return i;
}
