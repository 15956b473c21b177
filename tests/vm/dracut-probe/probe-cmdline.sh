#!/bin/sh
# The test boots have no root filesystem: accept a dummy one.
# shellcheck disable=SC2034 # root and rootok are read by dracut
[ -n "$root" ] || root=vfio-early-probe
rootok=1
