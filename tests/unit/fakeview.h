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

#endif
