/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "kcmdline.h"
#include "selitem.h"

int selitem_key(const char *key)
{
	size_t n = strlen(key);

	return kcmd_name_eq(key, n, "vfio.ids") || kcmd_name_eq(key, n, "rd.vfio.ids");
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Exactly min..max hex digits at *s, up to stop; advances *s past them. */
static int hex_field(const char **s, const char *end, size_t min, size_t max,
		     unsigned long long *v)
{
	size_t k = 0;

	*v = 0;
	while (*s < end && hex_digit(**s) >= 0 && k < max) {
		*v = *v << 4 | (unsigned)hex_digit(**s);
		(*s)++;
		k++;
	}
	return k >= min && (*s == end || hex_digit(**s) < 0);
}

static int expect(const char **s, const char *end, char c)
{
	if (*s == end || **s != c)
		return 0;
	(*s)++;
	return 1;
}

/* @VVVV:DDDD, four hex digits each, as vfio-early writes them. */
static int pin_ok(const char *s, const char *end)
{
	unsigned long long v;

	return expect(&s, end, '@') && hex_field(&s, end, 4, 4, &v) &&
	       expect(&s, end, ':') && hex_field(&s, end, 4, 4, &v) && s == end;
}

int selitem_addr(const char *s, size_t n, unsigned long long *addr)
{
	const char *end = s + n, *at = memchr(s, '@', n), *stop = at ? at : end;
	unsigned long long dom = 0, bus, slot, fn;
	size_t colons = 0;

	for (const char *p = s; p < stop; p++)
		colons += *p == ':';
	if ((colons != 1 && colons != 2) || (at && !pin_ok(at, end)))
		return 0;
	if (colons == 2 && !(hex_field(&s, stop, 1, 8, &dom) && expect(&s, stop, ':')))
		return 0;
	if (!hex_field(&s, stop, 2, 2, &bus) || !expect(&s, stop, ':') ||
	    !hex_field(&s, stop, 2, 2, &slot) || slot > 0x1f || !expect(&s, stop, '.') ||
	    !hex_field(&s, stop, 1, 1, &fn) || fn > 7 || s != stop)
		return 0;
	*addr = dom << 16 | bus << 8 | slot << 3 | fn;
	return 1;
}
