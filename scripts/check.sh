#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Run every test layer (the build is done by "make check" before this):
#   style checkpatch.pl --strict on the module
#   unit  userspace codecs and state machines, ASan/UBSan
#   valgrind  the same unit tests without sanitizers, under memcheck
#   fuzz  each libFuzzer target, briefly
#   host  end-to-end in network namespaces on this machine's kernel
#   vm    kernel tests in QEMU, once per installed guest kernel
#   vm-debug  the VM cases that cover sstp.ko on the debug kernel (KASAN,
#         lockdep, kmemleak, reference trackers), when its packages are
#         there (tests/vm/run-debug.sh)
#   deploy  make install, DKMS and the Debian packages on this machine, each
#         booted in the guest and taken out again (tests/deploy/)
# Each layer prints its cases and "<layer>: N passed, N failed"; this adds
# them up into one final line. Any failure makes the exit status non-zero.
# Layers to run can be chosen with CHECK_LAYERS="unit host".
set -u
cd "$(dirname "$0")/.."

total_pass=0 total_fail=0 total_skip=0
declare -a summary

# layer NAME CMD...: run a layer, then read its "N passed, N failed" line.
layer() {
	local name=$1 out rc p f s line
	shift
	echo "=== $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$out" | tail -n1)
	rm -f "$out"
	if [ -z "$line" ]; then
		# A runner that died before its summary is one failure.
		p=0 f=1 s=0
		echo "FAIL $name: runner exited $rc without a summary"
	else
		p=$(sed -E 's/.* ([0-9]+) passed.*/\1/' <<<"$line")
		f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
		s=$(grep -oE '[0-9]+ skipped' <<<"$line" | cut -d' ' -f1)
		s=${s:-0}
		if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
			f=1
			echo "FAIL $name: runner exited $rc"
		fi
	fi
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
	summary+=("$(printf '%-28s %4d passed, %d failed, %d skipped' "$name" "$p" "$f" "$s")")
}

want() { [ -z "${CHECK_LAYERS:-}" ] || [[ " $CHECK_LAYERS " == *" $1 "* ]]; }

# binaries DIR: the test executables in DIR (not their .d dependency files),
# into the array BINS.
binaries() {
	local f
	BINS=()
	for f in "$1"/*; do
		[ -x "$f" ] && [ -f "$f" ] && [ "${f%.d}" = "$f" ] && BINS+=("$f")
	done
}

if want style; then
	layer style tests/run-style.sh
fi
if want unit; then
	binaries build/tests/unit
	layer unit tests/run-unit.sh "${BINS[@]}"
fi
if want valgrind; then
	binaries build/tests/valgrind
	layer valgrind tests/run-valgrind.sh "${BINS[@]}"
fi
if want fuzz; then
	binaries build/tests/fuzz
	layer fuzz tests/run-fuzz.sh "${BINS[@]}"
fi
if want host; then
	layer host tests/run-host.sh
fi
if want vm; then
	for k in $(scripts/kernels.sh); do
		layer "vm $k" tests/vm/run-vm.sh -k "$k"
	done
fi
if want vm-debug; then
	layer vm-debug tests/vm/run-debug.sh
fi

if want deploy; then
	layer deploy tests/run-deploy.sh
fi

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "check: $total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
