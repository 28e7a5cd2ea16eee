#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Churn on the kernel data path: many whole sessions through one sstpd,
# one after another (a few at a time), and nothing may be left over.
#
#   ns 1 (server, offload = yes)             ns 2
#   veth0 10.10.0.1/24 ─── TLS :443 ──────── veth0 10.10.0.2/24
#   sstpN (sstp.ko's), one per session       4 sstpd clients, each running
#                                            its share of the sessions one
#                                            after another ([test] sessions,
#                                            disconnect_when_up)
#
# Each client authenticates (MS-CHAPv2), gets its kernel session, device
# and guard on the server, brings IPv4 up and disconnects. Afterwards:
# every client exited 0, the server handed every session to sstp.ko, sstp.ko
# destroyed as many sessions as it created, no device is left, and the
# daemon's descriptors are back to what they were and its resident memory
# has not grown (beyond what malloc keeps; the bound catches a leak of a
# few hundred bytes per session).
#
# The count: 1000 on 6.12, the kernel the project runs on; 200 on 6.1,
# whose sstp.ko differs only in how it reads and sends (recvmsg instead of
# read_sock, no MSG_SPLICE_PAGES), paths every session takes, so 200 show
# what 1000 would; 20 on the debug kernel (KASAN and lockdep make a
# session take seconds there; what one session leaks, the kmemleak scan at
# the end of the vm-debug layer finds, and 20 of them show whether it
# accumulates). CHURN_SESSIONS overrides it.
# vm-case-timeout: 900
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
NLTEST=$(tool sstp_nltest)
if [ -e /sys/kernel/debug/kmemleak ]; then
	N=${CHURN_SESSIONS:-20}
elif [[ $(uname -r) == 6.1.* ]]; then
	N=${CHURN_SESSIONS:-200}
else
	N=${CHURN_SESSIONS:-1000}
fi
WARM=8 PAR=4

load veth tun tls sstp
setup_topology
start_server global.offload=yes global.log_level=info server.pool=192.168.99.10-192.168.99.250

# churn N PROCS: N sessions, from PROCS clients at once, each running its
# share one after another ([test] sessions); all must succeed.
churn() {
	local n=$1 procs=$2 i pids=() each
	each=$((n / procs))
	for i in $(seq 1 "$procs"); do
		[ "$i" = "$procs" ] && each=$((n - (procs - 1) * (n / procs)))
		# The clients on the userspace path (the built-in default is
		# offload = auto): sstp.ko's counters are then the server's alone.
		ip netns exec "$NS2" "$SSTPD" -c "$TEST_TMP/client.conf" -o global.log_level=warn \
			-o global.offload=no \
			-o global.ctl_socket="$TEST_TMP/c$i.sock" -o test.disconnect_when_up=yes \
			-o test.sessions="$each" >"$TEST_TMP/c$i.log" 2>&1 &
		pids+=($!)
	done
	for i in "${!pids[@]}"; do
		wait "${pids[$i]}" || fail "client $((i + 1)) failed: $(tail -5 "$TEST_TMP/c$((i + 1)).log")"
	done
}

rss() {
	awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status"
}

say "=== warming up with $WARM sessions"
churn $WARM $PAR
wait_for 15 "the warm-up sessions gone" sh -c \
	"[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 0 ]"
fds=$(fd_count "$SERVER_PID")
rss0=$(rss)
say "server: $fds fds, VmRSS $rss0 kB"

say "=== $N sessions"
t0=$(date +%s)
churn $N $PAR
t=$(($(date +%s) - t0))
say "$N sessions in ${t}s"
expect_server_clean "$fds"
rss1=$(rss)
say "server: VmRSS $rss0 kB -> $rss1 kB"
[ "$rss1" -le $((rss0 + 512)) ] || fail "the server's RSS grew by $((rss1 - rss0)) kB over $N sessions"
expect_eq "sessions handed to sstp.ko" \
	"$(grep -c 'data path: kernel (sstp session' "$TEST_TMP/server.log")" $((WARM + N))
expect_eq "sessions up" "$(grep -c 'IPv4 up:' "$TEST_TMP/server.log")" $((WARM + N))
wait_for 20 "sstp.ko sessions all destroyed" sstp_balanced
expect_eq "sessions sstp.ko created" "$(sstp_count created)" $((WARM + N))
expect_eq "sessions sstp.ko destroyed" "$(sstp_count destroyed)" $((WARM + N))
expect_eq "sstp devices left" "$(ip -n "$NS1" -o link show type sstp | wc -l)" 0
expect_eq "sstp.ko sessions left" "$(ip netns exec "$NS1" "$NLTEST" count | awk '{print $NF}')" 0
kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
echo "ok: churn ($N sessions in ${t}s)"
