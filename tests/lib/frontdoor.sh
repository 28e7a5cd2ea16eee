# SPDX-License-Identifier: GPL-2.0-or-later
#
# The front-door scenario, for tests/host/test-front-door.sh (userspace
# data path) and tests/vm/test-front-door.sh (kernel data path): sstpd
# behind Debian's HAProxy, which shares port 443 with an HTTPS site by SNI
# and terminates TLS on a second port for sstpd's plain listener.
#
#   ns 1 (gateway)                                       ns 2 (client)
#   HAProxy 10.10.0.1:443, mode tcp, by req.ssl_sni  ◄── sstpd client (SNI vpn.sstp.test)
#     vpn.sstp.test ─► 127.0.0.1:4443 send-proxy[-v2]    curl (SNI www.sstp.test)
#     anything else ─► 127.0.0.1:8443 HTTPS site
#   HAProxy 10.10.0.1:8444 ssl crt front.pem         ◄── sstpd client, TLS ends at HAProxy
#     ─► 127.0.0.1:8080 send-proxy-v2
#   sstpd listen 127.0.0.1:4443, listen_plain 127.0.0.1:8080,
#         proxy_protocol = 127.0.0.1, listen_plain_cert = front.crt
#
# Sourced after tests/lib/sstpd.sh (and the layer's lib.sh); the caller
# runs frontdoor_test OFFLOAD (no: the host's userspace path, yes: the VM's
# kernel path).

FRONT_PORT=8444

# frontdoor_haproxy PROXY: HAProxy's configuration, "send-proxy" or
# "send-proxy-v2" towards sstpd's TLS listener; (re)started in NS1.
frontdoor_haproxy() {
	cat >"$TEST_TMP/haproxy.cfg" <<EOT
global
	log stderr format raw local0 info
defaults
	log global
	mode tcp
	option tcplog
	timeout connect 5s
	timeout client 120s
	timeout server 120s
	timeout tunnel 1h
frontend door
	bind $SERVER_IP:443
	tcp-request inspect-delay 5s
	tcp-request content accept if { req.ssl_hello_type 1 }
	use_backend sstp if { req.ssl_sni -i $SERVER_NAME }
	default_backend web
backend sstp
	server sstpd 127.0.0.1:4443 $1
backend web
	server site 127.0.0.1:8443
frontend site
	mode http
	option httplog
	bind 127.0.0.1:8443 ssl crt $PKI/www.pem
	http-request return status 200 content-type text/plain string "the web site"
frontend terminator
	bind $SERVER_IP:$FRONT_PORT ssl crt $PKI/front.pem
	default_backend sstp_plain
backend sstp_plain
	server sstpd 127.0.0.1:8080 send-proxy-v2
EOT
	[ -n "${HAPROXY_PID:-}" ] && { kill "$HAPROXY_PID"; wait_pid 10 "$HAPROXY_PID"; }
	run haproxy -c -f "$TEST_TMP/haproxy.cfg" >/dev/null
	bg haproxy ip netns exec "$NS1" haproxy -db -f "$TEST_TMP/haproxy.cfg"
	HAPROXY_PID=$BG_PID
	wait_for 10 "HAProxy to listen" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :$FRONT_PORT' | grep -q LISTEN"
}

# frontdoor_session SOCK: the one session sstpctl lists, as JSON.
frontdoor_session() {
	"$SSTPCTL" -s "$1" --json list | python3 -c 'import json, sys
s = json.load(sys.stdin); assert len(s) == 1, s; print(json.dumps(s[0]))'
}

# frontdoor_field JSON KEY
frontdoor_field() {
	python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"
}

# frontdoor_stat NAME LABELS: one value of sstpctl metrics.
frontdoor_stat() {
	"$SSTPCTL" -s "$TEST_TMP/server.sock" metrics | awk -v k="$1$2" '$1 == k {print $2}'
}

# frontdoor_stat_is NAME LABELS WANT (for wait_for)
frontdoor_stat_is() {
	[ "$(frontdoor_stat "$1" "$2")" = "$3" ]
}

# frontdoor_client NAME SERVER [-o k=v...]: a client through the door; its
# session on both sides is up, ping passes, the server's session names the
# client's real address and HAProxy as the front end.
frontdoor_client() {
	local name=$1 server=$2 json peer
	shift 2
	start_client "$name" client.server="$server" "$@"
	wait_tunnel
	in_ns "$NS2" ping -c 3 -i 0.2 -W 5 $TUN_SERVER_IP
	json=$(frontdoor_session "$TEST_TMP/server.sock")
	echo "server session: $json"
	peer=$(frontdoor_field "$json" peer)
	[ "${peer%:*}" = "$CLIENT_IP" ] || fail "sstpctl peer is $peer, not the client $CLIENT_IP"
	expect_eq "front end" "$(frontdoor_field "$json" front_end | cut -d: -f1)" 127.0.0.1
	grep -q "client $CLIENT_IP:[0-9]* via front end 127.0.0.1:[0-9]* (PROXY v" \
		"$TEST_TMP/server.log" || fail "no log line with the client's real address"
	FD_JSON=$json
}

frontdoor_end_client() {
	run kill -TERM "$CLIENT_PID"
	expect_client_gone
	expect_eq "client exit status" "$WAIT_RC" 0
	wait_for 15 "server session gone" sh -c "[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 0 ]"
}

# frontdoor_test OFFLOAD
frontdoor_test() {
	local offload=$1 want_path=user v ver before code fds=
	[ "$offload" = yes ] && want_path=kernel
	command -v haproxy >/dev/null || fail "no haproxy (make deps)"
	setup_topology
	make_cert www www.sstp.test "DNS:www.sstp.test"
	# The terminator has a certificate of its own, for the same name.
	make_cert front "$SERVER_NAME" "DNS:$SERVER_NAME,IP:$SERVER_IP"
	cat >>"$TEST_TMP/server.conf" <<EOT
proxy_protocol = 127.0.0.1
listen_plain = 127.0.0.1:8080
listen_plain_cert = $PKI/front.crt
EOT
	sed -i "s/^listen = .*/listen = 127.0.0.1:4443/" "$TEST_TMP/server.conf"

	for v in send-proxy send-proxy-v2; do
		say "HAProxy on :443 by SNI, $v to sstpd's TLS listener"
		frontdoor_haproxy $v
		if [ -z "${SERVER_PID:-}" ]; then
			bg server ip netns exec "$NS1" "$SSTPD" -c "$TEST_TMP/server.conf" \
				-o global.offload="$offload"
			SERVER_PID=$BG_PID
			wait_for 10 "server control socket" "$SSTPCTL" -s "$TEST_TMP/server.sock" list
			wait_for 10 "server to listen" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :4443' | grep -q LISTEN"
			fds=$(fd_count "$SERVER_PID")
		fi
		frontdoor_client "client-$v" "$SERVER_IP:443" global.offload="$offload"
		expect_eq "data path" "$(frontdoor_field "$FD_JSON" data_path)" "$want_path"
		ver=1
		[ $v = send-proxy-v2 ] && ver=2
		grep -q "(PROXY v$ver" "$TEST_TMP/server.log" ||
			fail "the server did not log a PROXY v$ver header"
		if [ "$offload" = yes ]; then
			# The PROXY bytes were read before TLS: sstp.ko's stream
			# starts at a TLS record and has nothing malformed.
			expect_eq "server rx_dropped" "$(frontdoor_field "$FD_JSON" rx_dropped)" 0
		fi
		frontdoor_end_client
	done

	say "the HTTPS site on the same port, by SNI"
	in_ns "$NS2" curl -sS --cacert "$PKI/ca.crt" --resolve "www.sstp.test:443:$SERVER_IP" \
		-o "$TEST_TMP/site.out" https://www.sstp.test/
	expect_eq "the web site" "$(cat "$TEST_TMP/site.out")" "the web site"

	say "a request that is not SSTP, to sstpd by its SNI: a plain HTTP answer"
	code=$(ip netns exec "$NS2" curl -sS --cacert "$PKI/ca.crt" -o /dev/null -w '%{http_code}' \
		--resolve "$SERVER_NAME:443:$SERVER_IP" "https://$SERVER_NAME/")
	expect_eq "answer to GET / through the door" "$code" 405

	# What the accept path and the crypto binding decide is the same on
	# either data path: the host's run checks it, the VM's saves the time.
	if [ "$offload" = no ]; then
		say "a connection from the front end's address without a PROXY header is refused"
		before=$(frontdoor_stat sstpd_handshake_failures_total '{reason="proxy_protocol"}')
		in_ns "$NS1" timeout 10 openssl s_client -connect 127.0.0.1:4443 </dev/null \
			>"$TEST_TMP/nohdr.out" 2>&1 && fail "a TLS handshake without the PROXY header passed"
		wait_for 10 "the refusal counted" frontdoor_stat_is sstpd_handshake_failures_total \
			'{reason="proxy_protocol"}' $((before + 1))
		grep -q 'no valid PROXY header from front end 127.0.0.1' "$TEST_TMP/server.log" ||
			fail "the server did not say why it refused"
	fi

	say "TLS terminated by HAProxy, plain HTTP to listen_plain: the userspace data path"
	frontdoor_client client-plain "$SERVER_IP:$FRONT_PORT" global.offload="$offload"
	expect_eq "data path" "$(frontdoor_field "$FD_JSON" data_path)" user
	expect_eq "server's tls" "$(frontdoor_field "$FD_JSON" tls)" "at the front end"
	grep -q 'data path: userspace (plain listener: TLS ends at the front end' \
		"$TEST_TMP/server.log" || fail "no data path line for the plain listener"
	frontdoor_end_client

	if [ "$offload" = no ]; then
		say "listen_plain_cert that is not the terminator's: the crypto binding fails"
		before=$(frontdoor_stat sstpd_auth_failures_total '{reason="crypto_binding"}')
		sed -i "s|^listen_plain_cert = .*|listen_plain_cert = $PKI/server.crt|" "$TEST_TMP/server.conf"
		run "$SSTPCTL" -s "$TEST_TMP/server.sock" reload
		start_client client-badbinding client.server="$SERVER_IP:$FRONT_PORT" global.offload="$offload"
		expect_client_gone
		[ "$WAIT_RC" != 0 ] || fail "a client got in with the binding checked against the wrong certificate"
		grep -q 'session down: SSTP aborted.*certificate hash mismatch' "$TEST_TMP/server.log" ||
			fail "the server did not abort the call for the certificate hash"
		expect_eq "crypto binding failures" \
			"$(frontdoor_stat sstpd_auth_failures_total '{reason="crypto_binding"}')" $((before + 1))
	fi

	say "nothing left behind"
	expect_server_clean "$fds"
	run kill -TERM "$SERVER_PID"
	wait_pid 15 "$SERVER_PID"
	expect_eq "server exit status" "$WAIT_RC" 0
}
