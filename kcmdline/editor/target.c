/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <err.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blsentry.h"
#include "exitcode.h"
#include "grubdef.h"
#include "grubenv.h"
#include "note.h"
#include "target.h"
#include "tokens.h"

/* Apply one file's assignments; what cannot be evaluated leaves both
 * values unknown (NULL). */
static void evaluate(struct grub_vars *v, const struct buf *data)
{
	const char *why;
	unsigned line;

	if (grubdef_apply(v, buf_str(data), data->len, &why, &line))
		grubdef_free(v);
}

/* grub-mkconfig also sources FILE.d/NAME.cfg after FILE, in name order:
 * their assignments win.  Each is read (bounded); one that cannot be read
 * is an error, since the line GRUB writes is then unknown. */
static int read_dropins(const struct target *t, struct grub_vars *v)
{
	struct buf data = { 0 };
	char *pattern;
	glob_t g;
	size_t i;
	int rc = 0;

	if (asprintf(&pattern, "%s.d/*.cfg", t->lf.path) < 0)
		errx(EXIT_IO, "out of memory");
	if (glob(pattern, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc && !rc; i++) {
			data.len = 0;
			rc = read_all(g.gl_pathv[i], &data);
			if (rc)
				break;
			if (grub_uses(buf_str(&data), data.len, t->var))
				warnx("warning: %s also sets %s and is read "
				      "after %s; edit it with --grub",
				      g.gl_pathv[i], t->var, t->path);
			if (v->lnx)
				evaluate(v, &data);
		}
		globfree(&g);
	}
	free(pattern);
	buf_free(&data);
	return rc;
}

/*
 * GRUB writes "linux ... $GRUB_CMDLINE_LINUX $GRUB_CMDLINE_LINUX_DEFAULT":
 * a bare "--" (or a '"' left open) in the first puts all of the second
 * where the kernel hands it to init.  Known only when both the file and
 * its drop-ins evaluate; otherwise v->lnx is NULL and nothing is claimed.
 */
static void check_preceding(struct target *t, const struct grub_vars *v)
{
	struct toks tk;

	if (strcmp(t->var, DEFAULT_VAR))
		return;
	if (!v->lnx) {
		note("cannot evaluate GRUB_CMDLINE_LINUX exactly; not checked "
		     "for a '--' before %s", t->var);
		return;
	}
	toks_split(&tk, v->lnx, strlen(v->lnx));
	if (tk.params_end < tk.len)
		t->hidden = "GRUB_CMDLINE_LINUX has a bare '--'";
	else if (!toks_quotes_balanced(&tk))
		t->hidden = "GRUB_CMDLINE_LINUX leaves a '\"' open";
	toks_free(&tk);
}

static int load_grub(struct target *t)
{
	const struct buf *d = &t->lf.data;
	struct grub_vars v = { NULL, NULL };
	int rc;

	if (grub_find(buf_str(d), d->len, t->var, t->path, &t->assign) < 0)
		return EXIT_REFUSED;
	grub_value(buf_str(d), &t->assign, &t->line);
	v.lnx = strdup("");
	if (!v.lnx)
		errx(EXIT_IO, "out of memory");
	evaluate(&v, d);
	rc = read_dropins(t, &v);
	if (!rc)
		check_preceding(t, &v);
	grubdef_free(&v);
	return rc;
}

/* A line of only a comment: kernel-install drops it (kernelcmd.c), an add
 * after it would be lost. */
static int has_comment_line(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (i && s[i - 1] != '\n')
			continue;
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < len && s[i] == '#')
			return 1;
	}
	return 0;
}

static int load_plain(struct target *t)
{
	const struct buf *d = &t->lf.data;

	if (memchr(buf_str(d), '\0', d->len)) {
		warnx("%s: refusing: the file has NUL bytes", t->path);
		return EXIT_REFUSED;
	}
	if (has_comment_line(buf_str(d), d->len)) {
		warnx("%s: refusing: the file has '#' comment lines, which "
		      "kernel-install drops; edit it by hand", t->path);
		return EXIT_REFUSED;
	}
	buf_add(&t->line, buf_str(d), d->len);
	return 0;
}

/* The one options line of an entry (blsentry.c, as plan reads it). */
static int load_bls(struct target *t)
{
	const struct buf *d = &t->lf.data;
	struct bls_entry e;
	const char *why;
	char *text = malloc(d->len + 1);
	int rc = 0;

	if (!text)
		errx(EXIT_IO, "out of memory");
	memcpy(text, buf_str(d), d->len + 1);
	if (bls_parse(text, d->len, "", &e, &why) < 0) {
		warnx("%s: refusing: %s", t->path, why);
		rc = EXIT_REFUSED;
	} else if (e.n_options > 1) {
		warnx("%s: refusing: %u options lines (the boot loader joins "
		      "them); edit the entry by hand", t->path, e.n_options);
		rc = EXIT_REFUSED;
	} else {
		t->has_options = e.n_options == 1;
		t->opt_start = e.opt_start;
		t->opt_end = e.opt_end;
		buf_add(&t->line, buf_str(d) + e.opt_start, e.opt_end - e.opt_start);
	}
	bls_entry_free(&e);
	return rc;
}

static int load_grubenv(struct target *t)
{
	const struct buf *d = &t->lf.data;
	char *val = grubenv_get(buf_str(d), d->len, t->var);

	if (!val) {
		warnx("%s: refusing: no %s in this GRUB environment block, but "
		      "boot entries use $%s; edit it with grub2-editenv",
		      t->path, t->var, t->var);
		return EXIT_REFUSED;
	}
	buf_adds(&t->line, val);
	free(val);
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
		note("without it kernel-install uses /usr/lib/kernel/cmdline, "
		     "else the running kernel's line; to start from that: "
		     "tr ' ' '\\n' </proc/cmdline | grep -v -e '^BOOT_IMAGE=' "
		     "-e '^initrd=' | tr '\\n' ' ' >%s", t->path);
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
	switch (t->kind) {
	case TARGET_GRUB:
		return load_grub(t);
	case TARGET_BLS:
		return load_bls(t);
	case TARGET_GRUBENV:
		return load_grubenv(t);
	default:
		return load_plain(t);
	}
}

/* The entry with LINE as its options value; a new options line at the end
 * when it had none.  Must read back to LINE. */
static int render_bls(const struct target *t, const struct buf *line,
		      struct buf *file)
{
	const struct buf *d = &t->lf.data;
	const char *s = buf_str(d);

	if (memchr(buf_str(line), '\n', line->len)) {
		warnx("%s: an options value cannot span lines", t->path);
		return EXIT_REFUSED;
	}
	if (t->has_options) {
		buf_add(file, s, t->opt_start);
		buf_add(file, buf_str(line), line->len);
		buf_add(file, s + t->opt_end, d->len - t->opt_end);
		return 0;
	}
	buf_add(file, s, d->len);
	if (d->len && s[d->len - 1] != '\n')
		buf_addc(file, '\n');
	buf_adds(file, "options ");
	buf_add(file, buf_str(line), line->len);
	buf_addc(file, '\n');
	return 0;
}

static int render_grubenv(const struct target *t, const struct buf *line,
			  struct buf *file)
{
	const struct buf *d = &t->lf.data;
	const char *why;
	char *out;

	if (grubenv_set(buf_str(d), d->len, t->var, buf_str(line), line->len,
			&out, &why) < 0) {
		warnx("%s: cannot write %s: %s", t->path, t->var, why);
		return EXIT_REFUSED;
	}
	buf_add(file, out, d->len);
	free(out);
	return 0;
}

int target_render(const struct target *t, const struct buf *line,
		  struct buf *file)
{
	const struct buf *d = &t->lf.data;

	if (t->kind == TARGET_GRUB)
		return grub_render(buf_str(d), d->len, t->var, &t->assign,
				   line, file) ? EXIT_REFUSED : 0;
	if (t->kind == TARGET_BLS)
		return render_bls(t, line, file);
	if (t->kind == TARGET_GRUBENV)
		return render_grubenv(t, line, file);
	buf_add(file, buf_str(line), line->len);
	/* a new file gets a final newline, like any text file */
	if (!d->len && line->len && line->p[line->len - 1] != '\n')
		buf_addc(file, '\n');
	return 0;
}

token_check_fn target_token_check(const struct target *t)
{
	return t->kind == TARGET_GRUB || t->grub_syntax ? grub_token_ok : NULL;
}

void target_reset(struct target *t)
{
	if (t->opened)
		lf_close(&t->lf);
	t->opened = 0;
	buf_free(&t->line);
	memset(&t->assign, 0, sizeof(t->assign));
	t->hidden = NULL;
	t->has_options = 0;
	t->opt_start = t->opt_end = 0;
}

void target_free(struct target *t)
{
	target_reset(t);
	free(t->owned_path);
	t->owned_path = NULL;
}
