// SPDX-License-Identifier: MIT
/* vfio-early check: the next boot's command line against the running
 * kernel's, and the recovery switch under Secure Boot with a UKI. */
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bootfam.h"
#include "check.h"
#include "cmd.h"
#include "finding.h"
#include "fmt.h"
#include "kcmdline.h"
#include "log.h"
#include "print.h"

/* The keys the boot pass and check read. */
static const char *const watched[] = {
	"vfio.ids", "rd.vfio.ids", "vfio-pci.ids", "rd.vfio", "rd.vfio.group",
	"rd.vfio.boot_vga", "rd.vfio.debug", "rd.vfio.variant", "rd.driver.pre", "rd.driver.blacklist",
	"rd.driver.post", "intel_iommu", "amd_iommu", "iommu",
};

#define NWATCHED (sizeof(watched) / sizeof(watched[0]))

/* Every occurrence of key in line, as "=VAL" (or "" for a bare key),
 * separated by spaces: equal strings mean the kernel sees the same. */
static void occurrences(const char *line, const char *key, char *out, size_t size)
{
	struct kcmd_iter it;
	struct kcmd_param p;
	size_t n = 0;

	out[0] = '\0';
	kcmd_iter_init(&it, line, strlen(line));
	while (kcmd_next(&it, &p)) {
		size_t len = p.val ? p.val_len : 0;

		if (!kcmd_name_eq(p.name, p.name_len, key) || n + len + 3 >= size)
			continue;
		if (n)
			out[n++] = ' ';
		if (p.val)
			out[n++] = '=';
		memcpy(out + n, p.val ? p.val : "", len);
		n += len;
		out[n] = '\0';
	}
}

static void compare_next_boot(const struct cmd_ctx *x, const char *now)
{
	char src[1024], differ[256], a[512], b[512], *next;
	size_t n = 0;
	struct cmd_ctx other = *x;
	int saved = cmd_log_to_stdout();

	other.cmdline = NULL;
	next = cmd_next_boot_line(&other, src, sizeof(src));
	cmd_log_restore(saved);
	if (!next) {
		check_finding(V_WARN, "next-boot", "see vfio-early plan",
			      "cannot read the next boot's command line (said above)");
		return;
	}
	differ[0] = '\0';
	for (size_t i = 0; i < NWATCHED; i++) {
		occurrences(now, watched[i], a, sizeof(a));
		occurrences(next, watched[i], b, sizeof(b));
		if (strcmp(a, b) && n + strlen(watched[i]) + 3 < sizeof(differ))
			n += fmt(differ + n, sizeof(differ) - n, "%s%s", n ? ", " : "", watched[i]);
	}
	if (n)
		check_finding(V_WARN, "next-boot", "the change is not in effect yet: reboot, or "
			      "run what 'kcmdline where' says and reboot; vfio-early plan shows "
			      "what the next boot will do",
			      "the next boot's line (%s) differs from this kernel's in %s", src,
			      differ);
	else
		check_finding(V_PASS, "next-boot", NULL, "the next boot's line (%s) agrees with "
			      "this kernel's in the keys vfio-early reads", src);
	free(next);
}

/* ukify puts .cmdline before .initrd and .linux: the first MiB of an image
 * holds it.  1 if the text is there. */
static int image_says(const char *path, const char *text)
{
	static char head[1 << 20];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	ssize_t r = fd >= 0 ? read(fd, head, sizeof(head) - 1) : -1;
	size_t n = strlen(text);

	if (fd >= 0)
		close(fd);
	for (ssize_t i = 0; r > 0 && i + (ssize_t)n <= r; i++)
		if (head[i] == text[0] && !memcmp(head + i, text, n))
			return 1;
	return 0;
}

/* A UKI (or addon) in dir whose built-in line has rd.vfio=0. */
static int recovery_image(const struct boot_host *h, const char *rel, char *name, size_t size)
{
	char dir[512], path[1024];
	DIR *d = opendir(boot_path(h, rel, dir, sizeof(dir)));
	struct dirent *de;
	int found = 0;

	while (d && !found && (de = readdir(d))) {
		size_t m = strlen(de->d_name);

		if (de->d_name[0] == '.' || m < 5 || strcmp(de->d_name + m - 4, ".efi"))
			continue;
		fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (image_says(path, "rd.vfio=0")) {
			fmt(name, size, "%s/%s", rel, de->d_name);
			found = 1;
		}
	}
	if (d)
		closedir(d);
	return found;
}

static void check_uki_recovery(const struct cmd_ctx *x)
{
	struct boot_host h;
	char dir[BOOT_REL_MAX + 16], name[256];

	boot_detect(x->root, &h);
	if (h.family != BOOT_UKI || !boot_secure_boot(&h))
		return;
	memcpy(dir, h.uki, sizeof(h.uki));
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
	if (!h.uki[0] || !recovery_image(&h, dir, name, sizeof(name)))
		check_finding(V_WARN, "recovery", "keep a second signed image whose built-in line "
			      "has rd.vfio=0 (e.g. ukify build --cmdline='... rd.vfio=0' --output "
			      "ESP/EFI/Linux/NAME-novfio.efi, signed like the first): systemd-boot "
			      "lists it as its own entry",
			      "Secure Boot and a unified kernel image: its command line cannot be "
			      "edited at the boot menu, and no image in %s has rd.vfio=0: a bad "
			      "selector leaves no recovery switch", h.uki[0] ? dir : "EFI/Linux");
	else
		check_finding(V_PASS, "recovery", NULL, "Secure Boot and a unified kernel image: "
			      "%s has rd.vfio=0 built in", name);
}

void check_boot(const struct cmd_ctx *x, const char *now)
{
	compare_next_boot(x, now);
	check_uki_recovery(x);
}
