// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

	if (!size)
		return;
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
	h->efi = bf_exists(h, "sys/firmware/efi");
	h->uki_conf_cmdline = bf_file_says(h, "etc/kernel/uki.conf", "Cmdline", val, sizeof(val));
}

/*
 * proxmox-boot-tool's own choice (proxmox-kernel-helper, zz-proxmox-boot:
 * update_esp_func()): GRUB when the system did not boot through EFI (no
 * /sys/firmware/efi) or when the ESP has EFI/proxmox/grubx64.efi (what
 * "proxmox-boot-tool init ESP grub" and Secure Boot hosts get: Proxmox
 * signs no systemd-boot), else systemd-boot.  The ESPs are not mounted
 * between runs, so a mounted one is looked at only when it is there.
 */
static const char *bf_proxmox_grub(const struct boot_host *h)
{
	char rel[64];

	if (!h->efi)
		return "proxmox-boot-tool in GRUB mode: legacy BIOS boot (no /sys/firmware/efi)";
	if (boot_secure_boot(h))
		return "proxmox-boot-tool in GRUB mode: Secure Boot is on (GRUB and shim)";
	for (size_t i = 0; i < sizeof(bf_esps) / sizeof(bf_esps[0]); i++) {
		bf_copy(rel, sizeof(rel), bf_esps[i]);
		strcat(rel, "/EFI/proxmox/grubx64.efi");
		if (bf_exists(h, rel))
			return "proxmox-boot-tool in GRUB mode: the ESP has EFI/proxmox/grubx64.efi";
	}
	return NULL;
}

/* In order: what says most about where the next boot's line comes from. */
static void bf_decide(struct boot_host *h)
{
	const char *grub_mode = h->proxmox ? bf_proxmox_grub(h) : NULL;

	if (grub_mode) {
		h->family = BOOT_GRUB;
		h->why = grub_mode;
	} else if (h->proxmox) {
		h->family = BOOT_PROXMOX;
		h->why = "proxmox-boot-tool manages the ESPs (/etc/kernel/proxmox-boot-uuids) "
			 "in systemd-boot mode (booted through EFI, no Secure Boot)";
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

/* The name of the next file of dir (".cfg" ones) after prev in byte order;
 * 0 when there is none.  grub-mkconfig sources them in glob order. */
static int bf_next_cfg(const struct boot_host *h, const char *dir, const char *prev, char *name,
		       size_t size)
{
	char path[512];
	DIR *d = opendir(boot_path(h, dir, path, sizeof(path)));
	struct dirent *de;
	size_t m;
	int found = 0;

	while (d && (de = readdir(d))) {
		m = strlen(de->d_name);
		if (de->d_name[0] == '.' || m <= 4 || m >= size || strcmp(de->d_name + m - 4, ".cfg"))
			continue;
		if (strcmp(de->d_name, prev) <= 0 || (found && strcmp(de->d_name, name) >= 0))
			continue;
		memcpy(name, de->d_name, m + 1);
		found = 1;
	}
	if (d)
		closedir(d);
	return found;
}

/* GRUB_DEFAULT as grub-mkconfig sees it: /etc/default/grub, then each
 * /etc/default/grub.d/NAME.cfg (Proxmox pins a kernel there). */
static int bf_grub_default(const struct boot_host *h, char *val, size_t size)
{
	char name[128] = "", rel[160];
	int found = bf_file_says(h, "etc/default/grub", "GRUB_DEFAULT", val, size);

	while (bf_next_cfg(h, "etc/default/grub.d", name, name, sizeof(name))) {
		snprintf(rel, sizeof(rel), "etc/default/grub.d/%s", name);
		found |= bf_file_says(h, rel, "GRUB_DEFAULT", val, size);
	}
	return found;
}

int boot_grub_next(const struct boot_host *h, char *sel, size_t size, const char **how)
{
	char *env = NULL, *next = NULL, *saved = NULL;
	size_t len;

	if (h->grubenv[0] && !boot_read(h, h->grubenv, &env, &len)) {
		next = grubenv_get(env, len, "next_entry");
		saved = grubenv_get(env, len, "saved_entry");
		free(env);
	}
	bf_copy(sel, size, "");
	if (next && *next) {
		bf_copy(sel, size, next);
		*how = "grubenv's next_entry (grub-reboot)";
	} else if (bf_grub_default(h, sel, size) && !strcmp(sel, "saved")) {
		bf_copy(sel, size, saved ? saved : "");
		*how = "grubenv's saved_entry";
	} else if (sel[0]) {
		*how = "GRUB_DEFAULT";
	} else {
		bf_copy(sel, size, "0");	/* 00_header.in: unset or empty */
		*how = "the first in menu order (GRUB_DEFAULT unset)";
	}
	free(next);
	free(saved);
	return sel[0] != '\0';
}

/* GRUB's menu lookup (grub-core/normal/menu.c:get_entry_number()): a
 * number is a position, anything else an entry's id or title.  blscfg
 * puts the entries first, in bls_list_read's order, with no submenus;
 * what names no entry leaves GRUB on the first one. */
static int bf_grub_pick(const struct bls_list *l, const char *sel)
{
	size_t n = strspn(sel, "0123456789");

	if (n && !sel[n] && n < 6)
		return atoi(sel) < (int)l->n ? atoi(sel) : -1;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].id, sel) || (l->v[i].title && !strcmp(l->v[i].title, sel)))
			return (int)i;
	return -1;
}

/* An EFI variable of systemd-boot's (docs/BOOT_LOADER_INTERFACE.md): in
 * efivarfs, 4 bytes of attributes, then a NUL-terminated UTF-16LE string.
 * Entry ids are ASCII file names: anything else reads as '?'. */
static int bf_loader_var(const struct boot_host *h, const char *name, char *val, size_t size)
{
	char rel[128], *text;
	size_t len, n = 0;

	bf_copy(rel, sizeof(rel), "sys/firmware/efi/efivars/");
	strcat(rel, name);
	strcat(rel, "-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f");
	if (boot_read(h, rel, &text, &len) < 0)
		return 0;
	for (size_t i = 4; i + 1 < len && n + 1 < size && (text[i] || text[i + 1]); i += 2) {
		int ascii = !text[i + 1] && !(text[i] & 0x80);

		val[n++] = ascii ? text[i] : '?';
	}
	val[n] = '\0';
	free(text);
	return n > 0;
}

/*
 * systemd-boot's choice (src/boot/boot.c:config_select_default_entry()):
 * LoaderEntryOneShot (bootctl set-oneshot), then LoaderEntryDefault
 * (bootctl set-default), then loader.conf's default ("@saved": the
 * LoaderEntryLastBooted variable), then the first entry; each a glob
 * on the entry's id.
 */
/* The entry an EFI variable names, or -1 (no variable, or no such entry:
 * systemd-boot passes over it too). */
static int bf_var_entry(const struct boot_host *h, const struct bls_list *l, const char *name)
{
	char pattern[128];

	if (!bf_loader_var(h, name, pattern, sizeof(pattern)))
		return -1;
	return bls_find(l, pattern);
}

static int bf_sdboot_pick(const struct boot_host *h, const struct bls_list *l, const char **how)
{
	char pattern[128];
	int i = bf_var_entry(h, l, "LoaderEntryOneShot");

	if (i >= 0) {
		*how = "the EFI variable LoaderEntryOneShot (bootctl set-oneshot)";
		return i;
	}
	i = bf_var_entry(h, l, "LoaderEntryDefault");
	if (i >= 0) {
		*how = "the EFI variable LoaderEntryDefault (bootctl set-default)";
		return i;
	}
	if (bf_loader_default(h, pattern, sizeof(pattern))) {
		if (!strcmp(pattern, "@saved") &&
		    !bf_loader_var(h, "LoaderEntryLastBooted", pattern, sizeof(pattern)))
			pattern[0] = '\0';
		*how = "loader.conf's default";
		return bls_default(l, NULL, pattern);
	}
	*how = "the first in menu order (newest version; rescue entries skipped)";
	return bls_default(l, NULL, NULL);
}

int boot_default_entry(const struct boot_host *h, const struct bls_list *l, const char **how)
{
	char sel[256];
	int i;

	if (h->family != BOOT_GRUB_BLS)
		return bf_sdboot_pick(h, l, how);
	boot_grub_next(h, sel, sizeof(sel), how);
	i = bf_grub_pick(l, sel);
	if (i < 0 && l->n)
		*how = "the first in menu order (GRUB's choice names no boot entry)";
	return i < 0 && l->n ? 0 : i;
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
