#!/bin/sh
# dracut pre-udev hook (sourced by dracut, with and without systemd):
# hand the devices chosen on the kernel command line to vfio-pci before
# udev starts and loads their native drivers. dracut implements rd.driver.*
# itself, hence --no-rd-driver. The binder always exits 0; whatever happens,
# the boot goes on.

# Without systemd dracut loads rd.driver.pre= modules in a cmdline hook, i.e.
# before this one; with systemd only after the pre-udev hooks. Load them now
# so that both flavours bind after them. dracut.conf's force_drivers reach
# us as rd.driver.pre= in /etc/cmdline.d: the admin asked for them first. A
# native driver of a selected device named there probes it, and the binder
# then unbinds it (status prev=DRIVER); leave such drivers to udev instead.
if [ -n "$DRACUT_SYSTEMD" ]; then
    for vfio_early_pre in $(getargs rd.driver.pre -d rdloaddriver=); do
        (
            IFS=,
            for vfio_early_mod in $vfio_early_pre; do
                modprobe "$vfio_early_mod" 2>&1 | vinfo
            done
        )
    done
    unset vfio_early_pre vfio_early_mod
fi

if [ -x /usr/lib/vfio-early/vfio-early-boot ]; then
    /usr/lib/vfio-early/vfio-early-boot --no-rd-driver || :
fi
