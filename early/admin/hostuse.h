/* SPDX-License-Identifier: MIT */
/*
 * The PCI devices this host needs now: the ones under a mounted filesystem
 * or active swap, under the default route, or under an established SSH
 * connection to this host. plan, check and bind refuse a selection that
 * takes one. Everything is read below the root fd (sysfs.h), so a test tree
 * lays out /proc and /sys as the kernel does. Host side only: the boot pass
 * runs before the root is mounted and cannot know any of this.
 * Functions return >= 0 on success and -errno on failure.
 */
#ifndef VFE_HOSTUSE_H
#define VFE_HOSTUSE_H

#include <stddef.h>

#include "pci.h"

/* Room for "holds / (dm-0 over nvme0n1p2, ext4) and swap ..." per device;
 * a longer text ends in "...". */
#define HOSTUSE_WHAT_MAX 512

struct hostuse {
	char addr[PCI_ADDR_MAX + 1];	/* the PCI function, as sysfs names it */
	char what[HOSTUSE_WHAT_MAX];	/* its uses, joined by " and " */
};

struct hostuse_list {
	struct hostuse *v;
	size_t n, cap;
};

/* Fill u with every PCI function the host uses now (u zeroed first); the
 * count, or -ENOMEM. A source that cannot be read adds nothing. */
int hostuse_scan(struct hostuse_list *u);
/* What the host uses addr for, or NULL. */
const char *hostuse_of(const struct hostuse_list *u, const char *addr);
void hostuse_free(struct hostuse_list *u);

/* For each device of l the plan binds (ACT_BIND), or would bind with an
 * IOMMU (skipped for no-iommu or no-iommu-group), that the host uses, one
 * line "ADDR WHAT: the host needs it; TAIL" through pr() (say NULL) or
 * say(addr, text) (check's findings); how many there are. */
int hostuse_refuse(const struct pci_list *l, const char *tail,
		   void (*say)(const char *addr, const char *text));

#endif
