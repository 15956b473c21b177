// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "hex.h"
#include "select.h"

/* 1..maxdigits hex digits. */
static int hex_n(const char *s, size_t n, size_t maxdigits, unsigned *out)
{
	return n > maxdigits ? -EINVAL : hex_parse(s, n, out);
}

/* Split s on ':' into at most max fields; returns the count or -1 if more. */
static int split_colons(const char *s, size_t len, const char **f, size_t *flen, int max)
{
	int n = 0;
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && s[i] != ':')
			continue;
		if (n == max)
			return -1;
		f[n] = s + start;
		flen[n++] = i - start;
		start = i + 1;
	}
	return n;
}

/* "@VENDOR:DEVICE" after an address: both ids, 1 to 4 hex digits each. */
static int parse_pin(const char *s, size_t len, struct selector *o, const char **why)
{
	const char *f[2];
	size_t fl[2];

	*why = "bad pinned ids (want ADDRESS@vendor:device, hex)";
	if (split_colons(s, len, f, fl, 2) != 2 || hex_n(f[0], fl[0], 4, &o->vendor) ||
	    hex_n(f[1], fl[1], 4, &o->device))
		return -EINVAL;
	o->pinned = 1;
	return 0;
}

/* "[DDDD:]BB:DD.F" as the kernel names devices, the domain 0000 if left
 * out; then "@VENDOR:DEVICE" for a pinned address. */
static int parse_addr(const char *s, size_t len, struct selector *o, const char **why)
{
	const char *at = memchr(s, '@', len);
	char full[PCI_ADDR_MAX + 1] = "0000:";
	size_t n = at ? (size_t)(at - s) : len, pre = n == PCI_ADDR_LEN - 5 ? 5 : 0;

	if (at && parse_pin(at + 1, len - n - 1, o, why))
		return -EINVAL;
	*why = "bad PCI address (want [DDDD:]BB:DD.F, hex)";
	if (n + pre > PCI_ADDR_MAX)
		return -EINVAL;
	memcpy(full + pre, s, n);
	if (pci_parse_addr(full, n + pre, &o->dom, &o->bus, &o->slot, &o->fn))
		return -EINVAL;
	o->kind = SEL_ADDR;
	return 0;
}

static int any_or_hex(const char *s, size_t n, unsigned *out)
{
	if (n == 0) {
		*out = PCI_ANY;
		return 0;
	}
	return hex_n(s, n, 4, out);
}

static int parse_filter(const char *s, size_t len, struct selector *o, const char **why)
{
	const char *f[3];
	size_t fl[3];
	int n = split_colons(s, len, f, fl, 3);
	unsigned cls = PCI_ANY;

	*why = "bad filter (want [vendor]:[device][:class], hex)";
	if (n < 2 || any_or_hex(f[0], fl[0], &o->vendor) || any_or_hex(f[1], fl[1], &o->device))
		return -EINVAL;
	if (n == 3 && fl[2] && (fl[2] != 4 || hex_n(f[2], 4, 4, &cls))) {
		*why = (fl[0] == 4 && fl[1] == 2 && fl[2] == 2) ?
			"bad PCI address (no .F function number)" :
			"bad filter (class is 4 hex digits: class+subclass, e.g. 0300)";
		return -EINVAL;
	}
	o->class = cls == PCI_ANY ? 0 : cls;
	o->class_mask = cls == PCI_ANY ? 0 : 0xffff;
	if (o->vendor == PCI_ANY && o->device == PCI_ANY && !o->class_mask) {
		*why = "filter matches every device";
		return -EINVAL;
	}
	o->kind = SEL_FILTER;
	return 0;
}

static int check_text(const char *s, size_t len, struct selector *o, const char **why)
{
	memset(o, 0, sizeof(*o));
	if (len == 0) {
		*why = "empty selector";
		return -EINVAL;
	}
	if (len > SEL_TEXT_MAX) {
		*why = "selector too long";
		return -EINVAL;
	}
	memcpy(o->text, s, len);
	o->text[len] = '\0';
	return 0;
}

/* "PF/vfN" or "PF/vf" after a PF's address (not pinned): VF N in decimal
 * as the kernel's virtfnN links, at most 65534 (TotalVFs is 16 bits). */
#define VF_WHY "bad VF selector (want ADDR/vfN, ADDR/vf)"

/* "=MODULE" after a selector: a module name as the kernel spells one
 * (letters, digits, '_', '-'), stored with '_' as modules are named. */
static int parse_module(const char *s, size_t len, struct selector *o, const char **why)
{
	*why = "bad driver after '=' (want a module name, e.g. =vfio-pci or =mlx5_vfio_pci)";
	if (!len || len > SEL_MODULE_MAX)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return -EINVAL;
		o->module[i] = c == '-' ? '_' : c;
	}
	o->module[len] = '\0';
	return 0;
}

int sel_parse(const char *s, size_t len, struct selector *out, const char **why)
{
	const char *eq = memchr(s, '=', len);
	const char *slash;
	size_t n, m;
	unsigned vf = PCI_ANY;

	if (check_text(s, len, out, why))
		return -EINVAL;
	if (eq) {
		if (parse_module(eq + 1, len - (size_t)(eq - s) - 1, out, why))
			return -EINVAL;
		len = (size_t)(eq - s);
	}
	slash = memchr(s, '/', len);
	n = len;
	if (slash && s + len - slash >= 3 && !memcmp(slash, "/vf", 3)) {
		n = (size_t)(slash - s);
		m = len - n - 3;
		*why = VF_WHY;
		if (memchr(s, '@', n) || (m && (dec_parse(slash + 3, m, &vf) || vf > 65534)))
			return -EINVAL;
	}
	if (n == len && !memchr(s, '.', len))
		return parse_filter(s, len, out, why);
	if (parse_addr(s, n, out, why)) {
		if (n < len)
			*why = VF_WHY;
		return -EINVAL;
	}
	out->vf = (int)vf;
	if (n < len)
		out->kind = SEL_VF;
	return 0;
}

/* The selector text for logs; an entry the kernel accepts may be longer. */
static void kid_text(const char *s, size_t len, struct selector *o)
{
	memset(o, 0, sizeof(*o));
	memcpy(o->text, s, len < SEL_TEXT_MAX ? len : SEL_TEXT_MAX);
}

/* Every device matches: all ids any and no class bit a 24-bit class has. */
static int kid_matches_all(const struct selector *o)
{
	return o->vendor == PCI_ANY && o->device == PCI_ANY && o->subvendor == PCI_ANY &&
	       o->subdevice == PCI_ANY && !(o->class_mask & 0xffffff) &&
	       !(o->class & o->class_mask);
}

/* As vfio_pci_fill_ids(): sscanf(id, "%x:%x:%x:%x:%x:%x"), at least 2
 * fields; whatever follows the last number read is ignored. */
int sel_parse_kid(const char *s, size_t len, struct selector *o, const char **why)
{
	unsigned *dst[6];
	size_t i = 0, used;
	int n = 0;

	kid_text(s, len, o);
	dst[0] = &o->vendor, dst[1] = &o->device, dst[2] = &o->subvendor;
	dst[3] = &o->subdevice, dst[4] = &o->class, dst[5] = &o->class_mask;
	o->subvendor = o->subdevice = PCI_ANY;
	while (n < 6) {
		if (n && (i == len || s[i++] != ':'))
			break;
		used = hex_scan(s + i, len - i, dst[n]);
		if (!used)
			break;
		i += used;
		n++;
	}
	*why = "bad vfio-pci.ids entry (want vendor:device[:subvendor[:subdevice[:class[:class_mask]]]], hex)";
	if (n < 2)
		return -EINVAL;
	if (kid_matches_all(o)) {
		*why = "vfio-pci.ids entry matches every device";
		return -EINVAL;
	}
	o->kind = SEL_KID;
	return 0;
}

static int id_eq(unsigned want, unsigned have)
{
	return want == PCI_ANY || want == have;
}

__attribute__((noinline)) int sel_names(const struct selector *sel, const struct pci_dev *d)
{
	return sel->dom == d->dom && sel->bus == d->bus && sel->slot == d->slot && sel->fn == d->fn;
}

int sel_match(const struct selector *sel, const struct pci_dev *d)
{
	switch (sel->kind) {
	case SEL_VF:
		return d->pf && (sel->vf < 0 || sel->vf == d->vf) && sel_names(sel, d->pf);
	case SEL_ADDR:
		return sel_names(sel, d);
	case SEL_FILTER:
		return id_eq(sel->vendor, d->vendor) && id_eq(sel->device, d->device) &&
		       !((sel->class ^ (d->class >> 8)) & sel->class_mask);
	case SEL_KID:
		return id_eq(sel->vendor, d->vendor) && id_eq(sel->device, d->device) &&
		       id_eq(sel->subvendor, d->subvendor) &&
		       id_eq(sel->subdevice, d->subdevice) &&
		       !((sel->class ^ d->class) & sel->class_mask);
	}
	return 0;
}

int sel_match_now(const struct selector *sel, const struct pci_dev *d)
{
	return sel_match(sel, d) || (sel->kind == SEL_VF && sel_names(sel, d));
}

int sel_pin_ok(const struct selector *sel, const struct pci_dev *d)
{
	return !sel->pinned || (sel->vendor == d->vendor && sel->device == d->device);
}

int sel_class_only(const struct selector *sel)
{
	return sel->kind != SEL_ADDR && sel->vendor == PCI_ANY && sel->device == PCI_ANY;
}

int sel_vf_addr(const struct pci_dev *pf, const struct sel_vfs *v, unsigned n, unsigned *bus,
		unsigned *slot, unsigned *fn)
{
	/* pci_iov_virtfn_bus(): bus + ((devfn + offset + stride * id) >> 8);
	 * pci_iov_virtfn_devfn(): (devfn + offset + stride * id) & 0xff */
	unsigned long rid = (pf->slot << 3 | pf->fn) + (unsigned long)v->offset +
			    (unsigned long)v->stride * n;

	if (pf->bus + (rid >> 8) > 0xff)
		return -ERANGE;
	*bus = pf->bus + (unsigned)(rid >> 8);
	*slot = (rid & 0xff) >> 3;
	*fn = rid & 7;
	return 0;
}

static int addr_in_vfs(const struct selector *sel, const struct pci_dev *pf,
		       const struct sel_vfs *v)
{
	unsigned bus, slot, fn;

	if (!v->placed || sel->dom != pf->dom)
		return 0;
	for (unsigned n = 0; n < v->total; n++) {
		if (sel_vf_addr(pf, v, n, &bus, &slot, &fn))
			return 0;
		if (sel->bus == bus && sel->slot == slot && sel->fn == fn)
			return !sel->pinned || (sel->vendor == pf->vendor &&
						sel->device == v->device);
	}
	return 0;
}

int sel_may_name_vf(const struct selector *sel, const struct pci_dev *pf,
		    const struct sel_vfs *v)
{
	if (!v->total)
		return 0;
	switch (sel->kind) {
	case SEL_VF:
		return sel_names(sel, pf) && (sel->vf < 0 || (unsigned)sel->vf < v->total);
	case SEL_ADDR:
		return addr_in_vfs(sel, pf, v);
	case SEL_FILTER:
	case SEL_KID:
		/* pci_iov_add_virtfn(): virtfn->vendor = dev->vendor,
		 * virtfn->device = iov->vf_device */
		return v->placed && id_eq(sel->vendor, pf->vendor) &&
		       id_eq(sel->device, v->device);
	}
	return 0;
}
