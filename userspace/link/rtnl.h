/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The few rtnetlink requests the daemon needs for a session's interface:
 * bring it up with an MTU, put a point-to-point address on it (and take it
 * off when its NCP goes down), add routes through it. Synchronous request + ACK over libmnl with extended ACKs, so
 * a failure carries the kernel's own explanation in rtnl->err.
 */
#ifndef SSTP_RTNL_H
#define SSTP_RTNL_H

#include <stddef.h>
#include <stdint.h>

#include <netinet/in.h>

struct mnl_socket;

struct rtnl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	char err[160];			/* extack text of the last failure */
};

int rtnl_open(struct rtnl *r);
void rtnl_close(struct rtnl *r);

int rtnl_link_up(struct rtnl *r, int ifindex, unsigned int mtu);
/* IPv6 makes no address of its own on the interface (addr_gen_mode none):
 * its only link-local is the one IPV6CP negotiates. 0 also when the
 * kernel or the interface has no IPv6. */
int rtnl_link_no_ipv6_ll(struct rtnl *r, int ifindex);
/* IPv4 local address with a peer (host byte order), /32 point-to-point. */
/* Only while the interface is down; a "%d" in name is filled in. */
int rtnl_link_rename(struct rtnl *r, int ifindex, const char *name);
int rtnl_addr4_add(struct rtnl *r, int ifindex, uint32_t local, uint32_t peer);
/* An IPv4 route to dst/plen out of the interface (host byte order). */
int rtnl_route4_add(struct rtnl *r, int ifindex, uint32_t dst, int plen);
/* The same for IPv6 (bits past plen are cleared). */
int rtnl_route6_add(struct rtnl *r, int ifindex, const struct in6_addr *dst,
		    int plen);
/* An IPv6 link-local fe80::<iid> address on the interface, /64. */
int rtnl_addr6_ll_add(struct rtnl *r, int ifindex, const uint8_t iid[8]);
/* Remove one address (AF_INET or AF_INET6, network byte order). */
int rtnl_addr_del(struct rtnl *r, int ifindex, int family, uint8_t plen,
		  const void *addr, size_t alen);

#endif /* SSTP_RTNL_H */
