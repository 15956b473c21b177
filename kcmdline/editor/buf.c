/* SPDX-License-Identifier: MIT */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "exitcode.h"

static void buf_reserve(struct buf *b, size_t extra)
{
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		errx(EXIT_IO, "out of memory");
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (cap == b->cap)
		return;
	p = realloc(b->p, cap);
	if (!p)
		errx(EXIT_IO, "out of memory");
	b->p = p;
	b->cap = cap;
}

void buf_add(struct buf *b, const void *s, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_splice(struct buf *b, size_t off, size_t n, const char *s, size_t m)
{
	size_t tail = b->len - off - n;

	buf_reserve(b, m > n ? m - n : 0);
	memmove(b->p + off + m, b->p + off + n, tail);
	if (m)
		memcpy(b->p + off, s, m);
	b->len = off + m + tail;
	b->p[b->len] = '\0';
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

const char *buf_str(const struct buf *b)
{
	return b->p ? b->p : "";
}
