/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>

#include "note.h"

int note_quiet;

void note(const char *fmt, ...)
{
	va_list ap;

	if (note_quiet)
		return;
	fputs("kcmdline: note: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
