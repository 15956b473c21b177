/* SPDX-License-Identifier: MIT */
/*
 * run/vfio-early/status: what the pass did, one line per device touched:
 *   ADDR VENDOR:DEVICE:CLASS group=N|- prev=DRIVER|- result=R reason=TOKEN [now=DRIVER|-]
 * R is bound, already, failed or skipped. now= is there only when the device
 * is not where R says (read back at the end of the pass: on vfio-pci though
 * skipped or failed, or off it though bound). /run survives switch_root.
 */
#ifndef VFE_STATUS_H
#define VFE_STATUS_H

#include "pci.h"

#define STATUS_DIR  "run/vfio-early"
#define STATUS_PATH STATUS_DIR "/status"

int status_write(const struct pci_list *l, const char *note);

#endif
