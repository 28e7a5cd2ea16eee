// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Source validation on a server session's interface (bpf/sstp_guard.bpf.c
 * through link/bpf_guard.c, docs/bpf.md): the client may send from the
 * addresses IPCP and IPV6CP gave it and from the networks routed to it,
 * at most at its rate, and what it sends otherwise is dropped and counted
 * (sstpctl). The same on both data paths: tc ingress on the tun device or
 * on sstp.ko's device. Attached when the first NCP has put the interface
 * up and before the data gate opens, brought up to date whenever an NCP
 * comes or goes or the rate changes, and detached at the end, before the
 * interface goes.
 *
 * The session's policy (session_internal.h) is what authentication says
 * about the client: the networks behind it (chap-secrets, RADIUS
 * Framed-Route) and its rate (the [server] rate_limit default, a
 * chap-secrets rate=, RADIUS Mikrotik-Rate-Limit at authentication and
 * in a CoA, all through session_set_rate()).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/session_internal.h"
#include "link/bpf_guard.h"

/* The guard's policy for what the session has now. */
static void session_guard_policy(const struct session *s, struct bpf_guard_policy *p)
{
	bool v4 = s->ppp && ppp_ipv4_is_up(s->ppp), v6 = s->ppp && s->ipv6_up;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	if (v4)
		p->ipv4 = htonl(s->peer_ip);
	if (v6)
		memcpy(p->ipv6_iid, s->peer_iid, 8);
	p->rate_bytes = s->policy.rate_bytes;
	p->burst_bytes = s->policy.burst_bytes;
	for (i = 0; i < s->policy.n_routes; i++) {
		const struct bpf_guard_prefix *r = &s->policy.routes[i];

		if ((r->family == AF_INET && v4) || (r->family == AF_INET6 && v6))
			p->prefixes[p->n_prefixes++] = *r;
	}
	/* The prefix Router Advertisements give the client (its SLAAC and
	 * privacy addresses). */
	if (v6 && s->addrconf.have_prefix && p->n_prefixes < BPF_GUARD_MAX_PREFIXES) {
		struct bpf_guard_prefix *r = &p->prefixes[p->n_prefixes++];

		r->family = AF_INET6;
		memcpy(r->addr, &s->addrconf.prefix, 16);
		r->plen = s->addrconf.prefix_len;
	}
}

int session_guard_sync(struct session *s)
{
	struct bpf_guard_policy p;
	int err;

	if (!s->env->guard || !s->link || s->link->ifindex <= 0)
		return 0;
	session_guard_policy(s, &p);
	if (!s->guarded) {
		err = bpf_guard_attach(s->env->guard, s->link->ifindex, &p);
		if (!err) {
			s->guarded = true;
			s->guard_ifindex = s->link->ifindex;
			slog(LOG_DEBUG, s, "source validation on %s", s->link->ifname);
		}
	} else {
		err = bpf_guard_update(s->env->guard, s->guard_ifindex, &s->guard_policy, &p);
	}
	if (err) {
		snprintf(s->link->err, sizeof(s->link->err), "source validation on %s: %s",
			 s->link->ifname, strerror(-err));
		return err;
	}
	s->guard_policy = p;
	return 0;
}

void session_guard_detach(struct session *s)
{
	int err;

	if (!s->guarded)
		return;
	err = bpf_guard_detach(s->env->guard, s->guard_ifindex, &s->guard_policy);
	if (err)
		slog(LOG_WARNING, s, "source validation: detach: %s", strerror(-err));
	s->guarded = false;
}

int session_set_rate(struct session *s, uint32_t bytes_per_s, uint32_t burst)
{
	s->policy.rate_bytes = bytes_per_s;
	s->policy.burst_bytes = burst;
	return s->guarded ? session_guard_sync(s) : 0;
}

void session_guard_describe(struct session *s, link_put_fn *put, void *ctx)
{
	struct bpf_guard_counters c = { 0 };
	char v[24];

	put(ctx, "guard", s->guarded ? "on" : s->env->guard ? "pending" : "off");
	if (s->guarded)
		bpf_guard_counters(s->env->guard, s->guard_ifindex, &c);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)c.spoofed);
	put(ctx, "spoofed", v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)c.policed);
	put(ctx, "policed", v);
	snprintf(v, sizeof(v), "%llu", (unsigned long long)s->policy.rate_bytes * 8 / 1000);
	put(ctx, "rate_kbit", v);
}
