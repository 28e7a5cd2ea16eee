# SPDX-License-Identifier: GPL-2.0-or-later
#
# FreeRADIUS (Debian's freeradius 3.2) as the RADIUS server of end-to-end
# tests, sourced after tests/lib/sstpd.sh: a configuration of its own in
# $TEST_TMP/raddb (PAP, CHAP, MS-CHAPv2 with MPPE keys, EAP with
# EAP-MSCHAPv2, PEAP and EAP-TLS on the test PKI of tests/lib/sstpd.sh, a
# users file, accounting to a detail file), started in the foreground in a namespace
# and recorded for cleanup like everything else.

FREERADIUS=${FREERADIUS:-$(command -v freeradius || echo /usr/sbin/freeradius)}
RADIUS_SECRET=${RADIUS_SECRET:-s3cr3t-radius}

# make_raddb ADDR USERS-FILE-TEXT [CLIENT-EXTRA]: $TEST_TMP/raddb, listening
# on ADDR (auth 1812, acct 1813, dynamic-authorization clients none),
# trusting 0.0.0.0/0 with $RADIUS_SECRET. CLIENT-EXTRA goes into the client
# section (e.g. "require_message_authenticator = yes").
make_raddb() {
	local addr=$1 users=$2 extra=${3:-} d=$TEST_TMP/raddb
	mkdir -p "$d/acct"
	printf '%s\n' "$users" >"$d/users"
	cat >"$d/radiusd.conf" <<EOT
prefix = /usr
exec_prefix = /usr
sysconfdir = /etc
localstatedir = /var
sbindir = /usr/sbin
raddbdir = $d
confdir = \${raddbdir}
modconfdir = \${confdir}
logdir = \${raddbdir}
run_dir = \${raddbdir}
db_dir = \${raddbdir}
libdir = /usr/lib/freeradius
pidfile = \${run_dir}/radiusd.pid
radacctdir = \${raddbdir}/acct
name = freeradius
max_request_time = 30
cleanup_delay = 5
max_requests = 1024
hostname_lookups = no
log {
	destination = stdout
	auth = yes
}
security {
	allow_core_dumps = no
	max_attributes = 200
	reject_delay = 0
	status_server = yes
}
thread pool {
	start_servers = 1
	max_servers = 2
	min_spare_servers = 1
	max_spare_servers = 2
	max_requests_per_server = 0
}
client sstpd {
	ipaddr = 0.0.0.0/0
	secret = $RADIUS_SECRET
	$extra
}
modules {
	pap {
	}
	chap {
	}
	mschap {
		use_mppe = yes
		require_encryption = no
		require_strong = no
	}
	files {
		filename = \${raddbdir}/users
	}
	eap {
		default_eap_type = mschapv2
		timer_expire = 60
		ignore_unknown_eap_types = no
		max_sessions = 64
		mschapv2 {
			send_error = no
		}
		tls-config tls-common {
			private_key_file = $PKI/server.key
			certificate_file = $PKI/server.crt
			ca_file = $PKI/ca.crt
			cipher_list = "DEFAULT"
			ecdh_curve = "prime256v1"
			tls_min_version = "1.2"
			tls_max_version = "1.2"
		}
		tls {
			tls = tls-common
		}
		peap {
			tls = tls-common
			default_eap_type = mschapv2
			virtual_server = "inner-tunnel"
		}
	}
	detail {
		filename = \${radacctdir}/detail
		header = "%t"
		permissions = 0600
	}
}
server default {
	listen {
		type = auth
		ipaddr = $addr
		port = 1812
	}
	listen {
		type = acct
		ipaddr = $addr
		port = 1813
	}
	authorize {
		chap
		mschap
		eap {
			ok = return
		}
		files
		pap
	}
	authenticate {
		Auth-Type PAP {
			pap
		}
		Auth-Type CHAP {
			chap
		}
		Auth-Type MS-CHAP {
			mschap
		}
		Auth-Type EAP {
			eap
		}
	}
	preacct {
	}
	accounting {
		detail
	}
	post-auth {
	}
}
server inner-tunnel {
	authorize {
		mschap
		eap {
			ok = return
		}
		files
	}
	authenticate {
		Auth-Type MS-CHAP {
			mschap
		}
		Auth-Type EAP {
			eap
		}
	}
}
EOT
	RADDB=$d
	RADIUS_DETAIL=$d/acct/detail
}

# radius_link NS-SERVER NS-RADIUS: a veth "rad0" between sstpd's namespace
# (10.20.0.1/24) and FreeRADIUS' (10.20.0.3/24).
radius_link() {
	ip link add rad0 netns "$1" type veth peer name rad0 netns "$2"
	ip -n "$1" addr add 10.20.0.1/24 dev rad0
	ip -n "$2" addr add 10.20.0.3/24 dev rad0
	ip -n "$1" link set rad0 up
	ip -n "$2" link set rad0 up
}

# start_radius NS: FreeRADIUS in NS on $RADDB, in the foreground, debug
# output to radius.log; PID in RADIUS_PID; waits until it answers.
start_radius() {
	"$FREERADIUS" -C -d "$RADDB" >"$TEST_TMP/radius-check.log" 2>&1 ||
		fail "FreeRADIUS refuses the test configuration: $(tail -5 "$TEST_TMP/radius-check.log")"
	bg radius ip netns exec "$1" "$FREERADIUS" -f -xx -l stdout -d "$RADDB"
	RADIUS_PID=$BG_PID
	wait_for 20 "FreeRADIUS to be ready" grep -q 'Ready to process requests' "$TEST_TMP/radius.log"
}

# acct_records STATUS: how many accounting records of that Acct-Status-Type
# (Start, Stop, Interim-Update) the detail file holds.
acct_records() {
	[ -e "$RADIUS_DETAIL" ] || { echo 0; return; }
	grep -c "Acct-Status-Type = $1\$" "$RADIUS_DETAIL" || true
}

# acct_last STATUS ATTR: the value of ATTR in the last record of that type.
acct_last() {
	awk -v st="$1" -v at="$2" '
		/^[A-Z][a-z][a-z] / { if (rec ~ ("Acct-Status-Type = " st "\n")) last = rec; rec = ""; next }
		{ rec = rec $0 "\n" }
		END { if (rec ~ ("Acct-Status-Type = " st "\n")) last = rec; print last }' "$RADIUS_DETAIL" |
		awk -v at="$2" '$1 == at { $1 = ""; $2 = ""; sub(/^  */, ""); gsub(/"/, ""); print; exit }'
}

# dae_setup [SERVER-OPTION...]: the topology of the dynamic-authorization
# tests: FreeRADIUS in ns 3 (10.20.0.3, linked to ns 1) with alice
# (Framed-IP-Address 192.168.99.77, Mikrotik-Rate-Limit 2M/8M), and the
# server using it, its DAE listener on 10.20.0.1:3799.
dae_setup() {
	setup_topology
	new_ns NS3 3
	radius_link "$NS1" "$NS3"
	make_raddb 10.20.0.3 'alice	Cleartext-Password := "secret123"
	Framed-IP-Address = 192.168.99.77,
	Mikrotik-Rate-Limit = "2M/8M"'
	start_radius "$NS3"
	start_server "radius.auth_servers=10.20.0.3" "radius.secret=$RADIUS_SECRET" \
		radius.dae_listen=10.20.0.1:3799 "$@"
}

# dae NS TYPE SECRET ATTRS...: one request by radclient (one try, 2 s) to
# the server's DAE listener; its output in $DAE_OUT.
dae() {
	local ns=$1 type=$2 secret=$3
	shift 3
	printf '+ [%s] radclient %s: %s\n' "${ns#"$NS_PREFIX"-}" "$type" "$*"
	DAE_OUT=$(printf '%s\n' "$@" | ip netns exec "$ns" radclient -x -r 1 -t 2 \
		10.20.0.1:3799 "$type" "$secret" 2>&1 || true)
	printf '%s\n' "$DAE_OUT" | sed 's/^/    /'
}
