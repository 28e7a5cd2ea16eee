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
make -s module KVER="$K"
OUTD=build/bench
mkdir -p "$OUTD"
rm -f "$OUTD/results.tsv"
VM_TIMEOUT=${VM_TIMEOUT:-3000} tests/vm/run-vm.sh -v -k "$K" -m 2048M \
	-c "BENCH_SECONDS=${BENCH_SECONDS:-8} BENCH_CASES='${BENCH_CASES:-}' RESULTS=$PWD/$OUTD/results.tsv tests/bench/run.sh"
[ -s "$OUTD/results.tsv" ] || { echo "bench: no results" >&2; exit 1; }

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
date=$(date -u +%Y-%m-%d)

# Ratios to the ktls row with the same streams and direction.
table=$(awk -F'\t' '
	{ k = $2 "/" $3; row[NR] = $0; if ($1 == "ktls") { lim[k] = $4; limcpu[k] = $5 } }
	END {
		printf "| case | streams | direction | Mbit/s | vs kTLS | CPU-s/GB | vs kTLS | crypto %% |\n"
		printf "|---|---|---|---|---|---|---|---|\n"
		for (i = 1; i <= NR; i++) {
			split(row[i], f, "\t"); k = f[2] "/" f[3]
			r = lim[k] > 0 ? sprintf("%.2f", f[4] / lim[k]) : "-"
			c = limcpu[k] > 0 ? sprintf("%.2f", f[5] / limcpu[k]) : "-"
			printf "| %s | %s | %s | %.1f | %s | %.1f | %s | %s |\n", f[1], f[2], f[3], f[4], r, f[5], c, f[6]
		}
	}' "$OUTD/results.tsv")
echo "$table"

# The chart: throughput per case and direction, single stream and 4 streams.
awk -F'\t' '{ print $1 "-" $3 "-" $2 "x\t" $4 }' "$OUTD/results.tsv" >"$OUTD/plot.dat"
gnuplot <<EOT
set terminal pngcairo size 1000,500 noenhanced
set output "docs/benchmarks.png"
set title "Throughput in the QEMU/TCG guest (Linux $K), $date"
set ylabel "Mbit/s"
set style fill solid 0.8
set boxwidth 0.7
set xtics rotate by -35
set grid ytics
unset key
plot "$OUTD/plot.dat" using 0:2:xtic(1) with boxes lc rgb "#3070b0"
EOT

{
	echo "# Benchmarks"
	echo
	echo "Measured by \`make bench\` on $date: guest kernel $K under QEMU/TCG"
	echo "(2 vCPUs, no KVM) on a 2-core host ($cpu). Every case runs over the"
	echo "same veth between two network namespaces inside the guest, for"
	echo "${BENCH_SECONDS:-8} s per row. \"vs kTLS\" is the ratio to raw kernel TLS"
	echo "TCP with the same cipher (TLS 1.2 AES-128-GCM, static keys), the"
	echo "limit for any TLS VPN. CPU-s/GB is busy guest CPU time (all vCPUs,"
	echo "from /proc/stat) per 10^9 bytes moved; crypto % is the share of busy"
	echo "perf cpu-clock samples in cipher code (kernel or OpenSSL)."
	echo
	echo "$table"
	echo
	echo "![throughput](benchmarks.png)"
	echo
	cat docs/benchmarks-notes.md 2>/dev/null || true
} >docs/BENCHMARKS.md
echo "bench: wrote docs/BENCHMARKS.md and docs/benchmarks.png"
