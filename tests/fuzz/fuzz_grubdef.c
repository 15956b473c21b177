// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the /etc/default/grub reader behind `vfio-early plan` on
 * arbitrary file contents. It must refuse or parse, never crash, and never
 * return a command line longer than its own cap.
 */
#include <stdlib.h>
#include <string.h>

#include "grubdef.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct grub_vars v = { NULL, NULL };
	char *text = malloc(size + 1), *line;
	const char *why;
	unsigned lineno;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	grubdef_apply(&v, text, size, &why, &lineno);
	line = grubdef_cmdline(&v);
	if (line && strlen(line) > 4 * 65536)
		__builtin_trap();
	free(line);
	grubdef_free(&v);
	free(text);
	return 0;
}
