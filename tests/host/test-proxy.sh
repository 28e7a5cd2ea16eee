#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The client reaches the server through an HTTP proxy (CONNECT, with the
# SSTPVERSION: 1.0 header MS-SSTP 3.2.4.1 asks for) that wants Basic
# authentication: refused (407) without credentials, through with them.
#
#   ns 1 (server)                        ns 2 (client)
#   sstpd mode=server                    sstpd mode=client, proxy = 10.10.0.2:3128
#   veth0 10.10.0.1/24 ──── veth ──────  veth0 10.10.0.2/24
#        ▲                               connect-proxy.py :3128
#        └──────── TLS :443 ◄──────────────────┘
. "$(dirname "$0")/lib.sh"

setup_topology
start_server
bg proxy ip netns exec "$NS2" python3 "$(dirname "$0")/connect-proxy.py" \
	$CLIENT_IP 3128 "$TEST_TMP/proxy-request.txt" "proxyuser:proxy pass"
wait_for 10 "proxy to listen" sh -c "ip netns exec $NS2 ss -Hltn 'sport = :3128' | grep -q LISTEN"

say "without proxy credentials: 407, the client gives up"
start_client client0 client.proxy=$CLIENT_IP:3128
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client exited 0 after a 407"
grep -q 'proxy wants authentication (407)' "$CLIENT_LOG" || fail "client log does not say 407"

say "with Basic proxy credentials"
start_client client client.proxy=$CLIENT_IP:3128 client.proxy_user=proxyuser \
	"client.proxy_password=proxy pass"
wait_tunnel
in_ns "$NS2" ping -c 2 -i 0.2 -W 2 $TUN_SERVER_IP
run cat "$TEST_TMP/proxy-request.txt"
grep -q "^CONNECT $SERVER_IP:443 HTTP/1.1" "$TEST_TMP/proxy-request.txt" ||
	fail "proxy did not get CONNECT $SERVER_IP:443"
grep -q "^SSTPVERSION: 1.0" "$TEST_TMP/proxy-request.txt" ||
	fail "CONNECT without SSTPVERSION: 1.0"
grep -q "^Proxy-Authorization: Basic cHJveHl1c2VyOnByb3h5IHBhc3M=" "$TEST_TMP/proxy-request.txt" ||
	fail "no Basic proxy credentials sent"
grep -q "proxy tunnel to $SERVER_IP:443 open" "$CLIENT_LOG" || fail "client did not use the proxy"
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
echo "ok: proxy"
