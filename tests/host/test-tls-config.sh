#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The [global] tls_* keys end to end (userspace data path; what they pin is
# what the kernel path later offloads):
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstpd mode=client
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#
#   1. bad values stop sstpd before it starts: exit 2 naming file:line for
#      a suite kTLS cannot offload and for min > max, and for a TLS
#      1.2-only server whose suites do not fit its (EC) key
#   2. server and client pinned to TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256
#      (the test certificate is EC; the record cipher is AES-128-GCM, as
#      in the benchmark's ktls row): both report exactly that suite in
#      sstpctl --json and in the "TLS established" log line; ping passes
#   3. a TLS 1.3-only client against the TLS 1.2-only server: the handshake
#      fails with a protocol version alert, the client exits 1, the server
#      runs on with no session, tun device or fd left
#   4. a TLS 1.2 client offering only ChaCha20-Poly1305: no shared cipher,
#      the same checks
#   5. server and client pinned to TLS 1.3 TLS_CHACHA20_POLY1305_SHA256:
#      negotiated; a TLS 1.2-only client is refused by that server
. "$(dirname "$0")/lib.sh"

AES12=ECDHE-ECDSA-AES128-GCM-SHA256
CC13=TLS_CHACHA20_POLY1305_SHA256
setup_topology

# tls_of SOCK: the "tls" field of the only session in sstpctl --json.
tls_of() {
	"$SSTPCTL" -s "$1" --json list |
		python3 -c 'import json, sys; s = json.load(sys.stdin); assert len(s) == 1; print(s[0]["tls"])'
}

# start_expect_fail RC WHAT CONF [-o k=v...]: sstpd must exit RC at once,
# with WHAT in its error output.
start_expect_fail() {
	local want=$1 what=$2 conf=$3 o=() a rc=0
	shift 3
	for a in "$@"; do o+=(-o "$a"); done
	printf '+ sstpd -c %s %s (want exit %s)\n' "$(basename "$conf")" "${o[*]}" "$want"
	ip netns exec "$NS1" timeout 10 "$SSTPD" -c "$conf" "${o[@]}" \
		>"$TEST_TMP/refused.log" 2>&1 || rc=$?
	cat "$TEST_TMP/refused.log"
	expect_eq "sstpd exit status" "$rc" "$want"
	grep -qF -- "$what" "$TEST_TMP/refused.log" || fail "sstpd did not say '$what'"
}

say "1. values sstpd refuses at start"
cp "$TEST_TMP/server.conf" "$TEST_TMP/bad.conf"
printf '[global]\ntls_ciphers = ECDHE-ECDSA-AES128-SHA256\n' >>"$TEST_TMP/bad.conf"
start_expect_fail 2 "bad.conf:$(wc -l <"$TEST_TMP/bad.conf"): tls_ciphers: ECDHE-ECDSA-AES128-SHA256 cannot be offloaded to kTLS" \
	"$TEST_TMP/bad.conf"
cp "$TEST_TMP/server.conf" "$TEST_TMP/bad.conf"
printf '[global]\ntls_min_version = 1.3\ntls_max_version = 1.2\n' >>"$TEST_TMP/bad.conf"
start_expect_fail 2 "bad.conf:$(wc -l <"$TEST_TMP/bad.conf"): tls_min_version 1.3 is above tls_max_version 1.2" \
	"$TEST_TMP/bad.conf"
start_expect_fail 2 "tls_ciphersuites: TLS_AES_128_CCM_SHA256 cannot be offloaded" \
	"$TEST_TMP/server.conf" global.tls_ciphersuites=TLS_AES_128_CCM_SHA256
start_expect_fail 2 "no ECDHE-ECDSA suite for the certificate's EC key" \
	"$TEST_TMP/server.conf" global.tls_max_version=1.2 global.tls_ciphers=ECDHE-RSA-AES128-GCM-SHA256
[ ! -e "$TEST_TMP/server.sock" ] || fail "a refused sstpd left its control socket"

say "2. TLS 1.2 $AES12 pinned on both ends"
start_server global.tls_max_version=1.2 global.tls_ciphers=$AES12
fds=$(fd_count "$SERVER_PID")
start_client client12 global.tls_max_version=1.2 global.tls_ciphers=$AES12
wait_tunnel
expect_eq "server's TLS" "$(tls_of "$TEST_TMP/server.sock")" "TLSv1.2 $AES12"
expect_eq "client's TLS" "$(tls_of "$TEST_TMP/client.sock")" "TLSv1.2 $AES12"
grep -q "TLS established: TLSv1.2 $AES12\$" "$TEST_TMP/server.log" ||
	fail "server log has no 'TLS established: TLSv1.2 $AES12'"
grep -q "TLS established: TLSv1.2 $AES12\$" "$CLIENT_LOG" ||
	fail "client log has no 'TLS established: TLSv1.2 $AES12'"
in_ns "$NS2" ping -c 2 -i 0.2 -W 2 $TUN_SERVER_IP
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"

say "3. a TLS 1.3-only client against the TLS 1.2-only server"
start_client client13 global.tls_min_version=1.3
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 1
grep -q 'TLS handshake: .*protocol version' "$CLIENT_LOG" ||
	fail "client log does not name the protocol version alert"
wait_for 10 "server to log the refused handshake" \
	grep -q 'TLS handshake: .*unsupported protocol' "$TEST_TMP/server.log"
grep -q "TLS established" "$CLIENT_LOG" && fail "the client established TLS"
kill -0 "$SERVER_PID" || fail "the server died"
expect_server_clean "$fds"

say "4. a TLS 1.2 client offering ChaCha20-Poly1305 only"
start_client clientcc global.tls_ciphers=ECDHE-ECDSA-CHACHA20-POLY1305
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 1
grep -q 'TLS handshake: .*handshake failure' "$CLIENT_LOG" ||
	fail "client log does not name the handshake failure"
wait_for 10 "server to log no shared cipher" \
	grep -q 'TLS handshake: .*no shared cipher' "$TEST_TMP/server.log"
kill -0 "$SERVER_PID" || fail "the server died"
expect_server_clean "$fds"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0

say "5. TLS 1.3 $CC13 pinned on both ends"
start_server global.tls_min_version=1.3 global.tls_ciphersuites=$CC13
fds=$(fd_count "$SERVER_PID")
start_client client13cc global.tls_min_version=1.3 global.tls_ciphersuites=$CC13
wait_tunnel
expect_eq "server's TLS" "$(tls_of "$TEST_TMP/server.sock")" "TLSv1.3 $CC13"
expect_eq "client's TLS" "$(tls_of "$TEST_TMP/client.sock")" "TLSv1.3 $CC13"
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_server_clean "$fds"
start_client client12only global.tls_max_version=1.2
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 1
grep -q 'TLS handshake: .*protocol version' "$CLIENT_LOG" ||
	fail "client log does not name the protocol version alert"
expect_server_clean "$fds"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
echo "PASS"
