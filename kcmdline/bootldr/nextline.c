// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "grubdef.h"
#include "kernelcmd.h"
#include "nextline.h"
#include "slurp.h"

/* Static names carry nl_ (build/unity.c includes this file with early/). */

#define NL_GRUB "etc/default/grub"
#define NL_GRUB_DIR "etc/default/grub.d"

static int nl_fail(struct boot_next *n, const char *what, const char *path)
{
	snprintf(n->why, sizeof(n->why), "%s%s%s", path ? path : "", path ? ": " : "", what);
	return -1;
}

static const char *nl_read_error(int r)
{
	const char *why = slurp_why(r);

	return why ? why : strerror(-r);
}

/* One file of GRUB's settings, applied to v. */
static int nl_grub_file(const struct boot_host *h, const char *rel, struct grub_vars *v,
			struct boot_next *n)
{
	char path[512], *text;
	const char *why;
	unsigned line;
	size_t len;
	int r = boot_read(h, rel, &text, &len);

	boot_path(h, rel, path, sizeof(path));
	if (r < 0)
		return nl_fail(n, nl_read_error(r), path);
	r = grubdef_apply(v, text, len, &why, &line);
	free(text);
	if (r == GRUBDEF_SHAPE)
		snprintf(n->why, sizeof(n->why), GRUBDEF_SHAPE_MSG, path, line, why);
	else if (r)
		snprintf(n->why, sizeof(n->why), "%s:%u: cannot follow %s", path, line, why);
	return r ? -1 : 0;
}

static int nl_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int nl_cfg_name(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && name[0] != '.' && !strcmp(name + n - 4, ".cfg");
}

/* The names of grub.d's *.cfg files, in the order grub-mkconfig sources
 * them (name order); their count, names[] malloc'ed. */
static size_t nl_dropins(const struct boot_host *h, char ***names)
{
	char dir[512], **grown;
	DIR *d = opendir(boot_path(h, NL_GRUB_DIR, dir, sizeof(dir)));
	struct dirent *de;
	size_t k = 0;

	*names = NULL;
	while (d && (de = readdir(d))) {
		if (!nl_cfg_name(de->d_name))
			continue;
		grown = realloc(*names, (k + 1) * sizeof(*grown));
		if (!grown)
			break;
		*names = grown;
		if (((*names)[k] = strdup(de->d_name)))
			k++;
	}
	if (d)
		closedir(d);
	if (k)
		qsort(*names, k, sizeof(**names), nl_by_name);
	return k;
}

static int nl_grub(const struct boot_host *h, struct boot_next *n)
{
	struct grub_vars v = { NULL, NULL };
	char **names, rel[512];
	size_t k = nl_dropins(h, &names);
	int r = nl_grub_file(h, NL_GRUB, &v, n);

	for (size_t i = 0; i < k; i++) {
		snprintf(rel, sizeof(rel), NL_GRUB_DIR "/%s", names[i]);
		if (!r)
			r = nl_grub_file(h, rel, &v, n);
		free(names[i]);
	}
	free(names);
	if (!r && !(n->line = grubdef_cmdline(&v)))
		r = nl_fail(n, "out of memory", NULL);
	grubdef_free(&v);
	snprintf(n->src, sizeof(n->src), "GRUB_CMDLINE_LINUX + GRUB_CMDLINE_LINUX_DEFAULT in "
		 "%s/" NL_GRUB "%s", h->root, k ? " and grub.d/*.cfg" : "");
	return r;
}

/* /etc/kernel/cmdline, as kernel-install reads it. */
static int nl_kernelcmd(const struct boot_host *h, struct boot_next *n)
{
	char path[512], *text;
	const char *why;
	size_t len;
	int r;

	if (!h->kcmd[0])
		return nl_fail(n, "no /" KERNELCMD_ETC " (kernel-install would copy the running "
			       "kernel's line)", NULL);
	boot_path(h, h->kcmd, path, sizeof(path));
	r = boot_read(h, h->kcmd, &text, &len);
	if (r < 0)
		return nl_fail(n, nl_read_error(r), path);
	n->line = kernelcmd_line(text, len, &why);
	free(text);
	if (!n->line)
		return nl_fail(n, why, path);
	snprintf(n->src, sizeof(n->src), "%s", path);
	return 0;
}

/* The options of the entry the boot loader starts, $variables expanded
 * from grubenv on GRUB with BLS (GRUB's blscfg does; systemd-boot not). */
static int nl_entry(const struct boot_host *h, struct boot_next *n)
{
	struct bls_list l;
	char dir[512], *env = NULL, *opts;
	const char *how;
	size_t env_len = 0;
	int unreadable, i;

	boot_path(h, h->entries, dir, sizeof(dir));
	if (bls_list_read(dir, &l, &unreadable) < 0 || !l.n) {
		bls_list_free(&l);
		if (h->family == BOOT_SDBOOT)
			return nl_kernelcmd(h, n);
		return nl_fail(n, "no boot entry", dir);
	}
	i = boot_default_entry(h, &l, &how);
	opts = i >= 0 ? bls_options(&l.v[i]) : NULL;
	if (opts && h->family == BOOT_GRUB_BLS && bls_refs_env(opts) && h->grubenv[0])
		(void)boot_read(h, h->grubenv, &env, &env_len);	/* unset: empty, as GRUB */
	n->line = opts && h->family == BOOT_GRUB_BLS ? bls_expand(opts, env, env_len) : opts;
	if (n->line != opts)
		free(opts);
	if (i >= 0)
		snprintf(n->src, sizeof(n->src), "options of %s/%s.conf, %s%s", dir, l.v[i].id,
			 how, env ? ", $variables from grubenv" : "");
	free(env);
	bls_list_free(&l);
	return n->line ? 0 : nl_fail(n, "no usable boot entry", dir);
}

int boot_next_line(const struct boot_host *h, struct boot_next *n)
{
	memset(n, 0, sizeof(*n));
	switch (h->family) {
	case BOOT_GRUB:
		return nl_grub(h, n);
	case BOOT_GRUB_BLS:
	case BOOT_SDBOOT:
		return h->entries[0] ? nl_entry(h, n) : nl_kernelcmd(h, n);
	case BOOT_UKI:
	case BOOT_PROXMOX:
		return nl_kernelcmd(h, n);
	default:
		snprintf(n->why, sizeof(n->why), "cannot tell which boot loader this host uses "
			 "(%s)", h->why);
		return -1;
	}
}

void boot_next_free(struct boot_next *n)
{
	free(n->line);
	n->line = NULL;
}
