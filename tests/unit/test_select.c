// SPDX-License-Identifier: MIT
/* Selector parsing (valid and invalid) and matching, on the real parser. */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "hex.h"
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
	/* wide domains (Intel VMD) and pinned addresses */
	{ "10000:e1:00.0", 0, SEL_ADDR, "10000:e1:00.0 8086:0001:010802",
	  "0000:e1:00.0 8086:0001:010802" },
	{ "ffffffff:ff:1f.7", 0, SEL_ADDR, "ffffffff:ff:1f.7 8086:0001:020000", NULL },
	{ "0000:04:00.0@10de:11bf", 0, SEL_ADDR, "0000:04:00.0 10de:11bf:030000;0000:04:00.0 10de:11be:030000",
	  "0000:05:00.0 10de:11bf:030000" },
	{ "10000:e1:00.0@144D:A80A", 0, SEL_ADDR, "10000:e1:00.0 144d:a80a:010802", NULL },
	/* vfio-pci.ids as sscanf("%x:%x:%x:%x:%x:%x") reads it */
	{ "0x10DE:0X11BF", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", "0000:04:00.1 10de:0e0a:040300" },
	{ " 10de:\t11bf", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", NULL },
	{ "10de:11bfjunk", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", "0000:04:00.1 10de:0e0a:040300" },
	{ "10de:11bf:", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", NULL },
	{ "10de:11bf :ffff", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", NULL },
	{ "1:2:3:4:5:6:7", 1, SEL_KID, NULL, "0000:04:00.0 10de:11bf:030000" },
	{ "123456789:1", 1, SEL_KID, NULL, "0000:04:00.0 10de:11bf:030000" },
	{ "1000010de:11bf", 1, SEL_KID, "0000:04:00.0 10de:11bf:030000", NULL },
	{ "0x:11bf", 1, SEL_KID, "0000:04:00.0 0000:11bf:030000", "0000:04:00.0 10de:11bf:030000" },
	{ "ffffffff:ffffffff:ffffffff:ffffffff:030000:ff0000:junk", 1, SEL_KID,
	  "0000:04:00.0 10de:11bf:030000", "0000:04:00.1 10de:0e0a:040300" },
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
	{ "10de : 11bf", 1, "vfio-pci.ids" },
	{ "-1:2", 1, "vfio-pci.ids" },
	{ "x10de:11bf", 1, "vfio-pci.ids" },
	{ " ", 1, "vfio-pci.ids" },
	{ "ffffffff:ffffffff", 1, "every device" },
	{ "0xffffffff:0XFFFFFFFF:ffffffff:ffffffff", 1, "every device" },
	{ "ffffffff:ffffffff:ffffffff:ffffffff:123456:0", 1, "every device" },
	{ "ffffffff:ffffffff:ffffffff:ffffffff:0:ff000000", 1, "every device" },
	{ "1ffffffff:ffffffff", 1, "every device" },
	{ "100000000:04:00.0", 0, "address" },
	{ "000:04:00.0@10de:11bf", 0, "address" },
	{ "0000:04:00.0@", 0, "pinned" },
	{ "0000:04:00.0@10de", 0, "pinned" },
	{ "0000:04:00.0@10de:", 0, "pinned" },
	{ "0000:04:00.0@:11bf", 0, "pinned" },
	{ "0000:04:00.0@10de0:11bf", 0, "pinned" },
	{ "0000:04:00.0@10de:11bf:0300", 0, "pinned" },
	{ "0000:04:00.0@zz:11bf", 0, "pinned" },
	{ "10de:11bf@10de:11bf", 0, "filter" },
	{ "0000:01:00.0/", 0, "address" },
	{ "0000:01:00.0/v", 0, "address" },
	{ "0000:01:00.0/vf-1", 0, "VF" },
	{ "0000:01:00.0/vf65535", 0, "VF" },
	{ "0000:01:00.0/vf123456", 0, "VF" },
	{ "0000:01:00.0/VF1", 0, "address" },
	{ "0000:01:00.0/vf1x", 0, "VF" },
	{ "0000:01:00.0@8086:10c9/vf1", 0, "VF" },
	{ "0000:01:00/vf1", 0, "VF" },
	{ "8086:10c9/vf1", 0, "VF" },
	{ "/vf1", 0, "VF" },
	{ "0000:01:00.0=", 0, "driver after '='" },
	{ "0000:01:00.0=mlx5 vfio", 0, "driver after '='" },
	{ "0000:01:00.0=a=b", 0, "driver after '='" },
	{ "0000:01:00.0=../vfio", 0, "driver after '='" },
	{ "=vfio-pci", 0, "filter" },
	{ "0000:01:00.0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, "too long" },
};

struct bool_case {
	const char *text;
	int want;
};

/* lib/kstrtox.c kstrtobool(): first character, first two for on/off */
static const struct bool_case bools[] = {
	{ "y", 1 }, { "Y", 1 }, { "yes", 1 }, { "1", 1 }, { "on", 1 }, { "ON", 1 }, { "oN", 1 },
	{ "t", 1 }, { "T", 1 }, { "true", 1 }, { "1junk", 1 }, { "e", 1 }, { "enabled", 1 },
	{ "n", 0 }, { "N", 0 }, { "no", 0 }, { "0", 0 }, { "off", 0 }, { "OFF", 0 }, { "of", 0 },
	{ "f", 0 }, { "F", 0 }, { "false", 0 }, { "d", 0 }, { "disabled", 0 },
	{ "", -1 }, { "2", -1 }, { "maybe", -1 }, { "o", -1 }, { "ox", -1 }, { " 1", -1 },
	{ "\x11", -1 }, { "-1", -1 }, { "@", -1 },
};

/* hex_scan(): the kernel's vsscanf %x */
struct hex_case {
	const char *text;
	size_t used;
	unsigned value;
};

static const struct hex_case hexes[] = {
	{ "10de", 4, 0x10de }, { "10DE:", 4, 0x10de }, { "0x10de", 6, 0x10de },
	{ "0X10De", 6, 0x10de }, { "  \t\n10de", 8, 0x10de }, { "10dez", 4, 0x10de },
	{ "0x", 2, 0 }, { "0xz", 2, 0 }, { "123456789", 9, 0x23456789 }, { "", 0, 0 },
	{ ":", 0, 0 }, { "z", 0, 0 }, { "-1", 0, 0 }, { " ", 0, 0 }, { "x1", 0, 0 },
	{ "\xa0" "10de", 5, 0x10de },	/* Latin-1 NBSP is a space to the kernel */
};

static void parse_dev(const char *spec, struct pci_dev *d)
{
	size_t len = strcspn(spec, " ");

	memset(d, 0, sizeof(*d));
	memcpy(d->addr, spec, len < PCI_ADDR_MAX ? len : PCI_ADDR_MAX);
	T_OK(pci_parse_addr(spec, len, &d->dom, &d->bus, &d->slot, &d->fn) == 0,
	     "device address %.*s", (int)len, spec);
	sscanf(spec + len + 1, "%x:%x:%x", &d->vendor, &d->device, &d->class);
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

/* PF/vfN matches the PF's virtfnN (pci_dev.pf, .vf as pci_tag_vfs() sets them). */
static void test_vf(void)
{
	struct pci_dev pf, vf0, vf1, other;
	struct selector s;
	const char *why;

	parse_dev("0000:01:00.0 8086:10c9:020000", &pf);
	parse_dev("0000:01:10.0 8086:10ca:020000", &vf0);
	parse_dev("0000:01:10.2 8086:10ca:020000", &vf1);
	parse_dev("0000:02:10.2 8086:10ca:020000", &other);
	vf0.pf = vf1.pf = &pf;
	vf1.vf = 1;
	other.pf = &vf0;	/* any other PF */
	T_OK(sel_parse("01:00.0/vf1", 11, &s, &why) == 0 && s.kind == SEL_VF && s.vf == 1,
	     "01:00.0/vf1 is VF 1 of 0000:01:00.0");
	T_OK(sel_match(&s, &vf1) && !sel_match(&s, &vf0) && !sel_match(&s, &pf) &&
	     !sel_match(&s, &other), "01:00.0/vf1 matches VF 1 only");
	T_OK(sel_parse("0000:01:00.0/vf", 15, &s, &why) == 0 && s.vf == -1, "/vf: every VF");
	T_OK(sel_match(&s, &vf1) && sel_match(&s, &vf0) && !sel_match(&s, &pf) &&
	     !sel_match(&s, &other), "0000:01:00.0/vf matches both VFs, not the PF");
	T_OK(sel_parse("0000:01:00.0/vf65534", 20, &s, &why) == 0 && s.vf == 65534,
	     "the last VF number");
	sel_parse("0000:01:10.2", 12, &s, &why);
	T_OK(sel_match(&s, &vf1), "a VF by its own address");
	sel_parse("8086:10ca", 9, &s, &why);
	T_OK(sel_match(&s, &vf0) && !sel_match(&s, &pf), "VFs by their ids");
}

/* SELECTOR=MODULE: the module in '_' form, the selector as without it. */
static void test_module(void)
{
	static const struct { const char *text; enum sel_kind kind; const char *module; } ok[] = {
		{ "01:00.0=mlx5-vfio-pci", SEL_ADDR, "mlx5_vfio_pci" },
		{ "0000:01:00.0@15b3:101e=mlx5_vfio_pci", SEL_ADDR, "mlx5_vfio_pci" },
		{ "15b3:101e=vfio-pci", SEL_FILTER, "vfio_pci" },
		{ "::0300=nvgrace_gpu_vfio_pci", SEL_FILTER, "nvgrace_gpu_vfio_pci" },
		{ "01:00.0/vf2=xe-vfio-pci", SEL_VF, "xe_vfio_pci" },
		{ "01:00.0/vf=virtio_vfio_pci", SEL_VF, "virtio_vfio_pci" },
		{ "01:00.0", SEL_ADDR, "" },
	};
	struct selector s;
	const char *why;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int r = sel_parse(ok[i].text, strlen(ok[i].text), &s, &why);

		T_OK(r == 0 && s.kind == ok[i].kind && !strcmp(s.module, ok[i].module) &&
		     !strcmp(s.text, ok[i].text), "module: '%s' gives '%s'", ok[i].text,
		     ok[i].module);
	}
	sel_parse("01:00.0/vf2=xe-vfio-pci", 23, &s, &why);
	T_OK(s.vf == 2 && s.bus == 1 && !s.pinned, "module: the VF selector before '=' is kept");
	sel_parse("0000:01:00.0@15b3:101e=mlx5_vfio_pci", 36, &s, &why);
	T_OK(s.pinned && s.vendor == 0x15b3 && s.device == 0x101e, "module: the pin is kept");
}

int main(void)
{
	struct selector s;
	const char *why;

	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		const struct valid_case *c = &valid[i];
		int r = c->kid ? sel_parse_kid(c->text, strlen(c->text), &s, &why)
			       : sel_parse(c->text, strlen(c->text), &s, &why);

		T_OK(r == 0 && s.kind == c->kind && !strcmp(s.text, c->text), "valid '%s'%s%s",
		     c->text, r ? ": " : "", r ? why : "");
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
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		T_OK((config_kstrtobool(bools[i].text, strlen(bools[i].text)) < 0 ? -1 :
		      config_kstrtobool(bools[i].text, strlen(bools[i].text))) == bools[i].want,
		     "kstrtobool '%s' is %d", bools[i].text, bools[i].want);
	for (size_t i = 0; i < sizeof(hexes) / sizeof(hexes[0]); i++) {
		unsigned v = 0;
		size_t used = hex_scan(hexes[i].text, strlen(hexes[i].text), &v);

		T_OK(used == hexes[i].used && (!used || v == hexes[i].value),
		     "%%x case %zu: %zu chars, %x", i, used, v);
	}
	sel_parse("0000:04:00.0@10de:11bf", 22, &s, &why);
	T_OK(s.pinned && s.vendor == 0x10de && s.device == 0x11bf, "pinned: says so, with its ids");
	sel_parse("0000:04:00.0", 12, &s, &why);
	T_OK(!s.pinned, "plain address: not pinned");
	sel_parse("::0300", 6, &s, &why);
	T_OK(sel_class_only(&s), "::0300 is class-only");
	sel_parse("10de::0300", 10, &s, &why);
	T_OK(!sel_class_only(&s), "10de::0300 is not class-only");
	sel_parse("00:02.0", 7, &s, &why);
	T_OK(!sel_class_only(&s), "an address is not class-only");
	test_vf();
	test_module();
	return t_done();
}
