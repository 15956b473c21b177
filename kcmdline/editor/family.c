// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blsentry.h"
#include "exitcode.h"
#include "family.h"
#include "grubfile.h"
#include "nextstep.h"
#include "note.h"

#define KCMD_FILE "etc/kernel/cmdline"
#define GRUB_FILE "etc/default/grub"
#define GRUB_DEFAULT_VAR "GRUB_CMDLINE_LINUX_DEFAULT"

static char *root_path(const struct boot_host *h, const char *rel)
{
	char *p;

	if (asprintf(&p, "%s/%s", h->root, rel) < 0)
		errx(EXIT_IO, "out of memory");
	return p;
}

static struct target *push(struct target_list *l, enum target_kind kind, char *path)
{
	struct target *t;

	l->v = realloc(l->v, ((size_t)l->n + 1) * sizeof(*l->v));
	if (!l->v)
		errx(EXIT_IO, "out of memory");
	t = &l->v[l->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->path = t->owned_path = path;
	return t;
}

/* Fedora keeps GRUB_CMDLINE_LINUX only; Debian-style files have both. */
static const char *grub_var(const struct boot_host *h)
{
	char *text;
	size_t len;
	const char *var = GRUB_DEFAULT_VAR;

	if (!boot_read(h, GRUB_FILE, &text, &len)) {
		if (!grub_uses(text, len, GRUB_DEFAULT_VAR))
			var = "GRUB_CMDLINE_LINUX";
		free(text);
	}
	return var;
}

/*
 * Every entry but the rescue ones; $kernelopts entries also need grubenv.
 * Only $kernelopts moves the line there (RHEL 8, grub2-mkconfig); GRUB's
 * blscfg expands each variable on its own, so RHEL 9's "options ...
 * $tuned_params" is edited in place and its variable kept.
 */
static int bls_targets(const struct boot_host *h, struct target_list *l)
{
	struct bls_list bl;
	char *dir = root_path(h, h->entries), *opts;
	int unreadable, envs = 0, r = bls_list_read(dir, &bl, &unreadable);
	struct target *t;

	if (r < 0 || unreadable) {
		warnx("%s: %d boot entries cannot be read; edit them by hand "
		      "(grubby --update-kernel=ALL --args=...)", dir, r < 0 ? -1 : unreadable);
		free(dir);
		bls_list_free(&bl);
		return EXIT_REFUSED;
	}
	for (size_t i = 0; i < bl.n; i++) {
		if (bls_is_rescue(&bl.v[i])) {
			note("leaving the rescue entry %s.conf alone", bl.v[i].id);
			continue;
		}
		if (asprintf(&opts, "%s/%s.conf", dir, bl.v[i].id) < 0)
			errx(EXIT_IO, "out of memory");
		t = push(l, TARGET_BLS, opts);
		t->grub_syntax = 1;
		opts = bls_options(&bl.v[i]);
		t->env_refs = opts && bls_refs_var(opts, "kernelopts");
		envs += t->env_refs;
		free(opts);
	}
	if (envs && !h->grubenv[0]) {
		warnx("%d boot entries use $kernelopts, but there is no grubenv "
		      "(boot/grub2/grubenv); refusing", envs);
		r = EXIT_REFUSED;
	} else if (envs) {
		t = push(l, TARGET_GRUBENV, root_path(h, h->grubenv));
		t->var = "kernelopts";
		t->grub_syntax = 1;
	}
	if (!bl.n)
		note("%s has no boot entries yet", dir);
	free(dir);
	bls_list_free(&bl);
	return r < 0 ? 0 : r;
}

int family_targets(const struct boot_host *h, struct target_list *l)
{
	struct target *t;
	int rc = 0;

	l->v = NULL;
	l->n = 0;
	switch (h->family) {
	case BOOT_GRUB:
		t = push(l, TARGET_GRUB, root_path(h, GRUB_FILE));
		t->var = GRUB_DEFAULT_VAR;
		return 0;
	case BOOT_GRUB_BLS:
		t = push(l, TARGET_GRUB, root_path(h, GRUB_FILE));
		t->var = grub_var(h);
		if (!h->entries[0])
			note("no /boot/loader/entries: only %s is edited", t->path);
		else
			rc = bls_targets(h, l);
		if (!rc && h->kcmd[0] && !strcmp(h->kcmd, KCMD_FILE))
			push(l, TARGET_FILE, root_path(h, KCMD_FILE));
		return rc;
	case BOOT_SDBOOT:
	case BOOT_UKI:
	case BOOT_PROXMOX:
		push(l, TARGET_FILE, root_path(h, KCMD_FILE));
		return 0;
	default:
		warnx("cannot tell which boot loader this host uses (%s): give "
		      "the file with --grub FILE or --file FILE; see 'kcmdline where'",
		      h->why);
		return EXIT_USAGE;
	}
}

void family_targets_free(struct target_list *l)
{
	for (int i = 0; i < l->n; i++)
		target_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

typedef void (*kernel_fn)(void *arg, const char *kver, const char *image);

/* fn for each installed kernel: /boot/vmlinuz-KVER, else (Fedora's
 * layout) /usr/lib/modules/KVER/vmlinuz; images as the host sees them. */
static int kernels(const struct boot_host *h, kernel_fn fn, void *arg)
{
	char *dir = root_path(h, "boot"), *img;
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "vmlinuz-", 8) || !de->d_name[8] ||
		    asprintf(&img, "/boot/%s", de->d_name) < 0)
			continue;
		fn(arg, de->d_name + 8, img);
		free(img);
		n++;
	}
	if (d)
		closedir(d);
	free(dir);
	if (n)
		return n;
	dir = root_path(h, "usr/lib/modules");
	d = opendir(dir);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || asprintf(&img, "%s/%s/vmlinuz", dir, de->d_name) < 0)
			continue;
		if (!access(img, F_OK)) {
			free(img);
			if (asprintf(&img, "/usr/lib/modules/%s/vmlinuz", de->d_name) < 0)
				continue;
			fn(arg, de->d_name, img);
			n++;
		}
		free(img);
	}
	if (d)
		closedir(d);
	free(dir);
	return n;
}

struct print_arg {
	FILE *out;
	const char *fmt;
};

static void print_kernel(void *arg, const char *kver, const char *image)
{
	struct print_arg *p = arg;

	fprintf(p->out, p->fmt, kver, image);
}

struct initrd_arg {
	FILE *out;
	const struct boot_host *h;
};

/*
 * systemd's 55-initrd.install puts /boot/initrd.img-KVER (what Debian's
 * initramfs-tools or dracut hook made) into the entry or UKI, after the
 * initrd the generator plugin makes, so its files win: one made before
 * vfio-early was installed boots without the binder.
 */
static void note_initrd(void *arg, const char *kver, const char *image)
{
	struct initrd_arg *a = arg;
	char *rel, *path;
	int it = nextstep_installed("update-initramfs");

	(void)image;
	if (asprintf(&rel, "boot/initrd.img-%s", kver) < 0)
		errx(EXIT_IO, "out of memory");
	path = root_path(a->h, rel);
	if (!access(path, F_OK))
		fprintf(a->out, "note: kernel-install also puts /%s into it: if that image was "
			"made before vfio-early was installed, it boots without the binder; make it "
			"again first: %s%s %s\n", rel, it ? "update-initramfs -u -k" : "dracut -f /",
			it ? "" : rel, kver);
	free(path);
	free(rel);
}

static void kernel_install_steps(FILE *out, const struct boot_host *h)
{
	struct initrd_arg ia = { out, h };

	fprintf(out, "next: run, for each installed kernel, so that kernel-install "
		     "makes its %s again from /etc/kernel/cmdline:\n",
		h->family == BOOT_UKI ? "unified kernel image" : "boot entry");
	struct print_arg p = { out, "  kernel-install add %s %s\n" };

	if (!kernels(h, print_kernel, &p))
		fprintf(out, "  kernel-install add \"$(uname -r)\" \"/boot/vmlinuz-$(uname -r)\"\n");
	kernels(h, note_initrd, &ia);
}

/* The recovery image of a kernel: its own UKI with rd.vfio=0 built in,
 * named after the main one so that systemd-boot sorts it second. */
static void print_recovery(void *arg, const char *kver, const char *image)
{
	struct initrd_arg *a = arg;
	char *text = NULL;
	size_t len;
	const char *token = "";

	/* kernel-install's name for the main image: TOKEN-KVER.efi */
	if (boot_read(a->h, "etc/kernel/entry-token", &text, &len) < 0)
		(void)boot_read(a->h, "etc/machine-id", &text, &len);	/* none: no token */
	if (text) {
		text[strcspn(text, " \t\r\n")] = '\0';
		token = text;
	}
	fprintf(a->out, "    ukify build --linux=%s --initrd=/boot/initrd.img-%s "
		"--cmdline=\"$(tr -s '\\n' ' ' </etc/kernel/cmdline) rd.vfio=0\" "
		"--output=ESP/EFI/Linux/%s%s%s-novfio.efi\n", image, kver, token,
		*token ? "-" : "", kver);
	free(text);
}

static void uki_steps(FILE *out, const struct boot_host *h)
{
	if (!strcmp(h->layout, "uki")) {
		kernel_install_steps(out, h);
	} else {
		fprintf(out, "next: build the unified kernel image again with the tool "
			     "that made %s, e.g. for each kernel:\n",
			h->uki[0] ? h->uki : "it");
		struct print_arg p = { out, "  dracut -f --uefi --kver %s   # or ukify "
					    "build --cmdline=@/etc/kernel/cmdline --linux=%s ...\n" };

		if (!kernels(h, print_kernel, &p))
			fprintf(out, "  dracut -f --uefi --regenerate-all\n");
	}
	if (h->uki_conf_cmdline)
		fprintf(out, "note: /etc/kernel/uki.conf sets Cmdline=; ukify uses it "
			     "instead: edit it by hand\n");
	struct initrd_arg ia = { out, h };

	fprintf(out, "note: sign the new image as the old one was; under Secure Boot "
		     "its command line cannot be edited at the boot menu, so keep a "
		     "second signed image whose line has rd.vfio=0 (kcmdline(8)), once "
		     "per kernel, in the ESP (ESP: the directory where EFI/Linux is), "
		     "listed by systemd-boot as its own entry:\n");
	if (!kernels(h, print_recovery, &ia))
		fprintf(out, "    ukify build --linux=/boot/vmlinuz-KVER --initrd=INITRD "
			     "--cmdline='... rd.vfio=0' --output=ESP/EFI/Linux/NAME-novfio.efi\n");
}

void family_next_steps(FILE *out, const struct boot_host *h)
{
	switch (h->family) {
	case BOOT_GRUB_BLS:
		fprintf(out, "next: nothing to run: kcmdline edits the boot entries "
			     "(and grubenv's kernelopts where they use it) as "
			     "'grubby --update-kernel=ALL --args=...' does; the next "
			     "boot uses them. /etc/default/grub keeps "
			     "the change for 'grub2-mkconfig --update-bls-cmdline'\n");
		break;
	case BOOT_SDBOOT:
		kernel_install_steps(out, h);
		break;
	case BOOT_UKI:
		uki_steps(out, h);
		break;
	case BOOT_PROXMOX:
		fprintf(out, "next: run 'proxmox-boot-tool refresh' so the next boot "
			     "uses it\n");
		break;
	default:
		if (h->proxmox)	/* GRUB mode: it runs update-grub on each ESP */
			fprintf(out, "next: run 'proxmox-boot-tool refresh' so the next "
				     "boot uses it (it runs update-grub on each ESP)\n");
		else
			nextstep_print(out, 1);
	}
}

/* The entry plan reads (bootfam.c's choice, as the boot loader makes it). */
static void where_next_boot(FILE *out, const struct boot_host *h)
{
	struct bls_list bl;
	char *dir, sel[256];
	const char *how;
	int unreadable, i = -1;

	if (h->family == BOOT_GRUB) {
		boot_grub_next(h, sel, sizeof(sel), &how);
		fprintf(out, "next boot: GRUB's entry '%s' (%s), with the line update-grub "
			"writes from %s/%s\n", sel, how, h->root, GRUB_FILE);
		if (strchr(sel, '>') || strstr(sel, "recovery"))
			fprintf(out, "note: a recovery entry gets GRUB_CMDLINE_LINUX only\n");
		return;
	}
	if (h->entries[0] && h->family != BOOT_UKI && h->family != BOOT_PROXMOX) {
		dir = root_path(h, h->entries);
		if (!bls_list_read(dir, &bl, &unreadable) && bl.n) {
			i = boot_default_entry(h, &bl, &how);
			fprintf(out, "next boot: %s/%s.conf (%s)\n", dir, bl.v[i].id, how);
		}
		bls_list_free(&bl);
		free(dir);
	}
	if (i < 0)
		fprintf(out, "next boot: %s/%s, as kernel-install reads it\n", h->root,
			h->kcmd[0] ? h->kcmd : KCMD_FILE " (missing)");
}

int family_where(FILE *out, const struct boot_host *h)
{
	struct target_list l;
	int rc;

	fprintf(out, "family: %s\n  %s\n", boot_family_name(h->family),
		boot_family_text(h->family));
	fprintf(out, "because: %s\n", h->why);
	if (h->family == BOOT_UNKNOWN) {
		warnx("cannot tell which boot loader this host uses; give the "
		      "file with --grub FILE or --file FILE");
		return EXIT_USAGE;
	}
	where_next_boot(out, h);
	rc = family_targets(h, &l);
	for (int i = 0; i < l.n; i++)
		fprintf(out, "edits: %s%s%s\n", l.v[i].path, l.v[i].var ? " " : "",
			l.v[i].var ? l.v[i].var : "");
	family_targets_free(&l);
	family_next_steps(out, h);
	return rc;
}

/* One command, its output passing through; 0 when it exits 0. */
static int run_cmd(char *const argv[])
{
	int status;
	pid_t pid;

	printf("running:");
	for (int i = 0; argv[i]; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execvp(argv[0], argv);
		warn("%s", argv[0]);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0) {
		warn("%s", argv[0]);
		return -1;
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	warnx("%s failed (%s %d); the files are edited: run it again by hand",
	      argv[0], WIFEXITED(status) ? "exit status" : "signal",
	      WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return -1;
}

static void install_kernel(void *arg, const char *kver, const char *image)
{
	char *argv[] = { "kernel-install", "add", (char *)kver, (char *)image, NULL };

	if (run_cmd(argv))
		*(int *)arg = EXIT_IO;
}

static int apply_grub(void)
{
	char *update[] = { "update-grub", NULL };
	char *mk2[] = { "grub2-mkconfig", "-o", "/boot/grub2/grub.cfg", NULL };
	char *mk[] = { "grub-mkconfig", "-o", "/boot/grub/grub.cfg", NULL };
	char **argv = nextstep_installed("update-grub") ? update :
		      nextstep_installed("grub2-mkconfig") ? mk2 :
		      nextstep_installed("grub-mkconfig") ? mk : NULL;

	if (!argv) {
		warnx("--apply: none of update-grub, grub2-mkconfig, grub-mkconfig "
		      "is installed; the file is edited");
		return EXIT_IO;
	}
	return run_cmd(argv) ? EXIT_IO : 0;
}

int family_apply(const struct boot_host *h)
{
	char *refresh[] = { "proxmox-boot-tool", "refresh", NULL };
	int rc = 0;

	switch (h->family) {
	case BOOT_GRUB:
		return h->proxmox ? (run_cmd(refresh) ? EXIT_IO : 0) : apply_grub();
	case BOOT_GRUB_BLS:
		return 0;
	case BOOT_PROXMOX:
		return run_cmd(refresh) ? EXIT_IO : 0;
	case BOOT_UKI:
		if (strcmp(h->layout, "uki")) {
			warnx("--apply: the image was not made by kernel-install "
			      "(no layout=uki); make it again as it was made");
			return EXIT_IO;
		}
		/* fall through */
	case BOOT_SDBOOT:
		if (!kernels(h, install_kernel, &rc)) {
			warnx("--apply: no kernel found in /boot or /usr/lib/modules");
			return EXIT_IO;
		}
		return rc;
	default:
		return EXIT_USAGE;
	}
}
