#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Two namespaces, one kTLS TCP connection over veth, both ends handed to
# sstp.ko, each with the session's own device, both families open:
#
#   ns a                                         ns b
#   veth0 10.1.0.1/24 ===== kTLS TCP :4433 ===== veth0 10.1.0.2/24
#   sstp session (server)                        sstp session (client)
#   sstptN 10.9.0.1 <------ IP over SSTP ------> sstptM 10.9.0.2
#
# ping and iperf3 run between the devices. The sending device takes GSO
# packets (TSO from the inner TCP) and segments them once (tx_gso); the
# receiving one feeds GRO, so its stack sees fewer, larger packets than
# arrived (IP InReceives below the session's rx packets, and packets above
# the MTU in a capture on the device). A capture on the veth
# (AF_PACKET, by sstp_nltest: tcpdump cannot drop privileges in the guest,
# which has no users) shows
# that a known plaintext pattern carried by ping never appears on the wire,
# while a capture inside the tunnel shows that it did cross. Killing the
# client ends its session (owner gone), which closes the TCP connection and
# ends the server's (peer closed); created == destroyed at the end. Both ends
# run the hello timer at 2 s, so idle moments exchange echoes in the kernel
# and must not end the sessions.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)
PATTERN=c0ffee1234567890abcdef5aa5deadbe

load veth tls sstp
a=$(ns_new a)
b=$(ns_new b)
veth_link "$a" 10.1.0.1/24 "$b" 10.1.0.2/24

bg server in_ns "$a" "$NLTEST" tunnel server 10.1.0.1 4433 2
SERVER=$BG_PID
wait_for 10 "tunnel server to listen" grep -q listening "$TEST_TMP/server.log"
bg client in_ns "$b" "$NLTEST" tunnel client 10.1.0.1 4433 2
CLIENT=$BG_PID
wait_for 20 "server session" grep -q '^dev ' "$TEST_TMP/server.log"
wait_for 20 "client session" grep -q '^dev ' "$TEST_TMP/client.log"
ua=$(tunnel_dev "$TEST_TMP/server.log")
ub=$(tunnel_dev "$TEST_TMP/client.log")
say "server interface $ua, client interface $ub"
in_ns "$a" ip -d link show "$ua"

in_ns "$a" ip addr add 10.9.0.1 peer 10.9.0.2 dev "$ua"
in_ns "$a" ip link set "$ua" mtu 1400 up
in_ns "$b" ip addr add 10.9.0.2 peer 10.9.0.1 dev "$ub"
in_ns "$b" ip link set "$ub" mtu 1400 up

bg wire in_ns "$a" "$NLTEST" capture veth0 "$TEST_TMP/wire.raw"
WIRE=$BG_PID
bg inner in_ns "$b" "$NLTEST" capture "$ub" "$TEST_TMP/inner.raw"
INNER=$BG_PID
wait_for 10 "tcpdump on veth0" grep -q "listening on" "$TEST_TMP/wire.log"
wait_for 10 "tcpdump on $ub" grep -q "listening on" "$TEST_TMP/inner.log"

in_ns "$a" ping -c 5 -i 0.2 -W 5 -s 512 -p "$PATTERN" 10.9.0.2
in_ns "$b" ping -c 3 -i 0.2 -W 5 10.9.0.1

# stat FIELD LOG: a counter of the (only) session in a "stats" line
stat() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" "$2"; }
in_receives() { ip netns exec "$b" awk '/^Ip: [0-9]/{print $3}' /proc/net/snmp; }
in_ns "$b" "$NLTEST" stats >"$TEST_TMP/b0.stats"
rx0=$(in_receives)
bg iperf in_ns "$b" iperf3 -s -1 -B 10.9.0.2
wait_for 10 "iperf3 server" sh -c "ip netns exec $b ss -Hltn 'sport = :5201' | grep -q ."
in_ns "$a" iperf3 -c 10.9.0.2 -n 2M -f m
wait_pid 20 "$BG_PID"
expect_eq "iperf3 server" "$WAIT_RC" 0
rx1=$(in_receives)
in_ns "$a" "$NLTEST" stats | tee "$TEST_TMP/a1.stats"
in_ns "$b" "$NLTEST" stats | tee "$TEST_TMP/b1.stats"
gso=$(stat tx_gso "$TEST_TMP/a1.stats")
[ "${gso:-0}" -gt 0 ] || fail "the sending device took no GSO packets (tx_gso ${gso:-0})"
frames=$(( $(stat rx_packets "$TEST_TMP/b1.stats") - $(stat rx_packets "$TEST_TMP/b0.stats") ))
stack=$((rx1 - rx0))
say "receiver: $frames IP packets from the peer, $stack seen by its IP layer (GRO)"
[ "$stack" -lt "$frames" ] || fail "GRO merged nothing: $stack >= $frames"
bg iperf in_ns "$b" iperf3 -s -1 -B 10.9.0.2
wait_for 10 "iperf3 server" sh -c "ip netns exec $b ss -Hltn 'sport = :5201' | grep -q ."
in_ns "$a" iperf3 -c 10.9.0.2 -n 1M -R -f m
wait_pid 20 "$BG_PID"

# signal the capture tools themselves, not the shells that started them
kill -TERM $(awk '/^listening on/{print $NF}' "$TEST_TMP/wire.log" "$TEST_TMP/inner.log")
wait_pid 10 "$WIRE"
wait_pid 10 "$INNER"
wire_pkts=$(awk '/^frames /{print $2}' "$TEST_TMP/wire.log")
inner_max=$(awk '/^frames /{print $4}' "$TEST_TMP/inner.log")
[ "${inner_max:-0}" -gt 1400 ] ||
	fail "no packet above the MTU on $ub: GRO merged nothing (largest ${inner_max:-0})"
say "largest packet seen on $ub: $inner_max bytes (MTU 1400)"
[ "${wire_pkts:-0}" -gt 20 ] || fail "only ${wire_pkts:-0} frames captured on the wire"
"$NLTEST" find "$TEST_TMP/inner.raw" "$PATTERN" ||
	fail "the pattern is not in the capture inside the tunnel"
say "pattern seen inside the tunnel"
if "$NLTEST" find "$TEST_TMP/wire.raw" "$PATTERN"; then
	fail "PLAINTEXT ON THE WIRE: the pattern is in the veth capture"
fi
say "pattern absent from $wire_pkts packets on the wire"

# idle for more than two hello intervals: the echoes keep both sessions up
in_ns "$a" sleep 5
in_ns "$a" ping -c 1 -W 5 10.9.0.2
in_ns "$a" ip -s link show "$ua"
in_ns "$a" "$NLTEST" count

# teardown: the client's owner goes away; the server sees the FIN
kill -TERM "$(awk '/^dev /{print $NF}' "$TEST_TMP/client.log")"
wait_pid 10 "$CLIENT"
wait_pid 10 "$SERVER"
grep -q "^down session .* reason 1$" "$TEST_TMP/server.log" ||
	fail "server session did not end with reason peer-closed"
wait_for 10 "sessions to be destroyed" sstp_balanced
expect_eq "sessions created" "$(sstp_count created)" 2
expect_eq "sessions destroyed" "$(sstp_count destroyed)" 2
expect_eq "devices left" "$(ip -n "$a" -o link show type sstp | wc -l)$(ip -n "$b" -o link show type sstp | wc -l)" 00
