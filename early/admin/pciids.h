/* SPDX-License-Identifier: MIT */
/* Device names from the pci.ids database (pciutils / hwdata), if installed. */
#ifndef VFE_PCIIDS_H
#define VFE_PCIIDS_H

#include "pci.h"

struct pci_name {
	char s[128];
};

/* One name per device of l ("" when unknown or no database); NULL if out of
 * memory. Read under the root, so a test tree can ship its own file. */
struct pci_name *pciids_names(const struct pci_list *l);

#endif
