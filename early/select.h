/* SPDX-License-Identifier: MIT */
/*
 * Selectors, as written in vfio.ids= (and rd.vfio.ids=):
 *   [DDDD:]BB:DD.F              one PCI address (domain defaults to 0000)
 *   [vendor]:[device][:class]   an lspci -d filter, hex, empty field = any;
 *                               class is class+subclass ("0300")
 * and entries of the kernel's own vfio-pci.ids=:
 *   vendor:device[:subvendor[:subdevice[:class[:class_mask]]]]
 */
#ifndef VFE_SELECT_H
#define VFE_SELECT_H

#include <stddef.h>

#include "pci.h"

#define SEL_TEXT_MAX 56

enum sel_kind { SEL_ADDR, SEL_FILTER, SEL_KID };

struct selector {
	enum sel_kind kind;
	char text[SEL_TEXT_MAX + 1];	/* as written, for logs and the plan */
	unsigned dom, bus, slot, fn;	/* SEL_ADDR */
	unsigned vendor, device;	/* PCI_ANY = any */
	unsigned subvendor, subdevice;	/* SEL_KID */
	unsigned class, class_mask;	/* FILTER: 16-bit class+subclass, mask 0 = any;
					 * KID: 24-bit class and mask, as the kernel */
};

/* 0, or -EINVAL with *why set to a short explanation. */
int sel_parse(const char *s, size_t len, struct selector *out, const char **why);
int sel_parse_kid(const char *s, size_t len, struct selector *out, const char **why);
int sel_match(const struct selector *sel, const struct pci_dev *d);
/* Names no vendor, device or address: only a class. */
int sel_class_only(const struct selector *sel);

#endif
