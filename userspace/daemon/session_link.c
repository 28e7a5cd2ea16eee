// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session's side of its link (link/link.h): the daemon's own link when
 * the SSTP phase starts, the handoff to the kernel's once the peer has
 * authenticated, the owner callbacks either backend makes, and the data
 * gate. Which backend runs decides nothing here beyond the choice: the
 * rest asks the link.
 */
#include <errno.h>
#include <string.h>

#include "daemon/session_internal.h"

/* ------------------------------------------------------------ owner */

static int session_link_send(void *ctx, const uint8_t *pkt, size_t len, bool data)
{
	return session_queue(ctx, pkt, len, data);
}

/* MS-SSTP 3.3.7: data only once the crypto binding is checked, and only
 * for a family whose NCP is up. */
static bool session_link_data_ok(void *ctx, uint16_t proto)
{
	struct session *s = ctx;

	if (s->phase != SP_SSTP || !sstp_call_data_allowed(&s->call))
		return false;
	if (proto == PPP_PROTO_IPV4)
		return ppp_ipv4_is_up(s->ppp);
	if (proto == PPP_PROTO_IPV6)
		return ppp_ipv6_is_up(s->ppp);
	return false;
}

/* What a link that owns the socket passes on from the peer. */
static void session_link_recv(struct session *s, bool ctrl, const uint8_t *p,
			      size_t len)
{
	if (s->phase != SP_SSTP)
		return;
	if (ctrl)
		session_ctrl_in(s, p, len, loop_now());
	else
		session_ppp_in(s, p, len, loop_now());
	session_settle(s);
}

static void session_link_ctrl_recv(void *ctx, const uint8_t *pkt, size_t len)
{
	session_link_recv(ctx, true, pkt, len);
}

static void session_link_ppp_recv(void *ctx, const uint8_t *frame, size_t len)
{
	session_link_recv(ctx, false, frame, len);
}

static void session_link_down(void *ctx, const char *why)
{
	struct session *s = ctx;

	/* The call may report its own handshake's reason instead (a peer
	 * closing after a disconnect is the normal end): keep the link's. */
	slog(LOG_INFO, s, "%s", why);
	session_fail_lower(s, why);
	session_settle(s);
}

/* ------------------------------------------------------------ open */

/* The link for the SSTP phase: the daemon's own, on the TLS socket (or its
 * kTLS socket). 0, or -errno with the session down. */
int session_link_open(struct session *s)
{
	const struct config *cfg = s->env->cfg;
	struct link_user_config ucfg = {
		.loop = s->env->loop, .rtnl = s->env->rtnl, .ifname = cfg->ifname,
		.mtu = cfg->mtu, .ktls = s->ktls,
	};
	struct link_owner owner = {
		.ctx = s, .send = session_link_send, .data_ok = session_link_data_ok,
		.ctrl_recv = session_link_ctrl_recv, .ppp_recv = session_link_ppp_recv,
		.down = session_link_down,
	};
	int err;

	err = link_user_new(&ucfg, &owner, &s->link);
	if (err) {
		session_down(s, true, "link: %s", strerror(-err));
		return err;
	}
	return 0;
}

/* The one line that says which data path a session got and why. */
static void session_link_path(struct session *s, bool kernel, const char *why)
{
	slog(LOG_INFO, s, "data path: %s (%s)", kernel ? "kernel" : "userspace", why);
}

void session_link_path_user(struct session *s)
{
	const char *why;

	if (s->plain)
		why = "plain listener: TLS ends at the front end, and sstp.ko needs kTLS";
	else if (!s->env->offload)
		why = s->env->offload_why;
	else
		why = s->no_ktls;
	session_link_path(s, false, why);
}

/* ------------------------------------------------------------ handoff */

/*
 * The peer has authenticated and the socket has kTLS both ways: sstp.ko
 * takes it over, with what was read but not parsed, and the session's
 * link becomes the kernel's. Why only now, and not at the end of the HTTP
 * exchange: docs/sstpd.md, "Before authentication". The SSTP call and the
 * PPP engine run on in the daemon; only where their packets go changes.
 *
 * Called (from session_settle) until the output queue is empty: what the
 * daemon queued on the socket (the authentication's answer, a
 * CALL_CONNECTED) must leave before the kernel owns the stream. If the
 * kernel refuses, the session goes on on the daemon's link, as it would
 * have without offload; if it took the socket and then failed, the
 * session is lost.
 */
void session_link_handoff(struct session *s)
{
	const struct config *cfg = s->env->cfg;
	struct link_kernel_config kcfg = {
		.loop = s->env->loop, .rtnl = s->env->rtnl, .ifname = cfg->ifname,
		.mtu = cfg->mtu, .fd = s->fd, .server = s->server,
		.hello = cfg->hello_interval,
	};
	struct link *user = s->link, *k = NULL;
	char why[192];
	bool lost;
	int err;

	if (session_flush(s)) {
		session_fail_lower(s, s->tls.err);
		return;
	}
	if (s->olen)
		return;		/* EPOLLOUT brings us back */
	s->handoff_due = false;
	/* The deframer's partial packet, if the handoff was not decided in
	 * the middle of a read. */
	session_sstp_stash(s, NULL, 0);
	if (s->phase != SP_SSTP)
		return;
	/* The user link has no interface yet: no NCP could open while
	 * nothing was read. */
	if (user->ifname[0]) {
		session_link_path(s, false, "an interface exists already");
		goto stay;
	}
	kcfg.pending = s->pending;
	kcfg.pending_len = s->pending_len;
	err = link_kernel_new(&kcfg, &user->owner, &k, &lost, why, sizeof(why));
	if (err && lost) {
		slog(LOG_WARNING, s, "kernel data path: %s", why);
		session_fail_lower(s, "the kernel took the socket, then failed");
		return;
	}
	if (err) {
		char refused[sizeof(why) + 32];

		snprintf(refused, sizeof(refused), "sstp.ko refused the socket: %s", why);
		session_link_path(s, false, refused);
		goto stay;
	}
	snprintf(why + strlen(why), sizeof(why) - strlen(why), ", interface %s", k->ifname);
	session_link_path(s, true, why);
	free(s->pending);
	s->pending = NULL;
	s->pending_len = 0;
	/* Not a byte more from this socket: it is the kernel's now. The
	 * kernel answers ECHO_REQUEST and runs the hello timer. */
	loop_fd_del(s->env->loop, &s->lfd);
	loop_timer_cancel(s->env->loop, &s->rx_timer);
	s->link = k;
	link_free(user);
	sstp_call_hello_off(&s->call);
	session_link_gate(s);
	return;
stay:
	/* Carry on reading where the handoff would have taken over. */
	if (s->pending_len) {
		uint8_t *p = s->pending;
		size_t n = s->pending_len;

		s->pending = NULL;
		s->pending_len = 0;
		session_sstp_feed(s, p, n);
		free(p);
	}
}

/* ------------------------------------------------------------ data gate */

/* Data moves through the interface only once the SSTP call allows it
 * (MS-SSTP 3.3.7) and that family's NCP is up. A link whose data passes
 * through the daemon asks session_link_data_ok() per packet instead. */
void session_link_gate(struct session *s)
{
	bool data;

	if (!s->link || s->phase != SP_SSTP)
		return;
	data = sstp_call_data_allowed(&s->call);
	link_set_pass(s->link, data && ppp_ipv4_is_up(s->ppp),
		      data && ppp_ipv6_is_up(s->ppp));
}
