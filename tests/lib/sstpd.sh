# SPDX-License-Identifier: GPL-2.0-or-later
#
# sstpd helpers for end-to-end tests, host or VM (sourced after
# tests/lib/netns.sh): a throw-away CA and server certificate, config files,
# starting a server and a client in their namespaces, and the checks every
# teardown must pass (no session left in sstpctl, no tun device, no leaked
# fd).

SSTPD=${SSTPD:-$TOP/build/sstpd}
SSTPCTL=${SSTPCTL:-$TOP/build/sstpctl}

SERVER_IP=10.10.0.1
CLIENT_IP=10.10.0.2
TUN_SERVER_IP=192.168.99.1
SERVER_NAME=vpn.sstp.test

# new_ns VAR N: create namespace $NS_PREFIX-N into $VAR and record it for
# cleanup here, in this shell (ns_new's own record is lost when it runs in
# a $(...) subshell).
new_ns() {
	local _new_ns_name
	_new_ns_name=$(ns_new "$2")
	_NSS+=("$_new_ns_name")
	printf -v "$1" '%s' "$_new_ns_name"
}

# make_pki: CA, and a server certificate for $SERVER_NAME and $SERVER_IP.
# A config of its own: the VM guest has no /etc/ssl/openssl.cnf.
make_pki() {
	local d=$TEST_TMP/pki
	mkdir -p "$d"
	printf '[req]\ndistinguished_name = dn\n[dn]\n' >"$d/openssl.cnf"
	printf 'subjectAltName=DNS:%s,IP:%s\nextendedKeyUsage=serverAuth\n' \
		"$SERVER_NAME" "$SERVER_IP" >"$d/ext.cnf"
	{
		openssl req -config "$d/openssl.cnf" -x509 -newkey ec \
			-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" \
			-out "$d/ca.crt" -days 2 -subj "/CN=sstp test CA" &&
		openssl req -config "$d/openssl.cnf" -newkey ec \
			-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/server.key" \
			-out "$d/server.csr" -subj "/CN=$SERVER_NAME" &&
		openssl x509 -req -in "$d/server.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -out "$d/server.crt" -days 2 -extfile "$d/ext.cnf"
	} >"$d/openssl.log" 2>&1 || fail "could not make the test certificates: $(cat "$d/openssl.log")"
	PKI=$d
}

# make_client_cert CN: $PKI/CN.crt and $PKI/CN.key, signed by the test CA
# (EAP-TLS).
make_client_cert() {
	local d=$PKI
	printf 'extendedKeyUsage=clientAuth\n' >"$d/client-ext.cnf"
	{
		openssl req -config "$d/openssl.cnf" -newkey ec \
			-pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/$1.key" \
			-out "$d/$1.csr" -subj "/CN=$1" &&
		openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" \
			-CAcreateserial -out "$d/$1.crt" -days 2 -extfile "$d/client-ext.cnf"
	} >>"$d/openssl.log" 2>&1 || fail "could not make a client certificate: $(tail -5 "$d/openssl.log")"
}

# write_server_conf [KEY=VALUE...]: $TEST_TMP/server.conf; extra
# "section.key=value" words are passed as -o by start_server instead.
write_server_conf() {
	printf '%s\n' "alice * secret123 *" >"$TEST_TMP/chap-secrets"
	cat >"$TEST_TMP/server.conf" <<EOT
[global]
mode = server
ctl_socket = $TEST_TMP/server.sock
log_level = debug
[server]
listen = $SERVER_IP:443
cert = $PKI/server.crt
key = $PKI/server.key
local_ip = $TUN_SERVER_IP
pool = 192.168.99.10-192.168.99.20
chap_secrets = $TEST_TMP/chap-secrets
auth = mschapv2
EOT
}

write_client_conf() {
	cat >"$TEST_TMP/client.conf" <<EOT
[global]
mode = client
ctl_socket = $TEST_TMP/client.sock
log_level = debug
[client]
server = $SERVER_IP:443
sni = $SERVER_NAME
ca = $PKI/ca.crt
user = alice
password = secret123
EOT
}

# setup_topology: two namespaces joined by a veth, PKI and configs.
setup_topology() {
	new_ns NS1 1
	new_ns NS2 2
	veth_link "$NS1" $SERVER_IP/24 "$NS2" $CLIENT_IP/24
	make_pki
	write_server_conf
	write_client_conf
}

# start_server [-o k=v...]: sstpd server in NS1; PID in SERVER_PID.
start_server() {
	local o=() a
	for a in "$@"; do o+=(-o "$a"); done
	bg server ip netns exec "$NS1" "$SSTPD" -c "$TEST_TMP/server.conf" "${o[@]}"
	SERVER_PID=$BG_PID
	wait_for 10 "server control socket" "$SSTPCTL" -s "$TEST_TMP/server.sock" list
	wait_for 10 "server to listen" sh -c "ip netns exec $NS1 ss -Hltn 'sport = :443' | grep -q LISTEN"
}

# start_client NAME [-o k=v...]: sstpd client in NS2; PID in CLIENT_PID.
start_client() {
	local name=$1 o=() a
	shift
	for a in "$@"; do o+=(-o "$a"); done
	bg "$name" ip netns exec "$NS2" "$SSTPD" -c "$TEST_TMP/client.conf" "${o[@]}"
	CLIENT_PID=$BG_PID
	CLIENT_LOG=$TEST_TMP/$name.log
}

# start_sstpc NAME NS [LOG_LEVEL [PPPD_OPTION...]]: Debian's sstpc + pppd in
# NS as a client of our server at SERVER_IP (alice, MS-CHAPv2 only, no
# compression, and the extra pppd options), pppd in the foreground under
# sstpc; PID in SSTPC_PID, log in NAME.log.
start_sstpc() {
	local name=$1 ns=$2 level=${3:-1}
	shift $(($# < 3 ? $# : 3))
	bg "$name" ip netns exec "$ns" sstpc --log-stderr --log-level "$level" \
		--ca-cert "$PKI/ca.crt" --user alice --password secret123 "$SERVER_IP" \
		noauth nodefaultroute noipdefault refuse-pap refuse-chap refuse-mschap \
		refuse-eap noccp nobsdcomp nodeflate novj nodetach "$@"
	SSTPC_PID=$BG_PID
}

# sessions SOCK: how many sessions sstpctl lists.
sessions() {
	"$SSTPCTL" -s "$1" --json list | grep -c '"id":' || true
}

# session_up SOCK: a session is there with IPv4 up (an interface and a peer address).
session_up() {
	"$SSTPCTL" -s "$1" --json list | grep '"call": "Call_Connected"' |
		grep -q '"peer_ip": "[0-9]'
}

tun_count() {
	ip -n "$1" -o link show | grep -c ': sstp' || true
}

fd_count() {
	ls "/proc/$1/fd" | wc -l
}

# wait_tunnel: both sides report the session up.
wait_tunnel() {
	wait_for 20 "server session up" session_up "$TEST_TMP/server.sock"
	wait_for 20 "client session up" session_up "$TEST_TMP/client.sock"
}

# expect_server_clean FDS: no session, no tun device, fd count back to FDS.
expect_server_clean() {
	local fds=$1
	wait_for 15 "server sessions to drop to 0" sh -c \
		"[ \$('$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -c '\"id\":') = 0 ]"
	expect_eq "server sessions" "$(sessions "$TEST_TMP/server.sock")" 0
	wait_for 5 "server tun device gone" sh -c "! ip -n $NS1 -o link show | grep -q ': sstp'"
	expect_eq "server tun devices" "$(tun_count "$NS1")" 0
	wait_for 5 "server fds back to $fds" sh -c "[ \$(ls /proc/$SERVER_PID/fd | wc -l) = $fds ]"
	expect_eq "server fds" "$(fd_count "$SERVER_PID")" "$fds"
}

expect_client_gone() {
	wait_pid 15 "$CLIENT_PID"
	expect_eq "client tun devices" "$(tun_count "$NS2")" 0
}

# session_field SOCK KEY: one value from sstpctl --json list (first session).
session_field() {
	"$SSTPCTL" -s "$1" --json list | grep -o "\"$2\": \"\\?[^\",}]*" | head -1 |
		sed 's/.*: "\?//'
}

# if_addrs NS IF FAMILY: the addresses (4 or 6) on an interface, one a line.
if_addrs() {
	ip -n "$1" -"$3" -o addr show dev "$2" | awk '{print $4}'
}
