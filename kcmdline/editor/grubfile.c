/* SPDX-License-Identifier: MIT */
#include <err.h>
#include <string.h>

#include "grubdef.h"
#include "grubfile.h"
#include "note.h"
#include "shscan.h"

/* Bytes that mean the same to the shell unquoted and inside "...". */
static int bare_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("_-.,:/=+@%^", c));
}

static int is_eol(const char *s, size_t len, size_t i)
{
	return i == len || s[i] == '\n' ||
	       (s[i] == '\r' && (i + 1 == len || s[i + 1] == '\n'));
}

/* End of the "..." word opening at s[i], or 0 with *why. */
static size_t scan_double(const char *s, size_t len, size_t i,
			  const char **why)
{
	for (i++; i < len; i++) {
		if (s[i] == '"')
			return i + 1;
		if (s[i] == '\n' || (s[i] == '\\' && i + 1 < len &&
				     s[i + 1] == '\n')) {
			*why = "the value spans several lines";
			return 0;
		}
		if (s[i] == '$' || s[i] == '`') {
			*why = "the value is built by $ or ` expansion";
			return 0;
		}
		if (s[i] == '\\')
			i++;
	}
	*why = "the value's quote is not closed";
	return 0;
}

static size_t scan_single(const char *s, size_t len, size_t i,
			  const char **why)
{
	for (i++; i < len; i++) {
		if (s[i] == '\'')
			return i + 1;
		if (s[i] == '\n') {
			*why = "the value spans several lines";
			return 0;
		}
	}
	*why = "the value's quote is not closed";
	return 0;
}

static size_t scan_bare(const char *s, size_t len, size_t i,
			const char **why)
{
	for (; !is_eol(s, len, i) && !sh_is_blank(s[i]); i++) {
		if (!bare_ok(s[i])) {
			*why = "the unquoted value has a byte the shell "
			       "treats specially (or mixes quoting styles)";
			return 0;
		}
	}
	return i;
}

/* After the value: blanks, then a comment or the end of the line. */
static const char *check_rest(const char *s, size_t len, size_t i)
{
	if (!is_eol(s, len, i) && !sh_is_blank(s[i]))
		return bare_ok(s[i]) || s[i] == '"' || s[i] == '\''
			       ? "the value mixes quoting styles"
			       : "more shell code follows the value";
	while (i < len && sh_is_blank(s[i]))
		i++;
	if (i < len && s[i] == '#')
		return NULL;
	return is_eol(s, len, i) ? NULL : "more shell code follows the value";
}

static void decode(const char *w, size_t n, enum sh_quote q, struct buf *out)
{
	size_t i;

	if (q == QUOTE_NONE) {
		buf_add(out, w, n);
		return;
	}
	for (i = 1; i + 1 < n; i++) {
		if (q == QUOTE_DOUBLE && w[i] == '\\' && i + 2 < n &&
		    strchr("$`\"\\", w[i + 1]))
			i++;
		buf_addc(out, w[i]);
	}
}

/* The word for VAL in quoting style Q, or -1 if Q cannot carry it. */
static int encode(const char *v, size_t n, enum sh_quote q, struct buf *out)
{
	size_t i;

	if (memchr(v, '\n', n))
		return -1;
	if (q == QUOTE_NONE) {
		for (i = 0; i < n; i++)
			if (!bare_ok(v[i]))
				return -1;
		buf_add(out, v, n);
		return 0;
	}
	if (q == QUOTE_SINGLE && memchr(v, '\'', n))
		return -1;
	buf_addc(out, q == QUOTE_SINGLE ? '\'' : '"');
	for (i = 0; i < n; i++) {
		if (q == QUOTE_DOUBLE && strchr("$`\"\\", v[i]))
			buf_addc(out, '\\');
		buf_addc(out, v[i]);
	}
	buf_addc(out, q == QUOTE_SINGLE ? '\'' : '"');
	return 0;
}

/* The value must read back to the same bytes we would write for it. */
static const char *check_round_trip(const char *file,
				    const struct grub_assign *a)
{
	struct buf val = { 0 }, again = { 0 };
	size_t n = a->value_end - a->value_start;
	int same;

	grub_value(file, a, &val);
	same = encode(buf_str(&val), val.len, a->quote, &again) == 0 &&
	       again.len == n && !memcmp(again.p, file + a->value_start, n);
	buf_free(&val);
	buf_free(&again);
	return same ? NULL : "the value is quoted in a way kcmdline would not "
			     "write back byte-for-byte (e.g. a needless '\\')";
}

/* The assignment whose value starts at file[i]. */
static const char *parse_value(const char *file, size_t len, size_t i,
			       struct grub_assign *a)
{
	const char *why = NULL;
	size_t end;

	a->value_start = i;
	a->quote = i < len && file[i] == '"'    ? QUOTE_DOUBLE :
		   i < len && file[i] == '\'' ? QUOTE_SINGLE : QUOTE_NONE;
	if (a->quote == QUOTE_DOUBLE)
		end = scan_double(file, len, i, &why);
	else if (a->quote == QUOTE_SINGLE)
		end = scan_single(file, len, i, &why);
	else
		end = scan_bare(file, len, i, &why);
	if (why)
		return why;
	a->value_end = end;
	why = check_rest(file, len, end);
	return why ? why : check_round_trip(file, a);
}

static const char *find_in_scan(const char *file, size_t len,
				const char *var, const struct sh_scan *sc,
				struct grub_assign *a, unsigned *line)
{
	size_t k, after;
	const char *why;

	for (k = 0; k < sc->n; k++) {
		*line = sc->v[k].line;
		after = sc->v[k].off + strlen(var);
		if (!sc->v[k].first_word || after >= len || file[after] != '=')
			return "only a plain NAME=value line can be edited";
		if (a->found)
			return "the variable is assigned more than once";
		a->found = 1;
		a->line = *line;
		why = parse_value(file, len, after + 1, a);
		if (why)
			return why;
	}
	return NULL;
}

/* Why FILE cannot be edited (and at which line), or NULL. */
static const char *find_assignment(const char *file, size_t len,
				   const char *var, struct grub_assign *a,
				   unsigned *line)
{
	struct sh_scan sc;
	const char *why;

	memset(a, 0, sizeof(*a));
	*line = 0;
	why = grubdef_shape(file, len, line);
	if (why)
		return why;
	sh_scan(file, len, var, &sc);
	why = sc.problem ? sc.problem : find_in_scan(file, len, var, &sc, a, line);
	sh_scan_free(&sc);
	return why;
}

int grub_find(const char *file, size_t len, const char *var,
	      const char *path, struct grub_assign *a)
{
	unsigned line = 0;
	const char *why = grubdef_shape(file, len, &line);

	if (why) {
		warnx(GRUBDEF_SHAPE_MSG, path, line, why);
		warnx("refusing to edit %s; edit the file by hand", var);
		return -1;
	}
	why = find_assignment(file, len, var, a, &line);
	if (!why)
		return 0;
	warnx("%s:%u: refusing to edit %s: %s; edit the file by hand",
	      path, line, var, why);
	return -1;
}

void grub_value(const char *file, const struct grub_assign *a,
		struct buf *out)
{
	if (a->found)
		decode(file + a->value_start, a->value_end - a->value_start,
		       a->quote, out);
}

static const char *file_eol(const char *file, size_t len)
{
	const char *nl = memchr(file, '\n', len);

	return nl && nl > file && nl[-1] == '\r' ? "\r\n" : "\n";
}

static int append_assignment(const char *file, size_t len, const char *var,
			     const struct buf *val, struct buf *out)
{
	const char *eol = file_eol(file, len);

	buf_add(out, file, len);
	if (len && file[len - 1] != '\n')
		buf_adds(out, eol);
	buf_adds(out, var);
	buf_addc(out, '=');
	if (encode(buf_str(val), val->len, QUOTE_DOUBLE, out) < 0) {
		warnx("the new value cannot be written to a shell file");
		return -1;
	}
	buf_adds(out, eol);
	return 0;
}

static int render_value(const char *file, size_t len,
			const struct grub_assign *a, const struct buf *val,
			struct buf *out)
{
	struct buf word = { 0 };
	int rc = encode(buf_str(val), val->len, a->quote, &word);

	if (rc < 0 && a->quote == QUOTE_NONE) {
		buf_free(&word);
		rc = encode(buf_str(val), val->len, QUOTE_DOUBLE, &word);
		if (!rc)
			note("the value now needs quotes; using \"...\"");
	}
	if (rc < 0)
		warnx("the new value cannot be written %s",
		      a->quote == QUOTE_SINGLE ? "inside '...'"
					       : "to a shell file");
	buf_add(out, file, a->value_start);
	buf_add(out, word.p, word.len);
	buf_add(out, file + a->value_end, len - a->value_end);
	buf_free(&word);
	return rc;
}

/* Belt and braces: the new file must give VAL back, by the same rules. */
static int reads_back(const struct buf *out, const char *var,
		      const struct buf *val)
{
	struct grub_assign a;
	struct buf got = { 0 };
	unsigned line;
	int same = 0;

	if (!find_assignment(buf_str(out), out->len, var, &a, &line) &&
	    a.found) {
		grub_value(buf_str(out), &a, &got);
		same = got.len == val->len &&
		       !memcmp(buf_str(&got), buf_str(val), val->len);
	}
	buf_free(&got);
	if (!same)
		warnx("the edited file would not read back as intended "
		      "(a line continuation at its end?); not writing it");
	return same ? 0 : -1;
}

int grub_render(const char *file, size_t len, const char *var,
		const struct grub_assign *a, const struct buf *val,
		struct buf *out)
{
	int rc = a->found ? render_value(file, len, a, val, out)
			  : append_assignment(file, len, var, val, out);

	return rc ? rc : reads_back(out, var, val);
}

static const char *token_problem(const char *tok, size_t n)
{
	size_t i, quotes = 0;
	const char *eq = memchr(tok, '=', n);

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tok[i];

		if (c < 0x20 || c >= 0x7f)
			return "only printable ASCII passes through GRUB as is";
		if (strchr("$`\\';&|<>{}#", c))
			return "the shell or GRUB's grub.cfg parser would "
			       "interpret one of $ ` \\ ' ; & | < > { } #";
		quotes += c == '"';
	}
	if (!quotes)
		return NULL;
	if (quotes == 2 && tok[n - 1] == '"' &&
	    (tok[0] == '"' || (eq && eq[1] == '"')))
		return NULL;
	return "GRUB removes '\"' everywhere; only quotes around the whole "
	       "value or the whole parameter keep their meaning";
}

int grub_token_ok(const char *tok, size_t n)
{
	const char *why = token_problem(tok, n);

	if (why)
		warnx("cannot write '%.*s' to a GRUB settings file: %s",
		      (int)n, tok, why);
	return !why;
}

int grub_uses(const char *file, size_t len, const char *var)
{
	struct sh_scan sc;
	int used;

	sh_scan(file, len, var, &sc);
	used = sc.n > 0;
	sh_scan_free(&sc);
	return used;
}
