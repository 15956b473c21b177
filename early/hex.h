/* SPDX-License-Identifier: MIT */
#ifndef VFE_HEX_H
#define VFE_HEX_H

#include <stddef.h>

/* 0..15 for a hex digit, -1 otherwise. */
int hex_digit(char c);
/* Exactly n (1..8) hex digits, no prefix, no sign; 0 or -EINVAL. */
int hex_parse(const char *s, size_t n, unsigned *out);
/* Exactly n (1..9) decimal digits; 0 or -EINVAL. */
int dec_parse(const char *s, size_t n, unsigned *out);
/* The kernel's sscanf("%x") on s[0..len): leading whitespace, optional 0x,
 * digits up to the first non-digit (kept in the low 32 bits); returns the
 * characters used, 0 when no number starts there. */
size_t hex_scan(const char *s, size_t len, unsigned *out);

#endif
