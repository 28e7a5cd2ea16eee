/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A session's link: how its SSTP control packets, PPP control frames and IP
 * data reach the peer, and where IP data enters and leaves the host. One
 * control plane (TLS, HTTP, SSTP call and PPP engine, in the session), two
 * implementations:
 *
 *   user (link_user.c)    the daemon carries everything itself: it frames
 *                         control packets, PPP frames and IP packets as SSTP
 *                         and hands them to the session's TLS output
 *                         (owner->send); IP packets come and go on a tun
 *                         device of its own. The session reads the socket
 *                         and gives the link what the PPP engine decapsulated
 *                         (rx_ip). Runs on any kernel.
 *   kernel (link_kernel.c) the socket, kTLS in both directions, belongs to
 *                         sstp.ko (owns_socket): control packets and PPP
 *                         frames go over the session's genetlink socket,
 *                         and IP data never leaves the kernel (the
 *                         interface is the session's own device, named
 *                         after the ifname template). What the peer sends
 *                         comes back as owner->ctrl_recv and
 *                         owner->ppp_recv, the kernel's session-down as
 *                         owner->down.
 *
 * The session calls the ops and knows nothing else of the backend; the
 * backend calls back through link_owner. A backend may be freed from inside
 * any owner callback.
 */
#ifndef SSTP_LINK_H
#define SSTP_LINK_H

#include <errno.h>
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
	/* user backend: whole SSTP packets for the peer, into the session's
	 * TLS output. data: an IP data packet, which the session may refuse
	 * when its output is backed up. 0 or -errno. */
	int (*send)(void *ctx, const uint8_t *pkt, size_t len, bool data);
	/* user backend: may an IP packet of this PPP protocol (PPP_PROTO_IPV4
	 * or PPP_PROTO_IPV6) go to the peer now? */
	bool (*data_ok)(void *ctx, uint16_t proto);
	/* kernel backend: a whole SSTP control packet from the peer. */
	void (*ctrl_recv)(void *ctx, const uint8_t *pkt, size_t len);
	/* kernel backend: a PPP control frame from the peer, starting with
	 * the 2-byte protocol (no FF 03). */
	void (*ppp_recv)(void *ctx, const uint8_t *frame, size_t len);
	/* kernel backend: the kernel ended the session. */
	void (*down)(void *ctx, const char *why);
};

/* One "key=value" word of sstpctl's description of a session. */
typedef void link_put_fn(void *ctx, const char *key, const char *val);

/* Optional ops may be NULL: the link_*() wrappers below skip them. */
struct link_ops {
	const char *name;
	/* The backend owns the socket: it reads and writes the TLS stream,
	 * answers ECHO_REQUEST and runs the hello timer, and the session
	 * neither reads, writes nor shuts down TLS on it any more. */
	bool owns_socket;
	/* To the peer: one whole SSTP control packet; one PPP frame (FF 03 +
	 * protocol + information). 0 or -errno (with l->err; -ENOTCONN when
	 * the link is going down). */
	int (*send_ctrl)(struct link *l, const uint8_t *pkt, size_t len);
	int (*send_ppp)(struct link *l, const uint8_t *frame, size_t len);
	/* From the peer: an IP packet the PPP engine took out of a frame. */
	void (*rx_ip)(struct link *l, const uint8_t *pkt, size_t len);
	/* An NCP opened: the interface exists and is up, with the MTU the
	 * NCP names (0: none) within the link's own bound. link_ipv4_up()
	 * and link_ipv6_up() call this, then put the address on. */
	int (*up)(struct link *l, unsigned int mtu);
	/* Optional: let data of each family through the interface (the SSTP
	 * call allows data and that NCP is up), or keep dropping it. A
	 * backend whose data passes through the daemon asks owner->data_ok
	 * per packet instead. */
	void (*set_pass)(struct link *l, bool ipv4, bool ipv6);
	/* Optional: stop / resume taking packets from the interface (the
	 * session's send backlog). */
	void (*tx_pause)(struct link *l, bool pause);
	/* Optional: refresh l->stats from where they are kept. */
	void (*update_stats)(struct link *l);
	/* The data path in sstpctl's words: "data_path" and what goes with
	 * it. */
	void (*describe)(struct link *l, link_put_fn *put, void *ctx);
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
	/* What link_ipv*_up put on the interface (for link_ipv*_down). */
	bool has_addr4, has_addr6;
	bool no_ipv6_ll;		/* addr_gen_mode none is set (link_up) */
	struct in_addr addr4;		/* our IPv4 address */
	uint8_t addr6_iid[8];		/* our link-local fe80::<iid> */
};

/*
 * link_addr.c: the interface, the same for both backends once it exists.
 * All return 0 or -errno with l->err.
 *
 * link_ipv4_up() / link_ipv6_up(): IPCP / IPV6CP opened. The interface up
 * (ops->up), then the NCP's address on it: IPv4 local with the peer, /32;
 * IPv6 link-local fe80::<our interface id>.
 *
 * link_ipv4_down() / link_ipv6_down(): IPCP / IPV6CP went down while the
 * link stays up. Take that family's address off the interface (and with
 * the last IPv4 address the kernel drops every IPv4 route through it), as
 * pppd's ipcp_down does; link_ipv*_up puts it back when the NCP opens
 * again. The data gate is separate (set_pass, or owner->data_ok).
 *
 * link_up(): for a backend's ops->up, bring the interface up with an MTU,
 * the first time with IPv6's own address generation off (addr_gen_mode
 * none): the only IPv6 address is the link-local IPV6CP negotiates.
 */
int link_ipv4_up(struct link *l, struct rtnl *r, const struct ppp_ipv4_info *info);
int link_ipv6_up(struct link *l, struct rtnl *r, const struct ppp_ipv6_info *info);
int link_ipv4_down(struct link *l, struct rtnl *r);
int link_ipv6_down(struct link *l, struct rtnl *r);
int link_up(struct link *l, struct rtnl *r, unsigned int mtu);

struct link_user_config {
	struct loop *loop;
	struct rtnl *rtnl;
	const char *ifname;		/* template, e.g. "sstp%d" */
	unsigned int mtu;		/* upper bound for the interface MTU */
	bool ktls;			/* the session's TLS is kTLS (for describe) */
};

int link_user_new(const struct link_user_config *cfg,
		  const struct link_owner *owner, struct link **out);

struct link_kernel_config {
	struct loop *loop;
	struct rtnl *rtnl;
	const char *ifname;		/* the device's name or template, e.g. "sstp%d" */
	unsigned int mtu;		/* upper bound for the interface MTU */
	int fd;				/* the socket, kTLS in both directions */
	bool server;
	unsigned int hello;		/* seconds, 0 = none */
	const uint8_t *pending;		/* SSTP bytes read past the HTTP header */
	size_t pending_len;
};

/*
 * Hand the socket to sstp.ko, which creates the session's device. On error
 * *socket_lost says whether the kernel took the socket (and possibly bytes
 * from it) before the failure: then the session cannot go on in userspace.
 * why gets the reason, or on success what was set up ("sstp session N").
 */
int link_kernel_new(const struct link_kernel_config *cfg,
		    const struct link_owner *owner, struct link **out,
		    bool *socket_lost, char *why, size_t size);
/* Can sessions use the kernel backend here? Loads sstp.ko (modprobe) if
 * needed. 0, or -errno with the reason in why. */
int link_kernel_probe(char *why, size_t size);

/* The calls a session makes that tolerate no link yet, or an op a backend
 * does not have. */
static inline bool link_owns_socket(const struct link *l)
{
	return l && l->ops->owns_socket;
}

static inline int link_send_ctrl(struct link *l, const uint8_t *pkt, size_t len)
{
	return l ? l->ops->send_ctrl(l, pkt, len) : -ENOTCONN;
}

static inline int link_send_ppp(struct link *l, const uint8_t *frame, size_t len)
{
	return l ? l->ops->send_ppp(l, frame, len) : -ENOTCONN;
}

static inline void link_set_pass(struct link *l, bool ipv4, bool ipv6)
{
	if (l && l->ops->set_pass)
		l->ops->set_pass(l, ipv4, ipv6);
}

static inline void link_tx_pause(struct link *l, bool pause)
{
	if (l && l->ops->tx_pause)
		l->ops->tx_pause(l, pause);
}

static inline void link_update_stats(struct link *l)
{
	if (l && l->ops->update_stats)
		l->ops->update_stats(l);
}

static inline void link_free(struct link *l)
{
	if (l)
		l->ops->free(l);
}

#endif /* SSTP_LINK_H */
