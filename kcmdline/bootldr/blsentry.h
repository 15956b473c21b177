/* SPDX-License-Identifier: MIT */
/*
 * Boot Loader Specification type 1 entries (loader/entries/NAME.conf):
 * "KEY VALUE" lines, '#' comments.  The one reader of an entry: kcmdline
 * edits its options line with it, vfio-early plan reads the line the next
 * boot gets.  Free of libc extensions (klibc builds it).
 */
#ifndef KC_BLSENTRY_H
#define KC_BLSENTRY_H

#include <stddef.h>

struct bls_entry {
	char *id;		/* the file name without ".conf" */
	char *text;		/* the whole file, NUL-terminated */
	size_t len;
	char *title, *version, *sort_key;	/* NULL when absent */
	unsigned n_options;	/* "options" lines */
	size_t opt_start, opt_end;	/* the last options line's value */
	unsigned opt_line;	/* its line number, 1-based; 0 if none */
};

/* Parse text (taken over: freed with the entry); 0, or -1 with *why (NUL
 * bytes).  id is copied. */
int bls_parse(char *text, size_t len, const char *id, struct bls_entry *e, const char **why);
void bls_entry_free(struct bls_entry *e);

/* Every options line's value, joined by one space (the specification's
 * rule for repeated lines); malloc'ed, "" when there is none. */
char *bls_options(const struct bls_entry *e);

/* 1 if the options name a variable ($NAME, ${NAME}): GRUB's blscfg expands
 * them from its environment (grubenv), systemd-boot does not. */
int bls_refs_env(const char *opts);

/* 1 if the options name GRUB's variable NAME ($NAME or ${NAME}):
 * "$kernelopts" means grubenv keeps the line (RHEL 8); RHEL 9's
 * "$tuned_params" is tuned's alone. */
int bls_refs_var(const char *opts, const char *name);

/* opts with $NAME and ${NAME} replaced by their values in the grubenv block
 * env (absent: empty, as GRUB expands an unset variable); malloc'ed. */
char *bls_expand(const char *opts, const char *env, size_t env_len);

/* A rescue entry (Fedora's MACHINE-ID-0-rescue.conf): kcmdline leaves it
 * alone, plan does not pick it as the default. */
int bls_is_rescue(const struct bls_entry *e);

struct bls_list {
	struct bls_entry *v;
	size_t n;
};

/* The *.conf entries of dir, newest first (the boot menus' order: by
 * sort-key, then by version, then by name, versions compared piecewise);
 * 0 or -errno (entries that cannot be read are skipped and counted). */
int bls_list_read(const char *dir, struct bls_list *l, int *unreadable);
void bls_list_free(struct bls_list *l);

/* The entry the next boot uses: the one named saved (GRUB's saved_entry),
 * else the first matching pattern (loader.conf "default", a glob), else the
 * first that is not a rescue entry; -1 when the list is empty. */
int bls_default(const struct bls_list *l, const char *saved, const char *pattern);

/* The first entry whose id (with or without ".conf") matches the glob
 * pattern, as systemd-boot matches its EFI variables; -1 if none. */
int bls_find(const struct bls_list *l, const char *pattern);

/* Version comparison as the boot menus sort: digit runs numerically. */
int bls_vercmp(const char *a, const char *b);

#endif
