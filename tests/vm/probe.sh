#!/bin/sh
# Test probe, run inside a test initrd after udev has loaded the native
# drivers. Prints the PCI/driver state as PROBE* lines on the console,
# then powers the VM off. usage: probe.sh [--no-poweroff]
# Lines: PROBE dev=.. id=VVVV:DDDD:CCCC driver=..|- override=..|- group=N|-
#        PROBE-KMSG <binder log>   PROBE-KLOG <native driver log>
#        PROBE-KMSGT <seconds since boot> <binder log> (the binder's timing)
#        PROBE-MODULE <loaded module>   PROBE-STATUS <status file line>
#        PROBE-UPTIME <seconds>   PROBE-SRIOV <what was done>
#        PROBE-HOTPLUG-READY   PROBE-HOTPLUG <what was seen>
#        PROBE-VFIO-NODES <names in /dev/vfio>
#        PROBE-ON-VFIO <address> <driver> (a device on a vfio driver)
#        PROBE-VARIANT <what was done>   PROBE-BIND <the host's vfio-early bind>
#        PROBE-USABLE <vfio-usable's lines: ADDR STEP: ..., then ADDR ok ...
#                      or ADDR FAIL STEP: WHY>
#        PROBE-USABLE-TIME <uptime before> <uptime after>   PROBE-END
# With vfio_test.sriov=PF:N on the command line (scenario sriov_vf) it
# first installs vfio-early's udev rule as the package does, writes N to
# the PF's sriov_numvfs and waits for udev to handle the new VFs; with
# vfio_test.hotplug=ADDR,... it installs the rule, prints
# PROBE-HOTPLUG-READY (the host then adds the devices) and waits for them.
# With vfio_test.variant=ADDR,MODULE,DRIVER (scenario variant_fixture) it
# first binds ADDR to that variant driver by hand, as libvirt does: modprobe
# MODULE, DRIVER into driver_override, drivers_probe.
# With vfio_test.bind=SEL,... (scenario variant_bind) it runs the host's
# vfio-early bind SEL... as an admin would after boot, its output as
# PROBE-BIND lines.
# Last, after the logs, vfio-usable opens every device a vfio driver holds
# as QEMU would (tests/vm/vfio-usable.c); the scenarios fail on a device
# it cannot use, unless vfio-early warned about its group.

NATIVE_LOG='(e1000e|snd_hda_intel|snd_hda_codec[a-z_]*|bochs-drm|qxl|igb|igbvf|vfio-pci|vfio_pci|vfe-testdev)[ :]'
STATUS_FILE=/run/vfio-early/status
KLOG_COPY=/run/vfio-probe.klog
RULE_SRC=/usr/lib/vfio-early-probe/70-vfio-early.rules.in
USABLE_BIN=/usr/lib/vfio-early-probe/vfio-usable
VFIO_DEVS=

# These set $v instead of printing: a fork per value is slow under TCG.
read_attr() {
	v=
	read -r v 2>/dev/null <"$1"
}

link_target() {
	v=-
	if cd -P "$1" 2>/dev/null; then
		v=${PWD##*/}
		cd /
	fi
}

print_device() {
	read_attr "$1/vendor"
	ven=${v#0x}
	read_attr "$1/device"
	dev=${v#0x}
	read_attr "$1/class"
	cls=${v#0x}
	cls=${cls%??}
	read_attr "$1/driver_override"
	case $v in '' | '(null)') ovr=- ;; *) ovr=$v ;; esac
	link_target "$1/driver"
	drv=$v
	if on_vfio_driver "$1" "$drv"; then
		VFIO_DEVS="$VFIO_DEVS ${1##*/}"
		echo "PROBE-ON-VFIO ${1##*/} $drv"
	fi
	link_target "$1/iommu_group"
	echo "PROBE dev=${1##*/} id=$ven:$dev:$cls driver=$drv override=$ovr group=$v"
}

# Device $1 is on vfio-pci or on a variant driver: one whose module uses
# vfio-pci-core (it holds vfio_pci_core), whatever the driver's name
# (hisi-acc-vfio-pci, mlx5_vfio_pci, the tests' vfe-testdev).
on_vfio_driver() {
	case $2 in
	-) return 1 ;;
	vfio-pci) return 0 ;;
	esac
	link_target "$1/driver/module"
	[ "$v" != - ] && [ -e "/sys/module/vfio_pci_core/holders/$v" ]
}

print_devices() {
	for d in /sys/bus/pci/devices/*; do
		[ -e "$d/vendor" ] && print_device "$d"
	done
}

# Kernel log lines, without the "[    1.234567] " time stamps.
print_logs() {
	dmesg >"$KLOG_COPY"
	sed -n 's/^\[[^]]*\] *//; /vfio-early:/s/^/PROBE-KMSG /p' "$KLOG_COPY"
	sed -n '/vfio-early:/s/^\[ *\([0-9.]*\)\] */PROBE-KMSGT \1 /p' "$KLOG_COPY"
	sed -n -E "s/^\[[^]]*\] *//; /^$NATIVE_LOG/s/^/PROBE-KLOG /p" "$KLOG_COPY"
	while read -r name _; do
		echo "PROBE-MODULE $name"
	done </proc/modules
	if [ -r "$STATUS_FILE" ]; then
		sed 's/^/PROBE-STATUS /' "$STATUS_FILE"
	fi
	read -r up _ </proc/uptime
	echo "PROBE-UPTIME $up"
}

# The devtmpfs nodes first (/dev/vfio/vfio and one per group), then one
# run of vfio-usable over all devices on a vfio driver, timed by uptime.
print_usable() {
	[ -n "$VFIO_DEVS" ] || return 0
	nodes=
	for n in /dev/vfio/*; do
		[ -e "$n" ] && nodes="$nodes ${n##*/}"
	done
	echo "PROBE-VFIO-NODES${nodes:- none}"
	read -r t0 _ </proc/uptime
	if [ -x "$USABLE_BIN" ]; then
		# shellcheck disable=SC2086 # one address a word
		"$USABLE_BIN" $VFIO_DEVS | sed 's/^/PROBE-USABLE /'
	else
		for a in $VFIO_DEVS; do
			echo "PROBE-USABLE $a FAIL install: no $USABLE_BIN in the image"
		done
	fi
	read -r t1 _ </proc/uptime
	echo "PROBE-USABLE-TIME $t0 $t1"
}

# The rule names the host binary by its absolute path, as make install
# writes it; the test image carries it under the probe's own path.
install_rule() {
	bin=/usr/lib/vfio-early-probe/vfio-early
	mkdir -p /etc/udev/rules.d
	# The template's @SBINDIR@, or the packaged rule's installed path.
	sed -e "s|@SBINDIR@/vfio-early|$bin|" -e "s|/[a-z/]*bin/vfio-early |$bin |" \
		"$RULE_SRC" >/etc/udev/rules.d/70-vfio-early.rules
	# udevd handles control messages in order: the ping's answer means the
	# reload was handled, so the VFs' events see the rule.
	udevadm control --reload
	udevadm control --ping
}

# $v: the value of KEY=value on the kernel command line, or empty.
cmdline_value() {
	v=
	read -r cmdline </proc/cmdline
	for w in $cmdline; do
		case $w in "$1"=*) v=${w#*=} ;; esac
	done
}

# vfio_test.variant=ADDR,MODULE,DRIVER: ADDR bound to the variant driver
# DRIVER of MODULE through driver_override, without vfio-early.
bind_variant() {
	cmdline_value vfio_test.variant
	[ -n "$v" ] || return 0
	addr=${v%%,*}
	mod=${v#*,}
	drv=${mod#*,}
	mod=${mod%%,*}
	dev=/sys/bus/pci/devices/$addr
	if ! modprobe "$mod"; then
		echo "PROBE-VARIANT modprobe $mod failed"
		return 0
	fi
	if [ -e "$dev/driver" ]; then
		link_target "$dev/driver"
		echo "$addr" >"$dev/driver/unbind" || echo "PROBE-VARIANT unbinding $addr from $v failed"
	fi
	echo "$drv" >"$dev/driver_override" || echo "PROBE-VARIANT writing $drv to driver_override failed"
	echo "$addr" >/sys/bus/pci/drivers_probe || echo "PROBE-VARIANT drivers_probe $addr failed"
	link_target "$dev/driver"
	echo "PROBE-VARIANT $addr: modprobe $mod, driver_override $drv, probed: driver $v"
}

# vfio_test.bind=SEL,...: the host's vfio-early bind, after boot.
host_bind() {
	cmdline_value vfio_test.bind
	[ -n "$v" ] || return 0
	# shellcheck disable=SC2046 # one argument per selector
	/usr/lib/vfio-early-probe/vfio-early bind $(echo "$v" | tr ',' ' ') 2>&1 |
		sed 's/^/PROBE-BIND /'
}

make_vfs() {
	cmdline_value vfio_test.sriov
	spec=$v
	[ -n "$spec" ] || return 0
	pf=${spec%:*}
	install_rule
	# What the real root's coldplug does with the rule in place: "add"
	# replayed for the PF, whose event holds its VFs.
	udevadm trigger --settle --action=add "/sys/bus/pci/devices/$pf"
	udevadm settle --timeout=60
	# As in wait_hotplug: wait for udevd's report on each VF's "add", not
	# only for settle, which may come before udevd has read the events.
	udevadm monitor --udev --subsystem-match=pci >/run/vfio-probe.monitor 2>&1 &
	monitor=$!
	sleep 1
	if echo "${spec##*:}" >"/sys/bus/pci/devices/$pf/sriov_numvfs"; then
		i=0
		while [ "$(grep -c ' add .* (pci)' /run/vfio-probe.monitor)" -lt "${spec##*:}" ] &&
			[ "$i" -lt 120 ]; do
			sleep 1
			i=$((i + 1))
		done
		udevadm settle --timeout=60
		echo "PROBE-SRIOV $pf sriov_numvfs=${spec##*:}, waited ${i}s, udev settled"
	else
		echo "PROBE-SRIOV $pf: writing sriov_numvfs failed"
	fi
	kill "$monitor" 2>/dev/null
}

# vfio_test.hotplug=ADDR,... (scenario hotplug): install the rule, ask the
# host to add the devices through QEMU's monitor, wait for them and udev.
wait_hotplug() {
	cmdline_value vfio_test.hotplug
	[ -n "$v" ] || return 0
	install_rule
	# udevadm settle returns at once while udevd has not yet read an event
	# the kernel sent (it waits for udevd's queue, not the kernel's seqnum):
	# wait instead for udevd's own report that it handled each device's
	# "add", which its worker broadcasts after the RUN programs ran.
	udevadm monitor --udev --subsystem-match=pci >/run/vfio-probe.monitor 2>&1 &
	monitor=$!
	sleep 1
	echo PROBE-HOTPLUG-READY
	i=0
	for addr in $(echo "$v" | tr ',' ' '); do
		while ! grep -q " add .*/$addr (pci)" /run/vfio-probe.monitor && [ "$i" -lt 120 ]; do
			sleep 1
			i=$((i + 1))
		done
	done
	kill "$monitor" 2>/dev/null
	udevadm settle --timeout=60
	echo "PROBE-HOTPLUG waited ${i}s for udev to handle $v, udev settled"
}

# Keep kernel messages from interleaving with ours on the serial console.
dmesg -n 1 2>/dev/null
if [ -w /dev/console ]; then
	exec >/dev/console 2>&1
fi
echo
bind_variant
host_bind
make_vfs
wait_hotplug
print_devices
print_logs
print_usable
echo PROBE-END
[ "${1:-}" = --no-poweroff ] && exit 0
# Let the UART drain before the VM disappears.
sleep 1
poweroff -f
