// SPDX-License-Identifier: MIT
/* vfio-early check: vfio-pci for this kernel, and what its initrd holds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "finding.h"
#include "fmt.h"
#include "hostmod.h"
#include "runtool.h"
#include "sysfs.h"

#define LIST_TIMEOUT_MS 60000

enum { HAS_BINARY = 1, HAS_VFIO = 2, HAS_VFIO_PCI = 4 };

/* What libkmod makes of the module name for release (hostmod.h). */
static int module_kind(const struct cmd_ctx *x, const char *release, const char *name)
{
	char mods[256];

	return hostmod_lookup(x->root, release, name, mods, sizeof(mods));
}

int check_builtin(const struct cmd_ctx *x, const char *release, const char *name)
{
	return module_kind(x, release, name) == HOSTMOD_BUILTIN;
}

void check_vfio_module(const struct cmd_ctx *x, const char *release)
{
	int kind = module_kind(x, release, "vfio-pci");

	if (sysfs_exists(SYSFS_VFIO_DRIVER))
		check_finding(V_PASS, "vfio-pci", NULL, "the vfio-pci driver is registered");
	else if (kind == HOSTMOD_BUILTIN)
		check_finding(V_PASS, "vfio-pci", NULL, "built into kernel %s", release);
	else if (kind == HOSTMOD_MODULE)
		check_finding(V_PASS, "vfio-pci", NULL, "module available for kernel %s", release);
	else
		check_finding(V_FAIL, "vfio-pci", "boot a kernel built with CONFIG_VFIO_PCI "
			      "(or install its modules package)",
			      "no vfio-pci module for kernel %s", release);
}

struct listing {
	char modules_dir[160];	/* "/modules/RELEASE/": this kernel's modules only */
	int seen;
};

/* "DIR/vfio-pci.ko.zst" and lsinitrd's "-rw-r--r-- ... DIR/vfio-pci.ko" alike. */
static void note_file(const char *line, void *arg)
{
	const char *base = strrchr(line, '/');
	struct listing *ls = arg;
	int ours;

	base = base ? base + 1 : line;
	/* The boot binary; an image made before it carried vfio-early itself. */
	if (!strcmp(base, "vfio-early-boot") || !strcmp(base, "vfio-early")) {
		ls->seen |= HAS_BINARY;
		return;
	}
	ours = strstr(line, ls->modules_dir) != NULL;
	if (ours && !strncmp(base, "vfio.ko", 7))
		ls->seen |= HAS_VFIO;
	else if (ours && (!strncmp(base, "vfio-pci.ko", 11) || !strncmp(base, "vfio_pci.ko", 11)))
		ls->seen |= HAS_VFIO_PCI;
}

static const char *find_initrd(const struct cmd_ctx *x, const char *release, char *path,
			       size_t size)
{
	static const char *const forms[] = {
		"boot/initrd.img-%s", "boot/initramfs-%s.img", "boot/initrd-%s",
	};
	char rel[160];

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		fmt(rel, sizeof(rel), forms[i], release);
		if (access(cmd_path(x, rel, path, size), R_OK) == 0)
			return path;
	}
	return NULL;
}

static const char *find_lister(const struct cmd_ctx *x, char *path, size_t size)
{
	static const char *const tools[] = {
		"usr/bin/lsinitramfs", "usr/sbin/lsinitramfs", "bin/lsinitramfs", "sbin/lsinitramfs",
		"usr/bin/lsinitrd", "usr/sbin/lsinitrd", "bin/lsinitrd", "sbin/lsinitrd",
	};

	for (size_t i = 0; i < sizeof(tools) / sizeof(tools[0]); i++)
		if (access(cmd_path(x, tools[i], path, size), X_OK) == 0)
			return path;
	return NULL;
}

/* What the initrd lacks, as text ("" when complete). */
static void missing(const struct cmd_ctx *x, int seen, const char *release, char *buf,
		    size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!(seen & HAS_BINARY))
		n += fmt(buf + n, size - n, " vfio-early-boot");
	if (!(seen & HAS_VFIO) && !check_builtin(x, release, "vfio") && n < size)
		n += fmt(buf + n, size - n, " vfio.ko");
	if (!(seen & HAS_VFIO_PCI) && !check_builtin(x, release, "vfio-pci") && n < size)
		fmt(buf + n, size - n, " vfio-pci.ko");
	if ((seen & (HAS_VFIO | HAS_VFIO_PCI)) != (HAS_VFIO | HAS_VFIO_PCI) && buf[0] && n < size)
		fmt(buf + strlen(buf), size - strlen(buf), " (for kernel %s)", release);
}

void check_initrd(const struct cmd_ctx *x, const char *release)
{
	char initrd[512], tool[512], fix[256], lacks[160];
	struct listing ls = { "", 0 };
	char *argv[3];
	int r;

	fmt(fix, sizeof(fix), "install vfio-early's initramfs-tools hook or dracut module, then "
	    "update-initramfs -u -k %s (or dracut -f --kver %s)", release, release);
	if (!find_initrd(x, release, initrd, sizeof(initrd))) {
		check_finding(V_WARN, "initrd", fix, "no initrd for kernel %s in /boot", release);
		return;
	}
	if (!find_lister(x, tool, sizeof(tool))) {
		check_finding(V_WARN, "initrd", "install initramfs-tools (lsinitramfs) or dracut "
			      "(lsinitrd), or look inside by hand",
			      "cannot look inside %s: no lsinitramfs or lsinitrd", initrd);
		return;
	}
	argv[0] = tool;
	argv[1] = initrd;
	argv[2] = NULL;
	fmt(ls.modules_dir, sizeof(ls.modules_dir), "/modules/%s/", release);
	r = spawn_lines(tool, argv, LIST_TIMEOUT_MS, note_file, &ls);
	if (r != 0) {
		check_finding(V_WARN, "initrd", "run it by hand", "%s %s %s", tool, initrd,
			      r == -ETIMEDOUT ? "timed out" : "failed");
		return;
	}
	missing(x, ls.seen, release, lacks, sizeof(lacks));
	if (lacks[0])
		check_finding(V_FAIL, "initrd", fix, "%s lacks%s", initrd, lacks);
	else
		check_finding(V_PASS, "initrd", NULL, "%s has vfio-early and vfio-pci", initrd);
}
