// SPDX-License-Identifier: MIT
/*
 * vfio-early template: what a VM manager needs for the devices on vfio-pci
 * (or a vfio-pci variant driver) whose IOMMU group a VM can use: libvirt
 * <hostdev> elements, Proxmox VE hostpciN lines, OpenNebula PCI = [ ... ]
 * blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "pciids.h"
#include "print.h"
#include "sysfs.h"

enum tpl_format { TPL_ALL, TPL_LIBVIRT, TPL_PROXMOX, TPL_OPENNEBULA, TPL_NFORMATS };

static const char *const tpl_format_names[TPL_NFORMATS] = {
	[TPL_ALL] = "all",
	[TPL_LIBVIRT] = "libvirt",
	[TPL_PROXMOX] = "proxmox",
	[TPL_OPENNEBULA] = "opennebula",
};

/* The section headers of --format all; each form alone prints none, so that
 * its output can be pasted as it is. */
static const char *const tpl_headers[TPL_NFORMATS] = {
	[TPL_LIBVIRT] =
	"# libvirt: virsh edit VM, inside <devices>. managed='no' says the host owns\n"
	"# the binding: libvirt neither detaches nor reattaches the device, and after\n"
	"# a boot with rd.vfio=0 the VM fails to start (\"Unmanaged PCI device ... must\n"
	"# be manually detached from the host\") instead of taking a device the host\n"
	"# is using. managed='yes' works too: libvirt leaves a device it found on\n"
	"# vfio-pci where it is.\n",
	[TPL_PROXMOX] =
	"# Proxmox VE: /etc/pve/qemu-server/VMID.conf, or qm set VMID --hostpciN ...;\n"
	"# DDDD:BB:DD without a function passes every function of the slot (\"All\n"
	"# Functions\"), used when all of them are on vfio-pci.\n",
	[TPL_OPENNEBULA] =
	"# OpenNebula: the VM template; template --address selects by address.\n",
};

struct tpl_ctx {
	const struct pci_list *l;
	const int *take;		/* per device: 1 to hand over */
	const struct pci_name *names;
	int by_address;
};

static int tpl_parse_format(const char *s, enum tpl_format *f)
{
	*f = TPL_ALL;
	if (!s)
		return 0;
	for (int i = 0; i < TPL_NFORMATS; i++)
		if (!strcmp(s, tpl_format_names[i])) {
			*f = (enum tpl_format)i;
			return 0;
		}
	log_err("template: unknown --format '%s' (libvirt, proxmox, opennebula or all)", s);
	return -1;
}

/* libvirt's domain XML: a PCI <hostdev>, its host address in <source>
 * (docs/formatdomain.rst, "Host device assignment"). */
static void tpl_libvirt(const struct tpl_ctx *t)
{
	char type[16], group[12];

	for (size_t i = 0; i < t->l->n; i++) {
		const struct pci_dev *d = &t->l->dev[i];

		if (!t->take[i])
			continue;
		pci_type(d, type, sizeof(type));
		pr("<!-- %s %s, IOMMU group %s -->\n", d->addr, type,
		   cmd_group(d, group, sizeof(group)));
		pr("<hostdev mode='subsystem' type='pci' managed='no'>\n  <source>\n"
		   "    <address domain='0x%04x' bus='0x%02x' slot='0x%02x' function='0x%x'/>\n"
		   "  </source>\n</hostdev>\n", d->dom, d->bus, d->slot, d->fn);
	}
}

static int tpl_is_vf(const struct pci_dev *d)
{
	char path[SYSFS_DEV_PATH_MAX];

	return sysfs_dev_path(path, sizeof(path), d->addr, "physfn") >= 0 && sysfs_exists(path);
}

/* Proxmox passes a slot without a function as one multifunction device, every
 * function of it (pve-docs qm-pci-passthrough.adoc; qemu-server binds each
 * to vfio-pci): only when every function there is handed over, and never for
 * SR-IOV VFs, which are separate devices that merely share a slot number. */
static int tpl_whole_slot(const struct tpl_ctx *t, const struct pci_dev *d)
{
	int functions = 0;

	for (size_t i = 0; i < t->l->n; i++) {
		const struct pci_dev *m = &t->l->dev[i];

		if (!pci_same_slot(m, d))
			continue;
		if (!t->take[i] || tpl_is_vf(m))
			return 0;
		functions++;
	}
	return functions > 1;
}

/* qm.conf(5) hostpci[n]: [host=]HOSTPCIID, [DDDD:]BB:DD[.F]. */
static void tpl_proxmox(const struct tpl_ctx *t)
{
	const struct pci_dev *last = NULL;
	char id[PCI_ADDR_MAX + 1];
	int n = 0;

	for (size_t i = 0; i < t->l->n; i++) {
		const struct pci_dev *d = &t->l->dev[i];
		int whole;

		if (!t->take[i])
			continue;
		whole = tpl_whole_slot(t, d);
		if (whole && last && pci_same_slot(last, d))
			continue;
		memcpy(id, d->addr, sizeof(id));
		if (whole)
			id[strlen(id) - 2] = '\0';	/* "DDDD:BB:DD.F" -> "DDDD:BB:DD" */
		pr("hostpci%d: %s\n", n++, id);
		last = d;
	}
}

static void tpl_nebula_block(const struct pci_dev *d, const char *name, int by_address)
{
	char group[12], sel[CMD_PINNED_SIZE];

	pr("# %s%s%s, IOMMU group %s\n", d->addr, name[0] ? " " : "", name,
	   cmd_group(d, group, sizeof(group)));
	pr("# on the kernel command line: vfio.ids=%s\n", cmd_pinned(d, sel, sizeof(sel)));
	if (by_address)
		pr("PCI = [\n  SHORT_ADDRESS = \"%s\"\n]\n", d->addr + 5);
	else
		pr("PCI = [\n  VENDOR = \"%04x\",\n  DEVICE = \"%04x\",\n  CLASS = \"%04x\"\n]\n",
		   d->vendor & 0xffff, d->device & 0xffff, (d->class >> 8) & 0xffff);
}

/* OpenNebula's PCI = [ VENDOR, DEVICE, CLASS ] or [ SHORT_ADDRESS ]. */
static void tpl_opennebula(const struct tpl_ctx *t)
{
	int count = 0;

	for (size_t i = 0; i < t->l->n; i++) {
		const struct pci_dev *d = &t->l->dev[i];

		if (!t->take[i])
			continue;
		if (t->by_address && d->dom) {
			pr_flush();
			log_warn("%s: SHORT_ADDRESS has no PCI domain; use the VENDOR/DEVICE block",
				 d->addr);
		}
		if (count++)
			pr_str("\n");
		tpl_nebula_block(d, t->names ? t->names[i].s : "", t->by_address && !d->dom);
	}
}

/* Marks the devices to hand over; warns about each one on vfio whose group
 * a VM cannot use. Returns how many are marked, *left_out the others. */
static int tpl_select(const struct pci_list *l, int *take, int *left_out)
{
	struct cmd_group_why w;
	int count = 0;

	*left_out = 0;
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!cmd_on_vfio(d))
			continue;
		if (!cmd_group_usable(l, d->group, &w)) {
			log_warn("%s: group %d not usable: %s (%s); left out", d->addr, d->group,
				 w.who, w.fix);
			(*left_out)++;
			continue;
		}
		take[i] = 1;
		count++;
	}
	return count;
}

static void tpl_print(const struct tpl_ctx *t, enum tpl_format f)
{
	static void (*const print[TPL_NFORMATS])(const struct tpl_ctx *) = {
		[TPL_LIBVIRT] = tpl_libvirt,
		[TPL_PROXMOX] = tpl_proxmox,
		[TPL_OPENNEBULA] = tpl_opennebula,
	};

	if (f != TPL_ALL) {
		print[f](t);
		return;
	}
	for (int i = TPL_LIBVIRT; i < TPL_NFORMATS; i++) {
		pr_str(i == TPL_LIBVIRT ? "" : "\n");
		pr_str(tpl_headers[i]);
		print[i](t);
	}
}

int cmd_template(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	struct tpl_ctx t = { .l = &l, .by_address = x->address };
	enum tpl_format f;
	int count, left_out, *take;

	if (tpl_parse_format(x->format, &f))
		return CMD_USAGE;
	if (cmd_scan(&l) < 0)
		return CMD_ATTENTION;
	take = calloc(l.n ? l.n : 1, sizeof(*take));
	if (!take) {
		pci_free(&l);
		return CMD_ATTENTION;
	}
	pr_flush();
	count = tpl_select(&l, take, &left_out);
	t.take = take;
	t.names = count ? cmd_list_names(x, &l) : NULL;
	if (count)
		tpl_print(&t, f);
	pr_flush();
	if (!count && !left_out)
		log_warn("no device is on vfio-pci: nothing to pass through");
	free((void *)t.names);
	free(take);
	pci_free(&l);
	return count && !left_out ? CMD_OK : CMD_ATTENTION;
}
