#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Password guessing is slowed down, then locked out, per source and per
# user name, and every refused credential is logged once, escaped, in the
# form examples/fail2ban/filter.d/sstpd.conf matches.
#
#   ns 2 (client A) veth0 10.10.0.2 ─── 10.10.0.1 veth0  ns 1 (server,
#   ns 3 (client B) veth0 10.10.1.2 ─── 10.10.1.1 vb     listen 0.0.0.0:443)
#
#   auth = pap mschapv2, auth_delay 1 s, auth_delay_max 2 s, auth_lockout 4,
#   auth_lockout_time 6 s
#
# A guesses alice's password four times (PAP): the credentials are held 0,
# 1, 2 and 2 s before their check; the fifth try, with the right password,
# is refused (locked out), and so is alice from B. bob from B gets in at
# once. An unknown name from B is held like a known one, and a name with a
# newline and a forged log line in it stays on one line. fail2ban-regex
# finds exactly the refusals, with the right addresses. Once the lockout
# has passed, alice gets in.
. "$(dirname "$0")/lib.sh"
command -v fail2ban-regex >/dev/null || skip "no fail2ban-regex (make deps)"
FILTER=$TOP/examples/fail2ban/filter.d/sstpd.conf

setup_topology
new_ns NS3 3
ip link add vb netns "$NS1" type veth peer name veth0 netns "$NS3"
ip -n "$NS1" addr add 10.10.1.1/24 dev vb
ip -n "$NS3" addr add 10.10.1.2/24 dev veth0
ip -n "$NS1" link set vb up
ip -n "$NS3" link set veth0 up
ip -n "$NS3" route add default via 10.10.1.1
printf '%s\n' "alice * secret123 *" "bob * b0bsecret *" >"$TEST_TMP/chap-secrets"
start_server server.listen=0.0.0.0:443 "server.auth=pap mschapv2" server.auth_delay=1 \
	server.auth_delay_max=2 server.auth_lockout=4 server.auth_lockout_time=6
fds=$(fd_count "$SERVER_PID")
SLOG=$TEST_TMP/server.log

# attempt NAME NS USER PASSWORD: one client run that must fail
# authentication; its duration (ms) goes to $TOOK.
attempt() {
	local name=$1 ns=$2 t0
	t0=$(date +%s%3N)
	bg "$name" ip netns exec "$ns" "$SSTPD" -c "$TEST_TMP/client.conf" -o client.auth=pap \
		-o global.ctl_socket="$TEST_TMP/$name.sock" -o client.server=$SERVER_IP \
		-o "client.user=$3" -o "client.password=$4"
	wait_pid 20 "$BG_PID"
	TOOK=$(($(date +%s%3N) - t0))
	[ "$WAIT_RC" != 0 ] || fail "$name: authenticated with $3/$4"
	grep -q 'PAP: server refused us' "$TEST_TMP/$name.log" ||
		fail "$name: not refused by PAP: $(tail -3 "$TEST_TMP/$name.log")"
}

# held USER: the hold (ms) of the server's last credential for USER, or
# "-" if it was checked at once.
last_hold() {
	local from=$1
	tail -n +"$from" "$SLOG" | grep -o "credential of user \"$2\" held [0-9]* ms" |
		tail -1 | awk '{print $(NF-1)}' | grep . || echo -
}

say "=== guessing alice's password from A"
want=(- 1000 2000 2000)
for i in 0 1 2 3; do
	from=$(($(wc -l <"$SLOG") + 1))
	attempt guess$i "$NS2" alice "wrong$i"
	expect_eq "hold before guess $i" "$(last_hold "$from" alice)" "${want[$i]}"
	[ "${want[$i]}" = - ] || [ "$TOOK" -ge "${want[$i]}" ] ||
		fail "guess $i answered after $TOOK ms, before its ${want[$i]} ms hold"
	grep -q "authentication failed: user \"alice\" from 10.10.0.2 port [0-9]* (PAP): wrong password" \
		<(tail -n +"$from" "$SLOG") || fail "guess $i: no failure line"
done

say "=== the right password, locked out"
from=$(($(wc -l <"$SLOG") + 1))
attempt right-locked "$NS2" alice secret123
grep -q 'authentication failed: user "alice" from 10.10.0.2 port [0-9]* (PAP): locked out' \
	<(tail -n +"$from" "$SLOG") || fail "alice's right password was not refused as locked out"
from=$(($(wc -l <"$SLOG") + 1))
attempt alice-from-b "$NS3" alice secret123
grep -q 'authentication failed: user "alice" from 10.10.1.2 port [0-9]* (PAP): locked out' \
	<(tail -n +"$from" "$SLOG") || fail "alice from another address was not locked out"

say "=== bob from B is not affected by alice's lockout... only by B's one failure"
bg bob ip netns exec "$NS3" "$SSTPD" -c "$TEST_TMP/client.conf" -o client.auth=pap \
	-o global.ctl_socket="$TEST_TMP/bob.sock" -o client.server=$SERVER_IP \
	-o client.user=bob -o client.password=b0bsecret
BOB=$BG_PID
wait_for 20 "bob's session up" session_up "$TEST_TMP/bob.sock"
run kill -TERM "$BOB"
wait_pid 10 "$BOB"

say "=== an unknown name, and one with a newline and a forged line in it"
from=$(($(wc -l <"$SLOG") + 1))
attempt mallory "$NS3" mallory x
grep -q 'authentication failed: user "mallory" from 10.10.1.2 port [0-9]* (PAP): unknown user' \
	<(tail -n +"$from" "$SLOG") || fail "no failure line for the unknown user"
forged=$'eve\n1796600000.000 warn: [9] authentication failed: user "x" from 6.6.6.6 port 1 (PAP): wrong password'
attempt forged "$NS3" "$forged" x
grep -q 'authentication failed: user "eve\\x0a1796600000.000 warn: \[9\] authentication failed: user \\"x\\" from 6.6.6.6 port 1 (PAP): wrong password" from 10.10.1.2' \
	"$SLOG" || fail "the forged name is not escaped: $(grep -a eve "$SLOG" | head -3)"
grep -q '^1796600000' "$SLOG" && fail "the peer's name started a log line of its own"
grep -aq $'\x1b\|\r' "$SLOG" && fail "control bytes in the log"

say "=== fail2ban finds every refusal, and only real addresses"
failures=$(grep -c "^[0-9.]* warn: \[[0-9]*\] authentication failed: user" "$SLOG")
ips=$(fail2ban-regex -o ip "$SLOG" "$FILTER" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
say "fail2ban: $ips"
expect_eq "fail2ban's matches" "$(fail2ban-regex -o ip "$SLOG" "$FILTER" | wc -l)" "$failures"
expect_eq "addresses fail2ban would ban" "$ips" "10.10.0.2=5 10.10.1.2=3 "

say "=== after auth_lockout_time without failures, alice gets in"
# Trying earlier would be a failure of its own, and extend the lockout.
last=$(date +%s%3N)
wait_for 10 "auth_lockout_time since the last failure" sh -c "[ \$(date +%s%3N) -ge $((last + 6100)) ]"
start_client alice-late client.auth=pap
wait_tunnel
run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"
echo "ok: auth throttle"
