/* SPDX-License-Identifier: MIT */
/*
 * Which boot-loader family keeps this host's next kernel command line,
 * found from the files that are there (under a root directory, so tests
 * can fake a host).  Shared by kcmdline (what to edit, what to run next)
 * and vfio-early plan/check (what to read); libc-only (klibc).
 */
#ifndef KC_BOOTFAM_H
#define KC_BOOTFAM_H

#include <stddef.h>

enum boot_family {
	BOOT_UNKNOWN,	/* none of the files below */
	BOOT_GRUB,	/* /etc/default/grub -> grub.cfg (update-grub) */
	BOOT_GRUB_BLS,	/* GRUB_ENABLE_BLSCFG=true: /boot/loader/entries */
	BOOT_SDBOOT,	/* type 1 entries made by kernel-install */
	BOOT_UKI,	/* unified kernel images (type 2) */
	BOOT_PROXMOX,	/* proxmox-boot-tool on its ESPs */
};

#define BOOT_REL_MAX 96

struct boot_host {
	enum boot_family family;
	char root[256];			/* "" for / */
	char entries[BOOT_REL_MAX];	/* dir of the *.conf entries, "" none */
	char uki[BOOT_REL_MAX];		/* a UKI found in an ESP, "" none */
	char grubenv[BOOT_REL_MAX];	/* "" none */
	char kcmd[BOOT_REL_MAX];	/* the kernel-install cmdline file, "" none */
	char layout[16];		/* install.conf layout=, "" unset */
	int grub;			/* etc/default/grub exists */
	int grub_bls;			/* ... with GRUB_ENABLE_BLSCFG=true */
	int proxmox;			/* proxmox-boot-tool manages ESPs (in
					 * GRUB mode the family is BOOT_GRUB) */
	int efi;			/* sys/firmware/efi: booted through EFI */
	int uki_conf_cmdline;		/* uki.conf sets Cmdline= */
	const char *why;		/* what decided the family */
};

/* Look at the files under root (NULL or "/" for this host). */
void boot_detect(const char *root, struct boot_host *h);

/* A short name ("grub", "grub-bls", "systemd-boot", "uki", "proxmox",
 * "unknown") and a description. */
const char *boot_family_name(enum boot_family f);
const char *boot_family_text(enum boot_family f);

/* ROOT/rel in buf ("" when it does not fit). */
const char *boot_path(const struct boot_host *h, const char *rel, char *buf, size_t size);

/* A whole small file under the root: 0 and malloc'ed text, or -errno. */
int boot_read(const struct boot_host *h, const char *rel, char **text, size_t *len);

/* The entry the next boot uses, per the family's boot loader: its index
 * in l (read from h->entries), or -1.  *how says how it was chosen.
 * GRUB+BLS: boot_grub_next() looked up in the menu; otherwise as
 * systemd-boot: the EFI variables LoaderEntryOneShot and
 * LoaderEntryDefault (efivarfs under the root), then loader.conf. */
struct bls_list;
int boot_default_entry(const struct boot_host *h, const struct bls_list *l, const char **how);

/* The GRUB menu entry the next boot starts, as grub.cfg's 00_header picks
 * it: grubenv's next_entry (grub-reboot), else GRUB_DEFAULT from
 * /etc/default/grub and grub.d/NAME.cfg ("saved": grubenv's saved_entry;
 * unset: "0").  sel gets a position, an id or title, or a '>' path;
 * *how says which.  1 when sel is not empty. */
int boot_grub_next(const struct boot_host *h, char *sel, size_t size, const char **how);

/* 1 when the firmware reports Secure Boot on (efivars under the root). */
int boot_secure_boot(const struct boot_host *h);

#endif
