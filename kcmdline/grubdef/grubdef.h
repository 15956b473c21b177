/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line GRUB will write from /etc/default/grub (a file
 * sourced by sh): GRUB_CMDLINE_LINUX, then GRUB_CMDLINE_LINUX_DEFAULT.
 * Follows plain assignments with quotes, escapes and $VAR of those two;
 * refuses shapes it cannot follow rather than guess.  The one evaluator of
 * the file: vfio-early plan uses it for the whole line, kcmdline to know
 * what comes before the variable it edits.  The file shapes both refuse
 * (here-documents, functions, control flow) come from shscan.c, with the
 * same words, through grubdef_shape().
 */
#ifndef KC_GRUBDEF_H
#define KC_GRUBDEF_H

#include <stddef.h>

struct grub_vars {
	char *lnx;	/* GRUB_CMDLINE_LINUX, NULL until assigned */
	char *dflt;	/* GRUB_CMDLINE_LINUX_DEFAULT */
};

enum { GRUBDEF_OK = 0, GRUBDEF_UNFOLLOWED = -1, GRUBDEF_SHAPE = -2 };

/* Apply text's assignments in order; GRUBDEF_OK, or GRUBDEF_SHAPE (see
 * grubdef_shape) or GRUBDEF_UNFOLLOWED (a value built by something other
 * than quotes and these two variables) with *why (a static string) and
 * *line (1-based). */
int grubdef_apply(struct grub_vars *v, const char *text, size_t len, const char **why,
		  unsigned *line);
/* A shape of the file that neither reader evaluates exactly (a here-
 * document, a function, control flow, an open quote, NUL bytes), with its
 * line; NULL when there is none. */
const char *grubdef_shape(const char *text, size_t len, unsigned *line);

/* How both tools say it: path, line, then grubdef_shape()'s words. */
#define GRUBDEF_SHAPE_MSG "%s:%u: cannot evaluate this file exactly: %s"

/* Both values as grub joins them on the linux line; malloc'ed, NULL if OOM. */
char *grubdef_cmdline(const struct grub_vars *v);
void grubdef_free(struct grub_vars *v);

#endif
