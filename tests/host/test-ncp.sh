#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One NCP goes down while LCP and the other NCP stay up (userspace path).
#
# The server's administrator closes IPCP (sstpctl ncp ID ipv4 close): the
# client gets an IPCP Terminate-Request. Both sides take their IPv4
# address off the interface (and the client's configured routes go with
# it, as with pppd's ip-down), IPv4 packets stop being forwarded even when
# the host still routes them into the tunnel, and IPv6 keeps working. The
# session stays connected. Reopening IPCP brings addresses, routes and
# IPv4 traffic back. Then the client closes IPV6CP: the same for IPv6
# while IPv4 works. Finally a clean disconnect leaves nothing behind.
. "$(dirname "$0")/lib.sh"

setup_topology
start_server global.ipv6=yes
fds=$(fd_count "$SERVER_PID")
start_client client global.ipv6=yes "client.routes=192.168.200.0/24"
wait_tunnel
SS=$TEST_TMP/server.sock CS=$TEST_TMP/client.sock
sid=$(session_field "$SS" id)
cid=$(session_field "$CS" id)
ifs=$(session_field "$SS" ifname)
ifc=$(session_field "$CS" ifname)
client_ip=$(session_field "$SS" peer_ip)
v6_up() {
	[ "$(session_field "$CS" peer_ip6)" != - ] && [ "$(session_field "$SS" peer_ip6)" != - ]
}
wait_for 10 "IPV6CP up on both sides" v6_up
ll_s=$(session_field "$CS" peer_ip6)
ll_c=$(session_field "$CS" local_ip6)
dad_done() {
	! ip netns exec "$NS1" ip -6 addr show dev "$ifs" | grep -q tentative &&
	! ip netns exec "$NS2" ip -6 addr show dev "$ifc" | grep -q tentative
}
wait_for 10 "IPv6 DAD on both sides" dad_done
ping4() { in_ns "$NS2" ping -c 2 -i 0.2 -W 2 $TUN_SERVER_IP && in_ns "$NS1" ping -c 2 -i 0.2 -W 2 "$client_ip"; }
ping6() { in_ns "$NS2" ping -6 -c 2 -i 0.2 -W 2 "$ll_s%$ifc" && in_ns "$NS1" ping -6 -c 2 -i 0.2 -W 2 "$ll_c%$ifs"; }
ping4
ping6
expect_eq "client route to 192.168.200.1" \
	"$(ip -n "$NS2" route get 192.168.200.1 | grep -o "dev $ifc")" "dev $ifc"
expect_eq "a bad ncp request" \
	"$("$SSTPCTL" -s "$SS" ncp "$sid" ipv5 close >/dev/null 2>&1; echo $?)" 2

say "=== the server closes IPCP; the client's IPCP is terminated, LCP stays"
run "$SSTPCTL" -s "$SS" ncp "$sid" ipv4 close
wait_for 10 "client IPv4 down" grep -q 'IPv4 down (IPCP closed, link stays up)' "$CLIENT_LOG"
wait_for 10 "server IPv4 down" grep -q 'IPv4 down (IPCP closed, link stays up)' "$TEST_TMP/server.log"
grep -q 'IPCP: received Terminate-Request\|IPCP down' "$CLIENT_LOG" || fail "client: no IPCP down in the log"
expect_eq "client IPv4 addresses on $ifc" "$(if_addrs "$NS2" "$ifc" 4)" ""
expect_eq "server IPv4 addresses on $ifs" "$(if_addrs "$NS1" "$ifs" 4)" ""
ip -n "$NS2" route get 192.168.200.1 | grep -q "dev $ifc" &&
	fail "the client still routes 192.168.200.0/24 into the tunnel"
expect_eq "server sessions" "$(sessions "$SS")" 1
expect_eq "server call state" "$(session_field "$SS" call)" Call_Connected
expect_eq "client call state" "$(session_field "$CS" call)" Call_Connected

# The gate, not just the missing route: send IPv4 into the tunnel anyway,
# from either side. Each daemon drops it (tx_dropped) instead of framing it.
run ip -n "$NS2" route add $TUN_SERVER_IP/32 dev "$ifc"
run ip -n "$NS1" route add "$client_ip/32" dev "$ifs"
drop_c=$(session_field "$CS" tx_dropped)
drop_s=$(session_field "$SS" tx_dropped)
in_ns "$NS2" ping -c 3 -i 0.2 -W 1 $TUN_SERVER_IP && fail "IPv4 went through with IPCP closed"
in_ns "$NS1" ping -c 3 -i 0.2 -W 1 "$client_ip" && fail "IPv4 went through with IPCP closed"
n=$(session_field "$CS" tx_dropped)
[ "$n" -ge $((drop_c + 3)) ] || fail "client dropped $drop_c -> $n IPv4 packets, want 3 more"
say "client dropped $((n - drop_c)) IPv4 packets at the gate"
n=$(session_field "$SS" tx_dropped)
[ "$n" -ge $((drop_s + 3)) ] || fail "server dropped $drop_s -> $n IPv4 packets, want 3 more"
say "server dropped $((n - drop_s)) IPv4 packets at the gate"
# IPv6 still runs, both ways.
ping6
run ip -n "$NS2" route del $TUN_SERVER_IP/32 dev "$ifc"
run ip -n "$NS1" route del "$client_ip/32" dev "$ifs"

say "=== IPCP reopened: addresses, routes and IPv4 traffic come back"
run "$SSTPCTL" -s "$SS" ncp "$sid" ipv4 open
wait_for 10 "client IPv4 address back" sh -c "ip -n $NS2 -4 -o addr show dev $ifc | grep -q inet"
wait_for 10 "server IPv4 address back" sh -c "ip -n $NS1 -4 -o addr show dev $ifs | grep -q inet"
wait_for 10 "client route back" sh -c "ip -n $NS2 route get 192.168.200.1 | grep -q 'dev $ifc'"
expect_eq "client address" "$(session_field "$SS" peer_ip)" "$client_ip"
ping4
ping6

say "=== the client closes IPV6CP; IPv4 stays"
run "$SSTPCTL" -s "$CS" ncp "$cid" ipv6 close
wait_for 10 "server IPv6 down" grep -q 'IPv6 down (IPV6CP closed, link stays up)' "$TEST_TMP/server.log"
wait_for 10 "client IPv6 down" grep -q 'IPv6 down (IPV6CP closed, link stays up)' "$CLIENT_LOG"
if_addrs "$NS1" "$ifs" 6 | grep -q "^$ll_s/" && fail "server kept $ll_s"
if_addrs "$NS2" "$ifc" 6 | grep -q "^$ll_c/" && fail "client kept $ll_c"
expect_eq "client local_ip6" "$(session_field "$CS" local_ip6)" -
ping4
in_ns "$NS2" ping -6 -c 2 -i 0.2 -W 1 "$ll_s%$ifc" && fail "IPv6 went through with IPV6CP closed"
expect_eq "server sessions" "$(sessions "$SS")" 1
run "$SSTPCTL" -s "$SS" list

run "$SSTPCTL" -s "$SS" disconnect "$sid"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"
grep -q ' error: \| warn: .*address\|AddressSanitizer' "$TEST_TMP/server.log" "$CLIENT_LOG" && fail "errors in the daemon logs"
echo "ok: ncp down and up"
