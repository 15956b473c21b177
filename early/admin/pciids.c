// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "hex.h"
#include "pciids.h"
#include "sysfs.h"

static const char *const pciids_paths[] = {
	"usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids",
};

/* Cut at a character boundary, so a long UTF-8 name stays valid. */
static void copy_name(struct pci_name *dst, const char *src, size_t len)
{
	if (len >= sizeof(dst->s)) {
		len = sizeof(dst->s) - 1;
		while (len && ((unsigned char)src[len] & 0xc0) == 0x80)
			len--;
	}
	memcpy(dst->s, src, len);
	dst->s[len] = '\0';
}

static int wanted_vendor(const struct pci_list *l, unsigned vendor)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->dev[i].vendor == vendor)
			return 1;
	return 0;
}

/* "\tdddd  Device name": fill every device of the current vendor with that id. */
static void device_line(const struct pci_list *l, struct pci_name *names, unsigned vendor,
			const char *line, size_t len)
{
	unsigned id;

	if (len < 8 || line[5] != ' ' || line[6] != ' ' || hex_parse(line + 1, 4, &id))
		return;
	for (size_t i = 0; i < l->n; i++)
		if (l->dev[i].vendor == vendor && l->dev[i].device == id && !names[i].s[0])
			copy_name(&names[i], line + 7, len - 7);
}

static void scan_db(const struct pci_list *l, struct pci_name *names, const char *text)
{
	unsigned vendor = 0;
	int wanted = 0;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text) : strlen(text);

		if (len > 1 && text[0] == 'C' && text[1] == ' ')
			break;	/* the device classes follow the vendors */
		if (len > 6 && text[0] != '\t' && text[0] != '#' && text[4] == ' ')
			wanted = !hex_parse(text, 4, &vendor) && wanted_vendor(l, vendor);
		else if (wanted && len > 1 && text[0] == '\t' && text[1] != '\t')
			device_line(l, names, vendor, text, len);
		text += len + (nl != NULL);
	}
}

struct pci_name *pciids_names(const struct pci_list *l)
{
	struct pci_name *names = calloc(l->n ? l->n : 1, sizeof(*names));
	char *text;
	size_t len;

	if (!names)
		return NULL;
	for (size_t i = 0; i < sizeof(pciids_paths) / sizeof(pciids_paths[0]); i++) {
		if (sysfs_slurp(pciids_paths[i], CMD_BIG_FILE_MAX, &text, &len) < 0)
			continue;
		scan_db(l, names, text);
		free(text);
		break;
	}
	return names;
}
