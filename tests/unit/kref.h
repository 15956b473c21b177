/* SPDX-License-Identifier: MIT */
/*
 * kref: a deliberately literal model of the kernel's destructive tokenizer
 * (lib/cmdline.c next_arg() inside the kernel/params.c parse_args() loop),
 * used as the oracle for kcmdline's read-only one.  It works on a private
 * NUL-terminated copy and writes NULs exactly where the kernel does, so
 * the strings it yields are the kernel's.  Shared by the unit test and the
 * fuzzer; keep it independent of kcmdline.c (own space table, own loop).
 */
#ifndef KREF_H
#define KREF_H

#include <stdlib.h>
#include <string.h>

#include "kcmdline.h"

/* The _S class of lib/ctype.c. */
static const unsigned char kref_space[256] = {
	['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1,
	[' '] = 1, [0xA0] = 1,
};

static inline char *kref_skip(char *p)
{
	while (kref_space[(unsigned char)*p])
		p++;
	return p;
}

/* One kernel next_arg() step: cut the token at args, return the next one. */
static inline char *kref_next_arg(char *args, char **param, char **val)
{
	unsigned int i, eq = 0;
	int quoted = args[0] == '"', inq;

	args += quoted;
	inq = quoted;
	for (i = 0; args[i] != '\0'; i++) {
		if (!inq && kref_space[(unsigned char)args[i]])
			break;
		if (eq == 0 && args[i] == '=')
			eq = i;
		if (args[i] == '"')
			inq = !inq;
	}
	*param = args;
	*val = NULL;
	if (eq) {
		args[eq] = '\0';
		*val = args + eq + 1;
		if (**val == '"') {
			++*val;
			if (args[i - 1] == '"')
				args[i - 1] = '\0';
		}
	}
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';
	if (args[i] == '\0')
		return args + i;
	args[i] = '\0';
	return kref_skip(args + i + 1);
}

/* A token as offsets into the line, so both sides compare directly. */
struct kref_tok {
	size_t name_off, name_len;
	int has_val;
	size_t val_off, val_len;
};

struct kref {
	char *base;
	char *args;
};

/* copy: the line's bytes followed by a NUL; it gets cut up. */
static inline void kref_start(struct kref *r, char *copy)
{
	r->base = copy;
	r->args = kref_skip(copy);
}

/* parse_args(): 1 and *t per parameter, 0 at the end or at a bare "--". */
static inline int kref_next(struct kref *r, struct kref_tok *t)
{
	char *param, *val;

	if (*r->args == '\0')
		return 0;
	r->args = kref_next_arg(r->args, &param, &val);
	if (!val && strcmp(param, "--") == 0) {
		r->args += strlen(r->args);
		return 0;
	}
	t->name_off = (size_t)(param - r->base);
	t->name_len = strlen(param);
	t->has_val = val != NULL;
	t->val_off = val ? (size_t)(val - r->base) : 0;
	t->val_len = val ? strlen(val) : 0;
	return 1;
}

static inline int kref_same(const char *line, const struct kcmd_param *p,
			    const struct kref_tok *t)
{
	if ((size_t)(p->name - line) != t->name_off ||
	    p->name_len != t->name_len || !!p->val != t->has_val)
		return 0;
	return !p->val || ((size_t)(p->val - line) == t->val_off &&
			   p->val_len == t->val_len);
}

/*
 * Walk kcmdline and the reference over line[0..len) side by side.
 * Returns 0 when they agree token for token (*ntok = tokens seen), else
 * the 1-based index of the first disagreement; -1 when out of memory.
 */
static inline long kref_compare(const char *line, size_t len, size_t *ntok)
{
	struct kcmd_iter it;
	struct kcmd_param p;
	struct kref r;
	struct kref_tok t;
	char *copy = malloc(len + 1);
	long n = 0, bad = 0;
	int a, b;

	if (!copy)
		return -1;
	if (len)
		memcpy(copy, line, len);
	copy[len] = '\0';
	kcmd_iter_init(&it, line, len);
	kref_start(&r, copy);
	do {
		n++;
		a = kcmd_next(&it, &p);
		b = kref_next(&r, &t);
		if (a != b || (a && !kref_same(line, &p, &t)))
			bad = n;
	} while (a && b && !bad);
	free(copy);
	*ntok = (size_t)(n - 1);
	return bad;
}

#endif
