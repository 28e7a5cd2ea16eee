/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shared between bpf/sstp_guard.bpf.c and its loader userspace/link/bpf_guard.c:
 * the per-session entry of the guard's map, keyed by the ifindex of the
 * session's tunnel interface (tun on the userspace data path, sstp.ko's
 * sstpN on the kernel's), and the key of the prefixes routed to a session.
 */
#ifndef SSTP_GUARD_H
#define SSTP_GUARD_H

/* Counters, updated atomically by the program. */
struct sstp_guard_stats {
	__u64 pass_packets;
	__u64 pass_bytes;
	__u64 spoofed;		/* source address not the session's */
	__u64 policed;		/* over the session's rate */
	__u64 other;		/* not IPv4/IPv6, or too short to check */
};

struct sstp_guard_session {
	__be32 ipv4;		/* the only IPv4 source allowed (0: none) */
	__u8 ipv6_iid[8];	/* fe80::<iid> is the only IPv6 source (0: none) */
	__u32 n_routes;		/* prefixes of this session in `routes` */
	__u32 rate_bytes;	/* token bucket: bytes per second, 0 = unlimited */
	__u32 burst_bytes;	/* bucket depth */
	/* protects tokens and last_ns */
	struct bpf_spin_lock lock;
	__u32 tokens;
	__u64 last_ns;
	struct sstp_guard_stats stats;
};

/*
 * A prefix routed to a session (a network behind its client): the key of
 * the `routes` LPM trie. The session's ifindex is part of the prefix, so
 * one lookup of (ifindex, source, all 160 bits) finds a prefix of that
 * session only. IPv4 is mapped into IPv6 (::ffff:a.b.c.d/96+len).
 */
struct sstp_guard_route {
	__u32 prefixlen;	/* 32 (the ifindex) + the address's prefix length */
	__u32 ifindex;		/* network order is what the trie compares: big endian */
	__u8 addr[16];
};

#define SSTP_GUARD_MAX_SESSIONS 65536
#define SSTP_GUARD_MAX_ROUTES	65536

#endif /* SSTP_GUARD_H */
