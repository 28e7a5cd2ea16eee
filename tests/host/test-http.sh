#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The server's HTTP layer seen from a raw TLS client (openssl s_client),
# and from clients that do not speak TLS at all (curl http://, junk):
#
#   ns 1 (server)                         ns 2
#   sstpd mode=server                     openssl s_client
#   veth0 10.10.0.1/24 ──── TLS :443 ──── veth0 10.10.0.2/24
#
#   1. SSTP_DUPLEX_POST with the first SSTP packet (CALL_CONNECT_REQUEST,
#      MS-SSTP 4.7's example bytes) in the same write: the bytes after the
#      header reach the SSTP layer, which answers CALL_CONNECT_ACK.
#   2. an SSTP packet with a bad version byte: the stream is dropped at once
#      and nothing is sent back (MS-SSTP 3.1.5.1).
#   3. garbage request line: 400; HTTP/2.0: 505; both close the connection.
#   4. plain HTTP to the TLS port: a plain HTTP 400 that says why; bytes
#      that are neither TLS nor HTTP: closed at once, nothing sent.
. "$(dirname "$0")/lib.sh"

setup_topology
start_server global.negotiation_timeout=2
fds=$(fd_count "$SERVER_PID")

say "1. pipelined CALL_CONNECT_REQUEST"
# A fifo held open read-write here keeps s_client's stdin open without
# blocking either side.
mkfifo "$TEST_TMP/stdin"
exec 3<>"$TEST_TMP/stdin"
echo "+ [2] openssl s_client -quiet -connect $SERVER_IP:443 <fifo >raw.out &"
ip netns exec "$NS2" openssl s_client -quiet -connect $SERVER_IP:443 \
	-CAfile "$PKI/ca.crt" <"$TEST_TMP/stdin" >"$TEST_TMP/raw.out" 2>/dev/null &
_PIDS+=("$!")
printf 'SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\nHost: x\r\nContent-Length: 18446744073709551615\r\nSSTPCORRELATIONID: {01234567-89AB-CDEF-0123-456789ABCDEF}\r\n\r\n\x10\x01\x00\x0e\x00\x01\x00\x01\x00\x01\x00\x06\x00\x01' >&3
# CALL_CONNECT_ACK: version 1.0, control, length 48, type 2, one attribute,
# CRYPTO_BINDING_REQ (id 4, length 40).
ack='10 01 00 30 00 02 00 01 00 04 00 28'
wait_for 10 "CALL_CONNECT_ACK" sh -c "od -An -tx1 -v '$TEST_TMP/raw.out' | tr -s ' \n' ' ' | grep -q '$ack'"
head -c 200 "$TEST_TMP/raw.out" | grep -a -q '^HTTP/1.1 200 OK' || fail "no 200 before the ACK"
echo "ok: HTTP 200 then CALL_CONNECT_ACK"
exec 3>&-
wait_for 10 "negotiation timeout" grep -q 'session down: SSTP aborted (NEGOTIATION_TIMEOUT)' \
	"$TEST_TMP/server.log"
expect_server_clean "$fds"

say "2. a bad SSTP version byte: dropped at once, nothing sent back (3.1.5.1)"
: >"$TEST_TMP/raw.out"
exec 3<>"$TEST_TMP/stdin"
echo "+ [2] openssl s_client -quiet -connect $SERVER_IP:443 <fifo >raw.out &"
ip netns exec "$NS2" openssl s_client -quiet -connect $SERVER_IP:443 \
	-CAfile "$PKI/ca.crt" <"$TEST_TMP/stdin" >"$TEST_TMP/raw.out" 2>/dev/null &
_PIDS+=("$!")
printf 'SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\nHost: x\r\n\r\n\x20\x01\x00\x0e\x00\x01\x00\x01\x00\x01\x00\x06\x00\x01' >&3
wait_for 10 "the server to drop the stream" grep -q 'session down: SSTP transport closed.*bad SSTP packet header' \
	"$TEST_TMP/server.log"
exec 3>&-
expect_server_clean "$fds"
# Only the HTTP answer came back: it ends with the blank line.
tail -c 4 "$TEST_TMP/raw.out" | od -An -tx1 | grep -q '0d 0a 0d 0a' ||
	fail "the server sent something after its HTTP answer"
echo "ok: nothing after the HTTP 200"

say "3. malformed requests"
for req in 'HELLO\r\n\r\n:400' \
	'SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/2.0\r\n\r\n:505'; do
	want=${req##*:}
	out=$(printf "${req%:*}" | in_ns "$NS2" timeout 10 openssl s_client -quiet \
		-connect $SERVER_IP:443 -CAfile "$PKI/ca.crt" 2>/dev/null || true)
	grep -q "^HTTP/1.1 $want" <<<"$out" || fail "got '$out', want HTTP/1.1 $want"
	echo "ok: HTTP $want"
done
expect_server_clean "$fds"

say "4. plain HTTP on the TLS port: a plain answer, not a TLS error or a hang"
out=$(ip netns exec "$NS2" curl -sS -m 10 -D - "http://$SERVER_IP:443/" || true)
printf '%s\n' "$out"
grep -q "^HTTP/1.1 400 " <<<"$out" || fail "plain HTTP on the TLS port got no 400"
grep -q "speaks HTTPS" <<<"$out" || fail "the 400 does not say why"
say "   and bytes that are neither TLS nor HTTP: closed at once"
start=$(date +%s)
printf '\x01\x02\x03\r\n' | ip netns exec "$NS2" timeout 10 \
	python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], 443)); s.sendall(sys.stdin.buffer.read())
try:
    print(len(s.recv(100)))
except ConnectionResetError:
    print(0)' $SERVER_IP >"$TEST_TMP/junk.out"
expect_eq "bytes answered to junk" "$(cat "$TEST_TMP/junk.out")" 0
[ $(($(date +%s) - start)) -lt 5 ] || fail "junk was not closed at once"
grep -q 'not TLS (first byte 0x01): closed' "$TEST_TMP/server.log" || fail "no log line for junk"
expect_server_clean "$fds"
echo "ok: http"
