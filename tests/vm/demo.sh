#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Guest side of "make demo": an SSTP gateway and an SSTP client, both sstpd
# with the kernel data path (offload = yes), in two network namespaces. Each
# daemon does TLS (OpenSSL), the HTTP exchange, turns on kTLS both ways and
# hands the socket to sstp.ko, which makes the session's device; SSTP call,
# crypto binding and PPP run from userspace over genetlink, and every data
# packet then stays in the kernel (GSO in, GRO out). iperf3 runs through the
# tunnel both ways; sstpctl shows the sessions with the kernel's counters.
#
#   [gateway] sstpd server                         [client] sstpd client
#   veth0 10.10.0.1 ====== TLS :443, sstp.ko ====== veth0 10.10.0.2
#   sstpN 192.168.99.1  <----- IP over SSTP ------>  sstpM 192.168.99.1x
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/sstpd.sh"
load veth tls sstp
say "sstp.ko: $(modinfo -F filename sstp); $("$(tool genl_family)" sstp)"

setup_topology
start_server global.offload=yes
start_client client global.offload=yes
wait_tunnel
GW_SOCK=$TEST_TMP/server.sock
CL_SOCK=$TEST_TMP/client.sock
say "gateway sessions:"
"$SSTPCTL" -s "$GW_SOCK" list
dp=$("$SSTPCTL" -s "$GW_SOCK" --json list | grep -o '"data_path": "[a-z]*"' | cut -d'"' -f4)
[ "$dp" = kernel ] || fail "the gateway's session is on the $dp data path, not the kernel's"
in_ns "$NS1" ip -d link show "$(session_field "$GW_SOCK" ifname)"

in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
for dir in upload download; do
	r=
	[ $dir = download ] && r=-R
	bg "iperf3-$dir" ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
	ipid=$BG_PID
	wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
	say "iperf3 through the tunnel, client $dir"
	in_ns "$NS2" iperf3 -c $TUN_SERVER_IP -t "${DEMO_SECONDS:-5}" $r -f m
	wait_pid 30 "$ipid"
done

say "gateway sessions, with the kernel's counters:"
"$SSTPCTL" -s "$GW_SOCK" list
"$SSTPCTL" -s "$GW_SOCK" --json list
in_ns "$NS1" "$(tool sstp_nltest)" stats
say "client disconnects"
run "$SSTPCTL" -s "$CL_SOCK" disconnect "$("$SSTPCTL" -s "$CL_SOCK" --json list | grep -o '"id": [0-9]*' | awk '{print $2}')"
expect_client_gone
wait_for 15 "gateway session gone" sh -c "[ \$('$SSTPCTL' -s '$GW_SOCK' --json list | grep -c '\"id\":') = 0 ]"
say "sstp.ko sessions created $(sstp_count created), destroyed $(sstp_count destroyed)"
