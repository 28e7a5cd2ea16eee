// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What a server's client asks after the NCPs, answered on the session's
 * interface, the same way on both data paths (the kernel's IP stack sees
 * the client's packets either way: from the tun device the daemon writes,
 * or from sstp.ko's device):
 *
 *   IPv4   the daemon's UDP socket on port 67 takes the client's
 *          DHCPINFORM (to 255.255.255.255; the interface it came in on
 *          names the session) and answers with a DHCPACK out of that
 *          interface: DNS, the DNS suffix ([server] domain)
 *          and split-tunnel routes as classless static routes (121 and
 *          Microsoft's 249: [server] dhcp_routes and RADIUS Framed-Route),
 *          through our tunnel address.
 *   IPv6   the session's /64 (RADIUS Framed-IPv6-Prefix, or one of
 *          [server] ipv6_prefix) is routed into the interface and
 *          advertised from our link-local address in Router
 *          Advertisements (three at start, then every RA_INTERVAL_MS, and
 *          on each Router Solicitation) on the daemon's raw ICMPv6 socket,
 *          so that the client configures itself (SLAAC).
 *
 * Both sockets are the daemon's, opened at start while it may still bind
 * port 67 and open a raw socket (session_addrconf_open()); afterwards it
 * runs with CAP_NET_ADMIN alone (daemon/privileges.c), which allows
 * neither. A datagram's IP_PKTINFO / IPV6_PKTINFO says which interface,
 * so which session, it belongs to, and the answers go out of that one.
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

/* The live session whose interface is ifindex. */
static struct session *session_by_ifindex(struct session_env *env, int ifindex)
{
	struct session *s;

	for (s = env->sessions; s; s = s->next)
		if (s->link && s->link->ifindex == ifindex)
			return s;
	return NULL;
}

/* recvmsg() with the interface it came in on (IP_PKTINFO or
 * IPV6_PKTINFO); -1 when the kernel did not say. */
static ssize_t session_addrconf_recv(int fd, void *buf, size_t size, void *from,
				     socklen_t flen, int *ifindex)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cb;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr m = { .msg_name = from, .msg_namelen = flen, .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cb.b,
			    .msg_controllen = sizeof(cb.b) };
	struct cmsghdr *c;
	ssize_t n;

	*ifindex = -1;
	n = recvmsg(fd, &m, 0);
	if (n < 0)
		return n;
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO)
			*ifindex = ((struct in_pktinfo *)(void *)CMSG_DATA(c))->ipi_ifindex;
		else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
			*ifindex = (int)((struct in6_pktinfo *)(void *)CMSG_DATA(c))->ipi6_ifindex;
	}
	return n;
}

/* sendto() out of one interface from one address (IP_PKTINFO or
 * IPV6_PKTINFO): the session's. */
static ssize_t session_addrconf_send(int fd, const void *buf, size_t len,
				     const void *to, socklen_t tolen,
				     const void *pktinfo, size_t pisize)
{
	union {
		char b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} cb;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_name = (void *)to, .msg_namelen = tolen, .msg_iov = &iov,
			    .msg_iovlen = 1, .msg_control = cb.b,
			    .msg_controllen = CMSG_SPACE(pisize) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	bool v6 = pisize == sizeof(struct in6_pktinfo);

	memset(cb.b, 0, sizeof(cb.b));
	c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = v6 ? IPV6_PKTINFO : IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(pisize);
	memcpy(CMSG_DATA(c), pktinfo, pisize);
	return sendmsg(fd, &m, 0);
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
	struct session_env *env = container_of(lfd, struct session_env, dhcp_lfd);
	uint8_t req[DHCP_MAX_LEN * 2], ack[DHCP_MAX_LEN];
	struct sockaddr_in from, to = { .sin_family = AF_INET,
					.sin_port = htons(DHCP_CLIENT_PORT) };
	struct dhcp_info info = { 0 };
	struct in_pktinfo pi = { 0 };
	const struct config *cfg;
	struct session *s;
	uint32_t ciaddr;
	int len, ifindex;
	ssize_t n;

	n = session_addrconf_recv(lfd->fd, req, sizeof(req), &from, sizeof(from), &ifindex);
	if (n < 0 || dhcp_inform_parse(req, (size_t)n, &ciaddr))
		return;
	s = session_by_ifindex(env, ifindex);
	if (!s || !s->addrconf.dhcp_on)
		return;		/* not one of ours (another interface) */
	cfg = env->cfg;
	/* Only the client's own address, from itself. */
	if (ciaddr != s->peer_ip || ntohl(from.sin_addr.s_addr) != s->peer_ip) {
		slog(LOG_DEBUG, s, "DHCPINFORM for another address ignored");
		return;
	}
	info.server = s->local_ip;
	info.dns[0] = env->dns[0];
	info.dns[1] = env->dns[1];
	snprintf(info.domain, sizeof(info.domain), "%.127s", cfg->domain);
	session_dhcp_routes(s, cfg->dhcp_routes, &info);
	for (unsigned int i = 0; i < s->aaa.n_routes; i++)
		session_dhcp_routes(s, s->aaa.routes[i], &info);
	len = dhcp_ack_build(req, (size_t)n, &info, ack, sizeof(ack));
	if (len < 0)
		return;
	to.sin_addr.s_addr = htonl(ciaddr);
	pi.ipi_ifindex = s->link->ifindex;
	pi.ipi_spec_dst.s_addr = htonl(s->local_ip);
	if (session_addrconf_send(lfd->fd, ack, (size_t)len, &to, sizeof(to), &pi,
				  sizeof(pi)) < 0)
		slog(LOG_WARNING, s, "DHCPACK: %s", strerror(errno));
	else
		slog(LOG_INFO, s, "DHCPINFORM answered (%u route(s)%s%s)", info.n_routes,
		     info.domain[0] ? ", domain " : "", info.domain);
}

/* IPCP up: take the client's DHCPINFORM. */
void session_addrconf_v4_up(struct session *s)
{
	if (s->addrconf.dhcp_on)
		return;
	if (s->env->dhcp_lfd.fd < 0) {
		slog(LOG_WARNING, s, "no DHCPINFORM answers: %s", s->env->addrconf_why[0]);
		return;
	}
	s->addrconf.dhcp_on = true;
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
	/* From our link-local address (RFC 4861 4.2). */
	struct in6_pktinfo pi = { .ipi6_ifindex = (unsigned int)s->link->ifindex };
	uint8_t b[128];
	int n;

	memcpy(pi.ipi6_addr.s6_addr, "\xfe\x80\0\0\0\0\0\0", 8);
	memcpy(pi.ipi6_addr.s6_addr + 8, s->local_iid, 8);
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	n = ndisc_ra_build(&ra, b, sizeof(b));
	if (n > 0 && session_addrconf_send(s->env->ra_lfd.fd, b, (size_t)n, &to, sizeof(to),
					   &pi, sizeof(pi)) < 0)
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
	struct session_env *env = container_of(lfd, struct session_env, ra_lfd);
	struct sockaddr_in6 from;
	struct session *s;
	uint8_t b[256];
	int ifindex;
	ssize_t n;

	while ((n = session_addrconf_recv(lfd->fd, b, sizeof(b), &from, sizeof(from),
					  &ifindex)) >= 0) {
		s = session_by_ifindex(env, ifindex);
		if (s && s->addrconf.ra_on && ndisc_is_rs(b, (size_t)n))
			session_ra_send(s);
	}
}

/* The all-routers group on the session's interface, which Router
 * Solicitations are sent to: joined (or left) on the daemon's socket. */
static int session_ra_group(struct session *s, bool join)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned int)s->link->ifindex };

	inet_pton(AF_INET6, "ff02::2", &mr.ipv6mr_multiaddr);
	return setsockopt(s->env->ra_lfd.fd, IPPROTO_IPV6,
			  join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &mr, sizeof(mr));
}

/* IPV6CP up: the session's prefix, routed here and advertised. */
void session_addrconf_v6_up(struct session *s)
{
	struct session_addrconf *ac = &s->addrconf;
	char p[INET6_ADDRSTRLEN];
	int err;

	if (ac->ra_on)
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
	if (s->env->ra_lfd.fd < 0) {
		slog(LOG_WARNING, s, "no Router Advertisements: %s", s->env->addrconf_why[1]);
		return;
	}
	if (session_ra_group(s, true) < 0) {
		slog(LOG_WARNING, s, "no Router Advertisements: ff02::2: %s", strerror(errno));
		return;
	}
	ac->ra_on = true;
	slog(LOG_INFO, s, "IPv6 prefix %s/%u for the client (Router Advertisements)",
	     p, ac->prefix_len);
	ac->ra_sent = 0;
	session_ra_timer(&ac->ra_timer);
}

/* ------------------------------------------------------------ down */

/* An NCP went down (ipv6: IPV6CP), or the session (both). */
void session_addrconf_down(struct session *s, bool v4, bool v6)
{
	if (v4)
		s->addrconf.dhcp_on = false;
	if (v6) {
		loop_timer_cancel(s->env->loop, &s->addrconf.ra_timer);
		/* The membership goes with the socket only: leave it even if
		 * the interface is gone already. */
		if (s->addrconf.ra_on)
			session_ra_group(s, false);
		s->addrconf.ra_on = false;
		s->addrconf.have_prefix = false;
	}
}

/* ------------------------------------------------------------ the sockets */

static int session_addrconf_socket(int family, int type, int proto, const void *addr,
				   socklen_t alen)
{
	int fd, one = 1, zero = 0, hops = 255;
	bool v6 = family == AF_INET6;
	struct icmp6_filter filt;

	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(NDISC_RS, &filt);
	fd = socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (!v6 && (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
		     setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0)) ||
	    /* FREEBIND: a session's link-local address may still be
	     * tentative (DAD); the first Advertisements wait for it, the
	     * timer sends again. */
	    (v6 && (setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof(filt)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
		    /* not to our own stack, which would take it as a host */
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0)) ||
	    (addr && bind(fd, addr, alen) < 0)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

void session_addrconf_open(struct session_env *env)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(DHCP_SERVER_PORT) };
	int fd;

	env->dhcp_lfd.fd = env->ra_lfd.fd = -1;
	fd = session_addrconf_socket(AF_INET, SOCK_DGRAM, 0, &a, sizeof(a));
	if (fd >= 0 && loop_fd_add(env->loop, &env->dhcp_lfd, fd, EPOLLIN, session_dhcp_input)) {
		close(fd);
		fd = -EIO;
	}
	if (fd < 0)
		snprintf(env->addrconf_why[0], sizeof(env->addrconf_why[0]), "UDP port %d: %s",
			 DHCP_SERVER_PORT, strerror(-fd));
	fd = session_addrconf_socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, NULL, 0);
	if (fd >= 0 && loop_fd_add(env->loop, &env->ra_lfd, fd, EPOLLIN, session_ra_input)) {
		close(fd);
		fd = -EIO;
	}
	if (fd < 0)
		snprintf(env->addrconf_why[1], sizeof(env->addrconf_why[1]), "ICMPv6 socket: %s",
			 strerror(-fd));
}

void session_addrconf_close_all(struct session_env *env)
{
	struct loop_fd *l[] = { &env->dhcp_lfd, &env->ra_lfd };

	for (size_t i = 0; i < 2; i++) {
		int fd = l[i]->fd;

		if (fd < 0)
			continue;
		loop_fd_del(env->loop, l[i]);	/* sets fd to -1 */
		close(fd);
	}
}
