#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side of "make demo": two namespaces joined by a veth, sstp.ko loaded
# with modprobe, and iperf3 through the link.
#
#   [gw] veth0 10.77.0.1/24  <---- veth ---->  [client] veth0 10.77.0.2/24
. "$(dirname "$0")/lib.sh"
load sstp veth tls
$(tool genl_family) sstp

GW=$(ns_new gw)
CL=$(ns_new client)
veth_link "$GW" 10.77.0.1/24 "$CL" 10.77.0.2/24

say "kTLS between the namespaces"
bg ktls ip netns exec "$GW" "$(tool ktls_pair)" -n 1000000 server 10.77.0.1 4433
in_ns "$CL" "$(tool ktls_pair)" -n 1000000 client 10.77.0.1 4433
wait_pid 30 "$BG_PID"

say "iperf3 over the link"
bg iperf3 ip netns exec "$GW" iperf3 -s -1 -B 10.77.0.1
wait_for 10 "iperf3 server" ip netns exec "$GW" ss -Hltn 'sport = :5201'
in_ns "$CL" iperf3 -c 10.77.0.1 -t 3 -f m
