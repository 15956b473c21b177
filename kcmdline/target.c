/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <err.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"
#include "note.h"
#include "target.h"

/* grub-mkconfig also sources FILE.d/NAME.cfg after FILE: those win. */
static void warn_overrides(const struct target *t)
{
	struct buf data = { 0 };
	char *pattern;
	glob_t g;
	size_t i;

	if (asprintf(&pattern, "%s.d/*.cfg", t->lf.path) < 0)
		errx(EXIT_IO, "out of memory");
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++) {
			data.len = 0;
			if (read_all(g.gl_pathv[i], &data) == 0 &&
			    grub_uses(buf_str(&data), data.len, t->var))
				warnx("warning: %s also sets %s and is read "
				      "after %s; edit it with --grub",
				      g.gl_pathv[i], t->var, t->path);
		}
		globfree(&g);
	}
	free(pattern);
	buf_free(&data);
}

static int load_grub(struct target *t)
{
	const struct buf *d = &t->lf.data;

	if (grub_find(buf_str(d), d->len, t->var, t->path, &t->assign) < 0)
		return EXIT_REFUSED;
	grub_value(buf_str(d), &t->assign, &t->line);
	warn_overrides(t);
	return 0;
}

static int load_plain(struct target *t)
{
	const struct buf *d = &t->lf.data;

	if (memchr(buf_str(d), '\0', d->len)) {
		warnx("%s: refusing: the file has NUL bytes", t->path);
		return EXIT_REFUSED;
	}
	buf_add(&t->line, buf_str(d), d->len);
	return 0;
}

static void hint_missing(const struct target *t)
{
	if (access(t->path, F_OK) == 0)
		return;
	if (t->kind == TARGET_GRUB)
		note("no GRUB here? systemd-boot and Proxmox keep the command "
		     "line in /etc/kernel/cmdline (use --file)");
	else
		note("to start from the running kernel's: cp /proc/cmdline %s",
		     t->path);
}

int target_load(struct target *t, int edit, int clean)
{
	int rc;

	if (t->kind == TARGET_PROC)
		return read_all(t->path, &t->line);
	t->opened = 1;
	rc = lf_open(&t->lf, t->path, edit && clean);
	if (rc == EXIT_USAGE)
		hint_missing(t);
	if (rc)
		return rc;
	return t->kind == TARGET_GRUB ? load_grub(t) : load_plain(t);
}

int target_render(const struct target *t, const struct buf *line,
		  struct buf *file)
{
	const struct buf *d = &t->lf.data;

	if (t->kind == TARGET_GRUB)
		return grub_render(buf_str(d), d->len, t->var, &t->assign,
				   line, file) ? EXIT_REFUSED : 0;
	buf_add(file, buf_str(line), line->len);
	/* a new file gets a final newline, like any text file */
	if (!d->len && line->len && line->p[line->len - 1] != '\n')
		buf_addc(file, '\n');
	return 0;
}

token_check_fn target_token_check(const struct target *t)
{
	return t->kind == TARGET_GRUB ? grub_token_ok : NULL;
}

void target_free(struct target *t)
{
	if (t->opened)
		lf_close(&t->lf);
	buf_free(&t->line);
}
