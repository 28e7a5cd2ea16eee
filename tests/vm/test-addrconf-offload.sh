#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# DHCPINFORM and Router Advertisements on the kernel data path: the IP
# packets never reach the server's daemon, and the answers come from its
# sockets bound to sstp.ko's device (tests/host/test-addrconf.sh is the
# same on the userspace path).
#
#   ns 1 (server, offload=yes)                 ns 2 (client, offload=yes)
#   veth0 10.10.0.1/24 ──── kTLS :443 ──────── veth0 10.10.0.2/24
#   sstp0 (sstp.ko) 192.168.99.1 ═══════════  sstp0 192.168.99.1x, 2001:db8:77:N::/64
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"

load veth tun tls sstp
setup_topology
in_ns "$NS2" sysctl -qw net.ipv6.conf.default.addr_gen_mode=3 net.ipv6.conf.default.accept_ra=2
start_server global.offload=yes global.ipv6=yes server.dns1=10.0.0.53 \
	server.domain=corp.example "server.dhcp_routes=10.77.0.0/16" \
	server.ipv6_prefix=2001:db8:77::/48
fds=$(fd_count "$SERVER_PID")
start_client client global.offload=yes global.ipv6=yes
wait_tunnel
expect_eq "server data path" "$(session_field "$TEST_TMP/server.sock" data_path)" kernel
cip=$(session_field "$TEST_TMP/client.sock" local_ip)
cif=$(session_field "$TEST_TMP/client.sock" ifname)
sif=$(session_field "$TEST_TMP/server.sock" ifname)
in_ns "$NS2" python3 "$TOP/tests/host/dhcp-inform.py" "$cif" "$cip" >"$TEST_TMP/ack.txt" ||
	fail "no DHCPACK"
cat "$TEST_TMP/ack.txt"
for want in "6 10.0.0.53" "15 corp.example" "249 10.77.0.0/16 via $TUN_SERVER_IP"; do
	grep -qx "$want" "$TEST_TMP/ack.txt" || fail "DHCPACK lacks '$want'"
done
wait_for 30 "a global address from 2001:db8:77::/48 on $cif" sh -c \
	"ip -n $NS2 -6 -o addr show dev $cif scope global | grep -q 'inet6 2001:db8:77:'"
gaddr=$(ip -n "$NS2" -6 -o addr show dev "$cif" scope global | awk '{print $4}' | head -1)
ip -n "$NS1" -6 route get "${gaddr%/*}" | grep -q "dev $sif" ||
	fail "no route for the client's address into $sif"
in_ns "$NS1" ping -6 -c 2 -i 0.3 -W 3 "${gaddr%/*}" >/dev/null
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"
echo "ok: addrconf on the kernel data path"
