/* SPDX-License-Identifier: MIT */
/*
 * The boot pass as a program: options, /proc/cmdline, scan, plan, bind,
 * status file. Both binaries run it: the boot-only one (early/main.c) and
 * the full one (early/admin/main.c) when no subcommand is named.
 */
#ifndef VFE_BOOT_H
#define VFE_BOOT_H

#ifndef VFIO_EARLY_VERSION
#define VFIO_EARLY_VERSION "unknown"
#endif

/* Exit status: 0 in boot mode whatever happened; 2 for a bad option,
 * 1 when --dry-run cannot open --root. usage is printed for --help. */
int boot_main(int argc, char **argv, const char *usage);

#endif
