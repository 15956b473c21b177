/* SPDX-License-Identifier: MIT */
/*
 * run/vfio-early/status: what the pass did, one line per device touched:
 *   ADDR VENDOR:DEVICE:CLASS group=N|- prev=DRIVER|- result=R reason=TOKEN [now=DRIVER|-]
 * R is bound, already, failed or skipped. now= is there only when the device
 * is not where R says (read back at the end of the pass: on vfio-pci though
 * skipped or failed, or off it though bound). /run survives switch_root.
 * A line written after boot (the udev rule) ends in at=udev and replaces
 * any earlier line of its address; the whole file is always replaced at
 * once (rename), by one writer at a time (the udev rule holds STATUS_LOCK).
 * The boot pass's second line, when the image's modprobe.d gave options
 * (options vfio-pci ids=...), records them in the command line's form:
 *   # modprobe.d: vfio_pci.ids=8086:10ca ...
 */
#ifndef VFE_STATUS_H
#define VFE_STATUS_H

#include "pci.h"

#define STATUS_DIR  "run/vfio-early"
#define STATUS_PATH STATUS_DIR "/status"
#define STATUS_LOCK STATUS_DIR "/lock"
#define STATUS_OPTS "# modprobe.d:"

int status_write(const struct pci_list *l, const char *note);
/* The file's text old[0..n) (NULL: none yet) with d's line replaced or
 * added, marked at=AT, written as a whole. */
int status_update(const char *old, size_t n, const struct pci_dev *d, const char *at);

#endif
