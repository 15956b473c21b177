// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the selector parsers and the whole command-line config
 * on arbitrary bytes. Invariants: a parsed selector's text is what was given,
 * an address selector round-trips through the address parser, and matching
 * never reads outside the selector or the device.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "log.h"
#include "select.h"

static void check_selector(const uint8_t *data, size_t size, const struct selector *s)
{
	struct pci_dev d;

	if (strlen(s->text) != size || memcmp(s->text, data, size))
		__builtin_trap();
	memset(&d, 0, sizeof(d));
	d.vendor = 0x10de, d.device = 0x11bf, d.class = 0x030000;
	if (s->kind == SEL_ADDR) {
		d.dom = s->dom, d.bus = s->bus, d.slot = s->slot, d.fn = s->fn;
		if (!sel_match(s, &d) || s->slot > 0x1f || s->fn > 7)
			__builtin_trap();
	}
	sel_match(s, &d);
	sel_class_only(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct selector s;
	struct config c;
	const char *why;
	static int quiet;

	if (!quiet) {
		log_set_fd(open("/dev/null", O_WRONLY));
		quiet = 1;
	}
	if (sel_parse((const char *)data, size, &s, &why) == 0)
		check_selector(data, size, &s);
	if (sel_parse_kid((const char *)data, size, &s, &why) == 0)
		check_selector(data, size, &s);
	config_parse(&c, (const char *)data, size);
	for (size_t i = 0; i < c.nsel; i++)
		if (!c.sel[i].text[0])
			__builtin_trap();
	config_free(&c);
	return 0;
}
