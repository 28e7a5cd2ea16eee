#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstp.ko loads with plain "modprobe sstp" (resolved through depmod to the
# module we just built), and on its own when the generic netlink family
# "sstp" is asked for (MODULE_ALIAS_GENL_FAMILY) or an "sstp" link is
# (MODULE_ALIAS_RTNL_LINK); it unloads cleanly, and does it again. Devices
# of the sstp kind are only made by session-new: rtnetlink refuses them
# with a message that says so.
. "$(dirname "$0")/lib.sh"
GENL=$(tool genl_family)

loaded() { grep -qw '^sstp' /proc/modules; }

loaded && fail "sstp already loaded before the test"
path=$(modinfo -F filename sstp)
expect_eq "module path" "$path" "/lib/modules/$(uname -r)/extra/sstp.ko"
expect_eq "module licence" "$(modinfo -F license sstp)" "GPL"
modinfo -F alias sstp | grep -qx 'net-pf-16-proto-16-family-sstp' ||
	fail "no genetlink family alias"

say "the family loads the module"
out=$($GENL sstp) || fail "asking for family sstp did not load sstp.ko"
echo "$out"
loaded || fail "sstp not in /proc/modules after the family lookup"
run modprobe -r sstp
loaded && fail "sstp still loaded"

say "an sstp link loads it and is refused"
out=$(ip link add sstpx type sstp 2>&1) && fail "ip link add type sstp succeeded"
echo "$out"
[[ $out == *"created by the sstp genetlink family"* ]] || fail "no extack text: $out"
loaded || fail "sstp not loaded by the rtnl link alias"
run modprobe -r sstp

for round in 1 2; do
	say "round $round"
	load sstp
	loaded || fail "sstp not in /proc/modules"
	out=$($GENL sstp) || fail "family sstp not registered"
	echo "$out"
	[[ $out =~ ^family\ sstp\ id\ [0-9]+\ version\ ([0-9]+) ]] || fail "bad answer: $out"
	expect_eq "family version" "${BASH_REMATCH[1]}" 2
	run modprobe -r sstp
	loaded && fail "sstp still loaded"
done
[ -d /sys/kernel/debug/sstp ] && fail "debugfs entries left after unload"
exit 0
