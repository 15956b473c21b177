/* SPDX-License-Identifier: MIT */
/*
 * Buffered standard output for the admin subcommands: formatted with fmt(),
 * written in 4 KiB blocks. Flush before anything else writes to fd 1.
 */
#ifndef VFE_PRINT_H
#define VFE_PRINT_H

#include <stddef.h>

/* One formatted piece; longer than 1 KiB is cut (use pr_str for long text). */
void pr(const char *format, ...) __attribute__((format(printf, 1, 2)));
void pr_str(const char *s);
/* s, then spaces up to width columns, then one more space. */
void pr_col(const char *s, size_t width);
/* s as a JSON string, quotes included; NULL prints null. */
void pr_json(const char *s);
void pr_flush(void);

#endif
