#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side: run tests/vm/test-*.sh (or those named in $VMTESTS), each in a
# clean state and under a timeout. A case exits 0 (pass), 77 (skip) or
# anything else (fail). After each case the runner also fails it if the
# kernel logged a warning, bug or oops, or if sstp.ko cannot be unloaded
# (a leaked reference). Prints one line per case and a total.
set -u
cd "$(dirname "$0")/../.."
export TOP=$PWD TOOLS=$PWD/build/tests/tools KVER=$(uname -r)
export OUT=$TOP/build/vm/$KVER
mkdir -p "$OUT"
: >"$OUT/results.txt"

if [ -n "${VMTESTS:-}" ]; then
	cases=()
	for n in ${VMTESTS//,/ }; do
		n=${n%.sh}; cases+=("tests/vm/${n#tests/vm/}.sh")
	done
else
	cases=(tests/vm/test-*.sh)
fi

pass=0 fail=0 skip=0
for c in "${cases[@]}"; do
	name=$(basename "$c" .sh)
	log=$OUT/$name.log
	if [ ! -f "$c" ]; then
		echo "FAIL $name: no such test" | tee -a "$OUT/results.txt"
		fail=$((fail + 1))
		continue
	fi
	kmsg_before=$(dmesg | wc -l)
	t0=$(date +%s.%N)
	# A case may ask for more time ("# vm-case-timeout: N").
	tmo=${VM_CASE_TIMEOUT:-300}
	want=$(sed -n 's/^# vm-case-timeout: *\([0-9][0-9]*\).*/\1/p' "$c" | head -n1)
	[ -n "$want" ] && [ "$want" -gt "$tmo" ] && tmo=$want
	timeout -k 5 "$tmo" bash "$c" >"$log" 2>&1 </dev/null
	rc=$?
	t=$(echo "$(date +%s.%N) - $t0" | bc | xargs printf '%.1f')
	why=
	# A clean slate for the next case, and the checks that catch what a
	# case cannot see itself.
	ip -all netns delete 2>/dev/null
	if grep -qw '^sstp' /proc/modules && ! rmmod sstp 2>>"$log"; then
		why="sstp.ko still in use after the test"
	fi
	if dmesg | tail -n +"$((kmsg_before + 1))" |
	   grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t|list_(add|del) corruption|KASAN|UBSAN|ref_tracker|unregister_netdevice: waiting|suspected memory leak' >>"$log"; then
		why="kernel warning in dmesg"
	fi
	if [ $rc = 77 ] && [ -z "$why" ]; then
		skip=$((skip + 1))
		echo "SKIP $name ($(tail -n1 "$log"))" | tee -a "$OUT/results.txt"
	elif [ $rc = 0 ] && [ -z "$why" ]; then
		pass=$((pass + 1))
		echo "PASS $name (${t}s)" | tee -a "$OUT/results.txt"
	else
		fail=$((fail + 1))
		[ $rc = 124 ] && why="${why:+$why, }timed out"
		echo "FAIL $name (rc=$rc${why:+, $why}, ${t}s)" | tee -a "$OUT/results.txt"
		tail -n 25 "$log" | sed 's/^/    /'
	fi
done
echo "vm[$KVER]: $pass passed, $fail failed, $skip skipped" | tee -a "$OUT/results.txt"
[ $fail = 0 ]
