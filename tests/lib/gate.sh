# SPDX-License-Identifier: GPL-2.0-or-later
#
# What a client may send into the gateway, checked the same way on both
# data paths (sourced by tests/host/test-gate.sh and
# tests/vm/test-offload-gate.sh, after tests/lib/sstpd.sh). The server runs
# in $NS1, a client with [test] foreign_frames = yes in $NS2; alice has
# 10.77.0.0/24 behind her and a rate of her own (rate=50M/100M).

GATE_UDP=$TOP/tests/lib/udp.py

# gate_secrets: chap-secrets with a network behind alice, and her rate.
gate_secrets() {
	printf '%s\n' "alice * secret123 * 10.77.0.0/24 rate=50M/100M" >"$TEST_TMP/chap-secrets"
}

# gate_watch: a UDP listener on the server's port 9 and tcpdump on all of
# its interfaces, before the client comes.
gate_watch() {
	bg listener ip netns exec "$NS1" python3 "$GATE_UDP" listen 9
	wait_for 30 "UDP listener" grep -q listening "$TEST_TMP/listener.log"
	# --immediate-mode: without it libpcap's ring hands packets over a
	# block at a time, and what sits in an unfinished block when tcpdump
	# is stopped is never written (seen on a 6.18 host: "0 packets
	# captured", 72 received by filter).
	bg tcpdump ip netns exec "$NS1" tcpdump -Z root -i any -U --immediate-mode -n \
		-w "$TEST_TMP/server.pcap"
	GATE_TCPDUMP=$BG_PID
	wait_for 30 "tcpdump" grep -q listening "$TEST_TMP/tcpdump.log"
}

# gate_foreign_rejected: the client sent its foreign frames at all three
# moments, and the server rejected each protocol twice (before and after
# the binding; before LCP there is nothing to reject with).
gate_foreign_rejected() {
	local p w
	wait_for 30 "the after-binding frames sent" \
		grep -q 'sending foreign frames (after-binding)' "$CLIENT_LOG"
	for w in before-lcp before-binding after-binding; do
		grep -q "sending foreign frames ($w)" "$CLIENT_LOG" || fail "no foreign frames $w"
	done
	for p in 0281 002b 0029 4235; do
		wait_for 30 "the server's Protocol-Rejects of $p" sh -c \
			"[ \$(grep -c 'LCP: rejecting protocol 0x$p' '$TEST_TMP/server.log') = 2 ]"
		wait_for 30 "the client told of the rejection of $p" \
			grep -q "LCP: peer rejected protocol 0x$p" "$CLIENT_LOG"
	done
	grep -q 'SSTP call connected (crypto binding verified, ' "$TEST_TMP/server.log" ||
		fail "the binding was not verified"
}

# gate_sources: UDP from the client's address and from its network
# arrives; from an address of its choosing, or another client's, it is
# dropped by the guard and counted (sstpctl: spoofed 4).
gate_sources() {
	local ifc ifs client_ip route i
	ifc=$(session_field "$TEST_TMP/client.sock" ifname)
	ifs=$(session_field "$TEST_TMP/server.sock" ifname)
	client_ip=$(session_field "$TEST_TMP/server.sock" peer_ip)
	expect_eq "guard on the server's session" "$(session_field "$TEST_TMP/server.sock" guard)" on
	expect_eq "alice's rate from chap-secrets (kbit/s)" \
		"$(session_field "$TEST_TMP/server.sock" rate_kbit)" 50000
	route=$(ip -n "$NS1" route show 10.77.0.0/24 dev "$ifs")
	say "server: $route"
	[ -n "$route" ] || fail "no route to the network behind the client"
	run ip -n "$NS2" addr add 10.77.0.5/32 dev "$ifc"
	run ip -n "$NS2" addr add 10.99.0.5/32 dev "$ifc"
	run ip -n "$NS2" addr add 192.168.99.11/32 dev "$ifc"
	in_ns "$NS2" python3 "$GATE_UDP" send "$client_ip" $TUN_SERVER_IP 9 SSTP-LEGIT
	in_ns "$NS2" python3 "$GATE_UDP" send 10.77.0.5 $TUN_SERVER_IP 9 SSTP-ROUTED
	for i in 1 2 3; do
		in_ns "$NS2" python3 "$GATE_UDP" send 10.99.0.5 $TUN_SERVER_IP 9 SSTP-SPOOFED-$i
	done
	in_ns "$NS2" python3 "$GATE_UDP" send 192.168.99.11 $TUN_SERVER_IP 9 SSTP-SPOOFED-OTHER
	wait_for 30 "the client's own datagram" grep -q "^$client_ip SSTP-LEGIT" "$TEST_TMP/listener.log"
	wait_for 30 "the routed network's datagram" grep -q '^10.77.0.5 SSTP-ROUTED' "$TEST_TMP/listener.log"
	wait_for 30 "the spoofed datagrams counted" sh -c \
		"[ \"\$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -o '\"spoofed\": [0-9]*')\" = '\"spoofed\": 4' ]"
	run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
	! grep -q SPOOFED "$TEST_TMP/listener.log" ||
		fail "a spoofed datagram arrived: $(grep SPOOFED "$TEST_TMP/listener.log")"
}

# gate_nothing_foreign: once the client is gone, the capture of every
# server interface saw the tunnel's traffic, and nothing foreign.
gate_nothing_foreign() {
	local n
	kill -INT "$GATE_TCPDUMP"
	wait_pid 10 "$GATE_TCPDUMP"
	tcpdump -Z root -r "$TEST_TMP/server.pcap" -n -A 2>/dev/null >"$TEST_TMP/capture.txt"
	grep -q SSTP-LEGIT "$TEST_TMP/capture.txt" || fail "the capture saw nothing of the tunnel"
	n=$(grep -c 'SSTP-FOREIGN' "$TEST_TMP/capture.txt" || true)
	expect_eq "foreign packets on the server's interfaces" "$n" 0
	! grep -q 'SSTP-FOREIGN' "$TEST_TMP/listener.log" || fail "a foreign packet reached the listener"
}
