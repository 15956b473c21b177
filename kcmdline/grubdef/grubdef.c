// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>

#include "grubdef.h"
#include "shscan.h"

#define GRUB_VALUE_MAX (64 * 1024)	/* "$X$X" repeated must not grow without end */

struct gstr {
	char *p;
	size_t n, cap;
};

struct gsh {
	const char *s;
	size_t len, i;
	unsigned line;
	struct grub_vars *v;
	char why[96];
};

static int gs_add(struct gstr *b, const char *s, size_t n)
{
	if (b->n + n > GRUB_VALUE_MAX)
		return -1;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *grown = realloc(b->p, cap);

		if (!grown)
			return -1;
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
	return 0;
}

static int gsh_fail(struct gsh *p, const char *what, const char *name, size_t nlen)
{
	size_t n = strlen(what);

	if (nlen > 39)
		nlen = 39;
	memcpy(p->why, what, n);	/* what: a literal, shorter than why */
	memcpy(p->why + n, name, nlen);
	p->why[n + nlen] = '\0';
	return -1;
}

static int gsh_name_char(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

static size_t name_len(const struct gsh *p, size_t at)
{
	size_t n = 0;

	while (at + n < p->len && gsh_name_char(p->s[at + n], n == 0))
		n++;
	return n;
}

/* Where one of the two variables lives, or NULL for any other name. */
static char **var_slot(struct grub_vars *v, const char *name, size_t n)
{
	if (n == 18 && !memcmp(name, "GRUB_CMDLINE_LINUX", 18))
		return &v->lnx;
	if (n == 26 && !memcmp(name, "GRUB_CMDLINE_LINUX_DEFAULT", 26))
		return &v->dflt;
	return NULL;
}

static int expand(struct gsh *p, struct gstr *out)
{
	size_t at = p->i + 1, n;
	int braced = at < p->len && p->s[at] == '{';
	char **slot;

	if (at < p->len && p->s[at] == '(')
		return gsh_fail(p, "command substitution $(...)", "", 0);
	n = name_len(p, at + braced);
	if (!n) {
		if (braced)
			return gsh_fail(p, "an unsupported ${...} form", "", 0);
		p->i++;
		return gs_add(out, "$", 1);
	}
	if (braced && (at + 1 + n >= p->len || p->s[at + 1 + n] != '}'))
		return gsh_fail(p, "a ${...} operator on ", p->s + at + 1, n);
	slot = var_slot(p->v, p->s + at + braced, n);
	if (!slot)
		return gsh_fail(p, "the value of $", p->s + at + braced, n);
	p->i = at + braced + n + braced;
	return *slot ? gs_add(out, *slot, strlen(*slot)) : 0;
}

static int single_quoted(struct gsh *p, struct gstr *out)
{
	const char *end = memchr(p->s + p->i + 1, '\'', p->len - p->i - 1);
	size_t n;

	if (!end)
		return gsh_fail(p, "an unterminated single quote", "", 0);
	n = (size_t)(end - (p->s + p->i + 1));
	for (size_t k = 0; k < n; k++)
		p->line += p->s[p->i + 1 + k] == '\n';
	if (gs_add(out, p->s + p->i + 1, n))
		return -1;
	p->i += n + 2;
	return 0;
}

/* Backslash: inside "..." it escapes only $ ` " \ and newline. */
static int backslash(struct gsh *p, struct gstr *out, int in_dq)
{
	char next = p->i + 1 < p->len ? p->s[p->i + 1] : '\0';

	if (next == '\n') {
		p->line++;
		p->i += 2;
		return 0;
	}
	if (!next)
		return gsh_fail(p, "a trailing backslash", "", 0);
	if (in_dq && !strchr("$`\"\\", next)) {
		p->i++;
		return gs_add(out, "\\", 1);
	}
	p->i += 2;
	return gs_add(out, &next, 1);
}

static int double_quoted(struct gsh *p, struct gstr *out)
{
	unsigned opened = p->line;

	for (p->i++; p->i < p->len;) {
		char c = p->s[p->i];
		int r = 0;

		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c == '`')
			return gsh_fail(p, "command substitution `...`", "", 0);
		if (c == '\\')
			r = backslash(p, out, 1);
		else if (c == '$')
			r = expand(p, out);
		else {
			p->line += c == '\n';
			r = gs_add(out, &c, 1);
			p->i++;
		}
		if (r)
			return r;
	}
	p->line = opened;
	return gsh_fail(p, "an unterminated double quote", "", 0);
}

static int word(struct gsh *p, struct gstr *out)
{
	while (p->i < p->len && !strchr(" \t\n;&|<>()", p->s[p->i])) {
		char c = p->s[p->i];
		int r;

		if (c == '\'')
			r = single_quoted(p, out);
		else if (c == '"')
			r = double_quoted(p, out);
		else if (c == '\\')
			r = backslash(p, out, 0);
		else if (c == '$')
			r = expand(p, out);
		else if (c == '`')
			r = gsh_fail(p, "command substitution `...`", "", 0);
		else {
			r = gs_add(out, &c, 1);
			p->i++;
		}
		if (r)
			return r;
	}
	return 0;
}

static int assign(struct gsh *p, char **slot)
{
	struct gstr val = { NULL, 0, 0 };

	if (word(p, &val) || gs_add(&val, "", 0)) {
		free(val.p);
		return -1;
	}
	free(*slot);
	*slot = val.p;
	return 0;
}

/* Any other command: up to the end of its line, past quoted text. */
static void skip_command(struct gsh *p)
{
	char quote = 0;

	for (; p->i < p->len; p->i++) {
		char c = p->s[p->i];

		if (quote) {
			if (c == '\\' && quote == '"' && p->i + 1 < p->len)
				p->line += p->s[++p->i] == '\n';
			else if (c == quote)
				quote = 0;
			else
				p->line += c == '\n';
		} else if (c == '\'' || c == '"') {
			quote = c;
		} else if (c == '\\' && p->i + 1 < p->len) {
			p->line += p->s[++p->i] == '\n';
		} else if (c == '#' && (p->s[p->i - 1] == ' ' || p->s[p->i - 1] == '\t')) {
			while (p->i + 1 < p->len && p->s[p->i + 1] != '\n')
				p->i++;
		} else if (c == '\n' || c == ';') {
			return;
		}
	}
}

static int statement(struct gsh *p)
{
	size_t n = name_len(p, p->i);
	char **slot;

	if (n == 6 && !memcmp(p->s + p->i, "export", 6) && p->i + 6 < p->len &&
	    (p->s[p->i + 6] == ' ' || p->s[p->i + 6] == '\t')) {
		p->i += 6;
		while (p->i < p->len && (p->s[p->i] == ' ' || p->s[p->i] == '\t'))
			p->i++;
		n = name_len(p, p->i);
	}
	slot = var_slot(p->v, p->s + p->i, n);
	if (slot && p->i + n < p->len && p->s[p->i + n] == '=') {
		p->i += n + 1;
		return assign(p, slot);
	}
	skip_command(p);
	return 0;
}

int grubdef_apply(struct grub_vars *v, const char *text, size_t len, const char **why,
		  unsigned *line)
{
	static struct gsh p;	/* *why points into it */

	*why = grubdef_shape(text, len, line);
	if (*why)
		return GRUBDEF_SHAPE;
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.len = len;
	p.line = 1;
	p.v = v;
	while (p.i < p.len) {
		char c = p.s[p.i];

		if (c == ' ' || c == '\t' || c == ';' || c == '\n') {
			p.line += c == '\n';
			p.i++;
		} else if (c == '#') {
			while (p.i < p.len && p.s[p.i] != '\n')
				p.i++;
		} else if (statement(&p)) {
			*why = p.why[0] ? p.why : "a value over 64 KiB (or out of memory)";
			*line = p.line;
			return GRUBDEF_UNFOLLOWED;
		}
	}
	return 0;
}

const char *grubdef_shape(const char *text, size_t len, unsigned *line)
{
	static char problem[96];	/* sh_scan's text outlives its scan */
	struct sh_scan sc;
	const char *why = NULL;

	if (memchr(text, '\0', len)) {
		*line = 0;
		return "the file has NUL bytes";
	}
	sh_scan(text, len, "", &sc);
	if (sc.problem) {
		strncpy(problem, sc.problem, sizeof(problem) - 1);
		why = problem;
		*line = sc.problem_line;
	}
	sh_scan_free(&sc);
	return why;
}

char *grubdef_cmdline(const struct grub_vars *v)
{
	const char *a = v->lnx ? v->lnx : "", *b = v->dflt ? v->dflt : "";
	size_t na = strlen(a), nb = strlen(b);
	char *line = malloc(na + nb + 2), *at = line;

	if (!line)
		return NULL;
	memcpy(at, a, na);
	at += na;
	if (na && nb)
		*at++ = ' ';
	memcpy(at, b, nb + 1);
	return line;
}

void grubdef_free(struct grub_vars *v)
{
	free(v->lnx);
	free(v->dflt);
	v->lnx = v->dflt = NULL;
}
