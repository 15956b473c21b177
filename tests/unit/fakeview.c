// SPDX-License-Identifier: MIT
#include <string.h>

#include "fakeview.h"

struct fakesys fs;
static char dev_buf[256], status_buf[4096];

const char *drv(const char *addr)
{
	return fake_driver(&fs, addr, dev_buf, sizeof(dev_buf));
}

const char *ovr(const char *addr)
{
	return fake_override(&fs, addr, dev_buf, sizeof(dev_buf));
}

const char *status(void)
{
	const char *s = fake_file(&fs, "run/vfio-early/status", status_buf, sizeof(status_buf));

	return s ? s : "";
}

int has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}
