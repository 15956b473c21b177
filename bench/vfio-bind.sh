#!/bin/sh
# The admins' guide's manual procedure, rooted at a bench tree: for each
# address read vendor and device, unbind it if bound, and hand the ids to
# vfio-pci through new_id.
# usage: bench/vfio-bind.sh [--no-fork] ROOT ADDR...
#   --no-fork  read the ids with the shell's own `read` instead of $(cat ...),
#              the cheapest form the loop can take in sh
read_id() {	# file -> $id
	if [ "$nofork" = 1 ]; then
		read -r id <"$1"
	else
		id=$(cat "$1")
	fi
}

nofork=0
if [ "${1-}" = --no-fork ]; then nofork=1; shift; fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [--no-fork] ROOT ADDR..." >&2
	exit 2
fi
root=$1; shift

for dev in "$@"; do
	sysdev=$root/sys/bus/pci/devices/$dev
	read_id "$sysdev/vendor"; vendor=$id
	read_id "$sysdev/device"; device=$id
	if [ -e "$sysdev/driver" ]; then
		echo "$dev" >"$sysdev/driver/unbind"
	fi
	echo "$vendor $device" >"$root/sys/bus/pci/drivers/vfio-pci/new_id"
done
