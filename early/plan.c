// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"
#include "plan.h"

static void set(struct pci_dev *d, enum pci_action a, const char *why, const char *by_fmt,
		const char *by_arg)
{
	d->action = a;
	d->why = why;
	fmt(d->by, sizeof(d->by), by_fmt, by_arg);
}

/* The guards that hold even for an explicit selector. */
static const char *guard(const struct pci_dev *d, const struct config *c, int have_iommu)
{
	if (pci_is_bridge(d))
		return "bridge";
	if (d->boot_vga && !c->boot_vga)
		return "boot-vga";
	if (!have_iommu)
		return "no-iommu";
	if (d->group < 0)
		return "no-iommu-group";
	return NULL;
}

static void select_one(struct pci_dev *d, const struct config *c, int have_iommu)
{
	for (size_t i = 0; i < c->nsel; i++) {
		const struct selector *s = &c->sel[i];
		const char *g;

		if (!sel_match(s, d))
			continue;
		if (sel_class_only(s) && pci_is_storage(d)) {
			set(d, ACT_SKIP, "mass-storage", "selector=%s", s->text);
			continue;
		}
		g = guard(d, c, have_iommu);
		set(d, g ? ACT_SKIP : ACT_BIND, g, "selector=%s", s->text);
		return;
	}
}

static int implicit_ok(const struct pci_dev *m)
{
	return !pci_is_bridge(m) && !pci_is_storage(m) && !m->boot_vga;
}

static void add_group_mates(struct pci_list *l, const struct pci_dev *d, enum group_policy pol)
{
	const char *by = pol == GROUP_ALL ? "group=all of=%s" : "group=slot of=%s";

	for (size_t j = 0; j < l->n; j++) {
		struct pci_dev *m = &l->dev[j];

		if (m == d || m->group != d->group || m->action == ACT_BIND)
			continue;
		if (pol == GROUP_SLOT && !pci_same_slot(m, d))
			continue;
		if (m->action == ACT_LEAVE && implicit_ok(m))
			set(m, ACT_BIND, NULL, by, d->addr);
	}
}

/* Members that stay on host drivers make the group unusable for vfio. */
static void mark_conflicts(struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		if (d->action != ACT_BIND)
			continue;
		for (size_t j = 0; j < l->n; j++) {
			struct pci_dev *m = &l->dev[j];

			if (m->group == d->group && m->action == ACT_LEAVE && !pci_is_bridge(m) &&
			    strcmp(m->why, "group-conflict"))
				set(m, ACT_LEAVE, "group-conflict", "with=%s", d->addr);
		}
	}
}

int plan_build(struct pci_list *l, const struct config *c, int have_iommu)
{
	size_t i, nexplicit;
	int count = 0;

	for (i = 0; i < l->n; i++) {
		set(&l->dev[i], ACT_LEAVE, "not-selected", "%s", "");
		select_one(&l->dev[i], c, have_iommu);
	}
	nexplicit = l->n;
	for (i = 0; c->group != GROUP_NONE && i < nexplicit; i++)
		if (l->dev[i].action == ACT_BIND && !strncmp(l->dev[i].by, "selector=", 9))
			add_group_mates(l, &l->dev[i], c->group);
	mark_conflicts(l);
	for (i = 0; i < l->n; i++)
		count += l->dev[i].action == ACT_BIND;
	return count;
}

static void log_skip(const struct pci_dev *d, const char *type)
{
	if (!strcmp(d->why, "boot-vga"))
		log_warn("skip %s (%s) %s: boot display device; add rd.vfio.boot_vga=1 to take it",
			 d->addr, type, d->by);
	else if (!strcmp(d->why, "bridge"))
		log_warn("skip %s (%s) %s: bridges are never bound", d->addr, type, d->by);
	else if (!strcmp(d->why, "mass-storage"))
		log_warn("skip %s (%s) %s: a class-only selector never takes mass storage; name its address",
			 d->addr, type, d->by);
	else if (!strcmp(d->why, "no-iommu-group"))
		log_err("skip %s (%s) %s: device has no IOMMU group", d->addr, type, d->by);
	else
		log_info("skip %s (%s) %s: %s", d->addr, type, d->by, d->why);
}

static void log_conflict(const struct pci_dev *m, const char *type, const struct config *c)
{
	log_warn("group %d: %s (%s, %s) stays on the host, so a VM cannot use %s (vfio "
		 "needs the whole group); to include it: vfio.ids=%s@%04x:%04x%s", m->group,
		 m->addr, type, m->driver[0] ? m->driver : "no driver yet", m->by + 5, m->addr,
		 m->vendor & 0xffff, m->device & 0xffff, m->boot_vga ? " rd.vfio.boot_vga=1" : "");
}

static void log_unmatched(const struct pci_list *l, const struct config *c)
{
	for (size_t i = 0; i < c->nsel; i++) {
		size_t j;

		for (j = 0; j < l->n && !sel_match(&c->sel[i], &l->dev[j]); j++)
			;
		if (j == l->n)
			log_warn("selector %s matches no PCI device", c->sel[i].text);
	}
}

void plan_log(const struct pci_list *l, const struct config *c, int have_iommu)
{
	char type[16];
	int wanted = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (d->action == ACT_LEAVE && strcmp(d->why, "group-conflict"))
			continue;
		wanted += d->action != ACT_LEAVE;
		pci_type(d, type, sizeof(type));
		if (d->action == ACT_BIND)
			log_notice("select %s (%s, group %d, driver %s) by %s", d->addr, type,
				   d->group, d->driver[0] ? d->driver : "none", d->by);
		else if (d->action == ACT_SKIP)
			log_skip(d, type);
		else if (!strcmp(d->why, "group-conflict"))
			log_conflict(d, type, c);
	}
	if (!have_iommu && wanted)
		log_err("no IOMMU: /sys/kernel/iommu_groups is empty, binding nothing. Enable "
			"VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware and add intel_iommu=on "
			"or amd_iommu=on to the kernel command line");
	log_unmatched(l, c);
}

struct out {
	char buf[4096];
	size_t n;
	int fd;
};

static void out_flush(struct out *o)
{
	if (o->n && write(o->fd, o->buf, o->n) < 0)
		o->fd = -1;
	o->n = 0;
}

static void out_line(struct out *o, const char *format, ...)
{
	va_list ap;
	int n;

	if (o->n + 256 > sizeof(o->buf))
		out_flush(o);
	va_start(ap, format);
	n = fmt_v(o->buf + o->n, sizeof(o->buf) - o->n, format, ap);
	va_end(ap);
	if (n > 0)
		o->n += (size_t)n < sizeof(o->buf) - o->n ? (size_t)n : sizeof(o->buf) - o->n - 1;
}

static const char *action_name(enum pci_action a)
{
	return a == ACT_BIND ? "bind" : a == ACT_SKIP ? "skip" : "leave";
}

void plan_print(const struct pci_list *l, int fd)
{
	struct out o = { .n = 0, .fd = fd };
	char type[16];

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		pci_type(d, type, sizeof(type));
		out_line(&o, "%s %s%s%s%s%s type=%s group=%d driver=%s\n", d->addr,
			 action_name(d->action), d->why ? " " : "", d->why ? d->why : "",
			 d->by[0] ? " " : "", d->by, type, d->group,
			 d->driver[0] ? d->driver : "-");
	}
	out_flush(&o);
}
