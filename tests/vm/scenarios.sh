# shellcheck shell=sh
# VM scenarios, sourced by tests/vm/run. Each scenario_NAME boots once
# (boot APPEND "QEMU ARGS") and asserts on the probe's lines; a failed
# assertion prints a "#" line and counts in VM_FAILS. The caller sets IMG
# (initrd), LOG (serial log) and FLAVOUR. flavours_NAME, if defined, lists
# the only flavours a scenario runs under.

scenario_names() {
	echo twins vendor_device multifunction class_vga no_iommu disabled \
		invalid_selectors kernel_ids rd_driver modprobe_options many_devices \
		no_vfio_module side_door pinned_mismatch disabled_off disabled_n \
		ahci_by_id chipset_group chipset_group_none gpu_audio_left_out \
		gpu_audio_included \
		modules_load sriov_vf hotplug \
		sriov_by_addr sriov_by_ids sriov_many \
		variant_fixture variant variant_off variant_refused variant_bind
}

IOMMU="-device intel-iommu,intremap=on"

# An e1000e NIC at ADDR (slot.function) on the root bus.
nic() {
	echo "-netdev user,id=net${1%.*} -device e1000e,netdev=net${1%.*},addr=$1"
}

# An Intel HDA controller with a (silent) codec at ADDR on the root bus.
hda() {
	echo "-audiodev none,id=au${1%.*} -device ich9-intel-hda,id=hda${1%.*},addr=$1" \
		"-device hda-duplex,bus=hda${1%.*}.0,audiodev=au${1%.*}"
}

# A two-function card behind a PCIe root port at 00:06.0 (bus 01):
# display controller at 01:00.0, its audio function at 01:00.1.
gpu_card() {
	echo "-device pcie-root-port,id=rp6,bus=pcie.0,addr=06.0,chassis=6" \
		"-device qxl,bus=rp6,addr=00.0,multifunction=on" \
		"-audiodev none,id=augpu -device ich9-intel-hda,id=gpuhda,bus=rp6,addr=00.1" \
		"-device hda-duplex,bus=gpuhda.0,audiodev=augpu"
}

scenario_twins() {
	boot "vfio.ids=0000:00:04.0" "$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:03.0 e1000e
	# prev=-: bound before udev loaded e1000e, no unbind needed
	expect_status 0000:00:04.0 "prev=- result=bound"
	expect_no_klog "e1000e 0000:00:04.0"
}

scenario_vendor_device() {
	boot "vfio.ids=8086:10d3" "$IOMMU $(nic 03.0) $(hda 05.0)" || return
	expect_driver 0000:00:03.0 vfio-pci
	expect_driver 0000:00:05.0 snd_hda_intel
}

scenario_multifunction() {
	boot "vfio.ids=0000:01:00.0" "$IOMMU $(gpu_card)" || return
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:01:00.1 vfio-pci
	expect_status 0000:01:00.1 "result=bound reason=group=slot"
	expect_driver 0000:00:06.0 pcieport
}

# qxl-vga must come before the boot VGA on QEMU's command line.
scenario_class_vga() {
	boot "vfio.ids=::0300" "$IOMMU -device qxl-vga,addr=05.0 -device VGA,addr=02.0" || return
	expect_driver 0000:00:05.0 vfio-pci
	expect_driver 0000:00:02.0 bochs-drm
	expect_status 0000:00:02.0 "result=skipped"
}

scenario_no_iommu() {
	boot "vfio.ids=0000:00:04.0" "$(nic 03.0) $(nic 04.0)" || return
	expect_none_on_vfio
	expect_driver 0000:00:03.0 e1000e
	expect_driver 0000:00:04.0 e1000e
	expect_kmsg "no IOMMU"
	expect_status 0000:00:04.0 "result=skipped"
}

scenario_disabled() {
	boot "rd.vfio=0 vfio.ids=0000:00:04.0" "$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_none_on_vfio
	expect_driver 0000:00:04.0 e1000e
}

scenario_invalid_selectors() {
	boot "vfio.ids=zz:zz,../../x,0000:00:04.0,0000:00:1f" \
		"$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:03.0 e1000e
	expect_kmsg "'zz:zz'"
	expect_kmsg "'../../x'"
	expect_kmsg "'0000:00:1f'"
}

# The kernel's own vfio-pci.ids= is honoured before e1000e can probe.
scenario_kernel_ids() {
	boot "vfio-pci.ids=8086:10d3" "$IOMMU $(nic 04.0) $(hda 05.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:05.0 snd_hda_intel
	expect_module e1000e
	expect_no_klog "e1000e 0000:00:04.0"
}

# initramfs-tools has no rd.driver.*: the binder provides it there. dracut
# implements it itself (the binder runs with --no-rd-driver): same outcome.

scenario_rd_driver() {
	boot "rd.driver.blacklist=e1000e rd.driver.pre=dummy vfio.ids=0000:00:04.0" \
		"$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:03.0 -
	expect_no_module e1000e
	expect_module dummy
}

# The initramfs-tools image is built with "options vfio-pci ids=8086:100e"
# in modprobe.d: the binder loads vfio-pci from its list with finit_module,
# which must carry that option (the e1000 at 05.0 is selected by nothing else).
flavours_modprobe_options() {
	echo initramfs-tools
}

# The ids= becomes a selector of the plan (guards apply) and is never
# passed to the kernel, which would bind every match itself.
scenario_modprobe_options() {
	boot "rd.vfio.debug vfio.ids=0000:00:04.0" \
		"$IOMMU $(nic 04.0) -netdev user,id=net5 -device e1000,netdev=net5,addr=05.0" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:05.0 vfio-pci
	expect_kmsg "image's modprobe.d: vfio_pci.ids=8086:100e"
	expect_status 0000:00:05.0 "result=bound reason=selector=8086:100e"
	expect_kmsg "finit_module /"
	expect_no_kmsg "ids=8086:100e: ok"
}

# 12 NICs: far more records than one open of /dev/kmsg lets through (10 per
# 5 s); every device's outcome and the summary must still be in dmesg.
MANY="03 04 05 06 07 08 09 0a 0b 0c 0d 0e"

scenario_many_devices() {
	nics=
	for s in $MANY; do
		nics="$nics $(nic "$s.0")"
	done
	boot "vfio.ids=8086:10d3" "$IOMMU$nics" || return
	for s in $MANY; do
		expect_driver "0000:00:$s.0" vfio-pci
		expect_kmsg "0000:00:$s.0: bound to vfio-pci"
		expect_status "0000:00:$s.0" "result=bound"
	done
	expect_kmsg ": 12 bound, 0 already, 0 failed, 0 skipped"
	expect_no_kmsg "suppressed"
}

# The kernel refuses vfio-pci: nothing may be unbound or overridden.
scenario_no_vfio_module() {
	boot "module_blacklist=vfio_pci,vfio_pci_core vfio.ids=0000:00:04.0" \
		"$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_none_on_vfio
	expect_driver 0000:00:04.0 e1000e
	expect_override 0000:00:04.0 -
	expect_kmsg "no device unbound, no override written"
	expect_status 0000:00:04.0 "result=failed reason=vfio-pci-unavailable"
	expect_kmsg ": 0 bound, 0 already, 1 failed, 0 skipped"
}

# vfio-pci.ids= names q35's AHCI (8086:2922, class 0106): the plan's guard
# skips mass storage named by ids, and vfio-pci, loaded for the NIC, must not
# take the AHCI by itself through its own ids= either: it stays for ahci.
scenario_side_door() {
	boot "vfio-pci.ids=8086:2922 vfio.ids=0000:00:04.0" \
		"$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:03.0 e1000e
	expect_driver 0000:00:1f.2 ahci
	expect_override 0000:00:1f.2 -
	expect_status 0000:00:1f.2 "result=skipped reason=mass-storage"
	expect_no_kmsg ", yet on vfio-pci"
}

# ADDR@VENDOR:DEVICE binds nothing when other ids are at ADDR, and says
# what is there; a pin that matches binds as usual.
scenario_pinned_mismatch() {
	boot "vfio.ids=0000:00:04.0@10de:11bf,0000:00:03.0@8086:10d3" \
		"$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 e1000e
	expect_driver 0000:00:03.0 vfio-pci
	expect_kmsg "skip 0000:00:04.0: selector=0000:00:04.0@10de:11bf pins 10de:11bf, but 8086:10d3:0200 is there now"
	expect_status 0000:00:04.0 "result=skipped reason=pinned-id-mismatch"
}

# rd.vfio= with anything but a clear "on" turns the pass off.
scenario_disabled_off() {
	boot "rd.vfio=OFF vfio.ids=0000:00:04.0" "$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_none_on_vfio
	expect_driver 0000:00:04.0 e1000e
	expect_kmsg "binding nothing"
}

scenario_disabled_n() {
	boot "vfio.ids=0000:00:04.0 rd.vfio=N" "$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_none_on_vfio
	expect_driver 0000:00:04.0 e1000e
	expect_kmsg "binding nothing"
}

# q35's AHCI (00:1f.2, 8086:2922) is mass storage: never taken by ids.
scenario_ahci_by_id() {
	boot "vfio.ids=8086:2922" "$IOMMU" || return
	expect_none_on_vfio
	expect_driver 0000:00:1f.2 ahci
	expect_kmsg "skip 0000:00:1f.2 (8086:2922:0106) selector=8086:2922: mass storage is taken only by its address"
	expect_status 0000:00:1f.2 "result=skipped reason=mass-storage"
}

# q35's chipset functions share one IOMMU group (LPC 1f.0, SATA 1f.2,
# SMBus 1f.3). lpc_ich binds the LPC bridge before the binder plans, SATA
# blocks once ahci binds: no selector makes the group usable, so under the
# default rd.vfio.group=slot the pass takes nothing of it (SMBus stays on
# i2c_i801's i801_smbus), names both and suggests nothing (vfio-early never
# takes bridges or storage).
scenario_chipset_group() {
	boot "rd.driver.pre=lpc_ich vfio.ids=0000:00:1f.3" "$IOMMU" || return
	expect_none_on_vfio
	expect_driver 0000:00:1f.3 i801_smbus
	expect_driver 0000:00:1f.0 lpc_ich
	expect_driver 0000:00:1f.2 ahci
	expect_kmsg "a VM cannot use 0000:00:1f.3 (vfio needs the whole group); nothing of the group was taken"
	expect_kmsg "0000:00:1f.0 (8086:2918:0601) on lpc_ich blocks it and is a bridge, never taken"
	expect_kmsg "0000:00:1f.2 (8086:2922:0106) has no driver yet, blocks it once one binds and is mass storage, never taken"
	expect_kmsg "no selector makes group"
	expect_no_kmsg "vfio.ids=0000:00:1f"
	expect_status 0000:00:1f.3 "result=skipped reason=group-unusable"
}

# rd.vfio.group=none is "exactly these devices": the SMBus is taken although
# its group stays unusable, with the same warning.
scenario_chipset_group_none() {
	boot "rd.driver.pre=lpc_ich vfio.ids=0000:00:1f.3 rd.vfio.group=none" "$IOMMU" || return
	expect_driver 0000:00:1f.3 vfio-pci
	expect_driver 0000:00:1f.0 lpc_ich
	expect_driver 0000:00:1f.2 ahci
	expect_kmsg "a VM cannot use 0000:00:1f.3 (vfio needs the whole group); 0000:00:1f"
	expect_kmsg "no selector makes group"
	expect_no_kmsg "nothing of the group was taken"
	expect_status 0000:00:1f.3 "result=bound"
}

# A display controller (01:01.0) and an HDA controller (01:02.0) in two
# slots behind a PCIe-to-PCI bridge (no ACS): the kernel puts the bridge and
# both in one IOMMU group (the bridge's requester ID is their DMA alias).
pci_bridge_pair() {
	echo "-device pcie-pci-bridge,id=pb7,bus=pcie.0,addr=07.0" \
		"-device qxl,bus=pb7,addr=01.0" \
		"-audiodev none,id=aupb -device intel-hda,id=pbhda,bus=pb7,addr=02.0" \
		"-device hda-duplex,bus=pbhda.0,audiodev=aupb"
}

# A GPU with its audio left out takes nothing: the display selected by
# address, the audio in another slot is no slot mate and blocks the group,
# so both keep their drivers and the log names the audio with the fix.
scenario_gpu_audio_left_out() {
	boot "vfio.ids=0000:01:01.0" "$IOMMU $(pci_bridge_pair)" || return
	expect_none_on_vfio
	expect_driver 0000:01:01.0 qxl
	expect_driver 0000:01:02.0 snd_hda_intel
	expect_kmsg "a VM cannot use 0000:01:01.0 (vfio needs the whole group); nothing of the group was taken; 0000:01:02.0 (8086:2668:0403)"
	expect_kmsg "to include it: vfio.ids=0000:01:02.0@8086:2668"
	expect_status 0000:01:01.0 "result=skipped reason=group-unusable"
}

# The selector that log suggests makes the group usable: both taken.
scenario_gpu_audio_included() {
	boot "vfio.ids=0000:01:01.0,0000:01:02.0@8086:2668" "$IOMMU $(pci_bridge_pair)" || return
	expect_driver 0000:01:01.0 vfio-pci
	expect_driver 0000:01:02.0 vfio-pci
	expect_no_kmsg "a VM cannot use"
	expect_status 0000:01:02.0 "result=bound"
}

# dracut's systemd image lists e1000e in /etc/modules-load.d (image-dracut.sh),
# as hosts list their early-KMS GPU driver: systemd-modules-load.service
# must wait for the binder's pre-udev hook (our drop-in), so e1000e never
# probes the selected NIC, and the ordering adds no cycle.
flavours_modules_load() {
	echo dracut-systemd
}

scenario_modules_load() {
	boot "vfio.ids=0000:00:04.0" "$IOMMU $(nic 03.0) $(nic 04.0)" || return
	expect_driver 0000:00:04.0 vfio-pci
	expect_driver 0000:00:03.0 e1000e
	expect_status 0000:00:04.0 "prev=- result=bound"
	expect_no_klog "e1000e 0000:00:04.0"
	expect_module e1000e
	if tr -d '\r' <"$LOG" | grep -qi 'ordering cycle'; then
		fail "systemd found an ordering cycle"
	fi
}

# After boot: an 82576 (QEMU's igb, SR-IOV) behind a root port at 00:07.0;
# the probe installs the udev rule, writes 2 to the PF's sriov_numvfs
# (VFs 01:10.0 and 01:10.2, each in its own group) and waits for udev.
# The boot pass holds the PF's VFs (sriov_drivers_autoprobe 0); the probe
# replays the PF's "add" as the real root's coldplug does; the rule puts VF 1 on
# vfio-pci and probes VF 0 for igbvf. QEMU 7.2 (bookworm) has
# no igb device: skipped there.
scenario_sriov_vf() {
	if ! qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; then
		skip "QEMU $(qemu_version) has no igb device (QEMU 8.0+)"
		return
	fi
	boot "vfio.ids=0000:01:00.0/vf1 vfio_test.sriov=0000:01:00.0:2" \
		"$IOMMU -device pcie-root-port,id=rp7,bus=pcie.0,addr=07.0,chassis=7 \
		-netdev user,id=netigb -device igb,bus=rp7,addr=00.0,netdev=netigb" || return
	grep -q '^PROBE-SRIOV .*udev settled' "$PROBES" ||
		fail "no VFs made: $(grep '^PROBE-SRIOV' "$PROBES")"
	expect_driver 0000:01:00.0 igb
	expect_driver 0000:01:10.2 vfio-pci
	expect_driver 0000:01:10.0 igbvf
	expect_kmsg "0000:01:00.0: sriov_drivers_autoprobe=0: VFs held until the rule decides each (a VF may match selector=0000:01:00.0/vf1)"
	expect_kmsg "select 0000:01:10.2 (8086:10ca:0200"
	expect_kmsg "0000:01:10.2: bound to vfio-pci (was unbound)"
	expect_kmsg "0000:01:10.0: VF 0 of 0000:01:00.0, not for vfio-pci: probed for its own driver, now on igbvf"
	expect_status 0000:01:10.2 "prev=- result=bound reason=selector=0000:01:00.0/vf1 at=udev"
	expect_no_klog "igbvf 0000:01:10.2"
	expect_override 0000:01:10.2 vfio-pci
	expect_override 0000:01:10.0 -
}

# QEMU's igb PF behind a root port at 00:07.0 (VF n at 01:10.0 + 2n:
# sriov_offset 128, sriov_stride 2), N VFs made after boot by the probe;
# 1 (and a skip line) when this QEMU has no igb.
sriov_boot() {
	if ! qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; then
		skip "QEMU $(qemu_version) has no igb device (QEMU 8.0+)"
		return 1
	fi
	boot "$1 vfio_test.sriov=0000:01:00.0:$2" \
		"$IOMMU -device pcie-root-port,id=rp7,bus=pcie.0,addr=07.0,chassis=7 \
		-netdev user,id=netigb -device igb,bus=rp7,addr=00.0,netdev=netigb" || return 1
	grep -q '^PROBE-SRIOV .*udev settled' "$PROBES" ||
		fail "no VFs made: $(grep '^PROBE-SRIOV' "$PROBES")"
	expect_driver 0000:01:00.0 igb
}

# A VF named by its address, known before it exists: the boot pass (and the
# PF's coldplug event) hold it, igbvf never probes VF 0; VF 1 is released to igbvf.
scenario_sriov_by_addr() {
	sriov_boot "vfio.ids=0000:01:10.0" 2 || return
	expect_driver 0000:01:10.0 vfio-pci
	expect_driver 0000:01:10.2 igbvf
	expect_kmsg "0000:01:00.0: sriov_drivers_autoprobe=0: VFs held until the rule decides each (a VF may match selector=0000:01:10.0)"
	expect_kmsg "0000:01:10.0: bound to vfio-pci (was unbound)"
	expect_no_klog "igbvf 0000:01:10.0"
	expect_status 0000:01:10.0 "prev=- result=bound reason=selector=0000:01:10.0 at=udev"
}

# VFs named by ids (the PF's vendor, its sriov_vf_device): both held, both
# on vfio-pci, neither ever probed by igbvf.
scenario_sriov_by_ids() {
	sriov_boot "vfio.ids=8086:10ca" 2 || return
	expect_driver 0000:01:10.0 vfio-pci
	expect_driver 0000:01:10.2 vfio-pci
	expect_kmsg "(a VF may match selector=8086:10ca)"
	expect_no_klog "igbvf 0000:01:10.0"
	expect_no_klog "igbvf 0000:01:10.2"
}

# 7 VFs made at once (igb's most), every other one selected by address:
# udev runs their events in parallel; each ends where its selection says.
scenario_sriov_many() {
	sriov_boot "vfio.ids=0000:01:10.0,0000:01:10.4,0000:01:11.0,0000:01:11.4" 7 || return
	for vf in 10.0 10.4 11.0 11.4; do
		expect_driver "0000:01:$vf" vfio-pci
		expect_no_klog "igbvf 0000:01:$vf"
	done
	for vf in 10.2 10.6 11.2; do
		expect_driver "0000:01:$vf" igbvf
	done
}

# After boot: two e1000e NICs hot-added through QEMU's monitor (QMP
# device_add on a pipe) into empty PCIe root ports once the probe has
# installed the udev rule; e1000e is loaded already (a NIC at 00:03.0), so
# the kernel binds it inside device_add() before udev sees the event. The
# one selected by address ends on vfio-pci, the other stays on e1000e.
scenario_hotplug() {
	qmp=$LOG.qmp
	rm -f "$qmp.in" "$qmp.out"
	mkfifo "$qmp.in" "$qmp.out" || { fail "no FIFOs for QMP"; return; }
	hotplug_when_ready "$qmp" rp8 rp9 &
	waiter=$!
	boot "vfio.ids=0000:01:00.0 vfio_test.hotplug=0000:01:00.0,0000:02:00.0" \
		"$IOMMU $(nic 03.0) \
		-device pcie-root-port,id=rp8,bus=pcie.0,addr=08.0,chassis=8 \
		-device pcie-root-port,id=rp9,bus=pcie.0,addr=09.0,chassis=9 \
		-netdev user,id=netrp8 -netdev user,id=netrp9 \
		-chardev pipe,id=qmp,path=$qmp -mon chardev=qmp,mode=control"
	ok=$?
	kill "$waiter" 2>/dev/null
	wait "$waiter"
	rm -f "$qmp.in" "$qmp.out"
	[ "$ok" = 0 ] || return
	grep -q '^PROBE-HOTPLUG .*udev settled' "$PROBES" || fail "no hotplug seen"
	expect_driver 0000:01:00.0 vfio-pci
	expect_driver 0000:02:00.0 e1000e
	expect_driver 0000:00:03.0 e1000e
	expect_kmsg "select 0000:01:00.0 (8086:10d3:0200"
	expect_kmsg "0000:01:00.0: bound to vfio-pci (was e1000e)"
	expect_status 0000:01:00.0 "prev=e1000e result=bound reason=selector=0000:01:00.0 at=udev"
	expect_no_kmsg "0000:02:00.0"
	expect_override 0000:02:00.0 -
}

# QMP "device_add" of an e1000e into each root port named, once the probe
# says it is ready (on the serial log); gives up after 5 minutes.
hotplug_when_ready() {
	q=$1
	shift
	i=0
	until grep -aq '^PROBE-HOTPLUG-READY' "$LOG" 2>/dev/null; do
		i=$((i + 1))
		[ "$i" -le 300 ] || return 0
		sleep 1
	done
	{
		echo '{"execute": "qmp_capabilities"}'
		for port in "$@"; do
			printf '{"execute": "device_add", "arguments": {"driver": "e1000e", ' 
			printf '"id": "hot%s", "bus": "%s", "netdev": "net%s"}}\n' "$port" "$port" "$port"
		done
	} >"$q.in"
}

# Issue 18: vfio-pci variant drivers. QEMU's pci-testdev (1b36:0005) has no
# driver of its own in Linux; the tests' variant driver tests/vm/variant
# (module vfe_test_variant, driver vfe-testdev) is for it, so the kernel's
# modules.alias has "alias vfio_pci:v00001B36d00000005sv*sd*bc*sc*i*
# vfe_test_variant". tests/vm/kernel.sh builds it for 6.1 and later
# (bookworm, trixie); the image builders add it to every image (lib.sh:
# vm_image_modules) and pass VFIO_EARLY_VARIANTS=vfe_test_variant to the
# hooks (vm_image_variants), which write its section of the load list.
TESTDEV="-device pci-testdev,addr=05.0"

# 1 (and a skip line) when this run's kernel has no test variant driver.
need_variant() {
	vm_has_vfio_variant "$VM_CACHE" && return 0
	skip "no $VM_VFIO_VARIANT for kernel $(vm_kver "$VM_CACHE") (tests/vm/kernel.sh builds it for 6.1 and later)"
	return 1
}

# The fixture alone, without vfio-early (nothing selected): the probe binds
# the pci-testdev by hand as libvirt does (modprobe, driver_override
# vfe-testdev, drivers_probe), and QEMU can use it through vfe-testdev.
scenario_variant_fixture() {
	need_variant || return
	boot "vfio_test.variant=0000:00:05.0,$VM_VFIO_VARIANT,vfe-testdev" "$IOMMU $TESTDEV" || return
	expect_driver 0000:00:05.0 vfe-testdev
	expect_override 0000:00:05.0 vfe-testdev
	expect_module "$VM_VFIO_VARIANT"
	expect_usable_ok 0000:00:05.0
	expect_no_kmsg "0000:00:05.0"
}

# vfio.ids= selects the pci-testdev by its ids: the kernel's modules.alias
# names the variant for its modalias (fewer '*' than vfio-pci's own alias),
# so the boot pass binds vfio-pci first, then loads the variant's section
# of the image's list and moves the device to the variant's driver, by the
# driver's name (vfe-testdev), not the module's.
scenario_variant() {
	need_variant || return
	boot "vfio.ids=1b36:0005" "$IOMMU $TESTDEV" || return
	expect_driver 0000:00:05.0 vfe-testdev
	expect_override 0000:00:05.0 vfe-testdev
	expect_kmsg "0000:00:05.0: bound to vfe-testdev"
	expect_kmsg "0000:00:05.0: variant $VM_VFIO_VARIANT by its alias vfio_pci:v00001B36d00000005sv*sd*bc*sc*i*"
	expect_kmsg "0000:00:05.0: vfio driver vfe-testdev (module $VM_VFIO_VARIANT, alias)"
	expect_status 0000:00:05.0 "result=bound reason=selector=1b36:0005 vfio=vfe-testdev,alias"
	expect_module "$VM_VFIO_VARIANT"
	expect_usable_ok 0000:00:05.0
}

# rd.vfio.variant=0: the generic vfio-pci for the device selected by ids,
# the variant never loaded for it; an explicit =MODULE (spelled with '-'
# here) still wins, for a second pci-testdev at 00:06.0.
scenario_variant_off() {
	need_variant || return
	boot "rd.vfio.variant=0 vfio.ids=0000:00:05.0,0000:00:06.0=vfe-test-variant" \
		"$IOMMU $TESTDEV -device pci-testdev,addr=06.0" || return
	expect_driver 0000:00:05.0 vfio-pci
	expect_override 0000:00:05.0 vfio-pci
	expect_kmsg "0000:00:05.0: bound to vfio-pci"
	expect_no_kmsg "0000:00:05.0: bound to vfe-testdev"
	expect_usable_ok 0000:00:05.0
	expect_status 0000:00:05.0 "vfio=vfio-pci,rd.vfio.variant=0"
	expect_driver 0000:00:06.0 vfe-testdev
	expect_kmsg "0000:00:06.0: bound to vfe-testdev"
	expect_status 0000:00:06.0 "vfio=vfe-testdev,selector"
	expect_usable_ok 0000:00:06.0
}

# The variant's probe fails: vfe-testdev refuses a pci-testdev with a BAR 2
# (QEMU's membar=), which the kernel log shows. The device must stay on
# vfio-pci, usable, and vfio-early's log must name what it tried.
scenario_variant_refused() {
	need_variant || return
	boot "vfio.ids=1b36:0005" "$IOMMU -device pci-testdev,addr=05.0,membar=4096" || return
	grep -q '^PROBE-KLOG vfe-testdev 0000:00:05.0: a BAR 2: refused' "$PROBES" ||
		fail "vfe-testdev never refused 0000:00:05.0 (the variant was not tried)"
	expect_driver 0000:00:05.0 vfio-pci
	expect_override 0000:00:05.0 vfio-pci
	expect_no_kmsg "0000:00:05.0: bound to vfe-testdev"
	grep '^PROBE-KMSG .*0000:00:05.0' "$PROBES" | grep -q -e vfe-testdev -e "$VM_VFIO_VARIANT" ||
		fail "no vfio-early line about 0000:00:05.0 names vfe-testdev or $VM_VFIO_VARIANT"
	expect_kmsg "0000:00:05.0: vfe-testdev did not bind it: vfio-pci instead"
	expect_status 0000:00:05.0 "result=bound reason=selector=1b36:0005 vfio=vfio-pci,variant-unavailable"
	expect_usable_ok 0000:00:05.0
}

# After boot, the host's vfio-early bind takes the device as the boot pass
# would: the same choice from the image's modules.alias, vfio-pci and the
# variant loaded through libkmod, the variant's driver by its name.
scenario_variant_bind() {
	need_variant || return
	boot "vfio_test.bind=0000:00:05.0" "$IOMMU $TESTDEV" || return
	expect_driver 0000:00:05.0 vfe-testdev
	expect_override 0000:00:05.0 vfe-testdev
	expect_module "$VM_VFIO_VARIANT"
	grep -q '^PROBE-BIND 0000:00:05.0 1b36:0005:00ff bound now=vfe-testdev was=- ' "$PROBES" ||
		fail "vfio-early bind: $(grep '^PROBE-BIND' "$PROBES" | tr '\n' '|')"
	grep -q '^PROBE-BIND .*0000:00:05.0: vfio driver vfe-testdev (module' "$PROBES" ||
		fail "vfio-early bind did not say which vfio driver it chose"
	expect_usable_ok 0000:00:05.0
}

qemu_version() {
	qemu-system-x86_64 --version | sed -n '1s/.*version \([0-9.]*\).*/\1/p'
}

# --- plumbing -------------------------------------------------------------

# boot APPEND "QEMU ARGS": one boot; the probe's lines (CRs and the
# duplicates a console flush can cause removed) go to $PROBES. A boot that
# died before the kernel ran /init cannot be vfio-early's fault: retried once.
boot() {
	PROBES=$LOG.probe
	if ! boot_once "$@" && ! reached_init; then
		echo "#   note: the kernel died before /init, booting again"
		boot_once "$@"
	fi
	tr -d '\r' <"$LOG" | grep -a '^PROBE' | awk '!seen[$0]++' >"$PROBES"
	if grep -qx PROBE-END "$PROBES"; then
		expect_usable
		return 0
	fi
	fail "the probe did not finish (no PROBE-END); last lines of the console and QEMU:"
	tr -d '\r' <"$LOG" | tail -n 8 | sed 's/^/#     /'
	tail -n 3 "$LOG.stderr" | sed 's/^/#     /'
	return 1
}

# Every scenario: for each device on a vfio driver (the probe's
# on_vfio_driver: PROBE-ON-VFIO lines; and any on a driver named like one)
# devtmpfs made /dev/vfio/vfio and /dev/vfio/GROUP in the
# initrd, vfio-usable gave a verdict, and QEMU can use it (PROBE-USABLE
# ADDR ok) unless vfio-early's log said it cannot: "a VM cannot use ADDR",
# or the warning about its group ("group N: ..."). The heredoc keeps the
# loop in this shell, where fail() counts.
expect_usable() {
	while read -r addr; do
		[ -n "$addr" ] || continue
		grp=$(device_field "$addr" group)
		vfio_nodes "$addr" "$grp"
		usable_verdict "$addr" "$grp"
	done <<-EOF
	$(on_vfio_devices)
	EOF
}

# The addresses of the devices on a vfio driver: the probe's PROBE-ON-VFIO,
# and a device on a driver named like vfio-pci's variants even if the probe
# did not count it (its vfio-usable verdict is then missing: a failure).
on_vfio_devices() {
	{
		sed -n 's/^PROBE-ON-VFIO \([^ ]*\) .*/\1/p' "$PROBES"
		sed -n 's/^PROBE dev=\([^ ]*\) .* driver=\([^ ]*vfio-pci\|[^ ]*_vfio_pci\) .*/\1/p' "$PROBES"
	} | awk '!seen[$0]++'
}

# ADDR was counted as on a vfio driver and QEMU can use it: no warning of
# vfio-early's excuses it (expect_usable's check does).
expect_usable_ok() {
	grep -q "^PROBE-ON-VFIO $1 " "$PROBES" ||
		fail "$1: the probe does not count it as on a vfio driver"
	grep -q "^PROBE-USABLE $1 ok" "$PROBES" ||
		fail "$1: vfio-usable did not find it usable: $(grep "^PROBE-USABLE $1 " "$PROBES" | tail -n 1)"
}

vfio_nodes() {
	nodes=" $(sed -n 's/^PROBE-VFIO-NODES //p' "$PROBES") "
	for node in vfio "$2"; do
		case $nodes in
		*" $node "*) ;;
		*) fail "$1 is on a vfio driver, but the initrd has no /dev/vfio/$node" ;;
		esac
	done
}

usable_verdict() {
	verdict=$(grep -E "^PROBE-USABLE $1 (ok|FAIL)( |\$)" "$PROBES" | head -n 1)
	case $verdict in
	"PROBE-USABLE $1 ok"*) return 0 ;;
	"")
		fail "$1 is on a vfio driver, but the probe printed no PROBE-USABLE verdict for it"
		return
		;;
	esac
	if grep '^PROBE-KMSG ' "$PROBES" | grep -qF -e "a VM cannot use $1 " -e " group $2: "; then
		echo "#   note: $1 is not usable, as vfio-early warned: ${verdict#PROBE-USABLE "$1" }"
		return 0
	fi
	fail "$1 is on a vfio driver, but QEMU could not use it: ${verdict#PROBE-USABLE "$1" }"
	grep "^PROBE-USABLE $1 " "$PROBES" | sed 's/^/#     /'
}

boot_once() {
	# shellcheck disable=SC2086 # QEMU ARGS are space-separated words
	"$VM_DIR/boot.sh" "$IMG" "$LOG" "$1" $2
}

reached_init() {
	grep -aq 'Run /init as init process' "$LOG"
}

fail() {
	echo "#   $*"
	VM_FAILS=$((VM_FAILS + 1))
}

# A scenario this machine cannot run: reported as skipped, never passed.
skip() {
	# shellcheck disable=SC2034 # read by tests/vm/run, which sources this file
	VM_SKIP=$*
}

device_field() {
	sed -n "s/^PROBE dev=$1 .* $2=\\([^ ]*\\).*/\\1/p" "$PROBES"
}

expect_driver() {
	got=$(device_field "$1" driver)
	[ "$got" = "$2" ] || fail "$1: driver=${got:-<no such device>}, want $2"
}

expect_not_driver() {
	got=$(device_field "$1" driver)
	if [ -z "$got" ] || [ "$got" = "$2" ]; then
		fail "$1: driver=${got:-<no such device>}, must not be $2"
	fi
}

expect_override() {
	got=$(device_field "$1" override)
	[ "$got" = "$2" ] || fail "$1: driver_override=${got:-<no such device>}, want $2"
}

expect_no_kmsg() {
	if grep '^PROBE-KMSG ' "$PROBES" | grep -qiF -- "$1"; then
		fail "a vfio-early kernel log line mentions $1"
	fi
}

expect_none_on_vfio() {
	if grep -q '^PROBE dev=.* driver=vfio-pci ' "$PROBES"; then
		fail "devices on vfio-pci: $(grep '^PROBE dev=.* driver=vfio-pci ' "$PROBES" |
			cut -d' ' -f2 | tr '\n' ' ')"
	fi
}

expect_status() {
	grep -q "^PROBE-STATUS $1 .*$2" "$PROBES" ||
		fail "$1: no status line with $2"
}

expect_kmsg() {
	grep '^PROBE-KMSG ' "$PROBES" | grep -qiF -- "$1" ||
		fail "no vfio-early kernel log line mentions $1"
}

expect_no_klog() {
	if grep '^PROBE-KLOG ' "$PROBES" | grep -qF -- "$1"; then
		fail "kernel log has \"$1\""
	fi
}

expect_module() {
	grep -qx "PROBE-MODULE $1" "$PROBES" || fail "module $1 is not loaded"
}

expect_no_module() {
	if grep -qx "PROBE-MODULE $1" "$PROBES"; then
		fail "module $1 is loaded"
	fi
}
