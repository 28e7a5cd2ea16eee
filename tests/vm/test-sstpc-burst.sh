#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A burst from the server side must reach an sstpc client whole, with no
# traffic after it. sstpc (sstp-client) reads one SSTP packet per readiness
# event of its socket and never asks OpenSSL for what it already decrypted
# (SSL_pending), so every packet after the first in the last TLS record of
# a burst waits in its TLS buffer until more bytes arrive. sstpd on the
# userspace data path (offload = no) batches a loop turn's packets into one
# write, and sstp.ko (offload = yes) a batch of queued frames into one
# sendmsg; both must end each burst with a record that holds one packet only.
# Without that, iperf3 -R -P 4 through sstpc crawled from one inner-TCP
# retransmission timeout to the next and once stalled outright (make bench).
#
#   ns 1: sstpd (offload = no, then yes), sstp0 / pppN 192.168.99.1
#   ns 2: sstpc + pppd, ppp0 192.168.99.1x, a UDP socket counting datagrams
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../lib/sstpd.sh"

command -v python3 >/dev/null || skip "no python3"
sstpc_ready

# burst N SIZE: N datagrams sent back to back from ns 1, then silence;
# the client's socket must have all N within 3 s of the first.
burst() {
	local n=$1 size=$2 got
	bg udp-rx ip netns exec "$NS2" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9999))
s.settimeout(10)
n = 0
try:
    s.recv(65536)
    n = 1
    end = time.time() + 3
    while n < int(sys.argv[1]) and time.time() < end:
        s.settimeout(max(end - time.time(), 0.01))
        try:
            s.recv(65536)
            n += 1
        except socket.timeout:
            pass
except socket.timeout:
    pass
print(n)' "$n"
	wait_for 10 "UDP socket in ns 2" sh -c "ip netns exec $NS2 ss -Hlun 'sport = :9999' | grep -q 9999"
	in_ns "$NS1" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[2])):
    s.sendto(b"x" * int(sys.argv[3]), (sys.argv[1], 9999))' "$CLIENT_TUN_IP" "$n" "$size"
	wait_pid 20 "$BG_PID"
	got=$(tail -n1 "$TEST_TMP/udp-rx.log")
	expect_eq "datagrams of a $n x $size B burst at sstpc's end" "$got" "$n"
}

# sstpc_up OFFLOAD: our server on that data path, sstpc + pppd as client.
sstpc_up() {
	start_server global.offload="$1"
	sstpc_connect start_sstpc "sstpc-$1" "$NS2"
	wait_for 20 "server session up" session_up "$TEST_TMP/server.sock"
	expect_eq "server data path" "$(session_field "$TEST_TMP/server.sock" data_path)" "$2"
	CLIENT_TUN_IP=$(ip -n "$NS2" -4 -o addr show dev ppp0 | awk '{print $4}' | cut -d/ -f1)
}

sstpc_down() {
	run kill -TERM "$SSTPC_PID"
	wait_pid 30 "$SSTPC_PID"
	wait_for 20 "pppd's ppp0 in ns 2 to go" sh -c "! ip -n $NS2 link show ppp0 >/dev/null 2>&1"
	run kill -TERM "$SERVER_PID"
	wait_pid 30 "$SERVER_PID"
}

setup_topology
for mode in "no user" "yes kernel"; do
	read -r offload path <<<"$mode"
	say "server offload = $offload"
	sstpc_up "$offload" "$path"
	burst 2 1200
	burst 5 1200
	burst 30 1000
	burst 5 100
	sstpc_down
done
echo "ok: bursts reach sstpc whole on both server data paths"
