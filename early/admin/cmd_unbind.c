// SPDX-License-Identifier: MIT
/* vfio-early unbind: give devices back to their own drivers, verified. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "fmt.h"
#include "hostmod.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "print.h"
#include "sysfs.h"
#include "variant.h"

#define UNBIND_STEP_MS 10
#define LET_GO_MS 1000
#define NATIVE_MS 500

/* Poll the driver link until it is off vfio-pci or its variant (and, if
 * bound, on any driver). */
static int wait_off_vfio(struct pci_dev *d, int bound, int ms)
{
	struct timespec tick = { 0, UNBIND_STEP_MS * 1000 * 1000 };

	for (int waited = 0;; waited += UNBIND_STEP_MS) {
		if (pci_read_driver(d) < 0)
			return -ENOENT;
		if (!variant_is_vfio(d->driver) && (!bound || d->driver[0]))
			return 0;
		if (waited >= ms)
			return -ETIMEDOUT;
		nanosleep(&tick, NULL);
	}
}

static void give_up(struct pci_dev *d, const char *detail)
{
	d->result = RES_FAILED;
	fmt(d->detail, sizeof(d->detail), "%s", detail);
	log_err("%s: %s", d->addr, detail);
}

/* As udevd's kmod builtin loads a device's driver: by its modalias, through
 * libkmod (hostmod.h); a modalias no module claims is no error. */
void cmd_modprobe_alias(const struct pci_dev *d)
{
	char rel[SYSFS_DEV_PATH_MAX], alias[256];

	if (sysfs_dev_path(rel, sizeof(rel), d->addr, "modalias") ||
	    sysfs_read(rel, alias, sizeof(alias)) <= 0)
		return;
	(void)hostmod_load(alias, NULL);	/* it logs what it could not load */
}

/* The native driver may never have been loaded: vfio-pci took the device
 * before udev would have loaded it. */
static void load_native(const struct pci_dev *d)
{
	cmd_modprobe_alias(d);
	sysfs_write(SYSFS_DRIVERS_PROBE, d->addr);
}

static int clear_override(struct pci_dev *d, int *had)
{
	char path[SYSFS_DEV_PATH_MAX], ovr[64];

	*had = !sysfs_dev_path(path, sizeof(path), d->addr, "driver_override") &&
	       sysfs_read(path, ovr, sizeof(ovr)) > 0 && variant_is_vfio(ovr);
	return *had ? sysfs_write(path, "\n") : 0;
}

/* Clear the override, unbind vfio-pci (or its variant), probe; 0 or the
 * reason it failed. */
static const char *hand_back(struct pci_dev *d, int load_modules)
{
	char path[SYSFS_DEV_PATH_MAX];
	int had;

	if (clear_override(d, &had) < 0)
		return "driver_override-write-failed";
	if (!had && !variant_is_vfio(d->driver)) {
		d->result = RES_UNTOUCHED;
		return NULL;
	}
	if (variant_is_vfio(d->driver)) {
		if (!sysfs_dev_path(path, sizeof(path), d->addr, "driver/unbind"))
			sysfs_write(path, d->addr);
		if (wait_off_vfio(d, 0, LET_GO_MS) < 0)
			return "vfio-pci-did-not-let-go";
	}
	sysfs_write(SYSFS_DRIVERS_PROBE, d->addr);
	if (wait_off_vfio(d, 1, NATIVE_MS) == -ETIMEDOUT && load_modules)
		load_native(d);
	if (pci_read_driver(d) < 0)
		return "vanished";
	if (variant_is_vfio(d->driver))
		return "still-on-vfio-pci";
	d->result = RES_RELEASED;
	log_notice("%s: released from %s, now on %s", d->addr,
		   d->prev_driver[0] ? d->prev_driver : "vfio-pci",
		   d->driver[0] ? d->driver : "no driver (its own is not loaded)");
	return NULL;
}

static void release(struct pci_dev *d, int load_modules)
{
	const char *failure = "vanished";

	if (pci_read_driver(d) == 0) {
		fmt(d->prev_driver, sizeof(d->prev_driver), "%s", d->driver);
		failure = hand_back(d, load_modules);
	}
	if (failure)
		give_up(d, failure);
}

int cmd_unbind(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	struct config c;
	char *line;
	size_t len;
	int r = cmd_bind_setup(x, &c, &line, &len);

	if (r)
		return r;
	c.boot_vga = 1;		/* whatever is on vfio-pci may go back */
	if (cmd_scan(&l) == 0) {
		/* The IOMMU's state does not matter for giving a device back. */
		pass_vfs(&l, &c, PASS_TAG);
		plan_build(&l, &c, 1);
		plan_undrop(&l);
		for (size_t i = 0; i < l.n; i++)
			if (l.dev[i].action == ACT_BIND)
				release(&l.dev[i], !x->root);
			else if (l.dev[i].action == ACT_SKIP)
				l.dev[i].result = RES_SKIPPED;
	}
	r = cmd_report(&l, &c, 0, "released");
	pci_free(&l);
	config_free(&c);
	free(line);
	return r ? CMD_ATTENTION : CMD_OK;
}
