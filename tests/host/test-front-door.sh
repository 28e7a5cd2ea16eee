#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstpd behind Debian's HAProxy, userspace data path: port 443 shared with
# an HTTPS site by SNI (PROXY v1, then v2, to sstpd's TLS listener), TLS
# terminated by HAProxy for listen_plain, the client's real address in
# sstpctl and the log, non-SSTP requests answered, a missing PROXY header
# and a wrong terminator certificate refused and counted. The topology and
# the steps are in tests/lib/frontdoor.sh (the VM runs them on the kernel
# data path: tests/vm/test-front-door.sh).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/frontdoor.sh"

frontdoor_test no
echo "ok: front door"
