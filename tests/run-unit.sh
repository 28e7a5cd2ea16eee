#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run unit-test binaries (built with ASan/UBSan); print every case and a total.
# A binary that crashes or exits non-zero without a FAIL line counts as
# failed; whenever one exits non-zero its last lines are shown, so a crash
# after a FAIL line (a sanitizer report, an abort) is not hidden.
set -u
pass=0 fail=0
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL) '
	p=$(printf '%s\n' "$out" | grep -c '^PASS ')
	f=$(printf '%s\n' "$out" | grep -c '^FAIL ')
	if [ $rc != 0 ]; then
		echo "FAIL $(basename "$t"): exit $rc"
		printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
		[ "$f" != 0 ] || f=1
	fi
	pass=$((pass + p)) fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ $fail = 0 ]
