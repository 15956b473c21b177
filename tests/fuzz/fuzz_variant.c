// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: early/variant.c's choice of a vfio driver on arbitrary
 * modules.alias text (the image's list is read in the initrd). The first
 * line of the input is the modalias, the rest the alias lines. Invariants:
 * no read outside the text; the result is the reference's, built on
 * fnmatch(3): every "alias vfio_pci:PATTERN MODULE" line with a module
 * whose pattern matches "vfio_" + the modalias (only '*' a wildcard), the
 * fewest '*' winning, the first on a tie.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "variant.h"

/* pattern[0..n) for fnmatch: '*' stays a wildcard, '?', '[' and '\' literal. */
static void escaped(const char *p, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == '?' || p[i] == '[' || p[i] == '\\')
			out[k++] = '\\';
		out[k++] = p[i];
	}
	out[k] = '\0';
}

/* The best alias line of text (lines end in '\n' or NUL), or NULL. */
static const char *reference(const char *text, size_t len, const char *subject, size_t *mod_off,
			     size_t *mod_len)
{
	const char *end = text + len, *best = NULL;
	size_t fewest = (size_t)-1, k = strlen("alias vfio_pci:");
	char *pat = malloc(2 * len + 16);

	for (const char *line = text; pat && line < end;) {
		const char *eol = line, *sp;
		size_t stars = 0;

		while (eol < end && *eol && *eol != '\n')
			eol++;
		sp = (size_t)(eol - line) > k ? memchr(line + k, ' ', (size_t)(eol - line - k)) : NULL;
		if (sp && sp + 1 < eol && !memcmp(line, "alias vfio_pci:", k)) {
			escaped(line + 6, (size_t)(sp - line - 6), pat);
			for (const char *c = line + 6; c < sp; c++)
				stars += *c == '*';
			if (!fnmatch(pat, subject, 0) && stars < fewest) {
				fewest = stars;
				best = line;
				*mod_off = (size_t)(sp + 1 - line);
				*mod_len = (size_t)(eol - sp - 1);
			}
		}
		line = eol + 1;
	}
	free(pat);
	return best;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t alen = nl ? (size_t)(nl - (const char *)data) : size, moff = 0, mlen = 0;
	char modalias[80], subject[96], module[64], pattern[PCI_ALIAS_MAX];
	const char *text = nl ? nl + 1 : (const char *)data + size, *want;
	size_t tlen = size - (size_t)(text - (const char *)data);
	char *copy;
	int r;

	if (alen >= sizeof(modalias) || memchr(data, '\0', alen))
		return 0;
	memcpy(modalias, data, alen);
	modalias[alen] = '\0';
	copy = malloc(tlen ? tlen : 1);		/* exactly the text: ASan sees an over-read */
	if (!copy)
		return 0;
	memcpy(copy, text, tlen);
	r = variant_best(copy, tlen, modalias, module, sizeof(module), pattern, sizeof(pattern));
	memcpy(subject, "vfio_", 5);
	memcpy(subject + 5, modalias, alen + 1);
	want = strncmp(modalias, "pci:", 4) ? NULL : reference(copy, tlen, subject, &moff, &mlen);
	if ((r == 0) != (want != NULL))
		__builtin_trap();
	/* the module as written, cut to the buffer */
	if (want && (strlen(module) != (mlen < sizeof(module) ? mlen : sizeof(module) - 1) ||
		     memcmp(module, want + moff, strlen(module))))
		__builtin_trap();
	free(copy);
	return 0;
}
