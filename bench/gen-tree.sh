#!/bin/sh
# Build a fake sysfs tree for the benchmark: NDEV PCI devices in NGROUPS IOMMU
# groups, every control file a plain regular file (no fake kernel needed).
# usage: bench/gen-tree.sh DIR [NDEV] [NGROUPS]      (default 256 devices, 32 groups)
#
# Group G sits on bus G+1 and holds about NDEV/NGROUPS devices over several
# slots (a switch without ACS), so groups span slots. Even groups are a GPU
# card (display, audio, USB, UCSI on slot 0) plus a NIC, NVMe and a bridge;
# odd groups a quad-port NIC, SATA, USB, NVMe and a bridge. Group 0's GPU is
# the boot display (boot_vga=1). Everything but the UCSI functions is bound.
# Each device also has the kernel's `uevent` text (DRIVER=, PCI_ID=, ...).
set -eu

usage() {
	echo "usage: $0 DIR [NDEV] [NGROUPS]" >&2
	exit 2
}

if [ $# -lt 1 ] || [ $# -gt 3 ]; then usage; fi
dir=$1
ndev=${2:-256}
ngroups=${3:-32}
case "$ndev$ngroups" in *[!0-9]*) usage ;; esac
if [ "$ngroups" -lt 1 ] || [ "$ngroups" -gt 255 ] || [ "$ndev" -lt "$ngroups" ] ||
   [ "$ndev" -gt $((ngroups * 48)) ]; then
	echo "$0: need 1..255 groups of 1..48 devices each" >&2
	exit 2
fi

sys=$dir/sys
pcidir=$sys/devices/pci0000:00

# Sets: slot fn class vendor device driver  for position $1 of group $2.
gpu_slot() {
	if [ $(($2 % 4)) -eq 0 ]; then v=10de; set -- "$1" 2204 1aef 1ada 1adb nouveau
	else v=1002; set -- "$1" 73bf ab28 73a6 73a4 amdgpu; fi
	case $1 in
	0) slot=0 fn=0 class=0x030000 vendor=$v device=$2 driver=$6 ;;
	1) slot=0 fn=1 class=0x040300 vendor=$v device=$3 driver=snd_hda_intel ;;
	2) slot=0 fn=2 class=0x0c0330 vendor=$v device=$4 driver=xhci_hcd ;;
	3) slot=0 fn=3 class=0x0c8000 vendor=$v device=$5 driver= ;;
	esac
}

# Sets the layout variables for position $1 (0-based) in group $2; eight
# positions repeat on further slots for larger groups.
layout() {
	k=$(($1 % 8)) extra=$((($1 / 8) * 5))
	if [ $(($2 % 2)) -eq 0 ]; then
		case $k in
		[0-3]) gpu_slot "$k" "$2" ;;
		4|5) slot=1 fn=$((k - 4)) class=0x020000 vendor=8086 device=1521 driver=igb ;;
		6) slot=2 fn=0 class=0x010802 vendor=144d device=a808 driver=nvme ;;
		7) slot=3 fn=0 class=0x060400 vendor=8086 device=a340 driver=pcieport ;;
		esac
	else
		case $k in
		[0-3]) slot=0 fn=$k class=0x020000 vendor=8086 device=1572 driver=i40e ;;
		4) slot=1 fn=0 class=0x010601 vendor=1022 device=7901 driver=ahci ;;
		5) slot=2 fn=0 class=0x0c0330 vendor=1022 device=149c driver=xhci_hcd ;;
		6) slot=3 fn=0 class=0x010802 vendor=144d device=a808 driver=nvme ;;
		7) slot=4 fn=0 class=0x060400 vendor=1022 device=1483 driver=pcieport ;;
		esac
	fi
	slot=$((slot + extra))
}

# Two lower-case hex digits of $1 into $h; no $(printf) so no fork per device.
hex2() {
	h=''
	for n in $(($1 / 16)) $(($1 % 16)); do
		case $n in
		10) h=${h}a ;; 11) h=${h}b ;; 12) h=${h}c ;; 13) h=${h}d ;; 14) h=${h}e ;;
		15) h=${h}f ;; *) h=$h$n ;;
		esac
	done
}

upper() {	# $1 -> $u, upper-case hex
	u='' s=$1
	while [ -n "$s" ]; do
		r=${s#?} c=${s%"$r"}
		case $c in
		a) c=A ;; b) c=B ;; c) c=C ;; d) c=D ;; e) c=E ;; f) c=F ;;
		esac
		u=$u$c s=$r
	done
}

# What the kernel's dev_uevent + pci_uevent give for a PCI device.
uevent() {	# addr
	upper "$vendor"; v=$u
	upper "$device"; dv=$u
	upper "${class#0x}"; cl=${u#0}
	bc=${u%????} sc=${u#??} sc=${sc%??} pi=${u#????}
	if [ -n "$driver" ]; then echo "DRIVER=$driver"; fi
	echo "PCI_CLASS=$cl"
	echo "PCI_ID=$v:$dv"
	echo "PCI_SUBSYS_ID=$v:0000"
	echo "PCI_SLOT_NAME=$1"
	echo "MODALIAS=pci:v0000${v}d0000${dv}sv0000${v}sd00000000bc${bc}sc${sc}i${pi}"
}

device_addr() {	# position group -> $addr, and the layout variables
	layout "$1" "$2"
	hex2 $(($2 + 1)); addr=0000:$h
	hex2 "$slot"; addr=$addr:$h.$fn
}

add_device() {	# position group
	device_addr "$1" "$2"
	d=$pcidir/$addr
	echo "0x$vendor" >"$d/vendor"
	echo "0x$device" >"$d/device"
	echo "$class" >"$d/class"
	echo "0x$vendor" >"$d/subsystem_vendor"
	echo "0x0000" >"$d/subsystem_device"
	echo "(null)" >"$d/driver_override"
	uevent "$addr" >"$d/uevent"
	case $class in 0x03*)
		if [ "$1$2" = 00 ]; then echo 1; else echo 0; fi >"$d/boot_vga" ;;
	esac
	ln -s "../../../kernel/iommu_groups/$2" "$d/iommu_group"
	if [ -n "$driver" ]; then
		ln -s "../../../bus/pci/drivers/$driver" "$d/driver"
	fi
}

add_group() {	# group device-count
	p=0 dirs=''
	while [ "$p" -lt "$2" ]; do
		device_addr "$p" "$1"
		dirs="$dirs $pcidir/$addr"
		p=$((p + 1))
	done
	# shellcheck disable=SC2086 # the addresses hold no blanks
	mkdir $dirs "$sys/kernel/iommu_groups/$1" "$sys/kernel/iommu_groups/$1/devices"
	p=0
	while [ "$p" -lt "$2" ]; do
		add_device "$p" "$1"
		p=$((p + 1))
	done
	hex2 $(($1 + 1))
	(cd "$sys/kernel/iommu_groups/$1/devices" && ln -s ../../../../devices/pci0000:00/0000:"$h":* .)
}

drivers="vfio-pci nouveau amdgpu snd_hda_intel xhci_hcd igb i40e nvme ahci pcieport"

[ -e "$dir" ] && [ -n "$(ls -A "$dir")" ] && { echo "$0: $dir is not empty" >&2; exit 1; }
mkdir -p "$pcidir" "$sys/bus/pci/devices" "$sys/bus/pci/drivers" "$sys/kernel/iommu_groups" \
	"$dir/proc"
: >"$sys/bus/pci/drivers_probe"
for drv in $drivers; do
	mkdir "$sys/bus/pci/drivers/$drv"
	: >"$sys/bus/pci/drivers/$drv/unbind"
	: >"$sys/bus/pci/drivers/$drv/bind"
	: >"$sys/bus/pci/drivers/$drv/new_id"
done
g=0
while [ "$g" -lt "$ngroups" ]; do	# sizes differ by at most one
	add_group "$g" $(((g + 1) * ndev / ngroups - g * ndev / ngroups))
	g=$((g + 1))
done
(cd "$sys/bus/pci/devices" && ln -s ../../../devices/pci0000:00/0000:* .)
echo "quiet" >"$dir/proc/cmdline"
