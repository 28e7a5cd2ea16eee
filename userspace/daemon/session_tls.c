// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS phase: the handshake over the session's socket, then (offload
 * on) both directions into kernel TLS before a single record is read, so
 * that the socket can later go to sstp.ko. Reading afterwards goes through
 * OpenSSL, or straight from the kTLS socket.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "daemon/session_internal.h"
#include "tls/ktls_offload.h"

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

void session_tls_start(struct session *s)
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

void session_do_tls(struct session *s)
{
	char desc[96];
	int err;

	err = tls_handshake(&s->tls);
	if (err == -EAGAIN)
		return;
	if (err) {
		/* The cause in the operator's words, and the fix. */
		if (s->tls.hint[0])
			slog(LOG_WARNING, s, "TLS handshake refused: %s", s->tls.hint);
		session_down(s, true, "%s", s->tls.err);
		return;
	}
	tls_describe(&s->tls, desc, sizeof(desc));
	slog(LOG_INFO, s, "TLS established: %s", desc);
	session_try_ktls(s);
	s->phase = SP_HTTP;
	s->phase_deadline = loop_now() + HTTP_TIMEOUT_MS;
	if (!s->server && session_http_send_request(s))
		session_down(s, true, "cannot queue the HTTP request");
}

/* tls_read(), or from an offloaded socket the kernel's plaintext. */
ssize_t session_read(struct session *s, void *buf, size_t len)
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
