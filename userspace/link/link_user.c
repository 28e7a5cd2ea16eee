// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The userspace data path: a tun device per session. Packets from the
 * interface go to the session (which frames them as PPP in SSTP over TLS);
 * packets the PPP engine decapsulated are written to the interface.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/loop.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "link/tun.h"

/* The largest IP packet an SSTP data packet can carry: 4091 - FF 03 - proto. */
#define LINK_USER_MAX_PKT	(4091 - 4)

struct link_user {
	struct link link;
	struct loop *loop;
	struct rtnl *rtnl;
	char tmpl[IFNAMSIZ];
	unsigned int max_mtu;
	size_t headroom;
	int fd;				/* tun; -1 until an NCP comes up */
	struct loop_fd lfd;
	bool paused;
	uint8_t *buf;			/* headroom + one packet */
};

static struct link_user *link_user_of(struct link *l)
{
	return container_of(l, struct link_user, link);
}

static void link_user_readable(struct loop_fd *lfd, uint32_t events)
{
	struct link_user *u = container_of(lfd, struct link_user, lfd);
	ssize_t n;
	int i;

	/* A budget, so that one busy tunnel cannot starve the others. */
	for (i = 0; i < 64 && !u->paused && u->fd >= 0; i++) {
		n = read(u->fd, u->buf + u->headroom, LINK_USER_MAX_PKT);
		if (n < 0)
			return;		/* EAGAIN, or the device is going away */
		if (n == 0)
			continue;
		if (u->link.owner.tx(u->link.owner.ctx, u->buf, u->headroom, (size_t)n)) {
			u->link.stats.tx_dropped++;
			continue;
		}
		u->link.stats.tx_packets++;
		u->link.stats.tx_bytes += (uint64_t)n;
	}
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

static int link_user_up(struct link_user *u, unsigned int mtu)
{
	int err;

	if (mtu > u->max_mtu)
		mtu = u->max_mtu;
	u->link.mtu = mtu;
	err = rtnl_link_up(u->rtnl, u->link.ifindex, mtu);
	if (err)
		snprintf(u->link.err, sizeof(u->link.err), "%s up: %s",
			 u->link.ifname, u->rtnl->err);
	return err;
}

static int link_user_ipv4_up(struct link *l, const struct ppp_ipv4_info *info)
{
	struct link_user *u = link_user_of(l);
	int err;

	err = link_user_open(u);
	if (err)
		return err;
	err = link_user_up(u, info->mtu ? info->mtu : 1500);
	if (err)
		return err;
	err = rtnl_addr4_add(u->rtnl, l->ifindex, ntohl(info->local.s_addr),
			     ntohl(info->peer.s_addr));
	if (err) {
		snprintf(l->err, sizeof(l->err), "%s address: %s", l->ifname,
			 u->rtnl->err);
		return err;
	}
	l->addr4 = info->local;
	l->has_addr4 = true;
	return 0;
}

static int link_user_ipv6_up(struct link *l, const struct ppp_ipv6_info *info)
{
	struct link_user *u = link_user_of(l);
	int err;

	err = link_user_open(u);
	if (err)
		return err;
	err = link_user_up(u, info->mtu ? info->mtu : 1500);
	if (err)
		return err;
	err = rtnl_addr6_ll_add(u->rtnl, l->ifindex, info->local_id);
	if (err) {
		snprintf(l->err, sizeof(l->err), "%s address: %s", l->ifname,
			 u->rtnl->err);
		return err;
	}
	memcpy(l->addr6_iid, info->local_id, 8);
	l->has_addr6 = true;
	return 0;
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

static void link_user_free(struct link *l)
{
	struct link_user *u = link_user_of(l);

	/* Closing the only fd of a non-persistent tun removes the device,
	 * its addresses and its routes. */
	if (u->fd >= 0) {
		loop_fd_del(u->loop, &u->lfd);
		close(u->fd);
	}
	free(u->buf);
	free(u);
}

static const struct link_ops link_user_ops = {
	.name = "user",
	.ipv4_up = link_user_ipv4_up,
	.ipv6_up = link_user_ipv6_up,
	.rx_ip = link_user_rx_ip,
	.tx_pause = link_user_tx_pause,
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
	u->buf = malloc(cfg->headroom + LINK_USER_MAX_PKT);
	if (!u->buf) {
		free(u);
		return -ENOMEM;
	}
	u->link.ops = &link_user_ops;
	u->link.owner = *owner;
	u->loop = cfg->loop;
	u->rtnl = cfg->rtnl;
	strcpy(u->tmpl, cfg->ifname);
	u->max_mtu = cfg->mtu;
	u->headroom = cfg->headroom;
	u->fd = -1;
	u->lfd.fd = -1;
	*out = &u->link;
	return 0;
}
