// SPDX-License-Identifier: MIT
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"
#include "print.h"
#include "sysfs.h"

enum {
	OPT_CMDLINE = 1 << 0, OPT_GRUB = 1 << 1, OPT_FILTER = 1 << 2, OPT_JSON = 1 << 3,
	OPT_ADDRESS = 1 << 4, OPT_GROUP = 1 << 5, OPT_BOOT_VGA = 1 << 6, OPT_ARGS = 1 << 7,
	OPT_FORMAT = 1 << 8, OPT_IMAGE_MODULES = 1 << 9,
};

struct cmd_opt {
	const char *name;
	unsigned flag;		/* 0: every subcommand takes it */
	int takes_value;
	size_t off;		/* where it goes in struct cmd_ctx */
};

static const struct cmd_opt cmd_opts[] = {
	{ "--root", 0, 1, offsetof(struct cmd_ctx, root) },
	{ "--cmdline", OPT_CMDLINE, 1, offsetof(struct cmd_ctx, cmdline) },
	{ "--grub", OPT_GRUB, 1, offsetof(struct cmd_ctx, grub) },
	{ "--filter", OPT_FILTER, 1, offsetof(struct cmd_ctx, filter) },
	{ "--group", OPT_GROUP, 1, offsetof(struct cmd_ctx, group) },
	{ "--format", OPT_FORMAT, 1, offsetof(struct cmd_ctx, format) },
	{ "--image-modules", OPT_IMAGE_MODULES, 1, offsetof(struct cmd_ctx, image_modules) },
	{ "--json", OPT_JSON, 0, offsetof(struct cmd_ctx, json) },
	{ "--address", OPT_ADDRESS, 0, offsetof(struct cmd_ctx, address) },
	{ "--boot-vga", OPT_BOOT_VGA, 0, offsetof(struct cmd_ctx, boot_vga) },
};

#define ROOT_HELP "  --root DIR      a tree laid out like / (tests): no modules, tools from DIR\n"

struct subcmd {
	const char *name;
	int (*run)(struct cmd_ctx *x);
	unsigned opts;
	const char *help;
};

static const struct subcmd subcmds[] = {
	{ "list", cmd_list, OPT_CMDLINE | OPT_FILTER | OPT_JSON,
	  "usage: vfio-early list [--filter F[,F...]] [--json] [--cmdline STR] [--root DIR]\n"
	  "One line per PCI device: ADDR, TYPE (vendor:device:class), IOMMU GROUP,\n"
	  "current DRIVER, CMDLINE, SELECTOR and NAME (from pci.ids). CMDLINE is what\n"
	  "the kernel command line does with the device at boot: bind, skip (a guard\n"
	  "keeps it; see plan) or -. SELECTOR is the one to copy into vfio.ids=: the\n"
	  "address pinned to the device's ids, ADDR@VVVV:DDDD.\n"
	  "  --filter F,...  lspci -d filters [vendor]:[device][:class], e.g. ::0300,\n"
	  "                  10de::0300, 10de:11bf:0300, 8086::0300,::0106 (empty: all)\n"
	  "  --json          a JSON array, one object per device\n"
	  "  --cmdline STR   instead of /proc/cmdline\n" ROOT_HELP },
	{ "status", cmd_status, 0,
	  "usage: vfio-early status [--root DIR]\n"
	  "What the boot pass did (/run/vfio-early/status) against the devices now:\n"
	  "ADDR TYPE boot=RESULT now=DRIVER [vfio=DRIVER,WHY] VERDICT[: why]\n"
	  "(udev=RESULT: what the udev rule did after boot; vfio=: a variant driver\n"
	  "chosen by its alias or the selector's =MODULE, or vfio-pci by\n"
	  "rd.vfio.variant=0 or because the variant was unavailable). VERDICT is ok,\n"
	  "kept (a guard kept it on the host by design), FAIL, after-boot (on vfio-pci,\n"
	  "not by the boot pass) or blocked (on vfio-pci, but its IOMMU group is not\n"
	  "usable: a member is on a host driver; the line names it). Exit 1 when a\n"
	  "device the boot pass selected is not on vfio-pci now, a device on vfio-pci\n"
	  "is blocked, or the boot pass left no status; 2 when the status file cannot\n"
	  "be read (not a regular file, over 1 MiB); else 0. \"vfio-pci\" here means\n"
	  "vfio-pci or a variant driver.\n" ROOT_HELP },
	{ "plan", cmd_plan, OPT_CMDLINE | OPT_GRUB | OPT_IMAGE_MODULES,
	  "usage: vfio-early plan [--cmdline STR | --grub FILE] [--image-modules KVER]\n"
	  "                       [--root DIR]\n"
	  "What the next boot will do on this host, decided by the boot pass's own\n"
	  "code, for the command line the next boot gets on this host's boot loader\n"
	  "(as kcmdline where finds it): GRUB's from /etc/default/grub and grub.d/*.cfg,\n"
	  "the default BLS entry's options (GRUB with BLS, systemd-boot), or\n"
	  "/etc/kernel/cmdline (UKIs, Proxmox); or for --cmdline STR, or --grub FILE.\n"
	  "Prints each decision (ADDR ACTION [REASON] [BY] type= group= driver=), the\n"
	  "warnings, and a summary. Exit 0 when every selected device will be bound\n"
	  "or is kept by design (boot display, bridge, mass storage); 1 when another\n"
	  "guard skips one, a group conflicts or a selector is bad or unmatched, or\n"
	  "the host uses a selected device now: a mounted filesystem or swap on it,\n"
	  "the default route or an SSH connection through it (bridges, bonds and\n"
	  "VLANs followed down to the NIC); the boot pass, before the root is\n"
	  "mounted, cannot see that. vfio= says which vfio driver a device gets and\n"
	  "why: vfio-pci, or a variant driver whose vfio_pci alias in modules.alias\n"
	  "matches it with the fewest wildcards (as libvirt chooses), or the one its\n"
	  "selector names (SELECTOR=MODULE); rd.vfio.variant=0 means vfio-pci.\n"
	  "  --image-modules KVER  only the variant modules those devices get from\n"
	  "                  kernel KVER, one per line: the initrd hooks add them\n"
	  ROOT_HELP },
	{ "check", cmd_check, OPT_CMDLINE,
	  "usage: vfio-early check [--cmdline STR] [--root DIR]\n"
	  "Checks what vfio-early needs: an IOMMU, interrupt remapping, the IOMMU\n"
	  "parameter for this CPU's vendor (the kernel's reading of repeats), selectors\n"
	  "on the kernel command line (/proc/cmdline or STR), for each device they bind\n"
	  "its reset_method, (display devices) a firmware framebuffer on its BARs and\n"
	  "(where a vfio-pci variant driver matches it) whether it is on that driver,\n"
	  "vfio-pci for this kernel, vfio-early and the vfio modules in this\n"
	  "kernel's initrd (lsinitramfs or lsinitrd), the next boot's line against\n"
	  "this one, a way to type rd.vfio=0 with a Secure Boot UKI, and (host-use)\n"
	  "no selected device the host uses now (see plan --help).\n"
	  "Each finding is PASS, WARN or FAIL with the fix.\n"
	  "Exit 0: all PASS; 1: a WARN; 2: a FAIL.\n" ROOT_HELP },
	{ "acl", cmd_acl, 0,
	  "usage: vfio-early acl [--root DIR]\n"
	  "Prints libvirt's qemu.conf cgroup_device_acl: libvirt's default entries,\n"
	  "/dev/vfio/vfio, /dev/vfio/N for each usable IOMMU group with a device on\n"
	  "vfio-pci (or a variant driver), and where the kernel has them /dev/iommu and\n"
	  "each such device's /dev/vfio/devices/vfioN. A group is usable when every\n"
	  "member is unbound or on vfio-pci, pci-stub or pcieport; the others are left\n"
	  "out with a warning naming the members in the way. Only QEMU opening these\n"
	  "nodes outside libvirt's <hostdev> handling needs the list: for a <hostdev>\n"
	  "libvirt allows them in the VM's cgroup itself. Exit 1 when no device is on\n"
	  "vfio-pci or a group was left out.\n" ROOT_HELP },
	{ "template", cmd_template, OPT_ADDRESS | OPT_FORMAT,
	  "usage: vfio-early template [--format libvirt|proxmox|opennebula] [--address]\n"
	  "                           [--root DIR]\n"
	  "Prints, for each device on vfio-pci (or a variant driver) in a usable IOMMU\n"
	  "group (as acl), what a VM manager needs: a libvirt <hostdev mode='subsystem'\n"
	  "type='pci' managed='no'> element (the host owns the binding: after a boot\n"
	  "with rd.vfio=0 the VM fails to start instead of taking the device), Proxmox\n"
	  "VE hostpciN: lines (DDDD:BB:DD for a slot whose functions all go), and\n"
	  "OpenNebula PCI = [ VENDOR, DEVICE, CLASS ] blocks. Devices in unusable groups\n"
	  "are left out with a warning naming the members in the way. Exit 1 when\n"
	  "nothing is on vfio-pci or a device was left out.\n"
	  "  --format F      only libvirt, proxmox or opennebula, ready to paste\n"
	  "                  (default: all three, each under a # header)\n"
	  "  --address       OpenNebula: PCI = [ SHORT_ADDRESS = \"BB:DD.F\" ] instead\n"
	  ROOT_HELP },
	{ "bind", cmd_bind, OPT_CMDLINE | OPT_GROUP | OPT_BOOT_VGA | OPT_ARGS,
	  "usage: vfio-early bind [--group slot|all|none] [--boot-vga] [--cmdline STR]\n"
	  "                       [--root DIR] SEL...\n"
	  "Binds the devices SEL selects to vfio-pci now, as the boot pass does: the\n"
	  "vfio.ids= selectors ([DDDD:]BB:DD.F or [vendor]:[device][:class], commas\n"
	  "allowed), its guards and group policy, a bind verified through the driver\n"
	  "link and rolled back on failure; loads vfio-pci if needed (not under --root).\n"
	  "Prints ADDR TYPE RESULT per device. Exit 0: all on vfio-pci; 1: a device\n"
	  "failed or was skipped, or the host uses one now (see plan --help; nothing\n"
	  "changed); 2: a bad selector (nothing changed).\n"
	  "  --group P       slot, all or none (default: rd.vfio.group= of the cmdline)\n"
	  "  --boot-vga      may take the boot display (as rd.vfio.boot_vga=1)\n"
	  "  --cmdline STR   read rd.vfio.* and vfio-pci options here, not /proc/cmdline\n"
	  ROOT_HELP },
	{ "unbind", cmd_unbind, OPT_CMDLINE | OPT_GROUP | OPT_ARGS,
	  "usage: vfio-early unbind [--group slot|all|none] [--cmdline STR] [--root DIR]\n"
	  "                         SEL...\n"
	  "Gives the devices SEL selects (with the group mates bind takes along) back\n"
	  "to the host: clears driver_override, unbinds vfio-pci, probes again (and\n"
	  "loads the native driver by modalias, not under --root) and checks the\n"
	  "device left vfio-pci. Prints ADDR TYPE RESULT per device. Exit 0: done;\n"
	  "1: a device is still on vfio-pci; 2: a bad selector (nothing changed).\n"
	  "  --group P       slot, all or none (default: rd.vfio.group= of the cmdline)\n"
	  "  --cmdline STR   read rd.vfio.group= here, not /proc/cmdline\n" ROOT_HELP },
	{ "udev", cmd_udev, OPT_CMDLINE | OPT_ARGS,
	  "usage: vfio-early udev [--cmdline STR] [--root DIR] ADDR\n"
	  "Run by the udev rule (NN-vfio-early.rules) for each PCI device added after\n"
	  "boot (SR-IOV VFs, hotplug, rescan): when the kernel command line selects\n"
	  "ADDR, binds it to vfio-pci as the boot pass does (same selectors, guards,\n"
	  "group policy, verified bind and rollback), moving it off a driver that\n"
	  "took it first; a VF of a PF held by a VF selector that is not for vfio-pci\n"
	  "is probed for its own driver. Logs to the kernel log, records the device\n"
	  "in /run/vfio-early/status (at=udev). Always exits 0.\n"
	  "  --cmdline STR   instead of /proc/cmdline\n" ROOT_HELP },
};

#define NSUBCMDS (sizeof(subcmds) / sizeof(subcmds[0]))

static const struct cmd_opt *find_opt(const char *name)
{
	for (size_t i = 0; i < sizeof(cmd_opts) / sizeof(cmd_opts[0]); i++)
		if (!strcmp(name, cmd_opts[i].name))
			return &cmd_opts[i];
	return NULL;
}

int cmd_find(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const struct cmd_opt *o = find_opt(argv[i]);

		if (argv[i][0] != '-')
			return i;
		if (o && o->takes_value)
			i++;
	}
	return 0;
}

static void err2(const char *a, const char *b, const char *c)
{
	pr_flush();
	log_err("%s%s%s", a, b, c);
}

/* The field of x an option sets, found by its offset. */
static void *field_of(struct cmd_ctx *x, const struct cmd_opt *o)
{
	return (char *)x + o->off;
}

static int set_opt(const struct subcmd *sc, struct cmd_ctx *x, int argc, char **argv, int *i)
{
	const struct cmd_opt *o = find_opt(argv[*i]);

	if (!o || (o->flag && !(sc->opts & o->flag))) {
		err2(sc->name, ": unknown option ", argv[*i]);
		return -1;
	}
	if (!o->takes_value) {
		*(int *)field_of(x, o) = 1;
		return 0;
	}
	if (*i + 1 >= argc) {
		err2(sc->name, ": missing value for ", argv[*i]);
		return -1;
	}
	*(const char **)field_of(x, o) = argv[++*i];
	return 0;
}

/* 1 for --help, 0 parsed, -1 usage error (said). */
static int parse_cmd_args(const struct subcmd *sc, int argc, char **argv, int at,
			  struct cmd_ctx *x)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i == at)
			continue;
		if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		if (a[0] == '-') {
			if (set_opt(sc, x, argc, argv, &i))
				return -1;
		} else if (sc->opts & OPT_ARGS) {
			x->args[x->nargs++] = argv[i];
		} else {
			err2(sc->name, ": unexpected argument ", a);
			return -1;
		}
	}
	return 0;
}

static int run_subcmd(const struct subcmd *sc, int argc, char **argv, int at)
{
	struct cmd_ctx x;
	int r;

	memset(&x, 0, sizeof(x));
	x.args = calloc((size_t)argc, sizeof(*x.args));
	if (!x.args)
		return CMD_USAGE;
	r = parse_cmd_args(sc, argc, argv, at, &x);
	if (r > 0) {
		pr_str(sc->help);
		r = CMD_OK;
	} else if (r < 0) {
		log_msg(PRIO_INFO, "see: vfio-early %s --help", sc->name);
	} else if (sysfs_open_root(x.root ? x.root : "/") < 0) {
		err2("cannot open root ", x.root ? x.root : "/", "");
		r = -1;
	} else {
		r = sc->run(&x);
	}
	pr_flush();
	free(x.args);
	return r < 0 ? CMD_USAGE : r;
}

int cmd_main(int argc, char **argv, int at)
{
	log_open(NULL, 0);
	for (size_t i = 0; i < NSUBCMDS; i++)
		if (!strcmp(argv[at], subcmds[i].name))
			return run_subcmd(&subcmds[i], argc, argv, at);
	err2("unknown subcommand '", argv[at], "' (list, status, plan, check, acl, template, "
	     "bind, unbind, udev; see vfio-early --help)");
	return CMD_USAGE;
}
