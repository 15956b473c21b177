#!/bin/sh
# A copy of a kernel cache (tests/vm/kernel.sh) whose vfio modules carry no
# signature, so that the boot report can tell the binder's time from the
# kernel's: loading a module, the kernel verifies its appended signature
# (module_sig_check()), and trixie's modules are signed with ECDSA P-384,
# bookworm's with RSA; under TCG one ECDSA check costs tens of ms. The
# kernel loads an unsigned module all the same (no module.sig_enforce, no
# lockdown) and taints itself. The modules of vfio-pci's load plan are left
# uncompressed; the others are copied as they are. Idempotent.
# usage: tests/vm/unsign.sh CACHE NEW_CACHE
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || vm_die "usage: $0 CACHE NEW_CACHE"
src=$(vm_abspath "$1")
dst=$(vm_abspath "$2")
kver=$(vm_kver "$src")
if vm_derived_made "$dst" "$kver"; then
	vm_say "unsigned vfio modules of $kver in $dst"
	exit 0
fi
vm_require depmod modprobe xz zstd od

MAGIC="~Module signature appended~"

# The module's size without its appended signature: the content, then
# struct module_signature (12 bytes, sig_len big-endian in the last 4), then
# the magic line. Fails if the module is not signed.
unsigned_size() {
	[ "$(tail -c 28 "$1")" = "$MAGIC" ] || return 1
	# shellcheck disable=SC2046 # four byte values
	set -- "$(wc -c <"$1")" $(tail -c 32 "$1" | head -c 4 | od -An -tu1)
	echo $(($1 - 28 - 12 - ($2 << 24 | $3 << 16 | $4 << 8 | $5)))
}

decompress() {
	case $1 in
	*.ko.xz) xz -dq "$1" ;;
	*.ko.zst) zstd -dq --rm "$1" ;;
	*.ko.gz) gzip -d "$1" ;;
	esac
	echo "${1%.ko*}.ko"
}

strip_signature() {
	ko=$(decompress "$1")
	size=$(unsigned_size "$ko") || vm_die "$ko is not signed"
	head -c "$size" "$ko" >"$ko.new"
	mv "$ko.new" "$ko"
}

start=$(date +%s)
moddir=$(vm_derived_copy "$src" "$dst")
# vfio-pci's plan, with vfio's softdep vfio_iommu_type1, as the hooks see it.
plan=$(for m in vfio-pci vfio_iommu_type1; do
	modprobe -d "$dst/kernel" -S "$kver" --show-depends "$m"
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
[ -n "$plan" ] || vm_die "no vfio-pci in $moddir"
for ko in $plan; do
	strip_signature "$ko"
done
vm_derived_done "$dst" "$kver" unsigned
vm_say "$(echo "$plan" | wc -l) vfio modules of $kver unsigned into $dst in $(vm_since "$start") s"
