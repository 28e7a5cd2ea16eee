/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session's link backend: what carries IP packets between the tunnel
 * interface and the peer once PPP's network layer is up. One control plane
 * (TLS, HTTP, SSTP call, PPP engine in the session), two backends:
 *
 *   user (link_user.c)   the daemon frames everything itself: SSTP data
 *                        packets <-> PPP frames (PPP engine) <-> IP packets
 *                        on a tun device of its own. Runs on any kernel.
 *   kernel (later)       the socket and a ppp_generic channel are handed to
 *                        sstp.ko; the interface is the pppN unit, and
 *                        rx_ip/tx are never called.
 *
 * The session calls the ops; the backend calls back through link_owner.
 *
 * What the kernel backend will add to this seam (DESIGN.md 1), so that the
 * session's control plane stays as it is:
 *   - an attach op, called right after the HTTP exchange with the socket
 *     (kTLS TX+RX installed) and the bytes already read past the HTTP
 *     header; from then on the session no longer reads or writes the socket;
 *   - send_ctrl / send_ppp ops replacing the session's own TLS writes of
 *     SSTP control packets and PPP control frames (genetlink CTRL_SEND and
 *     the /dev/ppp channel fd);
 *   - owner callbacks for control packets and PPP frames received by the
 *     kernel, and for the kernel's session-down notification, feeding the
 *     same sstp_call_input() / ppp_input() / sstp_call_lower_down() calls
 *     the user backend's byte stream feeds today.
 */
#ifndef SSTP_LINK_H
#define SSTP_LINK_H

#include <net/if.h>
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
};

struct link {
	const struct link_ops *ops;
	struct link_owner owner;
	char ifname[IFNAMSIZ];		/* "" until the interface exists */
	int ifindex;
	unsigned int mtu;
	struct link_stats stats;
	char err[192];			/* why the last op failed */
};

struct link_user_config {
	struct loop *loop;
	struct rtnl *rtnl;
	const char *ifname;		/* template, e.g. "sstp%d" */
	unsigned int mtu;		/* upper bound for the interface MTU */
	size_t headroom;		/* bytes the owner needs in front of a packet */
};

int link_user_new(const struct link_user_config *cfg,
		  const struct link_owner *owner, struct link **out);

static inline void link_free(struct link *l)
{
	if (l)
		l->ops->free(l);
}

#endif /* SSTP_LINK_H */
