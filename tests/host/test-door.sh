#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Holding the door: connections that never authenticate cannot keep a real
# client out, nor make the daemon spin.
#
#   ns 1 (server)                        ns 2: the client 10.10.0.2 and the
#   veth0 10.10.0.1/24 ──────────────── veth0 attackers 10.10.0.3 .. .6
#   max_preauth 12, 4 per source, preauth_timeout 4 s, max_sessions 16
#
# 1. 40 bare connects from one address: 4 are taken, 36 closed at once
#    (one rate-limited log line, then the count); a real client from
#    another address comes up meanwhile; the 4 are closed at the 4 s
#    deadline.
# 2. A connection that makes progress through each phase just in time
#    (TLS at 1.5 s, then the HTTP request a few bytes at a time) is still
#    closed at 4 s: one deadline from accept to authenticated.
# 3. Three sources with 4 each fill max_preauth: the listener leaves epoll
#    (a 13th connection waits in the kernel's accept queue, the daemon
#    uses no CPU), and takes it once the deadline frees slots.
# 4. Out of file descriptors (the running server's limit lowered with
#    prlimit): accept fails with EMFILE; the daemon says so once, does not
#    spin, and accepts the waiting connections once descriptors are back.
. "$(dirname "$0")/lib.sh"

CONNS=$TOP/tests/lib/conns.py
setup_topology
for a in 3 4 5 6; do
	run ip -n "$NS2" addr add 10.10.0.$a/24 dev veth0
done

start_server server.max_sessions=16 server.max_preauth=12 \
	server.max_preauth_per_source=4 server.preauth_timeout=4
fds=$(fd_count "$SERVER_PID")

# cpu_ticks PID: user + system time so far, in clock ticks.
cpu_ticks() {
	awk '{print $14 + $15}' "/proc/$1/stat"
}

# phase_sessions PHASE: how many sessions the server lists in that phase.
phase_sessions() {
	"$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep -c "\"phase\": \"$1\"" || true
}

# closed_within NAME LO HI: every "closed" line of conns.py's NAME.log lies
# in LO..HI seconds; prints how many there are.
closed_within() {
	awk -v lo="$2" -v hi="$3" '$2 == "closed" { n++; if ($3 < lo || $3 > hi) bad = bad " " $0 }
		END { if (bad) { print "out of range:" bad; exit 1 } print n + 0 }' "$TEST_TMP/$1.log"
}

say "=== 1: 40 idle connections from one address"
bg flood ip netns exec "$NS2" python3 "$CONNS" $SERVER_IP 443 --source 10.10.0.3 --count 40 --wait 15
FLOOD=$BG_PID
wait_for 5 "4 unauthenticated sessions on the server" sh -c "[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 4 ]"
start_client client global.log_level=debug
wait_tunnel
say "the real client is up while the attacker holds its 4"
grep -q 'refused a connection from 10.10.0.3: max_preauth_per_source (4)' "$TEST_TMP/server.log" ||
	fail "no refusal logged"
n=$(grep -c 'refused a connection from 10.10.0.3' "$TEST_TMP/server.log")
[ "$n" -le 2 ] || fail "$n refusal lines for one burst: not rate-limited"
wait_pid 20 "$FLOOD"
cat "$TEST_TMP/flood.log"
quick=$(awk '$2 == "closed" && $3 < 1.5' "$TEST_TMP/flood.log" | wc -l)
late=$(awk '$2 == "closed" && $3 >= 3.5 && $3 <= 6.5' "$TEST_TMP/flood.log" | wc -l)
expect_eq "connections closed at once (over the per-source cap)" "$quick" 36
expect_eq "connections closed at the 4 s deadline" "$late" 4
grep -q 'not authenticated within preauth_timeout (4 s), in phase front' "$TEST_TMP/server.log" ||
	fail "no deadline reason in the log"
wait_for 8 "the suppressed refusals counted in the log" \
	grep -q 'refused a connection from 10.10.0.3.*like it in the last 5 s' "$TEST_TMP/server.log"
expect_eq "server sessions (the client's)" "$(sessions "$TEST_TMP/server.sock")" 1
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"

say "=== 2: progress through every phase, just in time"
bg slow ip netns exec "$NS2" python3 "$CONNS" $SERVER_IP 443 --source 10.10.0.4 --mode slow --wait 15
wait_pid 20 "$BG_PID"
cat "$TEST_TMP/slow.log"
expect_eq "slow connection closed at the 4 s deadline" "$(closed_within slow 3.5 5.5)" 1
grep -q 'not authenticated within preauth_timeout (4 s), in phase http' "$TEST_TMP/server.log" ||
	fail "the slow connection was not ended by the deadline in its HTTP phase"
expect_server_clean "$fds"

say "=== 3: max_preauth reached: the listener rests"
for a in 3 4 5; do
	bg fill$a ip netns exec "$NS2" python3 "$CONNS" $SERVER_IP 443 --source 10.10.0.$a --count 4 --wait 15
done
wait_for 5 "12 unauthenticated sessions" sh -c "[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 12 ]"
bg waiter ip netns exec "$NS2" python3 "$CONNS" $SERVER_IP 443 --source 10.10.0.6 --count 1 --wait 15
WAITER=$BG_PID
# The 13th is in the kernel's accept queue, not with the daemon.
wait_for 3 "a connection waiting in the accept queue" sh -c \
	"ip netns exec $NS1 ss -Hltn 'sport = :443' | awk '{exit !(\$2 == 1)}'"
expect_eq "server sessions while full" "$(sessions "$TEST_TMP/server.sock")" 12
grep -q "not accepting connections: 12 unauthenticated (max_preauth 12)" "$TEST_TMP/server.log" ||
	fail "the pause is not logged"
t0=$(cpu_ticks "$SERVER_PID")
sleep 2		# a window to measure CPU time over, not a wait for a condition
t1=$(cpu_ticks "$SERVER_PID")
say "server CPU while full: $((t1 - t0)) ticks"
[ $((t1 - t0)) -le 20 ] || fail "the server spins while full ($((t1 - t0)) ticks)"
wait_for 10 "the waiting connection taken once slots are free" \
	grep -q 'connection from 10.10.0.6' "$TEST_TMP/server.log"
wait_pid 20 "$WAITER"
cat "$TEST_TMP/waiter.log"
expect_eq "the waiting connection ended by its own deadline" "$(closed_within waiter 5 12)" 1
expect_server_clean "$fds"

say "=== 4: out of file descriptors"
# Lower the running daemon's limit to its lowest free descriptor: the
# next accept fails.
n=0
while [ -e "/proc/$SERVER_PID/fd/$n" ]; do n=$((n + 1)); done
soft=$(prlimit --pid "$SERVER_PID" --nofile -o SOFT --noheadings)
before=$(grep -c 'connection from 10.10.0.3' "$TEST_TMP/server.log")
run prlimit --pid "$SERVER_PID" --nofile=$n:
bg emfile ip netns exec "$NS2" python3 "$CONNS" $SERVER_IP 443 --source 10.10.0.3 --count 3 --wait 15
EMFILE=$BG_PID
wait_for 5 "EMFILE reported" grep -q 'not accepting connections for 1000 ms: Too many open files' \
	"$TEST_TMP/server.log"
t0=$(cpu_ticks "$SERVER_PID")
sleep 2		# a window to measure CPU time over, not a wait for a condition
t1=$(cpu_ticks "$SERVER_PID")
say "server CPU while out of descriptors: $((t1 - t0)) ticks"
[ $((t1 - t0)) -le 30 ] || fail "the server spins on EMFILE ($((t1 - t0)) ticks)"
n=$(grep -c 'Too many open files' "$TEST_TMP/server.log")
[ "$n" -le 1 ] || fail "$n EMFILE lines in 3 s: not rate-limited"
run prlimit --pid "$SERVER_PID" --nofile="$soft":
wait_for 5 "connections accepted again" sh -c \
	"[ \$(grep -c 'connection from 10.10.0.3' '$TEST_TMP/server.log') = $((before + 3)) ]"
wait_pid 20 "$EMFILE"
expect_server_clean "$fds"
echo "ok: door"
