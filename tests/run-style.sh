#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Style checks that must stay clean: checkpatch.pl --strict on kmod/, and
# the files generated from the netlink spec match it.
set -u
pass=0 fail=0
if out=$(scripts/checkpatch.sh 2>&1) && ! grep -qE '(ERROR|WARNING|CHECK):' <<<"$out"; then
	echo "PASS checkpatch --strict kmod/"
	pass=1
else
	echo "FAIL checkpatch --strict kmod/"
	printf '%s\n' "$out" | head -n 30 | sed 's/^/    /'
	fail=1
fi
if out=$(scripts/netlink-gen.sh --check 2>&1); then
	echo "PASS netlink-gen: kmod/ generated from docs/netlink/sstp.yaml"
	pass=$((pass + 1))
else
	echo "FAIL netlink-gen: kmod/ generated from docs/netlink/sstp.yaml"
	printf '%s\n' "$out" | head -n 30 | sed 's/^/    /'
	fail=$((fail + 1))
fi
echo "style: $pass passed, $fail failed"
[ $fail = 0 ]
