# SPDX-License-Identifier: GPL-2.0-or-later
#
# Measurement helpers for the benchmarks (sourced in the guest by
# tests/bench/run.sh). One measurement = one traffic run during which we
# sample the whole guest's CPU time from /proc/stat and profile it with
# perf (cpu-clock: the only event under TCG), then split the samples into
# crypto and everything else by symbol.

# Busy jiffies (USER_HZ) of all CPUs: everything but idle and iowait.
cpu_busy() {
	awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}

# Symbols that are the cipher itself, in the kernel or in OpenSSL.
CRYPTO_SYMS='aes|gcm|ghash|gf128|clmul|chacha|poly1305|crypto_|_crypt|sha(1|256|512)|EVP_|ossl_|xor_128|gctr'

# crypto_share PERFDATA: percentage of busy (non-idle) samples in crypto.
crypto_share() {
	perf report -i "$1" --stdio --sort sym 2>/dev/null |
		awk -v re="$CRYPTO_SYMS" '
			/^ *[0-9.]+%/ {
				p = $1; sub(/%/, "", p); sym = $NF
				if (sym ~ /(safe_halt|default_idle|cpu_idle|do_idle|acpi_idle|poll_idle|mwait)/) next
				busy += p
				if (tolower(sym) ~ re) crypto += p
			}
			END { printf "%.1f\n", (busy > 0 ? 100 * crypto / busy : 0) }'
}

# measure NAME STREAMS DIR CMD...: run CMD (which must print the bytes it
# moved as "BYTES <n> SECONDS <s>" on its last line) under /proc/stat and
# perf; append a row to $RESULTS:
#   name streams dir mbps cpu_s_per_gb crypto_pct
measure() {
	local name=$1 streams=$2 dir=$3 out b0 b1 perfdata line bytes secs
	shift 3
	perfdata=$(mktemp /tmp/perf.XXXXXX)
	out=$(mktemp /tmp/out.XXXXXX)
	perf record -q -e cpu-clock -a -o "$perfdata" >/dev/null 2>&1 &
	local ppid=$!
	b0=$(cpu_busy)
	"$@" >"$out" 2>&1 || { echo "bench: $name failed:"; tail -n 5 "$out"; }
	b1=$(cpu_busy)
	kill -INT $ppid 2>/dev/null
	wait $ppid 2>/dev/null
	line=$(grep -E '^BYTES [0-9]+ SECONDS [0-9.]+$' "$out" | tail -n1)
	if [ -z "$line" ]; then
		echo "bench: $name ($streams streams, $dir): no result"
		rm -f "$perfdata" "$out"
		return 1
	fi
	bytes=$(echo "$line" | cut -d' ' -f2)
	secs=$(echo "$line" | cut -d' ' -f4)
	awk -v n="$name" -v s="$streams" -v d="$dir" -v b="$bytes" -v t="$secs" \
	    -v j="$((b1 - b0))" -v c="$(crypto_share "$perfdata")" 'BEGIN {
		mbps = t > 0 ? b * 8 / t / 1e6 : 0
		cpugb = b > 0 ? (j / 100) / (b / 1e9) : 0
		printf "%s\t%s\t%s\t%.1f\t%.1f\t%s\n", n, s, d, mbps, cpugb, c
	}' | tee -a "$RESULTS"
	rm -f "$perfdata" "$out"
}

# iperf3 JSON -> "BYTES n SECONDS s" (received side).
iperf3_bytes() {
	python3 -c 'import json,sys
j = json.load(sys.stdin)
e = j["end"]["sum_received"]
print("BYTES %d SECONDS %.3f" % (e["bytes"], e["seconds"]))'
}

# ktls_perf JSON (the receiving side's line) -> "BYTES n SECONDS s".
ktls_perf_bytes() {
	python3 -c 'import json,sys
for l in sys.stdin:
    l = l.strip()
    if l.startswith("{"):
        j = json.loads(l)
print("BYTES %d SECONDS %.3f" % (j["bytes"], j["seconds"]))'
}
