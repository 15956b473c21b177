#!/bin/bash
# Test-only dracut module "vfio-early-unit": instead of the pre-udev hook,
# the systemd unit systemd/vfio-early.service, enabled, runs the binder.
# The initrd's systemd stands in for the real root's: same unit names
# (systemd-udevd, systemd-udev-trigger, systemd-modules-load, sysinit.target),
# so this checks the unit's ordering and the binder's modprobe fallback.
#
# Environment: VFIO_EARLY_UNIT = the unit file, VFIO_EARLY_BOOT_BIN = the boot binary.
# shellcheck disable=SC2154 # initdir, systemdsystemunitdir, SYSTEMCTL come from dracut

# called by dracut
check() {
    [[ -f ${VFIO_EARLY_UNIT-} && -x ${VFIO_EARLY_BOOT_BIN-} ]] || return 1
    return 255
}

# called by dracut
depends() {
    echo systemd
}

# called by dracut
installkernel() {
    hostonly='' instmods vfio-pci
}

# called by dracut
install() {
    inst_binary "$VFIO_EARLY_BOOT_BIN" /usr/lib/vfio-early/vfio-early-boot
    inst_multiple modprobe
    inst_simple "$VFIO_EARLY_UNIT" "$systemdsystemunitdir/vfio-early.service"
    $SYSTEMCTL -q --root "$initdir" enable vfio-early.service
}
