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
	int merge;		/* --merge: any key's value is a comma list */
	int replace;		/* --replace: a list key's value as a whole */
	token_check_fn token_ok;	/* NULL: any token will do */
};

/* 1 if an add or remove of A works on comma-list items: A has a value and
 * its key is a list (vfio.ids, vfio-pci.ids, rd.driver.*: kcmdline/lint/
 * litem.h) or --merge says so, and --replace does not. */
int edit_by_item(const struct param_arg *a, const struct edit_ctx *ctx);

/*
 * Apply one add or remove to LINE.  0 when done (possibly changing
 * nothing), -1 when refused (message printed, LINE untouched).  By item,
 * add keeps one KEY whose items are those there (every occurrence, in
 * order) and then the new ones, each device once however it is spelt (a
 * note says which were added, already there or replaced); remove drops
 * the items named and a KEY left without any.  Otherwise add makes the
 * first KEY the argument and drops the others, and remove drops every
 * KEY (with a value: those with exactly that value).
 */
int edit_add(struct buf *line, const struct param_arg *a,
	     const struct edit_ctx *ctx);
int edit_remove(struct buf *line, const struct param_arg *a,
		const struct edit_ctx *ctx);

#endif
