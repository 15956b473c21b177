// SPDX-License-Identifier: MIT
/*
 * Variant drivers on the booted host (variant.h): the vfio_pci aliases of a
 * kernel release's modules.alias, the choice for the devices of a plan,
 * and loading a variant's module through libkmod.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "bind.h"
#include "cmd.h"
#include "fmt.h"
#include "hostmod.h"
#include "log.h"
#include "slurp.h"
#include "variant.h"

#define ALIAS_FILE_MAX (64u << 20)	/* modules.alias: about 1.3 MiB for Debian's kernels */
#define ALIAS_LINE "alias vfio_pci:"

/* Only the "alias vfio_pci:" lines of text, in place; their length. */
static size_t keep_vfio_lines(char *text, size_t len)
{
	size_t n = 0, k = sizeof(ALIAS_LINE) - 1;

	for (char *p = text; p < text + len;) {
		char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t l = nl ? (size_t)(nl - p) + 1 : (size_t)(text + len - p);

		if (l > k && !memcmp(p, ALIAS_LINE, k)) {
			memmove(text + n, p, l);
			n += l;
		}
		p += l;
	}
	text[n] = '\0';
	return n;
}

int cmd_variant_aliases(const struct cmd_ctx *x, const char *release, char **text, size_t *len)
{
	static const char *const dirs[] = { "lib/modules", "usr/lib/modules" };
	char rel[320], path[4096];
	struct utsname u;
	int r = -ENOENT;

	*text = NULL;
	*len = 0;
	if (!release && uname(&u) < 0)
		return -errno;
	if (!release)
		release = u.release;
	for (size_t i = 0; r == -ENOENT && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		fmt(rel, sizeof(rel), "%s/%s/modules.alias", dirs[i], release);
		r = slurp_at(AT_FDCWD, cmd_path(x, rel, path, sizeof(path)), ALIAS_FILE_MAX, text,
			     len);
	}
	if (r < 0)
		return r;
	*len = keep_vfio_lines(*text, *len);
	return 0;
}

int cmd_variants(const struct cmd_ctx *x, struct pci_list *l, const struct config *c,
		 const char *release)
{
	char *text = NULL;
	size_t len = 0;
	int r = cmd_variant_aliases(x, release, &text, &len);

	if (r < 0)
		log_info("no modules.alias for kernel %s (%s): vfio-pci for every device",
			 release ? release : "running", cmd_read_error(r));
	variant_choose(l, c->variant_off, text, len);
	free(text);
	return r < 0 ? r : 0;
}

static int host_load_variant(const char *module, const struct bind_opts *o)
{
	(void)o;	/* libkmod adds modprobe.d's options itself */
	return hostmod_load(module, NULL);
}

void cmd_bind_opts(const struct cmd_ctx *x, const struct config *c, struct bind_opts *bo,
		   const char *line, size_t len, long deadline)
{
	char *text = NULL;
	size_t n = 0;

	bo->load_modules = !x->root;
	bo->cmdline = line;
	bo->cmdline_len = len;
	bo->deadline = deadline;
	bo->variant_off = c->variant_off;
	bo->load_variant = x->root ? NULL : host_load_variant;
	if (!c->variant_off && cmd_variant_aliases(x, NULL, &text, &n) < 0)
		log_info("no modules.alias for the running kernel: vfio-pci for every device");
	bo->aliases = text;
	bo->aliases_len = n;
}
