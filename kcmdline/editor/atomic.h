/* SPDX-License-Identifier: MIT */
/*
 * Read a file under a lock and replace it atomically: the new contents go
 * to a temporary file in the same directory, which gets the old file's
 * owner, mode and extended attributes, is fsync'd and renamed over it; the
 * directory is fsync'd last.  At every instant the path holds either the
 * complete old file or the complete new one.  Temporaries are named
 * ".NAME.kcmdline-*"; a later run removes any a killed run left behind.
 */
#ifndef KC_ATOMIC_H
#define KC_ATOMIC_H

#include <stddef.h>
#include <sys/stat.h>

#include "buf.h"

struct locked_file {
	char *path;		/* symlinks resolved */
	char *base;		/* points into path */
	int dirfd;		/* flock()ed: one kcmdline per directory */
	int fd;
	struct stat st;
	struct buf data;
};

/*
 * Lock PATH's directory and read PATH.  CLEAN removes stale temporaries.
 * 0, or an exit code after a message (EXIT_USAGE for a missing file).
 */
int lf_open(struct locked_file *f, const char *path, int clean);

/* Replace the file with DATA; BACKUP keeps the old one as PATH.bak.
 * 0, or EXIT_IO after a message with the file unchanged. */
int lf_replace(struct locked_file *f, const char *data, size_t len,
	       int backup);

void lf_close(struct locked_file *f);

/* The whole of a file that need not be regular (/proc/cmdline). */
int read_all(const char *path, struct buf *out);

#endif
