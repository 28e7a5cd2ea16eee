#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side of "make demo": the SSTP kernel data path between a gateway
# and a client namespace. Each end is a kTLS TCP socket handed to sstp.ko
# (session-new over genetlink), whose PPP channel is connected to a ppp
# unit on /dev/ppp; iperf3 then runs between the two pppN interfaces, and
# no data packet crosses into userspace.
#
#   [gw] veth0 10.77.0.1/24 ===== kTLS TCP :443 ===== [client] veth0 10.77.0.2/24
#        sstp session (server)                               sstp session (client)
#        pppN 10.8.0.1  <-------- PPP over SSTP -------->   pppM 10.8.0.2
#
# The sessions are set up by the test tool sstp_nltest with static TLS keys
# (TLS 1.2, AES-128-GCM); sstpd's own handshake and handoff drive the same
# module interface.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)
P=/sys/module/sstp/parameters

load veth tls sstp
say "sstp.ko: $(modinfo -F filename sstp), genetlink: $("$(tool genl_family)" sstp)"
GW=$(ns_new gw)
CL=$(ns_new client)
veth_link "$GW" 10.77.0.1/24 "$CL" 10.77.0.2/24

bg gw ip netns exec "$GW" "$NLTEST" tunnel server 10.77.0.1 443
GWPID=$BG_PID
wait_for 10 "gateway to listen" grep -q listening "$TEST_TMP/gw.log"
bg client ip netns exec "$CL" "$NLTEST" tunnel client 10.77.0.1 443
wait_for 30 "gateway session" grep -q '^unit ' "$TEST_TMP/gw.log"
wait_for 30 "client session" grep -q '^unit ' "$TEST_TMP/client.log"
ugw=ppp$(awk '/^unit /{print $2}' "$TEST_TMP/gw.log")
ucl=ppp$(awk '/^unit /{print $2}' "$TEST_TMP/client.log")
say "gateway: $(grep '^unit ' "$TEST_TMP/gw.log")"
say "client:  $(grep '^unit ' "$TEST_TMP/client.log")"

in_ns "$GW" ip addr add 10.8.0.1 peer 10.8.0.2 dev "$ugw"
in_ns "$GW" ip link set "$ugw" mtu 1400 up
in_ns "$CL" ip addr add 10.8.0.2 peer 10.8.0.1 dev "$ucl"
in_ns "$CL" ip link set "$ucl" mtu 1400 up
in_ns "$CL" ping -c 3 -i 0.2 -W 5 10.8.0.1

for dir in upload download; do
	r=
	[ $dir = download ] && r=-R
	bg "iperf3-$dir" ip netns exec "$GW" iperf3 -s -1 -B 10.8.0.1
	ipid=$BG_PID
	wait_for 10 "iperf3 server" sh -c "ip netns exec $GW ss -Hltn 'sport = :5201' | grep -q ."
	say "iperf3 through the tunnel, client $dir"
	in_ns "$CL" iperf3 -c 10.8.0.1 -t "${DEMO_SECONDS:-5}" $r -f m
	wait_pid 30 "$ipid"
done

say "tunnel interface counters (gateway)"
in_ns "$GW" ip -s link show "$ugw"
say "sessions in the gateway namespace (genetlink dump):"
in_ns "$GW" "$NLTEST" count
kill -TERM "$GWPID"
wait_pid 10 "$GWPID"
wait_for 10 "both sessions to end" \
	sh -c "[ \$(cat $P/sessions_created) = \$(cat $P/sessions_destroyed) ]"
say "sessions created $(cat $P/sessions_created), destroyed $(cat $P/sessions_destroyed)"
