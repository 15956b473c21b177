/* SPDX-License-Identifier: MIT */
/*
 * Read a whole file that an admin (or an attacker) may have replaced by
 * something else: it is opened O_NONBLOCK|O_NOCTTY, so a FIFO without a
 * writer or a terminal never blocks the open; only a regular file is read
 * (a FIFO, a device node such as /dev/zero, a directory or a socket is
 * refused before any read), and never more than a cap, so an endless or a
 * huge file costs one check, not memory.  Shared by the kcmdline editor and
 * vfio-early (its boot pass and admin subcommands); free of libc extensions
 * (klibc builds it).
 */
#ifndef KC_SLURP_H
#define KC_SLURP_H

#include <stddef.h>

/*
 * Read fd (opened by the caller) to EOF: 0 and a malloc'ed, NUL-terminated
 * *text of *len bytes, or -errno: -EINVAL for anything but a regular file,
 * -EFBIG past max bytes, -ENOMEM, or what fstat()/read() said.
 */
int slurp_fd(int fd, size_t max, char **text, size_t *len);

/* Open dirfd/path (AT_FDCWD for a plain path) as above and read it. */
int slurp_at(int dirfd, const char *path, size_t max, char **text, size_t *len);

/* Why slurp failed, for -EINVAL and -EFBIG; NULL for an ordinary errno. */
const char *slurp_why(int err);

#endif
