// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blsentry.h"
#include "bootfam.h"
#include "grubenv.h"
#include "kernelcmd.h"
#include "slurp.h"

#define BF_FILE_MAX (1u << 20)

static const char *const bf_entry_dirs[] = {
	"boot/loader/entries", "efi/loader/entries", "boot/efi/loader/entries",
};
static const char *const bf_esps[] = { "boot/efi", "efi", "boot" };

const char *boot_path(const struct boot_host *h, const char *rel, char *buf, size_t size)
{
	size_t n = strlen(h->root), m = strlen(rel);

	if (n + m + 2 > size) {
		buf[0] = '\0';
		return buf;
	}
	memcpy(buf, h->root, n);
	buf[n] = '/';
	memcpy(buf + n + 1, rel, m + 1);
	return buf;
}

static int bf_exists(const struct boot_host *h, const char *rel)
{
	char path[512];

	return access(boot_path(h, rel, path, sizeof(path)), F_OK) == 0;
}

int boot_read(const struct boot_host *h, const char *rel, char **text, size_t *len)
{
	char path[512];

	*text = NULL;
	*len = 0;
	if (!boot_path(h, rel, path, sizeof(path))[0])
		return -ENAMETOOLONG;
	return slurp_at(AT_FDCWD, path, BF_FILE_MAX, text, len);
}

static void bf_copy(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The value of the last "KEY=VALUE" line (blanks, "export ", one level of
 * quotes allowed) of a shell-style or install.conf file, in val. */
static int bf_last_assignment(const char *text, const char *key, char *val, size_t size)
{
	size_t n = strlen(key), k;
	int found = 0;

	for (const char *s = text; s && *s; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
		const char *p = s + strspn(s, " \t");

		if (!strncmp(p, "export ", 7))
			p += 7 + strspn(p + 7, " \t");
		if (strncmp(p, key, n) || p[n] != '=')
			continue;
		p += n + 1;
		k = strcspn(p, "\n#");
		while (k && (p[k - 1] == ' ' || p[k - 1] == '\t' || p[k - 1] == '\r'))
			k--;
		if (k >= 2 && (p[0] == '"' || p[0] == '\'') && p[k - 1] == p[0]) {
			p++;
			k -= 2;
		}
		bf_copy(val, size, "");
		if (k < size) {
			memcpy(val, p, k);
			val[k] = '\0';
		}
		found = 1;
	}
	return found;
}

static int bf_file_says(const struct boot_host *h, const char *rel, const char *key, char *val,
		     size_t size)
{
	char *text;
	size_t len;
	int found;

	if (boot_read(h, rel, &text, &len) < 0)
		return 0;
	found = bf_last_assignment(text, key, val, size);
	free(text);
	return found;
}

static int bf_has_suffix(const struct boot_host *h, const char *rel, const char *suffix,
			    char *found, size_t size)
{
	char path[512];
	DIR *d = opendir(boot_path(h, rel, path, sizeof(path)));
	struct dirent *de;
	size_t n = strlen(suffix), m;
	int hit = 0;

	while (d && !hit && (de = readdir(d))) {
		m = strlen(de->d_name);
		if (de->d_name[0] != '.' && m > n && !strcmp(de->d_name + m - n, suffix)) {
			hit = 1;
			if (found && strlen(rel) + m + 2 <= size) {
				memcpy(found, rel, strlen(rel));
				found[strlen(rel)] = '/';
				memcpy(found + strlen(rel) + 1, de->d_name, m + 1);
			}
		}
	}
	if (d)
		closedir(d);
	return hit;
}

static void bf_find_files(struct boot_host *h)
{
	char val[64], rel[64];
	size_t i;

	h->grub = bf_exists(h, "etc/default/grub");
	h->grub_bls = h->grub && bf_file_says(h, "etc/default/grub", "GRUB_ENABLE_BLSCFG", val,
					   sizeof(val)) && !strcmp(val, "true");
	for (i = 0; i < sizeof(bf_entry_dirs) / sizeof(bf_entry_dirs[0]) && !h->entries[0]; i++)
		if (bf_has_suffix(h, bf_entry_dirs[i], ".conf", NULL, 0) ||
		    (h->grub_bls && i == 0 && bf_exists(h, bf_entry_dirs[i])))
			bf_copy(h->entries, sizeof(h->entries), bf_entry_dirs[i]);
	for (i = 0; i < sizeof(bf_esps) / sizeof(bf_esps[0]) && !h->uki[0]; i++) {
		bf_copy(rel, sizeof(rel), bf_esps[i]);
		strcat(rel, "/EFI/Linux");
		bf_has_suffix(h, rel, ".efi", h->uki, sizeof(h->uki));
	}
	if (bf_exists(h, "boot/grub2/grubenv"))
		bf_copy(h->grubenv, sizeof(h->grubenv), "boot/grub2/grubenv");
	else if (bf_exists(h, "boot/grub/grubenv"))
		bf_copy(h->grubenv, sizeof(h->grubenv), "boot/grub/grubenv");
	if (bf_exists(h, KERNELCMD_ETC))
		bf_copy(h->kcmd, sizeof(h->kcmd), KERNELCMD_ETC);
	else if (bf_exists(h, KERNELCMD_LIB))
		bf_copy(h->kcmd, sizeof(h->kcmd), KERNELCMD_LIB);
	if (!bf_file_says(h, "etc/kernel/install.conf", "layout", h->layout, sizeof(h->layout)))
		bf_file_says(h, "usr/lib/kernel/install.conf", "layout", h->layout, sizeof(h->layout));
	h->proxmox = (bf_exists(h, "usr/sbin/proxmox-boot-tool") || bf_exists(h, "sbin/proxmox-boot-tool")) &&
		     bf_exists(h, "etc/kernel/proxmox-boot-uuids");
	h->uki_conf_cmdline = bf_file_says(h, "etc/kernel/uki.conf", "Cmdline", val, sizeof(val));
}

/* In order: what says most about where the next boot's line comes from. */
static void bf_decide(struct boot_host *h)
{
	if (h->proxmox) {
		h->family = BOOT_PROXMOX;
		h->why = "proxmox-boot-tool manages the ESPs (/etc/kernel/proxmox-boot-uuids)";
	} else if (!strcmp(h->layout, "uki")) {
		h->family = BOOT_UKI;
		h->why = "/etc/kernel/install.conf says layout=uki";
	} else if (h->grub_bls) {
		h->family = BOOT_GRUB_BLS;
		h->why = "/etc/default/grub says GRUB_ENABLE_BLSCFG=true";
	} else if (!strcmp(h->layout, "bls")) {
		h->family = BOOT_SDBOOT;
		h->why = "/etc/kernel/install.conf says layout=bls";
	} else if (h->uki[0] && !h->grub) {
		h->family = BOOT_UKI;
		h->why = "a unified kernel image in the ESP's EFI/Linux";
	} else if (h->entries[0] && !h->grub) {
		h->family = BOOT_SDBOOT;
		h->why = "boot entries in loader/entries and no /etc/default/grub";
	} else if (h->grub) {
		h->family = BOOT_GRUB;
		h->why = "/etc/default/grub without GRUB_ENABLE_BLSCFG=true";
	} else if (h->kcmd[0]) {
		h->family = BOOT_SDBOOT;
		h->why = "/etc/kernel/cmdline and no /etc/default/grub";
	} else {
		h->family = BOOT_UNKNOWN;
		h->why = "none of /etc/default/grub, loader/entries, /etc/kernel/cmdline, "
			 "/etc/kernel/install.conf, EFI/Linux/*.efi, proxmox-boot-tool";
	}
}

void boot_detect(const char *root, struct boot_host *h)
{
	memset(h, 0, sizeof(*h));
	bf_copy(h->root, sizeof(h->root), root && strcmp(root, "/") ? root : "");
	while (h->root[0] && h->root[strlen(h->root) - 1] == '/')
		h->root[strlen(h->root) - 1] = '\0';
	bf_find_files(h);
	bf_decide(h);
}

static const char *const family_names[][2] = {
	[BOOT_UNKNOWN] = { "unknown", "no boot loader configuration found" },
	[BOOT_GRUB] = { "grub", "GRUB, menu generated from /etc/default/grub" },
	[BOOT_GRUB_BLS] = { "grub-bls", "GRUB with Boot Loader Specification entries "
			    "(Fedora, RHEL, Alma, Rocky, CentOS Stream)" },
	[BOOT_SDBOOT] = { "systemd-boot", "type 1 boot entries made by kernel-install from "
			  "/etc/kernel/cmdline (systemd-boot)" },
	[BOOT_UKI] = { "uki", "unified kernel images with a built-in command line "
		       "(from /etc/kernel/cmdline when the image is made)" },
	[BOOT_PROXMOX] = { "proxmox", "Proxmox VE: proxmox-boot-tool copies kernels and "
			   "/etc/kernel/cmdline to its ESPs" },
};

const char *boot_family_name(enum boot_family f)
{
	return family_names[f][0];
}

const char *boot_family_text(enum boot_family f)
{
	return family_names[f][1];
}

/* loader.conf's "default PATTERN" (its keys are "KEY VALUE"). */
static int bf_loader_default(const struct boot_host *h, char *pattern, size_t size)
{
	static const char *const confs[] = { "boot/efi/loader/loader.conf",
					     "efi/loader/loader.conf", "boot/loader/loader.conf" };
	char *text;
	size_t len;
	int found = 0;

	for (size_t i = 0; i < 3 && !found; i++) {
		if (boot_read(h, confs[i], &text, &len) < 0)
			continue;
		for (const char *s = text; s && *s && !found; s = strchr(s, '\n'), s = s ? s + 1 : NULL) {
			const char *p = s + strspn(s, " \t");
			size_t k;

			if (strncmp(p, "default", 7) || (p[7] != ' ' && p[7] != '\t'))
				continue;
			p += 7 + strspn(p + 7, " \t");
			k = strcspn(p, " \t\r\n");
			if (k && k < size) {
				memcpy(pattern, p, k);
				pattern[k] = '\0';
				found = 1;
			}
		}
		free(text);
	}
	return found;
}

int boot_default_entry(const struct boot_host *h, const struct bls_list *l, const char **how)
{
	char pattern[128], *env, *saved = NULL;
	size_t len;
	int i;

	if (h->family == BOOT_GRUB_BLS && h->grubenv[0] && !boot_read(h, h->grubenv, &env, &len)) {
		saved = grubenv_get(env, len, "saved_entry");
		free(env);
	}
	if (h->family != BOOT_GRUB_BLS && bf_loader_default(h, pattern, sizeof(pattern))) {
		i = bls_default(l, NULL, pattern);
		*how = "loader.conf's default";
	} else {
		i = bls_default(l, saved, NULL);
		*how = saved && i >= 0 && !strcmp(l->v[i].id, saved) ? "grubenv's saved_entry" :
		       "the first in menu order (newest version; rescue entries skipped)";
	}
	free(saved);
	return i;
}

int boot_secure_boot(const struct boot_host *h)
{
	char *text;
	size_t len;
	int on;

	if (boot_read(h, "sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-e0ec79ec4f71",
		      &text, &len) < 0)
		return 0;
	on = len >= 5 && text[4] == 1;	/* 4 bytes of attributes, then the value */
	free(text);
	return on;
}
