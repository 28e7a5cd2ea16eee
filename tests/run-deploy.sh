#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the deployment tests (tests/deploy/test-*.sh): they install sstp on
# this machine (make install, DKMS, the Debian packages), boot the VM
# guest on what they installed, and take it out again; one at a time.
# Prints "PASS name" / "FAIL name" (with the tail of its log) / "SKIP
# name", and a total.
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0 skipped=0
mkdir -p build/deploy-logs
for t in ${DEPLOYTESTS:-tests/deploy/test-*.sh}; do
	name=$(basename "$t" .sh)
	log=build/deploy-logs/$name.log
	t0=$(date +%s)
	timeout 1800 bash "tests/deploy/$name.sh" >"$log" 2>&1
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
echo "deploy: $pass passed, $fail failed, $skipped skipped"
[ $fail = 0 ]
