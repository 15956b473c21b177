/* SPDX-License-Identifier: MIT */
/*
 * The command-line variable of a shell-sourced GRUB settings file
 * (/etc/default/grub): find its one plain assignment, read the value the
 * shell would see, and write a new value back in the same quoting style,
 * leaving every other byte of the file as it was.  Files whose shape we
 * cannot follow exactly are refused.
 */
#ifndef KC_GRUBFILE_H
#define KC_GRUBFILE_H

#include <stddef.h>

#include "buf.h"

enum sh_quote { QUOTE_NONE, QUOTE_SINGLE, QUOTE_DOUBLE };

struct grub_assign {
	int found;
	unsigned line;
	size_t value_start, value_end;	/* the shell word, quotes included */
	enum sh_quote quote;
};

/* 0 with *a filled (found or not), or -1 after saying why (PATH names
 * the file in messages). */
int grub_find(const char *file, size_t len, const char *var,
	      const char *path, struct grub_assign *a);

/* The assignment's value as the shell would see it. */
void grub_value(const char *file, const struct grub_assign *a,
		struct buf *out);

/* FILE with VAL as the variable's value (or a new assignment appended
 * when there was none); -1 after saying why VAL cannot be written. */
int grub_render(const char *file, size_t len, const char *var,
		const struct grub_assign *a, const struct buf *val,
		struct buf *out);

/* 1 if TOK survives the shell and GRUB's own config language unchanged;
 * else 0 after saying why. */
int grub_token_ok(const char *tok, size_t n);

/* 1 if FILE uses VAR anywhere outside comments. */
int grub_uses(const char *file, size_t len, const char *var);

#endif
