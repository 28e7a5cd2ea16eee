// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The session's socket: what wakes it, and reading whatever the phase
 * expects (the HTTP header, then the SSTP stream) for as long as the
 * session owns the socket. Once a link owns it (the kernel backend), not
 * one more byte is read here.
 */
#include <errno.h>
#include <unistd.h>

#include <linux/sstp.h>
#include <openssl/ssl.h>

#include "daemon/session_internal.h"

/* TLS reads (16 KiB each) per readiness event before yielding. */
#define SESSION_RX_BUDGET	64

static uint8_t session_rbuf[16384];

static void session_rx_timer(struct loop_timer *t);

/* Read everything TLS has; dispatch by phase. */
static void session_do_read(struct session *s)
{
	unsigned int budget = SESSION_RX_BUDGET;
	ssize_t n;
	size_t room;

	while (!link_owns_socket(s->link) && !s->handoff_due &&
	       (s->phase == SP_HTTP || s->phase == SP_SSTP)) {
		/* One busy peer must not starve the others. epoll reports
		 * what is left on the socket, but not what OpenSSL already
		 * holds decrypted: come back for that on a zero timer. */
		if (!budget--) {
			if (s->ktls || s->plain || SSL_pending(s->tls.ssl))
				loop_timer_set(s->env->loop, &s->rx_timer, loop_now(),
					       session_rx_timer);
			return;
		}
		if (s->phase == SP_HTTP) {
			room = sizeof(s->hbuf) - s->hlen;
			if (!room) {
				if (s->server)
					session_http_input(s);
				else
					session_down(s, true, "HTTP response header too long");
				return;
			}
			n = session_read(s, s->hbuf + s->hlen, room);
		} else {
			/* While the kernel may still take the socket, read no
			 * more than it takes back as pending bytes. */
			n = session_read(s, session_rbuf, s->ktls && !s->authenticated ?
					 SSTP_PENDING_MAX : sizeof(session_rbuf));
		}
		if (n == -EAGAIN)
			return;
		if (n <= 0) {
			/* Say whether TLS ended cleanly (a kernel-path peer
			 * sends its close_notify from the kTLS socket); the
			 * call may report its handshake's reason instead. */
			const char *why = n ? s->tls.err : s->tls.ssl && !s->ktls &&
				(SSL_get_shutdown(s->tls.ssl) & SSL_RECEIVED_SHUTDOWN) ?
				"peer closed the connection (TLS close_notify)" :
				"peer closed the connection";

			slog(LOG_INFO, s, "%s", why);
			session_fail_lower(s, why);
			return;
		}
		if (s->phase == SP_HTTP) {
			s->hlen += (size_t)n;
			session_http_input(s);
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
	session_settle(s);
}

void session_update_events(struct session *s)
{
	uint32_t ev = EPOLLIN;

	if (s->phase == SP_DOWN || s->lfd.fd < 0)
		return;
	if (s->phase == SP_TCP)
		ev = EPOLLOUT;
	else if (s->olen || (s->tls.want & EPOLLOUT))
		ev |= EPOLLOUT;
	/* Waiting to hand the socket over: what the peer sends meanwhile is
	 * the kernel's to read, and must not wake us over and over. */
	if (s->handoff_due)
		ev &= ~(uint32_t)EPOLLIN;
	loop_fd_mod(s->env->loop, &s->lfd, ev);
}

/* The HTTP and SSTP phases: what waits to go out, then what came in. */
static void session_io_stream(struct session *s)
{
	if (s->olen && session_flush(s)) {
		session_fail_lower(s, s->tls.err);
		return;
	}
	session_do_read(s);
}

void session_io(struct loop_fd *lfd, uint32_t events)
{
	struct session *s = container_of(lfd, struct session, lfd);

	switch (s->phase) {
	case SP_FRONT:
	case SP_TLS:
		if (s->phase == SP_FRONT)
			session_do_front(s);
		else
			session_do_tls(s);
		/* TLS 1.3 data, or a plain request, may already be there */
		if (s->phase == SP_HTTP)
			session_io_stream(s);
		break;
	case SP_TCP:
		session_do_connected(s);
		break;
	case SP_PROXY:
		session_do_proxy(s);
		break;
	case SP_HTTP:
	case SP_SSTP:
		session_io_stream(s);
		break;
	case SP_DOWN:
		break;
	}
	session_settle(s);
}
