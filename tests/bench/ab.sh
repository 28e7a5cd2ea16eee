# SPDX-License-Identifier: GPL-2.0-or-later
#
# Latency under load, and the A/B of the kernel data path's techniques
# (sourced by tests/bench/run.sh in the guest, after its helpers).

# latency_run NAME FILE: the sstpd tunnel that is up (client in CLI, server
# at 192.168.99.1 in SRV): ten pings idle, then 25 pings during a saturating
# single-stream upload. Appends to FILE:
#   name idle_median loaded_median loaded_p90 answered upload_mbps
latency_run() {
	local name=$1 file=$2 idle loaded up mbps im lm lp ln
	idle=$(mktemp) loaded=$(mktemp) up=$(mktemp)
	ip netns exec "$CLI" ping -c 10 -i 0.2 -W 2 192.168.99.1 >"$idle" || true
	timeout $((SECS + 60)) ip netns exec "$SRV" iperf3 -s -1 -B 192.168.99.1 >/dev/null 2>&1 &
	local spid=$!
	wait_for 10 "iperf3 server" ip netns exec "$SRV" ss -Hltn 'sport = :5201'
	timeout $((SECS + 50)) ip netns exec "$CLI" iperf3 -c 192.168.99.1 -t $((SECS + 2)) \
		--forceflush -f m >"$up" 2>&1 &
	local cpid=$!
	# past slow start: the first interval report is out
	wait_for 20 "the upload to run" grep -q ' sec ' "$up"
	ip netns exec "$CLI" ping -c 25 -i 0.2 -W 2 192.168.99.1 >"$loaded" || true
	wait $cpid || true
	wait $spid || true
	mbps=$(awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Mbits/sec") v = $i } END { print v + 0 }' "$up")
	read -r im _ _ < <(rtt_stats "$idle")
	read -r lm lp ln < <(rtt_stats "$loaded")
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$im" "$lm" "$lp" "$ln" "$mbps" |
		tee -a "$file"
	rm -f "$idle" "$loaded" "$up"
}

# The daemon pair on the kernel path (sstp_kd's cipher), the client's extra
# -o words after the case name; latency_run, then down.
kd_latency() {
	local name=$1 opts
	shift
	load sstp
	server_up yes sstp_kd
	read -r _ opts <<<"$(sstpd_tls sstp_kd)"
	# shellcheck disable=SC2086 # opts: one -o word each
	start_client "cli-$name" global.log_level=info global.offload=yes $opts "$@"
	wait_tunnel
	latency_run "$name" "$OUTD/latency.tsv"
	case_down sstp_kd
}

run_latency() {
	kd_latency sstp_kd
	kd_latency sstp_kd_1400 global.mtu=1400
	server_up no sstp_user
	local opts
	read -r _ opts <<<"$(sstpd_tls sstp_user)"
	# shellcheck disable=SC2086 # opts: one -o word each
	start_client cli-user-lat global.log_level=info $opts
	wait_tunnel
	latency_run sstp_user "$OUTD/latency.tsv"
	case_down sstp_user
}

# Features and knobs of the v2 data path, for one A/B step.
# ab_knobs SPLICE NOTSENT_LOWAT: the module's debugfs knobs (new sessions).
ab_knobs() {
	echo "$1" >/sys/kernel/debug/sstp/tx_splice
	echo "$2" >/sys/kernel/debug/sstp/tcp_notsent_lowat
}

# ab_dev GRO GSO: both tunnel devices (on|off each). BQL stays on in
# every step: on 6.12 (the bench's guest) a lockless-TX device has no
# byte_queue_limits in sysfs to turn it off with.
ab_dev() {
	local ns dev
	for ns in "$SRV" "$CLI"; do
		for dev in $(ip -n "$ns" -o link show type sstp | awk -F': ' '{ print $2 }'); do
			ip netns exec "$ns" ethtool -K "$dev" gro "$1" tso "$2" gso "$2" >/dev/null
		done
	done
}

# ab_step NAME: both directions (throughput, CPU per byte) and latency of
# the sstpd pair that is up; rows go to $OUTD/ab.tsv and ab-latency.tsv.
ab_step() {
	local dir
	for dir in fwd rev; do
		say "ab: $1, $dir"
		RESULTS=$OUTD/ab.tsv measure "$1" 1 "$dir" case_sstp_kd 1 "$dir" || true
	done
	latency_run "$1" "$OUTD/ab-latency.tsv"
}

# ab_pair MTU: the sstpd pair on the kernel path, client mtu MTU.
ab_pair() {
	local opts
	server_up yes sstp_kd
	read -r _ opts <<<"$(sstpd_tls sstp_kd)"
	# shellcheck disable=SC2086 # opts: one -o word each
	start_client cli-ab global.log_level=info global.offload=yes global.mtu="$1" $opts
	wait_tunnel
}

# The ladder. v1 is the module before data path v2 (ppp_generic channel,
# pppN unit) with its own sstpd, MTU 1400 as it had; then v2 with every
# technique off (its own device and demultiplexing, no GRO, no GSO, kTLS
# copying the payload, no queue bounds, MTU 1400), and each added in turn.
run_ab() {
	local base=$TOP/build/baseline k
	k=$(uname -r)
	if [ ! -x "$base/build/sstpd" ] || [ ! -e "$base/build/kmod/$k/sstp.ko" ]; then
		say "ab: no baseline build in $base (scripts/bench.sh makes it)"
		return 1
	fi
	server_stop
	kdp_down
	modprobe -r sstp 2>/dev/null || true

	say "ab: v1 ($(cat "$base/.commit" 2>/dev/null))"
	load tls ppp_generic
	[ -c /dev/ppp ] || mknod /dev/ppp c 108 0
	insmod "$base/build/kmod/$k/sstp.ko" || fail "insmod of the v1 module"
	local sstpd=$SSTPD sstpctl=$SSTPCTL
	SSTPD=$base/build/sstpd SSTPCTL=$base/build/sstpctl
	CONF_DROP=run_as
	ab_pair 1400
	ab_step "v1 ppp_generic"
	case_down sstp_kd
	server_stop
	SSTPD=$sstpd SSTPCTL=$sstpctl CONF_DROP=
	rmmod sstp || fail "rmmod of the v1 module"

	load sstp
	ab_knobs 0 0
	ab_pair 1400
	ab_dev off off
	ab_step "v2 own device"
	case_down sstp_kd
	ab_pair 1400
	ab_dev on off
	ab_step "+ GRO"
	case_down sstp_kd
	ab_pair 1400
	ab_dev on on
	ab_step "+ GSO"
	case_down sstp_kd
	ab_knobs 1 0
	ab_pair 1400
	ab_dev on on
	ab_step "+ splice"
	case_down sstp_kd
	ab_knobs 1 65536
	ab_pair 1400
	ab_step "+ bounded queue"
	case_down sstp_kd
	ab_pair auto
	ab_step "+ MRU 4087"
	case_down sstp_kd
	server_stop
}
