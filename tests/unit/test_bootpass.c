// SPDX-License-Identifier: MIT
/*
 * The boot pass's order, rollback, read-back, summary and status lines, and
 * the modules list's ids, with the real binary against fake sysfs trees.
 */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fakeview.h"
#include "t.h"

#define NIC(a, g, drv) \
	{ .addr = a, .vendor = 0x8086, .device = 0x10d3, .class = 0x020000, .group = g, \
	  .driver = drv, .native = "e1000e" }

static void run(const struct fake_dev *devs, size_t n, int vfio, const char *cmdline)
{
	fake_init(&fs, devs, n, 1, vfio);
	fake_boot(&fs, cmdline, NULL);
	T_OK(fs.exit_status == 0, "%.50s: exit 0", cmdline);
}

/* Without vfio-pci nothing may be unbound and no override written. */
static void vfio_first(void)
{
	static const struct fake_dev devs[] = {
		NIC("0000:00:03.0", 1, "e1000e"), NIC("0000:00:04.0", 2, NULL),
	};

	run(devs, 2, 0, "vfio.ids=8086:10d3");
	T_STREQ(fs.journal, "", "no vfio-pci: nothing unbound, nothing probed");
	T_STREQ(ovr("0000:00:03.0"), "", "no vfio-pci: bound device's override untouched");
	T_STREQ(ovr("0000:00:04.0"), "", "no vfio-pci: unbound device's override untouched");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "no vfio-pci: stays on e1000e");
	T_OK(has(fs.output, "no device unbound, no override written"),
	     "no vfio-pci: says nothing was touched");
	T_OK(has(status(), "0000:00:03.0 8086:10d3:0200 group=1 prev=- result=failed "
		 "reason=vfio-pci-unavailable\n"), "no vfio-pci: status line");
	T_OK(has(fs.output, "done in ") && has(fs.output, ": 0 bound, 0 already, "
						  "2 failed, 0 skipped"), "no vfio-pci: summary");
	fake_cleanup(&fs);
}

/* driverctl's pci-stub override comes back when vfio-pci refuses the device. */
static void rollback_restores_override(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "e1000e", .native = "e1000e", .refuse_vfio = 1,
		  .override = "pci-stub\n" },
	};

	run(devs, 1, 1, "vfio.ids=0000:00:04.0");
	T_STREQ(ovr("0000:00:04.0"), "pci-stub", "rollback: previous override pci-stub restored");
	T_OK(has(fs.output, "override was pci-stub"), "rollback: the replaced override logged");
	T_OK(has(fs.output, "override back to pci-stub"), "rollback: restore logged");
	T_OK(has(status(), "prev=e1000e result=failed reason=vfio-pci-did-not-bind\n"),
	     "rollback: status");
	fake_cleanup(&fs);
}

static void rollback_restore_fails(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "e1000e", .native = "e1000e", .refuse_vfio = 1,
		  .stuck_override = 1 },
	};

	run(devs, 1, 1, "vfio.ids=0000:00:04.0");
	T_OK(has(fs.output, "override NOT restored, still vfio-pci:"),
	     "restore fails: says so");
	T_OK(!has(fs.output, "override back to"), "restore fails: no claim it worked");
	T_OK(has(status(), "result=failed reason=vfio-pci-did-not-bind"), "restore fails: status");
	fake_cleanup(&fs);
}

/* A refused unbind write is not waited for (the debug log shows every wait). */
static void refused_unbind_no_wait(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:03.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 1, .driver = "stubborn", .native = "stubborn", .refuse_unbind = 1 },
		NIC("0000:00:04.0", 2, "e1000e"),
	};

	run(devs, 2, 1, "rd.vfio.debug vfio.ids=8086:10d3");
	T_OK(!has(fs.output, "0000:00:03.0: waiting for"), "refused unbind: no wait at all");
	T_OK(has(fs.output, "0000:00:04.0: waiting for the unbind"),
	     "refused unbind: the other device's unbind is waited for (control)");
	T_STREQ(drv("0000:00:03.0"), "stubborn", "refused unbind: still on its driver");
	T_STREQ(ovr("0000:00:03.0"), "", "refused unbind: override restored to none");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "refused unbind: the other device bound");
	T_OK(has(status(), "0000:00:03.0 8086:10d3:0200 group=1 prev=stubborn result=failed "
		 "reason=unbind-failed\n"), "refused unbind: status");
	T_STREQ(fs.journal, "probe 0000:00:03.0\nunbind e1000e 0000:00:04.0\nprobe 0000:00:04.0\n",
		"refused unbind: only the rollback probe for it");
	fake_cleanup(&fs);
}

/* vfio-pci built in with vfio-pci.ids= took a device the guards skip. */
static void read_back_side_door(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
		  .driver = "vfio-pci", .native = "bochs-drm", .boot_vga = 1 },
		NIC("0000:00:04.0", 2, NULL),
		{ .addr = "0000:00:05.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
		  .group = 3, .driver = "vfio-pci", .native = "e1000" },
	};

	run(devs, 3, 1, "vfio-pci.ids=1234:1111,8086:10d3");
	T_OK(has(fs.output, "0000:00:02.0: skipped boot-vga, yet on vfio-pci: vfio-pci's own ids="),
	     "read-back: the skipped boot VGA on vfio-pci is an error");
	T_OK(has(status(), "0000:00:02.0 1234:1111:0300 group=0 prev=- result=skipped "
		 "reason=boot-vga now=vfio-pci\n"), "read-back: status says where it is");
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 prev=- result=bound "
		 "reason=selector=8086:10d3\n"), "read-back: a bound device's line has no now=");
	T_OK(!has(fs.output, "0000:00:05.0: not selected"), "read-back: on vfio-pci before: quiet");
	T_OK(has(fs.output, ": 1 bound, 0 already, 0 failed, 1 skipped"),
	     "read-back: summary counts");
	fake_cleanup(&fs);
}

static void summary_counts(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
		  .native = "bochs-drm", .boot_vga = 1 },
		NIC("0000:00:03.0", 1, "e1000e"),
		NIC("0000:00:04.0", 2, "vfio-pci"),
		{ .addr = "0000:00:05.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 3, .driver = "e1000e", .native = "e1000e", .refuse_vfio = 1 },
	};

	run(devs, 4, 1, "vfio.ids=8086:10d3,::0300");
	T_OK(has(fs.output, ": 1 bound, 1 already, 1 failed, 1 skipped\n"),
	     "summary: one of each");
	T_OK(has(status(), "# vfio-early status v1\n"), "status: header");
	T_OK(has(status(), "0000:00:03.0 8086:10d3:0200 group=1 prev=e1000e result=bound "
		 "reason=selector=8086:10d3\n"), "status: bound");
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 prev=vfio-pci result=already "
		 "reason=selector=8086:10d3\n"), "status: already");
	T_OK(has(status(), "0000:00:05.0 8086:10d3:0200 group=3 prev=e1000e result=failed "
		 "reason=vfio-pci-did-not-bind\n"), "status: failed");
	T_OK(has(status(), "0000:00:02.0 1234:1111:0300 group=0 prev=- result=skipped "
		 "reason=boot-vga\n"), "status: skipped");
	fake_cleanup(&fs);

	run(devs, 4, 1, "rd.vfio=0 vfio.ids=8086:10d3");
	T_OK(has(fs.output, ": 0 bound, 0 already, 0 failed, 0 skipped"),
	     "summary: also when disabled");
	fake_cleanup(&fs);
}

/* modprobe.d's "options vfio-pci ids=" reach the plan, guards included. */
static void list_ids_are_selectors(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
		  .native = "bochs-drm", .boot_vga = 1 },
		NIC("0000:00:04.0", 2, NULL),
		NIC("0000:00:05.0", 3, "e1000e"),
	};
	char path[256];
	struct utsname u;

	uname(&u);
	snprintf(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	fake_init(&fs, devs, 3, 1, 1);
	fake_write(&fs, path, "/lib/modules/x/vfio.ko nothing=1\n"
		   "/lib/modules/x/vfio-pci.ko.xz disable_vga=1 ids=8086:10d3:8086:0,1234:1111 "
		   "nointxmask=1\n", 0644);
	fake_boot(&fs, "vfio.ids=0000:00:05.0", NULL);
	T_OK(has(fs.output, "image's modprobe.d: vfio.nothing=1 vfio_pci.disable_vga=1 "
		 "vfio_pci.ids=8086:10d3:8086:0,1234:1111 vfio_pci.nointxmask=1\n"),
	     "list ids: the image's options logged in the command line's form");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "list ids: matching device bound by the plan");
	T_STREQ(drv("0000:00:02.0"), "", "list ids: the boot VGA guard holds");
	T_OK(has(status(), "0000:00:02.0 1234:1111:0300 group=0 prev=- result=skipped "
		 "reason=boot-vga\n"), "list ids: guarded device in status");
	T_OK(has(status(), "reason=selector=8086:10d3:8086:0\n"), "list ids: selector named");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "list ids: command-line selector still applies");
	fake_cleanup(&fs);

	fake_init(&fs, devs, 3, 1, 1);
	fake_write(&fs, path, "/x/vfio-pci.ko ids=zz:zz\n", 0644);
	fake_boot(&fs, "vfio.ids=0000:00:05.0", NULL);
	T_OK(has(fs.output, "'zz:zz'"), "list ids: a bad id is named");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "list ids: bad id changes nothing else");
	fake_cleanup(&fs);
}

static int lines(const char *text)
{
	int n = 0;

	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/*
 * The boot binary outside an initrd: a root without /init (early/boot.c:
 * in_initrd) is a booted host's. One line, exit 2, and nothing written:
 * no bind, no status, no modprobe.d file for rd.driver.blacklist=.
 * No boot status (an initrd without the hook) changes nothing: the booted
 * root's fallback is the udev rule (test_udev.c), and --real-root is gone.
 */
static void refused_outside_initrd(void)
{
	static const struct fake_dev devs[] = { NIC("0000:00:03.0", 1, "e1000e") };
	static const char *const dry[] = { "--dry-run", NULL };
	static const char *const nord[] = { "--no-rd-driver", NULL };
	static const char *const real[] = { "--real-root", NULL };
	const char *line = "vfio.ids=8086:10d3 rd.driver.blacklist=e1000e";
	char init[256], buf[256];

	fake_init(&fs, devs, 1, 1, 1);
	snprintf(init, sizeof(init), "%s/init", fs.root);
	unlink(init);
	T_STREQ(status(), "", "not an initrd: no boot status before the run");
	fake_boot(&fs, line, NULL);
	T_OK(fs.exit_status == 2, "not an initrd, no boot status: exit 2");
	T_OK(lines(fs.output) == 1 && has(fs.output, "not in an initrd"),
	     "not an initrd: one line says so");
	if (lines(fs.output) != 1)
		printf("# output:\n%s", fs.output);
	T_STREQ(fs.journal, "", "not an initrd: nothing unbound or probed");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "not an initrd: device left on its driver");
	T_STREQ(status(), "", "not an initrd: no status file");
	T_OK(!fake_file(&fs, "etc/modprobe.d/vfio-early-blacklist.conf", buf, sizeof(buf)),
	     "not an initrd: no modprobe.d file");
	fake_boot(&fs, line, dry);
	T_OK(fs.exit_status == 0 && has(fs.output, "0000:00:03.0 bind"),
	     "not an initrd: --dry-run still prints the plan");
	T_STREQ(status(), "", "not an initrd: --dry-run writes nothing");
	fake_boot(&fs, line, nord);
	T_OK(fs.exit_status == 2 && lines(fs.output) == 1 && has(fs.output, "not in an initrd"),
	     "not an initrd, no boot status, --no-rd-driver: exit 2, one line");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "not an initrd, --no-rd-driver: device left");
	T_STREQ(status(), "", "not an initrd, --no-rd-driver: no status file");
	fake_boot(&fs, line, real);
	T_OK(fs.exit_status == 2 && has(fs.output, "bad option or no value: --real-root"),
	     "--real-root is no option: exit 2");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "--real-root: device left on its driver");
	T_STREQ(status(), "", "--real-root: no status file");
	T_STREQ(fs.journal, "", "not an initrd: nothing unbound or probed in any run");
	fake_cleanup(&fs);

	fake_init(&fs, devs, 1, 1, 1);
	fake_boot(&fs, line, NULL);
	T_OK(fs.exit_status == 0, "initrd: exit 0");
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "initrd: the pass binds");
	T_OK(fake_file(&fs, "etc/modprobe.d/vfio-early-blacklist.conf", buf, sizeof(buf)) != NULL,
	     "initrd: rd.driver.blacklist= written");
	fake_cleanup(&fs);
}

int main(void)
{
	refused_outside_initrd();
	vfio_first();
	rollback_restores_override();
	rollback_restore_fails();
	refused_unbind_no_wait();
	read_back_side_door();
	summary_counts();
	list_ids_are_selectors();
	return t_done();
}
