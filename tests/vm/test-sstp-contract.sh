#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The "sstp" generic netlink contract: every rejection of session-new
# (attributes, fd kinds, socket states, kTLS missing or half-installed,
# already owned, a socket of another netns, device names), the device it
# creates, session-set/get/dump/del, ctrl-send and ppp-send both ways, echo
# in the kernel, CAP_NET_ADMIN, and created == destroyed afterwards. All on
# loopback inside one namespace; the checks are in sstp_nltest.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)

load tls sstp
ns=$(ns_new 1)
in_ns "$ns" "$NLTEST" contract

# the tool's netlink socket is closed: every session and device must be gone
wait_for 10 "sessions to be destroyed" sstp_balanced
say "created $(sstp_count created) destroyed $(sstp_count destroyed)"
[ "$(sstp_count created)" -ge 3 ] || fail "expected at least 3 sessions"
expect_eq "sstp devices left" "$(ip -n "$ns" -o link show type sstp | wc -l)" 0
