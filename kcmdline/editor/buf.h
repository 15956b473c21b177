/* SPDX-License-Identifier: MIT */
/* A growable byte buffer, always NUL-terminated; out of memory exits. */
#ifndef KC_BUF_H
#define KC_BUF_H

#include <stddef.h>

struct buf {
	char *p;	/* NULL until the first append */
	size_t len;
	size_t cap;
};

void buf_add(struct buf *b, const void *s, size_t n);
void buf_addc(struct buf *b, char c);
void buf_adds(struct buf *b, const char *s);
/* Replace b[off, off + n) with s[0, m). */
void buf_splice(struct buf *b, size_t off, size_t n, const char *s, size_t m);
void buf_free(struct buf *b);
/* The contents as a C string; "" for an empty buffer. */
const char *buf_str(const struct buf *b);

#endif
