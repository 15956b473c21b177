/* SPDX-License-Identifier: MIT */
/*
 * A command line split into kernel parameters with their raw extents, so an
 * edit can drop or replace some and render the rest untouched.
 */
#ifndef KC_TOKENS_H
#define KC_TOKENS_H

#include <stddef.h>

#include "buf.h"
#include "kcmdline.h"

struct tok {
	size_t start, end;	/* raw extent, quotes included */
	struct kcmd_param p;	/* views into the line */
	int drop;		/* left out when rendering */
	struct buf repl;	/* written instead of the raw bytes if .p */
};

struct toks {
	const char *s;
	size_t len;
	struct tok *v;
	size_t n;
	size_t params_end;	/* offset of a bare "--" or len: init's part */
};

void toks_split(struct toks *t, const char *s, size_t len);
void toks_free(struct toks *t);

/* Even number of '"' among the kernel's parameters: none runs to the end. */
int toks_quotes_balanced(const struct toks *t);

/*
 * The line with drops and replacements applied and, if ADD is not NULL,
 * ADD appended after the last kernel parameter (before any "--").  Text
 * between kept tokens, before the first and after the last is kept.
 */
void toks_render(const struct toks *t, const char *add, struct buf *out);

/* 1 if s[0, n) is exactly one kernel parameter with balanced quotes. */
int tok_is_single_param(const char *s, size_t n, struct kcmd_param *p);

/* The kernel's isspace(): \t \n \v \f \r, space and Latin-1 NBSP (0xA0). */
int kc_space(char c);

#endif
