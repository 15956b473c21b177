// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "fmt.h"
#include "bind.h"
#include "log.h"
#include "modules.h"
#include "sysfs.h"

#define DEVICES		"sys/bus/pci/devices"
#define DRIVERS_PROBE	"sys/bus/pci/drivers_probe"
#define VFIO_DRIVER	"sys/bus/pci/drivers/vfio-pci"
#define WAIT_STEP_MS	10
#define UNBIND_WAIT_MS	500
#define PROBE_WAIT_MS	500

static const char PENDING[] = "pending";

static void dev_path(const struct pci_dev *d, const char *attr, char *buf, size_t size)
{
	fmt(buf, size, DEVICES "/%s/%s", d->addr, attr);
}

/* Poll the driver link until it names want ("" = unbound); capped. */
static int wait_driver(struct pci_dev *d, const char *want, int ms)
{
	struct timespec tick = { 0, WAIT_STEP_MS * 1000 * 1000 };

	for (int waited = 0;; waited += WAIT_STEP_MS) {
		if (pci_read_driver(d) < 0)
			return -ENOENT;
		if (!strcmp(d->driver, want))
			return 0;
		if (waited >= ms)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

static void fail(struct pci_dev *d, const char *detail)
{
	d->result = "failed";
	fmt(d->detail, sizeof(d->detail), "%s", detail);
}

static void vanished(struct pci_dev *d, const char *when)
{
	fail(d, "vanished");
	log_err("%s: device vanished %s", d->addr, when);
}

/* Give the device back: no override, probe so its own driver can take it. */
static void rollback(struct pci_dev *d, const char *detail)
{
	char path[96];

	fail(d, detail);
	dev_path(d, "driver_override", path, sizeof(path));
	if (sysfs_write(path, "\n") < 0 && pci_read_driver(d) < 0) {
		vanished(d, "during rollback");
		return;
	}
	sysfs_write(DRIVERS_PROBE, d->addr);
	pci_read_driver(d);
	log_err("%s: not bound to vfio-pci (%s); override cleared, device on %s", d->addr,
		detail, d->driver[0] ? d->driver : "no driver (its own driver takes it when loaded)");
}

static void prepare(struct pci_dev *d)
{
	char path[96];
	int r;

	if (pci_read_driver(d) < 0) {
		vanished(d, "before binding");
		return;
	}
	fmt(d->prev_driver, sizeof(d->prev_driver), "%s", d->driver);
	dev_path(d, "driver_override", path, sizeof(path));
	if (!sysfs_exists(path)) {
		fail(d, "no-driver-override");
		log_err("%s: this kernel has no driver_override (Linux 3.16+ needed); not binding",
			d->addr);
		return;
	}
	r = sysfs_write(path, "vfio-pci");
	if (r < 0) {
		rollback(d, "driver_override-write-failed");
		return;
	}
	if (d->driver[0] && strcmp(d->driver, "vfio-pci")) {
		log_info("%s: unbinding from %s", d->addr, d->driver);
		dev_path(d, "driver/unbind", path, sizeof(path));
		r = sysfs_write(path, d->addr);
		if (wait_driver(d, "", UNBIND_WAIT_MS) == -ENOENT) {
			vanished(d, "while unbinding");
			return;
		}
		if (r < 0 || d->driver[0]) {
			rollback(d, "unbind-failed");
			return;
		}
	}
	d->result = PENDING;
}

static void finish(struct pci_dev *d)
{
	if (pci_read_driver(d) < 0) {
		vanished(d, "while binding");
		return;
	}
	if (strcmp(d->driver, "vfio-pci")) {
		sysfs_write(DRIVERS_PROBE, d->addr);
		if (wait_driver(d, "vfio-pci", PROBE_WAIT_MS) == -ENOENT) {
			vanished(d, "while binding");
			return;
		}
	}
	if (strcmp(d->driver, "vfio-pci")) {
		rollback(d, "vfio-pci-did-not-bind");
		return;
	}
	d->result = strcmp(d->prev_driver, "vfio-pci") ? "bound" : "already";
	log_notice("%s: bound to vfio-pci (was %s)", d->addr,
		   d->prev_driver[0] ? d->prev_driver : "unbound");
}

static int ensure_vfio_driver(const struct bind_opts *o)
{
	if (sysfs_exists(VFIO_DRIVER))
		return 0;
	if (!o->load_modules) {
		log_err("vfio-pci driver is not registered (modules are never loaded under --root)");
		return -ENOENT;
	}
	if (modules_ensure_vfio(o->cmdline, o->cmdline_len) < 0) {
		log_err("vfio-pci could not be loaded: is it in the initrd for this kernel? "
			"(rebuild the image with the vfio-early hook)");
		return -ENOENT;
	}
	return 0;
}

void bind_all(struct pci_list *l, const struct bind_opts *o)
{
	size_t i;
	int pending = 0;

	for (i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		if (d->action == ACT_SKIP) {
			d->result = "skipped";
			fmt(d->detail, sizeof(d->detail), "%s", pci_reason_name(d->why));
		} else if (d->action == ACT_BIND) {
			prepare(d);
			pending += d->result == PENDING;
		}
	}
	if (!pending)
		return;
	if (ensure_vfio_driver(o) < 0) {
		for (i = 0; i < l->n; i++)
			if (l->dev[i].result == PENDING)
				rollback(&l->dev[i], "vfio-pci-unavailable");
		return;
	}
	for (i = 0; i < l->n; i++)
		if (l->dev[i].result == PENDING)
			finish(&l->dev[i]);
}
