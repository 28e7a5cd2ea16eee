#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Live reload on the kernel data path (offload = yes): the steps of
# tests/lib/reload.sh (the host runs them on the userspace path). The
# certificate is renewed while iperf3 runs through an sstp.ko session;
# the reload rebuilds the TLS context (with kTLS prepared) and the session,
# whose socket sstp.ko owns, carries on; a new client gets the new
# certificate and the kernel path too.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
. "$TOP/tests/lib/reload.sh"

load veth tun tls sstp
reload_test yes
echo "ok: reload, kernel data path"
