// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
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
	if (kmsg_path)
		n = fmt(buf, sizeof(buf), "<%d>vfio-early: ", prio);
	else
		n = fmt(buf, sizeof(buf), "vfio-early: %s", prio_word(prio));
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
 * larger than the rest of the binary's strings together. */
const char *log_errstr(int err)
{
	static char other[24];

	switch (err < 0 ? -err : err) {
	case ENOENT:
		return "no such file or device";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENODEV:
	case ENXIO:
		return "no such device";
	case EBUSY:
		return "busy";
	case EINVAL:
		return "invalid argument";
	case EIO:
		return "I/O error";
	case ENOMEM:
		return "out of memory";
	case ENOSPC:
		return "no space";
	case ETIMEDOUT:
		return "timed out";
	case ENOEXEC:
		return "bad module format";
	case ENOKEY:
	case EKEYREJECTED:
		return "module signature rejected";
	}
	fmt(other, sizeof(other), "errno %d", err < 0 ? -err : err);
	return other;
}
