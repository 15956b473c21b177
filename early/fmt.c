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

static void put_num(struct sink *s, unsigned long v, unsigned base, int neg, int width, char pad)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
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

static void convert(struct sink *s, char conv, int width, char pad, va_list *ap)
{
	int d;

	switch (conv) {
	case 's':
		put_str(s, va_arg(*ap, const char *));
		break;
	case 'd':
		d = va_arg(*ap, int);
		put_num(s, d < 0 ? -(unsigned long)d : (unsigned long)d, 10, d < 0, width, pad);
		break;
	case 'u':
		put_num(s, va_arg(*ap, unsigned), 10, 0, width, pad);
		break;
	case 'x':
		put_num(s, va_arg(*ap, unsigned), 16, 0, width, pad);
		break;
	case 'c':
		put(s, (char)va_arg(*ap, int));
		break;
	default:
		put(s, conv);
	}
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
