# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by tests/vm/test-*.sh, which run inside the QEMU guest as root with
# the host's /usr and this tree shared in. Adds VM-only helpers to the netns
# helpers of tests/lib/netns.sh.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"

[ -e /proc/sys/kernel/osrelease ] && [ "$(hostname)" = vmtest ] ||
	fail "VM tests run inside the test guest (make check-vm)"

# The guest has no users; tools that drop privileges (tcpdump -Z root)
# want root to have a name.
[ -e /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/bash' >/etc/passwd

# load MODULE...: modprobe each, failing the test if one cannot be loaded.
load() {
	local m
	for m in "$@"; do
		run modprobe "$m" || fail "modprobe $m"
	done
}

# tool NAME: path of a test tool, failing if it was not built.
tool() {
	[ -x "$TOOLS/$1" ] || fail "test tool $1 not built (make tools)"
	echo "$TOOLS/$1"
}

# sstp_count created|destroyed: sstp.ko's session counts since it loaded
# (debugfs, for leak checks).
sstp_count() {
	cat "/sys/kernel/debug/sstp/sessions_$1"
}

# sstp_balanced: every session sstp.ko created is destroyed again.
sstp_balanced() {
	[ "$(sstp_count created)" = "$(sstp_count destroyed)" ]
}

# tunnel_dev LOG: the device a "sstp_nltest tunnel" reported in LOG.
tunnel_dev() {
	awk '/^dev /{print $2}' "$1"
}

# sstpc_ready: what sstpc + pppd against build/sstpd need on either data
# path: sstpc (else the test is skipped), the modules, /dev/ppp and
# sstpc's run directory.
sstpc_ready() {
	command -v sstpc >/dev/null || skip "no sstpc (sstp-client)"
	[ -x "$SSTPD" ] || fail "build/sstpd missing (make)"
	load veth tun ppp_generic ppp_async tls sstp
	[ -c /dev/ppp ] || run mknod /dev/ppp c 108 0
	mkdir -p /var/run/sstpc
}

# sstpc_round_end OFFLOAD FDS: the end of a round of sstpc against a server
# started with global.offload=OFFLOAD (tests/lib/sstpd.sh): sstpc
# ($SSTPC_PID) stops, and the server must be left with no session, tun
# device, ppp unit, sstp.ko session or fd beyond FDS; then the server
# stops with status 0, its log kept as server-OFFLOAD.log.
sstpc_round_end() {
	local offload=$1 fds=$2
	say "sstpc stops: the server cleans up"
	run kill -TERM "$SSTPC_PID"
	wait_pid 30 "$SSTPC_PID"
	expect_server_clean "$fds"
	expect_eq "ppp units left in the server namespace" \
		"$(ip -n "$NS1" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
	if [ "$offload" = yes ]; then
		wait_for 10 "no sstp.ko session" sh -c \
			"[ \"\$(ip netns exec $NS1 $TOOLS/sstp_nltest count)\" = 0 ]"
	fi
	kill -TERM "$SERVER_PID"
	wait_pid 15 "$SERVER_PID"
	expect_eq "server exit status" "$WAIT_RC" 0
	mv "$TEST_TMP/server.log" "$TEST_TMP/server-$offload.log"
}
