/* SPDX-License-Identifier: MIT */
/*
 * /etc/kernel/cmdline: the command line kernel-install writes into the
 * boot entries and unified kernel images it makes (systemd-boot, UKIs,
 * Proxmox's proxmox-boot-tool).  The one reader for kcmdline and
 * vfio-early plan; libc-only (klibc).
 */
#ifndef KC_KERNELCMD_H
#define KC_KERNELCMD_H

#include <stddef.h>

/* kernel-install's order: the first of these that exists is used (with
 * neither, it copies the running kernel's /proc/cmdline). */
#define KERNELCMD_ETC "etc/kernel/cmdline"
#define KERNELCMD_LIB "usr/lib/kernel/cmdline"

/* The command line the file gives, as kernel-install uses it: the whole
 * file, newlines being blanks to the kernel, trailing blanks dropped;
 * malloc'ed, or NULL with *why (NUL bytes, out of memory). */
char *kernelcmd_line(const char *text, size_t len, const char **why);

#endif
