// SPDX-License-Identifier: MIT
/*
 * vfio-early: bind the PCI devices chosen on the kernel command line to
 * vfio-pci before udev loads their native drivers (the boot pass, never
 * fails), or run an admin subcommand on the booted host.
 */
#include "boot.h"
#include "cmd.h"

static const char usage[] =
"usage: vfio-early [--root DIR] [--cmdline STR] [--dry-run] [--no-rd-driver]\n"
"       vfio-early --help | --version\n"
"Binds the PCI devices named on the kernel command line to vfio-pci before\n"
"udev loads drivers (the initrd's hook). See vfio-early(8).\n"
"  --root DIR  a test tree, no modules   --cmdline STR  not /proc/cmdline\n"
"  --dry-run  print the plan only        --no-rd-driver  dracut does rd.driver.*\n"
"  vfio.ids=SEL,...  vfio-pci.ids=V:D[:SV:SD:CLASS:MASK]  rd.vfio=0  rd.vfio.debug\n"
"  rd.vfio.group=slot|all|none  rd.vfio.boot_vga=1  rd.driver.pre|blacklist|post=M\n"
"Admin subcommands (on the booted host; vfio-early SUBCOMMAND --help):\n"
"  list [--filter F] [--json]   PCI devices, IOMMU groups, drivers, names\n"
"  status                       what the boot pass did, checked against now\n"
"  plan [--cmdline S|--grub F]  what the next boot will do\n"
"  check                        IOMMU, interrupt remapping, cmdline, initrd\n"
"  acl | template [--address]   libvirt cgroup_device_acl, OpenNebula PCI blocks\n"
"  bind SEL... | unbind SEL...  move devices to / from vfio-pci now\n"
"  udev ADDR                    the udev rule's pass for a device added after boot\n";

int main(int argc, char **argv)
{
	int at = cmd_find(argc, argv);

	return at ? cmd_main(argc, argv, at) : boot_main(argc, argv, usage);
}
