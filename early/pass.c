// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>

#include "fmt.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "sysfs.h"

int pass_have_iommu(void)
{
	return sysfs_dir_nonempty(SYSFS_IOMMU_GROUPS) > 0;
}

int pass_select(struct pci_list *l, const struct config *c, int *have_iommu, unsigned vfs)
{
	l->dev = NULL;
	l->n = 0;
	*have_iommu = 0;
	if (c->disabled || !c->nsel)
		return 0;
	*have_iommu = pass_have_iommu();
	if (pci_scan(l) < 0)
		log_err("cannot read /sys/bus/pci/devices: %s", log_errstr(errno));
	if (vfs & PASS_TAG)
		pass_vfs(l, c, PASS_TAG);
	plan_build(l, c, *have_iommu);
	return 1;
}

/*
 * VF selectors match through the virtfnN links of the PF they name (tag).
 * hold gives that PF sriov_drivers_autoprobe 0, before its VFs exist:
 * pci_device_probe() then refuses every driver for a VF without
 * driver_override (pci_device_can_probe()), so no native VF driver takes
 * one before the udev rule (vfio-early udev) has decided it. The flag stays
 * in the PF's struct pci_sriov until the PF is removed. The udev rule holds
 * on the PF's own add event (at the real root's coldplug, or a hotplug),
 * so without the rule no PF is held; the boot pass neither holds nor
 * matches VFs (they appear after it; a PF driver's max_vfs= in the initrd
 * makes them before the rule runs: then the rule decides them at coldplug).
 */
static void hold(const struct selector *s)
{
	char path[SYSFS_DEV_PATH_MAX];
	int r;

	/* the PF's name as the kernel prints it: "%04x:%02x:%02x.%d" */
	fmt(path, sizeof(path), SYSFS_DEVICES "/%04x:%02x:%02x.%x/sriov_drivers_autoprobe",
	    s->dom, s->bus, s->slot, s->fn);
	r = sysfs_write(path, "0");
	log_msg(r ? PRIO_WARNING : PRIO_NOTICE, "%s: PF's sriov_drivers_autoprobe=0: %s", s->text,
		r ? log_errstr(r) : "VFs held");
}

void pass_vfs(struct pci_list *l, const struct config *c, unsigned what)
{
	for (size_t i = 0; i < c->nsel; i++) {
		const struct selector *s = &c->sel[i];

		for (size_t j = 0; s->kind == SEL_VF && j < l->n; j++) {
			if (!sel_names(s, &l->dev[j]))
				continue;
			if (what & PASS_TAG)
				pci_tag_vfs(l, &l->dev[j]);
			if (what & PASS_HOLD)
				hold(s);
		}
	}
}

/* drivers/pci/iov.c sriov_totalvfs_show(): "%u\n"; -1 without the file
 * (no SR-IOV capability: the attribute group is not visible). */
static int total_vfs(const struct pci_dev *pf)
{
	char path[SYSFS_DEV_PATH_MAX], buf[16], *end;
	long n;

	if (sysfs_dev_path(path, sizeof(path), pf->addr, "sriov_totalvfs"))
		return -1;
	if (sysfs_read(path, buf, sizeof(buf)) <= 0)
		return -1;
	n = strtol(buf, &end, 10);
	return *end || n < 0 || n > 0xffff ? -1 : (int)n;	/* TotalVFs is 16 bits */
}

const char *pass_vf_never(const struct pci_list *l, const struct selector *s, char *buf,
			  size_t size)
{
	const struct pci_dev *pf = NULL;
	int total;

	for (size_t j = 0; j < l->n && !pf; j++)
		if (sel_names(s, &l->dev[j]))
			pf = &l->dev[j];
	if (!pf)
		return "no such PF";
	total = total_vfs(pf);
	if (total < 0)
		fmt(buf, size, "%s has no SR-IOV (no sriov_totalvfs)", pf->addr);
	else if (total == 0)
		fmt(buf, size, "%s has sriov_totalvfs 0", pf->addr);
	else if (s->vf >= total)
		fmt(buf, size, "%s has sriov_totalvfs %d: VFs 0 to %d", pf->addr, total,
		    total - 1);
	else
		return NULL;
	return buf;
}
