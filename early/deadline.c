// SPDX-License-Identifier: MIT
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>

#include "deadline.h"
#include "rawsys.h"

#define CLOCK_MONO	1	/* CLOCK_MONOTONIC */
#define ABSTIME		1	/* TIMER_ABSTIME */

#ifdef RAWSYS_MISSING
/* No clock: the time slept so far; every wait stays bounded all the same. */
static long slept;

long deadline_now(void)
{
	return slept;
}

int deadline_sleep(long dl, int step_ms)
{
	struct timespec ts = { 0, step_ms * 1000000L };

	nanosleep(&ts, NULL);
	slept += step_ms;
	return deadline_passed(dl) ? -ETIMEDOUT : 0;
}
#else
long deadline_now(void)
{
	struct timespec ts = { 0, 0 };

	rawsys4(__NR_clock_gettime, CLOCK_MONO, (long)&ts, 0, 0);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int deadline_sleep(long dl, int step_ms)
{
	long until = deadline_in(step_ms, dl);
	struct timespec ts = { until / 1000, (until % 1000) * 1000000L };

	while (rawsys4(__NR_clock_nanosleep, CLOCK_MONO, ABSTIME, (long)&ts, 0) == -EINTR)
		;
	return deadline_passed(dl) ? -ETIMEDOUT : 0;
}
#endif

long deadline_in(int ms, long limit)
{
	long dl = deadline_now() + ms;

	return limit && limit < dl ? limit : dl;
}

int deadline_passed(long dl)
{
	return deadline_now() >= dl;
}
