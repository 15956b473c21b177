/* SPDX-License-Identifier: MIT */
/*
 * Kernel modules on the booted host, through libkmod as systemd-udevd's
 * kmod builtin uses it (src/shared/module-util.c: module_load_and_warn()):
 * kmod_module_new_from_lookup() resolves a modalias or a name with
 * modprobe.d's aliases and blacklist, modules.alias, modules.dep and
 * modules.builtin; kmod_module_probe_insert_module() loads with the
 * dependencies and softdeps. No modprobe run, no reading of modules.* here.
 * Returns are >= 0 or -errno.
 */
#ifndef VFE_HOSTMOD_H
#define VFE_HOSTMOD_H

#include <stddef.h>

enum hostmod_kind {
	HOSTMOD_NONE,		/* no module answers to the name */
	HOSTMOD_MODULE,		/* a module file in modules.dep */
	HOSTMOD_BUILTIN,	/* built into the kernel (modules.builtin) */
};

/*
 * What alias (a name or a modalias) resolves to for kernel release, as a
 * comma-separated list of module names in buf ("" for none); with root
 * (--root), in ROOT/lib/modules/RELEASE and ROOT's modprobe.d directories,
 * else the running system's. Returns the kind of the first module found.
 */
int hostmod_lookup(const char *root, const char *release, const char *alias, char *buf,
		   size_t size);
/*
 * Load what alias resolves to on the running system, as udevd does:
 * blacklisted modules are skipped (KMOD_PROBE_APPLY_BLACKLIST), loaded or
 * built-in ones count as done; options (may be NULL) go after modprobe.d's.
 * 0, -ENOENT when nothing matches, or the first load error.
 */
int hostmod_load(const char *alias, const char *options);

#endif
