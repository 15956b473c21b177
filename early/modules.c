// SPDX-License-Identifier: MIT
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "kcmdline.h"
#include "log.h"
#include "modules.h"
#include "sysfs.h"

#define VFIO_DRIVER "sys/bus/pci/drivers/vfio-pci"
#define MODPROBE_TIMEOUT_MS 10000

static long sys_finit_module(int fd, const char *params)
{
#if defined(__KLIBC__) && defined(__x86_64__)
	long ret;

	__asm__ volatile ("syscall" : "=a"(ret)
			  : "0"((long)__NR_finit_module), "D"((long)fd), "S"(params), "d"(0L)
			  : "rcx", "r11", "memory");
	return ret;
#elif defined(__KLIBC__) && defined(__aarch64__)
	register long x8 __asm__("x8") = __NR_finit_module;
	register long x0 __asm__("x0") = fd;
	register long x1 __asm__("x1") = (long)params;
	register long x2 __asm__("x2") = 0;

	__asm__ volatile ("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
#elif !defined(__KLIBC__) && defined(__NR_finit_module)
	return syscall(__NR_finit_module, fd, params, 0) < 0 ? -errno : 0;
#else
	return -ENOSYS;
#endif
}

/* "vfio-pci.ko" -> "vfio_pci", as the kernel names modules. */
static void module_name(const char *path, char *name, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	for (i = 0; base[i] && base[i] != '.' && i + 1 < size; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[i] = '\0';
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

static int append_param(char *buf, size_t size, size_t *n, const struct kcmd_param *p,
			size_t modlen)
{
	const char *name = p->name + modlen + 1;
	size_t name_len = p->name_len - modlen - 1;
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

int modules_cmdline_params(const char *mod, const char *cmdline, size_t len,
			   char *buf, size_t size)
{
	size_t modlen = strlen(mod), n = 0;
	struct kcmd_iter it;
	struct kcmd_param p;

	buf[0] = '\0';
	kcmd_iter_init(&it, cmdline, len);
	while (kcmd_next(&it, &p)) {
		if (p.name_len <= modlen + 1 || p.name[modlen] != '.' ||
		    !kcmd_name_eq(p.name, modlen, mod))
			continue;
		if (append_param(buf, size, &n, &p, modlen))
			return -ENOSPC;
	}
	return 0;
}

/*
 * A list line is "PATH [OPTIONS]": the options the image's modprobe.d gives
 * the module, resolved when the image was built. The command line's come
 * after them, so they win, as with kmod.
 */
static int load_one(char *line, const char *cmdline, size_t len)
{
	char name[64], params[1024], *path = line, *opts = strchr(line, ' ');
	size_t n = 0;
	long r;
	int fd;

	if (opts) {
		*opts++ = '\0';
		n = fmt(params, sizeof(params), "%s ", opts);
	}
	module_name(path, name, sizeof(name));
	if (n >= sizeof(params) ||
	    modules_cmdline_params(name, cmdline, len, params + n, sizeof(params) - n)) {
		log_warn("options for %s are too long; loading without", name);
		params[0] = '\0';
	}
	for (n = strlen(params); n && params[n - 1] == ' '; n--)
		params[n - 1] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = sys_finit_module(fd, params);
	close(fd);
	if (r == -EEXIST)
		r = 0;
	log_debug("finit_module %s %s: %s", path, params, r ? log_errstr((int)r) : "ok");
	return (int)r;
}

static int load_resolved_list(const char *cmdline, size_t len)
{
	char path[128], *list, *line, *next;
	struct utsname u;
	size_t n;
	int r = 0, loaded = 0;

	if (uname(&u) < 0)
		return -errno;
	fmt(path, sizeof(path), "lib/modules/%s/vfio-early.modules", u.release);
	if (sysfs_slurp(path, &list, &n) < 0)
		return -ENOENT;
	for (line = list; r == 0 && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '/' && (r = load_one(line, cmdline, len)) == 0)
			loaded++;
		else if (r)
			log_warn("cannot load %s: %s", line, log_errstr(r));
	}
	free(list);
	return r ? r : loaded ? 0 : -ENOENT;
}

static const char *modprobe_path(void)
{
	static const char *const paths[] = {
		"/sbin/modprobe", "/usr/sbin/modprobe", "/bin/modprobe", "/usr/bin/modprobe",
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], X_OK) == 0)
			return paths[i];
	return NULL;
}

static int wait_bounded(pid_t pid, int ms)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;

	for (int waited = 0; waited < ms; waited += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -EINTR;
		if (r < 0)
			return -errno;
		nanosleep(&tick, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

static int run_modprobe(const char *mod)
{
	static char *const envp[] = { "PATH=/sbin:/usr/sbin:/bin:/usr/bin", NULL };
	const char *path = modprobe_path();
	char *argv[] = { "modprobe", (char *)mod, NULL };
	pid_t pid;
	int r;

	if (!path) {
		log_err("no modprobe in this image; cannot load %s", mod);
		return -ENOENT;
	}
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		execve(path, argv, envp);
		_exit(127);
	}
	r = wait_bounded(pid, MODPROBE_TIMEOUT_MS);
	if (r)
		log_err("%s %s failed (%s)", path, mod,
			r == -ETIMEDOUT ? "timed out" : r > 0 ? "non-zero exit" : "killed");
	return r ? -EIO : 0;
}

int modules_ensure_vfio(const char *cmdline, size_t len)
{
	int r;

	if (sysfs_exists(VFIO_DRIVER))
		return 0;
	r = load_resolved_list(cmdline, len);
	if (r == -ENOENT)
		log_info("no resolved module list in the image; using modprobe vfio-pci");
	if (r || !sysfs_exists(VFIO_DRIVER))
		run_modprobe("vfio-pci");
	return sysfs_exists(VFIO_DRIVER) ? 0 : -ENOENT;
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
		       const char *phase)
{
	for (size_t i = 0; i < names->n; i++) {
		if (listed(blacklist, names->v[i])) {
			log_warn("rd.driver.%s=%s is also blacklisted; not loading it", phase,
				 names->v[i]);
			continue;
		}
		if (run_modprobe(names->v[i]) == 0)
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
	r = sysfs_write_atomic("etc/modprobe.d/vfio-early-blacklist.conf", buf, n);
	free(buf);
	if (r)
		log_err("cannot write /etc/modprobe.d/vfio-early-blacklist.conf: %s", log_errstr(r));
	else
		for (size_t i = 0; i < blacklist->n; i++)
			log_info("blacklisted %s (rd.driver.blacklist)", blacklist->v[i]);
	return r;
}
