#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A Windows-shaped client (tests/tools/sstp_winclient, docs/windows.md)
# against sstpd on the userspace data path:
#
#   ns 1 (server)                                  ns 2 (client)
#   sstpd mode=server                              sstp_winclient (win10)
#   veth0 10.10.0.1/24 ─────── TLS :443 ───────── veth0 10.10.0.2/24
#   sstp0 192.168.99.1  ═══ SSTP / PPP (tun) ═══   (PPP in the tool)
#
# Windows drops PPP frames that come before its own first LCP request, so
# a server that speaks first stalls every connect for the 3 s restart timer.
# Each run asserts: from the HTTP request to IPCP up in under 0.5 s, no
# frame of the server's lost, no Code-Reject and no Protocol-Reject of
# anything Windows sends but IPV6CP when the server runs no IPv6 (Windows
# goes on without it), MRU 4091 Acked, PFC and ACFC agreed so that every
# frame after LCP is compressed, SHA-256 in the crypto binding and the
# server verifying it, DNS by IPCP Nak, the ping answered, DHCPINFORM and
# NetBIOS taken in stride, Windows' teardown ending the session with
# nothing left behind. With IPv6 on, the tunnel interface carries only the
# link-local address IPV6CP negotiated, and no IPv6 packet leaves it from
# another. Then: PAP, a client that is late to start its PPP
# (the server's request is repeated at once, not after 3 s), and a peer
# that never speaks first (the server's fallback after 1 s).
. "$(dirname "$0")/lib.sh"

# shellcheck source=../lib/windows.sh
. "$(dirname "$0")/../lib/windows.sh"

setup_topology

say "=== Windows 10, MS-CHAPv2, DNS from the server"
start_server server.dns1=10.9.9.9 server.dns2=10.9.9.10
fds=$(fd_count "$SERVER_PID")
win_run win10 -S -m 500 -N 10.9.9.9
expect_windows_run win10
expect_eq "win10: auth" "$(wfield win10 auth)" MS-CHAPv2
expect_eq "win10: secondary DNS" "$(wfield win10 dns2)" 10.9.9.10
expect_eq "win10: Protocol-Rejects (IPV6CP only)" "$(wfield win10 rejected | tr , '\n' | grep -c '^proto-')" 1
grep -q 'rejected=.*proto-8057' "$TEST_TMP/win10.log" || fail "win10: IPV6CP was not the protocol rejected"
expect_windows_logged win10
expect_server_clean "$fds"

say "=== IPv6: IPV6CP before IPCP, and the tunnel's only IPv6 address is the negotiated one"
server_done v4
start_server global.ipv6=yes
fds=$(fd_count "$SERVER_PID")
# -6: IPV6CP up and the IPv6 ping answered; and it fails when any IPv6
# packet from the server has a source other than the negotiated fe80::.
win_bg win-v6 -6 -S -m 500
wait_for 10 "IPV6CP up on the server" sh -c \
	"'$SSTPCTL' -s '$TEST_TMP/server.sock' --json list | grep -q '\"local_ip6\": \"fe80'"
ifs=$(session_field "$TEST_TMP/server.sock" ifname)
ll=$(session_field "$TEST_TMP/server.sock" local_ip6)
# No kernel-made link-local next to it (addr_gen_mode none), all along.
expect_eq "IPv6 addresses on $ifs" "$(if_addrs "$NS1" "$ifs" 6)" "$ll/64"
win_wait win-v6
expect_windows_run win-v6
expect_eq "win-v6: IPV6CP" "$(wfield win-v6 ipv6cp)" up
expect_eq "win-v6: IPv6 ping" "$(wfield win-v6 ping6)" 1
expect_eq "win-v6: IPv6 from other sources" "$(wfield win-v6 v6_foreign)" 0
expect_eq "win-v6: Protocol-Rejects" "$(wfield win-v6 protocol_rejects)" 0
expect_server_clean "$fds"

say "=== a client that starts its PPP late: the server's request is repeated at once"
win_run late -d 1500 -S
expect_eq "late: client exit status" "$WIN_RC" 0
expect_eq "late: server frames dropped" "$(wfield late dropped_early)" 1
# The server sent blind after 1 s, the client dropped it, started at 1.5 s:
# LCP opens within a round trip of that, not 3 s later.
ms=$(wfield late lcp_ms)
[ "$ms" -ge 1500 ] && [ "$ms" -lt 2000 ] || fail "late: LCP open after $ms ms, want 1.5 s to 2 s"
printf 'ok: late: LCP open after %s ms\n' "$ms"
grep -q "LCP: nothing from the peer in 1000 ms" "$TEST_TMP/server.log" ||
	fail "the server's wait did not run out"
grep -q "sending ours again" "$TEST_TMP/server.log" ||
	fail "the server did not repeat its lost request"
expect_server_clean "$fds"

say "=== a peer that never speaks first: the server's fallback after 1 s"
win_run passive -A -S
expect_eq "passive: client exit status" "$WIN_RC" 0
ms=$(wfield passive lcp_ms)
[ "$ms" -ge 1000 ] && [ "$ms" -lt 1500 ] || fail "passive: LCP open after $ms ms, want 1 s to 1.5 s"
printf 'ok: passive: LCP open after %s ms\n' "$ms"
expect_server_clean "$fds"

say "=== PAP (the binding with a zero HLAK)"
server_done mschap
start_server server.auth=pap
fds=$(fd_count "$SERVER_PID")
win_run win10-pap -P -S -m 500
expect_windows_run win10-pap
expect_eq "pap: auth" "$(wfield win10-pap auth)" PAP
grep -q 'PPP authenticated alice with PAP' "$TEST_TMP/server.log" || fail "not PAP on the server"
grep -q 'SSTP call connected (crypto binding verified' "$TEST_TMP/server.log" ||
	fail "the server did not verify the PAP crypto binding"
expect_server_clean "$fds"

echo "ok: windows"
