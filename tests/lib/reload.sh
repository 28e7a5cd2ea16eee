# SPDX-License-Identifier: GPL-2.0-or-later
#
# The live-reload scenario, for tests/host/test-reload.sh (userspace data
# path) and tests/vm/test-reload.sh (kernel data path): the server's
# certificate is renewed while iperf3 runs through a session.
#
#   ns 2 (client 1)                 ns 1 (server, listen 0.0.0.0:443)          ns 3 (client 2)
#   veth0 10.10.0.2 ── iperf3 ──►   veth0 10.10.0.1        vc3 10.10.3.1  ◄──  veth0 10.10.3.2
#   sstpd client, cert A seen       sstpd: cert A, then B                      sstpd client, cert B seen
#
# 1. sstpd --check passes the configuration, and names file:line for a
#    private key open to everyone; --version on both programs.
# 2. During the iperf3: the certificate and key files are replaced and
#    sstpctl reload takes them (first, while the iperf3 surely runs: under
#    a loaded machine's emulation each reload takes seconds); then a new
#    configuration with an error is refused (SIGHUP: a log line; sstpctl
#    reload: exit 1 with file:line) and the running one stays.
# 3. The iperf3 finishes with every byte; the session is the same one,
#    still connected; a new client sees certificate B and connects too.

# reload_stat NAME LABELS: one value of sstpctl metrics.
reload_stat() {
	"$SSTPCTL" -s "$TEST_TMP/server.sock" metrics | awk -v k="$1$2" '$1 == k {print $2}'
}

# reload_test OFFLOAD
reload_test() {
	local offload=$1 want_path=user fp_a fp_b id ipid out rc n v
	[ "$offload" = yes ] && want_path=kernel

	setup_topology
	new_ns NS3 3
	ip link add vc3 netns "$NS1" type veth peer name veth0 netns "$NS3"
	ip -n "$NS1" addr add 10.10.3.1/24 dev vc3
	ip -n "$NS3" addr add 10.10.3.2/24 dev veth0
	ip -n "$NS1" link set vc3 up
	ip -n "$NS3" link set veth0 up
	sed -i "s/^listen = .*/listen = 0.0.0.0:443/" "$TEST_TMP/server.conf"
	sed -i "s/^\[global\]/[global]\noffload = $offload/" "$TEST_TMP/server.conf"
	sed -i "s/^log_level = debug/log_level = info/" "$TEST_TMP/server.conf"
	cp "$TEST_TMP/server.conf" "$TEST_TMP/server.conf.good"

	say "1. --version, --check"
	# The release, and from a git checkout what git says of it.
	v=$("$SSTPD" --version)
	case $v in "sstpd $(cat "$TOP/VERSION")" | "sstpd $(cat "$TOP/VERSION")+git."*) ;;
	*) fail "sstpd --version: '$v', not release $(cat "$TOP/VERSION")" ;; esac
	expect_eq "sstpctl --version" "$("$SSTPCTL" --version)" "sstpctl ${v#sstpd }"
	run "$SSTPD" --check -c "$TEST_TMP/server.conf" | tee "$TEST_TMP/check.out"
	grep -q "server.conf: configuration is valid" "$TEST_TMP/check.out" || fail "--check said nothing"
	chmod 644 "$PKI/server.key"
	rc=0
	"$SSTPD" --check -c "$TEST_TMP/server.conf" >"$TEST_TMP/check.out" 2>&1 || rc=$?
	chmod 600 "$PKI/server.key"
	cat "$TEST_TMP/check.out"
	expect_eq "--check exit status, key open to everyone" "$rc" 2
	n=$(grep -n '^key = ' "$TEST_TMP/server.conf" | cut -d: -f1)
	grep -qF "server.conf:$n: key: $PKI/server.key is readable by everyone (mode 0644)" \
		"$TEST_TMP/check.out" || fail "--check did not name the key's file:line"

	start_server
	fds=$(fd_count "$SERVER_PID")
	start_client client1 global.offload="$offload"
	wait_tunnel
	expect_eq "data path" "$(session_field "$TEST_TMP/server.sock" data_path)" "$want_path"
	id=$(session_field "$TEST_TMP/server.sock" id)
	fp_a=$(served_fingerprint "$NS3" 10.10.3.1:443 "$SERVER_NAME")
	expect_eq "certificate served at start" "$fp_a" "$(cert_fingerprint "$PKI/server.crt")"

	say "2. iperf3 through the tunnel; the configuration changes under it"
	# The renewed certificate is made first: under QEMU's emulation that
	# takes seconds of the iperf3's time.
	make_cert renewed "$SERVER_NAME" "DNS:$SERVER_NAME,IP:$SERVER_IP"
	bg iperf ip netns exec "$NS1" iperf3 -s -1 -B $TUN_SERVER_IP -J
	ipid=$BG_PID
	wait_for 10 "iperf3 server" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :5201' | grep -q LISTEN"
	bg iperf-client ip netns exec "$NS2" iperf3 -c $TUN_SERVER_IP -t 12 -f m
	local icpid=$BG_PID
	wait_for 10 "data through the tunnel" sh -c \
		"[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -o '\"rx_bytes\": [0-9]*' | awk '{print \$2}') -gt 1000000 ]"

	say "   the certificate renewed: new key, new certificate, same files"
	cp "$PKI/renewed.crt" "$PKI/server.crt"
	cp "$PKI/renewed.key" "$PKI/server.key"
	run "$SSTPCTL" -s "$TEST_TMP/server.sock" reload
	kill -0 "$icpid" 2>/dev/null || fail "iperf3 ended before the reload: not during it"

	say "   a broken configuration: refused, the running one stays"
	printf '[server]\nlisten_plain = 127.0.0.1:8080\n' >>"$TEST_TMP/server.conf"
	n=$(grep -n '^listen_plain = ' "$TEST_TMP/server.conf" | cut -d: -f1)
	run kill -HUP "$SERVER_PID"
	wait_for 10 "SIGHUP refused" grep -q "SIGHUP: reload refused, the running configuration stays: .*server.conf:$n: listen_plain: needs listen_plain_cert" "$TEST_TMP/server.log"
	rc=0
	out=$("$SSTPCTL" -s "$TEST_TMP/server.sock" reload 2>&1) || rc=$?
	echo "$out"
	expect_eq "sstpctl reload exit status, broken configuration" "$rc" 1
	grep -qF "server.conf:$n: listen_plain: needs listen_plain_cert" <<<"$out" ||
		fail "sstpctl reload did not name file:line"
	cp "$TEST_TMP/server.conf.good" "$TEST_TMP/server.conf"
	chmod 604 "$PKI/server.key"
	rc=0
	"$SSTPCTL" -s "$TEST_TMP/server.sock" reload >"$TEST_TMP/reload.out" 2>&1 || rc=$?
	chmod 600 "$PKI/server.key"
	cat "$TEST_TMP/reload.out"
	expect_eq "sstpctl reload exit status, key open to everyone" "$rc" 1

	say "3. the session carried on; a new client sees the new certificate"
	wait_pid 40 "$icpid"
	expect_eq "iperf3 client" "$WAIT_RC" 0
	wait_pid 20 "$ipid"
	expect_eq "iperf3 server" "$WAIT_RC" 0
	python3 -c 'import json, sys
e = json.load(open(sys.argv[1]))["end"]
assert e["sum_received"]["bytes"] > 0 and e["sum_received"]["seconds"] > 11, e["sum_received"]
print("ok: iperf3 received", e["sum_received"]["bytes"], "bytes in", e["sum_received"]["seconds"], "s")' \
		"$TEST_TMP/iperf.log"
	expect_eq "session id after the reload" "$(session_field "$TEST_TMP/server.sock" id)" "$id"
	session_up "$TEST_TMP/server.sock" || fail "the session is not up after the reload"
	in_ns "$NS2" ping -c 2 -i 0.2 -W 5 $TUN_SERVER_IP
	fp_b=$(served_fingerprint "$NS3" 10.10.3.1:443 "$SERVER_NAME")
	expect_eq "certificate served after the reload" "$fp_b" "$(cert_fingerprint "$PKI/renewed.crt")"
	[ "$fp_a" != "$fp_b" ] || fail "the certificate did not change"
	bg client2 ip netns exec "$NS3" "$SSTPD" -c "$TEST_TMP/client.conf" \
		-o client.server=10.10.3.1 -o global.ctl_socket="$TEST_TMP/client2.sock" \
		-o global.offload="$offload"
	local c2=$BG_PID
	wait_for 20 "second client up" session_up "$TEST_TMP/client2.sock"
	in_ns "$NS3" ping -c 2 -i 0.2 -W 5 $TUN_SERVER_IP
	expect_eq "server sessions" "$(sessions "$TEST_TMP/server.sock")" 2
	expect_eq "reloads ok" "$(reload_stat sstpd_reloads_total '{result="ok"}')" 1
	expect_eq "reloads refused" "$(reload_stat sstpd_reloads_total '{result="refused"}')" 3

	run kill -TERM "$c2" "$CLIENT_PID"
	wait_pid 15 "$c2"
	expect_client_gone
	expect_server_clean "$fds"
}
