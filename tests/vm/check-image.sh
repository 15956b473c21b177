#!/bin/sh
# Check an initrd's vfio-early load list against the image itself: every
# line names a file that is in the image and is a kernel module (ELF, or
# xz/zstd/gzip as the kernel decompresses it), vfio-pci is among them, and
# the build printed no vfio-early warning; the image carries the boot binary
# at /usr/lib/vfio-early/vfio-early-boot and not the host binary, but for
# the test images' copy under the probe's path. In a dracut systemd image also:
# systemd-modules-load.service is ordered after the binder's pre-udev hook,
# and systemd-analyze verify finds no ordering cycle.
# usage: tests/vm/check-image.sh [--log BUILD.LOG] [--options MODULE=OPTS]...
#                                 [--variant MODULE]... IMAGE
#   --log      the generator's output: no "vfio-early" warning may be in it
#   --options  the list line of MODULE (underscore form) must end in OPTS
#   --variant  the list has a section for the variant module MODULE:
#              "variant MODULE", its "alias vfio_pci:PATTERN MODULE" lines,
#              then its files (checked as every line is), MODULE's last
# Prints TAP-style lines and "N passed, M failed"; exits 1 on a failure.
# Unpacks with unmkinitramfs (initramfs-tools) or dracut's lsinitrd.
set -u

PASSED=0
FAILED=0
LOGFILE=""
OPTIONS=""
VARIANTS=""

ok() {
	echo "ok - $*"
	PASSED=$((PASSED + 1))
}

not_ok() {
	echo "not ok - $*"
	FAILED=$((FAILED + 1))
}

usage() {
	echo "usage: $0 [--log BUILD.LOG] [--options MODULE=OPTS]... [--variant MODULE]... IMAGE" >&2
	exit 2
}

# The module name of a list line's path, underscore form.
module_of() {
	name=${1##*/}
	echo "${name%%.ko*}" | tr - _
}

# ELF, xz, zstd or gzip: what finit_module takes (the last three with
# MODULE_INIT_COMPRESSED_FILE) and what modprobe reads.
is_module_file() {
	magic=$(od -An -tx1 -N4 "$1" 2>/dev/null | tr -d ' \n')
	case $magic in
	7f454c46 | fd377a58 | 28b52ffd | 1f8b*) return 0 ;;
	esac
	return 1
}

# The root of the unpacked image: unmkinitramfs puts an early cpio's
# contents in early/, the main archive's in main/, or a lone one in DIR.
image_root() {
	if [ -d "$1/main" ]; then echo "$1/main"; else echo "$1"; fi
}

check_lines() {
	root=$1
	list=$2
	grep '^/' "$list" | while read -r path opts; do
		if [ -e "$root$path" ] && is_module_file "$root$path"; then
			ok "in the image: $path${opts:+ ($opts)}"
		else
			not_ok "in the image: $path (listed, not there or not a module)"
		fi
	done
}

check_options() {
	for spec in $OPTIONS; do
		mod=${spec%%=*}
		want=${spec#*=}
		line=$(grep '^/' "$2" | while read -r path opts; do
			[ "$(module_of "$path")" = "$mod" ] && echo "$opts"
		done)
		if [ "$line" = "$want" ]; then
			ok "$mod's list line carries the modprobe.d options \"$want\""
		else
			not_ok "$mod's list line carries \"$want\" (it has \"$line\")"
		fi
	done
}

# Each variant's section: "variant MODULE" starts it, the next "variant"
# line or the end of the list ends it. Prints "ALIASES LAST_FILE", or
# nothing when the list has no such section.
variant_section() {
	awk -v m="$1" '
		$1 == "variant" { in_s = ($2 == m); if (in_s) found = 1; next }
		!in_s { next }
		$1 == "alias" && $2 ~ /^vfio_pci:/ && $3 == m { aliases++ }
		/^\// { last = $1 }
		END { if (found) print aliases + 0, (last == "" ? "-" : last) }' "$2"
}

check_variants() {
	for mod in $VARIANTS; do
		sec=$(variant_section "$mod" "$1")
		if [ -z "$sec" ]; then
			not_ok "the list has a section \"variant $mod\""
			continue
		fi
		ok "the list has a section \"variant $mod\""
		if [ "${sec%% *}" -gt 0 ]; then
			ok "$mod's section has its vfio_pci aliases (${sec%% *})"
		else
			not_ok "$mod's section has its vfio_pci aliases (none)"
		fi
		if [ "$(module_of "${sec#* }")" = "$mod" ]; then
			ok "$mod's section ends with $mod itself (${sec#* })"
		else
			not_ok "$mod's section ends with $mod itself (it ends with ${sec#* })"
		fi
	done
}

# dracut's systemd initrd: our drop-in orders systemd-modules-load after
# dracut-pre-udev.service, without a cycle.
check_units() {
	units=$1/usr/lib/systemd/system
	[ -f "$units/dracut-pre-udev.service" ] || return 0
	if cat "$units"/systemd-modules-load.service.d/*.conf 2>/dev/null |
		grep -qx 'After=dracut-pre-udev.service'; then
		ok "systemd-modules-load.service runs after dracut-pre-udev.service (the binder)"
	else
		not_ok "systemd-modules-load.service runs after dracut-pre-udev.service (the binder)"
	fi
	command -v systemd-analyze >/dev/null 2>&1 || return 0
	systemd-analyze verify --root="$1" initrd.target >"$work/verify.log" 2>&1
	if grep -qi 'ordering cycle' "$work/verify.log"; then
		grep -i 'cycle' "$work/verify.log" | sed 's/^/#   /'
		not_ok "systemd-analyze verify initrd.target: no ordering cycle"
	elif grep -qi 'unrecognized option\|unknown option' "$work/verify.log"; then
		echo "ok - systemd-analyze verify initrd.target # SKIP no --root in this systemd"
	else
		ok "systemd-analyze verify initrd.target: no ordering cycle"
	fi
}

# The two binaries tell themselves apart by their usage lines.
BOOT_MARK='usage: vfio-early-boot '
HOST_MARK='usage: vfio-early SUBCOMMAND'
PROBE_HOST=/usr/lib/vfio-early-probe/vfio-early

# The boot binary at its path; the host binary nowhere else than the probe's
# own path (a test image adds it there for the udev rule, as a real root has it).
check_binaries() {
	boot=$1/usr/lib/vfio-early/vfio-early-boot
	if [ -f "$boot" ] && [ -x "$boot" ] && grep -aq "$BOOT_MARK" "$boot"; then
		ok "the boot binary is at /usr/lib/vfio-early/vfio-early-boot"
	else
		not_ok "the boot binary is at /usr/lib/vfio-early/vfio-early-boot"
	fi
	others=$(find "$1" -type f -size +8k -exec grep -laF "$HOST_MARK" {} + 2>/dev/null |
		sed "s|^$1||" | grep -vx "$PROBE_HOST")
	if [ -z "$others" ]; then
		ok "the host binary is not in the image, but for the probe's copy"
	else
		echo "$others" | sed 's/^/#   /'
		not_ok "the host binary is not in the image"
	fi
	if [ -f "$1$PROBE_HOST" ]; then
		if grep -aqF "$HOST_MARK" "$1$PROBE_HOST"; then
			ok "the probe's $PROBE_HOST is the host binary"
		else
			not_ok "the probe's $PROBE_HOST is the host binary"
		fi
	fi
}

check_log() {
	[ -n "$LOGFILE" ] || return 0
	if grep -i 'vfio-early' "$LOGFILE" | grep -Eq '^(W|E):|warn|missing'; then
		grep -i 'vfio-early' "$LOGFILE" | sed 's/^/#   /'
		not_ok "the build printed no vfio-early warning"
	else
		ok "the build printed no vfio-early warning"
	fi
}

# unmkinitramfs stops at the padding of dracut's uncompressed images;
# lsinitrd --unpack reads both generators' images.
unpack() {
	if command -v unmkinitramfs >/dev/null 2>&1 && unmkinitramfs "$1" "$2"; then
		return 0
	fi
	command -v lsinitrd >/dev/null 2>&1 || return 1
	rm -rf "$2" && mkdir -p "$2" && (cd "$2" && lsinitrd --unpack "$1")
}

while [ $# -gt 1 ]; do
	case $1 in
	--log) LOGFILE=$2 ;;
	--options) OPTIONS="$OPTIONS $2" ;;
	--variant) VARIANTS="$VARIANTS $2" ;;
	*) usage ;;
	esac
	shift 2
done
[ $# = 1 ] || usage
IMAGE=$1

work=$(mktemp -d "${TMPDIR:-/tmp}/vfio-early-check.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
if ! unpack "$(realpath "$IMAGE")" "$work/img" 2>"$work/unpack.log"; then
	sed 's/^/#   /' "$work/unpack.log"
	echo "$0: cannot unpack $IMAGE" >&2
	exit 2
fi
root=$(image_root "$work/img")
list=$(find "$root/lib/modules/" -maxdepth 2 -name vfio-early.modules 2>/dev/null | head -n 1)
if [ -z "$list" ]; then
	not_ok "the image has lib/modules/KVER/vfio-early.modules"
else
	ok "the image has ${list#"$root"}"
	check_lines "$root" "$list" >"$work/lines"
	cat "$work/lines"
	PASSED=$((PASSED + $(grep -c '^ok' "$work/lines")))
	FAILED=$((FAILED + $(grep -c '^not ok' "$work/lines")))
	if grep '^/' "$list" | cut -d' ' -f1 | while read -r p; do module_of "$p"; done |
		grep -qx vfio_pci; then
		ok "vfio-pci is in the list"
	else
		not_ok "vfio-pci is in the list"
	fi
	check_options "$root" "$list"
	check_variants "$list"
fi
check_binaries "$root"
check_units "$root"
check_log
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
