// SPDX-License-Identifier: MIT
/* vfio-early check: what each selected device brings to a VM (reset, firmware framebuffer). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "finding.h"
#include "fmt.h"
#include "plan.h"
#include "sysfs.h"

#define IORESOURCE_MEM 0x00000200ull	/* include/linux/ioport.h */
#define BARS_MAX 17			/* the lines of sysfs "resource" */

struct range {
	unsigned long long start, end;
};

/* A firmware framebuffer's name in /proc/iomem, and the parameter that keeps it off. */
static const struct {
	const char *name, *fix;
} fbs[] = {
	{ "efifb", "kcmdline add video=efifb:off (or initcall_blacklist=sysfb_init)" },
	{ "vesafb", "kcmdline add video=vesafb:off (or initcall_blacklist=sysfb_init)" },
	{ "simpledrm", "kcmdline add initcall_blacklist=sysfb_init" },
	{ "simplefb", "kcmdline add initcall_blacklist=sysfb_init" },
	{ "simple-framebuffer", "kcmdline add initcall_blacklist=sysfb_init" },
	{ "BOOTFB", "kcmdline add initcall_blacklist=sysfb_init" },
};

#define NFBS (sizeof(fbs) / sizeof(fbs[0]))

static char *dev_attr(const struct pci_dev *d, const char *attr)
{
	char rel[SYSFS_DEV_PATH_MAX], *text;
	size_t len;

	if (sysfs_dev_path(rel, sizeof(rel), d->addr, attr))
		return NULL;
	return sysfs_slurp(rel, CMD_FILE_MAX, &text, &len) < 0 ? NULL : text;
}

/* reset_method lists the resets the kernel found (drivers/pci/pci.c); it is
 * hidden when there is none, and empty when all were switched off. */
static void check_reset(const struct pci_dev *d)
{
	char *m = dev_attr(d, "reset_method");
	size_t n = m ? strcspn(m, "\n") : 0;

	if (n) {
		m[n] = '\0';
		check_finding(V_PASS, "reset", NULL, "%s resets by: %s", d->addr, m);
	} else {
		check_finding(V_WARN, "reset", "a VM may not start twice with it; a device with "
			      "FLR, or alone on its bus (bus reset), avoids this",
			      "%s cannot be reset: no reset_method (the kernel found no "
			      "reset for it)", d->addr);
	}
	free(m);
}

/* The memory BARs of the sysfs "resource" file: "0xSTART 0xEND 0xFLAGS" lines. */
static size_t memory_bars(const struct pci_dev *d, struct range *bars)
{
	char *text = dev_attr(d, "resource"), *p = text, *e;
	size_t n = 0;

	while (p && *p && n < BARS_MAX) {
		unsigned long long start = strtoull(p, &e, 16), end = strtoull(e, &e, 16);
		unsigned long long flags = strtoull(e, &e, 16);

		if ((flags & IORESOURCE_MEM) && end > start) {
			bars[n].start = start;
			bars[n].end = end;
			n++;
		}
		p = strchr(e, '\n');
		p = p ? p + 1 : NULL;
	}
	free(text);
	return n;
}

/* fmt() has no %llx. */
static const char *hex64(char *buf, unsigned long long v)
{
	char *p = buf + 16;

	*p = '\0';
	do
		*--p = "0123456789abcdef"[v & 15];
	while (v >>= 4);
	return p;
}

static int fb_index(const char *name, size_t len)
{
	for (size_t i = 0; i < NFBS; i++)
		if (strlen(fbs[i].name) == len && !memcmp(name, fbs[i].name, len))
			return (int)i;
	return -1;
}

static const struct range *overlap(const struct range *r, const struct range *bars, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (r->start <= bars[i].end && bars[i].start <= r->end)
			return &bars[i];
	return NULL;
}

/* "  START-END : NAME" lines of /proc/iomem that are firmware framebuffers
 * inside one of the device's BARs; 1 when one was reported, -1 when a
 * framebuffer's addresses are hidden (zeros: not root), else 0. */
static int report_fbs(const struct pci_dev *d, const char *iomem, const struct range *bars,
		      size_t nbars)
{
	int found = 0;

	for (const char *p = iomem; p && *p;) {
		const char *eol = strchr(p, '\n'), *name;
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		struct range r;
		const struct range *bar;
		char *e;
		int k;

		r.start = strtoull(p, &e, 16);
		r.end = *e == '-' ? strtoull(e + 1, &e, 16) : 0;
		name = strstr(e, " : ");
		k = name && name < p + len ? fb_index(name + 3, (size_t)(p + len - name - 3)) : -1;
		bar = k >= 0 && r.end > r.start ? overlap(&r, bars, nbars) : NULL;
		if (k >= 0 && !r.start && !r.end && !found)
			found = -1;
		if (bar) {
			char a[17], b[17], c[17], z[17];

			check_finding(V_WARN, "framebuffer", fbs[k].fix,
				      "%s: %s holds %s-%s inside its BAR %s-%s: the firmware "
				      "console still uses the card", d->addr, fbs[k].name,
				      hex64(a, r.start), hex64(b, r.end), hex64(c, bar->start),
				      hex64(z, bar->end));
			found = 1;
		}
		p = eol ? eol + 1 : NULL;
	}
	return found;
}

static void check_framebuffer(const struct pci_dev *d, const char *iomem)
{
	struct range bars[BARS_MAX];
	size_t n = memory_bars(d, bars);
	int r = iomem && n ? report_fbs(d, iomem, bars, n) : -1;

	if (r < 0)
		check_finding(V_WARN, "framebuffer", "run vfio-early check as root",
			      "%s: cannot compare its BARs with /proc/iomem (addresses hidden "
			      "or unreadable)", d->addr);
	else if (!r)
		check_finding(V_PASS, "framebuffer", NULL,
			      "%s: no firmware framebuffer on its memory", d->addr);
}

void check_devices(const struct pci_list *l)
{
	char *iomem = NULL;
	size_t len;

	if (sysfs_slurp("proc/iomem", CMD_FILE_MAX, &iomem, &len) < 0)
		iomem = NULL;
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (d->action != ACT_BIND)
			continue;
		check_reset(d);
		if ((d->class >> 16) == 0x03)
			check_framebuffer(d, iomem);
	}
	free(iomem);
}
