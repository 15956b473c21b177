// SPDX-License-Identifier: MIT
/*
 * vfio-early check: the vfio-pci ids the boot pass read from the image's
 * modprobe.d (as it recorded them: the status file's STATUS_OPTS line)
 * against what the host's /etc/modprobe.d says now. The udev rule selects
 * hot-added devices by the recorded ids; a change made since is in effect
 * only once the initrd is rebuilt and the host rebooted.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "finding.h"
#include "fmt.h"
#include "status.h"
#include "sysfs.h"

#define IDS_MAX 512
#define IDS_FILES 64
#define IDS_CONF_DIR "etc/modprobe.d"

/* The value of each word of line[0..n) that starts with key, the last one
 * kept (the kernel's parameter parsing: a later ids= replaces an earlier). */
static void ids_value(const char *line, size_t n, const char *key, char *out, size_t size)
{
	size_t k = strlen(key), i = 0, len, m;

	while (i < n) {
		len = strcspn(line + i, " \t\n");
		if (len > n - i)
			len = n - i;
		if (len >= k && !memcmp(line + i, key, k)) {
			m = len - k < size ? len - k : size - 1;
			memcpy(out, line + i + k, m);
			out[m] = '\0';
		}
		i += len + 1;
	}
}

/* Whether a modprobe.d line is "options vfio-pci ..." (or vfio_pci); *rest
 * then points past the module name. */
static int ids_options_line(const char *line, size_t n, const char **rest)
{
	static const char *const names[] = { "options vfio-pci", "options vfio_pci" };

	for (size_t i = 0; i < 2; i++) {
		size_t k = strlen(names[i]);

		if (n > k && !memcmp(line, names[i], k) && (line[k] == ' ' || line[k] == '\t')) {
			*rest = line + k;
			return 1;
		}
	}
	return 0;
}

static void ids_from_conf(const char *path, char *out, size_t size)
{
	char *text;
	const char *rest;
	size_t n, len, skip;

	if (sysfs_slurp(path, SYSFS_FILE_MAX, &text, &n) < 0)
		return;
	for (const char *p = text; *p; p += len + (p[len] == '\n')) {
		len = strcspn(p, "\n");
		skip = strspn(p, " \t");
		if (ids_options_line(p + skip, len - skip, &rest))
			ids_value(rest, len - (size_t)(rest - p), "ids=", out, size);
	}
	free(text);
}

static int ids_by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids= of every "options vfio-pci" line in /etc/modprobe.d/ *.conf,
 * read in name order as modprobe reads them; "" when none. */
static void ids_host(char *out, size_t size)
{
	DIR *d = sysfs_opendir(IDS_CONF_DIR);
	char *names[IDS_FILES], path[512];
	struct dirent *de;
	size_t n = 0, len;

	out[0] = '\0';
	while (d && n < IDS_FILES && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".conf"))
			continue;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(names[0]), ids_by_name);
	for (size_t i = 0; i < n; i++) {
		fmt(path, sizeof(path), IDS_CONF_DIR "/%s", names[i]);
		ids_from_conf(path, out, size);
		free(names[i]);
	}
}

/* The recorded ids: 0 with out filled ("" when the image had none), or -1
 * without a status file (no boot pass ran). */
static int ids_recorded(char *out, size_t size)
{
	char *text, *line;
	size_t n, tag = strlen(STATUS_OPTS);

	out[0] = '\0';
	if (sysfs_slurp(STATUS_PATH, SYSFS_FILE_MAX, &text, &n) < 0)
		return -1;
	line = strstr(text, "\n" STATUS_OPTS);
	if (line)
		ids_value(line + 1 + tag, strcspn(line + 1 + tag, "\n"), "vfio_pci.ids=", out,
			  size);
	free(text);
	return 0;
}

void check_image_ids(void)
{
	char was[IDS_MAX], now[IDS_MAX];

	if (ids_recorded(was, sizeof(was)) < 0)
		return;
	ids_host(now, sizeof(now));
	if (!strcmp(was, now))
		return;
	check_finding(V_WARN, "modprobe-ids", "rebuild the initrd (update-initramfs -u, or "
		      "dracut -f) and reboot", "the image's modprobe.d had vfio-pci ids=%s (the "
		      "boot pass and the udev rule select by them); /etc/modprobe.d now says "
		      "ids=%s", was[0] ? was : "(none)", now[0] ? now : "(none)");
}
