/* SPDX-License-Identifier: MIT */
/*
 * The items of the comma lists on a kernel command line, each reduced to
 * what it names, so that two spellings of one device compare equal:
 *   vfio.ids=, rd.vfio.ids=  vfio-early's selectors, read as early/select.c
 *                            sel_parse() reads them (case, leading zeros,
 *                            01:00.0 == 0000:01:00.0, ids of 1 to 4 digits),
 *                            each maybe with "=MODULE", the vfio driver the
 *                            device must get ('-' equals '_')
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
#define LITEM_SEL_MAX 56	/* early/select.h SEL_TEXT_MAX, =MODULE included */
#define LITEM_MODULE_MAX 55	/* SEL_MODULE_MAX: MODULE_NAME_LEN - 1 */

struct litem {
	const char *p;		/* as written (a view) */
	size_t n;
	enum litem_kind kind;
	unsigned long long addr;	/* ADDR, VF: domain << 16 | bus << 8 | devfn */
	int pinned;		/* ADDR: @VVVV:DDDD given */
	unsigned v[6];		/* ADDR: the pin's vendor and device; VF: the VF
				 * number or LITEM_ANY; FILTER: vendor, device,
				 * class (LITEM_ANY: any); IDS: the six fields */
	const char *module;	/* ADDR, VF, FILTER: the MODULE of "=MODULE" as
				 * written (a view), NULL without */
	size_t module_len;
};

/* Which list KEY's value is (names compare as the kernel's parameq()). */
enum litem_list litem_list_of(const char *key, size_t len);

/* Read s[0, n) as an item of list L into *it (never fails: RAW). */
void litem_parse(enum litem_list l, const char *s, size_t n, struct litem *it);

/* 1 if both name the same device, id set or module (a pin and a
 * selector's =MODULE aside). */
int litem_same(const struct litem *a, const struct litem *b);

/* 1 if they are the same and say the same: the same pin, or none, and the
 * same =MODULE ('-' equal to '_'), or none. */
int litem_equal(const struct litem *a, const struct litem *b);

/* 1 if the modules of two selectors are the same ('-' equal to '_'), or
 * both have none. */
int litem_same_module(const struct litem *a, const struct litem *b);

/* 1 if s[0, n) is a module name as sel_parse() reads one after a
 * selector's '=': 1 to LITEM_MODULE_MAX letters, digits, '_' and '-'. */
int litem_module_ok(const char *s, size_t n);

/* 1 if s[0, n) is a PCI address [DDDD:]BB:DD.F (pinned or not, without
 * =MODULE) as vfio-early reads it. */
int litem_is_addr(const char *s, size_t n);

#endif
