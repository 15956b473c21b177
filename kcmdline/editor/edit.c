// SPDX-License-Identifier: MIT
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edit.h"
#include "exitcode.h"
#include "note.h"
#include "litem.h"
#include "tokens.h"

struct items {
	struct litem *v;
	size_t n, cap;
	enum litem_list list;	/* how the items compare (RAW: bytes) */
	const char *key;	/* whose items, for the notes */
};

static void items_push(struct items *l, const char *p, size_t n)
{
	struct litem *v;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			errx(EXIT_IO, "out of memory");
		l->v = v;
	}
	litem_parse(l->list, p, n, &l->v[l->n++]);
}

/* The index of the first item of L naming what X names, or L->n. */
static size_t items_find(const struct items *l, const struct litem *x)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (litem_same(&l->v[i], x))
			break;
	return i;
}

/* The items already on the line: each device (id set, module) once, the
 * first spelling kept; empty items dropped. */
static void items_existing(struct items *l, const char *val, size_t len)
{
	const char *cur = val, *p;
	size_t left = len, n;
	struct litem x;

	while (kcmd_next_item(&cur, &left, &p, &n)) {
		litem_parse(l->list, p, n, &x);
		if (n && items_find(l, &x) == l->n)
			items_push(l, p, n);
	}
}

/* What a replacement does to the device's vfio driver (a selector's
 * =MODULE), said after the note's "(the same device": in buf, or "". */
static const char *driver_change(const struct litem *old, const struct litem *x,
				 char *buf, size_t size)
{
	int on = (int)old->module_len, xn = (int)x->module_len;

	if (litem_same_module(old, x))
		return "";
	if (!x->module)
		snprintf(buf, size, "; its driver choice =%.*s is dropped: it "
			 "gets the automatic choice", on, old->module);
	else if (!old->module)
		snprintf(buf, size, "; it gets the vfio driver %.*s, not the "
			 "automatic choice", xn, x->module);
	else
		snprintf(buf, size, "; it gets the vfio driver %.*s, not %.*s",
			 xn, x->module, on, old->module);
	return buf;
}

/* One new item: added, already there, or in the place of the one naming
 * the same device with another pin or =MODULE (the item given wins: the
 * newest statement). */
static void items_given(struct items *l, const char *p, size_t n)
{
	struct litem x;
	char why[160];
	size_t j;

	litem_parse(l->list, p, n, &x);
	j = items_find(l, &x);
	if (j == l->n) {
		note("%s: adding %.*s", l->key, (int)n, p);
		items_push(l, p, n);
	} else if (litem_equal(&l->v[j], &x)) {
		if (l->v[j].n == n && !memcmp(l->v[j].p, p, n))
			note("%s: %.*s is already there", l->key, (int)n, p);
		else
			note("%s: %.*s is already there, as %.*s", l->key,
			     (int)n, p, (int)l->v[j].n, l->v[j].p);
	} else {
		note("%s: %.*s replaces %.*s (the same device%s)", l->key,
		     (int)n, p, (int)l->v[j].n, l->v[j].p,
		     driver_change(&l->v[j], &x, why, sizeof(why)));
		l->v[j] = x;
	}
}

static void items_add_given(struct items *l, const char *val, size_t len)
{
	const char *cur = val, *p;
	size_t left = len, n;

	while (kcmd_next_item(&cur, &left, &p, &n))
		if (n)
			items_given(l, p, n);
}

/* The items of VAL that are not in DROP (empty ones kept), in order. */
static void items_without(struct items *l, const char *val, size_t len,
			  const struct items *drop)
{
	const char *cur = val, *p;
	size_t left = len, n;
	struct litem x;

	while (kcmd_next_item(&cur, &left, &p, &n)) {
		litem_parse(l->list, p, n, &x);
		if (items_find(drop, &x) == drop->n)
			items_push(l, p, n);
	}
}

static void items_join(const struct items *l, struct buf *out)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (i)
			buf_addc(out, ',');
		buf_add(out, l->v[i].p, l->v[i].n);
	}
}

static int has_space(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (kc_space(s[i]))
			return 1;
	return 0;
}

static int has_control(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return 1;
	return 0;
}

static int val_eq(const struct kcmd_param *p, const char *v, size_t n)
{
	if (!p->val || !v)
		return !p->val && !v;
	return p->val_len == n && !memcmp(p->val, v, n);
}

static int name_eq(const struct kcmd_param *p, const struct param_arg *a)
{
	return kcmd_name_eq(p->name, p->name_len, a->key);
}

int param_arg_parse(const char *arg, int allow_value, struct param_arg *a)
{
	struct kcmd_param p;
	size_t n = strlen(arg);

	memset(a, 0, sizeof(*a));
	if (!n || arg[0] == '=') {
		warnx("bad KEY '%s': the name is empty", arg);
		return -1;
	}
	if (has_control(arg)) {
		warnx("bad KEY '%s': control characters are not allowed", arg);
		return -1;
	}
	if (!tok_is_single_param(arg, n, &p)) {
		warnx("bad KEY '%s': not exactly one kernel parameter "
		      "(a value with spaces needs quotes: 'foo=\"a b\"')", arg);
		return -1;
	}
	if (!p.name_len || memchr(p.name, '"', p.name_len) ||
	    has_space(p.name, p.name_len)) {
		warnx("bad KEY '%s': the name may not be empty or contain "
		      "quotes or spaces", arg);
		return -1;
	}
	if (p.val && !allow_value) {
		warnx("bad KEY '%s': give the name only", arg);
		return -1;
	}
	a->text = arg;
	a->key = strndup(p.name, p.name_len);
	if (!a->key)
		errx(EXIT_IO, "out of memory");
	a->val = p.val;
	a->val_len = p.val_len;
	return 0;
}

void param_arg_free(struct param_arg *a)
{
	free(a->key);
	a->key = NULL;
}

static int token_ok(const struct edit_ctx *ctx, const char *tok, size_t n)
{
	return !ctx->token_ok || ctx->token_ok(tok, n);
}

/* NAME=VALUE, quoted when VALUE has spaces; -1 if the kernel would not
 * read it back as exactly that. */
static int render_param(const char *name, size_t name_len,
			const struct buf *val, struct buf *out)
{
	int quote = has_space(buf_str(val), val->len);
	struct kcmd_param p;

	buf_add(out, name, name_len);
	buf_addc(out, '=');
	if (quote)
		buf_addc(out, '"');
	buf_add(out, buf_str(val), val->len);
	if (quote)
		buf_addc(out, '"');
	if (tok_is_single_param(buf_str(out), out->len, &p) &&
	    p.name_len == name_len && !memcmp(p.name, name, name_len) &&
	    val_eq(&p, buf_str(val), val->len))
		return 0;
	warnx("cannot write '%s' as one kernel parameter", buf_str(out));
	return -1;
}

/* Make token K read NAME=VAL (K's own name spelling), unless it does. */
static int set_value(struct tok *k, const struct buf *val,
		     const struct edit_ctx *ctx)
{
	if (val_eq(&k->p, buf_str(val), val->len))
		return 0;
	if (render_param(k->p.name, k->p.name_len, val, &k->repl) < 0)
		return -1;
	return token_ok(ctx, k->repl.p, k->repl.len) ? 0 : -1;
}

static void note_repeats(size_t more, const char *key, const char *what)
{
	if (more)
		note("%s was there %zu times; %s", key, more + 1, what);
}

/* Several vfio-pci.ids= become one: say what the kernel did with them. */
static void note_list_repeats(size_t more, const char *key,
			      enum litem_list list)
{
	if (more && list == LITEM_KID)
		note("%s was there %zu times, of which the kernel keeps only "
		     "the last (kernel/params.c parse_args() sets a string "
		     "parameter once per occurrence, param_set_copystring()); "
		     "merging them into one, in order", key, more + 1);
	else
		note_repeats(more, key, "merging them into one");
}

/* Drop all but the first occurrence; the first's index or t->n. */
static size_t keep_first(struct toks *t, const struct param_arg *a,
			 size_t *dropped)
{
	size_t i, first = t->n;

	*dropped = 0;
	for (i = 0; i < t->n; i++) {
		if (!name_eq(&t->v[i].p, a))
			continue;
		if (first == t->n) {
			first = i;
		} else {
			t->v[i].drop = 1;
			++*dropped;
		}
	}
	return first;
}

static enum litem_list key_list(const struct param_arg *a)
{
	return litem_list_of(a->key, strlen(a->key));
}

int edit_by_item(const struct param_arg *a, const struct edit_ctx *ctx)
{
	if (!a->val || ctx->replace)
		return 0;
	return ctx->merge || key_list(a) != LITEM_NOT_A_LIST;
}

/* add KEY[=VAL]: the first occurrence becomes the argument, others go. */
static int stage_add(struct toks *t, const struct param_arg *a,
		     const struct edit_ctx *ctx, const char **append)
{
	size_t more, first = keep_first(t, a, &more);
	struct tok *k;
	size_t n = strlen(a->text);

	note_repeats(more, a->key, "keeping one");
	if (first == t->n) {
		*append = a->text;
		return token_ok(ctx, a->text, n) ? 0 : -1;
	}
	k = &t->v[first];
	if (val_eq(&k->p, a->val, a->val_len))
		return 0;
	buf_add(&k->repl, a->text, n);
	return token_ok(ctx, a->text, n) ? 0 : -1;
}

/* add KEY=A,B by item: one KEY whose items are the union, in order. */
static int stage_merge(struct toks *t, const struct param_arg *a,
		       const struct edit_ctx *ctx, struct buf *append)
{
	struct items l = { .list = key_list(a), .key = a->key };
	struct buf val = { 0 };
	size_t i, more, first = keep_first(t, a, &more);
	int rc;

	note_list_repeats(more, a->key, l.list);
	for (i = 0; i < t->n; i++)
		if (name_eq(&t->v[i].p, a) && t->v[i].p.val)
			items_existing(&l, t->v[i].p.val, t->v[i].p.val_len);
	items_add_given(&l, a->val, a->val_len);
	items_join(&l, &val);
	if (first < t->n) {
		rc = set_value(&t->v[first], &val, ctx);
	} else {
		rc = render_param(a->key, strlen(a->key), &val, append);
		if (!rc && !token_ok(ctx, append->p, append->len))
			rc = -1;
	}
	free(l.v);
	buf_free(&val);
	return rc;
}

static void apply(struct buf *line, const struct toks *t, const char *append)
{
	struct buf out = { 0 };

	toks_render(t, append, &out);
	buf_free(line);
	*line = out;
}

static int split_checked(struct toks *t, const struct buf *line)
{
	toks_split(t, buf_str(line), line->len);
	if (toks_quotes_balanced(t))
		return 0;
	warnx("the command line has an unterminated '\"'; edit it by hand");
	return -1;
}

int edit_add(struct buf *line, const struct param_arg *a,
	     const struct edit_ctx *ctx)
{
	struct toks t;
	struct buf merged = { 0 };
	const char *append = NULL;
	int rc = split_checked(&t, line);

	if (!rc && edit_by_item(a, ctx)) {
		rc = stage_merge(&t, a, ctx, &merged);
		append = merged.p;
	} else if (!rc) {
		rc = stage_add(&t, a, ctx, &append);
	}
	if (!rc)
		apply(line, &t, append);
	toks_free(&t);
	buf_free(&merged);
	return rc;
}

/* remove KEY=A,B by item: drop those items; a KEY left empty goes. */
static int unmerge_one(struct tok *k, const struct items *drop,
		       const struct edit_ctx *ctx, size_t *hits)
{
	struct items l = { .list = drop->list, .key = drop->key };
	struct buf val = { 0 };
	int rc = 0;

	items_without(&l, k->p.val, k->p.val_len, drop);
	if (!l.n) {
		k->drop = 1;
		++*hits;
	} else {
		items_join(&l, &val);
		if (val.len != k->p.val_len) {
			++*hits;
			rc = set_value(k, &val, ctx);
		}
	}
	free(l.v);
	buf_free(&val);
	return rc;
}

static int stage_remove(struct toks *t, const struct param_arg *a,
			const struct edit_ctx *ctx, size_t *hits)
{
	struct items drop = { .list = key_list(a), .key = a->key };
	int by_item = edit_by_item(a, ctx), rc = 0;
	size_t i;

	if (by_item)
		items_existing(&drop, a->val, a->val_len);
	for (i = 0; i < t->n && !rc; i++) {
		struct tok *k = &t->v[i];

		if (!name_eq(&k->p, a))
			continue;
		if (by_item && k->p.val) {
			rc = unmerge_one(k, &drop, ctx, hits);
		} else if (!by_item &&
			   (!a->val || val_eq(&k->p, a->val, a->val_len))) {
			k->drop = 1;
			++*hits;
		}
	}
	free(drop.v);
	return rc;
}

int edit_remove(struct buf *line, const struct param_arg *a,
		const struct edit_ctx *ctx)
{
	struct toks t;
	size_t hits = 0;
	int rc = split_checked(&t, line);

	if (!rc)
		rc = stage_remove(&t, a, ctx, &hits);
	if (!rc && !hits)
		note("%s is not there; nothing to remove", a->text);
	if (!rc && hits)
		apply(line, &t, NULL);
	toks_free(&t);
	return rc;
}
