/* SPDX-License-Identifier: MIT */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nextstep.h"

struct step {
	const char *tool;
	const char *run;
};

static const struct step grub_steps[] = {
	{ "update-grub", "update-grub" },
	{ "grub2-mkconfig", "grub2-mkconfig -o /boot/grub2/grub.cfg" },
	{ "grub-mkconfig", "grub-mkconfig -o /boot/grub/grub.cfg" },
	{ NULL, NULL },
};

/* /etc/kernel/cmdline is read when boot entries and UKIs are built. */
static const struct step image_steps[] = {
	{ "proxmox-boot-tool", "proxmox-boot-tool refresh" },
	{ "update-initramfs", "update-initramfs -u -k all" },
	{ "dracut", "dracut -f --regenerate-all" },
	{ "kernel-install", "kernel-install add \"$(uname -r)\" "
			    "\"/boot/vmlinuz-$(uname -r)\"" },
	{ NULL, NULL },
};

/* The admin's PATH may lack the sbin directories these live in. */
int nextstep_installed(const char *tool)
{
	const char *env = getenv("PATH");
	char *dirs, *dir, *save = NULL, path[4096];
	int found = 0;

	if (asprintf(&dirs, "%s:/usr/local/sbin:/usr/sbin:/sbin",
		     env ? env : "/usr/bin:/bin") < 0)
		return 0;
	for (dir = strtok_r(dirs, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, tool) <
		    sizeof(path))
			found = access(path, X_OK) == 0;
	}
	free(dirs);
	return found;
}

void nextstep_print(FILE *out, int grub)
{
	const struct step *s, *steps = grub ? grub_steps : image_steps;

	for (s = steps; s->tool; s++) {
		if (nextstep_installed(s->tool)) {
			fprintf(out, "next: run '%s' so the next boot uses "
				     "it\n", s->run);
			return;
		}
	}
	fprintf(out, "next: run one of these (none is installed here; use "
		     "your system's equivalent):\n");
	for (s = steps; s->tool; s++)
		fprintf(out, "  %s\n", s->run);
}
