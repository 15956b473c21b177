/* SPDX-License-Identifier: MIT */
/* What the kernel command line asks of vfio-early. */
#ifndef VFE_CONFIG_H
#define VFE_CONFIG_H

#include <stddef.h>

#include "select.h"

enum group_policy { GROUP_SLOT, GROUP_ALL, GROUP_NONE };

struct strlist {
	char **v;
	size_t n;
};

struct config {
	int disabled;			/* rd.vfio= anything but a clear "on" */
	int debug;			/* rd.vfio.debug */
	int boot_vga;			/* rd.vfio.boot_vga=1 */
	int variant_off;		/* rd.vfio.variant= anything but a clear "on": vfio-pci */
	enum group_policy group;	/* rd.vfio.group= */
	struct selector *sel;		/* vfio.ids, rd.vfio.ids, vfio-pci.ids, in order */
	size_t nsel;
	int bad;			/* entries rejected */
	int bad_values;			/* rd.vfio.* values rejected, the default kept */
	struct strlist pre, blacklist, post;	/* rd.driver.* module names */
};

/* Parse line[0..len); bad entries are logged and counted, never fatal. */
int config_parse(struct config *c, const char *line, size_t len);
void config_free(struct config *c);
/* Append one parsed selector; 0 or -ENOMEM. */
int config_add_selector(struct config *c, const struct selector *s);
const char *config_group_name(enum group_policy g);
/* The kernel's kstrtobool() on s[0..len): 1, 0 or -EINVAL. */
int config_kstrtobool(const char *s, size_t len);
/* Copy untrusted text for a log line: at most 64 bytes, non-printables as '?'. */
void config_printable(char *dst, size_t size, const char *src, size_t len);

#endif
