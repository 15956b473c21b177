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
enum { PASS_TAG = 1, PASS_HOLD = 2 };
/* 1 when it scanned and planned (l filled, *have_iommu set), 0 otherwise;
 * vfs: PASS_TAG to have VF selectors match (pass_vfs() before the plan),
 * PASS_HOLD to hold PFs as pass_vfs() does (the boot pass; with an IOMMU). */
int pass_select(struct pci_list *l, const struct config *c, int *have_iommu, unsigned vfs);

/* For each SR-IOV PF of l with a VF some selector may name, in any form
 * (sel_may_name_vf: PF/vfN, an address in its VFs' range, its VFs' ids):
 * PASS_TAG marks its VFs in l (pci_dev.pf, .vf: by virtfnN link, or by
 * address and ids while the links are not there yet), PASS_HOLD gives it
 * sriov_drivers_autoprobe 0 (the udev rule). A PF none of whose VFs can be
 * selected is left alone. */
void pass_vfs(struct pci_list *l, const struct config *c, unsigned what);

/* Why VF selector s can never match on this host (no such PF in l, a PF
 * without SR-IOV, N >= its sriov_totalvfs), written to buf when needed;
 * NULL when it can (its VFs may exist only later). For plan and check. */
const char *pass_vf_never(const struct pci_list *l, const struct selector *s, char *buf,
			  size_t size);

#endif
