#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What Windows asks after the NCPs, answered by the server: a DHCPINFORM
# (sent the way Windows sends it, tests/host/dhcp-inform.py) gets a DHCPACK
# with the DNS servers, the domain and the split-tunnel routes in options
# 121 and 249; and over IPV6CP a Router Advertisement gives the client a
# /64 of ipv6_prefix, which the client's kernel configures itself with
# (SLAAC), and which the server routes back into the tunnel.
#
#   ns 1 (server)                              ns 2 (client, accept_ra)
#   veth0 10.10.0.1/24 ──── TLS :443 ───────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1, fe80::x  ═══════════  sstp0 192.168.99.1x, 2001:db8:77:N::/64
. "$(dirname "$0")/lib.sh"

setup_topology
# Interfaces made from now on in ns 2 take RAs and make addresses without
# a hardware address (tun has none).
in_ns "$NS2" sysctl -qw net.ipv6.conf.default.addr_gen_mode=3 net.ipv6.conf.default.accept_ra=2
start_server global.ipv6=yes server.dns1=10.0.0.53 server.domain=corp.example \
	"server.dhcp_routes=10.77.0.0/16 172.16.0.0/12" server.ipv6_prefix=2001:db8:77::/48
fds=$(fd_count "$SERVER_PID")
start_client client global.ipv6=yes
wait_tunnel
cip=$(session_field "$TEST_TMP/client.sock" local_ip)
cif=$(session_field "$TEST_TMP/client.sock" ifname)
sif=$(session_field "$TEST_TMP/server.sock" ifname)

say "DHCPINFORM from $cip through $cif"
in_ns "$NS2" python3 "$TOP/tests/host/dhcp-inform.py" "$cif" "$cip" >"$TEST_TMP/ack.txt" ||
	fail "no DHCPACK"
cat "$TEST_TMP/ack.txt"
for want in "53 5" "54 $TUN_SERVER_IP" "6 10.0.0.53" "15 corp.example" \
	"249 10.77.0.0/16 via $TUN_SERVER_IP" "249 172.16.0.0/12 via $TUN_SERVER_IP"; do
	grep -qx "$want" "$TEST_TMP/ack.txt" || fail "DHCPACK lacks '$want'"
done
grep -q 'DHCPINFORM answered (2 route(s), domain corp.example)' "$TEST_TMP/server.log" ||
	fail "server did not log the answer"

say "Router Advertisement: SLAAC on the client, the route back on the server"
wait_for 20 "a global address from 2001:db8:77::/48 on $cif" sh -c \
	"ip -n $NS2 -6 -o addr show dev $cif scope global | grep -q 'inet6 2001:db8:77:'"
gaddr=$(ip -n "$NS2" -6 -o addr show dev "$cif" scope global | awk '{print $4}' | head -1)
say "client address $gaddr"
ip -n "$NS1" -6 route get "${gaddr%/*}" | grep -q "dev $sif" ||
	fail "no route for the client's address into $sif"
# The server's own stack did not take its Advertisement as a host would.
! ip -n "$NS1" -6 route show dev "$sif" | grep -q 'proto kernel.*expires' ||
	fail "the server's kernel took its own Router Advertisement"
in_ns "$NS1" ping -6 -c 2 -i 0.3 -W 3 "${gaddr%/*}" >/dev/null
grep -q 'IPv6 prefix 2001:db8:77::/64 for the client' "$TEST_TMP/server.log" ||
	fail "not the first /64 of the pool"
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"
echo "ok: addrconf"
