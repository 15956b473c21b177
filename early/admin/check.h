/* SPDX-License-Identifier: MIT */
/* vfio-early check: the checks that look at devices and files on disk. */
#ifndef VFE_CHECK_H
#define VFE_CHECK_H

#include "cmd.h"

/* For each device the plan binds: its reset_method, and for a display
 * device a firmware framebuffer (efifb, simpledrm, BOOTFB) on its BARs. */
void check_devices(const struct pci_list *l);
/* vfio-pci available for the running kernel release. */
void check_vfio_module(const struct cmd_ctx *x, const char *release);
/* vfio-early and the vfio modules inside this kernel's initrd. */
void check_initrd(const struct cmd_ctx *x, const char *release);
/* The next boot's line against the running one (now) in the keys
 * vfio-early reads; the recovery switch with a UKI under Secure Boot. */
void check_boot(const struct cmd_ctx *x, const char *now);
/* 1 if module name (as modprobe takes it) is built into kernel release,
 * as libkmod finds it (under --root: in its tree). */
int check_builtin(const struct cmd_ctx *x, const char *release, const char *name);
/* The vfio-pci ids the boot pass read from the image's modprobe.d (the
 * status file's record) against /etc/modprobe.d now: a WARN when they differ. */
void check_image_ids(void);

#endif
