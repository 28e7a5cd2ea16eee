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

# sstpc_start START...: run START, a command that starts sstpc + pppd in
# ns 2 (SSTPC_PID), and wait up to 60 s for ppp0 in ns 2 to have its
# address or for sstpc to exit.
#
# sstp-client 1.0.18 has a race we meet here: when its TLS handshake and
# HTTP request go out without the socket ever blocking (our server's whole
# handshake flight already in its socket when it first reads),
# sstp_stream_send() completes synchronously and sstp_http_handshake()
# returns SSTP_OKAY, which sstp-client.c ignores (it only checks for
# SSTP_FAIL): the completion callback that would arm the read of our HTTP
# 200 never runs. strace shows it: ClientHello, every server record read
# without EAGAIN, Finished and SSTP_DUPLEX_POST written, then epoll_wait
# with no read event, our answer sitting in its socket (Recv-Q). Our server
# drops it at preauth_timeout "in phase sstp" and sstpc gives up after 60 s.
# Seen in 1 of 4 runs on 6.1 under TCG (whose single thread runs the
# guest's CPUs in turn, so the server often answers before sstpc reads), on
# a server's second connection. That log line, and only that, gets sstpc
# another try, up to four in all (measured: up to two hangs in a row).
sstpc_start() {
	local hung try
	for try in 1 2 3 4; do
		hung=$(sstpc_hung_count)
		"$@"
		sstpc_wait "$hung" && return 0
		say "try $try: sstpc hung before its Call Connect Request (sstp-client 1.0.18's race, see tests/vm/lib.sh)"
		run kill -TERM "$SSTPC_PID"
		wait_pid 30 "$SSTPC_PID"
	done
	fail "sstpc hung before its Call Connect Request four times in a row"
}

# sstpc_connect START...: sstpc_start, and ppp0 in ns 2 must be up.
sstpc_connect() {
	sstpc_start "$@"
	ppp0_up || fail "sstpc exited before ppp0 in ns 2 had an address (see its logs)"
}

# ppp0_up: does ppp0 in ns 2 have its address?
ppp0_up() {
	ip netns exec "$NS2" ip -4 -o addr show dev ppp0 2>/dev/null | grep -q 'inet 192.168.99.'
}

# sstpc_hung_count: clients the server in ns 1 dropped after their HTTP
# request without a Call Connect Request.
sstpc_hung_count() {
	grep -c 'not authenticated within preauth_timeout ([0-9]* s), in phase sstp' \
		"$TEST_TMP/server.log" 2>/dev/null || true
}

# sstpc_wait HUNG: wait for ppp0 in ns 2 with an address or for sstpc's
# exit (0), or for the server to log one more hung client than HUNG (1).
sstpc_wait() {
	wait_for 60 "ppp0 with an address in ns 2" sstpc_settled "$1"
	ppp0_up || pid_gone "$SSTPC_PID" || [ "$(sstpc_hung_count)" -le "$1" ]
}

# sstpc_settled HUNG: is ppp0 up, sstpc gone or one more client hung?
sstpc_settled() {
	ppp0_up || pid_gone "$SSTPC_PID" || [ "$(sstpc_hung_count)" -gt "$1" ]
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
