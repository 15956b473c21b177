/* SPDX-License-Identifier: MIT */
/*
 * The kernel's command-line tokenizer (lib/cmdline.c next_arg(), as driven
 * by kernel/params.c parse_args()), redone as read-only (pointer, length)
 * views.  Where the kernel writes a NUL into its copy of the line, we
 * shorten a view instead; the resulting strings are byte-for-byte the ones
 * the kernel hands to its parameter handlers.
 */
#include <string.h>

#include "kcmdline.h"

/* lib/ctype.c: _S is set for \t \n \v \f \r, space and Latin-1 NBSP. */
static int kspace(char c)
{
	unsigned char u = (unsigned char)c;

	return (u >= '\t' && u <= '\r') || u == ' ' || u == 0xA0;
}

static const char *skip_spaces(const char *p, const char *end)
{
	while (p < end && kspace(*p))
		p++;
	return p;
}

void kcmd_iter_init(struct kcmd_iter *it, const char *line, size_t len)
{
	const char *nul;

	if (!line || !len) {
		it->pos = it->end = line;
		return;
	}
	nul = memchr(line, '\0', len);
	it->end = nul ? nul : line + len;
	it->pos = skip_spaces(line, it->end);
}

/* Token length: whitespace ends it unless inside quotes. */
static size_t token_len(const char *s, const char *end, int in_quote,
			size_t *equals)
{
	size_t i;

	*equals = 0;
	for (i = 0; s + i < end; i++) {
		if (kspace(s[i]) && !in_quote)
			break;
		/* An '=' at index 0 leaves equals at 0, i.e. "not found". */
		if (*equals == 0 && s[i] == '=')
			*equals = i;
		if (s[i] == '"')
			in_quote = !in_quote;
	}
	return i;
}

/*
 * s[0..n) is the token without its opening quote, if it had one.  The
 * kernel drops a closing quote (s[n-1] == '"') when the whole token was
 * quoted or when the value opened with a quote; the value can thus end up
 * empty when its only byte was that quote.
 */
static void split_token(const char *s, size_t n, size_t equals, int quoted,
			struct kcmd_param *p)
{
	const char *v, *vend;
	int ends_in_quote = n > 0 && s[n - 1] == '"';
	int drop_closing = quoted;

	p->name = s;
	if (!equals) {
		p->name_len = quoted && ends_in_quote ? n - 1 : n;
		p->val = NULL;
		p->val_len = 0;
		return;
	}
	p->name_len = equals;
	v = s + equals + 1;
	vend = s + n;
	if (v < vend && *v == '"') {
		v++;
		drop_closing = 1;
	}
	if (drop_closing && ends_in_quote)
		vend = s + n - 1;
	p->val = v;
	p->val_len = vend > v ? (size_t)(vend - v) : 0;
}

static int is_dashdash(const struct kcmd_param *p)
{
	return !p->val && p->name_len == 2 && p->name[0] == '-' &&
	       p->name[1] == '-';
}

int kcmd_next(struct kcmd_iter *it, struct kcmd_param *p)
{
	const char *s = it->pos;
	size_t n, equals;
	int quoted;

	if (s >= it->end)
		return 0;
	quoted = *s == '"';
	s += quoted;
	n = token_len(s, it->end, quoted, &equals);
	split_token(s, n, equals, quoted, p);
	it->pos = skip_spaces(s + n, it->end);
	if (is_dashdash(p)) {
		it->pos = it->end;
		return 0;
	}
	return 1;
}

static char dash_to_underscore(char c)
{
	return c == '-' ? '_' : c;
}

int kcmd_name_eq(const char *name, size_t name_len, const char *key)
{
	size_t i;

	for (i = 0; i < name_len; i++) {
		if (!key[i] ||
		    dash_to_underscore(name[i]) != dash_to_underscore(key[i]))
			return 0;
	}
	return key[name_len] == '\0';
}

int kcmd_next_item(const char **cursor, size_t *left,
		   const char **item, size_t *item_len)
{
	const char *comma;

	if (!*cursor)
		return 0;
	*item = *cursor;
	comma = *left ? memchr(*cursor, ',', *left) : NULL;
	if (!comma) {
		*item_len = *left;
		*cursor = NULL;
		*left = 0;
		return 1;
	}
	*item_len = (size_t)(comma - *cursor);
	*cursor = comma + 1;
	*left -= *item_len + 1;
	return 1;
}
