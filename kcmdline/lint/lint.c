// SPDX-License-Identifier: MIT
#include <stdio.h>
#include <string.h>

#include "kcmdline.h"
#include "lint.h"
#include "litem.h"

/* Static names carry lint_ (build/unity.c includes this file with early/). */

enum lint_arg { LINT_FLAG, LINT_VALUE };

/*
 * Every parameter the vfio modules take in Linux 6.1 and 6.12, and
 * vfio-early's own.  A bool parameter may stand alone (param_set_bool()
 * reads a bare name as "y": KERNEL_PARAM_OPS_FL_NOARG); the others
 * without a value are refused by kernel/params.c parse_one() ("invalid
 * for parameter") or, for vfio-early, ignored (early/config.c).
 */
static const struct lint_key {
	const char *name;
	enum lint_arg arg;
} lint_keys[] = {
	/* drivers/vfio/vfio_main.c (6.1), drivers/vfio/group.c (6.12):
	 * module_param_named(enable_unsafe_noiommu_mode, ..., bool, ...) */
	{ .name = "vfio.enable_unsafe_noiommu_mode", .arg = LINT_FLAG },
	/* drivers/vfio/vfio_iommu_type1.c */
	{ .name = "vfio_iommu_type1.allow_unsafe_interrupts", .arg = LINT_FLAG },
	{ .name = "vfio_iommu_type1.disable_hugepages", .arg = LINT_FLAG },
	{ .name = "vfio_iommu_type1.dma_entry_limit", .arg = LINT_VALUE },
	/* drivers/vfio/pci/vfio_pci.c; vfio_pci_core has none since the
	 * parameters moved to vfio_pci.c (Linux 5.15) */
	{ .name = "vfio-pci.ids", .arg = LINT_VALUE },
	{ .name = "vfio-pci.nointxmask", .arg = LINT_FLAG },
	{ .name = "vfio-pci.disable_vga", .arg = LINT_FLAG },
	{ .name = "vfio-pci.disable_idle_d3", .arg = LINT_FLAG },
	{ .name = "vfio-pci.enable_sriov", .arg = LINT_FLAG },
	{ .name = "vfio-pci.disable_denylist", .arg = LINT_FLAG },
	/* vfio-early (early/config.c, doc/vfio-early.8) */
	{ .name = "vfio.ids", .arg = LINT_VALUE },
	{ .name = "rd.vfio.ids", .arg = LINT_VALUE },
	{ .name = "rd.vfio", .arg = LINT_FLAG },
	{ .name = "rd.vfio.debug", .arg = LINT_FLAG },
	{ .name = "rd.vfio.boot_vga", .arg = LINT_FLAG },
	{ .name = "rd.vfio.group", .arg = LINT_VALUE },
	{ .name = "rd.vfio.variant", .arg = LINT_FLAG },
	/* dracut's, read by vfio-early too */
	{ .name = "rd.driver.pre", .arg = LINT_VALUE },
	{ .name = "rd.driver.blacklist", .arg = LINT_VALUE },
	{ .name = "rd.driver.post", .arg = LINT_VALUE },
};

#define LINT_NKEYS (sizeof(lint_keys) / sizeof(lint_keys[0]))
#define LINT_NAME_MAX 64

/* The modules whose parameters are all listed above ('-' equals '_'). */
static const char *const lint_modules[] = { "vfio", "vfio_pci", "vfio_iommu_type1",
					    "vfio_pci_core" };

static const char *const lint_kind_names[LINT_KIND_COUNT] = {
	[LINT_UNKNOWN_KEY] = "unknown-key",
	[LINT_NO_VALUE] = "no-value",
	[LINT_KID_ADDRESS] = "vfio-pci-ids-address",
	[LINT_LIST_SPACE] = "space-in-list",
	[LINT_KID_REPEATED] = "vfio-pci-ids-repeated",
	[LINT_BAD_DRIVER] = "bad-driver",
	[LINT_KID_DRIVER] = "vfio-pci-ids-driver",
};

const char *lint_kind_name(enum lint_kind k)
{
	return k < LINT_KIND_COUNT ? lint_kind_names[k] : "?";
}

static const struct lint_key *lint_find(const char *name, size_t len)
{
	for (size_t i = 0; i < LINT_NKEYS; i++)
		if (kcmd_name_eq(name, len, lint_keys[i].name))
			return &lint_keys[i];
	return NULL;
}

int lint_needs_value(const char *key, size_t len)
{
	const struct lint_key *k = lint_find(key, len);

	return k && k->arg == LINT_VALUE;
}

/* name[0, len) with '-' as '_', NUL-terminated; 0 if it does not fit. */
static int lint_fold(const char *name, size_t len, char *out)
{
	if (len >= LINT_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		out[i] = name[i] == '-' ? '_' : name[i];
	out[len] = '\0';
	return 1;
}

/* The kernel hands a module the parameters "MODULE.NAME" (kernel/params.c
 * parse_args() with the module's name as prefix; modprobe reads the same
 * from /proc/cmdline); rd.vfio.* are vfio-early's. */
static int lint_in_namespace(const char *folded)
{
	const char *dot = strchr(folded, '.');
	size_t m = dot ? (size_t)(dot - folded) : 0;

	if (!strcmp(folded, "rd.vfio") || !strncmp(folded, "rd.vfio.", 8))
		return 1;
	for (size_t i = 0; dot && i < sizeof(lint_modules) / sizeof(lint_modules[0]); i++)
		if (strlen(lint_modules[i]) == m && !memcmp(folded, lint_modules[i], m))
			return 1;
	return 0;
}

static size_t lint_min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Levenshtein distance of two short strings. */
static size_t lint_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[LINT_NAME_MAX + 1], diag, up;

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			up = row[j];
			row[j] = lint_min3(row[j] + 1, row[j - 1] + 1,
					   diag + (a[i - 1] != b[j - 1]));
			diag = up;
		}
	}
	return row[lb];
}

/* The known key nearest to folded, if it is within max edits. */
static const char *lint_nearest(const char *folded, size_t max)
{
	const char *best = NULL;
	size_t best_d = max + 1;
	char k[LINT_NAME_MAX];

	for (size_t i = 0; i < LINT_NKEYS; i++) {
		size_t d;

		lint_fold(lint_keys[i].name, strlen(lint_keys[i].name), k);
		d = lint_distance(folded, k);
		if (d < best_d) {
			best_d = d;
			best = lint_keys[i].name;
		}
	}
	return best;
}

/* A known key whose parameter (after the module's '.') is folded's: the
 * right name under another module ("vfio_pci_core.disable_vga"). */
static const char *lint_same_param(const char *folded)
{
	const char *dot = strchr(folded, '.'), *kdot;
	char k[LINT_NAME_MAX];

	for (size_t i = 0; dot && i < LINT_NKEYS; i++) {
		lint_fold(lint_keys[i].name, strlen(lint_keys[i].name), k);
		kdot = strrchr(k, '.');
		if (kdot && !strcmp(kdot, strrchr(folded, '.')))
			return lint_keys[i].name;
	}
	return NULL;
}

/* An unknown name in vfio's namespaces, or one a typo away from a known
 * key that names vfio ("vfio_ids", "rd_vfio.ids"). */
static int lint_unknown(const struct kcmd_param *p, const char **hint)
{
	char folded[LINT_NAME_MAX];
	int ns;

	if (!lint_fold(p->name, p->name_len, folded) || lint_find(p->name, p->name_len))
		return 0;
	ns = lint_in_namespace(folded);
	if (!ns && !strstr(folded, "vfio"))
		return 0;
	*hint = lint_nearest(folded, ns ? 3 : 2);
	if (!*hint && ns)
		*hint = lint_same_param(folded);
	return ns || *hint;
}

struct lint_run {
	lint_fn fn;
	void *arg;
	unsigned n;
};

static void lint_emit(struct lint_run *r, struct lint_finding *f)
{
	r->n++;
	if (r->fn)
		r->fn(f, r->arg);
}

static void lint_start(struct lint_finding *f, enum lint_kind kind,
		       const struct kcmd_param *p)
{
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->key = p->name;
	f->key_len = p->name_len;
	f->val = p->val;
	f->val_len = p->val_len;
}

static int lint_is_selector_list(enum litem_list l)
{
	return l == LITEM_SEL || l == LITEM_KID;
}

static int lint_has_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r') || (unsigned char)s[i] == 0xa0)
			return 1;
	return 0;
}

/* A selector's "=MODULE" that select.c sel_parse() refuses, and with it
 * the whole selector: a bad name, or too long an item. */
static int lint_bad_driver(const char *item, size_t n)
{
	const char *eq = memchr(item, '=', n);
	size_t body = eq ? (size_t)(eq - item) : n;

	if (!eq)
		return 0;
	return n > LITEM_SEL_MAX || !litem_module_ok(eq + 1, n - body - 1);
}

/* What is wrong with an item of list L; LINT_KIND_COUNT: nothing. */
static enum lint_kind lint_item(enum litem_list l, const char *item, size_t n)
{
	struct litem it;

	litem_parse(LITEM_SEL, item, n, &it);
	if (l == LITEM_KID && (it.kind == LITEM_ADDR || it.kind == LITEM_VF))
		return LINT_KID_ADDRESS;
	if (l != LITEM_KID && lint_has_blank(item, n))
		return LINT_LIST_SPACE;
	if (l == LITEM_KID && memchr(item, '=', n))
		return LINT_KID_DRIVER;
	if (l == LITEM_SEL && lint_bad_driver(item, n))
		return LINT_BAD_DRIVER;
	return LINT_KIND_COUNT;
}

/* 1 if an item's mistake K in list L costs a vfio-early selector. */
static int lint_item_loses(enum lint_kind k, enum litem_list l)
{
	if (k == LINT_LIST_SPACE)
		return lint_is_selector_list(l);
	/* vfio_pci_fill_ids() stops at the '=': the ids bind, to vfio-pci */
	return k != LINT_KID_DRIVER;
}

/* The items of a list value: an address or a driver in vfio-pci.ids, a
 * blank inside a quoted vfio-early list, a selector's bad =MODULE. */
static void lint_items(struct lint_run *r, const struct kcmd_param *p, enum litem_list l)
{
	const char *cur = p->val, *item;
	size_t left = p->val_len, n;
	struct lint_finding f;
	enum lint_kind k;

	while (kcmd_next_item(&cur, &left, &item, &n)) {
		k = lint_item(l, item, n);
		if (k == LINT_KIND_COUNT)
			continue;
		lint_start(&f, k, p);
		f.selector = lint_item_loses(k, l);
		f.word = item;
		f.word_len = n;
		lint_emit(r, &f);
	}
}

/* The next word whole: "B", or in a selector list "B=MODULE", which the
 * kernel splits at its '=' but which reads as one item; 0 if neither. */
static size_t lint_next_word(const struct kcmd_param *next, enum litem_list l)
{
	struct litem it;
	size_t n;

	if (!next)
		return 0;
	if (!next->val)
		return next->name_len;
	if (l != LITEM_SEL || next->val != next->name + next->name_len + 1)
		return 0;
	n = next->name_len + 1 + next->val_len;
	litem_parse(l, next->name, n, &it);
	return it.kind == LITEM_RAW ? 0 : n;
}

/* A list that a blank ended: "KEY=A, B", "KEY= A" or "KEY=A B" where B
 * reads as one of its items; the kernel hands B to init.  B's length, or
 * 0. */
static size_t lint_cut_list(const struct kcmd_param *p, const struct kcmd_param *next,
			    enum litem_list l)
{
	size_t n = lint_next_word(next, l);
	struct litem it;

	if (!n)
		return 0;
	if (!next->val && (!p->val_len || p->val[p->val_len - 1] == ','))
		return n;
	litem_parse(l, next->name, n, &it);
	return it.kind != LITEM_RAW && it.kind != LITEM_MODNAME ? n : 0;
}

static void lint_param(struct lint_run *r, const struct kcmd_param *p,
		       const struct kcmd_param *next)
{
	enum litem_list l = litem_list_of(p->name, p->name_len);
	struct lint_finding f;
	const char *hint = NULL;
	size_t cut;

	if (lint_unknown(p, &hint)) {
		lint_start(&f, LINT_UNKNOWN_KEY, p);
		f.hint = hint;
		f.selector = hint && lint_is_selector_list(litem_list_of(hint, strlen(hint)));
		lint_emit(r, &f);
		return;
	}
	if (!p->val && lint_needs_value(p->name, p->name_len)) {
		lint_start(&f, LINT_NO_VALUE, p);
		f.selector = lint_is_selector_list(l);
		f.word_len = lint_next_word(next, l);
		f.word = f.word_len ? next->name : NULL;
		lint_emit(r, &f);
		return;
	}
	if (l == LITEM_NOT_A_LIST || !p->val)
		return;
	lint_items(r, p, l);
	cut = lint_cut_list(p, next, l);
	if (cut) {
		lint_start(&f, LINT_LIST_SPACE, p);
		f.selector = lint_is_selector_list(l);
		f.word = next->name;
		f.word_len = cut;
		lint_emit(r, &f);
	}
}

unsigned lint_line(const char *line, size_t len, lint_fn fn, void *arg)
{
	struct lint_run r = { .fn = fn, .arg = arg, .n = 0 };
	struct kcmd_iter it;
	struct kcmd_param p, next, last_kid;
	struct lint_finding f;
	unsigned kids = 0;
	int more;

	kcmd_iter_init(&it, line, len);
	more = kcmd_next(&it, &next);
	while (more) {
		p = next;
		more = kcmd_next(&it, &next);
		lint_param(&r, &p, more ? &next : NULL);
		if (p.val && litem_list_of(p.name, p.name_len) == LITEM_KID) {
			kids++;
			last_kid = p;
		}
	}
	if (kids > 1) {
		lint_start(&f, LINT_KID_REPEATED, &last_kid);
		f.count = kids;
		f.selector = 1;
		lint_emit(&r, &f);
	}
	return r.n;
}

static int lint_inside(const struct lint_finding *f)
{
	return f->val && f->word >= f->val && f->word <= f->val + f->val_len;
}

/* "KEY=VAL,WORD" as the list should read: VAL without its trailing comma. */
static void lint_joined(const struct lint_finding *f, char *buf, size_t size)
{
	size_t vl = f->val_len;

	while (vl && f->val[vl - 1] == ',')
		vl--;
	snprintf(buf, size, "%.*s=%.*s%s%.*s", (int)f->key_len, f->key, (int)vl, f->val,
		 vl ? "," : "", (int)f->word_len, f->word);
}

static void lint_space_text(const struct lint_finding *f, char *buf, size_t size)
{
	char fix[160];

	if (lint_inside(f)) {
		snprintf(buf, size, "%.*s: the item '%.*s' has a blank in it, which no selector "
			 "has; write the list without blanks", (int)f->key_len, f->key,
			 (int)f->word_len, f->word);
		return;
	}
	lint_joined(f, fix, sizeof(fix));
	snprintf(buf, size, "a blank ends the list of %.*s before '%.*s', which the kernel "
		 "hands to init as a word of its own; write %s (no blanks in a list)",
		 (int)f->key_len, f->key, (int)f->word_len, f->word, fix);
}

/* The selector before the '=' of word, and the module after it. */
static void lint_split_driver(const struct lint_finding *f, int *sel, const char **mod,
			      int *mod_len)
{
	const char *eq = memchr(f->word, '=', f->word_len);

	*sel = (int)(eq - f->word);
	*mod = eq + 1;
	*mod_len = (int)(f->word_len - (size_t)*sel - 1);
}

static void lint_driver_text(const struct lint_finding *f, char *buf, size_t size)
{
	int kl = (int)f->key_len, wl = (int)f->word_len, sl, ml;
	const char *mod;

	lint_split_driver(f, &sl, &mod, &ml);
	if (!ml)
		snprintf(buf, size, "%.*s: '%.*s' names no driver after its '=', so "
			 "vfio-early drops the selector; write %.*s=MODULE or %.*s alone "
			 "(vfio-early chooses)", kl, f->key, wl, f->word, sl, f->word, sl,
			 f->word);
	else if (litem_module_ok(mod, (size_t)ml))
		snprintf(buf, size, "%.*s: the selector '%.*s' is %d characters long with its "
			 "=MODULE, and vfio-early reads at most %d, so it selects no device; "
			 "write the address or ids shorter", kl, f->key, wl, f->word, wl,
			 LITEM_SEL_MAX);
	else
		snprintf(buf, size, "%.*s: '%.*s' after the '=' of '%.*s' is no module name "
			 "(1 to %d letters, digits, '_' or '-'), so vfio-early drops the "
			 "selector; write %.*s=MODULE (a variant driver's module, or vfio-pci "
			 "for the generic driver) or %.*s alone (vfio-early chooses)", kl,
			 f->key, ml, mod, wl, f->word, LITEM_MODULE_MAX, sl, f->word, sl,
			 f->word);
}

static void lint_kid_driver_text(const struct lint_finding *f, char *buf, size_t size)
{
	int kl = (int)f->key_len, wl = (int)f->word_len;
	char fix[160];
	struct litem it;

	litem_parse(LITEM_SEL, f->word, f->word_len, &it);
	if (it.kind == LITEM_RAW)
		snprintf(fix, sizeof(fix), "give the device to vfio.ids= with its =MODULE "
			 "(vfio-early(8))");
	else
		snprintf(fix, sizeof(fix), "write vfio.ids=%.*s (vfio-early gives it that "
			 "driver)", wl, f->word);
	snprintf(buf, size, "%.*s=%.*s: the kernel's %.*s names no driver "
		 "(vfio_pci_fill_ids() reads the ids and ignores what follows), so the "
		 "device gets vfio-pci itself; %s", kl, f->key, wl, f->word, kl, f->key, fix);
}

const char *lint_text(const struct lint_finding *f, char *buf, size_t size)
{
	int kl = (int)f->key_len, wl = (int)f->word_len;

	switch (f->kind) {
	case LINT_UNKNOWN_KEY:
		snprintf(buf, size, "%.*s: no vfio module and not vfio-early reads a "
			 "parameter of this name%s%s%s", kl, f->key,
			 f->hint ? "; did you mean " : " (see vfio-early(8))",
			 f->hint ? f->hint : "", f->hint ? "?" : "");
		break;
	case LINT_NO_VALUE:
		if (f->word)
			snprintf(buf, size, "%.*s takes a value and has none: '%.*s' after it is "
				 "a word of its own; write %.*s=%.*s (one word)", kl, f->key,
				 wl, f->word, kl, f->key, wl, f->word);
		else
			snprintf(buf, size, "%.*s takes a value and has none: write %.*s=VALUE",
				 kl, f->key, kl, f->key);
		break;
	case LINT_KID_ADDRESS:
		snprintf(buf, size, "%.*s=%.*s: %.*s takes vendor:device ids, not a PCI "
			 "address, so the kernel binds no device by it; write vfio.ids=%.*s "
			 "(vfio-early binds by address)", kl, f->key, wl, f->word, kl, f->key,
			 wl, f->word);
		break;
	case LINT_LIST_SPACE:
		lint_space_text(f, buf, size);
		break;
	case LINT_KID_REPEATED:
		snprintf(buf, size, "%.*s= is given %u times: the kernel keeps only the last "
			 "(kernel/params.c parse_args() sets the parameter once per "
			 "occurrence); merge them into one (kcmdline add merges lists)", kl,
			 f->key, f->count);
		break;
	case LINT_BAD_DRIVER:
		lint_driver_text(f, buf, size);
		break;
	case LINT_KID_DRIVER:
		lint_kid_driver_text(f, buf, size);
		break;
	default:
		snprintf(buf, size, "?");
	}
	return buf;
}
