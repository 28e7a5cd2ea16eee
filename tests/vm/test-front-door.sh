#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstpd behind Debian's HAProxy on the kernel data path (offload = yes):
# the steps of tests/lib/frontdoor.sh (the host runs them on the userspace
# path, and those the data path does not change only there). Sessions through the SNI router go to sstp.ko although their
# socket began with a PROXY header: sstpd reads exactly the header before
# TLS, so the kernel's stream starts at a TLS record (nothing malformed in
# sstp.ko's counters) and data passes. listen_plain's sessions stay on the
# userspace path (sstp.ko needs kTLS) and say so.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
. "$TOP/tests/lib/frontdoor.sh"

load veth tun tls sstp
frontdoor_test yes
echo "ok: front door, kernel data path"
