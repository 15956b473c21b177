/* SPDX-License-Identifier: MIT */
/* What to run after an edit so that the next boot uses the new line. */
#ifndef KC_NEXTSTEP_H
#define KC_NEXTSTEP_H

#include <stdio.h>

/* GRUB: regenerate grub.cfg; a plain file: rebuild what embeds it. */
void nextstep_print(FILE *out, int grub);

/* 1 if TOOL is in PATH or an sbin directory. */
int nextstep_installed(const char *tool);

#endif
