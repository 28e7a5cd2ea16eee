#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Latency under load on the kernel data path: sstpd server and client with
# offload = yes, a saturating iperf3 upload through the tunnel, and pings
# through the same tunnel while it runs.
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd, sstp0 192.168.99.1 ═══ kTLS, sstp.ko ═══ sstpd, sstp0 192.168.99.1x
#   iperf3 -s                                       iperf3 -c (upload) + ping
#
# Without bounds, a bulk upload fills every queue between the inner TCP and
# the wire (the device's queue, the TLS socket's unsent bytes), and the
# inner TCP's window grows to fill them: data path v1 showed ping times of
# 85-134 ms here with a 1 MB inner window. sstp.ko bounds what it holds with
# BQL (the backlog waits in the device's fq_codel qdisc, which keeps it
# short) and what the socket holds unsent with TCP_NOTSENT_LOWAT; TCP small
# queues then keep the local sender's share small too.
#
# The bound: the median ping under load must stay below RTT_MEDIAN_MS (50).
# Measured on an otherwise idle machine of the CI kind: 2.2 ms (6.12) and
# 2.3 ms (6.1) against about 2 ms idle; the bench (make bench, its
# "latency" rows) measures it side by side with an idle tunnel. What still
# queues is in bytes (BQL's limit, the socket's 64 KiB), so the slower the
# tunnel, the longer the wait: with the host this test shares busy with
# four other QEMU guests the tunnel fell to ~10 Mbit/s and the median rose
# to ~48 ms. 50 ms leaves that room and is still half of the best v1
# figure, so a queue that came back unbounded would fail it. The 90th
# percentile is printed, not asserted: it follows the host's scheduling.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"

RTT_MEDIAN_MS=${RTT_MEDIAN_MS:-50}
LOAD_SECONDS=8

load veth tun tls sstp
setup_topology
start_server global.offload=yes
start_client client global.offload=yes
wait_tunnel
expect_eq "server data path" "$(session_field "$TEST_TMP/server.sock" data_path)" kernel
expect_eq "client data path" "$(session_field "$TEST_TMP/client.sock" data_path)" kernel
ifs=$(session_field "$TEST_TMP/server.sock" ifname)
ifc=$(session_field "$TEST_TMP/client.sock" ifname)
in_ns "$NS2" tc qdisc show dev "$ifc"

in_ns "$NS2" ping -c 10 -i 0.2 -W 2 $TUN_SERVER_IP >"$TEST_TMP/idle.txt"
read -r idle_med idle_p90 idle_n < <(rtt_stats "$TEST_TMP/idle.txt")
say "idle: median $idle_med ms, p90 $idle_p90 ms ($idle_n pings)"

bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
bg upload ip netns exec "$NS2" iperf3 -c $TUN_SERVER_IP -t $LOAD_SECONDS --forceflush -f m
UPLOAD=$BG_PID
# the first second is slow start; then ping while the upload saturates
wait_for 10 "the upload to run" grep -q 'sec' "$TEST_TMP/upload.log"
in_ns "$NS2" ping -c 25 -i 0.2 -W 2 $TUN_SERVER_IP >"$TEST_TMP/loaded.txt" || true
wait_pid 30 "$UPLOAD"
expect_eq "iperf3 upload" "$WAIT_RC" 0
cat "$TEST_TMP/upload.log"
in_ns "$NS2" "$TOOLS/sstp_nltest" stats
in_ns "$NS2" tc -s qdisc show dev "$ifc"
in_ns "$NS1" ip -s link show dev "$ifs"
cat "$TEST_TMP/loaded.txt"
read -r med p90 n < <(rtt_stats "$TEST_TMP/loaded.txt")
say "under load: median $med ms, p90 $p90 ms ($n of 25 pings answered)"
[ "$n" -ge 20 ] || fail "only $n of 25 pings were answered under load"
awk -v m="$med" -v b="$RTT_MEDIAN_MS" 'BEGIN { exit !(m < b) }' ||
	fail "median RTT under load $med ms, bound $RTT_MEDIAN_MS ms"

kill -TERM "$CLIENT_PID"
wait_pid 15 "$CLIENT_PID"
kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
wait_for 10 "sstp.ko sessions all destroyed" sstp_balanced
