#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Least privilege, userspace data path: sstpd started as root inside the
# sandbox its systemd unit gives it (the unit's CapabilityBoundingSet and
# NoNewPrivileges, applied with setpriv) binds :443, then runs as run_as
# with CAP_NET_ADMIN alone; the tunnel works, the client's DHCPINFORM is
# answered and its Router Advertisement arrives (sockets opened before the
# drop), and a reload still reads the certificate, key and secrets as that
# user. The client drops too.
# The unit itself passes systemd-analyze verify and its security review.
#
#   ns 1 (server)                           ns 2 (client)
#   sstpd, run_as = nobody, :443            sstpd, run_as = nobody
#   veth0 10.10.0.1/24 ──────── TLS ─────── veth0 10.10.0.2/24
. "$(dirname "$0")/lib.sh"

UNIT=$TOP/dist/sstpd.service.in
USER_NAME=nobody
GROUP_NAME=$(id -gn $USER_NAME)

setup_topology
# run_as must be able to read what a reload reads: the group, as the
# packaged /etc/sstpd is (root:sstpd, 0640). The control sockets' directory
# is the group's too, as systemd makes /run/sstpd for the unit (Group=,
# RuntimeDirectoryMode=0770): sstpd removes its socket at exit as run_as.
chgrp "$GROUP_NAME" "$TEST_TMP"
chmod 770 "$TEST_TMP"
chmod 711 "$PKI"
chgrp "$GROUP_NAME" "$PKI/server.key" "$PKI/server.crt" "$TEST_TMP/chap-secrets" "$TEST_TMP/server.conf"
chmod 640 "$PKI/server.key" "$TEST_TMP/chap-secrets"
chmod 644 "$PKI/server.crt"

say "the unit: systemd-analyze verify and its security review"
sed "s|@SBINDIR@|$TOP/build|g" "$UNIT" >"$TEST_TMP/sstpd.service"
sed "s|@SBINDIR@|$TOP/build|g" "$TOP/dist/sstpd-client@.service.in" >"$TEST_TMP/sstpd-client@vpn.service"
run systemd-analyze verify --man=no "$TEST_TMP/sstpd.service" "$TEST_TMP/sstpd-client@vpn.service"
exposure=$(systemd-analyze security --offline=yes "$TEST_TMP/sstpd.service" 2>/dev/null |
	sed -n 's/.*Overall exposure level for sstpd.service: \([0-9.]*\).*/\1/p')
echo "exposure level: $exposure"
python3 -c 'import sys; sys.exit(not (0 < float(sys.argv[1]) <= 3.0))' "${exposure:-0}" ||
	fail "the unit's exposure level is ${exposure:-unknown}, more than 3.0"

# The unit's bounding set, as setpriv writes it: -all,+net_admin,...
bset=-all
for c in $(sed -n 's/^CapabilityBoundingSet=//p' "$UNIT"); do
	c=${c#CAP_}
	bset+=",+${c,,}"
done
say "the server, in the unit's sandbox (bounding set $bset, no_new_privs)"
bg server ip netns exec "$NS1" setpriv --bounding-set "$bset" --no-new-privs \
	"$SSTPD" -c "$TEST_TMP/server.conf" -o global.run_as=$USER_NAME -o global.ipv6=yes \
	-o server.ipv6_prefix=2001:db8:77::/48
SERVER_PID=$BG_PID
wait_for 10 "server control socket" "$SSTPCTL" -s "$TEST_TMP/server.sock" list
wait_for 10 "server to listen" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :443' | grep -q LISTEN"
grep -q "running as $USER_NAME (uid $(id -u $USER_NAME)) with CAP_NET_ADMIN only" "$TEST_TMP/server.log" ||
	fail "the server did not say it dropped its privileges"
expect_dropped "$SERVER_PID" server $USER_NAME
fds=$(fd_count "$SERVER_PID")

say "a client that drops too; the tunnel works"
# The client's interface takes Router Advertisements (a tun device has no
# hardware address to make one from).
in_ns "$NS2" sysctl -qw net.ipv6.conf.default.addr_gen_mode=3 net.ipv6.conf.default.accept_ra=2
start_client client global.run_as=$USER_NAME global.ipv6=yes
wait_tunnel
expect_dropped "$CLIENT_PID" client $USER_NAME
in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
# The guard was loaded before the drop and attached after it, with
# CAP_NET_ADMIN alone.
expect_eq "source validation on the dropped server's session" \
	"$(session_field "$TEST_TMP/server.sock" guard)" on

say "DHCPINFORM answered, a Router Advertisement sent, by the dropped server"
cif=$(session_field "$TEST_TMP/client.sock" ifname)
in_ns "$NS2" python3 "$TOP/tests/host/dhcp-inform.py" "$cif" \
	"$(session_field "$TEST_TMP/client.sock" local_ip)" >"$TEST_TMP/ack.txt" ||
	fail "no DHCPACK from the server as $USER_NAME"
grep -qx "54 $TUN_SERVER_IP" "$TEST_TMP/ack.txt" || fail "not the server's DHCPACK"
wait_for 20 "an address from the server's Router Advertisement on $cif" sh -c \
	"ip -n $NS2 -6 -o addr show dev $cif scope global | grep -q 'inet6 2001:db8:77:'"

say "a reload as $USER_NAME reads the certificate, key and secrets again"
echo "bob * bobpass *" >>"$TEST_TMP/chap-secrets"
run "$SSTPCTL" -s "$TEST_TMP/server.sock" reload
grep -q "sstpctl reload: .*chap-secrets: 2 secrets" "$TEST_TMP/server.log" ||
	fail "the reload did not read the secrets"
expect_dropped "$SERVER_PID" server $USER_NAME

run kill -TERM "$CLIENT_PID"
expect_client_gone
expect_server_clean "$fds"
run kill -TERM "$SERVER_PID"
wait_pid 15 "$SERVER_PID"
expect_eq "server exit status" "$WAIT_RC" 0
[ ! -e "$TEST_TMP/server.sock" ] || fail "the server left its control socket behind"

say "run_as naming no user: refused before anything starts"
rc=0
"$SSTPD" -c "$TEST_TMP/server.conf" -o global.run_as=no-such-user-sstp >"$TEST_TMP/nouser.out" 2>&1 || rc=$?
cat "$TEST_TMP/nouser.out"
expect_eq "exit status" "$rc" 2
grep -q -- "-o global.run_as: run_as = no-such-user-sstp: no such user" "$TEST_TMP/nouser.out" ||
	fail "no reason given"
echo "ok: privileges"
