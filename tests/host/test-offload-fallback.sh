#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# offload = auto on a kernel without sstp.ko (this machine's: no modules, no
# kTLS): both daemons say why in one line and run the userspace data path,
# and the tunnel works. offload = yes refuses to start there.
. "$(dirname "$0")/lib.sh"

if [ -d /sys/module/sstp ] || modprobe -n -q sstp 2>/dev/null; then
	skip "sstp.ko is available here; the VM tests cover the kernel path"
fi
setup_topology

# offload = yes without the module: exit status 1 and a reason.
in_ns "$NS1" "$SSTPD" -c "$TEST_TMP/server.conf" -o global.offload=yes \
	>"$TEST_TMP/yes.log" 2>&1 && fail "sstpd started with offload = yes and no sstp.ko"
cat "$TEST_TMP/yes.log"
grep -q 'offload = yes: sstp.ko is not available' "$TEST_TMP/yes.log" ||
	fail "no reason given for refusing offload = yes"

start_server global.offload=auto
start_client client global.offload=auto
wait_tunnel
for log in server client; do
	grep -q 'offload = auto: sstp.ko is not available.*using the userspace data path' \
		"$TEST_TMP/$log.log" || fail "$log did not log why it fell back"
	grep -q 'running (userspace data path)' "$TEST_TMP/$log.log" ||
		fail "$log does not say it runs the userspace data path"
done
json=$("$SSTPCTL" -s "$TEST_TMP/server.sock" --json list)
grep -q '"data_path": "user"' <<<"$json" || fail "server session not on the user path: $json"
in_ns "$NS2" ping -c 3 -i 0.2 -W 2 $TUN_SERVER_IP
echo "ok: offload fallback"
