#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The "sstp" generic netlink contract: every rejection of session-new
# (attributes, fd kinds, socket states, kTLS missing or half-installed,
# already owned), session-get/dump/del, ctrl-send both ways, echo in the
# kernel, CAP_NET_ADMIN, and created == destroyed afterwards. All on
# loopback inside one namespace; the checks are in sstp_nltest.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)

load tls sstp
ns=$(ns_new 1)
in_ns "$ns" "$NLTEST" contract

# the tool's netlink socket is closed: every session must be gone
P=/sys/module/sstp/parameters
wait_for 10 "sessions to be destroyed" \
	sh -c "[ \$(cat $P/sessions_created) = \$(cat $P/sessions_destroyed) ]"
say "created $(cat $P/sessions_created) destroyed $(cat $P/sessions_destroyed)"
[ "$(cat $P/sessions_created)" -ge 3 ] || fail "expected at least 3 sessions"
