// SPDX-License-Identifier: MIT
#include <string.h>

#include "fmt.h"

struct sink {
	char *buf;
	size_t size;
	size_t n;
};

static void put(struct sink *s, char c)
{
	if (s->n + 1 < s->size)
		s->buf[s->n] = c;
	s->n++;
}

/* base 16 in lower case, 'X' (given as base 17) in upper case. */
static void put_num(struct sink *s, unsigned long v, unsigned base, int neg, int width, char pad)
{
	const char *set = base == 17 ? "0123456789ABCDEF" : "0123456789abcdef";
	char digits[24];
	int n = 0;

	base -= base == 17;
	do {
		digits[n++] = set[v % base];
		v /= base;
	} while (v);
	if (neg && pad == '0')
		put(s, '-'), width--;
	else if (neg)
		digits[n++] = '-';
	while (width-- > n)
		put(s, pad);
	while (n)
		put(s, digits[--n]);
}

static void put_str(struct sink *s, const char *str)
{
	size_t len, room;

	str = str ? str : "(null)";
	len = strlen(str);
	room = s->n + 1 < s->size ? s->size - s->n - 1 : 0;
	memcpy(s->buf + s->n, str, len < room ? len : room);
	s->n += len;
}

/* One va_arg for every integer conversion: they all take an int. */
static void convert(struct sink *s, char conv, int width, char pad, va_list *ap)
{
	int d;

	if (conv == 's') {
		put_str(s, va_arg(*ap, const char *));
		return;
	}
	if (conv != 'd' && conv != 'u' && conv != 'x' && conv != 'X' && conv != 'c') {
		put(s, conv);
		return;
	}
	d = va_arg(*ap, int);
	if (conv == 'c')
		put(s, (char)d);
	else if (conv == 'd' && d < 0)
		put_num(s, -(unsigned long)d, 10, 1, width, pad);
	else
		put_num(s, (unsigned)d, conv == 'x' ? 16 : conv == 'X' ? 17 : 10, 0, width, pad);
}

int fmt_v(char *buf, size_t size, const char *f, va_list ap)
{
	struct sink s = { buf, size, 0 };
	va_list cp;

	va_copy(cp, ap);
	for (; *f; f++) {
		int width = 0;
		char pad = ' ';

		if (*f != '%') {
			put(&s, *f);
			continue;
		}
		if (*++f == '0')
			pad = '0', f++;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		if (!*f)
			break;
		convert(&s, *f, width, pad, &cp);
	}
	va_end(cp);
	if (size)
		buf[s.n < size ? s.n : size - 1] = '\0';
	return (int)s.n;
}

int fmt(char *buf, size_t size, const char *f, ...)
{
	va_list ap;
	int n;

	va_start(ap, f);
	n = fmt_v(buf, size, f, ap);
	va_end(ap);
	return n;
}
