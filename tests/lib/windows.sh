# SPDX-License-Identifier: GPL-2.0-or-later
#
# The Windows-like client (tests/tools/sstp_winclient, docs/windows.md) in
# end-to-end tests, host or VM (sourced after tests/lib/sstpd.sh): run it
# against the server at $SERVER_IP from $NS2, read its summary, and check
# what every Windows-shaped session must show.

WIN=$TOOLS/sstp_winclient
[ -x "$WIN" ] || fail "test tool sstp_winclient not built (make tools)"

# Its options: -S fail on a Code-Reject or a Protocol-Reject of what Windows
# needs, -m MS the limit from the HTTP request to IPCP up, -N ADDR the DNS
# it must get by IPCP Nak, -6 IPV6CP up, the IPv6 ping answered and no IPv6
# from any other source than the negotiated link-local, -D DHCPINFORM must
# be answered, -P PAP, -t PROFILE the TLS of a Windows version, -d MS its
# PPP starts late, -A a peer that never speaks first (not Windows).

# win_run NAME ARGS...: the client in $NS2, to its end; its output in
# $TEST_TMP/NAME.log (and on ours), its exit status in $WIN_RC.
win_run() {
	local name=$1
	shift
	printf '+ [2] sstp_winclient %s (log %s.log)\n' "$*" "$name"
	set +e
	ip netns exec "$NS2" "$WIN" -s $SERVER_IP -n $SERVER_NAME -C "$PKI/ca.crt" \
		-u alice -p secret123 "$@" >"$TEST_TMP/$name.log" 2>&1
	WIN_RC=$?
	set -e
	sed 's/^/    /' "$TEST_TMP/$name.log"
}

# win_bg NAME ARGS...: the same in the background (check the session while
# it is up); win_wait NAME then waits for it and sets $WIN_RC.
win_bg() {
	local name=$1
	shift
	bg "$name" ip netns exec "$NS2" "$WIN" -s $SERVER_IP -n $SERVER_NAME \
		-C "$PKI/ca.crt" -u alice -p secret123 "$@"
	WIN_PID=$BG_PID
}

win_wait() {
	wait_pid 30 "$WIN_PID"
	WIN_RC=$WAIT_RC
	sed 's/^/    /' "$TEST_TMP/$1.log"
}

# server_done NAME: stop the server (SIGTERM, exit status 0) and keep its
# log as server-NAME.log, for a run with other settings.
server_done() {
	kill -TERM "$SERVER_PID"
	wait_pid 15 "$SERVER_PID"
	expect_eq "server exit status" "$WAIT_RC" 0
	mv "$TEST_TMP/server.log" "$TEST_TMP/server-$1.log"
}

# wfield NAME KEY: a value from the client's summary line.
wfield() {
	grep '^summary ' "$TEST_TMP/$1.log" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# expect_windows_run NAME [LIMIT_MS]: what every run must show. LIMIT_MS
# (500) bounds the time from the HTTP request to IPCP up: well below the
# 3 s restart interval a lost LCP request would cost.
expect_windows_run() {
	local limit=${2:-500}
	expect_eq "$1: client exit status" "$WIN_RC" 0
	[ "$(wfield "$1" connect_ms)" -lt "$limit" ] ||
		fail "$1: $(wfield "$1" connect_ms) ms from the HTTP request to IPCP up"
	printf 'ok: %s: %s ms from the HTTP request to IPCP up (limit %s)\n' "$1" \
		"$(wfield "$1" connect_ms)" "$limit"
	expect_eq "$1: server frames Windows dropped" "$(wfield "$1" dropped_early)" 0
	expect_eq "$1: Code-Rejects" "$(wfield "$1" code_rejects)" 0
	expect_eq "$1: Protocol-Rejects of what Windows needs" "$(wfield "$1" bad_protocol_rejects)" 0
	expect_eq "$1: MRU Acked" "$(wfield "$1" mru_acked)" 4091
	expect_eq "$1: PFC" "$(wfield "$1" pfc)" 1
	expect_eq "$1: ACFC" "$(wfield "$1" acfc)" 1
	expect_eq "$1: crypto binding hash" "$(wfield "$1" hash)" sha256
	expect_eq "$1: ping" "$(wfield "$1" ping)" 1
	expect_eq "$1: teardown" "$(wfield "$1" teardown)" 1
	# DHCPINFORM: the server answers it (docs/sstpd.md, "After the NCPs").
	expect_eq "$1: DHCPINFORM answered" "$(wfield "$1" dhcp_answered)" 1
	[ "$(wfield "$1" netbios)" -gt 0 ] || fail "$1: no NetBIOS broadcast sent"
}

# expect_windows_logged NAME: the server verified the binding with SHA-256
# and logged Windows' three Identification packets.
expect_windows_logged() {
	local id
	grep -q 'SSTP call connected (crypto binding verified, SHA-256)' "$TEST_TMP/server.log" ||
		fail "$1: the server did not verify the crypto binding with SHA-256"
	for id in "'MSRASV5.20'" "'MSRAS-0-WINPC'" \
		"{$(grep -o 'correlation {[0-9A-F-]*}' "$TEST_TMP/$1.log" | cut -d'{' -f2)"; do
		grep -q "LCP: peer identification $id" "$TEST_TMP/server.log" ||
			fail "$1: the server did not log Windows' Identification $id"
	done
}
