#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run every host end-to-end test (tests/host/test-*.sh, network namespaces on
# this machine's kernel, userspace data path). Prints "PASS name" /
# "FAIL name" (with the tail of its output) / "SKIP name", and a total.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skipped=0
mkdir -p build/host-logs
for t in tests/host/test-*.sh; do
	name=$(basename "$t" .sh)
	log=build/host-logs/$name.log
	timeout 300 bash "$t" >"$log" 2>&1
	rc=$?
	if [ $rc = 0 ]; then
		echo "PASS $name"
		pass=$((pass + 1))
	elif [ $rc = 77 ]; then
		echo "SKIP $name: $(grep -m1 '^SKIP' "$log")"
		skipped=$((skipped + 1))
	else
		echo "FAIL $name (exit $rc, log $log)"
		tail -n 40 "$log" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "host: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
