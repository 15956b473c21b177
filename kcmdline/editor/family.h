/* SPDX-License-Identifier: MIT */
/*
 * kcmdline's side of the boot-loader families (bootfam.c finds the family):
 * the files an edit changes on each, what to run after it, and the
 * "kcmdline where" report.
 */
#ifndef KC_FAMILY_H
#define KC_FAMILY_H

#include <stdio.h>

#include "bootfam.h"
#include "target.h"

struct target_list {
	struct target *v;
	int n;
};

/* The targets an add or remove edits on h's family: 0, or an exit code
 * after saying why (an unknown family, an unreadable entry). */
int family_targets(const struct boot_host *h, struct target_list *l);
void family_targets_free(struct target_list *l);

/* The exact commands that make the next boot use the edited files. */
void family_next_steps(FILE *out, const struct boot_host *h);

/* --apply: run those commands; 0, or EXIT_IO after saying which failed. */
int family_apply(const struct boot_host *h);

/* kcmdline where: the family, why, what is edited and what is run;
 * EXIT_DONE, or EXIT_USAGE for an unknown family. */
int family_where(FILE *out, const struct boot_host *h);

#endif
