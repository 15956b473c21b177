// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtool.h"

struct lines {
	char buf[4096];
	size_t n;
	int overlong;		/* dropping the rest of a line too long for buf */
	spawn_line_fn *fn;
	void *arg;
};

static long now_ms(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec * 1000L + tv.tv_usec / 1000;
}

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
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, left) <= 0)
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

static int reap(pid_t pid, long deadline, int timed_out)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	while (!timed_out) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
		if (r < 0)
			return -errno;
		if (now_ms() >= deadline)
			break;
		nanosleep(&tick, NULL);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

static void child(const char *path, char *const argv[], const int p[2])
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	int null = open("/dev/null", O_RDWR);

	setpgid(0, 0);
	dup2(p[1], 1);
	close(p[0]);
	close(p[1]);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 2);
	}
	execve(path, argv, envp);
	_exit(127);
}

int spawn_lines(const char *path, char *const argv[], int timeout_ms, spawn_line_fn *fn,
		void *arg)
{
	static struct lines ls;
	long deadline = now_ms() + timeout_ms;
	int p[2], r;
	pid_t pid;

	if (access(path, X_OK) < 0)
		return -ENOENT;
	if (pipe(p) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(p[0]);
		close(p[1]);
		return r;
	}
	if (pid == 0)
		child(path, argv, p);
	close(p[1]);
	memset(&ls, 0, sizeof(ls));
	ls.fn = fn;
	ls.arg = arg;
	r = read_output(p[0], deadline, &ls);
	close(p[0]);
	return reap(pid, deadline, r == -ETIMEDOUT);
}
