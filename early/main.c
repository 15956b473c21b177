// SPDX-License-Identifier: MIT
/*
 * The boot binary (build/vfio-early-boot, installed as
 * /usr/lib/vfio-early/vfio-early-boot): the boot pass and nothing else,
 * static (klibc), held to the size budget, the only vfio-early the initrd
 * images carry. Its hooks run it; outside an initrd it refuses (boot.c).
 * The host's admin binary is early/admin/main.c.
 */
#include "boot.h"

static const char usage[] =
"usage: vfio-early-boot [--root DIR] [--cmdline STR] [--dry-run] [--no-rd-driver]\n"
"The boot pass, run by the initrd's hook: binds the PCI devices the kernel\n"
"command line selects to vfio-pci before udev. Refuses outside an initrd\n"
"(exit 2, nothing written); the udev rule is the booted host's fallback.\n"
"--root DIR: a test tree; --dry-run: print the plan only. See vfio-early(8).\n";

int main(int argc, char **argv)
{
	return boot_main(argc, argv, usage);
}
