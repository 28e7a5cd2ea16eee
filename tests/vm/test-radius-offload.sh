#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# RADIUS accounting on the kernel data path: the byte and packet counters
# in FreeRADIUS' detail file are sstp.ko's (the server never sees the
# data), at least what iperf3 moved each way, with the same session id in
# Start, Interim-Update and Stop.
#
#   ns 3 (FreeRADIUS)        ns 1 (sstpd server, offload=yes)   ns 2 (client, offload=yes)
#   rad0 10.20.0.3 ── UDP ── rad0 10.20.0.1  veth0 10.10.0.1 ── kTLS ── veth0 10.10.0.2
#                                            sstp0 (sstp.ko) 192.168.99.1 ═══ sstp0
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
. "$TOP/tests/lib/radius.sh"

[ -x "$FREERADIUS" ] || skip "no freeradius (scripts/install-deps.sh installs it)"
load veth tun tls sstp
setup_topology
new_ns NS3 3
radius_link "$NS1" "$NS3"
make_raddb 10.20.0.3 'alice	Cleartext-Password := "secret123"
	Acct-Interim-Interval = 2'
start_radius "$NS3"

start_server global.offload=yes "radius.auth_servers=10.20.0.3" \
	"radius.secret=$RADIUS_SECRET"
start_client client global.offload=yes
wait_tunnel
expect_eq "server data path" "$(session_field "$TEST_TMP/server.sock" data_path)" kernel

bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
in_ns "$NS2" sh -c "timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M -J >$TEST_TMP/up.json"
wait_pid 20 "$BG_PID"
bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
in_ns "$NS2" sh -c "timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M -R -J >$TEST_TMP/down.json"
wait_pid 20 "$BG_PID"
# What the receiving iperf3 counted each way (iperf3 -n stops once the
# sender has written its MiB: on a slow guest much of it is still in
# flight then, and is never delivered).
received() {
	python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"])' "$1"
}
up=$(received "$TEST_TMP/up.json")
down=$(received "$TEST_TMP/down.json")

wait_for 10 "an Interim-Update" sh -c "[ \$(grep -c 'Acct-Status-Type = Interim-Update' '$RADIUS_DETAIL') -ge 1 ]"
rx=$(session_field "$TEST_TMP/server.sock" rx_bytes)
tx=$(session_field "$TEST_TMP/server.sock" tx_bytes)
rxp=$(session_field "$TEST_TMP/server.sock" rx_packets)
run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$(session_field "$TEST_TMP/server.sock" id)"
wait_pid 20 "$CLIENT_PID"
wait_for 10 "accounting Stop" sh -c "[ \$(grep -c 'Acct-Status-Type = Stop' '$RADIUS_DETAIL') -ge 1 ]"
in=$(acct_last Stop Acct-Input-Octets)
out=$(acct_last Stop Acct-Output-Octets)
say "iperf3 received up $up down $down; kernel counters before the disconnect: rx $rx tx $tx; Stop: input $in output $out"
[ "$up" -gt 0 ] && [ "$down" -gt 0 ] || fail "iperf3 moved nothing"
[ "$rx" -ge "$up" ] && [ "$tx" -ge "$down" ] || fail "sstp.ko counted less than iperf3 moved"
[ "$in" -ge "$rx" ] && [ "$out" -ge "$tx" ] || fail "Stop counters below sstp.ko's"
# Packets as the device counts them (GRO merges), at least sstp.ko's.
[ "$(acct_last Stop Acct-Input-Packets)" -ge "$rxp" ] && [ "$rxp" -gt 0 ] ||
	fail "Stop: Acct-Input-Packets below sstp.ko's $rxp"
expect_eq "Stop: cause" "$(acct_last Stop Acct-Terminate-Cause)" Admin-Reset
expect_eq "Start and Stop session id" "$(acct_last Start Acct-Session-Id)" "$(acct_last Stop Acct-Session-Id)"
echo "ok: radius-offload"
