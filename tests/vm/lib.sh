# shellcheck shell=sh
# Common helpers for the VM tests. Source it from a script in tests/vm/:
#   . "$(dirname "$0")/lib.sh"
# Sets VM_DIR, REPO_ROOT and VM_CACHE (default build/vm-cache, absolute).

VM_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_ROOT=$(cd "$VM_DIR/../.." && pwd)
VM_CACHE=${VM_CACHE:-$REPO_ROOT/build/vm-cache}
export VM_CACHE

# Native drivers every test image carries, so the scenarios can show that
# vfio-early wins against them. "dummy" is never auto-loaded by udev: the
# rd.driver.pre= scenario loads it on purpose. ahci, lpc_ich and i2c_i801
# drive q35's chipset functions 00:1f.2, 00:1f.0 and 00:1f.3; igb and igbvf
# an SR-IOV NIC and its VFs (scenario sriov_vf). One module name per line.
vm_native_modules() {
	printf "%s\n" e1000e snd_hda_intel snd_hda_codec_generic bochs qxl dummy \
		ahci lpc_ich i2c_i801 igb igbvf
}

# The udev rule the images carry for the after-boot scenarios: the working
# tree's template, or the packaged rule.
vm_udev_rule() {
	if [ "${VFIO_EARLY_INSTALLED:-0}" = 1 ]; then
		echo /usr/lib/udev/rules.d/70-vfio-early.rules
	else
		echo "$REPO_ROOT/udev/70-vfio-early.rules.in"
	fi
}

# The test variant driver tests/vm/variant (driver vfe-testdev, for QEMU's
# pci-testdev 1b36:0005), which kernel.sh builds into the kernel caches of
# 6.1 and later (bookworm, trixie).
VM_VFIO_VARIANT=vfe_test_variant

# The cache CACHE's kernel carries the test variant driver.
vm_has_vfio_variant() {
	[ -s "$1/kver" ] && grep -q "^updates/$VM_VFIO_VARIANT\.ko[.a-z]*:" "$(vm_moddir "$1")/modules.dep"
}

# The modules every test image carries besides the generators' own: the
# native drivers, and the test variant driver where CACHE's kernel has it
# (scenario variant_fixture loads it by hand, without vfio-early).
vm_image_modules() {
	vm_native_modules
	if vm_has_vfio_variant "$1"; then
		echo "$VM_VFIO_VARIANT"
	fi
}

# VFIO_EARLY_VARIANTS for the hooks (the variant modules an image must carry
# with their sections of the load list): the caller's, else the test variant
# driver where CACHE's kernel has it. The binder loads a variant only for a
# device it binds that picks one, so every scenario's image may carry it.
vm_image_variants() {
	if [ -n "${VFIO_EARLY_VARIANTS+set}" ]; then
		echo "$VFIO_EARLY_VARIANTS"
	elif vm_has_vfio_variant "$1"; then
		echo "$VM_VFIO_VARIANT"
	fi
}

# The hooks ask the host's vfio-early which variant modules the next boot
# needs here ("plan --image-modules KVER"; unit tests prove its answer on
# fake trees). This host has no test device, so a stub in DIR answers as
# vfio-early would for one (the variants of CACHE); the images built with
# it (VFIO_EARLY_BIN=DIR/vfio-early: initramfs-tools, dracut without
# systemd) take the variant that way, the others through
# VFIO_EARLY_VARIANTS. Any other call prints nothing (and why, to the
# hook's discarded stderr): check-image.sh then fails.
# usage: vm_plan_stub DIR KVER CACHE
vm_plan_stub() {
	mkdir -p "$1"
	cat >"$1/vfio-early" <<-EOF
	#!/bin/sh
	if [ "\$*" != "plan --image-modules $2" ]; then
		echo "vfio-early stub: unexpected call: \$*" >&2
		exit 2
	fi
	for m in $(vm_image_variants "$3"); do echo "\$m"; done
	EOF
	chmod 0755 "$1/vfio-early"
}

vm_say() {
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

vm_die() {
	vm_say "error: $*"
	exit 1
}

vm_abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

vm_kver() {
	[ -s "$1/kver" ] || vm_die "no kernel in $1: run tests/vm/kernel.sh $1"
	cat "$1/kver"
}

vm_vmlinuz() {
	printf '%s/kernel/boot/vmlinuz-%s\n' "$1" "$(vm_kver "$1")"
}

# The kernel's module tree: lib/modules (bookworm) or usr/lib/modules
# (trixie's linux-image); kernel.sh links the first to the second.
vm_moddir() {
	vm_k=$(vm_kver "$1")
	if [ -d "$1/kernel/lib/modules/$vm_k" ] || [ ! -d "$1/kernel/usr/lib/modules/$vm_k" ]; then
		printf '%s/kernel/lib/modules/%s\n' "$1" "$vm_k"
	else
		printf '%s/kernel/usr/lib/modules/%s\n' "$1" "$vm_k"
	fi
}

# The Debian release the tests run under, as the report names it:
# $VM_RELEASE, else this system's codename.
vm_release() {
	if [ -n "${VM_RELEASE:-}" ]; then
		echo "$VM_RELEASE"
	else
		(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-unknown}")
	fi
}

# The median of the numbers on stdin, one a line; nothing if none.
vm_median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# The binder's time from its first "select" to its last outcome line
# (bound, not bound, vanished, vfio-pci missing), in ms, from the probe's
# PROBE-KMSGT lines in $1; nothing when it selected nothing.
vm_bind_ms() {
	awk '$1 == "PROBE-KMSGT" {
		if (!t0 && / vfio-early: select /) t0 = $2
		if (/: (not )?bound to vfio-pci|: device vanished|vfio-pci (could not be loaded|driver is not registered)/) t1 = $2
	} END { if (t0 && t1 >= t0) printf "%.1f\n", (t1 - t0) * 1000 }' "$1" 2>/dev/null
}

# Of that time, the part until the binder logged "vfio-pci loaded": the
# kernel loading the vfio modules (signature checks included); nothing when
# vfio-pci was there already.
vm_module_ms() {
	awk '$1 == "PROBE-KMSGT" {
		if (!t0 && / vfio-early: select /) t0 = $2
		if (/ vfio-early: vfio-pci loaded$/) t1 = $2
	} END { if (t0 && t1 >= t0) printf "%.1f\n", (t1 - t0) * 1000 }' "$1" 2>/dev/null
}

# A kernel cache derived from another (recompress.sh, unsign.sh): unless
# vm_derived_made DST KVER, moddir=$(vm_derived_copy SRC DST), the modules
# changed, then vm_derived_done DST KVER WHAT.
vm_derived_made() {
	[ "$(cat "$1/kver" 2>/dev/null)" = "$2" ] && [ -s "$(vm_moddir "$1")/modules.dep" ]
}

# SRC's kernel copied to a fresh DST; prints DST's module tree.
vm_derived_copy() {
	rm -rf "$2"
	mkdir -p "$2"
	cp -a "$1/kernel" "$2/kernel"
	vm_m=$(vm_moddir "$1")
	echo "$2/${vm_m#"$1"/}"
}

# depmod over DST's changed modules (WHAT names them in the error), then
# DST's kver: only a complete cache is ever taken as made.
vm_derived_done() {
	depmod -b "$1/kernel" "$2" 2>"$1/depmod.log" && ! grep -q . "$1/depmod.log" ||
		{ head -n 5 "$1/depmod.log" >&2; vm_die "depmod failed on the $3 modules"; }
	echo "$2" >"$1/kver"
}

# The boot binary the images carry: $VFIO_EARLY_BOOT_BIN, the working
# tree's, or the packaged one.
vm_binder() {
	if [ -n "${VFIO_EARLY_BOOT_BIN:-}" ]; then
		echo "$VFIO_EARLY_BOOT_BIN"
	elif [ "${VFIO_EARLY_INSTALLED:-0}" = 1 ]; then
		echo /usr/lib/vfio-early/vfio-early-boot
	else
		echo "$REPO_ROOT/build/vfio-early-boot"
	fi
}

# The host binary (dynamic), which test images add under the probe's own
# path for the udev rule of the after-boot scenarios, as a real root has
# it: $VFIO_EARLY_HOST_BIN, the working tree's, or the packaged one.
vm_host_binary() {
	if [ -n "${VFIO_EARLY_HOST_BIN:-}" ]; then
		echo "$VFIO_EARLY_HOST_BIN"
	elif [ "${VFIO_EARLY_INSTALLED:-0}" = 1 ]; then
		echo /usr/sbin/vfio-early
	else
		echo "$REPO_ROOT/build/vfio-early"
	fi
}

# The test images' vfio-usable (tests/vm/vfio-usable.c, built by make).
vm_usable() {
	echo "$REPO_ROOT/build/vfio-usable"
}

vm_require() {
	for vm_cmd in "$@"; do
		command -v "$vm_cmd" >/dev/null 2>&1 ||
			vm_die "$vm_cmd not found (see README: make vmcheck prerequisites)"
	done
}

# Elapsed whole seconds since the epoch time given.
vm_since() {
	echo $(($(date +%s) - $1))
}
