// SPDX-License-Identifier: MIT
/*
 * The boot-only binary (build/vfio-early-boot): the boot pass and nothing
 * else, held to the size budget. It is built from early/ alone; the
 * installed binary's entry is early/admin/main.c.
 */
#include "boot.h"

/* A measurement of the boot path: the full text is in vfio-early(8). */
static const char usage[] =
"usage: vfio-early [--root DIR] [--cmdline STR] [--dry-run] [--no-rd-driver]"
" (boot path only; see vfio-early(8))\n";

int main(int argc, char **argv)
{
	return boot_main(argc, argv, usage);
}
