#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Long fuzzing runs, kept: each libFuzzer target in turn for SECONDS (an
# hour unless told), from its corpus in tests/fuzz/corpus/<name>/, at the
# lowest priority; the grown corpus is minimised (-merge=1) back into that
# directory, and one line per run (executions, coverage, corpus, findings)
# goes to stdout and to build/fuzz-long/runs.txt for docs/fuzzing.md.
#
#   scripts/fuzz-long.sh [-t SECONDS] [-j PARALLEL] [NAME...]
#
# Targets are built first (make); a crash, leak, timeout or sanitizer report
# leaves its input in build/fuzz-long/<name>/ and fails the run.
set -u
cd "$(dirname "$0")/.."
secs=3600 par=1
while getopts t:j: o; do
	case $o in
	t) secs=$OPTARG ;;
	j) par=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-j PARALLEL] [NAME...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# = 0 ]; then
	set -- $(ls tests/fuzz/fuzz_*.c | xargs -n1 basename | sed 's/\.c$//')
fi
make -s $(printf 'build/tests/fuzz/%s ' "$@") || exit 1
OUT=build/fuzz-long
mkdir -p "$OUT"

# one NAME: run, then merge what it found into the kept corpus.
one() {
	local name=$1 bin=build/tests/fuzz/$1 work=$OUT/$1 log=$OUT/$1.log
	local kept=tests/fuzz/corpus/$1 rc before after line
	rm -rf "$work" && mkdir -p "$work/grow" "$kept"
	before=$(ls "$kept" | wc -l)
	cp "$kept"/* "$work/grow/" 2>/dev/null
	nice -n 19 "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$work/" "$work/grow" >"$log" 2>&1
	rc=$?
	# Minimise: the kept inputs stay (the named seeds among them), and of
	# the grown ones only those that add coverage join them.
	cp -r "$kept" "$work/keep"
	nice -n 19 "$bin" -merge=1 "$work/keep" "$work/grow" >"$work/merge.log" 2>&1 &&
		cp -n "$work/keep"/* "$kept"/
	after=$(ls "$kept" | wc -l)
	line=$(printf '%s: %ss, %s execs, cov %s ft %s, corpus %s -> %s files, %s' "$name" "$secs" \
		"$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")" \
		"$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)" \
		"$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)" \
		"$before" "$after" \
		"$([ $rc = 0 ] && echo "no findings" || echo "FINDING rc=$rc: $(ls "$work" | grep -E '^(crash|leak|timeout|oom)-' | tr '\n' ' ')")")
	echo "$line" | tee -a "$OUT/runs.txt"
	return $rc
}

rc=0
running=0
for n in "$@"; do
	one "$n" &
	running=$((running + 1))
	if [ $running -ge "$par" ]; then
		wait -n || rc=1
		running=$((running - 1))
	fi
done
while [ $running -gt 0 ]; do
	wait -n || rc=1
	running=$((running - 1))
done
exit $rc
