// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "hex.h"
#include "slurp.h"
#include "sysfs.h"

static int root_fd = -1;

int sysfs_open_root(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
	return 0;
}

int sysfs_dev_path(char *buf, size_t size, const char *addr, const char *attr)
{
	int n = attr ? fmt(buf, size, SYSFS_DEVICES "/%s/%s", addr, attr) :
		       fmt(buf, size, SYSFS_DEVICES "/%s", addr);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int sysfs_read(const char *path, char *buf, size_t size)
{
	int fd = openat(root_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return n;
}

int sysfs_read_hex(const char *path, unsigned long *val)
{
	char buf[32];
	int n = sysfs_read(path, buf, sizeof(buf));
	int skip = n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X') ? 2 : 0;
	unsigned v;

	if (n < 0)
		return n;
	if (hex_parse(buf + skip, n - skip, &v))
		return -EINVAL;
	*val = v;
	return 0;
}

int sysfs_write(const char *path, const char *s)
{
	int fd = openat(root_fd, path, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOCTTY);
	size_t len = strlen(s);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		n = -errno;
	else if ((size_t)n != len)
		n = -EIO;
	if (close(fd) < 0 && n >= 0)
		n = -errno;
	return n < 0 ? (int)n : 0;
}

int sysfs_link_name(const char *path, char *buf, size_t size)
{
	char target[256];
	ssize_t n = readlinkat(root_fd, path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= size)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

int sysfs_open(const char *path, int flags, mode_t mode)
{
	int fd = openat(root_fd, path, flags | O_CLOEXEC | O_NOCTTY, mode);

	return fd < 0 ? -errno : fd;
}

int sysfs_exists(const char *path)
{
	struct stat st;

	return fstatat(root_fd, path, &st, 0) == 0;
}

DIR *sysfs_opendir(const char *path)
{
	int fd = openat(root_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir;

	if (fd < 0)
		return NULL;
	dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		errno = ENOMEM;
	}
	return dir;
}

int sysfs_dir_nonempty(const char *path)
{
	DIR *dir = sysfs_opendir(path);
	struct dirent *de;
	int found = 0;

	if (!dir)
		return -errno;
	while (!found && (de = readdir(dir)))
		found = de->d_name[0] != '.';
	closedir(dir);
	return found;
}

int sysfs_slurp(const char *path, size_t max, char **out, size_t *len)
{
	return slurp_at(root_fd, path, max, out, len);
}

int sysfs_mkdir(const char *path, mode_t mode)
{
	if (mkdirat(root_fd, path, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int sysfs_write_atomic(const char *path, const char *data, size_t len)
{
	char tmp[256];
	int fd, ret = 0;

	if (fmt(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = openat(root_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) < 0)
		ret = errno ? -errno : -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	if (!ret && renameat(root_fd, tmp, root_fd, path) < 0)
		ret = -errno;
	if (ret)
		unlinkat(root_fd, tmp, 0);
	return ret;
}
