// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "bind.h"
#include "deadline.h"
#include "fmt.h"
#include "log.h"
#include "modules.h"
#include "sysfs.h"
#include "variant.h"

#define WAIT_STEP_MS	10
#define UNBIND_WAIT_MS	500
#define PROBE_WAIT_MS	500

static int attr_write(struct pci_dev *d, const char *attr, const char *s)
{
	char path[SYSFS_DEV_PATH_MAX];
	int r = sysfs_dev_path(path, sizeof(path), d->addr, attr);

	return r ? r : sysfs_write(path, s);
}

/* Poll the driver link until it names want ("" = unbound), until ms or dl. */
static int wait_driver(struct pci_dev *d, const char *want, int ms, long dl)
{
	long until = deadline_in(ms, dl);

	log_debug("%s: waiting for %s", d->addr, want[0] ? want : "the unbind");
	for (;;) {
		if (pci_read_driver(d) < 0)
			return -ENOENT;
		if (!strcmp(d->driver, want))
			return 0;
		if (deadline_passed(until))
			return -ETIMEDOUT;
		deadline_sleep(until, WAIT_STEP_MS);
	}
}

static void fail(struct pci_dev *d, const char *detail)
{
	d->result = RES_FAILED;
	fmt(d->detail, sizeof(d->detail), "%s", detail);
}

static void vanished(struct pci_dev *d, const char *when)
{
	fail(d, "vanished");
	log_err("%s: device vanished %s", d->addr, when);
}

/* Give the device back: its previous override, a probe so its driver takes it. */
static void rollback(struct pci_dev *d, const char *detail)
{
	const char *ovr = d->prev_override[0] ? d->prev_override : "none";
	int r;

	fail(d, detail);
	r = attr_write(d, "driver_override", d->prev_override[0] ? d->prev_override : "\n");
	if (r < 0 && pci_read_driver(d) < 0) {
		vanished(d, "during rollback");
		return;
	}
	sysfs_write(SYSFS_DRIVERS_PROBE, d->addr);
	pci_read_driver(d);
	log_err("%s: not bound (%s); override %s %s; on %s", d->addr,
		detail, r < 0 ? "NOT restored, still vfio-pci:" : "back to", r < 0 ? log_errstr(r) : ovr,
		d->driver[0] ? d->driver : "no driver");
}

/* Hold the device for vfio-pci: once driver_override names it, no other
 * driver (a variant's core driver loading next, say) can take it. */
static void prepare(struct pci_dev *d)
{
	char path[SYSFS_DEV_PATH_MAX];
	int r;

	if (pci_read_driver(d) < 0) {
		vanished(d, "before binding");
		return;
	}
	fmt(d->prev_driver, sizeof(d->prev_driver), "%s", d->driver);
	if (sysfs_dev_path(path, sizeof(path), d->addr, "driver_override") ||
	    sysfs_read(path, d->prev_override, sizeof(d->prev_override)) < 0) {
		fail(d, "no-driver-override");
		log_err("%s: no driver_override (Linux < 3.16); not binding",
			d->addr);
		return;
	}
	/* pci-sysfs prints a NULL override as "(null)" */
	if (!strcmp(d->prev_override, "(null)"))
		d->prev_override[0] = '\0';
	if (d->prev_override[0] && strcmp(d->prev_override, variant_target(d)))
		log_warn("%s: override was %s", d->addr, d->prev_override);
	r = sysfs_write(path, "vfio-pci");
	if (r < 0) {
		fail(d, "driver_override-write-failed");
		log_err("%s: driver_override: %s; not binding", d->addr, log_errstr(r));
		return;
	}
	d->result = RES_PENDING;
}

/* The variant cannot have the device: vfio-pci gets it. A failed write
 * leaves the override the variant's, and the probe then fails visibly. */
static void fall_back(struct pci_dev *d)
{
	d->vfio_why = VFIO_WHY_FALLBACK;
	strcpy(d->vfio_driver, "vfio-pci");
	(void)attr_write(d, "driver_override", "vfio-pci");
}

/* A variant's driver name, its module loaded first; on failure the device
 * stays with vfio-pci, whose override it has. */
static void resolve_variant(struct pci_dev *d, const struct bind_opts *o)
{
	int r = 0;

	if (!d->vfio_module[0])
		return;
	if (!strcmp(d->vfio_driver, "vfio-pci"))
		r = o->load_variant ? o->load_variant(d->vfio_module, o) : -ENOENT;
	if (r >= 0)
		r = variant_driver(d->vfio_module, d->vfio_driver, sizeof(d->vfio_driver));
	if (r >= 0 && attr_write(d, "driver_override", d->vfio_driver) == 0) {
		log_notice("%s: vfio driver %s (module %s, %s)", d->addr, d->vfio_driver,
			   d->vfio_module, variant_why_name(d->vfio_why));
		return;
	}
	log_warn("%s: variant %s %s: vfio-pci instead", d->addr, d->vfio_module,
		 r < 0 ? "has no driver here" : "not written to driver_override");
	fall_back(d);
}

/* Off the driver it is on, unless that is where it goes. */
static void release_old(struct pci_dev *d, long dl)
{
	int r;

	if (!d->driver[0] || !strcmp(d->driver, variant_target(d)))
		return;
	log_info("%s: unbinding from %s", d->addr, d->driver);
	r = attr_write(d, "driver/unbind", d->addr);
	/* A refused write changes nothing: no point in waiting. */
	if (r == 0 && wait_driver(d, "", UNBIND_WAIT_MS, dl) == -ENOENT) {
		vanished(d, "while unbinding");
		return;
	}
	if (r < 0 || d->driver[0])
		rollback(d, "unbind-failed");
}

/* Probe the device for want: 0 once it is on want, -ENOENT when it is
 * gone, -EAGAIN when it is on something else or nothing. */
static int probe_for(struct pci_dev *d, const char *want, long dl)
{
	int r;

	if (strcmp(d->driver, want)) {
		r = sysfs_write(SYSFS_DRIVERS_PROBE, d->addr);
		if (r == 0 && wait_driver(d, want, PROBE_WAIT_MS, dl) == -ENOENT)
			return -ENOENT;
	}
	return strcmp(d->driver, want) ? -EAGAIN : 0;
}

static void finish(struct pci_dev *d, long dl)
{
	int r;

	if (pci_read_driver(d) < 0) {
		vanished(d, "while binding");
		return;
	}
	r = probe_for(d, variant_target(d), dl);
	if (r == -EAGAIN && strcmp(variant_target(d), "vfio-pci")) {
		/* the variant's probe refused it (dmesg names why) */
		log_warn("%s: %s did not bind it: vfio-pci instead", d->addr, d->vfio_driver);
		fall_back(d);
		r = probe_for(d, "vfio-pci", dl);
	}
	if (r == -ENOENT) {
		vanished(d, "while binding");
		return;
	}
	if (r) {
		rollback(d, "vfio-pci-did-not-bind");
		return;
	}
	d->result = strcmp(d->prev_driver, d->driver) ? RES_BOUND : RES_ALREADY;
	log_notice("%s: bound to %s (was %s)", d->addr, d->driver,
		   d->prev_driver[0] ? d->prev_driver : "unbound");
}

static int ensure_vfio_driver(const struct bind_opts *o)
{
	if (sysfs_exists(SYSFS_VFIO_DRIVER))
		return 0;
	if (!o->load_modules) {
		log_err("vfio-pci is not registered (--root: no modules)");
		return -ENOENT;
	}
	if (modules_ensure_vfio(o->cmdline, o->cmdline_len, o->deadline) < 0) {
		log_err("cannot load vfio-pci: rebuild the initrd with the vfio-early hook");
		return -ENOENT;
	}
	/* its time stamp splits the pass: the kernel's module loading before it */
	log_info("vfio-pci loaded");
	return 0;
}

static void out_of_time(struct pci_dev *d)
{
	fail(d, "time-budget");
	log_err("%s: not touched: time budget used up", d->addr);
}

/* vfio-pci first: without it nothing is unbound and no override written. */
static void bind_planned(struct pci_list *l, const struct bind_opts *o)
{
	size_t i;

	if (ensure_vfio_driver(o) < 0) {
		log_err("so no device unbound, no override written");
		for (i = 0; i < l->n; i++)
			if (l->dev[i].action == ACT_BIND)
				fail(&l->dev[i], "vfio-pci-unavailable");
		return;
	}
	for (i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		if (d->action != ACT_BIND)
			continue;
		if (deadline_passed(o->deadline))
			out_of_time(d);
		else
			prepare(d);
	}
	for (i = 0; i < l->n; i++)
		if (l->dev[i].result == RES_PENDING)
			resolve_variant(&l->dev[i], o);
	for (i = 0; i < l->n; i++)
		if (l->dev[i].result == RES_PENDING)
			release_old(&l->dev[i], o->deadline);
	for (i = 0; i < l->n; i++)
		if (l->dev[i].result == RES_PENDING)
			finish(&l->dev[i], o->deadline);
}

/*
 * Where each device really is now (vfio-pci binds ids= matches by itself),
 * then the pass's last line: counts per result.
 */
static void read_back(struct pci_list *l, long started)
{
	int n[RES_UNTOUCHED + 1] = { 0 };

	for (size_t i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];
		int meant = d->result == RES_BOUND || d->result == RES_ALREADY;
		int was = !strcmp(d->driver, "vfio-pci");

		n[d->result]++;
		if (pci_read_driver(d) < 0 || meant == !strcmp(d->driver, variant_target(d)))
			continue;
		if (meant || d->action != ACT_LEAVE || !was)
			log_err("%s: %s %s, yet on %s%s", d->addr, d->action != ACT_LEAVE ?
				pci_result_name(d->result) : "not selected", d->detail,
				d->driver[0] ? d->driver : "no driver", meant ? "" :
				": vfio-pci's own ids= took it");
	}
	log_notice("done in %d ms: %d bound, %d already, %d failed, %d skipped",
		   (int)(deadline_now() - started), n[RES_BOUND], n[RES_ALREADY], n[RES_FAILED],
		   n[RES_SKIPPED]);
}

void bind_all(struct pci_list *l, const struct bind_opts *o)
{
	int wanted = 0;

	variant_choose(l, o->variant_off, o->aliases, o->aliases_len);
	for (size_t i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		if (d->action == ACT_SKIP) {
			d->result = RES_SKIPPED;
			fmt(d->detail, sizeof(d->detail), "%s", pci_reason_name(d->why));
		}
		wanted += d->action == ACT_BIND;
	}
	if (wanted)
		bind_planned(l, o);
	read_back(l, o->deadline - BIND_BUDGET_MS);
}
