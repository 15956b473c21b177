// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "hex.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "sysfs.h"

int pass_have_iommu(void)
{
	return sysfs_dir_nonempty(SYSFS_IOMMU_GROUPS) > 0;
}

static void hold_pfs(const struct pci_list *l, const struct config *c);

int pass_select(struct pci_list *l, const struct config *c, int *have_iommu, unsigned vfs)
{
	l->dev = NULL;
	l->n = 0;
	*have_iommu = 0;
	if (c->disabled || !c->nsel)
		return 0;
	*have_iommu = pass_have_iommu();
	if (pci_scan(l) < 0)
		log_err("cannot read /sys/bus/pci/devices: %s", log_errstr(errno));
	if (vfs & PASS_TAG)
		pass_vfs(l, c, PASS_TAG);
	if ((vfs & PASS_HOLD) && *have_iommu)
		hold_pfs(l, c);
	plan_build(l, c, *have_iommu);
	return 1;
}

/* drivers/pci/iov.c: sriov_totalvfs_show(), sriov_offset_show() and
 * sriov_stride_show() print "%u\n", sriov_vf_device_show() "%x\n"; no
 * file without an SR-IOV capability (the attribute group is not visible).
 * 0, or -errno (-ERANGE: beyond 16 bits, as the capability's fields). */
enum sriov_base { SRIOV_DEC, SRIOV_HEX };

static int sriov_attr(const struct pci_dev *pf, const char *attr, enum sriov_base base,
		      unsigned *out)
{
	char path[SYSFS_DEV_PATH_MAX], buf[16];
	int r;

	r = sysfs_dev_path(path, sizeof(path), pf->addr, attr);
	if (r)
		return r;
	r = sysfs_read(path, buf, sizeof(buf));
	if (r <= 0)
		return r ? r : -EINVAL;
	r = base == SRIOV_HEX ? hex_parse(buf, strlen(buf), out) : dec_parse(buf, strlen(buf), out);
	if (r)
		return r;
	return *out > 0xffff ? -ERANGE : 0;
}

/* 0 with v filled, or -errno (-ENOENT: pf has no SR-IOV). Without
 * sriov_offset, sriov_stride or sriov_vf_device (older kernels) v is
 * not placed: only PF/vfN selectors and virtfnN links name its VFs. */
static int sriov_geometry(const struct pci_dev *pf, struct sel_vfs *v)
{
	int r = sriov_attr(pf, "sriov_totalvfs", SRIOV_DEC, &v->total);

	v->placed = 0;
	if (r)
		return r;
	r = sriov_attr(pf, "sriov_offset", SRIOV_DEC, &v->offset);
	if (!r)
		r = sriov_attr(pf, "sriov_stride", SRIOV_DEC, &v->stride);
	if (!r)
		r = sriov_attr(pf, "sriov_vf_device", SRIOV_HEX, &v->device);
	v->placed = r == 0;
	return 0;
}

/*
 * pf's VFs in l: its virtfnN links, and by address for a VF whose links are
 * not there yet. pci_iov_add_virtfn() sends the VF's add uevent from
 * pci_device_add() (device_add()) before pci_iov_sysfs_link() makes virtfnN
 * and physfn, so the rule may run for a VF before its links exist; its
 * address (sel_vf_addr) and ids (the PF's vendor, sriov_vf_device) are
 * known from the PF's geometry.
 */
static void tag_vfs(struct pci_list *l, const struct pci_dev *pf, const struct sel_vfs *v)
{
	unsigned bus, slot, fn;

	pci_tag_vfs(l, pf);
	for (unsigned n = 0; v->placed && n < v->total; n++) {
		if (sel_vf_addr(pf, v, n, &bus, &slot, &fn))
			return;
		for (size_t i = 0; i < l->n; i++) {
			struct pci_dev *d = &l->dev[i];

			if (d->pf || d->dom != pf->dom || d->bus != bus || d->slot != slot ||
			    d->fn != fn || d->vendor != pf->vendor || d->device != v->device)
				continue;
			d->pf = pf;
			d->vf = (int)n;
		}
	}
}

/*
 * hold gives the PF sriov_drivers_autoprobe 0, before its VFs exist:
 * pci_device_probe() then refuses every driver for a VF without
 * driver_override (pci_device_can_probe()), so no native VF driver takes
 * one before the udev rule (vfio-early udev) has decided it, whatever
 * module another event loads meanwhile. The flag stays in the PF's struct
 * pci_sriov until the PF is removed. The udev rule holds on the PF's own
 * add event (at the real root's coldplug, or a hotplug) and again on each
 * VF's. The boot pass holds the PFs there are before any PF driver runs
 * (PASS_HOLD), so VFs a PF driver makes in the initrd (max_vfs=) wait, on
 * no driver, for the rule at the real root's coldplug; it does not match
 * VFs itself (they appear after it).
 */
static void hold(const struct pci_dev *pf, const struct selector *s)
{
	char path[SYSFS_DEV_PATH_MAX], flag[8];
	int r;

	r = sysfs_dev_path(path, sizeof(path), pf->addr, "sriov_drivers_autoprobe");
	if (r)
		return;
	if (sysfs_read(path, flag, sizeof(flag)) > 0 && !strcmp(flag, "0"))
		return;		/* held already: by an earlier event, or its VF's */
	r = sysfs_write(path, "0");
	log_msg(r ? PRIO_WARNING : PRIO_NOTICE,
		"%s: sriov_drivers_autoprobe=0: %s (a VF may match selector=%s)", pf->addr,
		r ? log_errstr(r) : "VFs held until the rule decides each", s->text);
}

/* The first selector that may name one of pf's VFs, or NULL. */
static const struct selector *vf_selector(const struct config *c, const struct pci_dev *pf,
					  const struct sel_vfs *v)
{
	for (size_t i = 0; i < c->nsel; i++)
		if (sel_may_name_vf(&c->sel[i], pf, v))
			return &c->sel[i];
	return NULL;
}

/* A selector that may name one of pf's VFs (v filled), or NULL: pf has no
 * SR-IOV, is a VF itself, or none of its VFs can be selected. */
static const struct selector *pf_held_for(const struct config *c, const struct pci_dev *pf,
					  struct sel_vfs *v)
{
	if (pf->pf || sriov_geometry(pf, v))
		return NULL;
	return vf_selector(c, pf, v);
}

void pass_vfs(struct pci_list *l, const struct config *c, unsigned what)
{
	for (size_t j = 0; j < l->n; j++) {
		struct sel_vfs v;
		const struct selector *s = pf_held_for(c, &l->dev[j], &v);

		if (!s)
			continue;	/* left alone */
		if (what & PASS_TAG)
			tag_vfs(l, &l->dev[j], &v);
		if (what & PASS_HOLD)
			hold(&l->dev[j], s);
	}
}

/* The boot pass's hold, apart from pass_vfs: its build then has no tag_vfs. */
static void hold_pfs(const struct pci_list *l, const struct config *c)
{
	for (size_t j = 0; j < l->n; j++) {
		struct sel_vfs v;
		const struct selector *s = pf_held_for(c, &l->dev[j], &v);

		if (s)
			hold(&l->dev[j], s);
	}
}

/* -1 without SR-IOV, else sriov_totalvfs. */
static int total_vfs(const struct pci_dev *pf)
{
	unsigned n;

	return sriov_attr(pf, "sriov_totalvfs", SRIOV_DEC, &n) ? -1 : (int)n;
}

const char *pass_vf_never(const struct pci_list *l, const struct selector *s, char *buf,
			  size_t size)
{
	const struct pci_dev *pf = NULL;
	int total;

	for (size_t j = 0; j < l->n && !pf; j++)
		if (sel_names(s, &l->dev[j]))
			pf = &l->dev[j];
	if (!pf)
		return "no such PF";
	total = total_vfs(pf);
	if (total < 0)
		fmt(buf, size, "%s has no SR-IOV (no sriov_totalvfs)", pf->addr);
	else if (total == 0)
		fmt(buf, size, "%s has sriov_totalvfs 0", pf->addr);
	else if (s->vf >= total)
		fmt(buf, size, "%s has sriov_totalvfs %d: VFs 0 to %d", pf->addr, total,
		    total - 1);
	else
		return NULL;
	return buf;
}
