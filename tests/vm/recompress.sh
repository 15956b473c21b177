#!/bin/sh
# A copy of a kernel cache (tests/vm/kernel.sh) whose modules are
# recompressed with zstd, a format trixie's kernel cannot decompress itself
# (CONFIG_MODULE_DECOMPRESS with xz only): finit_module() refuses them, and
# the images must load them another way. Idempotent.
# usage: tests/vm/recompress.sh CACHE NEW_CACHE
set -eu
. "$(dirname "$0")/lib.sh"

[ $# -eq 2 ] || vm_die "usage: $0 CACHE NEW_CACHE"
src=$(vm_abspath "$1")
dst=$(vm_abspath "$2")
kver=$(vm_kver "$src")
if vm_derived_made "$dst" "$kver"; then
	vm_say "zstd modules of $kver in $dst"
	exit 0
fi
vm_require xz zstd depmod
start=$(date +%s)
moddir=$(vm_derived_copy "$src" "$dst")
# Batches of modules on both cores: decompress, compress with zstd. From a
# file, not a pipe: kmod needs the content size in the zstd frame header.
find "$moddir" -name '*.ko.xz' -print0 | xargs -0 -r -P 2 -n 256 sh -c '
	for m; do
		xz -dq "$m" && zstd -q --rm "${m%.xz}" || exit 1
	done' sh || vm_die "recompressing the modules failed"
! find "$moddir" -name '*.ko.xz' | grep -q . || vm_die "xz modules left in $moddir"
find "$moddir" -name '*.ko.zst' | grep -q . || vm_die "no zstd modules in $moddir"
vm_derived_done "$dst" "$kver" zstd
vm_say "modules of $kver recompressed with zstd into $dst in $(vm_since "$start") s"
