#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Observability: the server's counters through sstpctl stats and metrics,
# and scraped over HTTP (metrics_listen) by curl, checked by promtool.
#
#   ns 1 (server)                                  ns 2 (clients)
#   sstpd, metrics_listen = 127.0.0.1:9479         sstpd client (alice), then
#   veth0 10.10.0.1/24 ──── TLS :443 ──────────── veth0 10.10.0.2/24
#   curl http://127.0.0.1:9479/metrics              a wrong password, a client
#                                                   that wants another name (its
#                                                   TLS fails), plain HTTP,
#                                                   GET / in TLS, a port probe
#
# Each failure is counted once under its reason; the session up is counted
# by phase and data path; what sstpctl metrics prints is what the scrape
# gets; promtool accepts the text.
. "$(dirname "$0")/lib.sh"

METRICS=127.0.0.1:9479
setup_topology
start_server global.metrics_listen=$METRICS
wait_for 10 "metrics listener" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :9479' | grep -q LISTEN"
grep -q "metrics at http://$METRICS/metrics" "$TEST_TMP/server.log" || fail "no log line for the listener"

# scrape: the body of GET /metrics, by curl in the server's namespace.
scrape() {
	ip netns exec "$NS1" curl -sSf -m 10 "http://$METRICS/metrics"
}

# metric NAME[{LABELS}]: its value in a scrape.
metric() {
	scrape | awk -v k="$1" '$1 == k {print $2}'
}

say "a session up"
start_client client
wait_tunnel
in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
UP_PID=$CLIENT_PID

say "failures, one of each kind"
for c in "badpass client.password=wrong" "distrust client.sni=other.sstp.test"; do
	start_client $c global.ctl_socket="$TEST_TMP/${c%% *}.sock"
	wait_pid 20 "$CLIENT_PID"
	[ "$WAIT_RC" != 0 ] || fail "client ${c%% *} got in"
done
out=$(ip netns exec "$NS2" curl -sS -m 10 "http://$SERVER_IP:443/" || true)
grep -q "speaks HTTPS" <<<"$out" || fail "plain HTTP got no plain answer: $out"
code=$(ip netns exec "$NS2" curl -sS -m 10 -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.crt" \
	--resolve "$SERVER_NAME:443:$SERVER_IP" "https://$SERVER_NAME/" || true)
expect_eq "GET / in TLS" "$code" 405
wait_for 10 "four failures counted" sh -c "[ \$(ip netns exec $NS1 curl -sf http://$METRICS/metrics | grep -c '_failures_total{reason=\"[a-z_]*\"} 1\$') = 4 ]"
say "a port probe (connect, close without a byte) is not a failure"
ip netns exec "$NS2" python3 -c 'import socket, sys
socket.create_connection((sys.argv[1], 443)).close()' $SERVER_IP
wait_for 10 "the probe's session gone" grep -q "session down: closed before sending anything" \
	"$TEST_TMP/server.log"

say "the scrape"
scrape | tee "$TEST_TMP/scrape.txt"
run promtool check metrics <"$TEST_TMP/scrape.txt"
ver=$("$SSTPD" --version | cut -d' ' -f2)
case $ver in "$(cat "$TOP/VERSION")"*) ;; *) fail "sstpd --version says $ver, VERSION another" ;; esac
expect_eq "sstpd_info" "$(metric "sstpd_info{version=\"$ver\",mode=\"server\"}")" 1
expect_eq "sessions in the SSTP phase" "$(metric 'sstpd_sessions{phase="sstp"}')" 1
expect_eq "sessions in the TLS phase" "$(metric 'sstpd_sessions{phase="tls"}')" 0
expect_eq "sessions on the userspace data path" "$(metric 'sstpd_sessions_data_path{data_path="user"}')" 1
expect_eq "sessions on the kernel data path" "$(metric 'sstpd_sessions_data_path{data_path="kernel"}')" 0
expect_eq "sessions up" "$(metric sstpd_sessions_up)" 1
expect_eq "sessions since start" "$(metric sstpd_sessions_total)" 6
expect_eq "sessions connected since start" "$(metric sstpd_sessions_connected_total)" 1
expect_eq "handshake failures: TLS" "$(metric 'sstpd_handshake_failures_total{reason="tls"}')" 1
expect_eq "handshake failures: not TLS" "$(metric 'sstpd_handshake_failures_total{reason="not_tls"}')" 1
expect_eq "handshake failures: HTTP" "$(metric 'sstpd_handshake_failures_total{reason="http"}')" 1
expect_eq "handshake failures: timeout" "$(metric 'sstpd_handshake_failures_total{reason="timeout"}')" 0
expect_eq "auth failures: credentials" "$(metric 'sstpd_auth_failures_total{reason="credentials"}')" 1
expect_eq "auth failures: crypto binding" "$(metric 'sstpd_auth_failures_total{reason="crypto_binding"}')" 0
[ "$(metric sstpd_receive_bytes_total)" -gt 0 ] || fail "no bytes received counted"
[ "$(metric sstpd_transmit_packets_total)" -ge 3 ] || fail "the pings' answers not counted"

say "sstpctl metrics is the same text; sstpctl stats reads it"
"$SSTPCTL" -s "$TEST_TMP/server.sock" metrics >"$TEST_TMP/ctl.txt"
grep -v '_bytes_total\|_packets_total' "$TEST_TMP/ctl.txt" >"$TEST_TMP/a"
grep -v '_bytes_total\|_packets_total' "$TEST_TMP/scrape.txt" >"$TEST_TMP/b"
diff "$TEST_TMP/a" "$TEST_TMP/b" || fail "sstpctl metrics and the scrape differ"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" stats | tee "$TEST_TMP/stats.txt"
grep -q '^sessions now: *1, 1 up (by phase: front 0, tcp 0, proxy 0, tls 0, http 0, sstp 1)$' \
	"$TEST_TMP/stats.txt" || fail "stats: sessions now"
grep -q '^  by data path: *kernel 0, user 1, user-ktls 0, none 0$' "$TEST_TMP/stats.txt" ||
	fail "stats: by data path"
grep -q '^handshake failures: *3 (not_tls 1, tls 1, http 1)$' "$TEST_TMP/stats.txt" ||
	fail "stats: handshake failures"
grep -q '^auth failures: *1 (credentials 1)$' "$TEST_TMP/stats.txt" || fail "stats: auth failures"

say "the listener serves /metrics and nothing else"
expect_eq "GET /" "$(ip netns exec "$NS1" curl -s -o /dev/null -w '%{http_code}' "http://$METRICS/")" 404
expect_eq "POST /metrics" "$(ip netns exec "$NS1" curl -s -o /dev/null -w '%{http_code}' -d x "http://$METRICS/metrics")" 405
expect_eq "sstpctl's commands over HTTP" \
	"$(printf 'list\r\n\r\n' | ip netns exec "$NS1" timeout 5 python3 -c 'import socket, sys
s = socket.create_connection(("127.0.0.1", 9479)); s.sendall(sys.stdin.buffer.read())
print(s.recv(100).split(b"\r\n")[0].decode())')" "HTTP/1.1 405 Method Not Allowed"
CLIENT_PID=$UP_PID
run kill -TERM "$CLIENT_PID"
expect_client_gone
echo "ok: metrics"
