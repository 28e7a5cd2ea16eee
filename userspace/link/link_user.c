// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace data path. The daemon frames everything the session sends
 * as SSTP packets and hands them to the session's TLS output; IP packets
 * come from and go to a tun device per session. Packets from the interface
 * are framed in place (PPP and SSTP headers written into the headroom in
 * front of them); packets the PPP engine decapsulated are written to it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/loop.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "link/tun.h"
#include "proto/sstp_msg.h"

/* In front of an IP packet from the interface: SSTP header, FF 03, protocol. */
#define LINK_USER_HEADROOM	(SSTP_HDR_LEN + PPP_IP_HDR_LEN)
/* The largest IP packet an SSTP data packet can carry. */
#define LINK_USER_MAX_PKT	(SSTP_DATA_MAX - PPP_IP_HDR_LEN)
/* Packets read from the interface per readiness event. */
#define LINK_USER_TX_BUDGET	64

struct link_user {
	struct link link;
	struct loop *loop;
	struct rtnl *rtnl;
	char tmpl[IFNAMSIZ];
	unsigned int max_mtu;
	bool ktls;
	int fd;				/* tun; -1 until an NCP comes up */
	struct loop_fd lfd;
	bool paused;
	uint8_t buf[LINK_USER_HEADROOM + LINK_USER_MAX_PKT];
};

static struct link_user *link_user_of(struct link *l)
{
	return container_of(l, struct link_user, link);
}

/* Frame the IP packet of len bytes in u->buf in place and send it. */
static int link_user_tx(struct link_user *u, size_t len)
{
	uint8_t *pppf = u->buf + SSTP_HDR_LEN;
	const struct link_owner *o = &u->link.owner;

	if (ppp_ip_header(pppf, pppf + PPP_IP_HDR_LEN, len) < 0)
		return -EINVAL;
	if (!o->data_ok(o->ctx, sstp_proto_get_be16(pppf + PPP_ACF_LEN)))
		return -EAGAIN;
	if (sstp_data_put_hdr(u->buf, len + PPP_IP_HDR_LEN))
		return -EMSGSIZE;
	return o->send(o->ctx, u->buf, LINK_USER_HEADROOM + len, true);
}

static void link_user_readable(struct loop_fd *lfd, uint32_t events)
{
	struct link_user *u = container_of(lfd, struct link_user, lfd);
	ssize_t n;
	int i;

	/* A budget, so that one busy tunnel cannot starve the others. */
	for (i = 0; i < LINK_USER_TX_BUDGET && !u->paused && u->fd >= 0; i++) {
		n = read(u->fd, u->buf + LINK_USER_HEADROOM, LINK_USER_MAX_PKT);
		if (n < 0)
			return;		/* EAGAIN, or the device is going away */
		if (n == 0)
			continue;
		if (link_user_tx(u, (size_t)n)) {
			u->link.stats.tx_dropped++;
			continue;
		}
		u->link.stats.tx_packets++;
		u->link.stats.tx_bytes += (uint64_t)n;
	}
}

static int link_user_send_ctrl(struct link *l, const uint8_t *pkt, size_t len)
{
	int err = l->owner.send(l->owner.ctx, pkt, len, false);

	if (err)
		snprintf(l->err, sizeof(l->err), "TLS output: %s", strerror(-err));
	return err;
}

static int link_user_send_ppp(struct link *l, const uint8_t *frame, size_t len)
{
	uint8_t pkt[SSTP_PKT_MAX];
	int n;

	n = sstp_data_encap(pkt, sizeof(pkt), frame, len);
	if (n < 0)
		return n;
	return l->owner.send(l->owner.ctx, pkt, (size_t)n, false);
}

static int link_user_open(struct link_user *u)
{
	int fd;

	if (u->fd >= 0)
		return 0;
	fd = tun_open(u->tmpl, u->link.ifname, &u->link.ifindex);
	if (fd < 0) {
		snprintf(u->link.err, sizeof(u->link.err), "tun %s: %s", u->tmpl,
			 strerror(-fd));
		return fd;
	}
	u->fd = fd;
	if (loop_fd_add(u->loop, &u->lfd, fd, u->paused ? 0 : EPOLLIN,
			link_user_readable)) {
		snprintf(u->link.err, sizeof(u->link.err), "epoll: %s", strerror(errno));
		close(fd);
		u->fd = -1;
		u->link.ifname[0] = 0;
		return -errno;
	}
	return 0;
}

/* The tun device, created at the first NCP, up with its MTU (1500 if it
 * names none). */
static int link_user_up(struct link *l, unsigned int mtu)
{
	struct link_user *u = link_user_of(l);
	int err;

	err = link_user_open(u);
	if (err)
		return err;
	if (!mtu)
		mtu = 1500;
	return link_up(l, u->rtnl, mtu > u->max_mtu ? u->max_mtu : mtu);
}

static void link_user_rx_ip(struct link *l, const uint8_t *pkt, size_t len)
{
	struct link_user *u = link_user_of(l);

	/* tun takes a packet in one write or not at all; a full device
	 * queue drops, exactly as a busy NIC would. */
	if (u->fd < 0 || write(u->fd, pkt, len) != (ssize_t)len) {
		l->stats.rx_dropped++;
		return;
	}
	l->stats.rx_packets++;
	l->stats.rx_bytes += len;
}

static void link_user_tx_pause(struct link *l, bool pause)
{
	struct link_user *u = link_user_of(l);

	u->paused = pause;
	if (u->fd >= 0)
		loop_fd_mod(u->loop, &u->lfd, pause ? 0 : EPOLLIN);
}

static void link_user_describe(struct link *l, link_put_fn *put, void *ctx)
{
	put(ctx, "data_path", link_user_of(l)->ktls ? "user-ktls" : "user");
}

static void link_user_free(struct link *l)
{
	struct link_user *u = link_user_of(l);

	/* Closing the only fd of a non-persistent tun removes the device,
	 * its addresses and its routes. */
	if (u->fd >= 0) {
		loop_fd_del(u->loop, &u->lfd);
		close(u->fd);
	}
	free(u);
}

static const struct link_ops link_user_ops = {
	.name = "user",
	.owns_socket = false,
	.send_ctrl = link_user_send_ctrl,
	.send_ppp = link_user_send_ppp,
	.rx_ip = link_user_rx_ip,
	.up = link_user_up,
	.tx_pause = link_user_tx_pause,
	.describe = link_user_describe,
	.free = link_user_free,
};

int link_user_new(const struct link_user_config *cfg,
		  const struct link_owner *owner, struct link **out)
{
	struct link_user *u;

	if (strlen(cfg->ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->link.ops = &link_user_ops;
	u->link.owner = *owner;
	u->loop = cfg->loop;
	u->rtnl = cfg->rtnl;
	strcpy(u->tmpl, cfg->ifname);
	u->max_mtu = cfg->mtu;
	u->ktls = cfg->ktls;
	u->fd = -1;
	u->lfd.fd = -1;
	*out = &u->link;
	return 0;
}
