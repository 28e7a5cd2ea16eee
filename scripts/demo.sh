#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The main job: boot the newest guest kernel under QEMU, load sstp.ko with
# modprobe, bring up the kernel data path between two network namespaces and
# push iperf3 through it; the guest side is tests/vm/demo.sh.
# (make demo installs the dependencies and builds first.)
set -euo pipefail
cd "$(dirname "$0")/.."
K=${KVER:-$(scripts/kernels.sh | tail -n1)}
[ -n "$K" ] || { echo "demo: no guest kernel installed (make deps)" >&2; exit 1; }
make -s module KVER="$K"
echo "demo: booting Linux $K under QEMU (TCG: crypto is emulated, so absolute"
echo "      throughput is far below real hardware; see docs/BENCHMARKS.md)"
tests/vm/run-vm.sh -v -k "$K" -c tests/vm/demo.sh -t 600
