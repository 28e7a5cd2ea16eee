// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/crypto.h>

#include "daemon/endpoint.h"
#include "daemon/log.h"
#include "daemon/loop.h"
#include "daemon/pool.h"
#include "daemon/session.h"
#include "link/link.h"
#include "link/rtnl.h"
#include "ppp/ppp.h"
#include "ppp/secrets.h"
#include "proto/crypto_binding.h"
#include "proto/http.h"
#include "proto/sstp_call.h"
#include "proto/sstp_msg.h"
#include "tls/ktls_offload.h"
#include "tls/tls.h"

/* The name a server uses in CHAP challenges and secrets lookups. */
#define SESSION_PPP_NAME	"sstpd"
/* Send backlog: above HIGH, stop reading the tunnel interface and drop
 * data; resume once below LOW. Control packets are always queued. */
#define SESSION_OUT_HIGH	(512 * 1024)
#define SESSION_OUT_LOW		(64 * 1024)
#define SESSION_OUT_MAX		(4 * 1024 * 1024)
/* TLS reads (16 KiB each) per readiness event before yielding. */
#define SESSION_RX_BUDGET	64
/* Headroom in front of an IP packet: SSTP header + FF 03 + protocol. */
#define SESSION_HEADROOM	(SSTP_HDR_LEN + PPP_IP_HDR_LEN)

enum session_phase {
	SP_TCP,		/* client: non-blocking connect() in progress */
	SP_PROXY,	/* client: CONNECT sent to the HTTP proxy */
	SP_TLS,		/* TLS handshake */
	SP_HTTP,	/* server: reading the request; client: the response */
	SP_SSTP,	/* SSTP call (and PPP) running */
	SP_DOWN,	/* torn down, waiting for the reaper */
};

static const char *const session_phase_names[] = {
	[SP_TCP] = "tcp", [SP_PROXY] = "proxy", [SP_TLS] = "tls",
	[SP_HTTP] = "http", [SP_SSTP] = "sstp", [SP_DOWN] = "down",
};

struct session {
	struct session_env *env;
	struct session *prev, *next;
	unsigned int id;
	bool server;
	enum session_phase phase;
	uint64_t started;		/* loop_now() */
	uint64_t phase_deadline;	/* before SP_SSTP: the 60 s limits */

	int fd;
	struct loop_fd lfd;
	struct loop_timer timer;	/* engines' and phases' deadlines */
	struct loop_timer flush_timer;	/* batches writes of one loop turn */
	struct loop_timer rx_timer;	/* resumes reading after the budget */
	struct loop_timer reaper;
	struct tls tls;
	char peer[INET6_ADDRSTRLEN + 8];
	char host[256];			/* client: server host (SNI, Host:) */
	unsigned int port;

	char hbuf[HTTP_MAX_HEADER];	/* HTTP header (or proxy answer) so far */
	size_t hlen;

	struct sstp_deframer df;
	struct sstp_call call;
	bool call_inited;
	struct ppp *ppp;
	struct link *link;

	uint8_t *obuf;			/* TLS plaintext not yet written */
	size_t ooff, olen, ocap;
	size_t otail;			/* length of the last packet queued */
	bool tx_paused;

	char user[PPP_NAME_MAX + 1];
	uint32_t local_ip, peer_ip;	/* host order, 0 = none */
	bool ipv6_up;
	uint8_t local_iid[8], peer_iid[8]; /* IPV6CP interface identifiers */
	bool peer_ip_from_pool;
	uint64_t ppp_dropped;		/* frames refused by the SSTP gate */
	bool connected;			/* the SSTP call got to Call_Connected */
	bool ktls;			/* kTLS both ways: read with ktls_recv() */
	bool kernel;			/* the socket belongs to sstp.ko */
	bool failed;
	char why[192];			/* what ended (or is ending) it */
};

static uint8_t session_rbuf[16384];

#define slog(prio, s, fmt, ...) \
	log_msg(prio, "[%u] " fmt, (s)->id, ##__VA_ARGS__)

static void session_rearm(struct session *s);
static void session_flush_timer(struct loop_timer *t);
static void session_rx_timer(struct loop_timer *t);
static void session_update_events(struct session *s);
static void session_down(struct session *s, bool failed, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ------------------------------------------------------------ output */

static int session_queue(struct session *s, const uint8_t *data, size_t len,
			 bool droppable)
{
	size_t need;
	uint8_t *n;

	if (s->phase == SP_DOWN)
		return -ENOTCONN;
	if (droppable && s->olen >= SESSION_OUT_HIGH)
		return -ENOBUFS;
	if (s->olen + len > SESSION_OUT_MAX)
		return -ENOBUFS;
	if (s->ooff && s->ooff + s->olen + len > s->ocap) {
		memmove(s->obuf, s->obuf + s->ooff, s->olen);
		s->ooff = 0;
	}
	need = s->ooff + s->olen + len;
	if (need > s->ocap) {
		size_t cap = s->ocap ? s->ocap : 16384;

		while (cap < need)
			cap *= 2;
		n = realloc(s->obuf, cap);
		if (!n)
			return -ENOMEM;
		s->obuf = n;
		s->ocap = cap;
	}
	memcpy(s->obuf + s->ooff + s->olen, data, len);
	s->olen += len;
	s->otail = len;
	if (!loop_timer_armed(&s->flush_timer))
		loop_timer_set(s->env->loop, &s->flush_timer, loop_now(),
			       session_flush_timer);
	if (s->olen >= SESSION_OUT_HIGH && s->link && !s->tx_paused) {
		s->tx_paused = true;
		s->link->ops->tx_pause(s->link, true);
	}
	return 0;
}

/*
 * Write what TLS takes now. Returns 0 or a fatal -errno.
 *
 * Everything queued is one burst: its last packet goes into a TLS record
 * of its own (sstp_proto_burst_len() says why; iperf3 -R -P 4 through sstpc
 * crawled and once stalled without it).
 */
static int session_flush(struct session *s)
{
	ssize_t n;
	size_t len;

	while (s->olen) {
		len = sstp_proto_burst_len(s->olen, s->otail, false);
		n = tls_write(&s->tls, s->obuf + s->ooff, len);
		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		s->ooff += (size_t)n;
		s->olen -= (size_t)n;
	}
	if (!s->olen)
		s->ooff = s->otail = 0;
	if (s->tx_paused && s->olen < SESSION_OUT_LOW && s->link) {
		s->tx_paused = false;
		s->link->ops->tx_pause(s->link, false);
	}
	return 0;
}

static void session_flush_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, flush_timer);
	int err;

	if (s->phase == SP_DOWN)
		return;
	err = session_flush(s);
	if (err) {
		if (s->call_inited && !sstp_call_is_down(&s->call))
			sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER, s->tls.err);
		else
			session_down(s, true, "%s", s->tls.err);
		return;
	}
	session_update_events(s);
}

/* ------------------------------------------------------------ teardown */

static void session_reap(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, reaper);
	struct session_env *env = s->env;
	unsigned int id = s->id;
	bool failed = s->failed;

	loop_timer_cancel(env->loop, &s->timer);
	loop_timer_cancel(env->loop, &s->flush_timer);
	loop_timer_cancel(env->loop, &s->rx_timer);
	if (s->ppp)
		ppp_free(s->ppp);
	if (s->call_inited)
		sstp_call_uninit(&s->call);
	tls_uninit(&s->tls);
	free(s->obuf);
	OPENSSL_cleanse(s->hbuf, sizeof(s->hbuf));
	free(s);
	if (env->gone)
		env->gone(env, id, failed);
}

static void session_down(struct session *s, bool failed, const char *fmt, ...)
{
	struct session_env *env = s->env;
	char why[sizeof(s->why)];
	va_list ap;

	if (s->phase == SP_DOWN)
		return;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* The first cause is the interesting one (e.g. "authentication
	 * failed" rather than the disconnect that followed it). */
	if (!s->why[0])
		snprintf(s->why, sizeof(s->why), "%s", why);
	s->failed |= failed;
	/* A client whose call never came up failed, however politely the
	 * server said goodbye (e.g. no authentication method in common). */
	if (!s->server && !s->connected)
		s->failed = true;
	s->phase = SP_DOWN;
	slog(s->failed ? LOG_WARNING : LOG_INFO, s, "session down: %s%s%s",
	     s->why, strcmp(s->why, why) ? "; " : "", strcmp(s->why, why) ? why : "");

	/* Last words already queued (an HTTP error, a CALL_ABORT) get one
	 * chance to leave; nothing waits for them. */
	if (s->tls.ssl && s->tls.established && !s->kernel) {
		session_flush(s);
		tls_shutdown(&s->tls);
	}
	if (s->lfd.fd >= 0)
		loop_fd_del(env->loop, &s->lfd);
	/* The kernel backend sends its last control packets and gives the
	 * socket back before it is closed. */
	link_free(s->link);
	s->link = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->peer_ip_from_pool)
		pool_free(env->pool, s->peer_ip);
	s->peer_ip_from_pool = false;
	loop_timer_cancel(env->loop, &s->timer);
	loop_timer_cancel(env->loop, &s->flush_timer);
	loop_timer_cancel(env->loop, &s->rx_timer);

	if (s->prev)
		s->prev->next = s->next;
	else
		env->sessions = s->next;
	if (s->next)
		s->next->prev = s->prev;
	env->n_sessions--;
	loop_timer_set(env->loop, &s->reaper, loop_now(), session_reap);
}

/* Pre-SSTP failures end the connection at once; afterwards the call
 * decides (it may owe the peer a CALL_ABORT). */
static void session_fail_lower(struct session *s, const char *what)
{
	if (s->phase == SP_SSTP && s->call_inited && !sstp_call_is_down(&s->call))
		sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER, what);
	else
		session_down(s, true, "%s", what);
}

/* ------------------------------------------------------------ SSTP call */

static int session_send_ctrl(void *ctx, const uint8_t *pkt, size_t len)
{
	struct session *s = ctx;
	uint8_t copy[SSTP_PKT_MAX];

	/* Test-only knob: a client that spoils its own Compound MAC lets the
	 * test-suite prove that the server checks the crypto binding. */
	if (!s->server && s->env->cfg->test_corrupt_compound_mac &&
	    len == SSTP_CALL_CONNECTED_LEN && len <= sizeof(copy) &&
	    pkt[5] == SSTP_MSG_CALL_CONNECTED) {
		memcpy(copy, pkt, len);
		copy[SSTP_CONNECTED_MAC_OFF] ^= 0x01;
		slog(LOG_WARNING, s, "test: corrupting the compound MAC");
		pkt = copy;
	}
	if (len >= SSTP_CTRL_HDR_LEN)
		slog(LOG_DEBUG, s, "send %s", sstp_msg_type_name((unsigned)(pkt[4] << 8 | pkt[5])));
	if (s->kernel) {
		int err = s->link ? s->link->ops->send_ctrl(s->link, pkt, len) : -ENOTCONN;

		if (err && err != -ENOTCONN)
			slog(LOG_WARNING, s, "%s", s->link->err);
		return err;
	}
	return session_queue(s, pkt, len, false);
}

/* Kernel path: data moves through the unit only once the SSTP call allows
 * it (MS-SSTP 3.3.7) and the family's NCP is up. */
static void session_link_gate(struct session *s)
{
	bool data;

	if (!s->kernel || !s->link || s->phase != SP_SSTP)
		return;
	data = sstp_call_data_allowed(&s->call);
	s->link->ops->set_pass(s->link, data && ppp_ipv4_is_up(s->ppp),
			       data && ppp_ipv6_is_up(s->ppp));
}

static void session_call_ppp_start(void *ctx)
{
	struct session *s = ctx;

	ppp_start(s->ppp, loop_now());
}

static void session_call_connected(void *ctx)
{
	struct session *s = ctx;

	s->connected = true;
	slog(LOG_INFO, s, "SSTP call connected%s", s->server ?
	     " (crypto binding verified)" : "");
	session_link_gate(s);
}

static void session_call_down(void *ctx, enum sstp_call_reason reason,
			      uint32_t status, const char *detail)
{
	struct session *s = ctx;
	bool failed = reason != SSTP_CALL_DOWN_DISCONNECT &&
		      reason != SSTP_CALL_DOWN_PEER_DISCONNECT &&
		      reason != SSTP_CALL_DOWN_DISCONNECT_TIMEOUT;

	session_down(s, failed, "SSTP %s (%s)%s%s", sstp_call_reason_name(reason),
		     sstp_status_name(status), detail ? ": " : "", detail ? detail : "");
}

static const struct sstp_call_ops session_call_ops = {
	.send_ctrl = session_send_ctrl,
	.ppp_start = session_call_ppp_start,
	.connected = session_call_connected,
	.down = session_call_down,
};

/* ------------------------------------------------------------ PPP */

static void session_ppp_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct session *s = ctx;
	uint8_t pkt[SSTP_PKT_MAX];
	int n;

	if (s->kernel) {
		if (!s->link || s->link->ops->send_ppp(s->link, frame, len))
			s->ppp_dropped++;
		return;
	}
	n = sstp_data_encap(pkt, sizeof(pkt), frame, len);
	if (n < 0 || session_queue(s, pkt, (size_t)n, false))
		s->ppp_dropped++;
}

static int session_ppp_get_secret(void *ctx, const char *name, uint8_t *secret,
				  size_t size)
{
	struct session *s = ctx;
	const struct ppp_secret *e;
	size_t n;

	e = ppp_secrets_lookup(s->env->secrets, name, SESSION_PPP_NAME);
	if (!e)
		return -ENOENT;
	n = strlen(e->secret);
	if (n > size)
		return -ENOSPC;
	memcpy(secret, e->secret, n);
	return (int)n;
}

/* Server: the peer's address, a fixed one from chap-secrets or the pool. */
static int session_pick_address(struct session *s, const char *name)
{
	struct session_env *env = s->env;
	const struct ppp_secret *e = ppp_secrets_lookup(env->secrets, name,
						       SESSION_PPP_NAME);
	struct in_addr a;
	int err;

	if (e && e->n_addrs && inet_pton(AF_INET, e->addrs[0], &a) == 1) {
		struct session *o;

		/* Outside the pool nothing else tracks it: check the others. */
		for (o = env->sessions; o; o = o->next) {
			if (o != s && o->peer_ip == ntohl(a.s_addr)) {
				slog(LOG_WARNING, s, "%s: address %s already in use",
				     name, e->addrs[0]);
				return -EADDRINUSE;
			}
		}
		s->peer_ip = ntohl(a.s_addr);
		err = pool_reserve(env->pool, s->peer_ip);
		if (err && err != -ERANGE)
			return err;
		s->peer_ip_from_pool = !err;
		return 0;
	}
	err = pool_alloc(env->pool, &s->peer_ip);
	if (err) {
		slog(LOG_WARNING, s, "address pool exhausted");
		return err;
	}
	s->peer_ip_from_pool = true;
	return 0;
}

static int session_ppp_auth(void *ctx, const struct ppp_auth_info *info)
{
	struct session *s = ctx;
	struct in_addr l, p;
	int err;

	if (s->phase == SP_DOWN)
		return -ENOTCONN;
	if (s->server) {
		snprintf(s->user, sizeof(s->user), "%s", info->peer_name);
		err = session_pick_address(s, info->peer_name);
		if (err)
			return err;
		s->local_ip = s->env->local_ip;
		l.s_addr = htonl(s->local_ip);
		p.s_addr = htonl(s->peer_ip);
		ppp_set_ipv4(s->ppp, l, p);
	}
	slog(LOG_INFO, s, "PPP authenticated %s with %s", s->server ? s->user :
	     "to the server", ppp_auth_str(info->method));
	err = sstp_call_set_hlak(&s->call, info->has_keys ? info->hlak : NULL,
				 loop_now());
	if (err)
		slog(LOG_WARNING, s, "SSTP call took no HLAK: %s", strerror(-err));
	return 0;
}

static void session_client_routes(struct session *s)
{
	char routes[CONFIG_STR], *tok, *save = NULL, *slash;
	struct in_addr a;
	int plen, err;

	snprintf(routes, sizeof(routes), "%s", s->env->cfg->routes);
	for (tok = strtok_r(routes, " \t,", &save); tok;
	     tok = strtok_r(NULL, " \t,", &save)) {
		slash = strchr(tok, '/');
		plen = slash ? atoi(slash + 1) : 32;
		if (slash)
			*slash = 0;
		if (inet_pton(AF_INET, tok, &a) != 1 || plen < 0 || plen > 32) {
			slog(LOG_WARNING, s, "route %s: not an IPv4 prefix", tok);
			continue;
		}
		err = rtnl_route4_add(s->env->rtnl, s->link->ifindex,
				      ntohl(a.s_addr), plen);
		if (err)
			slog(LOG_WARNING, s, "route %s/%d: %s", tok, plen,
			     s->env->rtnl->err);
	}
}

static void session_ppp_ipv4_up(void *ctx, const struct ppp_ipv4_info *info)
{
	struct session *s = ctx;
	char l[INET_ADDRSTRLEN], p[INET_ADDRSTRLEN];

	/* The engine may go on after a callback of the same call took the
	 * session down (e.g. the HLAK made the crypto binding fail). */
	if (s->phase == SP_DOWN)
		return;
	s->local_ip = ntohl(info->local.s_addr);
	s->peer_ip = s->server ? s->peer_ip : ntohl(info->peer.s_addr);
	if (s->link->ops->ipv4_up(s->link, info)) {
		slog(LOG_ERR, s, "%s", s->link->err);
		snprintf(s->why, sizeof(s->why), "interface: %.160s", s->link->err);
		s->failed = true;
		session_disconnect(s, "interface setup failed");
		return;
	}
	if (!s->server)
		session_client_routes(s);
	inet_ntop(AF_INET, &info->local, l, sizeof(l));
	inet_ntop(AF_INET, &info->peer, p, sizeof(p));
	slog(LOG_INFO, s, "IPv4 up: %s peer %s dev %s mtu %u", l, p,
	     s->link->ifname, s->link->mtu);
	session_link_gate(s);
}

/* fe80::<interface identifier> */
static void session_ll_str(const uint8_t iid[8], char *buf, size_t size)
{
	uint8_t a[16] = { 0xfe, 0x80 };

	memcpy(a + 8, iid, 8);
	inet_ntop(AF_INET6, a, buf, (socklen_t)size);
}

static void session_ppp_ipv6_up(void *ctx, const struct ppp_ipv6_info *info)
{
	struct session *s = ctx;

	char l[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];

	if (s->phase == SP_DOWN)
		return;
	if (s->link->ops->ipv6_up(s->link, info)) {
		slog(LOG_WARNING, s, "%s", s->link->err);
		return;
	}
	memcpy(s->local_iid, info->local_id, 8);
	memcpy(s->peer_iid, info->peer_id, 8);
	s->ipv6_up = true;
	session_ll_str(s->local_iid, l, sizeof(l));
	session_ll_str(s->peer_iid, p, sizeof(p));
	slog(LOG_INFO, s, "IPv6 up: %s peer %s dev %s", l, p, s->link->ifname);
	session_link_gate(s);
}

/*
 * IPCP or IPV6CP left Opened. Its family's gate closes at once (the engine
 * already drops that family's frames, and the user path's tx checks it per
 * packet; the kernel path's unit goes back to NPMODE_DROP). If the link
 * stays up, the address goes too, as pppd does on ipcp_down, so that the
 * host stops routing into a tunnel that cannot carry the packets; the NCP
 * coming up again puts everything back (ipv4_up / ipv6_up). When LCP is
 * going down as well, the whole interface goes with the session.
 */
static void session_ppp_ncp_down(void *ctx, uint16_t proto)
{
	struct session *s = ctx;
	bool v4 = proto == PPP_PROTO_IPCP;
	int err;

	if (s->phase == SP_DOWN || !s->link)
		return;
	if (!v4)
		s->ipv6_up = false;
	session_link_gate(s);
	if (ppp_phase(s->ppp) != PPP_PHASE_NETWORK)
		return;
	err = v4 ? link_ipv4_down(s->link, s->env->rtnl) :
		   link_ipv6_down(s->link, s->env->rtnl);
	if (err)
		slog(LOG_WARNING, s, "%s", s->link->err);
	slog(LOG_INFO, s, "%s down (%s closed, link stays up)%s%s",
	     v4 ? "IPv4" : "IPv6", v4 ? "IPCP" : "IPV6CP",
	     err ? "" : ": address removed from ", err ? "" : s->link->ifname);
}

static void session_ppp_data(void *ctx, uint16_t proto, const uint8_t *pkt,
			     size_t len)
{
	struct session *s = ctx;

	/* MS-SSTP 3.3.7: no data before the crypto binding is checked. */
	if (s->phase == SP_DOWN || !sstp_call_data_allowed(&s->call)) {
		s->ppp_dropped++;
		return;
	}
	s->link->ops->rx_ip(s->link, pkt, len);
}

static void session_ppp_link_down(void *ctx, enum ppp_down_reason reason,
				  const char *text)
{
	struct session *s = ctx;
	bool failed = reason != PPP_DOWN_CLOSED && reason != PPP_DOWN_PEER_TERMINATED;

	slog(failed ? LOG_WARNING : LOG_INFO, s, "PPP down: %s: %s",
	     ppp_down_reason_str(reason), text);
	if (!s->why[0])
		snprintf(s->why, sizeof(s->why), "PPP %s: %s",
			 ppp_down_reason_str(reason), text);
	s->failed |= failed;
	if (s->phase != SP_DOWN && sstp_call_disconnect(&s->call, loop_now()) &&
	    sstp_call_is_down(&s->call))
		session_down(s, failed, "PPP down");
}

static void session_ppp_log(void *ctx, int prio, const char *msg)
{
	struct session *s = ctx;

	if (prio <= log_level)
		slog(prio, s, "ppp: %s", msg);
}

static const struct ppp_callbacks session_ppp_cb = {
	.send = session_ppp_send,
	.get_secret = session_ppp_get_secret,
	.auth = session_ppp_auth,
	.ipv4_up = session_ppp_ipv4_up,
	.ipv6_up = session_ppp_ipv6_up,
	.ncp_down = session_ppp_ncp_down,
	.data = session_ppp_data,
	.link_down = session_ppp_link_down,
	.log = session_ppp_log,
};

/* ------------------------------------------------------------ data path */

static int session_link_tx(void *ctx, uint8_t *buf, size_t headroom, size_t len)
{
	struct session *s = ctx;
	uint8_t *ip = buf + headroom, *pppf = ip - PPP_IP_HDR_LEN;
	uint8_t *pkt = pppf - SSTP_HDR_LEN;

	if (s->phase != SP_SSTP || !sstp_call_data_allowed(&s->call))
		return -EAGAIN;
	if (ppp_ip_header(pppf, ip, len) < 0)
		return -EINVAL;
	if ((pppf[3] == 0x21 && !ppp_ipv4_is_up(s->ppp)) ||
	    (pppf[3] == 0x57 && !ppp_ipv6_is_up(s->ppp)))
		return -EAGAIN;
	if (sstp_data_put_hdr(pkt, len + PPP_IP_HDR_LEN))
		return -EMSGSIZE;
	return session_queue(s, pkt, len + PPP_IP_HDR_LEN + SSTP_HDR_LEN, true);
}

/* ------------------------------------------------------------ kernel link */

static void session_settle(struct session *s)
{
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
}

static void session_link_ctrl_recv(void *ctx, const uint8_t *pkt, size_t len)
{
	struct session *s = ctx;

	if (s->phase != SP_SSTP)
		return;
	if (len >= SSTP_CTRL_HDR_LEN)
		slog(LOG_DEBUG, s, "recv %s",
		     sstp_msg_type_name((unsigned)(pkt[4] << 8 | pkt[5])));
	sstp_call_input(&s->call, pkt, len, loop_now());
	session_settle(s);
}

static void session_link_ppp_recv(void *ctx, const uint8_t *frame, size_t len)
{
	struct session *s = ctx;

	if (s->phase != SP_SSTP)
		return;
	if (!sstp_call_ppp_allowed(&s->call)) {
		s->ppp_dropped++;
		return;
	}
	ppp_input(s->ppp, frame, len, loop_now());
	session_settle(s);
}

static void session_link_down(void *ctx, const char *why)
{
	struct session *s = ctx;

	/* The call may report its own handshake's reason instead (a peer
	 * closing after a disconnect is the normal end): keep the kernel's. */
	slog(LOG_INFO, s, "%s", why);
	session_fail_lower(s, why);
	session_settle(s);
}

/*
 * The kernel data path, if this session can have it. Returns 1 when the
 * socket now belongs to sstp.ko, 0 to go on in userspace, <0 when the
 * session is lost (the kernel took the socket, then something failed).
 */
static int session_link_kernel(struct session *s, const uint8_t *rest, size_t rlen)
{
	const struct config *cfg = s->env->cfg;
	struct link_kernel_config kcfg = {
		.loop = s->env->loop, .rtnl = s->env->rtnl, .ifname = cfg->ifname,
		.mtu = cfg->mtu, .fd = s->fd, .server = s->server,
		.hello = cfg->hello_interval, .pending = rest, .pending_len = rlen,
	};
	struct link_owner owner = {
		.ctx = s, .tx = session_link_tx, .ctrl_recv = session_link_ctrl_recv,
		.ppp_recv = session_link_ppp_recv, .down = session_link_down,
	};
	char why[192];
	bool lost;
	int err;

	if (!s->ktls)
		return 0;
	/* What was queued (the server's HTTP 200) must leave before the
	 * kernel owns the stream; a fresh socket takes it at once. */
	if (session_flush(s) || s->olen) {
		session_down(s, true, "cannot send the HTTP exchange before the handoff");
		return -EIO;
	}
	err = link_kernel_new(&kcfg, &owner, &s->link, &lost, why, sizeof(why));
	if (err && lost) {
		session_down(s, true, "kernel data path: %s", why);
		return err;
	}
	if (err) {
		slog(LOG_WARNING, s, "kernel data path refused (%s): userspace data path",
		     why);
		return 0;
	}
	s->kernel = true;
	/* Not a byte more from this socket: it is sstp.ko's now. */
	loop_fd_del(s->env->loop, &s->lfd);
	loop_timer_cancel(s->env->loop, &s->rx_timer);
	slog(LOG_INFO, s, "kernel data path: sstp session %u, interface %s",
	     s->link->kernel_id, s->link->ifname);
	return 1;
}

/* ------------------------------------------------------------ SSTP phase */

static int session_sstp_start(struct session *s, const uint8_t *rest, size_t rlen)
{
	const struct config *cfg = s->env->cfg;
	struct link_user_config lcfg = {
		.loop = s->env->loop, .rtnl = s->env->rtnl, .ifname = cfg->ifname,
		.mtu = cfg->mtu, .headroom = SESSION_HEADROOM,
	};
	struct link_owner owner = { .ctx = s, .tx = session_link_tx };
	struct sstp_call_config ccfg;
	struct ppp_config pcfg;
	uint8_t *der;
	int len, err;

	s->phase = SP_SSTP;
	s->phase_deadline = 0;
	sstp_deframer_init(&s->df);

	err = session_link_kernel(s, rest, rlen);
	if (err < 0)
		return err;

	sstp_call_config_init(&ccfg, s->server ? SSTP_CALL_SERVER : SSTP_CALL_CLIENT);
	ccfg.negotiation_ms = cfg->negotiation_timeout * 1000;
	/* On the kernel path only sstp.ko sees the peer's traffic: it runs
	 * the hello timer and answers ECHO_REQUEST. */
	ccfg.hello_ms = s->kernel ? 0 : cfg->hello_interval * 1000;
	len = tls_server_cert_der(&s->tls, &der);
	if (len < 0) {
		session_down(s, true, "no server certificate for the crypto binding");
		return -ENOENT;
	}
	err = crypto_binding_cert_hashes(der, (size_t)len, &ccfg.cert);
	OPENSSL_free(der);
	if (err) {
		session_down(s, true, "certificate hash: %s", strerror(-err));
		return err;
	}
	err = sstp_call_init(&s->call, &ccfg, &session_call_ops, s);
	if (err) {
		session_down(s, true, "SSTP call: %s", strerror(-err));
		return err;
	}
	s->call_inited = true;

	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.role = s->server ? PPP_ROLE_SERVER : PPP_ROLE_CLIENT;
	pcfg.mru = (uint16_t)cfg->mtu;
	pcfg.ipv4 = true;
	pcfg.ipv6 = cfg->ipv6;
	if (s->server) {
		pcfg.auth = s->env->auth;
		pcfg.name = SESSION_PPP_NAME;
		pcfg.ipv4_local.s_addr = htonl(s->env->local_ip);
		pcfg.dns[0].s_addr = htonl(s->env->dns[0]);
		pcfg.dns[1].s_addr = htonl(s->env->dns[1]);
	} else {
		pcfg.auth = s->env->auth;
		pcfg.name = cfg->user;
		pcfg.password = cfg->password;
	}
	err = ppp_new(&pcfg, &session_ppp_cb, s, &s->ppp);
	if (err) {
		session_down(s, true, "PPP engine: %s", strerror(-err));
		return err;
	}
	if (!s->kernel) {
		err = link_user_new(&lcfg, &owner, &s->link);
		if (err) {
			session_down(s, true, "link: %s", strerror(-err));
			return err;
		}
	}
	sstp_call_start(&s->call, loop_now());
	if (rlen && s->phase == SP_SSTP && !s->kernel) {
		/* Bytes that came with the HTTP header: the first SSTP packet. */
		memmove(session_rbuf, rest, rlen);
		return 1;
	}
	return 0;
}

static void session_sstp_packet(struct session *s, const struct sstp_packet *p)
{
	uint64_t now = loop_now();

	if (p->control) {
		if (p->len >= SSTP_CTRL_HDR_LEN)
			slog(LOG_DEBUG, s, "recv %s",
			     sstp_msg_type_name((unsigned)(p->data[4] << 8 | p->data[5])));
		sstp_call_input(&s->call, p->data, p->len, now);
		return;
	}
	sstp_call_rx_activity(&s->call, now);
	if (!sstp_call_ppp_allowed(&s->call)) {
		s->ppp_dropped++;
		return;
	}
	ppp_input(s->ppp, p->payload, p->payload_len, now);
}

static void session_sstp_feed(struct session *s, const uint8_t *data, size_t len)
{
	struct sstp_packet pkt;
	int r = 0;

	while (s->phase == SP_SSTP &&
	       (r = sstp_deframer_next(&s->df, &data, &len, &pkt)) > 0)
		session_sstp_packet(s, &pkt);
	/* 3.1.5.1: an undelineable stream is dropped without a word. */
	if (s->phase == SP_SSTP && r < 0)
		sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER,
				     "bad SSTP packet header");
}

/* ------------------------------------------------------------ HTTP phase */

static void session_http_server(struct session *s)
{
	struct http_request req;
	char resp[256];
	int n, r;

	n = http_request_parse(s->hbuf, s->hlen, &req);
	if (n == 0)
		return;
	if (n < 0) {
		req.status = 431;
		n = (int)s->hlen;
	}
	r = http_response_build(resp, sizeof(resp), req.status);
	if (r > 0)
		session_queue(s, (uint8_t *)resp, (size_t)r, false);
	if (req.status != 200) {
		session_down(s, true, "HTTP request refused with %d", req.status);
		return;
	}
	slog(LOG_DEBUG, s, "SSTP_DUPLEX_POST host %s correlation %s", req.host,
	     req.correlation_id);
	if (session_sstp_start(s, (uint8_t *)s->hbuf + n, s->hlen - (size_t)n) > 0)
		session_sstp_feed(s, session_rbuf, s->hlen - (size_t)n);
}

static void session_http_client(struct session *s)
{
	struct http_response resp;
	int n;

	n = http_response_parse(s->hbuf, s->hlen, &resp);
	if (n == 0)
		return;
	if (n < 0) {
		session_down(s, true, "server sent no valid HTTP response");
		return;
	}
	if (resp.status != 200) {
		session_down(s, true, "server answered HTTP %d", resp.status);
		return;
	}
	if (session_sstp_start(s, (uint8_t *)s->hbuf + n, s->hlen - (size_t)n) > 0)
		session_sstp_feed(s, session_rbuf, s->hlen - (size_t)n);
}

static int session_client_send_request(struct session *s)
{
	char req[512], id[39];
	int n;

	http_correlation_id_new(id);
	n = http_request_build(req, sizeof(req), s->host, id);
	if (n < 0)
		return n;
	return session_queue(s, (uint8_t *)req, (size_t)n, false);
}

/* ------------------------------------------------------------ I/O */

/* After the handshake: both TLS directions into the kernel, before any
 * SSL_read, so that the socket can later go to sstp.ko. */
static void session_try_ktls(struct session *s)
{
	const char *why;
	int err;

	if (!s->env->offload)
		return;
	err = ktls_offload(s->tls.ssl, &why);
	if (err) {
		slog(LOG_WARNING, s, "kTLS not available for this session (%s): "
		     "userspace data path", why);
		return;
	}
	s->ktls = true;
}

static void session_tls_start(struct session *s)
{
	const char *name = s->env->cfg->sni[0] ? s->env->cfg->sni : s->host;
	int err;

	err = tls_init(&s->tls, s->env->ssl, s->fd, s->server ? NULL : name);
	if (err) {
		session_down(s, true, "%s", s->tls.err);
		return;
	}
	s->phase = SP_TLS;
	s->hlen = 0;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
}

static void session_do_tls(struct session *s)
{
	char desc[96];
	int err;

	err = tls_handshake(&s->tls);
	if (err == -EAGAIN)
		return;
	if (err) {
		session_down(s, true, "%s", s->tls.err);
		return;
	}
	tls_describe(&s->tls, desc, sizeof(desc));
	slog(LOG_INFO, s, "TLS established: %s", desc);
	session_try_ktls(s);
	s->phase = SP_HTTP;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
	if (!s->server && session_client_send_request(s))
		session_down(s, true, "cannot queue the HTTP request");
}

/* tls_read(), or from an offloaded socket the kernel's plaintext. */
static ssize_t session_read(struct session *s, void *buf, size_t len)
{
	ssize_t n;

	if (!s->ktls)
		return tls_read(&s->tls, buf, len);
	n = ktls_recv(s->fd, buf, len, MSG_DONTWAIT);
	if (n == -EAGAIN || n == -EWOULDBLOCK)
		return -EAGAIN;
	if (n < 0) {
		snprintf(s->tls.err, sizeof(s->tls.err), "kTLS receive: %s",
			 n == -ECONNRESET ? "TLS alert from the peer" :
			 n == -EKEYEXPIRED ? "TLS KeyUpdate (kTLS cannot rekey)" :
			 strerror((int)-n));
		s->tls.broken = true;
	}
	return n;
}

/* Read everything TLS has; dispatch by phase. */
static void session_do_read(struct session *s)
{
	unsigned int budget = SESSION_RX_BUDGET;
	ssize_t n;
	size_t room;

	/* Once sstp.ko owns the socket, not one more byte is read here. */
	while (!s->kernel && (s->phase == SP_HTTP || s->phase == SP_SSTP)) {
		/* One busy peer must not starve the others. epoll reports
		 * what is left on the socket, but not what OpenSSL already
		 * holds decrypted: come back for that on a zero timer. */
		if (!budget--) {
			if (s->ktls || SSL_pending(s->tls.ssl))
				loop_timer_set(s->env->loop, &s->rx_timer, loop_now(),
					       session_rx_timer);
			return;
		}
		if (s->phase == SP_HTTP) {
			room = sizeof(s->hbuf) - s->hlen;
			if (!room) {
				if (s->server)
					session_http_server(s);
				else
					session_down(s, true, "HTTP response header too long");
				return;
			}
			n = session_read(s, s->hbuf + s->hlen, room);
		} else {
			n = session_read(s, session_rbuf, sizeof(session_rbuf));
		}
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			/* Say whether TLS ended cleanly (a kernel-path peer
			 * sends its close_notify from the kTLS socket); the
			 * call may report its handshake's reason instead. */
			const char *why = n ? s->tls.err : !s->ktls &&
				(SSL_get_shutdown(s->tls.ssl) & SSL_RECEIVED_SHUTDOWN) ?
				"peer closed the connection (TLS close_notify)" :
				"peer closed the connection";

			slog(LOG_INFO, s, "%s", why);
			session_fail_lower(s, why);
			return;
		}
		if (s->phase == SP_HTTP) {
			s->hlen += (size_t)n;
			if (s->server)
				session_http_server(s);
			else
				session_http_client(s);
		} else {
			session_sstp_feed(s, session_rbuf, (size_t)n);
		}
	}
}

static void session_rx_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, rx_timer);

	if (s->phase != SP_HTTP && s->phase != SP_SSTP)
		return;
	session_do_read(s);
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
}

static void session_do_proxy(struct session *s)
{
	struct http_response resp;
	ssize_t n;
	int r;

	n = read(s->fd, s->hbuf + s->hlen, sizeof(s->hbuf) - s->hlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		session_down(s, true, "proxy closed the connection");
		return;
	}
	s->hlen += (size_t)n;
	r = http_response_parse(s->hbuf, s->hlen, &resp);
	if (r == 0)
		return;
	if (r > 0 && resp.status == 407) {
		session_down(s, true, "proxy wants authentication (407): %s",
			     s->env->cfg->proxy_user[0] ? "proxy_user/proxy_password refused"
							: "set [client] proxy_user");
		return;
	}
	if (r < 0 || resp.status != 200) {
		session_down(s, true, "proxy refused CONNECT (%d)", r < 0 ? r : resp.status);
		return;
	}
	/* The server says nothing before our ClientHello: nothing may follow. */
	if ((size_t)r != s->hlen) {
		session_down(s, true, "proxy sent data after its CONNECT answer");
		return;
	}
	slog(LOG_INFO, s, "proxy tunnel to %s:%u open", s->host, s->port);
	session_tls_start(s);
	if (s->phase == SP_TLS)
		session_do_tls(s);
}

static void session_do_connected(struct session *s)
{
	const struct config *cfg = s->env->cfg;
	int err = 0;
	socklen_t elen = sizeof(err);
	char req[1536], cred[2 * CONFIG_STR + 2] = "";
	int n;

	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
		err = errno;
	if (err == EINPROGRESS)
		return;
	if (err) {
		session_down(s, true, "connect to %s: %s", s->peer, strerror(err));
		return;
	}
	if (!cfg->proxy[0]) {
		session_tls_start(s);
		if (s->phase == SP_TLS)
			session_do_tls(s);
		return;
	}
	if (cfg->proxy_user[0])
		snprintf(cred, sizeof(cred), "%s:%s", cfg->proxy_user, cfg->proxy_password);
	n = http_connect_build(req, sizeof(req), s->host, s->port,
			       cfg->proxy_user[0] ? cred : NULL);
	OPENSSL_cleanse(cred, sizeof(cred));
	/* A fresh socket takes a few hundred bytes in one write. */
	if (n < 0 || write(s->fd, req, (size_t)n) != n) {
		session_down(s, true, "cannot send CONNECT to the proxy");
		return;
	}
	s->phase = SP_PROXY;
	s->hlen = 0;
}

static void session_update_events(struct session *s)
{
	uint32_t ev = EPOLLIN;

	if (s->phase == SP_DOWN || s->lfd.fd < 0)
		return;
	if (s->phase == SP_TCP)
		ev = EPOLLOUT;
	else if (s->olen || (s->tls.want & EPOLLOUT))
		ev |= EPOLLOUT;
	loop_fd_mod(s->env->loop, &s->lfd, ev);
}

static void session_io(struct loop_fd *lfd, uint32_t events)
{
	struct session *s = container_of(lfd, struct session, lfd);

	switch (s->phase) {
	case SP_TCP:
		session_do_connected(s);
		break;
	case SP_PROXY:
		session_do_proxy(s);
		break;
	case SP_TLS:
		session_do_tls(s);
		if (s->phase != SP_HTTP)
			break;
		/* TLS 1.3 data may already be buffered */
		__attribute__((fallthrough));
	case SP_HTTP:
	case SP_SSTP:
		if (s->olen && session_flush(s)) {
			session_fail_lower(s, s->tls.err);
			break;
		}
		session_do_read(s);
		break;
	case SP_DOWN:
		break;
	}
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
}

/* ------------------------------------------------------------ timers */

static void session_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, timer);
	uint64_t now = loop_now();

	if (s->phase_deadline && now >= s->phase_deadline) {
		session_down(s, true, "timed out in phase %s", session_phase_names[s->phase]);
		return;
	}
	if (s->call_inited && now >= sstp_call_next_deadline(&s->call))
		sstp_call_timer(&s->call, now);
	if (s->phase == SP_SSTP && s->ppp && now >= ppp_deadline(s->ppp))
		ppp_timer(s->ppp, now);
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
}

static void session_rearm(struct session *s)
{
	uint64_t d = UINT64_MAX, x;

	if (s->phase == SP_DOWN)
		return;
	if (s->phase_deadline)
		d = s->phase_deadline;
	if (s->call_inited && (x = sstp_call_next_deadline(&s->call)) < d)
		d = x;
	if (s->ppp && (x = ppp_deadline(s->ppp)) < d)
		d = x;
	if (d == UINT64_MAX)
		loop_timer_cancel(s->env->loop, &s->timer);
	else if (!loop_timer_armed(&s->timer) || s->timer.when != d)
		loop_timer_set(s->env->loop, &s->timer, d, session_timer);
}

/* ------------------------------------------------------------ lifecycle */

static struct session *session_new(struct session_env *env, int fd, bool server)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->env = env;
	s->id = ++env->next_id;
	s->server = server;
	s->fd = fd;
	s->lfd.fd = -1;
	s->started = loop_now();
	s->timer.cb = session_timer;
	s->flush_timer.cb = session_flush_timer;
	s->next = env->sessions;
	if (env->sessions)
		env->sessions->prev = s;
	env->sessions = s;
	env->n_sessions++;
	return s;
}

static void session_addr_str(const struct sockaddr *sa, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?";
	unsigned int port = 0;

	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		port = ntohs(in->sin_port);
		snprintf(buf, size, "%s:%u", a, port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		port = ntohs(in6->sin6_port);
		snprintf(buf, size, "[%s]:%u", a, port);
	} else {
		snprintf(buf, size, "?");
	}
}

int session_accept(struct session_env *env, int fd, const struct sockaddr *peer,
		   socklen_t peer_len)
{
	struct session *s;
	int one = 1, err;

	if (env->n_sessions >= env->cfg->max_sessions) {
		close(fd);
		return -EBUSY;
	}
	s = session_new(env, fd, true);
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	session_addr_str(peer, s->peer, sizeof(s->peer));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	slog(LOG_INFO, s, "connection from %s", s->peer);
	err = loop_fd_add(env->loop, &s->lfd, fd, EPOLLIN, session_io);
	if (err) {
		session_down(s, true, "epoll: %s", strerror(-err));
		return err;
	}
	session_tls_start(s);
	session_rearm(s);
	return 0;
}

int session_connect(struct session_env *env)
{
	const struct config *cfg = env->cfg;
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	char chost[256], cport[8];
	unsigned int pport;
	struct session *s;
	int fd, err, one = 1;

	s = session_new(env, -1, false);
	if (!s)
		return -ENOMEM;
	if (endpoint_split(cfg->server, s->host, sizeof(s->host), &s->port, 443)) {
		session_down(s, true, "[client] server = %s: not host[:port]", cfg->server);
		return -EINVAL;
	}
	if (cfg->proxy[0]) {
		if (endpoint_split(cfg->proxy, chost, sizeof(chost), &pport, 8080)) {
			session_down(s, true, "[client] proxy = %s: not host[:port]", cfg->proxy);
			return -EINVAL;
		}
	} else {
		snprintf(chost, sizeof(chost), "%s", s->host);
		pport = s->port;
	}
	snprintf(cport, sizeof(cport), "%u", pport);
	err = getaddrinfo(chost, cport, &hints, &ai);
	if (err) {
		session_down(s, true, "%s: %s", chost, gai_strerror(err));
		return -EHOSTUNREACH;
	}
	session_addr_str(ai->ai_addr, s->peer, sizeof(s->peer));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		freeaddrinfo(ai);
		session_down(s, true, "socket: %s", strerror(-err));
		return err;
	}
	s->fd = fd;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	err = connect(fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS ? -errno : 0;
	freeaddrinfo(ai);
	if (err) {
		session_down(s, true, "connect to %s: %s", s->peer, strerror(-err));
		return err;
	}
	slog(LOG_INFO, s, "connecting to %s%s", s->peer, cfg->proxy[0] ? " (proxy)" : "");
	s->phase = SP_TCP;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
	err = loop_fd_add(env->loop, &s->lfd, fd, EPOLLOUT, session_io);
	if (err) {
		session_down(s, true, "epoll: %s", strerror(-err));
		return err;
	}
	session_rearm(s);
	return 0;
}

struct session *session_find(struct session_env *env, unsigned int id)
{
	struct session *s;

	for (s = env->sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

struct session *session_next(struct session *s)
{
	return s->next;
}

void session_disconnect(struct session *s, const char *why)
{
	if (s->phase == SP_DOWN)
		return;
	if (!s->why[0])
		snprintf(s->why, sizeof(s->why), "%s", why);
	if (s->phase != SP_SSTP || sstp_call_is_down(&s->call)) {
		session_down(s, s->failed, "%s", why);
		return;
	}
	slog(LOG_INFO, s, "disconnecting: %s", why);
	sstp_call_disconnect(&s->call, loop_now());
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
}

int session_ncp(struct session *s, bool ipv6, bool open)
{
	uint16_t proto = ipv6 ? PPP_PROTO_IPV6CP : PPP_PROTO_IPCP;
	int err;

	if (s->phase != SP_SSTP || !s->ppp)
		return -ENOTCONN;
	slog(LOG_INFO, s, "%s %s by the administrator", open ? "opening" : "closing",
	     ipv6 ? "IPV6CP" : "IPCP");
	err = open ? ppp_ncp_open(s->ppp, proto, loop_now()) :
		     ppp_ncp_close(s->ppp, proto, loop_now());
	session_settle(s);
	return err;
}

void session_disconnect_all(struct session_env *env, const char *why)
{
	struct session *s, *next;

	for (s = env->sessions; s; s = next) {
		next = s->next;
		session_disconnect(s, why);
	}
}

void session_kill_all(struct session_env *env, const char *why)
{
	while (env->sessions)
		session_down(env->sessions, true, "%s", why);
}

/* ------------------------------------------------------------ describe */

static size_t session_put(char *buf, size_t size, size_t at, const char *key,
			  const char *val)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = at;

	n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s=",
			      at ? " " : "", key);
	for (; *val && n + 4 < size; val++) {
		unsigned char c = (unsigned char)*val;

		if (c <= ' ' || c >= 0x7f || c == '%' || c == '=') {
			buf[n++] = '%';
			buf[n++] = hex[c >> 4];
			buf[n++] = hex[c & 15];
		} else {
			buf[n++] = (char)c;
		}
	}
	if (n < size)
		buf[n] = 0;
	return n < size ? n : size - 1;
}

void session_describe(struct session *s, char *buf, size_t size)
{
	struct link_stats st = { 0 };
	char v[96], ip[INET_ADDRSTRLEN];
	struct in_addr a;
	size_t n = 0;

	if (!size)
		return;
	buf[0] = 0;
	if (s->link && s->link->ops->update_stats)
		s->link->ops->update_stats(s->link);
	if (s->link)
		st = s->link->stats;
#define PUTU(k, x) do { snprintf(v, sizeof(v), "%llu", (unsigned long long)(x)); \
			n = session_put(buf, size, n, k, v); } while (0)
	PUTU("id", s->id);
	n = session_put(buf, size, n, "role", s->server ? "server" : "client");
	n = session_put(buf, size, n, "phase", session_phase_names[s->phase]);
	n = session_put(buf, size, n, "call", s->call_inited ?
			sstp_call_state_name(sstp_call_state(&s->call)) : "-");
	n = session_put(buf, size, n, "user", s->server ? (s->user[0] ? s->user : "-")
							: s->env->cfg->user);
	n = session_put(buf, size, n, "peer", s->peer);
	n = session_put(buf, size, n, "ifname", s->link && s->link->ifname[0] ?
			s->link->ifname : "-");
	a.s_addr = htonl(s->local_ip);
	n = session_put(buf, size, n, "local_ip", s->local_ip ?
			inet_ntop(AF_INET, &a, ip, sizeof(ip)) : "-");
	a.s_addr = htonl(s->peer_ip);
	n = session_put(buf, size, n, "peer_ip", s->peer_ip ?
			inet_ntop(AF_INET, &a, ip, sizeof(ip)) : "-");
	if (s->ipv6_up)
		session_ll_str(s->local_iid, v, sizeof(v));
	n = session_put(buf, size, n, "local_ip6", s->ipv6_up ? v : "-");
	if (s->ipv6_up)
		session_ll_str(s->peer_iid, v, sizeof(v));
	n = session_put(buf, size, n, "peer_ip6", s->ipv6_up ? v : "-");
	if (s->tls.ssl && s->tls.established)
		tls_describe(&s->tls, v, sizeof(v));
	else
		snprintf(v, sizeof(v), "-");
	n = session_put(buf, size, n, "tls", v);
	n = session_put(buf, size, n, "data_path", s->kernel ? "kernel" :
			s->ktls ? "user-ktls" : "user");
	if (s->kernel)
		PUTU("kernel_session", s->link ? s->link->kernel_id : 0);
	PUTU("uptime", (loop_now() - s->started) / 1000);
	PUTU("rx_packets", st.rx_packets);
	PUTU("rx_bytes", st.rx_bytes);
	PUTU("tx_packets", st.tx_packets);
	PUTU("tx_bytes", st.tx_bytes);
	PUTU("rx_dropped", st.rx_dropped + s->ppp_dropped);
	PUTU("tx_dropped", st.tx_dropped);
#undef PUTU
}
