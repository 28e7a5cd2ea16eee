#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The subscriber's rate at the interface: RADIUS's Mikrotik-Rate-Limit
# goes into the session's BPF guard (docs/bpf.md), which polices what the
# client sends; a CoA (RFC 5176) changes it on the live session. Each rate
# is measured with UDP sent at twice the rate through the tunnel and must
# hold within 10 %; sstpctl shows the rate and the packets policed. A
# datagram from a source the client was not given is dropped and counted
# (spoofed).
#
#   ns 3 (FreeRADIUS, radclient)   ns 1 (sstpd server)             ns 2 (client)
#   rad0 10.20.0.3 ──── UDP ────── rad0 10.20.0.1 :3799  veth0 ──── veth0
#                                  sstpN 192.168.99.1 :9 meter ◄─── UDP flood
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/radius.sh
. "$(dirname "$0")/../lib/radius.sh"

[ -x "$FREERADIUS" ] || skip "no freeradius (scripts/install-deps.sh installs it)"
command -v radclient >/dev/null || skip "no radclient (freeradius-utils)"
UDP=$TOP/tests/lib/udp.py

dae_setup
fds=$(fd_count "$SERVER_PID")
start_client client
wait_tunnel
expect_eq "guard on the server's session" "$(session_field "$TEST_TMP/server.sock" guard)" on

# measure RATE: UDP at twice RATE bit/s for 5 s from the client's address;
# what arrives from the second second on is within 10 % of RATE.
measure() {
	local rate=$1 got log=$TEST_TMP/meter$1.log
	bg "meter$rate" ip netns exec "$NS1" python3 "$UDP" meter 9 1 3
	wait_for 5 "the meter ready" grep -q ready "$log"
	in_ns "$NS2" python3 "$UDP" flood 192.168.99.77 $TUN_SERVER_IP 9 $((2 * rate)) 5
	wait_for 10 "the meter's result" grep -q '^bps ' "$log"
	got=$(sed -n 's/^bps //p' "$log")
	say "offered $((2 * rate)) bit/s, $got bit/s arrived (rate $rate)"
	[ "$got" -ge $((rate * 9 / 10)) ] && [ "$got" -le $((rate * 11 / 10)) ] ||
		fail "rate $rate bit/s not held: $got bit/s arrived"
	echo "ok: $rate bit/s held ($got)"
}
json_num() {
	"$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep -o "\"$1\": [0-9]*" | grep -o '[0-9]*$'
}

say "the Access-Accept's rate"
expect_eq "sstpctl rate_kbit" "$(json_num rate_kbit)" 2000
measure 2000000
p1=$(json_num policed)
[ "$p1" -gt 0 ] || fail "nothing counted as policed"
echo "ok: policed $p1"

say "CoA: a new rate on the live session"
dae "$NS3" coa "$RADIUS_SECRET" 'User-Name = "alice"' 'Mikrotik-Rate-Limit = "1M/3M"'
grep -q 'Received CoA-ACK' <<<"$DAE_OUT" || fail "no CoA-ACK"
expect_eq "sstpctl rate_kbit" "$(json_num rate_kbit)" 1000
measure 1000000
[ "$(json_num policed)" -gt "$p1" ] || fail "policed did not grow"

say "a spoofed source: dropped and counted"
bg listener ip netns exec "$NS1" python3 "$UDP" listen 10
wait_for 5 "the listener" grep -q listening "$TEST_TMP/listener.log"
ifc=$(session_field "$TEST_TMP/client.sock" ifname)
run ip -n "$NS2" addr add 10.99.0.5/32 dev "$ifc"
in_ns "$NS2" python3 "$UDP" send 192.168.99.77 $TUN_SERVER_IP 10 RATE-LEGIT
for i in 1 2 3; do
	in_ns "$NS2" python3 "$UDP" send 10.99.0.5 $TUN_SERVER_IP 10 RATE-SPOOFED-$i
done
wait_for 10 "the client's own datagram" grep -q '^192.168.99.77 RATE-LEGIT' "$TEST_TMP/listener.log"
wait_for 10 "the spoofed datagrams counted" sh -c \
	"[ \"\$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -o '\"spoofed\": [0-9]*')\" = '\"spoofed\": 3' ]"
! grep -q SPOOFED "$TEST_TMP/listener.log" || fail "a spoofed datagram arrived"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" --json list

run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"
echo "ok: rate"
