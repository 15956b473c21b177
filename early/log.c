// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"

/*
 * The kernel rate-limits each open file of /dev/kmsg to 10 records per 5 s
 * (devkmsg_open: ratelimit_default_init, unless printk.devkmsg=on) and drops
 * the rest while write() still succeeds. The limit lives in the open file,
 * so a fresh open before every 11th record lets each one through.
 */
#define KMSG_PER_OPEN 10

static int log_fd = 2;
static const char *kmsg_path;	/* NULL: stderr */
static int kmsg_sent;
static int log_debug_on;

static int kmsg_reopen(void)
{
	int fd = open(kmsg_path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (log_fd > 2)
		close(log_fd);
	log_fd = fd;
	kmsg_sent = 0;
	return 0;
}

void log_open(const char *kmsg, int debug)
{
	log_debug_on = debug;
	kmsg_path = kmsg;
	if (kmsg && kmsg_reopen() < 0)
		kmsg_path = NULL;
}

void log_set_debug(int debug)
{
	log_debug_on = debug;
}

void log_set_fd(int fd)
{
	log_fd = fd;
	kmsg_path = NULL;
}

static const char *prio_word(int prio)
{
	switch (prio) {
	case PRIO_ERR:
		return "error: ";
	case PRIO_WARNING:
		return "warning: ";
	default:
		return "";
	}
}

/* One write per record: kmsg takes each write() as one message. */
void log_msg(int prio, const char *format, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	if (prio == PRIO_DEBUG && !log_debug_on)
		return;
	n = kmsg_path ? fmt(buf, sizeof(buf), "<%d>", prio) : 0;
	n += fmt(buf + n, sizeof(buf) - n, "vfio-early: %s", kmsg_path ? "" : prio_word(prio));
	va_start(ap, format);
	n += fmt_v(buf + n, sizeof(buf) - n, format, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (kmsg_path && kmsg_sent >= KMSG_PER_OPEN)
		kmsg_reopen();
	kmsg_sent++;
	if (write(log_fd, buf, n) < 0 && kmsg_path) {
		kmsg_path = NULL;
		log_fd = 2;
	}
}

/* A few words for the errors sysfs and module loading give; libc's table is
 * larger than the rest of the binary's strings together. Pairs of errno and
 * the number of its text in texts, which are packed into one string. */
static const unsigned char known[] = {
	ENOENT, 0, EACCES, 1, EPERM, 1, ENODEV, 2, ENXIO, 2, EBUSY, 3, EINVAL, 4, EIO, 5,
	ENOMEM, 6, ENOSPC, 7, ETIMEDOUT, 8, ENOEXEC, 9, ENOKEY, 10, EKEYREJECTED, 10,
};
static const char texts[] =
	"no such file or device\0permission denied\0no such device\0busy\0invalid argument\0"
	"I/O error\0out of memory\0no space\0timed out\0bad module format\0"
	"module signature rejected";

const char *log_errstr(int err)
{
	static char other[24];
	int e = err < 0 ? -err : err;

	for (size_t i = 0; i < sizeof(known); i += 2) {
		const char *t = texts;

		if (known[i] != e)
			continue;
		for (int k = known[i + 1]; k; k--)
			t += strlen(t) + 1;
		return t;
	}
	fmt(other, sizeof(other), "errno %d", e);
	return other;
}
