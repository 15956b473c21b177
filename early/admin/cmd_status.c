// SPDX-License-Identifier: MIT
/* vfio-early status: the boot pass's record checked against the devices now. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "print.h"
#include "status.h"
#include "sysfs.h"

/* One line per device: a few KiB even on the largest hosts. */
#define STATUS_FILE_MAX (1u << 20)

struct record {
	char addr[PCI_ADDR_MAX + 1];
	char type[16];
	char group[12];
	char result[16];
	char reason[96];
	char at[8];		/* "udev": written after boot by the udev rule */
	char vfio[96];		/* "DRIVER,WHY": a choice other than vfio-pci by default */
};

static const struct {
	const char *token, *text;
} reasons[] = {
	{ "vfio-pci-unavailable", "vfio-pci could not be loaded in the initrd (vfio-early check)" },
	{ "vfio-pci-did-not-bind", "vfio-pci's probe refused it (dmesg | grep -i vfio)" },
	{ "unbind-failed", "its driver did not let go of it" },
	{ "driver_override-write-failed", "driver_override could not be written" },
	{ "no-driver-override", "this kernel has no driver_override (Linux 3.16+ needed)" },
	{ "vanished", "the device vanished during the boot pass" },
	{ "no-iommu", "no IOMMU at boot: enable VT-d/AMD-Vi and intel_iommu=on (vfio-early check)" },
	{ "no-iommu-group", "the device had no IOMMU group at boot" },
	{ "boot-vga", "the boot display (rd.vfio.boot_vga=1 takes it)" },
	{ "bridge", "bridges are never bound" },
	{ "mass-storage", "a class-only selector never takes mass storage (name its address)" },
};

static const char *explain(const char *token)
{
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (!strcmp(token, reasons[i].token))
			return reasons[i].text;
	return token;
}

/* The value of the "key=value" word of a record line; "" when absent. */
static void word_value(const char *line, const char *key, char *dst, size_t size)
{
	size_t klen = strlen(key);

	dst[0] = '\0';
	for (const char *p = line; *p;) {
		size_t n = strcspn(p, " ");

		if (n > klen && !memcmp(p, key, klen)) {
			n -= klen;
			n = n < size ? n : size - 1;
			memcpy(dst, p + klen, n);
			dst[n] = '\0';
			return;
		}
		p += n + strspn(p + n, " ");
	}
}

/* DOMAIN:BB:DD.F as the kernel prints it: the domain is %04x of an int, so
 * 4 to 8 hex digits (Intel VMD: 10000:e1:00.0). */
static int addr_word_ok(const char *s, size_t n)
{
	size_t dom = n - 8;

	if (n < 12 || n > 16 || s[dom] != ':' || s[dom + 3] != ':' || s[dom + 6] != '.' ||
	    s[dom + 7] < '0' || s[dom + 7] > '7')
		return 0;
	for (size_t i = 0; i < dom + 6; i++)
		if (i != dom && i != dom + 3 && !strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

/* ADDR TYPE group=N prev=D result=R reason=T [vfio=DRIVER,WHY] [now=D] [at=udev] */
static int parse_record(const char *line, struct record *r)
{
	size_t a = strcspn(line, " "), n;

	if (!addr_word_ok(line, a) || line[a] != ' ')
		return -1;
	memcpy(r->addr, line, a);
	r->addr[a] = '\0';
	n = strcspn(line + a + 1, " ");
	n = n < sizeof(r->type) ? n : sizeof(r->type) - 1;
	memcpy(r->type, line + a + 1, n);
	r->type[n] = '\0';
	word_value(line, "group=", r->group, sizeof(r->group));
	word_value(line, "result=", r->result, sizeof(r->result));
	word_value(line, "reason=", r->reason, sizeof(r->reason));
	word_value(line, "at=", r->at, sizeof(r->at));
	word_value(line, "vfio=", r->vfio, sizeof(r->vfio));
	return 0;
}

/* A record line for exactly this address (0000:e1:00.0 is not 10000:e1:00.0). */
static int recorded(const char *text, const char *addr)
{
	size_t n = strlen(addr);

	for (const char *p = text; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, addr, n) && p[n] == ' ')
			return 1;
	return 0;
}

enum st_verdict { ST_OK, ST_FAIL, ST_BLOCKED };

/* A device on a vfio driver whose group a VM cannot use: "blocked" with what
 * is in the way (cmd_group_usable), never "ok". */
static enum st_verdict on_vfio_verdict(const struct pci_list *l, const struct pci_dev *d,
				    const char *ok)
{
	struct cmd_group_why w;

	if (cmd_group_usable(l, d->group, &w)) {
		pr("%s\n", ok);
		return ST_OK;
	}
	pr("blocked: group %d not usable: %s (%s)\n", d->group, w.who, w.fix);
	return ST_BLOCKED;
}

/* Prints the verdict on one record. */
static enum st_verdict judge(const struct pci_list *l, const struct record *r,
			  const struct pci_dev *d)
{
	const char *now = !d ? "gone" : d->driver[0] ? d->driver : "none";
	int meant = !strcmp(r->result, "bound") || !strcmp(r->result, "already");

	pr("%s %s group=%s %s=%s now=%s %s%s%s", r->addr, r->type, r->group,
	   r->at[0] ? r->at : "boot", r->result, now, r->vfio[0] ? "vfio=" : "", r->vfio,
	   r->vfio[0] ? " " : "");
	if (d && cmd_on_vfio(d))
		return on_vfio_verdict(l, d, "ok");
	if (!strcmp(r->result, "skipped") && cmd_by_design(r->reason)) {
		pr("kept: %s\n", explain(r->reason));
		return ST_OK;
	}
	if (!d)
		pr_str("FAIL: the device is gone (hot-removed?)\n");
	else if (meant)
		pr("FAIL: on vfio-pci at boot, %s now: %s after boot (vfio-early unbind, "
		   "driverctl, a udev rule or a manual unbind); vfio-early bind %s takes it back\n",
		   d->driver[0] ? d->driver : "unbound",
		   d->driver[0] ? "rebound" : "unbound", r->addr);
	else
		pr("FAIL: %s at boot: %s\n", r->result, explain(r->reason));
	return ST_FAIL;
}

/* Devices on vfio-pci that the boot pass did not put there; how many of them
 * are blocked. */
static int after_boot(const struct pci_list *l, const char *text)
{
	char type[16], group[12];
	int blocked = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!cmd_on_vfio(d) || recorded(text, d->addr))
			continue;
		pci_type(d, type, sizeof(type));
		pr("%s %s group=%s boot=- now=%s ", d->addr, type,
		   cmd_group(d, group, sizeof(group)), d->driver);
		blocked += on_vfio_verdict(l, d, "after-boot: not bound by the boot pass") ==
			   ST_BLOCKED;
	}
	return blocked;
}

/* Judges every record; counts the failed and the blocked ones. */
static void judge_all(const struct pci_list *l, char *text, int *bad, int *blocked)
{
	int records = 0;
	struct record r;

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		enum st_verdict v;

		if (line[0] == '#') {
			if (strstr(line, "disabled=rd.vfio=0"))
				pr_str("boot pass: disabled by rd.vfio=0\n");
			continue;
		}
		if (parse_record(line, &r))
			continue;
		records++;
		v = judge(l, &r, cmd_dev(l, r.addr));
		*bad += v == ST_FAIL;
		*blocked += v == ST_BLOCKED;
	}
	if (!records)
		pr_str("boot pass: selected no device\n");
}

/* The boot pass's record; CMD_OK, or the exit status after saying why not. */
static int read_status(char **text)
{
	size_t len;
	int r = sysfs_slurp(STATUS_PATH, STATUS_FILE_MAX, text, &len);

	if (r == -ENOENT) {
		log_err("no /" STATUS_PATH ": the boot pass did not run this boot (is vfio-early "
			"in the initrd? see vfio-early check)");
		return CMD_ATTENTION;
	}
	if (r < 0) {
		log_err("cannot read /" STATUS_PATH ": %s", cmd_read_error(r));
		return CMD_USAGE;
	}
	return CMD_OK;
}

int cmd_status(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	char *text, *copy;
	int bad = read_status(&text), blocked = 0;

	if (bad)
		return bad;
	copy = strdup(text);
	if (!copy || cmd_scan(&l) < 0) {
		free(text);
		free(copy);
		return CMD_ATTENTION;
	}
	bad = 0;
	judge_all(&l, copy, &bad, &blocked);
	blocked += after_boot(&l, text);
	pr_flush();
	if (bad)
		log_err("%d selected device%s not on vfio-pci", bad, bad == 1 ? " is" : "s are");
	if (blocked)
		log_err("%d device%s on vfio-pci in an IOMMU group a VM cannot use yet",
			blocked, blocked == 1 ? "" : "s");
	free(copy);
	free(text);
	pci_free(&l);
	return bad || blocked ? CMD_ATTENTION : CMD_OK;
}
