#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side of "make bench": every case over the same veth between two
# namespaces, single stream and 4 streams, both directions, BENCH_SECONDS
# each. Rows go to $RESULTS (tab separated):
#   case streams dir mbps cpu_s_per_gb crypto_pct
#
#   [srv] veth0 10.55.0.1/24  <---- veth ---->  [cli] veth0 10.55.0.2/24
#
# Cases (each runs only if what it needs is there):
#   tcp          plain TCP: the link (iperf3)
#   ktls         raw kTLS TCP, TLS 1.2 AES-128-GCM, static keys: the limit
#                for any TLS VPN (ktls_perf)
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/lib.sh"
trap - EXIT
trap _netns_cleanup EXIT

SECS=${BENCH_SECONDS:-8}
RESULTS=${RESULTS:-$TOP/build/bench/results.tsv}
mkdir -p "$(dirname "$RESULTS")"
: >"$RESULTS"
load veth tls

SRV=$(ns_new srv)
CLI=$(ns_new cli)
veth_link "$SRV" 10.55.0.1/24 "$CLI" 10.55.0.2/24

# "fwd": client -> server (upload), "rev": server -> client.
case_tcp() { # streams dir
	local r=
	[ "$2" = rev ] && r=-R
	ip netns exec "$SRV" iperf3 -s -1 -B 10.55.0.1 >/dev/null 2>&1 &
	local spid=$!
	wait_for 10 "iperf3 server" ip netns exec "$SRV" ss -Hltn 'sport = :5201'
	ip netns exec "$CLI" iperf3 -c 10.55.0.1 -t "$SECS" -P "$1" $r -J | iperf3_bytes
	wait $spid
}

case_ktls() { # streams dir
	local r= rx=server
	[ "$2" = rev ] && { r=-R; rx=client; }
	ip netns exec "$SRV" "$TOOLS/ktls_perf" -k 1.2 -c aes128 -P "$1" $r \
		server 10.55.0.1 5301 >"$TEST_TMP/ktls-server" 2>&1 &
	local spid=$!
	ip netns exec "$CLI" "$TOOLS/ktls_perf" -k 1.2 -c aes128 -t "$SECS" -P "$1" $r \
		client 10.55.0.1 5301 >"$TEST_TMP/ktls-client" 2>&1
	wait $spid
	ktls_perf_bytes <"$TEST_TMP/ktls-$rx"
}

for c in ${BENCH_CASES:-tcp ktls}; do
	for streams in 1 4; do
		for dir in fwd rev; do
			say "$c, $streams stream(s), $dir"
			measure "$c" "$streams" "$dir" "case_$c" "$streams" "$dir" || true
		done
	done
done
say "results in $RESULTS"
