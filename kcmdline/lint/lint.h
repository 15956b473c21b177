/* SPDX-License-Identifier: MIT */
/*
 * The mistakes a kernel command line can hold for vfio: the one checker
 * shared by kcmdline (which refuses to write them) and vfio-early plan
 * and check (which warn about them on the running and the next boot's
 * line).  Host tools only: the boot-only binary does not build it.
 * No allocation; findings are views into the line.
 */
#ifndef KC_LINT_H
#define KC_LINT_H

#include <stddef.h>

enum lint_kind {
	LINT_UNKNOWN_KEY,	/* in vfio's namespaces, but nothing reads it */
	LINT_NO_VALUE,		/* a key that takes a value, without '=' */
	LINT_KID_ADDRESS,	/* vfio-pci.ids= given a PCI address */
	LINT_LIST_SPACE,	/* a blank inside a list: the rest is lost */
	LINT_KID_REPEATED,	/* vfio-pci.ids= more than once: the last wins */
	LINT_BAD_DRIVER,	/* a selector's =MODULE that vfio-early cannot read */
	LINT_KID_DRIVER,	/* vfio-pci.ids= given an =MODULE: the kernel ignores it */
	LINT_KIND_COUNT,
};

struct lint_finding {
	enum lint_kind kind;
	const char *key;	/* the parameter's name as written */
	size_t key_len;
	const char *val;	/* its value, NULL without '=' */
	size_t val_len;
	const char *word;	/* the item or the next word at fault, or NULL */
	size_t word_len;
	const char *hint;	/* UNKNOWN_KEY: the likely key, or NULL */
	unsigned count;		/* KID_REPEATED: how many there are */
	int selector;		/* a vfio-early selector is lost by it */
};

typedef void (*lint_fn)(const struct lint_finding *f, void *arg);

/* Call FN for each mistake of line[0, len), in order (a bare "--" ends
 * the check, as it ends the kernel's parameters); the number found. */
unsigned lint_line(const char *line, size_t len, lint_fn fn, void *arg);

/* One sentence for F, with the fix, in buf (truncated to size); buf. */
const char *lint_text(const struct lint_finding *f, char *buf, size_t size);

/* A short fixed name per kind ("unknown-key", ...). */
const char *lint_kind_name(enum lint_kind k);

/* 1 if KEY is a parameter of the vfio modules or of vfio-early that must
 * have a value (bare flags such as rd.vfio.debug are fine without). */
int lint_needs_value(const char *key, size_t len);

#endif
