// SPDX-License-Identifier: MIT
/* The binder's tiny formatter against the C library's snprintf. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "t.h"

/* Truncation is what some of these cases test. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#define SAME(size, ...)                                                          \
	do {                                                                     \
		char got_[64], want_[64];                                        \
		int gn_ = fmt(got_, size, __VA_ARGS__);                          \
		int wn_ = snprintf(want_, size, __VA_ARGS__);                    \
		T_OK(gn_ == wn_ && (size == 0 || !strcmp(got_, want_)),          \
		     "fmt(%d, %s) = \"%s\" (%d), libc \"%s\" (%d)", size, #__VA_ARGS__, \
		     size ? got_ : "", gn_, size ? want_ : "", wn_);             \
	} while (0)

int main(void)
{
	SAME(64, "plain");
	SAME(64, "%s/%s", "sys/bus", "pci");
	SAME(64, "%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
	SAME(64, "%u %u", 0u, UINT_MAX);
	SAME(64, "%x %04x %06x %4x", 0xabcu, 0x1u, 0x30000u, 0x12345u);
	SAME(64, "%04x:%04x:%04x", 0x10deu, 0x11bfu, 0x0300u);
	SAME(64, "<%d>vfio-early: %c%%", 3, 'x');
	SAME(64, "%5d|%05d", 42, -42);
	SAME(8, "%s", "truncated text");
	SAME(1, "%s", "x");
	SAME(0, "%s", "nothing stored");
	SAME(13, "%s.tmp", "0000:00:1f.3");
	return t_done();
}
