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
#   sstp_kdp     the sstp.ko data path alone: one session per end over the
#                same kind of kTLS socket (sstp_nltest tunnel, no daemon),
#                ppp units on /dev/ppp, iperf3 between the pppN interfaces
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

# The sstp.ko tunnel is set up once, on first use.
KDP_UP=
kdp_up() {
	[ -n "$KDP_UP" ] && return 0
	load sstp
	bg kdp-srv ip netns exec "$SRV" "$TOOLS/sstp_nltest" tunnel server 10.55.0.1 443
	wait_for 10 "sstp tunnel server" grep -q listening "$TEST_TMP/kdp-srv.log"
	bg kdp-cli ip netns exec "$CLI" "$TOOLS/sstp_nltest" tunnel client 10.55.0.1 443
	wait_for 30 "sstp sessions" sh -c "grep -q '^unit ' $TEST_TMP/kdp-srv.log && grep -q '^unit ' $TEST_TMP/kdp-cli.log"
	local us uc
	us=ppp$(awk '/^unit /{print $2}' "$TEST_TMP/kdp-srv.log")
	uc=ppp$(awk '/^unit /{print $2}' "$TEST_TMP/kdp-cli.log")
	ip -n "$SRV" addr add 10.56.0.1 peer 10.56.0.2 dev "$us"
	ip -n "$SRV" link set "$us" mtu 1400 up
	ip -n "$CLI" addr add 10.56.0.2 peer 10.56.0.1 dev "$uc"
	ip -n "$CLI" link set "$uc" mtu 1400 up
	KDP_UP=1
}

case_sstp_kdp() { # streams dir
	local r=
	[ "$2" = rev ] && r=-R
	ip netns exec "$SRV" iperf3 -s -1 -B 10.56.0.1 >/dev/null 2>&1 &
	local spid=$!
	wait_for 10 "iperf3 server" ip netns exec "$SRV" ss -Hltn 'sport = :5201'
	ip netns exec "$CLI" iperf3 -c 10.56.0.1 -t "$SECS" -P "$1" $r -J | iperf3_bytes
	wait $spid
}

for c in ${BENCH_CASES:-tcp ktls sstp_kdp}; do
	[ "$c" = sstp_kdp ] && kdp_up
	for streams in 1 4; do
		for dir in fwd rev; do
			say "$c, $streams stream(s), $dir"
			measure "$c" "$streams" "$dir" "case_$c" "$streams" "$dir" || true
		done
	done
done
say "results in $RESULTS"
