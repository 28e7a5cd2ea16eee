// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "tls/tls.h"

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

/* What kTLS can take over after the handshake (userspace/ktls_offload.c). */
static bool tls_cipher_offloadable(const SSL_CIPHER *c)
{
	int nid = SSL_CIPHER_get_cipher_nid(c);

	return nid == NID_aes_128_gcm || nid == NID_aes_256_gcm ||
	       nid == NID_chacha20_poly1305;
}

/* TLS 1.3 suites name no key exchange: they are the ones with "any". */
static bool tls_cipher_is13(const SSL_CIPHER *c)
{
	return SSL_CIPHER_get_kx_nid(c) == NID_kx_any;
}

/* Load one list into a context whose other list is left alone. */
static int tls_set_list(SSL_CTX *ctx, const char *list, bool tls13)
{
	return tls13 ? SSL_CTX_set_ciphersuites(ctx, list)
		     : SSL_CTX_set_cipher_list(ctx, list);
}

/*
 * OpenSSL skips names it does not know as long as one other matches, so a
 * typo would quietly drop a suite: each name is tried on its own first.
 * Operators (!x, -x, +x, @STRENGTH) select nothing alone and are skipped.
 */
static int tls_check_words(SSL_CTX *ctx, const char *list, bool tls13,
			   char *err, size_t errlen)
{
	const char *p = list;
	char word[128];
	size_t n;

	while (*p) {
		n = strcspn(p, ":, ");
		if (n && !strchr("!-+@", *p)) {
			if (n >= sizeof(word)) {
				snprintf(err, errlen, "'%.40s...' is too long for a cipher name", p);
				return -EINVAL;
			}
			memcpy(word, p, n);
			word[n] = 0;
			if (!tls_set_list(ctx, word, tls13)) {
				ERR_clear_error();
				snprintf(err, errlen, "'%s' matches no TLS %s %s OpenSSL knows",
					 word, tls13 ? "1.3" : "1.2",
					 tls13 ? "suite" : "cipher");
				return -EINVAL;
			}
		}
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

int tls_check_ciphers(const char *list, bool tls13, char *err, size_t errlen)
{
	STACK_OF(SSL_CIPHER) *sk;
	const SSL_CIPHER *c;
	int i, n = 0, ret = -EINVAL, auth;
	SSL_CTX *ctx;

	ctx = SSL_CTX_new(TLS_method());
	if (!ctx) {
		tls_errstr(err, errlen, "SSL_CTX_new");
		return -ENOMEM;
	}
	/* A TLS 1.2 list is checked alone: no TLS 1.3 suites in the result. */
	if (!tls13 && !SSL_CTX_set_ciphersuites(ctx, "")) {
		tls_errstr(err, errlen, "SSL_CTX_set_ciphersuites");
		goto out;
	}
	if (tls_check_words(ctx, list, tls13, err, errlen))
		goto out;
	if (!tls_set_list(ctx, list, tls13)) {
		ERR_clear_error();
		snprintf(err, errlen, "'%s' selects no TLS %s %s", list,
			 tls13 ? "1.3" : "1.2", tls13 ? "suite" : "cipher");
		goto out;
	}
	sk = SSL_CTX_get_ciphers(ctx);
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		c = sk_SSL_CIPHER_value(sk, i);
		if (tls_cipher_is13(c) != tls13)
			continue;
		n++;
		if (!tls_cipher_offloadable(c)) {
			snprintf(err, errlen, "%s cannot be offloaded to kTLS (only "
				 "AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 can)",
				 SSL_CIPHER_get_name(c));
			goto out;
		}
		auth = SSL_CIPHER_get_auth_nid(c);
		if (!tls13 && (SSL_CIPHER_get_kx_nid(c) != NID_kx_ecdhe ||
			       (auth != NID_auth_rsa && auth != NID_auth_ecdsa))) {
			snprintf(err, errlen, "%s is not allowed: TLS 1.2 needs ECDHE "
				 "(forward secrecy) with an RSA or ECDSA certificate",
				 SSL_CIPHER_get_name(c));
			goto out;
		}
	}
	if (!n) {
		snprintf(err, errlen, "'%s' selects no TLS %s %s", list,
			 tls13 ? "1.3" : "1.2", tls13 ? "suite" : "cipher");
		goto out;
	}
	ret = 0;
out:
	SSL_CTX_free(ctx);
	return ret;
}

/*
 * A server limited to TLS 1.2 whose cipher list has no suite for its key
 * type could never complete a handshake: say so at start instead.
 */
static int tls_check_key_fits(SSL_CTX *ctx, char *err, size_t errlen)
{
	EVP_PKEY *pk = SSL_CTX_get0_privatekey(ctx);
	STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
	bool rsa = pk && (EVP_PKEY_is_a(pk, "RSA") || EVP_PKEY_is_a(pk, "RSA-PSS"));
	int want = rsa ? NID_auth_rsa : NID_auth_ecdsa, i;

	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++)
		if (SSL_CIPHER_get_auth_nid(sk_SSL_CIPHER_value(sk, i)) == want)
			return 0;
	snprintf(err, errlen, "TLS 1.2 only, but the cipher list has no %s suite "
		 "for the certificate's %s key", rsa ? "ECDHE-RSA" : "ECDHE-ECDSA",
		 rsa ? "RSA" : "EC");
	return -EINVAL;
}

SSL_CTX *tls_ctx_new(const struct tls_opts *o, char *err, size_t errlen)
{
	const char *ciphers = o->ciphers ? o->ciphers : SSTP_TLS12_CIPHERS;
	const char *suites = o->ciphersuites ? o->ciphersuites : SSTP_TLS13_SUITES;
	int min = o->min_version ? o->min_version : TLS1_2_VERSION;
	int max = o->max_version ? o->max_version : TLS1_3_VERSION;
	char why[160];
	SSL_CTX *ctx;

	if (min < TLS1_2_VERSION || max > TLS1_3_VERSION || min > max) {
		snprintf(err, errlen, "TLS versions 0x%x..0x%x: need 1.2 <= min <= max <= 1.3",
			 min, max);
		return NULL;
	}
	/* The same rules as the configuration, for callers that skip it. */
	if (tls_check_ciphers(ciphers, false, why, sizeof(why))) {
		snprintf(err, errlen, "TLS 1.2 ciphers: %s", why);
		return NULL;
	}
	if (tls_check_ciphers(suites, true, why, sizeof(why))) {
		snprintf(err, errlen, "TLS 1.3 suites: %s", why);
		return NULL;
	}
	ctx = SSL_CTX_new(o->server ? TLS_server_method() : TLS_client_method());
	if (!ctx) {
		tls_errstr(err, errlen, "SSL_CTX_new");
		return NULL;
	}
	if (!SSL_CTX_set_min_proto_version(ctx, min) ||
	    !SSL_CTX_set_max_proto_version(ctx, max)) {
		tls_errstr(err, errlen, "TLS versions");
		goto err_free;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
			    SSL_OP_CIPHER_SERVER_PREFERENCE);
	/* The session keeps unsent bytes in its own buffer and retries with
	 * a possibly different pointer. */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (!SSL_CTX_set_cipher_list(ctx, ciphers) ||
	    !SSL_CTX_set_ciphersuites(ctx, suites)) {
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
		if (max == TLS1_2_VERSION && tls_check_key_fits(ctx, err, errlen))
			goto err_free;
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
	unsigned long err;
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
		err = ERR_peek_error();
		/* OpenSSL 3 reports a peer that closed TCP without a
		 * close_notify as an error of its own: say so. */
		if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
		    ERR_GET_REASON(err) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
			snprintf(t->err, sizeof(t->err), "%s: peer closed the connection "
				 "without a TLS close_notify", what);
			ERR_clear_error();
			return -ECONNRESET;
		}
		/* The certificate's verdict explains a failed verification,
		 * and nothing else: with insecure = yes it is "not OK" for
		 * the whole session and would hide every later error. */
		vr = SSL_get_verify_result(t->ssl);
		if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
		    ERR_GET_REASON(err) == SSL_R_CERTIFICATE_VERIFY_FAILED && vr != X509_V_OK) {
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
