// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "grubenv.h"

#define GE_SIG_LEN (sizeof(GRUBENV_SIG) - 1)

/* The end of the variable line starting at s: a newline not escaped. */
static const char *ge_line_end(const char *s, const char *end)
{
	for (; s < end; s++) {
		if (*s == '\\' && s + 1 < end)
			s++;
		else if (*s == '\n')
			return s;
	}
	return end;
}

/*
 * The NAME=... line, or NULL; *vars_end is where the variables end.  A
 * '#' line that ends in a newline is a comment (Fedora's grub2-editenv
 * writes "# WARNING: Do not edit ..." second); a '#' run without one is
 * the padding (grub-core/lib/envblk.c: grub_envblk_iterate()).
 */
static const char *ge_find_var(const char *text, size_t len, const char *name, const char **eol,
			    const char **vars_end)
{
	const char *s = text + GE_SIG_LEN, *end = text + len, *e, *found = NULL;
	size_t n = strlen(name);

	while (s < end) {
		e = memchr(s, '\n', (size_t)(end - s));
		if (*s == '#' && !e)
			break;
		if (*s == '#') {
			s = e + 1;
			continue;
		}
		e = ge_line_end(s, end);
		if ((size_t)(e - s) > n && !memcmp(s, name, n) && s[n] == '=' && !found) {
			found = s;
			*eol = e;
		}
		s = e < end ? e + 1 : end;
	}
	*vars_end = s;
	return found;
}

static int ge_is_block(const char *text, size_t len)
{
	return len >= GE_SIG_LEN && !memcmp(text, GRUBENV_SIG, GE_SIG_LEN) && !memchr(text, '\0', len);
}

char *grubenv_get(const char *text, size_t len, const char *name)
{
	const char *eol, *vend, *s;
	char *val, *at;

	if (!ge_is_block(text, len) || !(s = ge_find_var(text, len, name, &eol, &vend)))
		return NULL;
	s += strlen(name) + 1;
	val = at = malloc((size_t)(eol - s) + 1);
	if (!val)
		return NULL;
	for (; s < eol; s++) {
		if (*s == '\\' && s + 1 < eol)
			s++;
		*at++ = *s;
	}
	*at = '\0';
	return val;
}

/* NAME=VAL with '\' and newline escaped, as grub_envblk_set() writes it. */
static size_t ge_put_var(char *at, const char *name, const char *val, size_t vlen)
{
	char *start = at;
	size_t n = strlen(name);

	memcpy(at, name, n);
	at += n;
	*at++ = '=';
	for (size_t i = 0; i < vlen; i++) {
		if (val[i] == '\\' || val[i] == '\n')
			*at++ = '\\';
		*at++ = val[i];
	}
	*at++ = '\n';
	return (size_t)(at - start);
}

int grubenv_set(const char *text, size_t len, const char *name, const char *val, size_t vlen,
		char **out, const char **why)
{
	const char *line = NULL, *eol = NULL, *vend, *after;
	size_t head, tail, used;
	char *o;

	if (!ge_is_block(text, len)) {
		*why = "not a GRUB environment block (no signature line)";
		return -1;
	}
	line = ge_find_var(text, len, name, &eol, &vend);
	head = (size_t)((line ? line : vend) - text);
	after = line && eol < text + len ? eol + 1 : vend;
	tail = line ? (size_t)(vend - after) : 0;
	o = malloc(len + 2 * vlen + strlen(name) + 3);
	if (!o) {
		*why = "out of memory";
		return -1;
	}
	memcpy(o, text, head);
	used = head + ge_put_var(o + head, name, val, vlen);
	if (line)
		memcpy(o + used, after, tail);
	used += tail;
	if (used > len) {
		free(o);
		*why = "the new value does not fit in the block's fixed size";
		return -1;
	}
	memset(o + used, '#', len - used);
	*out = o;
	return 0;
}
