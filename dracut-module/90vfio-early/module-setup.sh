#!/bin/bash
# dracut module "vfio-early": bind the PCI devices chosen on the kernel
# command line to vfio-pci in a pre-udev hook, before udev loads native drivers.
#
# Environment: VFIO_EARLY_BIN overrides the binary to install (tests).
# shellcheck disable=SC2154 # kernel, srcmods, moddir, dracutsysrootdir come from dracut

vfio_early_bin() {
    local b
    if [[ -n ${VFIO_EARLY_BIN-} ]]; then
        echo "$VFIO_EARLY_BIN"
        return
    fi
    for b in /usr/sbin/vfio-early /usr/local/sbin/vfio-early /sbin/vfio-early; do
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

# The options modprobe.d gives module NAME (underscore form), on one line.
# The binder loads the list with finit_module, not modprobe, so the options
# an admin set (e.g. "options vfio-pci ids=10de:11bf") are resolved here.
vfio_early_options() {
    local f
    for f in "$dracutsysrootdir"{/etc,/run,/lib,/usr/lib}/modprobe.d/*.conf; do
        [[ -f $f ]] && cat -- "$f"
    done | awk -v m="$1" '$1 == "options" {
            n = $2; gsub("-", "_", n)
            if (n != m) next
            $1 = ""; $2 = ""; sub(/^ +/, ""); printf "%s%s", sep, $0; sep = " "
        }'
}

# One list line: the module's path in the image, then its options if any.
vfio_early_list_line() {
    local name=${1##*/} opts
    name=${name%%.ko*}
    opts=$(vfio_early_options "${name//-/_}")
    echo "/lib/modules/$kernel/$1${opts:+ $opts}"
}

# called by dracut
check() {
    local bin
    bin=$(vfio_early_bin)
    [[ -n $bin && -x $dracutsysrootdir$bin ]] || return 1
    require_binaries modprobe modinfo || return 1
    return 0
}

# called by dracut
depends() {
    return 0
}

# called by dracut
installkernel() {
    local ko
    local -a names=()
    while read -r ko; do
        ko=${ko##*/}
        names+=("${ko%%.ko*}")
    done < <(vfio_early_modules)
    if ((${#names[@]} == 0)); then
        dwarn "vfio-early: vfio-pci not found for kernel $kernel"
        return 0
    fi
    # Hostonly images drop modules the host has not loaded; these are needed anyway.
    hostonly='' instmods "${names[@]}"
}

# called by dracut
install() {
    local list
    inst_binary "$(vfio_early_bin)" /usr/sbin/vfio-early
    inst_hook pre-udev 10 "$moddir/vfio-early-pre-udev.sh"
    # The binder runs modprobe when the list is missing or a load fails.
    inst_multiple modprobe

    list=$(mktemp -p "${DRACUT_TMPDIR:-/tmp}" vfio-early.modules.XXXXXX) || return 1
    {
        echo "# vfio-early: vfio-pci and its dependencies for $kernel, in load order"
        vfio_early_modules | while read -r ko; do vfio_early_list_line "$ko"; done
    } > "$list"
    chmod 0644 "$list"
    if grep -q '^/' "$list"; then
        inst_simple "$list" "/lib/modules/$kernel/vfio-early.modules"
    fi
    rm -f -- "$list"
}
