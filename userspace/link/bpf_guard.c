// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loader of bpf/sstp_guard.bpf.c (libbpf skeleton): see bpf_guard.h.
 */
#include "link/bpf_guard.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <stdbool.h>
#include <linux/types.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/sstp_guard.h"
#include "sstp_guard.skel.h"

struct bpf_guard {
	struct sstp_guard_bpf *skel;
	int map_fd;
	int routes_fd;
	int prog_fd;
};

/* A tc handle/priority of our own, so we never touch other filters. */
#define BPF_GUARD_HANDLE 0x55
#define BPF_GUARD_PRIO 0x55

static int bpf_guard_libbpf_print(enum libbpf_print_level level,
				  const char *fmt, va_list ap)
{
	return 0;	/* errors come back as -errno; the caller logs them */
}

int bpf_guard_open(struct bpf_guard **out)
{
	struct bpf_guard *g;
	int err;

	libbpf_set_print(bpf_guard_libbpf_print);
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	g->skel = sstp_guard_bpf__open_and_load();
	if (!g->skel) {
		err = -errno;
		free(g);
		return err ? err : -EINVAL;
	}
	g->map_fd = bpf_map__fd(g->skel->maps.sessions);
	g->routes_fd = bpf_map__fd(g->skel->maps.routes);
	g->prog_fd = bpf_program__fd(g->skel->progs.sstp_guard_ingress);
	*out = g;
	return 0;
}

/* The trie key of one prefix of the session on ifindex. */
static int bpf_guard_route_key(struct sstp_guard_route *k, int ifindex,
			       const struct bpf_guard_prefix *pf)
{
	memset(k, 0, sizeof(*k));
	k->ifindex = htonl((uint32_t)ifindex);
	if (pf->family == AF_INET && pf->plen <= 32) {
		k->addr[10] = k->addr[11] = 0xff;
		memcpy(k->addr + 12, pf->addr, 4);
		k->prefixlen = 32 + 96 + pf->plen;
	} else if (pf->family == AF_INET6 && pf->plen <= 128) {
		memcpy(k->addr, pf->addr, 16);
		k->prefixlen = 32 + pf->plen;
	} else {
		return -EINVAL;
	}
	return 0;
}

static bool bpf_guard_has(const struct bpf_guard_policy *p, const struct bpf_guard_prefix *pf)
{
	unsigned int i;

	for (i = 0; p && i < p->n_prefixes; i++)
		if (p->prefixes[i].family == pf->family && p->prefixes[i].plen == pf->plen &&
		    !memcmp(p->prefixes[i].addr, pf->addr, 16))
			return true;
	return false;
}

/* Write p's prefixes, then remove those of old that p does not have. */
static int bpf_guard_routes(struct bpf_guard *g, int ifindex,
			    const struct bpf_guard_policy *old,
			    const struct bpf_guard_policy *p)
{
	struct sstp_guard_route k;
	__u8 one = 1;
	unsigned int i;
	int err = 0;

	for (i = 0; p && i < p->n_prefixes; i++) {
		if (bpf_guard_route_key(&k, ifindex, &p->prefixes[i]))
			return -EINVAL;
		if (bpf_map_update_elem(g->routes_fd, &k, &one, BPF_ANY))
			return -errno;
	}
	for (i = 0; old && i < old->n_prefixes; i++) {
		if (bpf_guard_has(p, &old->prefixes[i]) ||
		    bpf_guard_route_key(&k, ifindex, &old->prefixes[i]))
			continue;
		if (bpf_map_delete_elem(g->routes_fd, &k) && errno != ENOENT)
			err = -errno;
	}
	return err;
}

static void bpf_guard_fill(struct sstp_guard_session *s, const struct bpf_guard_policy *p)
{
	s->ipv4 = p->ipv4;
	s->n_routes = p->n_prefixes;
	memcpy(s->ipv6_iid, p->ipv6_iid, sizeof(s->ipv6_iid));
	s->rate_bytes = p->rate_bytes;
	s->burst_bytes = p->burst_bytes;
	if (p->rate_bytes && !s->burst_bytes)
		s->burst_bytes = p->rate_bytes / 10 > 65536 ? p->rate_bytes / 10 : 65536;
	s->tokens = s->burst_bytes;
}

int bpf_guard_update(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *old,
		     const struct bpf_guard_policy *p)
{
	struct sstp_guard_session s;
	__u32 key = (__u32)ifindex;
	int err;

	/* Keep the counters; reset the bucket to full. New prefixes go in
	 * before the entry counts them, old ones out after. */
	if (bpf_map_lookup_elem(g->map_fd, &key, &s))
		return -errno;
	err = bpf_guard_routes(g, ifindex, NULL, p);
	if (err)
		return err;
	bpf_guard_fill(&s, p);
	if (bpf_map_update_elem(g->map_fd, &key, &s, BPF_EXIST))
		return -errno;
	return bpf_guard_routes(g, ifindex, old, p);
}

int bpf_guard_attach(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *p)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = BPF_GUARD_HANDLE,
		    .priority = BPF_GUARD_PRIO, .prog_fd = g->prog_fd);
	struct sstp_guard_session s;
	__u32 key = (__u32)ifindex;
	int err;

	memset(&s, 0, sizeof(s));
	bpf_guard_fill(&s, p);
	err = bpf_guard_routes(g, ifindex, NULL, p);
	if (err)
		goto err_routes;
	if (bpf_map_update_elem(g->map_fd, &key, &s, BPF_ANY)) {
		err = -errno;
		goto err_routes;
	}
	err = bpf_tc_hook_create(&hook);	/* the clsact qdisc */
	if (err && err != -EEXIST)
		goto err_delete;
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		goto err_delete;
	return 0;

err_delete:
	bpf_map_delete_elem(g->map_fd, &key);
err_routes:
	bpf_guard_routes(g, ifindex, p, NULL);
	return err;
}

int bpf_guard_counters(struct bpf_guard *g, int ifindex, struct bpf_guard_counters *c)
{
	struct sstp_guard_session s;
	__u32 key = (__u32)ifindex;

	if (bpf_map_lookup_elem(g->map_fd, &key, &s))
		return -errno;
	c->pass_packets = s.stats.pass_packets;
	c->pass_bytes = s.stats.pass_bytes;
	c->spoofed = s.stats.spoofed;
	c->policed = s.stats.policed;
	c->other = s.stats.other;
	return 0;
}

int bpf_guard_detach(struct bpf_guard *g, int ifindex, const struct bpf_guard_policy *p)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = BPF_GUARD_HANDLE, .priority = BPF_GUARD_PRIO);
	__u32 key = (__u32)ifindex;
	int err, err2 = 0;

	/* A vanished interface took its filter with it: not an error. */
	err = bpf_tc_detach(&hook, &opts);
	if (err == -ENOENT || err == -ENODEV || err == -EINVAL)
		err = 0;
	if (bpf_map_delete_elem(g->map_fd, &key) && errno != ENOENT)
		err2 = -errno;
	if (!err2)
		err2 = bpf_guard_routes(g, ifindex, p, NULL);
	return err ? err : err2;
}

void bpf_guard_close(struct bpf_guard *g)
{
	if (!g)
		return;
	sstp_guard_bpf__destroy(g->skel);
	free(g);
}
