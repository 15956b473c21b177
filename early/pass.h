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
/* 1 when it scanned and planned (l filled, *have_iommu set), 0 otherwise;
 * vfs: what pass_vfs() does first (PASS_HOLD only with an IOMMU). */
int pass_select(struct pci_list *l, const struct config *c, int *have_iommu, unsigned vfs);

/* For each PF a VF selector names: PASS_TAG marks its VFs (pci_dev.pf, .vf,
 * so the selector matches them), PASS_HOLD keeps native drivers off its VFs
 * (sriov_drivers_autoprobe=0). */
enum { PASS_TAG = 1, PASS_HOLD = 2 };
void pass_vfs(struct pci_list *l, const struct config *c, unsigned what);

#endif
