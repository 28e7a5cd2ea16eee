#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What a client may send into the gateway, on the userspace data path: IP
# from its own addresses once the crypto binding is verified, and nothing
# else. (tests/vm/test-offload-gate.sh is the same on the kernel path.)
#
#   ns 1 (server)                                 ns 2 (client, [test]
#   veth0 10.10.0.1/24 ──────── TLS :443 ──────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1 ═══ SSTP/PPP (tun) ═══ sstp0 192.168.99.10
#   udp.py listening on :9                        foreign_frames = yes)
#   tcpdump -i any                                alice: 10.77.0.0/24 behind
#
# 1. The client sends MPLS, IPX, AppleTalk and an unknown protocol before
#    LCP, before the binding and after it, and IPv4 before the binding:
#    the server rejects each protocol (LCP Protocol-Reject) once LCP is up,
#    and not one of those packets is seen on any of its interfaces.
# 2. Source validation (the BPF guard, on by default): UDP from the
#    client's address and from the network behind it (chap-secrets; the
#    server routes it to the session) arrives; from an address of its own
#    choosing or another client's it is dropped and counted (sstpctl).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/gate.sh"
command -v tcpdump >/dev/null || skip "no tcpdump (make deps)"

setup_topology
gate_secrets
start_server
fds=$(fd_count "$SERVER_PID")
gate_watch

say "=== foreign protocols before and after the binding"
start_client client test.foreign_frames=yes
wait_tunnel
gate_foreign_rejected

say "=== source validation"
gate_sources

say "=== nothing foreign ever reached the server's side"
run kill -TERM "$CLIENT_PID"
expect_client_gone
gate_nothing_foreign
expect_server_clean "$fds"
echo "ok: gate"
