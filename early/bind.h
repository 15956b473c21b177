/* SPDX-License-Identifier: MIT */
/*
 * Bind the planned devices to vfio-pci, verified through the driver link,
 * rolled back per device on failure. Never uses new_id.
 */
#ifndef VFE_BIND_H
#define VFE_BIND_H

#include <stddef.h>

#include "pci.h"

struct bind_opts {
	int load_modules;	/* 0 under --root: never touch the running kernel */
	const char *cmdline;	/* for module options */
	size_t cmdline_len;
};

/* Sets result/detail/prev_driver of every device the plan touches. */
void bind_all(struct pci_list *l, const struct bind_opts *o);

#endif
