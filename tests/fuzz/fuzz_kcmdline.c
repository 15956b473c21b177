/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for kcmdline: arbitrary bytes as a command line.
 * Checks that every view stays inside the input, that each token moves
 * the iterator forward, that an exhausted iterator stays exhausted, that
 * comma splitting covers the value exactly, that a name equals itself
 * under '-'/'_' folding, that tokens agree with the kernel model, and
 * that the lint checks (kcmdline/lint) only point into the line and say
 * each finding in a bounded sentence.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kcmdline.h"
#include "lint.h"
#include "../unit/kref.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			abort();                                           \
	} while (0)

static int inside(const char *p, size_t n, const char *lo, const char *hi)
{
	return p >= lo && p <= hi && n <= (size_t)(hi - p);
}

static void check_items(const struct kcmd_param *p)
{
	const char *cur = p->val, *item;
	size_t left = p->val_len, n, off = 0, count = 0, commas = 0, i;

	if (!p->val) {
		CHECK(!kcmd_next_item(&cur, &left, &item, &n));
		return;
	}
	for (i = 0; i < p->val_len; i++)
		commas += p->val[i] == ',';
	while (kcmd_next_item(&cur, &left, &item, &n)) {
		CHECK(++count <= commas + 1);
		CHECK(item == p->val + off && n <= p->val_len - off);
		CHECK(!memchr(item, ',', n));
		off += n;
		CHECK(off == p->val_len || p->val[off] == ',');
		off += off < p->val_len;
	}
	CHECK(count == commas + 1 && off == p->val_len);
	CHECK(!kcmd_next_item(&cur, &left, &item, &n));
}

/* The name matches itself with every '-' turned into '_', and no longer key. */
static void check_name_eq(const struct kcmd_param *p)
{
	char *key = malloc(p->name_len + 2);
	size_t i;

	CHECK(key);
	for (i = 0; i < p->name_len; i++)
		key[i] = p->name[i] == '-' ? '_' : p->name[i];
	key[p->name_len] = '\0';
	CHECK(kcmd_name_eq(p->name, p->name_len, key));
	key[p->name_len] = 'x';
	key[p->name_len + 1] = '\0';
	CHECK(!kcmd_name_eq(p->name, p->name_len, key));
	free(key);
}

static void walk(const char *line, size_t size)
{
	const char *end = line + size;
	const char *last = line;
	struct kcmd_iter it;
	struct kcmd_param p;
	size_t tokens = 0;

	kcmd_iter_init(&it, line, size);
	while (kcmd_next(&it, &p)) {
		CHECK(++tokens <= size);
		CHECK(p.name && inside(p.name, p.name_len, last, end));
		CHECK(!p.val || inside(p.val, p.val_len, p.name + p.name_len,
				       end));
		CHECK(it.pos > last && it.pos <= end);
		CHECK(it.pos >= p.name + p.name_len);
		CHECK(!p.val || it.pos >= p.val + p.val_len);
		last = it.pos;
		check_items(&p);
		check_name_eq(&p);
	}
	CHECK(!kcmd_next(&it, &p));
}

struct bounds {
	const char *lo, *hi;
};

static void check_finding(const struct lint_finding *f, void *arg)
{
	const struct bounds *b = arg;
	char text[160];

	CHECK(f->kind < LINT_KIND_COUNT);
	CHECK(inside(f->key, f->key_len, b->lo, b->hi));
	CHECK(!f->word || inside(f->word, f->word_len, b->lo, b->hi));
	CHECK(!f->val || inside(f->val, f->val_len, b->lo, b->hi));
	CHECK(strlen(lint_text(f, text, sizeof(text))) < sizeof(text));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* libFuzzer may hand over NULL for the empty input. */
	const char *line = size ? (const char *)data : "";
	size_t ntok;

	struct bounds b = { line, line + size };

	walk(line, size);
	lint_line(line, size, check_finding, &b);
	CHECK(kref_compare(line, size, &ntok) == 0);
	return 0;
}
