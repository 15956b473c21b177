// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the boot-loader file readers shared by kcmdline and
 * vfio-early plan (kcmdline/blsentry.c, grubenv.c, kernelcmd.c) on
 * arbitrary contents.  They must never crash; the options of an entry are
 * never longer than the entry; kernel-install's line never longer than its
 * file; a grubenv block rewritten with a variable keeps its size and gives
 * the value back.
 */
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "grubenv.h"
#include "kernelcmd.h"

static void entry(const char *text, size_t size)
{
	struct bls_entry e;
	const char *why;
	char *copy = malloc(size + 1), *opts, *x;

	if (!copy)
		return;
	memcpy(copy, text, size + 1);
	if (bls_parse(copy, size, "id", &e, &why) == 0) {
		opts = bls_options(&e);
		if (opts && strlen(opts) > size)
			__builtin_trap();
		if (e.n_options && (e.opt_start > e.opt_end || e.opt_end > size))
			__builtin_trap();
		x = opts ? bls_expand(opts, text, size) : NULL;
		free(x);
		free(opts);
	}
	bls_entry_free(&e);
}

static void env_block(const char *text, size_t size)
{
	static const char val[] = "root=/dev/x ro \\ quiet";
	const char *why;
	char *out = NULL, *got, *v = grubenv_get(text, size, "kernelopts");

	free(v);
	if (grubenv_set(text, size, "kernelopts", val, sizeof(val) - 1, &out, &why) == 0) {
		got = grubenv_get(out, size, "kernelopts");
		if (!got || strcmp(got, val))
			__builtin_trap();
		free(got);
		free(out);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *text = malloc(size + 1), *line;
	const char *why;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	entry(text, size);
	env_block(text, size);
	line = kernelcmd_line(text, size, &why);
	if (line && strlen(line) > size)
		__builtin_trap();
	free(line);
	free(text);
	return 0;
}
