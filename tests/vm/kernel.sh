#!/bin/sh
# Fetch Debian's current amd64 kernel (what linux-image-amd64 depends on)
# into CACHE without installing it. Idempotent.
# usage: tests/vm/kernel.sh [CACHE]     (default: $VM_CACHE, build/vm-cache)
# Afterwards: CACHE/kver, CACHE/kernel/boot/vmlinuz-KVER, CACHE/kernel/lib/modules/KVER/
# (on trixie a link to CACHE/kernel/usr/lib/modules/KVER/)
# Where the kernel has vfio-pci-core and is 6.1 or later, it also
# builds the test variant driver tests/vm/variant against that kernel's own
# headers into the cache: KVER/updates/vfe_test_variant.ko, depmod run.
set -eu
. "$(dirname "$0")/lib.sh"

VARIANT_SRC=$VM_DIR/variant

kernel_ready() {
	[ -s "$1/kver" ] || return 1
	k=$(cat "$1/kver")
	[ -f "$1/kernel/boot/vmlinuz-$k" ] && [ -s "$(vm_moddir "$1")/modules.dep" ]
}

# trixie's package has its modules under usr/lib/modules; depmod -b, the
# image builders and the tests find them under lib/modules (merged /usr).
link_lib_modules() {
	[ -d "$1/lib/modules" ] || [ ! -d "$1/usr/lib/modules" ] && return 0
	mkdir -p "$1/lib"
	ln -s ../usr/lib/modules "$1/lib/modules"
}

kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' | head -n 1
}

fetch_kernel() {
	pkg=$(kernel_package)
	if [ -z "$pkg" ]; then
		vm_say "linux-image-amd64 unknown to apt, running apt-get update"
		apt-get update -qq
		pkg=$(kernel_package)
	fi
	[ -n "$pkg" ] || vm_die "cannot resolve linux-image-amd64"
	mkdir -p "$1/deb"
	(cd "$1/deb" && apt-get download -qq -o APT::Sandbox::User=root "$pkg")
	rm -rf "$1/kernel"
	dpkg -x "$(ls "$1/deb/${pkg}_"*.deb | tail -n 1)" "$1/kernel"
	link_lib_modules "$1/kernel"
	kver=${pkg#linux-image-}
	depmod -b "$1/kernel" "$kver"
	echo "$kver" >"$1/kver"
	rm -f "$1/deb/${pkg}_"*.deb
}

# The test variant driver (lib.sh: VM_VFIO_VARIANT) is built for a kernel
# with vfio-pci-core from 6.1 on (bookworm's and trixie's): 6.1 brought
# vfio_alloc_device() and the init/release ops it is written with.
wants_variant() {
	grep -q '/vfio-pci-core\.ko' "$(vm_moddir "$1")/modules.dep" || return 1
	k=$(vm_kver "$1")
	major=${k%%.*}
	minor=${k#*.}
	minor=${minor%%[!0-9]*}
	[ "$major" -gt 6 ] || { [ "$major" = 6 ] && [ "$minor" -ge 1 ]; }
}

# What the module was built from: its source, the build recipe below and
# the kernel; a change in any builds it again.
variant_stamp() {
	{
		vm_kver "$1"
		cat "$VARIANT_SRC"/*
		sed -n '/^build_variant()/,/^}/p' "$0"
	} | sha256sum | cut -c1-16
}

# The stamp lies beside the module, where the copies of unsign.sh and
# recompress.sh take it along: they need no build of their own.
stamp_file() {
	echo "$(vm_moddir "$1")/updates/$VM_VFIO_VARIANT.stamp"
}

variant_ready() {
	[ "$(cat "$(stamp_file "$1")" 2>/dev/null)" = "$(variant_stamp "$1")" ] &&
		vm_has_vfio_variant "$1"
}

# The header packages of KVER: linux-headers-KVER and what of its
# dependencies is the same source package's (-common, linux-kbuild-*).
header_packages() {
	echo "linux-headers-$1"
	apt-cache depends "linux-headers-$1" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(headers\|kbuild\)-[0-9][^ ]*\)$/\1/p'
}

# Downloads the kernel's headers into WORK/deb (a kernel cached long ago may
# have none left in the archive: then only a warning, and the scenarios
# that need the module say why they skip), builds the module in a
# private mount namespace (build_variant) and puts it into the cache's
# module tree, then runs depmod there. The files of the cache are hard links
# of other caches' (vm_derived_copy, a lead's copy): only new files are
# written (depmod too writes new ones and renames them).
make_variant() {
	cache=$1
	kver=$(vm_kver "$cache")
	start=$(date +%s)
	work=$(mktemp -d "${TMPDIR:-/tmp}/vfio-early-variant.XXXXXX")
	mkdir -p "$work/deb" "$work/src"
	pkgs=$(header_packages "$kver" | tr "\n" " ")
	# shellcheck disable=SC2086 # one package name a word
	if ! (cd "$work/deb" && apt-get download -qq -o APT::Sandbox::User=root $pkgs); then
		rm -rf "$work"
		vm_say "warning: cannot download the headers of $kver ($pkgs): no $VM_VFIO_VARIANT, its scenarios will be skipped (an archive past this kernel: remove $cache for its current one)"
		return 0
	fi
	got=$(date +%s)
	cp "$VARIANT_SRC"/* "$work/src/"
	if ! unshare -m --propagation private "$0" --build-variant "$kver" "$work" \
		>"$work/build.log" 2>&1; then
		tail -n 15 "$work/build.log" >&2
		rm -rf "$work"
		vm_die "building the test variant driver against the $kver headers failed"
	fi
	moddir=$(vm_moddir "$cache")
	mkdir -p "$moddir/updates"
	rm -f "$moddir/updates/$VM_VFIO_VARIANT.ko"
	cp "$work/src/$VM_VFIO_VARIANT.ko" "$moddir/updates/"
	rm -rf "$work"
	depmod -b "$cache/kernel" "$kver" || vm_die "depmod failed after adding $VM_VFIO_VARIANT"
	variant_stamp "$cache" >"$(stamp_file "$cache").new"
	mv "$(stamp_file "$cache").new" "$(stamp_file "$cache")"
	vm_say "$VM_VFIO_VARIANT built for $kver: headers downloaded in $((got - start)) s, built in $(vm_since "$got") s"
}

# In a private mount namespace: the header packages unpacked into an
# overlay over /usr. Debian's headers name their files by absolute paths
# (linux-headers-KVER/Makefile includes /usr/src/linux-headers-*-common/,
# its scripts link to /usr/lib/linux-kbuild-*): unpacked where they would
# be installed, they build as installed ones would, and the overlay goes
# with the namespace, leaving /usr as it was. BTF for the module is off: it
# needs pahole, which the root does not have and no test uses.
build_variant() {
	kver=$1
	work=$2
	# The overlay's upper layer on a tmpfs: the one under TMPDIR may itself
	# be an overlay (a container's root), which cannot be an upper layer.
	mkdir -p "$work/ov" "$work/x"
	mount -t tmpfs vfio-early-headers "$work/ov"
	mkdir "$work/ov/upper" "$work/ov/work"
	mount -t overlay vfio-early-headers \
		-o "lowerdir=/usr,upperdir=$work/ov/upper,workdir=$work/ov/work" /usr
	for deb in "$work"/deb/*.deb; do
		dpkg -x "$deb" "$work/x"
	done
	cp -a "$work/x/usr/." /usr/
	make -C "/usr/src/linux-headers-$kver" M="$work/src" CONFIG_DEBUG_INFO_BTF_MODULES= modules
}

if [ "${1:-}" = --build-variant ]; then
	build_variant "$2" "$3"
	exit
fi
cache=$(vm_abspath "${1:-$VM_CACHE}")
mkdir -p "$cache"
kernel_ready "$cache" || fetch_kernel "$cache"
kernel_ready "$cache" || vm_die "kernel in $cache is incomplete"
if wants_variant "$cache" && ! variant_ready "$cache"; then
	make_variant "$cache"
fi
vm_say "kernel $(cat "$cache/kver") in $cache/kernel"
