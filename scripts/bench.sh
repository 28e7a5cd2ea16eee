#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make bench: run tests/bench/run.sh in the 6.12 guest (BENCH_KVER to pick
# another), then print the table with every case as a ratio to raw kTLS
# (the limit for any TLS VPN), and write docs/BENCHMARKS.md and
# docs/benchmarks.png. BENCH_SECONDS sets the length of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
K=${BENCH_KVER:-$(scripts/kernels.sh | tail -n1)}
[ -n "$K" ] || { echo "bench: no guest kernel (make deps)" >&2; exit 1; }
OUTD=build/bench
mkdir -p "$OUTD"
# BENCH_REPORT_ONLY=1: rewrite the page and chart from the last run's results.
# BENCH_APPEND=1 with BENCH_CASES: rerun those cases into the last results.
# The A/B rows compare with the module before data path v2 and its sstpd.
BASELINE=${BENCH_BASELINE:-80f35a8}
CASES=${BENCH_CASES:-default}
if [ -z "${BENCH_REPORT_ONLY:-}" ]; then
	make -s module KVER="$K"
	make -s userspace tools
	if [ "$CASES" = default ] || [[ " $CASES " == *" ab "* ]]; then
		base=build/baseline
		if [ "$(cat "$base/.commit" 2>/dev/null)" != "$BASELINE" ]; then
			rm -rf "$base" && mkdir -p "$base"
			git archive "$BASELINE" | tar -x -C "$base"
			echo "$BASELINE" >"$base/.commit"
		fi
		make -s -C "$base" userspace
		make -s -C "$base" module KVER="$K"
	fi
	if [ -n "${BENCH_APPEND:-}" ]; then
		# redo these cases only: drop their earlier rows
		for c in ${BENCH_CASES:-}; do
			sed -i "/^$c\t/d" "$OUTD/results.tsv" "$OUTD/tls.txt" 2>/dev/null || true
		done
	else
		rm -f "$OUTD/results.tsv"
	fi
	[ -n "${BENCH_APPEND:-}" ] || rm -f "$OUTD/latency.tsv" "$OUTD/ab.tsv" "$OUTD/ab-latency.tsv"
	# The host's 2 cores are shared: note the busiest moment of other
	# guests and load while ours runs (every 10 s, QEMU processes counted).
	[ -n "${BENCH_APPEND:-}" ] || : >"$OUTD/host-load.txt"
	( while sleep 10; do
		echo "$(pgrep -c qemu-system || true) $(cut -d' ' -f1 /proc/loadavg)"
	  done >>"$OUTD/host-load.txt" ) &
	sampler=$!
	VM_OUT=${VM_OUT:-build/vm/bench-$K} VM_TCG_THREAD=${VM_TCG_THREAD:-multi} VM_TIMEOUT=${VM_TIMEOUT:-3000} tests/vm/run-vm.sh -v -k "$K" -m 2048M \
		-c "BENCH_SECONDS=${BENCH_SECONDS:-8} BENCH_CASES='${BENCH_CASES:-}' BENCH_APPEND='${BENCH_APPEND:-}' RESULTS=$PWD/$OUTD/results.tsv tests/bench/run.sh" ||
		echo "bench: the guest run failed; the report covers the rows it wrote" >&2
	kill "$sampler" 2>/dev/null || true
fi
[ -s "$OUTD/results.tsv" ] || { echo "bench: no results" >&2; exit 1; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
date=$(date -u +%Y-%m-%d)

# Rows in the order of the cases (reruns with BENCH_APPEND append at the end).
order="tcp ktls sstp_kd sstp_kd_1400 sstp_kdp sstp_user sstpc sstpc_kd ktls_13 sstp_kd_13 sstp_kdp_13 ktls_cc20 sstp_kd_cc20 sstp_kdp_cc20"
awk -F'\t' -v order="$order" 'BEGIN { n = split(order, o, " "); for (i = 1; i <= n; i++) rank[o[i]] = i }
	{ printf "%02d\t%06d\t%s\n", ($1 in rank ? rank[$1] : 99), NR, $0 }' "$OUTD/results.tsv" |
	sort | cut -f3- >"$OUTD/results.sorted" && mv "$OUTD/results.sorted" "$OUTD/results.tsv"

# Ratios to the raw kTLS row with the same cipher, streams and direction
# (case names ending in _13 or _cc20 are the TLS 1.3 / ChaCha20 variants).
table=$(awk -F'\t' '
	function ref(n) { return n ~ /_13$/ ? "ktls_13" : n ~ /_cc20$/ ? "ktls_cc20" : "ktls" }
	{ k = $2 "/" $3; row[NR] = $0; if ($1 ~ /^ktls/) { lim[$1 "/" k] = $4; limcpu[$1 "/" k] = $5 } }
	END {
		printf "| case | streams | direction | Mbit/s | vs kTLS | CPU-s/GB | vs kTLS | crypto %% |\n"
		printf "|---|---|---|---|---|---|---|---|\n"
		for (i = 1; i <= NR; i++) {
			split(row[i], f, "\t"); k = ref(f[1]) "/" f[2] "/" f[3]
			r = lim[k] > 0 ? sprintf("%.2f", f[4] / lim[k]) : "-"
			c = limcpu[k] > 0 ? sprintf("%.2f", f[5] / limcpu[k]) : "-"
			printf "| %s | %s | %s | %.1f | %s | %.1f | %s | %s |\n", f[1], f[2], f[3], f[4], r, f[5], c, f[6]
		}
	}' "$OUTD/results.tsv")
echo "$table"

# The chart: throughput per case and direction, single stream and 4 streams.
awk -F'\t' '{ print $1 "-" $3 "-" $2 "x\t" $4 }' "$OUTD/results.tsv" >"$OUTD/plot.dat"
gnuplot <<EOT
set terminal pngcairo size 1200,600 noenhanced
set output "docs/benchmarks.png"
set title "Throughput in the QEMU/TCG guest (Linux $K), $date"
set ylabel "Mbit/s (log scale: the link is 10x the tunnels)"
set logscale y
set yrange [10:*]
set bmargin 9
set rmargin 16
set style fill solid 0.8
set boxwidth 0.7
set xtics rotate by -35
set grid ytics
unset key
plot "$OUTD/plot.dat" using 0:2:xtic(1) with boxes lc rgb "#3070b0"
EOT

# Session scale (tests/tools/sstp_scale): one row per run.
scale_val() { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
scale=
for f in "$OUTD"/scale-100.txt "$OUTD"/scale-1000.txt; do
	[ -s "$f" ] || continue
	if ! grep -q '^PASS' "$f"; then
		scale+="| $(basename "$f" .txt) | $(grep FAIL "$f" | head -n1) ||||||"$'\n'
		continue
	fi
	kb=$(scale_val "$f" server_kb_per_session)
	scale+="| $(scale_val "$f" sessions) | $(scale_val "$f" setup_rate) | $(scale_val "$f" session_new_rate) | $kb | $(scale_val "$f" session_slab_kb_per_session) | $(scale_val "$f" teardown_rate) | $(scale_val "$f" sessions_created)/$(scale_val "$f" sessions_destroyed) | $(awk -v k="$kb" 'BEGIN { printf "%.0f", k * 10000 / 1024 }') |"$'\n'
done
[ -z "$scale" ] || echo "$scale"

# Latency under load: idle and loaded ping through a tunnel.
latency=
if [ -s "$OUTD/latency.tsv" ]; then
	latency=$(awk -F'\t' 'BEGIN {
		print "| case | idle median ms | loaded median ms | loaded p90 ms | answered | upload Mbit/s |"
		print "|---|---|---|---|---|---|" }
		{ printf "| %s | %s | %s | %s | %s/25 | %s |\n", $1, $2, $3, $4, $5, $6 }' "$OUTD/latency.tsv")
	echo "$latency"
fi

# The A/B ladder: each step's throughput and CPU per byte both ways (from
# ab.tsv, measured like the main table) and its RTT under load.
ab=
if [ -s "$OUTD/ab.tsv" ]; then
	ab=$(awk -F'\t' '
		FILENAME ~ /ab-latency/ { lat[$1] = $3 " / " $4; next }
		{ if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
		  v[$1 "/" $3] = $4; c[$1 "/" $3] = $5 }
		END {
			print "| step | Mbit/s fwd | Mbit/s rev | CPU-s/GB fwd | CPU-s/GB rev | RTT under load, median / p90 ms |"
			print "|---|---|---|---|---|---|"
			for (i = 1; i <= n; i++) {
				k = order[i]
				printf "| %s | %s | %s | %s | %s | %s |\n", k, v[k "/fwd"], v[k "/rev"], c[k "/fwd"], c[k "/rev"], (k in lat ? lat[k] : "-")
			}
		}' "$OUTD/ab-latency.tsv" "$OUTD/ab.tsv" 2>/dev/null)
	echo "$ab"
fi

{
	echo "# Benchmarks"
	echo
	echo "Measured by \`make bench\` on $date: guest kernel $K under QEMU/TCG"
	echo "(2 vCPUs, no KVM) on a 2-core host ($cpu). Every case runs over the"
	echo "same veth between two network namespaces inside the guest, for"
	echo "${BENCH_SECONDS:-8} s per row. \"vs kTLS\" is the ratio to raw kernel TLS"
	echo "TCP with the same cipher (TLS 1.2 AES-128-GCM, static keys; rows"
	echo "ending in _13 are TLS 1.3 AES-128-GCM and _cc20 TLS 1.2"
	echo "ChaCha20-Poly1305, each against the raw kTLS row of its cipher), the"
	echo "limit for any TLS VPN. CPU-s/GB is busy guest CPU time (all vCPUs,"
	echo "from /proc/stat) per 10^9 bytes moved; crypto % is the share of busy"
	echo "perf cpu-clock samples in cipher code (kernel or OpenSSL)."
	echo
	echo "$table"
	echo
	if [ -s "$OUTD/host-load.txt" ]; then
		awk '{ if ($1 > q) q = $1; if ($2 > l) l = $2 }
		     END { printf "Host during the run: up to %d QEMU guests at once (ours included), load average up to %s.\n\n", q, l }' "$OUTD/host-load.txt"
	fi
	[ -s "$OUTD/crypto.txt" ] && { echo "Kernel crypto used (name, driver, priority): $(paste -sd';' "$OUTD/crypto.txt" | sed 's/;/; /g')."; echo; }
	echo "![throughput](benchmarks.png)"
	echo
	if [ -s "$OUTD/tls.txt" ]; then
		echo "What each tunnel case ran: the version and suite of the server's"
		echo "session and its data path, from sstpctl. sstpd is pinned on both"
		echo "ends to the cipher of the case's kTLS row (\`tls_max_version\`,"
		echo "\`tls_ciphers\` or \`tls_min_version\`, \`tls_ciphersuites\`; RSA-2048"
		echo "server certificate); for sstpc only the server is pinned. The"
		echo "sstp_kdp cases set static kTLS keys without a handshake:"
		echo
		awk -F'\t' '{ printf "- `%s`: %s\n", $1, $2 }' "$OUTD/tls.txt"
		echo
	fi
	if [ -n "$latency" ]; then
		echo "## Latency under load"
		echo
		echo "Ping through the tunnel (client to server), ten pings idle, then 25"
		echo "during a saturating single-stream upload through the same tunnel"
		echo "(iperf3, past its first second). sstp_kd and sstp_kd_1400 are the"
		echo "kernel path (sstpd both ends; MTU 4087 and 1400), sstp_user the"
		echo "userspace path."
		echo
		echo "$latency"
		echo
	fi
	if [ -n "$ab" ]; then
		echo "## What each technique is worth"
		echo
		echo "One guest, one after the other, sstpd on both ends (TLS 1.2"
		echo "ECDHE-RSA-AES128-GCM-SHA256), single stream: first the module before"
		echo "data path v2 ($(cat build/baseline/.commit 2>/dev/null): a ppp_generic channel and"
		echo "a pppN unit) with its own sstpd, then v2 with every technique off and"
		echo "each added in turn: its own device and PPP demultiplexing (GRO and GSO"
		echo "off with ethtool, kTLS copying the payload, no socket bound, MTU"
		echo "1400), + GRO, + GSO/TSO, + MSG_SPLICE_PAGES, + bounded queue"
		echo "(TCP_NOTSENT_LOWAT 64 KiB), + the largest MRU (4087: mtu = auto)."
		echo "BQL is on in every v2 step (a lockless-TX device has no sysfs knob"
		echo "to turn it off)."
		echo "The last step is the shipped configuration."
		echo
		echo "$ab"
		echo
	fi
	if [ -n "$scale" ]; then
		echo "## Session scale"
		echo
		echo "\`sstp_scale N\` (tests/tools/sstp_scale.c) in the same guest: N loopback"
		echo "TCP pairs with static-key kTLS (TLS 1.2 AES-128-GCM) on both ends, then"
		echo "session-new for the N server ends, each of which creates the session's"
		echo "device, all held at once. Setup rate: whole setup (TCP + kTLS +"
		echo "session-new). Server KiB/session: half of the kTLS pair's cost (the"
		echo "server's socket) plus the session and its device, from MemFree before"
		echo "and after. sstp.ko KiB: the slab growth of session-new alone."
		echo "Teardown: the owner's netlink socket closes (\"owner gone\"), then every"
		echo "fd; created/destroyed are the module's counters, which must match."
		echo
		echo "| sessions | setup/s | session-new/s | server KiB/session | sstp.ko slab KiB | teardown/s | created/destroyed | MiB for 10,000 (extrapolated) |"
		echo "|---|---|---|---|---|---|---|---|"
		printf '%s' "$scale"
		echo
	fi
	echo "## Profiles"
	echo
	echo "Top symbols of each case, single stream, client to server (perf"
	echo "cpu-clock over the whole guest, share of all samples, idle left out;"
	echo "libcrypto is stripped, so its assembly shows as addresses). All rows:"
	echo "\`build/bench/<case>-<streams>-<dir>.perf.txt\`."
	echo
	for f in "$OUTD"/*-1-fwd.perf.txt; do
		[ -s "$f" ] || continue
		echo "\`$(basename "$f" -1-fwd.perf.txt)\`:"
		echo
		echo '```'
		sed 's/  */ /g' "$f" | awk '/^(by symbol|tunnel code)/ { n = 0 } { if (n++ < 9) print }'
		echo '```'
		echo
	done
	cat docs/benchmarks-notes.md 2>/dev/null || true
} >docs/BENCHMARKS.md
echo "bench: wrote docs/BENCHMARKS.md and docs/benchmarks.png"
