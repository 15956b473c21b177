/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules, in boot mode only (never under --root):
 * vfio-pci from the list the image-build hook resolved with kmod
 * (lib/modules/RELEASE/vfio-early.modules, "PATH [OPTIONS]" per line,
 * dependencies first, loaded with finit_module), else kmod's modprobe;
 * rd.driver.* lists via modprobe. vfio-pci is always loaded without ids=:
 * those ids are selectors of the plan, so the guards apply to them.
 * "cmdline" below is modules_read_list()'s options followed by the command line.
 */
#ifndef VFE_MODULES_H
#define VFE_MODULES_H

#include <stddef.h>

#include "config.h"

enum mod_comp { COMP_NONE, COMP_GZIP, COMP_XZ, COMP_ZSTD };

/*
 * Read the image's list (under any root) once; returns its modules' options
 * in the command line's form (" vfio_pci.ids=... vfio_pci.disable_vga=1",
 * "" for none), to go before the command line: vfio-pci's ids= become
 * selectors of the plan, the rest reach the modules, the command line wins.
 */
char *modules_read_list(void);
/* 0 when the vfio-pci driver is registered afterwards, -errno otherwise;
 * modprobe runs end by the deadline dl at the latest. */
int modules_ensure_vfio(const char *cmdline, size_t len, long dl);
/* Load variant module's section of the list (or modprobe it when the list
 * has none, or a load failed); 0 or -errno. */
int modules_load_variant(const char *module, const char *cmdline, size_t len, long dl);
/* The list's text, whose "alias vfio_pci:..." lines are its variants'
 * (variant.h); NULL when there is no list. */
const char *modules_variant_aliases(size_t *len);
/* modprobe each name (skipping blacklisted ones); phase is "pre" or "post". */
void modules_load_list(const struct strlist *names, const struct strlist *blacklist,
		       const char *phase, long dl);
/* Write etc/modprobe.d/vfio-early-blacklist.conf for udev's module loading. */
int modules_write_blacklist(const struct strlist *blacklist);
/* "param=val ..." for module mod (name with '_' or '-') from the cmdline,
 * without vfio-pci's ids=. */
int modules_cmdline_params(const char *mod, const char *cmdline, size_t len,
			   char *buf, size_t size);
/* The compression of an open module file, by its magic bytes. */
enum mod_comp modules_compression(int fd);
const char *modules_compression_name(enum mod_comp c);
/* The first of the usual places holding an executable modprobe, or NULL. */
const char *modules_modprobe_path(void);

#endif
