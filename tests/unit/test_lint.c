// SPDX-License-Identifier: MIT
/* kcmdline/lint: the mistakes a line holds for vfio (what kcmdline refuses
 * and plan/check warn about), and list items compared as their readers read
 * them, checked against the binder's own parser (early/select.c). */
#include <stdio.h>
#include <string.h>

#include "lint.h"
#include "litem.h"
#include "select.h"
#include "t.h"

/* Each finding as "kind key[ word][ ->hint]", joined by "; ". */
static void collect(const struct lint_finding *f, void *arg)
{
	char *out = arg;
	size_t n = strlen(out);

	snprintf(out + n, 512 - n, "%s%s %.*s", n ? "; " : "", lint_kind_name(f->kind),
		 (int)f->key_len, f->key);
	n = strlen(out);
	if (f->word)
		snprintf(out + n, 512 - n, " %.*s", (int)f->word_len, f->word);
	n = strlen(out);
	if (f->hint)
		snprintf(out + n, 512 - n, " ->%s", f->hint);
}

struct line_case {
	const char *name;
	const char *line;
	const char *want;	/* "" for none */
};

static const struct line_case lines[] = {
	{ "clean: a usual line", "root=/dev/sda1 ro quiet intel_iommu=on iommu=pt "
	  "vfio.ids=10de:1b80,0000:01:00.0@10de:1b80 vfio-pci.ids=10de:10f0 rd.vfio.debug", "" },
	{ "clean: flags alone", "rd.vfio rd.vfio.debug rd.vfio.boot_vga vfio-pci.disable_vga "
	  "vfio_pci.nointxmask vfio-pci.disable-idle-d3 vfio_pci.enable_sriov "
	  "vfio-pci.disable_denylist vfio.enable_unsafe_noiommu_mode "
	  "vfio_iommu_type1.allow_unsafe_interrupts vfio_iommu_type1.disable_hugepages", "" },
	{ "clean: values", "vfio_iommu_type1.dma_entry_limit=100000 rd.vfio.group=all "
	  "rd.driver.pre=vfio-pci rd.driver.blacklist=nouveau rd.driver.post=x rd.vfio.ids=04:00.0", "" },
	{ "clean: other vfio-ish names far from ours", "vfio_virqfd.x=1 novfio=1", "" },
	{ "clean: after --", "quiet -- vfio.id=1", "" },
	{ "unknown: vfio.id", "quiet vfio.id=10de:1b80", "unknown-key vfio.id ->vfio.ids" },
	{ "unknown: vfio_pci.id", "vfio_pci.id=10de:1b80", "unknown-key vfio_pci.id ->vfio-pci.ids" },
	{ "unknown: rd.vfio.bootvga", "rd.vfio.bootvga=1", "unknown-key rd.vfio.bootvga ->rd.vfio.boot_vga" },
	{ "unknown: type1 typo", "vfio_iommu_type1.allow_unsafe_interupts=1",
	  "unknown-key vfio_iommu_type1.allow_unsafe_interupts ->vfio_iommu_type1.allow_unsafe_interrupts" },
	{ "unknown: far from every key", "vfio-pci.frobnicate=1", "unknown-key vfio-pci.frobnicate" },
	{ "unknown: another module's parameter", "vfio.disable_hugepages",
	  "unknown-key vfio.disable_hugepages ->vfio_iommu_type1.disable_hugepages" },
	{ "two: a typo and a space", "vfio_pci.id=1:2 vfio.ids=1:2, 3:4",
	  "unknown-key vfio_pci.id ->vfio-pci.ids; space-in-list vfio.ids 3:4" },
	{ "unknown: vfio_pci_core has none", "vfio_pci_core.disable_vga=1",
	  "unknown-key vfio_pci_core.disable_vga ->vfio-pci.disable_vga" },
	{ "unknown: outside the namespaces, near", "vfio_ids=10de:1b80", "unknown-key vfio_ids ->vfio.ids" },
	{ "no-value: two words", "vfio.ids 10de:1b80", "no-value vfio.ids 10de:1b80" },
	{ "no-value: alone", "quiet rd.vfio.group", "no-value rd.vfio.group" },
	{ "no-value: vfio-pci.ids then a parameter", "vfio-pci.ids x=1", "no-value vfio-pci.ids" },
	{ "address: vfio-pci.ids", "vfio-pci.ids=0000:01:00.0",
	  "vfio-pci-ids-address vfio-pci.ids 0000:01:00.0" },
	{ "address: short and pinned", "vfio_pci.ids=10de:10f0,01:00.0@10de:1b80",
	  "vfio-pci-ids-address vfio_pci.ids 01:00.0@10de:1b80" },
	{ "space: after a comma", "vfio.ids=10de:1b80, 10de:10f0",
	  "space-in-list vfio.ids 10de:10f0" },
	{ "space: after =", "vfio.ids= 10de:10f0", "space-in-list vfio.ids 10de:10f0" },
	{ "space: an item-like word", "vfio-pci.ids=10de:1b80 10de:10f0 quiet",
	  "space-in-list vfio-pci.ids 10de:10f0" },
	{ "space: a plain word is not an item", "vfio.ids=10de:1b80 quiet", "" },
	{ "space: quoted", "vfio.ids=\"10de:1b80, 10de:10f0\"",
	  "space-in-list vfio.ids  10de:10f0" },
	{ "space: modules", "rd.driver.pre=vfio_pci, vfio", "space-in-list rd.driver.pre vfio" },
	{ "repeated: vfio-pci.ids twice", "vfio-pci.ids=1:2 quiet vfio_pci.ids=3:4",
	  "vfio-pci-ids-repeated vfio_pci.ids" },
	{ "repeated: vfio.ids is fine twice", "vfio.ids=1:2 vfio.ids=3:4", "" },
	{ "clean: drivers", "vfio.ids=01:00.0=mlx5-vfio-pci,15b3:101e=vfio_pci,01:00.0/vf=x "
	  "rd.vfio.ids=::0300=nvgrace_gpu_vfio_pci rd.vfio.variant=0 rd.vfio.variant", "" },
	{ "driver: bad name", "vfio.ids=10de:1b80,01:00.0=mlx5/vfio",
	  "bad-driver vfio.ids 01:00.0=mlx5/vfio" },
	{ "driver: empty", "rd.vfio.ids=01:00.0=", "bad-driver rd.vfio.ids 01:00.0=" },
	{ "driver: two", "vfio.ids=01:00.0=a=b", "bad-driver vfio.ids 01:00.0=a=b" },
	{ "driver: too long", "vfio.ids=0000:01:00.0@15b3:101e=mlx5_vfio_pci_aaaaaaaaaaaaaaaaaaaa",
	  "bad-driver vfio.ids 0000:01:00.0@15b3:101e=mlx5_vfio_pci_aaaaaaaaaaaaaaaaaaaa" },
	{ "driver: rd.driver lists are module names", "rd.driver.pre=a=b", "" },
	{ "driver: vfio-pci.ids", "vfio-pci.ids=15b3:101e=mlx5_vfio_pci",
	  "vfio-pci-ids-driver vfio-pci.ids 15b3:101e=mlx5_vfio_pci" },
	{ "driver: vfio-pci.ids address", "vfio-pci.ids=01:00.0=mlx5_vfio_pci",
	  "vfio-pci-ids-address vfio-pci.ids 01:00.0=mlx5_vfio_pci" },
	{ "driver: cut off by a blank", "vfio.ids=10de:1b80, 01:00.0=mlx5_vfio_pci",
	  "space-in-list vfio.ids 01:00.0=mlx5_vfio_pci" },
	{ "driver: a second word", "vfio.ids=10de:1b80 01:00.0=mlx5_vfio_pci",
	  "space-in-list vfio.ids 01:00.0=mlx5_vfio_pci" },
	{ "driver: not an item", "vfio.ids=10de:1b80 root=/dev/sda1 console=ttyS0,115200", "" },
	{ "driver: two words", "vfio.ids 01:00.0=mlx5_vfio_pci",
	  "no-value vfio.ids 01:00.0=mlx5_vfio_pci" },
	{ "unknown: rd.vfio.varient", "rd.vfio.varient=0",
	  "unknown-key rd.vfio.varient ->rd.vfio.variant" },
	{ "unknown: rd.vfio.variants", "rd.vfio.variants=0",
	  "unknown-key rd.vfio.variants ->rd.vfio.variant" },
	{ "unknown: rd.vfio_variant", "rd.vfio_variant=0",
	  "unknown-key rd.vfio_variant ->rd.vfio.variant" },
	{ "several: all at once", "vfio.id=1:2 vfio-pci.ids=01:00.0 vfio.ids",
	  "unknown-key vfio.id ->vfio.ids; vfio-pci-ids-address vfio-pci.ids 01:00.0; "
	  "no-value vfio.ids" },
};

static unsigned count_findings(const char *s)
{
	unsigned n = *s != '\0';

	for (; (s = strstr(s, "; ")); s += 2)
		n++;
	return n;
}

static void test_lines(void)
{
	char got[512];

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		unsigned n;

		got[0] = '\0';
		n = lint_line(lines[i].line, strlen(lines[i].line), collect, got);
		T_STREQ(got, lines[i].want, lines[i].name);
		T_OK(n == count_findings(got), "%s: the count agrees (%u)", lines[i].name, n);
	}
}

struct text_case {
	const char *name;
	const char *line;
	const char *says;
	int selector;
};

static const struct text_case texts[] = {
	{ "text: unknown", "vfio.id=1:2", "did you mean vfio.ids?", 1 },
	{ "text: unknown, not a selector", "vfio-pci.disable_vgaa", "did you mean vfio-pci.disable_vga?", 0 },
	{ "text: two words", "vfio.ids 10de:1b80", "write vfio.ids=10de:1b80 (one word)", 1 },
	{ "text: address", "vfio-pci.ids=0000:01:00.0", "write vfio.ids=0000:01:00.0", 1 },
	{ "text: space", "vfio.ids=10de:1b80, 10de:10f0", "write vfio.ids=10de:1b80,10de:10f0", 1 },
	{ "text: space after =", "vfio.ids= 10de:10f0", "write vfio.ids=10de:10f0 ", 1 },
	{ "text: quoted space", "vfio.ids=\"a, b\"", "has a blank in it", 1 },
	{ "text: repeated", "vfio-pci.ids=1:2 vfio-pci.ids=3:4", "given 2 times: the kernel keeps only the last", 1 },
	{ "text: bad driver", "vfio.ids=01:00.0=mlx5/vfio", "'mlx5/vfio' after the '=' of "
	  "'01:00.0=mlx5/vfio' is no module name (1 to 55 letters, digits, '_' or '-'), so "
	  "vfio-early drops the selector; write 01:00.0=MODULE", 1 },
	{ "text: empty driver", "vfio.ids=01:00.0=", "or 01:00.0 alone (vfio-early chooses)", 1 },
	{ "text: long with its driver",
	  "vfio.ids=0000:01:00.0@15b3:101e=mlx5_vfio_pci_aaaaaaaaaaaaaaaaaaaa",
	  "is 57 characters long with its =MODULE, and vfio-early reads at most 56", 1 },
	{ "text: vfio-pci.ids driver", "vfio-pci.ids=15b3:101e=mlx5_vfio_pci", "the device gets "
	  "vfio-pci itself; write vfio.ids=15b3:101e=mlx5_vfio_pci (vfio-early gives", 0 },
	{ "text: vfio-pci.ids driver, no selector", "vfio-pci.ids=15b3:101e:1:2=x",
	  "give the device to vfio.ids= with its =MODULE", 0 },
	{ "text: vfio-pci.ids address driver", "vfio-pci.ids=01:00.0=mlx5_vfio_pci",
	  "write vfio.ids=01:00.0=mlx5_vfio_pci", 1 },
	{ "text: driver cut off", "vfio.ids=10de:1b80, 01:00.0=x",
	  "write vfio.ids=10de:1b80,01:00.0=x (no blanks", 1 },
	{ "text: rd.driver space", "rd.driver.pre=a, b", "write rd.driver.pre=a,b", 0 },
};

static void first_text(const struct lint_finding *f, void *arg)
{
	struct lint_finding *keep = arg;

	if (keep->key == NULL)
		*keep = *f;
}

static void test_texts(void)
{
	char buf[512];

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct lint_finding f = { .key = NULL };

		lint_line(texts[i].line, strlen(texts[i].line), first_text, &f);
		T_OK(f.key && strstr(lint_text(&f, buf, sizeof(buf)), texts[i].says),
		     "%s: says '%s'", texts[i].name, texts[i].says);
		if (f.key && !strstr(buf, texts[i].says))
			printf("#   got: %s\n", buf);
		T_OK(f.key && f.selector == texts[i].selector, "%s: a lost selector: %d",
		     texts[i].name, texts[i].selector);
	}
	T_OK(lint_needs_value("vfio_pci.ids", 12) && !lint_needs_value("rd.vfio.debug", 13) &&
	     !lint_needs_value("rd.vfio.variant", 15) && !lint_needs_value("quiet", 5),
	     "needs value: vfio_pci.ids does, flags do not");
}

struct pair_case {
	const char *name;
	enum litem_list list;
	const char *a, *b;
	int same, equal;
};

static const struct pair_case pairs[] = {
	{ "spelling: domain-less address", LITEM_SEL, "01:00.0", "0000:01:00.0", 1, 1 },
	{ "spelling: case", LITEM_SEL, "0000:0a:1f.7", "0000:0A:1F.7", 1, 1 },
	{ "spelling: another domain", LITEM_SEL, "01:00.0", "0001:01:00.0", 0, 0 },
	{ "spelling: wide domain", LITEM_SEL, "10000:e1:00.0", "0000:e1:00.0", 0, 0 },
	{ "spelling: pinned vs not", LITEM_SEL, "01:00.0", "0000:01:00.0@10de:1b80", 1, 0 },
	{ "spelling: pins by value", LITEM_SEL, "01:00.0@10DE:0E0A", "0000:01:00.0@10de:e0a", 1, 1 },
	{ "spelling: other pins", LITEM_SEL, "01:00.0@10de:1b80", "01:00.0@10de:1b81", 1, 0 },
	{ "spelling: filter widths", LITEM_SEL, "10de:e0a", "10DE:0E0A", 1, 1 },
	{ "spelling: filter with empty class", LITEM_SEL, "10de:e0a:", "10de:0e0a", 1, 1 },
	{ "spelling: filter vs class filter", LITEM_SEL, "10de:e0a", "10de:e0a:0300", 0, 0 },
	{ "spelling: VFs", LITEM_SEL, "01:00.0/vf1", "0000:01:00.0/vf01", 1, 1 },
	{ "spelling: all VFs vs one", LITEM_SEL, "01:00.0/vf", "01:00.0/vf0", 0, 0 },
	{ "spelling: VF vs its PF", LITEM_SEL, "01:00.0/vf", "01:00.0", 0, 0 },
	{ "spelling: bad items bytewise", LITEM_SEL, "10de0:1", "10de0:1", 1, 1 },
	{ "spelling: bad items differ", LITEM_SEL, "10de0:1", "10DE0:1", 0, 0 },
	{ "module: an address's", LITEM_SEL, "01:00.0=mlx5-vfio-pci", "0000:01:00.0=mlx5_vfio_pci", 1, 1 },
	{ "module: given vs none", LITEM_SEL, "01:00.0=mlx5_vfio_pci", "0000:01:00.0", 1, 0 },
	{ "module: two drivers", LITEM_SEL, "01:00.0=mlx5_vfio_pci", "01:00.0=vfio-pci", 1, 0 },
	{ "module: case matters", LITEM_SEL, "01:00.0=VFIO_PCI", "01:00.0=vfio_pci", 1, 0 },
	{ "module: and a pin", LITEM_SEL, "01:00.0@15b3:101e=x", "01:00.0@15B3:101E=x", 1, 1 },
	{ "module: pin changes", LITEM_SEL, "01:00.0@15b3:101e=x", "01:00.0=x", 1, 0 },
	{ "module: a filter's", LITEM_SEL, "15b3:101e=vfio-pci", "15B3:101E", 1, 0 },
	{ "module: a VF's", LITEM_SEL, "01:00.0/vf2=xe-vfio-pci", "01:00.0/vf02=xe_vfio_pci", 1, 1 },
	{ "module: a bad one is bytewise", LITEM_SEL, "01:00.0=a=b", "01:00.0", 0, 0 },
	{ "kid: 0x and case", LITEM_KID, "0x10DE:0X1b80", "10de:1b80", 1, 1 },
	{ "kid: default subids", LITEM_KID, "10de:1b80:ffffffff:ffffffff", "10de:1b80", 1, 1 },
	{ "kid: leading zeros", LITEM_KID, "010de:01b80", "10de:1b80", 1, 1 },
	{ "kid: subvendor", LITEM_KID, "10de:1b80:1043", "10de:1b80", 0, 0 },
	{ "kid: trailing junk ignored", LITEM_KID, "10de:1b80junk", "10de:1b80", 1, 1 },
	{ "mod: dash and underscore", LITEM_MOD, "vfio-pci", "vfio_pci", 1, 1 },
	{ "mod: case matters", LITEM_MOD, "VFIO_pci", "vfio_pci", 0, 0 },
	{ "raw: other keys bytewise", LITEM_NOT_A_LIST, "04:00.0", "0000:04:00.0", 0, 0 },
};

static void test_pairs(void)
{
	struct litem a, b;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		const struct pair_case *c = &pairs[i];

		litem_parse(c->list, c->a, strlen(c->a), &a);
		litem_parse(c->list, c->b, strlen(c->b), &b);
		T_OK(litem_same(&a, &b) == c->same && litem_same(&b, &a) == c->same,
		     "%s: %s and %s name %s", c->name, c->a, c->b, c->same ? "one" : "two");
		T_OK(litem_equal(&a, &b) == c->equal && litem_equal(&b, &a) == c->equal,
		     "%s: %s and %s %s", c->name, c->a, c->b, c->equal ? "are equal" : "differ");
	}
	T_OK(litem_list_of("vfio_pci.ids", 12) == LITEM_KID &&
	     litem_list_of("rd.driver.blacklist", 19) == LITEM_MOD &&
	     litem_list_of("rd.vfio.ids", 11) == LITEM_SEL &&
	     litem_list_of("console", 7) == LITEM_NOT_A_LIST, "lists: which keys hold lists");
}

/* The binder's parser decides: litem reads a selector when sel_parse() does. */
static const char *const selectors[] = {
	"0000:04:00.0", "04:00.0", "0001:ff:1f.7", "0000:0A:1F.7", "10de:11bf", "10de:", ":11bf",
	"10de::0300", "::0403", "8086:0a0c:0403", "10de:11bf:", "a:b", "10000:e1:00.0",
	"ffffffff:ff:1f.7", "0000:04:00.0@10de:11bf", "10000:e1:00.0@144D:A80A", "04:00.0@1:2",
	"0000:04:00.0/vf", "0000:04:00.0/vf3", "04:00.0/vf65534", "04:00.0/vf65535",
	"04:00.0@10de:11bf/vf1", "04:00.0/vfx", "04:00.0/v", "", "zz:zz", "../../x", "0000:00:1f",
	":", "::", "10de:11bf:0300:00", "10de:11bf:300", "10de:11bf:03000", "10de0:11bf", "10de",
	"0000:00:20.0", "0000:00:1f.8", "000:00:1f.0", "0000:0:1f.0", "0000:00:1f.0.1",
	"00000:04:00.0", "123456789:04:00.0", "04:00.0@10de", "04:00.0@10de:11bf0",
	"04:00.0@:1", "04:00.0@1:", "4:00.0", "04:00.00", "0000:04:00.0x",
	"0123456789012345678901234567890123456789012345678901234567:00.0",
	/* =MODULE (test_select.c test_module()) */
	"01:00.0=mlx5-vfio-pci", "0000:01:00.0@15b3:101e=mlx5_vfio_pci", "15b3:101e=vfio-pci",
	"::0300=nvgrace_gpu_vfio_pci", "01:00.0/vf2=xe-vfio-pci", "01:00.0/vf=virtio_vfio_pci",
	"0000:01:00.0=", "0000:01:00.0=mlx5 vfio", "0000:01:00.0=a=b", "0000:01:00.0=../vfio",
	"=vfio-pci", "0000:01:00.0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"0000:01:00.0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "0:1=x",
	"01:00.0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	"01:00.0=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "01:00.0=VFIO_PCI",
	"zz:zz=vfio-pci", "01:00.0/vf2=", "01:00.0@10de:1b80/vf2=x", "01:00.0=x/vf2", "01:00.0=x@1:2",
	"10de:1b80:0300=x", "10de:1b80:300=x", ":=x", "01:00.0==x", "01:00.0=x,",
};

static void test_against_binder(void)
{
	struct selector s;
	struct litem it;
	const char *why;

	for (size_t i = 0; i < sizeof(selectors) / sizeof(selectors[0]); i++) {
		const char *t = selectors[i];
		int binder = !sel_parse(t, strlen(t), &s, &why);

		litem_parse(LITEM_SEL, t, strlen(t), &it);
		T_OK((it.kind != LITEM_RAW) == binder, "binder: '%s' is %s by both", t,
		     binder ? "read" : "refused");
		if (binder)
			T_OK(it.module_len == strlen(s.module) && (!it.module_len ||
			     !memcmp(it.module, strchr(t, '=') + 1, it.module_len)),
			     "binder: '%s' has the module '%s'", t, s.module);
		if (binder && s.kind == SEL_ADDR)
			T_OK(it.kind == LITEM_ADDR && it.pinned == s.pinned &&
			     it.addr == ((unsigned long long)s.dom << 16 | s.bus << 8 |
					 s.slot << 3 | s.fn), "binder: '%s' is the same address", t);
	}
}

int main(void)
{
	test_lines();
	test_texts();
	test_pairs();
	test_against_binder();
	return t_done();
}
