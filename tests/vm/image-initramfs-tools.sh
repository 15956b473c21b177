#!/bin/sh
# Build an initramfs-tools test initrd for the cached kernel: our hook and
# init-top script (working tree, or the installed copies when
# VFIO_EARLY_INSTALLED=1), the modules of lib.sh (vm_image_modules) and the
# probe. The hook asks a stub vfio-early for the variant modules (lib.sh:
# vm_plan_stub), as it asks the host's.
# usage: tests/vm/image-initramfs-tools.sh CACHE OUT.img
# The host's /etc and /lib/modules are left alone: mkinitramfs runs in a
# private mount namespace with the cached kernel mounted where it looks.
set -eu
. "$(dirname "$0")/lib.sh"

IN_NAMESPACE=0
if [ "${1:-}" = --in-namespace ]; then
	IN_NAMESPACE=1
	shift
fi
[ $# -ge 2 ] || vm_die "usage: $0 CACHE OUT.img"
CACHE=$(vm_abspath "$1")
OUT=$(vm_abspath "$2")
KVER=$(vm_kver "$CACHE")
HOOK_SRC=$REPO_ROOT/initramfs-tools-hook
SYS_ITOOLS=/usr/share/initramfs-tools

write_conf() {
	cat <<-EOF
	MODULES=list
	BUSYBOX=y
	COMPRESS=$(command -v zstd >/dev/null 2>&1 && echo zstd || echo gzip)
	COMPRESSLEVEL=3
	RUNSIZE=10%
	FSTYPE=auto
	EOF
}

# Runs the probe after init-top (udev: coldplug + settle) has finished.
write_probe_script() {
	cat <<-'EOF'
	#!/bin/sh
	PREREQ=""
	prereqs() { echo "$PREREQ"; }
	case $1 in prereqs) prereqs; exit 0 ;; esac
	exec sh /usr/bin/vfio-probe
	EOF
}

# Adds the probe, vfio-usable (static) and the native drivers, without
# making init load them.
write_probe_hook() {
	cat <<-'EOF'
	#!/bin/sh
	case $1 in prereqs) exit 0 ;; esac
	. /usr/share/initramfs-tools/hook-functions
	cp "$VFIO_PROBE_SRC" "$DESTDIR/usr/bin/vfio-probe"
	mkdir -p "$DESTDIR/usr/lib/vfio-early-probe"
	cp "$VFIO_RULE_SRC" "$DESTDIR/usr/lib/vfio-early-probe/70-vfio-early.rules.in"
	if [ -f "$VFIO_USABLE_SRC" ]; then
		cp "$VFIO_USABLE_SRC" "$DESTDIR/usr/lib/vfio-early-probe/vfio-usable"
	fi
	copy_exec "$VFIO_HOST_BIN" /usr/lib/vfio-early-probe/vfio-early
	EOF
	echo "manual_add_modules $(vm_image_modules "$CACHE" | tr '\n' ' ')"
}

# A private confdir instead of /etc/initramfs-tools.
make_confdir() {
	mkdir -p "$1/hooks" "$1/scripts/init-top" "$1/scripts/init-premount" "$1/conf.d"
	write_conf >"$1/initramfs.conf"
	: >"$1/modules"
	write_probe_script >"$1/scripts/init-premount/vfio-probe"
	write_probe_hook >"$1/hooks/vfio-probe"
	if [ "${VFIO_EARLY_INSTALLED:-0}" != 1 ]; then
		cp "$HOOK_SRC/hooks/vfio-early" "$1/hooks/"
		cp "$HOOK_SRC"/scripts/init-top/* "$1/scripts/init-top/"
	fi
	chmod 0755 "$1"/hooks/* "$1"/scripts/*/*
}

# Runs inside the private mount namespace.
build_in_namespace() {
	if [ ! -d /lib/modules ]; then
		# Only in this namespace: an overlay gives /usr/lib a modules dir.
		mkdir -p "$WORK/ov/upper" "$WORK/ov/work"
		mount -t overlay vfio-early-test -o \
			"lowerdir=/usr/lib,upperdir=$WORK/ov/upper,workdir=$WORK/ov/work" /usr/lib
		mkdir /usr/lib/modules
	fi
	mount --bind "$(dirname "$(vm_moddir "$CACHE")")" /lib/modules
	mount --bind "$CACHE/kernel/boot" /boot
	if [ "${VFIO_EARLY_INSTALLED:-0}" != 1 ]; then
		hide_installed_copies
	fi
	add_test_modprobe_option
	vm_plan_stub "$WORK/stub" "$KVER" "$CACHE"
	env -u VFIO_EARLY_VARIANTS VFIO_EARLY_BIN="$WORK/stub/vfio-early" \
		VFIO_EARLY_BOOT_BIN="$(vm_binder)" VFIO_HOST_BIN="$(vm_host_binary)" \
		VFIO_PROBE_SRC="$VM_DIR/probe.sh" VFIO_RULE_SRC="$(vm_udev_rule)" \
		VFIO_USABLE_SRC="$(vm_usable)" mkinitramfs -d "$WORK/conf" -o "$OUT" "$KVER"
}


# An admin's modprobe.d option for vfio-pci must reach it through the
# binder's load list (scenario modprobe_options). No scenario but that one
# has an 8086:100e device, so the option changes nothing else.
add_test_modprobe_option() {
	[ -d /etc/modprobe.d ] || return 0
	mkdir -p "$WORK/modprobe.d"
	cp -a /etc/modprobe.d/. "$WORK/modprobe.d/"
	echo "options vfio-pci ids=8086:100e" >"$WORK/modprobe.d/vfio-early-test.conf"
	mount --bind "$WORK/modprobe.d" /etc/modprobe.d
}

# A packaged hook would otherwise run next to the working tree's.
hide_installed_copies() {
	printf '#!/bin/sh\nexit 0\n' >"$WORK/noop"
	chmod 0755 "$WORK/noop"
	for f in "$SYS_ITOOLS/hooks/vfio-early" "$SYS_ITOOLS"/scripts/init-top/*vfio-early; do
		[ -f "$f" ] && mount --bind "$WORK/noop" "$f"
	done
	return 0
}

# The binder must run before udev loads native drivers: check the boot
# order mkinitramfs cached in the image.
check_init_top_order() {
	unmkinitramfs "$OUT" "$WORK/unpacked"
	order=$(find "$WORK/unpacked" -path '*/scripts/init-top/ORDER' | head -n 1)
	names=$(sed -n 's|^/scripts/init-top/\([^ ]*\) .*|\1|p' "$order" | tr '\n' ' ')
	vm_say "init-top order: $names"
	case " $names" in
	*" udev "*vfio-early*) vm_die "vfio-early runs after udev" ;;
	*vfio-early*" udev "*) ;;
	*) vm_die "vfio-early or udev missing from init-top" ;;
	esac
}

if [ "$IN_NAMESPACE" = 1 ]; then
	build_in_namespace
	exit 0
fi

vm_require mkinitramfs unshare busybox
[ -x "$(vm_binder)" ] || vm_die "no binder at $(vm_binder) (run make)"
[ -x "$(vm_host_binary)" ] || vm_die "no host binary at $(vm_host_binary) (run make)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vfio-early-itools.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
make_confdir "$WORK/conf"
mkdir -p "$(dirname "$OUT")"
start=$(date +%s)
export WORK
TMPDIR=$WORK unshare -m --propagation private "$0" --in-namespace "$CACHE" "$OUT"
check_init_top_order
vm_say "built $OUT ($(du -k "$OUT" | cut -f1) KiB, $(vm_since "$start") s)"
