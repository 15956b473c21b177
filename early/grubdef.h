/* SPDX-License-Identifier: MIT */
/*
 * The kernel command line GRUB will write from /etc/default/grub (a file
 * sourced by sh): GRUB_CMDLINE_LINUX, then GRUB_CMDLINE_LINUX_DEFAULT.
 * Follows plain assignments with quotes, escapes and $VAR of those two;
 * refuses shapes it cannot follow rather than guess.
 */
#ifndef VFE_GRUBDEF_H
#define VFE_GRUBDEF_H

#include <stddef.h>

struct grub_vars {
	char *lnx;	/* GRUB_CMDLINE_LINUX, NULL until assigned */
	char *dflt;	/* GRUB_CMDLINE_LINUX_DEFAULT */
};

/* Apply text's assignments in order; 0, or -1 with *why (a static string)
 * and *line (1-based) saying what could not be followed. */
int grubdef_apply(struct grub_vars *v, const char *text, size_t len, const char **why,
		  unsigned *line);
/* Both values as grub joins them on the linux line; malloc'ed, NULL if OOM. */
char *grubdef_cmdline(const struct grub_vars *v);
void grubdef_free(struct grub_vars *v);

#endif
