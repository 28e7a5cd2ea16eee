#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# kTLS works in the guest: a TCP connection across two namespaces gets
# static-key kTLS in both directions and carries verified data both ways,
# plus a non-data record, for every version and cipher sstp supports. A
# receiver with the wrong key gets EBADMSG, so the records are real.
#
#   [a] veth0 10.99.0.1/24  <---- veth ---->  [b] veth0 10.99.0.2/24
#       ktls_pair server :4433                    ktls_pair client
. "$(dirname "$0")/lib.sh"
PAIR=$(tool ktls_pair)
load veth tls

A=$(ns_new a)
B=$(ns_new b)
veth_link "$A" 10.99.0.1/24 "$B" 10.99.0.2/24

port=4433
for v in 1.2 1.3; do
	for c in aes128 aes256 chacha20; do
		port=$((port + 1))
		say "TLS $v $c"
		bg "server-$v-$c" ip netns exec "$A" $PAIR -v $v -c $c -n 300000 server 10.99.0.1 $port
		spid=$BG_PID
		in_ns "$B" $PAIR -v $v -c $c -n 300000 client 10.99.0.1 $port
		wait_pid 30 $spid
		cat "$TEST_TMP/server-$v-$c.log"
		expect_eq "server $v $c exit status" "$WAIT_RC" 0
	done
done

say "a receiver with other keys must reject the records"
port=$((port + 1))
bg server-badkey ip netns exec "$A" $PAIR -s 7 -n 1000 server 10.99.0.1 $port
spid=$BG_PID
set +e
in_ns "$B" $PAIR -n 1000 client 10.99.0.1 $port
set -e
wait_pid 30 $spid
cat "$TEST_TMP/server-badkey.log"
[ "$WAIT_RC" != 0 ] || fail "server accepted records encrypted with another key"
grep -q 'Bad message' "$TEST_TMP/server-badkey.log" || fail "expected EBADMSG from the receiver"
