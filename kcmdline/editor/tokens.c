/* SPDX-License-Identifier: MIT */
#include <err.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "tokens.h"

int kc_space(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= '\t' && u <= '\r') || u == ' ' || u == 0xA0;
}

static size_t count_quotes(const char *s, size_t n)
{
	size_t i, q = 0;

	for (i = 0; i < n; i++)
		q += s[i] == '"';
	return q;
}

/*
 * The iterator reports where the next token starts, not where this one
 * ends; back up over the separating spaces, but never into the bytes the
 * kernel hands over (an unterminated quote can end in spaces).
 */
static size_t raw_end(const char *next, const struct kcmd_param *p,
		      const char *s)
{
	const char *seen = p->val ? p->val + p->val_len : p->name + p->name_len;
	const char *e = next;

	while (e > seen && kc_space(e[-1]))
		e--;
	return (size_t)(e - s);
}

static void toks_push(struct toks *t, size_t start, size_t end,
		      const struct kcmd_param *p, size_t *cap)
{
	struct tok *v;

	if (t->n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		v = realloc(t->v, *cap * sizeof(*v));
		if (!v)
			errx(EXIT_IO, "out of memory");
		t->v = v;
	}
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	t->v[t->n].start = start;
	t->v[t->n].end = end;
	t->v[t->n].p = *p;
	t->n++;
}

void toks_split(struct toks *t, const char *s, size_t len)
{
	struct kcmd_iter it;
	struct kcmd_param p;
	const char *at = NULL;
	size_t cap = 0;

	memset(t, 0, sizeof(*t));
	t->s = s;
	t->len = len;
	t->params_end = len;
	kcmd_iter_init(&it, s, len);
	for (;;) {
		at = it.pos;
		if (!kcmd_next(&it, &p))
			break;
		toks_push(t, (size_t)(at - s), raw_end(it.pos, &p, s), &p,
			  &cap);
	}
	if (at && at < s + len)
		t->params_end = (size_t)(at - s);	/* a bare "--" */
}

void toks_free(struct toks *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		buf_free(&t->v[i].repl);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

int toks_quotes_balanced(const struct toks *t)
{
	return count_quotes(t->s, t->params_end) % 2 == 0;
}

static void render_tok(const struct toks *t, size_t i, struct buf *out)
{
	const struct tok *k = &t->v[i];

	if (k->repl.p)
		buf_add(out, k->repl.p, k->repl.len);
	else
		buf_add(out, t->s + k->start, k->end - k->start);
}

/* Kept tokens with the spacing that preceded each in the original. */
static int render_kept(const struct toks *t, struct buf *out)
{
	size_t i;
	int emitted = 0;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].drop)
			continue;
		if (emitted)
			buf_add(out, t->s + t->v[i - 1].end,
				t->v[i].start - t->v[i - 1].end);
		render_tok(t, i, out);
		emitted = 1;
	}
	return emitted;
}

void toks_render(const struct toks *t, const char *add, struct buf *out)
{
	size_t lead = t->n ? t->v[0].start : 0;
	size_t tail = t->n ? t->v[t->n - 1].end : lead;
	int emitted;

	if (!t->n && t->params_end < t->len)
		lead = tail = t->params_end;
	buf_add(out, t->s, lead);
	emitted = render_kept(t, out);
	if (add) {
		if (emitted)
			buf_addc(out, ' ');
		buf_adds(out, add);
		emitted = 1;
	}
	if (t->params_end < t->len && emitted && tail == t->params_end)
		buf_addc(out, ' ');
	else if (t->params_end < t->len && !emitted)
		tail = t->params_end;
	buf_add(out, t->s + tail, t->len - tail);
}

int tok_is_single_param(const char *s, size_t n, struct kcmd_param *p)
{
	struct kcmd_iter it;
	struct kcmd_param rest;

	if (!n || kc_space(s[0]) || memchr(s, '\0', n))
		return 0;
	kcmd_iter_init(&it, s, n);
	if (!kcmd_next(&it, p) || kcmd_next(&it, &rest))
		return 0;
	/* a trailing space means the token did not reach the end */
	return !kc_space(s[n - 1]) && it.pos == s + n &&
	       count_quotes(s, n) % 2 == 0;
}
