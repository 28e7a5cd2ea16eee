// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel data path: sstp.ko owns the socket and the session's network
 * device (the tunnel interface), and the daemon only sees control traffic:
 * SSTP control packets and every PPP frame that is not IP, both over the
 * session's own genetlink socket. Data is gated in the module per family
 * (session-set) until the session says the SSTP call allows it (crypto
 * binding, MS-SSTP 3.3.7) and that family's NCP is up.
 *
 * Re-entrancy: owner callbacks may free the link. Everything that calls
 * them counts itself in `busy`; a free requested meanwhile is done when
 * the outermost one returns.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "daemon/loop.h"
#include "kmod/proto.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "link/sstp_genl.h"
#include "tls/ktls_offload.h"

struct link_kernel {
	struct link link;
	struct loop *loop;
	struct rtnl *rtnl;
	unsigned int max_mtu;
	struct sstp_genl nl;
	struct loop_fd nl_lfd;
	struct loop_timer drain;	/* events queued during a request */
	struct loop_timer lost;		/* notifications overflowed: is it gone? */
	uint32_t id;
	uint32_t pass;			/* SSTP_PASS_* the kernel has */
	bool alive;			/* the kernel session exists */
	/* Our own reference to the socket (the session may close its fd
	 * before a deferred free runs the session-del), and whether the
	 * peer should get a TLS close_notify once sstp.ko has let go of it:
	 * not after it closed the connection or sent an alert itself. */
	int sock_fd;
	bool close_notify;
	unsigned int busy;
	bool freeing;
};

static struct link_kernel *link_kernel_of(struct link *l)
{
	return container_of(l, struct link_kernel, link);
}

static const char *link_kernel_reason(uint32_t r)
{
	switch (r) {
	case SSTP_DOWN_PEER_CLOSED: return "peer closed the connection";
	case SSTP_DOWN_TLS_ALERT: return "TLS alert from the peer";
	case SSTP_DOWN_PROTOCOL_ERROR: return "malformed SSTP or TLS input";
	case SSTP_DOWN_HELLO_TIMEOUT: return "hello timeout (peer silent)";
	case SSTP_DOWN_OWNER_GONE: return "owner gone";
	case SSTP_DOWN_DELETED: return "deleted";
	case SSTP_DOWN_TLS_KEY_UPDATE: return "TLS KeyUpdate (kTLS cannot rekey)";
	case SSTP_DOWN_SHUTDOWN: return "module or namespace shutdown";
	case SSTP_DOWN_TX_STALLED: return "the peer stopped reading";
	case SSTP_DOWN_DEV_DELETED: return "the interface was deleted";
	default: return "unknown reason";
	}
}

static void link_kernel_destroy(struct link_kernel *k)
{
	loop_timer_cancel(k->loop, &k->drain);
	loop_timer_cancel(k->loop, &k->lost);
	loop_fd_del(k->loop, &k->nl_lfd);
	/* session-del sends what was queued (a CALL_DISCONNECT_ACK, say)
	 * first, removes the interface and gives the socket back. */
	if (k->alive && k->nl.nl)
		sstp_genl_session_del(&k->nl, k->id);
	k->alive = false;
	/* The kernel's TLS TX state stays on the socket after the module
	 * gave it back: end the TLS stream as the userspace path does
	 * (tls_shutdown). Best effort, never blocks. */
	if (k->sock_fd >= 0) {
		if (k->close_notify)
			ktls_send_close_notify(k->sock_fd);
		close(k->sock_fd);
	}
	/* Closing the owner socket would end a session left behind, too. */
	sstp_genl_close(&k->nl);
	free(k);
}

static void link_kernel_enter(struct link_kernel *k)
{
	k->busy++;
}

/* Returns false when k is gone. */
static bool link_kernel_leave(struct link_kernel *k)
{
	if (--k->busy || !k->freeing)
		return true;
	link_kernel_destroy(k);
	return false;
}

static void link_kernel_dispatch(struct link_kernel *k)
{
	struct sstp_genl_event *e;

	link_kernel_enter(k);
	while ((e = sstp_genl_pop(&k->nl))) {
		if (k->freeing || e->m.id != k->id) {
			free(e);
			continue;
		}
		if (e->m.cmd == SSTP_CMD_CTRL_RECV && e->m.data_len) {
			k->link.owner.ctrl_recv(k->link.owner.ctx, e->m.data, e->m.data_len);
		} else if (e->m.cmd == SSTP_CMD_PPP_RECV && e->m.data_len >= 2) {
			k->link.owner.ppp_recv(k->link.owner.ctx, e->m.data, e->m.data_len);
		} else if (e->m.cmd == SSTP_CMD_SESSION_DOWN) {
			k->alive = false;
			if (e->m.reason == SSTP_DOWN_PEER_CLOSED ||
			    e->m.reason == SSTP_DOWN_TLS_ALERT)
				k->close_notify = false;
			k->link.stats.rx_packets = e->m.stats[SSTP_STATS_A_RX_PACKETS];
			k->link.stats.rx_bytes = e->m.stats[SSTP_STATS_A_RX_BYTES];
			k->link.stats.tx_packets = e->m.stats[SSTP_STATS_A_TX_PACKETS];
			k->link.stats.tx_bytes = e->m.stats[SSTP_STATS_A_TX_BYTES];
			snprintf(k->link.err, sizeof(k->link.err), "kernel session %u down: %s",
				 k->id, link_kernel_reason(e->m.reason));
			k->link.owner.down(k->link.owner.ctx, k->link.err);
		}
		free(e);
	}
	link_kernel_leave(k);
}

static void link_kernel_lost(struct loop_timer *t);

static void link_kernel_drain(struct loop_timer *t)
{
	struct link_kernel *k = container_of(t, struct link_kernel, drain);

	link_kernel_dispatch(k);
}

/* After a request: notifications it queued are handled on the next turn. */
static void link_kernel_kick(struct link_kernel *k)
{
	if (k->nl.head && !loop_timer_armed(&k->drain))
		loop_timer_set(k->loop, &k->drain, loop_now(), link_kernel_drain);
}

static void link_kernel_nl_readable(struct loop_fd *lfd, uint32_t events)
{
	struct link_kernel *k = container_of(lfd, struct link_kernel, nl_lfd);
	int err;

	(void)events;
	err = sstp_genl_read(&k->nl);
	/* The socket overflowed (a peer flooding control traffic): the
	 * kernel counts what it lost; a session-down may be among it. */
	if (err == -ENOBUFS && k->alive && !loop_timer_armed(&k->lost))
		loop_timer_set(k->loop, &k->lost, loop_now() + 1000, link_kernel_lost);
	if (err && err != -ENOBUFS) {
		loop_fd_del(k->loop, &k->nl_lfd);
		snprintf(k->link.err, sizeof(k->link.err), "genetlink: %s", strerror(-err));
		link_kernel_enter(k);
		k->link.owner.down(k->link.owner.ctx, k->link.err);
		if (!link_kernel_leave(k))
			return;
	}
	link_kernel_dispatch(k);
}

/* Notifications were lost a while ago (a full netlink socket drops
 * them): ask, and end the session if the kernel no longer has it. */
static void link_kernel_lost(struct loop_timer *t)
{
	struct link_kernel *k = container_of(t, struct link_kernel, lost);
	struct sstp_genl_msg *m;
	int err;

	if (!k->alive)
		return;
	m = malloc(sizeof(*m));
	if (!m)
		return;
	err = sstp_genl_session_get(&k->nl, k->id, m);
	free(m);
	if (err != -ENOENT) {
		link_kernel_kick(k);
		return;
	}
	k->alive = false;
	/* Why is unknown: maybe the peer's alert. Stay quiet. */
	k->close_notify = false;
	snprintf(k->link.err, sizeof(k->link.err),
		 "kernel session %u gone (its session-down was lost)", k->id);
	link_kernel_enter(k);
	k->link.owner.down(k->link.owner.ctx, k->link.err);
	link_kernel_leave(k);
}

static int link_kernel_send_ctrl(struct link *l, const uint8_t *pkt, size_t len)
{
	struct link_kernel *k = link_kernel_of(l);
	int err;

	if (!k->alive)
		return -ENOTCONN;
	err = sstp_genl_ctrl_send(&k->nl, k->id, pkt, len);
	if (err)
		snprintf(l->err, sizeof(l->err), "ctrl-send: %s", k->nl.err);
	link_kernel_kick(k);
	return err;
}

static int link_kernel_send_ppp(struct link *l, const uint8_t *frame, size_t len)
{
	struct link_kernel *k = link_kernel_of(l);
	int err;

	/* The kernel puts FF 03 in front itself. */
	if (sstp_proto_ppp_acf(frame, (unsigned int)len)) {
		frame += PPP_ACF_LEN;
		len -= PPP_ACF_LEN;
	}
	if (!k->alive)
		return -ENOTCONN;
	err = sstp_genl_ppp_send(&k->nl, k->id, frame, len);
	if (err)
		snprintf(l->err, sizeof(l->err), "ppp-send: %s", k->nl.err);
	link_kernel_kick(k);
	return err;
}

static void link_kernel_set_pass(struct link *l, bool ipv4, bool ipv6)
{
	struct link_kernel *k = link_kernel_of(l);
	uint32_t pass = (ipv4 ? SSTP_PASS_IPV4 : 0) | (ipv6 ? SSTP_PASS_IPV6 : 0);

	if (!k->alive || pass == k->pass)
		return;
	if (sstp_genl_session_set(&k->nl, k->id, pass))
		snprintf(l->err, sizeof(l->err), "session-set: %s", k->nl.err);
	else
		k->pass = pass;
	link_kernel_kick(k);
}

static void link_kernel_update_stats(struct link *l)
{
	struct link_kernel *k = link_kernel_of(l);
	struct sstp_genl_msg *m;

	if (!k->alive)
		return;		/* the final counters came with session-down */
	m = malloc(sizeof(*m));
	if (!m)
		return;
	if (!sstp_genl_session_get(&k->nl, k->id, m)) {
		l->stats.rx_packets = m->stats[SSTP_STATS_A_RX_PACKETS];
		l->stats.rx_bytes = m->stats[SSTP_STATS_A_RX_BYTES];
		l->stats.tx_packets = m->stats[SSTP_STATS_A_TX_PACKETS];
		l->stats.tx_bytes = m->stats[SSTP_STATS_A_TX_BYTES];
		l->stats.rx_dropped = m->stats[SSTP_STATS_A_RX_ERRORS] +
				      m->stats[SSTP_STATS_A_RX_MALFORMED] +
				      m->stats[SSTP_STATS_A_RX_GATED];
		l->stats.tx_dropped = m->stats[SSTP_STATS_A_TX_DROPPED] +
				      m->stats[SSTP_STATS_A_TX_GATED];
	}
	free(m);
	link_kernel_kick(k);
}

/* The device, up with the NCP's MTU (session-new's if it names none). */
static int link_kernel_up(struct link *l, unsigned int mtu)
{
	struct link_kernel *k = link_kernel_of(l);

	return link_up(l, k->rtnl, !mtu || mtu > k->max_mtu ? k->max_mtu : mtu);
}

static void link_kernel_rx_ip(struct link *l, const uint8_t *pkt, size_t len)
{
	/* Data never reaches the daemon on this path. */
	(void)pkt;
	(void)len;
	l->stats.rx_dropped++;
}

static void link_kernel_describe(struct link *l, link_put_fn *put, void *ctx)
{
	char id[16];

	snprintf(id, sizeof(id), "%u", link_kernel_of(l)->id);
	put(ctx, "data_path", "kernel");
	put(ctx, "kernel_session", id);
}

static void link_kernel_free(struct link *l)
{
	struct link_kernel *k = link_kernel_of(l);

	if (k->busy) {
		k->freeing = true;
		return;
	}
	link_kernel_destroy(k);
}

static const struct link_ops link_kernel_ops = {
	.name = "kernel",
	.owns_socket = true,
	.send_ctrl = link_kernel_send_ctrl,
	.send_ppp = link_kernel_send_ppp,
	.rx_ip = link_kernel_rx_ip,
	.up = link_kernel_up,
	.set_pass = link_kernel_set_pass,
	.update_stats = link_kernel_update_stats,
	.describe = link_kernel_describe,
	.free = link_kernel_free,
};

int link_kernel_new(const struct link_kernel_config *cfg,
		    const struct link_owner *owner, struct link **out,
		    bool *socket_lost, char *why, size_t size)
{
	struct sstp_genl_new req = {
		.fd = cfg->fd, .server = cfg->server,
		.hello = cfg->hello > SSTP_HELLO_MAX ? SSTP_HELLO_MAX : cfg->hello,
		.mtu = cfg->mtu, .ifname = cfg->ifname[0] ? cfg->ifname : NULL,
		.pending = cfg->pending, .pending_len = cfg->pending_len,
	};
	struct sstp_genl_created cr;
	struct link_kernel *k;
	int err;

	*socket_lost = false;
	if (strlen(cfg->ifname) >= IFNAMSIZ) {
		snprintf(why, size, "ifname %s: too long", cfg->ifname);
		return -ENAMETOOLONG;
	}
	if (req.mtu < SSTP_MTU_MIN)
		req.mtu = SSTP_MTU_MIN;
	if (req.mtu > SSTP_MTU_MAX)
		req.mtu = SSTP_MTU_MAX;
	k = calloc(1, sizeof(*k));
	if (!k) {
		snprintf(why, size, "out of memory");
		return -ENOMEM;
	}
	k->link.ops = &link_kernel_ops;
	k->link.owner = *owner;
	k->loop = cfg->loop;
	k->rtnl = cfg->rtnl;
	k->max_mtu = req.mtu;
	k->sock_fd = -1;
	k->nl_lfd.fd = -1;
	k->drain.cb = link_kernel_drain;
	k->lost.cb = link_kernel_lost;

	err = sstp_genl_open(&k->nl);
	if (err) {
		snprintf(k->link.err, sizeof(k->link.err), "sstp genetlink: %s",
			 err == -ENOENT ? "sstp.ko not loaded" : strerror(-err));
		goto err;
	}
	err = sstp_genl_session_new(&k->nl, &req, &cr);
	if (err) {
		snprintf(k->link.err, sizeof(k->link.err), "session-new: %s", k->nl.err);
		goto err;
	}
	/* From here on the kernel has read from the socket. */
	*socket_lost = true;
	k->alive = true;
	k->id = cr.id;
	k->sock_fd = fcntl(cfg->fd, F_DUPFD_CLOEXEC, 0);
	k->close_notify = k->sock_fd >= 0;
	k->link.ifindex = (int)cr.ifindex;
	snprintf(k->link.ifname, sizeof(k->link.ifname), "%s", cr.ifname);
	err = loop_fd_add(k->loop, &k->nl_lfd, sstp_genl_fd(&k->nl), EPOLLIN,
			  link_kernel_nl_readable);
	if (err) {
		snprintf(k->link.err, sizeof(k->link.err), "epoll: %s", strerror(-err));
		goto err;
	}
	link_kernel_kick(k);
	snprintf(why, size, "sstp session %u", k->id);
	*out = &k->link;
	return 0;
err:
	snprintf(why, size, "%s", k->link.err);
	link_kernel_destroy(k);
	return err;
}

int link_kernel_probe(char *why, size_t size)
{
	struct sstp_genl g;
	pid_t pid;
	int err, status;

	err = sstp_genl_open(&g);
	if (!err)
		goto out;
	/* Not loaded (or not built in): ask modprobe, as pppd does for
	 * ppp_generic. */
	pid = fork();
	if (pid < 0) {
		snprintf(why, size, "fork: %s", strerror(errno));
		return -errno;
	}
	if (pid == 0) {
		execlp("modprobe", "modprobe", "-q", "sstp", (char *)NULL);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	err = sstp_genl_open(&g);
	if (err) {
		snprintf(why, size, "sstp.ko is not available (modprobe sstp: %s; "
			 "genetlink family: %s)",
			 WIFEXITED(status) && WEXITSTATUS(status) == 0 ? "ok" :
			 WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "not found" : "failed",
			 strerror(-err));
		return err;
	}
out:
	sstp_genl_close(&g);
	return 0;
}
