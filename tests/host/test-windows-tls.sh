#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What each Windows version's TLS gets from sstpd's defaults, with an ECDSA
# and with an RSA certificate: the table in docs/windows.md, checked.
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server (EC or RSA certificate)      sstp_winclient -t win7 ... win11
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#
# The client offers exactly what that Windows' SChannel offers by default
# (Microsoft's cipher suite lists). Where no handshake is possible, the
# server's log must say why and what fixes it: a stock Windows 7 offers TLS
# 1.0 only; Windows 7 and 8.1 pair ECDHE-RSA only with AES-CBC, so with an
# RSA certificate they need DHE-RSA-AES-GCM added to tls_ciphers (an
# opt-in that keeps the kernel path) or an ECDSA certificate. With that
# opt-in a Windows 8.1 runs a whole session.
. "$(dirname "$0")/lib.sh"

# shellcheck source=../lib/windows.sh
. "$(dirname "$0")/../lib/windows.sh"

setup_topology

# An RSA certificate for the same name, from the same CA.
openssl req -config "$PKI/openssl.cnf" -newkey rsa:2048 -nodes -keyout "$PKI/rsa.key" \
	-out "$PKI/rsa.csr" -subj "/CN=$SERVER_NAME" >>"$PKI/openssl.log" 2>&1 &&
openssl x509 -req -in "$PKI/rsa.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" \
	-CAcreateserial -out "$PKI/rsa.crt" -days 2 -extfile "$PKI/ext.cnf" \
	>>"$PKI/openssl.log" 2>&1 || fail "could not make the RSA certificate"

# tls_only PROFILE: a TLS handshake as that Windows; prints its outcome:
# the version and suite, or "refused".
tls_only() {
	local out rc
	set +e
	out=$(ip netns exec "$NS2" "$WIN" -s $SERVER_IP -n $SERVER_NAME -C "$PKI/ca.crt" \
		-t "$1" -O 2>&1)
	rc=$?
	set -e
	case $rc in
	0) sed -n 's/^tls=\([^ ]*\) cipher=\(.*\)/\1 \2/p' <<<"$out" ;;
	3) echo refused ;;
	*) fail "$1: the client failed ($rc): $out" ;;
	esac
}

# hint_logged FROM HINT: the server logged the hint since line FROM.
hint_logged() {
	tail -n +"$1" "$TEST_TMP/server.log" | grep -qF "TLS handshake refused: $2"
}

# expect_table CERT PROFILE WANT [HINT]: the outcome, and when refused the
# server's log line that names cause and fix.
expect_table() {
	local from got
	from=$(($(wc -l <"$TEST_TMP/server.log") + 1))
	got=$(tls_only "$2")
	expect_eq "$1 certificate, $2" "$got" "$3"
	[ -n "${4:-}" ] || return 0
	wait_for 5 "the server's TLS hint" hint_logged "$from" "$4"
	printf 'ok: %s certificate, %s: "%s"\n' "$1" "$2" "$4"
}

old="the client offers TLS 1.0 at most, sstpd takes TLS 1.2 and newer: enable TLS 1.2 on the client"
cbc="no TLS 1.2 cipher suite in common for the certificate's RSA key (the client pairs ECDHE-RSA only with AES-CBC, which kTLS cannot carry, as Windows 7 and 8.1 do); it offers DHE-RSA-AES256-GCM-SHA384: add that to tls_ciphers, or an ECDSA certificate would serve it (ECDHE-ECDSA-AES256-GCM-SHA384)"

say "=== ECDSA (P-256) certificate, default TLS settings"
start_server
expect_table ECDSA win7 refused "$old"
expect_table ECDSA win7-tls12 "TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384"
expect_table ECDSA win81 "TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384"
expect_table ECDSA win10 "TLSv1.2 ECDHE-ECDSA-AES256-GCM-SHA384"
expect_table ECDSA win11 "TLSv1.3 TLS_AES_256_GCM_SHA384"
server_done ecdsa

say "=== tls_min_version = 1.3: Windows 10 has no TLS 1.3 for SSTP"
start_server global.tls_min_version=1.3
expect_table ECDSA win10 refused \
	"the client offers TLS 1.2 at most, sstpd takes TLS 1.3 and newer: set tls_min_version = 1.2"
expect_table ECDSA win11 "TLSv1.3 TLS_AES_256_GCM_SHA384"
server_done tls13

say "=== RSA (2048) certificate, default TLS settings"
start_server server.cert="$PKI/rsa.crt" server.key="$PKI/rsa.key"
expect_table RSA win7 refused "$old"
expect_table RSA win7-tls12 refused "$cbc"
expect_table RSA win81 refused "$cbc"
expect_table RSA win10 "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384"
expect_table RSA win11 "TLSv1.3 TLS_AES_256_GCM_SHA384"
server_done rsa

say "=== RSA certificate with DHE-RSA-AES-GCM opted in: Windows 7 and 8.1 served"
start_server server.cert="$PKI/rsa.crt" server.key="$PKI/rsa.key" \
	"global.tls_ciphers=ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256"
fds=$(fd_count "$SERVER_PID")
expect_table RSA+DHE win7-tls12 "TLSv1.2 DHE-RSA-AES256-GCM-SHA384"
# Those who have ECDHE-RSA with GCM keep it.
expect_table RSA+DHE win10 "TLSv1.2 ECDHE-RSA-AES256-GCM-SHA384"
run ip netns exec "$NS2" "$WIN" -s $SERVER_IP -n $SERVER_NAME -C "$PKI/ca.crt" \
	-u alice -p secret123 -t win81 -S -m 500 >"$TEST_TMP/win81.log" 2>&1 ||
	fail "win81: the session failed: $(tail -3 "$TEST_TMP/win81.log")"
grep -q '^tls=TLSv1.2 cipher=DHE-RSA-AES256-GCM-SHA384$' "$TEST_TMP/win81.log" ||
	fail "win81: not on DHE-RSA-AES256-GCM-SHA384"
grep -q 'summary .*ping=1 .*teardown=1' "$TEST_TMP/win81.log" || fail "win81: no whole session"
grep -q 'TLS established: TLSv1.2 DHE-RSA-AES256-GCM-SHA384' "$TEST_TMP/server.log" ||
	fail "the server did not log the DHE suite"
say "ok: Windows 8.1 with DHE-RSA-AES256-GCM-SHA384: $(grep -o 'connect [0-9]* ms' "$TEST_TMP/win81.log")"
expect_server_clean "$fds"
echo "ok: windows-tls"
