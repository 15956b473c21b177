/* SPDX-License-Identifier: MIT */
/*
 * vfio-early's address selectors as comma-list items of vfio.ids= and
 * rd.vfio.ids=: [DDDD:]BB:DD.F, optionally pinned to the ids the device
 * must have, ADDR@VVVV:DDDD.  kcmdline --merge uses this to know that
 * 04:00.0, 0000:04:00.0 and 0000:04:00.0@10de:11bf name the same device.
 */
#ifndef KC_SELITEM_H
#define KC_SELITEM_H

#include <stddef.h>

/* 1 if KEY's items are vfio-early selectors (names compare as the kernel's). */
int selitem_key(const char *key);

/* 1 and the device's address as one number if s[0, n) is an address
 * selector, pinned or not; 0 for anything else. */
int selitem_addr(const char *s, size_t n, unsigned long long *addr);

#endif
