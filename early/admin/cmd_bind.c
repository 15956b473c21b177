// SPDX-License-Identifier: MIT
/* vfio-early bind: the boot pass's selection and verified bind, run now. */
#include <stdlib.h>
#include <string.h>

#include "bind.h"
#include "cmd.h"
#include "deadline.h"
#include "hostuse.h"
#include "log.h"
#include "pass.h"
#include "plan.h"
#include "print.h"
#include "variant.h"

static int set_group(const char *word, enum group_policy *g)
{
	static const char *const names[] = { "slot", "all", "none" };
	static const enum group_policy policies[] = { GROUP_SLOT, GROUP_ALL, GROUP_NONE };

	for (size_t i = 0; i < 3; i++)
		if (!strcmp(word, names[i])) {
			*g = policies[i];
			return 0;
		}
	log_err("bad --group '%s' (want slot, all or none)", word);
	return -1;
}

int cmd_bind_setup(const struct cmd_ctx *x, struct config *c, char **line, size_t *len)
{
	struct config probe = { 0 };

	/* Selectors first: a bad one stops everything before any read or write. */
	if (cmd_selectors(x, &probe) < 0) {
		free(probe.sel);
		return CMD_USAGE;
	}
	if (cmd_cmdline(x, line, len) < 0) {
		*line = strdup("");
		*len = 0;
	}
	if (!*line) {
		free(probe.sel);
		return CMD_USAGE;
	}
	config_parse(c, *line, *len);
	free(c->sel);
	c->sel = probe.sel;
	c->nsel = probe.nsel;
	c->bad = 0;
	c->disabled = 0;	/* rd.vfio=0 is about boot */
	c->boot_vga |= x->boot_vga;
	if (x->group && set_group(x->group, &c->group) < 0) {
		config_free(c);
		free(*line);
		return CMD_USAGE;
	}
	return CMD_OK;
}

void cmd_result_line(const struct pci_dev *d)
{
	char type[16], by[sizeof(d->by)];
	int failed = d->result == RES_FAILED || d->result == RES_SKIPPED;
	size_t i;

	for (i = 0; d->by[i]; i++)
		by[i] = d->by[i] == ' ' ? ',' : d->by[i];
	by[i] = '\0';
	pci_type(d, type, sizeof(type));
	pr("%s %s %s", d->addr, type, pci_result_name(d->result));
	if (failed)
		pr(" reason=%s", d->detail[0] ? d->detail : d->why ? pci_reason_name(d->why) : "-");
	pr(" now=%s was=%s by=%s\n", d->driver[0] ? d->driver : "-",
	   d->prev_driver[0] ? d->prev_driver : "-", by[0] ? by : "-");
}

/*
 * One line per device the plan touches; 1 when one is not where it should be
 * (on vfio-pci after bind, off it after unbind) or nothing matched.
 */
int cmd_report(const struct pci_list *l, const struct config *c, int want_vfio,
	       const char *verb)
{
	int bad = cmd_unmatched(l, c), touched = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct pci_dev *d = &l->dev[i];

		if (d->action == ACT_LEAVE)
			continue;
		touched++;
		bad += want_vfio ? strcmp(d->driver, variant_target(d)) != 0 :
				   variant_is_vfio(d->driver);
		cmd_result_line(d);
	}
	pr_flush();
	if (!touched)
		log_err("the selectors match no device: nothing %s", verb);
	return bad || !touched;
}

int cmd_bind(struct cmd_ctx *x)
{
	struct pci_list l = { NULL, 0 };
	struct bind_opts bo;
	struct config c;
	char *line;
	size_t len;
	int have_iommu, r = cmd_bind_setup(x, &c, &line, &len);

	if (r)
		return r;
	pass_select(&l, &c, &have_iommu, PASS_TAG);
	plan_log(&l, &c, have_iommu);
	if (hostuse_refuse(&l, "it will not be bound", NULL)) {
		pr_flush();
		log_err("the selection takes a device the host uses: nothing changed");
		pci_free(&l);
		config_free(&c);
		free(line);
		return CMD_ATTENTION;
	}
	for (size_t i = 0; i < l.n; i++)
		strcpy(l.dev[i].prev_driver, l.dev[i].driver);
	cmd_bind_opts(x, &c, &bo, line, len, deadline_in(BIND_BUDGET_MS, 0));
	for (size_t i = 0; i < l.n; i++)
		if (l.dev[i].action == ACT_BIND) {
			cmd_load_vfio(x);
			break;
		}
	bind_all(&l, &bo);
	free((char *)bo.aliases);
	r = cmd_report(&l, &c, 1, "bound");
	pci_free(&l);
	config_free(&c);
	free(line);
	return r ? CMD_ATTENTION : CMD_OK;
}
