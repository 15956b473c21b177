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

static int read_dev(struct pci_dev *d, int want_subsys)
{
	if (attr_hex(d->addr, "vendor", &d->vendor) || attr_hex(d->addr, "device", &d->device) ||
	    attr_hex(d->addr, "class", &d->class))
		return -ENOENT;
	d->subvendor = d->subdevice = PCI_ANY;
	if (want_subsys) {
		attr_hex(d->addr, "subsystem_vendor", &d->subvendor);
		attr_hex(d->addr, "subsystem_device", &d->subdevice);
	}
	d->group = read_group(d->addr);
	d->boot_vga = (d->class >> 16) == 0x03 && read_boot_vga(d->addr);
	pci_read_driver(d);
	return 0;
}

static int by_addr(const void *a, const void *b)
{
	return strcmp(((const struct pci_dev *)a)->addr, ((const struct pci_dev *)b)->addr);
}

static int add_entry(struct pci_list *l, size_t *cap, const char *name, int want_subsys)
{
	struct pci_dev *d;

	if (l->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct pci_dev *grown = realloc(l->dev, ncap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		l->dev = grown;
		*cap = ncap;
	}
	d = &l->dev[l->n];
	memset(d, 0, sizeof(*d));
	if (pci_parse_addr(name, strlen(name), &d->dom, &d->bus, &d->slot, &d->fn))
		return 0;	/* not a PCI address: never build a path from it */
	memcpy(d->addr, name, PCI_ADDR_LEN + 1);
	if (read_dev(d, want_subsys) == 0)
		l->n++;
	return 0;
}

int pci_scan(struct pci_list *l, int want_subsys)
{
	struct dirent *de;
	size_t cap = 0;
	DIR *dir;
	int r = 0;

	l->dev = NULL;
	l->n = 0;
	dir = sysfs_opendir(DEVICES);
	if (!dir)
		return -errno;
	while (r == 0 && (de = readdir(dir)))
		r = add_entry(l, &cap, de->d_name, want_subsys);
	closedir(dir);
	if (l->n)
		qsort(l->dev, l->n, sizeof(*l->dev), by_addr);
	return r;
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
