// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A session's life, phase by phase, and the file that holds each:
 *
 *   accept / connect   session.c           a socket and the peer's address
 *   (front)            session_front.c     server: a front end's PROXY
 *                                          header; not TLS at all
 *   (TCP, proxy)       session_http.c      client: connect() finishing, an
 *                                          HTTP CONNECT through [client] proxy
 *   TLS                session_tls.c       the handshake; kTLS both ways when
 *                                          offload is on
 *   HTTP               session_http.c      SSTP_DUPLEX_POST and its answer
 *   SSTP call          session_call.c      the link chosen, the call and the
 *                                          PPP engine started
 *   PPP                session_ppp.c       authentication and the address,
 *                                          the NCPs, the client's routes
 *   data               session_link.c      the link carries IP; its owner
 *                                          callbacks and the data gate
 *   down               session.c           one teardown, a deferred free
 *
 * Beside them: session_io.c reads the socket for whichever phase is on,
 * session_out.c holds the TLS output (backlog, backpressure, the burst
 * rule), session_describe.c is sstpctl's line. Timers for every phase are
 * here: one per session, armed for the earliest deadline of the phase, the
 * SSTP call and the PPP engine.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <netinet/tcp.h>
#include <openssl/crypto.h>

#include "daemon/endpoint.h"
#include "daemon/pool.h"
#include "daemon/session_internal.h"
#include "proto/radius.h"

const char *const session_phase_names[] = {
	[SP_FRONT] = "front", [SP_TCP] = "tcp", [SP_PROXY] = "proxy", [SP_TLS] = "tls",
	[SP_HTTP] = "http", [SP_SSTP] = "sstp", [SP_DOWN] = "down",
};

const char *const session_fail_names[SESSION_FAIL_MAX] = {
	[SESSION_FAIL_NONE] = "none",
	[SESSION_FAIL_CONNECT] = "connect",
	[SESSION_FAIL_PROXY_PROTOCOL] = "proxy_protocol",
	[SESSION_FAIL_NOT_TLS] = "not_tls",
	[SESSION_FAIL_TLS] = "tls",
	[SESSION_FAIL_HTTP] = "http",
	[SESSION_FAIL_TIMEOUT] = "timeout",
	[SESSION_FAIL_SSTP] = "sstp",
	[SESSION_FAIL_PPP] = "ppp",
	[SESSION_FAIL_AUTH_CREDENTIALS] = "credentials",
	[SESSION_FAIL_AUTH_TIMEOUT] = "auth_timeout",
	[SESSION_FAIL_AUTH_REFUSED] = "refused",
	[SESSION_FAIL_AUTH_BACKEND] = "backend",
	[SESSION_FAIL_CRYPTO_BINDING] = "crypto_binding",
};

/* ------------------------------------------------------------ admission */

void session_env_init(struct session_env *env)
{
	list_init(&env->preauth);
}

bool session_env_full(const struct session_env *env)
{
	return env->n_preauth >= env->cfg->max_preauth ||
	       env->n_auth >= env->cfg->max_sessions;
}

/* Unauthenticated connections from src. The list holds at most
 * max_preauth sessions. */
static unsigned int session_preauth_from(const struct session_env *env,
					 const struct endpoint_source *src)
{
	const struct list_head *p;
	unsigned int n = 0;

	list_for_each(p, &env->preauth)
		n += endpoint_source_eq(&container_of(p, struct session, pre)->src, src);
	return n;
}

static void session_preauth_leave(struct session *s)
{
	struct session_env *env = s->env;

	if (!s->preauth_deadline)
		return;
	list_del(&s->pre);
	s->preauth_deadline = 0;
	env->n_preauth--;
}

int session_authenticated(struct session *s)
{
	struct session_env *env = s->env;

	s->authenticated = true;
	if (!s->server)
		return 0;
	/* Taken by others that authenticated while this one was on its way:
	 * the listener was paused for it, but it was already in. */
	if (env->n_auth >= env->cfg->max_sessions) {
		slog(LOG_WARNING, s, "max_sessions (%u) reached: refused after authentication",
		     env->cfg->max_sessions);
		return -EBUSY;
	}
	session_preauth_leave(s);
	env->n_auth++;
	if (env->admit)
		env->admit(env);
	return 0;
}

/* ------------------------------------------------------------ teardown */

void session_fail_as(struct session *s, enum session_fail why)
{
	if (!s->fail)
		s->fail = why;
}

/*
 * The one place failures are counted: a session that never got its call
 * up and ended in an error. Where the phase says it all, the phase is the
 * reason; the places that know better said so with session_fail_as().
 */
static void session_count_end(struct session *s)
{
	static const enum session_fail by_phase[] = {
		[SP_FRONT] = SESSION_FAIL_NOT_TLS, [SP_TCP] = SESSION_FAIL_CONNECT,
		[SP_PROXY] = SESSION_FAIL_CONNECT, [SP_TLS] = SESSION_FAIL_TLS,
		[SP_HTTP] = SESSION_FAIL_HTTP, [SP_SSTP] = SESSION_FAIL_SSTP,
	};
	struct session_stats *st = &s->env->stats;
	uint64_t rp, rb, tp, tb;

	session_counters(s, &rp, &rb, &tp, &tb);
	st->rx_packets += rp;
	st->rx_bytes += rb;
	st->tx_packets += tp;
	st->tx_bytes += tb;
	if (s->connected || !s->failed)
		return;
	if (!s->fail)
		s->fail = s->phase < SP_DOWN ? by_phase[s->phase] : SESSION_FAIL_SSTP;
	st->failed[s->fail]++;
}

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
	free(s->pending);
	OPENSSL_cleanse(s->hbuf, sizeof(s->hbuf));
	free(s);
	if (env->gone)
		env->gone(env, id, failed);
}

void session_down(struct session *s, bool failed, const char *fmt, ...)
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
	session_count_end(s);
	s->phase = SP_DOWN;
	slog(s->failed ? LOG_WARNING : LOG_INFO, s, "session down: %s%s%s",
	     s->why, strcmp(s->why, why) ? "; " : "", strcmp(s->why, why) ? why : "");

	/* Last words already queued (an HTTP error, a CALL_ABORT) get one
	 * chance to leave; nothing waits for them. A link that owns the
	 * socket says its own goodbye when it is freed. */
	if (!link_owns_socket(s->link) && (s->plain || (s->tls.ssl && s->tls.established))) {
		session_flush(s);
		if (s->tls.ssl)
			tls_shutdown(&s->tls);
	}
	if (s->lfd.fd >= 0)
		loop_fd_del(env->loop, &s->lfd);
	/* Accounting Stop, with the link's counters. */
	if (s->server) {
		session_radius_down(s);
		session_addrconf_down(s, true, true);
	}
	/* The guard goes before the interface (which may take it along). The
	 * kernel backend sends its last control packets and gives the socket
	 * back before it is closed. */
	session_guard_detach(s);
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
	if (s->server) {
		if (s->preauth_deadline)
			session_preauth_leave(s);
		else if (s->authenticated)
			env->n_auth--;
		if (env->admit)
			env->admit(env);
	}
	loop_timer_set(env->loop, &s->reaper, loop_now(), session_reap);
}

/* Pre-SSTP failures end the connection at once; afterwards the call
 * decides (it may owe the peer a CALL_ABORT). */
void session_fail_lower(struct session *s, const char *what)
{
	if (s->phase == SP_SSTP && s->call_inited && !sstp_call_is_down(&s->call))
		sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER, what);
	else
		session_down(s, true, "%s", what);
}

/* ------------------------------------------------------------ timers */

static void session_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, timer);
	uint64_t now = loop_now();

	if (s->phase_deadline && now >= s->phase_deadline) {
		session_fail_as(s, SESSION_FAIL_TIMEOUT);
		session_down(s, true, "timed out in phase %s", session_phase_names[s->phase]);
		return;
	}
	if (s->preauth_deadline && now >= s->preauth_deadline) {
		session_down(s, true, "not authenticated within preauth_timeout (%u s), "
			     "in phase %s", s->env->cfg->preauth_timeout,
			     session_phase_names[s->phase]);
		return;
	}
	if (s->call_inited && now >= sstp_call_next_deadline(&s->call))
		sstp_call_timer(&s->call, now);
	if (s->phase == SP_SSTP && s->ppp && now >= ppp_deadline(s->ppp))
		ppp_timer(s->ppp, now);
	session_settle(s);
}

void session_rearm(struct session *s)
{
	uint64_t d = UINT64_MAX, x;

	if (s->phase == SP_DOWN)
		return;
	if (s->phase_deadline)
		d = s->phase_deadline;
	if (s->preauth_deadline && s->preauth_deadline < d)
		d = s->preauth_deadline;
	if (s->call_inited && (x = sstp_call_next_deadline(&s->call)) < d)
		d = x;
	if (s->ppp && (x = ppp_deadline(s->ppp)) < d)
		d = x;
	if (d == UINT64_MAX)
		loop_timer_cancel(s->env->loop, &s->timer);
	else if (!loop_timer_armed(&s->timer) || s->timer.when != d)
		loop_timer_set(s->env->loop, &s->timer, d, session_timer);
}

/* After anything that may have changed what the session waits for: the
 * socket events and the timer follow (unless it went down meanwhile). */
void session_settle(struct session *s)
{
	if (s->phase != SP_DOWN && s->handoff_due)
		session_link_handoff(s);
	if (s->phase != SP_DOWN) {
		session_update_events(s);
		session_rearm(s);
	}
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
	s->phase = server ? SP_FRONT : SP_TCP;
	s->fd = fd;
	s->lfd.fd = -1;
	s->started = loop_now();
	s->timer.cb = session_timer;
	s->flush_timer.cb = session_flush_timer;
	env->stats.sessions++;
	s->next = env->sessions;
	if (env->sessions)
		env->sessions->prev = s;
	env->sessions = s;
	env->n_sessions++;
	return s;
}

void session_addr_str(const struct sockaddr *sa, char *buf, size_t size)
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
		   socklen_t peer_len, bool plain)
{
	const struct config *cfg = env->cfg;
	struct endpoint_source src;
	struct session *s;
	int one = 1, err;

	if (session_env_full(env)) {
		close(fd);
		return -EBUSY;
	}
	endpoint_source(peer, &src);
	if (session_preauth_from(env, &src) >= cfg->max_preauth_per_source) {
		close(fd);
		return -EDQUOT;
	}
	s = session_new(env, fd, true);
	if (!s) {
		close(fd);
		return -ENOMEM;
	}
	if (peer_len <= sizeof(s->peer_sa))
		memcpy(&s->peer_sa, peer, peer_len);
	/* One deadline from here to authenticated, whatever the phases. */
	s->src = src;
	s->policy.rate_bytes = (uint32_t)((uint64_t)cfg->rate_limit * 1000 / 8);
	s->preauth_deadline = s->started + (uint64_t)cfg->preauth_timeout * 1000;
	list_add(&s->pre, &env->preauth);
	env->n_preauth++;
	session_addr_str(peer, s->peer, sizeof(s->peer));
	s->plain = plain;
	s->need_proxy_hdr = prefix_list_match(&env->proxy_from, peer);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	slog(LOG_INFO, s, "connection from %s%s%s", s->peer,
	     plain ? " (plain listener)" : "",
	     s->need_proxy_hdr ? ", a front end: PROXY header expected" : "");
	err = loop_fd_add(env->loop, &s->lfd, fd, EPOLLIN, session_io);
	if (err) {
		session_down(s, true, "epoll: %s", strerror(-err));
		return err;
	}
	session_front_start(s);
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
	if (ai->ai_addrlen <= sizeof(s->peer_sa))
		memcpy(&s->peer_sa, ai->ai_addr, ai->ai_addrlen);
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
	session_settle(s);
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

void session_end_cause(struct session *s, enum session_end_cause cause)
{
	if (!s->aaa.term_cause)
		s->aaa.term_cause = cause == SESSION_END_ADMIN ?
				    RADIUS_TERM_ADMIN_RESET : RADIUS_TERM_ADMIN_REBOOT;
}

void session_disconnect_all(struct session_env *env, const char *why)
{
	struct session *s, *next;

	for (s = env->sessions; s; s = next) {
		next = s->next;
		session_end_cause(s, SESSION_END_SHUTDOWN);
		session_disconnect(s, why);
	}
}

void session_kill_all(struct session_env *env, const char *why)
{
	while (env->sessions) {
		session_end_cause(env->sessions, SESSION_END_SHUTDOWN);
		session_down(env->sessions, true, "%s", why);
	}
}
