/* SPDX-License-Identifier: MIT */
/*
 * Edits touch one line or a few neighbouring ones, so a single hunk from
 * the first to the last differing line (plus three lines of context) is
 * an exact diff; no general LCS is needed.
 */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "udiff.h"

#define CONTEXT 3

struct line {
	const char *p;
	size_t n;	/* with its '\n', if it has one */
};

struct lines {
	struct line *v;
	size_t n;
};

static void split_lines(const char *s, size_t len, struct lines *l)
{
	size_t i, start = 0, cap = 1;

	for (i = 0; i < len; i++)
		cap += s[i] == '\n';
	l->v = calloc(cap, sizeof(*l->v));
	if (!l->v)
		errx(EXIT_IO, "out of memory");
	l->n = 0;
	for (i = 0; i < len; i++) {
		if (s[i] != '\n' && i + 1 < len)
			continue;
		l->v[l->n].p = s + start;
		l->v[l->n].n = i + 1 - start;
		l->n++;
		start = i + 1;
	}
}

static int same(const struct line *x, const struct line *y)
{
	return x->n == y->n && !memcmp(x->p, y->p, x->n);
}

static void put_line(FILE *out, char mark, const struct line *l)
{
	fputc(mark, out);
	fwrite(l->p, 1, l->n, out);
	if (!l->n || l->p[l->n - 1] != '\n')
		fputs("\n\\ No newline at end of file\n", out);
}

/* "start,count" as diff writes it: an empty range names the line before. */
static void put_range(FILE *out, size_t first, size_t count)
{
	fprintf(out, "%zu,%zu", count ? first + 1 : first, count);
}

static void put_run(FILE *out, char mark, const struct lines *l, size_t from,
		    size_t to)
{
	for (; from < to; from++)
		put_line(out, mark, &l->v[from]);
}

void udiff_print(FILE *out, const char *path, const char *a, size_t alen,
		 const char *b, size_t blen)
{
	struct lines la, lb;
	size_t pre = 0, suf = 0, start, a_end, b_end;

	split_lines(a, alen, &la);
	split_lines(b, blen, &lb);
	while (pre < la.n && pre < lb.n && same(&la.v[pre], &lb.v[pre]))
		pre++;
	while (suf < la.n - pre && suf < lb.n - pre &&
	       same(&la.v[la.n - 1 - suf], &lb.v[lb.n - 1 - suf]))
		suf++;
	if (pre < la.n || pre < lb.n) {
		start = pre > CONTEXT ? pre - CONTEXT : 0;
		a_end = la.n - suf + (suf < CONTEXT ? suf : CONTEXT);
		b_end = lb.n - suf + (suf < CONTEXT ? suf : CONTEXT);
		fprintf(out, "--- %s\n+++ %s\n@@ -", path, path);
		put_range(out, start, a_end - start);
		fputs(" +", out);
		put_range(out, start, b_end - start);
		fputs(" @@\n", out);
		put_run(out, ' ', &la, start, pre);
		put_run(out, '-', &la, pre, la.n - suf);
		put_run(out, '+', &lb, pre, lb.n - suf);
		put_run(out, ' ', &la, la.n - suf, a_end);
	}
	free(la.v);
	free(lb.v);
}
