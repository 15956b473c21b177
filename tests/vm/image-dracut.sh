#!/bin/sh
# Build a dracut test initrd for the cached Debian kernel, carrying the
# vfio-early dracut module, the native drivers the scenarios need and the
# test-only module tests/vm/dracut-probe (dummy root, probe, power off).
# usage: tests/vm/image-dracut.sh CACHE OUT.img [systemd|nosystemd]
#   systemd    dracut's systemd initrd; our pre-udev hook binds
#   nosystemd  dracut's shell init (--omit systemd); our pre-udev hook binds
# Uses the working tree's module and build/vfio-early-boot; with
# VFIO_EARLY_INSTALLED=1 the packaged ones (/usr/lib/dracut/modules.d/90vfio-early,
# vfio-early-boot found by the module). The probe module adds the host binary (lib.sh: vm_host_binary).
# VFIO_EARLY_BOOT_BIN overrides the boot binary, VFIO_EARLY_PROBE the probe script
# (default tests/vm/probe.sh). The systemd image lists e1000e in
# /etc/modules-load.d, as hosts list their early-KMS GPU driver there:
# systemd-modules-load must wait for the binder (scenario modules_load);
# VFIO_EARLY_MODULES_LOAD overrides the list ("" for none). The hook gets
# VFIO_EARLY_VARIANTS (lib.sh: vm_image_variants), or without systemd asks a
# stub vfio-early for them (lib.sh: vm_plan_stub).
#
# dracut reads its modules from $dracutbasedir/modules.d only, so the build
# runs against a private base dir: symlinks to the system's dracut plus
# copies of our modules. The host's dracut configuration is ignored.
set -eu
. "$(dirname "$0")/lib.sh"

SYSTEM_DRACUT=/usr/lib/dracut
MODULES_COMMON="base kernel-modules udev-rules vfio-early-probe"
MODULES_SYSTEMD="systemd systemd-initrd systemd-udevd dracut-systemd"

usage() {
	echo "usage: $0 CACHE OUT.img [systemd|nosystemd]" >&2
	exit 2
}

installed() {
	[ "${VFIO_EARLY_INSTALLED:-0}" = 1 ]
}

module_source() {
	if installed; then
		echo "$SYSTEM_DRACUT/modules.d/90vfio-early"
	else
		echo "$REPO_ROOT/dracut-module/90vfio-early"
	fi
}

# The boot binary to put in the image; empty: the module looks for the packaged one.
binder_path() {
	if [ -n "${VFIO_EARLY_BOOT_BIN:-}" ]; then
		echo "$VFIO_EARLY_BOOT_BIN"
	elif ! installed; then
		vm_binder
	fi
}

# $1 = variant: the dracut modules to build with.
dracut_modules() {
	case $1 in
	systemd) echo "$MODULES_SYSTEMD $MODULES_COMMON vfio-early" ;;
	nosystemd) echo "$MODULES_COMMON vfio-early" ;;
	esac
}

# $1 = new base dir: the system's dracut, with our modules in modules.d.
make_basedir() {
	mkdir -p "$1/modules.d"
	for f in "$SYSTEM_DRACUT"/*; do
		[ "${f##*/}" = modules.d ] || ln -s "$f" "$1/"
	done
	for m in "$SYSTEM_DRACUT"/modules.d/*; do
		case ${m##*/} in
		??vfio-early*) ;;
		*) ln -s "$m" "$1/modules.d/" ;;
		esac
	done
	cp -R "$(module_source)" "$1/modules.d/90vfio-early"
	cp -R "$VM_DIR/dracut-probe" "$1/modules.d/99vfio-early-probe"
}

[ $# -ge 2 ] || usage
cache=$(vm_abspath "$1")
out=$(vm_abspath "$2")
variant=${3:-systemd}
case $variant in systemd | nosystemd) ;; *) usage ;; esac
vm_require dracut modprobe busybox
kver=$(vm_kver "$cache")
binder=$(binder_path)
[ -z "$binder" ] || [ -x "$binder" ] || vm_die "no binder at $binder (run make)"
host_bin=$(vm_host_binary)
[ -x "$host_bin" ] || vm_die "no host binary at $host_bin (run make)"
[ -d "$(module_source)" ] || vm_die "no dracut module at $(module_source)"
probe=${VFIO_EARLY_PROBE:-$VM_DIR/probe.sh}
[ -f "$probe" ] || vm_die "no probe script at $probe"
omit=""
[ "$variant" = nosystemd ] && omit="systemd systemd-initrd dracut-systemd"

work=$(mktemp -d "${TMPDIR:-/tmp}/vfio-early-dracut.XXXXXX")
trap 'rm -rf "$work"' EXIT
make_basedir "$work/base"
mkdir -p "$work/conf.d" "$work/tmp"

modules_load=""
[ "$variant" != systemd ] || modules_load=${VFIO_EARLY_MODULES_LOAD-e1000e}
set --
if [ -n "$modules_load" ]; then
	# shellcheck disable=SC2086 # one module name per word
	printf '%s\n' $modules_load >"$work/modules-load.conf"
	set -- --include "$work/modules-load.conf" /etc/modules-load.d/vfio-early-test.conf
fi

# The variants: through the hook's "plan --image-modules" (a stub answers)
# without systemd, through VFIO_EARLY_VARIANTS with it (lib.sh: vm_plan_stub).
variants=$(vm_image_variants "$cache")
ask=
if [ "$variant" = nosystemd ]; then
	vm_plan_stub "$work/stub" "$kver" "$cache"
	ask=$work/stub/vfio-early
	variants=
fi

start=$(date +%s)
dracutbasedir="$work/base" VFIO_EARLY_BOOT_BIN=$binder VFIO_EARLY_PROBE=$probe \
	VFIO_EARLY_HOST_BIN=$host_bin VFIO_EARLY_VARIANTS=$variants VFIO_EARLY_BIN=$ask \
	VFIO_EARLY_RULE=$(vm_udev_rule) VFIO_EARLY_USABLE=$(vm_usable) \
	dracut --force --quiet --conf /dev/null --confdir "$work/conf.d" \
	--tmpdir "$work/tmp" --no-hostonly --no-hostonly-cmdline \
	--no-early-microcode --nofscks --no-compress \
	--kver "$kver" --kmoddir "$(vm_moddir "$cache")" \
	--modules "$(dracut_modules "$variant")" --omit " $omit " \
	--drivers "$(vm_image_modules "$cache" | tr '\n' ' ')" \
	"$@" "$out" "$kver"
vm_say "$variant image $out: $(($(stat -c %s "$out") / 1024)) KiB in $(vm_since "$start") s"
