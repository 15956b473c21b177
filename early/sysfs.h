/* SPDX-License-Identifier: MIT */
/*
 * Every file access goes through one root directory fd, with paths relative
 * to it ("sys/bus/pci/..."), so the same code runs on "/" or on a test tree.
 * Functions return >= 0 on success and -errno on failure.
 */
#ifndef VFE_SYSFS_H
#define VFE_SYSFS_H

#include <stddef.h>
#include <dirent.h>
#include <sys/types.h>

#include "pci.h"

#define SYSFS_DEVICES	"sys/bus/pci/devices"
#define SYSFS_DRIVERS_PROBE "sys/bus/pci/drivers_probe"
#define SYSFS_VFIO_DRIVER "sys/bus/pci/drivers/vfio-pci"
#define SYSFS_IOMMU_GROUPS "sys/kernel/iommu_groups"
#define SYSFS_ATTR_MAX	32	/* "driver_override", "driver/unbind", ... */
/* Room for SYSFS_DEVICES "/ADDR/ATTR" and its NUL, however wide ADDR gets. */
#define SYSFS_DEV_PATH_MAX (sizeof(SYSFS_DEVICES) + PCI_ADDR_MAX + 1 + SYSFS_ATTR_MAX)

int sysfs_open_root(const char *dir);

/* SYSFS_DEVICES "/addr/attr" (attr NULL: the device's directory) into buf;
 * -ENAMETOOLONG rather than cut short. */
int sysfs_dev_path(char *buf, size_t size, const char *addr, const char *attr);

/* Read a small attribute; trailing newline dropped. Returns its length. */
int sysfs_read(const char *path, char *buf, size_t size);
/* Read an attribute holding one hex number ("0x10de" or "10de"). */
int sysfs_read_hex(const char *path, unsigned long *val);
/* Write one string with one write(), as "echo -n s > path" (no O_CREAT). */
int sysfs_write(const char *path, const char *s);
/* The last component of a symlink's target ("../../drivers/e1000e" -> "e1000e"). */
int sysfs_link_name(const char *path, char *buf, size_t size);
int sysfs_exists(const char *path);
/* openat() under the root; the fd or -errno. */
int sysfs_open(const char *path, int flags, mode_t mode);
DIR *sysfs_opendir(const char *path);
/* 1 if the directory holds any entry, 0 if empty, -errno if unreadable. */
int sysfs_dir_nonempty(const char *path);
/* A whole regular file of at most max bytes, malloc'ed and NUL-terminated
 * (kcmdline/slurp.h: never blocks, refuses a FIFO or device node). */
#define SYSFS_FILE_MAX (4u << 20)
int sysfs_slurp(const char *path, size_t max, char **out, size_t *len);
/* Create dir (one level) and write a file atomically: temp, fsync, rename. */
int sysfs_mkdir(const char *path, mode_t mode);
int sysfs_write_atomic(const char *path, const char *data, size_t len);

#endif
