/* SPDX-License-Identifier: MIT */
/* Decisions go to /dev/kmsg as "<prio>vfio-early: ..." (stderr without it). */
#ifndef VFE_LOG_H
#define VFE_LOG_H

enum { PRIO_ERR = 3, PRIO_WARNING = 4, PRIO_NOTICE = 5, PRIO_INFO = 6, PRIO_DEBUG = 7 };

/* kmsg: "/dev/kmsg" (or a test's file), NULL for stderr; debug: let PRIO_DEBUG through. */
void log_open(const char *kmsg, int debug);
void log_set_debug(int debug);
/* Send records to fd instead (tests and fuzzers silence the log). */
void log_set_fd(int fd);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Short text for an errno, either sign. */
const char *log_errstr(int err);

#define log_err(...)	log_msg(PRIO_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(PRIO_WARNING, __VA_ARGS__)
#define log_notice(...)	log_msg(PRIO_NOTICE, __VA_ARGS__)
#define log_info(...)	log_msg(PRIO_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(PRIO_DEBUG, __VA_ARGS__)

#endif
