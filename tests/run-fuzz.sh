#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run each libFuzzer target briefly (FUZZ_SECONDS, default 10) from its seed
# corpus (tests/fuzz/corpus/<name>/, if any); a crash, leak or sanitizer
# report fails it. Prints one line per target and a total.
set -u
secs=${FUZZ_SECONDS:-10}
pass=0 fail=0
for f in "$@"; do
	name=$(basename "$f")
	corpus=build/fuzz-corpus/$name
	mkdir -p "$corpus"
	[ -d "tests/fuzz/corpus/$name" ] && cp -n tests/fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null
	log=build/fuzz-corpus/$name.log
	if "$f" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
		-artifact_prefix="build/fuzz-corpus/$name-" "$corpus" >"$log" 2>&1; then
		execs=$(grep -o 'Done [0-9]* runs' "$log" | tail -n1)
		echo "PASS $name (${execs:-ran} in ${secs}s)"
		pass=$((pass + 1))
	else
		echo "FAIL $name (see $log)"
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -n 5 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ $fail = 0 ]
