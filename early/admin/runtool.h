/* SPDX-License-Identifier: MIT */
/* Run a helper program (lsinitramfs, lsinitrd) with a time limit. Modules
 * are hostmod.h's (libkmod), never a modprobe run. */
#ifndef VFE_RUNTOOL_H
#define VFE_RUNTOOL_H

typedef void spawn_line_fn(const char *line, void *arg);

/*
 * Run path (absolute) with argv, a fixed PATH, stdin and stderr on
 * /dev/null; hand each line of its output to fn (may be NULL). After
 * timeout_ms it is killed with its process group. Returns its exit status,
 * -ENOENT when path is not executable, -ETIMEDOUT, or another -errno.
 */
int spawn_lines(const char *path, char *const argv[], int timeout_ms, spawn_line_fn *fn,
		void *arg);

#endif
