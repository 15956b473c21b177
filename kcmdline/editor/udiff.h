/* SPDX-License-Identifier: MIT */
/* A unified diff between two versions of a file, one hunk, for patch(1). */
#ifndef KC_UDIFF_H
#define KC_UDIFF_H

#include <stddef.h>
#include <stdio.h>

/* Nothing when A and B are equal; both headers name PATH. */
void udiff_print(FILE *out, const char *path, const char *a, size_t alen,
		 const char *b, size_t blen);

#endif
