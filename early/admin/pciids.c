// SPDX-License-Identifier: MIT
/*
 * Names from pci.ids with libpci's pci_lookup_name(), as lspci does: its
 * parser, its hwdb lookups on the running system, its file search. Only
 * pci_alloc() is needed for names: pci_init() would pick an access method
 * for the config space, which a name lookup never reads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pci/pci.h>

#include "pciids.h"

struct pciids {
	struct pci_access *pacc;	/* NULL: no database under --root */
	int broken;		/* the database did not parse: no more lookups */
	int flags;
	char path[4096];
};

static const char *const pciids_paths[] = {
	"usr/share/misc/pci.ids", "usr/share/hwdata/pci.ids", "usr/share/pci.ids",
};

/*
 * libpci's pci_generic_error() exits, and pci_alloc() leaves a->error NULL
 * until pci_init(): a malformed pci.ids (lib/names-parse.c:
 * pci_load_name_list() calls a->error) would end the subcommand, or crash
 * it (so would a->warning and a->debug, NULL before pci_init()).
 * a->error is declared noreturn, so it may not return into libpci:
 * it jumps back to the lookup, which then gives up on names. libpci calls
 * it once the file is closed (or out of memory), so pci_cleanup() may
 * still free what was read.
 */
static jmp_buf pciids_jump;

static void ids_vsay(char *msg, va_list ap)
{
	fputs("vfio-early: pci.ids: ", stderr);
	vfprintf(stderr, msg, ap);
}

static void PCI_PRINTF(1, 2) PCI_NONRET pciids_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	ids_vsay(msg, ap);
	va_end(ap);
	longjmp(pciids_jump, 1);
}

static void PCI_PRINTF(1, 2) pciids_warn(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	ids_vsay(msg, ap);
	va_end(ap);
}

/* pci_init() would set it; the hwdb lookup calls it (a NULL call otherwise). */
static void PCI_PRINTF(1, 2) pciids_debug(char *msg, ...)
{
}

/* A regular file only: libpci's fopen() would block on a FIFO. */
static int find_file(const char *root, char *buf, size_t size)
{
	struct stat st;

	for (size_t i = 0; i < sizeof(pciids_paths) / sizeof(pciids_paths[0]); i++) {
		int n = snprintf(buf, size, "%s/%s", root, pciids_paths[i]);

		if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 && S_ISREG(st.st_mode))
			return 0;
	}
	return -1;
}

struct pciids *pciids_open(const char *root)
{
	struct pciids *db = calloc(1, sizeof(*db));

	if (!db)
		return NULL;
	db->flags = PCI_LOOKUP_DEVICE | PCI_LOOKUP_NO_NUMBERS;
	if (root && find_file(root, db->path, sizeof(db->path)) < 0)
		return db;
	db->pacc = pci_alloc();
	if (!db->pacc)
		return db;
	db->pacc->error = pciids_error;
	db->pacc->warning = pciids_warn;
	db->pacc->debug = pciids_debug;
	if (root) {
		/* The test tree's file, and nothing of the running system's. */
		pci_set_name_list_path(db->pacc, db->path, 0);
		db->flags |= PCI_LOOKUP_NO_HWDB;
	}
	return db;
}

void pciids_device(struct pciids *db, unsigned vendor, unsigned device, struct pci_name *out)
{
	out->s[0] = '\0';
	if (!db || !db->pacc || db->broken)
		return;
	if (setjmp(pciids_jump)) {
		db->broken = 1;
		out->s[0] = '\0';
		return;
	}
	if (!pci_lookup_name(db->pacc, out->s, sizeof(out->s), db->flags, vendor, device))
		out->s[0] = '\0';
}

void pciids_close(struct pciids *db)
{
	if (!db)
		return;
	if (db->pacc)
		pci_cleanup(db->pacc);
	free(db);
}
