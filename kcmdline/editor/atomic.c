/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <dirent.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "atomic.h"
#include "exitcode.h"
#include "note.h"
#include "slurp.h"

#define MAX_FILE_SIZE (4u << 20)
#define TEMP_TAG ".kcmdline-"

/* Bounded, and only a regular file (kcmdline/slurp.c). */
static int read_fd(int fd, const char *path, struct buf *out)
{
	char *text;
	size_t len;
	int r = slurp_fd(fd, MAX_FILE_SIZE, &text, &len);

	if (r == -EFBIG) {
		warnx("%s: larger than %u bytes; not a command line", path,
		      MAX_FILE_SIZE);
		return EXIT_USAGE;
	}
	if (r == -EINVAL) {
		warnx("%s: %s", path, slurp_why(r));
		return EXIT_USAGE;
	}
	if (r < 0) {
		errno = -r;
		warn("%s: read", path);
		return EXIT_IO;
	}
	buf_add(out, text, len);
	free(text);
	return 0;
}

static int open_error(const char *path)
{
	if (errno == ENOENT || errno == ENOTDIR) {
		warnx("%s: no such file", path);
		return EXIT_USAGE;
	}
	warn("%s", path);
	return EXIT_IO;
}

int read_all(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), rc;

	if (fd < 0)
		return open_error(path);
	rc = read_fd(fd, path, out);
	close(fd);
	return rc;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int is_our_temp(const char *name, const char *base)
{
	size_t n = strlen(base);

	return name[0] == '.' && !strncmp(name + 1, base, n) &&
	       !strncmp(name + 1 + n, TEMP_TAG, strlen(TEMP_TAG));
}

/* Temporaries of a run that was killed; we hold the lock, so no live run
 * owns them. */
static void remove_stale_temps(const struct locked_file *f)
{
	int fd = dup(f->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d)))
		if (is_our_temp(e->d_name, f->base) &&
		    unlinkat(f->dirfd, e->d_name, 0) == 0)
			note("removed %s left by an interrupted run",
			     e->d_name);
	closedir(d);
}

static int lock_dir(struct locked_file *f)
{
	char *slash = strrchr(f->path, '/');
	int rc;

	*slash = '\0';
	f->dirfd = open(slash == f->path ? "/" : f->path,
			O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	*slash = '/';
	f->base = slash + 1;
	if (f->dirfd < 0)
		return open_error(f->path);
	do
		rc = flock(f->dirfd, LOCK_EX);
	while (rc < 0 && errno == EINTR);
	/* Some file systems cannot lock; go on without. */
	if (rc < 0 && errno != ENOLCK && errno != EOPNOTSUPP &&
	    errno != EINVAL) {
		warn("%s: lock", f->path);
		return EXIT_IO;
	}
	return 0;
}

/* The backup a killed --backup run made is a second link; say nothing. */
static int other_link_is_backup(const struct locked_file *f)
{
	struct stat bak;
	char *name;
	int same;

	if (asprintf(&name, "%s.bak", f->base) < 0)
		errx(EXIT_IO, "out of memory");
	same = fstatat(f->dirfd, name, &bak, AT_SYMLINK_NOFOLLOW) == 0 &&
	       bak.st_dev == f->st.st_dev && bak.st_ino == f->st.st_ino &&
	       f->st.st_nlink == 2;
	free(name);
	return same;
}

static int open_regular(struct locked_file *f)
{
	f->fd = openat(f->dirfd, f->base,
		       O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	if (f->fd < 0)
		return open_error(f->path);
	if (fstat(f->fd, &f->st) < 0) {
		warn("%s", f->path);
		return EXIT_IO;
	}
	if (!S_ISREG(f->st.st_mode)) {
		warnx("%s: not a regular file", f->path);
		return EXIT_USAGE;
	}
	if (f->st.st_nlink > 1 && !other_link_is_backup(f))
		note("%s has %ju hard links; only this name will see the "
		     "change", f->path, (uintmax_t)f->st.st_nlink);
	return 0;
}

int lf_open(struct locked_file *f, const char *path, int clean)
{
	int rc;

	memset(f, 0, sizeof(*f));
	f->dirfd = f->fd = -1;
	f->path = realpath(path, NULL);
	if (!f->path)
		return open_error(path);
	rc = lock_dir(f);
	if (!rc && clean)
		remove_stale_temps(f);
	if (!rc)
		rc = open_regular(f);
	return rc ? rc : read_fd(f->fd, f->path, &f->data);
}

void lf_close(struct locked_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->dirfd >= 0)
		close(f->dirfd);	/* drops the lock */
	free(f->path);
	buf_free(&f->data);
	memset(f, 0, sizeof(*f));
	f->dirfd = f->fd = -1;
}

/* Best effort: SELinux labels and ACLs travel with the contents. */
static void copy_xattrs(int from, int to, const char *path)
{
	char names[4096], val[4096];
	ssize_t len = flistxattr(from, names, sizeof(names)), n;
	const char *name;

	for (name = names; len > 0 && name < names + len;
	     name += strlen(name) + 1) {
		n = fgetxattr(from, name, val, sizeof(val));
		if (n < 0 || fsetxattr(to, name, val, (size_t)n, 0) < 0)
			warn("%s: could not keep attribute %s", path,
			     name);
	}
}

static int keep_owner_mode(const struct locked_file *f, int fd)
{
	struct stat now;

	if (fstat(fd, &now) < 0)
		return -1;
	if ((now.st_uid != f->st.st_uid || now.st_gid != f->st.st_gid) &&
	    fchown(fd, f->st.st_uid, f->st.st_gid) < 0)
		return -1;
	copy_xattrs(f->fd, fd, f->path);
	return fchmod(fd, f->st.st_mode & 07777);
}

static char *sibling(const struct locked_file *f, const char *suffix)
{
	char *p;

	if (asprintf(&p, ".%s%s%s", f->base, TEMP_TAG, suffix) < 0)
		errx(EXIT_IO, "out of memory");
	return p;
}

/* A complete, synced copy of DATA under a temporary name in the dir. */
static char *write_temp(const struct locked_file *f, const char *data,
			size_t len)
{
	char *name = sibling(f, "XXXXXX"), *full;
	int fd;

	if (asprintf(&full, "%.*s/%s", (int)(f->base - 1 - f->path), f->path,
		     name) < 0)
		errx(EXIT_IO, "out of memory");
	free(name);
	fd = mkostemp(full, O_CLOEXEC);
	if (fd < 0) {
		warn("%s", full);
		free(full);
		return NULL;
	}
	if (write_all(fd, data, len) < 0 || keep_owner_mode(f, fd) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0) {
		warn("%s", full);
		close(fd);
		unlink(full);
		free(full);
		return NULL;
	}
	return full;
}

/* PATH.bak becomes the old file: a hard link to it, or else a copy. */
static int keep_backup(const struct locked_file *f)
{
	char *bak, *tmp = sibling(f, "bak"), *copy = NULL;
	int rc;

	if (asprintf(&bak, "%s.bak", f->path) < 0)
		errx(EXIT_IO, "out of memory");
	unlinkat(f->dirfd, tmp, 0);
	rc = linkat(f->dirfd, f->base, f->dirfd, tmp, 0);
	if (rc == 0) {
		rc = renameat(f->dirfd, tmp, f->dirfd,
			      bak + (f->base - f->path));
		/* a no-op leaving tmp when PATH.bak already is this file */
		unlinkat(f->dirfd, tmp, 0);
	} else if ((copy = write_temp(f, f->data.p, f->data.len)))
		rc = rename(copy, bak);
	if (rc < 0)
		warn("%s", bak);
	if (rc < 0 && copy)
		unlink(copy);
	free(copy);
	free(tmp);
	free(bak);
	return rc;
}

int lf_replace(struct locked_file *f, const char *data, size_t len,
	       int backup)
{
	char *tmp = write_temp(f, data, len);

	if (!tmp)
		return EXIT_IO;
	if (backup && keep_backup(f) < 0) {
		unlink(tmp);
		free(tmp);
		return EXIT_IO;
	}
	if (rename(tmp, f->path) < 0) {
		warn("%s", f->path);
		unlink(tmp);
		free(tmp);
		return EXIT_IO;
	}
	free(tmp);
	if (fsync(f->dirfd) < 0)
		warn("%s: fsync of the directory", f->path);
	return 0;
}
