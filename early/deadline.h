/* SPDX-License-Identifier: MIT */
/*
 * Time limits on CLOCK_MONOTONIC (a wall-clock step during boot must not
 * stretch or cut a wait). A deadline is an absolute time in milliseconds.
 */
#ifndef VFE_DEADLINE_H
#define VFE_DEADLINE_H

long deadline_now(void);
/* now + ms, but never later than limit (limit 0: none). */
long deadline_in(int ms, long limit);
int deadline_passed(long dl);
/* Sleep step_ms but wake at dl at the latest; 0, or -ETIMEDOUT once dl passed. */
int deadline_sleep(long dl, int step_ms);

#endif
