/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session's link backend: what carries IP packets between the tunnel
 * interface and the peer once PPP's network layer is up. One control plane
 * (TLS, HTTP, SSTP call, PPP engine in the session), two backends:
 *
 *   user (link_user.c)   the daemon frames everything itself: SSTP data
 *                        packets <-> PPP frames (PPP engine) <-> IP packets
 *                        on a tun device of its own. Runs on any kernel.
 *   kernel (link_kernel.c) the socket (kTLS in both directions) and a
 *                        ppp_generic channel belong to sstp.ko; the
 *                        interface is the pppN unit (renamed after the
 *                        ifname template), and rx_ip/tx are never called.
 *                        SSTP control packets travel over genetlink
 *                        (send_ctrl, owner->ctrl_recv), PPP control frames
 *                        over /dev/ppp (send_ppp, owner->ppp_recv), and the
 *                        kernel's session-down arrives as owner->down.
 *
 * The session calls the ops; the backend calls back through link_owner.
 * A backend may be freed from inside any owner callback.
 */
#ifndef SSTP_LINK_H
#define SSTP_LINK_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ppp/ppp.h"

struct loop;
struct rtnl;

struct link_stats {
	uint64_t rx_packets, rx_bytes;	/* from the peer into the interface */
	uint64_t tx_packets, tx_bytes;	/* from the interface to the peer */
	uint64_t rx_dropped, tx_dropped;
};

struct link;

/* How a backend reaches its session. */
struct link_owner {
	void *ctx;
	/* user backend: one IP packet read from the interface, to frame and
	 * send. The packet sits at buf + headroom, with `headroom` writable
	 * bytes in front of it for the SSTP and PPP headers. Returns 0, or
	 * -EAGAIN/-ENOBUFS when the session cannot take it now (dropped). */
	int (*tx)(void *ctx, uint8_t *buf, size_t headroom, size_t len);
	/* kernel backend: a whole SSTP control packet from the peer. */
	void (*ctrl_recv)(void *ctx, const uint8_t *pkt, size_t len);
	/* kernel backend: a PPP control frame from the peer, starting with
	 * the 2-byte protocol (no FF 03). */
	void (*ppp_recv)(void *ctx, const uint8_t *frame, size_t len);
	/* kernel backend: the kernel ended the session. */
	void (*down)(void *ctx, const char *why);
};

struct link_ops {
	const char *name;
	/* IPCP opened: create/configure the interface (address, peer, MTU, up). */
	int (*ipv4_up)(struct link *l, const struct ppp_ipv4_info *info);
	/* IPV6CP opened: link-local address from the interface identifier. */
	int (*ipv6_up)(struct link *l, const struct ppp_ipv6_info *info);
	/* user backend: an IP packet from the peer (PPP already stripped). */
	void (*rx_ip)(struct link *l, const uint8_t *pkt, size_t len);
	/* Stop / resume taking packets from the interface (send backlog). */
	void (*tx_pause)(struct link *l, bool pause);
	/* Tear down the interface and free the backend. */
	void (*free)(struct link *l);
	/* The kernel backend's (NULL in the user backend): send one SSTP
	 * control packet / one PPP frame (FF 03 + protocol + information). */
	int (*send_ctrl)(struct link *l, const uint8_t *pkt, size_t len);
	int (*send_ppp)(struct link *l, const uint8_t *frame, size_t len);
	/* Let data of each family through the interface (the SSTP call
	 * allows data and that NCP is up), or keep dropping it. */
	void (*set_pass)(struct link *l, bool ipv4, bool ipv6);
	/* Refresh l->stats from the kernel. */
	void (*update_stats)(struct link *l);
};

struct link {
	const struct link_ops *ops;
	struct link_owner owner;
	char ifname[IFNAMSIZ];		/* "" until the interface exists */
	int ifindex;
	unsigned int mtu;
	struct link_stats stats;
	char err[192];			/* why the last op failed */
	unsigned int kernel_id;		/* kernel backend: sstp.ko session id */
	/* What ipv4_up / ipv6_up put on the interface (for link_ipv*_down). */
	bool has_addr4, has_addr6;
	struct in_addr addr4;		/* our IPv4 address */
	uint8_t addr6_iid[8];		/* our link-local fe80::<iid> */
};

/*
 * link_addr.c: IPCP / IPV6CP went down while the link stays up. Take that
 * family's address off the interface (and with the last IPv4 address the
 * kernel drops every IPv4 route through it), as pppd's ipcp_down does.
 * ipv4_up / ipv6_up put it back when the NCP opens again. The data gate is
 * separate (the session: set_pass on the kernel path, the engine's state on
 * the user path). 0 or -errno with l->err.
 */
int link_ipv4_down(struct link *l, struct rtnl *r);
int link_ipv6_down(struct link *l, struct rtnl *r);

struct link_user_config {
	struct loop *loop;
	struct rtnl *rtnl;
	const char *ifname;		/* template, e.g. "sstp%d" */
	unsigned int mtu;		/* upper bound for the interface MTU */
	size_t headroom;		/* bytes the owner needs in front of a packet */
};

int link_user_new(const struct link_user_config *cfg,
		  const struct link_owner *owner, struct link **out);

struct link_kernel_config {
	struct loop *loop;
	struct rtnl *rtnl;
	const char *ifname;		/* template, e.g. "sstp%d" ("ppp%d": keep) */
	unsigned int mtu;		/* PPP channel MTU, upper bound for the interface */
	int fd;				/* the socket, kTLS in both directions */
	bool server;
	unsigned int hello;		/* seconds, 0 = none */
	const uint8_t *pending;		/* SSTP bytes read past the HTTP header */
	size_t pending_len;
};

/*
 * Hand the socket to sstp.ko and set up the channel and the unit. On error
 * *socket_lost says whether the kernel took the socket (and possibly bytes
 * from it) before the failure: then the session cannot go on in userspace.
 * The reason goes to why.
 */
int link_kernel_new(const struct link_kernel_config *cfg,
		    const struct link_owner *owner, struct link **out,
		    bool *socket_lost, char *why, size_t size);
/* Can sessions use the kernel backend here? Loads sstp.ko (modprobe) if
 * needed. 0, or -errno with the reason in why. */
int link_kernel_probe(char *why, size_t size);

static inline void link_free(struct link *l)
{
	if (l)
		l->ops->free(l);
}

#endif /* SSTP_LINK_H */
