#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# One server, three clients at once, each in its own namespace:
#
#                     ns 1 (server, listen 0.0.0.0:443)
#                     sstp0..2  192.168.99.1 peer 192.168.99.1x
#          vc1 10.10.1.1   vc2 10.10.2.1   vc3 10.10.3.1
#              │               │               │
#   ns 2 veth0 10.10.1.2   ns 3 10.10.2.2   ns 4 10.10.3.2
#   sstpd client           sstpd client     sstpd client
#
# Every client gets its own pool address and pings through its own tunnel;
# disconnecting one (sstpctl on the server) leaves the others working and
# releases exactly its interface; SIGTERM on the server ends all of them.
. "$(dirname "$0")/lib.sh"

new_ns NS1 1
make_pki
write_server_conf
write_client_conf
CNS=()
for i in 1 2 3; do
	new_ns ns $((i + 1))
	CNS+=("$ns")
	ip link add vc$i netns "$NS1" type veth peer name veth0 netns "$ns"
	ip -n "$NS1" addr add 10.10.$i.1/24 dev vc$i
	ip -n "$ns" addr add 10.10.$i.2/24 dev veth0
	ip -n "$NS1" link set vc$i up
	ip -n "$ns" link set veth0 up
done
start_server server.listen=0.0.0.0:443
fds=$(fd_count "$SERVER_PID")

PIDS=()
for i in 1 2 3; do
	ns=${CNS[$((i - 1))]}
	bg client$i ip netns exec "$ns" "$SSTPD" -c "$TEST_TMP/client.conf" \
		-o client.server=10.10.$i.1 -o global.ctl_socket="$TEST_TMP/client$i.sock"
	PIDS+=("$BG_PID")
done
for i in 1 2 3; do
	wait_for 20 "client $i up" session_up "$TEST_TMP/client$i.sock"
done
wait_for 10 "3 server sessions" sh -c "[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c Call_Connected) = 3 ]"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
ips=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep -o '"peer_ip": "[0-9.]*"' | sort -u | wc -l)
expect_eq "distinct client addresses" "$ips" 3
expect_eq "server tun devices" "$(tun_count "$NS1")" 3
for i in 1 2 3; do
	in_ns "${CNS[$((i - 1))]}" ping -c 2 -i 0.2 -W 2 $TUN_SERVER_IP >/dev/null
done

say "disconnect client 2 only"
ip2=$("$SSTPCTL" -s "$TEST_TMP/client2.sock" --json list | grep -o '"local_ip": "[0-9.]*"' | cut -d'"' -f4)
id=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep "\"peer_ip\": \"$ip2\"" |
	grep -o '"id": [0-9]*' | awk '{print $2}')
run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$id"
wait_pid 15 "${PIDS[1]}"
expect_eq "client 2 exit status" "$WAIT_RC" 0
wait_for 10 "2 server sessions" sh -c "[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 2 ]"
expect_eq "server tun devices" "$(tun_count "$NS1")" 2
for i in 1 3; do
	in_ns "${CNS[$((i - 1))]}" ping -c 2 -i 0.2 -W 2 $TUN_SERVER_IP >/dev/null
done

say "server shutdown ends the rest"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
for i in 1 3; do
	wait_pid 15 "${PIDS[$((i - 1))]}"
	expect_eq "client $i exit status" "$WAIT_RC" 0
	expect_eq "client $i tun devices" "$(tun_count "${CNS[$((i - 1))]}")" 0
done
expect_eq "server tun devices" "$(tun_count "$NS1")" 0
echo "ok: multi"
