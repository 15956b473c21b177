/* SPDX-License-Identifier: MIT */
/* vfio-early check: findings, and the checks that look at files on disk. */
#ifndef VFE_CHECK_H
#define VFE_CHECK_H

#include "cmd.h"

enum verdict { V_PASS, V_WARN, V_FAIL };

/* One finding: VERDICT NAME text, then "fix: ..." unless fix is NULL. */
void check_finding(enum verdict v, const char *name, const char *fix, const char *format, ...)
	__attribute__((format(printf, 4, 5)));

/* For each device the plan binds: its reset_method, and for a display
 * device a firmware framebuffer (efifb, simpledrm, BOOTFB) on its BARs. */
void check_devices(const struct pci_list *l);
/* vfio-pci available for the running kernel release. */
void check_vfio_module(const struct cmd_ctx *x, const char *release);
/* vfio-early and the vfio modules inside this kernel's initrd. */
void check_initrd(const struct cmd_ctx *x, const char *release);
/* 1 if lib/modules/RELEASE/modules.builtin lists the module file. */
int check_builtin(const char *release, const char *ko);

#endif
