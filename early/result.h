/* SPDX-License-Identifier: MIT */
/* What happened to a device the plan touched; one name per value. */
#ifndef VFE_RESULT_H
#define VFE_RESULT_H

enum pci_result {
	RES_NONE,		/* not decided yet */
	RES_PENDING,		/* override written, unbound, waiting for the probe */
	RES_BOUND,		/* moved to vfio-pci */
	RES_ALREADY,		/* was on vfio-pci */
	RES_FAILED,		/* not on vfio-pci; given back */
	RES_SKIPPED,		/* a guard kept it */
	RES_RELEASED,		/* vfio-early unbind: back on its own driver */
	RES_UNTOUCHED,		/* vfio-early unbind: was not on vfio-pci */
};

/* "bound", "failed", ...: the word the status file and the logs use. */
const char *pci_result_name(enum pci_result r);

#endif
