// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "kernelcmd.h"

/* 90-loaderentry.install: grep -Gv '^\s*#' FILE | tr -s "$IFS" ' ', then
 * one trailing kc_blank dropped: comment lines go, every run of blanks and
 * newlines becomes one space. */
static int kc_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int kc_comment_line(const char *s, const char *end)
{
	while (s < end && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f'))
		s++;
	return s < end && *s == '#';
}

char *kernelcmd_line(const char *text, size_t len, const char **why)
{
	const char *s = text, *end = text + len, *eol;
	char *line, *at;

	if (memchr(text, '\0', len)) {
		*why = "the file has NUL bytes";
		return NULL;
	}
	line = at = malloc(len + 1);
	if (!line) {
		*why = "out of memory";
		return NULL;
	}
	for (; s < end; s = eol + 1) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		if (kc_comment_line(s, eol))
			continue;
		for (; s <= eol && s < end; s++) {
			char c = s == eol ? '\n' : *s;

			if (!kc_blank(c))
				*at++ = c;
			else if (at == line || at[-1] != ' ')
				*at++ = ' ';
		}
		if (eol == end)
			break;
	}
	if (at > line && at[-1] == ' ')
		at--;
	*at = '\0';
	return line;
}
