#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstpd server and client with the kernel data path (offload = yes):
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstpd mode=client
#   veth0 10.10.0.1/24 ──── kTLS :443 (sstp.ko) ── veth0 10.10.0.2/24
#   sstp0 (sstp.ko's) 192.168.99.1 ═══ PPP ═══ sstp0 (sstp.ko's) 192.168.99.1x
#
# Cases: kernel on both ends with TLS 1.3 (and IPv6) and TLS 1.2, a kernel server with
# a userspace client, and a userspace server with a kernel client. Each
# checks that both ends negotiated the largest MRU (4087, mtu = auto),
# pings both ways and runs iperf3 -n 1M in both directions, checks that
# sstpctl shows the data path and the kernel's counters, ends the session
# (an administrator disconnect on the server, or the client killed) and
# then that no sstp.ko session, interface or fd is left, and that
# the module created as many sessions as it destroyed. Then a client that
# spoils its crypto binding (the kernel server aborts the call), a dead link
# (both sides' in-kernel hello timers end their sessions) and a server
# shutdown (SIGTERM disconnects the peer first), each leaving nothing behind.
# With both ends in the kernel and IPv6 on, IPCP is closed by the server
# while LCP and IPV6CP stay: the devices drop IPv4 again (the module's gate,
# counted as tx_dropped), IPv6 still passes, and reopening IPCP restores IPv4.
# Every end by the kernel-path server's sstpd (administrator, SIGTERM) gives
# the peer a TLS close_notify after session-del: a userspace peer reads it
# as a clean TLS close, a kernel-path peer's sstp.ko as alert 1/0.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/sstpd.sh"
NLTEST=$(tool sstp_nltest)

load veth tun tls sstp
setup_topology

# kernel_sessions NS: sstp.ko sessions in that namespace.
kernel_sessions() {
	ip netns exec "$1" "$NLTEST" count | awk '{print $NF}'
}

# no_kernel_sessions NS: sstp.ko ends them asynchronously; wait, then check.
no_kernel_sessions() {
	wait_for 10 "no sstp.ko session in $1" sh -c "[ \"\$(ip netns exec $1 $NLTEST count)\" = 0 ]"
	expect_eq "sstp.ko sessions in $1" "$(kernel_sessions "$1")" 0
}

# iperf_both: 1 MiB each way. The bytes the server's iperf3 took in on the
# upload (iperf3 -n ends the test when the sender has written its bytes,
# so the receiver counts what arrived until then) go to $UPLOADED.
iperf_both() {
	bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP -J
	wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
	in_ns "$NS2" timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M -f m
	wait_pid 20 "$BG_PID"
	expect_eq "iperf3 server" "$WAIT_RC" 0
	UPLOADED=$(iperf3_received "$TEST_TMP/iperf.log")
	[ "${UPLOADED:-0}" -gt 0 ] || fail "the iperf3 server received nothing"
	bg iperf in_ns "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP
	wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
	in_ns "$NS2" timeout 60 iperf3 -c $TUN_SERVER_IP -n 1M -R -f m
	wait_pid 20 "$BG_PID"
	expect_eq "iperf3 server (reverse)" "$WAIT_RC" 0
}

# expect_path SOCK WANT: data_path of the session is WANT.
expect_path() {
	expect_eq "data path ($1)" "$(session_field "$1" data_path)" "$2"
}

# ping6_both: IPV6CP's link-local addresses answer both ways (the device
# passes IPv6 only once IPV6CP is up and the call allows data).
ping6_both() {
	local json ll_s ll_c ifc ifs
	json=$("$SSTPCTL" -s "$TEST_TMP/client.sock" --json list)
	ll_s=$(grep -o '"peer_ip6": "fe80[0-9a-f:]*"' <<<"$json" | cut -d'"' -f4)
	ll_c=$(grep -o '"local_ip6": "fe80[0-9a-f:]*"' <<<"$json" | cut -d'"' -f4)
	ifc=$(session_field "$TEST_TMP/client.sock" ifname)
	ifs=$(session_field "$TEST_TMP/server.sock" ifname)
	[ -n "$ll_s" ] && [ -n "$ll_c" ] || fail "no IPv6 link-local addresses: $json"
	wait_for 10 "IPv6 DAD on both sides" sh -c "! ip netns exec $NS1 ip -6 addr show dev $ifs | grep -q tentative && ! ip netns exec $NS2 ip -6 addr show dev $ifc | grep -q tentative"
	in_ns "$NS2" ping -6 -c 3 -i 0.2 -W 5 "$ll_s%$ifc"
	in_ns "$NS1" ping -6 -c 3 -i 0.2 -W 5 "$ll_c%$ifs"
}

# ncp_kernel: the server closes IPCP, LCP and IPV6CP stay. Both devices
# close their IPv4 gate again (the addresses leave too); IPv4 sent into the
# tunnel anyway is dropped by the module, IPv6 pings both ways; then IPCP
# reopens and IPv4 pings again.
ncp_kernel() {
	local sid ifs ifc client_ip d0 d1
	sid=$(session_field "$TEST_TMP/server.sock" id)
	ifs=$(session_field "$TEST_TMP/server.sock" ifname)
	ifc=$(session_field "$TEST_TMP/client.sock" ifname)
	client_ip=$(session_field "$TEST_TMP/server.sock" peer_ip)
	run "$SSTPCTL" -s "$TEST_TMP/server.sock" ncp "$sid" ipv4 close
	wait_for 10 "client IPv4 down" grep -q 'IPv4 down (IPCP closed, link stays up)' "$CLIENT_LOG"
	wait_for 10 "server IPv4 down" grep -q 'IPv4 down (IPCP closed, link stays up)' "$TEST_TMP/server.log"
	expect_eq "client IPv4 addresses on $ifc" "$(ip -n "$NS2" -4 -o addr show dev "$ifc")" ""
	expect_eq "server IPv4 addresses on $ifs" "$(ip -n "$NS1" -4 -o addr show dev "$ifs")" ""
	run ip -n "$NS2" route add $TUN_SERVER_IP/32 dev "$ifc"
	d0=$(ip netns exec "$NS2" cat "/sys/class/net/$ifc/statistics/tx_dropped")
	in_ns "$NS2" ping -c 3 -i 0.2 -W 1 $TUN_SERVER_IP && fail "IPv4 passed the device with IPCP closed"
	d1=$(ip netns exec "$NS2" cat "/sys/class/net/$ifc/statistics/tx_dropped")
	[ "$d1" -ge $((d0 + 3)) ] || fail "$ifc tx_dropped $d0 -> $d1, want 3 more (the gate)"
	say "client device dropped $((d1 - d0)) IPv4 packets"
	run ip -n "$NS2" route del $TUN_SERVER_IP/32 dev "$ifc"
	expect_eq "server sessions" "$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list | grep -c '"id":')" 1
	ping6_both
	run "$SSTPCTL" -s "$TEST_TMP/server.sock" ncp "$sid" ipv4 open
	wait_for 20 "client IPv4 address back" sh -c "ip -n $NS2 -4 -o addr show dev $ifc | grep -q inet"
	wait_for 20 "server IPv4 address back" sh -c "ip -n $NS1 -4 -o addr show dev $ifs | grep -q inet"
	in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
	in_ns "$NS1" ping -c 3 -i 0.2 -W 5 "$client_ip"
}

# expect_close_notify: the client's session ended with the kernel-path
# server's TLS close_notify (sent after session-del), not a bare TCP close.
expect_close_notify() {
	if [ "$1" = kernel ]; then
		grep -q 'TLS alert from the peer' "$CLIENT_LOG" ||
			fail "the kernel-path client got no TLS alert from the server"
		grep -q "session [0-9]*: TLS alert 1/0" <<<"$(dmesg)" ||
			fail "sstp.ko saw no close_notify (alert 1/0): $(dmesg | grep 'TLS alert' | tail -3)"
	else
		grep -q 'peer closed the connection (TLS close_notify)' "$CLIENT_LOG" ||
			fail "the userspace client saw no TLS close_notify: $(grep 'session down\|closed\|eof' "$CLIENT_LOG" | tail -3)"
	fi
	say "ok: the client got the server's close_notify"
}

# expect_mtu NS IFNAME MTU
expect_mtu() {
	expect_eq "MTU of $2" "$(ip netns exec "$1" cat "/sys/class/net/$2/mtu")" "$3"
}

# run_case NAME SERVER_OFFLOAD CLIENT_OFFLOAD TLS END [IPV6]
run_case() {
	local name=$1 so=$2 co=$3 tls=$4 end=$5 v6=${6:-no} fds want_s want_c json rx client_ip
	say "=== $name: server offload=$so, client offload=$co, TLS $tls, end by $end, ipv6 $v6"
	start_server global.offload=$so global.ipv6=$v6
	fds=$(fd_count "$SERVER_PID")
	# sstpd sets its TLS versions itself (tls_max_version), so an
	# OPENSSL_CONF MaxProtocol no longer reaches it.
	start_client "client-$name" global.offload=$co global.ipv6=$v6 global.tls_max_version=$tls
	wait_tunnel
	want_s=user want_c=user
	[ "$so" = yes ] && want_s=kernel
	[ "$co" = yes ] && want_c=kernel
	expect_path "$TEST_TMP/server.sock" $want_s
	expect_path "$TEST_TMP/client.sock" $want_c
	# mtu = auto on both: each asks for the largest MRU SSTP carries and
	# gets it, so both interfaces carry 4087-byte packets
	expect_mtu "$NS1" "$(session_field "$TEST_TMP/server.sock" ifname)" 4087
	expect_mtu "$NS2" "$(session_field "$TEST_TMP/client.sock" ifname)" 4087
	case "$(session_field "$TEST_TMP/server.sock" tls)" in
	TLSv$tls*) ;;
	*) fail "server session is not on TLS $tls: $(session_field "$TEST_TMP/server.sock" tls)" ;;
	esac
	[ $want_s = kernel ] && expect_eq "kernel sessions (server ns)" "$(kernel_sessions "$NS1")" 1
	[ $want_c = kernel ] && expect_eq "kernel sessions (client ns)" "$(kernel_sessions "$NS2")" 1

	client_ip=$(session_field "$TEST_TMP/server.sock" peer_ip)
	in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
	in_ns "$NS1" ping -c 3 -i 0.2 -W 5 "$client_ip"
	[ "$v6" = yes ] && ping6_both
	[ "$v6" = yes ] && [ $want_s = kernel ] && [ $want_c = kernel ] && ncp_kernel
	iperf_both

	run "$SSTPCTL" -s "$TEST_TMP/server.sock" list
	run "$SSTPCTL" -s "$TEST_TMP/client.sock" list
	json=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list)
	rx=$(grep -o '"rx_bytes": [0-9]*' <<<"$json" | awk '{print $2}')
	[ "${rx:-0}" -ge "$UPLOADED" ] ||
		fail "server rx_bytes ${rx:-0}, less than the $UPLOADED bytes iperf3 received"
	say "server rx_bytes = $rx (iperf3 received $UPLOADED)"

	case $end in
	disconnect)
		run "$SSTPCTL" -s "$TEST_TMP/server.sock" disconnect "$(session_field "$TEST_TMP/server.sock" id)"
		expect_client_gone
		expect_eq "client exit status" "$WAIT_RC" 0
		[ $want_s = kernel ] && expect_close_notify $want_c
		;;
	kill)
		run kill -KILL "$CLIENT_PID"
		wait_pid 10 "$CLIENT_PID"
		;;
	esac
	expect_server_clean "$fds"
	no_kernel_sessions "$NS1"
	no_kernel_sessions "$NS2"
	expect_eq "interfaces left (server ns)" "$(ip -n "$NS1" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
	expect_eq "interfaces left (client ns)" "$(ip -n "$NS2" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
	stop_server
	say "ok: $name"
}

stop_server() {
	kill -TERM "$SERVER_PID"
	wait_pid 15 "$SERVER_PID"
	expect_eq "server exit status" "$WAIT_RC" 0
}

run_case kernel-tls13 yes yes 1.3 disconnect yes
run_case kernel-tls12 yes yes 1.2 kill
run_case kserver-uclient yes no 1.3 disconnect
run_case userver-kclient no yes 1.2 disconnect

say "=== kernel path, tampered crypto binding: the server aborts, no data ever passes"
start_server global.offload=yes
fds=$(fd_count "$SERVER_PID")
start_client client-badmac global.offload=yes test.corrupt_compound_mac=yes
expect_client_gone
[ "$WAIT_RC" != 0 ] || fail "client with a bad compound MAC exited 0"
grep -q 'corrupting the compound MAC' "$CLIENT_LOG" || fail "the test knob did not act"
grep -q 'data path: kernel (sstp session' "$TEST_TMP/server.log" ||
	fail "the server did not hand the session to sstp.ko"
grep -q 'session down: SSTP aborted.*compound MAC mismatch' "$TEST_TMP/server.log" ||
	fail "server did not abort the call for its compound MAC"
grep -q 'SSTP call connected' "$TEST_TMP/server.log" &&
	fail "server accepted a tampered crypto binding"
expect_server_clean "$fds"
no_kernel_sessions "$NS1"
no_kernel_sessions "$NS2"
stop_server

say "=== kernel path, dead link: each side's sstp.ko hello timer ends its session"
# The daemons cannot miss a frozen peer here: the peer's kernel answers
# ECHO_REQUEST by itself. A dead link is what the hello timer is for.
start_server global.offload=yes global.hello_interval=1
fds=$(fd_count "$SERVER_PID")
start_client client-hello global.offload=yes global.hello_interval=1
wait_tunnel
run ip -n "$NS2" link set veth0 down
wait_for 20 "server session ended by the hello timeout" sh -c \
	"[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 0 ]"
grep -q 'hello timeout' "$TEST_TMP/server.log" ||
	fail "the server's session did not end with the hello timeout"
expect_client_gone
grep -q 'hello timeout' "$CLIENT_LOG" || fail "the client's session did not end with the hello timeout"
expect_server_clean "$fds"
no_kernel_sessions "$NS1"
no_kernel_sessions "$NS2"
expect_eq "interfaces left (server ns)" "$(ip -n "$NS1" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
expect_eq "interfaces left (client ns)" "$(ip -n "$NS2" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
run ip -n "$NS2" link set veth0 up
stop_server

say "=== kernel path, server shutdown: SIGTERM disconnects every peer first"
start_server global.offload=yes
start_client client-term global.offload=yes
wait_tunnel
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
expect_client_gone
expect_eq "client exit status" "$WAIT_RC" 0
expect_close_notify kernel
no_kernel_sessions "$NS1"
no_kernel_sessions "$NS2"
expect_eq "interfaces left (server ns)" "$(ip -n "$NS1" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0
expect_eq "interfaces left (client ns)" "$(ip -n "$NS2" -o link show | grep -cE ': (ppp|sstp)[0-9]' || true)" 0

wait_for 10 "sstp.ko sessions all destroyed" sstp_balanced
expect_eq "sessions destroyed" "$(sstp_count destroyed)" "$(sstp_count created)"
[ "$(sstp_count created)" -ge 10 ] || fail "sstp.ko created only $(sstp_count created) sessions"
echo "ok: offload tunnel"
