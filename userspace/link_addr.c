// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Taking a family's address off a session's interface when its NCP goes
 * down while the link stays (the other NCP is still up). pppd does the
 * same in ipcp_down / ipv6cp_down: an interface must not keep claiming an
 * address whose network layer is gone. Both backends share this; the
 * addresses are the ones their ipv4_up / ipv6_up put on (struct link).
 *
 * One RTM_DELADDR on a socket of its own: this runs at most once per NCP
 * going down, and keeps the request apart from the rtnetlink client.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include "link.h"

static int link_addr_del(struct link *l, int family, uint8_t plen,
			 const void *addr, size_t alen, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	unsigned int seq = (unsigned int)time(NULL), portid;
	ssize_t n;
	int err;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = (unsigned int)l->ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	if (family == AF_INET6)
		mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);

	nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl) {
		err = -errno;
		goto out;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		goto close;
	}
	portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		goto close;
	}
	n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (n < 0) {
		err = -errno;
		goto close;
	}
	err = mnl_cb_run(buf, (size_t)n, seq, portid, NULL, NULL) < 0 ? -errno : 0;
close:
	mnl_socket_close(nl);
out:
	/* Already gone (removed by hand, or with the device) is the goal. */
	if (err == -EADDRNOTAVAIL || err == -ENODEV || err == -ENOENT)
		err = 0;
	if (err)
		snprintf(l->err, sizeof(l->err), "%s: remove %s address: %s",
			 l->ifname, what, strerror(-err));
	return err;
}

int link_ipv4_down(struct link *l)
{
	if (!l->has_addr4)
		return 0;
	l->has_addr4 = false;
	/* Routes through the interface go with its last IPv4 address. */
	return link_addr_del(l, AF_INET, 32, &l->addr4.s_addr, 4, "IPv4");
}

int link_ipv6_down(struct link *l)
{
	uint8_t a[16] = { 0xfe, 0x80 };

	if (!l->has_addr6)
		return 0;
	l->has_addr6 = false;
	memcpy(a + 8, l->addr6_iid, 8);
	return link_addr_del(l, AF_INET6, 64, a, sizeof(a), "IPv6 link-local");
}
