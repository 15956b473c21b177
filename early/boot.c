// SPDX-License-Identifier: MIT
/*
 * The boot pass: bind the PCI devices chosen on the kernel command line to
 * vfio-pci before udev loads their native drivers. It never fails the boot.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bind.h"
#include "boot.h"
#include "config.h"
#include "deadline.h"
#include "fmt.h"
#include "log.h"
#include "modules.h"
#include "pass.h"
#include "pci.h"
#include "plan.h"
#include "status.h"
#include "sysfs.h"
#include "variant.h"

struct opts {
	const char *root;
	const char *cmdline;
	int dry_run;
	int no_rd_driver;
	const char *bad;
};


static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--root") && i + 1 < argc)
			o->root = argv[++i];
		else if (!strcmp(a, "--cmdline") && i + 1 < argc)
			o->cmdline = argv[++i];
		else if (!strcmp(a, "--dry-run"))
			o->dry_run = 1;
		else if (!strcmp(a, "--no-rd-driver"))
			o->no_rd_driver = 1;
		else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
			return 1;
		else if (!strcmp(a, "--version"))
			return 2;
		else {
			o->bad = a;
			return -EINVAL;
		}
	}
	return 0;
}

static void say(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		return;
}

/* include/uapi/linux/magic.h */
#define RAMFS_MAGIC	0x858458f6
#define TMPFS_MAGIC	0x01021994

/*
 * Is the root an initramfs? The kernel unpacks the initramfs into its
 * rootfs, a ramfs, or a tmpfs when no root= is given (init/do_mounts.c:
 * init_rootfs(), rootfs_init_fs_context()), and runs its /init
 * (init/main.c: kernel_init(), ramdisk_execute_command). initramfs-tools
 * and dracut images both ship /init (bookworm's initramfs-tools has no
 * /etc/initrd-release, dracut's does); after the switch to the real root
 * (run-init, systemd-switch-root) / is a disk's file system, which rarely
 * has an /init (WSL's does, on ext4). So: an /init on a ramfs or tmpfs /.
 * Under --root the tree stands for /: only its init is looked at, so a
 * test tree can be either, wherever the tests keep it.
 */
static int in_initrd(const char *root)
{
	struct statfs st;

	if (!sysfs_exists("init"))
		return 0;
	if (root)
		return 1;
	if (statfs("/", &st) < 0)
		return 0;
	return (unsigned long)st.f_type == RAMFS_MAGIC || (unsigned long)st.f_type == TMPFS_MAGIC;
}

/* The image's modprobe.d options for the listed modules, then the command line. */
static int read_cmdline(const struct opts *o, char **line, size_t *len)
{
	const char *pre = modules_read_list();
	char *proc = NULL;
	size_t n;
	int r = o->cmdline ? 0 : sysfs_slurp("proc/cmdline", SYSFS_FILE_MAX, &proc, &n);

	if (r < 0)
		return r;
	n = strlen(pre) + strlen(proc ? proc : o->cmdline) + 2;
	*line = malloc(n);
	if (*line)
		*len = fmt(*line, n, "%s %s", pre, proc ? proc : o->cmdline);
	free(proc);
	return *line ? 0 : -ENOMEM;
}

/*
 * The pass runs in an initrd, and for --dry-run anywhere; never in a booted
 * root, status file or not: there the udev rule (udev/70-vfio-early.rules.in,
 * vfio-early udev) decides the devices at coldplug.
 */
static int may_run(const struct opts *o)
{
	if (o->dry_run || in_initrd(o->root))
		return 1;
	say(2, "vfio-early-boot: not in an initrd (no /init on a ramfs or tmpfs root):"
	    " the boot pass runs from the initrd's hook only; nothing done\n");
	return 0;
}

static int boot_load_variant(const char *module, const struct bind_opts *o)
{
	return modules_load_variant(module, o->cmdline, o->cmdline_len, o->deadline);
}

static void run(const struct opts *o, const struct config *c, const char *line, size_t len)
{
	int boot = !o->root && !o->dry_run;
	int rd_driver = !o->no_rd_driver && !o->dry_run;
	struct bind_opts bo = {
		.load_modules = boot, .cmdline = line, .cmdline_len = len,
		.deadline = deadline_in(BIND_BUDGET_MS, 0), .variant_off = c->variant_off,
		.load_variant = boot ? boot_load_variant : NULL,
	};
	struct pci_list l;
	int have_iommu;

	bo.aliases = modules_variant_aliases(&bo.aliases_len);
	if (rd_driver)
		modules_write_blacklist(&c->blacklist);
	if (rd_driver && boot)
		modules_load_list(&c->pre, &c->blacklist, "pre", bo.deadline);
	if (c->disabled)
		log_notice("disabled by rd.vfio=0: binding nothing");
	/* PFs held before their drivers (and so any VF) are there: pass.c hold() */
	if (pass_select(&l, c, &have_iommu, o->dry_run ? 0 : PASS_HOLD))
		plan_log(&l, c, have_iommu);
	if (o->dry_run) {
		variant_choose(&l, bo.variant_off, bo.aliases, bo.aliases_len);
		plan_print(&l, 1);
		pci_free(&l);
		return;
	}
	bind_all(&l, &bo);
	if (rd_driver && boot)
		modules_load_list(&c->post, &c->blacklist, "post", deadline_in(BIND_BUDGET_MS, 0));
	status_write(&l, c->disabled ? "disabled=rd.vfio=0" : NULL);
	pci_free(&l);
}

int boot_main(int argc, char **argv, const char *usage)
{
	struct opts o = { .root = NULL };
	struct config c;
	char *line;
	size_t len;
	int r;

	r = parse_args(argc, argv, &o);
	if (r < 0) {
		say(2, "vfio-early: bad option or no value: ");
		say(2, o.bad);
		say(2, "\n\n");
	}
	if (r) {
		say(r < 0 ? 2 : 1, r == 2 ? "vfio-early " VFIO_EARLY_VERSION "\n" : usage);
		return r < 0 ? 2 : 0;
	}
	r = sysfs_open_root(o.root ? o.root : "/");
	if (r < 0) {
		log_err("cannot open root %s: %s", o.root ? o.root : "/", log_errstr(r));
		return o.dry_run ? 1 : 0;
	}
	/* Before the first log line: outside an initrd nothing is written, kmsg included. */
	if (!may_run(&o))
		return 2;
	log_open(!o.root && !o.dry_run ? "/dev/kmsg" : NULL, 0);
	if (read_cmdline(&o, &line, &len) < 0) {
		log_err("cannot read /proc/cmdline; binding nothing");
		return 0;
	}
	config_parse(&c, line, len);
	log_set_debug(c.debug);
	run(&o, &c, line, len);
	config_free(&c);
	free(line);
	return 0;
}
