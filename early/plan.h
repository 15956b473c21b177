/* SPDX-License-Identifier: MIT */
/* Decide, per device, bind / skip / leave, with the reason. Pure: no writes. */
#ifndef VFE_PLAN_H
#define VFE_PLAN_H

#include "config.h"
#include "pci.h"

/* Fill action/why/by of every device; returns how many are to be bound. */
int plan_build(struct pci_list *l, const struct config *c, int have_iommu);
/* Undo plan_build()'s whole-groups-or-nothing rule (REASON_GROUP_UNUSABLE
 * back to bind): for unbind, since giving devices back needs no usable group. */
void plan_undrop(struct pci_list *l);
/* Log every decision (selected by what, skipped and why, group warnings). */
void plan_log(const struct pci_list *l, const struct config *c, int have_iommu);
/* Log the decision of one device (the udev rule's), with its group's warning. */
void plan_log_dev(const struct pci_list *l, const struct pci_dev *d, int have_iommu);
/* The dry-run plan: one line per device, "ADDR ACTION key=value...". */
void plan_print(const struct pci_list *l, int fd);

#endif
