/* SPDX-License-Identifier: MIT */
/*
 * The items of the comma lists on a kernel command line, each reduced to
 * what it names, so that two spellings of one device compare equal:
 *   vfio.ids=, rd.vfio.ids=  vfio-early's selectors, read as early/select.c
 *                            sel_parse() reads them (case, leading zeros,
 *                            01:00.0 == 0000:01:00.0, ids of 1 to 4 digits)
 *   vfio-pci.ids=            the kernel's, read as vfio_pci_fill_ids() does
 *                            (sscanf "%x:%x:%x:%x:%x:%x", drivers/vfio/pci/
 *                            vfio_pci.c)
 *   rd.driver.pre/blacklist/post  module names; '-' equals '_' (modprobe)
 * An item the reader would reject stays a plain string (compared byte for
 * byte).  Shared by kcmdline's editor and the lint checks; no allocation,
 * libc-only (the admin binary is built with klibc).
 */
#ifndef KC_LITEM_H
#define KC_LITEM_H

#include <stddef.h>

enum litem_list {
	LITEM_NOT_A_LIST,	/* any other key */
	LITEM_SEL,		/* vfio.ids, rd.vfio.ids */
	LITEM_KID,		/* vfio-pci.ids */
	LITEM_MOD,		/* rd.driver.pre, rd.driver.blacklist, rd.driver.post */
};

enum litem_kind {
	LITEM_RAW,	/* not understood: compared byte for byte */
	LITEM_ADDR,	/* [DDDD:]BB:DD.F, maybe @VVVV:DDDD */
	LITEM_VF,	/* [DDDD:]BB:DD.F/vf[N] */
	LITEM_FILTER,	/* [vendor]:[device][:class] */
	LITEM_IDS,	/* vfio-pci.ids entry */
	LITEM_MODNAME,	/* a module name */
};

#define LITEM_ANY 0xffffffffu

struct litem {
	const char *p;		/* as written (a view) */
	size_t n;
	enum litem_kind kind;
	unsigned long long addr;	/* ADDR, VF: domain << 16 | bus << 8 | devfn */
	int pinned;		/* ADDR: @VVVV:DDDD given */
	unsigned v[6];		/* ADDR: the pin's vendor and device; VF: the VF
				 * number or LITEM_ANY; FILTER: vendor, device,
				 * class (LITEM_ANY: any); IDS: the six fields */
};

/* Which list KEY's value is (names compare as the kernel's parameq()). */
enum litem_list litem_list_of(const char *key, size_t len);

/* Read s[0, n) as an item of list L into *it (never fails: RAW). */
void litem_parse(enum litem_list l, const char *s, size_t n, struct litem *it);

/* 1 if both name the same device, id set or module (a pin aside). */
int litem_same(const struct litem *a, const struct litem *b);

/* 1 if they are the same and say the same (the same pin, or none). */
int litem_equal(const struct litem *a, const struct litem *b);

/* 1 if s[0, n) is a PCI address [DDDD:]BB:DD.F (pinned or not) as
 * vfio-early reads it. */
int litem_is_addr(const char *s, size_t n);

#endif
