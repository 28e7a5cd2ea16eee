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
#                iperf3 between the two sessions' devices (MTU 4087)
#   sstp_kd      our sstpd server and sstpd client, kernel data path
#                (offload = yes on both): kTLS after the OpenSSL handshake,
#                sstp.ko; iperf3 between the devices (mtu = auto: 4087)
#   sstp_kd_1400 the same with the client's mtu = 1400 (both directions
#                then carry 1400-byte packets, as with Windows or sstpc)
#   sstp_user    our sstpd server and sstpd client, userspace data path
#                (offload = no): OpenSSL TLS, SSTP/PPP framing in the
#                daemon, one tun device per end; iperf3 between the tuns
#   sstpc        Debian's sstp-client (sstpc + pppd, ppp0) against our sstpd
#                server (userspace data path on the server)
#   sstpc_kd     the same against a kernel-data-path server: sstpc sends one
#                small TLS record per PPP frame, which is what a Windows
#                client does too
#   latency      ping RTT through sstp_kd and sstp_user, idle and during a
#                saturating single-stream upload: $OUTD/latency.tsv
#   ab           the data path's techniques one at a time, in this guest:
#                the module before data path v2 (BENCH_BASELINE, built by
#                scripts/bench.sh into build/baseline) with its sstpd, then
#                v2 with everything off and each technique added in turn
#                (own device, GRO, GSO, splice, bounded queue, large MRU),
#                each with throughput both ways, CPU per byte and RTT under
#                load: $OUTD/ab.tsv
#
# Cipher variants by name suffix (ktls, sstp_kdp and sstp_kd): none is TLS
# 1.2 AES-128-GCM, _13 TLS 1.3 AES-128-GCM, _cc20 TLS 1.2 ChaCha20-Poly1305;
# each row is compared with the raw kTLS row of its cipher. sstpd is pinned
# to that cipher on both ends (tls_* keys, sstpd_tls), with an RSA server
# certificate so that the TLS 1.2 suites are the ECDHE-RSA ones; sstp_user
# and sstpc get the plain variant (sstpc's own offer is not pinned, the
# server's list decides). The suite and data path each session really
# used are written to $OUTD/tls.txt. After the throughput cases, "scale"
# (in BENCH_CASES) runs tests/tools/sstp_scale for 100 and 1000 kernel
# sessions: $OUTD/scale-*.txt.
. "$(dirname "$0")/../vm/lib.sh"
. "$(dirname "$0")/../lib/sstpd.sh"
. "$(dirname "$0")/lib.sh"
trap - EXIT
trap _netns_cleanup EXIT

SECS=${BENCH_SECONDS:-8}
RESULTS=${RESULTS:-$TOP/build/bench/results.tsv}
OUTD=$(dirname "$RESULTS")
mkdir -p "$OUTD"
# BENCH_APPEND=1 adds the rows of these cases to an earlier run's results.
if [ -z "${BENCH_APPEND:-}" ]; then
	: >"$RESULTS"
	: >"$OUTD/tls.txt"
	rm -f "$OUTD"/*.perf.txt "$OUTD"/scale-*.txt
fi
export OUTD
load veth tls
# The guest has no udev to load the CPU's crypto drivers by modalias as a
# real system does; without them kTLS would get the generic C AES.
modprobe -a aesni_intel ghash_clmulni_intel chacha_x86_64 poly1305_x86_64 2>/dev/null || true
grep -qw aes /proc/cpuinfo && say "guest CPU has AES-NI (emulated by TCG)"

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

# Variants of ktls and sstp_kdp by name suffix: none is TLS 1.2
# AES-128-GCM, _13 is TLS 1.3 AES-128-GCM, _cc20 is TLS 1.2 ChaCha20-Poly1305.
variant() { # CASE -> "version cipher index"
	case $1 in
	*_13) echo "1.3 aes128 1" ;;
	*_cc20) echo "1.2 chacha20 2" ;;
	*) echo "1.2 aes128 0" ;;
	esac
}

ktls_run() { # version cipher streams dir
	local r= rx=server
	[ "$4" = rev ] && { r=-R; rx=client; }
	ip netns exec "$SRV" "$TOOLS/ktls_perf" -k "$1" -c "$2" -P "$3" $r \
		server 10.55.0.1 5301 >"$TEST_TMP/ktls-server" 2>&1 &
	local spid=$!
	ip netns exec "$CLI" "$TOOLS/ktls_perf" -k "$1" -c "$2" -t "$SECS" -P "$3" $r \
		client 10.55.0.1 5301 >"$TEST_TMP/ktls-client" 2>&1
	wait $spid
	ktls_perf_bytes <"$TEST_TMP/ktls-$rx"
}
export -f ktls_run
case_ktls() { ktls_run 1.2 aes128 "$@"; }
case_ktls_13() { ktls_run 1.3 aes128 "$@"; }
case_ktls_cc20() { ktls_run 1.2 chacha20 "$@"; }

# kdp_up CASE: the sstp.ko tunnel of that variant, set up once, on first use:
# port 4443+i, tunnel addresses 10.56+i.0.1/2, MTU 4087 as two sstpd agree.
kdp_up() {
	local v tls cipher i port us uc
	v=$(variant "$1")
	read -r tls cipher i <<<"$v"
	[ -n "${KDP_UP[$i]:-}" ] && return 0
	port=$((4443 + i))
	load sstp
	# not 443: sstpd listens there for the later cases
	bg "kdp$i-srv" env SSTP_TEST_TLS="$tls" SSTP_TEST_CIPHER="$cipher" \
		ip netns exec "$SRV" "$TOOLS/sstp_nltest" tunnel server 10.55.0.1 $port
	KDP_PIDS+=("$BG_PID")
	wait_for 10 "sstp tunnel server" grep -q listening "$TEST_TMP/kdp$i-srv.log"
	bg "kdp$i-cli" env SSTP_TEST_TLS="$tls" SSTP_TEST_CIPHER="$cipher" \
		ip netns exec "$CLI" "$TOOLS/sstp_nltest" tunnel client 10.55.0.1 $port
	KDP_PIDS+=("$BG_PID")
	wait_for 30 "sstp sessions" sh -c "grep -q '^dev ' $TEST_TMP/kdp$i-srv.log && grep -q '^dev ' $TEST_TMP/kdp$i-cli.log"
	us=$(tunnel_dev "$TEST_TMP/kdp$i-srv.log")
	uc=$(tunnel_dev "$TEST_TMP/kdp$i-cli.log")
	ip -n "$SRV" addr add 10.$((56 + i)).0.1 peer 10.$((56 + i)).0.2 dev "$us"
	ip -n "$SRV" link set "$us" mtu 4087 up
	ip -n "$CLI" addr add 10.$((56 + i)).0.2 peer 10.$((56 + i)).0.1 dev "$uc"
	ip -n "$CLI" link set "$uc" mtu 4087 up
	KDP_UP[$i]=1
	printf '%s\tstatic-key kTLS, TLS %s %s\n' "$1" "$tls" "$cipher" >>"$OUTD/tls.txt"
}
declare -A KDP_UP=()
KDP_PIDS=()

# kdp_down: end the sstp_kdp tunnels (they hold sessions of the module).
kdp_down() {
	local pid
	for pid in "${KDP_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
		wait_pid 10 "$pid"
	done
	KDP_PIDS=()
	KDP_UP=()
}

# iperf_via ADDR STREAMS DIR: iperf3 from CLI to a server in SRV on ADDR.
iperf_via() {
	local r=
	[ "$3" = rev ] && r=-R
	# a tunnel that stalls must cost one row, not the whole bench
	timeout $((SECS + 60)) ip netns exec "$SRV" iperf3 -s -1 -B "$1" >/dev/null 2>&1 &
	local spid=$!
	wait_for 10 "iperf3 server" ip netns exec "$SRV" ss -Hltn 'sport = :5201'
	timeout $((SECS + 50)) ip netns exec "$CLI" iperf3 -c "$1" -t "$SECS" -P "$2" $r -J |
		iperf3_bytes || echo "iperf3 through $1 did not finish in $((SECS + 50)) s"
	wait $spid || true
}
export -f iperf_via

case_sstp_kdp() { iperf_via 10.56.0.1 "$@"; }
case_sstp_kdp_13() { iperf_via 10.57.0.1 "$@"; }
case_sstp_kdp_cc20() { iperf_via 10.58.0.1 "$@"; }
case_sstp_kd() { iperf_via 192.168.99.1 "$@"; }
case_sstp_kd_1400() { iperf_via 192.168.99.1 "$@"; }
case_sstpc_kd() { iperf_via 192.168.99.1 "$@"; }
case_sstp_kd_13() { iperf_via 192.168.99.1 "$@"; }
case_sstp_kd_cc20() { iperf_via 192.168.99.1 "$@"; }
case_sstp_user() { iperf_via 192.168.99.1 "$@"; }
case_sstpc() { iperf_via 192.168.99.1 "$@"; }

# sstpd_tls CASE -> "SUITE KEY=VALUE...": the suite sstpctl must report
# (as "TLSv1.x NAME") and the sstpd -o words that pin both ends to the
# cipher of the raw kTLS row the case is compared with.
sstpd_tls() {
	case $1 in
	*_13) echo "TLSv1.3/TLS_AES_128_GCM_SHA256 global.tls_min_version=1.3" \
		"global.tls_ciphersuites=TLS_AES_128_GCM_SHA256" ;;
	*_cc20) echo "TLSv1.2/ECDHE-RSA-CHACHA20-POLY1305 global.tls_max_version=1.2" \
		"global.tls_ciphers=ECDHE-RSA-CHACHA20-POLY1305" ;;
	*) echo "TLSv1.2/ECDHE-RSA-AES128-GCM-SHA256 global.tls_max_version=1.2" \
		"global.tls_ciphers=ECDHE-RSA-AES128-GCM-SHA256" ;;
	esac
}

# tls_of CASE: record the TLS version, suite and data path of the server's
# session, flagging a suite other than the one pinned for the case.
tls_of() {
	local want tls path note=
	read -r want _ <<<"$(sstpd_tls "$1")"
	want=${want/\// }
	IFS='|' read -r tls path < <("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list |
		python3 -c 'import json,sys; s = json.load(sys.stdin)[0]; print(s["tls"] + "|" + s["data_path"])')
	[ "$tls" = "$want" ] || note=" (NOT the pinned $want)"
	printf '%s\t%s, %s data path%s\n' "$1" "$tls" "$path" "$note" >>"$OUTD/tls.txt"
	say "$1: $tls, $path data path$note"
}

# server_up OFFLOAD CASE: one sstpd server in SRV, offload = no for
# sstp_user and sstpc (userspace path), yes for sstp_kd*, pinned to the
# case's cipher; started again when either changes.
SERVER_UP=
server_up() {
	local opts
	read -r _ opts <<<"$(sstpd_tls "$2")"
	[ "$SERVER_UP" = "$1 $opts" ] && return 0
	[ -x "$SSTPD" ] || fail "build/sstpd missing (make)"
	server_stop
	load tun
	SERVER_IP=10.55.0.1
	NS1=$SRV
	NS2=$CLI
	[ -n "${PKI:-}" ] || { make_pki; bench_rsa_cert; }
	write_server_conf
	write_client_conf
	# an older sstpd (the A/B ladder's v1) refuses keys it does not know
	[ -z "${CONF_DROP:-}" ] ||
		sed -i -E "/^($CONF_DROP) =/d" "$TEST_TMP/server.conf" "$TEST_TMP/client.conf"
	# shellcheck disable=SC2086 # opts: one -o word each
	start_server global.log_level=info global.offload="$1" $opts
	SERVER_UP="$1 $opts"
}

server_stop() {
	[ -n "$SERVER_UP" ] || return 0
	kill -TERM "$SERVER_PID"
	wait_pid 30 "$SERVER_PID"
	SERVER_UP=
}

case_up() {
	local opts
	case $1 in
	sstp_kdp*) kdp_up "$1" ;;
	sstp_kd | sstp_kd_13 | sstp_kd_cc20 | sstp_kd_1400)
		load sstp
		server_up yes "$1"
		read -r _ opts <<<"$(sstpd_tls "$1")"
		[ "$1" = sstp_kd_1400 ] && opts+=" global.mtu=1400"
		# shellcheck disable=SC2086 # opts: one -o word each
		start_client "cli-$1" global.log_level=info global.offload=yes $opts
		wait_tunnel
		tls_of "$1"
		;;
	sstp_user)
		server_up no sstp_user
		read -r _ opts <<<"$(sstpd_tls sstp_user)"
		# shellcheck disable=SC2086 # opts: one -o word each
		start_client cli-user global.log_level=info $opts
		wait_tunnel
		tls_of sstp_user
		;;
	sstpc | sstpc_kd)
		command -v sstpc >/dev/null || { say "no sstpc: case $1 skipped"; return 1; }
		if [ "$1" = sstpc_kd ]; then
			load sstp
			server_up yes sstpc
		else
			server_up no sstpc
		fi
		load ppp_generic ppp_async
		[ -c /dev/ppp ] || mknod /dev/ppp c 108 0
		mkdir -p /var/run/sstpc
		start_sstpc sstpc "$CLI"
		wait_for 60 "pppd's interface with an address" sh -c \
			"ip -n $CLI -4 -o addr show | grep -q 'inet 192.168.99.'"
		wait_for 20 "server session up" session_up "$TEST_TMP/server.sock"
		tls_of "$1"
		;;
	esac
	return 0
}

no_sessions() { [ "$(sessions "$TEST_TMP/server.sock")" = 0 ]; }

# Take a case's tunnel down so the next one has the server to itself.
case_down() {
	case $1 in
	sstp_user | sstp_kd | sstp_kd_13 | sstp_kd_cc20 | sstp_kd_1400)
		kill -TERM "$CLIENT_PID"
		wait_pid 30 "$CLIENT_PID"
		wait_for 15 "server session gone" no_sessions
		;;
	sstpc | sstpc_kd)
		kill -TERM "$SSTPC_PID"
		wait_pid 30 "$SSTPC_PID"
		wait_for 15 "server session gone" no_sessions
		;;
	esac
}

# Session scale: N kernel sessions at once, setup rate, memory per session
# (each with its device).
run_scale() {
	local n
	load sstp
	for n in 100 1000; do
		say "scale: $n kernel sessions"
		(ulimit -n 8192; "$TOOLS/sstp_scale" "$n") | tee "$OUTD/scale-$n.txt"
	done
}

# The cipher variants get a single stream only, to keep make bench short.
. "$(dirname "$0")/ab.sh"

for c in ${BENCH_CASES:-tcp ktls sstp_kdp sstp_kd sstp_kd_1400 sstp_user sstpc sstpc_kd ktls_13 sstp_kdp_13 sstp_kd_13 ktls_cc20 sstp_kdp_cc20 sstp_kd_cc20 latency scale ab}; do
	case $c in
	scale) run_scale || say "scale failed"; continue ;;
	latency) run_latency || say "latency failed"; continue ;;
	ab) run_ab || say "ab failed"; continue ;;
	esac
	case_up "$c" || continue
	case $c in *_13 | *_cc20 | *_1400) ss="1" ;; *) ss="1 4" ;; esac
	for streams in $ss; do
		for dir in fwd rev; do
			say "$c, $streams stream(s), $dir"
			measure "$c" "$streams" "$dir" "case_$c" "$streams" "$dir" || true
		done
	done
	case_down "$c"
done
# Which implementations the kernel used (highest priority wins).
awk '/^name/ { n = $3 } /^driver/ { d = $3 } /^priority/ { p = $3 }
     /^$/ { if (n ~ /^(gcm\(aes\)|rfc7539\(chacha20,poly1305\)|aes|ghash|chacha20|poly1305)$/) print n, d, p }' \
	/proc/crypto | sort -u >"$OUTD/crypto.txt" || true
say "results in $RESULTS"
