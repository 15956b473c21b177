// SPDX-License-Identifier: MIT
#include <stdarg.h>

#include "finding.h"
#include "fmt.h"
#include "print.h"

static enum verdict worst;

void check_finding(enum verdict v, const char *name, const char *fix, const char *format, ...)
{
	static const char *const words[] = { "PASS", "WARN", "FAIL" };
	char text[768];
	va_list ap;

	va_start(ap, format);
	fmt_v(text, sizeof(text), format, ap);
	va_end(ap);
	pr_col(words[v], 4);
	pr_col(name, 13);
	pr_str(text);
	pr_str("\n");
	if (fix)
		pr("     fix: %s\n", fix);
	if (v > worst)
		worst = v;
}

enum verdict check_worst(void)
{
	enum verdict v = worst;

	worst = V_PASS;
	return v;
}
