/* SPDX-License-Identifier: MIT */
/*
 * Device names from the pci.ids database through libpci, as lspci finds
 * them. pciids.c includes libpci's <pci/pci.h>, whose struct pci_dev and
 * pci_* names are not ours: this header stays free of early/pci.h.
 */
#ifndef VFE_PCIIDS_H
#define VFE_PCIIDS_H

struct cmd_ctx;
struct pci_list;

struct pci_name {
	char s[128];
};

struct pciids;

/*
 * Open the database for lookups. root NULL: the running system's, as lspci
 * has it (libpci's pci.ids, and udev's hwdb where libpci is built with it).
 * Else the first regular pci.ids under root (usr/share/misc, usr/share/hwdata,
 * usr/share), no hwdb, and no names at all when root has none. NULL only
 * when out of memory.
 */
struct pciids *pciids_open(const char *root);
/* The device's name into out ("" when unknown or no database). */
void pciids_device(struct pciids *db, unsigned vendor, unsigned device, struct pci_name *out);
void pciids_close(struct pciids *db);

/* cmd_list.c: one name per device of l, under --root if given; NULL if out
 * of memory. */
struct pci_name *cmd_list_names(const struct cmd_ctx *x, const struct pci_list *l);

#endif
