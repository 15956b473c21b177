// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fmt.h"
#include "kcmdline.h"
#include "log.h"
#include "print.h"
#include "slurp.h"
#include "sysfs.h"
#include "variant.h"

const char *cmd_path(const struct cmd_ctx *x, const char *rel, char *buf, size_t size)
{
	const char *root = x->root ? x->root : "";
	size_t n = strlen(root), m = strlen(rel);

	while (n && root[n - 1] == '/')
		n--;
	if (n + m + 2 > size) {
		buf[0] = '\0';
		return buf;
	}
	memcpy(buf, root, n);
	buf[n] = '/';
	memcpy(buf + n + 1, rel, m + 1);
	return buf;
}

const char *cmd_read_error(int r)
{
	const char *why = slurp_why(r);

	return why ? why : log_errstr(r);
}

int cmd_cmdline(const struct cmd_ctx *x, char **line, size_t *len)
{
	int r;

	if (!x->cmdline) {
		r = sysfs_slurp("proc/cmdline", CMD_FILE_MAX, line, len);
		if (r < 0)
			log_err("cannot read /proc/cmdline: %s", cmd_read_error(r));
		return r;
	}
	*line = strdup(x->cmdline);
	*len = *line ? strlen(*line) : 0;
	return *line ? 0 : -ENOMEM;
}

int cmd_scan(struct pci_list *l)
{
	int r = pci_scan(l);

	if (r < 0)
		log_err("cannot read /sys/bus/pci/devices: %s", log_errstr(r));
	return r;
}

struct pci_dev *cmd_dev(const struct pci_list *l, const char *addr)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->dev[i].addr, addr))
			return &l->dev[i];
	return NULL;
}

const char *cmd_addr(const struct pci_dev *d, int short_form)
{
	return short_form && d->dom == 0 ? d->addr + 5 : d->addr;
}

const char *cmd_pinned(const struct pci_dev *d, char *buf, size_t size)
{
	fmt(buf, size, "%s@%04x:%04x", d->addr, d->vendor & 0xffff, d->device & 0xffff);
	return buf;
}

const char *cmd_group(const struct pci_dev *d, char *buf, size_t size)
{
	if (d->group >= 0)
		fmt(buf, size, "%d", d->group);
	else
		fmt(buf, size, "-");
	return buf;
}

int cmd_domain0_only(const struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->dev[i].dom)
			return 0;
	return 1;
}

static int add_arg_selectors(struct config *c, const char *arg, int *bad)
{
	const char *cur = arg, *item, *why;
	size_t left = strlen(arg), len;
	struct selector s;
	char shown[72];

	while (kcmd_next_item(&cur, &left, &item, &len)) {
		if (!len)
			continue;
		if (sel_parse(item, len, &s, &why)) {
			config_printable(shown, sizeof(shown), item, len);
			log_err("bad selector '%s': %s", shown, why);
			(*bad)++;
			continue;
		}
		if (config_add_selector(c, &s))
			return -ENOMEM;
	}
	return 0;
}

int cmd_selectors(const struct cmd_ctx *x, struct config *c)
{
	int bad = 0;

	free(c->sel);
	c->sel = NULL;
	c->nsel = 0;
	for (int i = 0; i < x->nargs; i++)
		if (add_arg_selectors(c, x->args[i], &bad))
			return -ENOMEM;
	if (bad)
		log_err("%d bad selector%s: nothing changed", bad, bad == 1 ? "" : "s");
	else if (!c->nsel)
		log_err("no selector given (SEL: [DDDD:]BB:DD.F or [vendor]:[device][:class])");
	return bad || !c->nsel ? -EINVAL : 0;
}

int cmd_unmatched(const struct pci_list *l, const struct config *c)
{
	int n = 0;

	for (size_t i = 0; i < c->nsel; i++) {
		size_t j = 0;

		while (j < l->n && !sel_match_now(&c->sel[i], &l->dev[j]))
			j++;
		n += j == l->n;
	}
	return n;
}

int cmd_log_to_stdout(void)
{
	int saved = dup(2);

	pr_flush();
	dup2(1, 2);
	return saved;
}

void cmd_log_restore(int saved)
{
	if (saved < 0)
		return;
	dup2(saved, 2);
	close(saved);
}

int cmd_by_design(const char *why)
{
	return why && (!strcmp(why, "boot-vga") || !strcmp(why, "bridge") ||
		       !strcmp(why, "mass-storage"));
}

int cmd_on_vfio(const struct pci_dev *d)
{
	return variant_is_vfio(d->driver);
}

/* Append to a NUL-terminated buffer; what does not fit is cut. */
static void why_add(char *buf, size_t size, const char *f, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= size)
		return;
	va_start(ap, f);
	fmt_v(buf + n, size - n, f, ap);
	va_end(ap);
}

/* What no selector takes from the host (early/plan.c's guards): a bridge by
 * header or class (an LPC bridge on lpc_ich), mass storage, the boot display.
 * Binding it is never the advice. */
static int host_keeps(const struct pci_dev *d)
{
	return pci_is_bridge(d) || pci_is_bridge_class(d) || pci_is_storage(d) || d->boot_vga;
}

/* One member in the way: named in who, its pinned selector added to fix
 * unless the host keeps it. */
static void note_blocker(const struct pci_dev *m, struct cmd_group_why *w, int *blockers,
			 int *kept)
{
	char sel[CMD_PINNED_SIZE];
	const char *sep = *blockers ? ", " : "";

	why_add(w->who, sizeof(w->who), "%s%s on %s", sep, m->addr, m->driver);
	(*blockers)++;
	if (host_keeps(m)) {
		(*kept)++;
		return;
	}
	sep = w->fix[0] ? "," : "vfio-early bind ";
	why_add(w->fix, sizeof(w->fix), "%s%s", sep, cmd_pinned(m, sel, sizeof(sel)));
}

int cmd_group_usable(const struct pci_list *l, int g, struct cmd_group_why *w)
{
	int blockers = 0, kept = 0;

	w->who[0] = w->fix[0] = '\0';
	if (g < 0) {
		why_add(w->who, sizeof(w->who), "no IOMMU group");
		why_add(w->fix, sizeof(w->fix), "enable the IOMMU (vfio-early check)");
		return 0;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *m = &l->dev[i];

		if (m->group != g || !m->driver[0] || pci_driver_manages_dma(m->driver))
			continue;
		note_blocker(m, w, &blockers, &kept);
	}
	if (!kept)
		return !blockers;
	w->fix[0] = '\0';
	why_add(w->fix, sizeof(w->fix), "no selector makes it usable: the host keeps its "
		"bridges, mass storage and boot display; use a slot with its own IOMMU group");
	return 0;
}
