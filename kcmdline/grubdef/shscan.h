/* SPDX-License-Identifier: MIT */
/*
 * Just enough of the POSIX shell lexer to read a file that is sourced as
 * configuration (/etc/default/grub): quotes, backslashes, comments, `...`
 * and $(...) nesting, and line continuations.  It finds every place a
 * variable's name is used outside comments and single quotes, and flags
 * the shapes it cannot follow, so that callers refuse rather than guess.
 * Both readers of /etc/default/grub (kcmdline's editor and vfio-early plan,
 * through grubdef.c) take their refusals from here: one list of shapes, one
 * wording.  No libc extensions: klibc builds it into vfio-early.
 */
#ifndef KC_SHSCAN_H
#define KC_SHSCAN_H

#include <stddef.h>

struct sh_use {
	size_t off;		/* where the name starts */
	unsigned line;		/* 1-based */
	int first_word;		/* the first word of a top-level line */
};

struct sh_scan {
	struct sh_use *v;
	size_t n, cap;
	const char *problem;	/* a shape we cannot follow, or NULL */
	unsigned problem_line;
};

/* Record VAR's uses (var may be "" to only look for problems). */
void sh_scan(const char *s, size_t len, const char *var, struct sh_scan *sc);
void sh_scan_free(struct sh_scan *sc);

int sh_is_blank(char c);

#endif
