// SPDX-License-Identifier: MIT
/*
 * vfio-early udev ADDR: the udev rule's question for a PCI device that was
 * added after boot (an SR-IOV VF, PCIe hotplug, a rescan): does the running
 * kernel's command line select it? Answered by the boot pass's own code
 * (config, pass_select, plan, bind_all with its verification and rollback),
 * for that one device. Always exits 0, within a wait for the lock (at most
 * 50 s, LOCK_BUDGET_MS), the bind budget (10 s) and one libkmod load for a
 * VF's own driver: udev's event processing never waits long on it or sees it
 * fail; every decision goes to the kernel log.
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
#include "hostmod.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "status.h"
#include "sysfs.h"
#include "variant.h"

#define LOCK_STEP_MS 20
#define VF_PROBE_WAIT_MS 500

/*
 * vfio-pci through libkmod before bind_all() would run modprobe for it
 * (early/modules.c: modules_ensure_vfio finds it registered). With ids= last:
 * modprobe.d's and the command line's vfio_pci.ids would bind every match
 * past the guards, and the kernel keeps a string parameter's last value.
 */
void cmd_load_vfio(const struct cmd_ctx *x)
{
	int r;

	if (x->root || sysfs_exists(SYSFS_VFIO_DRIVER))
		return;
	r = hostmod_load("vfio-pci", "ids=");
	if (r < 0)
		log_err("cannot load vfio-pci: %s", log_errstr(r));
	else if (sysfs_exists(SYSFS_VFIO_DRIVER))
		log_info("vfio-pci loaded");	/* as bind.c says it: the boot report's split */
}

/* One event at a time: the status file's read-modify-write and a VF's
 * autoprobe window (release_vf) must not interleave with another worker. */
static int take_lock(long dl)
{
	int fd;

	sysfs_mkdir(STATUS_DIR, 0755);
	fd = sysfs_open(STATUS_LOCK, O_RDWR | O_CREAT | O_NONBLOCK, 0600);
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

/* The status file: a regular file of at most STATUS_MAX bytes, read
 * without blocking (a FIFO there is an error at once); NULL when absent. */
#define STATUS_MAX (1u << 20)

static int udev_read_status(char **text, size_t *n)
{
	int r = sysfs_slurp(STATUS_PATH, STATUS_MAX, text, n);

	if (r == -ENOENT) {
		*text = NULL;
		*n = 0;
		return 0;
	}
	if (r < 0)
		log_err("cannot read /%s: %s; deciding nothing", STATUS_PATH, cmd_read_error(r));
	return r;
}

/*
 * The image's modprobe.d options (options vfio-pci ids=) the boot pass read
 * before the command line, as it recorded them (STATUS_OPTS): put before
 * *line as the boot pass did (boot.c read_cmdline()), so a hot-added twin
 * of a device the boot took that way is selected the same way.
 */
static void image_options(char **line, size_t *len)
{
	char *text, *opts, *out;
	size_t n, olen, tag = strlen(STATUS_OPTS);

	if (sysfs_slurp(STATUS_PATH, STATUS_MAX, &text, &n) < 0)
		return;		/* none, or unreadable: decide_locked says so */
	opts = strstr(text, "\n" STATUS_OPTS);
	olen = opts ? strcspn(opts + 1 + tag, "\n") : 0;
	out = olen ? malloc(olen + *len + 2) : NULL;
	if (out) {
		memcpy(out, opts + 1 + tag, olen);
		out[olen] = ' ';
		memcpy(out + olen + 1, *line, *len);
		*len += olen + 1;
		out[*len] = '\0';
		free(*line);
		*line = out;
	}
	free(text);
}

/* A coldplug replay (udevadm trigger: the kernel adds SYNTH_UUID) of a
 * device the boot pass decided: its decision stands, nothing is redone. */
static int boot_decided(const char *text, const char *addr)
{
	size_t a = strlen(addr);

	if (!text || !getenv("SYNTH_UUID"))
		return 0;
	for (const char *p = text; *p; p += strcspn(p, "\n"), p += *p == '\n') {
		size_t len = strcspn(p, "\n");

		if (len > a && !strncmp(p, addr, a) && p[a] == ' ' &&
		    !(len >= 8 && !memcmp(p + len - 8, " at=udev", 8)))
			return 1;
	}
	return 0;
}

/*
 * A device the boot pass put on vfio-pci because the initrd had not its
 * variant (variant.h; an image built before, or for another host): the
 * real root's modules.alias names one, so the coldplug replay moves it on,
 * from one vfio driver to the other, no host driver in between.
 */
static int variant_here(const struct cmd_ctx *x, struct pci_dev *d, const struct config *c)
{
	char *aliases = NULL;
	size_t n = 0;

	if (d->action != ACT_BIND || c->variant_off || strcmp(d->driver, "vfio-pci"))
		return 0;
	if (cmd_variant_aliases(x, NULL, &aliases, &n) < 0)
		return 0;
	variant_choose_dev(d, c->variant_off, aliases, n);
	free(aliases);
	if (!d->vfio_module[0])
		return 0;
	log_notice("%s: on vfio-pci since the boot pass, whose image had not its variant %s; "
		   "moving it there", d->addr, d->vfio_module);
	return 1;
}

/*
 * Waits for a VF creation under way on pf: iov.c sriov_numvfs_show() takes
 * the lock sriov_numvfs_store() holds while it adds the VFs (device_lock,
 * PCI/IOV commit 35ff867b7657; pdev->sriov->lock later). A VF added while
 * release_vf's window is open would be probed by its native driver, even
 * one that is selected; after this read no VF is added until the next
 * write of sriov_numvfs (0 first: it removes them all).
 */
static void vfs_settled(const struct pci_dev *pf)
{
	char path[SYSFS_DEV_PATH_MAX], n[16];

	if (sysfs_dev_path(path, sizeof(path), pf->addr, "sriov_numvfs"))
		return;
	(void)sysfs_read(path, n, sizeof(n));	/* the wait is the point, not the number */
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
	vfs_settled(d->pf);
	if (sysfs_write(path, "1") == 0) {
		/* synchronous in the kernel (device_attach); a short wait for slower fakes */
		long until = deadline_in(VF_PROBE_WAIT_MS, 0);

		sysfs_write("sys/bus/pci/drivers_probe", d->addr);
		while (pci_read_driver(d) == 0 && !d->driver[0] && !deadline_passed(until))
			deadline_sleep(until, LOCK_STEP_MS);
		sysfs_write(path, "0");
	}
	pci_read_driver(d);
	log_notice("%s: VF %d of %s, not for vfio-pci: probed for its own driver, now on %s",
		   d->addr, d->vf, d->pf->addr, d->driver[0] ? d->driver : "no driver");
}

struct event {
	const char *line;	/* the command line */
	size_t len;
	char *status;		/* the status file as read under the lock, or NULL */
	size_t status_len;
	long deadline;		/* of the whole event: lock and bind */
};

static void decide(const struct cmd_ctx *x, struct pci_list *l, struct pci_dev *d,
		   const struct config *c, int have_iommu, const struct event *e)
{
	struct pci_list one = { d, 1 };
	struct bind_opts bo;

	if (d->action != ACT_LEAVE) {
		plan_log_dev(l, d, have_iommu);
		strcpy(d->prev_driver, d->driver);
		cmd_bind_opts(x, c, &bo, e->line, e->len, e->deadline);
		if (d->action == ACT_BIND)
			cmd_load_vfio(x);
		bind_all(&one, &bo);
		free((char *)bo.aliases);
	}
	if (d->result != RES_BOUND && d->result != RES_ALREADY)
		release_vf(d, !x->root);
	if (d->action != ACT_LEAVE)
		status_update(e->status, e->status_len, d, "udev");
}

static void decide_locked(const struct cmd_ctx *x, const char *addr, const struct config *c,
			  struct event *e)
{
	struct pci_list l = { NULL, 0 };
	struct pci_dev *d;
	int have_iommu;

	if (udev_read_status(&e->status, &e->status_len) < 0)
		return;
	pass_select(&l, c, &have_iommu, PASS_TAG);
	d = cmd_dev(&l, addr);
	if (!d) {
		log_err("%s: udev: no such PCI device (removed already?)", addr);
	} else {
		/* A PF's add event (coldplug, hotplug) holds its VFs, before any
		 * exist; a VF's holds its PF too, should the VF's event come
		 * first (udevd orders events only along one devpath, and a PF's
		 * max_vfs= makes VFs while the PF's event still waits). */
		struct pci_list one = { &l.dev[(d->pf ? d->pf : d) - l.dev], 1 };

		pass_vfs(&one, c, have_iommu ? PASS_HOLD : 0);
		if (!boot_decided(e->status, addr))
			decide(x, &l, d, c, have_iommu, e);
		else if (variant_here(x, d, c))
			decide(x, &l, d, c, have_iommu, e);
		else
			log_info("%s: decided by the boot pass; a coldplug replay changes nothing",
				 addr);
	}
	pci_free(&l);
}

/* The wait for the lock: many VFs made at once (sriov_numvfs) queue on it,
 * each event a few tens of ms; the bind's own budget starts once it is
 * held. systemd-udevd kills a worker after event_timeout (180 s, udevd.c
 * arg_event_timeout_usec) and warns at a third of it: stay below that. */
#define LOCK_BUDGET_MS 50000

static void udev_event(const struct cmd_ctx *x, const char *addr)
{
	struct event e = { .line = NULL };
	struct config c;
	char *line;
	int lock;

	if (cmd_cmdline(x, &line, &e.len) < 0)
		return;
	image_options(&line, &e.len);
	e.line = line;
	config_parse(&c, line, e.len);
	log_set_debug(c.debug);
	if (!c.disabled && c.nsel) {
		lock = take_lock(deadline_in(LOCK_BUDGET_MS, 0));
		e.deadline = deadline_in(BIND_BUDGET_MS, 0);
		if (lock < 0) {
			log_err("%s: udev: /%s: %s; deciding nothing", addr, STATUS_LOCK,
				log_errstr(lock));
		} else {
			decide_locked(x, addr, &c, &e);
			close(lock);
		}
	}
	free(e.status);
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
