# SPDX-License-Identifier: GPL-2.0-or-later
#
# Host end-to-end tests: network namespaces on this machine's kernel, the
# userspace data path (tun). tests/lib/sstpd.sh has the sstpd helpers.

# shellcheck source=../lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"
# shellcheck source=../lib/sstpd.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/sstpd.sh"

[ -x "$SSTPD" ] && [ -x "$SSTPCTL" ] || skip "build sstpd and sstpctl first (make)"
[ -c /dev/net/tun ] || skip "no /dev/net/tun"
[ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"
