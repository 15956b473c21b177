// SPDX-License-Identifier: MIT
/*
 * vfio-early udev ADDR: the udev rule's question for a PCI device that was
 * added after boot (an SR-IOV VF, PCIe hotplug, a rescan): does the running
 * kernel's command line select it? Answered by the boot pass's own code
 * (config, pass_select, plan, bind_all with its verification and rollback),
 * for that one device. Always exits 0 within the bind budget: udev's event
 * processing never waits long on it or sees it fail; every decision goes to
 * the kernel log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "bind.h"
#include "cmd.h"
#include "deadline.h"
#include "fmt.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "status.h"
#include "sysfs.h"

#define LOCK_STEP_MS 20
#define PROBE_WAIT_MS 500

/* One event at a time: the status file's read-modify-write and a VF's
 * autoprobe window (release_vf) must not interleave with another worker. */
static int take_lock(long dl)
{
	int fd;

	sysfs_mkdir(STATUS_DIR, 0755);
	fd = sysfs_open(STATUS_LOCK, O_RDWR | O_CREAT, 0600);
	if (fd < 0)
		return fd;
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK || deadline_passed(dl)) {
			close(fd);
			return -ETIMEDOUT;
		}
		deadline_sleep(dl, LOCK_STEP_MS);
	}
	return fd;
}

/* A coldplug replay (udevadm trigger: the kernel adds SYNTH_UUID) of a
 * device the boot pass decided: its decision stands, nothing is redone. */
static int boot_decided(const char *addr)
{
	char *text = NULL, *p, *nl;
	size_t n, a = strlen(addr);
	int found = 0;

	if (!getenv("SYNTH_UUID") || sysfs_slurp(STATUS_PATH, 1u << 20, &text, &n) < 0)
		return 0;
	for (p = text; p && *p && !found; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		found = !strncmp(p, addr, a) && p[a] == ' ' && !strstr(p, " at=udev");
	}
	free(text);
	return found;
}

/*
 * A VF the rule did not put on vfio-pci while its PF holds its VFs
 * (sriov_drivers_autoprobe 0, pass_vfs): pci_device_can_probe() refuses
 * every driver without an override, drivers_probe and the native driver's
 * bind file alike. So: load its native driver (udev's own kmod load comes
 * after this rule), let the PF's VFs probe for one drivers_probe, hold them
 * again. Under the lock no other worker's window overlaps, and a selected
 * VF already carries its vfio-pci override, which no other driver matches.
 */
static void release_vf(struct pci_dev *d, int load_modules)
{
	char path[SYSFS_DEV_PATH_MAX], flag[8], ovr[64];

	if (!d->pf || d->driver[0] || sysfs_dev_path(path, sizeof(path), d->addr, "driver_override") ||
	    (sysfs_read(path, ovr, sizeof(ovr)) > 0 && strcmp(ovr, "(null)")) ||
	    sysfs_dev_path(path, sizeof(path), d->pf->addr, "sriov_drivers_autoprobe") ||
	    sysfs_read(path, flag, sizeof(flag)) <= 0 || strcmp(flag, "0"))
		return;
	if (load_modules)
		cmd_modprobe_alias(d);
	if (sysfs_write(path, "1") == 0) {
		/* synchronous in the kernel (device_attach); a short wait for slower fakes */
		long until = deadline_in(PROBE_WAIT_MS, 0);

		sysfs_write("sys/bus/pci/drivers_probe", d->addr);
		while (pci_read_driver(d) == 0 && !d->driver[0] && !deadline_passed(until))
			deadline_sleep(until, LOCK_STEP_MS);
		sysfs_write(path, "0");
	}
	pci_read_driver(d);
	log_notice("%s: VF %d of %s, not for vfio-pci: probed for its own driver, now on %s",
		   d->addr, d->vf, d->pf->addr, d->driver[0] ? d->driver : "no driver");
}

static void decide(const struct cmd_ctx *x, struct pci_list *l, struct pci_dev *d,
		   const struct config *c, int have_iommu, const char *line, size_t len)
{
	struct pci_list one = { d, 1 };
	struct bind_opts bo;

	/* A PF that appears after boot holds its VFs as the boot pass would. */
	pass_vfs(&one, c, have_iommu ? PASS_HOLD : 0);
	if (d->action != ACT_LEAVE) {
		plan_log_dev(l, d, have_iommu);
		strcpy(d->prev_driver, d->driver);
		bo.load_modules = !x->root;
		bo.cmdline = line;
		bo.cmdline_len = len;
		bo.deadline = deadline_in(BIND_BUDGET_MS, 0);
		bind_all(&one, &bo);
	}
	if (d->result != RES_BOUND && d->result != RES_ALREADY)
		release_vf(d, !x->root);
	if (d->action != ACT_LEAVE)
		status_update(d, "udev");
}

static void udev_event(const struct cmd_ctx *x, const char *addr)
{
	struct pci_list l = { NULL, 0 };
	struct config c;
	struct pci_dev *d;
	char *line;
	size_t len;
	int have_iommu, lock;

	if (cmd_cmdline(x, &line, &len) < 0)
		return;
	config_parse(&c, line, len);
	log_set_debug(c.debug);
	if (c.disabled || !c.nsel)
		goto out;
	if (boot_decided(addr)) {
		log_info("%s: decided by the boot pass; a coldplug replay changes nothing", addr);
		goto out;
	}
	lock = take_lock(deadline_in(BIND_BUDGET_MS, 0));
	if (lock < 0) {
		log_err("%s: udev: /%s: %s; deciding nothing", addr, STATUS_LOCK, log_errstr(lock));
		goto out;
	}
	pass_select(&l, &c, &have_iommu, PASS_TAG);
	d = cmd_dev(&l, addr);
	if (d)
		decide(x, &l, d, &c, have_iommu, line, len);
	else
		log_err("%s: udev: no such PCI device (removed already?)", addr);
	pci_free(&l);
	close(lock);
out:
	config_free(&c);
	free(line);
}

int cmd_udev(struct cmd_ctx *x)
{
	const char *addr = x->nargs == 1 ? x->args[0] : "";
	unsigned dom, bus, slot, fn;
	char shown[72];

	log_open(x->root ? NULL : "/dev/kmsg", 0);
	if (pci_parse_addr(addr, strlen(addr), &dom, &bus, &slot, &fn)) {
		config_printable(shown, sizeof(shown), addr, strlen(addr));
		log_err("udev: '%s' is not a PCI device name (the rule passes $kernel, "
			"e.g. 0000:01:10.0); deciding nothing", shown);
		return CMD_OK;
	}
	udev_event(x, addr);
	return CMD_OK;
}
