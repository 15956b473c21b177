// SPDX-License-Identifier: MIT
/* vfio-early template: OpenNebula PCI = [ ... ] blocks for the devices on vfio-pci. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "pciids.h"
#include "print.h"

static void block(const struct pci_dev *d, const char *name, int by_address)
{
	char group[12], sel[CMD_PINNED_SIZE];

	pr("# %s%s%s, IOMMU group %s\n", d->addr, name[0] ? " " : "", name,
	   cmd_group(d, group, sizeof(group)));
	pr("# on the kernel command line: vfio.ids=%s\n", cmd_pinned(d, sel, sizeof(sel)));
	if (by_address)
		pr("PCI = [\n  SHORT_ADDRESS = \"%s\"\n]\n", d->addr + 5);
	else
		pr("PCI = [\n  VENDOR = \"%04x\",\n  DEVICE = \"%04x\",\n  CLASS = \"%04x\"\n]\n",
		   d->vendor & 0xffff, d->device & 0xffff, (d->class >> 8) & 0xffff);
}

int cmd_template(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	struct pci_name *names;
	int count = 0;

	if (cmd_scan(&l) < 0)
		return CMD_ATTENTION;
	names = cmd_list_names(x, &l);
	for (size_t i = 0; i < l.n; i++) {
		const struct pci_dev *d = &l.dev[i];

		if (strcmp(d->driver, "vfio-pci"))
			continue;
		if (x->address && d->dom) {
			pr_flush();
			log_warn("%s: SHORT_ADDRESS has no PCI domain; use the VENDOR/DEVICE block",
				 d->addr);
		}
		if (count)
			pr_str("\n");
		block(d, names ? names[i].s : "", x->address && !d->dom);
		count++;
	}
	pr_flush();
	if (!count)
		log_warn("no device is on vfio-pci: nothing to pass through");
	free(names);
	pci_free(&l);
	return count ? CMD_OK : CMD_ATTENTION;
}
