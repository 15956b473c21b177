// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "deadline.h"

#define POLL_MS 10

pid_t child_start(const char *path, char *const argv[], int out_fd)
{
	static char *const envp[] = { "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL=C", NULL };
	pid_t pid;
	int null;

	if (access(path, X_OK) < 0)
		return -ENOENT;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid)
		return pid;
	setpgid(0, 0);
	null = open("/dev/null", O_RDWR);
	dup2(out_fd >= 0 ? out_fd : null, 1);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 2);
	}
	execve(path, argv, envp);
	_exit(127);
}

/* 1 when reaped (status set), 0 while it runs, -errno. */
static int reaped(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	return r == pid ? 1 : r < 0 ? -errno : 0;
}

int child_wait(pid_t pid, long dl)
{
	int status, r;

	while ((r = reaped(pid, &status)) == 0 && deadline_sleep(dl, POLL_MS) == 0)
		;
	if (r == 0)
		r = reaped(pid, &status);
	if (r > 0)
		return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
	if (r < 0)
		return r;
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	dl = deadline_in(CHILD_REAP_MS, 0);
	while (reaped(pid, &status) == 0 && deadline_sleep(dl, POLL_MS) == 0)
		;
	return -ETIMEDOUT;
}

int child_run(const char *path, char *const argv[], long dl)
{
	pid_t pid = child_start(path, argv, -1);

	return pid < 0 ? (int)pid : child_wait(pid, dl);
}
