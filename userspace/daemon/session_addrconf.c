// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a server's client asks after the NCPs, answered on the session's
 * interface, the same way on both data paths (the kernel's IP stack sees
 * the client's packets either way: from the tun device the daemon writes,
 * or from sstp.ko's device):
 *
 *   IPv4   a UDP socket bound to the interface (SO_BINDTODEVICE) on port
 *          67 takes the client's DHCPINFORM (to 255.255.255.255) and
 *          answers with a DHCPACK: DNS, the DNS suffix ([server] domain)
 *          and split-tunnel routes as classless static routes (121 and
 *          Microsoft's 249: [server] dhcp_routes and RADIUS Framed-Route),
 *          through our tunnel address.
 *   IPv6   the session's /64 (RADIUS Framed-IPv6-Prefix, or one of
 *          [server] ipv6_prefix) is routed into the interface and
 *          advertised from our link-local address in Router
 *          Advertisements (three at start, then every RA_INTERVAL_MS, and
 *          on each Router Solicitation) on a raw ICMPv6 socket bound to
 *          the interface, so that the client configures itself (SLAAC).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/session_internal.h"
#include "link/rtnl.h"
#include "proto/dhcp.h"
#include "proto/ndisc.h"

#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND		78	/* linux/in6.h, since 4.15 */
#endif

#define RA_INITIAL		3
#define RA_INITIAL_MS		4000
#define RA_INTERVAL_MS		200000
#define RA_VALID_S		86400
#define RA_PREFERRED_S		14400

static int session_addrconf_socket(struct session *s, int family, int type,
				   int proto)
{
	int fd, one = 1;

	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, s->link->ifname,
		       (socklen_t)strlen(s->link->ifname)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* ------------------------------------------------------------ DHCPINFORM */

/* "10.0.0.0/8 172.16.0.0/12" (and RADIUS Framed-Routes) into info. */
static void session_dhcp_routes(struct session *s, const char *list,
				struct dhcp_info *info)
{
	char buf[CONFIG_STR], *tok, *save = NULL, *slash;
	struct in_addr a;
	int plen;

	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, " \t,", &save); tok && info->n_routes < DHCP_MAX_ROUTES;
	     tok = strtok_r(NULL, " \t,", &save)) {
		slash = strchr(tok, '/');
		plen = slash ? atoi(slash + 1) : 32;
		if (slash)
			*slash = 0;
		if (inet_pton(AF_INET, tok, &a) != 1 || plen < 0 || plen > 32)
			continue;
		info->routes[info->n_routes].dst = plen ?
			ntohl(a.s_addr) & (~0u << (32 - plen)) : 0;
		info->routes[info->n_routes++].plen = (uint8_t)plen;
	}
}

static void session_dhcp_input(struct loop_fd *lfd, uint32_t events)
{
	struct session *s = container_of(lfd, struct session, addrconf.dhcp_lfd);
	const struct config *cfg = s->env->cfg;
	uint8_t req[DHCP_MAX_LEN * 2], ack[DHCP_MAX_LEN];
	struct sockaddr_in from, to = { .sin_family = AF_INET,
					.sin_port = htons(DHCP_CLIENT_PORT) };
	socklen_t flen = sizeof(from);
	struct dhcp_info info = { 0 };
	uint32_t ciaddr;
	ssize_t n;
	int len;

	n = recvfrom(lfd->fd, req, sizeof(req), 0, (struct sockaddr *)&from, &flen);
	if (n < 0 || dhcp_inform_parse(req, (size_t)n, &ciaddr))
		return;
	/* Only the client's own address, from itself. */
	if (ciaddr != s->peer_ip || ntohl(from.sin_addr.s_addr) != s->peer_ip) {
		slog(LOG_DEBUG, s, "DHCPINFORM for another address ignored");
		return;
	}
	info.server = s->local_ip;
	info.dns[0] = s->env->dns[0];
	info.dns[1] = s->env->dns[1];
	snprintf(info.domain, sizeof(info.domain), "%.127s", cfg->domain);
	session_dhcp_routes(s, cfg->dhcp_routes, &info);
	for (unsigned int i = 0; i < s->aaa.n_routes; i++)
		session_dhcp_routes(s, s->aaa.routes[i], &info);
	len = dhcp_ack_build(req, (size_t)n, &info, ack, sizeof(ack));
	if (len < 0)
		return;
	to.sin_addr.s_addr = htonl(ciaddr);
	if (sendto(lfd->fd, ack, (size_t)len, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		slog(LOG_WARNING, s, "DHCPACK: %s", strerror(errno));
	else
		slog(LOG_INFO, s, "DHCPINFORM answered (%u route(s)%s%s)", info.n_routes,
		     info.domain[0] ? ", domain " : "", info.domain);
}

/* IPCP up: take the client's DHCPINFORM. */
void session_addrconf_v4_up(struct session *s)
{
	struct session_addrconf *ac = &s->addrconf;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT) };
	int fd, one = 1;

	if (ac->dhcp_lfd.fd >= 0)
		return;
	fd = session_addrconf_socket(s, AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
			bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)) {
		close(fd);
		fd = -errno;
	}
	if (fd < 0 || loop_fd_add(s->env->loop, &ac->dhcp_lfd, fd, EPOLLIN,
				  session_dhcp_input)) {
		slog(LOG_WARNING, s, "no DHCPINFORM answers: %s",
		     strerror(fd < 0 ? -fd : EIO));
		if (fd >= 0)
			close(fd);
		ac->dhcp_lfd.fd = -1;
	}
}

/* ------------------------------------------------------------ Router Advertisements */

/* The /64 of this session out of [server] ipv6_prefix: the lowest index
 * no other session holds. */
static int session_ra_pool_prefix(struct session *s, struct in6_addr *out)
{
	char buf[CONFIG_STR], *slash;
	struct in6_addr base;
	struct session *o;
	unsigned int plen, idx, max;

	snprintf(buf, sizeof(buf), "%s", s->env->cfg->ipv6_prefix);
	slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = 0;
	plen = (unsigned int)atoi(slash + 1);
	if (inet_pton(AF_INET6, buf, &base) != 1 || plen < 32 || plen > 64)
		return -EINVAL;
	max = plen == 64 ? 1 : 1u << (64 - plen > 16 ? 16 : 64 - plen);
	for (idx = 0; idx < max; idx++) {
		struct in6_addr p = base;
		uint64_t hi;

		memcpy(&hi, p.s6_addr, 8);
		hi = be64toh(hi) | (uint64_t)idx;
		hi = htobe64(hi);
		memcpy(p.s6_addr, &hi, 8);
		memset(p.s6_addr + 8, 0, 8);
		for (o = s->env->sessions; o; o = o->next)
			if (o != s && o->addrconf.have_prefix &&
			    !memcmp(&o->addrconf.prefix, &p, 16))
				break;
		if (!o) {
			*out = p;
			return 0;
		}
	}
	return -ENOSPC;
}

static void session_ra_send(struct session *s)
{
	struct session_addrconf *ac = &s->addrconf;
	struct ndisc_ra ra = {
		.prefix = ac->prefix, .prefix_len = ac->prefix_len,
		.router_lifetime = (uint16_t)s->env->cfg->ra_lifetime,
		.valid = RA_VALID_S, .preferred = RA_PREFERRED_S,
		.mtu = s->link->mtu,
	};
	struct sockaddr_in6 to = { .sin6_family = AF_INET6,
				   .sin6_scope_id = (uint32_t)s->link->ifindex };
	uint8_t b[128];
	int n;

	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	n = ndisc_ra_build(&ra, b, sizeof(b));
	if (n > 0 && sendto(ac->ra_lfd.fd, b, (size_t)n, 0, (struct sockaddr *)&to,
			    sizeof(to)) < 0)
		slog(LOG_DEBUG, s, "Router Advertisement: %s", strerror(errno));
}

static void session_ra_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, addrconf.ra_timer);
	struct session_addrconf *ac = &s->addrconf;

	session_ra_send(s);
	ac->ra_sent++;
	loop_timer_set(s->env->loop, t, loop_now() + (ac->ra_sent < RA_INITIAL ?
		       RA_INITIAL_MS : RA_INTERVAL_MS), session_ra_timer);
}

static void session_ra_input(struct loop_fd *lfd, uint32_t events)
{
	struct session *s = container_of(lfd, struct session, addrconf.ra_lfd);
	uint8_t b[256];
	ssize_t n;

	while ((n = recv(lfd->fd, b, sizeof(b), 0)) >= 0)
		if (ndisc_is_rs(b, (size_t)n))
			session_ra_send(s);
}

/* IPV6CP up: the session's prefix, routed here and advertised. */
void session_addrconf_v6_up(struct session *s)
{
	struct session_addrconf *ac = &s->addrconf;
	struct sockaddr_in6 src = { .sin6_family = AF_INET6,
				    .sin6_scope_id = (uint32_t)s->link->ifindex };
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned int)s->link->ifindex };
	struct icmp6_filter filt;
	char p[INET6_ADDRSTRLEN];
	int fd, hops = 255, one = 1, zero = 0, err;

	if (ac->ra_lfd.fd >= 0)
		return;
	if (s->aaa.prefix6_len) {
		ac->prefix = s->aaa.prefix6;
		ac->prefix_len = s->aaa.prefix6_len;
	} else if (!s->env->cfg->ipv6_prefix[0] ||
		   session_ra_pool_prefix(s, &ac->prefix)) {
		if (s->env->cfg->ipv6_prefix[0])
			slog(LOG_WARNING, s, "ipv6_prefix: no /64 left for this session");
		return;
	} else {
		ac->prefix_len = 64;
	}
	ac->have_prefix = true;
	inet_ntop(AF_INET6, &ac->prefix, p, sizeof(p));
	err = rtnl_route6_add(s->env->rtnl, s->link->ifindex, &ac->prefix, ac->prefix_len);
	if (err)
		slog(LOG_WARNING, s, "route %s/%u: %s", p, ac->prefix_len, s->env->rtnl->err);

	/* Our link-local address is the source (RFC 4861 4.2). */
	memcpy(src.sin6_addr.s6_addr, "\xfe\x80\0\0\0\0\0\0", 8);
	memcpy(src.sin6_addr.s6_addr + 8, s->local_iid, 8);
	inet_pton(AF_INET6, "ff02::2", &mr.ipv6mr_multiaddr);
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(NDISC_RS, &filt);
	fd = session_addrconf_socket(s, AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	/* FREEBIND: the link-local address may still be tentative (DAD);
	 * the first Advertisements wait for it, the timer sends again. */
	if (fd >= 0 &&
	    (setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)) < 0 ||
	     setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) < 0 ||
	     setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	     /* not to our own stack, which would take it as a host */
	     setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
	     setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	     setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0 ||
	     bind(fd, (struct sockaddr *)&src, sizeof(src)) < 0)) {
		err = -errno;
		close(fd);
		fd = err;
	}
	if (fd < 0 || loop_fd_add(s->env->loop, &ac->ra_lfd, fd, EPOLLIN, session_ra_input)) {
		slog(LOG_WARNING, s, "no Router Advertisements: %s",
		     strerror(fd < 0 ? -fd : EIO));
		if (fd >= 0)
			close(fd);
		ac->ra_lfd.fd = -1;
		return;
	}
	slog(LOG_INFO, s, "IPv6 prefix %s/%u for the client (Router Advertisements)",
	     p, ac->prefix_len);
	ac->ra_sent = 0;
	session_ra_timer(&ac->ra_timer);
}

/* ------------------------------------------------------------ down */

static void session_addrconf_close(struct session *s, struct loop_fd *lfd)
{
	int fd = lfd->fd;

	if (fd < 0)
		return;
	loop_fd_del(s->env->loop, lfd);		/* sets lfd->fd to -1 */
	close(fd);
}

/* An NCP went down (ipv6: IPV6CP), or the session (both). */
void session_addrconf_down(struct session *s, bool v4, bool v6)
{
	if (v4)
		session_addrconf_close(s, &s->addrconf.dhcp_lfd);
	if (v6) {
		loop_timer_cancel(s->env->loop, &s->addrconf.ra_timer);
		session_addrconf_close(s, &s->addrconf.ra_lfd);
		s->addrconf.have_prefix = false;
	}
}
