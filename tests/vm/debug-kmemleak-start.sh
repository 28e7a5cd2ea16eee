#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vm-debug layer, first case: what kmemleak suspects from boot is not ours.
# A scan, then clear: only leaks that appear from here on are reported by
# debug-kmemleak-scan.sh at the end of the layer.
. "$(dirname "$0")/lib.sh"
K=/sys/kernel/debug/kmemleak
[ -e $K ] || skip "this kernel has no kmemleak"
echo scan >$K
echo clear >$K
echo "ok: kmemleak cleared after boot"
