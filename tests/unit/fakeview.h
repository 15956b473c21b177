/* SPDX-License-Identifier: MIT */
/*
 * The fake tree a test program runs the binary against, and short views of
 * it for assertions. The views return static buffers: use each result
 * before the next call.
 */
#ifndef FAKEVIEW_H
#define FAKEVIEW_H

#include "fakesys.h"

extern struct fakesys fs;

/* The device's driver, "" for none. */
const char *drv(const char *addr);
/* Its driver_override, "" for none. */
const char *ovr(const char *addr);
/* run/vfio-early/status, "" when absent. */
const char *status(void);
/* 1 if needle occurs in hay. */
int has(const char *hay, const char *needle);

#define NDEVS(a)	(sizeof(a) / sizeof((a)[0]))

/* Run "vfio-early --root R [--cmdline C] ARGS..." in fs, journal cleared. */
#define RUN(cmdline, ...)                                                      \
	do {                                                                   \
		const char *const args_[] = { __VA_ARGS__, NULL };             \
		fs.journal[0] = '\0';                                          \
		fake_run(&fs, cmdline, args_);                                 \
	} while (0)

/* The last run's exit status is code; its output printed when not. */
#define EXIT_IS(code, name)                                                    \
	do {                                                                   \
		T_OK(fs.exit_status == (code), "%s: exit %d", name, code);     \
		if (fs.exit_status != (code))                                  \
			printf("# exit %d, output:\n%s\n", fs.exit_status, fs.output); \
	} while (0)

#endif
