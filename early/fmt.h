/* SPDX-License-Identifier: MIT */
/*
 * A tiny snprintf for the binder's own formats: %s %d %u %x %c %% with an
 * optional '0' flag and width. klibc's vsnprintf is a tenth of the binary;
 * this is a fraction of that. Returns the length the full output would have
 * (as snprintf), always NUL-terminates when size > 0.
 */
#ifndef VFE_FMT_H
#define VFE_FMT_H

#include <stdarg.h>
#include <stddef.h>

int fmt_v(char *buf, size_t size, const char *f, va_list ap);
int fmt(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));

#endif
