// SPDX-License-Identifier: MIT
/*
 * Run a command many times and report the CPU time (user + sys) each run
 * cost, in microseconds, from the rusage wait4() returns for it. That rusage
 * includes the command's own waited-for children (a shell's `cat`s), and the
 * kernel accounts it in nanoseconds, well below a clock tick.
 *
 * usage: cputime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG...]
 *   -t  stop early once SECONDS of wall time have passed (after 3 runs at least)
 * prints: runs=N mean=US median=US min=US max=US user=US sys=US
 * (user and sys are means). The command's stdout and stderr go to /dev/null.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MIN_RUNS 3

struct sample {
	double user, sys;
};

static double usec(const struct timeval *tv)
{
	return tv->tv_sec * 1e6 + tv->tv_usec;
}

static void child(char **argv)
{
	int null = open("/dev/null", O_WRONLY);

	if (null < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
		_exit(126);
	close(null);
	execv(argv[0], argv);
	_exit(127);
}

/* One run; 0, or -1 when it could not start or did not exit 0. */
static int run_once(char **argv, struct sample *s)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		child(argv);
	if (wait4(pid, &status, 0, &ru) != pid)
		return -1;
	s->user = usec(&ru.ru_utime);
	s->sys = usec(&ru.ru_stime);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cputime: %s: exit status %d\n", argv[0], status);
		return -1;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void report(const struct sample *s, int n)
{
	double *tot = malloc(n * sizeof(*tot)), user = 0, sys = 0;

	if (!tot) {
		perror("cputime");
		exit(1);
	}
	for (int i = 0; i < n; i++) {
		tot[i] = s[i].user + s[i].sys;
		user += s[i].user;
		sys += s[i].sys;
	}
	qsort(tot, n, sizeof(*tot), by_value);
	printf("runs=%d mean=%.1f median=%.1f min=%.1f max=%.1f user=%.1f sys=%.1f\n", n,
	       (user + sys) / n, n % 2 ? tot[n / 2] : (tot[n / 2 - 1] + tot[n / 2]) / 2,
	       tot[0], tot[n - 1], user / n, sys / n);
	free(tot);
}

static int number(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return *s && !*end && v >= 0 && v <= 1000000 ? (int)v : -1;
}

static const char usage[] = "usage: cputime [-n RUNS] [-w WARMUP] [-t SECONDS] CMD [ARG...]\n";

int main(int argc, char **argv)
{
	int runs = 200, warmup = 3, budget = 0, opt, done;
	struct sample *s, dummy;
	double start;

	while ((opt = getopt(argc, argv, "+n:w:t:")) != -1) {
		if (opt == 'n')
			runs = number(optarg);
		else if (opt == 'w')
			warmup = number(optarg);
		else if (opt == 't')
			budget = number(optarg);
		if (opt == '?' || runs < 1 || warmup < 0 || budget < 0) {
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fputs(usage, stderr);
		return 2;
	}
	s = calloc(runs, sizeof(*s));
	if (!s) {
		perror("cputime");
		return 1;
	}
	for (int i = 0; i < warmup; i++)
		if (run_once(argv + optind, &dummy))
			return 1;
	start = now();
	for (done = 0; done < runs; done++) {
		if (budget && done >= MIN_RUNS && now() - start > budget)
			break;
		if (run_once(argv + optind, &s[done]))
			return 1;
	}
	report(s, done);
	free(s);
	return 0;
}
