// SPDX-License-Identifier: MIT
/*
 * vfio-early: the admin subcommands on the booted host. It never runs the
 * boot pass: that is the boot binary's (early/main.c), run by the initrd's
 * hooks; with no subcommand this one prints its usage and exits 2.
 */
#include <stdio.h>
#include <string.h>

#include "boot.h"
#include "cmd.h"

static const char usage[] =
"usage: vfio-early SUBCOMMAND [OPTIONS]    vfio-early --help | --version\n"
"The host side of vfio-early. The boot pass, which binds the devices the\n"
"kernel command line selects (vfio.ids=, vfio-pci.ids=, rd.vfio.*) to\n"
"vfio-pci before udev, is /usr/lib/vfio-early/vfio-early-boot, run by the\n"
"initrd's hook only. See vfio-early(8).\n"
"Subcommands (vfio-early SUBCOMMAND --help):\n"
"  list [--filter F] [--json]   PCI devices, IOMMU groups, drivers, names\n"
"  status                       what the boot pass did, checked against now\n"
"  plan [--cmdline S|--grub F]  what the next boot will do\n"
"  check                        IOMMU, interrupt remapping, cmdline, initrd\n"
"  template [--format F]        libvirt <hostdev>, Proxmox hostpciN, OpenNebula PCI\n"
"  acl                          the device nodes, and when libvirt needs the ACL\n"
"  bind SEL... | unbind SEL...  move devices to / from vfio-pci now\n"
"  udev ADDR                    the udev rule's pass for a device added after boot\n";

static int has_arg(int argc, char **argv, const char *a, const char *b)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], a) || (b && !strcmp(argv[i], b)))
			return 1;
	return 0;
}

/* No subcommand: --help and --version succeed; anything else, the boot
 * pass's old options included, is a usage error that changes nothing. */
int main(int argc, char **argv)
{
	int at = cmd_find(argc, argv);

	if (at)
		return cmd_main(argc, argv, at);
	if (has_arg(argc, argv, "--help", "-h")) {
		fputs(usage, stdout);
		return CMD_OK;
	}
	if (has_arg(argc, argv, "--version", NULL)) {
		fputs("vfio-early " VFIO_EARLY_VERSION "\n", stdout);
		return CMD_OK;
	}
	if (argc > 1)
		fputs("vfio-early: no subcommand; the boot pass is vfio-early-boot's, run by the "
		      "initrd's hook\n", stderr);
	fputs(usage, stderr);
	return CMD_USAGE;
}
