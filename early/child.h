/* SPDX-License-Identifier: MIT */
/*
 * Run a helper program (modprobe, lsinitramfs) under a deadline: it gets a
 * fixed environment, stdin and stderr on /dev/null and its own process
 * group; past the deadline the group is killed and reaped for a short grace
 * time at most, never waited for without bound.
 */
#ifndef VFE_CHILD_H
#define VFE_CHILD_H

#include <sys/types.h>

#define CHILD_REAP_MS 500	/* after SIGKILL; then the child is abandoned */

/* Start path (absolute) with stdout on out_fd (-1: /dev/null); pid or -errno. */
pid_t child_start(const char *path, char *const argv[], int out_fd);
/* Exit status, -EINTR when killed by a signal, -ETIMEDOUT past dl (killed). */
int child_wait(pid_t pid, long dl);
/* Both, output discarded; -ENOENT when path is not executable. */
int child_run(const char *path, char *const argv[], long dl);

#endif
