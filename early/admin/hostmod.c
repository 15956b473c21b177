// SPDX-License-Identifier: MIT
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include <libkmod.h>

#include "fmt.h"
#include "hostmod.h"
#include "log.h"

/* kmod's own order of configuration directories (libkmod/libkmod.c:
 * default_config_paths), taken under the test root. */
static const char *const conf_dirs[] = {
	"etc/modprobe.d", "run/modprobe.d", "usr/local/lib/modprobe.d", "lib/modprobe.d",
	"usr/lib/modprobe.d",
};
#define NCONF (sizeof(conf_dirs) / sizeof(conf_dirs[0]))
#define HOSTMOD_PATH_MAX 4096

struct rooted {
	char dir[HOSTMOD_PATH_MAX];
	char conf[NCONF][HOSTMOD_PATH_MAX];
	const char *confv[NCONF + 1];
};

/* libkmod logs to stderr by default; its messages go through ours. */
static void kmod_say(void *data, int priority, const char *file, int line, const char *fn,
		     const char *format, va_list args)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), format, args);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("libkmod: %s", msg);
}

/* root NULL: the running system's modules and configuration. */
static struct kmod_ctx *open_ctx(const char *root, const char *release, struct rooted *r)
{
	struct kmod_ctx *ctx;

	if (!root) {
		ctx = kmod_new(NULL, NULL);
	} else {
		fmt(r->dir, sizeof(r->dir), "%s/lib/modules/%s", root, release);
		for (size_t i = 0; i < NCONF; i++) {
			fmt(r->conf[i], sizeof(r->conf[i]), "%s/%s", root, conf_dirs[i]);
			r->confv[i] = r->conf[i];
		}
		r->confv[NCONF] = NULL;
		ctx = kmod_new(r->dir, r->confv);
	}
	if (ctx)
		kmod_set_log_fn(ctx, kmod_say, NULL);
	return ctx;
}

static enum hostmod_kind kind_of(struct kmod_module *mod)
{
	return kmod_module_get_path(mod) ? HOSTMOD_MODULE : HOSTMOD_BUILTIN;
}

static void append_name(char *buf, size_t size, size_t *n, const char *name)
{
	*n += fmt(buf + *n, size - *n, "%s%s", *n ? "," : "", name);
	if (*n >= size)
		*n = size - 1;
}

int hostmod_lookup(const char *root, const char *release, const char *alias, char *buf,
		   size_t size)
{
	struct kmod_list *list = NULL, *it;
	struct rooted r;
	struct kmod_ctx *ctx = open_ctx(root, release, &r);
	int kind = HOSTMOD_NONE, err;
	size_t n = 0;

	buf[0] = '\0';
	if (!ctx)
		return -ENOMEM;
	err = kmod_module_new_from_lookup(ctx, alias, &list);
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);

		if (kind == HOSTMOD_NONE)
			kind = kind_of(mod);
		append_name(buf, size, &n, kmod_module_get_name(mod));
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	return err < 0 ? err : kind;
}

/* One module of the lookup, as module_load_and_warn() handles it. */
static int insert_one(struct kmod_module *mod, const char *options)
{
	const char *name = kmod_module_get_name(mod);
	int state = kmod_module_get_initstate(mod);
	int err;

	if (state == KMOD_MODULE_BUILTIN || state == KMOD_MODULE_LIVE)
		return 0;
	err = kmod_module_probe_insert_module(mod, KMOD_PROBE_APPLY_BLACKLIST, options, NULL,
					      NULL, NULL);
	if (err == KMOD_PROBE_APPLY_BLACKLIST) {
		log_info("%s is blacklisted (modprobe.d): not loading it", name);
		return 0;
	}
	if (err < 0 && err != -EEXIST) {
		log_warn("cannot load %s: %s", name, log_errstr(err));
		return err;
	}
	log_info("loaded %s", name);
	return 0;
}

int hostmod_load(const char *alias, const char *options)
{
	struct kmod_list *list = NULL, *it;
	struct kmod_ctx *ctx = open_ctx(NULL, NULL, NULL);
	int r = 0, err;

	if (!ctx)
		return -ENOMEM;
	err = kmod_module_new_from_lookup(ctx, alias, &list);
	if (err >= 0 && !list)
		err = -ENOENT;
	kmod_list_foreach(it, list) {
		struct kmod_module *mod = kmod_module_get_module(it);
		int e = insert_one(mod, options);

		if (e < 0 && r == 0)
			r = e;
		kmod_module_unref(mod);
	}
	kmod_module_unref_list(list);
	kmod_unref(ctx);
	return err < 0 ? err : r;
}
