// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What comes before TLS on a server's connection:
 *
 * - from a front end listed in proxy_protocol (HAProxy, a load balancer),
 *   a PROXY header (v1 or v2) naming the client's real address. It is
 *   consumed exactly, never a byte further, so that what follows (TLS, or
 *   HTTP on listen_plain) stays in the socket; on the kernel data path
 *   sstp.ko later gets a socket whose stream starts after it;
 * - on a TLS listener, a look at the first byte: a TLS handshake record
 *   goes on to TLS; a plain HTTP request gets a plain HTTP answer (as
 *   nginx does) instead of a TLS error it cannot read; anything else is
 *   closed at once.
 *
 * listen_plain's connections then go straight to the HTTP exchange: TLS
 * ended at the front end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/session_internal.h"
#include "proto/proxy_proto.h"

/* The first byte of a TLS record carrying a handshake (ClientHello). */
#define SESSION_TLS_HANDSHAKE	0x16

static void session_front_done(struct session *s)
{
	if (!s->plain) {
		session_tls_start(s);
		return;
	}
	/* TLS ended at the front end: the HTTP exchange is next. */
	s->phase = SP_HTTP;
	s->hlen = 0;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
}

/* The client's address from the header; the front end's is kept. */
static void session_front_peer(struct session *s, const struct proxy_hdr *h)
{
	if (h->local) {
		slog(LOG_INFO, s, "PROXY v%d header from %s: the front end's own "
		     "connection (LOCAL)", h->version, s->peer);
		return;
	}
	snprintf(s->front, sizeof(s->front), "%s", s->peer);
	memcpy(&s->peer_sa, &h->src, sizeof(s->peer_sa));
	session_addr_str((const struct sockaddr *)&h->src, s->peer, sizeof(s->peer));
	slog(LOG_INFO, s, "client %s via front end %s (PROXY v%d%s%s)", s->peer,
	     s->front, h->version, h->authority[0] ? ", SNI " : "", h->authority);
}

/* Read the PROXY header: 1 when it is done, 0 to wait, -1 when down. */
static int session_front_proxy(struct session *s)
{
	struct proxy_hdr h;
	size_t room = sizeof(s->hbuf) < PROXY_HDR_MAX ? sizeof(s->hbuf) : PROXY_HDR_MAX;
	ssize_t n;
	int r;

	/* Peek, then take only header bytes: the parse says where it ends,
	 * and while it has not ended every byte seen so far is header. */
	n = recv(s->fd, s->hbuf + s->hlen, room - s->hlen, MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		session_fail_as(s, SESSION_FAIL_PROXY_PROTOCOL);
		session_down(s, true, "front end %s closed before its PROXY header%s%s",
			     s->peer, n ? ": " : "", n ? strerror(errno) : "");
		return -1;
	}
	r = proxy_hdr_parse((uint8_t *)s->hbuf, s->hlen + (size_t)n, &h);
	if (r < 0) {
		session_fail_as(s, SESSION_FAIL_PROXY_PROTOCOL);
		session_down(s, true, "no valid PROXY header from front end %s (%s)",
			     s->peer, r == -EMSGSIZE ? "too long" : "malformed");
		return -1;
	}
	if (r > 0)
		n = (ssize_t)((size_t)r - s->hlen);
	/* The bytes just peeked are still there: this read cannot block. */
	if (read(s->fd, s->hbuf + s->hlen, (size_t)n) != n) {
		session_down(s, true, "reading the PROXY header: %s", strerror(errno));
		return -1;
	}
	s->hlen += (size_t)n;
	if (!r)
		return 0;
	session_front_peer(s, &h);
	s->hlen = 0;
	s->need_proxy_hdr = false;
	return 1;
}

/* Not TLS on a TLS listener. An HTTP request (a method in capitals, then
 * a blank) gets a plain answer; the request is read first, so that the
 * close does not reset the answer away. */
static void session_front_not_tls(struct session *s, const char *first, size_t n)
{
	static const char answer[] =
		"HTTP/1.1 400 Bad Request\r\n"
		"Content-Type: text/plain\r\n"
		"Content-Length: 46\r\n"
		"Connection: close\r\n"
		"\r\n"
		"This is an SSTP VPN server: it speaks HTTPS.\r\n";
	size_t i = 0;

	session_fail_as(s, SESSION_FAIL_NOT_TLS);
	while (i < n && first[i] >= 'A' && first[i] <= 'Z')
		i++;
	if (!i || i == n || first[i] != ' ') {
		session_down(s, true, "not TLS (first byte 0x%02x): closed",
			     (unsigned char)first[0]);
		return;
	}
	if (read(s->fd, s->hbuf, sizeof(s->hbuf)) < 0)
		slog(LOG_DEBUG, s, "reading the plain request: %s", strerror(errno));
	if (write(s->fd, answer, sizeof(answer) - 1) < 0)
		slog(LOG_DEBUG, s, "writing the plain answer: %s", strerror(errno));
	shutdown(s->fd, SHUT_WR);
	session_down(s, true, "plain HTTP on a TLS listener: answered 400");
}

void session_do_front(struct session *s)
{
	char first[16];
	ssize_t n;

	if (s->need_proxy_hdr && session_front_proxy(s) <= 0)
		return;
	if (s->plain) {
		session_front_done(s);
		return;
	}
	n = recv(s->fd, first, sizeof(first), MSG_PEEK);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0) {
		session_down(s, true, "before TLS: %s", strerror(errno));
		return;
	}
	/* Connected and closed without a byte: a port probe or a front
	 * end's health check (HAProxy's check, after a LOCAL header), not
	 * a failed handshake. */
	if (!n) {
		session_down(s, false, "closed before sending anything");
		return;
	}
	if ((unsigned char)first[0] != SESSION_TLS_HANDSHAKE) {
		session_front_not_tls(s, first, (size_t)n);
		return;
	}
	session_front_done(s);
	/* The ClientHello is there: start at once. */
	if (s->phase == SP_TLS)
		session_do_tls(s);
}

void session_front_start(struct session *s)
{
	s->phase = SP_FRONT;
	s->hlen = 0;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
	/* Nothing to wait for on a plain listener without a front end's
	 * header; otherwise the first bytes decide (they may be there). */
	if (s->plain && !s->need_proxy_hdr)
		session_front_done(s);
}
