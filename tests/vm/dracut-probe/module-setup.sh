#!/bin/bash
# Test-only dracut module "vfio-early-probe": boot without a root
# filesystem, print the PCI/driver state after udev coldplug
# (tests/vm/probe.sh) to the serial console, then power off.
#
# Environment: VFIO_EARLY_PROBE = the probe script to install (required),
# VFIO_EARLY_RULE = vfio-early's udev rule, for the probe to install,
# VFIO_EARLY_USABLE = vfio-usable (static), for the probe to run.
# VFIO_EARLY_HOST_BIN = the host binary the rule runs (with its libraries).
# shellcheck disable=SC2154 # initdir, moddir come from dracut

PROBE_DIR=/usr/lib/vfio-early-probe

# called by dracut
check() {
    [[ -f ${VFIO_EARLY_PROBE-} ]] || return 1
    require_binaries busybox || return 1
    return 255
}

# called by dracut
depends() {
    return 0
}

# Busybox applets go to a directory appended to PATH by the hook, so
# they fill gaps without shadowing the image's real tools (kmod's modprobe).
install_busybox_applets() {
    local applet
    inst "$(find_binary busybox)" "$PROBE_DIR/busybox"
    mkdir -p "$initdir$PROBE_DIR/bin"
    for applet in $("$initdir$PROBE_DIR/busybox" --list); do
        ln -sf ../busybox "$initdir$PROBE_DIR/bin/$applet"
    done
}

# called by dracut
install() {
    install_busybox_applets
    inst_simple "$VFIO_EARLY_PROBE" "$PROBE_DIR/probe.sh"
    [[ -f ${VFIO_EARLY_RULE-} ]] && inst_simple "$VFIO_EARLY_RULE" "$PROBE_DIR/70-vfio-early.rules.in"
    [[ -f ${VFIO_EARLY_USABLE-} ]] && inst_simple "$VFIO_EARLY_USABLE" "$PROBE_DIR/vfio-usable"
    [[ -x ${VFIO_EARLY_HOST_BIN-} ]] && inst_binary "$VFIO_EARLY_HOST_BIN" "$PROBE_DIR/vfio-early"
    inst_hook cmdline 99 "$moddir/probe-cmdline.sh"
    inst_hook pre-mount 99 "$moddir/probe-pre-mount.sh"
    # Makes dracut-initqueue.service run in the systemd flavour: it waits
    # for udev to settle, and pre-mount is ordered after it.
    mkdir -p "$initdir/lib/dracut"
    : > "$initdir/lib/dracut/need-initqueue"
    # udev's hardware database (12 MB) only names devices; the tests need
    # no names, and the image stays near 30 MB without it.
    rm -f "$initdir/usr/lib/udev/hwdb.bin" "$initdir/etc/udev/hwdb.bin"
}
