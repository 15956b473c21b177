// SPDX-License-Identifier: MIT
/* Selector parsing (valid and invalid) and matching, on the real parser. */
#include <stdio.h>
#include <string.h>

#include "select.h"
#include "t.h"

struct valid_case {
	const char *text;
	int kid;
	enum sel_kind kind;
	const char *matches;	/* "ADDR VVVV:DDDD:CCCCCC" list, ';'-separated */
	const char *misses;
};

static const struct valid_case valid[] = {
	{ "0000:04:00.0", 0, SEL_ADDR, "0000:04:00.0 10de:11bf:030000", "0000:05:00.0 10de:11bf:030000" },
	{ "04:00.0", 0, SEL_ADDR, "0000:04:00.0 10de:11bf:030000", "0001:04:00.0 10de:11bf:030000" },
	{ "0001:ff:1f.7", 0, SEL_ADDR, "0001:ff:1f.7 8086:0001:020000", "0000:ff:1f.7 8086:0001:020000" },
	{ "0000:0A:1F.7", 0, SEL_ADDR, "0000:0a:1f.7 8086:0001:020000", NULL },
	{ "10de:11bf", 0, SEL_FILTER, "0000:04:00.0 10de:11bf:030000", "0000:04:00.1 10de:0e0a:040300" },
	{ "10de:", 0, SEL_FILTER, "0000:04:00.1 10de:0e0a:040300", "0000:00:02.0 8086:0102:030000" },
	{ ":11bf", 0, SEL_FILTER, "0000:04:00.0 10de:11bf:030000", "0000:04:00.1 10de:0e0a:040300" },
	{ "10de::0300", 0, SEL_FILTER, "0000:04:00.0 10de:11bf:030000;0000:06:00.0 10de:1b80:030001",
	  "0000:04:00.1 10de:0e0a:040300;0000:00:02.0 8086:0102:030000" },
	{ "::0403", 0, SEL_FILTER, "0000:04:00.1 10de:0e0a:040300", "0000:04:00.0 10de:11bf:030000" },
	{ "8086:0a0c:0403", 0, SEL_FILTER, "0000:00:03.0 8086:0a0c:040300", "0000:00:03.0 8086:0a0c:030000" },
	{ "10de:11bf:", 0, SEL_FILTER, "0000:04:00.0 10de:11bf:030000", NULL },
	{ "a:b", 0, SEL_FILTER, "0000:00:00.0 000a:000b:ff0000", NULL },
	{ "10de:11bf", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", "0000:04:00.0 10de:11be:030000" },
	{ "8086:10d3:ffffffff:ffffffff:020000:ff0000", 1, SEL_KID, "0000:00:03.0 8086:10d3:020000",
	  "0000:00:03.0 8086:10d3:030000" },
	{ "ffffffff:ffffffff:ffffffff:ffffffff:040300:ffffff", 1, SEL_KID,
	  "0000:04:00.1 10de:0e0a:040300", "0000:04:00.0 10de:11bf:030000" },
};

struct invalid_case {
	const char *text;
	int kid;
	const char *why_has;
};

static const struct invalid_case invalid[] = {
	{ "", 0, "empty" },
	{ "zz:zz", 0, "filter" },
	{ "../../x", 0, "address" },
	{ "0000:00:1f", 0, "no .F" },
	{ ":", 0, "every device" },
	{ "::", 0, "every device" },
	{ "10de:11bf:0300:00", 0, "filter" },
	{ "10de:11bf:300", 0, "4 hex" },
	{ "10de:11bf:03000", 0, "4 hex" },
	{ "10de0:11bf", 0, "filter" },
	{ "10de", 0, "filter" },
	{ "0000:00:20.0", 0, "address" },
	{ "0000:00:1f.8", 0, "address" },
	{ "000:00:1f.0", 0, "address" },
	{ "0000:0:1f.0", 0, "address" },
	{ "0000:00:1f.0.1", 0, "address" },
	{ "0000:00:1f.", 0, "address" },
	{ "00:1f.0 ", 0, "address" },
	{ "-1:2", 0, "filter" },
	{ "0x10de:11bf", 0, "filter" },
	{ "10de:11bf:0300:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00", 0, "too long" },
	{ "10de", 1, "vfio-pci.ids" },
	{ "10de:zz", 1, "vfio-pci.ids" },
	{ "10de::", 1, "vfio-pci.ids" },
};

static void parse_dev(const char *spec, struct pci_dev *d)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->addr, spec, PCI_ADDR_LEN);
	pci_parse_addr(spec, PCI_ADDR_LEN, &d->dom, &d->bus, &d->slot, &d->fn);
	sscanf(spec + PCI_ADDR_LEN + 1, "%x:%x:%x", &d->vendor, &d->device, &d->class);
	d->subvendor = d->vendor;
	d->subdevice = 0;
}

static void check_devs(const struct selector *s, const char *list, int want, const char *text)
{
	char buf[256], *save = NULL;
	struct pci_dev d;

	if (!list)
		return;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *one = strtok_r(buf, ";", &save); one; one = strtok_r(NULL, ";", &save)) {
		parse_dev(one, &d);
		T_OK(sel_match(s, &d) == want, "'%s' %s %s", text, want ? "matches" : "misses", one);
	}
}

int main(void)
{
	struct selector s;
	const char *why;

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct valid_case *c = &valid[i];
		int r = c->kid ? sel_parse_kid(c->text, strlen(c->text), &s, &why)
			       : sel_parse(c->text, strlen(c->text), &s, &why);

		T_OK(r == 0 && s.kind == c->kind && !strcmp(s.text, c->text), "valid '%s'", c->text);
		check_devs(&s, c->matches, 1, c->text);
		check_devs(&s, c->misses, 0, c->text);
	}
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		const struct invalid_case *c = &invalid[i];
		int r;

		why = "";
		r = c->kid ? sel_parse_kid(c->text, strlen(c->text), &s, &why)
			   : sel_parse(c->text, strlen(c->text), &s, &why);
		T_OK(r < 0 && strstr(why, c->why_has), "invalid '%s' (%s)", c->text, why);
	}
	sel_parse("::0300", 6, &s, &why);
	T_OK(sel_class_only(&s), "::0300 is class-only");
	sel_parse("10de::0300", 10, &s, &why);
	T_OK(!sel_class_only(&s), "10de::0300 is not class-only");
	sel_parse("00:02.0", 7, &s, &why);
	T_OK(!sel_class_only(&s), "an address is not class-only");
	return t_done();
}
