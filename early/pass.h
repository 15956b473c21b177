/* SPDX-License-Identifier: MIT */
/*
 * The boot pass's selection: scan and plan unless rd.vfio=0 or no selector.
 * The admin subcommands call the same function, so `plan` and `bind` decide
 * exactly as the boot pass does.
 */
#ifndef VFE_PASS_H
#define VFE_PASS_H

#include "config.h"
#include "pci.h"

int pass_have_iommu(void);
/* 1 when it scanned and planned (l filled, *have_iommu set), 0 otherwise. */
int pass_select(struct pci_list *l, const struct config *c, int *have_iommu);

#endif
