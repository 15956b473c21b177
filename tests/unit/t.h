/* SPDX-License-Identifier: MIT */
/* Minimal TAP-ish test helpers: one line per check, exit status = failures. */
#ifndef T_H
#define T_H

#include <stdio.h>
#include <string.h>

static int t_run, t_failed;

#define T_OK(cond, ...)                                                    \
	do {                                                               \
		t_run++;                                                   \
		if (cond) {                                                \
			printf("ok %d - ", t_run);                         \
		} else {                                                   \
			t_failed++;                                        \
			printf("not ok %d - %s:%d: ", t_run, __FILE__,     \
			       __LINE__);                                  \
		}                                                          \
		printf(__VA_ARGS__);                                       \
		putchar('\n');                                             \
	} while (0)

#define T_STREQ(got, want, name)                                           \
	do {                                                               \
		const char *t_g_ = (got), *t_w_ = (want);                  \
		int t_eq_ = (t_g_ && t_w_) ? !strcmp(t_g_, t_w_) : t_g_ == t_w_; \
		T_OK(t_eq_, "%s", name);                                   \
		if (!t_eq_)                                                \
			printf("#   got:  \"%s\"\n#   want: \"%s\"\n",      \
			       t_g_ ? t_g_ : "(null)", t_w_ ? t_w_ : "(null)"); \
	} while (0)

/* Last line of every test program; the runner adds these up. */
static inline int t_done(void)
{
	printf("# %d passed, %d failed\n", t_run - t_failed, t_failed);
	return t_failed ? 1 : 0;
}

#endif
