#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What the server must refuse, and how it leaves nothing behind:
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstpd mode=client / openssl
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#
#   1. a wrong password: PPP authentication fails, the client exits non-zero
#   2. a tampered crypto binding (test-only knob test.corrupt_compound_mac):
#      the server aborts the call, no data flows, the client exits non-zero
#   3. a plain HTTPS GET: HTTP 405 and close; a wrong URI: 404
#   4. a peer that completes HTTP but never sends CALL_CONNECT_REQUEST:
#      the server's negotiation timer (2 s here) aborts it
#   5. an untrusted server certificate: the client refuses (CA check), and
#      a name that does not match the certificate is refused too
#   6. an unknown user; the same user after adding it to chap-secrets + SIGHUP
#   7. a PAP-only server: a default client (MS-CHAPv2 only) refuses it; with
#      client.auth=pap the tunnel comes up (crypto binding with a zero HLAK)
. "$(dirname "$0")/lib.sh"

setup_topology
start_server global.negotiation_timeout=2
fds=$(fd_count "$SERVER_PID")

say "1. wrong password"
start_client client1 client.password=wrong
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client with a wrong password exited 0"
grep -q 'PPP down: authentication failed' "$CLIENT_LOG" ||
	fail "client log does not say authentication failed"
grep -q 'PPP down: authentication failed' "$TEST_TMP/server.log" ||
	fail "server log does not say authentication failed"
expect_server_clean "$fds"

say "2. tampered crypto binding"
start_client client2 test.corrupt_compound_mac=yes
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client with a bad compound MAC exited 0"
grep -q 'corrupting the compound MAC' "$CLIENT_LOG" || fail "the test knob did not act"
grep -q 'session down: SSTP aborted.*compound MAC mismatch' "$TEST_TMP/server.log" ||
	fail "server did not abort the call for its compound MAC"
grep -q 'SSTP call connected' "$TEST_TMP/server.log" &&
	fail "server accepted a tampered crypto binding"
expect_server_clean "$fds"

say "3. wrong HTTP method"
out=$(printf 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' |
	in_ns "$NS2" timeout 10 openssl s_client -quiet -connect $SERVER_IP:443 \
		-CAfile "$PKI/ca.crt" 2>/dev/null || true)
grep -q '^HTTP/1.1 405' <<<"$out" || fail "GET got '$out', want HTTP/1.1 405"
echo "ok: GET answered with 405"
out=$(printf 'SSTP_DUPLEX_POST /sra_wrong/ HTTP/1.1\r\nHost: x\r\n\r\n' |
	in_ns "$NS2" timeout 10 openssl s_client -quiet -connect $SERVER_IP:443 \
		-CAfile "$PKI/ca.crt" 2>/dev/null || true)
grep -q '^HTTP/1.1 404' <<<"$out" || fail "a wrong URI got '$out', want HTTP/1.1 404"
echo "ok: wrong URI answered with 404"
expect_server_clean "$fds"

say "4. negotiation timeout: HTTP done, no CALL_CONNECT_REQUEST"
# A fifo held open read-write here keeps s_client's stdin open without
# blocking either side. (Not through bg: an asynchronous command there
# would get /dev/null as its stdin.)
mkfifo "$TEST_TMP/stdin"
exec 3<>"$TEST_TMP/stdin"
echo "+ [2] openssl s_client -quiet -connect $SERVER_IP:443 <fifo &"
ip netns exec "$NS2" openssl s_client -quiet -connect $SERVER_IP:443 \
	-CAfile "$PKI/ca.crt" <"$TEST_TMP/stdin" >"$TEST_TMP/silent.log" 2>&1 &
_PIDS+=("$!")
printf 'SSTP_DUPLEX_POST %s HTTP/1.1\r\nHost: x\r\n\r\n' \
	'/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/' >&3
wait_for 10 "HTTP 200 to the silent client" grep -q '^HTTP/1.1 200' "$TEST_TMP/silent.log"
wait_for 10 "negotiation timeout" grep -q 'session down: SSTP aborted (NEGOTIATION_TIMEOUT)' \
	"$TEST_TMP/server.log"
exec 3>&-
expect_server_clean "$fds"

say "5. untrusted certificate, wrong name"
openssl req -config "$PKI/openssl.cnf" -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$TEST_TMP/other.key" -out "$TEST_TMP/other.crt" -days 1 \
	-subj "/CN=other CA" >/dev/null 2>&1
start_client client4 client.ca="$TEST_TMP/other.crt"
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client trusted a server its CA did not sign"
grep -q 'certificate: unable to get local issuer certificate' "$CLIENT_LOG" ||
	fail "client log does not name the certificate problem"
start_client client5 client.sni=wrong.sstp.test
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client accepted a certificate for another name"
grep -q 'certificate: hostname mismatch' "$CLIENT_LOG" ||
	fail "client log does not name the host name mismatch"
expect_server_clean "$fds"

say "6. a user added to chap-secrets works after SIGHUP, not before"
start_client client6 client.user=bob client.password=bobpass
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "an unknown user got in"
run sh -c "echo 'bob * bobpass *' >>'$TEST_TMP/chap-secrets'"
run kill -HUP "$SERVER_PID"
wait_for 10 "secrets reload" grep -q 'SIGHUP: .*chap-secrets: 2 secrets' "$TEST_TMP/server.log"
start_client client7 client.user=bob client.password=bobpass
wait_tunnel
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"

say "7. a PAP-only server: refused by a default client, accepted with client.auth=pap"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
start_server server.auth=pap
fds=$(fd_count "$SERVER_PID")
start_client client8
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "a client that only agrees to MS-CHAPv2 accepted PAP"
expect_server_clean "$fds"
start_client client9 client.auth=pap
wait_tunnel
grep -q 'PPP authenticated alice with PAP' "$TEST_TMP/server.log" || fail "not PAP"
in_ns "$NS2" ping -c 1 -W 2 $TUN_SERVER_IP >/dev/null
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"
echo "ok: reject"
