#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What a client may send into the gateway, on the userspace data path: IP
# from its own addresses once the crypto binding is verified, and nothing
# else. (tests/vm/test-offload-gate.sh is the same on the kernel path.)
#
#   ns 1 (server)                                 ns 2 (client, [test]
#   veth0 10.10.0.1/24 ──────── TLS :443 ──────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1 ═══ SSTP/PPP (tun) ═══ sstp0 192.168.99.10
#   udp.py listening on :9                        foreign_frames = yes)
#   tcpdump -i any                                alice: 10.77.0.0/24 behind
#
# 1. The client sends MPLS, IPX, AppleTalk and an unknown protocol before
#    LCP, before the binding and after it, and IPv4 before the binding:
#    the server rejects each protocol (LCP Protocol-Reject) once LCP is up,
#    and not one of those packets is seen on any of its interfaces.
# 2. Source validation (the BPF guard, on by default): UDP from the
#    client's address and from the network behind it (chap-secrets; the
#    server routes it to the session) arrives; from an address of its own
#    choosing or another client's it is dropped and counted (sstpctl).
. "$(dirname "$0")/lib.sh"
command -v tcpdump >/dev/null || skip "no tcpdump (make deps)"
UDP=$TOP/tests/lib/udp.py

setup_topology
printf '%s\n' "alice * secret123 * 10.77.0.0/24" >"$TEST_TMP/chap-secrets"
start_server
fds=$(fd_count "$SERVER_PID")
bg listener ip netns exec "$NS1" python3 "$UDP" listen 9
wait_for 5 "UDP listener" grep -q listening "$TEST_TMP/listener.log"
bg tcpdump ip netns exec "$NS1" tcpdump -i any -U -n -w "$TEST_TMP/server.pcap"
TCPDUMP=$BG_PID
wait_for 5 "tcpdump" grep -q listening "$TEST_TMP/tcpdump.log"

say "=== foreign protocols before and after the binding"
start_client client test.foreign_frames=yes
wait_tunnel
wait_for 10 "the after-binding frames sent" grep -q 'sending foreign frames (after-binding)' "$CLIENT_LOG"
for p in 0281 002b 0029 4235; do
	wait_for 10 "the server's Protocol-Rejects of $p" sh -c \
		"[ \$(grep -c 'LCP: rejecting protocol 0x$p' '$TEST_TMP/server.log') = 2 ]"
	wait_for 10 "the client told of the rejection of $p" \
		grep -q "LCP: peer rejected protocol 0x$p" "$CLIENT_LOG"
done
for w in before-lcp before-binding after-binding; do
	grep -q "sending foreign frames ($w)" "$CLIENT_LOG" || fail "no foreign frames $w"
done
grep -q 'SSTP call connected (crypto binding verified)' "$TEST_TMP/server.log" ||
	fail "the binding was not verified"

say "=== source validation"
ifc=$(session_field "$TEST_TMP/client.sock" ifname)
ifs=$(session_field "$TEST_TMP/server.sock" ifname)
client_ip=$(session_field "$TEST_TMP/server.sock" peer_ip)
expect_eq "guard on the server's session" "$(session_field "$TEST_TMP/server.sock" guard)" on
route=$(ip -n "$NS1" route show 10.77.0.0/24 dev "$ifs")
say "server: $route"
[ -n "$route" ] || fail "no route to the network behind the client"
run ip -n "$NS2" addr add 10.77.0.5/32 dev "$ifc"
run ip -n "$NS2" addr add 10.99.0.5/32 dev "$ifc"
run ip -n "$NS2" addr add 192.168.99.11/32 dev "$ifc"
in_ns "$NS2" python3 "$UDP" send "$client_ip" $TUN_SERVER_IP 9 SSTP-LEGIT
in_ns "$NS2" python3 "$UDP" send 10.77.0.5 $TUN_SERVER_IP 9 SSTP-ROUTED
for i in 1 2 3; do
	in_ns "$NS2" python3 "$UDP" send 10.99.0.5 $TUN_SERVER_IP 9 SSTP-SPOOFED-$i
done
in_ns "$NS2" python3 "$UDP" send 192.168.99.11 $TUN_SERVER_IP 9 SSTP-SPOOFED-OTHER
wait_for 10 "the client's own datagram" grep -q "^$client_ip SSTP-LEGIT" "$TEST_TMP/listener.log"
wait_for 10 "the routed network's datagram" grep -q '^10.77.0.5 SSTP-ROUTED' "$TEST_TMP/listener.log"
wait_for 10 "the spoofed datagrams counted" sh -c \
	"[ \"\$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -o '\"spoofed\": [0-9]*')\" = '\"spoofed\": 4' ]"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" --json list
grep -q SPOOFED "$TEST_TMP/listener.log" && fail "a spoofed datagram arrived: $(grep SPOOFED "$TEST_TMP/listener.log")"

say "=== nothing foreign ever reached the server's side"
run kill -TERM "$CLIENT_PID"
expect_client_gone
kill -INT "$TCPDUMP"
wait_pid 10 "$TCPDUMP"
tcpdump -r "$TEST_TMP/server.pcap" -n -A 2>/dev/null >"$TEST_TMP/capture.txt"
grep -q SSTP-LEGIT "$TEST_TMP/capture.txt" || fail "the capture saw nothing of the tunnel"
n=$(grep -c 'SSTP-FOREIGN' "$TEST_TMP/capture.txt" || true)
expect_eq "foreign packets on the server's interfaces" "$n" 0
grep -q 'SSTP-FOREIGN' "$TEST_TMP/listener.log" && fail "a foreign packet reached the listener"
expect_server_clean "$fds"
echo "ok: gate"
