# SPDX-License-Identifier: GPL-2.0-or-later
#
# Helpers for shell tests that build topologies out of network namespaces
# (sourced by tests/vm/test-*.sh and tests/host/test-*.sh). Commands are
# echoed as they run, conditions are polled with a deadline (never slept on),
# and everything a test starts is recorded and torn down by PID on exit.

set -eu -o pipefail

TOP=${TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
TOOLS=${TOOLS:-$TOP/build/tests/tools}
TEST_NAME=$(basename "$0" .sh)
NS_PREFIX=sstp-test-$$
TEST_TMP=$(mktemp -d "/tmp/$TEST_NAME.XXXXXX")
_PIDS=()

say() { printf '# %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
skip() { printf 'SKIP: %s\n' "$*"; exit 77; }

# Run a command, echoing it first.
run() { printf '+ %s\n' "$*"; "$@"; }

# ns_new N: create namespace $NS_PREFIX-N with lo up; prints its name.
# (Usually called as A=$(ns_new a), in a subshell: cleanup therefore finds
# the test's namespaces by their prefix, not from a list.)
ns_new() {
	local ns=$NS_PREFIX-$1
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	echo "$ns"
}

# in_ns NS CMD...: run CMD inside NS, echoed with the namespace's short name.
in_ns() {
	local ns=$1
	shift
	printf '+ [%s] %s\n' "${ns#"$NS_PREFIX"-}" "$*"
	ip netns exec "$ns" "$@"
}

# veth_link NS1 ADDR1/LEN NS2 ADDR2/LEN: a veth pair "veth0" in each.
veth_link() {
	ip link add veth0 netns "$1" type veth peer name veth0 netns "$3"
	ip -n "$1" addr add "$2" dev veth0
	ip -n "$3" addr add "$4" dev veth0
	ip -n "$1" link set veth0 up
	ip -n "$3" link set veth0 up
}

# bg NAME CMD...: start CMD in the background, output to $TEST_TMP/NAME.log;
# its PID is recorded (and stored in $BG_PID) for cleanup.
bg() {
	local name=$1
	shift
	printf '+ %s & (log %s.log)\n' "$*" "$name"
	"$@" >"$TEST_TMP/$name.log" 2>&1 &
	BG_PID=$!
	_PIDS+=("$BG_PID")
}

# wait_for SECONDS WHAT CMD...: poll CMD every 50 ms until it succeeds.
wait_for() {
	local secs=$1 what=$2 deadline
	shift 2
	deadline=$(($(date +%s%N) + secs * 1000000000))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s%N)" -lt "$deadline" ] || fail "timed out after ${secs}s waiting for $what"
		sleep 0.05
	done
}

# pid_gone PID: has this child of ours exited (gone, or a zombie not yet
# waited for)?
pid_gone() {
	! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# wait_pid SECONDS PID: wait for a recorded background process to exit;
# its status is in $WAIT_RC.
wait_pid() {
	local secs=$1 pid=$2
	wait_for "$secs" "process $pid to exit" pid_gone "$pid"
	set +e
	wait "$pid"
	WAIT_RC=$?
	set -e
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
	printf 'ok: %s = %s\n' "$1" "$2"
}

_netns_cleanup() {
	local rc=$? pid ns
	for pid in "${_PIDS[@]}"; do
		kill "$pid" 2>/dev/null || true
	done
	for pid in "${_PIDS[@]}"; do
		for _ in $(seq 40); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.05
		done
		kill -9 "$pid" 2>/dev/null || true
	done
	for ns in $(ip netns list 2>/dev/null | awk -v p="$NS_PREFIX-" 'index($1, p) == 1 {print $1}'); do
		ip netns delete "$ns" 2>/dev/null || true
	done
	if [ $rc != 0 ] && [ $rc != 77 ]; then
		for f in "$TEST_TMP"/*.log; do
			[ -e "$f" ] || continue
			echo "--- $(basename "$f") (tail)"
			tail -n 15 "$f"
		done
	fi
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$TEST_TMP"
	exit $rc
}
trap _netns_cleanup EXIT

# rtt_stats FILE: "median p90 count" of the round-trip times (ms) in the
# output of ping in FILE; "0 0 0" when there are none.
rtt_stats() {
	sed -n 's/.*time=\([0-9.]*\) ms/\1/p' "$1" | sort -n |
		awk '{ v[NR] = $1 } END {
			if (!NR) { print "0 0 0"; exit }
			printf "%.1f %.1f %d\n", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.999)], NR }'
}

# iperf3_received FILE: the bytes the receiving end counted, from the JSON
# (iperf3 -J) of either end. iperf3 -n ends a test once the sender has
# written its bytes, so the receiver's count is what crossed until then.
iperf3_received() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1]))["end"]["sum_received"]["bytes"])' "$1"
}
