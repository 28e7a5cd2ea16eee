#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# An SSTP tunnel through the userspace data path, end to end with real TLS:
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstpd mode=client
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1  ═══ SSTP / PPP (tun) ═══   sstp0 192.168.99.1x
#
# ping both ways (IPv4, and IPv6 link-local from IPV6CP) and iperf3 -n 1M
# through the tunnel, counters in sstpctl
# (human and JSON), then an administrator disconnect on the server: the
# client sees CALL_DISCONNECT and exits 0, and neither side keeps a session,
# a tun device or an fd.
. "$(dirname "$0")/lib.sh"

setup_topology
start_server global.ipv6=yes
fds=$(fd_count "$SERVER_PID")
start_client client global.ipv6=yes "client.routes=192.168.200.0/24 192.168.201.7"
wait_tunnel
ifc=$("$SSTPCTL" -s "$TEST_TMP/client.sock" --json list | grep -o '"ifname": "[^"]*"' | cut -d'"' -f4)
for dst in 192.168.200.1 192.168.201.7; do
	route=$(in_ns "$NS2" ip route get $dst)
	grep -q "dev $ifc" <<<"$route" || fail "no route to $dst via $ifc: $route"
	printf 'ok: %s routed via %s\n' $dst "$ifc"
done

client_ip=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list |
	grep -o '"peer_ip": "[0-9.]*"' | cut -d'"' -f4)
say "client got $client_ip"
in_ns "$NS2" ping -c 3 -i 0.2 -W 2 $TUN_SERVER_IP
in_ns "$NS1" ping -c 3 -i 0.2 -W 2 "$client_ip"

# IPV6CP: link-local addresses from the negotiated interface identifiers.
json=$("$SSTPCTL" -s "$TEST_TMP/client.sock" --json list)
ll_server=$(grep -o '"peer_ip6": "fe80[0-9a-f:]*"' <<<"$json" | cut -d'"' -f4)
ll_client=$(grep -o '"local_ip6": "fe80[0-9a-f:]*"' <<<"$json" | cut -d'"' -f4)
ifc=$(grep -o '"ifname": "[^"]*"' <<<"$json" | cut -d'"' -f4)
ifs=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep -o '"ifname": "[^"]*"' | cut -d'"' -f4)
[ -n "$ll_server" ] && [ -n "$ll_client" ] || fail "no IPv6 link-local addresses: $json"
# The negotiated link-local is each tun's only IPv6 address: the kernel
# makes none of its own there (addr_gen_mode none).
expect_eq "IPv6 addresses on the client's $ifc" "$(if_addrs "$NS2" "$ifc" 6)" "$ll_client/64"
expect_eq "IPv6 addresses on the server's $ifs" "$(if_addrs "$NS1" "$ifs" 6)" "$ll_server/64"
wait_for 10 "IPv6 DAD on both sides" sh -c "! ip netns exec $NS1 ip -6 addr show dev $ifs | grep -q tentative && ! ip netns exec $NS2 ip -6 addr show dev $ifc | grep -q tentative"
in_ns "$NS2" ping -6 -c 3 -i 0.2 -W 2 "$ll_server%$ifc"
in_ns "$NS1" ping -6 -c 3 -i 0.2 -W 2 "$ll_client%$ifs"

bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP -J
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
in_ns "$NS2" timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M
wait_pid 20 "$BG_PID"
expect_eq "iperf3 server" "$WAIT_RC" 0
# iperf3 -n ends the test once the sender has written its bytes: the
# receiver counts what arrived until then
uploaded=$(python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"])' "$TEST_TMP/iperf.log")
[ "${uploaded:-0}" -gt 0 ] || fail "the iperf3 server received nothing"

run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
run "$SSTPCTL" -s "$TEST_TMP/client.sock" --json list
json=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list)
python3 -c 'import json, sys; s = json.load(sys.stdin); assert len(s) == 1 and s[0]["rx_packets"] > 0' \
	<<<"$json" || fail "sstpctl --json is not the JSON it should be: $json"
rx=$(grep -o '"rx_bytes": [0-9]*' <<<"$json" | awk '{print $2}')
[ "$rx" -ge "$uploaded" ] || fail "server rx_bytes $rx, less than the $uploaded bytes iperf3 received"
printf 'ok: server rx_bytes = %s (iperf3 received %s)\n' "$rx" "$uploaded"
grep -q '"tls": "TLSv1.3' <<<"$json" || fail "session not on TLS 1.3: $json"

id=$(grep -o '"id": [0-9]*' <<<"$json" | awk '{print $2}')
run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$id"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"
! "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect 999 2>/dev/null ||
	fail "disconnecting a missing session succeeded"
! "$SSTPCTL" -s "$TEST_TMP/nothing.sock" list 2>/dev/null ||
	fail "sstpctl succeeded without a daemon"
echo "ok: tunnel"
