// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the selector parsers and the whole command-line config
 * on arbitrary bytes. Invariants: a parsed selector's text is what was given
 * (a vfio-pci.ids entry's, cut at SEL_TEXT_MAX), an address selector
 * round-trips through the address parser and matches its own pin, a
 * vfio-pci.ids entry never matches every device, matching never reads
 * outside the selector or the device, and kcmdline's reader (kcmdline/lint/
 * litem.c) reads a selector, and its =MODULE, exactly when sel_parse() does.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "litem.h"
#include "log.h"
#include "select.h"

static void check_selector(const uint8_t *data, size_t size, const struct selector *s)
{
	struct pci_dev d;
	size_t shown = s->kind == SEL_KID && size > SEL_TEXT_MAX ? SEL_TEXT_MAX : size;

	if (memcmp(s->text, data, strlen(s->text)) ||
	    (s->kind != SEL_KID && strlen(s->text) != size) || strlen(s->text) > shown)
		__builtin_trap();
	memset(&d, 0, sizeof(d));
	d.vendor = 0x10de, d.device = 0x11bf, d.class = 0x030000;
	if (s->pinned && s->kind != SEL_ADDR)
		__builtin_trap();
	if (s->kind == SEL_ADDR) {
		d.dom = s->dom, d.bus = s->bus, d.slot = s->slot, d.fn = s->fn;
		if (s->pinned)
			d.vendor = s->vendor, d.device = s->device;
		if (!sel_match(s, &d) || !sel_pin_ok(s, &d) || s->slot > 0x1f || s->fn > 7)
			__builtin_trap();
	}
	if (s->kind == SEL_KID) {
		/* no kid names every device: one with other ids and class must miss */
		struct pci_dev a = d, b = d;

		a.vendor = a.subvendor = 0x1af4, a.device = a.subdevice = 0x1000, a.class = 0;
		b.vendor = b.subvendor = 0x8086, b.device = b.subdevice = 0x2922, b.class = 0xffffff;
		if (sel_match(s, &a) && sel_match(s, &b) && sel_match(s, &d))
			__builtin_trap();
	}
	sel_match(s, &d);
	sel_class_only(s);
}

/* litem agrees with the binder on what is a selector and on its module. */
static void check_litem(const uint8_t *data, size_t size, int ok, const struct selector *s)
{
	struct litem it;

	litem_parse(LITEM_SEL, (const char *)data, size, &it);
	if ((it.kind != LITEM_RAW) != ok)
		__builtin_trap();
	if (!ok)
		return;
	if (it.module_len != strlen(s->module))
		__builtin_trap();
	for (size_t i = 0; i < it.module_len; i++)
		if ((it.module[i] == '-' ? '_' : it.module[i]) != s->module[i])
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selector s;
	struct config c;
	const char *why;
	static int quiet;
	int ok;

	if (!quiet) {
		log_set_fd(open("/dev/null", O_WRONLY));
		quiet = 1;
	}
	ok = sel_parse((const char *)data, size, &s, &why) == 0;
	if (ok)
		check_selector(data, size, &s);
	check_litem(data, size, ok, &s);
	if (sel_parse_kid((const char *)data, size, &s, &why) == 0)
		check_selector(data, size, &s);
	config_parse(&c, (const char *)data, size);
	for (size_t i = 0; i < c.nsel; i++)
		if (!c.sel[i].text[0])
			__builtin_trap();
	config_free(&c);
	return 0;
}
