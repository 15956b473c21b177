/* SPDX-License-Identifier: MIT */
/*
 * The command line the next boot's kernel gets on a host's boot-loader
 * family, put together from the readers beside it (bootfam, blsentry,
 * grubenv, kernelcmd, grubdef) as vfio-early plan puts it together
 * (early/admin/cmd_plan.c cmd_next_boot_line()): GRUB's LINUX then
 * LINUX_DEFAULT (the grub.d files applied after the file), the options of the
 * entry the boot loader starts ($variables from grubenv on GRUB with BLS),
 * or /etc/kernel/cmdline.  For kcmdline show --next; says nothing itself.
 */
#ifndef KC_NEXTLINE_H
#define KC_NEXTLINE_H

#include "bootfam.h"

struct boot_next {
	char *line;		/* malloc'ed; NULL when it cannot be told */
	char src[640];		/* where it was read */
	char why[640];		/* why not, when line is NULL */
};

/* Fill *n for h's family: 0, or -1 with n->why set. */
int boot_next_line(const struct boot_host *h, struct boot_next *n);
void boot_next_free(struct boot_next *n);

#endif
