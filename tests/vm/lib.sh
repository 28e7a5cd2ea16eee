# SPDX-License-Identifier: GPL-2.0-or-later
#
# Sourced by tests/vm/test-*.sh, which run inside the QEMU guest as root with
# the host's /usr and this tree shared in. Adds VM-only helpers to the netns
# helpers of tests/lib/netns.sh.

. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"

[ -e /proc/sys/kernel/osrelease ] && [ "$(hostname)" = vmtest ] ||
	fail "VM tests run inside the test guest (make check-vm)"

# The guest has no users; tools that drop privileges (tcpdump -Z root)
# want root to have a name.
[ -e /etc/passwd ] || echo 'root:x:0:0:root:/root:/bin/bash' >/etc/passwd

# load MODULE...: modprobe each, failing the test if one cannot be loaded.
load() {
	local m
	for m in "$@"; do
		run modprobe "$m" || fail "modprobe $m"
	done
}

# tool NAME: path of a test tool, failing if it was not built.
tool() {
	[ -x "$TOOLS/$1" ] || fail "test tool $1 not built (make tools)"
	echo "$TOOLS/$1"
}

# sstp_count created|destroyed: sstp.ko's session counts since it loaded
# (debugfs, for leak checks).
sstp_count() {
	cat "/sys/kernel/debug/sstp/sessions_$1"
}

# sstp_balanced: every session sstp.ko created is destroyed again.
sstp_balanced() {
	[ "$(sstp_count created)" = "$(sstp_count destroyed)" ]
}

# tunnel_dev LOG: the device a "sstp_nltest tunnel" reported in LOG.
tunnel_dev() {
	awk '/^dev /{print $2}' "$1"
}
