// SPDX-License-Identifier: MIT
/* vfio-early list: the host's PCI device table. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "kcmdline.h"
#include "log.h"
#include "pass.h"
#include "pciids.h"
#include "plan.h"
#include "print.h"
#include "variant.h"

struct filters {
	struct selector *v;
	size_t n;
	int all;	/* no filter, or one that matches everything ("::") */
};

static int is_colons(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ':')
			return 0;
	return n > 0;
}

static int add_filter(struct filters *f, const char *item, size_t len)
{
	struct selector s;
	const char *why;
	char shown[72];

	if (is_colons(item, len)) {
		f->all = 1;
		return 0;
	}
	if (sel_parse(item, len, &s, &why)) {
		config_printable(shown, sizeof(shown), item, len);
		log_err("bad filter '%s': %s", shown, why);
		return -EINVAL;
	}
	f->v[f->n++] = s;
	return 0;
}

static size_t commas(const char *s)
{
	size_t n = 0;

	for (; (s = strchr(s, ',')); s++)
		n++;
	return n;
}

static int parse_filters(const char *text, struct filters *f)
{
	const char *cur = text, *item;
	size_t left = text ? strlen(text) : 0, len;

	f->v = NULL;
	f->n = 0;
	f->all = 0;
	if (text) {
		f->v = calloc(commas(text) + 1, sizeof(*f->v));	/* one per item */
		if (!f->v)
			return -ENOMEM;
	}
	while (text && kcmd_next_item(&cur, &left, &item, &len))
		if (len && add_filter(f, item, len))
			return -EINVAL;
	f->all |= !f->n;
	return 0;
}

static int filter_match(const struct filters *f, const struct pci_dev *d)
{
	if (f->all)
		return 1;
	for (size_t i = 0; i < f->n; i++)
		if (sel_match(&f->v[i], d))
			return 1;
	return 0;
}

static const char *plan_mark(const struct pci_dev *d)
{
	return d->action == ACT_BIND ? "bind" : d->action == ACT_SKIP ? "skip" : "-";
}

static size_t driver_width(const struct pci_list *l)
{
	size_t w = 6;

	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->dev[i].driver) > w)
			w = strlen(l->dev[i].driver);
	return w;
}

/* Domains are as wide as the kernel prints them: 4 to 8 hex digits. */
static size_t addr_width(const struct pci_list *l, int short_form)
{
	size_t w = 4;

	for (size_t i = 0; i < l->n; i++)
		if (strlen(cmd_addr(&l->dev[i], short_form)) > w)
			w = strlen(cmd_addr(&l->dev[i], short_form));
	return w;
}

static void print_table(const struct pci_list *l, const struct pci_name *names,
			const struct filters *f)
{
	int short_form = cmd_domain0_only(l);
	size_t dw = driver_width(l), aw = addr_width(l, short_form);
	size_t sw = aw + (short_form ? 5 : 0) + 10;	/* ADDR@VVVV:DDDD */
	char type[16], group[12], sel[CMD_PINNED_SIZE];

	pr_col("ADDR", aw);
	pr_col("TYPE", 14);
	pr_col("GROUP", 5);
	pr_col("DRIVER", dw);
	pr_col("CMDLINE", 7);
	pr_col("SELECTOR", sw);
	pr("NAME\n");
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!filter_match(f, d))
			continue;
		pci_type(d, type, sizeof(type));
		pr_col(cmd_addr(d, short_form), aw);
		pr_col(type, 14);
		pr_col(cmd_group(d, group, sizeof(group)), 5);
		pr_col(d->driver[0] ? d->driver : "-", dw);
		pr_col(plan_mark(d), 7);
		cmd_pinned(d, sel, sizeof(sel));
		if (names && names[i].s[0]) {
			pr_col(sel, sw);
			pr_str(names[i].s);
		} else {
			pr_str(sel);
		}
		pr_str("\n");
	}
}

static void json_dev(const struct pci_dev *d, const char *name)
{
	char type[16], sel[CMD_PINNED_SIZE];

	pci_type(d, type, sizeof(type));
	pr("  {\"address\": \"%s\", \"type\": \"%s\", \"vendor\": \"%04x\", \"device\": \"%04x\", "
	   "\"class\": \"%04x\", \"name\": ", d->addr, type, d->vendor & 0xffff,
	   d->device & 0xffff, (d->class >> 8) & 0xffff);
	pr_json(name[0] ? name : NULL);
	pr_str(", \"iommu_group\": ");
	if (d->group >= 0)
		pr("%d", d->group);
	else
		pr_str("null");
	pr_str(", \"driver\": ");
	pr_json(d->driver[0] ? d->driver : NULL);
	pr_str(", \"cmdline\": ");
	pr_json(d->action == ACT_LEAVE ? NULL : plan_mark(d));
	pr_str(", \"by\": ");
	pr_json(d->action == ACT_LEAVE || !d->by[0] ? NULL : d->by);
	pr_str(", \"guard\": ");
	pr_json(d->action == ACT_SKIP ? pci_reason_name(d->why) : NULL);
	pr_str(", \"selector\": ");
	pr_json(cmd_pinned(d, sel, sizeof(sel)));
	pr_str(", \"vfio_module\": ");
	pr_json(d->vfio_module[0] ? d->vfio_module : "vfio_pci");
	pr_str(", \"vfio_why\": ");
	pr_json(variant_why_name(d->vfio_why));
	pr_str("}");
}

static void print_json(const struct pci_list *l, const struct pci_name *names,
		       const struct filters *f)
{
	int first = 1;

	pr_str("[");
	for (size_t i = 0; i < l->n; i++) {
		if (!filter_match(f, &l->dev[i]))
			continue;
		pr_str(first ? "\n" : ",\n");
		json_dev(&l->dev[i], names ? names[i].s : "");
		first = 0;
	}
	pr_str("\n]\n");
}

/* The vfio driver each device gets (or would get, selected): variant.h. */
static void mark_vfio(const struct cmd_ctx *x, struct pci_list *l, const struct config *c)
{
	char *aliases = NULL;
	size_t n = 0;

	(void)cmd_variant_aliases(x, NULL, &aliases, &n);	/* none: vfio-pci for all */
	for (size_t i = 0; i < l->n; i++)
		variant_choose_dev(&l->dev[i], c->variant_off, aliases, n);
	free(aliases);
}

/* What the command line does with each device, as the boot pass decides it. */
static void mark_cmdline(const struct cmd_ctx *x, struct pci_list *l)
{
	struct config c;
	char *line;
	size_t len;

	for (size_t i = 0; i < l->n; i++)
		l->dev[i].action = ACT_LEAVE;
	if (cmd_cmdline(x, &line, &len) < 0)
		line = NULL;
	config_parse(&c, line ? line : "", line ? len : 0);
	if (!c.disabled && c.nsel) {
		pass_vfs(l, &c, PASS_TAG);
		plan_build(l, &c, pass_have_iommu());
	}
	mark_vfio(x, l, &c);
	config_free(&c);
	free(line);
}

/* The devices a variant driver (or a selector's =MODULE) is for. */
static void print_variants(const struct pci_list *l, const struct filters *f)
{
	char vfio[96];
	int first = 1;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!filter_match(f, d) || !d->vfio_module[0])
			continue;
		if (first)
			pr_str("vfio drivers other than vfio-pci (DRIVER,WHY; SELECTOR=vfio-pci or "
			       "rd.vfio.variant=0 keeps vfio-pci):\n");
		first = 0;
		variant_describe(d, vfio, sizeof(vfio));
		pr("  %s %s\n", d->addr, vfio);
	}
}

struct pci_name *cmd_list_names(const struct cmd_ctx *x, const struct pci_list *l)
{
	struct pci_name *names = calloc(l->n ? l->n : 1, sizeof(*names));
	struct pciids *db;

	if (!names)
		return NULL;
	db = pciids_open(x->root);
	for (size_t i = 0; i < l->n; i++)
		pciids_device(db, l->dev[i].vendor, l->dev[i].device, &names[i]);
	pciids_close(db);
	return names;
}

int cmd_list(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	struct pci_name *names;
	struct filters f;

	if (parse_filters(x->filter, &f)) {
		free(f.v);
		return CMD_USAGE;
	}
	if (cmd_scan(&l) < 0) {
		free(f.v);
		return CMD_ATTENTION;
	}
	mark_cmdline(x, &l);
	names = cmd_list_names(x, &l);
	if (x->json)
		print_json(&l, names, &f);
	else {
		print_table(&l, names, &f);
		print_variants(&l, &f);
	}
	free(names);
	free(f.v);
	pci_free(&l);
	return CMD_OK;
}
