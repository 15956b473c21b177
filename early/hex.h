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

#endif
