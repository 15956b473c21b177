#!/bin/sh
# After udev coldplug (pre-mount follows the initqueue): print the probe
# to the serial console, then power off. Never returns.
PATH="$PATH:/usr/lib/vfio-early-probe/bin"
export PATH
udevadm settle --timeout=60 > /dev/null 2>&1
sh /usr/lib/vfio-early-probe/probe.sh --no-poweroff > /dev/console 2>&1
sync
# Let the UART drain before the VM disappears.
sleep 1
/usr/lib/vfio-early-probe/bin/poweroff -f
echo o > /proc/sysrq-trigger
