// SPDX-License-Identifier: MIT
#include "result.h"

static const char *const names[] = {
	[RES_NONE] = "none",
	[RES_PENDING] = "pending",
	[RES_BOUND] = "bound",
	[RES_ALREADY] = "already",
	[RES_FAILED] = "failed",
	[RES_SKIPPED] = "skipped",
	[RES_RELEASED] = "released",
	[RES_UNTOUCHED] = "untouched",
};

const char *pci_result_name(enum pci_result r)
{
	return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : "none";
}
