// SPDX-License-Identifier: MIT
/*
 * vfio-pci variant drivers (early/variant.c): the alias choice as a table,
 * then the real binaries against fake trees where a variant is loaded
 * (fake_variant): the boot pass, plan, list, status, bind, unbind, acl,
 * template, and a group mate on a variant.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fakeview.h"
#include "pci.h"
#include "t.h"
#include "variant.h"

/* Linux's xe_vfio_pci registers "xe-vfio-pci": driver and module differ. */
#define XE_MOD		"xe_vfio_pci"
#define XE_DRV		"xe-vfio-pci"
#define XE_ALIAS	"alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe_vfio_pci\n"
#define MLX_ALIAS	"alias vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_vfio_pci\n"
#define GENERIC_ALIAS	"alias vfio_pci:v*d*sv*sd*bc*sc*i* vfio_pci\n"
/* A variant whose names do not end in vfio-pci: only vfio_pci_core's
 * holders/ link says what it is. */
#define ACME_MOD	"acme_vf"
#define ACME_DRV	"acme-passthru"

#define GPU(a, g, drv) \
	{ .addr = a, .vendor = 0x8086, .device = 0xe20b, .class = 0x030000, .group = g, \
	  .driver = drv, .native = "xe" }
#define MLX(a, g, drv) \
	{ .addr = a, .vendor = 0x15b3, .device = 0x101e, .class = 0x020000, .group = g, \
	  .driver = drv, .native = "mlx5_core" }
#define NIC(a, g, drv) \
	{ .addr = a, .vendor = 0x8086, .device = 0x10d3, .class = 0x020000, .group = g, \
	  .driver = drv, .native = "e1000e" }

struct best_case {
	const char *name;
	const char *text;
	const char *modalias;
	int rc;
	const char *module;	/* when rc == 0 */
	const char *pattern;
	size_t len;		/* the text's, when it has NULs inside; else 0 */
};

#define MA_XE	"pci:v00008086d0000E20Bsv00008086sd00001234bc03sc00i00"
#define MA_MLX	"pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00"
#define MA_NIC	"pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00"

/* modules_read_list() cuts the list's lines and each module's options. */
#define NUL_LIST "/lib/modules/x/vfio-pci.ko\0disable_vga=1\0variant xe_vfio_pci\0" \
	"alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe_vfio_pci\0" \
	"/lib/modules/x/xe-vfio-pci.ko\0"
#define NUL_PCI "variant xe\0alias pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe\0/x/xe.ko\0"

#define FOUND(n, t, ma, mod, pat) \
	{ .name = n, .text = t, .modalias = ma, .module = mod, .pattern = pat }
#define NONE(n, t, ma)	{ .name = n, .text = t, .modalias = ma, .rc = -ENOENT }
#define XE_PAT		"vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*"
#define GENERIC_PAT	"vfio_pci:v*d*sv*sd*bc*sc*i*"

static const struct best_case best_cases[] = {
	FOUND("exact ids: the variant, not the generic alias before it",
	      GENERIC_ALIAS XE_ALIAS MLX_ALIAS, MA_XE, "xe_vfio_pci", XE_PAT),
	FOUND("exact ids: the other variant", XE_ALIAS GENERIC_ALIAS MLX_ALIAS, MA_MLX,
	      "mlx5_vfio_pci", "vfio_pci:v000015B3d0000101Esv*sd*bc*sc*i*"),
	FOUND("fewest '*': subsystem ids beat the plain ids",
	      "alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* wide_vfio_pci\n"
	      "alias vfio_pci:v00008086d0000E20Bsv00008086sd00001234bc*sc*i* narrow_vfio_pci\n",
	      MA_XE, "narrow_vfio_pci", "vfio_pci:v00008086d0000E20Bsv00008086sd00001234bc*sc*i*"),
	FOUND("generic: only vfio_pci's own alias matches", GENERIC_ALIAS XE_ALIAS, MA_NIC,
	      "vfio_pci", GENERIC_PAT),
	FOUND("class: bc02sc00 beats bc*",
	      "alias vfio_pci:v00008086d*sv*sd*bc*sc*i* any_vfio_pci\n"
	      "alias vfio_pci:v00008086d*sv*sd*bc02sc00i* nic_vfio_pci\n", MA_NIC,
	      "nic_vfio_pci", "vfio_pci:v00008086d*sv*sd*bc02sc00i*"),
	NONE("class: bc02sc00 does not match a display",
	     "alias vfio_pci:v00008086d*sv*sd*bc02sc00i* nic_vfio_pci\n", MA_XE),
	NONE("no match: -ENOENT", XE_ALIAS MLX_ALIAS, MA_NIC),
	NONE("no match: empty text", "", MA_NIC),
	FOUND("tie: the first wins",
	      "alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* first_vfio_pci\n"
	      "alias vfio_pci:v00008086d*sv*sd00001234bc*sc*i* second_vfio_pci\n", MA_XE,
	      "first_vfio_pci", XE_PAT),
	FOUND("tie: the first wins, other order",
	      "alias vfio_pci:v00008086d*sv*sd00001234bc*sc*i* second_vfio_pci\n"
	      "alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* first_vfio_pci\n", MA_XE,
	      "second_vfio_pci", "vfio_pci:v00008086d*sv*sd00001234bc*sc*i*"),
	FOUND("pci: aliases of the same ids ignored",
	      "alias pci:v00008086d0000E20Bsv00008086sd00001234bc03sc00i00 xe\n"
	      "alias pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe\n" GENERIC_ALIAS, MA_XE, "vfio_pci",
	      GENERIC_PAT),
	NONE("pci: aliases only: -ENOENT", "alias pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe\n",
	     MA_XE),
	FOUND("other lines ignored",
	      "# Aliases extracted from modules themselves.\n"
	      "softdep vfio_pci pre: vfio\n"
	      " alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* indented_vfio_pci\n"
	      "alias vfio_pcix:v00008086d0000E20Bsv*sd*bc*sc*i* other_bus\n"
	      GENERIC_ALIAS, MA_XE, "vfio_pci", GENERIC_PAT),
	{ .name = "NUL-separated: the image list after parsing", .text = NUL_LIST,
	  .len = sizeof(NUL_LIST) - 1, .modalias = MA_XE, .module = "xe_vfio_pci",
	  .pattern = XE_PAT },
	{ .name = "NUL-separated: a pci: alias chunk ignored", .text = NUL_PCI,
	  .len = sizeof(NUL_PCI) - 1, .modalias = MA_XE, .rc = -ENOENT },
	FOUND("no module: ignored",
	      "alias vfio_pci:v00008086d0000E20Bsv00008086sd00001234bc03sc00i00\n" GENERIC_ALIAS,
	      MA_XE, "vfio_pci", GENERIC_PAT),
	FOUND("empty module: ignored",
	      "alias vfio_pci:v00008086d0000E20Bsv00008086sd00001234bc03sc00i00 \n" GENERIC_ALIAS,
	      MA_XE, "vfio_pci", GENERIC_PAT),
	NONE("empty lines and a bare prefix ignored", "\n\nalias vfio_pci:\nalias vfio_pci: \n",
	     MA_XE),
	NONE("a longer pattern does not match", "alias vfio_pci:" MA_XE "x long_vfio_pci\n",
	     MA_XE),
	NONE("a shorter pattern does not match",
	     "alias vfio_pci:v00008086d0000E20B short_vfio_pci\n", MA_XE),
	FOUND("no '*' at all: the exact modalias", "alias vfio_" MA_XE " exact_vfio_pci\n"
	      GENERIC_ALIAS, MA_XE, "exact_vfio_pci", "vfio_" MA_XE),
	FOUND("a last line without newline", GENERIC_ALIAS
	      "alias vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i* last_vfio_pci", MA_XE,
	      "last_vfio_pci", XE_PAT),
};


/* The text in a heap block of exactly its length, no NUL after it: ASan
 * sees a read past len. */
static int best(const struct best_case *c, char *module, char *pattern)
{
	size_t len = c->len ? c->len : strlen(c->text);
	char *text = malloc(len ? len : 1);
	int r;

	memcpy(text, c->text, len);
	r = variant_best(text, len, c->modalias, module, 64, pattern, 64);
	free(text);
	return r;
}

static void best_table(void)
{
	for (size_t i = 0; i < NDEVS(best_cases); i++) {
		const struct best_case *c = &best_cases[i];
		char module[64] = "untouched", pattern[64] = "untouched";
		int r = best(c, module, pattern);

		T_OK(r == c->rc, "best: %s: %s", c->name, c->rc ? "-ENOENT" : "found");
		if (r != c->rc)
			printf("#   got %d, module \"%s\"\n", r, module);
		if (c->rc || r)
			continue;
		T_STREQ(module, c->module, c->name);
		T_STREQ(pattern, c->pattern, c->name);
	}
}

static void modalias(void)
{
	struct pci_dev d = { .vendor = 0x15b3, .device = 0x101e, .subvendor = 0x15b3,
			     .subdevice = 0x0001, .class = 0x020000 };
	char buf[PCI_ALIAS_MAX];

	variant_modalias(&d, buf, sizeof(buf));
	T_STREQ(buf, MA_MLX, "modalias: as pci-sysfs.c modalias_show()");
	d = (struct pci_dev){ .vendor = 0x8086, .device = 0xe20b, .subvendor = 0xabcd,
			      .subdevice = 0xfeef, .class = 0x0c0330 };
	variant_modalias(&d, buf, sizeof(buf));
	T_STREQ(buf, "pci:v00008086d0000E20Bsv0000ABCDsd0000FEEFbc0Csc03i30",
		"modalias: upper-case hex, class split in bc/sc/i");
	d = (struct pci_dev){ .vendor = 0xffff, .device = 0xffff, .subvendor = 0xffff,
			      .subdevice = 0xffff, .class = 0xffffff };
	variant_modalias(&d, buf, sizeof(buf));
	T_STREQ(buf, "pci:v0000FFFFd0000FFFFsv0000FFFFsd0000FFFFbcFFscFFiFF",
		"modalias: the longest fits PCI_ALIAS_MAX with vfio_ in front");
	T_OK(strlen(buf) + strlen("vfio_") < PCI_ALIAS_MAX, "modalias: room for vfio_");
}

/* The image list the hooks write: vfio-pci's modules, then a variant's
 * section (its aliases, its modules). The paths do not exist here: under
 * --root nothing may be loaded. */
static void image_list(const char *sections)
{
	char path[256], text[1024];
	struct utsname u;

	uname(&u);
	snprintf(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	snprintf(text, sizeof(text), "/nonexistent/vfio.ko\n/nonexistent/vfio-pci-core.ko\n"
		 "/nonexistent/vfio-pci.ko\n%s", sections);
	fake_write(&fs, path, text, 0644);
}

#define XE_SECTION	"variant xe_vfio_pci\n" XE_ALIAS "/nonexistent/xe.ko\n" \
	"/nonexistent/xe-vfio-pci.ko\n"

static void boot(const char *cmdline)
{
	static const char *const none[] = { NULL };

	fs.journal[0] = '\0';
	fake_boot(&fs, cmdline, none);
	T_OK(fs.exit_status == 0, "%.60s: exit 0", cmdline);
	if (fs.exit_status)
		printf("# output:\n%s\n", fs.output);
}

/* Nothing was loaded or modprobed (the debug log names every finit_module). */
static void nothing_loaded(const char *name)
{
	T_OK(!has(fs.output, "finit_module") && !has(fs.output, "modprobe") &&
	     !has(fs.output, "cannot load"), "%s: no module load attempted", name);
}

static void boot_alias(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), NIC("0000:00:05.0", 3, "e1000e"),
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("rd.vfio.debug vfio.ids=0000:00:04.0,0000:00:05.0");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "alias: on the variant's driver");
	T_STREQ(ovr("0000:00:04.0"), XE_DRV, "alias: override is the driver's name");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "alias: the other device on vfio-pci");
	T_STREQ(fs.journal, "unbind xe 0000:00:04.0\nunbind e1000e 0000:00:05.0\n"
		"probe 0000:00:04.0\nprobe 0000:00:05.0\n", "alias: writes");
	T_OK(has(status(), "0000:00:04.0 8086:e20b:0300 group=2 prev=xe result=bound "
		 "reason=selector=0000:00:04.0 vfio=" XE_DRV ",alias\n"), "alias: status line");
	T_OK(has(status(), "0000:00:05.0 8086:10d3:0200 group=3 prev=e1000e result=bound "
		 "reason=selector=0000:00:05.0\n"), "alias: no vfio= for plain vfio-pci");
	T_OK(has(fs.output, "0000:00:04.0: bound to " XE_DRV " (was xe)"), "alias: bound logged");
	T_OK(has(fs.output, "0000:00:04.0: vfio driver " XE_DRV " (module " XE_MOD ", alias)"),
	     "alias: the choice logged");
	T_OK(has(fs.output, "0000:00:05.0: bound to vfio-pci (was e1000e)"),
	     "alias: the other device logged");
	nothing_loaded("alias");
	T_OK(has(fs.output, ": 2 bound, 0 already, 0 failed"), "alias: summary");
	T_OK(!has(fs.output, "error") && !has(fs.output, "warning"),
	     "alias: the read-back finds both where they belong");

	boot("rd.vfio.debug vfio.ids=0000:00:04.0,0000:00:05.0");
	T_STREQ(fs.journal, "", "alias again: nothing written");
	T_OK(has(status(), "0000:00:04.0 8086:e20b:0300 group=2 prev=" XE_DRV " result=already "
		 "reason=selector=0000:00:04.0 vfio=" XE_DRV ",alias\n"), "alias again: already");
	fake_cleanup(&fs);
}

static void boot_off_and_forced(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, "xe") };

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("vfio.ids=0000:00:04.0 rd.vfio.variant=0");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "variant=0: on vfio-pci");
	T_STREQ(ovr("0000:00:04.0"), "vfio-pci", "variant=0: override vfio-pci");
	T_OK(has(status(), "result=bound reason=selector=0000:00:04.0 "
		 "vfio=vfio-pci,rd.vfio.variant=0\n"), "variant=0: status");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("vfio.ids=0000:00:04.0=vfio-pci");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "=vfio-pci: on vfio-pci");
	T_STREQ(ovr("0000:00:04.0"), "vfio-pci", "=vfio-pci: override vfio-pci");
	T_OK(has(status(), "prev=xe result=bound reason=selector=0000:00:04.0=vfio-pci "
		 "vfio=vfio-pci,selector\n"), "=vfio-pci: status");
	fake_cleanup(&fs);

	/* An explicit =MODULE wins over rd.vfio.variant=0. */
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_variant(&fs, ACME_MOD, ACME_DRV);
	boot("vfio.ids=0000:00:04.0=acme-vf rd.vfio.variant=0");
	T_STREQ(drv("0000:00:04.0"), ACME_DRV, "=MODULE, variant=0: on the named variant");
	T_OK(has(status(), "vfio=" ACME_DRV ",selector\n"), "=MODULE, variant=0: status");
	fake_cleanup(&fs);
}

static void boot_unavailable(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, "xe") };

	/* named by =MODULE, nothing of it here */
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	boot("rd.vfio.debug vfio.ids=0000:00:04.0=other-vfio-pci");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "unavailable: kept on vfio-pci");
	T_STREQ(ovr("0000:00:04.0"), "vfio-pci", "unavailable: override vfio-pci");
	T_OK(has(fs.output, "0000:00:04.0: variant other_vfio_pci has no driver here: "
		 "vfio-pci instead"), "unavailable: logged");
	T_OK(has(status(), "result=bound reason=selector=") &&
	     has(status(), " vfio=vfio-pci,variant-unavailable\n"), "unavailable: status");
	T_OK(has(fs.output, "0000:00:04.0: bound to vfio-pci (was xe)"),
	     "unavailable: bound to vfio-pci logged");
	nothing_loaded("unavailable");
	fake_cleanup(&fs);

	/* chosen by its alias, its section in the list, not loaded */
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	boot("rd.vfio.debug vfio.ids=0000:00:04.0");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "alias unloaded: kept on vfio-pci");
	T_OK(has(status(), " vfio=vfio-pci,variant-unavailable\n"), "alias unloaded: status");
	T_OK(has(fs.output, "variant xe_vfio_pci by its alias "
		 "vfio_pci:v00008086d0000E20Bsv*sd*bc*sc*i*"), "alias unloaded: the alias logged");
	nothing_loaded("alias unloaded");
	fake_cleanup(&fs);
}

/* The =MODULE of a selector is for the device it named, never its group mates. */
static void boot_group_mate(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"),
		{ .addr = "0000:00:04.1", .vendor = 0x8086, .device = 0xe2f7, .class = 0x040300,
		  .group = 2, .driver = "snd_hda_intel", .native = "snd_hda_intel" },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("vfio.ids=0000:00:04.0=xe-vfio-pci");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "mate: the named device on the variant");
	T_STREQ(ovr("0000:00:04.0"), XE_DRV, "mate: its override");
	T_STREQ(drv("0000:00:04.1"), "vfio-pci", "mate: its slot mate on vfio-pci");
	T_STREQ(ovr("0000:00:04.1"), "vfio-pci", "mate: the mate's override vfio-pci");
	T_OK(has(status(), "0000:00:04.0 8086:e20b:0300 group=2 prev=xe result=bound ") &&
	     has(status(), " vfio=" XE_DRV ",selector\n"), "mate: status of the named device");
	T_OK(has(status(), "0000:00:04.1 8086:e2f7:0403 group=2 prev=snd_hda_intel "
		 "result=bound reason=group=slot,of=0000:00:04.0\n"),
	     "mate: the mate's status has no vfio=");
	fake_cleanup(&fs);
}

/* A device vfio-pci holds already moves to the variant its alias names. */
static void boot_from_vfio_pci(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, "vfio-pci") };

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("vfio.ids=8086:e20b");
	T_STREQ(fs.journal, "unbind vfio-pci 0000:00:04.0\nprobe 0000:00:04.0\n",
		"from vfio-pci: unbound from vfio-pci, probed");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "from vfio-pci: on the variant");
	T_OK(has(status(), "prev=vfio-pci result=bound reason=selector=8086:e20b "
		 "vfio=" XE_DRV ",alias\n"), "from vfio-pci: status");
	T_OK(has(fs.output, "0000:00:04.0: bound to " XE_DRV " (was vfio-pci)"),
	     "from vfio-pci: logged");
	fake_cleanup(&fs);
}

/* A dry run says what each device would get. */
static void boot_dry_run(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), NIC("0000:00:05.0", 3, "e1000e"),
	};
	static const char *const dry[] = { "--dry-run", NULL };

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_boot(&fs, "vfio.ids=0000:00:04.0,0000:00:05.0", dry);
	T_OK(has(fs.output, "0000:00:04.0 bind selector=0000:00:04.0 type=8086:e20b:0300 "
		 "group=2 driver=xe vfio=xe_vfio_pci,alias\n"),
	     "dry run: the variant's module while it is not loaded");
	T_OK(has(fs.output, "0000:00:05.0 bind selector=0000:00:05.0 type=8086:10d3:0200 "
		 "group=3 driver=e1000e vfio=vfio-pci,no-variant\n"), "dry run: vfio-pci");
	fake_variant(&fs, XE_MOD, XE_DRV);
	fake_boot(&fs, "vfio.ids=0000:00:04.0,0000:00:05.0", dry);
	T_OK(has(fs.output, "group=2 driver=xe vfio=" XE_DRV ",alias\n"),
	     "dry run: the driver's name once loaded");
	T_STREQ(fs.journal, "", "dry run: nothing written");
	fake_cleanup(&fs);
}

/* The running kernel's modules.alias under the tree: dir is "lib/modules"
 * or "usr/lib/modules". */
static void modules_alias(const char *dir, const char *release, const char *text)
{
	char path[256];
	struct utsname u;

	uname(&u);
	snprintf(path, sizeof(path), "%s/%s/modules.alias", dir, release ? release : u.release);
	fake_write(&fs, path, text, 0644);
}

#define HOST_ALIASES \
	"alias pci:v00008086d0000E20Bsv*sd*bc*sc*i* xe\n" XE_ALIAS MLX_ALIAS GENERIC_ALIAS \
	"alias pci:v000015B3d0000101Esv*sd*bc*sc*i* mlx5_core\n"

static void host_plan(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), MLX("0000:00:06.0", 4, "mlx5_core"),
		NIC("0000:00:05.0", 3, "e1000e"),
	};
	const char *line = "vfio.ids=0000:00:04.0,0000:00:05.0,0000:00:06.0";

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	RUN(line, "plan");
	T_OK(has(fs.output, "0000:00:04.0 bind selector=0000:00:04.0 type=8086:e20b:0300 "
		 "group=2 driver=xe vfio=" XE_DRV ",alias\n"), "plan: loaded variant's driver");
	T_OK(has(fs.output, "0000:00:06.0 bind selector=0000:00:06.0 type=15b3:101e:0200 "
		 "group=4 driver=mlx5_core vfio=mlx5_vfio_pci,alias\n"),
	     "plan: a variant not loaded named by its module");
	T_OK(has(fs.output, "group=3 driver=e1000e vfio=vfio-pci,no-variant\n"),
	     "plan: vfio-pci by default");
	RUN("rd.vfio.variant=0 vfio.ids=0000:00:04.0", "plan");
	T_OK(has(fs.output, "group=2 driver=xe vfio=vfio-pci,rd.vfio.variant=0\n"),
	     "plan: rd.vfio.variant=0");
	RUN("vfio.ids=0000:00:04.0=vfio-pci", "plan");
	T_OK(has(fs.output, "group=2 driver=xe vfio=vfio-pci,selector\n"), "plan: =vfio-pci");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("usr/lib/modules", NULL, HOST_ALIASES);
	RUN(line, "plan");
	T_OK(has(fs.output, "group=2 driver=xe vfio=" XE_MOD ",alias\n"),
	     "plan: usr/lib/modules/RELEASE/modules.alias read");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	RUN(line, "plan");
	T_OK(has(fs.output, "group=2 driver=xe vfio=vfio-pci,no-variant\n"),
	     "plan: no modules.alias, vfio-pci");
	fake_cleanup(&fs);
}

/* "vfio-early --root R --cmdline C plan --image-modules KVER": stdout only. */
static const char *image_modules(const char *cmdline, const char *release, int *status)
{
	static char out[1024];
	const char *bin = getenv("VFIO_EARLY");
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "%s --root %s --cmdline '%s' plan --image-modules %s "
		 "2>/dev/null", bin ? bin : "build/vfio-early", fs.root, cmdline, release);
	p = popen(cmd, "r");
	n = p ? fread(out, 1, sizeof(out) - 1, p) : 0;
	out[n] = '\0';
	*status = p ? pclose(p) : -1;
	return out;
}

static void host_image_modules(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), GPU("0000:00:08.0", 5, "xe"),
		MLX("0000:00:06.0", 4, "mlx5_core"), NIC("0000:00:05.0", 3, "e1000e"),
		NIC("0000:00:07.0", 6, "e1000e"),
	};
	const char *line = "vfio.ids=8086:e20b,15b3:101e,0000:00:05.0,0000:00:07.0=acme-vf";
	int st;

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", "6.99.0-test", HOST_ALIASES);
	T_STREQ(image_modules(line, "6.99.0-test", &st), "xe_vfio_pci\nmlx5_vfio_pci\nacme_vf\n",
		"image-modules: each variant once, nothing else");
	T_OK(st == 0, "image-modules: exit 0");
	T_STREQ(image_modules("vfio.ids=8086:e20b,15b3:101e rd.vfio.variant=0", "6.99.0-test",
			      &st), "", "image-modules: rd.vfio.variant=0: none");
	T_STREQ(image_modules("vfio.ids=0000:00:04.0=vfio-pci", "6.99.0-test", &st), "",
		"image-modules: =vfio-pci: none");
	T_STREQ(image_modules("vfio.ids=8086:e20b", "6.0.0-other", &st), "",
		"image-modules: no modules.alias for that release: none");
	T_STREQ(image_modules("quiet", "6.99.0-test", &st), "", "image-modules: no selector");
	T_STREQ(image_modules("vfio.ids=8086:e20b,zz:zz,0000:00:1f.0 rd.vfio.variant=maybe "
			      "rd.vfio.variant=1 rd.vfio.debug", "6.99.0-test", &st),
		"xe_vfio_pci\n", "image-modules: warnings and debug stay off stdout");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("usr/lib/modules", "6.99.0-test", HOST_ALIASES);
	T_STREQ(image_modules("vfio.ids=15b3:101e", "6.99.0-test", &st), "mlx5_vfio_pci\n",
		"image-modules: usr/lib/modules");
	fake_cleanup(&fs);

	/* The host builds the image before the boot that turns the IOMMU on:
	 * no iommu_groups yet, the IOMMU taken as on. */
	fake_init(&fs, devs, NDEVS(devs), 0, 1);
	modules_alias("lib/modules", "6.99.0-test", HOST_ALIASES);
	T_STREQ(image_modules(line, "6.99.0-test", &st), "xe_vfio_pci\nmlx5_vfio_pci\nacme_vf\n",
		"image-modules: no IOMMU yet: the same modules");
	fake_cleanup(&fs);
}

static void host_list(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), MLX("0000:00:06.0", 4, "mlx5_core"),
		NIC("0000:00:05.0", 3, "e1000e"),
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	RUN("vfio.ids=0000:00:04.0", "list");
	EXIT_IS(0, "list");
	T_OK(has(fs.output, "vfio drivers other than vfio-pci (DRIVER,WHY; SELECTOR=vfio-pci or "
		 "rd.vfio.variant=0 keeps vfio-pci):\n  0000:00:04.0 " XE_DRV ",alias\n"
		 "  0000:00:06.0 mlx5_vfio_pci,alias\n"), "list: note lines, selected or not");
	T_OK(!has(fs.output, "  0000:00:05.0 "), "list: no note for a vfio-pci device");
	RUN("vfio.ids=0000:00:04.0", "list", "--json");
	EXIT_IS(0, "list --json");
	T_OK(has(fs.output, "\"vfio_module\": \"xe_vfio_pci\", \"vfio_why\": \"alias\"}"),
	     "list --json: the variant's module and why");
	T_OK(has(fs.output, "\"vfio_module\": \"mlx5_vfio_pci\", \"vfio_why\": \"alias\"}"),
	     "list --json: an unselected device's too");
	T_OK(has(fs.output, "\"vfio_module\": \"vfio_pci\", \"vfio_why\": \"no-variant\"}"),
	     "list --json: vfio_pci for the NIC");
	RUN("rd.vfio.variant=0", "list", "--json");
	T_OK(has(fs.output, "\"vfio_module\": \"vfio_pci\", "
		 "\"vfio_why\": \"rd.vfio.variant=0\"}") &&
	     !has(fs.output, "xe_vfio_pci"), "list --json: rd.vfio.variant=0");
	RUN("vfio.ids=0000:00:05.0=acme-vf", "list", "--json");
	T_OK(has(fs.output, "\"vfio_module\": \"acme_vf\", \"vfio_why\": \"selector\"}"),
	     "list --json: =MODULE");
	RUN("vfio.ids=0000:00:05.0=acme-vf", "list");
	T_OK(has(fs.output, "  0000:00:05.0 acme_vf,selector\n"), "list: =MODULE noted");
	RUN("vfio.ids=0000:00:06.0=vfio-pci", "list");
	T_OK(!has(fs.output, "  0000:00:06.0 mlx5_vfio_pci"), "list: =vfio-pci: no note for it");
	fake_cleanup(&fs);
}

static void host_status(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, "xe") };
	static const char *const noargs[] = { NULL };

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	fake_boot(&fs, "vfio.ids=0000:00:04.0", noargs);
	RUN(NULL, "status");
	EXIT_IS(0, "status: on the variant");
	T_OK(has(fs.output, "0000:00:04.0 8086:e20b:0300 group=2 boot=bound now=" XE_DRV
		 " vfio=" XE_DRV ",alias ok\n"), "status: vfio= shown, ok");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_boot(&fs, "vfio.ids=0000:00:04.0=other-vfio-pci", noargs);
	RUN(NULL, "status");
	EXIT_IS(0, "status: variant unavailable, on vfio-pci");
	T_OK(has(fs.output, "0000:00:04.0 8086:e20b:0300 group=2 boot=bound now=vfio-pci "
		 "vfio=vfio-pci,variant-unavailable ok\n"), "status: the fallback shown, ok");
	fake_cleanup(&fs);
}

/* check: a selected device on vfio-pci whose variant the host has (the
 * initrd lacked it) is a WARN with the fix; on its variant, a PASS. */
static void host_check(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, NULL) };
	static const char *const noargs[] = { NULL };

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list("");
	fake_boot(&fs, "vfio.ids=0000:00:04.0", noargs);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	RUN("vfio.ids=0000:00:04.0", "check");
	T_OK(has(fs.output, "0000:00:04.0 gets " XE_DRV ",alias but is on vfio-pci"),
	     "check: on vfio-pci, not its variant: said");
	T_OK(has(fs.output, "rebuild the initrd"), "check: the fix named");
	fake_cleanup(&fs);

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	fake_boot(&fs, "vfio.ids=0000:00:04.0", noargs);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	RUN("vfio.ids=0000:00:04.0", "check");
	T_OK(has(fs.output, "0000:00:04.0 is on its variant driver " XE_DRV),
	     "check: on its variant: a PASS");
	T_OK(!has(fs.output, "but is on"), "check: no warning then");
	fake_cleanup(&fs);
}

static void host_bind(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, "xe"), NIC("0000:00:05.0", 3, "e1000e"),
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	RUN("", "bind", "0000:00:04.0");
	EXIT_IS(0, "bind: onto the variant");
	T_STREQ(fs.journal, "unbind xe 0000:00:04.0\nprobe 0000:00:04.0\n", "bind: writes");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "bind: on the variant");
	T_STREQ(ovr("0000:00:04.0"), XE_DRV, "bind: override is the driver's name");
	T_OK(has(fs.output, "0000:00:04.0 8086:e20b:0300 bound now=" XE_DRV " was=xe"),
	     "bind: result line");
	RUN("", "bind", "0000:00:04.0");
	EXIT_IS(0, "bind again");
	T_STREQ(fs.journal, "", "bind again: nothing written");
	RUN("rd.vfio.variant=0", "bind", "0000:00:05.0");
	EXIT_IS(0, "bind: a NIC with variant=0");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "bind: the NIC on vfio-pci");
	fake_cleanup(&fs);

	/* =vfio-pci on the command line of bind */
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	RUN("", "bind", "0000:00:04.0=vfio-pci");
	EXIT_IS(0, "bind =vfio-pci");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "bind =vfio-pci: on vfio-pci");
	fake_cleanup(&fs);
}

static void host_unbind(void)
{
	static const struct fake_dev devs[] = {
		GPU("0000:00:04.0", 2, XE_DRV),
		{ .addr = "0000:00:06.0", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 4, .driver = ACME_DRV, .native = "mlx5_core" },
	};
	char buf[64];

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_variant(&fs, XE_MOD, XE_DRV);
	fake_variant(&fs, ACME_MOD, ACME_DRV);
	fake_write(&fs, "sys/devices/pci0000:00/0000:00:04.0/driver_override", XE_DRV "\n", 0644);
	fake_write(&fs, "sys/devices/pci0000:00/0000:00:06.0/driver_override", ACME_DRV "\n",
		   0644);
	RUN("", "unbind", "0000:00:04.0");
	EXIT_IS(0, "unbind: from the variant");
	T_STREQ(fs.journal, "unbind " XE_DRV " 0000:00:04.0\nprobe 0000:00:04.0\n",
		"unbind: writes");
	T_STREQ(fake_file(&fs, "sys/bus/pci/devices/0000:00:04.0/driver_override", buf,
			  sizeof(buf)), "\n", "unbind: the variant's override cleared");
	T_STREQ(drv("0000:00:04.0"), "xe", "unbind: back on xe");
	T_OK(has(fs.output, "0000:00:04.0 8086:e20b:0300 released now=xe was=" XE_DRV),
	     "unbind: result line");
	RUN("", "unbind", "0000:00:06.0");
	EXIT_IS(0, "unbind: from a holder-based variant");
	T_STREQ(drv("0000:00:06.0"), "mlx5_core", "unbind: holder-based: back on mlx5_core");
	T_STREQ(fs.journal, "unbind " ACME_DRV " 0000:00:06.0\nprobe 0000:00:06.0\n",
		"unbind: holder-based: writes");
	fake_cleanup(&fs);
}

/* A driver with a module link that vfio_pci_core does not list. */
static void plain_driver(const char *module, const char *driver)
{
	char rel[256], to[256];

	snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/module", driver);
	snprintf(to, sizeof(to), "sys/module/%s", module);
	fake_symlink(&fs, rel, to);
}

static void host_acl_template(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 4, .driver = ACME_DRV, .native = "mlx5_core" },
		{ .addr = "0000:00:06.0", .vendor = 0x15b3, .device = 0x1021, .class = 0x020000,
		  .group = 6, .driver = "acme-other", .native = "mlx5_core" },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_variant(&fs, ACME_MOD, ACME_DRV);
	plain_driver("acme_other", "acme-other");
	RUN(NULL, "acl");
	T_OK(has(fs.output, "\"/dev/vfio/vfio\",\n    \"/dev/vfio/4\"\n]\n"),
	     "acl: a holder-based variant's group listed");
	T_OK(!has(fs.output, "/dev/vfio/6"), "acl: a driver vfio_pci_core does not hold is not");
	RUN(NULL, "template", "--address");
	EXIT_IS(0, "template");
	T_OK(has(fs.output, "# 0000:00:04.0") && !has(fs.output, "# 0000:00:06.0"),
	     "template: the holder-based variant's device only");
	fake_cleanup(&fs);
}

/* plan.c member_blocks(): a mate on a variant manages DMA; one on a host
 * driver blocks the group. */
static void group_mate_on_variant(void)
{
	static const struct fake_dev devs[] = {
		NIC("0000:00:05.0", 3, "e1000e"),
		{ .addr = "0000:00:07.0", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 3, .driver = ACME_DRV, .native = "mlx5_core" },
	};
	static const struct fake_dev blocked[] = {
		NIC("0000:00:05.0", 3, "e1000e"),
		{ .addr = "0000:00:07.0", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 3, .driver = "acme-other", .native = "mlx5_core" },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_variant(&fs, ACME_MOD, ACME_DRV);
	boot("vfio.ids=0000:00:05.0");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "mate on a variant: the device bound");
	T_STREQ(drv("0000:00:07.0"), ACME_DRV, "mate on a variant: the mate left on it");
	T_OK(!has(fs.output, "not usable") && !has(status(), "group-unusable"),
	     "mate on a variant: the group usable");
	RUN(NULL, "status");
	EXIT_IS(0, "mate on a variant: status");
	RUN(NULL, "acl");
	EXIT_IS(0, "mate on a variant: acl");
	T_OK(has(fs.output, "\"/dev/vfio/3\""), "mate on a variant: acl lists the group");
	fake_cleanup(&fs);

	fake_init(&fs, blocked, NDEVS(blocked), 1, 1);
	plain_driver("acme_other", "acme-other");
	boot("vfio.ids=0000:00:05.0");
	T_STREQ(drv("0000:00:05.0"), "e1000e", "mate on a host driver: the device kept");
	T_OK(has(status(), "0000:00:05.0 8086:10d3:0200 group=3 prev=- result=skipped "
		 "reason=group-unusable"), "mate on a host driver: group unusable");
	fake_cleanup(&fs);
}

/* The variant's probe fails: "on any failure it keeps vfio-pci". */
static void boot_variant_refuses(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0xe20b, .class = 0x030000,
		  .group = 2, .driver = "xe", .native = "xe", .refuse_driver = XE_DRV },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list(XE_SECTION);
	fake_variant(&fs, XE_MOD, XE_DRV);
	boot("vfio.ids=0000:00:04.0");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "variant refuses: kept on vfio-pci");
	T_OK(has(status(), "prev=xe result=bound reason=selector=0000:00:04.0 "
		 "vfio=vfio-pci,variant-unavailable\n"), "variant refuses: status");
	if (!has(status(), "vfio=vfio-pci,variant-unavailable\n"))
		printf("# status:\n%s# output:\n%s", status(), fs.output);
	fake_cleanup(&fs);
}

/* After boot: the udev rule's "vfio-early udev ADDR" with the running
 * kernel's modules.alias and the variant loaded. */
static void udev_variant(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0xe20b, .class = 0x030000,
		  .group = 2, .native = "xe", .later = 1 },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	fake_hotplug(&fs, "0000:00:04.0");
	T_STREQ(drv("0000:00:04.0"), "xe", "udev: on xe when the event comes");
	RUN("vfio.ids=8086:e20b", "udev", "0000:00:04.0");
	EXIT_IS(0, "udev: onto the variant");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "udev: on the variant");
	T_STREQ(ovr("0000:00:04.0"), XE_DRV, "udev: override is the driver's name");
	T_OK(has(status(), "0000:00:04.0 8086:e20b:0300 group=2 prev=xe result=bound "
		 "reason=selector=8086:e20b vfio=" XE_DRV ",alias at=udev\n"), "udev: status line");
	if (!has(status(), "at=udev"))
		printf("# status:\n%s# output:\n%s", status(), fs.output);
	RUN(NULL, "status");
	T_OK(has(fs.output, "0000:00:04.0 8086:e20b:0300 group=2 udev=bound now=" XE_DRV
		 " vfio=" XE_DRV ",alias ok\n"), "udev: status says it");
	fake_cleanup(&fs);
}

/* The initrd had no variant (no section in its list): the boot pass put
 * the device on vfio-pci. At the real root's coldplug the rule finds the
 * variant in the running kernel's modules.alias and moves the device on;
 * a replay of a device the boot pass put on vfio-pci by choice
 * (=vfio-pci, rd.vfio.variant=0) changes nothing. */
static void coldplug_upgrade(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, NULL) };
	static const char *const lines[] = {
		"vfio.ids=0000:00:04.0=vfio-pci", "vfio.ids=0000:00:04.0 rd.vfio.variant=0",
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	image_list("");
	boot("vfio.ids=0000:00:04.0");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "coldplug: the boot pass had no variant");
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	setenv("SYNTH_UUID", "0", 1);
	RUN("vfio.ids=0000:00:04.0", "udev", "0000:00:04.0");
	unsetenv("SYNTH_UUID");
	EXIT_IS(0, "coldplug: replay");
	T_STREQ(drv("0000:00:04.0"), XE_DRV, "coldplug: moved on to the variant");
	T_STREQ(ovr("0000:00:04.0"), XE_DRV, "coldplug: override is the driver's name");
	T_OK(has(fs.output, "0000:00:04.0: on vfio-pci since the boot pass, whose image had "
		 "not its variant xe_vfio_pci; moving it there"), "coldplug: said why");
	T_OK(has(status(), "0000:00:04.0 8086:e20b:0300 group=2 prev=vfio-pci result=bound "
		 "reason=selector=0000:00:04.0 vfio=" XE_DRV ",alias at=udev\n"),
	     "coldplug: status line");
	T_OK(!has(fs.journal, "unbind xe ") && !has(fs.journal, "probe 0000:00:04.0\nprobe"),
	     "coldplug: never near its host driver");
	fake_cleanup(&fs);
	for (size_t i = 0; i < NDEVS(lines); i++) {
		fake_init(&fs, devs, NDEVS(devs), 1, 1);
		image_list("");
		boot(lines[i]);
		modules_alias("lib/modules", NULL, HOST_ALIASES);
		fake_variant(&fs, XE_MOD, XE_DRV);
		fs.journal[0] = '\0';
		setenv("SYNTH_UUID", "0", 1);
		RUN(lines[i], "udev", "0000:00:04.0");
		unsetenv("SYNTH_UUID");
		T_OK(!strcmp(drv("0000:00:04.0"), "vfio-pci"), "coldplug: %s: stays", lines[i]);
		T_OK(!fs.journal[0], "coldplug: %s: nothing unbound or probed", lines[i]);
		fake_cleanup(&fs);
	}
}

/* rd.vfio.variant is a kstrtobool (lib/kstrtox.c); a bad value means
 * vfio-pci, said. */
static const struct {
	const char *param;
	const char *vfio;
} variant_params[] = {
	{ .param = "rd.vfio.variant=0", .vfio = "vfio=vfio-pci,rd.vfio.variant=0" },
	{ .param = "rd.vfio.variant=n", .vfio = "vfio=vfio-pci,rd.vfio.variant=0" },
	{ .param = "rd.vfio.variant=OFF", .vfio = "vfio=vfio-pci,rd.vfio.variant=0" },
	{ .param = "rd.vfio.variant=1", .vfio = "vfio=" XE_DRV ",alias" },
	{ .param = "rd.vfio.variant=yes", .vfio = "vfio=" XE_DRV ",alias" },
	{ .param = "rd.vfio.variant=on", .vfio = "vfio=" XE_DRV ",alias" },
	{ .param = "rd.vfio.variant", .vfio = "vfio=" XE_DRV ",alias" },
	{ .param = "rd.vfio.variant=0 rd.vfio.variant=1", .vfio = "vfio=" XE_DRV ",alias" },
	{ .param = "rd.vfio.variant=maybe", .vfio = "vfio=vfio-pci,rd.vfio.variant=0" },
};

static void variant_param(void)
{
	static const struct fake_dev devs[] = { GPU("0000:00:04.0", 2, "xe") };
	char line[128];

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	modules_alias("lib/modules", NULL, HOST_ALIASES);
	fake_variant(&fs, XE_MOD, XE_DRV);
	for (size_t i = 0; i < NDEVS(variant_params); i++) {
		snprintf(line, sizeof(line), "vfio.ids=0000:00:04.0 %s", variant_params[i].param);
		RUN(line, "plan");
		T_OK(has(fs.output, variant_params[i].vfio), "param: %s: %s",
		     variant_params[i].param, variant_params[i].vfio);
	}
	RUN("vfio.ids=0000:00:04.0 rd.vfio.variant=maybe", "plan");
	T_OK(has(fs.output, "rd.vfio.variant='maybe' is not 1/0, y/n or on/off: vfio-pci for "
		 "every device"), "param: a bad value said");
	fake_cleanup(&fs);
}

/* mlx5_vfio_pci is for VFs: the rule binds the VF a PF/vfN selector names
 * after boot, onto the variant its alias or =MODULE names. */
static void udev_vf(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:01:00.0", .vendor = 0x15b3, .device = 0x101d, .class = 0x020000,
		  .group = 1, .driver = "mlx5_core", .native = "mlx5_core", .sriov = 4,
		  .vf_device = 0x101e },
		{ .addr = "0000:01:10.0", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 2, .native = "mlx5_core", .physfn = "0000:01:00.0", .vf = 0,
		  .later = 1 },
		{ .addr = "0000:01:10.2", .vendor = 0x15b3, .device = 0x101e, .class = 0x020000,
		  .group = 3, .native = "mlx5_core", .physfn = "0000:01:00.0", .vf = 1,
		  .later = 1 },
	};
	static const char *const lines[] = {
		"vfio.ids=0000:01:00.0/vf1", "vfio.ids=0000:01:00.0/vf1=mlx5-vfio-pci",
	};

	for (size_t i = 0; i < NDEVS(lines); i++) {
		fake_init(&fs, devs, NDEVS(devs), 1, 1);
		modules_alias("lib/modules", NULL, i ? "" : HOST_ALIASES);
		image_list(i ? "" : "variant mlx5_vfio_pci\n" MLX_ALIAS);
		fake_variant(&fs, "mlx5_vfio_pci", "mlx5_vfio_pci");
		boot(lines[i]);
		fake_hotplug(&fs, "0000:01:10.0");
		fake_hotplug(&fs, "0000:01:10.2");
		RUN(lines[i], "udev", "0000:01:10.2");
		EXIT_IS(0, lines[i]);
		T_OK(!strcmp(drv("0000:01:10.2"), "mlx5_vfio_pci"), "VF: %s: VF 1 on the variant",
		     lines[i]);
		T_OK(has(status(), "0000:01:10.2 15b3:101e:0200 group=3 prev=- result=bound ") &&
		     has(status(), i ? " vfio=mlx5_vfio_pci,selector at=udev\n" :
			 " vfio=mlx5_vfio_pci,alias at=udev\n"), "VF: %s: status", lines[i]);
		RUN(lines[i], "udev", "0000:01:10.0");
		T_OK(!strcmp(drv("0000:01:10.0"), "mlx5_core"), "VF: %s: VF 0 on mlx5_core",
		     lines[i]);
		fake_cleanup(&fs);
	}
}

int main(void)
{
	best_table();
	modalias();
	boot_alias();
	boot_off_and_forced();
	boot_unavailable();
	boot_group_mate();
	boot_from_vfio_pci();
	boot_dry_run();
	host_plan();
	host_image_modules();
	host_list();
	host_status();
	host_check();
	host_bind();
	host_unbind();
	host_acl_template();
	group_mate_on_variant();
	boot_variant_refuses();
	udev_variant();
	coldplug_upgrade();
	variant_param();
	udev_vf();
	return t_done();
}
