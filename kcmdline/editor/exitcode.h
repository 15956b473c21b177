/* SPDX-License-Identifier: MIT */
/* kcmdline's exit statuses (documented in doc/kcmdline.8). */
#ifndef KC_EXITCODE_H
#define KC_EXITCODE_H

enum {
	EXIT_DONE = 0,		/* success, including "nothing to change" */
	EXIT_ABSENT = 1,	/* get: the parameter is not there */
	EXIT_USAGE = 2,		/* bad command, option, KEY or missing file */
	EXIT_REFUSED = 3,	/* the file or value cannot be edited safely */
	EXIT_IO = 4,		/* reading or writing failed; file unchanged */
};

#endif
