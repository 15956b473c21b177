/* SPDX-License-Identifier: MIT */
/*
 * Selectors, as written in vfio.ids= (and rd.vfio.ids=):
 *   [DDDD:]BB:DD.F              one PCI address (domain defaults to 0000,
 *                               4 to 8 hex digits as the kernel prints it)
 *   [DDDD:]BB:DD.F@VVVV:DDDD    the same, pinned: only while those ids are there
 *   [vendor]:[device][:class]   an lspci -d filter, hex, empty field = any;
 *                               class is class+subclass ("0300")
 *   [DDDD:]BB:DD.F/vfN          SR-IOV virtual function N of that physical
 *                               function (the PF's virtfnN link), decimal
 *   [DDDD:]BB:DD.F/vf           every virtual function of that PF
 * each of them optionally followed by =MODULE, the vfio driver it must get:
 * a variant driver's module (modprobe's name, '-' and '_' alike), or
 * vfio-pci for the generic driver even where a variant matches
 * and entries of the kernel's own vfio-pci.ids=:
 *   vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]
 * read as vfio_pci_fill_ids() reads them (sscanf "%x:%x:%x:%x:%x:%x").
 */
#ifndef VFE_SELECT_H
#define VFE_SELECT_H

#include <stddef.h>

#include "pci.h"

#define SEL_TEXT_MAX 56
#define SEL_MODULE_MAX 55	/* MODULE_NAME_LEN - 1 */

enum sel_kind { SEL_ADDR, SEL_FILTER, SEL_KID, SEL_VF };

struct selector {
	enum sel_kind kind;
	char text[SEL_TEXT_MAX + 1];	/* as written, for logs and the plan */
	unsigned dom, bus, slot, fn;	/* SEL_ADDR; SEL_VF: the PF */
	int vf;				/* SEL_VF: the VF's number, -1 for all */
	int pinned;			/* SEL_ADDR@vendor:device */
	unsigned vendor, device;	/* PCI_ANY = any; SEL_ADDR: the pin */
	unsigned subvendor, subdevice;	/* SEL_KID */
	unsigned class, class_mask;	/* FILTER: 16-bit class+subclass, mask 0 = any;
					 * KID: 24-bit class and mask, as the kernel */
	char module[SEL_MODULE_MAX + 1];	/* =MODULE, '-' as '_'; "" for the default */
};

/* 0, or -EINVAL with *why set to a short explanation. */
int sel_parse(const char *s, size_t len, struct selector *out, const char **why);
int sel_parse_kid(const char *s, size_t len, struct selector *out, const char **why);
/* Whether the selector names d; a pinned address names the address
 * (sel_pin_ok() then says whether the ids are the pinned ones). */
int sel_match(const struct selector *sel, const struct pci_dev *d);
/* sel_match, or d is the PF a VF selector names (its VFs may come later):
 * a selector that matches nothing in neither way names nothing here. */
int sel_match_now(const struct selector *sel, const struct pci_dev *d);
/* The selector's address (SEL_VF: the PF's) is d's. */
int sel_names(const struct selector *sel, const struct pci_dev *d);
int sel_pin_ok(const struct selector *sel, const struct pci_dev *d);
/* What a PF's sysfs directory says of its VFs before they exist
 * (drivers/pci/iov.c sriov_totalvfs, sriov_offset, sriov_stride,
 * sriov_vf_device). */
struct sel_vfs {
	unsigned total, offset, stride, device;
	int placed;	/* offset, stride and device read (older kernels lack them) */
};
/* VF n's address (drivers/pci/iov.c pci_iov_virtfn_bus/devfn): 0, or
 * -ERANGE past the last bus. */
int sel_vf_addr(const struct pci_dev *pf, const struct sel_vfs *v, unsigned n, unsigned *bus,
		unsigned *slot, unsigned *fn);
/* Whether sel may name some VF of pf: its PF/vfN, an address in its VFs'
 * range, ids with the VF's vendor (the PF's) and device; what is known only
 * once a VF exists (class, subsystem ids) is taken to match. */
int sel_may_name_vf(const struct selector *sel, const struct pci_dev *pf,
		    const struct sel_vfs *v);
/* Names no vendor, device or address: only a class. */
int sel_class_only(const struct selector *sel);

#endif
