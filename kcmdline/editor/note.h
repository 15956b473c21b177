/* SPDX-License-Identifier: MIT */
/* Informational notes on stderr ("kcmdline: note: ..."), off with --quiet. */
#ifndef KC_NOTE_H
#define KC_NOTE_H

extern int note_quiet;
/* Put before each note when not NULL: the file of several that an edit's
 * notes are about. */
extern const char *note_about;

void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
