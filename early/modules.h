/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules, in boot mode only (never under --root):
 * vfio-pci from the list the image-build hook resolved with kmod
 * (lib/modules/RELEASE/vfio-early.modules, dependencies first, loaded with
 * finit_module), else kmod's modprobe; rd.driver.* lists via modprobe.
 */
#ifndef VFE_MODULES_H
#define VFE_MODULES_H

#include <stddef.h>

#include "config.h"

/* 0 when the vfio-pci driver is registered afterwards, -errno otherwise. */
int modules_ensure_vfio(const char *cmdline, size_t len);
/* modprobe each name (skipping blacklisted ones); phase is "pre" or "post". */
void modules_load_list(const struct strlist *names, const struct strlist *blacklist,
		       const char *phase);
/* Write etc/modprobe.d/vfio-early-blacklist.conf for udev's module loading. */
int modules_write_blacklist(const struct strlist *blacklist);
/* "param=val ..." for module mod (name with '_' or '-') from the cmdline. */
int modules_cmdline_params(const char *mod, const char *cmdline, size_t len,
			   char *buf, size_t size);

#endif
