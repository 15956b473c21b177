/* SPDX-License-Identifier: MIT */
/*
 * The vfio driver each device to bind gets: vfio-pci or a vfio-pci variant
 * driver (drivers/vfio/pci/: mlx5_vfio_pci, xe-vfio-pci, ...), chosen as
 * libvirt 10 chooses (src/util/virpci.c, virPCIDeviceFindBestVFIOVariant()):
 * the device's modalias with "vfio_" in front, matched as a glob against the
 * "alias vfio_pci:..." lines of modules.alias, the match with the fewest '*'
 * winning (the first on a tie). scripts/mod/file2alias.c writes those lines
 * for PCI_DRIVER_OVERRIDE_DEVICE_VFIO() table entries; the generic
 * "vfio_pci:v*d*sv*sd*bc*sc*i*" is vfio-pci's own. A variant never
 * autoprobes: it binds only through driver_override, with its driver's name
 * (not its module's: xe_vfio_pci registers "xe-vfio-pci").
 * Returns are >= 0 or -errno.
 */
#ifndef VFE_VARIANT_H
#define VFE_VARIANT_H

#include <stddef.h>

#include "pci.h"

#define VARIANT_GENERIC_MODULE "vfio_pci"
/* "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X" and "vfio_" in front */
#define PCI_ALIAS_MAX 64

/* The best vfio_pci alias of modalias (the kernel's "pci:v...", no
 * "vfio_" yet) among the "alias vfio_pci:PATTERN MODULE" lines of
 * text[0..len) (lines end in '\n' or NUL; other lines are skipped): its
 * module into module (size bytes) and its pattern into pattern (may be
 * NULL). 0, or -ENOENT when none matches. */
int variant_best(const char *text, size_t len, const char *modalias, char *module, size_t size,
		 char *pattern, size_t psize);

/* The kernel's modalias of d (drivers/pci/pci-sysfs.c modalias_show()). */
void variant_modalias(const struct pci_dev *d, char *buf, size_t size);

/*
 * Set vfio_module/vfio_why of every device to bind: the selector's
 * =MODULE (a device its selector named, not a group mate), else vfio-pci
 * when off (rd.vfio.variant=0), else the best alias of aliases[0..len)
 * (NULL: none known, vfio-pci). vfio_driver is "vfio-pci", or the variant's
 * driver when its module is loaded already; else variant_resolve() finds it.
 */
void variant_choose(struct pci_list *l, int off, const char *aliases, size_t len);
/* The same for one device, whatever its action (list: what it would get). */
void variant_choose_dev(struct pci_dev *d, int off, const char *aliases, size_t len);

/* The pci driver module registers (sys/module/MODULE/drivers/pci:NAME)
 * into driver; -ENOENT when the module is not loaded or has none. */
int variant_driver(const char *module, char *driver, size_t size);

/* The driver is vfio-pci or a variant: its module holds vfio_pci_core
 * (sys/module/vfio_pci_core/holders/MODULE), or its name ends in
 * vfio-pci or vfio_pci as every upstream variant's does. */
int variant_is_vfio(const char *driver);

const char *variant_why_name(enum vfio_why w);
/* "NAME,WHY": the driver d gets (its module while the driver's name is not
 * known: not loaded yet) and why (variant_why_name). */
void variant_describe(const struct pci_dev *d, char *buf, size_t size);
/* The driver d is to end on: its vfio_driver, "vfio-pci" when unchosen. */
const char *variant_target(const struct pci_dev *d);

#endif
