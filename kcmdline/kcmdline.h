/* SPDX-License-Identifier: MIT */
/*
 * kcmdline: the kernel's command-line grammar, without the kernel.
 *
 * Tokens follow lib/cmdline.c next_arg() and kernel/params.c parse_args():
 * whitespace (the kernel's isspace(), which includes 0xA0) separates tokens,
 * double quotes group whitespace and cannot be escaped, a quote opening the
 * token or the value is dropped together with a closing quote that ends the
 * token, the first '=' at index > 0 splits name from value, and a bare "--"
 * ends the kernel's parameters (what follows belongs to init).
 *
 * The parser never writes to the line and never truncates it: tokens are
 * (pointer, length) views into the caller's buffer, however long it is.
 */
#ifndef KCMDLINE_H
#define KCMDLINE_H

#include <stddef.h>

struct kcmd_param {
	const char *name;	/* never NULL; may be empty (a lone '"') */
	size_t name_len;
	const char *val;	/* NULL when the token has no '='; may be empty */
	size_t val_len;
};

struct kcmd_iter {
	const char *pos;
	const char *end;
};

/* Iterate over line[0..len); a NUL byte also ends the line. */
void kcmd_iter_init(struct kcmd_iter *it, const char *line, size_t len);

/*
 * 1 and *p filled for the next parameter; 0 at the end or at a bare "--"
 * (also "--" quoted, but not "--=x"), and 0 on every call after that.
 */
int kcmd_next(struct kcmd_iter *it, struct kcmd_param *p);

/* Parameter names compare as the kernel's parameq(): '-' equals '_'. */
int kcmd_name_eq(const char *name, size_t name_len, const char *key);

/*
 * Split a comma list value: first call with *cursor = val, *left = val_len.
 * 1 and (item, item_len) for each item, empty items included, like strsep():
 * "a,,b" gives a, "", b; "a," gives a, ""; an empty value gives one empty
 * item; a NULL value (no '=') gives none.  0 at the end (*cursor is NULL).
 */
int kcmd_next_item(const char **cursor, size_t *left,
		   const char **item, size_t *item_len);

#endif
