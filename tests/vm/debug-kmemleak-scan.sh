#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vm-debug layer, last case: kmemleak over everything the cases did. An
# object must stay unreferenced for a while before kmemleak reports it
# (its minimum age, 5 s), so it scans, waits that out, and scans again;
# any report fails the layer, with the report in the log.
. "$(dirname "$0")/lib.sh"
K=/sys/kernel/debug/kmemleak
[ -e $K ] || skip "this kernel has no kmemleak"
grep -qw '^sstp' /proc/modules && run rmmod sstp
echo scan >$K
t0=$(date +%s)
wait_for 20 "kmemleak's minimum object age to pass" sh -c "[ \$(date +%s) -ge $((t0 + 6)) ]"
echo scan >$K
report=$(cat $K)
if [ -n "$report" ]; then
	printf '%s\n' "$report" | head -n 200
	fail "kmemleak: $(grep -c '^unreferenced object' <<<"$report") unreferenced objects"
fi
echo "ok: kmemleak found nothing"
