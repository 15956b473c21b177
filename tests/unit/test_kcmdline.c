/* SPDX-License-Identifier: MIT */
/*
 * kcmdline against hand-written expectations (an adversarial table in the
 * spirit of dracut's getarg tests) and against kref.h, a literal model of
 * the kernel's own destructive tokenizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "grubenv.h"
#include "kcmdline.h"
#include "kernelcmd.h"
#include "kref.h"
#include "t.h"

struct tok {
	const char *name;
	const char *val;	/* NULL: no '=' */
};

struct row {
	const char *line;
	size_t len;
	struct tok want[8];	/* ends at the first NULL name */
};

#define LINE(s) s, sizeof(s) - 1

static const struct row rows[] = {
	{ LINE(""), { { 0 } } },
	{ LINE("    "), { { 0 } } },
	{ LINE("a"), { { "a", NULL } } },
	{ LINE("a b  c"), { { "a", NULL }, { "b", NULL }, { "c", NULL } } },
	{ LINE("   a   b   "), { { "a", NULL }, { "b", NULL } } },
	{ LINE("a=b"), { { "a", "b" } } },
	{ LINE("a="), { { "a", "" } } },
	{ LINE("a= b"), { { "a", "" }, { "b", NULL } } },
	{ LINE("=x"), { { "=x", NULL } } },
	{ LINE("=a=b"), { { "=a", "b" } } },
	{ LINE("="), { { "=", NULL } } },
	{ LINE("=="), { { "=", "" } } },
	{ LINE("a==b"), { { "a", "=b" } } },
	{ LINE("a=b=c"), { { "a", "b=c" } } },
	{ LINE("a\tb\nc\rd\ve\ff"),
	  { { "a", NULL }, { "b", NULL }, { "c", NULL }, { "d", NULL },
	    { "e", NULL }, { "f", NULL } } },
	{ LINE("\t\n a=1\r\n"), { { "a", "1" } } },
	{ LINE("a\xA0" "b"), { { "a", NULL }, { "b", NULL } } },
	{ LINE("\xA0\xA0" "a=\xA0"), { { "a", "" } } },
	{ LINE("caf\xC3\xA9=\xC3\xA9t\xC3\xA9"),
	  { { "caf\xC3\xA9", "\xC3\xA9t\xC3\xA9" } } },
	/* UTF-8 NBSP is C2 A0, and the kernel splits at its second byte. */
	{ LINE("x\xC2\xA0y"), { { "x\xC2", NULL }, { "y", NULL } } },
	{ LINE("a\x85" "b \x1c" "c"), { { "a\x85" "b", NULL }, { "\x1c" "c", NULL } } },
	{ LINE("a\"b c\"d=e"), { { "a\"b c\"d", "e" } } },
	{ LINE("a\"b c d"), { { "a\"b c d", NULL } } },
	{ LINE("\"a=b c\""), { { "a", "b c" } } },
	{ LINE("a=\"b c\""), { { "a", "b c" } } },
	{ LINE("a=\"b c\" d"), { { "a", "b c" }, { "d", NULL } } },
	{ LINE("a=\"x\xA0y\""), { { "a", "x\xA0y" } } },
	{ LINE("a=\"b \"c\" d\""), { { "a", "b \"c\" d" } } },
	{ LINE("a=b\"c\""), { { "a", "b\"c\"" } } },
	{ LINE("x=\"a\"\"b\""), { { "x", "a\"\"b" } } },
	{ LINE("\"x=\"a\"\""), { { "x", "a\"" } } },
	{ LINE("a=\"unterminated rest of line"),
	  { { "a", "unterminated rest of line" } } },
	{ LINE("\"unterminated x=y"), { { "unterminated x", "y" } } },
	{ LINE("\"a b\" c"), { { "a b", NULL }, { "c", NULL } } },
	{ LINE("\"a\"b c"), { { "a\"b", NULL }, { "c", NULL } } },
	{ LINE("\"\""), { { "", NULL } } },
	{ LINE("\""), { { "", NULL } } },
	{ LINE("a=\""), { { "a", "" } } },
	{ LINE("\"=\""), { { "=", NULL } } },
	{ LINE("--"), { { 0 } } },
	{ LINE("-- a b=c"), { { 0 } } },
	{ LINE("a -- b=c d"), { { "a", NULL } } },
	{ LINE("a --"), { { "a", NULL } } },
	{ LINE("a\t--\tb"), { { "a", NULL } } },
	{ LINE("\"--\" x"), { { 0 } } },
	{ LINE("\"-- x\" y"), { { "-- x", NULL }, { "y", NULL } } },
	{ LINE("--= x"), { { "--", "" }, { "x", NULL } } },
	{ LINE("---- -"), { { "----", NULL }, { "-", NULL } } },
	{ LINE("a b\0c d"), { { "a", NULL }, { "b", NULL } } },
	{ LINE("\0a"), { { 0 } } },
	{ LINE("vfio_pci.ids=10de:1b80,10de:10f0 rd.driver.pre=vfio-pci quiet"),
	  { { "vfio_pci.ids", "10de:1b80,10de:10f0" },
	    { "rd.driver.pre", "vfio-pci" }, { "quiet", NULL } } },
	/* a selector's =MODULE stays in the value: the first '=' splits */
	{ LINE("vfio.ids=01:00.0=mlx5_vfio_pci,15b3:101e=vfio-pci rd.vfio.variant=0"),
	  { { "vfio.ids", "01:00.0=mlx5_vfio_pci,15b3:101e=vfio-pci" },
	    { "rd.vfio.variant", "0" } } },
};

/* Printable rendering of a byte string, for failure messages. */
static const char *show(const char *s, size_t n)
{
	static char buf[512];
	size_t o = 0, i;

	for (i = 0; i < n && o + 5 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, 5, "\\x%02x", c);
	}
	buf[o] = '\0';
	return buf;
}

static int view_is(const char *s, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(s, want, n) == 0;
}

static int row_matches(const struct row *r)
{
	struct kcmd_iter it;
	struct kcmd_param p;
	const struct tok *w = r->want;

	kcmd_iter_init(&it, r->line, r->len);
	for (; w->name; w++) {
		if (!kcmd_next(&it, &p) || !view_is(p.name, p.name_len, w->name))
			return 0;
		if (!w->val != !p.val)
			return 0;
		if (w->val && !view_is(p.val, p.val_len, w->val))
			return 0;
	}
	return !kcmd_next(&it, &p) && !kcmd_next(&it, &p);
}

static void test_table(void)
{
	size_t i, ntok;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];

		T_OK(row_matches(r), "table \"%s\"", show(r->line, r->len));
		T_OK(kref_compare(r->line, r->len, &ntok) == 0,
		     "kernel model agrees on \"%s\"", show(r->line, r->len));
	}
}

/* A malloc'd copy without a terminating NUL, so ASan sees any overread. */
static char *unterminated(const char *s, size_t n)
{
	char *b = malloc(n ? n : 1);

	if (b && n)
		memcpy(b, s, n);
	return b;
}

static void test_unterminated_buffer(void)
{
	static const char src[] = "a=\"b c";
	char *b = unterminated(src, sizeof(src) - 1);
	struct kcmd_iter it;
	struct kcmd_param p;

	kcmd_iter_init(&it, b, sizeof(src) - 1);
	T_OK(kcmd_next(&it, &p) && view_is(p.val, p.val_len, "b c") &&
	     !kcmd_next(&it, &p), "no read past an unterminated buffer");
	free(b);
	kcmd_iter_init(&it, NULL, 0);
	T_OK(!kcmd_next(&it, &p), "NULL line, length 0: no tokens");
}

/* "p0=v0 p1=v1 ..." until it is at least min bytes long. */
static size_t build_many(char *buf, size_t cap, size_t min, unsigned *count)
{
	size_t o = 0;

	for (*count = 0; o < min; (*count)++)
		o += (size_t)snprintf(buf + o, cap - o, "%sp%u=v%u",
				      o ? " " : "", *count, *count);
	return o;
}

static void test_long_many_tokens(void)
{
	static char line[9000];
	char want[32];
	unsigned n, seen = 0, ok = 1;
	size_t len = build_many(line, sizeof(line), 8192, &n), ntok;
	struct kcmd_iter it;
	struct kcmd_param p;

	kcmd_iter_init(&it, line, len);
	while (kcmd_next(&it, &p)) {
		snprintf(want, sizeof(want), "p%u", seen);
		ok &= view_is(p.name, p.name_len, want);
		snprintf(want, sizeof(want), "v%u", seen);
		ok &= p.val && view_is(p.val, p.val_len, want);
		seen++;
	}
	T_OK(ok && seen == n, "%zu-byte line: %u of %u tokens, all intact",
	     len, seen, n);
	T_OK(kref_compare(line, len, &ntok) == 0 && ntok == n,
	     "kernel model agrees on the %zu-byte line", len);
}

static void test_long_single_token(void)
{
	static char line[12000];
	size_t len = 8192, ntok;
	struct kcmd_iter it;
	struct kcmd_param p;

	memset(line, 'y', len);
	memcpy(line, "x=", 2);
	kcmd_iter_init(&it, line, len);
	T_OK(kcmd_next(&it, &p) && p.val_len == len - 2 && !kcmd_next(&it, &p),
	     "one 8192-byte token keeps its %zu-byte value", len - 2);

	memset(line, ' ', 11000);
	memcpy(line, "\"k=", 3);
	line[10999] = '"';
	kcmd_iter_init(&it, line, 11000);
	T_OK(kcmd_next(&it, &p) && view_is(p.name, p.name_len, "k") &&
	     p.val_len == 11000 - 4 && !kcmd_next(&it, &p),
	     "quoted 11000-byte token of spaces stays whole");
	T_OK(kref_compare(line, 11000, &ntok) == 0 && ntok == 1,
	     "kernel model agrees on the quoted 11000-byte token");
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void test_random_vs_model(void)
{
	static const char alphabet[] = "a=\" \t-\xA0\xC3\xA9";
	char line[48];
	uint32_t seed = 20240601;
	size_t i, j, len, ntok, total = 0;
	unsigned lines = 20000, bad = 0;

	for (i = 0; i < lines; i++) {
		len = lcg(&seed) % sizeof(line);
		for (j = 0; j < len; j++)
			line[j] = alphabet[lcg(&seed) % (sizeof(alphabet) - 1)];
		if (kref_compare(line, len, &ntok) != 0 && bad++ == 0)
			printf("# first mismatch: \"%s\"\n", show(line, len));
		total += ntok;
	}
	T_OK(bad == 0, "%u random lines (%zu tokens) agree with the kernel "
	     "model; %u differ", lines, total, bad);
}

static void test_name_eq(void)
{
	T_OK(kcmd_name_eq("vfio_pci.ids", 12, "vfio-pci.ids"), "_ equals -");
	T_OK(kcmd_name_eq("vfio-pci.ids", 12, "vfio_pci.ids"), "- equals _");
	T_OK(kcmd_name_eq("rd.vfio.ids", 11, "rd.vfio.ids"), "identical");
	T_OK(!kcmd_name_eq("rd.vfio.ids", 11, "rd_vfio.ids"), ". is not _");
	T_OK(!kcmd_name_eq("vfio.id", 7, "vfio.ids"), "shorter name differs");
	T_OK(!kcmd_name_eq("vfio.idsx", 9, "vfio.ids"), "longer name differs");
	T_OK(kcmd_name_eq("vfio.idsXYZ", 8, "vfio.ids"),
	     "only name_len bytes of name count");
	T_OK(!kcmd_name_eq("VFIO.ids", 8, "vfio.ids"), "case matters");
	T_OK(!kcmd_name_eq("vfio.ida", 8, "vfio.ids"), "last byte differs");
	T_OK(kcmd_name_eq("", 0, ""), "empty equals empty");
	T_OK(!kcmd_name_eq("", 0, "a"), "empty differs from a");
	T_OK(!kcmd_name_eq("a", 1, ""), "a differs from empty");
}

/* Items rendered as "[a][][b]"; "" means no items at all. */
static const char *items(const char *val, size_t len)
{
	static char buf[128];
	const char *cur = val, *item;
	size_t left = len, n, o = 0;

	buf[0] = '\0';
	while (kcmd_next_item(&cur, &left, &item, &n))
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "[%.*s]",
				      (int)n, item);
	if (kcmd_next_item(&cur, &left, &item, &n))
		return "item after the end";
	return buf;
}

static void test_next_item(void)
{
	T_STREQ(items("a,b", 3), "[a][b]", "a,b");
	T_STREQ(items("a,,b", 4), "[a][][b]", "a,,b keeps the empty item");
	T_STREQ(items("a,", 2), "[a][]", "trailing comma gives an empty item");
	T_STREQ(items(",a", 2), "[][a]", "leading comma gives an empty item");
	T_STREQ(items(",", 1), "[][]", "lone comma: two empty items");
	T_STREQ(items("", 0), "[]", "empty value: one empty item");
	T_STREQ(items(NULL, 0), "", "no value: no items");
	T_STREQ(items("10de:1b80,10de:10f0,x", 14), "[10de:1b80][10de]",
		"stops at val_len");
	T_STREQ(items("8086:1533", 9), "[8086:1533]", "single item");
}

/* The boot-loader readers shared by kcmdline and plan. */
static void test_kernelcmd(void)
{
	static const char text[] = "root=UUID=1 ro\n  # comment\n\tquiet  splash\n\n# x\nlast \n";
	const char *why = NULL;
	char *line = kernelcmd_line(text, sizeof(text) - 1, &why);

	T_STREQ(line, "root=UUID=1 ro quiet splash last",
		"kernelcmd: comment lines dropped, blank runs one space, as 90-loaderentry.install");
	free(line);
	line = kernelcmd_line("a\0b", 3, &why);
	T_OK(!line && why && strstr(why, "NUL"), "kernelcmd: NUL bytes refused");
}

static void test_grubenv(void)
{
	char block[1024], *v, *out;
	const char *why;
	int n = snprintf(block, sizeof(block), "%skernelopts=ro a\\\\b\nother=x\n", GRUBENV_SIG);

	memset(block + n, '#', sizeof(block) - (size_t)n);
	v = grubenv_get(block, sizeof(block), "kernelopts");
	T_STREQ(v, "ro a\\b", "grubenv: a value unescaped");
	free(v);
	T_OK(!grubenv_get(block, sizeof(block), "kernel"), "grubenv: a name prefix is not a match");
	T_OK(!grubenv_get("kernelopts=x\n", 13, "kernelopts"), "grubenv: no signature, no block");
	T_OK(grubenv_set(block, sizeof(block), "kernelopts", "ro q", 4, &out, &why) == 0 &&
	     !memcmp(out, GRUBENV_SIG "kernelopts=ro q\nother=x\n#", sizeof(GRUBENV_SIG) + 24) &&
	     out[1023] == '#', "grubenv: set keeps the order and the size");
	free(out);
	T_OK(grubenv_set(block, sizeof(block), "new", "1", 1, &out, &why) == 0 &&
	     (v = grubenv_get(out, sizeof(block), "new")) && !strcmp(v, "1"), "grubenv: set adds");
	free(out);
	free(v);
	T_OK(grubenv_set(block, 60, "kernelopts", "ro quiet splash xxxxxxxxxxxxxx", 30, &out, &why) < 0 &&
	     strstr(why, "fit"), "grubenv: a value past the block's size is refused");
	n = snprintf(block, sizeof(block), "%s# WARNING: Do not edit this file by tools other than "
		     "grub-editenv!!!\nsaved_entry=a-5.14\n", GRUBENV_SIG);
	memset(block + n, '#', sizeof(block) - (size_t)n);
	v = grubenv_get(block, sizeof(block), "saved_entry");
	T_STREQ(v, "a-5.14", "grubenv: Fedora's comment line is skipped, not taken for the padding");
	free(v);
	T_OK(grubenv_set(block, sizeof(block), "next_entry", "b", 1, &out, &why) == 0 &&
	     !memcmp(out + n, "next_entry=b\n#", 14) && out[1023] == '#',
	     "grubenv: set after a comment line adds at the end of the variables");
	free(out);
	T_STREQ(bls_refs_var("a $tuned_params", "kernelopts") ? "yes" : "no", "no",
		"bls: $tuned_params is not $kernelopts");
	T_STREQ(bls_refs_var("${kernelopts} b", "kernelopts") &&
		!bls_refs_var("$kerneloptsx", "kernelopts") ? "yes" : "no", "yes",
		"bls: ${kernelopts} named, $kerneloptsx not");
}

static void test_bls(void)
{
	static const char entry[] = "# c\ntitle  T x \nversion 6.1\noptions a=1 $kernelopts\t\n"
				    "options ${tuned}\n";
	char env[200], *text = strdup(entry), *o, *x;
	struct bls_entry e;
	const char *why;

	snprintf(env, sizeof(env), "%skernelopts=root=/dev/x ro\n", GRUBENV_SIG);
	T_OK(bls_parse(text, strlen(entry), "id", &e, &why) == 0 && e.n_options == 2 &&
	     e.title && !strcmp(e.title, "T x") && e.opt_line == 5, "bls: keys, values, options lines");
	o = bls_options(&e);
	T_STREQ(o, "a=1 $kernelopts ${tuned}", "bls: options lines joined by one space");
	x = bls_expand(o, env, strlen(env));
	T_STREQ(x, "a=1 root=/dev/x ro ", "bls: $NAME from grubenv, unset ${NAME} empty");
	free(o);
	free(x);
	bls_entry_free(&e);
	T_OK(bls_vercmp("6.11.4", "6.8.5") > 0 && bls_vercmp("6.1.0-10", "6.1.0-9") > 0 &&
	     bls_vercmp("a", "a") == 0, "bls: versions compare digit runs as numbers");
}

int main(void)
{
	test_table();
	test_unterminated_buffer();
	test_long_many_tokens();
	test_long_single_token();
	test_random_vs_model();
	test_name_eq();
	test_next_item();
	test_kernelcmd();
	test_grubenv();
	test_bls();
	return t_done();
}
