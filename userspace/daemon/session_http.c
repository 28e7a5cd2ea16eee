// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP around the session: a client's connect() finishing and its CONNECT
 * through an HTTP proxy (before TLS), then the SSTP_DUPLEX_POST exchange
 * inside TLS: the server reads the request and answers, the client sends
 * it and reads the answer. Whatever follows the header is the start of
 * the SSTP stream.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "daemon/session_internal.h"

/* ------------------------------------------------------------ before TLS */

void session_do_connected(struct session *s)
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

void session_do_proxy(struct session *s)
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

/* ------------------------------------------------------------ SSTP_DUPLEX_POST */

int session_http_send_request(struct session *s)
{
	char req[512], id[39];
	int n;

	http_correlation_id_new(id);
	n = http_request_build(req, sizeof(req), s->host, id);
	if (n < 0)
		return n;
	return session_queue(s, (uint8_t *)req, (size_t)n, false);
}

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
	if (log_level >= LOG_DEBUG) {
		char host[LOG_ESCAPED_SIZE(sizeof(req.host))];
		char cid[LOG_ESCAPED_SIZE(sizeof(req.correlation_id))];

		slog(LOG_DEBUG, s, "SSTP_DUPLEX_POST host \"%s\" correlation \"%s\"",
		     log_escape_str(host, sizeof(host), req.host),
		     log_escape_str(cid, sizeof(cid), req.correlation_id));
	}
	session_sstp_start(s, (uint8_t *)s->hbuf + n, s->hlen - (size_t)n);
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
	session_sstp_start(s, (uint8_t *)s->hbuf + n, s->hlen - (size_t)n);
}

/* s->hbuf has grown (or is full): is the header complete? */
void session_http_input(struct session *s)
{
	if (s->server)
		session_http_server(s);
	else
		session_http_client(s);
}
