/* SPDX-License-Identifier: MIT */
/* Informational notes on stderr ("kcmdline: note: ..."), off with --quiet. */
#ifndef KC_NOTE_H
#define KC_NOTE_H

extern int note_quiet;

void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
