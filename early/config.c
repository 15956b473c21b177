// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "kcmdline.h"
#include "log.h"

#define MODNAME_MAX 56
/* vfio_pci.c: static char ids[1024], module_param_string(ids, ...) */
#define KID_PARAM_MAX 1023

void config_printable(char *dst, size_t size, const char *src, size_t len)
{
	size_t i;

	if (len > 64)
		len = 64;
	for (i = 0; i < len && i + 1 < size; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

const char *config_group_name(enum group_policy g)
{
	return g == GROUP_ALL ? "all" : g == GROUP_NONE ? "none" : "slot";
}

static int val_is(const struct kcmd_param *p, const char *word)
{
	return p->val && p->val_len == strlen(word) && !memcmp(p->val, word, p->val_len);
}

/* lib/kstrtox.c: only the first character counts, the first two for on/off;
 * t/f and e/d (enabled/disabled) as current kernels take them. */
int config_kstrtobool(const char *s, size_t len)
{
	char c0 = len ? s[0] : '\0', lc = (char)(c0 | 0x20);
	char c1 = len > 1 ? (char)(s[1] | 0x20) : '\0';

	if (c0 == '1' || lc == 'y' || lc == 't' || lc == 'e')
		return 1;
	if (c0 == '0' || lc == 'n' || lc == 'f' || lc == 'd')
		return 0;
	if ((c0 | 0x20) == 'o' && (c1 == 'n' || c1 == 'f'))
		return c1 == 'n';
	return -EINVAL;
}

/*
 * As param_set_bool() (a bare "key" is "1"); 1 only for a clear "on", so a
 * recovery switch (rd.vfio) never fails open and a guard never drops on
 * a typo.
 */
static int clear_on(struct config *c, const struct kcmd_param *p, const char *key,
		    const char *then)
{
	char shown[72];
	int v = p->val ? config_kstrtobool(p->val, p->val_len) : 1;

	if (v < 0) {
		config_printable(shown, sizeof(shown), p->val, p->val_len);
		log_warn("%s='%s' is not 1/0, y/n or on/off: %s", key, shown, then);
		c->bad_values++;
	}
	return v == 1;
}

/* The array's room doubles whenever nsel reaches a power of two (8 at
 * least), so n selectors cost O(n): growing it by one each time copied
 * the whole array per selector with klibc's realloc (quadratic). */
static int sel_full(size_t n)
{
	return n < 8 ? n == 0 : !(n & (n - 1));
}

int config_add_selector(struct config *c, const struct selector *s)
{
	struct selector *grown;

	if (sel_full(c->nsel)) {
		grown = realloc(c->sel, (c->nsel < 8 ? 8 : 2 * c->nsel) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		c->sel = grown;
	}
	c->sel[c->nsel++] = *s;
	return 0;
}

static void reject(struct config *c, const char *key, const char *item, size_t len,
		   const char *why)
{
	char shown[72];

	config_printable(shown, sizeof(shown), item, len);
	log_err("bad selector '%s' in %s: %s; ignored", shown, key, why);
	c->bad++;
}

/* The kernel keeps only the last vfio-pci.ids= it can store: a bare key
 * (no value) or one over its buffer leaves the previous one. */
static int kid_replaces(struct config *c, const struct kcmd_param *p, const char *key)
{
	size_t n = 0;

	if (!p->val || p->val_len > KID_PARAM_MAX) {
		log_err("%s without a value or over %d characters: ignored, as the kernel does",
			key, KID_PARAM_MAX);
		c->bad++;
		return 0;
	}
	for (size_t i = 0; i < c->nsel; i++)
		if (c->sel[i].kind != SEL_KID)
			c->sel[n++] = c->sel[i];
	c->nsel = n;
	return 1;
}

static void parse_selectors(struct config *c, const struct kcmd_param *p, int kid)
{
	const char *cur = p->val, *item, *why = "";
	size_t left = p->val ? p->val_len : 0, len;
	char key[40];
	struct selector s;
	int r;

	config_printable(key, sizeof(key), p->name, p->name_len);
	if (kid && !kid_replaces(c, p, key))
		return;
	if (!kid && (!p->val || !p->val_len)) {
		reject(c, key, "", 0, "empty selector");
		return;
	}
	while (kcmd_next_item(&cur, &left, &item, &len)) {
		if (kid && !len)
			continue;	/* vfio_pci_fill_ids() skips empty entries */
		r = kid ? sel_parse_kid(item, len, &s, &why) : sel_parse(item, len, &s, &why);
		if (r) {
			reject(c, key, item, len, why);
			continue;
		}
		if (config_add_selector(c, &s))
			return;
	}
}

static int modname_ok(const char *s, size_t len)
{
	if (len == 0 || len > MODNAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

static void parse_modules(struct strlist *l, const struct kcmd_param *p)
{
	const char *cur = p->val, *item;
	size_t left = p->val ? p->val_len : 0, len;
	char shown[72], **grown;

	while (kcmd_next_item(&cur, &left, &item, &len)) {
		if (!len)
			continue;
		if (!modname_ok(item, len)) {
			config_printable(shown, sizeof(shown), item, len);
			log_err("bad module name '%s' in rd.driver.*; ignored", shown);
			continue;
		}
		grown = realloc(l->v, (l->n + 1) * sizeof(*grown));
		if (!grown)
			return;
		l->v = grown;
		l->v[l->n] = strndup(item, len);
		if (l->v[l->n])
			l->n++;
	}
}

static void parse_group(struct config *c, const struct kcmd_param *p)
{
	char shown[72];

	enum group_policy g;

	for (g = GROUP_SLOT; g <= GROUP_NONE && !val_is(p, config_group_name(g)); g++)
		;
	if (g <= GROUP_NONE)
		c->group = g;
	else {
		config_printable(shown, sizeof(shown), p->val ? p->val : "", p->val ? p->val_len : 0);
		log_err("bad rd.vfio.group='%s' (want slot, all or none); keeping %s",
			shown, config_group_name(c->group));
		c->bad_values++;
	}
}

/* Out of line: inlined into the loop it cost 64 bytes of the boot path. */
__attribute__((noinline)) static void parse_param(struct config *c, const struct kcmd_param *p)
{
	const char *n = p->name;
	size_t nl = p->name_len;

	if (kcmd_name_eq(n, nl, "vfio.ids") || kcmd_name_eq(n, nl, "rd.vfio.ids"))
		parse_selectors(c, p, 0);
	else if (kcmd_name_eq(n, nl, "vfio-pci.ids"))
		parse_selectors(c, p, 1);
	else if (kcmd_name_eq(n, nl, "rd.vfio"))
		c->disabled = !clear_on(c, p, "rd.vfio", "the early pass is off");
	else if (kcmd_name_eq(n, nl, "rd.vfio.debug"))
		c->debug = clear_on(c, p, "rd.vfio.debug", "no debug log");
	else if (kcmd_name_eq(n, nl, "rd.vfio.boot_vga"))
		c->boot_vga = clear_on(c, p, "rd.vfio.boot_vga", "the boot display stays guarded");
	else if (kcmd_name_eq(n, nl, "rd.vfio.variant"))
		c->variant_off = !clear_on(c, p, "rd.vfio.variant", "vfio-pci for every device");
	else if (kcmd_name_eq(n, nl, "rd.vfio.group"))
		parse_group(c, p);
	else if (kcmd_name_eq(n, nl, "rd.driver.pre"))
		parse_modules(&c->pre, p);
	else if (kcmd_name_eq(n, nl, "rd.driver.blacklist"))
		parse_modules(&c->blacklist, p);
	else if (kcmd_name_eq(n, nl, "rd.driver.post"))
		parse_modules(&c->post, p);
}

int config_parse(struct config *c, const char *line, size_t len)
{
	struct kcmd_iter it;
	struct kcmd_param p;

	memset(c, 0, sizeof(*c));
	c->group = GROUP_SLOT;
	kcmd_iter_init(&it, line, len);
	while (kcmd_next(&it, &p))
		parse_param(c, &p);
	return 0;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

void config_free(struct config *c)
{
	free(c->sel);
	strlist_free(&c->pre);
	strlist_free(&c->blacklist);
	strlist_free(&c->post);
}
