#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The daemon's kTLS offload (userspace/tls/ktls_offload.c) after a real OpenSSL
# handshake: TLS 1.2 through OpenSSL's own kTLS, TLS 1.3 with our TLS_RX
# install from the traffic secret. Every version x cipher, with kernel TLS
# on both ends and against a plain OpenSSL peer on either end, so the
# kernel's records must be real TLS and our derived keys must be OpenSSL's.
#
#   [a] veth0 10.98.0.1/24  <---- veth ---->  [b] veth0 10.98.0.2/24
#       ktls_openssl server                       ktls_openssl client
. "$(dirname "$0")/lib.sh"
T=$(tool ktls_openssl)
load veth tls

A=$(ns_new a)
B=$(ns_new b)
veth_link "$A" 10.98.0.1/24 "$B" 10.98.0.2/24

port=5000
for v in 1.2 1.3; do
	for c in aes128 aes256 chacha20; do
		for modes in kernel:kernel kernel:user user:kernel; do
			sm=${modes%:*} cm=${modes#*:}
			port=$((port + 1))
			say "TLS $v $c: server $sm, client $cm"
			bg "s$port" ip netns exec "$A" $T -v $v -c $c -m $sm -n 100000 server 10.98.0.1 $port
			spid=$BG_PID
			in_ns "$B" $T -v $v -c $c -m $cm -n 100000 client 10.98.0.1 $port
			wait_pid 60 $spid
			cat "$TEST_TMP/s$port.log"
			expect_eq "server exit status" "$WAIT_RC" 0
			if [ "$sm" = kernel ]; then
				grep -q 'kernel TX+RX' "$TEST_TMP/s$port.log" || fail "server not offloaded"
			fi
		done
	done
done
