// SPDX-License-Identifier: MIT
#include <errno.h>

#include "log.h"
#include "pass.h"
#include "plan.h"
#include "sysfs.h"

int pass_have_iommu(void)
{
	return sysfs_dir_nonempty(SYSFS_IOMMU_GROUPS) > 0;
}

int pass_select(struct pci_list *l, const struct config *c, int *have_iommu)
{
	l->dev = NULL;
	l->n = 0;
	*have_iommu = 0;
	if (c->disabled || !c->nsel)
		return 0;
	*have_iommu = pass_have_iommu();
	if (pci_scan(l) < 0)
		log_err("cannot read /sys/bus/pci/devices: %s", log_errstr(errno));
	plan_build(l, c, *have_iommu);
	return 1;
}
