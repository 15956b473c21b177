// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"
#include "plan.h"
#include "variant.h"

/* Out of line: inlined at its six calls it cost 64 bytes of the boot path. */
__attribute__((noinline)) static void set(struct pci_dev *d, enum pci_action a, enum pci_reason why, const char *by_fmt,
		const char *by_arg)
{
	d->action = a;
	d->why = why;
	fmt(d->by, sizeof(d->by), by_fmt, by_arg);
}

/* Bridges by header (the kernel's) or by class, but for "other bridge"
 * (0680), a class many plain endpoints carry. */
static int never_bound(const struct pci_dev *d)
{
	return pci_is_bridge(d) || (pci_is_bridge_class(d) && ((d->class >> 8) & 0xff) != 0x80);
}

/* The guards that hold even for an explicit selector. */
static enum pci_reason guard(const struct pci_dev *d, const struct config *c, int have_iommu)
{
	if (never_bound(d))
		return REASON_BRIDGE;
	if (d->boot_vga && !c->boot_vga)
		return REASON_BOOT_VGA;
	if (!have_iommu)
		return REASON_NO_IOMMU;
	if (d->group < 0)
		return REASON_NO_IOMMU_GROUP;
	return REASON_NONE;
}

static void select_one(struct pci_dev *d, const struct config *c, int have_iommu)
{
	for (size_t i = 0; i < c->nsel; i++) {
		const struct selector *s = &c->sel[i];
		enum pci_reason g;

		if (!sel_match(s, d))
			continue;
		d->sel = s;
		if (!sel_pin_ok(s, d)) {
			set(d, ACT_SKIP, REASON_PIN_MISMATCH, "selector=%s", s->text);
			return;
		}
		/* mass storage only by its own address, never by ids or class */
		if (s->kind != SEL_ADDR && pci_is_storage(d)) {
			set(d, ACT_SKIP, REASON_MASS_STORAGE, "selector=%s", s->text);
			continue;
		}
		g = guard(d, c, have_iommu);
		set(d, g ? ACT_SKIP : ACT_BIND, g, "selector=%s", s->text);
		d->origin = ORIGIN_SELECTOR;
		return;
	}
}

/* What vfio-early takes without being told: never a bridge of any kind,
 * mass storage or the boot display. Also what it may suggest taking. */
static int implicit_ok(const struct pci_dev *m)
{
	return !pci_is_bridge(m) && !pci_is_bridge_class(m) && !pci_is_storage(m) && !m->boot_vga;
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
		if (m->action == ACT_LEAVE && implicit_ok(m)) {
			set(m, ACT_BIND, REASON_NONE, by, d->addr);
			m->origin = ORIGIN_GROUP;
		}
	}
}

enum block { BLOCK_NONE, BLOCK_NOW, BLOCK_LATER };

/*
 * Whether a member keeps vfio from claiming the group: since Linux 5.19
 * iommu_group_claim_dma_owner() fails while a member is bound to a driver
 * without driver_managed_dma. An unbound member is fine until its driver
 * binds; an unbound bridge only ever gets pcieport or no driver.
 */
static enum block member_blocks(const struct pci_dev *m)
{
	if (m->action == ACT_BIND || m->why == REASON_GROUP_UNUSABLE)
		return BLOCK_NONE;
	if (m->driver[0])
		return pci_driver_manages_dma(m->driver) ? BLOCK_NONE : BLOCK_NOW;
	return pci_is_bridge(m) ? BLOCK_NONE : BLOCK_LATER;
}

/* Members that stay on (or will get) host drivers make the group unusable. */
static void mark_conflicts(struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		if (d->action != ACT_BIND)
			continue;
		for (size_t j = 0; j < l->n; j++) {
			struct pci_dev *m = &l->dev[j];

			if (m->group == d->group && m->action == ACT_LEAVE &&
			    m->why != REASON_GROUP_CONFLICT && member_blocks(m))
				set(m, ACT_LEAVE, REASON_GROUP_CONFLICT, "with=%s", d->addr);
		}
	}
}

static int group_blocked(const struct pci_list *l, int group)
{
	for (size_t j = 0; j < l->n; j++)
		if (l->dev[j].group == group && member_blocks(&l->dev[j]))
			return 1;
	return 0;
}

/*
 * Whole groups or nothing (slot and all): unbinding part of a group that a
 * member on a host driver keeps from vfio (member_blocks()) gives no VM a
 * device and costs the host the functions taken. The selected members become
 * skip, their mates go back to leave; both keep REASON_GROUP_UNUSABLE so
 * log_group() can tell them from the blockers.
 */
static void drop_unusable(struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		int group = l->dev[i].group;

		if (l->dev[i].action != ACT_BIND || !group_blocked(l, group))
			continue;
		for (size_t j = i; j < l->n; j++) {
			struct pci_dev *m = &l->dev[j];

			if (m->group != group || m->action != ACT_BIND)
				continue;
			m->action = m->origin == ORIGIN_SELECTOR ? ACT_SKIP : ACT_LEAVE;
			m->why = REASON_GROUP_UNUSABLE;
		}
	}
}

void plan_undrop(struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->dev[i].why != REASON_GROUP_UNUSABLE)
			continue;
		l->dev[i].action = ACT_BIND;
		l->dev[i].why = REASON_NONE;
	}
}

int plan_build(struct pci_list *l, const struct config *c, int have_iommu)
{
	size_t i, nexplicit;
	int count = 0;

	for (i = 0; i < l->n; i++) {
		l->dev[i].sel = NULL;
		l->dev[i].origin = ORIGIN_NONE;
		set(&l->dev[i], ACT_LEAVE, REASON_NOT_SELECTED, "%s", "");
		select_one(&l->dev[i], c, have_iommu);
	}
	nexplicit = l->n;
	for (i = 0; c->group != GROUP_NONE && i < nexplicit; i++)
		if (l->dev[i].action == ACT_BIND && l->dev[i].origin == ORIGIN_SELECTOR)
			add_group_mates(l, &l->dev[i], c->group);
	if (c->group != GROUP_NONE)
		drop_unusable(l);
	mark_conflicts(l);
	for (i = 0; i < l->n; i++)
		count += l->dev[i].action == ACT_BIND;
	return count;
}

static void log_skip(const struct pci_dev *d, const char *type)
{
	const char *why = pci_reason_name(d->why);
	int prio = PRIO_WARNING;

	switch (d->why) {
	case REASON_BOOT_VGA:
		why = "boot display device; add rd.vfio.boot_vga=1 to take it";
		break;
	case REASON_BRIDGE:
		why = "bridges are never bound";
		break;
	case REASON_MASS_STORAGE:
		why = "mass storage is taken only by its address";
		break;
	case REASON_NO_IOMMU_GROUP:
		why = "device has no IOMMU group";
		prio = PRIO_ERR;
		break;
	case REASON_PIN_MISMATCH:
		log_err("skip %s: %s pins %04x:%04x, but %s is there now; binding nothing there",
			d->addr, d->by, d->sel->vendor, d->sel->device, type);
		return;
	default:
		prio = PRIO_INFO;
	}
	log_msg(prio, "skip %s (%s) %s: %s", d->addr, type, d->by, why);
}

static void log_select(const struct pci_dev *d, const char *type)
{
	log_notice("select %s (%s, group %d, driver %s) by %s", d->addr, type, d->group,
		   d->driver[0] ? d->driver : "none", d->by);
	if (pci_is_storage(d) && d->sel && !d->sel->pinned)
		log_warn("%s: mass storage by address alone; pin it to its ids: vfio.ids=%s@%04x:%04x",
			 d->addr, d->addr, d->vendor & 0xffff, d->device & 0xffff);
}

/* Why vfio-early will not take a blocking member itself, or NULL. */
static const char *never_taken(const struct pci_dev *m)
{
	if (never_bound(m))
		return "a bridge, never taken";
	if (pci_is_storage(m))
		return "mass storage, never taken";
	if (m->boot_vga)
		return "the boot display, never taken";
	return m->why == REASON_PIN_MISMATCH ? "pinned to other ids" : NULL;
}

/* The member a group's warning names: one to bind, or one selected but
 * dropped with its group (drop_unusable()). */
static int group_lead(const struct pci_dev *d)
{
	return d->action == ACT_BIND || (d->action == ACT_SKIP && d->why == REASON_GROUP_UNUSABLE);
}

/*
 * One warning per group with a device selected and members in the way:
 * every such member with its driver, whether the pass took nothing of the
 * group (slot, all) or the device alone (none), then the selector that
 * includes them all, or why none can (a chipset group: bridges, storage).
 */
static void log_group(const struct pci_list *l, const struct pci_dev *d)
{
	char msg[800], fix[600], type[16];
	const char *sep = "";
	size_t n, nf = 0;
	int blockers = 0, fixable = 1;

	n = (size_t)fmt(msg, sizeof(msg), "group %d: a VM cannot use %s (vfio needs the whole "
			"group)%s", d->group, d->addr,
			d->action == ACT_SKIP ? "; nothing of the group was taken" : "");
	for (size_t j = 0; j < l->n && n < sizeof(msg) && nf < sizeof(fix); j++) {
		const struct pci_dev *m = &l->dev[j];
		enum block b = m->group == d->group ? member_blocks(m) : BLOCK_NONE;
		const char *never = never_taken(m);

		if (!b)
			continue;
		pci_type(m, type, sizeof(type));
		n += (size_t)fmt(msg + n, sizeof(msg) - n, "; %s (%s) %s%s%s%s%s", m->addr, type,
				 b == BLOCK_NOW ? "on " : "has no driver yet, blocks it once one binds",
				 b == BLOCK_NOW ? m->driver : "", b == BLOCK_NOW ? " blocks it" : "",
				 never ? " and is " : "", never ? never : "");
		fixable &= !never;
		nf += (size_t)fmt(fix + nf, sizeof(fix) - nf, "%s%s@%04x:%04x", sep, m->addr,
				  m->vendor & 0xffff, m->device & 0xffff);
		sep = ",";
		blockers++;
	}
	if (!blockers)
		return;
	if (fixable)
		log_warn("%s; to include %s: vfio.ids=%s", msg, blockers > 1 ? "them" : "it", fix);
	else
		log_warn("%s; no selector makes group %d usable", msg, d->group);
}

static void log_groups(const struct pci_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		size_t k;

		if (!group_lead(&l->dev[i]))
			continue;
		for (k = 0; k < i && !(group_lead(&l->dev[k]) &&
				       l->dev[k].group == l->dev[i].group); k++)
			;
		if (k == i)
			log_group(l, &l->dev[i]);
	}
}

static void log_unmatched(const struct pci_list *l, const struct config *c)
{
	for (size_t i = 0; i < c->nsel; i++) {
		size_t j;

		for (j = 0; j < l->n && !sel_match(&c->sel[i], &l->dev[j]); j++)
			;
		/* VFs come after boot (pass_vfs speaks of the PF; plan and check of
		 * a PF that is not there). */
		if (j == l->n && c->sel[i].kind != SEL_VF)
			log_warn("selector %s matches no PCI device", c->sel[i].text);
	}
}

void plan_log(const struct pci_list *l, const struct config *c, int have_iommu)
{
	char type[16];
	int wanted = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (d->action == ACT_LEAVE)
			continue;
		wanted++;
		pci_type(d, type, sizeof(type));
		if (d->action == ACT_BIND)
			log_select(d, type);
		else
			log_skip(d, type);
	}
	log_groups(l);
	if (!have_iommu && wanted)
		log_err("no IOMMU: /sys/kernel/iommu_groups is empty, binding nothing. Enable "
			"VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the firmware; on Intel add intel_iommu=on "
			"to the kernel command line, on AMD remove any amd_iommu=off or iommu=off");
	log_unmatched(l, c);
}

void plan_log_dev(const struct pci_list *l, const struct pci_dev *d, int have_iommu)
{
	char type[16];

	pci_type(d, type, sizeof(type));
	if (d->action == ACT_BIND) {
		log_select(d, type);
		log_group(l, d);
	} else if (d->action == ACT_SKIP) {
		log_skip(d, type);
		if (d->why == REASON_GROUP_UNUSABLE)
			log_group(l, d);
		if (d->why == REASON_NO_IOMMU)
			log_err("no IOMMU: /sys/kernel/iommu_groups is empty, binding nothing");
	}
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
	char type[16], vfio[96];

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		pci_type(d, type, sizeof(type));
		variant_describe(d, vfio, sizeof(vfio));
		out_line(&o, "%s %s%s%s%s%s type=%s group=%d driver=%s%s%s\n", d->addr,
			 action_name(d->action), d->why ? " " : "", pci_reason_name(d->why),
			 d->by[0] ? " " : "", d->by, type, d->group,
			 d->driver[0] ? d->driver : "-", d->vfio_why ? " vfio=" : "",
			 d->vfio_why ? vfio : "");
	}
	out_flush(&o);
}
