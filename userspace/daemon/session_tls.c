// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The TLS phase: the handshake over the session's socket, then (offload
 * on) both directions into kernel TLS before a single record is read, so
 * that the socket can later go to sstp.ko. Reading afterwards goes through
 * OpenSSL, or straight from the kTLS socket; on listen_plain, where TLS
 * ended at a front end, from the socket as it is.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

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
		/* The "data path" line says it once the SSTP phase starts. */
		snprintf(s->no_ktls, sizeof(s->no_ktls), "kTLS not available: %s", why);
		slog(LOG_DEBUG, s, "%s", s->no_ktls);
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
		session_fail_as(s, SESSION_FAIL_TLS);
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

/* Bytes read (> 0), 0 at the peer's close, -EAGAIN, or -errno with the
 * reason in s->tls.err, as tls_read() and tls_write() say it. */
static ssize_t session_plain_io(struct session *s, ssize_t n, const char *what)
{
	if (n >= 0)
		return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return -EAGAIN;
	snprintf(s->tls.err, sizeof(s->tls.err), "%s: %s", what, strerror(errno));
	return -errno;
}

/* tls_read(), or from an offloaded socket the kernel's plaintext, or on a
 * plain listener the socket's bytes. */
ssize_t session_read(struct session *s, void *buf, size_t len)
{
	ssize_t n;

	if (s->plain)
		return session_plain_io(s, read(s->fd, buf, len), "read");
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

/* tls_write(), or the socket's write() on a plain listener. */
ssize_t session_write(struct session *s, const void *buf, size_t len)
{
	if (s->plain)
		return session_plain_io(s, write(s->fd, buf, len), "write");
	return tls_write(&s->tls, buf, len);
}
