#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# In the guest (tests/deploy/test-deb.sh): the demo from the installed
# packages: /usr/sbin/sstpd and sstpctl, sstp.ko from sstp-dkms.
. "$(dirname "$0")/../vm/lib.sh"

K=$(uname -r)
f=$(modinfo -n sstp) || fail "modinfo: no sstp for $K"
case $f in
/lib/modules/$K/updates/dkms/sstp.ko* | /usr/lib/modules/$K/updates/dkms/sstp.ko*) ;;
*) fail "sstp resolves to $f, not sstp-dkms's" ;;
esac
[ -x /usr/sbin/sstpd ] || fail "no /usr/sbin/sstpd in the guest"
run /usr/sbin/sstpd --version
export SSTPD=/usr/sbin/sstpd SSTPCTL=/usr/sbin/sstpctl DEMO_SECONDS=${DEMO_SECONDS:-3}
bash "$TOP/tests/vm/demo.sh" || fail "the demo failed"
echo "ok: the demo ran from the installed packages"
