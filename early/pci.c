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

#define DEVICES "sys/bus/pci/devices"

int pci_parse_addr(const char *s, size_t len, unsigned *dom, unsigned *bus,
		   unsigned *slot, unsigned *fn)
{
	if (len != PCI_ADDR_LEN || s[4] != ':' || s[7] != ':' || s[10] != '.')
		return -EINVAL;
	if (hex_parse(s, 4, dom) || hex_parse(s + 5, 2, bus) ||
	    hex_parse(s + 8, 2, slot) || hex_parse(s + 11, 1, fn))
		return -EINVAL;
	if (*slot > 0x1f || *fn > 7)
		return -EINVAL;
	return 0;
}

static int attr_hex(const char *addr, const char *attr, unsigned *out)
{
	char path[96];
	unsigned long v;
	int r;

	fmt(path, sizeof(path), DEVICES "/%s/%s", addr, attr);
	r = sysfs_read_hex(path, &v);
	if (r == 0)
		*out = v;
	return r;
}

static int read_group(const char *addr)
{
	char path[96], name[32];
	unsigned g;

	fmt(path, sizeof(path), DEVICES "/%s/iommu_group", addr);
	if (sysfs_link_name(path, name, sizeof(name)) < 0 || dec_parse(name, strlen(name), &g))
		return -1;
	return (int)g;
}

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
	char path[96];
	int r;

	fmt(path, sizeof(path), DEVICES "/%s/driver", d->addr);
	r = sysfs_link_name(path, d->driver, sizeof(d->driver));
	if (r == 0)
		return 0;
	d->driver[0] = '\0';
	fmt(path, sizeof(path), DEVICES "/%s", d->addr);
	return sysfs_exists(path) ? 0 : -ENOENT;
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
	char path[96], text[512];

	fmt(path, sizeof(path), DEVICES "/%s/uevent", d->addr);
	if (sysfs_read(path, text, sizeof(text)) <= 0)
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
	d->boot_vga = (d->class >> 16) == 0x03 && read_boot_vga(d->addr);
	return 0;
}

struct name {
	char s[PCI_ADDR_LEN + 1];
};

static int by_name(const void *a, const void *b)
{
	return memcmp(((const struct name *)a)->s, ((const struct name *)b)->s, PCI_ADDR_LEN);
}

/* Valid PCI addresses only: no path is ever built from anything else. */
static int read_names(struct name **out, size_t *count)
{
	DIR *dir = sysfs_opendir(DEVICES);
	struct name *v = NULL, *grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	unsigned x;

	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (pci_parse_addr(de->d_name, strlen(de->d_name), &x, &x, &x, &x))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown)
				break;
			v = grown;
		}
		memcpy(v[n++].s, de->d_name, PCI_ADDR_LEN + 1);
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
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	l->dev = calloc(n ? n : 1, sizeof(*l->dev));
	for (size_t i = 0; l->dev && i < n; i++) {
		struct pci_dev *d = &l->dev[l->n];

		memcpy(d->addr, names[i].s, sizeof(names[i].s));
		pci_parse_addr(d->addr, PCI_ADDR_LEN, &d->dom, &d->bus, &d->slot, &d->fn);
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
	return (d->class >> 16) == 0x06;
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
