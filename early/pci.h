/* SPDX-License-Identifier: MIT */
/* PCI devices as read from sys/bus/pci/devices, plus what the plan decides. */
#ifndef VFE_PCI_H
#define VFE_PCI_H

#include <stddef.h>

#include "result.h"

#define PCI_ADDR_LEN 12		/* "0000:00:00.0" */
#define PCI_ANY 0xffffffffu

enum pci_action { ACT_LEAVE, ACT_BIND, ACT_SKIP };

struct pci_dev {
	char addr[PCI_ADDR_LEN + 1];
	unsigned dom, bus, slot, fn;
	unsigned vendor, device, class;		/* class: 24 bits, 0xBBSSPP */
	unsigned subvendor, subdevice;
	int group;				/* -1: no iommu_group link */
	int boot_vga;
	char driver[64];			/* "" when unbound */

	enum pci_action action;
	const char *why;			/* skip / leave reason, a fixed token */
	char by[80];				/* "selector=..." / "group=slot of=..." */
	enum pci_result result;			/* after binding */
	char detail[96];			/* why a bind failed */
	char prev_driver[64];
	char prev_override[64];			/* "" when none */
};

struct pci_list {
	struct pci_dev *dev;
	size_t n;
};

/* Strict "DDDD:BB:DD.F" (lower or upper hex); 0 or -EINVAL. */
int pci_parse_addr(const char *s, size_t len, unsigned *dom, unsigned *bus,
		   unsigned *slot, unsigned *fn);
/* Read every device, sorted by address. */
int pci_scan(struct pci_list *l);
void pci_free(struct pci_list *l);
/* Re-read the driver link; 0, or -ENOENT when the device itself is gone. */
int pci_read_driver(struct pci_dev *d);
int pci_is_bridge(const struct pci_dev *d);
int pci_is_storage(const struct pci_dev *d);
int pci_same_slot(const struct pci_dev *a, const struct pci_dev *b);
/* "vvvv:dddd:cccc" (class+subclass), the lspci -n / device table form. */
void pci_type(const struct pci_dev *d, char *buf, size_t size);

#endif
