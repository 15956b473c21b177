// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "hex.h"
#include "pci.h"
#include "sysfs.h"
#include "variant.h"

static const char *const reason_names[] = {
	[REASON_NONE] = "",
	[REASON_NOT_SELECTED] = "not-selected",
	[REASON_BRIDGE] = "bridge",
	[REASON_BOOT_VGA] = "boot-vga",
	[REASON_MASS_STORAGE] = "mass-storage",
	[REASON_NO_IOMMU] = "no-iommu",
	[REASON_NO_IOMMU_GROUP] = "no-iommu-group",
	[REASON_PIN_MISMATCH] = "pinned-id-mismatch",
	[REASON_GROUP_CONFLICT] = "group-conflict",
	[REASON_GROUP_UNUSABLE] = "group-unusable",
};

const char *pci_reason_name(enum pci_reason r)
{
	return (size_t)r < sizeof(reason_names) / sizeof(reason_names[0]) ? reason_names[r] : "?";
}

/* The kernel prints the domain as "%04x" of an int: four digits, more
 * (never with a leading zero) only for domains past ffff. */
int pci_parse_addr(const char *s, size_t len, unsigned *dom, unsigned *bus,
		   unsigned *slot, unsigned *fn)
{
	size_t dl = len > 8 ? len - 8 : 0;	/* "BB:DD.F" plus the ':' */

	if (len < PCI_ADDR_LEN || len > PCI_ADDR_MAX || (dl > 4 && s[0] == '0'))
		return -EINVAL;
	if (s[dl] != ':' || s[dl + 3] != ':' || s[dl + 6] != '.')
		return -EINVAL;
	if (hex_parse(s, dl, dom) || hex_parse(s + dl + 1, 2, bus) ||
	    hex_parse(s + dl + 4, 2, slot) || hex_parse(s + dl + 7, 1, fn))
		return -EINVAL;
	if (*slot > 0x1f || *fn > 7)
		return -EINVAL;
	return 0;
}

static int attr_hex(const char *addr, const char *attr, unsigned *out)
{
	char path[SYSFS_DEV_PATH_MAX];
	unsigned long v;
	int r;

	if (sysfs_dev_path(path, sizeof(path), addr, attr))
		return -ENAMETOOLONG;
	r = sysfs_read_hex(path, &v);
	if (r == 0)
		*out = v;
	return r;
}

static int attr_exists(const char *addr, const char *attr)
{
	char path[SYSFS_DEV_PATH_MAX];

	return !sysfs_dev_path(path, sizeof(path), addr, attr) && sysfs_exists(path);
}

static int read_group(const char *addr)
{
	char path[SYSFS_DEV_PATH_MAX], name[32];
	unsigned g;

	if (sysfs_dev_path(path, sizeof(path), addr, "iommu_group") ||
	    sysfs_link_name(path, name, sizeof(name)) < 0 || dec_parse(name, strlen(name), &g))
		return -1;
	return (int)g;
}

/* boot_vga (VGA classes 0300 and 0001) or boot_display (any class, newer
 * kernels): either one at 1 marks the boot display, whatever the class. */
static int read_boot_vga(const char *addr)
{
	static const char *const attrs[] = { "boot_vga", "boot_display" };
	unsigned v;

	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++)
		if (attr_hex(addr, attrs[i], &v) == 0 && v)
			return 1;
	return 0;
}

int pci_read_driver(struct pci_dev *d)
{
	char path[SYSFS_DEV_PATH_MAX];
	int r;

	if (sysfs_dev_path(path, sizeof(path), d->addr, "driver"))
		return -ENAMETOOLONG;
	r = sysfs_link_name(path, d->driver, sizeof(d->driver));
	if (r == 0)
		return 0;
	d->driver[0] = '\0';
	sysfs_dev_path(path, sizeof(path), d->addr, NULL);
	return sysfs_exists(path) ? 0 : -ENOENT;
}

/* The PF's virtfnN links (drivers/pci/iov.c, pci_iov_sysfs_link()) name its
 * VFs: one readlink per VF, and only for a PF a VF selector names. */
int pci_tag_vfs(struct pci_list *l, const struct pci_dev *pf)
{
	char path[SYSFS_DEV_PATH_MAX], name[PCI_ADDR_MAX + 1];
	int n = 0;

	for (int k = 0; k < 65535; k++) {
		fmt(path, sizeof(path), SYSFS_DEVICES "/%s/virtfn%d", pf->addr, k);
		if (sysfs_link_name(path, name, sizeof(name)) < 0)
			break;
		for (size_t i = 0; i < l->n; i++)
			if (!strcmp(l->dev[i].addr, name)) {
				l->dev[i].pf = pf;
				l->dev[i].vf = k;
				n++;
			}
	}
	return n;
}

/* "A[:B]" in hex, up to the end of the line. */
static int hex_pair(const char *p, size_t n, unsigned *a, unsigned *b)
{
	const char *colon = b ? memchr(p, ':', n) : NULL;

	if (b && (!colon || hex_parse(colon + 1, p + n - colon - 1, b)))
		return -EINVAL;
	return hex_parse(p, colon ? (size_t)(colon - p) : n, a);
}

static int starts(const char *line, size_t n, const char *key, size_t klen)
{
	return n > klen && !memcmp(line, key, klen);
}

/* One pass over "KEY=value" lines; 0 when ids and class were all there. */
static int parse_uevent(const char *text, struct pci_dev *d)
{
	int found = 0;

	d->driver[0] = '\0';
	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t n = nl ? (size_t)(nl - text) : strlen(text);

		if (starts(text, n, "PCI_ID=", 7))
			found += !hex_pair(text + 7, n - 7, &d->vendor, &d->device);
		else if (starts(text, n, "PCI_CLASS=", 10))
			found += !hex_pair(text + 10, n - 10, &d->class, NULL);
		else if (starts(text, n, "PCI_SUBSYS_ID=", 14))
			found += !hex_pair(text + 14, n - 14, &d->subvendor, &d->subdevice);
		else if (starts(text, n, "DRIVER=", 7) && n - 7 < sizeof(d->driver)) {
			memcpy(d->driver, text + 7, n - 7);
			d->driver[n - 7] = '\0';
		}
		text += n + (text[n] == '\n');
	}
	return found == 3 ? 0 : -ENOENT;
}

/* One read gives ids, class and driver: a third of the syscalls of the
 * single attributes, which stay as the fallback. */
static int read_uevent(struct pci_dev *d)
{
	char path[SYSFS_DEV_PATH_MAX], text[512];

	if (sysfs_dev_path(path, sizeof(path), d->addr, "uevent") ||
	    sysfs_read(path, text, sizeof(text)) <= 0)
		return -ENOENT;
	return parse_uevent(text, d);
}

static int read_attrs(struct pci_dev *d)
{
	if (attr_hex(d->addr, "vendor", &d->vendor) || attr_hex(d->addr, "device", &d->device) ||
	    attr_hex(d->addr, "class", &d->class))
		return -ENOENT;
	d->subvendor = d->subdevice = PCI_ANY;
	attr_hex(d->addr, "subsystem_vendor", &d->subvendor);
	attr_hex(d->addr, "subsystem_device", &d->subdevice);
	pci_read_driver(d);
	return 0;
}

static int read_dev(struct pci_dev *d)
{
	if (read_uevent(d) && read_attrs(d))
		return -ENOENT;
	d->group = read_group(d->addr);
	d->boot_vga = read_boot_vga(d->addr);
	/* pci-sysfs.c shows secondary_bus_number only when pci_is_bridge() */
	d->bridge = attr_exists(d->addr, "secondary_bus_number");
	return 0;
}

struct name {
	char s[PCI_ADDR_MAX + 1];
	unsigned dom, bus, slot, fn;
};

/* The kernel's order: by domain, bus, slot, function (a longer name has a
 * wider domain, never a leading zero past 4 digits). */
static unsigned long long addr_key(const struct name *a)
{
	return (unsigned long long)a->dom << 16 | a->bus << 8 | a->slot << 3 | a->fn;
}

/* Valid PCI addresses only: no path is ever built from anything else.
 * Each name goes in its sorted place: sysfs lists them in hash order. */
static int read_names(struct name **out, size_t *count)
{
	DIR *dir = sysfs_opendir(SYSFS_DEVICES);
	struct name *v = NULL, *grown;
	size_t n = 0, cap = 0, at;
	struct dirent *de;
	struct name one;
	size_t len;

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		len = strlen(de->d_name);
		if (pci_parse_addr(de->d_name, len, &one.dom, &one.bus, &one.slot, &one.fn))
			continue;
		memcpy(one.s, de->d_name, len + 1);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				break;
			v = grown;
		}
		for (at = n++; at && addr_key(&v[at - 1]) > addr_key(&one); at--)
			v[at] = v[at - 1];
		v[at] = one;
	}
	closedir(dir);
	*out = v;
	*count = n;
	return 0;
}

int pci_scan(struct pci_list *l)
{
	struct name *names = NULL;
	size_t n = 0;
	int r = read_names(&names, &n);

	l->dev = NULL;
	l->n = 0;
	if (r < 0)
		return r;
	l->dev = calloc(n ? n : 1, sizeof(*l->dev));
	for (size_t i = 0; l->dev && i < n; i++) {
		struct pci_dev *d = &l->dev[l->n];

		memcpy(d->addr, names[i].s, sizeof(names[i].s));
		d->dom = names[i].dom, d->bus = names[i].bus;
		d->slot = names[i].slot, d->fn = names[i].fn;
		if (read_dev(d) == 0)
			l->n++;
	}
	free(names);
	return l->dev ? 0 : -ENOMEM;
}

void pci_free(struct pci_list *l)
{
	free(l->dev);
	l->dev = NULL;
	l->n = 0;
}

int pci_is_bridge(const struct pci_dev *d)
{
	return d->bridge;
}

int pci_is_bridge_class(const struct pci_dev *d)
{
	return (d->class >> 16) == 0x06;
}

/* drivers/vfio/pci/: vfio-pci and the variant drivers (variant.c);
 * drivers/pci/pci-stub.c; drivers/pci/pcie/portdrv.c. */
int pci_driver_manages_dma(const char *driver)
{
	return variant_is_vfio(driver) || !strcmp(driver, "pci-stub") ||
	       !strcmp(driver, "pcieport");
}

int pci_is_storage(const struct pci_dev *d)
{
	return (d->class >> 16) == 0x01;
}

int pci_same_slot(const struct pci_dev *a, const struct pci_dev *b)
{
	return a->dom == b->dom && a->bus == b->bus && a->slot == b->slot;
}

void pci_type(const struct pci_dev *d, char *buf, size_t size)
{
	fmt(buf, size, "%04x:%04x:%04x", d->vendor & 0xffff, d->device & 0xffff,
		 (d->class >> 8) & 0xffff);
}
