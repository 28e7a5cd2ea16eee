#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Interop: Debian's sstpc + pppd 2.4.9 authenticating with EAP-TLS (a client
# certificate) to our sstpd server, which checks it against its eap_ca and
# then verifies sstpc's crypto binding. pppd hands sstp-client 16 bytes of
# each MPPE key, so the binding is made with the first 16 bytes of each MSK
# half, not with the MSK as MS-SSTP says (ppp-project/ppp#258): the server
# accepts that variant and says so. Userspace data path.
#
#   ns 1 (server, auth = eap-tls)                  ns 2 (client)
#   sstpd mode=server                              sstpc + pppd (cert alice)
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/sstpd.sh"

command -v sstpc >/dev/null || skip "no sstpc (sstp-client)"
load veth tun ppp_generic ppp_async
[ -c /dev/ppp ] || run mknod /dev/ppp c 108 0
mkdir -p /var/run/sstpc

setup_topology
make_client_cert alice
start_server "server.auth=eap-tls mschapv2" server.eap_ca="$PKI/ca.crt"
fds=$(fd_count "$SERVER_PID")

bg sstpc ip netns exec "$NS2" sstpc --log-stderr --log-level 3 \
	--ca-cert "$PKI/ca.crt" --user alice "$SERVER_IP" \
	noauth nodefaultroute noipdefault refuse-pap refuse-chap refuse-mschap \
	refuse-mschap-v2 noccp nobsdcomp nodeflate novj nodetach \
	ca "$PKI/ca.crt" cert "$PKI/alice.crt" key "$PKI/alice.key" \
	remotename "$SERVER_NAME"
SSTPC_PID=$BG_PID
wait_for 60 "ppp0 with an address in ns 2" sh -c \
	"ip netns exec $NS2 ip -4 -o addr show dev ppp0 | grep -q 'inet 192.168.99.'"
wait_for 20 "server session up" session_up "$TEST_TMP/server.sock"
grep -q 'PPP authenticated alice with EAP-TLS' "$TEST_TMP/server.log" || fail "not EAP-TLS"
grep -q 'SSTP call connected (crypto binding verified); HLAK: ' "$TEST_TMP/server.log" ||
	fail "server did not verify sstpc's crypto binding"
say "the binding matched $(grep -o 'HLAK: .*' "$TEST_TMP/server.log")"
in_ns "$NS2" ping -c 3 -i 0.3 -W 3 $TUN_SERVER_IP
run kill -TERM "$SSTPC_PID"
wait_pid 30 "$SSTPC_PID"
expect_server_clean "$fds"
echo "ok: interop with sstpc + pppd EAP-TLS"
