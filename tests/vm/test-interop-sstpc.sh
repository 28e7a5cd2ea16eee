#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interop: Debian's sstp-client (sstpc + pppd, MS-CHAPv2 keys handed over by
# sstp-pppd-plugin for the crypto binding) against our sstpd server on the
# userspace data path.
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstpc --ca-cert ... + pppd
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1  ═══ SSTP / PPP ══════════  ppp0 192.168.99.1x
#
# The tunnel comes up with the crypto binding verified by the server, ping
# and iperf3 cross it, and when sstpc is stopped the server is left with no
# session, no tun device and no extra fd.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/sstpd.sh"

command -v sstpc >/dev/null || skip "no sstpc (sstp-client)"
[ -x "$SSTPD" ] || fail "build/sstpd missing (make)"
load veth tun ppp_generic ppp_async
[ -c /dev/ppp ] || run mknod /dev/ppp c 108 0
mkdir -p /var/run/sstpc

setup_topology
start_server
fds=$(fd_count "$SERVER_PID")

bg sstpc ip netns exec "$NS2" sstpc --log-stderr --log-level 3 \
	--ca-cert "$PKI/ca.crt" --user alice --password secret123 $SERVER_IP \
	noauth nodefaultroute noipdefault refuse-pap refuse-chap refuse-mschap refuse-eap noccp \
	nobsdcomp nodeflate novj nodetach
SSTPC_PID=$BG_PID
wait_for 60 "ppp0 with an address in ns 2" sh -c \
	"ip netns exec $NS2 ip -4 -o addr show dev ppp0 | grep -q 'inet 192.168.99.'"
wait_for 20 "server session up" session_up "$TEST_TMP/server.sock"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
grep -q 'SSTP call connected (crypto binding verified)' "$TEST_TMP/server.log" ||
	fail "server did not verify sstpc's crypto binding"
grep -q 'PPP authenticated alice with MS-CHAPv2' "$TEST_TMP/server.log" ||
	fail "not MS-CHAPv2"

in_ns "$NS2" ping -c 3 -i 0.3 -W 3 $TUN_SERVER_IP
bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
in_ns "$NS2" timeout 120 iperf3 -c $TUN_SERVER_IP -n 2M

say "sstpc stops: the server cleans up"
run kill -TERM "$SSTPC_PID"
wait_pid 30 "$SSTPC_PID"
expect_server_clean "$fds"
echo "ok: interop with sstpc"
