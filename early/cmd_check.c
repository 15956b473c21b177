// SPDX-License-Identifier: MIT
/* vfio-early check: the kernel side (IOMMU, interrupt remapping, cmdline). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "fmt.h"
#include "kcmdline.h"
#include "pass.h"
#include "plan.h"
#include "print.h"
#include "sysfs.h"

#define KLOG_MAX (4 << 20)

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

/* The kernel log, if readable: /dev/kmsg gives one record per read(). */
static char *kernel_log(const struct cmd_ctx *x)
{
	char path[512], *text = NULL, *grown;
	size_t n = 0, cap = 0;
	int fd = open(cmd_path(x, "dev/kmsg", path, sizeof(path)),
		      O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t r;

	while (fd >= 0 && n < KLOG_MAX) {
		if (n + 8192 + 1 > cap) {
			grown = realloc(text, cap = (n + 8192 + 1) * 2);
			if (!grown)
				break;
			text = grown;
		}
		r = read(fd, text + n, 8192);
		if (r < 0 && errno == EPIPE)
			continue;	/* records overwritten while reading */
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	if (text)
		text[n] = '\0';
	return text;
}

static int has(const char *text, const char *needle)
{
	return text && strstr(text, needle);
}

/* Names in a sysfs directory: how many, and the first few in list. */
static int dir_names(const char *path, char *list, size_t size)
{
	DIR *d = sysfs_opendir(path);
	struct dirent *de;
	size_t len = 0;
	int n = 0;

	list[0] = '\0';
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n++ < 4 && len + strlen(de->d_name) + 3 < size)
			len += fmt(list + len, size - len, "%s%s", len ? ", " : "", de->d_name);
	}
	if (d)
		closedir(d);
	return n;
}

static const char *cpu_vendor(void)
{
	char *info;
	size_t len;
	const char *v = "unknown";

	if (sysfs_slurp("proc/cpuinfo", &info, &len) < 0)
		return v;
	if (strstr(info, "GenuineIntel"))
		v = "intel";
	else if (strstr(info, "AuthenticAMD") || strstr(info, "HygonGenuine"))
		v = "amd";
	free(info);
	return v;
}

static int check_iommu(const char *klog)
{
	char units[128], groups_list[8];
	int nunits = dir_names("sys/class/iommu", units, sizeof(units));
	int groups = dir_names("sys/kernel/iommu_groups", groups_list, sizeof(groups_list));

	if (nunits || groups) {
		check_finding(V_PASS, "iommu", NULL, "IOMMU on (%s), %d IOMMU groups",
			      nunits ? units : "no unit in /sys/class/iommu", groups);
		return 1;
	}
	if (klog && !has(klog, "DMAR") && !has(klog, "IVRS") && !has(klog, "AMD-Vi"))
		check_finding(V_FAIL, "iommu", "enable VT-d (Intel) or AMD-Vi/IOMMU (AMD) in the "
			      "firmware setup",
			      "no IOMMU, and no DMAR/IVRS ACPI table in the kernel log");
	else
		check_finding(V_FAIL, "iommu", "enable VT-d/AMD-Vi in the firmware and see "
			      "iommu-param below", "no IOMMU: /sys/class/iommu is empty");
	return 0;
}

static void check_irq_remap(const char *klog)
{
	char *irqs = NULL;
	size_t len;
	int seen;

	sysfs_slurp("proc/interrupts", &irqs, &len);
	seen = has(irqs, "IR-");
	free(irqs);
	if (seen)
		check_finding(V_PASS, "irq-remap", NULL,
			      "interrupt remapping on (IR- interrupt chips in /proc/interrupts)");
	else if (has(klog, "Enabled IRQ remapping") || has(klog, "Interrupt remapping enabled"))
		check_finding(V_PASS, "irq-remap", NULL, "interrupt remapping on (kernel log)");
	else
		check_finding(V_WARN, "irq-remap", "enable interrupt remapping (x2APIC) in the "
			      "firmware; without it vfio refuses devices unless "
			      "vfio_iommu_type1.allow_unsafe_interrupts=1 (unsafe)",
			      "no sign of interrupt remapping");
}

/* The last intel_iommu=, amd_iommu= or iommu= switch on the line; "" if none. */
static void iommu_switch(const char *line, size_t len, char *out, size_t size)
{
	static const char *const keys[] = { "intel_iommu", "amd_iommu", "iommu" };
	struct kcmd_iter it;
	struct kcmd_param p;
	const char *cur, *item;
	size_t left, ilen;

	out[0] = '\0';
	kcmd_iter_init(&it, line, len);
	while (kcmd_next(&it, &p)) {
		for (size_t k = 0; k < 3; k++) {
			if (!kcmd_name_eq(p.name, p.name_len, keys[k]) || !p.val)
				continue;
			cur = p.val;
			left = p.val_len;
			while (kcmd_next_item(&cur, &left, &item, &ilen))
				if ((ilen == 2 && !memcmp(item, "on", 2)) ||
				    (ilen == 3 && !memcmp(item, "off", 3)))
					fmt(out, size, "%s=%s", keys[k], ilen == 2 ? "on" : "off");
		}
	}
}

static void check_iommu_param(const char *line, size_t len, int iommu_on)
{
	const char *vendor = cpu_vendor();
	char sw[24];

	iommu_switch(line, len, sw, sizeof(sw));
	if (strstr(sw, "=off"))
		check_finding(V_FAIL, "iommu-param", "remove it from the kernel command line "
			      "(kcmdline remove), update-grub, reboot",
			      "%s turns the IOMMU off", sw);
	else if (iommu_on)
		check_finding(V_PASS, "iommu-param", NULL, "%s%s", sw[0] ? sw : "none needed",
			      sw[0] ? "" : ": the IOMMU is on");
	else if (!strcmp(vendor, "intel") && strcmp(sw, "intel_iommu=on"))
		check_finding(V_FAIL, "iommu-param", "kcmdline add intel_iommu=on, update-grub, "
			      "reboot", "Intel CPU and no intel_iommu=on on the command line");
	else if (!strcmp(vendor, "amd") || sw[0])
		check_finding(V_PASS, "iommu-param", NULL, "%s", sw[0] ? sw :
			      "none needed (AMD-Vi is on by default): see the firmware");
	else
		check_finding(V_WARN, "iommu-param", "check this platform's IOMMU parameter",
			      "IOMMU off and CPU vendor unknown");
}

static void judge_selection(const struct config *c)
{
	struct pci_list l;
	int have_iommu, bind = 0, broken = 0, lost, ok;

	pass_select(&l, c, &have_iommu);
	lost = cmd_unmatched(&l, c);
	for (size_t i = 0; i < l.n; i++) {
		const struct pci_dev *d = &l.dev[i];

		bind += d->action == ACT_BIND;
		broken += (d->action == ACT_SKIP && !cmd_by_design(pci_reason_name(d->why))) ||
			  (d->action == ACT_LEAVE && d->why == REASON_GROUP_CONFLICT);
	}
	ok = bind && !broken && !lost;
	check_finding(ok ? V_PASS : V_WARN, "selectors",
		      ok ? NULL : "see vfio-early plan --cmdline \"$(cat /proc/cmdline)\"",
		      "%u selector(s) bind %d device(s); %d skipped or in conflicting groups, "
		      "%d selector(s) matching nothing", (unsigned)c->nsel, bind, broken, lost);
	pci_free(&l);
}

static void check_selectors(const struct config *c)
{
	if (c->disabled)
		check_finding(V_WARN, "selectors", "remove rd.vfio=0 (kcmdline remove rd.vfio)",
			      "rd.vfio=0 turns the boot pass off");
	else if (c->bad)
		check_finding(V_FAIL, "selectors", "write them as [DDDD:]BB:DD.F or "
			      "[vendor]:[device][:class] in hex", "%d bad selector(s) on the "
			      "command line (named above)", c->bad);
	else if (!c->nsel)
		check_finding(V_WARN, "selectors", "kcmdline add vfio.ids=SEL (vfio-early list "
			      "shows the devices), update-grub, reboot", "no vfio.ids=, "
			      "rd.vfio.ids= or vfio-pci.ids=: the boot pass binds nothing");
	else
		judge_selection(c);
}

int cmd_check(struct cmd_ctx *x)
{
	struct config c;
	struct utsname u;
	char *line, *klog = kernel_log(x);
	size_t len;
	int iommu_on;

	worst = V_PASS;
	iommu_on = check_iommu(klog);
	check_irq_remap(klog);
	free(klog);
	if (cmd_cmdline(x, &line, &len) == 0) {
		pr_flush();
		config_parse(&c, line, len);
		check_iommu_param(line, len, iommu_on);
		check_selectors(&c);
		config_free(&c);
		free(line);
	} else {
		check_finding(V_FAIL, "selectors", NULL, "cannot read the kernel command line");
	}
	uname(&u);
	check_vfio_module(x, u.release);
	check_initrd(x, u.release);
	return (int)worst;	/* 0 all PASS, 1 a WARN, 2 a FAIL */
}
