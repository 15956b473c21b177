// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the one reader of /etc/default/grub (kcmdline/grubdef/:
 * grubdef.c with shscan.c's shape checks), behind `vfio-early plan` and kcmdline, on
 * arbitrary file contents. It must refuse or parse, never crash, never
 * return a command line longer than its own cap, and refuse a shape exactly
 * when grubdef_shape() (what kcmdline refuses) names one, at a line that
 * exists in the file.
 */
#include <stdlib.h>
#include <string.h>

#include "grubdef.h"

static unsigned count_lines(const char *s, size_t n)
{
	unsigned lines = 1;

	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	return lines;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct grub_vars v = { NULL, NULL };
	char *text = malloc(size + 1), *line;
	const char *why = NULL, *shape;
	unsigned lineno = 0, shape_line = 0;
	int r;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	r = grubdef_apply(&v, text, size, &why, &lineno);
	shape = grubdef_shape(text, size, &shape_line);
	if ((r == GRUBDEF_SHAPE) != (shape != NULL) || (r && (!why || lineno > count_lines(text, size))))
		__builtin_trap();
	line = grubdef_cmdline(&v);
	if (line && strlen(line) > 4 * 65536)
		__builtin_trap();
	free(line);
	grubdef_free(&v);
	free(text);
	return 0;
}
