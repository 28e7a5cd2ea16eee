#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Each PPP authentication method end to end. The server allows all three and
# asks for MS-CHAPv2 first; a client limited to one method makes LCP settle
# on it (Configure-Nak), and the crypto binding is checked with that
# method's HLAK (MS-CHAPv2 keys, or zeros for CHAP-MD5 and PAP).
#
#   ns 1 (server, auth = mschapv2 chap-md5 pap)   ns 2 (client, auth = <m>)
#   veth0 10.10.0.1/24 ─────────── TLS :443 ─────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1  ═════ SSTP / PPP (tun) ════ sstp0 192.168.99.1x
. "$(dirname "$0")/lib.sh"

setup_topology
start_server "server.auth=mschapv2 chap-md5 pap"
fds=$(fd_count "$SERVER_PID")
for m in pap:PAP chap-md5:CHAP-MD5 mschapv2:MS-CHAPv2; do
	say "client.auth = ${m%:*}"
	# Only this round's server log lines count.
	from=$(($(wc -l <"$TEST_TMP/server.log") + 1))
	start_client "client-${m%:*}" client.auth="${m%:*}"
	wait_tunnel
	log=$(tail -n +$from "$TEST_TMP/server.log")
	grep -q "PPP authenticated alice with ${m#*:}\$" <<<"$log" ||
		fail "server did not authenticate with ${m#*:}"
	# The server offers SHA-1 and SHA-256; our client, as Windows, takes
	# SHA-256.
	grep -q 'SSTP call connected (crypto binding verified, SHA-256)' <<<"$log" ||
		fail "no crypto binding verified with SHA-256"
	# Windows-shaped: PFC and ACFC asked for, an Identification sent.
	grep -q "LCP: peer identification 'sstpd " <<<"$log" ||
		fail "the client sent no Identification"
	in_ns "$NS2" ping -c 1 -W 2 $TUN_SERVER_IP >/dev/null
	run kill -TERM "$CLIENT_PID"
	expect_client_gone
	expect_eq "client exit status" "$WAIT_RC" 0
	expect_server_clean "$fds"
done
echo "ok: auth"
