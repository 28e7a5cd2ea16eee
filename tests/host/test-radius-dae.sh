#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Dynamic authorization (RFC 5176) from the RADIUS side: Debian's radclient
# sends CoA-Request and Disconnect-Request to sstpd's listener. A CoA
# changes a running session's rate limit and Session-Timeout (which then
# ends it, Acct-Terminate-Cause Session-Timeout); a Disconnect by
# Acct-Session-Id ends it (Admin-Reset). Refusals carry the right
# Error-Cause: an unknown session, no identification, an attribute we
# cannot change, another NAS; a wrong secret or a client not in
# dae_clients gets no answer at all.
#
#   ns 3 (FreeRADIUS, radclient)   ns 1 (sstpd server)             ns 2 (client)
#   rad0 10.20.0.3 ──── UDP ────── rad0 10.20.0.1 :3799  veth0 ──── veth0
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/radius.sh
. "$(dirname "$0")/../lib/radius.sh"

[ -x "$FREERADIUS" ] || skip "no freeradius (scripts/install-deps.sh installs it)"
command -v radclient >/dev/null || skip "no radclient (freeradius-utils)"

dae_setup radius.nas_identifier=gw-1
fds=$(fd_count "$SERVER_PID")
SLOG=$TEST_TMP/server.log

expect_answer() {
	grep -q "Received $1 " <<<"$DAE_OUT" || fail "want $1"
	if [ -n "${2:-}" ]; then
		grep -q "Error-Cause = $2" <<<"$DAE_OUT" || fail "want Error-Cause $2"
	fi
	printf 'ok: %s %s\n' "$1" "${2:-}"
}

start_client client
wait_tunnel
wait_for 10 "accounting Start" sh -c "[ \$(grep -c 'Acct-Status-Type = Start' '$RADIUS_DETAIL') -ge 1 ]"
sid=$(acct_last Start Acct-Session-Id)

say "CoA for sessions that are not here, or not said which, or not ours"
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "nobody"' 'Session-Timeout = 60'
expect_answer CoA-NAK Session-Context-Not-Found
dae "$NS3" coa "$RADIUS_SECRET" 'Session-Timeout = 60'
expect_answer CoA-NAK Missing-Attribute
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'Filter-Id = "vip"'
expect_answer CoA-NAK Unsupported-Attribute
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'NAS-Identifier = "gw-2"' 'Session-Timeout = 60'
expect_answer CoA-NAK NAS-Identification-Mismatch
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'Mikrotik-Rate-Limit = "fast"'
expect_answer CoA-NAK Invalid-Attribute-Value

say "a wrong secret, a client not in dae_clients: no answer"
dae "$NS3" coa wrong-secret 'User-Name = "alice"' 'Session-Timeout = 1'
! grep -q 'Received' <<<"$DAE_OUT" || fail "answered a request with a wrong secret"
grep -q 'does not verify (wrong secret?): dropped' "$SLOG" || fail "wrong secret not logged"
dae "$NS1" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'Session-Timeout = 1'
! grep -q 'Received' <<<"$DAE_OUT" || fail "answered a client not in dae_clients"
grep -q 'DAE: request from 10.20.0.1, which is not in dae_clients: dropped' "$SLOG" ||
	fail "stranger not logged"
expect_eq "session still up" "$(sessions "$TEST_TMP/server.sock")" 1

say "CoA: a new rate limit, then a Session-Timeout that ends the session"
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'Mikrotik-Rate-Limit = "1M/3M"'
expect_answer CoA-ACK
grep -q 'CoA: rate limit 1M/3M: 1000000 bit/s from the client, 3000000 bit/s to it' "$SLOG" ||
	fail "rate limit not changed"
dae "$NS3" coa "$RADIUS_SECRET" 'Framed-IP-Address = 192.168.99.77' 'Session-Timeout = 2'
expect_answer CoA-ACK
wait_pid 15 "$CLIENT_PID"
wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge 1 ]"
expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" Session-Timeout
expect_server_clean "$fds"

say "Disconnect-Request by Acct-Session-Id"
start_client client2
wait_tunnel
wait_for 10 "accounting Start" sh -c "[ \$(grep -c 'Acct-Status-Type = Start' '$RADIUS_DETAIL') -ge 2 ]"
sid=$(acct_last Start Acct-Session-Id)
dae "$NS3" disconnect "$RADIUS_SECRET" "Acct-Session-Id = \"$sid\"" 'NAS-Identifier = "gw-1"'
expect_answer Disconnect-ACK
expect_client_gone
wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge 2 ]"
expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" Admin-Reset
expect_server_clean "$fds"
dae "$NS3" disconnect "$RADIUS_SECRET" "Acct-Session-Id = \"$sid\""
expect_answer Disconnect-NAK Session-Context-Not-Found
echo "ok: radius-dae"
