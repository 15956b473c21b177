// SPDX-License-Identifier: MIT
/*
 * vfio-usable: can QEMU use these PCI devices? The test images' probe runs it
 * on every device a vfio driver holds: "bound to vfio-pci" proves nothing
 * until a user has opened the device the way QEMU's hw/vfio does.
 * usage: vfio-usable ADDR...
 * Per ADDR, one line a step, "ADDR STEP: what it found", then the verdict,
 * "ADDR ok SUMMARY" or "ADDR FAIL STEP: WHY" (WHY: an errno name, or what was
 * wrong). Exits 0 only when every ADDR is usable, 1 otherwise, 2 on usage.
 *
 * The legacy (group and container) path follows QEMU's hw/vfio/container.c:
 * vfio_get_group() (open /dev/vfio/N, VFIO_GROUP_GET_STATUS must say VIABLE),
 * vfio_connect_container() (open /dev/vfio/vfio, VFIO_GET_API_VERSION),
 * vfio_init_container() (VFIO_CHECK_EXTENSION, TYPE1v2 before TYPE1;
 * VFIO_GROUP_SET_CONTAINER; VFIO_SET_IOMMU), vfio_get_iommu_info() and
 * vfio_get_info_iova_range() (VFIO_IOMMU_GET_INFO, again with the argsz the
 * kernel asked for), vfio_legacy_dma_map()/_unmap() (one mapping here, where
 * the memory listener maps guest RAM) and vfio_get_device()
 * (VFIO_GROUP_GET_DEVICE_FD, VFIO_DEVICE_GET_INFO); then hw/vfio/pci.c's
 * vfio_populate_device() checks (a PCI device, a config region and the MSI-X
 * irq index) and its read of config space through the device fd.
 * The cdev path follows hw/vfio/iommufd.c: the device's vfio-dev/vfioN in
 * sysfs, with a "dev" attribute, names /dev/vfio/devices/vfioN, opened with
 * /dev/iommu, then VFIO_DEVICE_BIND_IOMMUFD. The kernel refuses that bind
 * while the group is open (drivers/vfio/group.c vfio_device_block_group()):
 * the legacy fds are closed first. Kernels without CONFIG_VFIO_DEVICE_CDEV
 * (Debian's: IOMMUFD is off) give vfioN no "dev": "cdev: none".
 * Structures and ioctls: include/uapi/linux/vfio.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/vfio.h>

#ifndef VFIO_DEVICE_BIND_IOMMUFD
/* include/uapi/linux/vfio.h since Linux 6.6; bookworm's headers are 6.1. */
struct vfio_device_bind_iommufd {
	__u32 argsz;
	__u32 flags;
	__s32 iommufd;
	__u32 out_devid;
};
#define VFIO_DEVICE_BIND_IOMMUFD _IO(VFIO_TYPE, VFIO_BASE + 18)
#endif

#define SYS_PCI "/sys/bus/pci/devices/"

/*
 * klibc declares ioctl(int, int, void *), glibc and musl ioctl(int, unsigned
 * long, ...): every call goes through these two, with a pointer argument.
 */
static int io(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg);
}

/* For the ioctls that take an integer (VFIO_CHECK_EXTENSION, VFIO_SET_IOMMU). */
static int io_int(int fd, unsigned long request, int value)
{
	return ioctl(fd, request, (void *)(uintptr_t)value);
}

enum step {
	STEP_GROUP_ID,
	STEP_CONTAINER,
	STEP_API,
	STEP_EXTENSION,
	STEP_GROUP,
	STEP_STATUS,
	STEP_SET_CONTAINER,
	STEP_SET_IOMMU,
	STEP_IOMMU_INFO,
	STEP_DMA_MAP,
	STEP_DMA_UNMAP,
	STEP_DEVICE,
	STEP_DEVICE_INFO,
	STEP_CONFIG,
	STEP_CDEV,
	STEP_IOMMUFD,
	STEP_BIND,
};

static const char *const step_names[] = {
	[STEP_GROUP_ID] = "iommu_group",
	[STEP_CONTAINER] = "container",
	[STEP_API] = "api",
	[STEP_EXTENSION] = "extension",
	[STEP_GROUP] = "group",
	[STEP_STATUS] = "status",
	[STEP_SET_CONTAINER] = "set-container",
	[STEP_SET_IOMMU] = "set-iommu",
	[STEP_IOMMU_INFO] = "iommu-info",
	[STEP_DMA_MAP] = "dma-map",
	[STEP_DMA_UNMAP] = "dma-unmap",
	[STEP_DEVICE] = "device",
	[STEP_DEVICE_INFO] = "device-info",
	[STEP_CONFIG] = "config",
	[STEP_CDEV] = "cdev",
	[STEP_IOMMUFD] = "iommufd",
	[STEP_BIND] = "bind",
};

/* One device's run: its fds (-1 when closed) and what the verdict says. */
struct usable {
	const char *addr;
	int group;
	int container_fd;
	int group_fd;
	int device_fd;
	int type;
	uint64_t pgsize;
	uint64_t iova;
	enum step failed;
	char why[64];
	char summary[160];
};

static const struct {
	int err;
	const char *name;
} err_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { EBADF, "EBADF" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" }, { ENOTTY, "ENOTTY" },
	{ EOPNOTSUPP, "EOPNOTSUPP" },
};

static const char *err_name(int err, char *buf, size_t size)
{
	for (size_t i = 0; i < sizeof(err_names) / sizeof(err_names[0]); i++) {
		if (err_names[i].err == err)
			return err_names[i].name;
	}
	snprintf(buf, size, "errno %d", err);
	return buf;
}

/* Lines go out with write(): nothing is lost in a buffer if a step hangs. */
static void out(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	(void)!write(1, line, (size_t)n); /* stdout is the console or a pipe: nothing to retry */
}

/* Records why STEP failed; returns -1. WHY NULL: the errno name of ERR. */
static int fail(struct usable *u, enum step step, int err, const char *why)
{
	char buf[24];

	u->failed = step;
	snprintf(u->why, sizeof(u->why), "%s", why ? why : err_name(err, buf, sizeof(buf)));
	return -1;
}

/* The group number from ADDR's iommu_group link, as vfio_device_groupid(). */
static int read_group(struct usable *u)
{
	char path[128], target[128];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), SYS_PCI "%s/iommu_group", u->addr);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return fail(u, STEP_GROUP_ID, errno, NULL);
	target[n] = '\0';
	base = strrchr(target, '/');
	if (sscanf(base ? base + 1 : target, "%d", &u->group) != 1)
		return fail(u, STEP_GROUP_ID, 0, "not a group number");
	out("%s iommu_group: %d", u->addr, u->group);
	return 0;
}

/* /dev/vfio/vfio, its API version and the richest type1 it offers. */
static int open_container(struct usable *u)
{
	int v;

	u->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (u->container_fd < 0)
		return fail(u, STEP_CONTAINER, errno, NULL);
	v = io(u->container_fd, VFIO_GET_API_VERSION, NULL);
	if (v != VFIO_API_VERSION)
		return fail(u, STEP_API, v < 0 ? errno : 0, v < 0 ? NULL : "unknown API version");
	out("%s api: /dev/vfio/vfio, VFIO_API_VERSION %d", u->addr, v);
	if (io_int(u->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) > 0)
		u->type = VFIO_TYPE1v2_IOMMU;
	else if (io_int(u->container_fd, VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU) > 0)
		u->type = VFIO_TYPE1_IOMMU;
	else
		return fail(u, STEP_EXTENSION, 0, "neither TYPE1v2 nor TYPE1");
	out("%s extension: %s", u->addr, u->type == VFIO_TYPE1v2_IOMMU ? "TYPE1v2" : "TYPE1");
	return 0;
}

static int open_group(struct usable *u)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[32];

	snprintf(path, sizeof(path), "/dev/vfio/%d", u->group);
	u->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (u->group_fd < 0)
		return fail(u, STEP_GROUP, errno, NULL);
	if (io(u->group_fd, VFIO_GROUP_GET_STATUS, &status) < 0)
		return fail(u, STEP_STATUS, errno, NULL);
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail(u, STEP_STATUS, 0, "group not viable");
	out("%s status: %s viable (flags 0x%x)", u->addr, path, status.flags);
	if (io(u->group_fd, VFIO_GROUP_SET_CONTAINER, &u->container_fd) < 0)
		return fail(u, STEP_SET_CONTAINER, errno, NULL);
	if (io_int(u->container_fd, VFIO_SET_IOMMU, u->type) < 0)
		return fail(u, STEP_SET_IOMMU, errno, NULL);
	out("%s set-iommu: group in the container, IOMMU set", u->addr);
	return 0;
}

/* One page at RANGE's start rounded up to the page: 0, or -1 if none fits. */
static int fit_page(struct usable *u, const struct vfio_iova_range *range)
{
	uint64_t start = (range->start + u->pgsize - 1) & ~(u->pgsize - 1);

	if (start < range->start) /* rounded past 2^64 */
		return -1;
	if (start + u->pgsize - 1 > range->end)
		return -1;
	u->iova = start;
	return 0;
}

/* The first IOVA range with room for one page, from the capability chain. */
static int pick_iova(struct usable *u, const struct vfio_iommu_type1_info *info)
{
	const char *base = (const char *)info;
	const char *end = base + info->argsz;
	uint32_t off = info->flags & VFIO_IOMMU_INFO_CAPS ? info->cap_offset : 0;

	u->iova = 0; /* no IOVA capability (before Linux 5.4): any IOVA */
	while (off && off + sizeof(struct vfio_info_cap_header) <= info->argsz) {
		const struct vfio_info_cap_header *h = (const void *)(base + off);
		const struct vfio_iommu_type1_info_cap_iova_range *r = (const void *)h;

		off = h->next;
		if (h->id != VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			continue;
		for (uint32_t i = 0; i < r->nr_iovas; i++) {
			if ((const char *)&r->iova_ranges[i + 1] > end)
				break;
			if (fit_page(u, &r->iova_ranges[i]) == 0)
				return 0;
		}
		return fail(u, STEP_IOMMU_INFO, 0, "no IOVA range holds a page");
	}
	return 0;
}

static int iommu_info(struct usable *u)
{
	static union {
		struct vfio_iommu_type1_info info;
		char room[4096];
	} buf;
	uint32_t argsz = sizeof(buf.info);

	for (int tries = 0; tries < 2; tries++) {
		memset(&buf, 0, sizeof(buf));
		buf.info.argsz = argsz;
		if (io(u->container_fd, VFIO_IOMMU_GET_INFO, &buf.info) < 0)
			return fail(u, STEP_IOMMU_INFO, errno, NULL);
		if (buf.info.argsz <= argsz)
			break;
		if (buf.info.argsz > sizeof(buf))
			return fail(u, STEP_IOMMU_INFO, 0, "capabilities too large");
		argsz = buf.info.argsz;
	}
	u->pgsize = 4096;
	if (buf.info.flags & VFIO_IOMMU_INFO_PGSIZES && buf.info.iova_pgsizes)
		u->pgsize = buf.info.iova_pgsizes & -buf.info.iova_pgsizes;
	if (pick_iova(u, &buf.info) < 0)
		return -1;
	out("%s iommu-info: page 0x%llx, IOVA 0x%llx", u->addr, (unsigned long long)u->pgsize,
	    (unsigned long long)u->iova);
	return 0;
}

/* One page of anonymous memory mapped for DMA and unmapped again. */
static int dma_once(struct usable *u)
{
	struct vfio_iommu_type1_dma_map map = { .argsz = sizeof(map) };
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	void *mem = mmap(NULL, u->pgsize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc = 0;

	if (mem == MAP_FAILED)
		return fail(u, STEP_DMA_MAP, errno, NULL);
	map.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE;
	map.vaddr = (uintptr_t)mem;
	map.iova = u->iova;
	map.size = u->pgsize;
	unmap.iova = u->iova;
	unmap.size = u->pgsize;
	if (io(u->container_fd, VFIO_IOMMU_MAP_DMA, &map) < 0)
		rc = fail(u, STEP_DMA_MAP, errno, NULL);
	else if (io(u->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap) < 0)
		rc = fail(u, STEP_DMA_UNMAP, errno, NULL);
	else if (unmap.size != u->pgsize)
		rc = fail(u, STEP_DMA_UNMAP, 0, "unmapped another size");
	else
		out("%s dma-map: 0x%llx bytes at IOVA 0x%llx mapped and unmapped", u->addr,
		    (unsigned long long)u->pgsize, (unsigned long long)u->iova);
	munmap(mem, u->pgsize);
	return rc;
}

/* The config region's vendor and device ids, read through the device fd. */
static int read_config(struct usable *u)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg) };
	uint16_t ids[2];
	ssize_t n;

	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (io(u->device_fd, VFIO_DEVICE_GET_REGION_INFO, &reg) < 0)
		return fail(u, STEP_CONFIG, errno, NULL);
	n = pread(u->device_fd, ids, sizeof(ids), (off_t)reg.offset);
	if (n < 0)
		return fail(u, STEP_CONFIG, errno, NULL);
	if (n != (ssize_t)sizeof(ids))
		return fail(u, STEP_CONFIG, 0, "short read");
	out("%s config: %04x:%04x read through the device fd", u->addr, ids[0], ids[1]);
	return 0;
}

static int open_device(struct usable *u)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	u->device_fd = io(u->group_fd, VFIO_GROUP_GET_DEVICE_FD, (void *)u->addr);
	if (u->device_fd < 0)
		return fail(u, STEP_DEVICE, errno, NULL);
	if (io(u->device_fd, VFIO_DEVICE_GET_INFO, &info) < 0)
		return fail(u, STEP_DEVICE_INFO, errno, NULL);
	out("%s device-info: flags 0x%x, %u regions, %u irqs", u->addr, info.flags,
	    info.num_regions, info.num_irqs);
	if (!(info.flags & VFIO_DEVICE_FLAGS_PCI))
		return fail(u, STEP_DEVICE_INFO, 0, "not a PCI device");
	if (info.num_regions < VFIO_PCI_CONFIG_REGION_INDEX + 1)
		return fail(u, STEP_DEVICE_INFO, 0, "no config region");
	if (info.num_irqs < VFIO_PCI_MSIX_IRQ_INDEX + 1)
		return fail(u, STEP_DEVICE_INFO, 0, "no MSI-X irq index");
	snprintf(u->summary, sizeof(u->summary), "group %d %s, DMA map at IOVA 0x%llx, "
		 "%u regions, %u irqs", u->group, u->type == VFIO_TYPE1v2_IOMMU ? "TYPE1v2" : "TYPE1",
		 (unsigned long long)u->iova, info.num_regions, info.num_irqs);
	return read_config(u);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* The device, then the group, then the container: vfio_put_group()'s order. */
static void close_legacy(struct usable *u)
{
	close_fd(&u->device_fd);
	close_fd(&u->group_fd);
	close_fd(&u->container_fd);
}

/*
 * NAME of ADDR's vfio-dev/vfioN with a char device, or -ENOENT when the
 * kernel offers none. Since Linux 6.1 every vfio device has vfio-dev/vfioN;
 * only CONFIG_VFIO_DEVICE_CDEV (6.6) gives it a "dev" attribute and
 * /dev/vfio/devices/vfioN, as hw/vfio/iommufd.c iommufd_cdev_getfd() reads.
 */
static int find_cdev(const char *addr, char *name, size_t size)
{
	char path[320];
	struct dirent *e;
	DIR *dir;
	int rc = -ENOENT;

	snprintf(path, sizeof(path), SYS_PCI "%s/vfio-dev", addr);
	dir = opendir(path);
	if (!dir)
		return -errno;
	while ((e = readdir(dir))) {
		if (strncmp(e->d_name, "vfio", 4) == 0) {
			snprintf(name, size, "%s", e->d_name);
			rc = 0;
			break;
		}
	}
	closedir(dir);
	if (rc < 0)
		return rc;
	snprintf(path, sizeof(path), SYS_PCI "%s/vfio-dev/%s/dev", addr, name);
	return access(path, F_OK) == 0 ? 0 : -errno;
}

static int bind_cdev(struct usable *u, const char *name)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	char path[300];
	int rc = 0;

	snprintf(path, sizeof(path), "/dev/vfio/devices/%s", name);
	u->device_fd = open(path, O_RDWR | O_CLOEXEC);
	if (u->device_fd < 0)
		return fail(u, STEP_CDEV, errno, NULL);
	bind.iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (bind.iommufd < 0)
		return fail(u, STEP_IOMMUFD, errno, NULL);
	if (io(u->device_fd, VFIO_DEVICE_BIND_IOMMUFD, &bind) < 0)
		rc = fail(u, STEP_BIND, errno, NULL);
	else
		out("%s bind: %s bound to /dev/iommu, devid %u", u->addr, path, bind.out_devid);
	close(bind.iommufd);
	return rc;
}

static int check_cdev(struct usable *u)
{
	char name[256];
	size_t n = strlen(u->summary);
	int rc = find_cdev(u->addr, name, sizeof(name));

	if (rc == -ENOENT) {
		out("%s cdev: none (no vfio-dev/vfioN/dev in sysfs: no CONFIG_VFIO_DEVICE_CDEV)",
		    u->addr);
		snprintf(u->summary + n, sizeof(u->summary) - n, ", no cdev");
		return 0;
	}
	if (rc < 0)
		return fail(u, STEP_CDEV, -rc, NULL);
	rc = bind_cdev(u, name);
	close_fd(&u->device_fd);
	if (rc == 0)
		snprintf(u->summary + n, sizeof(u->summary) - n, ", cdev %s bound to iommufd", name);
	return rc;
}

/* All steps for one device; prints the verdict; returns 0 when usable. */
static int check_one(const char *addr)
{
	struct usable u = { .addr = addr, .container_fd = -1, .group_fd = -1, .device_fd = -1 };
	int rc = read_group(&u);

	if (rc == 0)
		rc = open_container(&u);
	if (rc == 0)
		rc = open_group(&u);
	if (rc == 0)
		rc = iommu_info(&u);
	if (rc == 0)
		rc = dma_once(&u);
	if (rc == 0)
		rc = open_device(&u);
	close_legacy(&u);
	if (rc == 0)
		rc = check_cdev(&u);
	if (rc == 0)
		out("%s ok %s", addr, u.summary);
	else
		out("%s FAIL %s: %s", addr, step_names[u.failed], u.why);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 2) {
		(void)!write(2, "usage: vfio-usable ADDR...\n", 27); /* nothing to do on failure */
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (check_one(argv[i]) < 0)
			rc = 1;
	}
	return rc;
}
