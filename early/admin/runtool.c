// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "deadline.h"
#include "runtool.h"

struct lines {
	char buf[4096];
	size_t n;
	int overlong;		/* dropping the rest of a line too long for buf */
	spawn_line_fn *fn;
	void *arg;
};

static void feed(struct lines *ls, const char *data, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] != '\n') {
			if (ls->n + 1 < sizeof(ls->buf))
				ls->buf[ls->n++] = data[i];
			else
				ls->overlong = 1;
			continue;
		}
		ls->buf[ls->n] = '\0';
		if (ls->fn && !ls->overlong)
			ls->fn(ls->buf, ls->arg);
		ls->n = 0;
		ls->overlong = 0;
	}
}

/* 0 at end of output, -ETIMEDOUT at the deadline. */
static int read_output(int fd, long deadline, struct lines *ls)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char chunk[4096];

	for (;;) {
		long left = deadline - deadline_now();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		feed(ls, chunk, (size_t)n);
	}
	if (ls->n)
		feed(ls, "\n", 1);
	return 0;
}

int spawn_lines(const char *path, char *const argv[], int timeout_ms, spawn_line_fn *fn,
		void *arg)
{
	static struct lines ls;
	long deadline = deadline_in(timeout_ms, 0);
	int p[2], r;
	pid_t pid;

	if (pipe(p) < 0)
		return -errno;
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	pid = child_start(path, argv, p[1]);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return (int)pid;
	}
	memset(&ls, 0, sizeof(ls));
	ls.fn = fn;
	ls.arg = arg;
	r = read_output(p[0], deadline, &ls);
	close(p[0]);
	return child_wait(pid, r == -ETIMEDOUT ? 0 : deadline);
}
