// SPDX-License-Identifier: GPL-2.0-only
/*
 * vfe_test_variant: a vfio-pci variant driver for vfio-early's real-boot
 * tests, and nothing more. It drives QEMU's pci-testdev (1b36:0005) exactly
 * as vfio-pci would, through vfio-pci-core, so that the tests have a variant
 * driver: Debian's kernels build none of the kernel's own (mlx5_vfio_pci,
 * ...), and those need hardware QEMU does not emulate. Like them it never
 * autoprobes: its id is a driver_override one, which depmod lists as
 * "alias vfio_pci:v00001B36d00000005sv*sd*bc*sc*i* vfe_test_variant".
 * The driver's name differs from the module's on purpose: vfio-early must
 * write the driver's name to driver_override, not the module's.
 *
 * Modelled on drivers/vfio/pci/vfio_pci.c of Linux 6.12 (trixie): probe,
 * remove, open_device and the vfio-pci-core ops, without vfio-pci's module
 * parameters, denylist, IGD regions and SR-IOV. It builds for 6.1 (bookworm)
 * too, which has all of it but the iommufd ops.
 */

#include <linux/module.h>
#include <linux/pci.h>
#include <linux/vfio.h>
#include <linux/vfio_pci_core.h>
#include <linux/version.h>

static int vfe_open_device(struct vfio_device *core_vdev)
{
	struct vfio_pci_core_device *vdev =
		container_of(core_vdev, struct vfio_pci_core_device, vdev);
	int ret;

	ret = vfio_pci_core_enable(vdev);
	if (ret)
		return ret;
	vfio_pci_core_finish_enable(vdev);
	return 0;
}

static const struct vfio_device_ops vfe_ops = {
	.name		= "vfe-testdev",
	.init		= vfio_pci_core_init_dev,
	.release	= vfio_pci_core_release_dev,
	.open_device	= vfe_open_device,
	.close_device	= vfio_pci_core_close_device,
	.ioctl		= vfio_pci_core_ioctl,
	.device_feature	= vfio_pci_core_ioctl_feature,
	.read		= vfio_pci_core_read,
	.write		= vfio_pci_core_write,
	.mmap		= vfio_pci_core_mmap,
	.request	= vfio_pci_core_request,
	.match		= vfio_pci_core_match,
/* The iommufd ops came in Linux 6.2; NULL where the kernel has no IOMMUFD. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	.bind_iommufd	= vfio_iommufd_physical_bind,
	.unbind_iommufd	= vfio_iommufd_physical_unbind,
	.attach_ioas	= vfio_iommufd_physical_attach_ioas,
	.detach_ioas	= vfio_iommufd_physical_detach_ioas,
#endif
};

static int vfe_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct vfio_pci_core_device *vdev;
	int ret;

	/*
	 * The tests' way to make this probe fail, as a real variant's does on
	 * a device its firmware does not suit (scenario variant_refused): a
	 * pci-testdev given a BAR 2 (QEMU's membar=) is refused.
	 */
	if (pci_resource_len(pdev, 2)) {
		pci_info(pdev, "a BAR 2: refused on purpose (tests/vm/variant)\n");
		return -ENODEV;
	}
	vdev = vfio_alloc_device(vfio_pci_core_device, vdev, &pdev->dev, &vfe_ops);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);
	dev_set_drvdata(&pdev->dev, vdev);
	ret = vfio_pci_core_register_device(vdev);
	if (ret) {
		vfio_put_device(&vdev->vdev);
		return ret;
	}
	return 0;
}

static void vfe_remove(struct pci_dev *pdev)
{
	struct vfio_pci_core_device *vdev = dev_get_drvdata(&pdev->dev);

	vfio_pci_core_unregister_device(vdev);
	vfio_put_device(&vdev->vdev);
}

static const struct pci_device_id vfe_table[] = {
	{ PCI_DRIVER_OVERRIDE_DEVICE_VFIO(0x1b36, 0x0005) }, /* QEMU's pci-testdev */
	{}
};
MODULE_DEVICE_TABLE(pci, vfe_table);

static struct pci_driver vfe_driver = {
	.name			= "vfe-testdev",
	.id_table		= vfe_table,
	.probe			= vfe_probe,
	.remove			= vfe_remove,
	.err_handler		= &vfio_pci_core_err_handlers,
	.driver_managed_dma	= true,
};
module_pci_driver(vfe_driver);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vfio-early test fixture: a vfio-pci variant driver for QEMU's pci-testdev");
