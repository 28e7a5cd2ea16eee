/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gateway's guard on each session's tunnel interface (bpf/sstp_guard):
 * a client may only send from the addresses its session was given, at most
 * at its session's rate, and every verdict is counted. One BPF object is
 * loaded per daemon and attached (tc clsact ingress) to every session's
 * interface; per-session policy and counters live in one map keyed by the
 * interface index. Works the same on a tun (userspace data path) and a
 * sstpN (kernel data path) interface.
 */
#ifndef SSTP_BPF_GUARD_H
#define SSTP_BPF_GUARD_H

#include <stdint.h>

struct bpf_guard;

/* A prefix routed to the client (a network behind it). */
struct bpf_guard_prefix {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
	uint8_t plen;
};

#define BPF_GUARD_MAX_PREFIXES	16

struct bpf_guard_policy {
	uint32_t ipv4;		/* allowed IPv4 source, network order; 0 = none */
	uint8_t ipv6_iid[8];	/* allowed fe80::<iid> source; all 0 = none */
	uint32_t rate_bytes;	/* bytes per second, 0 = unlimited */
	uint32_t burst_bytes;	/* bucket depth (default: rate / 10, >= 64 KiB) */
	/* Sources routed to the client are allowed too. */
	struct bpf_guard_prefix prefixes[BPF_GUARD_MAX_PREFIXES];
	unsigned int n_prefixes;
};

struct bpf_guard_counters {
	uint64_t pass_packets, pass_bytes;
	uint64_t spoofed, policed, other;
};

/* Load the program (needs CAP_BPF/CAP_NET_ADMIN). Returns 0 or -errno. */
int bpf_guard_open(struct bpf_guard **out);
/* Guard one interface: policy first, then the tc ingress filter. */
int bpf_guard_attach(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *p);
/* Change an attached interface's policy from old to p (counters are kept;
 * the prefixes of old that p lacks are removed). */
int bpf_guard_update(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *old,
		     const struct bpf_guard_policy *p);
int bpf_guard_counters(struct bpf_guard *g, int ifindex, struct bpf_guard_counters *c);
/* Remove the filter, then the policy p it was given (the map keeps no
 * list of a session's prefixes). The interface may already be gone. */
int bpf_guard_detach(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *p);
void bpf_guard_close(struct bpf_guard *g);

#endif /* SSTP_BPF_GUARD_H */
