/* SPDX-License-Identifier: MIT */
/*
 * A fake sysfs root laid out like the real one, plus a fake kernel: a thread
 * that serves the write-only control files (drivers_probe and each driver's
 * unbind are FIFOs), so the real vfio-early binary runs against it unchanged
 * and the test sees exactly what it wrote.
 */
#ifndef FAKESYS_H
#define FAKESYS_H

#include <pthread.h>
#include <stddef.h>

struct fake_dev {
	const char *addr;		/* "0000:00:04.0", "10000:e1:00.0" */
	unsigned vendor, device, class;	/* class: 24 bits */
	int group;			/* -1: no iommu_group link */
	const char *driver;		/* bound at start, or NULL */
	const char *native;		/* what probes it with no override (NULL: none) */
	int boot_vga;
	int no_override;		/* kernel without driver_override */
	int vanish_on_unbind;		/* hot-removed when unbound */
	int refuse_vfio;		/* vfio-pci's probe fails */
	int no_uevent;			/* only the single attribute files */
	unsigned subvendor, subdevice;
	const char *override;		/* driver_override at start (NULL: none) */
	int refuse_unbind;		/* its driver's unbind refuses writes */
	int stuck_override;		/* driver_override unwritable once unbound */
	int bridge;			/* header type 1: has secondary_bus_number */
	int boot_display;		/* boot_display = 1 (any class) */
	int sriov;			/* a PF with sriov_totalvfs N: sriov_drivers_autoprobe
					 * (1), sriov_numvfs */
	const char *physfn;		/* a VF of this PF: physfn link, PF's virtfnN */
	int vf;				/* N of that virtfnN */
	int later;			/* absent until fake_hotplug() adds it */
	unsigned vf_device;		/* a PF: sriov_vf_device; sriov_offset 128 and
					 * sriov_stride 2 as QEMU's igb */
	int late_link;			/* a VF: physfn and virtfnN only at fake_link_vf() */
	const char *refuse_driver;	/* a driver whose probe fails for it (a variant) */
};

#define FAKE_MAX_DEVS 300

struct fakesys {
	char root[128];
	struct fake_dev dev[FAKE_MAX_DEVS];
	size_t ndev;
	int vfio_loaded;
	int iommu;
	pthread_t thread;
	volatile int stop;
	pthread_mutex_t lock;
	char journal[8192];		/* "unbind DRIVER ADDR\n", "probe ADDR\n" */
	char output[65536];		/* binder stdout + stderr */
	int exit_status;
};

/* iommu: create kernel/iommu_groups; vfio_loaded: drivers/vfio-pci exists. */
int fake_init(struct fakesys *f, const struct fake_dev *devs, size_t n, int iommu,
	      int vfio_loaded);
/* Run the host binary (env VFIO_EARLY) with --root and --cmdline plus extra
 * args: the admin subcommands. */
int fake_run(struct fakesys *f, const char *cmdline, const char *const *extra);
/* The same with the boot binary (env VFIO_EARLY_BOOT): the boot pass. The
 * tree has an init file, so it stands for an initrd's root. */
int fake_boot(struct fakesys *f, const char *cmdline, const char *const *extra);
const char *fake_driver(struct fakesys *f, const char *addr, char *buf, size_t size);
const char *fake_override(struct fakesys *f, const char *addr, char *buf, size_t size);
/* Create a file under the root (parents too) with text and mode. */
int fake_write(struct fakesys *f, const char *path, const char *text, int mode);
/* A kernel module file at rel under the root: an ELF object whose .modinfo
 * holds modinfo ("alias=...\0softdep=...\0", len bytes with the NULs). */
int fake_module(struct fakesys *f, const char *rel, const char *modinfo, size_t len);
/* Run the system's depmod -b ROOT RELEASE: the index files libkmod reads.
 * Its exit status, or -1 when there is no depmod. */
int fake_depmod(struct fakesys *f, const char *release);
/* Contents of a file under the root, or NULL. */
const char *fake_file(struct fakesys *f, const char *path, char *buf, size_t size);
/* The kernel's device_add(): the device appears (a fake_dev marked later),
 * then bus_probe_device() binds its native driver if that is registered
 * (and, for a VF, its PF's sriov_drivers_autoprobe allows it). */
int fake_hotplug(struct fakesys *f, const char *addr);
/* udevd's workers: "vfio-early udev ADDR" for each of the n addresses, all
 * at once; waits for all, their outputs joined in output; how many did not
 * exit 0. */
int fake_udev_all(struct fakesys *f, const char *cmdline, const char *const *addrs, size_t n);
/* drivers/pci/iov.c pci_iov_add_virtfn(): pci_iov_sysfs_link() after
 * device_add(); for a late_link VF, the links now. */
int fake_link_vf(struct fakesys *f, const char *addr);
void fake_cleanup(struct fakesys *f);

/* The host's own devices, laid out as the kernel does (test_hostuse.c). */
/* A symlink at rel to to (both below the root), relative as sysfs makes them. */
int fake_symlink(struct fakesys *f, const char *rel, const char *to);
/* A block device whose directory is dir (below the root): dev "MAJ:MIN",
 * partition N when partno > 0, and its sys/class/block and sys/dev/block links. */
int fake_block(struct fakesys *f, const char *dir, const char *majmin, int partno);
/* dm and md (bd_link_disk_holder()): holder's slaves/LOWER and lower's
 * holders/HOLDER, both block device names. */
int fake_slave(struct fakesys *f, const char *holder, const char *lower);
/* A net device: below PCI function addr (net/NAME, a device link), or
 * virtual (addr NULL); and sys/class/net/NAME. */
int fake_net(struct fakesys *f, const char *name, const char *addr);
/* netdev_adjacent_sysfs_add(): upper's lower_LOWER and lower's upper_UPPER. */
int fake_lower(struct fakesys *f, const char *upper, const char *lower);

/* A loaded vfio-pci variant, as the kernel lays one out: its driver
 * (sys/bus/pci/drivers/DRIVER, module -> its module), the module's
 * drivers/pci:DRIVER, and vfio_pci_core's holders/MODULE. The fake kernel
 * serves unbind only for drivers known at fake_init: a device that starts
 * on the variant names it in .driver. */
int fake_variant(struct fakesys *f, const char *module, const char *driver);

#endif
