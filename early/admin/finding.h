/* SPDX-License-Identifier: MIT */
/*
 * vfio-early check's report: one finding a line, and the worst verdict of
 * the run, which becomes the exit status. The checks in cmd_check.c,
 * check_device.c and check_initrd.c all report through it.
 */
#ifndef VFE_FINDING_H
#define VFE_FINDING_H

enum verdict { V_PASS, V_WARN, V_FAIL };

/* One finding: VERDICT NAME text, then "fix: ..." unless fix is NULL. */
void check_finding(enum verdict v, const char *name, const char *fix, const char *format, ...)
	__attribute__((format(printf, 4, 5)));
/* The worst verdict reported since the last call; it starts again at V_PASS. */
enum verdict check_worst(void);

#endif
