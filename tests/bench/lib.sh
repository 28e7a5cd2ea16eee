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

# Symbols that are the cipher itself, in the kernel or in OpenSSL (plus
# every sample in libcrypto.so, see crypto_share).
CRYPTO_SYMS='aes|gcm|ghash|gf128|clmul|chacha|poly1305|crypto_|_crypt|sha(1|256|512)|EVP_|ossl_|xor_128|gctr'

# crypto_share PERFDATA: percentage of busy (non-idle) samples in crypto.
crypto_share() {
	perf report -i "$1" --stdio --sort dso,sym 2>/dev/null |
		awk -v re="$CRYPTO_SYMS" '
			/^ *[0-9.]+%/ {
				p = $1; sub(/%/, "", p); sym = $NF
				if (sym ~ /(safe_halt|default_idle|cpu_idle|do_idle|acpi_idle|poll_idle|mwait)/) next
				busy += p
				# Debian strips libcrypto: its AES-GCM/ChaCha assembly shows
				# up as bare addresses, so all of libcrypto counts as crypto
				if (tolower(sym) ~ re || $2 ~ /^libcrypto/) crypto += p
			}
			END { printf "%.1f\n", (busy > 0 ? 100 * crypto / busy : 0) }'
}

# measure NAME STREAMS DIR FUNC ARGS...: run the shell function FUNC (which
# must print "BYTES <n> SECONDS <s>" on its last line) under perf, which
# starts first and wraps it so its samples cover the whole run (perf takes
# seconds to start under TCG); busy CPU is read inside, around FUNC only.
# Appends a row to $RESULTS:  name streams dir mbps cpu_s_per_gb crypto_pct
measure() {
	local name=$1 streams=$2 dir=$3 out perfdata line bytes secs jiffies
	shift 3
	perfdata=$(mktemp /tmp/perf.XXXXXX)
	out=$(mktemp /tmp/out.XXXXXX)
	export -f "$1" cpu_busy wait_for fail iperf3_bytes ktls_perf_bytes
	export SRV CLI SECS TOOLS TEST_TMP
	perf record -q -F 250 -e cpu-clock -a -o "$perfdata" -- bash -c '
		b0=$(cpu_busy); "$@"; rc=$?; b1=$(cpu_busy)
		echo "JIFFIES $((b1 - b0))"; exit $rc' _ "$@" >"$out" 2>&1 ||
		{ echo "bench: $name failed:"; tail -n 5 "$out"; }
	line=$(grep -E '^BYTES [0-9]+ SECONDS [0-9.]+$' "$out" | tail -n1)
	jiffies=$(awk '/^JIFFIES /{print $2}' "$out")
	if [ -z "$line" ] || [ -z "$jiffies" ]; then
		echo "bench: $name ($streams streams, $dir): no result"
		tail -n 5 "$out"
		rm -f "$perfdata" "$out"
		return 1
	fi
	bytes=$(echo "$line" | cut -d' ' -f2)
	secs=$(echo "$line" | cut -d' ' -f4)
	awk -v n="$name" -v s="$streams" -v d="$dir" -v b="$bytes" -v t="$secs" \
	    -v j="$jiffies" -v c="$(crypto_share "$perfdata")" 'BEGIN {
		mbps = t > 0 ? b * 8 / t / 1e6 : 0
		cpugb = b > 0 ? (j / 100) / (b / 1e9) : 0
		printf "%s\t%s\t%s\t%.1f\t%.1f\t%s\n", n, s, d, mbps, cpugb, c
	}' | tee -a "$RESULTS"
	top_symbols "$perfdata" >"${OUTD:-/tmp}/$name-$streams-$dir.perf.txt"
	rm -f "$perfdata" "$out"
}

# top_symbols PERFDATA: where the busy samples went, as a share of all
# samples (idle left out): the 6 busiest binaries/modules, then the 15
# busiest symbols with the binary or module they are in.
IDLE_SYMS='safe_halt|default_idle|cpu_idle|do_idle|acpi_idle|poll_idle|mwait'
top_symbols() {
	echo "by binary (idle excluded):"
	perf report -i "$1" --stdio --sort dso,sym 2>/dev/null |
		grep -E '^ *[0-9.]+%' | grep -vE "$IDLE_SYMS" |
		awk '{ p = $1; sub(/%/, "", p); d[$2] += p }
		     END { for (k in d) printf "%7.2f%%  %s\n", d[k], k }' |
		sort -rn | head -n 6
	echo "by symbol:"
	perf report -i "$1" --stdio --sort dso,sym 2>/dev/null |
		grep -E '^ *[0-9.]+%' | grep -vE "$IDLE_SYMS" | head -n 15
	# perf resolves module symbols through kallsyms and files them under
	# [kernel.vmlinux], so the tunnel's own code is found by name
	echo "tunnel code (sstp, ppp, tls, tun, sstpd, sstpc):"
	perf report -i "$1" --stdio --sort dso,sym 2>/dev/null |
		grep -E '^ *[0-9.]+%' |
		grep -E '\] (sstp|ppp|tls_|tun_|session_|link_|loop_)|sstpd|sstpc|pppd' | head -n 10
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

# bench_rsa_cert: after make_pki (tests/lib/sstpd.sh), swap its EC server
# certificate for an RSA-2048 one from the same CA, so that sstpd's TLS 1.2
# cases can be pinned to the ECDHE-RSA suites the raw kTLS rows are named
# after. Only the handshake signs with it; the data path is the AEAD cipher.
bench_rsa_cert() {
	make_cert server "$SERVER_NAME" "DNS:$SERVER_NAME,IP:$SERVER_IP" rsa
}
