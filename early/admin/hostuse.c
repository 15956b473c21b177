// SPDX-License-Identifier: MIT
/*
 * What the host uses its PCI functions for now. Each source names a block or
 * net device; sysfs places it below the PCI function that provides it, or
 * below a stacked device (dm, md, bridge, bond, VLAN) whose links lead to the
 * ones that do. The function nearest to the device in its sysfs path is the
 * one a bind would take away.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "fmt.h"
#include "hex.h"
#include "hostuse.h"
#include "log.h"
#include "print.h"
#include "sysfs.h"

#define HU_DEPTH_MAX 8		/* stacked devices followed this deep (dm over md over ...) */
#define HU_LINKS_MAX 40		/* symlinks in one path, the kernel's MAXSYMLINKS */
#define HU_PATH 512
#define HU_CHAIN 256		/* "vmbr0 over bond0 over enp5s0f1" */
#define HU_FIELDS 24
#define HU_PORTS_MAX 16
#define HU_INODES_MAX 64
#define HU_SSH_PORT 22
/* include/uapi/linux/route.h */
#define HU_RTF_UP 0x0001
#define HU_RTF_REJECT 0x0200
/* include/net/tcp_states.h */
#define HU_TCP_ESTABLISHED 0x01
#define HU_TCP_LISTEN 0x0a

struct hu_route {
	unsigned char dst[16];		/* network order; IPv4 in the first 4 bytes */
	unsigned plen, metric;
	int v6;
	char dev[32];
};

struct hu_mount {
	char *point, *fstype, *source, *super;
	unsigned maj, min;
};

struct hu_scan {
	struct hostuse_list *u;
	int dfd;			/* the root, for readlinkat() and fstatat() */
	struct hu_route *rt;
	size_t nrt;
	struct hu_mount *mnt;
	size_t nmnt;
	unsigned ports[HU_PORTS_MAX];	/* sshd's listening ports */
	size_t nports;
	int nomem;
};

/* ---- text helpers ---- */

/* The next line of a slurped file, NUL-terminated in place; NULL at the end. */
static char *hu_line(char **cur)
{
	char *line = *cur, *nl;

	if (!line || !*line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*cur = nl + 1;
	} else {
		*cur = line + strlen(line);
	}
	return line;
}

/* Split a line at blanks, in place; how many fields (at most max). */
static size_t hu_fields(char *line, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		line += strspn(line, " \t");
		if (!*line)
			break;
		f[n++] = line;
		line += strcspn(line, " \t");
		if (*line)
			*line++ = '\0';
	}
	return n;
}

static int hu_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Undo the kernel's mangle() / seq_file_path() escapes: \040 for a space. */
static void hu_unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && hu_octal(s[2]) && hu_octal(s[3])) {
			*o++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 3;
		} else {
			*o++ = *s;
		}
	}
	*o = '\0';
}

static const char *hu_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* ---- the uses found ---- */

static struct hostuse *hu_entry(struct hostuse_list *u, const char *addr)
{
	struct hostuse *grown;

	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->v[i].addr, addr))
			return &u->v[i];
	if (u->n == u->cap) {
		grown = realloc(u->v, (u->cap ? 2 * u->cap : 8) * sizeof(*u->v));
		if (!grown)
			return NULL;
		u->v = grown;
		u->cap = u->cap ? 2 * u->cap : 8;
	}
	fmt(u->v[u->n].addr, sizeof(u->v[u->n].addr), "%s", addr);
	u->v[u->n].what[0] = '\0';
	return &u->v[u->n++];
}

/* 1 when text is one of the " and "-joined pieces of what. */
static int hu_has_piece(const char *what, const char *text)
{
	size_t n = strlen(text);

	for (const char *p = what; (p = strstr(p, text)); p++) {
		int starts = p == what || (p - what >= 5 && !strncmp(p - 5, " and ", 5));

		if (starts && (!p[n] || !strncmp(p + n, " and ", 5)))
			return 1;
	}
	return 0;
}

/* One use of addr; the same use reached twice (two bond slaves' shared
 * route, a filesystem mounted twice) is said once. */
static void hu_add(struct hu_scan *s, const char *addr, const char *text)
{
	struct hostuse *h = hu_entry(s->u, addr);
	size_t n;

	if (!h) {
		s->nomem = 1;
		return;
	}
	if (hu_has_piece(h->what, text))
		return;
	n = strlen(h->what);
	if (n + strlen(text) + 10 < sizeof(h->what))
		fmt(h->what + n, sizeof(h->what) - n, "%s%s", n ? " and " : "", text);
	else if (n < 4 || strcmp(h->what + n - 4, " ..."))
		fmt(h->what + n, sizeof(h->what) - n, " ...");
}

/* ---- paths below the root ---- */

/* Move the first component of todo into name; 0 when none is left. */
static int hu_take(char *todo, char *name, size_t size)
{
	size_t skip = strspn(todo, "/"), n = strcspn(todo + skip, "/");

	if (!n || n >= size)
		return 0;
	memcpy(name, todo + skip, n);
	name[n] = '\0';
	memmove(todo, todo + skip + n, strlen(todo + skip + n) + 1);
	return 1;
}

static void hu_up(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash)
		*slash = '\0';
	else
		path[0] = '\0';
}

/* Put link's target in front of what is left to walk; 0 or -errno. */
static int hu_follow(char *todo, size_t size, const char *link, size_t n, char *out)
{
	size_t left = strlen(todo);

	if (n + left + 2 > size)
		return -ENAMETOOLONG;
	hu_up(out);
	if (link[0] == '/')
		out[0] = '\0';	/* absolute: from the root, as chroot would */
	memmove(todo + n + 1, todo, left + 1);
	memcpy(todo, link, n);
	todo[n] = '/';
	return 0;
}

/*
 * path (relative to the root) with every symlink followed below the root, as
 * the kernel would with the root as "/": "sys/class/net/eth0" becomes
 * "sys/devices/pci0000:00/0000:00:03.0/net/eth0". 0 or -errno (-ENOENT).
 */
static int hu_resolve(int dfd, const char *path, char *out, size_t size)
{
	char todo[HU_PATH], name[256], link[HU_PATH];
	int hops = 0, r;
	ssize_t n;
	size_t len;

	out[0] = '\0';
	if ((size_t)fmt(todo, sizeof(todo), "%s", path) >= sizeof(todo))
		return -ENAMETOOLONG;
	while (hu_take(todo, name, sizeof(name))) {
		if (!strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			hu_up(out);
			continue;
		}
		len = strlen(out);
		if ((size_t)fmt(out + len, size - len, "%s%s", len ? "/" : "", name) >= size - len)
			return -ENAMETOOLONG;
		n = readlinkat(dfd, out, link, sizeof(link) - 1);
		if (n < 0 && errno == EINVAL)
			continue;	/* not a link */
		if (n < 0)
			return -errno;
		if (++hops > HU_LINKS_MAX)
			return -ELOOP;
		link[n] = '\0';
		r = hu_follow(todo, sizeof(todo), link, (size_t)n, out);
		if (r)
			return r;
	}
	return 0;
}

/* The last component of a resolved sysfs path that names a PCI function:
 * the one nearest to the block or net device. 1 found, 0 none. */
static int hu_last_pci(const char *path, char *addr)
{
	unsigned dom, bus, slot, fn;
	int found = 0;

	for (const char *p = path; *p;) {
		size_t n = strcspn(p, "/");

		if (!pci_parse_addr(p, n, &dom, &bus, &slot, &fn)) {
			memcpy(addr, p, n);
			addr[n] = '\0';
			found = 1;
		}
		p += n;
		p += *p == '/';
	}
	return found;
}

/* The PCI function nearest to what path (a sysfs link) leads to; 1 found. */
static int hu_pci_of(const struct hu_scan *s, const char *path, char *addr)
{
	char real[HU_PATH];

	if (hu_resolve(s->dfd, path, real, sizeof(real)))
		return 0;
	return hu_last_pci(real, addr);
}

/* ---- block devices: mounts and swap ---- */

struct hu_blk {
	const char *label;	/* "holds /", "swap /dev/nvme0n1p3" */
	const char *fstype;	/* NULL: a swap partition */
};

static void hu_blk_found(struct hu_scan *s, const struct hu_blk *b, const char *addr,
			 const char *chain)
{
	char text[HOSTUSE_WHAT_MAX];

	if (b->fstype)
		fmt(text, sizeof(text), "%s (%s, %s)", b->label, chain, b->fstype);
	else if (strstr(chain, " over "))
		fmt(text, sizeof(text), "%s (%s)", b->label, chain);
	else
		fmt(text, sizeof(text), "%s", b->label);
	hu_add(s, addr, text);
}

static void hu_blk_walk(struct hu_scan *s, const struct hu_blk *b, const char *name,
			const char *above, int depth);

/*
 * A namespace of an NVMe subsystem with native multipath lives in
 * devices/virtual/nvme-subsystem/nvme-subsysN, which links each controller
 * as nvmeM (drivers/nvme/host/core.c nvme_init_subsystem():
 * sysfs_create_link(&subsys->dev.kobj, &ctrl->device->kobj, ...)).
 */
static int hu_nvme_heads(struct hu_scan *s, const struct hu_blk *b, const char *real,
			 const char *chain)
{
	char dir[HU_PATH], path[HU_PATH], addr[PCI_ADDR_MAX + 1], via[HU_CHAIN];
	const char *at = real;
	struct dirent *de;
	DIR *d;
	int n = 0;

	while ((at = strstr(at, "/nvme-subsys")) && (at[12] < '0' || at[12] > '9'))
		at++;	/* past ".../nvme-subsystem", the class directory */
	if (!at)
		return 0;
	fmt(dir, sizeof(dir), "%s", real);
	dir[(at - real) + 1 + strcspn(at + 1, "/")] = '\0';
	d = sysfs_opendir(dir);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, "nvme", 4) || !de->d_name[4] ||
		    strspn(de->d_name + 4, "0123456789") != strlen(de->d_name + 4))
			continue;
		fmt(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (!hu_pci_of(s, path, addr))
			continue;
		fmt(via, sizeof(via), "%s over %s", chain, de->d_name);
		hu_blk_found(s, b, addr, via);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* The devices a dm or md device sits on: its slaves/ directory
 * (block/holder.c bd_link_disk_holder(), md.c bind_rdev_to_array()). */
static int hu_slaves(struct hu_scan *s, const struct hu_blk *b, const char *name,
		     const char *chain, int depth)
{
	char path[HU_PATH];
	struct dirent *de;
	DIR *d;
	int n = 0;

	fmt(path, sizeof(path), "sys/class/block/%s/slaves", name);
	d = sysfs_opendir(path);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		hu_blk_walk(s, b, de->d_name, chain, depth + 1);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* A partition of a stacked disk (md0p1): the slaves of the disk, the
 * directory that holds the partition's. */
static void hu_partition_of(struct hu_scan *s, const struct hu_blk *b, const char *name,
			    const char *real, const char *chain, int depth)
{
	char path[HU_PATH], disk[HU_PATH];

	fmt(path, sizeof(path), "sys/class/block/%s/partition", name);
	if (!sysfs_exists(path))
		return;
	fmt(disk, sizeof(disk), "%s", real);
	hu_up(disk);
	if (disk[0])
		hu_blk_walk(s, b, hu_basename(disk), chain, depth + 1);
}

static void hu_blk_walk(struct hu_scan *s, const struct hu_blk *b, const char *name,
			const char *above, int depth)
{
	char path[HU_PATH], real[HU_PATH], chain[HU_CHAIN], addr[PCI_ADDR_MAX + 1];

	if (depth > HU_DEPTH_MAX || strchr(name, '/'))
		return;
	fmt(chain, sizeof(chain), "%s%s%s", above, above[0] ? " over " : "", name);
	fmt(path, sizeof(path), "sys/class/block/%s", name);
	if (hu_resolve(s->dfd, path, real, sizeof(real)))
		return;
	if (hu_last_pci(real, addr)) {
		hu_blk_found(s, b, addr, chain);
		return;
	}
	if (hu_nvme_heads(s, b, real, chain))
		return;
	if (hu_slaves(s, b, name, chain, depth))
		return;
	hu_partition_of(s, b, name, real, chain, depth);
}

/* sys/dev/block/MAJ:MIN of the block device node at rel (below the root). */
static int hu_node_dev(const struct hu_scan *s, const char *rel, char *path, size_t size)
{
	struct stat st;

	if (fstatat(s->dfd, rel, &st, 0))
		return -errno;
	if (!S_ISBLK(st.st_mode))
		return -ENOTBLK;
	fmt(path, size, "sys/dev/block/%u:%u", (unsigned)major(st.st_rdev),
	    (unsigned)minor(st.st_rdev));
	return 0;
}

/* The block device a device node names: by its dev_t when the node exists
 * below the root (/dev/mapper/x is dm-0), else by its own name. */
static void hu_node_name(const struct hu_scan *s, const char *node, char *name, size_t size)
{
	char path[64], real[HU_PATH];
	int r = node[0] == '/' ? hu_node_dev(s, node + 1, path, sizeof(path)) : -EINVAL;

	if (!r)
		r = hu_resolve(s->dfd, path, real, sizeof(real));
	fmt(name, size, "%s", hu_basename(r ? node : real));
}

static void hu_net_walk(struct hu_scan *s, const char *label, const char *tail,
			const char *ifname, const char *above, int depth);
static void hu_route_walk(struct hu_scan *s, const unsigned char *peer, int v6,
			  const char *label, const char *tail);
static int hu_parse4(const char *s, unsigned char *out);
static int hu_parse6(const char *s, unsigned char *out);
static void hu_format(const unsigned char *peer, int v6, char *buf, size_t size);

/* A network filesystem (NFS, CIFS): the server in its addr= option
 * (nfs_show_options(), cifs_show_address()), then the interface the kernel
 * reaches it through. */
static int hu_mount_net(struct hu_scan *s, const struct hu_mount *m, const char *label)
{
	const char *at = m->super;
	unsigned char peer[16];
	char ip[64], tail[128];
	int v6;

	while (at && (at = strstr(at, "addr=")) && at != m->super && at[-1] != ',')
		at++;	/* clientaddr=, mountaddr= */
	if (!at)
		return 0;
	fmt(ip, sizeof(ip), "%s", at + 5);
	ip[strcspn(ip, ",")] = '\0';
	v6 = !!hu_parse4(ip, peer);
	if (v6 && hu_parse6(ip, peer))
		return 0;
	hu_format(peer, v6, ip, sizeof(ip));
	fmt(tail, sizeof(tail), ", %s from %s", m->fstype, ip);
	hu_route_walk(s, peer, v6, label, tail);
	return 1;
}

/* btrfs has an anonymous 0:N device; sysfs lists its members in
 * fs/btrfs/FSID/devices (fs/btrfs/sysfs.c btrfs_sysfs_add_device()). */
static int hu_btrfs_members(struct hu_scan *s, const struct hu_blk *b, const char *name)
{
	char path[HU_PATH];
	struct dirent *fsid, *de;
	DIR *all = sysfs_opendir("sys/fs/btrfs"), *d = NULL;

	while (!d && all && (fsid = readdir(all))) {
		if (fsid->d_name[0] == '.')
			continue;
		fmt(path, sizeof(path), "sys/fs/btrfs/%s/devices/%s", fsid->d_name, name);
		if (!sysfs_exists(path))
			continue;
		hu_up(path);
		d = sysfs_opendir(path);
	}
	if (all)
		closedir(all);
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			hu_blk_walk(s, b, de->d_name, "", 0);
	if (!d)
		return 0;
	closedir(d);
	return 1;
}

/* 1 when text has line as a whole line. */
static int hu_has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (!p[n] || p[n] == '\n'))
			return 1;
	return 0;
}

/* 1 when the udev database record is a ZFS member of pool (blkid's
 * ID_FS_TYPE and ID_FS_LABEL, the pool's name). */
static int hu_zfs_record(const char *rel, const char *pool)
{
	char *text, want[128];
	size_t len;
	int yes;

	if (sysfs_slurp(rel, 64 << 10, &text, &len) < 0)
		return 0;
	fmt(want, sizeof(want), "E:ID_FS_LABEL=%s", pool);
	yes = hu_has_line(text, "E:ID_FS_TYPE=zfs_member") && hu_has_line(text, want);
	free(text);
	return yes;
}

/* ZFS has no sysfs link to its vdevs: udev's database (/run/udev/data/bM:N)
 * names the block devices whose label is the pool of SOURCE (pool/dataset). */
static void hu_zfs_members(struct hu_scan *s, const struct hu_blk *b, const char *source)
{
	char pool[96], rel[HU_PATH], real[HU_PATH];
	struct dirent *de;
	DIR *d = sysfs_opendir("run/udev/data");

	fmt(pool, sizeof(pool), "%s", source);
	pool[strcspn(pool, "/")] = '\0';
	while (d && (de = readdir(d))) {
		if (de->d_name[0] != 'b' || !strchr(de->d_name, ':'))
			continue;
		fmt(rel, sizeof(rel), "run/udev/data/%s", de->d_name);
		if (!hu_zfs_record(rel, pool))
			continue;
		fmt(rel, sizeof(rel), "sys/dev/block/%s", de->d_name + 1);
		if (!hu_resolve(s->dfd, rel, real, sizeof(real)))
			hu_blk_walk(s, b, hu_basename(real), "", 0);
	}
	if (d)
		closedir(d);
}

static void hu_mount_walk(struct hu_scan *s, const struct hu_mount *m, const char *label)
{
	struct hu_blk b = { .label = label, .fstype = m->fstype };
	char path[64], real[HU_PATH], name[256];

	fmt(path, sizeof(path), "sys/dev/block/%u:%u", m->maj, m->min);
	if (m->maj && !hu_resolve(s->dfd, path, real, sizeof(real))) {
		hu_blk_walk(s, &b, hu_basename(real), "", 0);
		return;
	}
	if (hu_mount_net(s, m, label))
		return;
	if (!strcmp(m->fstype, "zfs")) {
		hu_zfs_members(s, &b, m->source);
		return;
	}
	if (strncmp(m->source, "/dev/", 5))
		return;
	hu_node_name(s, m->source, name, sizeof(name));
	if (!strcmp(m->fstype, "btrfs") && hu_btrfs_members(s, &b, name))
		return;
	hu_blk_walk(s, &b, name, "", 0);
}

/* One line of mountinfo (Documentation/filesystems/proc.rst): ID PARENT
 * MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS */
static int hu_mount_parse(char *line, struct hu_mount *m)
{
	char *f[HU_FIELDS], *colon;
	size_t n = hu_fields(line, f, HU_FIELDS), dash = 6;

	while (dash < n && strcmp(f[dash], "-"))
		dash++;
	if (dash + 2 >= n || !(colon = strchr(f[2], ':')))
		return -EINVAL;
	m->maj = (unsigned)strtoul(f[2], NULL, 10);
	m->min = (unsigned)strtoul(colon + 1, NULL, 10);
	hu_unescape(f[4]);
	hu_unescape(f[dash + 2]);
	m->point = strdup(f[4]);
	m->fstype = strdup(f[dash + 1]);
	m->source = strdup(f[dash + 2]);
	m->super = strdup(dash + 3 < n ? f[dash + 3] : "");
	if (m->point && m->fstype && m->source && m->super)
		return 0;
	free(m->point);
	free(m->fstype);
	free(m->source);
	free(m->super);
	return -ENOMEM;
}

static void hu_read_mounts(struct hu_scan *s)
{
	char *text, *cur, *line;
	struct hu_mount m, *grown;
	size_t len, cap = 0;

	if (sysfs_slurp("proc/self/mountinfo", SYSFS_FILE_MAX, &text, &len) < 0)
		return;
	for (cur = text; (line = hu_line(&cur));) {
		if (hu_mount_parse(line, &m))
			continue;
		if (s->nmnt == cap) {
			grown = realloc(s->mnt, (cap ? 2 * cap : 32) * sizeof(*s->mnt));
			if (!grown) {
				s->nomem = 1;
				break;
			}
			s->mnt = grown;
			cap = cap ? 2 * cap : 32;
		}
		s->mnt[s->nmnt++] = m;
	}
	free(text);
}

static void hu_mounts(struct hu_scan *s)
{
	char label[HU_PATH];

	for (size_t i = 0; i < s->nmnt; i++) {
		fmt(label, sizeof(label), "holds %s", s->mnt[i].point);
		hu_mount_walk(s, &s->mnt[i], label);
	}
}

/* The mount that holds file: the longest mount point in front of it, the
 * later of two equal ones (mounted over the first). */
static const struct hu_mount *hu_mount_of(const struct hu_scan *s, const char *file)
{
	const struct hu_mount *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < s->nmnt; i++) {
		const char *p = s->mnt[i].point;
		size_t n = strlen(p);

		if (strcmp(p, "/") && (strncmp(file, p, n) || (file[n] && file[n] != '/')))
			continue;
		if (!best || n >= best_len) {
			best = &s->mnt[i];
			best_len = n;
		}
	}
	return best;
}

/* /proc/swaps (mm/swapfile.c swap_show()): a header, then Filename Type
 * Size Used Priority. A swap file uses the device of its filesystem. */
static void hu_swap_line(struct hu_scan *s, char *line)
{
	struct hu_blk b = { .fstype = NULL };
	const struct hu_mount *m;
	char *f[HU_FIELDS], label[HU_PATH], name[256];
	size_t n = hu_fields(line, f, HU_FIELDS);

	if (n < 2)
		return;
	hu_unescape(f[0]);
	fmt(label, sizeof(label), "swap %s", f[0]);
	if (!strcmp(f[1], "file")) {
		m = hu_mount_of(s, f[0]);
		if (m)
			hu_mount_walk(s, m, label);
		return;
	}
	b.label = label;
	hu_node_name(s, f[0], name, sizeof(name));
	hu_blk_walk(s, &b, name, "", 0);
}

static void hu_swaps(struct hu_scan *s)
{
	char *text, *cur, *line;
	size_t len;

	if (sysfs_slurp("proc/swaps", SYSFS_FILE_MAX, &text, &len) < 0)
		return;
	cur = text;
	hu_line(&cur);	/* the header */
	while ((line = hu_line(&cur)))
		hu_swap_line(s, line);
	free(text);
}

/* ---- net devices: default routes and SSH connections ---- */

/*
 * ifname, then the devices below it: net/core/dev.c
 * netdev_adjacent_sysfs_add() links each lower device as lower_NAME in the
 * upper one's directory (bridge ports, bond slaves, a VLAN's or macvlan's
 * parent), down to a device whose device link leads to a PCI function.
 */
static void hu_net_walk(struct hu_scan *s, const char *label, const char *tail,
			const char *ifname, const char *above, int depth)
{
	char path[HU_PATH], chain[HU_CHAIN], addr[PCI_ADDR_MAX + 1];
	char text[HOSTUSE_WHAT_MAX];
	struct dirent *de;
	DIR *d;

	if (depth > HU_DEPTH_MAX || strchr(ifname, '/') || !ifname[0])
		return;
	fmt(chain, sizeof(chain), "%s%s%s", above, above[0] ? " over " : "", ifname);
	fmt(path, sizeof(path), "sys/class/net/%s/device", ifname);
	if (hu_pci_of(s, path, addr)) {
		fmt(text, sizeof(text), "%s (%s%s)", label, chain, tail);
		hu_add(s, addr, text);
		return;
	}
	fmt(path, sizeof(path), "sys/class/net/%s", ifname);
	d = sysfs_opendir(path);
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, "lower_", 6))
			hu_net_walk(s, label, tail, de->d_name + 6, chain, depth + 1);
	if (d)
		closedir(d);
}

/* n bytes from 2n hex digits, in the order printed (%pi6 in ipv6_route). */
static int hu_hex_bytes(const char *hex, unsigned char *out, size_t n)
{
	unsigned v;

	if (strlen(hex) < 2 * n)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		if (hex_parse(hex + 2 * i, 2, &v))
			return -EINVAL;
		out[i] = (unsigned char)v;
	}
	return 0;
}

/* n 32-bit words printed with %08X from memory (/proc/net/route, tcp,
 * tcp6): each word back into its bytes as the kernel held them. */
static int hu_hex_words(const char *hex, unsigned char *out, size_t n)
{
	unsigned v;
	uint32_t w;

	for (size_t i = 0; i < n; i++) {
		if (hex_parse(hex + 8 * i, 8, &v))
			return -EINVAL;
		w = v;
		memcpy(out + 4 * i, &w, 4);
	}
	return 0;
}

static unsigned hu_bits(const unsigned char *mask, size_t n)
{
	unsigned bits = 0;

	for (size_t i = 0; i < n; i++)
		for (unsigned char b = mask[i]; b; b >>= 1)
			bits += b & 1;
	return bits;
}

static void hu_add_route(struct hu_scan *s, const struct hu_route *r, size_t *cap)
{
	struct hu_route *grown;

	if (s->nrt == *cap) {
		grown = realloc(s->rt, (*cap ? 2 * *cap : 16) * sizeof(*s->rt));
		if (!grown) {
			s->nomem = 1;
			return;
		}
		s->rt = grown;
		*cap = *cap ? 2 * *cap : 16;
	}
	s->rt[s->nrt++] = *r;
}

/* /proc/net/route (net/ipv4/fib_trie.c fib_route_seq_show()): Iface
 * Destination Gateway Flags RefCnt Use Metric Mask ..., the main table. */
static int hu_route4(char **f, size_t n, struct hu_route *r)
{
	unsigned char mask[4];
	unsigned flags;

	if (n < 8 || hex_parse(f[3], 4, &flags) || hu_hex_words(f[1], r->dst, 1) ||
	    hu_hex_words(f[7], mask, 1))
		return -EINVAL;
	if (!(flags & HU_RTF_UP) || (flags & HU_RTF_REJECT))
		return -EINVAL;
	r->v6 = 0;
	r->plen = hu_bits(mask, 4);
	r->metric = (unsigned)strtoul(f[6], NULL, 10);
	fmt(r->dev, sizeof(r->dev), "%s", f[0]);
	return 0;
}

/* /proc/net/ipv6_route (net/ipv6/route.c ipv6_route_native_seq_show()):
 * DST PLEN SRC SPLEN NEXTHOP METRIC REFCNT USE FLAGS DEV, in hex. */
static int hu_route6(char **f, size_t n, struct hu_route *r)
{
	unsigned flags;

	if (n < 10 || hu_hex_bytes(f[0], r->dst, 16) || hex_parse(f[1], 2, &r->plen) ||
	    hex_parse(f[8], 8, &flags) || hex_parse(f[5], 8, &r->metric))
		return -EINVAL;
	if (!(flags & HU_RTF_UP) || (flags & HU_RTF_REJECT) || r->plen > 128)
		return -EINVAL;
	r->v6 = 1;
	fmt(r->dev, sizeof(r->dev), "%s", f[9]);
	return 0;
}

static void hu_read_routes(struct hu_scan *s, const char *file, int v6, size_t *cap)
{
	char *text, *cur, *line, *f[HU_FIELDS];
	struct hu_route r;
	size_t len, n;

	if (sysfs_slurp(file, SYSFS_FILE_MAX, &text, &len) < 0)
		return;
	for (cur = text; (line = hu_line(&cur));) {
		memset(&r, 0, sizeof(r));
		n = hu_fields(line, f, HU_FIELDS);
		if (!(v6 ? hu_route6(f, n, &r) : hu_route4(f, n, &r)) && strcmp(r.dev, "lo"))
			hu_add_route(s, &r, cap);
	}
	free(text);
}

static void hu_default_routes(struct hu_scan *s)
{
	for (size_t i = 0; i < s->nrt; i++)
		if (!s->rt[i].plen)
			hu_net_walk(s, s->rt[i].v6 ? "carries the IPv6 default route" :
				    "carries the IPv4 default route", "", s->rt[i].dev, "", 0);
}

static int hu_prefix_match(const unsigned char *a, const unsigned char *b, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));

	if (memcmp(a, b, full))
		return 0;
	return !rest || !((a[full] ^ b[full]) & mask);
}

/* The route the kernel sends to peer through: the longest prefix, then the
 * lowest metric, of the routes read (local routes on lo left out). */
static const struct hu_route *hu_route_to(const struct hu_scan *s, const unsigned char *peer,
					  int v6)
{
	const struct hu_route *best = NULL;

	for (size_t i = 0; i < s->nrt; i++) {
		const struct hu_route *r = &s->rt[i];

		if (r->v6 != v6 || !hu_prefix_match(r->dst, peer, r->plen))
			continue;
		if (!best || r->plen > best->plen ||
		    (r->plen == best->plen && r->metric < best->metric))
			best = r;
	}
	return best;
}

/* Each interface that may carry traffic to peer: the best route's, an equal
 * one's (multipath), and for an IPv6 link-local peer every interface with
 * that prefix (the scope id that picks one is not in /proc/net/tcp6). */
static void hu_route_walk(struct hu_scan *s, const unsigned char *peer, int v6,
			  const char *label, const char *tail)
{
	const struct hu_route *best = hu_route_to(s, peer, v6);
	int link_local = v6 && peer[0] == 0xfe && (peer[1] & 0xc0) == 0x80;

	for (size_t i = 0; best && i < s->nrt; i++) {
		const struct hu_route *r = &s->rt[i];

		if (r->v6 != v6 || r->plen != best->plen || !hu_prefix_match(r->dst, peer, r->plen))
			continue;
		if (r->metric == best->metric || link_local)
			hu_net_walk(s, label, tail, r->dev, "", 0);
	}
}

/* A dotted quad into 4 bytes; 0 or -EINVAL. */
static int hu_parse4(const char *s, unsigned char *out)
{
	unsigned long v;
	char *end;

	for (int i = 0; i < 4; i++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = strtoul(s, &end, 10);
		if (v > 255 || end - s > 3)
			return -EINVAL;
		out[i] = (unsigned char)v;
		s = end;
		if (i < 3 && *s++ != '.')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

/* One group of an IPv6 text (or its dotted IPv4 tail, two groups) into g;
 * how many groups, -EINVAL when it is neither. */
static int hu_group6(const char **s, unsigned *g, int room)
{
	size_t len = strspn(*s, "0123456789abcdefABCDEF");
	unsigned char v4[4];

	if ((*s)[len] == '.' && room >= 2 && !hu_parse4(*s, v4)) {
		g[0] = (unsigned)v4[0] << 8 | v4[1];
		g[1] = (unsigned)v4[2] << 8 | v4[3];
		*s += strlen(*s);
		return 2;
	}
	if (!len || len > 4 || room < 1 || hex_parse(*s, len, g))
		return -EINVAL;
	*s += len;
	return 1;
}

/*
 * RFC 4291 2.2 text into 16 bytes (klibc's inet_pton() takes no "::");
 * 0 or -EINVAL.
 */
static int hu_parse6(const char *s, unsigned char *out)
{
	unsigned g[8];
	int n = 0, gap = -1, got;

	if (!strncmp(s, "::", 2)) {
		gap = 0;
		s += 2;
	}
	while (*s) {
		got = hu_group6(&s, g + n, 8 - n);
		if (got < 0)
			return got;
		n += got;
		if (!*s)
			break;
		if (*s++ != ':' || !*s)
			return -EINVAL;
		if (*s != ':')
			continue;
		if (gap >= 0)
			return -EINVAL;
		gap = n;
		s++;
	}
	if ((gap < 0 && n != 8) || (gap >= 0 && n > 7))
		return -EINVAL;
	memset(out, 0, 16);
	for (int i = 0; i < n; i++) {
		int at = gap >= 0 && i >= gap ? i + 8 - n : i;

		out[2 * at] = (unsigned char)(g[i] >> 8);
		out[2 * at + 1] = (unsigned char)g[i];
	}
	return 0;
}

/* RFC 5952 text: lower-case hex, the longest run of two or more zero
 * groups (the first of equal ones) as "::". */
static void hu_format6(const unsigned char *a, char *buf, size_t size)
{
	unsigned g[8];
	int best = -1, best_len = 1, run, n = 0;

	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8; i += run ? run : 1) {
		for (run = 0; i + run < 8 && !g[i + run]; run++)
			;
		if (run > best_len) {
			best = i;
			best_len = run;
		}
	}
	buf[0] = '\0';
	for (int i = 0; i < 8 && (size_t)n < size; i++) {
		if (i == best) {
			n += fmt(buf + n, size - (size_t)n, "::");
			i += best_len - 1;
			continue;
		}
		n += fmt(buf + n, size - (size_t)n, "%s%x", n && buf[n - 1] != ':' ? ":" : "", g[i]);
	}
}

static void hu_format(const unsigned char *peer, int v6, char *buf, size_t size)
{
	if (v6)
		hu_format6(peer, buf, size);
	else
		fmt(buf, size, "%u.%u.%u.%u", peer[0], peer[1], peer[2], peer[3]);
}

/* An SSH peer, in network order (IPv4 in the first 4 bytes). */
static void hu_ssh_peer(struct hu_scan *s, const unsigned char *peer, int v6)
{
	static const unsigned char mapped[12] = { [10] = 0xff, [11] = 0xff };
	static const unsigned char loop6[16] = { [15] = 1 };
	char ip[64], label[128];

	if (v6 && !memcmp(peer, mapped, 12)) {
		hu_ssh_peer(s, peer + 12, 0);	/* IPv4 on a dual-stack socket */
		return;
	}
	if ((v6 && !memcmp(peer, loop6, 16)) || (!v6 && peer[0] == 127))
		return;
	hu_format(peer, v6, ip, sizeof(ip));
	fmt(label, sizeof(label), "carries the SSH connection from %s", ip);
	hu_route_walk(s, peer, v6, label, "");
}

/* "socket:[INODE]" */
static int hu_socket_inode(const char *link, unsigned long *inode)
{
	char *end;

	if (strncmp(link, "socket:[", 8))
		return -EINVAL;
	*inode = strtoul(link + 8, &end, 10);
	return *end == ']' ? 0 : -EINVAL;
}

/* 1 when process pid is named sshd (its comm). */
static int hu_is_sshd(const char *pid)
{
	char path[128], comm[32];

	if (pid[0] < '1' || pid[0] > '9')
		return 0;
	fmt(path, sizeof(path), "proc/%s/comm", pid);
	if (sysfs_read(path, comm, sizeof(comm)) < 0)
		return 0;
	return !strcmp(comm, "sshd");
}

/* Add the socket inodes of process pid's open files to ino; the new count. */
static size_t hu_socket_fds(const struct hu_scan *s, const char *pid, unsigned long *ino,
			    size_t n, size_t max)
{
	char path[128], link[64];
	struct dirent *fd;
	DIR *fds;
	ssize_t len;

	fmt(path, sizeof(path), "proc/%s/fd", pid);
	fds = sysfs_opendir(path);
	while (fds && (fd = readdir(fds)) && n < max) {
		fmt(path, sizeof(path), "proc/%s/fd/%s", pid, fd->d_name);
		len = readlinkat(s->dfd, path, link, sizeof(link) - 1);
		if (len <= 0)
			continue;
		link[len] = '\0';
		n += !hu_socket_inode(link, &ino[n]);
	}
	if (fds)
		closedir(fds);
	return n;
}

/* The socket inodes of the processes named sshd (its listeners among them). */
static size_t hu_sshd_inodes(const struct hu_scan *s, unsigned long *ino, size_t max)
{
	struct dirent *de;
	DIR *proc = sysfs_opendir("proc");
	size_t n = 0;

	while (proc && (de = readdir(proc)))
		if (hu_is_sshd(de->d_name))
			n = hu_socket_fds(s, de->d_name, ino, n, max);
	if (proc)
		closedir(proc);
	return n;
}

/* One socket of /proc/net/tcp or tcp6 (net/ipv4/tcp_ipv4.c
 * get_tcp4_sock(), net/ipv6/tcp_ipv6.c get_tcp6_sock()): sl, local ADDR:PORT,
 * remote ADDR:PORT, st, ..., inode in the tenth field. */
struct hu_sock {
	unsigned char local[16], remote[16];
	unsigned lport, state;
	unsigned long inode;
};

static int hu_endpoint(const char *s, int v6, unsigned char *addr, unsigned *port)
{
	size_t words = v6 ? 4 : 1;

	if (strlen(s) != 8 * words + 5 || s[8 * words] != ':')
		return -EINVAL;
	if (hu_hex_words(s, addr, words) || hex_parse(s + 8 * words + 1, 4, port))
		return -EINVAL;
	return 0;
}

static int hu_sock_parse(char *line, int v6, struct hu_sock *k)
{
	char *f[HU_FIELDS], *end;
	size_t n = hu_fields(line, f, HU_FIELDS);
	unsigned rport;

	if (n < 10 || hu_endpoint(f[1], v6, k->local, &k->lport) ||
	    hu_endpoint(f[2], v6, k->remote, &rport) || hex_parse(f[3], 2, &k->state))
		return -EINVAL;
	k->inode = strtoul(f[9], &end, 10);
	return *end ? -EINVAL : 0;
}

static int hu_inode_in(unsigned long inode, const unsigned long *ino, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ino[i] == inode)
			return 1;
	return 0;
}

static int hu_ssh_port(const struct hu_scan *s, unsigned port)
{
	for (size_t i = 0; i < s->nports; i++)
		if (s->ports[i] == port)
			return 1;
	return 0;
}

/* One pass over tcp (v6 0) or tcp6: with ino, collect the ports of sshd's
 * listeners; without, follow each established connection to those ports. */
static void hu_tcp(struct hu_scan *s, int v6, const unsigned long *ino, size_t nino)
{
	char *text, *cur, *line;
	struct hu_sock k;
	size_t len;

	if (sysfs_slurp(v6 ? "proc/net/tcp6" : "proc/net/tcp", SYSFS_FILE_MAX, &text, &len) < 0)
		return;
	for (cur = text; (line = hu_line(&cur));) {
		if (hu_sock_parse(line, v6, &k))
			continue;
		if (ino && k.state == HU_TCP_LISTEN && hu_inode_in(k.inode, ino, nino) &&
		    !hu_ssh_port(s, k.lport) && s->nports < HU_PORTS_MAX)
			s->ports[s->nports++] = k.lport;
		if (!ino && k.state == HU_TCP_ESTABLISHED && hu_ssh_port(s, k.lport) &&
		    memcmp(k.local, k.remote, v6 ? 16 : 4))
			hu_ssh_peer(s, k.remote, v6);
	}
	free(text);
}

/* SSH_CONNECTION="CLIENT_IP CLIENT_PORT SERVER_IP SERVER_PORT" (sshd's
 * session.c do_setup_env()), when it survived sudo. */
static void hu_ssh_env(struct hu_scan *s)
{
	const char *env = getenv("SSH_CONNECTION");
	unsigned char peer[16];
	char ip[64];
	size_t n;

	if (!env)
		return;
	n = strcspn(env, " ");
	if (!n || n >= sizeof(ip))
		return;
	memcpy(ip, env, n);
	ip[n] = '\0';
	if (!hu_parse4(ip, peer))
		hu_ssh_peer(s, peer, 0);
	else if (!hu_parse6(ip, peer))
		hu_ssh_peer(s, peer, 1);
}

static void hu_ssh(struct hu_scan *s)
{
	unsigned long ino[HU_INODES_MAX];
	size_t nino = hu_sshd_inodes(s, ino, HU_INODES_MAX);

	hu_tcp(s, 0, ino, nino);
	hu_tcp(s, 1, ino, nino);
	if (!s->nports)
		s->ports[s->nports++] = HU_SSH_PORT;	/* sshd's listeners unreadable */
	hu_tcp(s, 0, NULL, 0);
	hu_tcp(s, 1, NULL, 0);
	hu_ssh_env(s);
}

/* ---- the interface ---- */

static void hu_scan_free(struct hu_scan *s)
{
	for (size_t i = 0; i < s->nmnt; i++) {
		free(s->mnt[i].point);
		free(s->mnt[i].fstype);
		free(s->mnt[i].source);
		free(s->mnt[i].super);
	}
	free(s->mnt);
	free(s->rt);
	if (s->dfd >= 0)
		close(s->dfd);
}

int hostuse_scan(struct hostuse_list *u)
{
	struct hu_scan s = { .u = u, .dfd = sysfs_open(".", O_RDONLY | O_DIRECTORY, 0) };
	size_t cap = 0;

	memset(u, 0, sizeof(*u));
	if (s.dfd < 0)
		return 0;
	/* routes first: a network filesystem's server is reached through them */
	hu_read_routes(&s, "proc/net/route", 0, &cap);
	hu_read_routes(&s, "proc/net/ipv6_route", 1, &cap);
	hu_read_mounts(&s);
	hu_mounts(&s);
	hu_swaps(&s);
	hu_default_routes(&s);
	hu_ssh(&s);
	hu_scan_free(&s);
	return s.nomem ? -ENOMEM : (int)u->n;
}

const char *hostuse_of(const struct hostuse_list *u, const char *addr)
{
	for (size_t i = 0; i < u->n; i++)
		if (!strcmp(u->v[i].addr, addr))
			return u->v[i].what;
	return NULL;
}

void hostuse_free(struct hostuse_list *u)
{
	free(u->v);
	memset(u, 0, sizeof(*u));
}

/* The plan binds d, or would once the IOMMU is on: the missing IOMMU must
 * not hide that the host needs the device. */
static int hu_would_bind(const struct pci_dev *d)
{
	if (d->action == ACT_BIND)
		return 1;
	return d->action == ACT_SKIP &&
	       (d->why == REASON_NO_IOMMU || d->why == REASON_NO_IOMMU_GROUP);
}

int hostuse_refuse(const struct pci_list *l, const char *tail,
		   void (*say)(const char *addr, const char *text))
{
	struct hostuse_list u;
	const char *what;
	int n = 0;

	if (hostuse_scan(&u) < 0)
		log_warn("out of memory: the host's uses of its devices are not all known");
	for (size_t i = 0; i < l->n; i++) {
		if (!hu_would_bind(&l->dev[i]))
			continue;
		what = hostuse_of(&u, l->dev[i].addr);
		if (!what)
			continue;
		n++;
		if (say)
			say(l->dev[i].addr, what);
		else
			pr("%s %s: the host needs it; %s\n", l->dev[i].addr, what, tail);
	}
	hostuse_free(&u);
	return n;
}
