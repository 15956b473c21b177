// SPDX-License-Identifier: MIT
/*
 * After boot: the real binary's "udev ADDR" (what the udev rule runs) and
 * the boot pass's VF handling against fake trees. The fake kernel plays
 * device_add() (fake_hotplug: a loaded native driver binds before udev
 * sees the event) and pci_device_can_probe() (a VF without override is
 * probed only while its PF's sriov_drivers_autoprobe is 1).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fakeview.h"
#include "t.h"

#define PF		"0000:01:00.0"
#define VF0		"0000:01:10.0"
#define VF1		"0000:01:10.2"

static char b2[4096];

static const char *file(const char *rel)
{
	const char *t = fake_file(&fs, rel, b2, sizeof(b2));

	return t ? t : "";
}

/* The boot pass: the boot binary. */
#define BOOT(cmdline)                                                          \
	do {                                                                   \
		fs.journal[0] = '\0';                                          \
		fake_boot(&fs, cmdline, NULL);                                  \
	} while (0)

#define EXIT0(name)                                                            \
	do {                                                                   \
		T_OK(fs.exit_status == 0, "%s: exit 0", name);                 \
		if (fs.exit_status)                                            \
			printf("# exit %d, output:\n%s\n", fs.exit_status, fs.output); \
	} while (0)

#define OUT_HAS(s, name)                                                       \
	do {                                                                   \
		T_OK(has(fs.output, s), "%s", name);                           \
		if (!has(fs.output, s))                                        \
			printf("# want \"%s\" in:\n%s\n", s, fs.output);       \
	} while (0)

/* An 82576 (igb) PF and its two VFs (igbvf), created later; an e1000e. */
static struct fake_dev sriov_devs[] = {
	{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
	  .group = 0, .driver = "bochs-drm", .native = "bochs-drm", .boot_vga = 1 },
	{ .addr = PF, .vendor = 0x8086, .device = 0x10c9, .class = 0x020000, .group = 1,
	  .driver = "igb", .native = "igb", .sriov = 7, .vf_device = 0x10ca },
	{ .addr = VF0, .vendor = 0x8086, .device = 0x10ca, .class = 0x020000, .group = 2,
	  .native = "igbvf", .physfn = PF, .vf = 0, .later = 1 },
	{ .addr = VF1, .vendor = 0x8086, .device = 0x10ca, .class = 0x020000, .group = 3,
	  .native = "igbvf", .physfn = PF, .vf = 1, .later = 1 },
};

/* The real root's coldplug: udevadm trigger replays "add" (SYNTH_UUID). */
static void coldplug(const char *cmdline, const char *addr)
{
	setenv("SYNTH_UUID", "0", 1);
	RUN(cmdline, "udev", addr);
	unsetenv("SYNTH_UUID");
	EXIT0("coldplug replay");
}

/* sriov_numvfs=2: the kernel adds both VFs, then udev runs the rule for each. */
static void make_vfs(const char *cmdline)
{
	fake_hotplug(&fs, VF0);
	fake_hotplug(&fs, VF1);
	RUN(cmdline, "udev", VF0);
	EXIT0("udev VF0");
	RUN(cmdline, "udev", VF1);
	EXIT0("udev VF1");
}

static void test_one_vf(void)
{
	const char *cmd = "intel_iommu=on vfio.ids=0000:01:00.0/vf1";
	char journal[8192];

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	BOOT(cmd);
	T_OK(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), "0", 1),
	     "boot pass: holds the PF before its driver could make VFs (max_vfs=)");
	OUT_HAS("0000:01:00.0: sriov_drivers_autoprobe=0: VFs held until the rule decides each (a VF may match selector=0000:01:00.0/vf1)", "boot pass: says so");
	T_OK(!has(fs.output, "matches no PCI device"), "boot pass: no unmatched warning for VFs to come");
	T_STREQ(drv(PF), "igb", "boot pass: the PF stays on igb");
	coldplug(cmd, PF);
	T_OK(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), "0", 1),
	     "coldplug replay of the PF: its VFs still held (sriov_drivers_autoprobe 0)");
	T_OK(!has(fs.output, "VFs held"), "coldplug replay: held already, nothing said");
	fake_hotplug(&fs, VF0);
	fake_hotplug(&fs, VF1);
	T_OK(!drv(VF0)[0] && !drv(VF1)[0], "held: igbvf did not take the new VFs");
	RUN(cmd, "udev", VF1);
	EXIT0("udev VF1");
	snprintf(journal, sizeof(journal), "%s", fs.journal);
	T_STREQ(drv(VF1), "vfio-pci", "the selected VF1 is on vfio-pci");
	OUT_HAS("select " VF1 " (8086:10ca:0200, group 3, driver none) by selector=0000:01:00.0/vf1",
		"udev VF1: the selection is logged as at boot");
	OUT_HAS(VF1 ": bound to vfio-pci (was unbound)", "udev VF1: the bind is logged");
	T_OK(!has(journal, "unbind"), "udev VF1: nothing to unbind (igbvf never had it)");
	RUN(cmd, "udev", VF0);
	EXIT0("udev VF0");
	T_STREQ(drv(VF0), "igbvf", "the other VF is probed for igbvf");
	OUT_HAS(VF0 ": VF 0 of " PF ", not for vfio-pci: probed for its own driver, now on igbvf",
		"udev VF0: logged");
	T_OK(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), "0", 1),
	     "the PF holds its VFs again afterwards");
	T_OK(has(file("run/vfio-early/status"), VF1 " 8086:10ca:0200 group=3 prev=- result=bound "
		     "reason=selector=0000:01:00.0/vf1 at=udev\n"), "status: VF1 recorded at=udev");
	T_OK(!has(file("run/vfio-early/status"), VF0), "status: VF0 (not selected) not recorded");
	RUN(NULL, "status");
	T_OK(fs.exit_status == 0, "status: exit 0");
	OUT_HAS(VF1 " 8086:10ca:0200 group=3 udev=bound now=vfio-pci ok", "status: shows VF1 udev=bound");
	RUN(cmd, "list");
	T_OK(has(fs.output, VF1) && has(fs.output, " bind "), "list: VF1 is bound by the command line");
	RUN(cmd, "udev", VF1);
	EXIT0("udev VF1 again");
	T_STREQ(drv(VF1), "vfio-pci", "a second event: still on vfio-pci");
	T_OK(!has(fs.journal, "probe"), "a second event: nothing probed");
	fake_cleanup(&fs);
}

/* plan: a VF selector whose PF is there is not "matching nothing" (its VFs
 * come after boot); one that can never match is warned of, with why. */
static void test_plan(void)
{
	static const struct { const char *line, *why; } never[] = {
		{ "vfio.ids=0000:02:00.0/vf1", "selector 0000:02:00.0/vf1 can never match: no such PF" },
		{ "vfio.ids=0000:01:00.0/vf7", "selector 0000:01:00.0/vf7 can never match: "
		  "0000:01:00.0 has sriov_totalvfs 7: VFs 0 to 6" },
		{ "vfio.ids=0000:00:02.0/vf", "selector 0000:00:02.0/vf can never match: "
		  "0000:00:02.0 has no SR-IOV (no sriov_totalvfs)" },
	};

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	RUN(NULL, "plan", "--cmdline", "vfio.ids=0000:01:00.0/vf1");
	T_OK(fs.exit_status == 0 && has(fs.output, "0 selectors matching nothing") &&
	     !has(fs.output, "never match"), "plan: PF/vf1 of a PF that is there: exit 0");
	for (size_t i = 0; i < NDEVS(never); i++) {
		RUN(NULL, "plan", "--cmdline", never[i].line);
		T_OK(fs.exit_status == 1, "plan never '%s': exit 1, nothing else bound", never[i].line);
		OUT_HAS(never[i].why, never[i].line);
	}
	RUN(NULL, "plan", "--cmdline", "vfio.ids=0000:01:00.0/vf9,0000:01:00.0/vf1");
	T_OK(fs.exit_status == 0 && has(fs.output, "0000:01:00.0/vf9 can never match"),
	     "plan never: warned, exit 0 while another selector binds");
	fake_hotplug(&fs, VF0);
	fake_hotplug(&fs, VF1);
	RUN(NULL, "plan", "--cmdline", "vfio.ids=0000:01:00.0/vf1");
	T_OK(fs.exit_status == 0, "plan: with the VFs there, exit 0");
	OUT_HAS("after boot, the udev rule: " VF1 " (VF 1 of " PF ") bind selector=0000:01:00.0/vf1",
		"plan: with the VFs there, the rule binds VF 1");
	T_OK(!has(fs.output, VF0 " (VF 0") && !has(fs.output, "\n" VF1 " bind"),
	     "plan: VF 0 not named; no boot-pass line binds a VF");
	fake_cleanup(&fs);
}

/* The boot pass's --dry-run and plan agree on a VF: the pass leaves it
 * (VFs come after it), the rule binds it after boot. */
static void test_plan_equals_pass(void)
{
	static const char *const dry_run[] = { "--dry-run", NULL };

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	fake_hotplug(&fs, VF0);
	fake_hotplug(&fs, VF1);
	fake_boot(&fs, "vfio.ids=0000:01:00.0/vf1", dry_run);
	T_OK(has(fs.output, VF1 " leave not-selected"), "pass --dry-run: VF 1 left to the rule");
	RUN(NULL, "plan", "--cmdline", "vfio.ids=0000:01:00.0/vf1");
	T_OK(!has(fs.output, "\n" VF1 " bind"), "plan: no boot-pass bind line for VF 1 either");
	T_OK(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), "1", 1),
	     "--dry-run and plan hold no PF");
	fake_cleanup(&fs);
}

/* An SR-IOV card hot-added after boot: its PF's own event holds its VFs. */
static void test_hotplugged_pf(void)
{
	struct fake_dev devs[NDEVS(sriov_devs)];
	const char *cmd = "vfio.ids=0000:01:00.0/vf0";

	memcpy(devs, sriov_devs, sizeof(devs));
	devs[1].driver = NULL;
	devs[1].later = 1;
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	BOOT(cmd);
	T_OK(!has(fs.output, "VFs held"), "hot PF: nothing to hold at boot");
	fake_hotplug(&fs, PF);
	RUN(cmd, "udev", PF);
	EXIT0("udev PF");
	T_OK(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), "0", 1),
	     "hot PF: its own event holds its VFs");
	OUT_HAS("0000:01:00.0: sriov_drivers_autoprobe=0: VFs held until the rule decides each", "hot PF: said");
	T_STREQ(drv(PF), "igb", "hot PF: stays on igb");
	make_vfs(cmd);
	T_STREQ(drv(VF0), "vfio-pci", "hot PF: VF 0 on vfio-pci");
	T_STREQ(drv(VF1), "igbvf", "hot PF: VF 1 on igbvf");
	fake_cleanup(&fs);
}

static void test_all_vfs(void)
{
	const char *cmd = "vfio.ids=01:00.0/vf";

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	BOOT(cmd);
	coldplug(cmd, PF);
	make_vfs(cmd);
	T_OK(!has(fs.journal, "unbind igbvf"), "PF/vf: igbvf never had them");
	T_STREQ(drv(VF0), "vfio-pci", "PF/vf: VF0 on vfio-pci");
	T_STREQ(drv(VF1), "vfio-pci", "PF/vf: VF1 on vfio-pci");
	T_STREQ(drv(PF), "igb", "PF/vf: never the PF");
	fake_cleanup(&fs);
}

#define AUTOPROBE(v)	(!strncmp(file("sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe"), v, 1))

/* Held by ids: the PF's vendor and sriov_vf_device are the VFs' ids, known
 * before they exist; igbvf never sees them. */
static void test_vf_by_id(void)
{
	const char *cmd = "vfio.ids=8086:10ca";

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	BOOT(cmd);
	T_OK(AUTOPROBE("0"), "by ids: the boot pass holds the PF");
	OUT_HAS("(a VF may match selector=8086:10ca)", "by ids: said why");
	coldplug(cmd, PF);
	make_vfs(cmd);
	T_OK(!has(fs.journal, "unbind igbvf"), "by ids: igbvf never had them");
	T_STREQ(drv(VF0), "vfio-pci", "by ids: VF0 on vfio-pci");
	T_STREQ(drv(VF1), "vfio-pci", "by ids: VF1 on vfio-pci");
	T_OK(has(file("run/vfio-early/status"), VF0 " 8086:10ca:0200 group=2 prev=- result=bound"),
	     "by ids: status has prev=-");
	fake_cleanup(&fs);
}

/* Held by address: VF n is at the PF's devfn + sriov_offset + n *
 * sriov_stride (iov.c pci_iov_virtfn_bus/devfn); the other VF is released. */
static void test_vf_by_addr(void)
{
	const char *cmd = "vfio.ids=0000:01:10.0";

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	BOOT(cmd);
	T_OK(AUTOPROBE("0"), "by address: the boot pass holds the PF");
	OUT_HAS("(a VF may match selector=0000:01:10.0)", "by address: said why");
	fake_write(&fs, "sys/bus/pci/devices/" PF "/sriov_drivers_autoprobe", "1\n", 0644);
	coldplug(cmd, PF);
	T_OK(AUTOPROBE("0"), "by address: the PF's event holds it too");
	fake_hotplug(&fs, VF0);
	fake_hotplug(&fs, VF1);
	T_OK(!drv(VF0)[0] && !drv(VF1)[0], "by address: held, igbvf took neither");
	make_vfs(cmd);
	T_OK(!has(fs.journal, "unbind igbvf"), "by address: igbvf never had VF0");
	T_STREQ(drv(VF0), "vfio-pci", "by address: VF0 on vfio-pci");
	T_STREQ(drv(VF1), "igbvf", "by address: VF1 released to igbvf");
	T_OK(AUTOPROBE("0"), "by address: held again after the release");
	fake_cleanup(&fs);
}

/* A PF none of whose VFs can be selected is left alone: an address off its
 * VFs' range, another device's ids, a pin on other ids. */
static void test_pf_left_alone(void)
{
	static const char *const lines[] = {
		"vfio.ids=0000:01:10.1", "vfio.ids=8086:10d3", "vfio.ids=0000:01:10.0@8086:10d3",
		"vfio.ids=0000:00:02.0/vf", "vfio.ids=0000:01:1e.0",
	};

	for (size_t i = 0; i < NDEVS(lines); i++) {
		fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
		BOOT(lines[i]);
		coldplug(lines[i], PF);
		T_OK(AUTOPROBE("1"), "left alone: %s does not hold the PF", lines[i]);
		fake_hotplug(&fs, VF0);
		T_STREQ(drv(VF0), "igbvf", "left alone: igbvf takes VF0 at device_add");
		fake_cleanup(&fs);
	}
}

/* An older kernel (no sriov_offset, sriov_stride, sriov_vf_device):
 * PF/vfN still holds and matches by the virtfnN links; an address cannot
 * be placed, so it holds nothing. */
static void test_unplaced(void)
{
	char path[512];

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/" PF "/sriov_offset", fs.root);
	T_OK(unlink(path) == 0, "unplaced: sriov_offset removed");
	BOOT("vfio.ids=0000:01:10.0");
	T_OK(AUTOPROBE("1"), "unplaced: an address holds nothing");
	BOOT("vfio.ids=0000:01:00.0/vf1");
	T_OK(AUTOPROBE("0"), "unplaced: PF/vf1 holds");
	make_vfs("vfio.ids=0000:01:00.0/vf1");
	T_STREQ(drv(VF1), "vfio-pci", "unplaced: VF 1 by its virtfn link on vfio-pci");
	T_STREQ(drv(VF0), "igbvf", "unplaced: VF 0 released to igbvf");
	fake_cleanup(&fs);
}

/* The VF's event before any of its PF (no coldplug replay of the PF): the
 * VF's event holds the PF, so the next VF is not probed before its turn. */
static void test_vf_event_first(void)
{
	const char *cmd = "vfio.ids=0000:01:10.2";

	fake_init(&fs, sriov_devs, NDEVS(sriov_devs), 1, 1);
	fake_hotplug(&fs, VF0);
	T_STREQ(drv(VF0), "igbvf", "VF first: not held yet, igbvf took VF0");
	RUN(cmd, "udev", VF0);
	EXIT0("udev VF0");
	T_OK(AUTOPROBE("0"), "VF first: VF0's event held the PF");
	T_STREQ(drv(VF0), "igbvf", "VF first: VF0 (not selected) stays on igbvf");
	fake_hotplug(&fs, VF1);
	T_OK(!drv(VF1)[0], "VF first: VF1 not probed at device_add");
	RUN(cmd, "udev", VF1);
	EXIT0("udev VF1");
	T_STREQ(drv(VF1), "vfio-pci", "VF first: VF1 on vfio-pci");
	T_OK(!has(fs.journal, "unbind igbvf " VF1), "VF first: igbvf never had VF1");
	fake_cleanup(&fs);
}

/* pci_iov_add_virtfn(): the add uevent (device_add) comes before
 * pci_iov_sysfs_link() makes physfn and virtfnN; the rule knows the VF by
 * its address and ids then. */
static void test_late_link(void)
{
	struct fake_dev devs[NDEVS(sriov_devs)];
	const char *cmd = "vfio.ids=0000:01:00.0/vf1";

	memcpy(devs, sriov_devs, sizeof(devs));
	devs[2].late_link = devs[3].late_link = 1;
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	coldplug(cmd, PF);
	make_vfs(cmd);
	T_STREQ(drv(VF1), "vfio-pci", "late link: VF 1 known by address, on vfio-pci");
	T_STREQ(drv(VF0), "igbvf", "late link: VF 0 known by address, released to igbvf");
	OUT_HAS(VF1 ": bound to vfio-pci (was unbound)", "late link: logged");
	fake_link_vf(&fs, VF0);
	fake_link_vf(&fs, VF1);
	RUN(cmd, "list");
	T_OK(has(fs.output, VF1) && has(fs.output, " bind "), "late link: list agrees afterwards");
	fake_cleanup(&fs);
}

/* 64 VFs made at once (sriov_numvfs=64), every other one selected by
 * address, one udev worker each, all at once: each ends where its
 * selection says, none waits out the lock, igbvf never sees a selected one. */
#define MANY 64

static void test_many_at_once(void)
{
	static struct fake_dev devs[MANY + 1];
	static char addrs[MANY][24], line[MANY * 20];
	const char *names[MANY];
	size_t n = 0, wrong = 0;
	int failed;

	devs[0] = sriov_devs[1];
	devs[0].sriov = MANY;
	n = (size_t)snprintf(line, sizeof(line), "vfio.ids=");
	for (int i = 0; i < MANY; i++) {
		unsigned rid = 128 + 2 * (unsigned)i;

		snprintf(addrs[i], sizeof(addrs[i]), "0000:01:%02x.%u", rid >> 3, rid & 7);
		names[i] = addrs[i];
		devs[i + 1] = sriov_devs[2];
		devs[i + 1].addr = addrs[i];
		devs[i + 1].vf = i;
		devs[i + 1].group = 10 + i;
		devs[i + 1].late_link = i % 3 == 0;
		if (i % 2 == 0)
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", i ? "," : "",
					      addrs[i]);
	}
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	coldplug(line, PF);
	for (int i = 0; i < MANY; i++)
		fake_hotplug(&fs, addrs[i]);
	fs.journal[0] = '\0';
	failed = fake_udev_all(&fs, line, names, MANY);
	T_OK(failed == 0, "many: every worker exits 0");
	for (int i = 0; i < MANY; i++)
		wrong += strcmp(drv(addrs[i]), i % 2 ? "igbvf" : "vfio-pci") != 0;
	T_OK(wrong == 0, "many: all %d VFs where their selection says (%zu wrong)", MANY, wrong);
	T_OK(!has(fs.journal, "unbind igbvf"), "many: igbvf never had a selected VF");
	T_OK(!has(fs.output, "deciding nothing"), "many: no worker gave up on the lock");
	T_OK(AUTOPROBE("0"), "many: the PF held at the end");
	if (wrong || failed)
		printf("# output:\n%s\n", fs.output);
	fake_cleanup(&fs);
}

#define NIC(a, g, drv, late) \
	{ .addr = a, .vendor = 0x8086, .device = 0x10d3, .class = 0x020000, .group = g, \
	  .driver = drv, .native = "e1000e", .later = late }

static struct fake_dev hot_devs[] = {
	{ .addr = "0000:00:02.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
	  .group = 0, .driver = "bochs-drm", .native = "bochs-drm", .boot_vga = 1 },
	NIC("0000:00:03.0", 1, "e1000e", 0),
	NIC("0000:02:00.0", 2, NULL, 1),
	NIC("0000:03:00.0", 3, NULL, 1),
	{ .addr = "0000:04:00.0", .vendor = 0x8086, .device = 0x2922, .class = 0x010601,
	  .group = 4, .native = "ahci", .later = 1 },
	{ .addr = "0000:05:00.0", .vendor = 0x1b36, .device = 0x000c, .class = 0x060400,
	  .group = 5, .native = "pcieport", .bridge = 1, .later = 1 },
	{ .addr = "0000:06:00.0", .vendor = 0x1234, .device = 0x1111, .class = 0x030000,
	  .group = 6, .native = "bochs-drm", .boot_vga = 1, .later = 1 },
};

static void test_hotplug(void)
{
	const char *cmd = "vfio.ids=0000:02:00.0,8086:2922,::0604,::0300";
	char status[4096];

	fake_init(&fs, hot_devs, NDEVS(hot_devs), 1, 1);
	BOOT(cmd);
	snprintf(status, sizeof(status), "%s", file("run/vfio-early/status"));
	for (size_t i = 2; i < NDEVS(hot_devs); i++)
		fake_hotplug(&fs, hot_devs[i].addr);
	T_STREQ(drv("0000:02:00.0"), "e1000e", "hotplug: e1000e took the new card first");
	RUN(cmd, "udev", "0000:02:00.0");
	EXIT0("udev selected");
	T_OK(has(fs.journal, "unbind e1000e 0000:02:00.0"), "hotplug: unbound from e1000e");
	T_STREQ(drv("0000:02:00.0"), "vfio-pci", "hotplug: selected by address, on vfio-pci");
	RUN(cmd, "udev", "0000:03:00.0");
	EXIT0("udev not selected");
	T_STREQ(drv("0000:03:00.0"), "e1000e", "hotplug: its unselected twin stays on e1000e");
	T_OK(!fs.journal[0] && !fs.output[0], "hotplug: not selected: nothing written, nothing said");
	RUN(cmd, "udev", "0000:04:00.0");
	EXIT0("udev storage");
	T_STREQ(drv("0000:04:00.0"), "ahci", "guard: mass storage by ids stays on ahci");
	OUT_HAS("skip 0000:04:00.0 (8086:2922:0106) selector=8086:2922: mass storage", "guard: logged");
	RUN(cmd, "udev", "0000:05:00.0");
	T_STREQ(drv("0000:05:00.0"), "pcieport", "guard: a bridge stays on pcieport");
	OUT_HAS("bridges are never bound", "guard: bridge logged");
	RUN(cmd, "udev", "0000:06:00.0");
	T_STREQ(drv("0000:06:00.0"), "bochs-drm", "guard: the boot display stays");
	OUT_HAS("boot display device", "guard: boot display logged");
	T_OK(!strncmp(file("run/vfio-early/status"), status, strlen(status)),
	     "status: the boot pass's lines are kept");
	T_OK(has(file("run/vfio-early/status"), "0000:04:00.0 8086:2922:0106 group=4 prev=ahci "
		     "result=skipped reason=mass-storage at=udev"), "status: the skip recorded at=udev");
	fake_cleanup(&fs);
}

/* A hotplugged card whose group holds a NIC of another slot (no ACS):
 * the rule follows the boot pass, whole groups or nothing. */
static struct fake_dev shared_devs[] = {
	{ .addr = "0000:07:00.0", .vendor = 0x1b36, .device = 0x0100, .class = 0x030000,
	  .group = 7, .native = "qxl", .later = 1 },
	NIC("0000:08:00.0", 7, NULL, 1),
};

static void test_group_unusable(void)
{
	fake_init(&fs, shared_devs, NDEVS(shared_devs), 1, 1);
	BOOT("vfio.ids=0000:07:00.0");
	fake_hotplug(&fs, "0000:07:00.0");
	fake_hotplug(&fs, "0000:08:00.0");
	RUN("vfio.ids=0000:07:00.0", "udev", "0000:07:00.0");
	EXIT0("udev unusable group");
	T_STREQ(drv("0000:07:00.0"), "qxl", "group: the card stays on qxl");
	T_OK(!has(fs.journal, "unbind"), "group: nothing unbound");
	OUT_HAS("group 7: a VM cannot use 0000:07:00.0 (vfio needs the whole group); nothing of "
		"the group was taken; 0000:08:00.0 (8086:10d3:0200) on e1000e blocks it; to "
		"include it: vfio.ids=0000:08:00.0@8086:10d3", "group: one line, blocker and fix");
	T_OK(has(file("run/vfio-early/status"), "0000:07:00.0 1b36:0100:0300 group=7 prev=qxl "
		     "result=skipped reason=group-unusable at=udev"), "group: status group-unusable");
	RUN("vfio.ids=0000:07:00.0 rd.vfio.group=none", "udev", "0000:07:00.0");
	T_STREQ(drv("0000:07:00.0"), "vfio-pci", "group none: the card taken as asked");
	T_STREQ(drv("0000:08:00.0"), "e1000e", "group none: the NIC stays");
	fake_cleanup(&fs);
}

static void test_no_iommu(void)
{
	fake_init(&fs, hot_devs, NDEVS(hot_devs), 0, 1);
	BOOT("vfio.ids=0000:02:00.0");
	fake_hotplug(&fs, "0000:02:00.0");
	RUN("vfio.ids=0000:02:00.0", "udev", "0000:02:00.0");
	EXIT0("no IOMMU");
	T_STREQ(drv("0000:02:00.0"), "e1000e", "no IOMMU: stays on e1000e");
	OUT_HAS("no IOMMU", "no IOMMU: logged");
	T_OK(!has(fs.journal, "unbind"), "no IOMMU: nothing unbound");
	fake_cleanup(&fs);
}

static void test_bad_input(void)
{
	char path[512];
	static const char *const names[] = { "../../x", "", "0000:02:00", "0000:02:00.0 x",
					     "zz:zz.z" };

	fake_init(&fs, hot_devs, NDEVS(hot_devs), 1, 1);
	for (size_t i = 0; i < NDEVS(names); i++) {
		RUN("vfio.ids=0000:02:00.0", "udev", names[i]);
		T_OK(fs.exit_status == 0 && has(fs.output, "is not a PCI device name"),
		     "bad name '%s': exit 0, a clear line", names[i]);
		T_OK(!fs.journal[0], "bad name '%s': nothing written", names[i]);
	}
	RUN("vfio.ids=0000:02:00.0", "udev");
	T_OK(fs.exit_status == 0 && has(fs.output, "is not a PCI device name"), "no name: exit 0");
	RUN("vfio.ids=0000:02:00.0", "udev", "0000:02:00.0", "0000:03:00.0");
	T_OK(fs.exit_status == 0 && !fs.journal[0], "two names: exit 0, nothing done");
	RUN("vfio.ids=0000:02:00.0", "udev", "0000:09:00.0");
	T_OK(fs.exit_status == 0 && has(fs.output, "no such PCI device"), "gone already: exit 0, said");
	RUN("vfio.ids=zz:zz,0000:02:00.0/vfx rd.vfio.group=bogus", "udev", "0000:03:00.0");
	T_OK(fs.exit_status == 0, "bad selectors: exit 0");
	RUN("rd.vfio=0 vfio.ids=0000:02:00.0", "udev", "0000:02:00.0");
	T_OK(fs.exit_status == 0 && !fs.journal[0], "rd.vfio=0: nothing done");
	snprintf(path, sizeof(path), "%s/run/vfio-early", fs.root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/run/vfio-early/status", fs.root);
	mkfifo(path, 0600);
	fake_hotplug(&fs, "0000:02:00.0");
	alarm(20);
	RUN("vfio.ids=0000:02:00.0", "udev", "0000:02:00.0");
	alarm(0);
	T_OK(fs.exit_status == 0 && has(fs.output, "cannot read /run/vfio-early/status"),
	     "a FIFO as status file: exit 0 at once, said");
	T_OK(!fs.journal[0], "a FIFO as status file: nothing done");
	fake_cleanup(&fs);
}

/* A coldplug replay (SYNTH_UUID) of a device the boot pass failed to bind
 * does not try again: the boot pass's decision stands. A real add (a
 * rescan after a remove) is decided anew. */
static void test_coldplug(void)
{
	static struct fake_dev devs[] = {
		{ .addr = "0000:00:03.0", .vendor = 0x8086, .device = 0x10d3, .class = 0x020000,
		  .group = 1, .driver = "e1000e", .native = "e1000e", .refuse_vfio = 1 },
	};

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	BOOT("vfio.ids=0000:00:03.0");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "coldplug: vfio-pci refused it at boot");
	setenv("SYNTH_UUID", "0", 1);
	RUN("vfio.ids=0000:00:03.0", "udev", "0000:00:03.0");
	unsetenv("SYNTH_UUID");
	EXIT0("coldplug replay");
	T_OK(!fs.journal[0], "coldplug replay: nothing unbound or probed");
	OUT_HAS("decided by the boot pass", "coldplug replay: said why");
	RUN("vfio.ids=0000:00:03.0", "udev", "0000:00:03.0");
	T_OK(has(fs.journal, "unbind e1000e 0000:00:03.0"), "a real add: decided anew");
	T_STREQ(drv("0000:00:03.0"), "e1000e", "a real add: rolled back to e1000e when vfio-pci refuses");
	T_OK(has(file("run/vfio-early/status"), "result=failed reason=vfio-pci-did-not-bind at=udev"),
	     "a real add: the failure recorded at=udev, replacing the boot line");
	T_OK(!has(file("run/vfio-early/status"), "reason=vfio-pci-did-not-bind\n"),
	     "one line per device");
	fake_cleanup(&fs);
}

/* The image's "options vfio-pci ids=" (its modprobe.d, in the load list the
 * hooks write) took a NIC at boot; the boot pass recorded them in the
 * status file, and the rule selects a hot-added twin the same way. */
static void test_image_ids(void)
{
	static struct fake_dev devs[] = {
		NIC("0000:00:04.0", 1, "e1000e", 0),
		NIC("0000:00:05.0", 2, NULL, 1),
	};
	char path[256], line[512];
	struct utsname u;

	uname(&u);
	snprintf(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	fake_write(&fs, path, "/lib/modules/x/vfio-pci.ko ids=8086:10d3\n", 0644);
	BOOT("quiet");
	T_STREQ(drv("0000:00:04.0"), "vfio-pci", "image ids: the boot pass took the NIC");
	T_OK(has(file("run/vfio-early/status"), "\n# modprobe.d: vfio_pci.ids=8086:10d3\n"),
	     "image ids: the status file records the image's options");
	fake_hotplug(&fs, "0000:00:05.0");
	T_STREQ(drv("0000:00:05.0"), "e1000e", "image ids: the twin comes up on e1000e");
	RUN("quiet", "udev", "0000:00:05.0");
	EXIT0("image ids: udev");
	T_STREQ(drv("0000:00:05.0"), "vfio-pci", "image ids: the rule moves the twin to vfio-pci");
	T_OK(has(file("run/vfio-early/status"), "0000:00:05.0 8086:10d3:0200 group=2 prev=e1000e "
		 "result=bound reason=selector=8086:10d3 at=udev"), "image ids: recorded at=udev");
	T_OK(has(file("run/vfio-early/status"), "\n# modprobe.d: vfio_pci.ids=8086:10d3\n"),
	     "image ids: the record survives the rule's update");
	fake_write(&fs, "etc/modprobe.d/vfio.conf", "# ours\n  options vfio-pci ids=8086:10d3\n",
		   0644);
	RUN("quiet", "check");
	T_OK(!has(fs.output, "modprobe-ids"), "image ids: check: the host agrees, nothing said");
	fake_write(&fs, "etc/modprobe.d/vfio.conf", "options vfio_pci ids=1:2 disable_vga=1\n"
		   "options vfio-pci ids=8086:10d3,8086:1533\n", 0644);
	RUN("quiet", "check");
	OUT_HAS("the image's modprobe.d had vfio-pci ids=8086:10d3 (the boot pass and the udev "
		"rule select by them); /etc/modprobe.d now says ids=8086:10d3,8086:1533",
		"image ids: check warns when /etc/modprobe.d says otherwise");
	T_OK(fs.exit_status >= 1, "image ids: check exits 1 or more");
	fake_cleanup(&fs);

	/* Without the record (a boot without the image's options): left alone. */
	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	snprintf(line, sizeof(line), "# vfio-early status v1\n");
	fake_write(&fs, "run/vfio-early/status", line, 0644);
	fake_hotplug(&fs, "0000:00:05.0");
	RUN("quiet", "udev", "0000:00:05.0");
	EXIT0("no record: udev");
	T_STREQ(drv("0000:00:05.0"), "e1000e", "no record: the twin stays on e1000e");
	fake_write(&fs, "etc/modprobe.d/vfio.conf", "options vfio-pci ids=8086:10d3\n", 0644);
	RUN("quiet", "check");
	OUT_HAS("had vfio-pci ids=(none) (the boot pass and the udev rule select by them); "
		"/etc/modprobe.d now says ids=8086:10d3", "no record: check warns of the new ids");
	fake_cleanup(&fs);
}

/* An initrd without the hook (no boot pass, no /run/vfio-early/status): the
 * real root's coldplug replay is the fallback. A loaded native driver has
 * probed the device first; the rule moves it, with verification, and the
 * unselected twin stays. */
static void test_no_boot_pass(void)
{
	static struct fake_dev devs[] = {
		NIC("0000:00:03.0", 1, "e1000e", 0),
		NIC("0000:00:04.0", 2, "e1000e", 0),
	};
	const char *cmd = "intel_iommu=on vfio.ids=0000:00:03.0";

	fake_init(&fs, devs, NDEVS(devs), 1, 1);
	T_STREQ(file("run/vfio-early/status"), "", "no boot pass: no status file");
	coldplug(cmd, "0000:00:03.0");
	T_OK(has(fs.journal, "unbind e1000e 0000:00:03.0"), "no boot pass: unbound from e1000e");
	T_STREQ(drv("0000:00:03.0"), "vfio-pci", "no boot pass: coldplug replay binds it");
	OUT_HAS("0000:00:03.0: bound to vfio-pci (was e1000e)", "no boot pass: the bind is logged");
	T_OK(has(file("run/vfio-early/status"), "0000:00:03.0 8086:10d3:0200 group=1 prev=e1000e "
		     "result=bound reason=selector=0000:00:03.0 at=udev\n"),
	     "no boot pass: status written at=udev");
	coldplug(cmd, "0000:00:04.0");
	T_STREQ(drv("0000:00:04.0"), "e1000e", "no boot pass: the unselected twin stays");
	T_OK(!fs.journal[0], "no boot pass: the twin: nothing unbound or probed");
	fake_cleanup(&fs);
}

int main(void)
{
	test_one_vf();
	test_all_vfs();
	test_plan();
	test_hotplugged_pf();
	test_vf_by_id();
	test_vf_by_addr();
	test_pf_left_alone();
	test_vf_event_first();
	test_unplaced();
	test_late_link();
	test_many_at_once();
	test_hotplug();
	test_no_iommu();
	test_group_unusable();
	test_plan_equals_pass();
	test_bad_input();
	test_coldplug();
	test_image_ids();
	test_no_boot_pass();
	return t_done();
}
