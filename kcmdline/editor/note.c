// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stdio.h>

#include "note.h"

int note_quiet;
const char *note_about;

void note(const char *fmt, ...)
{
	va_list ap;

	if (note_quiet)
		return;
	fputs("kcmdline: note: ", stderr);
	if (note_about)
		fprintf(stderr, "%s: ", note_about);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
