// SPDX-License-Identifier: MIT
#include <errno.h>
#include <string.h>

#include "fmt.h"
#include "log.h"
#include "select.h"
#include "sysfs.h"
#include "variant.h"

#define ALIAS_PREFIX "alias vfio_pci:"

static const char *const why_names[] = {
	[VFIO_WHY_NONE] = "-",
	[VFIO_WHY_GENERIC] = "no-variant",
	[VFIO_WHY_ALIAS] = "alias",
	[VFIO_WHY_SELECTOR] = "selector",
	[VFIO_WHY_OFF] = "rd.vfio.variant=0",
	[VFIO_WHY_FALLBACK] = "variant-unavailable",
};

const char *variant_why_name(enum vfio_why w)
{
	return why_names[w];
}

void variant_modalias(const struct pci_dev *d, char *buf, size_t size)
{
	fmt(buf, size, "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X", d->vendor, d->device,
	    d->subvendor, d->subdevice, (d->class >> 16) & 0xff, (d->class >> 8) & 0xff,
	    d->class & 0xff);
}

/* The glob of modules.alias (file2alias.c writes only '*' into PCI
 * patterns): p[0..pn) against s. */
static int glob(const char *p, size_t pn, const char *s)
{
	const char *star = NULL, *resume = s;
	size_t i = 0, star_i = 0;

	while (*s) {
		if (i < pn && p[i] == '*') {
			star = s;
			star_i = ++i;
			resume = s;
		} else if (i < pn && p[i] == *s) {
			i++;
			s++;
		} else if (star) {
			i = star_i;
			s = ++resume;
		} else {
			return 0;
		}
	}
	while (i < pn && p[i] == '*')
		i++;
	return i == pn;
}

static void copy_field(char *dst, size_t size, const char *src, size_t n)
{
	if (!dst || !size)
		return;
	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static size_t wildcards(const char *p, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		w += p[i] == '*';
	return w;
}

/* One "alias vfio_pci:PATTERN MODULE" line of n bytes: *pat at the
 * pattern's "pci:" (as a device's modalias starts), *mod at the module;
 * -EINVAL for any other line, or one without a module. */
static int alias_line(const char *line, size_t n, const char **pat, size_t *pn,
		      const char **mod)
{
	size_t k = sizeof(ALIAS_PREFIX) - 1;
	const char *sp;

	if (n <= k || memcmp(line, ALIAS_PREFIX, k))
		return -EINVAL;
	*pat = line + k - 4;
	sp = memchr(*pat, ' ', (size_t)(line + n - *pat));
	if (!sp || sp + 1 == line + n)
		return -EINVAL;
	*pn = (size_t)(sp - *pat);
	*mod = sp + 1;
	return 0;
}

int variant_best(const char *text, size_t len, const char *modalias, char *module, size_t size,
		 char *pattern, size_t psize)
{
	size_t best = (size_t)-1, pn, w;
	const char *end = text + len, *pat, *mod;

	if (strncmp(modalias, "pci:", 4))
		return -ENOENT;
	for (const char *line = text; line < end;) {
		const char *eol = line;

		while (eol < end && *eol != '\n' && *eol)
			eol++;
		if (!alias_line(line, (size_t)(eol - line), &pat, &pn, &mod) &&
		    glob(pat, pn, modalias)) {
			w = wildcards(pat, pn);
			if (w < best) {
				best = w;
				copy_field(module, size, mod, (size_t)(eol - mod));
				/* "vfio_pci:...", as modules.alias writes it */
				copy_field(pattern, psize, pat - 5, pn + 5);
			}
		}
		line = eol + 1;
	}
	return best == (size_t)-1 ? -ENOENT : 0;
}

int variant_driver(const char *module, char *driver, size_t size)
{
	char path[96];
	struct dirent *e;
	DIR *dir;
	int r = -ENOENT;

	fmt(path, sizeof(path), "sys/module/%s/drivers", module);
	dir = sysfs_opendir(path);
	if (!dir)
		return -ENOENT;
	while (r && (e = readdir(dir)))
		if (!strncmp(e->d_name, "pci:", 4) && strlen(e->d_name + 4) < size) {
			strcpy(driver, e->d_name + 4);
			r = 0;
		}
	closedir(dir);
	return r;
}

static int ends_vfio_pci(const char *driver)
{
	size_t n = strlen(driver), i;

	for (i = 0; n >= 8 && i < 8; i++)
		if ((driver[n - 8 + i] == '-' ? '_' : driver[n - 8 + i]) != "vfio_pci"[i])
			break;
	return i == 8;
}

static int holds_vfio_core(const char *driver)
{
	char path[128], module[64];

	fmt(path, sizeof(path), "sys/bus/pci/drivers/%s/module", driver);
	if (sysfs_link_name(path, module, sizeof(module)) < 0)
		return 0;
	fmt(path, sizeof(path), "sys/module/vfio_pci_core/holders/%s", module);
	return sysfs_exists(path);
}

int variant_is_vfio(const char *driver)
{
	if (!driver[0])
		return 0;
	if (ends_vfio_pci(driver))
		return 1;
	return holds_vfio_core(driver);
}

/* The selector's =MODULE binds the device it named, not its group mates. */
static const char *named_module(const struct pci_dev *d)
{
	if (d->origin != ORIGIN_SELECTOR || !d->sel)
		return "";
	return d->sel->module;
}

/* pattern: the winning alias (psize bytes), "" when none. */
static void choose(struct pci_dev *d, int off, const char *aliases, size_t len, char *pattern,
		   size_t psize)
{
	char alias[PCI_ALIAS_MAX];

	pattern[0] = '\0';
	d->vfio_why = VFIO_WHY_GENERIC;
	fmt(d->vfio_module, sizeof(d->vfio_module), "%s", named_module(d));
	if (d->vfio_module[0])
		d->vfio_why = VFIO_WHY_SELECTOR;
	else if (off)
		d->vfio_why = VFIO_WHY_OFF;
	else if (aliases) {
		variant_modalias(d, alias, sizeof(alias));
		if (!variant_best(aliases, len, alias, d->vfio_module, sizeof(d->vfio_module),
				  pattern, psize) &&
		    strcmp(d->vfio_module, VARIANT_GENERIC_MODULE))
			d->vfio_why = VFIO_WHY_ALIAS;
	}
	if (!strcmp(d->vfio_module, VARIANT_GENERIC_MODULE) || d->vfio_why == VFIO_WHY_GENERIC)
		d->vfio_module[0] = '\0';
	strcpy(d->vfio_driver, "vfio-pci");
	if (d->vfio_module[0])
		(void)variant_driver(d->vfio_module, d->vfio_driver, sizeof(d->vfio_driver));
}

void variant_choose_dev(struct pci_dev *d, int off, const char *aliases, size_t len)
{
	char pattern[PCI_ALIAS_MAX];

	choose(d, off, aliases, len, pattern, sizeof(pattern));
}

void variant_choose(struct pci_list *l, int off, const char *aliases, size_t len)
{
	char pattern[PCI_ALIAS_MAX];

	for (size_t i = 0; i < l->n; i++) {
		struct pci_dev *d = &l->dev[i];

		d->vfio_why = VFIO_WHY_NONE;
		d->vfio_module[0] = d->vfio_driver[0] = '\0';
		if (d->action != ACT_BIND)
			continue;
		choose(d, off, aliases, len, pattern, sizeof(pattern));
		if (d->vfio_why == VFIO_WHY_ALIAS)
			log_info("%s: variant %s by its alias %s", d->addr, d->vfio_module, pattern);
	}
}

void variant_describe(const struct pci_dev *d, char *buf, size_t size)
{
	const char *name = "vfio-pci";

	if (d->vfio_module[0] && d->vfio_why != VFIO_WHY_FALLBACK)
		name = strcmp(d->vfio_driver, "vfio-pci") ? d->vfio_driver : d->vfio_module;
	fmt(buf, size, "%s,%s", name, variant_why_name(d->vfio_why));
}

const char *variant_target(const struct pci_dev *d)
{
	return d->vfio_driver[0] ? d->vfio_driver : "vfio-pci";
}
