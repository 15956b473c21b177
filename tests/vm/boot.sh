#!/bin/sh
# Boot the cached kernel with an initrd once under QEMU (TCG); the serial
# console goes to LOG. Exits 0 only if the probe finished (PROBE-END).
# usage: tests/vm/boot.sh IMG LOG APPEND [extra qemu args...]
# Env: VM_CACHE (kernel), VM_BOOT_TIMEOUT (seconds, default 180).
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || vm_die "usage: $0 IMG LOG APPEND [qemu args...]"
img=$1
log=$2
append=$3
shift 3
[ -f "$img" ] || vm_die "no image $img"
vmlinuz=$(vm_vmlinuz "$VM_CACHE")
rm -f "$log" "$log.stderr"

timeout -k 5 "${VM_BOOT_TIMEOUT:-180}" \
	qemu-system-x86_64 -accel tcg -M q35 -cpu max -m 1G -nodefaults \
	-display none -no-reboot -serial "file:$log" \
	-kernel "$vmlinuz" -initrd "$img" \
	-append "console=ttyS0 panic=-1 no_timer_check $append" "$@" </dev/null 2>"$log.stderr" || true

grep -q '^PROBE-END' "$log" 2>/dev/null
