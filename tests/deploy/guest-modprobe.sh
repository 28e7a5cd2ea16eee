#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# In the guest (tests/deploy/): "modprobe sstp" loads the sstp.ko that was
# installed on the host under /lib/modules/KVER/$1 (updates, updates/dkms),
# through the host's depmod index, and its genetlink family answers.
. "$(dirname "$0")/../vm/lib.sh"

K=$(uname -r)
f=$(modinfo -n sstp) || fail "modinfo: no sstp for $K"
echo "modinfo: $f"
case $f in
/lib/modules/$K/$1/sstp.ko* | /usr/lib/modules/$K/$1/sstp.ko*) ;;
*) fail "sstp resolves to $f, not /lib/modules/$K/$1" ;;
esac
grep -qw '^sstp' /proc/modules && fail "sstp is loaded before modprobe"
load sstp
grep -qw '^sstp' /proc/modules || fail "sstp not loaded"
run "$(tool genl_family)" sstp
run "$(tool sstp_nltest)" count
run rmmod sstp
echo "ok: modprobe sstp from $f"
