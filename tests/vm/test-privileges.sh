#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Least privilege on the kernel data path: server and client run as the
# user sstpd with CAP_NET_ADMIN alone, and that is enough for everything
# sstp.ko asks of them after the drop: session-new, ctrl-send, ppp-send,
# session-set, session-get, session-del (GENL_ADMIN_PERM), the device's
# addresses (rtnetlink), kTLS on each new socket.
#
#   ns 1 (server)                                 ns 2 (client)
#   sstpd, run_as = sstpd, offload = yes          sstpd, run_as = sstpd, offload = yes
#   veth0 10.10.0.1/24 ──── kTLS :443 (sstp.ko) ── veth0 10.10.0.2/24
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"

load veth tun tls sstp
# The guest's /etc is its own: the user the package would make.
getent passwd sstpd >/dev/null || {
	echo "sstpd:x:990:990:SSTP VPN daemon:/nonexistent:/usr/sbin/nologin" >>/etc/passwd
	echo "sstpd:x:990:" >>/etc/group
}
setup_topology
chgrp sstpd "$TEST_TMP" "$PKI/server.key" "$TEST_TMP/chap-secrets" "$TEST_TMP/server.conf"
chmod 770 "$TEST_TMP"
chmod 711 "$PKI"
chmod 640 "$PKI/server.key" "$TEST_TMP/chap-secrets" "$TEST_TMP/server.conf"

start_server global.offload=yes global.run_as=sstpd
grep -q "running as sstpd (uid 990) with CAP_NET_ADMIN only" "$TEST_TMP/server.log" ||
	fail "the server did not drop its privileges"
expect_dropped "$SERVER_PID" server sstpd
fds=$(fd_count "$SERVER_PID")
start_client client global.offload=yes global.run_as=sstpd
wait_tunnel
expect_dropped "$CLIENT_PID" client sstpd
expect_eq "server data path" "$(session_field "$TEST_TMP/server.sock" data_path)" kernel
expect_eq "client data path" "$(session_field "$TEST_TMP/client.sock" data_path)" kernel
in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
in_ns "$NS2" timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M -f m
wait_pid 20 "$BG_PID"
expect_eq "iperf3 server" "$WAIT_RC" 0
# session-get as sstpd: the kernel's counters in sstpctl.
[ "$(session_field "$TEST_TMP/server.sock" rx_bytes)" -gt 100000 ] ||
	fail "no kernel counters read after the drop"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" reload
# session-del as sstpd, and every object gone.
run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$(session_field "$TEST_TMP/server.sock" id)"
expect_client_gone
expect_server_clean "$fds"
wait_for 10 "sstp.ko sessions destroyed" sstp_balanced
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
echo "ok: privileges, kernel data path"
