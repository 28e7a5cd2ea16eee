#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstpd as a RADIUS client of Debian's FreeRADIUS: PAP, CHAP-MD5 and
# MS-CHAPv2 through RADIUS (the crypto binding with the MPPE keys RADIUS
# sends), the Access-Accept applied (Framed-IP-Address, Framed-Route,
# Class, Acct-Interim-Interval, Session-Timeout), accounting Start,
# Interim-Update and Stop with counters and the terminate cause in
# FreeRADIUS' detail file, a wrong password, failover from a server that
# never answers, and a clear refusal when none answers. FreeRADIUS insists
# on a valid Message-Authenticator in every request.
#
#   ns 3 (FreeRADIUS)        ns 1 (sstpd server)             ns 2 (client)
#   rad0 10.20.0.3 ── UDP ── rad0 10.20.0.1  veth0 10.10.0.1 ── veth0 10.10.0.2
#   (10.20.0.9: nobody, the dead server)     sstp0 192.168.99.1 ═══ sstp0
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/radius.sh
. "$(dirname "$0")/../lib/radius.sh"

[ -x "$FREERADIUS" ] || skip "no freeradius (scripts/install-deps.sh installs it)"

setup_topology
new_ns NS3 3
radius_link "$NS1" "$NS3"

make_raddb 10.20.0.3 '
alice	Cleartext-Password := "secret123"
	Framed-IP-Address = 192.168.99.77,
	Framed-Route = "10.77.0.0/16 0.0.0.0 1",
	Class = "alice-class",
	Acct-Interim-Interval = 2,
	Mikrotik-Rate-Limit = "2M/8M"
bob	Cleartext-Password := "bobpw"
	Session-Timeout = 3
' 'require_message_authenticator = yes'
start_radius "$NS3"

# The dead server first: the first request fails over (1 s), the next ones
# go straight to the live server while the dead one rests.
start_server "server.auth=mschapv2 chap-md5 pap" \
	"radius.auth_servers=10.20.0.9 10.20.0.3" "radius.secret=$RADIUS_SECRET" \
	radius.timeout=1 radius.retries=1 radius.deadtime=300
fds=$(fd_count "$SERVER_PID")
SLOG=$TEST_TMP/server.log
grep -q 'RADIUS: authentication by 10.20.0.9 10.20.0.3' "$SLOG" || fail "no RADIUS line at start"

round=0
for m in mschapv2:MS-CHAPv2 chap-md5:CHAP-MD5 pap:PAP; do
	round=$((round + 1))
	say "client.auth = ${m%:*}, through RADIUS"
	from=$(($(wc -l <"$SLOG") + 1))
	start_client "client-${m%:*}" client.auth="${m%:*}"
	wait_tunnel
	log=$(tail -n +$from "$SLOG")
	grep -q "RADIUS: Access-Request for alice (${m#*:})" <<<"$log" || fail "no Access-Request"
	grep -q 'RADIUS: Access-Accept' <<<"$log" || fail "no Access-Accept"
	grep -q "PPP authenticated alice with ${m#*:}\$" <<<"$log" || fail "not authenticated"
	grep -q 'SSTP call connected (crypto binding verified, SHA-' <<<"$log" ||
		fail "no verified crypto binding"
	if [ $round = 1 ]; then
		grep -q 'server 10.20.0.9:1812 did not answer' <<<"$log" ||
			fail "no failover from the dead server"
	else
		! grep -q 'did not answer' <<<"$log" || fail "the dead server was asked again"
	fi
	# Framed-IP-Address, and Framed-Route on the server's interface.
	expect_eq "client address (Framed-IP-Address)" \
		"$(session_field "$TEST_TMP/client.sock" local_ip)" 192.168.99.77
	ifn=$(session_field "$TEST_TMP/server.sock" ifname)
	ip -n "$NS1" route show 10.77.0.0/16 | grep -q "dev $ifn" ||
		fail "no Framed-Route 10.77.0.0/16 via $ifn"
	grep -q 'rate limit 2M/8M: 2000000 bit/s from the client, 8000000 bit/s to it' <<<"$log" ||
		fail "Mikrotik-Rate-Limit not taken"
	in_ns "$NS2" ping -c 3 -i 0.2 -W 2 $TUN_SERVER_IP >/dev/null
	wait_for 10 "accounting Start" sh -c "[ \$(grep -c 'Acct-Status-Type = Start' '$RADIUS_DETAIL') -ge $round ]"
	# Acct-Interim-Interval = 2 from the Access-Accept.
	wait_for 10 "an Interim-Update" sh -c "[ \$(grep -c 'Acct-Status-Type = Interim-Update' '$RADIUS_DETAIL') -ge $round ]"
	run kill -TERM "$CLIENT_PID"
	expect_client_gone
	expect_server_clean "$fds"
	wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge $round ]"
	expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" User-Request
	expect_eq "Stop: Class echoed" "$(acct_last Stop Class)" 0x616c6963652d636c617373
	expect_eq "Stop: user" "$(acct_last Stop User-Name)" alice
	expect_eq "Stop: Framed-IP-Address" "$(acct_last Stop Framed-IP-Address)" 192.168.99.77
	expect_eq "Stop: NAS-Port-Type" "$(acct_last Stop NAS-Port-Type)" Virtual
	expect_eq "Stop: Calling-Station-Id" "$(acct_last Stop Calling-Station-Id)" "$CLIENT_IP"
	in_packets=$(acct_last Stop Acct-Input-Packets)
	in_octets=$(acct_last Stop Acct-Input-Octets)
	[ "${in_packets:-0}" -ge 3 ] || fail "Stop: Acct-Input-Packets $in_packets, want >= 3 (3 pings)"
	[ "${in_octets:-0}" -ge 252 ] || fail "Stop: Acct-Input-Octets $in_octets, want >= 252"
	expect_eq "Stop: Acct-Input-Gigawords" "$(acct_last Stop Acct-Input-Gigawords)" 0
	[ "$(acct_last Stop Acct-Session-Id)" = "$(acct_last Start Acct-Session-Id)" ] ||
		fail "Start and Stop have different Acct-Session-Ids"
done

say "wrong password: Access-Reject, the client is refused"
from=$(($(wc -l <"$SLOG") + 1))
start_client client-wrong client.password=wrong
wait_pid 20 "$CLIENT_PID"
expect_eq "client exit status (wrong password)" "$WAIT_RC" 1
tail -n +$from "$SLOG" | grep -q 'RADIUS Access-Reject' || fail "no Access-Reject logged"
expect_server_clean "$fds"

say "administrator disconnect: Stop with Admin-Reset"
start_client client-admin
wait_tunnel
id=$(session_field "$TEST_TMP/server.sock" id)
run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$id"
expect_client_gone
wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge 4 ]"
expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" Admin-Reset
expect_server_clean "$fds"

say "bob: Session-Timeout = 3 ends the session"
start_client client-bob client.user=bob client.password=bobpw
wait_tunnel
wait_pid 15 "$CLIENT_PID"
grep -q 'Session-Timeout reached' "$SLOG" || fail "no Session-Timeout"
wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge 5 ]"
expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" Session-Timeout
expect_eq "Stop: user" "$(acct_last Stop User-Name)" bob
expect_server_clean "$fds"

say "no RADIUS server answers: a clear refusal"
run kill "$RADIUS_PID"
wait_pid 10 "$RADIUS_PID"
from=$(($(wc -l <"$SLOG") + 1))
start_client client-noradius
wait_pid 30 "$CLIENT_PID"
expect_eq "client exit status (no RADIUS)" "$WAIT_RC" 1
tail -n +$from "$SLOG" | grep -q 'no RADIUS server answered' || fail "refusal not logged"
expect_server_clean "$fds"
echo "ok: radius"
