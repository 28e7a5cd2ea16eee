#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Debian packages, the finished form: make deb (dpkg-buildpackage)
# builds sstpd and sstp-dkms; apt installs them on this machine, which
# creates the user sstpd, gives /etc/sstpd to it, and builds sstp.ko
# through DKMS for the installed kernels; the guest then runs the demo
# from the installed files (/usr/sbin/sstpd and sstpctl, sstp-dkms's
# module); apt purges both, and DKMS's module goes with them.
. "$(dirname "$0")/lib.sh"

K=$(newest_kernel)
APT=(apt-get -y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=600 --no-install-recommends)
export DEBIAN_FRONTEND=noninteractive
for p in sstpd sstp-dkms; do
	dpkg-query -W -f='${Status}' $p 2>/dev/null | grep -q 'ok installed' &&
		fail "$p is installed already"
done
[ ! -e /etc/sstpd ] || fail "/etc/sstpd exists: the package's configuration would meet another"
trap 'rc=$?; "${APT[@]}" purge sstpd sstp-dkms >/dev/null 2>&1 || true; set +e; (exit $rc); _netns_cleanup' EXIT

say "make deb"
run make -s deb >"$TEST_TMP/deb.log" 2>&1 || { tail -n 40 "$TEST_TMP/deb.log"; fail "make deb"; }
DEB=build/deb/sstpd_${VERSION}_$(dpkg --print-architecture).deb
DKMS_DEB=build/deb/sstp-dkms_${VERSION}_all.deb
[ -f "$DEB" ] && [ -f "$DKMS_DEB" ] || fail "make deb made: $(ls build/deb/*.deb)"
dpkg -c "$DEB" >"$TEST_TMP/sstpd.list"
for f in ./usr/sbin/sstpd ./usr/sbin/sstpctl ./lib/systemd/system/sstpd.service \
	./etc/sstpd/sstpd.conf ./usr/share/man/man8/sstpd.8.gz ./usr/share/man/man5/sstpd.conf.5.gz \
	./usr/lib/sysusers.d/sstpd.conf; do
	grep -q " $f\$" "$TEST_TMP/sstpd.list" || fail "sstpd has no $f"
done
grep -q usr/src "$TEST_TMP/sstpd.list" && fail "sstpd carries the module's sources"
dpkg -c "$DKMS_DEB" >"$TEST_TMP/dkms.list"
grep -q " ./usr/src/sstp-$VERSION/kmod/rx.c$" "$TEST_TMP/dkms.list" || fail "sstp-dkms has no sources"
dpkg-deb -I "$DKMS_DEB" >"$TEST_TMP/dkms.info"
grep -q 'Depends:.*dkms' "$TEST_TMP/dkms.info" || fail "sstp-dkms does not depend on dkms"

say "apt install ./sstpd ./sstp-dkms"
run "${APT[@]}" install "./$DEB" "./$DKMS_DEB" >"$TEST_TMP/apt.log" 2>&1 ||
	{ tail -n 40 "$TEST_TMP/apt.log"; fail "apt-get install"; }
grep -E 'Building for|Building initial module|Skipped|Installing to' "$TEST_TMP/apt.log" || true
getent passwd sstpd >/dev/null || fail "the package did not create the user sstpd"
expect_eq "/etc/sstpd" "$(stat -c '%U:%G %a' /etc/sstpd)" "root:sstpd 750"
expect_eq "/etc/sstpd/sstpd.conf" "$(stat -c '%U:%G %a' /etc/sstpd/sstpd.conf)" "root:sstpd 640"
expect_eq "sstpd --version" "$(/usr/sbin/sstpd --version)" "sstpd $VERSION"
expect_eq "sstpctl --version" "$(/usr/sbin/sstpctl --version)" "sstpctl $VERSION"
run systemd-analyze verify /lib/systemd/system/sstpd.service
man -w sstpd.conf >/dev/null || fail "man sstpd.conf finds nothing"
for k in $(guest_kernels); do
	dkms status -m sstp -v "$VERSION" -k "$k" | grep -q ': installed' ||
		fail "sstp-dkms did not build sstp.ko for $k"
done

say "the demo in the guest, from the installed files"
in_guest "$K" tests/deploy/guest-demo.sh

say "apt purge"
run "${APT[@]}" purge sstpd sstp-dkms >"$TEST_TMP/purge.log" 2>&1 ||
	{ tail -n 30 "$TEST_TMP/purge.log"; fail "apt-get purge"; }
[ ! -e /usr/sbin/sstpd ] || fail "/usr/sbin/sstpd left behind"
[ ! -e /etc/sstpd/sstpd.conf ] || fail "/etc/sstpd/sstpd.conf left after purge"
for k in $(guest_kernels); do
	[ -z "$(module_file "$k")" ] || fail "sstp.ko still there for $k after purge"
done
echo "ok: deb"
