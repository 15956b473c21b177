// SPDX-License-Identifier: MIT
/*
 * The binder's helpers, linked in: module compression by magic bytes, the
 * modules list's options without ids=, the /dev/kmsg reopen policy,
 * children under a deadline, sysfs paths that refuse to be cut short.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "child.h"
#include "deadline.h"
#include "log.h"
#include "modules.h"
#include "result.h"
#include "sysfs.h"
#include "t.h"

static char dir[] = "/tmp/vfe-helpers.XXXXXX";

static void put(const char *name, const void *data, size_t len)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		if (write(fd, data, len) != (ssize_t)len)
			perror(path);
		close(fd);
	}
}

static enum mod_comp comp_of(const char *name)
{
	char path[256];
	int fd;
	enum mod_comp c;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	c = modules_compression(fd);
	close(fd);
	return c;
}

static void compression_magic(void)
{
	static const unsigned char xz[] = { 0xfd, '7', 'z', 'X', 'Z', 0, 0, 4 };
	static const unsigned char zst[] = { 0x28, 0xb5, 0x2f, 0xfd, 0x24 };
	static const unsigned char gz[] = { 0x1f, 0x8b, 0x08, 0 };
	static const unsigned char elf[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0 };
	static const unsigned char xz_short[] = { 0xfd, '7', 'z', 'X' };

	put("a.ko.xz", xz, sizeof(xz));
	put("a.ko.zst", zst, sizeof(zst));
	put("a.ko.gz", gz, sizeof(gz));
	put("a.ko", elf, sizeof(elf));
	put("short", xz_short, sizeof(xz_short));
	put("empty", "", 0);
	put("xz-named-plain.ko.xz", elf, sizeof(elf));
	T_OK(comp_of("a.ko.xz") == COMP_XZ, "magic: xz");
	T_OK(comp_of("a.ko.zst") == COMP_ZSTD, "magic: zstd");
	T_OK(comp_of("a.ko.gz") == COMP_GZIP, "magic: gzip");
	T_OK(comp_of("a.ko") == COMP_NONE, "magic: plain ELF");
	T_OK(comp_of("short") == COMP_NONE, "magic: truncated xz header is not xz");
	T_OK(comp_of("empty") == COMP_NONE, "magic: empty file");
	T_OK(comp_of("xz-named-plain.ko.xz") == COMP_NONE, "magic: the bytes count, not the name");
	T_STREQ(modules_compression_name(COMP_XZ), "xz", "magic: name as /sys/module/compression");
	T_STREQ(modules_compression_name(COMP_ZSTD), "zstd", "magic: zstd name");
	T_STREQ(modules_compression_name(COMP_GZIP), "gzip", "magic: gzip name");
}

static void cmdline_params_without_ids(void)
{
	static const char line[] = "vfio-pci.ids=8086:10d3 vfio_pci.disable_vga=1 "
				   "vfio-pci.IDS=x vfio_pci.ids= quiet vfio_pci.nointxmask";
	char buf[256];

	modules_cmdline_params("vfio_pci", line, strlen(line), buf, sizeof(buf));
	T_STREQ(buf, "disable_vga=1 IDS=x nointxmask", "cmdline: vfio-pci's ids never passed on");
	modules_cmdline_params("pci_stub", "pci-stub.ids=1:2", 16, buf, sizeof(buf));
	T_STREQ(buf, "ids=1:2", "cmdline: another module's ids= stays");
}

/* The list's options in the command line's form, before the command line. */
static void list_options(void)
{
	static const char list[] = "/m/vfio.ko\n# comment\n/m/vfio-pci.ko.zst ids=8086:10d3,bad "
				   "disable_vga=1 ids=1234:1111 x=\"a b\"\n/m/pci-stub.ko ids=1:2 fw=/lib/x\n";
	char path[256], params[256];
	struct utsname u;
	const char *opts;

	uname(&u);
	snprintf(path, sizeof(path), "mkdir -p '%s/lib/modules/%s'", dir, u.release);
	T_OK(system(path) == 0, "list: tree made");
	snprintf(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	put(path, list, strlen(list));
	sysfs_open_root(dir);
	opts = modules_read_list();
	T_STREQ(opts, " vfio_pci.ids=8086:10d3,bad vfio_pci.disable_vga=1 vfio_pci.ids=1234:1111 "
		"vfio_pci.x=\"a b\" pci_stub.ids=1:2 pci_stub.fw=/lib/x",
		"list: options in the command line's form");
	T_OK(modules_read_list() == opts, "list: read once");
	snprintf(path, sizeof(path), "%s vfio_pci.disable_vga=0", opts);
	modules_cmdline_params("vfio_pci", path, strlen(path), params, sizeof(params));
	T_STREQ(params, "disable_vga=1 x=\"a b\" disable_vga=0",
		"list: vfio-pci gets its options without ids=, the command line's last");
	modules_cmdline_params("pci_stub", path, strlen(path), params, sizeof(params));
	T_STREQ(params, "ids=1:2 fw=/lib/x", "list: pci-stub's ids= untouched, a '/' in an option");
}

/* IN_OPEN events so far (read at once: inotify merges identical queued ones). */
static int count_opens(int in)
{
	char ev[4096];
	int opens = 0;
	ssize_t n;

	while ((n = read(in, ev, sizeof(ev))) > 0)
		for (char *p = ev; p < ev + n; p += sizeof(struct inotify_event) +
					       ((struct inotify_event *)p)->len)
			opens++;
	return opens;
}

/* Every record lands; the file is reopened before each 11th record. */
static void kmsg_reopen(void)
{
	char path[256], *text;
	int in, opens, lines = 0, first_batch = 0;
	size_t len;

	snprintf(path, sizeof(path), "%s/kmsg", dir);
	put("kmsg", "", 0);
	in = inotify_init1(IN_NONBLOCK);
	inotify_add_watch(in, path, IN_OPEN);
	log_open(path, 0);
	opens = count_opens(in);
	for (int i = 0; i < 25; i++) {
		log_notice("record %d", i);
		opens += count_opens(in);
		if (i == 9)
			first_batch = opens;
	}
	log_set_fd(2);
	close(in);
	T_OK(first_batch == 1, "kmsg: the first 10 records through one open, got %d", first_batch);
	T_OK(opens == 3, "kmsg: 25 records, 3 opens (10 per open), got %d", opens);
	sysfs_open_root(dir);
	if (sysfs_slurp("kmsg", SYSFS_FILE_MAX, &text, &len) == 0) {
		for (size_t i = 0; i < len; i++)
			lines += text[i] == '\n';
		T_OK(strstr(text, "<5>vfio-early: record 24\n") != NULL, "kmsg: kmsg record format");
		free(text);
	}
	T_OK(lines == 25, "kmsg: all 25 records written, got %d", lines);
}

static void children(void)
{
	char *sleep_argv[] = { "sleep", "30", NULL };
	char *true_argv[] = { "true", NULL };
	char *false_argv[] = { "false", NULL };
	char *sh_argv[] = { "sh", "-c", "trap '' TERM; sleep 30", NULL };

	T_OK(child_run("/bin/true", true_argv, deadline_in(5000, 0)) == 0, "child: exit 0");
	T_OK(child_run("/bin/false", false_argv, deadline_in(5000, 0)) == 1, "child: exit 1");
	T_OK(child_run("/nonexistent/modprobe", true_argv, deadline_in(5000, 0)) == -ENOENT,
	     "child: missing program");
	T_OK(child_run("/bin/sleep", sleep_argv, deadline_in(100, 0)) == -ETIMEDOUT,
	     "child: killed at its deadline");
	T_OK(child_run("/bin/sh", sh_argv, deadline_in(100, 0)) == -ETIMEDOUT,
	     "child: its process group killed too");
	T_OK(child_run("/bin/sleep", sleep_argv, deadline_now() - 1) == -ETIMEDOUT,
	     "child: a deadline already passed kills at once");
}

static void paths_and_names(void)
{
	char small[24], big[SYSFS_DEV_PATH_MAX];

	T_OK(sysfs_dev_path(big, sizeof(big), "0000:00:04.0", "driver_override") == 0,
	     "path: fits");
	T_STREQ(big, "sys/bus/pci/devices/0000:00:04.0/driver_override", "path: built");
	T_OK(sysfs_dev_path(small, sizeof(small), "0000:00:04.0", "driver_override") ==
	     -ENAMETOOLONG, "path: truncation is an error, not a shorter path");
	T_STREQ(pci_result_name(RES_BOUND), "bound", "result: bound");
	T_STREQ(pci_result_name(RES_SKIPPED), "skipped", "result: skipped");
	T_STREQ(pci_result_name((enum pci_result)99), "none", "result: out of range");
}

int main(void)
{
	char cmd[64];

	if (!mkdtemp(dir))
		return 1;
	log_set_fd(open("/dev/null", O_WRONLY));
	compression_magic();
	cmdline_params_without_ids();
	list_options();
	kmsg_reopen();
	children();
	paths_and_names();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
