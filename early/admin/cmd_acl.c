// SPDX-License-Identifier: MIT
/* vfio-early acl: libvirt's cgroup_device_acl for the groups on vfio-pci. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "print.h"

/* libvirt's defaultDeviceACL (src/qemu/qemu_cgroup.c), as qemu.conf shows it. */
static const char acl_defaults[] =
	"cgroup_device_acl = [\n"
	"    \"/dev/null\", \"/dev/full\", \"/dev/zero\",\n"
	"    \"/dev/random\", \"/dev/urandom\",\n"
	"    \"/dev/ptmx\", \"/dev/kvm\",\n"
	"    \"/dev/vfio/vfio\"";

static int on_vfio(const struct pci_dev *d)
{
	return !strcmp(d->driver, "vfio-pci");
}

static int group_listed(const int *groups, size_t n, int g)
{
	for (size_t i = 0; i < n; i++)
		if (groups[i] == g)
			return 1;
	return 0;
}

static int by_number(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* IOMMU groups with a device on vfio-pci, ascending. */
static size_t vfio_groups(const struct pci_list *l, int *groups)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (on_vfio(d) && d->group >= 0 && !group_listed(groups, n, d->group))
			groups[n++] = d->group;
	}
	if (n)
		qsort(groups, n, sizeof(*groups), by_number);
	return n;
}

/* vfio hands a VM a group only when no member is on a host driver. */
static void warn_unusable(const struct pci_list *l, const int *groups, size_t n)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!group_listed(groups, n, d->group) || on_vfio(d) || !d->driver[0] ||
		    pci_is_bridge(d) || !strcmp(d->driver, "pci-stub"))
			continue;
		log_warn("group %d: %s is on %s, so a VM cannot use the group yet "
			 "(vfio-early bind %s)", d->group, d->addr, d->driver, d->addr);
	}
}

int cmd_acl(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	int *groups;
	size_t n;

	if (cmd_scan(&l) < 0)
		return CMD_ATTENTION;
	groups = calloc(l.n ? l.n : 1, sizeof(*groups));
	n = groups ? vfio_groups(&l, groups) : 0;
	pr_str(acl_defaults);
	for (size_t i = 0; i < n; i++)
		pr("%s\"/dev/vfio/%d\"", i % 4 ? ", " : ",\n    ", groups[i]);
	pr_str("\n]\n");
	pr_flush();
	if (n)
		warn_unusable(&l, groups, n);
	else
		log_warn("no device is on vfio-pci: no /dev/vfio/N to add");
	free(groups);
	pci_free(&l);
	return n ? CMD_OK : CMD_ATTENTION;
}
