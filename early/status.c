// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "log.h"
#include "modules.h"
#include "status.h"
#include "sysfs.h"
#include "variant.h"

#define LINE_MAX_LEN 384

/* Reasons are single tokens: "group=slot of=X" becomes "group=slot,of=X". */
static void token(char *dst, size_t size, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i + 1 < size; i++)
		dst[i] = src[i] == ' ' ? ',' : src[i];
	dst[i] = '\0';
	if (!i && size > 1)
		strcpy(dst, "-");
}

/* Not where its result says (read back after the pass): where it is. */
static int misplaced(const struct pci_dev *d)
{
	int meant = d->result == RES_BOUND || d->result == RES_ALREADY;

	return meant != !strcmp(d->driver, variant_target(d));
}

/* " vfio=DRIVER,WHY" where the choice was not plain vfio-pci by default. */
static void vfio_choice(const struct pci_dev *d, char *buf, size_t size)
{
	char what[80];

	buf[0] = '\0';
	if (d->vfio_why == VFIO_WHY_NONE || d->vfio_why == VFIO_WHY_GENERIC)
		return;
	variant_describe(d, what, sizeof(what));
	fmt(buf, size, " vfio=%s", what);
}

static int format_dev(const struct pci_dev *d, char *buf, size_t size)
{
	const char *now = !misplaced(d) ? NULL : d->driver[0] ? d->driver : "-";
	char type[16], group[12], reason[96], vfio[96];

	pci_type(d, type, sizeof(type));
	vfio_choice(d, vfio, sizeof(vfio));
	if (d->group >= 0)
		fmt(group, sizeof(group), "%d", d->group);
	else
		strcpy(group, "-");
	token(reason, sizeof(reason), d->detail[0] ? d->detail : d->by);
	return fmt(buf, size, "%s %s group=%s prev=%s result=%s reason=%s%s%s%s\n", d->addr,
		   type, group, d->prev_driver[0] ? d->prev_driver : "-",
		   pci_result_name(d->result), reason, vfio, now ? " now=" : "", now ? now : "");
}

int status_write(const struct pci_list *l, const char *note)
{
	/* The image's modprobe.d options the pass read (modules_read_list()),
	 * for the udev rule: the same selection after boot. */
	const char *opts = modules_read_list();
	size_t cap = (l->n + 2) * LINE_MAX_LEN + strlen(opts) + sizeof(STATUS_OPTS), n;
	char *buf = malloc(cap);
	int r;

	if (!buf)
		return -ENOMEM;
	n = fmt(buf, cap, "# vfio-early status v1%s%s\n", note ? " " : "", note ? note : "");
	if (opts[0])
		n += fmt(buf + n, cap - n, STATUS_OPTS "%s\n", opts);
	for (size_t i = 0; i < l->n; i++)
		if (l->dev[i].action != ACT_LEAVE)
			n += format_dev(&l->dev[i], buf + n, cap - n);
	sysfs_mkdir(STATUS_DIR, 0755);
	r = sysfs_write_atomic(STATUS_PATH, buf, n);
	if (r)
		log_err("cannot write /%s: %s", STATUS_PATH, log_errstr(r));
	free(buf);
	return r;
}

/* Without the line of addr ("ADDR ..."), in place; returns the new length. */
static size_t drop_line(char *text, size_t n, const char *addr)
{
	size_t a = strlen(addr);

	for (char *p = text; p < text + n;) {
		char *nl = memchr(p, '\n', (size_t)(text + n - p));
		size_t len = nl ? (size_t)(nl - p) + 1 : (size_t)(text + n - p);

		if (len > a && !memcmp(p, addr, a) && p[a] == ' ') {
			memmove(p, p + len, (size_t)(text + n - p - len));
			n -= len;
			continue;
		}
		p += len;
	}
	return n;
}

int status_update(const char *old, size_t n, const struct pci_dev *d, const char *at)
{
	size_t cap = n + LINE_MAX_LEN + 64;
	char *buf = malloc(cap);
	int r;

	if (!buf)
		return -ENOMEM;
	if (old)
		memcpy(buf, old, n);
	n = old ? drop_line(buf, n, d->addr) : 0;
	if (!n)
		n = (size_t)fmt(buf, cap, "# vfio-early status v1\n");
	else if (buf[n - 1] != '\n')
		buf[n++] = '\n';
	n += (size_t)format_dev(d, buf + n, cap - n) - 1;	/* its newline */
	n += (size_t)fmt(buf + n, cap - n, " at=%s\n", at);
	sysfs_mkdir(STATUS_DIR, 0755);
	r = sysfs_write_atomic(STATUS_PATH, buf, n);
	if (r)
		log_err("cannot write /%s: %s", STATUS_PATH, log_errstr(r));
	free(buf);
	return r;
}
