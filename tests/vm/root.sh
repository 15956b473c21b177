#!/bin/sh
# A Debian root of another release for the real-boot tests: its kernel,
# dracut, mkinitramfs, systemd and QEMU, run on this machine in a chroot.
# usage: tests/vm/root.sh RELEASE DIR [COMMAND [ARG...]]
#   Makes DIR a "debootstrap --variant=minbase RELEASE" root with the
#   packages of "tests/deps $ROOT_GROUPS" installed (what the real boots
#   and the package build need), then runs COMMAND in it: the
#   repository (and each dir of VM_ROOT_BINDS) bind-mounted at its own path,
#   /proc /sys /dev mounted, all in a private mount namespace that takes
#   every mount away when COMMAND ends, however it ends.
# The root is cached as VM_ROOT_CACHE/RELEASE-KEY.tar (default
# /var/cache/vfio-early): KEY hashes the release, the mirror and the package
# list, so a changed list makes a new root; one older than VM_ROOT_MAX_DAYS
# (default 7) is made again, as the archive moves on.
# Env: VM_DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -eu
. "$(dirname "$0")/lib.sh"

ROOT_FORMAT=2
ROOT_GROUPS="vm build pkg fw"
MIRROR=${VM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
ROOT_CACHE=${VM_ROOT_CACHE:-/var/cache/vfio-early}
MAX_DAYS=${VM_ROOT_MAX_DAYS:-7}

root_key() {
	{
		echo "format $ROOT_FORMAT $1 $MIRROR"
		"$REPO_ROOT/tests/deps" --list $ROOT_GROUPS
	} | sha256sum | cut -c1-12
}

# Mounts what the chroot needs, then runs the command in it. The root must be
# a mount point: mkinitramfs's builder runs unshare -m inside.
enter_root() {
	root=$1
	shift
	trap 'umount -R -l "$root" 2>/dev/null || true' EXIT
	trap 'exit 130' INT TERM
	mount --bind "$root" "$root"
	mount -t proc proc "$root/proc"
	mount --rbind /sys "$root/sys"
	mount --rbind /dev "$root/dev"
	for dir in "$REPO_ROOT" ${VM_ROOT_BINDS:-}; do
		mkdir -p "$root$dir"
		mount --bind "$dir" "$root$dir"
	done
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	rc=0
	chroot "$root" /usr/bin/env -u TMPDIR \
		PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		"$@" || rc=$?
	return "$rc"
}

# Runs COMMAND in the root DIR, in a new private mount namespace.
in_root() {
	unshare -m --propagation private "$VM_DIR/root.sh" --enter "$@"
}

# What the root's dpkg and apt are told before the packages go in: no
# fsync per file (a throwaway root: a crash means making it again), no
# man-db index rebuilt by every man page's trigger, no documentation or
# translations (no test reads them; lintian checks the package's own files),
# no translated package descriptions.
tune_root() {
	mkdir -p "$1/etc/dpkg/dpkg.cfg.d" "$1/etc/apt/apt.conf.d"
	cat >"$1/etc/dpkg/dpkg.cfg.d/vfio-early-test" <<-'EOF'
	force-unsafe-io
	path-exclude=/usr/share/doc/*
	path-exclude=/usr/share/man/*
	path-exclude=/usr/share/info/*
	path-exclude=/usr/share/locale/*
	path-include=/usr/share/locale/locale.alias
	EOF
	echo 'Acquire::Languages "none";' >"$1/etc/apt/apt.conf.d/90vfio-early-test"
}

# Debootstraps a root in DIR and installs the test packages in it, then
# keeps a copy as TAR (written under a temporary name and renamed when
# complete); DIR is the root made, not unpacked again from the copy.
make_root() {
	release=$1
	tar=$2
	dir=$3
	vm_require debootstrap
	! mounted_under "$dir" || vm_die "something is mounted under $dir; not replacing it"
	tmp=$(mktemp -d "$ROOT_CACHE/.$release.XXXXXX")
	rm -rf "$dir"
	mkdir -p "$dir"
	start=$(date +%s)
	vm_say "making a $release root with debootstrap (a few minutes)"
	debootstrap --variant=minbase "$release" "$dir" "$MIRROR" >"$tmp/debootstrap.log" 2>&1 ||
		{ tail -n 20 "$tmp/debootstrap.log" >&2; rm -rf "$tmp" "$dir"; vm_die "debootstrap $release failed"; }
	printf 'deb %s %s main\n' "$MIRROR" "$release" >"$dir/etc/apt/sources.list"
	tune_root "$dir"
	in_root "$dir" sh -c "echo 'man-db man-db/auto-update boolean false' | debconf-set-selections &&
		apt-get update -qq && '$REPO_ROOT/tests/deps' $ROOT_GROUPS && apt-get clean" ||
		{ rm -rf "$tmp" "$dir"; vm_die "installing the test packages in the $release root failed"; }
	tar -C "$dir" -cf "$tmp/root.tar" .
	mv "$tmp/root.tar" "$tar"
	rm -rf "$tmp"
	echo "${tar##*/} $(stat -c %Y "$tar")" >"$dir/.vfio-early-root"
	vm_say "$release root made in $(vm_since "$start") s"
}

fresh() {
	[ -s "$1" ] && [ -z "$(find "$1" -mtime "+$MAX_DAYS")" ]
}

mounted_under() {
	awk -v d="$1" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts
}

# DIR holds the root of tarball TAR, or is made to. Mounts made for other
# chroots are private to their namespaces: rm sees none of them.
unpack() {
	stamp="${1##*/} $(stat -c %Y "$1")"
	[ "$(cat "$2/.vfio-early-root" 2>/dev/null)" = "$stamp" ] && return 0
	! mounted_under "$2" || vm_die "something is mounted under $2; not replacing it"
	rm -rf "$2"
	mkdir -p "$2"
	vm_say "unpacking ${1##*/} into $2"
	tar -C "$2" -xf "$1"
	echo "$stamp" >"$2/.vfio-early-root"
}

if [ "${1:-}" = --enter ]; then
	shift
	enter_root "$@"
	exit
fi
[ $# -ge 2 ] || vm_die "usage: $0 RELEASE DIR [COMMAND [ARG...]]"
[ "$(id -u)" = 0 ] || vm_die "run as root (debootstrap, chroot, mounts)"
vm_require unshare chroot sha256sum tar
release=$1
dir=$(vm_abspath "$2")
shift 2
mkdir -p "$ROOT_CACHE"
tar=$ROOT_CACHE/$release-$(root_key "$release").tar
if ! fresh "$tar"; then
	make_root "$release" "$tar" "$dir"
	for old in "$ROOT_CACHE/$release"-*.tar; do
		[ "$old" = "$tar" ] || rm -f "$old"
	done
fi
unpack "$tar" "$dir"
[ $# -eq 0 ] || in_root "$dir" "$@"
