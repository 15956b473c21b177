// SPDX-License-Identifier: MIT
/* vfio-early acl: libvirt's cgroup_device_acl for the usable groups on vfio. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fmt.h"
#include "log.h"
#include "print.h"
#include "sysfs.h"

/* libvirt's defaultDeviceACL (src/qemu/qemu_cgroup.c), as qemu.conf shows it. */
static const char acl_defaults[] =
	"cgroup_device_acl = [\n"
	"    \"/dev/null\", \"/dev/full\", \"/dev/zero\",\n"
	"    \"/dev/random\", \"/dev/urandom\",\n"
	"    \"/dev/ptmx\", \"/dev/kvm\",\n"
	"    \"/dev/vfio/vfio\"";

/* When the list is needed: libvirt puts a <hostdev>'s nodes into the VM's
 * device cgroup itself (src/qemu/qemu_cgroup.c: qemuSetupHostdevCgroup()
 * allows the path qemuDomainGetHostdevPath() gives, /dev/vfio/N, and
 * /dev/vfio/vfio), so only QEMU opening them on its own needs qemu.conf. */
static const char acl_when[] =
	"# Needed only when QEMU opens these nodes outside libvirt's <hostdev>\n"
	"# handling: -device vfio-pci in <qemu:commandline>, or QEMU run by another\n"
	"# manager under libvirt's cgroup rules. For a <hostdev> (vfio-early template\n"
	"# --format libvirt) libvirt adds /dev/vfio/vfio and /dev/vfio/N to the VM's\n"
	"# device cgroup itself: leave qemu.conf as it is.\n";

static int acl_listed(const int *groups, size_t n, int g)
{
	for (size_t i = 0; i < n; i++)
		if (groups[i] == g)
			return 1;
	return 0;
}

static int acl_by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* IOMMU groups with a device on a vfio driver, ascending; the groups a VM
 * cannot use are left out, each with a warning naming what is in the way. */
static size_t acl_groups(const struct pci_list *l, int *groups, int *left_out)
{
	struct cmd_group_why w;
	size_t n = 0, nbad = 0;
	int *bad = groups + l->n;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!cmd_on_vfio(d) || acl_listed(groups, n, d->group) ||
		    acl_listed(bad, nbad, d->group))
			continue;
		if (cmd_group_usable(l, d->group, &w)) {
			groups[n++] = d->group;
			continue;
		}
		bad[nbad++] = d->group;
		log_warn("group %d not usable: %s (%s); left out", d->group, w.who, w.fix);
	}
	*left_out = (int)nbad;
	if (n)
		qsort(groups, n, sizeof(*groups), acl_by_number);
	return n;
}

/* One more quoted entry, four to a line after the defaults. */
static void acl_entry(const char *s, int *k)
{
	pr("%s\"%s\"", *k % 4 ? ", " : ",\n    ", s);
	(*k)++;
}

/* The device's vfio cdev, SYSFS_DEVICES/ADDR/vfio-dev/vfioN (Linux 6.6+,
 * CONFIG_VFIO_DEVICE_CDEV: drivers/vfio/device_cdev.c), as /dev/vfio/devices/vfioN. */
static int acl_cdev(const struct pci_dev *d, char *buf, size_t size)
{
	char path[SYSFS_DEV_PATH_MAX];
	struct dirent *e;
	DIR *dir;
	int found = 0;

	if (sysfs_dev_path(path, sizeof(path), d->addr, "vfio-dev") < 0)
		return 0;
	dir = sysfs_opendir(path);
	if (!dir)
		return 0;
	while (!found && (e = readdir(dir)))
		if (!strncmp(e->d_name, "vfio", 4) && e->d_name[4] >= '0' && e->d_name[4] <= '9')
			found = fmt(buf, size, "/dev/vfio/devices/%s", e->d_name) < (int)size;
	closedir(dir);
	return found;
}

/* iommufd's nodes where the kernel has them: /dev/iommu (CONFIG_IOMMUFD,
 * drivers/iommu/iommufd/main.c) and each usable device's cdev. */
static void acl_iommufd(const struct pci_list *l, const int *groups, size_t n, int *k)
{
	char cdev[64];

	if (n && sysfs_exists("dev/iommu"))
		acl_entry("/dev/iommu", k);
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (cmd_on_vfio(d) && acl_listed(groups, n, d->group) &&
		    acl_cdev(d, cdev, sizeof(cdev)))
			acl_entry(cdev, k);
	}
}

int cmd_acl(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	int *groups, left_out = 0, k = 0;
	char node[32];
	size_t n;

	if (cmd_scan(&l) < 0)
		return CMD_ATTENTION;
	groups = calloc(l.n ? 2 * l.n : 1, sizeof(*groups));
	n = groups ? acl_groups(&l, groups, &left_out) : 0;
	pr_str(acl_defaults);
	for (size_t i = 0; i < n; i++) {
		fmt(node, sizeof(node), "/dev/vfio/%d", groups[i]);
		acl_entry(node, &k);
	}
	acl_iommufd(&l, groups, n, &k);
	pr_str("\n]\n");
	pr_str(acl_when);
	pr_flush();
	if (!n && !left_out)
		log_warn("no device is on vfio-pci: no /dev/vfio/N to add");
	free(groups);
	pci_free(&l);
	return n && !left_out ? CMD_OK : CMD_ATTENTION;
}
