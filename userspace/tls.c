// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls.h"

/* TLS 1.2: forward secrecy and AEAD only, the set kTLS can offload. */
#define TLS12_CIPHERS "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define TLS13_SUITES "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:" \
	"TLS_AES_128_GCM_SHA256"

static void tls_errstr(char *err, size_t errlen, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[120];

	if (!errlen)
		return;
	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		snprintf(err, errlen, "%s: %s", what, buf);
	} else {
		snprintf(err, errlen, "%s", what);
	}
	ERR_clear_error();
}

SSL_CTX *tls_ctx_new(const struct tls_opts *o, char *err, size_t errlen)
{
	SSL_CTX *ctx;

	ctx = SSL_CTX_new(o->server ? TLS_server_method() : TLS_client_method());
	if (!ctx) {
		tls_errstr(err, errlen, "SSL_CTX_new");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* The session keeps unsent bytes in its own buffer and retries with
	 * a possibly different pointer. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (!SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) ||
	    !SSL_CTX_set_ciphersuites(ctx, TLS13_SUITES)) {
		tls_errstr(err, errlen, "cipher list");
		goto err_free;
	}
	if (o->server) {
		if (SSL_CTX_use_certificate_chain_file(ctx, o->cert) != 1) {
			tls_errstr(err, errlen, o->cert);
			goto err_free;
		}
		if (SSL_CTX_use_PrivateKey_file(ctx, o->key, SSL_FILETYPE_PEM) != 1) {
			tls_errstr(err, errlen, o->key);
			goto err_free;
		}
		if (SSL_CTX_check_private_key(ctx) != 1) {
			tls_errstr(err, errlen, "certificate and key do not match");
			goto err_free;
		}
		/* No tickets: a VPN session is one long connection. */
		SSL_CTX_set_num_tickets(ctx, 0);
	} else if (o->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	} else {
		if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
			tls_errstr(err, errlen, o->ca);
			goto err_free;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;

err_free:
	SSL_CTX_free(ctx);
	return NULL;
}

void tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

int tls_init(struct tls *t, SSL_CTX *ctx, int fd, const char *hostname)
{
	unsigned char addr[16];
	int is_ip;

	memset(t, 0, sizeof(*t));
	t->fd = fd;
	t->ssl = SSL_new(ctx);
	if (!t->ssl) {
		tls_errstr(t->err, sizeof(t->err), "SSL_new");
		return -ENOMEM;
	}
	if (!SSL_set_fd(t->ssl, fd)) {
		tls_errstr(t->err, sizeof(t->err), "SSL_set_fd");
		goto err_free;
	}
	if (!hostname || !*hostname) {
		SSL_set_accept_state(t->ssl);
		return 0;
	}
	is_ip = inet_pton(AF_INET, hostname, addr) == 1 ||
		inet_pton(AF_INET6, hostname, addr) == 1;
	/* RFC 6066: SNI carries names, never literal addresses. */
	if (!is_ip && !SSL_set_tlsext_host_name(t->ssl, hostname)) {
		tls_errstr(t->err, sizeof(t->err), "SNI");
		goto err_free;
	}
	if (is_ip ? !X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), hostname)
		  : !SSL_set1_host(t->ssl, hostname)) {
		tls_errstr(t->err, sizeof(t->err), "host name check");
		goto err_free;
	}
	SSL_set_connect_state(t->ssl);
	return 0;

err_free:
	SSL_free(t->ssl);
	t->ssl = NULL;
	return -EINVAL;
}

void tls_uninit(struct tls *t)
{
	SSL_free(t->ssl);
	t->ssl = NULL;
}

/* Map an SSL_* return into 0 / -EAGAIN / -errno, recording why. */
static int tls_result(struct tls *t, int ret, const char *what)
{
	int e = SSL_get_error(t->ssl, ret);
	long vr;

	switch (e) {
	case SSL_ERROR_WANT_READ:
		t->want = EPOLLIN;
		return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		t->want = EPOLLOUT;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN:
		snprintf(t->err, sizeof(t->err), "%s: peer sent close_notify", what);
		return 0;
	case SSL_ERROR_SYSCALL:
		t->broken = true;
		if (!ERR_peek_error()) {
			snprintf(t->err, sizeof(t->err), "%s: %s", what,
				 errno ? strerror(errno) : "connection closed");
			ERR_clear_error();
			return errno && errno != EPIPE ? -ECONNRESET : 0;
		}
		/* fall through */
	default:
		t->broken = true;
		vr = SSL_get_verify_result(t->ssl);
		if (vr != X509_V_OK) {
			snprintf(t->err, sizeof(t->err), "%s: certificate: %s", what,
				 X509_verify_cert_error_string(vr));
			ERR_clear_error();
		} else {
			tls_errstr(t->err, sizeof(t->err), what);
		}
		return -EPROTO;
	}
}

int tls_handshake(struct tls *t)
{
	int ret;

	if (t->established)
		return 0;
	ERR_clear_error();
	errno = 0;
	ret = SSL_do_handshake(t->ssl);
	if (ret == 1) {
		t->established = true;
		return 0;
	}
	ret = tls_result(t, ret, "TLS handshake");
	/* A close during the handshake is a failure, not an EOF. */
	return ret ? ret : -ECONNRESET;
}

ssize_t tls_read(struct tls *t, void *buf, size_t len)
{
	size_t got = 0;
	int ret;

	ERR_clear_error();
	errno = 0;
	ret = SSL_read_ex(t->ssl, buf, len, &got);
	if (ret == 1)
		return (ssize_t)got;
	return tls_result(t, ret, "TLS read");
}

ssize_t tls_write(struct tls *t, const void *buf, size_t len)
{
	size_t put = 0;
	int ret;

	if (!len)
		return 0;
	ERR_clear_error();
	errno = 0;
	ret = SSL_write_ex(t->ssl, buf, len, &put);
	if (ret == 1)
		return (ssize_t)put;
	ret = tls_result(t, ret, "TLS write");
	return ret ? ret : -EPIPE;
}

void tls_shutdown(struct tls *t)
{
	/* OpenSSL forbids SSL_shutdown after a fatal error. */
	if (t->ssl && t->established && !t->broken) {
		ERR_clear_error();
		SSL_shutdown(t->ssl);
		ERR_clear_error();
	}
}

int tls_server_cert_der(struct tls *t, uint8_t **der)
{
	X509 *cert = SSL_is_server(t->ssl) ? SSL_get_certificate(t->ssl)
					   : SSL_get0_peer_certificate(t->ssl);
	unsigned char *buf = NULL;
	int len;

	*der = NULL;
	if (!cert)
		return -ENOENT;
	len = i2d_X509(cert, &buf);
	if (len <= 0)
		return -ENOENT;
	*der = buf;
	return len;
}

void tls_describe(struct tls *t, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", SSL_get_version(t->ssl),
		 SSL_get_cipher_name(t->ssl));
}
