// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session's interface once it exists, the same for both backends: up
 * with an MTU, the address each NCP brings, and taking a family's address
 * off when its NCP goes down while the link stays (the other NCP is still
 * up). pppd does the same in ipcp_down / ipv6cp_down: an interface must not
 * keep claiming an address whose network layer is gone. struct link
 * remembers what was put on.
 *
 * Requests go through the daemon's rtnetlink client (rtnl.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "link/link.h"
#include "link/rtnl.h"

int link_up(struct link *l, struct rtnl *r, unsigned int mtu)
{
	int err;

	/*
	 * Before the interface first goes up: the kernel would give a tun
	 * device a link-local address of its own (ARPHRD_NONE gets a random
	 * or stable-privacy one) and send router solicitations and MLD
	 * reports from it, an address the peer never negotiated. sstp.ko's
	 * device is ARPHRD_PPP and gets none; it is told the same anyway.
	 */
	if (!l->no_ipv6_ll) {
		err = rtnl_link_no_ipv6_ll(r, l->ifindex);
		if (err) {
			snprintf(l->err, sizeof(l->err), "%s addr_gen_mode: %s", l->ifname,
				 r->err);
			return err;
		}
		l->no_ipv6_ll = true;
	}
	l->mtu = mtu;
	err = rtnl_link_up(r, l->ifindex, mtu);
	if (err)
		snprintf(l->err, sizeof(l->err), "%s up: %s", l->ifname, r->err);
	return err;
}

/* The outcome of an address request, with the kernel's words in l->err. */
static int link_addr_err(struct link *l, struct rtnl *r, int err)
{
	if (err)
		snprintf(l->err, sizeof(l->err), "%s address: %s", l->ifname, r->err);
	return err;
}

int link_ipv4_up(struct link *l, struct rtnl *r, const struct ppp_ipv4_info *info)
{
	int err = l->ops->up(l, info->mtu);

	if (!err)
		err = link_addr_err(l, r, rtnl_addr4_add(r, l->ifindex, ntohl(info->local.s_addr),
							 ntohl(info->peer.s_addr)));
	if (!err) {
		l->addr4 = info->local;
		l->has_addr4 = true;
	}
	return err;
}

int link_ipv6_up(struct link *l, struct rtnl *r, const struct ppp_ipv6_info *info)
{
	int err = l->ops->up(l, info->mtu);

	if (!err)
		err = link_addr_err(l, r, rtnl_addr6_ll_add(r, l->ifindex, info->local_id));
	if (!err) {
		memcpy(l->addr6_iid, info->local_id, 8);
		l->has_addr6 = true;
	}
	return err;
}

static int link_addr_del(struct link *l, struct rtnl *r, int family, uint8_t plen,
			 const void *addr, size_t alen, const char *what)
{
	int err = rtnl_addr_del(r, l->ifindex, family, plen, addr, alen);

	/* Already gone (removed by hand, or with the device) is the goal. */
	if (err == -EADDRNOTAVAIL || err == -ENODEV || err == -ENOENT)
		err = 0;
	if (err)
		snprintf(l->err, sizeof(l->err), "%s: remove %s address: %.120s",
			 l->ifname, what, r->err[0] ? r->err : strerror(-err));
	return err;
}

int link_ipv4_down(struct link *l, struct rtnl *r)
{
	if (!l->has_addr4)
		return 0;
	l->has_addr4 = false;
	/* Routes through the interface go with its last IPv4 address. */
	return link_addr_del(l, r, AF_INET, 32, &l->addr4.s_addr, 4, "IPv4");
}

int link_ipv6_down(struct link *l, struct rtnl *r)
{
	uint8_t a[16] = { 0xfe, 0x80 };

	if (!l->has_addr6)
		return 0;
	l->has_addr6 = false;
	memcpy(a + 8, l->addr6_iid, 8);
	return link_addr_del(l, r, AF_INET6, 64, a, sizeof(a), "IPv6 link-local");
}
