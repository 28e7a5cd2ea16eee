#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make install, as a packager and as an operator:
#
# 1. DESTDIR=... PREFIX=/usr: the programs, both units (ExecStart in
#    PREFIX), the commented default configuration (0640 in a 0750
#    /etc/sstpd, never written over), the man pages (rendered without a
#    warning), the sysusers entry, sstp.ko under /lib/modules/KVER/updates;
#    make uninstall takes it all out but /etc. The installed configuration
#    passes sstpd --check, and every key sstpd knows is in it, in
#    sstpd.conf(5) and in docs/sstpd.md.
# 2. On this machine for the guest kernel: sstp.ko in
#    /lib/modules/KVER/updates with depmod, the user sstpd; the guest boots
#    on that module tree and "modprobe sstp" loads it. make uninstall
#    takes it out again, with depmod.
. "$(dirname "$0")/lib.sh"

K=$(newest_kernel)
[ -n "$K" ] || fail "no guest kernel (make deps)"
D=$TEST_TMP/root

say "1. make install DESTDIR=$D PREFIX=/usr KVER=$K"
run make -s install DESTDIR="$D" PREFIX=/usr KVER="$K" >"$TEST_TMP/install.log"
for f in usr/sbin/sstpd usr/sbin/sstpctl usr/lib/systemd/system/sstpd.service \
	usr/lib/systemd/system/sstpd-client@.service usr/lib/sysusers.d/sstpd.conf \
	usr/share/man/man8/sstpd.8 usr/share/man/man8/sstpctl.8 \
	usr/share/man/man5/sstpd.conf.5 usr/share/doc/sstp/sstpd.md \
	etc/sstpd/sstpd.conf "lib/modules/$K/updates/sstp.ko"; do
	[ -f "$D/$f" ] || fail "make install did not install /$f"
done
echo "ok: every file in place"
expect_eq "/usr/sbin/sstpd mode" "$(stat -c %a "$D/usr/sbin/sstpd")" 755
expect_eq "/etc/sstpd mode" "$(stat -c %a "$D/etc/sstpd")" 750
expect_eq "/etc/sstpd/sstpd.conf mode" "$(stat -c %a "$D/etc/sstpd/sstpd.conf")" 640
grep -qx 'ExecStart=/usr/sbin/sstpd -c /etc/sstpd/sstpd.conf' "$D/usr/lib/systemd/system/sstpd.service" ||
	fail "the unit's ExecStart is not in PREFIX"
grep -qx 'ExecReload=/usr/sbin/sstpctl -s /run/sstpd/sstpd.sock reload' \
	"$D/usr/lib/systemd/system/sstpd.service" || fail "the unit's ExecReload is not in PREFIX"
! grep -q @SBINDIR@ "$D/usr/lib/systemd/system/sstpd.service" || fail "a placeholder left in the unit"
expect_eq "sstp.ko's vermagic" "$(modinfo -F vermagic "$D/lib/modules/$K/updates/sstp.ko" | cut -d' ' -f1)" "$K"
# From a git checkout the release is followed by what git says of it.
v=$("$D/usr/sbin/sstpd" --version)
case $v in "sstpd $VERSION" | "sstpd $VERSION+git."*) ;; *) fail "installed sstpd --version: '$v', not release $VERSION" ;; esac

say "   the man pages render without a warning"
for m in man8/sstpd.8 man8/sstpctl.8 man5/sstpd.conf.5; do
	LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$D/usr/share/man/$m" >"$TEST_TMP/man.txt" 2>"$TEST_TMP/man.err"
	[ ! -s "$TEST_TMP/man.err" ] || fail "$m: $(cat "$TEST_TMP/man.err")"
	[ "$(wc -l <"$TEST_TMP/man.txt")" -gt 40 ] || fail "$m renders to almost nothing"
done
echo "ok: man pages"

say "   every key sstpd knows is documented and in the default configuration"
"$D/usr/sbin/sstpd" --dump-config -c /dev/null | sed -n 's/^\([a-z_0-9]*\) = .*/\1/p' | sort -u >"$TEST_TMP/keys"
[ "$(wc -l <"$TEST_TMP/keys")" -gt 30 ] || fail "--dump-config listed too few keys"
while read -r k; do
	grep -qE "^\.BR? .*\b$k\b" "$D/usr/share/man/man5/sstpd.conf.5" ||
		fail "sstpd.conf(5) does not document $k"
	grep -q "| \`$k\`\|\`$k\`, \|, \`$k\`" docs/sstpd.md || fail "docs/sstpd.md does not document $k"
	case $k in corrupt_compound_mac | foreign_frames | disconnect_when_up | sessions | server | sni | ca | insecure | user | password | proxy* | routes | eap_cert | eap_key) continue ;; esac
	grep -q "^#\?$k =" "$D/etc/sstpd/sstpd.conf" || fail "the default sstpd.conf does not show $k"
done <"$TEST_TMP/keys"
echo "ok: $(wc -l <"$TEST_TMP/keys") keys documented"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=vpn.test -keyout "$TEST_TMP/key" -out "$TEST_TMP/crt" >/dev/null 2>&1 ||
	fail "openssl req"
echo 'alice * secret *' >"$TEST_TMP/secrets"
chmod 600 "$TEST_TMP/secrets" "$TEST_TMP/key"
# The file as installed, with this test's certificate, key and secrets.
run "$D/usr/sbin/sstpd" --check -c "$D/etc/sstpd/sstpd.conf" -o global.run_as=root \
	-o server.cert="$TEST_TMP/crt" -o server.key="$TEST_TMP/key" \
	-o server.chap_secrets="$TEST_TMP/secrets" | tee "$TEST_TMP/check.out"
grep -q "sstpd.conf: configuration is valid" "$TEST_TMP/check.out" ||
	fail "the default configuration is not valid"

say "   a second install leaves the administrator's configuration alone"
echo "# changed by the administrator" >>"$D/etc/sstpd/sstpd.conf"
run make -s install-bin DESTDIR="$D" PREFIX=/usr | tee "$TEST_TMP/install2.log"
grep -q "changed by the administrator" "$D/etc/sstpd/sstpd.conf" || fail "make install wrote over the configuration"
run make -s uninstall DESTDIR="$D" PREFIX=/usr KVER="$K"
left=$(cd "$D" && find . -type f | sort | tr '\n' ' ')
expect_eq "files left after uninstall" "$left" "./etc/sstpd/sstpd.conf "

say "2. make install on this machine for $K; the guest loads it with modprobe"
had_etc=no
[ -e /etc/sstpd ] && had_etc=yes
trap 'rc=$?; make -s uninstall KVER="$K" >/dev/null 2>&1 || true; [ $had_etc = yes ] || rm -rf /etc/sstpd; set +e; (exit $rc); _netns_cleanup' EXIT
run make -s install KVER="$K" >"$TEST_TMP/install3.log"
expect_eq "modprobe finds" "$(module_file "$K")" "/lib/modules/$K/updates/sstp.ko"
getent passwd sstpd >/dev/null || fail "make install did not create the user sstpd"
expect_eq "/etc/sstpd group" "$(stat -c %G /etc/sstpd)" sstpd
in_guest "$K" tests/deploy/guest-modprobe.sh updates
run make -s uninstall KVER="$K"
[ -z "$(module_file "$K" | grep updates/sstp.ko)" ] || fail "sstp.ko still found after uninstall"
[ ! -e /usr/local/sbin/sstpd ] || fail "sstpd left in /usr/local/sbin"
echo "ok: install"
