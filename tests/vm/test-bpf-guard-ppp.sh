#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tunnel-interface guard (bpf/sstp_guard) on the kernel data path: on
# the gateway's session device, a client's packets from its own address
# pass (also when their headers sit in page fragments: GRO off) and those
# from any other address are dropped and counted.
#
#   [gw] veth0 10.1.0.1 ===== kTLS TCP, sstp.ko both ends ===== [cl] veth0 10.1.0.2
#        sstptN 10.9.0.1 (guard: only 10.9.0.2 may send)        sstptM 10.9.0.2, 10.9.0.3
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)
GUARD=$(tool bpf_guard_check)
load veth tls sstp
GW=$(ns_new gw)
CL=$(ns_new cl)
veth_link "$GW" 10.1.0.1/24 "$CL" 10.1.0.2/24

bg gw ip netns exec "$GW" "$NLTEST" tunnel server 10.1.0.1 4433
wait_for 10 "tunnel server" grep -q listening "$TEST_TMP/gw.log"
bg cl ip netns exec "$CL" "$NLTEST" tunnel client 10.1.0.1 4433
wait_for 30 "sessions" sh -c "grep -q '^dev ' $TEST_TMP/gw.log && grep -q '^dev ' $TEST_TMP/cl.log"
ugw=$(tunnel_dev "$TEST_TMP/gw.log")
ucl=$(tunnel_dev "$TEST_TMP/cl.log")
in_ns "$GW" ip addr add 10.9.0.1 peer 10.9.0.0/24 dev "$ugw"
in_ns "$GW" ip link set "$ugw" up
in_ns "$CL" ip addr add 10.9.0.2 peer 10.9.0.1 dev "$ucl"
in_ns "$CL" ip addr add 10.9.0.3/32 dev "$ucl"
in_ns "$CL" ip link set "$ucl" up

bg guard ip netns exec "$GW" "$GUARD" watch "$ugw" 10.9.0.2
GPID=$BG_PID
wait_for 20 "guard attached" grep -q "^guarding $ugw" "$TEST_TMP/guard.log"

in_ns "$CL" ping -c 4 -i 0.2 -W 5 -I 10.9.0.2 10.9.0.1
# Packets whose headers are not in the skb's linear part pass too: with
# GRO off nothing pulls them out of the page fragments sstp.ko hands over
# (a ping this large is not copied into the head).
in_ns "$GW" ethtool -K "$ugw" gro off
in_ns "$CL" ping -c 3 -i 0.2 -W 5 -s 1200 -I 10.9.0.2 10.9.0.1
in_ns "$GW" ethtool -K "$ugw" gro on
if in_ns "$CL" ping -c 3 -i 0.2 -W 1 -I 10.9.0.3 10.9.0.1; then
	fail "a spoofed source got through the guard"
fi

kill -TERM "$GPID"
wait_pid 20 "$GPID"
cat "$TEST_TMP/guard.log"
expect_eq "guard exit status" "$WAIT_RC" 0
read -r _ pass _ spoofed _ _ _ _ < <(grep '^pass ' "$TEST_TMP/guard.log")
[ "${pass:-0}" -ge 7 ] || fail "only ${pass:-0} packets passed (want >= 7)"
expect_eq "spoofed packets dropped" "$spoofed" 3
# The filter is gone: the spoofed source gets through again.
in_ns "$CL" ping -c 1 -W 5 -I 10.9.0.3 10.9.0.1
