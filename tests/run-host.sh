#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run test scripts on this machine, one at a time under a timeout: the host
# end-to-end tests (tests/host/test-*.sh, network namespaces on this
# machine's kernel, userspace data path) by default, or another layer's
# (tests/run-deploy.sh). Prints "PASS name" / "FAIL name" (with the tail of
# its output) / "SKIP name", and a total.
#
# usage: run-host.sh [DIR LAYER TIMEOUT]   (default: tests/host host 300)
# LAYER_TESTS: the scripts to run instead of DIR/test-*.sh.
set -u
cd "$(dirname "$0")/.."
dir=${1:-tests/host} layer=${2:-host} tmo=${3:-300}
pass=0 fail=0 skipped=0
mkdir -p "build/$layer-logs"
for t in ${LAYER_TESTS:-$dir/test-*.sh}; do
	name=$(basename "$t" .sh)
	log=build/$layer-logs/$name.log
	t0=$(date +%s)
	timeout "$tmo" bash "$dir/$name.sh" >"$log" 2>&1
	rc=$?
	t=$(($(date +%s) - t0))
	if [ $rc = 0 ]; then
		echo "PASS $name (${t}s)"
		pass=$((pass + 1))
	elif [ $rc = 77 ]; then
		echo "SKIP $name: $(grep -m1 '^SKIP' "$log")"
		skipped=$((skipped + 1))
	else
		echo "FAIL $name (exit $rc, ${t}s, log $log)"
		tail -n 40 "$log" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "$layer: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
