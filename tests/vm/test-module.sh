#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstp.ko loads with plain "modprobe sstp" (resolved through depmod to the
# module we just built), registers the generic netlink family "sstp",
# unloads cleanly, and does it again.
. "$(dirname "$0")/lib.sh"
GENL=$(tool genl_family)

grep -qw '^sstp' /proc/modules && fail "sstp already loaded before the test"
path=$(modinfo -F filename sstp)
expect_eq "module path" "$path" "/lib/modules/$(uname -r)/extra/sstp.ko"
expect_eq "module licence" "$(modinfo -F license sstp)" "GPL"

set +e
$GENL sstp
rc=$?
set -e
expect_eq "family before load (3 = ENOENT)" "$rc" 3

for round in 1 2; do
	say "round $round"
	load sstp
	grep -qw '^sstp' /proc/modules || fail "sstp not in /proc/modules"
	out=$($GENL sstp) || fail "family sstp not registered"
	echo "$out"
	[[ $out =~ ^family\ sstp\ id\ [0-9]+\ version\ ([0-9]+) ]] || fail "bad answer: $out"
	[ "${BASH_REMATCH[1]}" -ge 1 ] || fail "family version ${BASH_REMATCH[1]}"
	run modprobe -r sstp
	grep -qw '^sstp' /proc/modules && fail "sstp still loaded"
	set +e
	$GENL sstp
	rc=$?
	set -e
	expect_eq "family after unload (3 = ENOENT)" "$rc" 3
done
