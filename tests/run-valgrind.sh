#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run the unit tests built without sanitizers under valgrind memcheck: any
# invalid access, uninitialised use or leak fails the binary.
set -u
pass=0 fail=0
mkdir -p build/valgrind-logs
for t in "$@"; do
	name=$(basename "$t")
	log=build/valgrind-logs/$name.log
	if valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible \
		--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 \
		--track-origins=yes "$t" >"$log" 2>&1; then
		echo "PASS valgrind $name ($(grep -c '^PASS ' "$log") cases)"
		pass=$((pass + 1))
	else
		echo "FAIL valgrind $name (see $log)"
		grep -E '^==[0-9]+==|^FAIL ' "$log" | head -n 20 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "valgrind: $pass passed, $fail failed"
[ $fail = 0 ]
