/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "shscan.h"

enum sh_state { SH_CMD, SH_SQUOTE, SH_DQUOTE, SH_BACKTICK };

#define SH_MAX_DEPTH 16

struct frame {
	enum sh_state st;
	int parens;		/* open '(' inside a command frame */
	unsigned line;		/* where it opened */
};

struct lexer {
	const char *s;
	size_t len, i;
	unsigned line;
	const char *var;
	size_t var_len;
	struct frame stack[SH_MAX_DEPTH];
	int depth;
	struct sh_scan *sc;
};

int sh_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int sh_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

static void problem(struct lexer *lx, const char *why)
{
	if (!lx->sc->problem) {
		lx->sc->problem = why;
		lx->sc->problem_line = lx->line;
	}
}

static void push(struct lexer *lx, enum sh_state st)
{
	if (lx->depth == SH_MAX_DEPTH) {
		problem(lx, "quotes and substitutions nest too deep");
		return;
	}
	lx->stack[lx->depth].st = st;
	lx->stack[lx->depth].parens = 0;
	lx->stack[lx->depth].line = lx->line;
	lx->depth++;
}

static void pop(struct lexer *lx)
{
	if (lx->depth > 1)
		lx->depth--;
}

static void record_use(struct lexer *lx, int first_word)
{
	struct sh_scan *sc = lx->sc;
	struct sh_use *v;

	if (sc->n == sc->cap) {
		v = realloc(sc->v, (sc->cap ? sc->cap * 2 : 8) * sizeof(*v));
		if (!v) {
			problem(lx, "out of memory");
			return;
		}
		sc->v = v;
		sc->cap = sc->cap ? sc->cap * 2 : 8;
	}
	sc->v[sc->n].off = lx->i;
	sc->v[sc->n].line = lx->line;
	sc->v[sc->n].first_word = first_word;
	sc->n++;
}

/* The variable's name as a whole word at the current position. */
static int at_var(const struct lexer *lx)
{
	size_t i = lx->i, end = i + lx->var_len;

	if (!lx->var_len)
		return 0;
	if (i > 0 && sh_name_char(lx->s[i - 1]))
		return 0;
	if (end > lx->len || memcmp(lx->s + i, lx->var, lx->var_len))
		return 0;
	return end == lx->len || !sh_name_char(lx->s[end]);
}

/* $NAME or ${NAME: inside quotes only an expansion uses the variable. */
static int after_dollar(const struct lexer *lx)
{
	size_t i = lx->i;

	return (i >= 1 && lx->s[i - 1] == '$') ||
	       (i >= 2 && lx->s[i - 1] == '{' && lx->s[i - 2] == '$');
}

static int word_is(const char *s, size_t len, const char *w)
{
	size_t n = strlen(w);

	return len >= n && !memcmp(s, w, n) &&
	       (len == n || !sh_name_char(s[n]));
}

/* A line that opens or closes a compound command or function body. */
static int starts_control_flow(const char *s, size_t len)
{
	static const char *const words[] = {
		"if", "then", "else", "elif", "fi", "case", "esac", "for",
		"while", "until", "do", "done", "function", "select",
	};
	size_t k;

	if (len && strchr("{}()", s[0]))
		return 1;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (word_is(s, len, words[k]))
			return 1;
	return 0;
}

/* NAME() or NAME () opens a function definition. */
static int defines_function(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && sh_name_char(p[i]))
		i++;
	if (!i)
		return 0;
	while (i < len && sh_is_blank(p[i]))
		i++;
	return i + 1 < len && p[i] == '(' && p[i + 1] == ')';
}

/*
 * At the first non-blank byte of a top-level line: flag what we cannot
 * follow, and take a use of the variable there (its length, else 0).
 */
static size_t line_start(struct lexer *lx)
{
	const char *p = lx->s + lx->i;
	size_t left = lx->len - lx->i;

	if (starts_control_flow(p, left))
		problem(lx, "the file uses shell control flow "
			    "(if, case, loops, { }, subshells)");
	if (defines_function(p, left))
		problem(lx, "the file defines a shell function");
	if (!at_var(lx))
		return 0;
	record_use(lx, 1);
	return lx->var_len;
}

static int word_start(const struct lexer *lx)
{
	return lx->i == 0 || strchr(" \t\n;&|()", lx->s[lx->i - 1]);
}

static void skip_comment(struct lexer *lx)
{
	const char *eol = memchr(lx->s + lx->i, '\n', lx->len - lx->i);

	lx->i = eol ? (size_t)(eol - lx->s) : lx->len;
}

static int next_is(const struct lexer *lx, char c)
{
	return lx->i + 1 < lx->len && lx->s[lx->i + 1] == c;
}

/* A backslash takes the next byte, a newline included (continuation). */
static void skip_escaped(struct lexer *lx)
{
	lx->i += lx->i + 1 < lx->len ? 2 : 1;
}

/* One byte (or escape) in a command frame; returns 1 at a new line. */
static int step_cmd(struct lexer *lx, struct frame *f)
{
	char c = lx->s[lx->i];

	if (c == '#' && word_start(lx)) {
		skip_comment(lx);
		return 0;
	}
	if (c == '\\') {
		skip_escaped(lx);
		return 0;
	}
	if (c == '$' && next_is(lx, '(')) {
		lx->i += 2;
		push(lx, SH_CMD);
		return 0;
	}
	if (c == '<' && next_is(lx, '<'))
		problem(lx, "the file uses a here-document");
	if ((c == '&' || c == '|') && next_is(lx, c) && lx->depth == 1)
		problem(lx, "the file uses shell control flow (&& or ||)");
	if (c == '\'')
		push(lx, SH_SQUOTE);
	else if (c == '"')
		push(lx, SH_DQUOTE);
	else if (c == '`')
		push(lx, SH_BACKTICK);
	else if (c == '(')
		f->parens++;
	else if (c == ')' && f->parens)
		f->parens--;
	else if (c == ')')
		pop(lx);
	else if (at_var(lx))
		record_use(lx, 0);
	lx->i++;
	return c == '\n' && lx->depth == 1;
}

static void step_quoted(struct lexer *lx, enum sh_state st)
{
	char c = lx->s[lx->i];

	if (st == SH_SQUOTE) {
		if (c == '\'')
			pop(lx);
	} else if (c == '\\') {
		skip_escaped(lx);
		return;
	} else if ((st == SH_DQUOTE && c == '"') ||
		   (st == SH_BACKTICK && c == '`')) {
		pop(lx);
	} else if (st == SH_DQUOTE && c == '`') {
		push(lx, SH_BACKTICK);
	} else if (st == SH_DQUOTE && c == '$' && next_is(lx, '(')) {
		lx->i += 2;
		push(lx, SH_CMD);
		return;
	} else if (at_var(lx) && after_dollar(lx)) {
		record_use(lx, 0);
	}
	lx->i++;
}

void sh_scan(const char *s, size_t len, const char *var, struct sh_scan *sc)
{
	struct lexer lx = { .s = s, .len = len, .line = 1, .var = var,
			    .var_len = strlen(var), .depth = 1, .sc = sc };
	int bol = 1;

	memset(sc, 0, sizeof(*sc));
	lx.stack[0].st = SH_CMD;
	while (lx.i < len) {
		struct frame *f = &lx.stack[lx.depth - 1];
		size_t at = lx.i;

		if (bol && sh_is_blank(s[lx.i])) {
			lx.i++;
			continue;
		}
		if (bol && s[lx.i] != '\n')
			lx.i += line_start(&lx);
		bol = 0;
		if (lx.i > at)
			continue;
		if (f->st == SH_CMD)
			bol = step_cmd(&lx, f);
		else
			step_quoted(&lx, f->st);
		for (; at < lx.i; at++)
			lx.line += s[at] == '\n';
	}
	if (lx.depth != 1) {
		lx.line = lx.stack[1].line;
		problem(&lx, "a quote or substitution opened here is never "
			     "closed");
	}
}

void sh_scan_free(struct sh_scan *sc)
{
	free(sc->v);
	memset(sc, 0, sizeof(*sc));
}
