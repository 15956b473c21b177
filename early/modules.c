// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "child.h"
#include "deadline.h"
#include "fmt.h"
#include "kcmdline.h"
#include "log.h"
#include "modules.h"
#include "rawsys.h"
#include "sysfs.h"

#define VFIO_MODULE	"vfio_pci"
#define LOAD_MODPROBE_MS	5000	/* one modprobe run, within the pass's budget */
#define MODULE_INIT_COMPRESSED_FILE 4	/* include/uapi/linux/module.h */

#define BLACKLIST_CONF	"etc/modprobe.d/vfio-early-blacklist.conf"
#define OPTS_MAX	4096	/* the list's options in the command line's form */

/* The image's load list after modules_read_list: NUL-separated paths and options. */
static char *list;
static size_t list_len;

const char *modules_modprobe_path(void)
{
	static const char *const paths[] = {
		"/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe", "/usr/bin/modprobe",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

/* "vfio-pci.ko.xz" -> "vfio_pci", as the kernel names modules. */
static void module_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && base[i] != '.' && i + 1 < size; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[i] = '\0';
}

static const char *const comp_names[] = { "none", "gzip", "xz", "zstd" };

const char *modules_compression_name(enum mod_comp c)
{
	return comp_names[c];
}

/* By the magic bytes, as the kernel's decompressors check them. */
enum mod_comp modules_compression(int fd)
{
	/* per format: its length, then the bytes */
	static const unsigned char magic[][7] = {
		[COMP_GZIP] = { 2, 0x1f, 0x8b },
		[COMP_XZ] = { 6, 0xfd, '7', 'z', 'X', 'Z', 0 },
		[COMP_ZSTD] = { 4, 0x28, 0xb5, 0x2f, 0xfd },
	};
	unsigned char m[6];
	ssize_t n = pread(fd, m, sizeof(m), 0);

	for (int c = COMP_GZIP; c <= COMP_ZSTD; c++)
		if (n >= magic[c][0] && !memcmp(m, magic[c] + 1, magic[c][0]))
			return c;
	return COMP_NONE;
}

/* CONFIG_MODULE_DECOMPRESS: /sys/module/compression names the one format. */
static int kernel_decompresses(enum mod_comp c)
{
	char have[16];

	return sysfs_read("sys/module/compression", have, sizeof(have)) > 0 &&
	       !strcmp(have, comp_names[c]);
}

static int append(char *buf, size_t size, size_t *n, const char *s, size_t len)
{
	if (*n + len + 1 > size)
		return -ENOSPC;
	memcpy(buf + *n, s, len);
	*n += len;
	buf[*n] = '\0';
	return 0;
}

/* The kernel splits module options on its isspace(): tab, newline, 0xA0 too. */
static int needs_quotes(const char *v, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (v[i] == ' ' || (v[i] >= '\t' && v[i] <= '\r') || (unsigned char)v[i] == 0xa0)
			return 1;
	return 0;
}

static int append_param(char *buf, size_t size, size_t *n, const char *name, size_t name_len,
			const struct kcmd_param *p)
{
	int quote = p->val && needs_quotes(p->val, p->val_len);

	if ((*n && append(buf, size, n, " ", 1)) || append(buf, size, n, name, name_len))
		return -ENOSPC;
	if (!p->val)
		return 0;
	if (append(buf, size, n, quote ? "=\"" : "=", quote ? 2 : 1) ||
	    append(buf, size, n, p->val, p->val_len) || (quote && append(buf, size, n, "\"", 1)))
		return -ENOSPC;
	return 0;
}

/* vfio-pci's ids= would bind every match itself, past the guards. */
static int is_ids(const char *mod, const char *name, size_t len)
{
	return !strcmp(mod, VFIO_MODULE) && kcmd_name_eq(name, len, "ids");
}

/* Append the command line's "mod.NAME=V" options for module mod, never vfio-pci's ids=. */
static int append_options(char *buf, size_t size, size_t *n, const char *mod, const char *text,
			  size_t len)
{
	size_t skip = strlen(mod) + 1;
	struct kcmd_iter it;
	struct kcmd_param p;

	kcmd_iter_init(&it, text, len);
	while (kcmd_next(&it, &p)) {
		if (p.name_len <= skip || p.name[skip - 1] != '.' ||
		    !kcmd_name_eq(p.name, skip - 1, mod) ||
		    is_ids(mod, p.name + skip, p.name_len - skip))
			continue;
		if (append_param(buf, size, n, p.name + skip, p.name_len - skip, &p))
			return -ENOSPC;
	}
	return 0;
}

int modules_cmdline_params(const char *mod, const char *cmdline, size_t len,
			   char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	return append_options(buf, size, &n, mod, cmdline, len);
}

/* "OPT=V ..." of module name -> " name.OPT=V ...", the command line's form. */
static void add_options(char *buf, size_t size, size_t *n, const char *name, const char *opts)
{
	size_t nl = strlen(name);
	struct kcmd_iter it;
	struct kcmd_param p;

	kcmd_iter_init(&it, opts, strlen(opts));
	while (kcmd_next(&it, &p)) {
		size_t m = 0, was = *n;

		if (append(buf, size, n, " ", 1) || append(buf, size, n, name, nl) ||
		    append(buf, size, n, ".", 1) ||
		    append_param(buf + *n, size - *n, &m, p.name, p.name_len, &p)) {
			log_warn("options for %s are too long", name);
			buf[*n = was] = '\0';
			return;
		}
		*n += m;
	}
}

/* Ends s at the first c (or at its end); returns what follows. */
static char *cut(char *s, int c)
{
	char *e = strchr(s, c);

	if (!e)
		return s + strlen(s);
	*e = '\0';
	return e + 1;
}

char *modules_read_list(void)
{
	static char *opts;
	char path[128], name[64], *line, *end, *o;
	struct utsname u;
	size_t n = 0;

	if (opts)
		return opts;
	opts = calloc(1, OPTS_MAX);
	if (!opts || uname(&u) < 0)
		return "";
	fmt(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	if (sysfs_slurp(path, SYSFS_FILE_MAX, &list, &list_len) < 0)
		return opts;
	for (line = list; *line; line = end) {
		end = cut(line, '\n');
		if (line[0] != '/')
			continue;
		o = cut(line, ' ');
		module_name(line, name, sizeof(name));
		add_options(opts, OPTS_MAX, &n, name, o);
	}
	if (n)
		log_info("image's modprobe.d:%s", opts);
	return opts;
}

/* 0, -errno, or 1 for a format this kernel cannot decompress: modprobe's job. */
static int load_one(const char *path, const char *cmdline, size_t len)
{
	char params[OPTS_MAX], name[64];
	size_t n = 0;
	enum mod_comp comp;
	long r;
	int fd;

	params[0] = '\0';
	module_name(path, name, sizeof(name));
	if (append_options(params, sizeof(params), &n, name, cmdline, len)) {
		log_warn("options for %s are too long", name);
		params[0] = '\0';
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	comp = modules_compression(fd);
	if (comp != COMP_NONE && !kernel_decompresses(comp)) {
		log_info("%s: the kernel cannot decompress %s: modprobe",
			 path, comp_names[comp]);
		close(fd);
		return 1;
	}
	r = rawsys4(__NR_finit_module, fd, (long)params,
		    comp != COMP_NONE ? MODULE_INIT_COMPRESSED_FILE : 0, 0);
	close(fd);
	if (r == -EEXIST)
		r = 0;
	log_debug("finit_module %s %s: %s", path, params, r ? log_errstr((int)r) : "ok");
	return (int)r;
}

#define VARIANT_TAG "variant "

/* Options are never absolute paths: every chunk starting with '/' is a
 * module. vfio-pci's modules come first; a variant's section (its
 * "variant MODULE" line, its aliases, its modules) is loaded only for a
 * device that gets that variant. */
static int load_resolved_list(const char *cmdline, size_t len)
{
	int r = 0, loaded = 0;

	for (const char *p = list; r == 0 && p && p < list + list_len; p += strlen(p) + 1) {
		if (!strncmp(p, VARIANT_TAG, sizeof(VARIANT_TAG) - 1))
			break;
		if (*p != '/')
			continue;
		r = load_one(p, cmdline, len);
		if (r < 0)
			log_warn("cannot load %s: %s", p, log_errstr(r));
		loaded += r == 0;
	}
	return r ? r : loaded ? 0 : -ENOENT;
}

/*
 * kmod's modprobe adds the command line's vfio_pci.ids and modprobe.d's;
 * an ids= argument comes last and the kernel's parser keeps the last value
 * (a string parameter is copied over), so vfio-pci loads with none.
 */
static int run_modprobe(const char *mod, const char *arg, long dl)
{
	const char *path = modules_modprobe_path();
	char *argv[] = { "modprobe", (char *)mod, (char *)arg, NULL };
	int r;

	if (!path) {
		log_err("no modprobe in this image; cannot load %s", mod);
		return -ENOENT;
	}
	r = child_run(path, argv, deadline_in(LOAD_MODPROBE_MS, dl));
	if (r)
		log_err("%s %s failed: %s", path, mod, r > 0 ? "exit status" : log_errstr(r));
	return r ? -EIO : 0;
}

int modules_ensure_vfio(const char *cmdline, size_t len, long dl)
{
	int r;

	if (sysfs_exists(SYSFS_VFIO_DRIVER))
		return 0;
	r = load_resolved_list(cmdline, len);
	if (r == -ENOENT)
		log_info("no module list: modprobe vfio-pci");
	if ((r || !sysfs_exists(SYSFS_VFIO_DRIVER)) && !deadline_passed(dl))
		run_modprobe("vfio-pci", "ids=", dl);
	return sysfs_exists(SYSFS_VFIO_DRIVER) ? 0 : -ENOENT;
}

/* The chunk after module's "variant MODULE" line, or NULL. */
static const char *variant_section(const char *module)
{
	size_t tag = sizeof(VARIANT_TAG) - 1;

	for (const char *p = list; p && p < list + list_len; p += strlen(p) + 1)
		if (!strncmp(p, VARIANT_TAG, tag) && !strcmp(p + tag, module))
			return p + strlen(p) + 1;
	return NULL;
}

int modules_load_variant(const char *module, const char *cmdline, size_t len, long dl)
{
	const char *p = variant_section(module);
	int r = 0;

	if (!p) {
		log_info("%s is not in this image's list: modprobe", module);
		return run_modprobe(module, NULL, dl);
	}
	for (; r == 0 && p < list + list_len; p += strlen(p) + 1) {
		if (!strncmp(p, VARIANT_TAG, sizeof(VARIANT_TAG) - 1))
			break;
		if (*p == '/')
			r = load_one(p, cmdline, len);
	}
	if (r < 0)
		log_warn("cannot load %s: %s", module, log_errstr(r));
	return r ? run_modprobe(module, NULL, dl) : 0;
}

const char *modules_variant_aliases(size_t *len)
{
	*len = list ? list_len : 0;
	return list;
}

static int listed(const struct strlist *l, const char *name)
{
	char a[64], b[64];

	module_name(name, a, sizeof(a));
	for (size_t i = 0; i < l->n; i++) {
		module_name(l->v[i], b, sizeof(b));
		if (!strcmp(a, b))
			return 1;
	}
	return 0;
}

void modules_load_list(const struct strlist *names, const struct strlist *blacklist,
		       const char *phase, long dl)
{
	for (size_t i = 0; i < names->n; i++) {
		if (listed(blacklist, names->v[i])) {
			log_warn("rd.driver.%s=%s is also blacklisted; not loading it", phase,
				 names->v[i]);
			continue;
		}
		if (run_modprobe(names->v[i], NULL, dl) == 0)
			log_info("loaded %s (rd.driver.%s)", names->v[i], phase);
	}
}

#define BLACKLIST_HEAD "# written by vfio-early from rd.driver.blacklist=\n"

int modules_write_blacklist(const struct strlist *blacklist)
{
	size_t size = sizeof(BLACKLIST_HEAD), n;
	char *buf;
	int r;

	if (!blacklist->n)
		return 0;
	/* Sized to the list: a fixed buffer dropped a long list without a word. */
	for (size_t i = 0; i < blacklist->n; i++)
		size += strlen("blacklist \n") + strlen(blacklist->v[i]);
	buf = malloc(size);
	if (!buf) {
		log_err("rd.driver.blacklist: out of memory; nothing blacklisted");
		return -ENOMEM;
	}
	n = fmt(buf, size, BLACKLIST_HEAD);
	for (size_t i = 0; i < blacklist->n; i++)
		n += fmt(buf + n, size - n, "blacklist %s\n", blacklist->v[i]);
	sysfs_mkdir("etc", 0755);
	sysfs_mkdir("etc/modprobe.d", 0755);
	r = sysfs_write_atomic(BLACKLIST_CONF, buf, n);
	free(buf);
	if (r)
		log_err("cannot write /%s: %s", BLACKLIST_CONF, log_errstr(r));
	else
		for (size_t i = 0; i < blacklist->n; i++)
			log_info("blacklisted %s (rd.driver.blacklist)", blacklist->v[i]);
	return r;
}
