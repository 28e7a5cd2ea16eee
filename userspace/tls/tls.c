// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include <openssl/err.h>
#include <openssl/pem.h>
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

/*
 * Why sstpd refuses a suite, or NULL: only what kTLS can carry
 * (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305) and, for TLS 1.2, forward
 * secrecy with an RSA or ECDSA certificate: ECDHE, or DHE with RSA (which
 * no default list has: Windows 7 and 8.1 offer it, see docs/windows.md).
 */
static const char *tls_cipher_refused(const SSL_CIPHER *c)
{
	int kx = SSL_CIPHER_get_kx_nid(c), auth = SSL_CIPHER_get_auth_nid(c);

	if (!tls_cipher_offloadable(c))
		return "cannot be offloaded to kTLS (only AES-128-GCM, AES-256-GCM "
		       "and ChaCha20-Poly1305 can)";
	if (tls_cipher_is13(c))
		return NULL;
	if ((kx == NID_kx_ecdhe && (auth == NID_auth_rsa || auth == NID_auth_ecdsa)) ||
	    (kx == NID_kx_dhe && auth == NID_auth_rsa))
		return NULL;
	return "is not allowed: TLS 1.2 needs ECDHE, or DHE with RSA, "
	       "(forward secrecy) with an RSA or ECDSA certificate";
}

int tls_check_ciphers(const char *list, bool tls13, char *err, size_t errlen)
{
	STACK_OF(SSL_CIPHER) *sk;
	const SSL_CIPHER *c;
	const char *why;
	int i, n = 0, ret = -EINVAL;
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
		why = tls_cipher_refused(c);
		if (why) {
			snprintf(err, errlen, "%s %s", SSL_CIPHER_get_name(c), why);
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

/* ------------------------------------------------------------ hints */

/* The newest version a ClientHello offers (GREASE values skipped). */
static int tls_hello_max_version(SSL *ssl)
{
	const unsigned char *ext;
	size_t len, i;
	int v, max = 0;

	if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_supported_versions, &ext, &len) &&
	    len >= 1 && ext[0] + 1u <= len) {
		for (i = 1; i + 1 < (size_t)ext[0] + 1; i += 2) {
			v = ext[i] << 8 | ext[i + 1];
			if ((v & 0x0f0f) != 0x0a0a && v > max)
				max = v;
		}
		if (max)
			return max;
	}
	return (int)SSL_client_hello_get0_legacy_version(ssl);
}

static const char *tls_version_name(int v)
{
	switch (v) {
	case TLS1_VERSION: return "TLS 1.0";
	case TLS1_1_VERSION: return "TLS 1.1";
	case TLS1_2_VERSION: return "TLS 1.2";
	case TLS1_3_VERSION: return "TLS 1.3";
	default: return v < TLS1_VERSION ? "SSL 3.0 or older" : "an unknown version";
	}
}

/* What a client's TLS 1.2 suites say, for the hint. */
struct tls_offer {
	bool shared;			/* a suite our list has, for our key */
	const SSL_CIPHER *addable;	/* one we would take if tls_ciphers had it */
	const SSL_CIPHER *ecdsa;	/* one an ECDSA certificate would serve */
	bool rsa_gcm, rsa_cbc;		/* ECDHE-RSA with AES-GCM / with AES-CBC */
};

static void tls_hello_ciphers(SSL *ssl, bool rsa_key, struct tls_offer *o)
{
	STACK_OF(SSL_CIPHER) *ours = SSL_get_ciphers(ssl);
	const unsigned char *ids;
	const SSL_CIPHER *c;
	size_t n, i;
	int j, auth;

	memset(o, 0, sizeof(*o));
	n = SSL_client_hello_get0_ciphers(ssl, &ids);
	for (i = 0; i + 1 < n; i += 2) {
		c = SSL_CIPHER_find(ssl, ids + i);
		if (!c || tls_cipher_is13(c))
			continue;
		auth = SSL_CIPHER_get_auth_nid(c);
		if (SSL_CIPHER_get_kx_nid(c) == NID_kx_ecdhe && auth == NID_auth_rsa) {
			if (tls_cipher_offloadable(c))
				o->rsa_gcm = true;
			else
				o->rsa_cbc = true;
		}
		if (tls_cipher_refused(c))
			continue;
		if (auth == NID_auth_ecdsa && !o->ecdsa)
			o->ecdsa = c;
		if (auth != (rsa_key ? NID_auth_rsa : NID_auth_ecdsa))
			continue;
		for (j = 0; j < sk_SSL_CIPHER_num(ours); j++)
			if (sk_SSL_CIPHER_value(ours, j) == c)
				o->shared = true;
		if (!o->addable)
			o->addable = c;
	}
}

/*
 * Server: look at what the client offers before OpenSSL decides, and
 * write down what would stop the handshake and what the operator can do.
 * The hint is logged only if the handshake then fails. The commonest case
 * is an old Windows: a stock Windows 7 offers TLS 1.0 only, and Windows 7
 * and 8.1 with TLS 1.2 pair ECDHE-RSA only with AES-CBC (docs/windows.md).
 */
static int tls_client_hello_cb(SSL *ssl, int *alert, void *arg)
{
	struct tls *t = SSL_get_app_data(ssl);
	EVP_PKEY *pk = SSL_get_privatekey(ssl);
	bool rsa = pk && (EVP_PKEY_is_a(pk, "RSA") || EVP_PKEY_is_a(pk, "RSA-PSS"));
	int v = tls_hello_max_version(ssl), min = (int)SSL_get_min_proto_version(ssl);
	struct tls_offer o;
	size_t n;

	(void)alert;
	(void)arg;
	if (!t)
		return SSL_CLIENT_HELLO_SUCCESS;
	t->hint[0] = 0;
	if (v < min) {
		snprintf(t->hint, sizeof(t->hint), "the client offers %s at most, sstpd "
			 "takes %s and newer%s", tls_version_name(v), tls_version_name(min),
			 v < TLS1_2_VERSION ? ": enable TLS 1.2 on the client (Windows 7: "
			 "SCHANNEL\\Protocols\\TLS 1.2\\Client, Enabled=1 and "
			 "DisabledByDefault=0)" : ": set tls_min_version = 1.2 "
			 "(Windows 10 has no TLS 1.3 for SSTP)");
		return SSL_CLIENT_HELLO_SUCCESS;
	}
	/* Only a TLS 1.2 handshake needs a TLS 1.2 suite. */
	if (v >= TLS1_3_VERSION && SSL_get_max_proto_version(ssl) >= TLS1_3_VERSION)
		return SSL_CLIENT_HELLO_SUCCESS;
	tls_hello_ciphers(ssl, rsa, &o);
	if (o.shared)
		return SSL_CLIENT_HELLO_SUCCESS;
	n = (size_t)snprintf(t->hint, sizeof(t->hint), "no TLS 1.2 cipher suite in "
			     "common for the certificate's %s key", rsa ? "RSA" : "EC");
	if (rsa && o.rsa_cbc && !o.rsa_gcm && n < sizeof(t->hint))
		n += (size_t)snprintf(t->hint + n, sizeof(t->hint) - n, " (the client "
				      "pairs ECDHE-RSA only with AES-CBC, which kTLS "
				      "cannot carry, as Windows 7 and 8.1 do)");
	if (o.addable && n < sizeof(t->hint))
		n += (size_t)snprintf(t->hint + n, sizeof(t->hint) - n, "; it offers %s: "
				      "add that to tls_ciphers", SSL_CIPHER_get_name(o.addable));
	if (rsa && o.ecdsa && n < sizeof(t->hint))
		n += (size_t)snprintf(t->hint + n, sizeof(t->hint) - n, "%s an ECDSA "
				      "certificate would serve it (%s)", o.addable ? ", or" : ";",
				      SSL_CIPHER_get_name(o.ecdsa));
	if (!o.addable && !(rsa && o.ecdsa) && n < sizeof(t->hint))
		snprintf(t->hint + n, sizeof(t->hint) - n, "; it offers nothing sstpd "
			 "takes (forward secrecy with AES-GCM or ChaCha20-Poly1305)");
	return SSL_CLIENT_HELLO_SUCCESS;
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

	if (o->eap)
		min = max = TLS1_2_VERSION;
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
		if (o->eap && o->ca && o->ca[0] &&
		    SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
			tls_errstr(err, errlen, o->ca);
			goto err_free;
		}
		/* No tickets: a VPN session is one long connection. */
		SSL_CTX_set_num_tickets(ctx, 0);
		/* DHE suites (only when tls_ciphers names them) with RFC 7919
		 * groups as large as the certificate's key calls for. */
		SSL_CTX_set_dh_auto(ctx, 1);
		SSL_CTX_set_client_hello_cb(ctx, tls_client_hello_cb, NULL);
	} else if (o->insecure) {
		SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	} else {
		if (SSL_CTX_load_verify_locations(ctx, o->ca, NULL) != 1) {
			tls_errstr(err, errlen, o->ca);
			goto err_free;
		}
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	if (!o->server && o->client_cert && o->client_cert[0] &&
	    (SSL_CTX_use_certificate_chain_file(ctx, o->client_cert) != 1 ||
	     SSL_CTX_use_PrivateKey_file(ctx, o->client_key, SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(ctx) != 1)) {
		tls_errstr(err, errlen, o->client_cert);
		goto err_free;
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
	SSL_set_app_data(t->ssl, t);
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

int tls_cert_file_der(const char *path, uint8_t **der, char *err, size_t errlen)
{
	unsigned char *out = NULL;
	X509 *x;
	FILE *f;
	int len;

	f = fopen(path, "re");
	if (!f) {
		len = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return len;
	}
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x) {
		tls_errstr(err, errlen, path);
		return -EINVAL;
	}
	len = i2d_X509(x, &out);
	X509_free(x);
	if (len <= 0) {
		tls_errstr(err, errlen, path);
		return -EINVAL;
	}
	*der = out;
	return len;
}
