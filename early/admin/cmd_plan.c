// SPDX-License-Identifier: MIT
/* vfio-early plan: what the next boot will do, decided by the boot pass's code. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "bootfam.h"
#include "cmd.h"
#include "fmt.h"
#include "grubdef.h"
#include "grubenv.h"
#include "hostuse.h"
#include "kernelcmd.h"
#include "nextline.h"
#include "lint.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "print.h"
#include "slurp.h"
#include "variant.h"

#define GRUB_FILE "etc/default/grub"
#define GRUB_DIR "etc/default/grub.d"

static int apply_grub_file(const char *path, struct grub_vars *v)
{
	const char *why;
	unsigned line;
	size_t len = 0;
	char *text = NULL;
	int r = slurp_at(AT_FDCWD, path, CMD_FILE_MAX, &text, &len);

	if (r < 0) {
		log_err("cannot read %s: %s", path, cmd_read_error(r));
		return r;
	}
	r = grubdef_apply(v, text, len, &why, &line);
	free(text);
	if (r == GRUBDEF_SHAPE)
		log_err(GRUBDEF_SHAPE_MSG, path, line, why);
	else if (r)
		log_err("%s:%u: plan cannot follow %s", path, line, why);
	if (r)
		log_info("give the line with --cmdline STR");
	return r;
}

/* --grub FILE: that one file, as grub-mkconfig would read it alone. */
static char *grub_line(const struct cmd_ctx *x, char *src, size_t size)
{
	struct grub_vars v = { NULL, NULL };
	char *line = NULL;

	if (!apply_grub_file(x->grub, &v))
		line = grubdef_cmdline(&v);
	grubdef_free(&v);
	fmt(src, size, "GRUB_CMDLINE_LINUX + GRUB_CMDLINE_LINUX_DEFAULT in %s", x->grub);
	return line;
}

/* What the next boot's kernel gets: the line kcmdline show --next prints,
 * read by the one reader of the boot loader families (kcmdline/bootldr/
 * nextline.c), so plan and kcmdline never disagree. */
char *cmd_next_boot_line(const struct cmd_ctx *x, char *src, size_t size)
{
	struct boot_host h;
	struct boot_next n;
	size_t len;

	boot_detect(x->root, &h);
	if (boot_next_line(&h, &n) < 0) {
		log_err("%s", n.why);
		log_info("give the line with --cmdline STR%s",
			 h.family == BOOT_GRUB ? " or --grub FILE" : "");
		boot_next_free(&n);
		return NULL;
	}
	len = strlen(n.src);
	if (h.kcmd[0] && len >= strlen(h.kcmd) && !strcmp(n.src + len - strlen(h.kcmd), h.kcmd))
		fmt(src, size, "%s, which kernel-install puts in the %s", n.src,
		    h.family == BOOT_UKI ? "unified kernel images" : h.family == BOOT_PROXMOX ?
		    "ESPs' entries (proxmox-boot-tool refresh)" : "boot entries");
	else
		fmt(src, size, "%s", n.src);
	return n.line;
}

/* The line to plan for; the source described in src. NULL after saying why. */
static char *planned_line(const struct cmd_ctx *x, char *src, size_t size)
{
	if (x->cmdline) {
		fmt(src, size, "--cmdline");
		return strdup(x->cmdline);
	}
	return x->grub ? grub_line(x, src, size) : cmd_next_boot_line(x, src, size);
}

static int plan_shows(const struct pci_dev *d)
{
	return d->action != ACT_LEAVE || d->why == REASON_GROUP_CONFLICT ||
	       d->why == REASON_GROUP_UNUSABLE;
}

/* The dry-run lines of the devices the plan touches or warns about. */
static void print_decisions(const struct pci_list *l)
{
	struct pci_list touched = { calloc(l->n ? l->n : 1, sizeof(*l->dev)), 0 };

	for (size_t i = 0; touched.dev && i < l->n; i++)
		if (plan_shows(&l->dev[i]))
			touched.dev[touched.n++] = l->dev[i];
	pr_flush();
	plan_print(&touched, 1);
	free(touched.dev);
}

/* Non-VF selectors that match nothing (a VF selector: vf_selectors()). */
static int unmatched_plain(const struct pci_list *l, const struct config *c)
{
	int n = 0;

	for (size_t i = 0; i < c->nsel; i++) {
		size_t j = 0;

		if (c->sel[i].kind == SEL_VF)
			continue;
		while (j < l->n && !sel_match_now(&c->sel[i], &l->dev[j]))
			j++;
		n += j == l->n;
	}
	return n;
}

/* Prints the summary; 1 when the boot pass will not do all the line asks
 * (a guard that keeps a device by design does not count). */
static int summary(const struct pci_list *l, const struct config *c)
{
	int bind = 0, skip = 0, kept = 0, conflict = 0, lost = cmd_unmatched(l, c);

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		bind += d->action == ACT_BIND;
		skip += d->action == ACT_SKIP;
		kept += d->action == ACT_SKIP && cmd_by_design(pci_reason_name(d->why));
		conflict += d->action == ACT_LEAVE && d->why == REASON_GROUP_CONFLICT;
	}
	pr("summary: %d to bind, %d skipped (%d by design), %d in conflicting groups, "
	   "%d bad selectors, %d selectors matching nothing\n", bind, skip, kept, conflict,
	   c->bad, lost);
	return skip > kept || conflict || c->bad || c->bad_values || unmatched_plain(l, c);
}

/*
 * The boot pass plans without VFs (pass_select() without PASS_TAG: they
 * appear after it); the udev rule decides each VF once it exists. So the
 * decisions above are the pass's, and the VFs come here, planned as the
 * rule plans them. Warns of a VF selector that can never match; returns 1
 * when one does and nothing would be bound, now or once VFs are made.
 */
static int vf_selectors(struct pci_list *l, const struct config *c, int have_iommu)
{
	char why[96];
	int never = 0, vfs = 0, later = 0, bind;

	for (size_t i = 0; i < c->nsel; i++) {
		const struct selector *s = &c->sel[i];
		const char *no = s->kind == SEL_VF ? pass_vf_never(l, s, why, sizeof(why)) : NULL;

		if (no)
			log_warn("selector %s can never match: %s", s->text, no);
		never += no != NULL;
		vfs += s->kind == SEL_VF;
		later += s->kind == SEL_VF && !no;
	}
	if (!vfs)
		return 0;
	pass_vfs(l, c, PASS_TAG);
	bind = plan_build(l, c, have_iommu);	/* VFs and all */
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (d->pf && d->action != ACT_LEAVE)
			pr("after boot, the udev rule: %s (VF %d of %s) %s %s%s%s\n", d->addr, d->vf,
			   d->pf->addr, d->action == ACT_BIND ? "bind" : "skip",
			   pci_reason_name(d->why), d->why ? " " : "", d->by);
	}
	return never && !bind && !later;
}

static int report_plan(const struct cmd_ctx *x, const struct config *c)
{
	struct pci_list l;
	int have_iommu, attention;

	if (!pass_select(&l, c, &have_iommu, 0)) {
		pr("%s: nothing will be bound\n", c->disabled ? "rd.vfio=0 turns the boot pass off" :
		   "no selector (vfio.ids=, rd.vfio.ids=, vfio-pci.ids=)");
		return c->bad || c->bad_values;
	}
	(void)cmd_variants(x, &l, c, NULL);	/* it says when there are no aliases */
	print_decisions(&l);
	plan_log(&l, c, have_iommu);
	if (!have_iommu)
		pr("note: this kernel runs without an IOMMU; once the new line turns it on, "
		   "run plan again after that boot to see the IOMMU groups\n");
	/* The boot pass cannot see what the booted host will use: say it here. */
	attention = hostuse_refuse(&l, "the boot pass would bind it: remove it from the "
				   "selection", NULL);
	attention |= summary(&l, c);
	attention |= vf_selectors(&l, c, have_iommu);
	pci_free(&l);
	return attention;
}

/* The mistakes kcmdline refuses (kcmdline/lint), as warnings; *lost is
 * set when one costs a selector: then the line does not do what it says. */
static void plan_lint(const struct lint_finding *f, void *lost)
{
	char text[512];

	log_warn("%s", lint_text(f, text, sizeof(text)));
	*(int *)lost |= f->selector;
}

/* A device the next boot binds once the IOMMU is on: the image is built
 * before the boot that turns it on, when there are no groups yet. */
static int bound_with_iommu(const struct pci_dev *d)
{
	return d->action == ACT_BIND || (d->action == ACT_SKIP && (d->why == REASON_NO_IOMMU ||
								   d->why == REASON_NO_IOMMU_GROUP));
}

/* Each variant module of l once, one per line. */
static void print_modules(const struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const char *m = l->dev[i].vfio_module;
		size_t j = 0;

		while (j < i && strcmp(l->dev[j].vfio_module, m))
			j++;
		if (m[0] && j == i)
			pr("%s\n", m);
	}
}

/*
 * plan --image-modules KVER, for the image-build hooks: the variant modules
 * that devices the next boot's line selects here get from kernel KVER's
 * aliases, one per line, nothing else on stdout.
 */
static int image_modules(const struct cmd_ctx *x)
{
	char src[1024], *line = planned_line(x, src, sizeof(src)), *aliases = NULL;
	struct pci_list l = { NULL, 0 };
	struct config c;
	size_t n = 0;
	int have_iommu;

	if (!line)
		return CMD_ATTENTION;
	config_parse(&c, line, strlen(line));
	if (pass_select(&l, &c, &have_iommu, 0) &&
	    cmd_variant_aliases(x, x->image_modules, &aliases, &n) == 0)
		for (size_t i = 0; i < l.n; i++)
			if (bound_with_iommu(&l.dev[i]))
				variant_choose_dev(&l.dev[i], c.variant_off, aliases, n);
	print_modules(&l);
	pr_flush();
	free(aliases);
	pci_free(&l);
	config_free(&c);
	free(line);
	return CMD_OK;
}

int cmd_plan(struct cmd_ctx *x)
{
	char src[1024], *line;
	struct config c;
	int saved, attention, lost = 0;

	if (x->cmdline && x->grub) {
		log_err("plan: give --cmdline or --grub, not both");
		return CMD_USAGE;
	}
	if (x->image_modules)
		return image_modules(x);
	line = planned_line(x, src, sizeof(src));
	if (!line)
		return CMD_USAGE;
	pr("cmdline (%s):\n  ", src);
	pr_str(line);
	pr_str("\n");
	saved = cmd_log_to_stdout();
	config_parse(&c, line, strlen(line));
	lint_line(line, strlen(line), plan_lint, &lost);
	attention = report_plan(x, &c) || lost;
	pr_flush();
	cmd_log_restore(saved);
	config_free(&c);
	free(line);
	return attention ? CMD_ATTENTION : CMD_OK;
}
