// SPDX-License-Identifier: GPL-2.0-only
/*
 * sstp_guard: tc ingress on a session's tunnel interface, i.e. on what the
 * VPN client sends into the gateway. A client may only send from the
 * addresses its session was given (IPCP address, IPV6CP link-local
 * identifier), at most at its session's rate; every verdict is counted per
 * session. Tunnel interfaces carry bare IP packets (no link header), and
 * an interface without an entry drops everything: the entry is written
 * before the program is attached and removed after it is detached.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "sstp_guard.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SSTP_GUARD_MAX_SESSIONS);
	__type(key, __u32);
	__type(value, struct sstp_guard_session);
} sessions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, SSTP_GUARD_MAX_ROUTES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct sstp_guard_route);
	__type(value, __u8);
} routes SEC(".maps");

/* Is src (16 bytes, IPv4 mapped) in a prefix routed to this session? */
static __always_inline int sstp_guard_routed(__u32 ifindex, const void *src)
{
	struct sstp_guard_route key = {
		.prefixlen = 32 + 128,
		.ifindex = bpf_htonl(ifindex),
	};

	__builtin_memcpy(key.addr, src, 16);
	return bpf_map_lookup_elem(&routes, &key) != NULL;
}

/* Take len bytes from the session's bucket; false if it holds fewer. */
static __always_inline int sstp_guard_police(struct sstp_guard_session *s, __u32 len)
{
	__u64 now = bpf_ktime_get_ns(), add;
	int ok;

	bpf_spin_lock(&s->lock);
	add = (now - s->last_ns) * s->rate_bytes / 1000000000ULL;
	if (add) {
		add += s->tokens;
		s->tokens = add > s->burst_bytes ? s->burst_bytes : (__u32)add;
		s->last_ns = now;
	}
	ok = s->tokens >= len;
	if (ok)
		s->tokens -= len;
	bpf_spin_unlock(&s->lock);
	return ok;
}

/*
 * The first @len bytes in the skb's linear part, where direct access can
 * read them: sstp.ko hands the stack packets whose bytes are all in page
 * fragments (GRO pulls the headers, but not with GRO off, nor does
 * netif_rx). Return: 0, or <0 when the packet is shorter than @len.
 */
static __always_inline int sstp_guard_pull(struct __sk_buff *skb, __u32 len)
{
	if ((void *)(long)skb->data + len <= (void *)(long)skb->data_end)
		return 0;
	return bpf_skb_pull_data(skb, len);
}

SEC("tc")
int sstp_guard_ingress(struct __sk_buff *skb)
{
	__u32 ifindex = skb->ifindex;
	struct sstp_guard_session *s;
	void *data, *end;
	int ok = 0;

	s = bpf_map_lookup_elem(&sessions, &ifindex);
	if (!s)
		return TC_ACT_SHOT;

	if (skb->protocol == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip;

		if (sstp_guard_pull(skb, sizeof(*ip)))
			goto other;
		/* the pull moves the packet: pointers are read after it */
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		ip = data;
		if ((void *)(ip + 1) > end)
			goto other;
		ok = s->ipv4 && ip->saddr == s->ipv4;
		if (!ok && s->n_routes) {
			__u32 mapped[4] = { 0, 0, bpf_htonl(0xffff), ip->saddr };

			ok = sstp_guard_routed(ifindex, mapped);
		}
	} else if (skb->protocol == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6;
		__u64 iid, want;

		if (sstp_guard_pull(skb, sizeof(*ip6)))
			goto other;
		data = (void *)(long)skb->data;
		end = (void *)(long)skb->data_end;
		ip6 = data;
		if ((void *)(ip6 + 1) > end)
			goto other;
		/* fe80::/64 with the session's interface identifier */
		__builtin_memcpy(&iid, &ip6->saddr.in6_u.u6_addr32[2], 8);
		__builtin_memcpy(&want, s->ipv6_iid, 8);
		ok = want && iid == want &&
		     ip6->saddr.in6_u.u6_addr32[0] == bpf_htonl(0xfe800000) &&
		     !ip6->saddr.in6_u.u6_addr32[1];
		if (!ok && s->n_routes)
			ok = sstp_guard_routed(ifindex, &ip6->saddr);
	} else {
		goto other;
	}
	if (!ok) {
		__sync_fetch_and_add(&s->stats.spoofed, 1);
		return TC_ACT_SHOT;
	}
	if (s->rate_bytes && !sstp_guard_police(s, skb->len)) {
		__sync_fetch_and_add(&s->stats.policed, 1);
		return TC_ACT_SHOT;
	}
	__sync_fetch_and_add(&s->stats.pass_packets, 1);
	__sync_fetch_and_add(&s->stats.pass_bytes, skb->len);
	return TC_ACT_OK;
other:
	__sync_fetch_and_add(&s->stats.other, 1);
	return TC_ACT_SHOT;
}

char LICENSE[] SEC("license") = "GPL";
