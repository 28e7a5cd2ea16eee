#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The door and the gate on the kernel data path (sstp.ko on the server):
#
#   ns 1 (server, offload = yes)                 ns 2
#   veth0 10.10.0.1/24 ──────── TLS :443 ──────── veth0 10.10.0.2/24
#   sstpN (sstp.ko's) 192.168.99.1 ═══ SSTP ═══  sstp0 (tun): sstpd client,
#   udp.py on :9, tcpdump -i any                 foreign_frames = yes;
#                                                conns.py (never authenticates)
#
# 1. Three connections that go as far as the SSTP call (TLS, HTTP,
#    CALL_CONNECT_REQUEST) and never authenticate get no kernel session,
#    no device and no netlink socket: those come with authentication.
# 2. A real client authenticates: now its session is in sstp.ko. It sends
#    MPLS, IPX, AppleTalk and an unknown protocol before LCP, before the
#    binding and after it (and IPv4 before it): sstp.ko hands them to
#    sstpd, whose PPP engine Protocol-Rejects them, and not one is seen
#    on any server interface.
# 3. Source validation on sstpN: the client's own address and its routed
#    network pass, other sources are dropped and counted.
# 4. The unauthenticated connections end at preauth_timeout; nothing is
#    left, and sstp.ko destroyed every session it created.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
. "$TOP/tests/lib/gate.sh"
NLTEST=$(tool sstp_nltest)

load veth tun tls sstp
setup_topology
gate_secrets
start_server global.offload=yes server.preauth_timeout=30
fds=$(fd_count "$SERVER_PID")
gate_watch

kernel_sessions() {
	ip netns exec "$NS1" "$NLTEST" count | awk '{print $NF}'
}

say "=== 1: in the SSTP call, not authenticated: nothing in the kernel"
bg idle ip netns exec "$NS2" python3 "$TOP/tests/lib/conns.py" $SERVER_IP 443 \
	--source $CLIENT_IP --count 3 --mode sstp --wait 90
IDLE=$BG_PID
wait_for 30 "three connections in the SSTP call" sh -c "[ \$(grep -c 'in sstp' '$TEST_TMP/idle.log') = 3 ]"
wait_for 30 "the server's three sessions in their SSTP phase" sh -c \
	"[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"phase\": \"sstp\"') = 3 ]"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
expect_eq "sstp.ko sessions before authentication" "$(kernel_sessions)" 0
expect_eq "sstp devices before authentication" \
	"$(ip -n "$NS1" -o link show type sstp | wc -l)" 0
expect_eq "sessions sstp.ko created" "$(sstp_count created)" 0

say "=== 2: a client that authenticates, and its foreign frames"
start_client client global.offload=no test.foreign_frames=yes
wait_tunnel
expect_eq "sstp.ko sessions" "$(kernel_sessions)" 1
"$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep '"user": "alice"' |
	grep -q '"data_path": "kernel"' || fail "alice's session is not on the kernel path"
grep -q 'PPP authenticated alice' "$TEST_TMP/server.log" || fail "no authentication"
[ "$(grep -n 'PPP authenticated alice' "$TEST_TMP/server.log" | cut -d: -f1)" -lt \
  "$(grep -n 'data path: kernel (sstp session' "$TEST_TMP/server.log" | cut -d: -f1)" ] ||
	fail "the kernel took the socket before authentication"
gate_foreign_rejected

say "=== 3: source validation on the kernel's device"
gate_sources

say "=== 4: the end"
run kill -TERM "$CLIENT_PID"
expect_client_gone
gate_nothing_foreign
wait_pid 90 "$IDLE"
cat "$TEST_TMP/idle.log"
expect_eq "unauthenticated connections closed" "$(grep -c ' closed ' "$TEST_TMP/idle.log")" 3
grep -q 'not authenticated within preauth_timeout (30 s), in phase sstp' "$TEST_TMP/server.log" ||
	fail "the idle connections did not end at the deadline"
expect_server_clean "$fds"
wait_for 30 "no sstp.ko session" sh -c "[ \"\$(ip netns exec $NS1 $NLTEST count)\" = 0 ]"
wait_for 30 "sstp.ko sessions all destroyed" sstp_balanced
expect_eq "sessions sstp.ko created" "$(sstp_count created)" 1
echo "ok: offload gate"
