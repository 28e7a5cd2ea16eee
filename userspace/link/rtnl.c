// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "link/nlerr.h"
#include "link/rtnl.h"

int rtnl_open(struct rtnl *r)
{
	int one = 1, err;

	memset(r, 0, sizeof(*r));
	r->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!r->nl)
		return -errno;
	/* Best effort: without extended ACKs we still get the errno. */
	mnl_socket_setsockopt(r->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(r->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(r->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(r->nl);
		r->nl = NULL;
		return err;
	}
	r->portid = mnl_socket_get_portid(r->nl);
	r->seq = (uint32_t)time(NULL);
	return 0;
}

void rtnl_close(struct rtnl *r)
{
	if (r->nl)
		mnl_socket_close(r->nl);
	r->nl = NULL;
}

static int rtnl_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct rtnl *r = data;
	int err = nlerr_parse(nlh, r->err, sizeof(r->err));

	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_STOP;
}

/* Send one request and wait for its ACK. */
static int rtnl_talk(struct rtnl *r, struct nlmsghdr *nlh)
{
	static mnl_cb_t ctl_cb[NLMSG_MIN_TYPE] = { [NLMSG_ERROR] = rtnl_error_cb };
	char buf[MNL_SOCKET_BUFFER_SIZE];
	ssize_t n;
	int ret;

	r->err[0] = 0;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++r->seq;
	if (mnl_socket_sendto(r->nl, nlh, nlh->nlmsg_len) < 0)
		goto err_errno;
	do {
		n = mnl_socket_recvfrom(r->nl, buf, sizeof(buf));
		if (n < 0)
			goto err_errno;
		ret = mnl_cb_run2(buf, n, nlh->nlmsg_seq, r->portid, NULL, r,
				  ctl_cb, NLMSG_MIN_TYPE);
	} while (ret > 0);
	if (ret < 0)
		goto err_errno;
	return 0;

err_errno:
	ret = -errno;
	if (!r->err[0])
		snprintf(r->err, sizeof(r->err), "%s", strerror(errno));
	return ret;
}

int rtnl_link_up(struct rtnl *r, int ifindex, unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	ifm->ifi_flags = IFF_UP;
	ifm->ifi_change = IFF_UP;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return rtnl_talk(r, nlh);
}

int rtnl_link_no_ipv6_ll(struct rtnl *r, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *af, *in6;
	struct ifinfomsg *ifm;
	int err;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	af = mnl_attr_nest_start(nlh, IFLA_AF_SPEC);
	in6 = mnl_attr_nest_start(nlh, AF_INET6);
	mnl_attr_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_NONE);
	mnl_attr_nest_end(nlh, in6);
	mnl_attr_nest_end(nlh, af);
	err = rtnl_talk(r, nlh);
	/* No IPv6 in the kernel, or on this interface: nothing to keep off. */
	return err == -EAFNOSUPPORT ? 0 : err;
}

int rtnl_link_rename(struct rtnl *r, int ifindex, const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	/* The kernel picks the number for a "%d" template, as for tun. */
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return rtnl_talk(r, nlh);
}

int rtnl_addr4_add(struct rtnl *r, int ifindex, uint32_t local, uint32_t peer)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 32;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = ifindex;
	mnl_attr_put_u32(nlh, IFA_LOCAL, htonl(local));
	mnl_attr_put_u32(nlh, IFA_ADDRESS, htonl(peer));
	return rtnl_talk(r, nlh);
}

/* A route to dst/plen (network order, already masked) out of ifindex. */
static int rtnl_route_add(struct rtnl *r, int ifindex, int family,
			  const void *dst, size_t alen, int plen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)family;
	rtm->rtm_dst_len = (unsigned char)plen;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = RT_SCOPE_LINK;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return rtnl_talk(r, nlh);
}

int rtnl_route4_add(struct rtnl *r, int ifindex, uint32_t dst, int plen)
{
	uint32_t d;

	if (plen < 0 || plen > 32)
		return -EINVAL;
	d = htonl(plen ? dst & (~0u << (32 - plen)) : 0);
	return rtnl_route_add(r, ifindex, AF_INET, &d, 4, plen);
}

int rtnl_route6_add(struct rtnl *r, int ifindex, const struct in6_addr *dst,
		    int plen)
{
	struct in6_addr d = *dst;
	int i;

	if (plen < 0 || plen > 128)
		return -EINVAL;
	for (i = plen; i < 128; i++)
		d.s6_addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
	return rtnl_route_add(r, ifindex, AF_INET6, &d, 16, plen);
}

int rtnl_addr6_ll_add(struct rtnl *r, int ifindex, const uint8_t iid[8])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	uint8_t addr[16] = { 0xfe, 0x80 };

	memcpy(addr + 8, iid, 8);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET6;
	ifa->ifa_prefixlen = 64;
	ifa->ifa_scope = RT_SCOPE_LINK;
	ifa->ifa_index = ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, 16, addr);
	return rtnl_talk(r, nlh);
}

int rtnl_addr_del(struct rtnl *r, int ifindex, int family, uint8_t plen,
		  const void *addr, size_t alen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_DELADDR;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (unsigned int)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	if (family == AF_INET6)
		mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	return rtnl_talk(r, nlh);
}
