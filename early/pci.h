/* SPDX-License-Identifier: MIT */
/* PCI devices as read from sys/bus/pci/devices, plus what the plan decides. */
#ifndef VFE_PCI_H
#define VFE_PCI_H

#include <stddef.h>

#include "result.h"

/* The kernel names devices "%04x:%02x:%02x.%d" with an int domain: 12
 * characters, up to 16 with a wide domain (Intel VMD: "10000:e1:00.0"). */
#define PCI_ADDR_LEN 12		/* "0000:00:00.0", the shortest */
#define PCI_ADDR_MAX 16		/* "ffffffff:ff:1f.7" */
#define PCI_ANY 0xffffffffu

enum pci_action { ACT_LEAVE, ACT_BIND, ACT_SKIP };

/* Why a device is left or skipped; REASON_NONE for a device to bind. */
enum pci_reason {
	REASON_NONE,
	REASON_NOT_SELECTED,
	REASON_BRIDGE,
	REASON_BOOT_VGA,
	REASON_MASS_STORAGE,
	REASON_NO_IOMMU,
	REASON_NO_IOMMU_GROUP,
	REASON_PIN_MISMATCH,
	REASON_GROUP_CONFLICT,
	REASON_GROUP_UNUSABLE,		/* slot/all: a member blocks the group, none taken */
};

/* Why a device to bind gets the vfio driver it gets (variant.c). */
enum vfio_why {
	VFIO_WHY_NONE,		/* not chosen (not to bind) */
	VFIO_WHY_GENERIC,	/* no variant's vfio_pci alias matches it: vfio-pci */
	VFIO_WHY_ALIAS,		/* a variant's vfio_pci alias matches best */
	VFIO_WHY_SELECTOR,	/* its selector's =MODULE */
	VFIO_WHY_OFF,		/* rd.vfio.variant=0: vfio-pci */
	VFIO_WHY_FALLBACK,	/* its variant could not be loaded or has no driver: vfio-pci */
};

/* What put a device to bind: a selector or a selected group mate. */
enum pci_origin { ORIGIN_NONE, ORIGIN_SELECTOR, ORIGIN_GROUP };

struct selector;

struct pci_dev {
	char addr[PCI_ADDR_MAX + 1];
	unsigned dom, bus, slot, fn;
	unsigned vendor, device, class;		/* class: 24 bits, 0xBBSSPP */
	unsigned subvendor, subdevice;
	int group;				/* -1: no iommu_group link */
	int boot_vga;				/* boot_vga or boot_display is 1 */
	int bridge;				/* header type 1 or 2, as the kernel's pci_is_bridge() */
	char driver[64];			/* "" when unbound */
	const struct pci_dev *pf;		/* an SR-IOV VF: its PF (set by pci_tag_vfs) */
	int vf;					/* and its number N (the PF's virtfnN) */

	enum pci_action action;
	enum pci_reason why;			/* skip / leave reason */
	enum pci_origin origin;
	const struct selector *sel;		/* the selector that matched, or NULL */
	char by[80];				/* "selector=..." / "group=slot of=..." */
	enum pci_result result;			/* after binding */
	char detail[96];			/* why a bind failed */
	char prev_driver[64];
	char prev_override[64];			/* "" when none */
	char vfio_module[56];			/* the variant's module; "" for vfio-pci */
	char vfio_driver[64];			/* what to bind to: "vfio-pci" or the variant's */
	enum vfio_why vfio_why;
};

struct pci_list {
	struct pci_dev *dev;
	size_t n;
};

/* Strict "DDDD:BB:DD.F" (lower or upper hex, a domain of 4 to 8 digits);
 * 0 or -EINVAL. */
int pci_parse_addr(const char *s, size_t len, unsigned *dom, unsigned *bus,
		   unsigned *slot, unsigned *fn);
/* Read every device, sorted by address. */
int pci_scan(struct pci_list *l);
void pci_free(struct pci_list *l);
/* Mark the devices that pf's virtfnN links name as its VFs; how many. */
int pci_tag_vfs(struct pci_list *l, const struct pci_dev *pf);
/* Re-read the driver link; 0, or -ENOENT when the device itself is gone. */
int pci_read_driver(struct pci_dev *d);
/* A bridge as the kernel sees one: header type 1 (PCI-PCI) or 2 (CardBus). */
int pci_is_bridge(const struct pci_dev *d);
/* Base class 06 (bridge), whatever the header: host, LPC, PCI-PCI... */
int pci_is_bridge_class(const struct pci_dev *d);
int pci_is_storage(const struct pci_dev *d);
/* The driver sets driver_managed_dma: its device never keeps vfio from
 * claiming the group (vfio-pci and its variants, pci-stub, pcieport). */
int pci_driver_manages_dma(const char *driver);
const char *pci_reason_name(enum pci_reason r);
int pci_same_slot(const struct pci_dev *a, const struct pci_dev *b);
/* "vvvv:dddd:cccc" (class+subclass), the lspci -n / device table form. */
void pci_type(const struct pci_dev *d, char *buf, size_t size);

#endif
