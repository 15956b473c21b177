// SPDX-License-Identifier: MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "blsentry.h"
#include "grubenv.h"
#include "slurp.h"

#define BLS_ENTRY_MAX (1u << 20)
#define BLS_NAME_MAX 255

static int bls_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char *bls_dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int bls_key_is(const char *k, size_t n, const char *word)
{
	return n == strlen(word) && !memcmp(k, word, n);
}

/* One "KEY VALUE" line [s, eol). */
static void bls_parse_line(struct bls_entry *e, const char *s, const char *eol, unsigned line)
{
	const char *k, *v, *ve;
	size_t kn;

	while (s < eol && bls_blank(*s))
		s++;
	if (s == eol || *s == '#')
		return;
	for (k = s; s < eol && !bls_blank(*s); s++)
		;
	kn = (size_t)(s - k);
	for (v = s; v < eol && bls_blank(*v); v++)
		;
	for (ve = eol; ve > v && (bls_blank(ve[-1]) || ve[-1] == '\r'); ve--)
		;
	if (bls_key_is(k, kn, "options")) {
		e->n_options++;
		e->opt_start = (size_t)(v - e->text);
		e->opt_end = (size_t)(ve - e->text);
		e->opt_line = line;
	} else if (bls_key_is(k, kn, "title") && !e->title) {
		e->title = bls_dup(v, (size_t)(ve - v));
	} else if (bls_key_is(k, kn, "version") && !e->version) {
		e->version = bls_dup(v, (size_t)(ve - v));
	} else if (bls_key_is(k, kn, "sort-key") && !e->sort_key) {
		e->sort_key = bls_dup(v, (size_t)(ve - v));
	}
}

int bls_parse(char *text, size_t len, const char *id, struct bls_entry *e, const char **why)
{
	const char *s = text, *end = text + len, *eol;
	unsigned line = 1;

	memset(e, 0, sizeof(*e));
	e->text = text;
	e->len = len;
	e->id = bls_dup(id, strlen(id));
	if (memchr(text, '\0', len)) {
		*why = "the file has NUL bytes";
		return -1;
	}
	for (; s < end; s = eol + 1, line++) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		bls_parse_line(e, s, eol, line);
	}
	return 0;
}

void bls_entry_free(struct bls_entry *e)
{
	free(e->id);
	free(e->text);
	free(e->title);
	free(e->version);
	free(e->sort_key);
	memset(e, 0, sizeof(*e));
}

/* Every options value in order: the same walk as bls_parse. */
char *bls_options(const struct bls_entry *e)
{
	const char *s = e->text, *end = e->text + e->len, *eol;
	char *out = malloc(e->len + 1), *at = out;
	struct bls_entry one;

	if (!out)
		return NULL;
	for (; s < end; s = eol + 1) {
		eol = memchr(s, '\n', (size_t)(end - s));
		if (!eol)
			eol = end;
		memset(&one, 0, sizeof(one));
		one.text = e->text;
		bls_parse_line(&one, s, eol, 1);
		if (one.n_options) {
			if (at > out)
				*at++ = ' ';
			memcpy(at, e->text + one.opt_start, one.opt_end - one.opt_start);
			at += one.opt_end - one.opt_start;
		}
		free(one.title);
		free(one.version);
		free(one.sort_key);
	}
	*at = '\0';
	return out;
}

int bls_refs_env(const char *opts)
{
	return strchr(opts, '$') != NULL;
}

static int bls_name_char(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && c >= '0' && c <= '9');
}

/* The variable reference at s ("$NAME" or "${NAME}"): its length, and the
 * name in *name (n bytes); 0 if none starts here. */
static size_t bls_var_ref(const char *s, const char **name, size_t *n)
{
	int braced = s[1] == '{';
	const char *p = s + 1 + braced;

	for (*n = 0; bls_name_char(p[*n], *n == 0); ++*n)
		;
	*name = p;
	if (!*n || (braced && p[*n] != '}'))
		return 0;
	return 1 + (size_t)braced + *n + (size_t)braced;
}

char *bls_expand(const char *opts, const char *env, size_t env_len)
{
	size_t cap = strlen(opts) + 1 + env_len, n = 0, ref, nl;
	char *out = malloc(cap), *val, key[128];
	const char *name;

	if (!out)
		return NULL;
	for (const char *s = opts; *s;) {
		ref = *s == '$' ? bls_var_ref(s, &name, &nl) : 0;
		if (!ref || nl >= sizeof(key)) {
			out[n++] = *s++;
			continue;
		}
		memcpy(key, name, nl);
		key[nl] = '\0';
		val = env ? grubenv_get(env, env_len, key) : NULL;
		if (val && n + strlen(val) + strlen(s) + 1 > cap) {
			char *grown = realloc(out, cap = n + strlen(val) + strlen(s) + 1);

			if (!grown) {
				free(val);
				free(out);
				return NULL;
			}
			out = grown;
		}
		if (val)
			memcpy(out + n, val, strlen(val));
		n += val ? strlen(val) : 0;
		free(val);
		s += ref;
	}
	out[n] = '\0';
	return out;
}

int bls_refs_var(const char *opts, const char *name)
{
	const char *var;
	size_t n;

	for (const char *s = strchr(opts, '$'); s; s = strchr(s + 1, '$'))
		if (bls_var_ref(s, &var, &n) && n == strlen(name) && !memcmp(var, name, n))
			return 1;
	return 0;
}

int bls_is_rescue(const struct bls_entry *e)
{
	return strstr(e->id, "rescue") != NULL;
}

/* Digit runs compare as numbers, everything else byte by byte. */
int bls_vercmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
			size_t na, nb;

			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			for (na = 0; a[na] >= '0' && a[na] <= '9'; na++)
				;
			for (nb = 0; b[nb] >= '0' && b[nb] <= '9'; nb++)
				;
			if (na != nb)
				return na < nb ? -1 : 1;
			int c = memcmp(a, b, na);

			if (c)
				return c < 0 ? -1 : 1;
			a += na;
			b += nb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* Menu order: entries with a sort-key first (ascending), then newer
 * versions first, then names in descending version order. */
static int bls_menu_order(const void *pa, const void *pb)
{
	const struct bls_entry *a = pa, *b = pb;
	int c;

	if (!a->sort_key != !b->sort_key)
		return a->sort_key ? -1 : 1;
	if (a->sort_key && (c = strcmp(a->sort_key, b->sort_key)))
		return c;
	if (a->version && b->version && (c = bls_vercmp(a->version, b->version)))
		return -c;
	return -bls_vercmp(a->id, b->id);
}

static int bls_conf_name(const char *name, size_t *stem)
{
	size_t n = strlen(name);

	*stem = n > 5 ? n - 5 : 0;
	return n > 5 && name[0] != '.' && !strcmp(name + n - 5, ".conf") && n < BLS_NAME_MAX;
}

static int bls_add_entry(struct bls_list *l, size_t *cap, int dirfd, const char *name, size_t stem)
{
	char *text, id[BLS_NAME_MAX + 1];
	const char *why;
	size_t len;
	int r = slurp_at(dirfd, name, BLS_ENTRY_MAX, &text, &len);

	if (r < 0)
		return r;
	if (l->n == *cap) {
		struct bls_entry *grown = realloc(l->v, (*cap = *cap ? 2 * *cap : 8) * sizeof(*l->v));

		if (!grown) {
			free(text);
			return -ENOMEM;
		}
		l->v = grown;
	}
	memcpy(id, name, stem);
	id[stem] = '\0';
	if (bls_parse(text, len, id, &l->v[l->n], &why) < 0) {
		bls_entry_free(&l->v[l->n]);
		return -EINVAL;
	}
	l->n++;
	return 0;
}

int bls_list_read(const char *dir, struct bls_list *l, int *unreadable)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0, stem;

	l->v = NULL;
	l->n = 0;
	*unreadable = 0;
	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (bls_conf_name(de->d_name, &stem) && bls_add_entry(l, &cap, dirfd(d), de->d_name, stem))
			++*unreadable;
	closedir(d);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), bls_menu_order);
	return 0;
}

void bls_list_free(struct bls_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		bls_entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int bls_matches(const struct bls_entry *e, const char *pattern)
{
	char file[BLS_NAME_MAX + 6];
	size_t n = strlen(e->id);

	if (!fnmatch(pattern, e->id, 0))
		return 1;
	if (n + 6 > sizeof(file))
		return 0;
	memcpy(file, e->id, n);
	memcpy(file + n, ".conf", 6);
	return !fnmatch(pattern, file, 0);
}

int bls_find(const struct bls_list *l, const char *pattern)
{
	for (size_t i = 0; i < l->n; i++)
		if (bls_matches(&l->v[i], pattern))
			return (int)i;
	return -1;
}

int bls_default(const struct bls_list *l, const char *saved, const char *pattern)
{
	size_t i;

	for (i = 0; saved && *saved && i < l->n; i++)
		if (!strcmp(l->v[i].id, saved))
			return (int)i;
	for (i = 0; pattern && *pattern && i < l->n; i++)
		if (bls_matches(&l->v[i], pattern))
			return (int)i;
	for (i = 0; i < l->n; i++)
		if (!bls_is_rescue(&l->v[i]))
			return (int)i;
	return l->n ? 0 : -1;
}
