#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Teardown paths not covered by the peer scenarios (FIN, RST, TLS alert,
# KeyUpdate, protocol errors, hello timeout, owner gone live in
# test-sstp-peer.sh):
#   1. session-del from another process than the owner: the owner gets
#      session-down "deleted" (and another netns can neither see nor
#      delete the session);
#   2. netns deletion: the namespace goes while its owner still runs, then
#      the owner dies: nothing may stay behind;
#   3. rmmod with live sessions, one of them a tunnel carrying traffic
#      through its devices.
# created == destroyed after 1 and 2; after 3 the module is gone, and the
# runner checks the kernel log for warnings.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)

load veth tls sstp
a=$(ns_new a)

say "1. session-del by another process"
bg hold1 in_ns "$a" "$NLTEST" hold
H1=$BG_PID
wait_for 30 "session" grep -q '^session ' "$TEST_TMP/hold1.log"
id=$(awk '/^session /{print $2}' "$TEST_TMP/hold1.log")
# sessions are per netns: another namespace neither sees nor deletes it
other=$(ns_new other)
expect_eq "sessions seen from another netns" "$(ip netns exec "$other" "$NLTEST" count)" 0
in_ns "$other" "$NLTEST" del "$id" && fail "session-del from another netns succeeded"
in_ns "$a" "$NLTEST" del "$id"
wait_pid 10 "$H1"
grep -q "^down session $id reason 6$" "$TEST_TMP/hold1.log" ||
	fail "owner did not get session-down with reason deleted"
expect_eq "sessions left" "$(ip netns exec "$a" "$NLTEST" count)" 0
wait_for 30 "created == destroyed" sstp_balanced

say "2. netns deleted under a live session"
ns2=$NS_PREFIX-gone
run ip netns add "$ns2"
run ip -n "$ns2" link set lo up
bg hold2 ip netns exec "$ns2" "$NLTEST" hold
wait_for 30 "session" grep -q '^session ' "$TEST_TMP/hold2.log"
run ip netns del "$ns2"
expect_eq "live sessions" "$(( $(sstp_count created) - $(sstp_count destroyed) ))" 1
kill -TERM "$(awk '/^session /{print $NF}' "$TEST_TMP/hold2.log")"
wait_for 30 "created == destroyed" sstp_balanced
say "created $(sstp_count created) destroyed $(sstp_count destroyed)"

say "3. rmmod with live sessions, one tunnel carrying traffic"
b=$(ns_new b)
veth_link "$a" 10.1.0.1/24 "$b" 10.1.0.2/24
bg server in_ns "$a" "$NLTEST" tunnel server 10.1.0.1 4433
wait_for 30 "tunnel server to listen" grep -q listening "$TEST_TMP/server.log"
bg client in_ns "$b" "$NLTEST" tunnel client 10.1.0.1 4433
wait_for 30 "server session" grep -q '^dev ' "$TEST_TMP/server.log"
wait_for 30 "client session" grep -q '^dev ' "$TEST_TMP/client.log"
ua=$(tunnel_dev "$TEST_TMP/server.log")
ub=$(tunnel_dev "$TEST_TMP/client.log")
in_ns "$a" ip addr add 10.9.0.1 peer 10.9.0.2 dev "$ua"
in_ns "$a" ip link set "$ua" up
in_ns "$b" ip addr add 10.9.0.2 peer 10.9.0.1 dev "$ub"
in_ns "$b" ip link set "$ub" up
in_ns "$a" ping -c 2 -i 0.2 -W 5 10.9.0.2
bg hold3 in_ns "$a" "$NLTEST" hold
wait_for 30 "session" grep -q '^session ' "$TEST_TMP/hold3.log"
expect_eq "live sessions" "$(( $(sstp_count created) - $(sstp_count destroyed) ))" 3
# traffic while the module goes away
bg flood in_ns "$a" ping -i 0.01 -W 1 10.9.0.2
run rmmod sstp
[ ! -d /sys/module/sstp ] || fail "sstp still loaded"
in_ns "$a" ping -c 1 -W 1 10.9.0.2 && fail "the tunnel still carries traffic"
expect_eq "devices left" "$(ip -n "$a" -o link show | grep -c sstpt || true)" 0
say "the tunnel is down with the module"
