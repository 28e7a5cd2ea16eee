#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The vm-debug layer of make check: the VM cases on the debug guest kernel
# (KASAN, lockdep with PROVE_LOCKING and PROVE_RCU, kmemleak, DEBUG_OBJECTS,
# netdev and netns reference trackers, UBSAN; scripts/debug-kernel/), then
# a kmemleak scan. Any report fails it: a KASAN, UBSAN or lockdep splat, a
# WARNING or BUG, a reference-tracker warning (run-cases.sh per case,
# run-vm.sh over the whole console), or an unreferenced object
# (debug-kmemleak-scan.sh).
#
# The packages come from DEBUG_KERNEL_DEBS (default ../shared/debug-kernel
# next to this tree), unpacked under build/ (never installed); without them
# the layer skips, saying how to make them.
#
# The cases: every code path of sstp.ko and of sstpd's kernel backend, in
# the time CI has (docs/vm-debug.md says why these): VM_DEBUG_TESTS
# overrides them.
set -u
cd "$(dirname "$0")/../.."
CASES=${VM_DEBUG_TESTS:-"test-module test-sstp-contract test-sstp-peer test-sstp-teardown test-sstp-tunnel test-offload-gate test-churn"}

out=$(scripts/debug-kernel/debug-kernel.sh unpack ${DEBUG_KERNEL_DEBS:+"$DEBUG_KERNEL_DEBS"} 2>&1)
case $? in
0) ;;
3)
	echo "SKIP vm-debug: $out; scripts/debug-kernel/debug-kernel.sh build DIR makes them" \
		"(an hour), DEBUG_KERNEL_DEBS=DIR points here"
	echo "vm-debug: 0 passed, 0 failed, 1 skipped"
	exit 0 ;;
*)
	echo "FAIL vm-debug: $out"
	echo "vm-debug: 0 passed, 1 failed, 0 skipped"
	exit 1 ;;
esac
read -r KVER KROOT <<<"$out"
echo "vm-debug: $KVER from $KROOT"
make -s module KDIR="$KROOT/usr/src/linux-headers-$KVER" >/dev/null || {
	echo "FAIL vm-debug: sstp.ko does not build against $KVER's headers"
	echo "vm-debug: 0 passed, 1 failed, 0 skipped"
	exit 1
}
# The guest is 3-4 times slower than on Debian's kernel: roomy timeouts,
# and memory for KASAN's shadow.
VM_KROOT=$KROOT VMTESTS="debug-kmemleak-start $CASES debug-kmemleak-scan" \
	VM_CASE_TIMEOUT=${VM_CASE_TIMEOUT:-900} VM_MEM=${VM_MEM:-2048M} \
	tests/vm/run-vm.sh -k "$KVER" -t "${VM_DEBUG_TIMEOUT:-2400}"
