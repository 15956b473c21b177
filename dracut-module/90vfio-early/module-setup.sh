#!/bin/bash
# dracut module "vfio-early": bind the PCI devices chosen on the kernel
# command line to vfio-pci in a pre-udev hook, before udev loads native drivers.
#
# Environment: VFIO_EARLY_BOOT_BIN overrides the boot binary to install and
# VFIO_EARLY_BIN the host's vfio-early to ask (tests);
# VFIO_EARLY_VARIANTS names vfio-pci variant modules to carry (see
# vfio_early_variants).
# The image carries the boot binary only, at /usr/lib/vfio-early/vfio-early-boot;
# the host's vfio-early (the admin subcommands) stays out.
# shellcheck disable=SC2154 # kernel, srcmods, moddir, dracutsysrootdir come from dracut

vfio_early_bin() {
    local b
    if [[ -n ${VFIO_EARLY_BOOT_BIN-} ]]; then
        echo "$VFIO_EARLY_BOOT_BIN"
        return
    fi
    # Packages: /usr/lib/vfio-early; "make install": /usr/local/lib/vfio-early.
    for b in /usr/lib/vfio-early/vfio-early-boot /usr/local/lib/vfio-early/vfio-early-boot; do
        if [[ -x $dracutsysrootdir$b ]]; then
            echo "$b"
            return
        fi
    done
}

# "modprobe --show-depends" of one module against the kernel being packed,
# reduced to the .ko paths relative to its module directory. kmod wants
# DIR/lib/modules/KVER, so point a private DIR at $srcmods (any layout works).
vfio_early_show_depends() {
    local base path
    base=$(mktemp -d -p "${DRACUT_TMPDIR:-/tmp}" vfio-early.XXXXXX) || return 1
    mkdir -p "$base/lib/modules"
    ln -s "${srcmods%/}" "$base/lib/modules/$kernel"
    modprobe --ignore-install --show-depends --set-version "$kernel" \
        --dirname "$base" "$1" 2> /dev/null \
        | while read -r verb path _; do
            [[ $verb == insmod ]] && echo "${path#"$base/lib/modules/$kernel/"}"
        done
    rm -rf -- "$base"
}

# Soft dependencies named by the given .ko files ("pre: a b post: c").
vfio_early_softdeps() {
    local ko word
    for ko in "$@"; do
        for word in $(modinfo -F softdep "${srcmods%/}/$ko" 2> /dev/null); do
            [[ $word == *: ]] || echo "$word"
        done
    done
}

# Is module NAME (in underscore form) one of the given .ko paths?
vfio_early_listed() {
    local name=$1 ko
    shift
    for ko in "$@"; do
        ko=${ko##*/}
        ko=${ko%%.ko*}
        [[ ${ko//-/_} == "$name" ]] && return 0
    done
    return 1
}

# The .ko files vfio-pci needs, in load order, relative to the module dir:
# kmod's resolution (hard and soft dependencies), plus any softdep kmod
# did not list, appended after it. Each path appears once.
vfio_early_modules() {
    local -a kos
    local -A seen=()
    local dep ko
    mapfile -t kos < <(vfio_early_show_depends vfio-pci)
    ((${#kos[@]})) || return 1
    for dep in $(vfio_early_softdeps "${kos[@]}"); do
        vfio_early_listed "${dep//-/_}" "${kos[@]}" && continue
        mapfile -t -O "${#kos[@]}" kos < <(vfio_early_show_depends "$dep")
    done
    for ko in "${kos[@]}"; do
        [[ ${seen[$ko]-} ]] && continue
        seen[$ko]=1
        echo "$ko"
    done
}

# The options modprobe.d gives module NAME (underscore form), on one line,
# read as kmod reads them: a file hides those of the same name in the
# directories after its own (one linked to /dev/null hides them all), and
# the files apply in the order of their names. The binder loads the list
# with finit_module, not modprobe, and generic (no-hostonly) images carry
# no /etc/modprobe.d: an admin's "options vfio-pci ids=..." is resolved here.
vfio_early_options() {
    local dir f
    local -A seen=()
    local -a files=()
    for dir in /etc /run /usr/local/lib /lib /usr/lib; do
        for f in "$dracutsysrootdir$dir"/modprobe.d/*.conf; do
            [[ -f $f || -L $f ]] || continue
            [[ ${seen[${f##*/}]-} ]] && continue
            seen[${f##*/}]=1
            files+=("${f##*/}/$f")
        done
    done
    ((${#files[@]})) || return 0
    printf '%s\n' "${files[@]}" | LC_ALL=C sort -t / -k1,1 | while read -r f; do
        cat -- "${f#*/}" 2> /dev/null
    done | awk -v m="$1" '$1 == "options" {
            n = $2; gsub("-", "_", n)
            if (n != m) next
            $1 = ""; $2 = ""; sub(/^ +/, ""); printf "%s%s", sep, $0; sep = " "
        }'
}

# The path in the image of module file REL (relative to the module
# directory, as kmod names it): the file instmods put there, whatever its
# compression suffix, resolved (/lib is a link to usr/lib in a merged-/usr
# image). Empty if it is not there.
vfio_early_path_in_image() {
    local base=${1%.ko*}.ko suffix found root
    root=$(realpath -e "$initdir") || return 0
    for suffix in "" .xz .zst .gz; do
        found=$(realpath -e "$initdir/lib/modules/$kernel/$base$suffix" 2> /dev/null) || continue
        echo "${found#"$root"}"
        return 0
    done
}

# One list line: the module's path in the image, then its options if any.
vfio_early_list_line() {
    local name=${1##*/} opts path
    path=$(vfio_early_path_in_image "$1")
    if [[ -z $path ]]; then
        dwarn "vfio-early: $1 is not in the image; the binder will try modprobe"
        return 0
    fi
    name=${name%%.ko*}
    opts=$(vfio_early_options "${name//-/_}")
    echo "$path${opts:+ $opts}"
}

# The host's vfio-early, to ask which variants the next boot needs (tests
# set VFIO_EARLY_BIN): where packages and "make install" put it, else PATH.
vfio_early_host_command() {
    local b
    if [[ -n ${VFIO_EARLY_BIN-} ]]; then
        echo "$VFIO_EARLY_BIN"
        return
    fi
    for b in /usr/sbin/vfio-early /usr/local/sbin/vfio-early; do
        if [[ -x $b ]]; then
            echo "$b"
            return
        fi
    done
    command -v vfio-early
}

# The vfio-pci variant drivers (mlx5_vfio_pci, ...) this image carries, in
# underscore form, each once: those VFIO_EARLY_VARIANTS names (test images,
# an image for another host), and those the host's vfio-early gives the
# devices that the next boot's line selects here (not for a --sysroot
# image). A variant pulls in its device's core driver (megabytes, and it
# autoprobes in the initrd), so no other image carries one; the boot pass
# uses vfio-pci where it is missing.
vfio_early_variants() {
    local v host
    {
        for v in ${VFIO_EARLY_VARIANTS-}; do
            echo "$v"
        done
        host=$(vfio_early_host_command)
        if [[ -z ${dracutsysrootdir-} && -n $host ]]; then
            "$host" plan --image-modules "$kernel" 2> /dev/null || true
        fi
    } | tr - _ | awk 'NF && !seen[$0]++'
}

# A variant's section of the list, loaded only for a device that gets it:
# "variant NAME", its "alias vfio_pci:..." lines from this kernel's
# modules.alias (the boot pass matches modaliases against them), then its
# modules in load order.
vfio_early_variant_section() {
    local ko
    local -a kos
    mapfile -t kos < <(vfio_early_show_depends "$1")
    if ((${#kos[@]} == 0)); then
        dwarn "vfio-early: no variant module $1 for kernel $kernel; not in the image"
        return 0
    fi
    echo "variant $1"
    awk -v m="$1" '$1 == "alias" && $2 ~ /^vfio_pci:/ && $3 == m' \
        "${srcmods%/}/modules.alias" 2> /dev/null
    for ko in "${kos[@]}"; do vfio_early_list_line "$ko"; done
}

# The load list, written once the modules are in the image: vfio-pci's
# modules ($@), then a section per variant (VFIO_EARLY_VARIANT_LIST).
vfio_early_write_list() {
    local list ko v
    list=$(mktemp -p "${DRACUT_TMPDIR:-/tmp}" vfio-early.modules.XXXXXX) || return 1
    {
        echo "# vfio-early: vfio-pci and its dependencies for $kernel, in load order"
        for ko in "$@"; do vfio_early_list_line "$ko"; done
        for v in ${VFIO_EARLY_VARIANT_LIST-}; do vfio_early_variant_section "$v"; done
    } > "$list"
    chmod 0644 "$list"
    if grep -q '^/' "$list"; then
        inst_simple "$list" "/lib/modules/$kernel/vfio-early.modules"
    fi
    rm -f -- "$list"
}

# called by dracut
check() {
    local bin
    bin=$(vfio_early_bin)
    if [[ -z $bin || ! -x $dracutsysrootdir$bin ]]; then
        dwarn "vfio-early: no boot binary (vfio-early-boot; package removed?), not adding it"
        return 1
    fi
    require_binaries modprobe modinfo || return 1
    return 0
}

# called by dracut
depends() {
    return 0
}

# called by dracut (after install(), and alone for --kernel-only images)
installkernel() {
    local ko v
    local -a kos names=() variants
    mapfile -t kos < <(vfio_early_modules)
    for ko in "${kos[@]}"; do
        ko=${ko##*/}
        names+=("${ko%%.ko*}")
    done
    if ((${#names[@]} == 0)); then
        dwarn "vfio-early: vfio-pci not found for kernel $kernel"
        return 0
    fi
    # Hostonly images drop modules the host has not loaded; these are needed anyway.
    hostonly='' instmods "${names[@]}"
    mapfile -t variants < <(vfio_early_variants)
    for v in "${variants[@]}"; do
        hostonly='' instmods "$v" || dwarn "vfio-early: variant $v not installed"
    done
    VFIO_EARLY_VARIANT_LIST="${variants[*]}" vfio_early_write_list "${kos[@]}"
}

# called by dracut
install() {
    inst_binary "$(vfio_early_bin)" /usr/lib/vfio-early/vfio-early-boot
    inst_hook pre-udev 10 "$moddir/vfio-early-pre-udev.sh"
    # The binder runs modprobe when the list is missing or a load fails.
    inst_multiple modprobe
    # systemd-modules-load.service runs in parallel with the pre-udev hooks
    # and loads modules-load.d's drivers (early KMS: amdgpu, i915, ...):
    # hold it back until the binder has run.
    if dracut_module_included "systemd"; then
        inst_simple "$moddir/systemd-modules-load-after-vfio-early.conf" \
            "$systemdsystemunitdir/systemd-modules-load.service.d/90-vfio-early.conf"
    fi
}
