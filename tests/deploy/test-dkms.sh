#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make dkms-install against both guest kernels' headers: DKMS builds
# sstp.ko from /usr/src/sstp-VERSION for each and installs it in
# /lib/modules/KVER/updates/dkms; each guest kernel then boots on that
# module tree and loads it with "modprobe sstp". make dkms-uninstall takes
# it out of both.
. "$(dirname "$0")/lib.sh"

command -v dkms >/dev/null || fail "no dkms (make deps)"
mapfile -t KS < <(guest_kernels)
[ ${#KS[@]} -ge 2 ] || fail "want both guest kernels, have: ${KS[*]}"
dkms status -m sstp | grep -q . && fail "sstp is in DKMS already: $(dkms status -m sstp)"
trap 'rc=$?; make -s dkms-uninstall >/dev/null 2>&1 || true; set +e; (exit $rc); _netns_cleanup' EXIT

run make -s dkms-install DKMS_KERNELS="${KS[*]}" >"$TEST_TMP/dkms.log" 2>&1 ||
	{ tail -n 30 "$TEST_TMP/dkms.log"; fail "make dkms-install"; }
run dkms status -m sstp
[ -f "/usr/src/sstp-$VERSION/dkms.conf" ] || fail "no /usr/src/sstp-$VERSION/dkms.conf"
grep -q "^PACKAGE_VERSION=\"$VERSION\"" "/usr/src/sstp-$VERSION/dkms.conf" ||
	fail "dkms.conf does not carry the version"
for k in "${KS[@]}"; do
	dkms status -m sstp -v "$VERSION" -k "$k" | grep -q ': installed' ||
		fail "DKMS did not install sstp for $k"
	f=$(module_file "$k")
	case $f in /lib/modules/$k/updates/dkms/sstp.ko*) ;; *) fail "modprobe finds $f for $k" ;; esac
	expect_eq "vermagic of $f" "$(modinfo -F vermagic "$f" | cut -d' ' -f1)" "$k"
done
for k in "${KS[@]}"; do
	in_guest "$k" tests/deploy/guest-modprobe.sh updates/dkms
done
run make -s dkms-uninstall
for k in "${KS[@]}"; do
	[ -z "$(module_file "$k")" ] || fail "sstp still there for $k after dkms-uninstall"
done
[ ! -e "/usr/src/sstp-$VERSION" ] || fail "/usr/src/sstp-$VERSION left behind"
echo "ok: dkms"
