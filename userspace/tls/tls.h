/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TLS over a non-blocking TCP socket with OpenSSL 3. A server presents a
 * certificate chain and key; a client verifies the server against a CA file
 * (or, only when told to with the explicit `insecure` flag, does not),
 * sends SNI and checks the host name or IP address. TLS 1.2 with ECDHE +
 * AES-GCM or ChaCha20-Poly1305, and TLS 1.3; no compression, no
 * renegotiation (SSTP never needs it, and it was the source of several
 * attacks). The versions and suites can be narrowed (sstpd.conf tls_*),
 * never widened beyond AEAD with forward secrecy that kTLS can offload.
 * Every call returns at once: -EAGAIN means "call again when the
 * socket is ready for tls->want (EPOLLIN / EPOLLOUT)".
 */
#ifndef SSTP_TLS_H
#define SSTP_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <openssl/ssl.h>

/*
 * The suites sstpd offers unless configured otherwise, in server preference
 * order: forward secrecy and AEAD only, and only what kTLS can offload
 * (AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305).
 */
#define SSTP_TLS12_CIPHERS "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" \
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:" \
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256"
#define SSTP_TLS13_SUITES "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:" \
	"TLS_AES_128_GCM_SHA256"

struct tls_opts {
	bool server;
	const char *cert;		/* server: PEM chain, leaf first */
	const char *key;		/* server: PEM private key */
	const char *ca;			/* client: PEM CA bundle */
	bool insecure;			/* client: skip verification (tests, labs) */
	int min_version;		/* TLS1_2_VERSION or TLS1_3_VERSION; 0: 1.2 */
	int max_version;		/* the same; 0: 1.3 */
	const char *ciphers;		/* TLS 1.2 OpenSSL cipher list; NULL: default */
	const char *ciphersuites;	/* TLS 1.3 suites; NULL: default */
	/*
	 * TLS inside EAP (EAP-TLS, PEAP; the PPP engine's eap_tls_ctx): 1.2
	 * only, no tickets. A server then also loads ca (may be NULL) to
	 * verify client certificates; a client presents client_cert and
	 * client_key when set.
	 */
	bool eap;
	const char *client_cert, *client_key;
};

struct tls {
	SSL *ssl;
	int fd;
	bool established;
	bool broken;			/* a fatal error: no close_notify then */
	uint32_t want;			/* EPOLLIN / EPOLLOUT after -EAGAIN */
	char err[160];			/* why the last call failed */
	/*
	 * Server: what the client's ClientHello shows it cannot do with us
	 * and what would fix it (an old TLS version, no suite in common),
	 * for the log when the handshake fails; "" when nothing stood out.
	 */
	char hint[400];
};

SSL_CTX *tls_ctx_new(const struct tls_opts *o, char *err, size_t errlen);
/*
 * Check a TLS 1.2 cipher list (tls13: a TLS 1.3 suite list) before use:
 * every name in it must be one OpenSSL knows, and every suite it selects
 * must be one sstpd allows: AES-128-GCM, AES-256-GCM or ChaCha20-Poly1305
 * (what kTLS can offload) and, for TLS 1.2, ECDHE with an RSA or ECDSA
 * certificate. 0, or -EINVAL with the reason in err (no key name).
 */
int tls_check_ciphers(const char *list, bool tls13, char *err, size_t errlen);
void tls_ctx_free(SSL_CTX *ctx);

/* hostname (client only): SNI and the name or address the certificate
 * must match. The socket stays owned by the caller. */
int tls_init(struct tls *t, SSL_CTX *ctx, int fd, const char *hostname);
void tls_uninit(struct tls *t);

/* 0 once established, -EAGAIN, or -EPROTO with t->err set. */
int tls_handshake(struct tls *t);
/* Bytes read (> 0), 0 at the peer's close (close_notify or FIN),
 * -EAGAIN, or -EPROTO / -ECONNRESET with t->err set. */
ssize_t tls_read(struct tls *t, void *buf, size_t len);
/* Bytes written (> 0, may be short), -EAGAIN, or -errno. */
ssize_t tls_write(struct tls *t, const void *buf, size_t len);
/* Best effort close_notify; never blocks. */
void tls_shutdown(struct tls *t);

/*
 * The server's DER certificate, for the SSTP crypto binding (MS-SSTP
 * 3.2.5.2): on a server its own leaf certificate, on a client the one the
 * peer presented. Returns its length and *der (free with OPENSSL_free), or
 * -ENOENT.
 */
int tls_server_cert_der(struct tls *t, uint8_t **der);
/* e.g. "TLSv1.3 TLS_AES_256_GCM_SHA384". */
void tls_describe(struct tls *t, char *buf, size_t size);

#endif /* SSTP_TLS_H */
