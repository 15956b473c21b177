// SPDX-License-Identifier: MIT
#include <string.h>

#include "hex.h"
#include "kcmdline.h"
#include "litem.h"

/* Static names are unique across the tree: build/unity.c includes this
 * file with early/ (STYLE.md), hence the li_ prefix. */

enum litem_list litem_list_of(const char *key, size_t len)
{
	static const struct {
		const char *key;
		enum litem_list list;
	} lists[] = {
		{ .key = "vfio.ids", .list = LITEM_SEL },
		{ .key = "rd.vfio.ids", .list = LITEM_SEL },
		{ .key = "vfio-pci.ids", .list = LITEM_KID },
		{ .key = "rd.driver.pre", .list = LITEM_MOD },
		{ .key = "rd.driver.blacklist", .list = LITEM_MOD },
		{ .key = "rd.driver.post", .list = LITEM_MOD },
	};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (kcmd_name_eq(key, len, lists[i].key))
			return lists[i].list;
	return LITEM_NOT_A_LIST;
}

/* Exactly n hex digits, 1 <= n <= max: the binder's own reader (early/hex.c). */
static int li_hex(const char *s, size_t n, size_t max, unsigned *out)
{
	return n > max || hex_parse(s, n, out) ? -1 : 0;
}

/* [DDDD:]BB:DD.F as early/pci.c pci_parse_addr() after select.c
 * parse_addr() put "0000:" before a 7-character address: a domain of 4
 * to 8 digits, no leading zero past 4. */
static int li_addr(const char *s, size_t n, unsigned long long *addr)
{
	unsigned dom = 0, bus, slot, fn;
	size_t dl;

	if (n == 7) {
		dl = 0;
	} else {
		if (n < 12 || n > 16)
			return -1;
		dl = n - 8;
		if ((dl > 4 && s[0] == '0') || s[dl] != ':' || li_hex(s, dl, 8, &dom))
			return -1;
		dl++;
	}
	if (s[dl + 2] != ':' || s[dl + 5] != '.')
		return -1;
	if (li_hex(s + dl, 2, 2, &bus) || li_hex(s + dl + 3, 2, 2, &slot) ||
	    li_hex(s + dl + 6, 1, 1, &fn) || slot > 0x1f || fn > 7)
		return -1;
	*addr = (unsigned long long)dom << 16 | bus << 8 | slot << 3 | fn;
	return 0;
}

/* "VENDOR:DEVICE" of a pin: two fields of 1 to 4 hex digits (parse_pin()). */
static int li_pin(const char *s, size_t n, unsigned *v)
{
	const char *colon = memchr(s, ':', n);

	size_t k = colon ? (size_t)(colon - s) : 0;

	if (!colon || li_hex(s, k, 4, &v[0]))
		return -1;
	return li_hex(colon + 1, n - k - 1, 4, &v[1]);
}

/* An address selector, pinned or not. */
static int li_addr_sel(const char *s, size_t n, struct litem *it)
{
	const char *at = memchr(s, '@', n);
	size_t an = at ? (size_t)(at - s) : n;

	if (at && li_pin(at + 1, n - an - 1, it->v))
		return -1;
	if (li_addr(s, an, &it->addr))
		return -1;
	it->pinned = at != NULL;
	it->kind = LITEM_ADDR;
	return 0;
}

/* ADDR/vfN or ADDR/vf (select.c sel_parse(): N decimal, at most 65534). */
static int li_vf(const char *s, size_t n, const char *slash, struct litem *it)
{
	size_t an = (size_t)(slash - s), m = n - an - 3;
	unsigned vf = LITEM_ANY;

	if (memchr(s, '@', an) || (m && (dec_parse(slash + 3, m, &vf) || vf > 65534)))
		return -1;
	if (li_addr(s, an, &it->addr))
		return -1;
	it->v[0] = vf;
	it->kind = LITEM_VF;
	return 0;
}

/* An empty field is any; else 1 to 4 hex digits. */
static int li_any_or_hex(const char *s, size_t n, unsigned *out)
{
	if (!n) {
		*out = LITEM_ANY;
		return 0;
	}
	return li_hex(s, n, 4, out);
}

/* [vendor]:[device][:class] as select.c parse_filter(). */
static int li_filter(const char *s, size_t n, struct litem *it)
{
	const char *end = s + n, *c1 = memchr(s, ':', n), *c2, *dev_end;

	if (!c1)
		return -1;
	c2 = memchr(c1 + 1, ':', (size_t)(end - c1 - 1));
	dev_end = c2 ? c2 : end;
	if (c2 && memchr(c2 + 1, ':', (size_t)(end - c2 - 1)))
		return -1;
	if (li_any_or_hex(s, (size_t)(c1 - s), &it->v[0]) ||
	    li_any_or_hex(c1 + 1, (size_t)(dev_end - c1 - 1), &it->v[1]))
		return -1;
	it->v[2] = LITEM_ANY;
	if (c2 && end > c2 + 1 && li_hex(c2 + 1, (size_t)(end - c2 - 1), 4, &it->v[2]))
		return -1;
	if (c2 && end > c2 + 1 && end - c2 - 1 != 4)
		return -1;
	if (it->v[0] == LITEM_ANY && it->v[1] == LITEM_ANY && it->v[2] == LITEM_ANY)
		return -1;
	it->kind = LITEM_FILTER;
	return 0;
}

/* A selector without its =MODULE. */
static void li_sel_body(const char *s, size_t n, struct litem *it)
{
	const char *slash = memchr(s, '/', n);

	if (slash && s + n - slash >= 3 && !memcmp(slash, "/vf", 3)) {
		(void)li_vf(s, n, slash, it);	/* RAW when it fails */
		return;
	}
	if (!memchr(s, '.', n))
		(void)li_filter(s, n, it);
	else
		(void)li_addr_sel(s, n, it);
}

/* A vfio.ids selector, as select.c sel_parse(): at most 56 characters,
 * an "=MODULE" after the first '=' included. */
static void li_sel(const char *s, size_t n, struct litem *it)
{
	const char *eq = memchr(s, '=', n);
	size_t body = eq ? (size_t)(eq - s) : n;

	if (!n || n > LITEM_SEL_MAX)
		return;
	if (eq && !litem_module_ok(eq + 1, n - body - 1))
		return;
	li_sel_body(s, body, it);
	if (eq && it->kind != LITEM_RAW) {
		it->module = eq + 1;
		it->module_len = n - body - 1;
	}
}

/* vfio_pci_fill_ids(): at least vendor and device; subvendor and subdevice
 * default to PCI_ANY_ID, class and mask to 0; the rest is ignored. */
static void li_kid(const char *s, size_t n, struct litem *it)
{
	unsigned v[6] = { 0, 0, LITEM_ANY, LITEM_ANY, 0, 0 };
	size_t i = 0, used;
	int k = 0;

	while (k < 6) {
		if (k && (i == n || s[i++] != ':'))
			break;
		used = hex_scan(s + i, n - i, &v[k]);
		if (!used)
			break;
		i += used;
		k++;
	}
	if (k < 2)
		return;
	memcpy(it->v, v, sizeof(v));
	it->kind = LITEM_IDS;
}

static int li_modname(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* select.c parse_module(). */
int litem_module_ok(const char *s, size_t n)
{
	return n <= LITEM_MODULE_MAX && li_modname(s, n);
}

void litem_parse(enum litem_list l, const char *s, size_t n, struct litem *it)
{
	memset(it, 0, sizeof(*it));
	it->p = s;
	it->n = n;
	it->kind = LITEM_RAW;
	if (l == LITEM_SEL)
		li_sel(s, n, it);
	else if (l == LITEM_KID)
		li_kid(s, n, it);
	else if (l == LITEM_MOD && li_modname(s, n))
		it->kind = LITEM_MODNAME;
}

/* Module names as modprobe compares them: '-' and '_' alike. */
static int li_names_eq(const char *a, size_t an, const char *b, size_t bn)
{
	if (an != bn)
		return 0;
	for (size_t i = 0; i < an; i++) {
		char x = a[i] == '-' ? '_' : a[i], y = b[i] == '-' ? '_' : b[i];

		if (x != y)
			return 0;
	}
	return 1;
}

static int li_mod_eq(const struct litem *a, const struct litem *b)
{
	return li_names_eq(a->p, a->n, b->p, b->n);
}

int litem_same_module(const struct litem *a, const struct litem *b)
{
	return li_names_eq(a->module, a->module_len, b->module, b->module_len);
}

int litem_same(const struct litem *a, const struct litem *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case LITEM_ADDR:
		return a->addr == b->addr;
	case LITEM_VF:
		return a->addr == b->addr && a->v[0] == b->v[0];
	case LITEM_FILTER:
		return !memcmp(a->v, b->v, 3 * sizeof(a->v[0]));
	case LITEM_IDS:
		return !memcmp(a->v, b->v, sizeof(a->v));
	case LITEM_MODNAME:
		return li_mod_eq(a, b);
	case LITEM_RAW:
		break;
	}
	return a->n == b->n && !memcmp(a->p, b->p, a->n);
}

int litem_equal(const struct litem *a, const struct litem *b)
{
	if (!litem_same(a, b) || !litem_same_module(a, b))
		return 0;
	if (a->kind != LITEM_ADDR || (!a->pinned && !b->pinned))
		return 1;
	return a->pinned == b->pinned && a->v[0] == b->v[0] && a->v[1] == b->v[1];
}

int litem_is_addr(const char *s, size_t n)
{
	struct litem it;

	litem_parse(LITEM_SEL, s, n, &it);
	return it.kind == LITEM_ADDR && !it.module;
}
