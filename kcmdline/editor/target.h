/* SPDX-License-Identifier: MIT */
/*
 * Where a command line lives: /proc/cmdline (read only), a variable of a
 * GRUB settings file, a plain file such as /etc/kernel/cmdline, the
 * options line of a boot entry (loader/entries/NAME.conf) or a variable of
 * GRUB's environment block (kernelopts in grubenv).  A
 * target turns its file into the command line the kernel would get, and
 * an edited command line back into the new contents of its file.
 */
#ifndef KC_TARGET_H
#define KC_TARGET_H

#include "atomic.h"
#include "buf.h"
#include "edit.h"
#include "grubfile.h"

enum target_kind { TARGET_PROC, TARGET_GRUB, TARGET_FILE, TARGET_BLS, TARGET_GRUBENV };

#define PROC_CMDLINE "/proc/cmdline"
#define DEFAULT_GRUB "/etc/default/grub"
#define DEFAULT_VAR "GRUB_CMDLINE_LINUX_DEFAULT"

struct target {
	enum target_kind kind;
	const char *path;	/* as the user gave it */
	const char *var;	/* TARGET_GRUB, TARGET_GRUBENV */
	char *owned_path;	/* path, when made here (freed) */
	int grub_syntax;	/* GRUB reads the line: grub_token_ok */
	int env_refs;		/* TARGET_BLS: the line names $kernelopts:
				 * an add goes to grubenv, unless the line
				 * itself has the key ($tuned_params and
				 * other variables stay where they are) */
	int opened;		/* lf is open (not TARGET_PROC) */
	struct locked_file lf;
	struct grub_assign assign;
	size_t opt_start, opt_end;	/* TARGET_BLS: the options value */
	int has_options;
	struct buf line;	/* the command line, as loaded */
	const char *hidden;	/* why the kernel would not see what is
				 * added here (it would go to init), or NULL */
};

/*
 * Read the target into t->line; EDIT locks it for a later write and
 * CLEAN removes temporaries of interrupted runs.  0 or an exit code
 * after a message.
 */
int target_load(struct target *t, int edit, int clean);

/* The target file's new contents for LINE: 0 or EXIT_REFUSED. */
int target_render(const struct target *t, const struct buf *line,
		  struct buf *file);

/* What a new parameter must satisfy to be written to this target. */
token_check_fn target_token_check(const struct target *t);

void target_free(struct target *t);

/* Free what loading made, keep what says where the target is: ready for
 * another target_load. */
void target_reset(struct target *t);

#endif
