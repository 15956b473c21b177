/* SPDX-License-Identifier: MIT */
/*
 * Token-level edits of a kernel command line held in a buffer: the text
 * outside the tokens an edit touches (spacing, newlines, the words after a
 * bare "--") stays byte-for-byte.  Names compare with the kernel's rule
 * ('-' equals '_'); values compare as the kernel would see them (quotes
 * dropped).
 */
#ifndef KC_EDIT_H
#define KC_EDIT_H

#include <stddef.h>

#include "buf.h"
#include "kcmdline.h"

/* One KEY[=VAL] argument from the user: exactly one kernel parameter. */
struct param_arg {
	const char *text;	/* the argument, used verbatim when added */
	char *key;		/* the name, NUL-terminated (owned) */
	const char *val;	/* NULL without '='; else a view into text */
	size_t val_len;
};

/* 0 and *a filled, or -1 after saying why ARG is not a usable KEY[=VAL]. */
int param_arg_parse(const char *arg, int allow_value, struct param_arg *a);
void param_arg_free(struct param_arg *a);

/* Says (on stderr) why TOK cannot be written to the target and returns 0. */
typedef int (*token_check_fn)(const char *tok, size_t n);

struct edit_ctx {
	int merge;		/* --merge: work on comma-list items */
	token_check_fn token_ok;	/* NULL: any token will do */
};

/*
 * Apply one add or remove to LINE.  0 when done (possibly changing
 * nothing), -1 when refused (message printed, LINE untouched).
 */
int edit_add(struct buf *line, const struct param_arg *a,
	     const struct edit_ctx *ctx);
int edit_remove(struct buf *line, const struct param_arg *a,
		const struct edit_ctx *ctx);

#endif
