#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# EAP in PPP, our client against our server: EAP-MSCHAPv2 with local
# secrets (what a Windows profile made from Settings asks for, and the
# server's default), a client without EAP settling on MS-CHAPv2 through
# LCP, a wrong password; then EAP-MSCHAPv2 relayed to FreeRADIUS (RFC 3579:
# EAP-Message, State, the MSK from MS-MPPE-Recv/Send-Key). Each binding
# must verify with the spec's HLAK (the MSK's first 32 bytes).
#
#   ns 3 (FreeRADIUS)        ns 1 (sstpd server)             ns 2 (client)
#   rad0 10.20.0.3 ── UDP ── rad0 10.20.0.1  veth0 10.10.0.1 ── veth0 10.10.0.2
. "$(dirname "$0")/lib.sh"
# shellcheck source=../lib/radius.sh
. "$(dirname "$0")/../lib/radius.sh"

setup_topology
SLOG=$TEST_TMP/server.log

# connect NAME WANT [client -o...]: a session up, authenticated with WANT,
# the binding verified with the spec's HLAK, then the client stopped.
connect() {
	local name=$1 want=$2 from
	shift 2
	from=$(($(wc -l <"$SLOG") + 1))
	start_client "$name" "$@"
	wait_tunnel
	log=$(tail -n +$from "$SLOG")
	grep -q "PPP authenticated alice with $want\$" <<<"$log" ||
		fail "server did not authenticate with $want"
	grep -q 'SSTP call connected (crypto binding verified, SHA-' <<<"$log" ||
		fail "no verified crypto binding"
	in_ns "$NS2" ping -c 1 -W 2 $TUN_SERVER_IP >/dev/null
	run kill -TERM "$CLIENT_PID"
	expect_client_gone
	expect_server_clean "$fds"
}

say "local secrets, the server's default auth (eap-mschapv2 mschapv2)"
start_server server.auth="eap-mschapv2 mschapv2"
fds=$(fd_count "$SERVER_PID")
connect client-eap EAP-MSCHAPv2 client.auth=eap-mschapv2
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "not the spec's HLAK"
connect client-ms MS-CHAPv2 client.auth=mschapv2
grep -q 'HLAK: the MS-CHAPv2 keys' <<<"$log" || fail "not the MS-CHAPv2 HLAK"

say "PEAP and EAP-TLS, locally"
run kill -TERM "$SERVER_PID"
wait_pid 10 "$SERVER_PID"
make_client_cert alice
make_client_cert mallory
: >"$SLOG"
start_server server.auth="peap eap-tls eap-mschapv2 mschapv2" server.eap_ca="$PKI/ca.crt"
fds=$(fd_count "$SERVER_PID")
connect client-peap PEAP client.auth=peap
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "PEAP: not the spec's HLAK"
connect client-tls EAP-TLS client.auth=eap-tls client.eap_cert="$PKI/alice.crt" \
	client.eap_key="$PKI/alice.key"
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "EAP-TLS: not the spec's HLAK"
# The server prefers PEAP; a client with EAP-MSCHAPv2 alone Naks it.
connect client-nak EAP-MSCHAPv2 client.auth=eap-mschapv2
say "EAP-TLS with a certificate for someone else"
from=$(($(wc -l <"$SLOG") + 1))
start_client client-mallory client.auth=eap-tls client.eap_cert="$PKI/mallory.crt" \
	client.eap_key="$PKI/mallory.key"
wait_pid 20 "$CLIENT_PID"
expect_eq "client exit status (mallory's certificate)" "$WAIT_RC" 1
tail -n +$from "$SLOG" | grep -q 'does not name the identity' || fail "no refusal"
expect_server_clean "$fds"

say "EAP-MSCHAPv2, wrong password"
from=$(($(wc -l <"$SLOG") + 1))
start_client client-wrong client.auth=eap-mschapv2 client.password=nope
wait_pid 20 "$CLIENT_PID"
expect_eq "client exit status" "$WAIT_RC" 1
tail -n +$from "$SLOG" | grep -q 'authentication failed: user "alice" from [0-9.]* port [0-9]* (EAP): wrong password' || fail "no refusal"
grep -q 'EAP-MSCHAPv2: server refused us: E=691' "$CLIENT_LOG" || fail "client saw no E=691"
expect_server_clean "$fds"
run kill -TERM "$SERVER_PID"
wait_pid 10 "$SERVER_PID"

[ -x "$FREERADIUS" ] || skip "no freeradius for the relayed half (scripts/install-deps.sh)"
say "EAP-MSCHAPv2 relayed to FreeRADIUS"
new_ns NS3 3
radius_link "$NS1" "$NS3"
make_raddb 10.20.0.3 'alice	Cleartext-Password := "secret123"
	Framed-IP-Address = 192.168.99.88' 'require_message_authenticator = yes'
start_radius "$NS3"
: >"$SLOG"
start_server server.auth="eap-mschapv2 mschapv2" "radius.auth_servers=10.20.0.3" \
	"radius.secret=$RADIUS_SECRET"
fds=$(fd_count "$SERVER_PID")
connect client-radius-eap EAP-MSCHAPv2 client.auth=eap-mschapv2
grep -q 'RADIUS: Access-Request for alice (EAP)' <<<"$log" || fail "not relayed"
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "not the spec's HLAK"
grep -q 'Framed-IP-Address = 192.168.99.88' "$TEST_TMP/radius.log" || fail "FreeRADIUS did not answer"
say "PEAP and EAP-TLS relayed to FreeRADIUS"
connect client-radius-peap PEAP client.auth=peap
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "PEAP: not the spec's HLAK"
connect client-radius-tls EAP-TLS client.auth=eap-tls client.eap_cert="$PKI/alice.crt" \
	client.eap_key="$PKI/alice.key"
grep -q 'HLAK: the MSK (MS-SSTP)' <<<"$log" || fail "EAP-TLS: not the spec's HLAK"
from=$(($(wc -l <"$SLOG") + 1))
start_client client-radius-wrong client.auth=eap-mschapv2 client.password=nope
wait_pid 20 "$CLIENT_PID"
expect_eq "client exit status (wrong password, relayed)" "$WAIT_RC" 1
tail -n +$from "$SLOG" | grep -q 'RADIUS Access-Reject' || fail "no Access-Reject"
expect_server_clean "$fds"
echo "ok: eap"
