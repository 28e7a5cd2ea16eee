#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# A raw SSTP peer on its own kTLS socket against the module: PPP frames
# that are not IP to and from the daemon (FF 03 or not, compressed
# protocol), IP through the session's device behind the per-family gate
# (every header form; MPLS, IPX, AppleTalk and unknown protocols never reach
# the device), TX flow control (3000 packets sent on the device while the
# peer does not read: BQL stops the queue, nothing is lost), a control
# flood from a peer that never reads (refused, then cut off), 16 sessions
# at once, packets split across TLS records, pending bytes, echo and the
# hello timer, reserved bits (ignored on receipt), TLS alert / KeyUpdate /
# NewSessionTicket, FIN, RST, delete, device deleted, owner gone, an
# undecryptable record, and every kind of malformed input, each of which
# must end only its own session; a subset again over TLS 1.3 with AES-256
# and ChaCha20. Then created == destroyed.
. "$(dirname "$0")/lib.sh"
NLTEST=$(tool sstp_nltest)

load tls sstp
ns=$(ns_new 1)
scenarios="data gate reserved flow ctrlflood split pending hello fin rst alert keyupdate
	ticket del devdel owner badkey many malformed-version malformed-short
	malformed-overrun malformed-attrcount malformed-attrshort malformed-type
	malformed-truncated"
for s in $scenarios; do
	say "scenario $s"
	in_ns "$ns" "$NLTEST" peer "$s" || fail "scenario $s"
done

# TLS 1.3 (where tickets and KeyUpdate really live) and other ciphers
for s in data gate split alert keyupdate ticket malformed-overrun; do
	say "scenario $s, TLS 1.3 AES-256-GCM"
	SSTP_TEST_TLS=1.3 SSTP_TEST_CIPHER=aes256 in_ns "$ns" "$NLTEST" peer "$s" ||
		fail "scenario $s (TLS 1.3)"
done
for s in data flow; do
	say "scenario $s, TLS 1.3 ChaCha20-Poly1305"
	SSTP_TEST_TLS=1.3 SSTP_TEST_CIPHER=chacha20 in_ns "$ns" "$NLTEST" peer "$s" ||
		fail "scenario $s (TLS 1.3 ChaCha20)"
done

wait_for 10 "sessions to be destroyed" sstp_balanced
say "created $(sstp_count created) destroyed $(sstp_count destroyed)"
