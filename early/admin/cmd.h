/* SPDX-License-Identifier: MIT */
/*
 * The admin subcommands: vfio-early list|status|plan|check|acl|template|
 * bind|unbind on the booted host. Reports go to stdout, log lines to stderr
 * (never /dev/kmsg). Exit 0: all good; 1: something needs attention;
 * 2: usage error (and for check: a FAIL finding).
 */
#ifndef VFE_CMD_H
#define VFE_CMD_H

#include <stddef.h>

#include "config.h"
#include "pci.h"
#include "sysfs.h"

enum { CMD_OK = 0, CMD_ATTENTION = 1, CMD_USAGE = 2 };

struct cmd_ctx {
	const char *root;	/* --root; NULL for the running system */
	const char *cmdline;	/* --cmdline */
	const char *grub;	/* --grub */
	const char *filter;	/* --filter */
	const char *group;	/* --group */
	const char *format;	/* --format (template) */
	const char *image_modules;	/* --image-modules KVER (plan) */
	int json, address, boot_vga;
	char **args;		/* the selectors of bind and unbind */
	int nargs;
};

/* Index of the subcommand word in argv, or 0 for boot mode. */
int cmd_find(int argc, char **argv);
int cmd_main(int argc, char **argv, int at);

int cmd_list(struct cmd_ctx *x);
int cmd_status(struct cmd_ctx *x);
int cmd_plan(struct cmd_ctx *x);
int cmd_check(struct cmd_ctx *x);
int cmd_acl(struct cmd_ctx *x);
int cmd_template(struct cmd_ctx *x);
int cmd_bind(struct cmd_ctx *x);
int cmd_unbind(struct cmd_ctx *x);
int cmd_udev(struct cmd_ctx *x);

/* cmd_plan.c: the command line the next boot's kernel gets, read from the
 * files of this host's boot-loader family (kcmdline/bootfam.c); malloc'ed,
 * its source described in src; NULL after saying why. */
char *cmd_next_boot_line(const struct cmd_ctx *x, char *src, size_t size);

/* cmd_common.c: what several subcommands share. */

/* ROOT/rel for open() and exec ("/rel" without --root). */
const char *cmd_path(const struct cmd_ctx *x, const char *rel, char *buf, size_t size);
/* The caps of the whole files the subcommands read: with sysfs_slurp()
 * below --root, with slurp_at() a file named on the command line. */
#define CMD_FILE_MAX SYSFS_FILE_MAX
#define CMD_BIG_FILE_MAX (32u << 20)	/* pci.ids, modules.dep, /proc/interrupts */
/* What a failed read said, for a message. */
const char *cmd_read_error(int r);
/* --cmdline, else /proc/cmdline. */
int cmd_cmdline(const struct cmd_ctx *x, char **line, size_t *len);
/* Every device, sorted; logs and returns -errno when sysfs is unreadable. */
int cmd_scan(struct pci_list *l);
struct pci_dev *cmd_dev(const struct pci_list *l, const char *addr);
/* "BB:DD.F" when short_form and the domain is 0000, else DDDD:BB:DD.F. */
const char *cmd_addr(const struct pci_dev *d, int short_form);
int cmd_domain0_only(const struct pci_list *l);
/* The selector to copy for d: ADDR@VVVV:DDDD, the address as the kernel
 * prints it, pinned to the ids the device has now (lower-case hex). */
#define CMD_PINNED_SIZE 32
const char *cmd_pinned(const struct pci_dev *d, char *buf, size_t size);
/* The IOMMU group number, or "-". */
const char *cmd_group(const struct pci_dev *d, char *buf, size_t size);
/* Replace c's selectors by the arguments' (vfio.ids syntax, commas too);
 * -EINVAL after naming every bad one. */
int cmd_selectors(const struct cmd_ctx *x, struct config *c);
/* How many of c's selectors match no device of l. */
int cmd_unmatched(const struct pci_list *l, const struct config *c);
/* bind and unbind: the rd.vfio.* settings of the command line, the
 * arguments' selectors, --group and --boot-vga; CMD_USAGE after saying why. */
int cmd_bind_setup(const struct cmd_ctx *x, struct config *c, char **line, size_t *len);
/* ADDR TYPE RESULT [reason=R] now=DRIVER was=DRIVER by=HOW */
void cmd_result_line(const struct pci_dev *d);
int cmd_report(const struct pci_list *l, const struct config *c, int want_vfio,
	       const char *verb);
/* Send log lines to stdout, for a report that reads in order; returns the
 * saved stderr for cmd_log_restore. */
int cmd_log_to_stdout(void);
void cmd_log_restore(int saved);
/* Load the device's native driver by its modalias, through libkmod. */
void cmd_modprobe_alias(const struct pci_dev *d);
/* On vfio-pci or a vfio-pci variant driver (variant_is_vfio()). */
int cmd_on_vfio(const struct pci_dev *d);
/* Why a VM cannot be given an IOMMU group, filled by cmd_group_usable. */
struct cmd_group_why {
	char who[320];		/* "ADDR on DRIVER, ...": the members in the way */
	char fix[192];		/* "vfio-early bind SEL,...", or why no selector helps */
};
/* Whether a VM can be given IOMMU group g now. Since Linux 5.19 vfio claims
 * a group with iommu_group_claim_dma_owner() (drivers/iommu/iommu.c), which
 * fails while a member is bound to a driver without driver_managed_dma: a
 * member unbound, on a vfio driver, pci-stub or pcieport is fine (on a booted
 * host an unbound member stays unbound). Returns 1 when usable; 0 with w
 * filled, also for g < 0 (no IOMMU group: vfio cannot use the device). */
int cmd_group_usable(const struct pci_list *l, int g, struct cmd_group_why *w);
/* Load vfio-pci through libkmod unless registered (bind, udev), as the boot
 * pass loads it: without ids=. Not under --root. */
void cmd_load_vfio(const struct cmd_ctx *x);
/* The "alias vfio_pci:" lines of kernel release's modules.alias (under
 * --root: in DIR), malloc'ed; 0 or -errno. */
int cmd_variant_aliases(const struct cmd_ctx *x, const char *release, char **text, size_t *len);
/* variant_choose() for l with release's aliases (NULL: the running
 * kernel's); without them vfio-pci for all, and -errno. */
int cmd_variants(const struct cmd_ctx *x, struct pci_list *l, const struct config *c,
		 const char *release);
/* bind_all()'s options on the host: modules through libkmod (none under
 * --root), the running kernel's vfio_pci aliases in bo->aliases (free()
 * it after), rd.vfio.variant from c. */
struct bind_opts;
void cmd_bind_opts(const struct cmd_ctx *x, const struct config *c, struct bind_opts *bo,
		   const char *line, size_t len, long deadline);
/* A guard that keeps a device by design (boot-vga, bridge, mass-storage),
 * as opposed to one that means the setup is broken (no IOMMU). */
int cmd_by_design(const char *why);

#endif
