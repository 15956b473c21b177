// SPDX-License-Identifier: MIT
#include <errno.h>

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
	pass_vfs(l, c, *have_iommu ? vfs : vfs & PASS_TAG);
	plan_build(l, c, *have_iommu);
	return 1;
}

/*
 * VF selectors match through the virtfnN links of the PF they name (tag).
 * hold gives that PF sriov_drivers_autoprobe 0, before its VFs exist:
 * pci_device_probe() then refuses every driver for a VF without
 * driver_override (pci_device_can_probe()), so no native VF driver takes
 * one before the udev rule (vfio-early udev) has decided it. The flag stays
 * in the PF's struct pci_sriov until the PF is removed. The boot pass only
 * holds: VFs appear after it, and any that exist then (a PF driver's
 * max_vfs= in the initrd) are decided by the udev rule at coldplug.
 */
void pass_vfs(struct pci_list *l, const struct config *c, unsigned what)
{
	char path[SYSFS_DEV_PATH_MAX];

	for (size_t i = 0; i < c->nsel; i++)
		for (size_t j = 0; c->sel[i].kind == SEL_VF && j < l->n; j++) {
			const struct pci_dev *pf = &l->dev[j];
			int r;

			if (!sel_names(&c->sel[i], pf))
				continue;
			if (what & PASS_TAG)
				pci_tag_vfs(l, pf);
			if (!(what & PASS_HOLD))
				continue;
			r = sysfs_dev_path(path, sizeof(path), pf->addr, "sriov_drivers_autoprobe");
			r = r ? r : sysfs_write(path, "0");
			log_msg(r ? PRIO_WARNING : PRIO_NOTICE, "%s: VFs for %s: %s", pf->addr,
				c->sel[i].text, r ? "no SR-IOV" : "held");
		}
}
