/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slurp.h"

#define SLURP_CHUNK 8192

/* Room for one more chunk and the NUL, never much past max. */
static int grow(char **buf, size_t *cap, size_t n, size_t max)
{
	size_t want = n + SLURP_CHUNK + 1, next = *cap ? *cap : SLURP_CHUNK + 1;
	char *p;

	if (want <= *cap)
		return 0;
	while (next < want)
		next *= 2;
	if (next > max + SLURP_CHUNK + 1)
		next = max + SLURP_CHUNK + 1;
	p = realloc(*buf, next);
	if (!p)
		return -ENOMEM;
	*buf = p;
	*cap = next;
	return 0;
}

static int read_to_eof(int fd, size_t max, char **buf, size_t *n)
{
	size_t cap = 0;
	ssize_t r;

	for (;;) {
		if (grow(buf, &cap, *n, max))
			return -ENOMEM;
		r = read(fd, *buf + *n, SLURP_CHUNK);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return 0;
		*n += (size_t)r;
		if (*n > max)
			return -EFBIG;	/* grew since fstat, or a /proc file */
	}
}

int slurp_fd(int fd, size_t max, char **text, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	int r;

	*text = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size > 0 && (unsigned long long)st.st_size > max)
		return -EFBIG;
	r = read_to_eof(fd, max, &buf, &n);
	if (r < 0) {
		free(buf);
		return r;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

int slurp_at(int dirfd, const char *path, size_t max, char **text, size_t *len)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), r;

	*text = NULL;
	*len = 0;
	if (fd < 0)
		return -errno;
	r = slurp_fd(fd, max, text, len);
	close(fd);
	return r;
}

const char *slurp_why(int err)
{
	if (err == -EINVAL)
		return "not a regular file (a FIFO, device node, directory or socket)";
	if (err == -EFBIG)
		return "too large to be what it should be";
	return NULL;
}
