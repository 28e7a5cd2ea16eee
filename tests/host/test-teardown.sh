#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every way a session ends leaves nothing behind: no session in sstpctl, no
# tun device, no leaked fd in the server (counted in /proc/PID/fd before the
# client came and after it left).
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server, hello_interval = 1          sstpd mode=client
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1  ═══ SSTP / PPP (tun) ═══   sstp0 192.168.99.1x
#
#   1. client disconnect (SIGTERM to the client, or sstpctl disconnect on
#      the client: CALL_DISCONNECT)
#   2. peer killed (SIGKILL to the client: TCP closes under the server)
#   3. hello timeout (SIGSTOP the client: the server's ECHO_REQUEST goes
#      unanswered for two hello intervals)
#   4. server shutdown (SIGTERM to the server: it disconnects the client),
#      also with a frozen client that never acknowledges
#   5. server killed (SIGKILL): the client notices and exits
. "$(dirname "$0")/lib.sh"

setup_topology
start_server global.hello_interval=1
fds=$(fd_count "$SERVER_PID")
say "server $SERVER_PID has $fds fds"

connect() {
	start_client "client$1"
	wait_tunnel
	in_ns "$NS2" ping -c 1 -W 2 $TUN_SERVER_IP >/dev/null
}

say "1. client disconnect"
connect 1
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"
grep -q 'session down: SSTP disconnected by peer' "$TEST_TMP/server.log" ||
	fail "server did not see CALL_DISCONNECT"

say "1b. client disconnect through the client's sstpctl"
connect 1b
run "$SSTPCTL" -s "$TEST_TMP/client.sock" disconnect 1
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"

say "2. peer killed"
connect 2
run kill -KILL "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"

say "3. hello timeout"
connect 3
run kill -STOP "$CLIENT_PID"
expect_server_clean "$fds"
grep -q 'session down: SSTP hello timeout' "$TEST_TMP/server.log" ||
	fail "server log does not mention the hello timeout"
run kill -KILL "$CLIENT_PID"
run kill -CONT "$CLIENT_PID" 2>/dev/null || true
expect_client_gone

say "4. server shutdown"
connect 4
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_eq "server tun devices" "$(tun_count "$NS1")" 0
[ ! -e "$TEST_TMP/server.sock" ] || fail "server left its control socket behind"

say "4b. server shutdown with a frozen client (no DISCONNECT_ACK comes)"
start_server global.hello_interval=60
connect 4b
run kill -STOP "$CLIENT_PID"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
expect_eq "server tun devices" "$(tun_count "$NS1")" 0
grep -q 'session down: .*disconnect not acknowledged' "$TEST_TMP/server.log" ||
	fail "server did not give up on the missing DISCONNECT_ACK"
run kill -KILL "$CLIENT_PID"
run kill -CONT "$CLIENT_PID" 2>/dev/null || true
expect_client_gone

say "5. server killed"
start_server
connect 5
run kill -KILL "$SERVER_PID"
wait_pid 5 "$SERVER_PID"
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client exited 0 after losing its server"
echo "ok: teardown"
