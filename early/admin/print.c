// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "print.h"

static char pr_buf[4096];
static size_t pr_len;

void pr_flush(void)
{
	size_t done = 0;

	while (done < pr_len) {
		ssize_t n = write(1, pr_buf + done, pr_len - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	pr_len = 0;
}

static void pr_bytes(const char *s, size_t len)
{
	while (len) {
		size_t room = sizeof(pr_buf) - pr_len, n = len < room ? len : room;

		memcpy(pr_buf + pr_len, s, n);
		pr_len += n;
		s += n;
		len -= n;
		if (pr_len == sizeof(pr_buf))
			pr_flush();
	}
}

void pr_str(const char *s)
{
	pr_bytes(s, strlen(s));
}

void pr(const char *format, ...)
{
	char piece[1024];
	va_list ap;
	int n;

	va_start(ap, format);
	n = fmt_v(piece, sizeof(piece), format, ap);
	va_end(ap);
	pr_bytes(piece, n < (int)sizeof(piece) ? (size_t)n : sizeof(piece) - 1);
}

void pr_col(const char *s, size_t width)
{
	size_t len = strlen(s);

	pr_bytes(s, len);
	do
		pr_bytes(" ", 1);
	while (++len < width + 1);
}

void pr_json(const char *s)
{
	if (!s) {
		pr_str("null");
		return;
	}
	pr_bytes("\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			pr("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			pr("\\u%04x", c);
		else
			pr_bytes(s, 1);
	}
	pr_bytes("\"", 1);
}
