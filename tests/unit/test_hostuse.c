// SPDX-License-Identifier: MIT
/*
 * plan, check and bind refuse a device the host uses now (early/admin/hostuse.c):
 * the real binary against fake roots whose /proc and /sys hold what the kernel
 * shows for mounts, swap, routes and SSH connections.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "fakeview.h"
#include "t.h"

#define DEV(a, v, d, c, g, drv) \
	{ .addr = a, .vendor = v, .device = d, .class = c, .group = g, .driver = drv, \
	  .native = drv }

#define NVME_A	"0000:03:00.0@144d:a808"
#define NVME_B	"0000:04:00.0@144d:a808"

static const struct fake_dev host[] = {
	DEV("0000:03:00.0", 0x144d, 0xa808, 0x010802, 3, "nvme"),
	DEV("0000:04:00.0", 0x144d, 0xa808, 0x010802, 4, "nvme"),
	DEV("0000:05:00.0", 0x8086, 0x1533, 0x020000, 5, "igb"),
	DEV("0000:06:00.0", 0x8086, 0x1533, 0x020000, 6, "igb"),
	DEV("0000:07:00.0", 0x8086, 0x1533, 0x020000, 7, "igb"),
	DEV("0000:08:00.0", 0x10de, 0x1b80, 0x030000, 8, "nouveau"),
};

/* Two NVMe drives of three partitions each (none mounted yet), three NICs. */
static void host_tree(void)
{
	static const char *const ctrl[] = { "0000:03:00.0/nvme/nvme0/nvme0n1",
					    "0000:04:00.0/nvme/nvme1/nvme1n1" };
	char dir[256], part[300], majmin[16];

	fake_init(&fs, host, NDEVS(host), 1, 1);
	for (int c = 0; c < 2; c++) {
		snprintf(dir, sizeof(dir), "sys/devices/pci0000:00/%s", ctrl[c]);
		snprintf(majmin, sizeof(majmin), "259:%d", 4 * c);
		fake_block(&fs, dir, majmin, 0);
		for (int p = 1; p <= 3; p++) {
			snprintf(part, sizeof(part), "%s/nvme%dn1p%d", dir, c, p);
			snprintf(majmin, sizeof(majmin), "259:%d", 4 * c + p);
			fake_block(&fs, part, majmin, p);
		}
	}
	fake_net(&fs, "eno1", "0000:05:00.0");
	fake_net(&fs, "enp6s0", "0000:06:00.0");
	fake_net(&fs, "enp7s0", "0000:07:00.0");
	fake_net(&fs, "lo", NULL);
}

static const char *const devs[] = { "0000:03:00.0", "0000:04:00.0", "0000:05:00.0",
				    "0000:06:00.0", "0000:07:00.0", "0000:08:00.0" };

/* plan and check-free refusal: plan exits 1 naming the use, bind exits 1
 * and writes nothing. */
static void refused(const char *sel, const char *want, const char *name)
{
	char line[128];
	int same = 1;

	snprintf(line, sizeof(line), "vfio.ids=%s", sel);
	RUN(line, "plan");
	EXIT_IS(1, name);
	T_OK(has(fs.output, want) && has(fs.output, ": the host needs it; the boot pass would "
					  "bind it: remove it from the selection\n"),
	     "%s: plan says what for", name);
	if (!has(fs.output, want))
		printf("# want: %s\n# output:\n%s\n", want, fs.output);
	RUN("", "bind", sel);
	EXIT_IS(1, name);
	T_OK(has(fs.output, want) && has(fs.output, ": the host needs it; it will not be bound\n") &&
	     has(fs.output, "the selection takes a device the host uses: nothing changed"),
	     "%s: bind says what for", name);
	T_STREQ(fs.journal, "", "bind: nothing written to unbind or probe");
	for (size_t i = 0; i < NDEVS(devs); i++) {
		same &= !strcmp(drv(devs[i]), host[i].driver);
		same &= !strcmp(ovr(devs[i]), "");
	}
	T_OK(same, "%s: bind changed no driver and no driver_override", name);
	T_STREQ(status(), "", "bind: no status written");
}

/* plan exits 0 without a word on host use; bind takes the device. */
static void bindable(const char *sel, const char *addr, const char *name)
{
	char line[128];

	snprintf(line, sizeof(line), "vfio.ids=%s", sel);
	RUN(line, "plan");
	EXIT_IS(0, name);
	T_OK(!has(fs.output, "the host needs it"), "%s: plan says nothing of host use", name);
	RUN("", "bind", sel);
	EXIT_IS(0, name);
	T_STREQ(drv(addr), "vfio-pci", "bind: on vfio-pci");
}

static const char proc_mounts[] =
	"20 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw\n"
	"21 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw\n"
	"22 1 0:5 / /dev rw,nosuid,relatime shared:2 - devtmpfs udev rw,size=8G\n";

static void mountinfo(const char *lines)
{
	char text[4096];

	snprintf(text, sizeof(text), "%s%s", proc_mounts, lines);
	fake_write(&fs, "proc/self/mountinfo", text, 0444);
}

static void mounted_partition(void)
{
	host_tree();
	mountinfo("26 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro\n"
		  "27 26 259:1 / /boot/efi rw,relatime shared:3 - vfat /dev/nvme0n1p1 rw\n"
		  "28 26 259:5 / /mnt/my\\040disk rw,relatime shared:4 - ext4 /dev/nvme1n1p1 rw\n");
	refused(NVME_A, "0000:03:00.0 holds / (nvme0n1p2, ext4) and holds /boot/efi "
		"(nvme0n1p1, vfat)", "mount: / and /boot/efi");
	refused(NVME_B, "0000:04:00.0 holds /mnt/my disk (nvme1n1p1, ext4)",
		"mount: a mount point with a space");
	bindable("0000:08:00.0", "0000:08:00.0", "mount: a device in no use");
	fake_cleanup(&fs);
}

/* A mounted dm-0 (LVM) over a partition of each drive: both are needed. */
static void mounted_dm(void)
{
	host_tree();
	fake_block(&fs, "sys/devices/virtual/block/dm-0", "253:0", 0);
	fake_write(&fs, "sys/devices/virtual/block/dm-0/dm/name", "vg-root\n", 0444);
	fake_slave(&fs, "dm-0", "nvme0n1p2");
	fake_slave(&fs, "dm-0", "nvme1n1p2");
	mountinfo("26 1 253:0 / / rw,relatime shared:1 - xfs /dev/mapper/vg-root rw\n");
	refused(NVME_A, "0000:03:00.0 holds / (dm-0 over nvme0n1p2, xfs)", "dm: first slave");
	refused(NVME_B, "0000:04:00.0 holds / (dm-0 over nvme1n1p2, xfs)", "dm: second slave");
	bindable("0000:05:00.0", "0000:05:00.0", "dm: a NIC stays bindable");
	fake_cleanup(&fs);
}

/* A partition of an md RAID1 mounted: the partition's disk's slaves. */
static void mounted_md(void)
{
	host_tree();
	fake_block(&fs, "sys/devices/virtual/block/md0", "9:0", 0);
	fake_block(&fs, "sys/devices/virtual/block/md0/md0p1", "259:8", 1);
	fake_slave(&fs, "md0", "nvme0n1p3");
	fake_slave(&fs, "md0", "nvme1n1p3");
	mountinfo("26 1 259:8 / /srv rw,relatime shared:1 - ext4 /dev/md0p1 rw\n");
	refused(NVME_A, "0000:03:00.0 holds /srv (md0p1 over md0 over nvme0n1p3, ext4)",
		"md: a partition of the array");
	refused(NVME_B, "0000:04:00.0 holds /srv (md0p1 over md0 over nvme1n1p3, ext4)",
		"md: the other member");
	fake_cleanup(&fs);
}

/* mm/swapfile.c swap_show(): a partition and a file on / of the other drive. */
static void swap(void)
{
	host_tree();
	mountinfo("26 1 259:6 / / rw,relatime shared:1 - ext4 /dev/nvme1n1p2 rw\n");
	fake_write(&fs, "proc/swaps",
		   "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		   "/dev/nvme0n1p3                          partition\t8388604\t\t0\t\t-2\n"
		   "/swapfile                               file\t\t1048572\t\t0\t\t-3\n", 0444);
	refused(NVME_A, "0000:03:00.0 swap /dev/nvme0n1p3:", "swap: a partition");
	refused(NVME_B, "0000:04:00.0 holds / (nvme1n1p2, ext4) and swap /swapfile "
		"(nvme1n1p2, ext4)", "swap: a file on /");
	fake_cleanup(&fs);
}

/* An IPv4 address as /proc/net/route and tcp print it: the __be32 in
 * memory as a host-order %08X. */
static const char *hex4(const char *ip, char *buf)
{
	unsigned char b[4];
	uint32_t w;

	inet_pton(AF_INET, ip, b);
	memcpy(&w, b, 4);
	sprintf(buf, "%08X", w);
	return buf;
}

/* IPv6 as tcp6 prints it: four such words. */
static const char *hex6_words(const char *ip, char *buf)
{
	unsigned char b[16];
	uint32_t w;

	inet_pton(AF_INET6, ip, b);
	for (int i = 0; i < 4; i++) {
		memcpy(&w, b + 4 * i, 4);
		sprintf(buf + 8 * i, "%08X", w);
	}
	return buf;
}

/* IPv6 as ipv6_route prints it (%pi6): the bytes in order. */
static const char *hex6(const char *ip, char *buf)
{
	unsigned char b[16];

	inet_pton(AF_INET6, ip, b);
	for (int i = 0; i < 16; i++)
		sprintf(buf + 2 * i, "%02x", b[i]);
	return buf;
}

/* net/ipv4/fib_trie.c fib_route_seq_show() */
static void route4(char *text, size_t size, const char *dev, const char *dst, const char *mask,
		   unsigned flags)
{
	char d[9], m[9], g[9];
	size_t n = strlen(text);

	if (!n)
		n = (size_t)snprintf(text, size, "%-127s\n", "Iface\tDestination\tGateway "
				     "\tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT");
	snprintf(text + n, size - n, "%s\t%s\t%s\t%04X\t0\t0\t100\t%s\t0\t0\t0%-48s\n", dev,
		 hex4(dst, d), hex4(flags & 2 ? "192.168.0.1" : "0.0.0.0", g), flags,
		 hex4(mask, m), "");
}

/* net/ipv6/route.c ipv6_route_native_seq_show() */
static void route6(char *text, size_t size, const char *dev, const char *dst, unsigned plen,
		   unsigned flags)
{
	char d[33], z[33];
	size_t n = strlen(text);

	snprintf(text + n, size - n, "%s %02x %s 00 %s 00000400 00000001 00000000 %08x %8s\n",
		 hex6(dst, d), plen, hex6("::", z), hex6("::", z), flags, dev);
}

static void default_v4(void)
{
	char routes[2048] = "";

	host_tree();
	route4(routes, sizeof(routes), "eno1", "0.0.0.0", "0.0.0.0", 0x0003);
	route4(routes, sizeof(routes), "eno1", "192.168.0.0", "255.255.255.0", 0x0001);
	/* a reject route carries nothing */
	route4(routes, sizeof(routes), "enp6s0", "0.0.0.0", "0.0.0.0", 0x0201);
	fake_write(&fs, "proc/net/route", routes, 0444);
	refused("0000:05:00.0", "0000:05:00.0 carries the IPv4 default route (eno1):",
		"IPv4 default route");
	bindable("0000:06:00.0", "0000:06:00.0", "IPv4: a reject default route is no use");
	fake_cleanup(&fs);
}

static void default_v6(void)
{
	char routes[2048] = "";

	host_tree();
	route6(routes, sizeof(routes), "eno1", "2001:db8::", 64, 0x00000001);
	route6(routes, sizeof(routes), "eno1", "::", 0, 0x00000003);
	/* the kernel's unreachable default on lo (RTF_REJECT, not up) */
	route6(routes, sizeof(routes), "lo", "::", 0, 0x00200200);
	fake_write(&fs, "proc/net/ipv6_route", routes, 0444);
	refused("0000:05:00.0", "0000:05:00.0 carries the IPv6 default route (eno1):",
		"IPv6 default route");
	bindable("0000:06:00.0", "0000:06:00.0", "IPv6: another NIC stays bindable");
	fake_cleanup(&fs);
}

/* Proxmox: vmbr0 over bond0 over two NICs, a VM's tap on the bridge too. */
static void bridge_bond(void)
{
	char routes[2048] = "";

	host_tree();
	fake_net(&fs, "vmbr0", NULL);
	fake_net(&fs, "bond0", NULL);
	fake_net(&fs, "tap100i0", NULL);
	fake_lower(&fs, "vmbr0", "bond0");
	fake_lower(&fs, "vmbr0", "tap100i0");
	fake_lower(&fs, "bond0", "enp6s0");
	fake_lower(&fs, "bond0", "enp7s0");
	route4(routes, sizeof(routes), "vmbr0", "0.0.0.0", "0.0.0.0", 0x0003);
	fake_write(&fs, "proc/net/route", routes, 0444);
	refused("0000:06:00.0", "0000:06:00.0 carries the IPv4 default route "
		"(vmbr0 over bond0 over enp6s0):", "bridge over bond: first slave");
	refused("8086:1533", "0000:07:00.0 carries the IPv4 default route "
		"(vmbr0 over bond0 over enp7s0):", "bridge over bond: by ids, second slave");
	bindable("0000:05:00.0", "0000:05:00.0", "bridge over bond: the NIC off the bridge");
	fake_cleanup(&fs);
}

static void vlan(void)
{
	char routes[2048] = "";

	host_tree();
	fake_net(&fs, "eno1.100", NULL);
	fake_lower(&fs, "eno1.100", "eno1");
	route4(routes, sizeof(routes), "eno1.100", "0.0.0.0", "0.0.0.0", 0x0003);
	fake_write(&fs, "proc/net/route", routes, 0444);
	refused("0000:05:00.0", "0000:05:00.0 carries the IPv4 default route (eno1.100 over eno1):",
		"VLAN");
	fake_cleanup(&fs);
}

/* One socket line of /proc/net/tcp (tcp_ipv4.c get_tcp4_sock()). */
static void sock4(char *text, size_t size, const char *local, unsigned lport, const char *remote,
		  unsigned rport, unsigned state, unsigned long inode)
{
	char l[9], r[9];
	size_t n = strlen(text);

	if (!n)
		n = (size_t)snprintf(text, size, "  sl  local_address rem_address   st tx_queue "
				     "rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	snprintf(text + n, size - n, "%4d: %s:%04X %s:%04X %02X 00000000:00000000 00:00000000 "
		 "00000000     0        0 %lu 1 0000000000000000 100 0 0 10 0\n", 0,
		 hex4(local, l), lport, hex4(remote, r), rport, state, inode);
}

static void sock6(char *text, size_t size, const char *local, unsigned lport, const char *remote,
		  unsigned rport, unsigned state, unsigned long inode)
{
	char l[33], r[33];
	size_t n = strlen(text);

	if (!n)
		n = (size_t)snprintf(text, size, "  sl  local_address                         "
				     "remote_address                        st tx_queue rx_queue "
				     "tr tm->when retrnsmt   uid  timeout inode\n");
	snprintf(text + n, size - n, "%4d: %s:%04X %s:%04X %02X 00000000:00000000 00:00000000 "
		 "00000000     0        0 %lu 1 0000000000000000 100 0 0 10 0\n", 0,
		 hex6_words(local, l), lport, hex6_words(remote, r), rport, state, inode);
}

/* Routes to two LANs and one IPv6 prefix, no default. */
static void lan_routes(void)
{
	char routes[2048] = "", routes6[2048] = "";

	route4(routes, sizeof(routes), "enp6s0", "192.0.2.0", "255.255.255.0", 0x0001);
	route4(routes, sizeof(routes), "eno1", "198.51.100.0", "255.255.255.0", 0x0001);
	route4(routes, sizeof(routes), "enp7s0", "198.51.100.128", "255.255.255.128", 0x0001);
	fake_write(&fs, "proc/net/route", routes, 0444);
	route6(routes6, sizeof(routes6), "enp7s0", "2001:db8::", 64, 0x00000001);
	route6(routes6, sizeof(routes6), "eno1", "fe80::", 64, 0x00000001);
	route6(routes6, sizeof(routes6), "enp6s0", "fe80::", 64, 0x00000001);
	fake_write(&fs, "proc/net/ipv6_route", routes6, 0444);
}

/* Established connections to sshd's port, no sshd process to read: 22. */
static void ssh_port22(void)
{
	char tcp[4096] = "", tcp6[4096] = "";

	host_tree();
	lan_routes();
	sock4(tcp, sizeof(tcp), "0.0.0.0", 22, "0.0.0.0", 0, 0x0a, 100);
	sock4(tcp, sizeof(tcp), "192.0.2.1", 22, "192.0.2.7", 51234, 0x01, 101);
	sock4(tcp, sizeof(tcp), "198.51.100.1", 8080, "198.51.100.9", 40000, 0x01, 102);
	sock4(tcp, sizeof(tcp), "127.0.0.1", 22, "127.0.0.1", 40001, 0x01, 103);
	fake_write(&fs, "proc/net/tcp", tcp, 0444);
	sock6(tcp6, sizeof(tcp6), "2001:db8::1", 22, "2001:db8::8", 50000, 0x01, 104);
	/* a closing connection (TIME_WAIT) carries nothing */
	sock6(tcp6, sizeof(tcp6), "2001:db8::1", 22, "2001:db8::9", 50001, 0x06, 0);
	fake_write(&fs, "proc/net/tcp6", tcp6, 0444);
	refused("0000:06:00.0", "0000:06:00.0 carries the SSH connection from 192.0.2.7 (enp6s0):",
		"ssh: /proc/net/tcp, port 22");
	refused("0000:07:00.0", "0000:07:00.0 carries the SSH connection from 2001:db8::8 (enp7s0):",
		"ssh: /proc/net/tcp6");
	bindable("0000:05:00.0", "0000:05:00.0", "ssh: a web connection and localhost are no use");
	fake_cleanup(&fs);
}

/* sshd listens on 2222 (its socket in /proc/PID/fd): that port counts, 22 not. */
static void ssh_listener(void)
{
	char tcp[4096] = "", path[600];

	host_tree();
	lan_routes();
	fake_write(&fs, "proc/321/comm", "sshd\n", 0444);
	fake_write(&fs, "proc/321/fd/.keep", "", 0444);
	snprintf(path, sizeof(path), "%s/proc/321/fd/3", fs.root);
	T_OK(symlink("socket:[4242]", path) == 0, "ssh: fake sshd socket");
	sock4(tcp, sizeof(tcp), "0.0.0.0", 2222, "0.0.0.0", 0, 0x0a, 4242);
	sock4(tcp, sizeof(tcp), "0.0.0.0", 22, "0.0.0.0", 0, 0x0a, 4243);
	sock4(tcp, sizeof(tcp), "198.51.100.1", 2222, "198.51.100.200", 51000, 0x01, 4300);
	sock4(tcp, sizeof(tcp), "192.0.2.1", 22, "192.0.2.7", 51234, 0x01, 4301);
	fake_write(&fs, "proc/net/tcp", tcp, 0444);
	refused("0000:07:00.0", "0000:07:00.0 carries the SSH connection from 198.51.100.200 "
		"(enp7s0):", "ssh: sshd's own port, the longest prefix");
	bindable("0000:06:00.0", "0000:06:00.0", "ssh: port 22 is not sshd's here");
	fake_cleanup(&fs);
}

/* sudo -E keeps SSH_CONNECTION: its client address counts. */
static void ssh_env(void)
{
	host_tree();
	lan_routes();
	setenv("SSH_CONNECTION", "2001:db8::77 50022 2001:db8::1 22", 1);
	refused("0000:07:00.0", "0000:07:00.0 carries the SSH connection from 2001:db8::77 "
		"(enp7s0):", "ssh: SSH_CONNECTION");
	setenv("SSH_CONNECTION", "fe80::5054:ff:fe12:3456 50022 fe80::1 22", 1);
	refused("0000:05:00.0", "0000:05:00.0 carries the SSH connection from "
		"fe80::5054:ff:fe12:3456 (eno1):", "ssh: link-local, one of its links");
	refused("0000:06:00.0", "0000:06:00.0 carries the SSH connection from "
		"fe80::5054:ff:fe12:3456 (enp6s0):", "ssh: link-local, the other");
	unsetenv("SSH_CONNECTION");
	bindable("0000:07:00.0", "0000:07:00.0", "ssh: no SSH_CONNECTION, no connection");
	fake_cleanup(&fs);
}

/* check: a WARN (exit 1) where it said PASS; everything else PASS. */
static void check_setup(const char *line)
{
	struct utsname u;
	char rel[256], script[512], grub[256];

	uname(&u);
	host_tree();
	fake_write(&fs, "proc/cpuinfo", "processor\t: 0\nvendor_id\t: GenuineIntel\n", 0644);
	fake_write(&fs, "sys/class/iommu/dmar0/intel-iommu/ecap", "f0207a\n", 0644);
	fake_write(&fs, "proc/interrupts", " 24:  0  IR-PCI-MSI 512000-edge  ahci\n", 0644);
	fake_write(&fs, "sys/bus/pci/devices/0000:05:00.0/reset_method", "flr pm\n", 0644);
	snprintf(rel, sizeof(rel), "lib/modules/%s/modules.dep", u.release);
	fake_write(&fs, rel, "kernel/drivers/vfio/pci/vfio-pci.ko.xz: kernel/drivers/vfio/vfio.ko.xz\n",
		   0644);
	snprintf(rel, sizeof(rel), "boot/initrd.img-%s", u.release);
	fake_write(&fs, rel, "not really an initrd\n", 0644);
	snprintf(script, sizeof(script), "#!/bin/sh\n[ -f \"$1\" ] || exit 1\n"
		 "echo usr/sbin/vfio-early\necho usr/lib/modules/%s/kernel/drivers/vfio/vfio.ko\n"
		 "echo usr/lib/modules/%s/kernel/drivers/vfio/pci/vfio-pci.ko.zst\n", u.release,
		 u.release);
	fake_write(&fs, "usr/bin/lsinitramfs", script, 0755);
	snprintf(grub, sizeof(grub), "GRUB_CMDLINE_LINUX_DEFAULT=\"%s\"\n", line);
	fake_write(&fs, "etc/default/grub", grub, 0644);
}

static void check(void)
{
	static const char line[] = "intel_iommu=on vfio.ids=0000:05:00.0";
	char routes[2048] = "";

	check_setup(line);
	RUN(line, "check");
	EXIT_IS(0, "check: a NIC in no use, everything PASS");
	T_OK(!has(fs.output, "host-use"), "check: no host-use finding");
	route4(routes, sizeof(routes), "eno1", "0.0.0.0", "0.0.0.0", 0x0003);
	fake_write(&fs, "proc/net/route", routes, 0444);
	RUN(line, "check");
	EXIT_IS(1, "check: the NIC of the default route");
	T_OK(has(fs.output, "WARN host-use      0000:05:00.0 carries the IPv4 default route (eno1): "
		 "the host needs it\n"), "check: host-use WARN names the use");
	T_OK(has(fs.output, "fix: take it out of vfio.ids="), "check: host-use fix");
	T_OK(has(fs.output, "WARN selectors     1 selector(s) bind 1 device(s); 0 skipped or in "
		 "conflicting groups, 1 needed by the host"), "check: selectors no longer PASS");
	fake_cleanup(&fs);
}

/* Without an IOMMU the plan skips every device for no-iommu: the host's
 * use must still be said, not hidden behind the missing IOMMU. */
static void no_iommu(void)
{
	fake_init(&fs, host, NDEVS(host), 0, 1);
	fake_block(&fs, "sys/devices/pci0000:00/0000:03:00.0/nvme/nvme0/nvme0n1", "259:0", 0);
	mountinfo("26 1 259:0 / / rw,relatime shared:1 - ext4 /dev/nvme0n1 rw\n");
	RUN("vfio.ids=" NVME_A, "plan");
	EXIT_IS(1, "no IOMMU: plan");
	T_OK(has(fs.output, "skip no-iommu") &&
	     has(fs.output, "0000:03:00.0 holds / (nvme0n1, ext4): the host needs it"),
	     "no IOMMU: plan names the host use beside the missing IOMMU");
	fake_cleanup(&fs);
}

/* NVMe native multipath: the namespace head lives under nvme-subsys0,
 * which links its controllers. */
static void nvme_multipath(void)
{
	static const char head[] = "sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme2n1";

	host_tree();
	fake_block(&fs, head, "259:9", 0);
	fake_block(&fs, "sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme2n1/nvme2n1p1",
		   "259:10", 1);
	fake_symlink(&fs, "sys/devices/virtual/nvme-subsystem/nvme-subsys0/nvme0",
		     "sys/devices/pci0000:00/0000:03:00.0/nvme/nvme0");
	mountinfo("26 1 259:10 / / rw,relatime shared:1 - ext4 /dev/nvme2n1p1 rw\n");
	refused(NVME_A, "0000:03:00.0 holds / (nvme2n1p1 over nvme0, ext4)",
		"NVMe multipath head");
	fake_cleanup(&fs);
}

/* NFS and CIFS: the server in the addr= option, routed like a peer. */
static void network_fs(void)
{
	host_tree();
	lan_routes();
	mountinfo("30 1 0:45 / /srv/nfs rw,relatime shared:5 - nfs4 192.0.2.5:/export rw,vers=4.2,"
		  "hard,proto=tcp,timeo=600,retrans=2,sec=sys,clientaddr=198.51.100.1,"
		  "local_lock=none,addr=192.0.2.5\n"
		  "31 1 0:46 / /mnt/share rw,relatime shared:6 - cifs //[2001:db8::9]/share rw,"
		  "vers=3.1.1,cache=strict,username=x,addr=2001:db8::9,file_mode=0755\n");
	refused("0000:06:00.0", "0000:06:00.0 holds /srv/nfs (enp6s0, nfs4 from 192.0.2.5):",
		"NFS: the server's route");
	refused("0000:07:00.0", "0000:07:00.0 holds /mnt/share (enp7s0, cifs from 2001:db8::9):",
		"CIFS over IPv6");
	bindable("0000:05:00.0", "0000:05:00.0", "NFS: clientaddr= is not the server");
	fake_cleanup(&fs);
}

/* btrfs over two drives: an anonymous 0:N device, its members in sysfs. */
static void btrfs_raid1(void)
{
	static const char fsid[] = "sys/fs/btrfs/0b5e2d6a-9d0c-4b43-a8a1-1f6c2d3e4f50/devices/";
	char rel[256], to[256];

	host_tree();
	for (int c = 0; c < 2; c++) {
		snprintf(rel, sizeof(rel), "%snvme%dn1p2", fsid, c);
		snprintf(to, sizeof(to), "sys/devices/pci0000:00/0000:0%d:00.0/nvme/nvme%d/nvme%dn1/"
			 "nvme%dn1p2", 3 + c, c, c, c);
		fake_symlink(&fs, rel, to);
	}
	mountinfo("26 1 0:31 /@ / rw,relatime shared:1 - btrfs /dev/nvme0n1p2 rw,ssd,"
		  "space_cache=v2,subvolid=256,subvol=/@\n");
	refused(NVME_A, "0000:03:00.0 holds / (nvme0n1p2, btrfs)", "btrfs: the device named");
	refused(NVME_B, "0000:04:00.0 holds / (nvme1n1p2, btrfs)", "btrfs: the other member");
	fake_cleanup(&fs);
}

/* Proxmox on ZFS: rpool's vdevs are known from udev's database alone. */
static void zfs_pool(void)
{
	host_tree();
	fake_write(&fs, "run/udev/data/b259:3", "E:ID_FS_TYPE=zfs_member\nE:ID_FS_LABEL=rpool\n"
		   "E:ID_FS_UUID=1234\n", 0644);
	fake_write(&fs, "run/udev/data/b259:7", "S:disk/by-id/nvme-b-part3\nI:1234\n"
		   "E:ID_FS_LABEL=rpool\nE:ID_FS_TYPE=zfs_member\n", 0644);
	fake_write(&fs, "run/udev/data/b259:6", "E:ID_FS_TYPE=zfs_member\nE:ID_FS_LABEL=rpool2\n",
		   0644);
	fake_write(&fs, "run/udev/data/b259:5", "E:ID_FS_TYPE=ext4\nE:ID_FS_LABEL=rpool\n", 0644);
	mountinfo("26 1 0:25 / / rw,relatime shared:1 - zfs rpool/ROOT/pve-1 rw,xattr,noacl\n");
	refused(NVME_A, "0000:03:00.0 holds / (nvme0n1p3, zfs):", "ZFS: a vdev of rpool");
	refused(NVME_B, "0000:04:00.0 holds / (nvme1n1p3, zfs):", "ZFS: the other vdev, only it");
	fake_cleanup(&fs);
}

int main(void)
{
	unsetenv("SSH_CONNECTION");	/* the test's own session is not the fake host's */
	mounted_partition();
	mounted_dm();
	mounted_md();
	swap();
	default_v4();
	default_v6();
	bridge_bond();
	vlan();
	ssh_port22();
	ssh_listener();
	ssh_env();
	check();
	no_iommu();
	nvme_multipath();
	network_fs();
	btrfs_raid1();
	zfs_pool();
	return t_done();
}
