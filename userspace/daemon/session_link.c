// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session's side of its link (link/link.h): choosing the backend when
 * the SSTP phase starts, the owner callbacks either backend makes, and the
 * data gate. Which backend runs decides nothing here beyond the choice:
 * the rest asks the link.
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

/*
 * sstp.ko's data path, if this session can have it (kTLS both ways).
 * Returns 0 with s->link set when the socket now belongs to sstp.ko, 0
 * without it to go on in userspace, <0 when the session is lost (the
 * kernel took the socket, then something failed).
 */
static int session_link_kernel(struct session *s, const struct link_owner *owner,
			       const uint8_t *rest, size_t rlen, char *why, size_t size)
{
	const struct config *cfg = s->env->cfg;
	struct link_kernel_config kcfg = {
		.loop = s->env->loop, .rtnl = s->env->rtnl, .ifname = cfg->ifname,
		.mtu = cfg->mtu, .fd = s->fd, .server = s->server,
		.hello = cfg->hello_interval, .pending = rest, .pending_len = rlen,
	};
	bool lost;
	int err;

	/* What was queued (the server's HTTP 200) must leave before the
	 * kernel owns the stream; a fresh socket takes it at once. */
	if (session_flush(s) || s->olen) {
		session_down(s, true, "cannot send the HTTP exchange before the handoff");
		return -EIO;
	}
	err = link_kernel_new(&kcfg, owner, &s->link, &lost, why, size);
	if (err && lost) {
		session_down(s, true, "kernel data path: %s", why);
		return err;
	}
	if (err) {
		char refused[160];

		snprintf(refused, sizeof(refused), "%.150s", why);
		snprintf(why, size, "sstp.ko refused the socket: %.150s", refused);
		return 0;
	}
	snprintf(why + strlen(why), size - strlen(why), ", interface %s", s->link->ifname);
	return 0;
}

/* Why a session without kTLS runs in userspace, for its "data path" line. */
static void session_link_why_user(struct session *s, char *why, size_t size)
{
	if (s->plain)
		snprintf(why, size, "plain listener: TLS ends at the front end, "
			 "and sstp.ko needs kTLS");
	else if (!s->env->offload)
		snprintf(why, size, "%s", s->env->offload_why);
	else
		snprintf(why, size, "%s", s->no_ktls);
}

/* The link for the SSTP phase. 0, or -errno with the session down. */
int session_link_open(struct session *s, const uint8_t *rest, size_t rlen)
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
	char why[192];
	int err;

	if (s->ktls) {
		err = session_link_kernel(s, &owner, rest, rlen, why, sizeof(why));
		if (err)
			return err;
	} else {
		session_link_why_user(s, why, sizeof(why));
	}
	if (!s->link) {
		err = link_user_new(&ucfg, &owner, &s->link);
		if (err) {
			session_down(s, true, "link: %s", strerror(-err));
			return err;
		}
	}
	/* The one line that says which data path this session got and why. */
	slog(LOG_INFO, s, "data path: %s (%s)", link_owns_socket(s->link) ?
	     "kernel" : "userspace", why);
	if (link_owns_socket(s->link)) {
		/* Not a byte more from this socket: it is the link's now. */
		loop_fd_del(s->env->loop, &s->lfd);
		loop_timer_cancel(s->env->loop, &s->rx_timer);
	}
	return 0;
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
