// SPDX-License-Identifier: MIT
/*
 * The real vfio-early binary against fake sysfs trees: asserts exactly what
 * it wrote to driver_override, unbind and drivers_probe, and where each
 * device ended up.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fakeview.h"
#include "t.h"

#define E1000E(a, g) \
	{ .addr = a, .vendor = 0x8086, .device = 0x10d3, .class = 0x020000, .group = g, \
	  .driver = "e1000e", .native = "e1000e" }
#define E1000E_UNBOUND(a, g) \
	{ .addr = a, .vendor = 0x8086, .device = 0x10d3, .class = 0x020000, .group = g, \
	  .native = "e1000e" }

#define BOOT(devs, iommu, vfio, cmdline, ...)                                    \
	do {                                                                    \
		static const char *const extra_[] = { __VA_ARGS__, NULL };          \
		fake_init(&fs, devs, sizeof(devs) / sizeof(devs[0]), iommu, vfio); \
		fake_boot(&fs, cmdline, extra_);                                 \
		T_OK(fs.exit_status == 0, "%.60s: exit 0", cmdline);             \
		if (fs.exit_status)                                             \
			printf("# output: %s\n", fs.output);                  \
	} while (0)

static void twins_by_address(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1), E1000E("0000:00:04.0", 2) };

	BOOT(devs, 1, 1, "quiet vfio.ids=0000:00:04.0", NULL);
	T_STREQ(fs.journal, "unbind e1000e 0000:00:04.0\nprobe 0000:00:04.0\n", "twins: writes");
	T_STREQ(ovr("0000:00:04.0"), "vfio-pci", "twins: chosen override");
	T_STREQ(ovr("0000:00:03.0"), "", "twins: twin override untouched");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "twins: chosen on vfio-pci");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "twins: twin on e1000e");
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 prev=e1000e result=bound "
		 "reason=selector=0000:00:04.0\n"), "twins: status record");
	T_OK(!has(status(), "0000:00:03.0"), "twins: twin not in status");
	T_OK(has(fs.output, "select 0000:00:04.0"), "twins: selection logged");
	fake_cleanup(&fs);
}

static void short_address_and_unbound(void)
{
	static const struct fake_dev devs[] = {
		E1000E_UNBOUND("0000:00:03.0", 1), E1000E_UNBOUND("0000:00:04.0", 2),
	};

	BOOT(devs, 1, 1, "vfio.ids=00:04.0", NULL);
	T_STREQ(fs.journal, "probe 0000:00:04.0\n", "unbound: only a probe");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "unbound: on vfio-pci");
	T_STREQ(drv("0000:00:03.0"), "", "unbound: twin left for udev");
	fake_cleanup(&fs);
}

static const struct fake_dev display[] = {
	{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
	  .native = "bochs-drm", .boot_vga = 1 },
	{ .addr = "0000:00:05.0", .vendor = 0x1b36, .device = 0x0100, .class = 0x030000,
	  .group = 3, .native = "qxl" },
	E1000E_UNBOUND("0000:00:03.0", 1),
};

static void class_with_boot_vga(void)
{
	BOOT(display, 1, 1, "vfio.ids=::0300", NULL);
	T_STREQ(fs.journal, "probe 0000:00:05.0\n", "class: only the second display probed");
	T_STREQ(ovr("0000:00:02.0"), "", "class: boot VGA override untouched");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "class: second display on vfio-pci");
	T_OK(has(fs.output, "skip 0000:00:02.0") && has(fs.output, "rd.vfio.boot_vga=1"),
	     "class: boot VGA skip logged with the way to take it");
	T_OK(has(status(), "0000:00:02.0 1234:1111:0300 group=0 prev=- result=skipped reason=boot-vga"),
	     "class: boot VGA in status as skipped");
	fake_cleanup(&fs);

	BOOT(display, 1, 1, "vfio.ids=::0300 rd.vfio.boot_vga=1", NULL);
	T_STREQ(drv("0000:00:02.0"), "vfio-pci", "class: rd.vfio.boot_vga=1 takes it");
	fake_cleanup(&fs);
}

static const struct fake_dev gpu[] = {
	{ .addr = "0000:01:00.0", .vendor = 0x10de, .device = 0x1b80, .class = 0x030000,
	  .group = 1, .native = "nouveau" },
	{ .addr = "0000:01:00.1", .vendor = 0x10de, .device = 0x10f0, .class = 0x040300,
	  .group = 1, .driver = "snd_hda_intel", .native = "snd_hda_intel" },
	{ .addr = "0000:02:00.0", .vendor = 0x8086, .device = 0x1234, .class = 0x0c0330,
	  .group = 1, .driver = "xhci_hcd", .native = "xhci_hcd" },
	{ .addr = "0000:00:01.0", .vendor = 0x8086, .device = 0x1901, .class = 0x060400,
	  .group = 1, .driver = "pcieport", .native = "pcieport" },
};

/* The xhci in another slot of group 1 keeps the group from vfio: whole
 * groups or nothing, so the GPU and its audio stay on their drivers. */
static void group_slot(void)
{
	BOOT(gpu, 1, 1, "vfio.ids=10de:1b80", NULL);
	T_STREQ(fs.journal, "", "slot: unusable group, nothing written");
	T_STREQ(ovr("0000:01:00.0"), "", "slot: GPU override untouched");
	T_STREQ(drv("0000:01:00.1"), "snd_hda_intel", "slot: its audio function stays");
	T_STREQ(drv("0000:02:00.0"), "xhci_hcd", "slot: other slot of the group stays");
	T_STREQ(ovr("0000:00:01.0"), "", "slot: bridge untouched");
	T_OK(has(fs.output, "group 1: a VM cannot use 0000:01:00.0 (vfio needs the whole group); "
		 "nothing of the group was taken; 0000:02:00.0 (8086:1234:0c03) on xhci_hcd "
		 "blocks it; to include it: vfio.ids=0000:02:00.0@8086:1234"),
	     "slot: one line names the blocker, says nothing was taken, gives the selector");
	T_OK(!has(fs.output, "0000:01:00.1 (10de"), "slot: the slot mate is no blocker");
	T_OK(!has(fs.output, "vfio.ids=0000:00:01.0"), "slot: no warning for the bridge");
	T_OK(has(status(), "0000:01:00.0 10de:1b80:0300 group=1 prev=- result=skipped "
		 "reason=group-unusable"), "slot: GPU status says group-unusable");
	T_OK(!has(status(), "0000:01:00.1"), "slot: the mate left out of status");
	fake_cleanup(&fs);

	BOOT(gpu, 1, 1, "vfio.ids=10de:1b80,0000:02:00.0@8086:1234", NULL);
	T_STREQ(drv("0000:01:00.0"), "vfio-pci", "slot + fix: GPU on vfio-pci");
	T_STREQ(drv("0000:01:00.1"), "vfio-pci", "slot + fix: its audio function too");
	T_STREQ(drv("0000:02:00.0"), "vfio-pci", "slot + fix: the suggested selector takes xhci");
	T_OK(!has(fs.output, "a VM cannot use"), "slot + fix: group usable, no warning");
	T_OK(has(status(), "0000:01:00.1 10de:10f0:0403 group=1 prev=snd_hda_intel result=bound "
		 "reason=group=slot,of=0000:01:00.0"), "slot + fix: audio status names the reason");
	fake_cleanup(&fs);
}

static void group_all_and_none(void)
{
	BOOT(gpu, 1, 1, "vfio.ids=10de:1b80 rd.vfio.group=all", NULL);
	T_STREQ(drv("0000:02:00.0"), "vfio-pci", "all: whole group taken");
	T_STREQ(drv("0000:00:01.0"), "pcieport", "all: never the bridge");
	fake_cleanup(&fs);

	BOOT(gpu, 1, 1, "rd.vfio.group=all vfio.ids=10de:1b80 rd.vfio.group=none", NULL);
	T_STREQ(drv("0000:01:00.0"), "vfio-pci", "none: selected device taken");
	T_STREQ(drv("0000:01:00.1"), "snd_hda_intel", "none (last wins): audio stays");
	T_OK(has(fs.output, "vfio.ids=0000:01:00.1"), "none: warning names the audio function");
	fake_cleanup(&fs);
}

static const struct fake_dev chipset[] = {
	{ .addr = "0000:00:1f.0", .vendor = 0x8086, .device = 0x2918, .class = 0x060100,
	  .group = 5, .driver = "lpc_ich", .native = "lpc_ich" },
	{ .addr = "0000:00:1f.2", .vendor = 0x8086, .device = 0x2922, .class = 0x010601,
	  .group = 5, .driver = "ahci", .native = "ahci" },
	{ .addr = "0000:00:1f.3", .vendor = 0x8086, .device = 0x2930, .class = 0x0c0500,
	  .group = 5, .driver = "i801_smbus", .native = "i801_smbus" },
};

static void chipset_group(void)
{
	static const char *const lines[] = {
		"vfio.ids=0000:00:1f.3", "vfio.ids=0000:00:1f.3 rd.vfio.group=all",
	};

	for (size_t i = 0; i < 2; i++) {
		BOOT(chipset, 1, 1, lines[i], NULL);
		T_STREQ(fs.journal, "", "chipset: unusable group, nothing written");
		T_STREQ(drv("0000:00:1f.3"), "i801_smbus", "chipset: SMBus stays on its driver");
		T_OK(has(fs.output, "group 5: a VM cannot use 0000:00:1f.3 (vfio needs the whole "
			 "group); nothing of the group was taken"), "chipset: says nothing taken");
		T_OK(has(status(), "0000:00:1f.3 8086:2930:0c05 group=5 prev=- "
			 "result=skipped reason=group-unusable"), "chipset: status group-unusable");
		T_STREQ(ovr("0000:00:1f.2"), "", "chipset: SATA override untouched");
		T_STREQ(drv("0000:00:1f.2"), "ahci", "chipset: SATA stays on ahci");
		T_STREQ(drv("0000:00:1f.0"), "lpc_ich", "chipset: LPC stays");
		T_OK(has(fs.output, "0000:00:1f.2 (8086:2922:0106) on ahci blocks it") &&
		     has(fs.output, "0000:00:1f.0 (8086:2918:0601) on lpc_ich blocks it"),
		     "chipset: warning names SATA and LPC with their drivers");
		T_OK(!has(fs.output, "vfio.ids=0000:00:1f.2") &&
		     !has(fs.output, "vfio.ids=0000:00:1f.0") &&
		     has(fs.output, "no selector makes group 5 usable"),
		     "chipset: no fix that takes storage or a bridge, says so");
		fake_cleanup(&fs);
	}
	/* rd.vfio.group=none: exactly these devices, with the warning. */
	BOOT(chipset, 1, 1, "vfio.ids=0000:00:1f.3 rd.vfio.group=none", NULL);
	T_STREQ(fs.journal, "unbind i801_smbus 0000:00:1f.3\nprobe 0000:00:1f.3\n",
		"chipset none: only SMBus written");
	T_STREQ(drv("0000:00:1f.2"), "ahci", "chipset none: SATA stays on ahci");
	T_OK(has(fs.output, "0000:00:1f.2 (8086:2922:0106) on ahci blocks it") &&
	     has(fs.output, "no selector makes group 5 usable") &&
	     !has(fs.output, "nothing of the group was taken"), "chipset none: warned, taken");
	fake_cleanup(&fs);
	BOOT(chipset, 1, 1, "vfio.ids=::0106", NULL);
	T_STREQ(fs.journal, "", "class-only selector never takes mass storage");
	T_STREQ(drv("0000:00:1f.2"), "ahci", "class-only: SATA stays on ahci");
	fake_cleanup(&fs);
	BOOT(chipset, 1, 1, "vfio.ids=8086:2918", NULL);
	T_STREQ(fs.journal, "", "explicit bridge selector: nothing written");
	T_OK(has(fs.output, "bridges are never bound"), "bridge skip logged");
	fake_cleanup(&fs);
}

static void no_iommu(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1), E1000E("0000:00:04.0", 2) };

	BOOT(devs, 0, 1, "vfio.ids=0000:00:04.0", NULL);
	T_STREQ(fs.journal, "", "no IOMMU: nothing written");
	T_STREQ(ovr("0000:00:04.0"), "", "no IOMMU: override untouched");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "no IOMMU: stays on e1000e");
	T_OK(has(fs.output, "no IOMMU") && has(fs.output, "intel_iommu=on"),
	     "no IOMMU: error says how to fix it");
	T_OK(has(status(), "result=skipped reason=no-iommu"), "no IOMMU: status");
	fake_cleanup(&fs);
}

static void no_driver_override(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "e1000e", .native = "e1000e", .no_override = 1 },
	};

	BOOT(devs, 1, 1, "vfio.ids=8086:10d3", NULL);
	T_STREQ(fs.journal, "", "old kernel: nothing written (no new_id fallback)");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "old kernel: stays on e1000e");
	T_OK(has(status(), "result=failed reason=no-driver-override"), "old kernel: status");
	fake_cleanup(&fs);
}

static void vanishing_device(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "e1000e", .native = "e1000e", .vanish_on_unbind = 1 },
		E1000E("0000:00:05.0", 3),
	};

	BOOT(devs, 1, 1, "vfio.ids=8086:10d3", NULL);
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 prev=e1000e result=failed reason=vanished"),
	     "vanished: recorded as failed");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "vanished: the other device still bound");
	T_OK(has(fs.output, "vanished"), "vanished: logged");
	fake_cleanup(&fs);
}

static void vfio_refuses(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "e1000e", .native = "e1000e", .refuse_vfio = 1 },
		E1000E("0000:00:05.0", 3),
	};

	BOOT(devs, 1, 1, "vfio.ids=0000:00:04.0,0000:00:05.0", NULL);
	T_STREQ(fs.journal, "unbind e1000e 0000:00:04.0\nunbind e1000e 0000:00:05.0\n"
		"probe 0000:00:04.0\nprobe 0000:00:04.0\nprobe 0000:00:05.0\n",
		"refused: unbind, probe, rollback probe");
	T_STREQ(ovr("0000:00:04.0"), "", "refused: override cleared");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "refused: back on e1000e");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "refused: the other one bound");
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 prev=e1000e result=failed "
		 "reason=vfio-pci-did-not-bind"), "refused: status");
	fake_cleanup(&fs);
}

static void vfio_missing(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:04.0", 2) };

	BOOT(devs, 1, 0, "vfio.ids=0000:00:04.0", NULL);
	T_STREQ(ovr("0000:00:04.0"), "", "no vfio-pci: override cleared");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "no vfio-pci: back on e1000e");
	T_OK(has(status(), "result=failed reason=vfio-pci-unavailable"), "no vfio-pci: status");
	fake_cleanup(&fs);
}

static void disabled_and_bad_selectors(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1), E1000E("0000:00:04.0", 2) };

	BOOT(devs, 1, 1, "vfio.ids=0000:00:04.0 rd.vfio=0", NULL);
	T_STREQ(fs.journal, "", "rd.vfio=0: nothing written");
	T_OK(has(fs.output, "rd.vfio=0"), "rd.vfio=0: logged");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio.ids=zz:zz,../../x,0000:00:04.0,0000:00:1f vfio.ids=", NULL);
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "bad selectors: the valid one still applies");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "bad selectors: nothing else");
	T_OK(has(fs.output, "'zz:zz'") && has(fs.output, "'../../x'") &&
	     has(fs.output, "'0000:00:1f'") && has(fs.output, "empty selector"),
	     "bad selectors: each named");
	fake_cleanup(&fs);
}

static void kernel_vfio_pci_ids(void)
{
	static const struct fake_dev devs[] = {
		E1000E_UNBOUND("0000:00:03.0", 1), E1000E_UNBOUND("0000:00:04.0", 2),
		{ .addr = "0000:00:05.0", .vendor = 0x8086, .device = 0x100e, .class = 0x020000,
		  .group = 3, .native = "e1000" },
	};

	BOOT(devs, 1, 1, "vfio_pci.ids=8086:10d3:ffffffff:ffffffff:020000:ff0000", NULL);
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "vfio_pci.ids: first match");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "vfio_pci.ids: second match");
	T_STREQ(ovr("0000:00:05.0"), "", "vfio_pci.ids: other id untouched");
	fake_cleanup(&fs);
}

/* Subsystem ids come from uevent, or from the single files when it is absent. */
static void subsystem_ids(void)
{
	static const struct fake_dev with_uevent[] = {
		{ .addr = "0000:00:03.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 1, .native = "e1000e", .subvendor = 0x8086, .subdevice = 0xa01f },
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .native = "e1000e", .subvendor = 0x8086 },
	};
	static const struct fake_dev without_uevent[] = {
		{ .addr = "0000:00:03.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 1, .native = "e1000e", .no_uevent = 1, .subvendor = 0x8086,
		  .subdevice = 0xa01f },
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .native = "e1000e", .no_uevent = 1, .subvendor = 0x8086 },
	};

	BOOT(with_uevent, 1, 1, "vfio-pci.ids=8086:10d3:8086:a01f", NULL);
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "uevent: subsystem id matched");
	T_STREQ(ovr("0000:00:04.0"), "", "uevent: other subsystem id untouched");
	fake_cleanup(&fs);
	BOOT(without_uevent, 1, 1, "vfio-pci.ids=8086:10d3:8086:a01f", NULL);
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "no uevent: subsystem id matched");
	T_STREQ(ovr("0000:00:04.0"), "", "no uevent: other subsystem id untouched");
	fake_cleanup(&fs);
}

static void junk_in_devices_dir(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1) };
	static const char *const extra[] = { "--dry-run", NULL };
	char path[256];

	fake_init(&fs, devs, 1, 1, 1);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/..evil", fs.root);
	T_OK(symlink("../../../../etc", path) == 0, "junk: planted");
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:1f.9", fs.root);
	T_OK(mkdir(path, 0755) == 0, "junk: bad function number planted");
	fake_boot(&fs, "vfio.ids=::0200", extra);
	T_OK(has(fs.output, "\n0000:00:03.0 bind selector=::0200 type=8086:10d3:0200 group=1 "
		 "driver=e1000e vfio=vfio-pci,no-variant\n"), "junk: the real device planned");
	T_OK(!has(fs.output, "evil") && !has(fs.output, "1f.9"), "junk: never read");
	fake_cleanup(&fs);
}

static void already_bound(void)
{
	static const struct fake_dev devs[] = {
		{ .addr = "0000:00:04.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 2, .driver = "vfio-pci", .native = "e1000e" },
	};

	BOOT(devs, 1, 1, "vfio.ids=0000:00:04.0", NULL);
	T_STREQ(fs.journal, "", "already: no unbind, no probe");
	T_OK(has(status(), "prev=vfio-pci result=already"), "already: status");
	fake_cleanup(&fs);
}

static void dry_run_writes_nothing(void)
{
	char buf[64];

	BOOT(display, 1, 1, "vfio.ids=::0300 rd.driver.blacklist=bochs", "--dry-run");
	T_STREQ(fs.journal, "", "dry run: no unbind/probe");
	T_STREQ(ovr("0000:00:05.0"), "", "dry run: no override");
	T_OK(!fake_file(&fs, "run/vfio-early/status", buf, sizeof(buf)), "dry run: no status file");
	T_OK(!fake_file(&fs, "etc/modprobe.d/vfio-early-blacklist.conf", buf, sizeof(buf)),
	     "dry run: no blacklist file");
	T_OK(has(fs.output, "0000:00:05.0 bind selector=::0300 "), "dry run: bind line");
	T_OK(has(fs.output, "0000:00:02.0 skip boot-vga selector=::0300 "), "dry run: guard line");
	T_OK(has(fs.output, "0000:00:03.0 leave not-selected "), "dry run: other devices");
	fake_cleanup(&fs);
}

static void rd_driver_blacklist(void)
{
	static const struct fake_dev devs[] = { E1000E_UNBOUND("0000:00:03.0", 1) };
	char buf[512];

	BOOT(devs, 1, 1, "rd.driver.blacklist=nouveau,e1000e rd.driver.blacklist=snd_hda_intel", NULL);
	T_STREQ(fake_file(&fs, "etc/modprobe.d/vfio-early-blacklist.conf", buf, sizeof(buf)),
		"# written by vfio-early from rd.driver.blacklist=\nblacklist nouveau\n"
		"blacklist e1000e\nblacklist snd_hda_intel\n", "blacklist: accumulated");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "rd.driver.blacklist=nouveau", "--no-rd-driver");
	T_OK(!fake_file(&fs, "etc/modprobe.d/vfio-early-blacklist.conf", buf, sizeof(buf)),
	     "blacklist: left to dracut with --no-rd-driver");
	fake_cleanup(&fs);
}

static void long_cmdline(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1), E1000E("0000:00:04.0", 2) };
	static char line[16384];
	size_t n = 0;

	while (n < 12000)
		n += snprintf(line + n, sizeof(line) - n, "opt%zu=\"v a l\" ", n);
	snprintf(line + n, sizeof(line) - n, "vfio.ids=0000:00:04.0 -- vfio.ids=0000:00:03.0");
	BOOT(devs, 1, 1, line, NULL);
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "long line: selector after 12 KiB applies");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "long line: after -- belongs to init");
	fake_cleanup(&fs);
}

/* A device by designated fields; the group and native driver matter most. */
#define DEV(a, v, d, c, g, drv, nat, ...) \
	{ .addr = a, .vendor = v, .device = d, .class = c, .group = g, .driver = drv, \
	  .native = nat, __VA_ARGS__ }

/* Since Linux 5.19 a member bound to a driver without driver_managed_dma
 * blocks the group; vfio-pci variants, pci-stub and pcieport do not. */
static void dma_managed_viability(void)
{
	static const struct fake_dev managed[] = {
		DEV("0000:00:1c.0", 0x8086, 0x2948, 0x060400, 4, "pcieport", "pcieport", .bridge = 1),
		E1000E("0000:01:00.0", 4),
		DEV("0000:01:00.1", 0x8086, 0x10d3, 0x020000, 4, "pci-stub", "e1000e"),
		DEV("0000:01:00.2", 0x15b3, 0x101e, 0x020000, 4, "mlx5_vfio_pci", "mlx5_core"),
		DEV("0000:01:00.3", 0x8086, 0x0bd3, 0x020000, 4, "xe-vfio-pci", "xe"),
	};
	static const struct fake_dev unbound_mate[] = {
		E1000E("0000:01:00.0", 4), E1000E_UNBOUND("0000:02:00.0", 4),
		DEV("0000:00:1c.0", 0x8086, 0x2948, 0x060400, 4, NULL, "pcieport", .bridge = 1),
	};
	static const struct fake_dev edac[] = {
		DEV("0000:00:00.0", 0x8086, 0x3e30, 0x060000, 0, "ie31200_edac", "ie31200_edac"),
		DEV("0000:00:02.0", 0x8086, 0x3e92, 0x030000, 0, NULL, "i915"),
	};

	BOOT(managed, 1, 1, "vfio.ids=0000:01:00.0 rd.vfio.group=none", NULL);
	T_STREQ(drv("0000:01:00.0"), "vfio-pci", "dma: selected NIC bound");
	T_OK(!has(fs.output, "a VM cannot use"),
	     "dma: pcieport, pci-stub and vfio variants do not block the group");
	T_STREQ(drv("0000:01:00.1"), "pci-stub", "dma: pci-stub member left alone");
	fake_cleanup(&fs);

	BOOT(unbound_mate, 1, 1, "vfio.ids=0000:01:00.0", NULL);
	T_STREQ(drv("0000:01:00.0"), "e1000e", "unbound mate: group unusable, NIC stays");
	T_OK(has(fs.output, "nothing of the group was taken; 0000:02:00.0 (8086:10d3:0200) has "
		 "no driver yet, blocks it once one binds; to include it: vfio.ids=0000:02:00.0"),
	     "unbound mate: warned as blocking once its driver binds, with the fix");
	T_OK(!has(fs.output, "0000:00:1c.0 (8086:2948"), "unbound mate: unbound bridge not warned");
	fake_cleanup(&fs);

	BOOT(edac, 1, 1, "vfio.ids=0000:00:02.0", NULL);
	T_OK(has(fs.output, "0000:00:00.0 (8086:3e30:0600) on ie31200_edac blocks it and is a "
		 "bridge, never taken; no selector makes group 0 usable"),
	     "host bridge on an EDAC driver blocks, no fix suggested");
	T_OK(!has(fs.output, "vfio.ids=0000:00:00.0"), "host bridge: never suggested");
	fake_cleanup(&fs);
}

/* Bridge means header type 1/2 for the kernel; class 0680 may be a plain
 * endpoint. */
static void bridges_by_header(void)
{
	static const struct fake_dev devs[] = {
		DEV("0000:00:05.0", 0x1d0f, 0xefa0, 0x068000, 5, NULL, "fpga"),
		DEV("0000:00:06.0", 0x1d0f, 0xefa1, 0x068000, 6, NULL, "fpga", .bridge = 1),
		DEV("0000:00:07.0", 0x104c, 0xac28, 0x0c0010, 7, NULL, "cardbus", .bridge = 1),
		DEV("0000:00:05.1", 0x1d0f, 0xefa2, 0x068000, 5, NULL, "fpga"),
	};

	/* 05.1 (unbound, its driver would block group 5) is no slot mate, so
	 * the group stays unusable: nothing taken, 05.1 named as the fix. */
	BOOT(devs, 1, 1, "vfio.ids=0000:00:05.0,0000:00:06.0,0000:00:07.0", NULL);
	T_STREQ(fs.journal, "", "bridges: group 5 unusable, nothing written");
	T_STREQ(ovr("0000:00:05.1"), "", "0680 function never a slot mate");
	T_OK(has(fs.output, "to include it: vfio.ids=0000:00:05.1@1d0f:efa2"),
	     "0680 endpoint: suggested, since an address takes it");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio.ids=0000:00:05.0,0000:00:05.1,0000:00:06.0,0000:00:07.0", NULL);
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "0680 endpoint (type 0) selectable");
	T_STREQ(drv("0000:00:05.1"), "vfio-pci", "0680 endpoint by address: its group usable");
	T_STREQ(ovr("0000:00:06.0"), "", "type-1 device never selected (class 0680)");
	T_STREQ(ovr("0000:00:07.0"), "", "type-1 device never selected (class 0c00)");
	T_OK(has(fs.output, "skip 0000:00:06.0") && has(fs.output, "skip 0000:00:07.0"),
	     "bridge skips logged");
	T_STREQ(fs.journal, "probe 0000:00:05.0\nprobe 0000:00:05.1\n",
		"bridges: only the endpoints probed");
	fake_cleanup(&fs);
}

static const struct fake_dev storage[] = {
	DEV("0000:00:1f.2", 0x8086, 0x2922, 0x010601, 5, NULL, "ahci"),
	DEV("0000:00:1f.3", 0x8086, 0x2930, 0x0c0500, 5, NULL, "i801_smbus"),
	DEV("0000:03:00.0", 0x144d, 0xa808, 0x010802, 6, "nvme", "nvme"),
};

/* Mass storage only by its own address; by ids, class, vfio-pci.ids or as
 * a group mate never. */
static void storage_by_address_only(void)
{
	static const char *const never[] = {
		"vfio.ids=8086:2922", "vfio.ids=144d::0108", "vfio.ids=::0106",
		"vfio-pci.ids=8086:2922", "vfio-pci.ids=144d:a808",
		"rd.vfio.ids=8086:",
	};

	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++) {
		BOOT(storage, 1, 1, never[i], NULL);
		T_OK(!has(fs.journal, "0000:00:1f.2") && !has(fs.journal, "0000:03:00.0"),
		     "%s: no storage written", never[i]);
		T_OK(has(fs.output, "mass storage is taken only by its address"),
		     "%s: skip logged", never[i]);
		fake_cleanup(&fs);
	}
	BOOT(storage, 1, 1, "vfio.ids=0000:00:1f.3 rd.vfio.group=all", NULL);
	T_STREQ(fs.journal, "", "storage: never a group mate, so nothing taken");
	T_OK(has(fs.output, "0000:00:1f.2 (8086:2922:0106) has no driver yet, blocks it once one "
		 "binds and is mass storage, never taken; no selector makes group 5 usable"),
	     "storage: named as the blocker no selector takes");
	fake_cleanup(&fs);
	BOOT(storage, 1, 1, "vfio.ids=0000:00:1f.3 rd.vfio.group=none", NULL);
	T_STREQ(fs.journal, "probe 0000:00:1f.3\n", "storage none: the SMBus alone, as asked");
	fake_cleanup(&fs);

	BOOT(storage, 1, 1, "vfio.ids=0000:03:00.0", NULL);
	T_STREQ(drv("0000:03:00.0"), "vfio-pci", "storage by address: taken");
	T_OK(has(fs.output, "pin it to its ids: vfio.ids=0000:03:00.0@144d:a808"),
	     "storage by address: the pinned form recommended");
	fake_cleanup(&fs);

	BOOT(storage, 1, 1, "vfio.ids=03:00.0@144d:a808", NULL);
	T_STREQ(drv("0000:03:00.0"), "vfio-pci", "storage by pinned address: taken");
	T_OK(!has(fs.output, "pin it"), "storage by pinned address: no warning");
	fake_cleanup(&fs);
}

/* The boot display is boot_vga or boot_display at 1, whatever its class. */
static void boot_display_any_class(void)
{
	static const struct fake_dev devs[] = {
		DEV("0000:00:02.0", 0x1002, 0x1638, 0x038000, 1, NULL, "amdgpu", .boot_display = 1),
		DEV("0000:00:02.1", 0x1002, 0x1637, 0x040300, 1, NULL, "snd_hda_intel"),
		DEV("0000:00:03.0", 0x5333, 0x8811, 0x000100, 2, NULL, "s3fb", .boot_vga = 1),
		DEV("0000:00:03.1", 0x5333, 0x8812, 0x040100, 2, NULL, "snd"),
	};

	BOOT(devs, 1, 1, "vfio.ids=::0380,::0001,0000:00:03.0", NULL);
	T_STREQ(fs.journal, "", "boot display: nothing written");
	T_OK(has(fs.output, "skip 0000:00:02.0") && has(fs.output, "skip 0000:00:03.0") &&
	     has(fs.output, "rd.vfio.boot_vga=1"), "boot display: skips logged");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio.ids=0000:00:02.1,0000:00:03.1", NULL);
	T_STREQ(ovr("0000:00:02.0"), "", "boot_display: never a slot mate");
	T_STREQ(ovr("0000:00:03.0"), "", "boot_vga on class 000100: never a slot mate");
	T_STREQ(fs.journal, "", "boot display's audio: its group unusable, nothing written");
	T_OK(has(fs.output, "0000:00:02.0 (1002:1638:0380) has no driver yet, blocks it once "
		 "one binds and is the boot display, never taken"),
	     "boot display: named as blocking, never suggested");
	T_OK(!has(fs.output, "vfio.ids=0000:00:02.0"), "boot display: no fix that takes it");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio.ids=0000:00:02.1,0000:00:03.1 rd.vfio.group=none", NULL);
	T_STREQ(drv("0000:00:02.1"), "vfio-pci", "boot display's audio: none takes it as asked");
	T_STREQ(ovr("0000:00:02.0"), "", "boot display: none leaves it");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio.ids=::0380 rd.vfio.boot_vga=1", NULL);
	T_STREQ(drv("0000:00:02.0"), "vfio-pci", "boot display: rd.vfio.boot_vga=1 takes it");
	fake_cleanup(&fs);
}

/* Every syntax refuses an entry that names every device. */
static void match_all_refused(void)
{
	static const struct fake_dev devs[] = { E1000E_UNBOUND("0000:00:03.0", 1) };
	static const char *const lines[] = {
		"vfio.ids=::", "vfio.ids=:", "rd.vfio.ids=::", "vfio-pci.ids=ffffffff:ffffffff",
		"vfio_pci.ids=0xFFFFFFFF:0xffffffff:ffffffff:ffffffff:0:0",
		"vfio-pci.ids=ffffffff:ffffffff:ffffffff:ffffffff:0:ff000000",
		"vfio-pci.ids=1ffffffff:ffffffff",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		BOOT(devs, 1, 1, lines[i], NULL);
		T_STREQ(fs.journal, "", lines[i]);
		T_OK(has(fs.output, "matches every device"), "%s: refused with a reason", lines[i]);
		fake_cleanup(&fs);
	}
}

static void pinned_addresses(void)
{
	static const struct fake_dev devs[] = { E1000E("0000:00:03.0", 1), E1000E("0000:00:04.0", 2) };

	BOOT(devs, 1, 1, "vfio.ids=0000:00:04.0@10de:11bf,0000:00:03.0@8086:10d3", NULL);
	T_STREQ(fs.journal, "unbind e1000e 0000:00:03.0\nprobe 0000:00:03.0\n",
		"pinned: nothing written to the mismatched device");
	T_STREQ(ovr("0000:00:04.0"), "", "pinned mismatch: override untouched");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "pinned mismatch: stays on e1000e");
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "pinned match: bound");
	T_OK(has(fs.output, "error: skip 0000:00:04.0: selector=0000:00:04.0@10de:11bf pins "
		 "10de:11bf, but 8086:10d3:0200 is there now"), "pinned mismatch: error names it");
	T_OK(has(status(), "0000:00:04.0 8086:10d3:0200 group=2 ") &&
	     has(status(), " result=skipped reason=pinned-id-mismatch\n"), "pinned mismatch: status");
	fake_cleanup(&fs);
}

/* rd.vfio: only a clear "on" keeps the pass on; rd.vfio.boot_vga: only a
 * clear "on" drops the guard. */
static void boolean_values(void)
{
	static const struct fake_dev devs[] = {
		DEV("0000:00:02.0", 0x1234, 0x1111, 0x030000, 0, NULL, "bochs-drm", .boot_vga = 1),
		E1000E_UNBOUND("0000:00:04.0", 2),
	};
	static const char *const off[] = { "OFF", "N", "0", "f", "", "2", "maybe", "o", "no" };
	static const char *const on[] = { "1", "Y", "yes", "on", "ON", "t", "T" };
	char line[96];

	for (size_t i = 0; i < sizeof(off) / sizeof(off[0]); i++) {
		snprintf(line, sizeof(line), "vfio.ids=0000:00:04.0 rd.vfio=%s", off[i]);
		BOOT(devs, 1, 1, line, NULL);
		T_STREQ(fs.journal, "", line);
		T_OK(has(fs.output, "binding nothing"), "%s: logged", line);
		fake_cleanup(&fs);
	}
	BOOT(devs, 1, 1, "vfio.ids=0000:00:04.0 rd.vfio=maybe", NULL);
	T_OK(has(fs.output, "rd.vfio='maybe' is not 1/0, y/n or on/off"), "rd.vfio=maybe: says why");
	fake_cleanup(&fs);
	for (size_t i = 0; i < sizeof(on) / sizeof(on[0]); i++) {
		snprintf(line, sizeof(line), "vfio.ids=0000:00:02.0 rd.vfio=%s rd.vfio.boot_vga=%s",
			 on[i], on[i]);
		BOOT(devs, 1, 1, line, NULL);
		T_STREQ(drv("0000:00:02.0"), "vfio-pci", line);
		fake_cleanup(&fs);
	}
	BOOT(devs, 1, 1, "vfio.ids=0000:00:02.0 rd.vfio rd.vfio.boot_vga", NULL);
	T_STREQ(drv("0000:00:02.0"), "vfio-pci", "bare keys are true");
	fake_cleanup(&fs);
	BOOT(devs, 1, 1, "vfio.ids=0000:00:02.0 rd.vfio.boot_vga=sure", NULL);
	T_STREQ(fs.journal, "", "rd.vfio.boot_vga=sure: guard kept");
	T_OK(has(fs.output, "warning: rd.vfio.boot_vga='sure' is not 1/0, y/n or on/off: the boot "
		 "display stays guarded"), "rd.vfio.boot_vga=sure: warned");
	fake_cleanup(&fs);
}

/* vfio-pci.ids entries read as vfio_pci_fill_ids() reads them. */
static void kernel_ids_as_sscanf(void)
{
	static const struct fake_dev devs[] = {
		E1000E_UNBOUND("0000:00:03.0", 1),
		DEV("0000:00:05.0", 0x8086, 0x100e, 0x020000, 3, NULL, "e1000"),
		DEV("0000:00:06.0", 0x10de, 0x11bf, 0x030000, 4, NULL, "nouveau"),
	};

	BOOT(devs, 1, 1, "vfio-pci.ids=\",0x8086:0X10D3junk,, 10de: 11BF:,zz:1\"", NULL);
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "sscanf: 0x prefix, upper case, trailing junk");
	T_STREQ(drv("0000:00:06.0"), "vfio-pci", "sscanf: leading spaces, trailing ':'");
	T_STREQ(ovr("0000:00:05.0"), "", "sscanf: other ids untouched");
	T_OK(has(fs.output, "'zz:1'") && !has(fs.output, "empty selector"),
	     "sscanf: bad entry named, empty entries skipped silently");
	fake_cleanup(&fs);

	BOOT(devs, 1, 1, "vfio-pci.ids=8086:10d3 vfio-pci.ids=8086:100e", NULL);
	T_STREQ(ovr("0000:00:03.0"), "", "vfio-pci.ids: an earlier occurrence is replaced");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "vfio-pci.ids: the last occurrence counts");
	fake_cleanup(&fs);

	{
		static char line[1200];
		size_t n = (size_t)snprintf(line, sizeof(line), "vfio-pci.ids=8086:100e vfio_pci.ids=");

		while (n < 14 + 1024 + 20)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "10de:11bf,");
		snprintf(line + n, sizeof(line) - n, " vfio-pci.ids");
		BOOT(devs, 1, 1, line, NULL);
		T_STREQ(drv("0000:00:05.0"), "vfio-pci",
			"vfio-pci.ids: one over 1023 characters or bare leaves the previous one");
		T_STREQ(ovr("0000:00:06.0"), "", "vfio-pci.ids: the over-long one names nothing");
		fake_cleanup(&fs);
	}
}

/* Intel VMD puts devices in domains past ffff: "10000:e1:00.0". */
static void wide_domain(void)
{
	static const struct fake_dev devs[] = {
		DEV("10000:e1:00.0", 0x144d, 0xa80a, 0x020000, 9, "e1000e", "e1000e"),
		E1000E("0000:00:04.0", 2),
	};
	static const char *const extra[] = { "--dry-run", NULL };

	BOOT(devs, 1, 1, "vfio.ids=10000:e1:00.0", NULL);
	T_STREQ(fs.journal, "unbind e1000e 10000:e1:00.0\nprobe 10000:e1:00.0\n",
		"wide domain: written by its full address");
	T_STREQ(drv("10000:e1:00.0"), "vfio-pci", "wide domain: bound");
	T_OK(has(status(), "10000:e1:00.0 144d:a80a:0200 group=9 prev=e1000e result=bound"),
	     "wide domain: status");
	fake_cleanup(&fs);

	fake_init(&fs, devs, 2, 1, 1);
	fake_boot(&fs, "vfio.ids=144d:a80a", extra);
	T_OK(has(fs.output, "\n0000:00:04.0 leave") &&
	     has(fs.output, "\n10000:e1:00.0 bind selector=144d:a80a type=144d:a80a:0200 group=9"),
	     "wide domain: plan line, sorted after domain 0000");
	fake_cleanup(&fs);
}

/* The boot pass holds every SR-IOV PF whose VFs a selector may name, in any
 * form, before a PF driver could make VFs (max_vfs=): sriov_drivers_autoprobe
 * 0. A VF is VF n at the PF's devfn + sriov_offset (128) + n * sriov_stride
 * (2), with the PF's vendor and sriov_vf_device: 01:10.0, 01:10.2, ... */
static void sriov_hold(void)
{
	static const struct fake_dev pf[] = {
		{ .addr = "0000:01:00.0", .vendor = 0x8086, .device = 0x10c9, .class = 0x020000,
		  .group = 1, .driver = "igb", .native = "igb", .sriov = 7, .vf_device = 0x10ca },
	};
	static const struct { const char *line; const char *want; } cases[] = {
		{ "vfio.ids=0000:01:10.0", "0" },		/* VF 0 by address */
		{ "vfio.ids=01:11.4", "0" },			/* VF 6 */
		{ "vfio.ids=0000:01:11.6", "1" },		/* VF 7: past sriov_totalvfs */
		{ "vfio.ids=0000:01:10.1", "1" },		/* between VFs (stride 2) */
		{ "vfio.ids=8086:10ca", "0" },			/* the VFs' ids */
		{ "vfio.ids=:10ca", "0" },			/* any vendor, the VFs' device */
		{ "vfio.ids=:10ca:0200", "0" },			/* a class is not known before */
		{ "vfio.ids=8086:10d3", "1" },			/* another device */
		{ "vfio-pci.ids=8086:10ca:1234:5678", "0" },	/* subsystem ids: not known */
		{ "vfio.ids=0000:01:00.0/vf6", "0" },
		{ "vfio.ids=0000:01:00.0/vf", "0" },
		{ "vfio.ids=0000:01:10.0@8086:10ca", "0" },	/* pinned to the VFs' ids */
		{ "vfio.ids=0000:01:10.0@8086:10d3", "1" },	/* pinned to other ids */
	};
	char buf[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		BOOT(pf, 1, 1, cases[i].line, NULL);
		fake_file(&fs, "sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", buf,
			  sizeof(buf));
		T_OK(buf[0] == cases[i].want[0], "sriov hold: %s: sriov_drivers_autoprobe %s",
		     cases[i].line, cases[i].want);
		T_OK(!strcmp(fake_driver(&fs, "0000:01:00.0", buf, sizeof(buf)), "igb"),
		     "sriov hold: %s: the PF stays on igb", cases[i].line);
		fake_cleanup(&fs);
	}
	BOOT(pf, 1, 1, "vfio.ids=0000:01:10.0", "--dry-run");
	fake_file(&fs, "sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", buf, sizeof(buf));
	T_OK(buf[0] == '1', "sriov hold: --dry-run holds nothing");
	fake_cleanup(&fs);
	BOOT(pf, 0, 1, "vfio.ids=0000:01:10.0", NULL);
	fake_file(&fs, "sys/bus/pci/devices/0000:01:00.0/sriov_drivers_autoprobe", buf, sizeof(buf));
	T_OK(buf[0] == '1', "sriov hold: no IOMMU, nothing held");
	fake_cleanup(&fs);
}

int main(void)
{
	twins_by_address();
	short_address_and_unbound();
	class_with_boot_vga();
	group_slot();
	group_all_and_none();
	chipset_group();
	no_iommu();
	no_driver_override();
	vanishing_device();
	vfio_refuses();
	vfio_missing();
	disabled_and_bad_selectors();
	kernel_vfio_pci_ids();
	subsystem_ids();
	junk_in_devices_dir();
	already_bound();
	dry_run_writes_nothing();
	rd_driver_blacklist();
	long_cmdline();
	dma_managed_viability();
	bridges_by_header();
	storage_by_address_only();
	boot_display_any_class();
	match_all_refused();
	pinned_addresses();
	boolean_values();
	kernel_ids_as_sscanf();
	wide_domain();
	sriov_hold();
	return t_done();
}
