/* SPDX-License-Identifier: MIT */
/*
 * GRUB's environment block (grubenv): "# GRUB Environment Block\n", then
 * NAME=VALUE lines ('\' and newline escaped by '\'), padded with '#' to a
 * fixed size (1024 bytes) that GRUB rewrites in place at boot.  Fedora's
 * older BLS entries say "options $kernelopts" and keep the line here.
 * The one reader for kcmdline and vfio-early plan; libc-only (klibc).
 */
#ifndef KC_GRUBENV_H
#define KC_GRUBENV_H

#include <stddef.h>

#define GRUBENV_SIG "# GRUB Environment Block\n"

/* NAME's value, unescaped, malloc'ed; NULL when absent or text is not a
 * block. */
char *grubenv_get(const char *text, size_t len, const char *name);

/* The block with NAME=VAL (replaced in place, or added at the end of the
 * variables) and the padding adjusted so the size stays len: 0 and a
 * malloc'ed *out of len bytes, or -1 with *why. */
int grubenv_set(const char *text, size_t len, const char *name, const char *val, size_t vlen,
		char **out, const char **why);

#endif
