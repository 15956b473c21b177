// SPDX-License-Identifier: MIT
/*
 * kcmdline: show, query and safely edit a kernel command line kept in
 * /etc/default/grub, in a plain file such as /etc/kernel/cmdline, or (read
 * only) in /proc/cmdline.  See doc/kcmdline.8.
 */
#define _GNU_SOURCE
#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootfam.h"
#include "edit.h"
#include "exitcode.h"
#include "family.h"
#include "lint.h"
#include "nextline.h"
#include "nextstep.h"
#include "note.h"
#include "target.h"
#include "tokens.h"
#include "udiff.h"

#ifndef KCMDLINE_VERSION
#define KCMDLINE_VERSION "0.1.0"
#endif

enum command { CMD_SHOW, CMD_GET, CMD_ADD, CMD_REMOVE, CMD_WHERE };

struct options {
	enum command cmd;
	struct target target;
	int family;		/* no target given: the host's boot loader's */
	struct boot_host host;
	const char *root;
	int merge, replace, backup, dry_run, apply, next;
	char **args;
	int nargs;
};

static const char usage_text[] =
	"usage: kcmdline [TARGET] show\n"
	"       kcmdline [--root DIR] show --next (the next boot's line)\n"
	"       kcmdline [TARGET] get KEY\n"
	"       kcmdline [TARGET] [--merge|--replace] [--backup] [--dry-run] add KEY[=VAL]...\n"
	"       kcmdline [TARGET] [--merge] [--backup] [--dry-run] remove KEY[=VAL]...\n"
	"          (vfio.ids, vfio-pci.ids, rd.driver.*: lists; add merges items,\n"
	"          --replace sets the whole value; remove KEY=ITEM drops an item)\n"
	"       kcmdline [--apply] add|remove ... (no TARGET: runs what the boot\n"
	"          loader needs after the edit)\n"
	"       kcmdline [--root DIR] where\n"
	"TARGET: --proc (default for show/get: /proc/cmdline)\n"
	"        --grub FILE, --var NAME (" DEFAULT_GRUB ", " DEFAULT_VAR ")\n"
	"        --file PATH (a plain command-line file, e.g. /etc/kernel/cmdline)\n"
	"        none, for add/remove: what the host's boot loader reads (see\n"
	"          'kcmdline where': /etc/default/grub, the boot entries, grubenv,\n"
	"          /etc/kernel/cmdline); --root DIR looks at a host tree under DIR\n"
	"other:  -q, --quiet; -h, --help; --version.  See kcmdline(8).\n";

static int usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

static int parse_command(const char *word, enum command *cmd)
{
	static const char *const names[] = { "show", "get", "add", "remove",
					     "where" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(word, names[i])) {
			*cmd = (enum command)i;
			return 0;
		}
	}
	return -1;
}

static int shell_name_ok(const char *s)
{
	static const char first[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
				    "abcdefghijklmnopqrstuvwxyz";
	static const char rest[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_"
				   "abcdefghijklmnopqrstuvwxyz0123456789";

	return *s && strchr(first, *s) && strspn(s, rest) == strlen(s);
}

static int is_edit(enum command cmd)
{
	return cmd == CMD_ADD || cmd == CMD_REMOVE;
}

/* Which target the options picked, or the command's default. */
static int pick_target(struct options *o, const char *grub, const char *file,
		       int proc)
{
	struct target *t = &o->target;
	int editing = is_edit(o->cmd);

	if ((file && (grub || t->var)) || (proc && (file || grub || t->var)))
		return usage_error("choose one of --proc, --file and "
				   "--grub/--var");
	if (proc && editing)
		return usage_error("%s is read only", PROC_CMDLINE);
	if (o->replace && (o->merge || o->cmd != CMD_ADD))
		return usage_error("--replace is for add, and not with "
				   "--merge");
	if (t->var && !shell_name_ok(t->var))
		return usage_error("--var %s: not a shell variable name",
				   t->var);
	if (o->next && (o->cmd != CMD_SHOW || file || grub || t->var || proc))
		return usage_error("--next is for show, without a TARGET");
	if (o->root && !editing && o->cmd != CMD_WHERE && !o->next)
		return usage_error("--root is for add, remove, where and "
				   "show --next");
	if (o->apply && (!editing || file || grub || t->var || o->root ||
			 o->dry_run))
		return usage_error("--apply is for add and remove on this host's "
				   "boot loader: not with a TARGET, --root or "
				   "--dry-run");
	if (o->root && (file || grub || t->var || proc))
		return usage_error("--root picks the files itself; not with "
				   "--proc, --file, --grub or --var");
	if (file) {
		t->kind = TARGET_FILE;
		t->path = file;
	} else if (editing && !grub && !t->var) {
		o->family = 1;
	} else if (grub || t->var) {
		t->kind = TARGET_GRUB;
		t->path = grub ? grub : DEFAULT_GRUB;
		t->var = t->var ? t->var : DEFAULT_VAR;
	} else {
		t->kind = TARGET_PROC;
		t->path = PROC_CMDLINE;
	}
	return 0;
}

static int check_nargs(const struct options *o)
{
	if ((o->cmd == CMD_SHOW || o->cmd == CMD_WHERE) && o->nargs)
		return usage_error("%s takes no arguments", o->args[-1]);
	if (o->cmd == CMD_GET && o->nargs != 1)
		return usage_error("get takes one KEY");
	if (is_edit(o->cmd) && !o->nargs)
		return usage_error("nothing to %s", o->args[-1]);
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		{ "grub", required_argument, NULL, 'g' },
		{ "var", required_argument, NULL, 'v' },
		{ "file", required_argument, NULL, 'f' },
		{ "proc", no_argument, NULL, 'p' },
		{ "root", required_argument, NULL, 'r' },
		{ "merge", no_argument, NULL, 'm' },
		{ "replace", no_argument, NULL, 'R' },
		{ "next", no_argument, NULL, 'N' },
		{ "backup", no_argument, NULL, 'b' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "apply", no_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *grub = NULL, *file = NULL;
	int c, proc = 0;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	while ((c = getopt_long(argc, argv, "qh", longs, NULL)) != -1) {
		switch (c) {
		case 'g': grub = optarg; break;
		case 'v': o->target.var = optarg; break;
		case 'f': file = optarg; break;
		case 'p': proc = 1; break;
		case 'r': o->root = optarg; break;
		case 'm': o->merge = 1; break;
		case 'R': o->replace = 1; break;
		case 'N': o->next = 1; break;
		case 'b': o->backup = 1; break;
		case 'n': o->dry_run = 1; break;
		case 'a': o->apply = 1; break;
		case 'q': note_quiet = 1; break;
		case 'h': fputs(usage_text, stdout); exit(EXIT_DONE);
		case 'V': puts("kcmdline " KCMDLINE_VERSION); exit(EXIT_DONE);
		default:
			return usage_error("bad option '%s'",
					   argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return usage_error("no command given");
	if (parse_command(argv[optind], &o->cmd) < 0)
		return usage_error("unknown command '%s'", argv[optind]);
	o->args = argv + optind + 1;
	o->nargs = argc - optind - 1;
	c = check_nargs(o);
	return c ? c : pick_target(o, grub, file, proc);
}

/* The line without the kernel-insignificant spaces at its end. */
static void print_line(const struct buf *line)
{
	size_t n = line->len;

	while (n && kc_space(line->p[n - 1]))
		n--;
	printf("%.*s\n", (int)n, buf_str(line));
}

static int do_get(const struct buf *line, const struct param_arg *a)
{
	struct kcmd_iter it;
	struct kcmd_param p;
	int found = 0;

	kcmd_iter_init(&it, buf_str(line), line->len);
	while (kcmd_next(&it, &p)) {
		if (!kcmd_name_eq(p.name, p.name_len, a->key))
			continue;
		printf("%.*s\n", (int)p.val_len, p.val ? p.val : "");
		found = 1;
	}
	return found ? EXIT_DONE : EXIT_ABSENT;
}

/* 1 if a comma list has an item that is not empty. */
static int has_item(const char *val, size_t len)
{
	const char *cur = val, *item;
	size_t left = len, n;

	while (kcmd_next_item(&cur, &left, &item, &n))
		if (n)
			return 1;
	return 0;
}

static void say_lint(const struct lint_finding *f, void *arg)
{
	char text[512];
	int *bad = arg;

	if (f->kind == LINT_KID_REPEATED)
		return;		/* add merges them */
	warnx("%s", lint_text(f, text, sizeof(text)));
	*bad = 1;
}

/* The arguments of add, read as the kernel would read them on one line:
 * the mistakes kcmdline/lint finds there are refused, nothing written. */
static int lint_args(const struct options *o)
{
	struct buf line = { 0 };
	int i, bad = 0;

	for (i = 0; i < o->nargs; i++) {
		if (i)
			buf_addc(&line, ' ');
		buf_adds(&line, o->args[i]);
	}
	lint_line(buf_str(&line), line.len, say_lint, &bad);
	buf_free(&line);
	if (bad)
		warnx("nothing written");
	return bad;
}

/* An add or remove by item needs an item: "vfio.ids=" is not one. */
static int check_items(const struct options *o, const struct param_arg *a,
		       const char *arg)
{
	struct edit_ctx ctx = { .merge = o->merge, .replace = o->replace };

	if (o->merge && !a->val) {
		warnx("--merge needs KEY=ITEM[,ITEM...] with at least one item, "
		      "not '%s'", arg);
		return EXIT_USAGE;
	}
	if (!edit_by_item(a, &ctx) || has_item(a->val, a->val_len))
		return 0;
	warnx("'%s' names no item: give KEY=ITEM[,ITEM...]%s", arg,
	      o->cmd == CMD_REMOVE ? ", or KEY alone to remove the key" :
	      ", or --replace to set the value as a whole");
	return EXIT_USAGE;
}

static int parse_args(const struct options *o, struct param_arg *pa)
{
	int i, rc;

	if (o->cmd == CMD_ADD && lint_args(o))
		return EXIT_USAGE;
	for (i = 0; i < o->nargs; i++) {
		if (param_arg_parse(o->args[i], o->cmd != CMD_GET, &pa[i]) < 0)
			return EXIT_USAGE;
		rc = is_edit(o->cmd) ? check_items(o, &pa[i], o->args[i]) : 0;
		if (rc)
			return rc;
	}
	return 0;
}

/* 1 if LINE has a parameter named KEY (an add to an entry that takes the
 * rest from $kernelopts changes the entry only then). */
static int line_has_key(const struct buf *line, const char *key)
{
	struct kcmd_iter it;
	struct kcmd_param p;

	kcmd_iter_init(&it, buf_str(line), line->len);
	while (kcmd_next(&it, &p))
		if (kcmd_name_eq(p.name, p.name_len, key))
			return 1;
	return 0;
}

static int apply_edits(const struct options *o, const struct param_arg *pa,
		       const struct target *t, struct buf *line)
{
	struct edit_ctx ctx = {
		.merge = o->merge,
		.replace = o->replace,
		.token_ok = target_token_check(t),
	};
	int i, rc = 0;

	for (i = 0; i < o->nargs && !rc; i++) {
		if (o->cmd == CMD_ADD && t->env_refs &&
		    !line_has_key(line, pa[i].key))
			continue;	/* grubenv's kernelopts gets it */
		rc = o->cmd == CMD_ADD ? edit_add(line, &pa[i], &ctx)
				       : edit_remove(line, &pa[i], &ctx);
	}
	return rc ? EXIT_REFUSED : 0;
}

static void report_line(const struct target *t, const struct buf *line)
{
	if (note_quiet)
		return;
	if (t->kind == TARGET_GRUB || t->kind == TARGET_GRUBENV)
		printf("updated %s: %s is now: ", t->path, t->var);
	else if (t->kind == TARGET_BLS)
		printf("updated %s: options are now: ", t->path);
	else
		printf("updated %s: the command line is now: ", t->path);
	print_line(line);
}

static int refuse_hidden(const struct options *o, const struct target *t)
{
	if (o->cmd != CMD_ADD || !t->hidden)
		return 0;
	warnx("%s: %s; GRUB puts %s after it, where the kernel hands "
	      "every word to init: refusing to add there (use --var "
	      "GRUB_CMDLINE_LINUX)", t->path, t->hidden, t->var);
	return EXIT_REFUSED;
}

/* Load T, edit, render its new contents into FILE; *changed when they
 * differ from the file's. */
static void note_lint(const struct lint_finding *f, void *path)
{
	const char *about = note_about ? "" : path;
	char text[512];

	note("%s%sthe line still has a mistake: %s", about,
	     *about ? ": " : "", lint_text(f, text, sizeof(text)));
}

/* The edited line's mistakes that the edit did not make (add refuses to
 * make any): said, not refused, so that an edit can fix one at a time. */
static void note_mistakes(const struct target *t, const struct buf *line)
{
	lint_line(buf_str(line), line->len, note_lint, (void *)t->path);
}

static int prepare(const struct options *o, const struct param_arg *pa,
		   struct target *t, int clean, struct buf *line,
		   struct buf *file, int *changed)
{
	int rc = target_load(t, 1, clean);

	if (!rc)
		rc = refuse_hidden(o, t);
	if (!rc) {
		buf_add(line, buf_str(&t->line), t->line.len);
		rc = apply_edits(o, pa, t, line);
	}
	if (!rc)
		note_mistakes(t, line);
	if (!rc)
		rc = target_render(t, line, file);
	*changed = !rc && (file->len != t->lf.data.len ||
			   memcmp(buf_str(file), buf_str(&t->lf.data), file->len));
	return rc;
}

/* Edit, then show the diff or write the file. */
static int do_edit(struct options *o, const struct param_arg *pa)
{
	struct target *t = &o->target;
	struct buf line = { 0 }, file = { 0 };
	int rc, changed;

	rc = prepare(o, pa, t, !o->dry_run, &line, &file, &changed);
	if (!rc && !changed) {
		note("no change: %s already says that", t->path);
	} else if (!rc && o->dry_run) {
		udiff_print(stdout, t->path, buf_str(&t->lf.data),
			    t->lf.data.len, buf_str(&file), file.len);
	} else if (!rc) {
		rc = lf_replace(&t->lf, buf_str(&file), file.len, o->backup);
		if (!rc && !note_quiet) {
			report_line(t, &line);
			nextstep_print(stdout, t->kind == TARGET_GRUB);
		}
	}
	buf_free(&line);
	buf_free(&file);
	return rc;
}

/* prepare(), its notes said by the first (in-memory) pass only, each
 * naming the file of the family it is about. */
static int prepare_once(const struct options *o, const struct param_arg *pa,
			struct target *t, int write, struct buf *line,
			struct buf *file, int *changed)
{
	int quiet = note_quiet, rc;

	note_quiet |= write;
	note_about = t->path;
	rc = prepare(o, pa, t, !o->dry_run, line, file, changed);
	note_about = NULL;
	note_quiet = quiet;
	return rc;
}

/*
 * Every file of the host's family: all are edited in memory first (one
 * refusal changes nothing), then written one by one, each atomically,
 * each under its directory's lock.  --dry-run shows a diff per file.
 */
static int edit_pass(struct options *o, const struct param_arg *pa,
		     struct target_list *l, int write, int *nchanged)
{
	struct buf line = { 0 }, file = { 0 };
	int rc = 0, changed;

	for (int i = 0; i < l->n && !rc; i++) {
		struct target *t = &l->v[i];

		line.len = file.len = 0;
		rc = prepare_once(o, pa, t, write, &line, &file, &changed);
		*nchanged += !rc && changed;
		if (!rc && !changed && !write)
			note("no change: %s already says that", t->path);
		else if (!rc && changed && o->dry_run)
			udiff_print(stdout, t->path, buf_str(&t->lf.data),
				    t->lf.data.len, buf_str(&file), file.len);
		else if (!rc && changed && write) {
			rc = lf_replace(&t->lf, buf_str(&file), file.len,
					o->backup);
			if (!rc)
				report_line(t, &line);
		}
		target_reset(t);
	}
	buf_free(&line);
	buf_free(&file);
	return rc;
}

static int edit_family(struct options *o, const struct param_arg *pa)
{
	struct target_list l;
	int rc, nchanged = 0;

	boot_detect(o->root, &o->host);
	rc = family_targets(&o->host, &l);
	if (!rc)
		note("boot loader: %s (%s)", boot_family_name(o->host.family),
		     o->host.why);
	if (!rc)
		rc = edit_pass(o, pa, &l, 0, &nchanged);
	if (!rc && nchanged && !o->dry_run) {
		nchanged = 0;
		rc = edit_pass(o, pa, &l, 1, &nchanged);
		if (!rc && !note_quiet && !o->apply)
			family_next_steps(stdout, &o->host);
	}
	if (!rc && o->apply)
		rc = family_apply(&o->host);
	family_targets_free(&l);
	return rc;
}

/* show --next: the line the next boot's kernel gets, read as vfio-early
 * plan reads it (kcmdline/bootldr/nextline.c); where from, as a note. */
static int show_next(struct options *o)
{
	struct boot_next n;
	struct buf line = { 0 };

	boot_detect(o->root, &o->host);
	if (boot_next_line(&o->host, &n) < 0) {
		warnx("%s", n.why);
		boot_next_free(&n);
		return o->host.family == BOOT_UNKNOWN ? EXIT_USAGE
						       : EXIT_REFUSED;
	}
	note("the next boot's line (%s: %s)",
	     boot_family_name(o->host.family), n.src);
	buf_adds(&line, n.line);
	print_line(&line);
	buf_free(&line);
	boot_next_free(&n);
	return EXIT_DONE;
}

static int run(struct options *o, struct param_arg *pa)
{
	int rc = parse_args(o, pa);

	if (rc)
		return rc;
	if (o->cmd == CMD_WHERE) {
		boot_detect(o->root, &o->host);
		return family_where(stdout, &o->host);
	}
	if (o->next)
		return show_next(o);
	if (o->family)
		return edit_family(o, pa);
	if (is_edit(o->cmd))
		return do_edit(o, pa);
	rc = target_load(&o->target, is_edit(o->cmd), !o->dry_run);
	if (rc)
		return rc;
	switch (o->cmd) {
	case CMD_SHOW:
		print_line(&o->target.line);
		return EXIT_DONE;
	case CMD_GET:
		return do_get(&o->target.line, &pa[0]);
	default:
		return EXIT_USAGE;
	}
}

int main(int argc, char **argv)
{
	struct options o;
	struct param_arg *pa;
	int i, rc = parse_options(argc, argv, &o);

	if (rc)
		return rc;
	pa = calloc((size_t)o.nargs + 1, sizeof(*pa));
	if (!pa)
		errx(EXIT_IO, "out of memory");
	rc = run(&o, pa);
	if (fflush(stdout) != 0 && !rc)
		rc = EXIT_IO;
	for (i = 0; i < o.nargs; i++)
		param_arg_free(&pa[i]);
	free(pa);
	target_free(&o.target);
	return rc;
}
