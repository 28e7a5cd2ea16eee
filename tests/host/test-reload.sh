#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Live reload on the userspace data path: sstpd --check and --version, a
# broken configuration refused with file:line while the old one runs on,
# the certificate renewed during an iperf3 that carries on, a new client
# that sees the new certificate. The steps are in tests/lib/reload.sh (the
# VM runs them on the kernel data path: tests/vm/test-reload.sh).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/reload.sh"

reload_test no
echo "ok: reload"
