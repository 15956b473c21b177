/* SPDX-License-Identifier: MIT */
/*
 * System calls klibc has no wrapper for (finit_module, clock_gettime,
 * clock_nanosleep): the raw kernel return value, -errno on failure.
 */
#ifndef VFE_RAWSYS_H
#define VFE_RAWSYS_H

long rawsys4(long nr, long a, long b, long c, long d);

/* klibc on other architectures: rawsys4 is -ENOSYS. */
#if defined(__KLIBC__) && !defined(__x86_64__) && !defined(__aarch64__)
#define RAWSYS_MISSING 1
#endif

#endif
