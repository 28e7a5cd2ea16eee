#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tunnel-interface guard (bpf/sstp_guard.bpf.c, loaded by
# userspace/link/bpf_guard.c) on a tun device in a namespace of its own: source
# validation for IPv4 and IPv6, policing, counters, attach/detach. Packets
# are written into the tun, so they take the same ingress path as what a
# VPN client sends. Needs root (BPF and tc).
. "$(dirname "$0")/../lib/netns.sh"
[ -x "$TOOLS/bpf_guard_check" ] || fail "bpf_guard_check not built (make tools)"
NS=$(ns_new guard)
in_ns "$NS" "$TOOLS/bpf_guard_check"
# The tool removed its filter and the tun device is gone with it.
if ip -n "$NS" link show | grep -q sstpguard; then
	fail "the tun device outlived the check"
fi
