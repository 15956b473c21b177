// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fakesys.h"

extern char **environ;

static int pathf(char *buf, size_t size, const struct fakesys *f, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int pathf(char *buf, size_t size, const struct fakesys *f, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(buf, size, "%s/", f->root);

	va_start(ap, fmt);
	n += vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

static void mkdirs(const char *path)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(tmp, 0755);
		*p = '/';
	}
	mkdir(tmp, 0755);
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (fp) {
		fputs(text, fp);
		fclose(fp);
	}
}

static void putf(struct fakesys *f, const char *dir, const char *attr, const char *fmt,
		 unsigned v)
{
	char path[512], text[32];

	pathf(path, sizeof(path), f, "%s/%s", dir, attr);
	snprintf(text, sizeof(text), fmt, v);
	put(path, text);
}

static void add_driver(struct fakesys *f, const char *name)
{
	char path[512];

	pathf(path, sizeof(path), f, "sys/bus/pci/drivers/%s", name);
	mkdirs(path);
	pathf(path, sizeof(path), f, "sys/bus/pci/drivers/%s/unbind", name);
	mkfifo(path, 0600);
}

static struct fake_dev *find_dev(struct fakesys *f, const char *addr);

/* The kernel's pci_uevent() text; DRIVER= follows the driver link. */
static void write_uevent(struct fakesys *f, const struct fake_dev *d, const char *driver)
{
	char path[512], text[256];
	int n = 0;

	if (d->no_uevent)
		return;
	if (driver)
		n = snprintf(text, sizeof(text), "DRIVER=%s\n", driver);
	snprintf(text + n, sizeof(text) - n,
		 "PCI_CLASS=%04X\nPCI_ID=%04X:%04X\nPCI_SUBSYS_ID=%04X:%04X\nPCI_SLOT_NAME=%s\n"
		 "MODALIAS=pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X\n",
		 d->class, d->vendor, d->device, d->subvendor, d->subdevice, d->addr,
		 d->vendor, d->device, d->subvendor, d->subdevice, d->class >> 16,
		 (d->class >> 8) & 0xff, d->class & 0xff);
	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s/uevent", d->addr);
	put(path, text);
}

static void link_driver(struct fakesys *f, const char *addr, const char *driver)
{
	char path[512], target[256];
	struct fake_dev *d = find_dev(f, addr);

	if (d)
		write_uevent(f, d, driver);

	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s/driver", addr);
	unlink(path);
	if (!driver)
		return;
	snprintf(target, sizeof(target), "../../../bus/pci/drivers/%s", driver);
	symlink(target, path);
}

/* drivers/pci/iov.c pci_iov_sysfs_link(): virtfnN and physfn */
static void vf_links(struct fakesys *f, const struct fake_dev *d)
{
	char path[512], target[256];

	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s/physfn", d->addr);
	snprintf(target, sizeof(target), "../%s", d->physfn);
	symlink(target, path);
	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s/virtfn%d", d->physfn, d->vf);
	snprintf(target, sizeof(target), "../%s", d->addr);
	symlink(target, path);
}

static void add_device(struct fakesys *f, const struct fake_dev *d, int iommu)
{
	char dir[256], path[512], target[256];

	snprintf(dir, sizeof(dir), "sys/devices/pci0000:00/%s", d->addr);
	pathf(path, sizeof(path), f, "%s", dir);
	mkdirs(path);
	putf(f, dir, "vendor", "0x%04x\n", d->vendor);
	putf(f, dir, "device", "0x%04x\n", d->device);
	putf(f, dir, "class", "0x%06x\n", d->class);
	putf(f, dir, "subsystem_vendor", "0x%04x\n", d->subvendor);
	putf(f, dir, "subsystem_device", "0x%04x\n", d->subdevice);
	if (!d->no_override) {
		pathf(path, sizeof(path), f, "%s/driver_override", dir);
		put(path, d->override ? d->override : "(null)\n");
	}
	/* pci_is_vga(): VGA (0300) and pre-2.0 VGA (0001) devices */
	if ((d->class >> 8) == 0x0300 || (d->class >> 8) == 0x0001)
		putf(f, dir, "boot_vga", "%u\n", d->boot_vga);
	if (d->boot_display)
		putf(f, dir, "boot_display", "%u\n", 1);
	if (d->bridge)
		putf(f, dir, "secondary_bus_number", "%u\n", 1);
	if (d->sriov) {
		putf(f, dir, "sriov_drivers_autoprobe", "%u\n", 1);
		putf(f, dir, "sriov_numvfs", "%u\n", 0);
		putf(f, dir, "sriov_totalvfs", "%u\n", (unsigned)d->sriov);
		/* iov.c sriov_offset_show(), sriov_stride_show(): "%u\n";
		 * sriov_vf_device_show(): "%x\n" */
		putf(f, dir, "sriov_offset", "%u\n", 128);
		putf(f, dir, "sriov_stride", "%u\n", 2);
		putf(f, dir, "sriov_vf_device", "%x\n", d->vf_device);
	}
	if (d->physfn && !d->late_link)
		vf_links(f, d);
	if (iommu && d->group >= 0) {
		pathf(path, sizeof(path), f, "sys/kernel/iommu_groups/%d/devices", d->group);
		mkdirs(path);
		pathf(path, sizeof(path), f, "sys/kernel/iommu_groups/%d/devices/%s", d->group,
		      d->addr);
		snprintf(target, sizeof(target), "../../../../devices/pci0000:00/%s", d->addr);
		symlink(target, path);
		pathf(path, sizeof(path), f, "%s/iommu_group", dir);
		snprintf(target, sizeof(target), "../../../kernel/iommu_groups/%d", d->group);
		symlink(target, path);
	}
	pathf(path, sizeof(path), f, "sys/bus/pci/devices/%s", d->addr);
	snprintf(target, sizeof(target), "../../../devices/pci0000:00/%s", d->addr);
	symlink(target, path);
	if (d->native)
		add_driver(f, d->native);
	if (d->driver)
		add_driver(f, d->driver);
	if (d->driver && d->refuse_unbind) {
		/* a directory: opening it for writing fails, as a refused write */
		pathf(path, sizeof(path), f, "sys/bus/pci/drivers/%s/unbind", d->driver);
		unlink(path);
		mkdir(path, 0755);
	}
	link_driver(f, d->addr, d->driver);
}

static struct fake_dev *find_dev(struct fakesys *f, const char *addr)
{
	for (size_t i = 0; i < f->ndev; i++)
		if (!strcmp(f->dev[i].addr, addr))
			return &f->dev[i];
	return NULL;
}

static void journal(struct fakesys *f, const char *fmt, const char *a, const char *b)
{
	size_t n = strlen(f->journal);

	pthread_mutex_lock(&f->lock);
	snprintf(f->journal + n, sizeof(f->journal) - n, fmt, a, b);
	pthread_mutex_unlock(&f->lock);
}

static int present(struct fakesys *f, const char *addr)
{
	char path[512];

	pathf(path, sizeof(path), f, "sys/bus/pci/devices/%s", addr);
	return access(path, F_OK) == 0;
}

static int driver_loaded(struct fakesys *f, const char *name)
{
	char path[512];

	pathf(path, sizeof(path), f, "sys/bus/pci/drivers/%s", name);
	return access(path, F_OK) == 0;
}

/* pci_device_can_probe(): a VF without override only while its PF's
 * sriov_drivers_autoprobe is 1. */
static int vf_may_probe(struct fakesys *f, const struct fake_dev *d)
{
	char rel[128], buf[16];

	if (!d->physfn)
		return 1;
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/sriov_drivers_autoprobe", d->physfn);
	return !fake_file(f, rel, buf, sizeof(buf)) || buf[0] != '0';
}

/* What the kernel's drivers_probe does: override first, else the native driver. */
static void kernel_probe(struct fakesys *f, const char *addr)
{
	struct fake_dev *d = find_dev(f, addr);
	char buf[64];
	const char *want;

	journal(f, "probe %s%s\n", addr, "");
	if (!d || !present(f, addr) || fake_driver(f, addr, buf, sizeof(buf))[0])
		return;
	fake_override(f, addr, buf, sizeof(buf));
	if (!buf[0] && !vf_may_probe(f, d)) {
		journal(f, "refused %s%s\n", addr, " (VF held)");
		return;
	}
	want = buf[0] ? buf : d->native;
	if (!want || !driver_loaded(f, want))
		return;
	if (!strcmp(want, "vfio-pci") && d->refuse_vfio)
		return;
	if (d->refuse_driver && !strcmp(want, d->refuse_driver))
		return;
	link_driver(f, addr, want);
}

static void hot_remove(struct fakesys *f, const char *addr)
{
	char path[512], cmd[600];

	pathf(path, sizeof(path), f, "sys/bus/pci/devices/%s", addr);
	unlink(path);
	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s", addr);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		return;
}

/* driver_override becomes a directory: every later write to it fails. */
static void make_stuck(struct fakesys *f, const char *addr)
{
	char path[512];

	pathf(path, sizeof(path), f, "sys/devices/pci0000:00/%s/driver_override", addr);
	unlink(path);
	mkdir(path, 0755);
}

static void kernel_unbind(struct fakesys *f, const char *driver, const char *addr)
{
	struct fake_dev *d = find_dev(f, addr);
	char buf[64];

	journal(f, "unbind %s %s\n", driver, addr);
	if (!d || strcmp(fake_driver(f, addr, buf, sizeof(buf)), driver))
		return;
	if (d->vanish_on_unbind)
		hot_remove(f, addr);
	else
		link_driver(f, addr, NULL);
	if (d->stuck_override)
		make_stuck(f, addr);
}

struct fifo {
	int fd;
	char driver[64];	/* "" for drivers_probe */
	char pending[64];
	size_t npending;
};

/* Writes are bare addresses, possibly several in one read; one ends with
 * the digit after its '.' (domains may be wider than 4 digits). */
static void serve(struct fakesys *f, struct fifo *q)
{
	char buf[256];
	ssize_t n = read(q->fd, buf, sizeof(buf));

	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == ' ')
			continue;
		if (q->npending + 1 >= sizeof(q->pending))
			q->npending = 0;
		q->pending[q->npending++] = buf[i];
		if (q->npending < 2 || q->pending[q->npending - 2] != '.')
			continue;
		q->pending[q->npending] = '\0';
		q->npending = 0;
		if (q->driver[0])
			kernel_unbind(f, q->driver, q->pending);
		else
			kernel_probe(f, q->pending);
	}
}

static size_t open_fifos(struct fakesys *f, struct fifo *q, size_t max)
{
	char path[512];
	size_t n = 0;
	const char *names[FAKE_MAX_DEVS * 2 + 1];
	size_t nn = 0;

	names[nn++] = "vfio-pci";
	for (size_t i = 0; i < f->ndev; i++) {
		if (f->dev[i].native)
			names[nn++] = f->dev[i].native;
		if (f->dev[i].driver)
			names[nn++] = f->dev[i].driver;
	}
	pathf(path, sizeof(path), f, "sys/bus/pci/drivers_probe");
	q[n].fd = open(path, O_RDWR | O_NONBLOCK);
	q[n++].driver[0] = '\0';
	for (size_t i = 0; i < nn && n < max; i++) {
		size_t j;

		for (j = 1; j < n && strcmp(q[j].driver, names[i]); j++)
			;
		if (j < n)
			continue;
		pathf(path, sizeof(path), f, "sys/bus/pci/drivers/%s/unbind", names[i]);
		q[n].fd = open(path, O_RDWR | O_NONBLOCK);
		if (q[n].fd < 0)
			continue;
		snprintf(q[n].driver, sizeof(q[n].driver), "%s", names[i]);
		q[n++].npending = 0;
	}
	return n;
}

static void *kernel_thread(void *arg)
{
	struct fakesys *f = arg;
	struct fifo q[64];
	struct pollfd pfd[64];
	size_t n = open_fifos(f, q, 64);

	for (size_t i = 0; i < n; i++) {
		q[i].npending = 0;
		pfd[i].fd = q[i].fd;
		pfd[i].events = POLLIN;
	}
	while (!f->stop) {
		if (poll(pfd, n, 5) <= 0)
			continue;
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents & POLLIN)
				serve(f, &q[i]);
	}
	for (size_t i = 0; i < n; i++)
		close(q[i].fd);
	return NULL;
}

int fake_init(struct fakesys *f, const struct fake_dev *devs, size_t n, int iommu,
	      int vfio_loaded)
{
	char path[512];

	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/vfe-fake.XXXXXX");
	if (!mkdtemp(f->root) || n > FAKE_MAX_DEVS)
		return -1;
	memcpy(f->dev, devs, n * sizeof(*devs));
	f->ndev = n;
	for (size_t i = 0; i < n; i++)
		if (!f->dev[i].subvendor)
			f->dev[i].subvendor = f->dev[i].vendor;
	f->vfio_loaded = vfio_loaded;
	pthread_mutex_init(&f->lock, NULL);
	pathf(path, sizeof(path), f, "sys/bus/pci/devices");
	mkdirs(path);
	pathf(path, sizeof(path), f, "sys/kernel/iommu_groups");
	if (iommu)
		mkdirs(path);
	pathf(path, sizeof(path), f, "sys/bus/pci/drivers_probe");
	mkfifo(path, 0600);
	pathf(path, sizeof(path), f, "run");
	mkdirs(path);
	pathf(path, sizeof(path), f, "proc");
	mkdirs(path);
	/* An initrd's root, for the boot binary's test (early/boot.c: in_initrd). */
	pathf(path, sizeof(path), f, "init");
	put(path, "#!/bin/sh\n");
	if (vfio_loaded)
		add_driver(f, "vfio-pci");
	f->iommu = iommu;
	for (size_t i = 0; i < n; i++) {
		if (!f->dev[i].later) {
			add_device(f, &f->dev[i], iommu);
			continue;
		}
		if (f->dev[i].native)
			add_driver(f, f->dev[i].native);
	}
	return pthread_create(&f->thread, NULL, kernel_thread, f);
}

static void read_output(struct fakesys *f, const char *path)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd >= 0 ? read(fd, f->output, sizeof(f->output) - 1) : 0;

	f->output[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
	unlink(path);
}

static int run_bin(struct fakesys *f, const char *bin, const char *cmdline,
		   const char *const *extra)
{
	char *argv[32], out[256];
	posix_spawn_file_actions_t fa;
	int argc = 0, status = -1;
	pid_t pid;

	snprintf(out, sizeof(out), "%s.out", f->root);
	argv[argc++] = (char *)bin;
	argv[argc++] = "--root";
	argv[argc++] = f->root;
	if (cmdline) {
		argv[argc++] = "--cmdline";
		argv[argc++] = (char *)cmdline;
	}
	for (; extra && *extra && argc < 30; extra++)
		argv[argc++] = (char *)*extra;
	argv[argc] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) == 0)
		waitpid(pid, &status, 0);
	posix_spawn_file_actions_destroy(&fa);
	usleep(30 * 1000);	/* let the fake kernel drain its FIFOs */
	read_output(f, out);
	f->exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return f->exit_status;
}

int fake_run(struct fakesys *f, const char *cmdline, const char *const *extra)
{
	const char *bin = getenv("VFIO_EARLY");

	return run_bin(f, bin ? bin : "build/vfio-early", cmdline, extra);
}

int fake_boot(struct fakesys *f, const char *cmdline, const char *const *extra)
{
	const char *bin = getenv("VFIO_EARLY_BOOT");

	return run_bin(f, bin ? bin : "build/vfio-early-boot", cmdline, extra);
}

/* A relocatable ELF with one section, .modinfo, as depmod and libkmod
 * read a module's aliases and softdeps (kmod: libkmod-elf.c). */
int fake_module(struct fakesys *f, const char *rel, const char *modinfo, size_t len)
{
	static const char shstr[] = "\0.modinfo\0.shstrtab";
	size_t shoff = (sizeof(Elf64_Ehdr) + len + sizeof(shstr) + 7) & ~(size_t)7;
	Elf64_Ehdr eh = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB,
			     EV_CURRENT },
		.e_type = ET_REL, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_shoff = shoff, .e_ehsize = sizeof(Elf64_Ehdr),
		.e_shentsize = sizeof(Elf64_Shdr), .e_shnum = 3, .e_shstrndx = 2,
	};
	Elf64_Shdr sh[3] = {
		[1] = { .sh_name = 1, .sh_type = SHT_PROGBITS, .sh_flags = SHF_ALLOC,
			.sh_offset = sizeof(eh), .sh_size = len, .sh_addralign = 1 },
		[2] = { .sh_name = 10, .sh_type = SHT_STRTAB, .sh_offset = sizeof(eh) + len,
			.sh_size = sizeof(shstr), .sh_addralign = 1 },
	};
	char *img = calloc(1, shoff + sizeof(sh)), path[512], *slash;
	FILE *out;

	if (!img)
		return -1;
	memcpy(img, &eh, sizeof(eh));
	memcpy(img + sizeof(eh), modinfo, len);
	memcpy(img + sizeof(eh) + len, shstr, sizeof(shstr));
	memcpy(img + shoff, sh, sizeof(sh));
	pathf(path, sizeof(path), f, "%s", rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	out = fopen(path, "w");
	if (out) {
		fwrite(img, 1, shoff + sizeof(sh), out);
		fclose(out);
	}
	free(img);
	return out ? 0 : -1;
}

int fake_depmod(struct fakesys *f, const char *release)
{
	char *argv[] = { "depmod", "-b", f->root, (char *)release, NULL };
	int status = -1;
	pid_t pid;

	for (size_t i = 0; i < 3; i++) {
		static const char *const where[] = { "/sbin/depmod", "/usr/sbin/depmod",
						     "/bin/depmod" };

		if (access(where[i], X_OK))
			continue;
		if (posix_spawn(&pid, where[i], NULL, NULL, argv, environ) == 0)
			waitpid(pid, &status, 0);
		return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}
	return -1;
}

int fake_write(struct fakesys *f, const char *rel, const char *text, int mode)
{
	char path[512], *slash;

	pathf(path, sizeof(path), f, "%s", rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	put(path, text);
	return chmod(path, (mode_t)mode);
}

const char *fake_file(struct fakesys *f, const char *rel, char *buf, size_t size)
{
	char path[512];
	int fd;
	ssize_t n;

	pathf(path, sizeof(path), f, "%s", rel);
	fd = open(path, O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return NULL;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

const char *fake_driver(struct fakesys *f, const char *addr, char *buf, size_t size)
{
	char path[512], target[256];
	ssize_t n;
	const char *base;

	pathf(path, sizeof(path), f, "sys/bus/pci/devices/%s/driver", addr);
	n = readlink(path, target, sizeof(target) - 1);
	buf[0] = '\0';
	if (n <= 0)
		return buf;
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(buf, size, "%s", base ? base + 1 : target);
	return buf;
}

/* Like the kernel: "(null)" or empty means no override; "" returned then. */
const char *fake_override(struct fakesys *f, const char *addr, char *buf, size_t size)
{
	char rel[128];
	size_t n;

	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/driver_override", addr);
	if (!fake_file(f, rel, buf, size)) {
		buf[0] = '\0';
		return buf;
	}
	n = strcspn(buf, "\n");
	buf[n] = '\0';
	if (!strcmp(buf, "(null)"))
		buf[0] = '\0';
	return buf;
}

int fake_hotplug(struct fakesys *f, const char *addr)
{
	struct fake_dev *d = find_dev(f, addr);
	struct fake_dev now;

	if (!d)
		return -1;
	now = *d;
	now.driver = NULL;
	add_device(f, &now, f->iommu);
	if (d->native && driver_loaded(f, d->native) && vf_may_probe(f, d))
		link_driver(f, addr, d->native);
	return 0;
}

#define FAKE_PAR_MAX 128

static pid_t spawn_udev(struct fakesys *f, const char *cmdline, const char *addr, size_t i)
{
	const char *bin = getenv("VFIO_EARLY");
	char *argv[8], out[256];
	posix_spawn_file_actions_t fa;
	pid_t pid = -1;

	snprintf(out, sizeof(out), "%s.out%zu", f->root, i);
	argv[0] = (char *)(bin ? bin : "build/vfio-early");
	argv[1] = "--root";
	argv[2] = f->root;
	argv[3] = "--cmdline";
	argv[4] = (char *)cmdline;
	argv[5] = "udev";
	argv[6] = (char *)addr;
	argv[7] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ))
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static void append_output(struct fakesys *f, size_t i)
{
	char path[256];
	size_t n = strlen(f->output);
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s.out%zu", f->root, i);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	r = read(fd, f->output + n, sizeof(f->output) - 1 - n);
	f->output[n + (r > 0 ? (size_t)r : 0)] = '\0';
	close(fd);
	unlink(path);
}

int fake_udev_all(struct fakesys *f, const char *cmdline, const char *const *addrs, size_t n)
{
	pid_t pid[FAKE_PAR_MAX];
	int failed = 0, status;

	if (n > FAKE_PAR_MAX)
		return -1;
	for (size_t i = 0; i < n; i++)
		pid[i] = spawn_udev(f, cmdline, addrs[i], i);
	f->output[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		status = -1;
		if (pid[i] > 0)
			waitpid(pid[i], &status, 0);
		failed += !WIFEXITED(status) || WEXITSTATUS(status);
		append_output(f, i);
	}
	usleep(30 * 1000);	/* let the fake kernel drain its FIFOs */
	return failed;
}

int fake_link_vf(struct fakesys *f, const char *addr)
{
	struct fake_dev *d = find_dev(f, addr);

	if (!d || !d->physfn)
		return -1;
	vf_links(f, d);
	return 0;
}

void fake_cleanup(struct fakesys *f)
{
	char cmd[256];

	f->stop = 1;
	pthread_join(f->thread, NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->root);
}

/* to relative to rel's directory: "../" for each directory of rel's that
 * to does not share, then the rest of to. */
static void relative_to(const char *rel, const char *to, char *out, size_t size)
{
	size_t common = 0, n = 0;

	for (size_t i = 0; rel[i] && rel[i] == to[i]; i++)
		if (rel[i] == '/')
			common = i + 1;
	out[0] = '\0';
	for (const char *p = rel + common; (p = strchr(p, '/')); p++)
		n += (size_t)snprintf(out + n, size - n, "../");
	snprintf(out + n, size - n, "%s", to + common);
}

int fake_symlink(struct fakesys *f, const char *rel, const char *to)
{
	char path[512], target[512], *slash;

	pathf(path, sizeof(path), f, "%s", rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	relative_to(rel, to, target, sizeof(target));
	unlink(path);
	return symlink(target, path);
}

int fake_block(struct fakesys *f, const char *dir, const char *majmin, int partno)
{
	const char *name = strrchr(dir, '/') + 1;
	char rel[512], text[32];

	snprintf(rel, sizeof(rel), "%s/dev", dir);
	snprintf(text, sizeof(text), "%s\n", majmin);
	fake_write(f, rel, text, 0444);
	if (partno > 0) {
		snprintf(rel, sizeof(rel), "%s/partition", dir);
		snprintf(text, sizeof(text), "%d\n", partno);
		fake_write(f, rel, text, 0444);
	}
	snprintf(rel, sizeof(rel), "sys/class/block/%s", name);
	if (fake_symlink(f, rel, dir))
		return -1;
	snprintf(rel, sizeof(rel), "sys/dev/block/%s", majmin);
	return fake_symlink(f, rel, dir);
}

/* Where a block or net device's directory is: its class link, resolved. */
static int class_dir(struct fakesys *f, const char *cls, const char *name, char *out,
		     size_t size)
{
	char path[512], real[PATH_MAX], root[PATH_MAX];
	size_t n;

	pathf(path, sizeof(path), f, "sys/class/%s/%s", cls, name);
	if (!realpath(f->root, root) || !realpath(path, real))
		return -1;
	n = strlen(root);
	if (strncmp(real, root, n) || real[n] != '/')
		return -1;
	snprintf(out, size, "%s", real + n + 1);
	return 0;
}

/* The two links of a stacked pair in class cls: upper/DOWN+lower to the
 * lower device, lower/UP+upper back (block: slaves/, holders/; net: lower_,
 * upper_). */
static int link_pair(struct fakesys *f, const char *cls, const char *upper, const char *lower,
		     const char *down, const char *up)
{
	char udir[512], ldir[512], rel[600];

	if (class_dir(f, cls, upper, udir, sizeof(udir)) ||
	    class_dir(f, cls, lower, ldir, sizeof(ldir)))
		return -1;
	snprintf(rel, sizeof(rel), "%s/%s%s", udir, down, lower);
	if (fake_symlink(f, rel, ldir))
		return -1;
	snprintf(rel, sizeof(rel), "%s/%s%s", ldir, up, upper);
	return fake_symlink(f, rel, udir);
}

int fake_slave(struct fakesys *f, const char *holder, const char *lower)
{
	return link_pair(f, "block", holder, lower, "slaves/", "holders/");
}

int fake_net(struct fakesys *f, const char *name, const char *addr)
{
	char dir[256], rel[512], pci[256];

	if (addr)
		snprintf(dir, sizeof(dir), "sys/devices/pci0000:00/%s/net/%s", addr, name);
	else
		snprintf(dir, sizeof(dir), "sys/devices/virtual/net/%s", name);
	snprintf(rel, sizeof(rel), "%s/ifindex", dir);
	fake_write(f, rel, "2\n", 0444);
	if (addr) {
		snprintf(rel, sizeof(rel), "%s/device", dir);
		snprintf(pci, sizeof(pci), "sys/devices/pci0000:00/%s", addr);
		if (fake_symlink(f, rel, pci))
			return -1;
	}
	snprintf(rel, sizeof(rel), "sys/class/net/%s", name);
	return fake_symlink(f, rel, dir);
}

int fake_lower(struct fakesys *f, const char *upper, const char *lower)
{
	return link_pair(f, "net", upper, lower, "lower_", "upper_");
}

int fake_variant(struct fakesys *f, const char *module, const char *driver)
{
	char rel[256], to[256];

	add_driver(f, driver);
	snprintf(rel, sizeof(rel), "sys/bus/pci/drivers/%s/module", driver);
	snprintf(to, sizeof(to), "sys/module/%s", module);
	if (fake_symlink(f, rel, to))
		return -1;
	snprintf(rel, sizeof(rel), "sys/module/%s/drivers/pci:%s", module, driver);
	snprintf(to, sizeof(to), "sys/bus/pci/drivers/%s", driver);
	if (fake_symlink(f, rel, to))
		return -1;
	snprintf(rel, sizeof(rel), "sys/module/vfio_pci_core/holders/%s", module);
	snprintf(to, sizeof(to), "sys/module/%s", module);
	return fake_symlink(f, rel, to);
}
