#!/bin/sh
# Fetch Debian's current amd64 kernel (what linux-image-amd64 depends on)
# into CACHE without installing it. Idempotent.
# usage: tests/vm/kernel.sh [CACHE]     (default: $VM_CACHE, build/vm-cache)
# Afterwards: CACHE/kver, CACHE/kernel/boot/vmlinuz-KVER, CACHE/kernel/lib/modules/KVER/
# (on trixie a link to CACHE/kernel/usr/lib/modules/KVER/)
set -eu
. "$(dirname "$0")/lib.sh"

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

cache=$(vm_abspath "${1:-$VM_CACHE}")
mkdir -p "$cache"
kernel_ready "$cache" || fetch_kernel "$cache"
kernel_ready "$cache" || vm_die "kernel in $cache is incomplete"
vm_say "kernel $(cat "$cache/kver") in $cache/kernel"
