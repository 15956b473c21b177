/* SPDX-License-Identifier: MIT */
/*
 * Bind the planned devices to vfio-pci or their variant driver (variant.h),
 * verified through the driver link, rolled back per device on failure.
 * Never uses new_id.
 */
#ifndef VFE_BIND_H
#define VFE_BIND_H

#include <stddef.h>

#include "pci.h"

/*
 * The boot pass's hard time budget. Each wait is bounded (0.5 s per unbind
 * or probe, 5 s for modprobe) and the whole pass by this: past it no further
 * device is touched. 10 s holds a modprobe of vfio-pci from a slow disk plus
 * a dozen devices on a busy machine, and stays well inside the initrd's and
 * systemd's own timeouts.
 */
#define BIND_BUDGET_MS 10000

struct bind_opts {
	int load_modules;	/* 0 under --root: never touch the running kernel */
	const char *cmdline;	/* for module options */
	size_t cmdline_len;
	long deadline;		/* deadline_in(BIND_BUDGET_MS, 0) at the pass's start */
	int variant_off;	/* rd.vfio.variant=0 */
	const char *aliases;	/* "alias vfio_pci:..." lines (variant.h); NULL: none */
	size_t aliases_len;
	/* Loads a variant's module; 0 or -errno. NULL: never (then only a
	 * variant loaded already is used). */
	int (*load_variant)(const char *module, const struct bind_opts *o);
};

/* Sets result/detail/prev_driver of every device the plan touches, then
 * reads every driver back (d->driver: where each device is now) and logs the
 * pass's summary line. */
void bind_all(struct pci_list *l, const struct bind_opts *o);

#endif
