// SPDX-License-Identifier: MIT
/* vfio-early check: the kernel side (IOMMU, interrupt remapping, cmdline). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "check.h"
#include "finding.h"
#include "fmt.h"
#include "hostuse.h"
#include "kcmdline.h"
#include "lint.h"
#include "pass.h"
#include "plan.h"
#include "print.h"
#include "sysfs.h"
#include "variant.h"

#define KLOG_MAX (4 << 20)

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

enum cpu_vendor { CPU_UNKNOWN, CPU_INTEL, CPU_AMD };

/* The first vendor_id line of /proc/cpuinfo (x86 only). */
static enum cpu_vendor cpu_vendor(void)
{
	enum cpu_vendor v = CPU_UNKNOWN;
	char *info, *p;
	size_t len;

	if (sysfs_slurp("proc/cpuinfo", CMD_FILE_MAX, &info, &len) < 0)
		return v;
	for (p = info; p && strncmp(p, "vendor_id", 9); p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		;
	p = p ? strchr(p, ':') : NULL;
	if (p) {
		p += 1 + strspn(p + 1, " \t");
		p[strcspn(p, " \t\n")] = '\0';
		if (!strcmp(p, "GenuineIntel"))
			v = CPU_INTEL;
		else if (!strcmp(p, "AuthenticAMD") || !strcmp(p, "HygonGenuine"))
			v = CPU_AMD;
	}
	free(info);
	return v;
}

static int check_iommu(const char *klog)
{
	char units[128], groups_list[8];
	int nunits = dir_names("sys/class/iommu", units, sizeof(units));
	int groups = dir_names(SYSFS_IOMMU_GROUPS, groups_list, sizeof(groups_list));

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

	sysfs_slurp("proc/interrupts", CMD_BIG_FILE_MAX, &irqs, &len);
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

/* What the command line says about the IOMMU, as the kernel reads it. */
struct iommu_params {
	int intel;	/* intel_iommu=: the last "on" (1) or "off" (0) item wins; -1 none */
	int amd_off;	/* amd_iommu=off anywhere: it only sets a flag, nothing clears it */
	int amd_other;	/* amd_iommu= without off (there is no amd_iommu=on) */
	int off;	/* iommu=off anywhere: no_iommu, for Intel and AMD alike */
};

/* fn for each item of p's comma list. */
static void each_item(const struct kcmd_param *p, void (*fn)(const char *, size_t, void *),
		      void *arg)
{
	const char *cur = p->val, *item;
	size_t left = p->val ? p->val_len : 0, len;

	while (cur && kcmd_next_item(&cur, &left, &item, &len))
		fn(item, len, arg);
}

/* The kernel's option parsers compare with strncmp(): a prefix matches. */
static int item_starts(const char *item, size_t len, const char *word)
{
	return len >= strlen(word) && !memcmp(item, word, strlen(word));
}

/* drivers/iommu/intel/iommu.c intel_iommu_setup(): "on" and "off" in order. */
static void intel_item(const char *item, size_t len, void *arg)
{
	struct iommu_params *ip = arg;

	if (item_starts(item, len, "on"))
		ip->intel = 1;
	else if (item_starts(item, len, "off"))
		ip->intel = 0;
}

/* drivers/iommu/amd/init.c parse_amd_iommu_options() */
static void amd_item(const char *item, size_t len, void *arg)
{
	struct iommu_params *ip = arg;

	if (item_starts(item, len, "off"))
		ip->amd_off = 1;
	else if (len)
		ip->amd_other = 1;
}

/* arch/x86/kernel/pci-dma.c iommu_setup() */
static void iommu_item(const char *item, size_t len, void *arg)
{
	if (item_starts(item, len, "off"))
		((struct iommu_params *)arg)->off = 1;
}

static void iommu_params(const char *line, size_t len, struct iommu_params *ip)
{
	struct kcmd_iter it;
	struct kcmd_param p;

	memset(ip, 0, sizeof(*ip));
	ip->intel = -1;
	kcmd_iter_init(&it, line, len);
	while (kcmd_next(&it, &p)) {
		if (kcmd_name_eq(p.name, p.name_len, "intel_iommu"))
			each_item(&p, intel_item, ip);
		else if (kcmd_name_eq(p.name, p.name_len, "amd_iommu"))
			each_item(&p, amd_item, ip);
		else if (kcmd_name_eq(p.name, p.name_len, "iommu"))
			each_item(&p, iommu_item, ip);
	}
}

static void intel_param(const struct iommu_params *ip, int iommu_on)
{
	const char *other = ip->amd_off || ip->amd_other ?
			    " (amd_iommu= does nothing on Intel)" : "";

	if (ip->intel == 0)
		check_finding(V_FAIL, "iommu-param", "kcmdline remove intel_iommu=off, then "
			      "kcmdline add intel_iommu=on, run what it says, reboot",
			      "intel_iommu=off: the last intel_iommu= on/off wins and turns "
			      "VT-d off%s", other);
	else if (ip->intel == 1)
		check_finding(V_PASS, "iommu-param", NULL, "intel_iommu=on%s", other);
	else if (iommu_on)
		check_finding(V_PASS, "iommu-param", NULL, "none needed: the IOMMU is on%s", other);
	else
		check_finding(V_FAIL, "iommu-param", "kcmdline add intel_iommu=on, run what it says, "
			      "reboot", "Intel CPU and no intel_iommu=on on the command line%s",
			      other);
}

static void amd_param(const struct iommu_params *ip)
{
	const char *other = ip->intel >= 0 ? " (intel_iommu= does nothing on AMD)" : "";

	if (ip->amd_off)
		check_finding(V_FAIL, "iommu-param", "kcmdline remove amd_iommu, run what it says, "
			      "reboot", "amd_iommu=off turns AMD-Vi off (wherever it is: the "
			      "kernel has no amd_iommu=on to undo it)%s", other);
	else
		check_finding(V_PASS, "iommu-param", NULL, "none needed: AMD-Vi is on unless "
			      "the firmware disables it%s%s", ip->amd_other ?
			      " (amd_iommu=on is not an option the kernel knows)" : "", other);
}

static void check_iommu_param(const char *line, size_t len, int iommu_on)
{
	enum cpu_vendor vendor = cpu_vendor();
	struct iommu_params ip;

	iommu_params(line, len, &ip);
	if (ip.off)
		check_finding(V_FAIL, "iommu-param", "kcmdline remove iommu=off, run what it says, "
			      "reboot", "iommu=off turns every IOMMU off");
	else if (vendor == CPU_INTEL)
		intel_param(&ip, iommu_on);
	else if (vendor == CPU_AMD)
		amd_param(&ip);
	else if (iommu_on)
		check_finding(V_PASS, "iommu-param", NULL, "none needed: the IOMMU is on");
	else
		check_finding(V_WARN, "iommu-param", "check this platform's IOMMU parameter",
			      "IOMMU off and CPU vendor unknown (no vendor_id in /proc/cpuinfo)");
}

static void host_needs(const char *addr, const char *what)
{
	check_finding(V_WARN, "host-use", "take it out of vfio.ids= (kcmdline remove, or a "
		      "selector that leaves it out): the boot pass would bind it before the "
		      "root is mounted", "%s %s: the host needs it", addr, what);
}

/* A VF selector that can never match here (pass_vf_never()). */
static void check_vf_selectors(const struct pci_list *l, const struct config *c)
{
	char why[96];
	const char *no;

	for (size_t i = 0; i < c->nsel; i++) {
		if (c->sel[i].kind != SEL_VF)
			continue;
		no = pass_vf_never(l, &c->sel[i], why, sizeof(why));
		if (no)
			check_finding(V_WARN, "selectors", "see vfio-early list (the PFs and VFs)",
				      "selector %s can never match: %s", c->sel[i].text, no);
	}
}

/* A device whose vfio driver is a variant (variant.h) but is on another
 * vfio driver now: the initrd lacked the variant, or it failed to load. */
static void check_variants(const struct cmd_ctx *x, struct pci_list *l, const struct config *c)
{
	char vfio[96];

	(void)cmd_variants(x, l, c, NULL);	/* no aliases: vfio-pci for all, nothing to say */
	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (!d->vfio_module[0])
			continue;
		variant_describe(d, vfio, sizeof(vfio));
		if (!strcmp(d->driver, variant_target(d)))
			check_finding(V_PASS, "variant", NULL, "%s is on its variant driver %s",
				      d->addr, d->driver);
		else
			check_finding(V_WARN, "variant", "rebuild the initrd (update-initramfs -u "
				      "or dracut -f) so it carries the variant, or vfio-early bind "
				      "the device now; SELECTOR=vfio-pci keeps vfio-pci",
				      "%s gets %s but is on %s", d->addr, vfio,
				      d->driver[0] ? d->driver : "no driver");
	}
}

static void judge_selection(const struct cmd_ctx *x, const struct config *c)
{
	struct pci_list l;
	int have_iommu, bind = 0, broken = 0, used, lost, ok;

	pass_select(&l, c, &have_iommu, PASS_TAG);
	used = hostuse_refuse(&l, NULL, host_needs);
	lost = cmd_unmatched(&l, c);
	for (size_t i = 0; i < l.n; i++) {
		const struct pci_dev *d = &l.dev[i];

		bind += d->action == ACT_BIND;
		broken += (d->action == ACT_SKIP && !cmd_by_design(pci_reason_name(d->why))) ||
			  (d->action == ACT_LEAVE && d->why == REASON_GROUP_CONFLICT);
	}
	ok = bind && !broken && !used && !lost;
	check_finding(ok ? V_PASS : V_WARN, "selectors",
		      ok ? NULL : "see vfio-early plan --cmdline \"$(cat /proc/cmdline)\"",
		      "%u selector(s) bind %d device(s); %d skipped or in conflicting groups, "
		      "%d needed by the host, %d selector(s) matching nothing", (unsigned)c->nsel,
		      bind, broken, used, lost);
	check_vf_selectors(&l, c);
	check_devices(&l);
	check_variants(x, &l, c);
	pci_free(&l);
}

static void check_selectors(const struct cmd_ctx *x, const struct config *c)
{
	if (c->bad_values)
		check_finding(V_WARN, "options", "write rd.vfio.group= as slot, all or none, the "
			      "rd.vfio switches as 1 or 0", "%d bad rd.vfio.* value(s) on the command "
			      "line (named above): the defaults apply", c->bad_values);
	if (c->disabled)
		check_finding(V_WARN, "selectors", "remove rd.vfio=0 (kcmdline remove rd.vfio)",
			      "rd.vfio=0 turns the boot pass off");
	else if (c->bad)
		check_finding(V_FAIL, "selectors", "write them as [DDDD:]BB:DD.F or "
			      "[vendor]:[device][:class] in hex", "%d bad selector(s) on the "
			      "command line (named above)", c->bad);
	else if (!c->nsel)
		check_finding(V_WARN, "selectors", "kcmdline add vfio.ids=SEL (vfio-early list "
			      "shows the devices), run what it says, reboot", "no vfio.ids=, "
			      "rd.vfio.ids= or vfio-pci.ids=: the boot pass binds nothing");
	else
		judge_selection(x, c);
}

struct lint_ctx {
	const char *which;	/* whose line */
	int no_selector;	/* the line selects nothing */
};

/* A mistake kcmdline refuses (kcmdline/lint): FAIL when the line selects
 * nothing and the mistake cost a selector (nothing would be bound), else
 * WARN. */
static void check_lint(const struct lint_finding *f, void *arg)
{
	const struct lint_ctx *l = arg;
	char text[512];

	check_finding(f->selector && l->no_selector ? V_FAIL : V_WARN, "cmdline",
		      "kcmdline remove the wrong parameter, kcmdline add the right one, run "
		      "what it says, reboot", "%s: %s", l->which, lint_text(f, text, sizeof(text)));
}

static void lint_cmdline(const char *which, const char *line, int no_selector)
{
	struct lint_ctx l = { .which = which, .no_selector = no_selector };

	lint_line(line, strlen(line), check_lint, &l);
}

/* Log lines off until cmd_log_restore(): what the next boot's line does
 * not parse to is said by check_boot() and plan, not twice. */
static int mute_log(void)
{
	int saved = dup(2), null = open("/dev/null", O_WRONLY | O_CLOEXEC);

	pr_flush();
	if (null >= 0) {
		dup2(null, 2);
		close(null);
	}
	return saved;
}

/* The same mistakes in the next boot's line, when it is another. */
static void lint_next_boot(const struct cmd_ctx *x, const char *now)
{
	struct cmd_ctx other = *x;
	struct config c;
	char src[1024], *next;
	int saved = mute_log(), none = 0;

	other.cmdline = NULL;
	next = cmd_next_boot_line(&other, src, sizeof(src));
	if (next) {
		config_parse(&c, next, strlen(next));
		none = !c.nsel;
		config_free(&c);
	}
	cmd_log_restore(saved);
	if (next && strcmp(next, now))
		lint_cmdline("the next boot's line", next, none);
	free(next);
}

int cmd_check(struct cmd_ctx *x)
{
	struct config c;
	struct utsname u;
	char *line, *klog = kernel_log(x);
	size_t len;
	int iommu_on;

	check_worst();
	iommu_on = check_iommu(klog);
	check_irq_remap(klog);
	free(klog);
	if (cmd_cmdline(x, &line, &len) == 0) {
		pr_flush();
		config_parse(&c, line, len);
		check_iommu_param(line, len, iommu_on);
		check_selectors(x, &c);
		lint_cmdline("this kernel's line", line, !c.nsel);
		lint_next_boot(x, line);
		config_free(&c);
		pr_flush();
		check_boot(x, line);
		free(line);
	} else {
		check_finding(V_FAIL, "selectors", NULL, "cannot read the kernel command line");
	}
	uname(&u);
	check_vfio_module(x, u.release);
	check_initrd(x, u.release);
	check_image_ids();
	return (int)check_worst();	/* 0 all PASS, 1 a WARN, 2 a FAIL */
}
