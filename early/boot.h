/* SPDX-License-Identifier: MIT */
/*
 * The boot pass as a program: options, /proc/cmdline, scan, plan, bind,
 * status file. Only the boot binary runs it (early/main.c, installed as
 * /usr/lib/vfio-early/vfio-early-boot and run by the initrd's hooks); the
 * host's vfio-early (early/admin/main.c) never does.
 */
#ifndef VFE_BOOT_H
#define VFE_BOOT_H

#ifndef VFIO_EARLY_VERSION
#define VFIO_EARLY_VERSION "unknown"
#endif

/* Exit status: 0 in boot mode whatever happened; 2 for a bad option, or
 * when the root (/ or --root) is not an initrd's and --dry-run is not
 * given: one line on stderr, nothing written (not even to the kernel
 * log); 1 when --dry-run cannot open --root. usage is printed for --help. */
int boot_main(int argc, char **argv, const char *usage);

#endif
