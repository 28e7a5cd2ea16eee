// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ktls_openssl: a real OpenSSL handshake, then kernel TLS through
  * userspace/tls/ktls_offload.c (OpenSSL's own kTLS for TLS 1.2, our TLS_RX install for
 * TLS 1.3), then data both ways:
 *
 *   client --N bytes pattern A--> server   (each side verifies every byte)
 *   client <--N bytes pattern B-- server
 *
 * -m kernel offloads both directions and moves data with send()/ktls_recv();
 * -m user stays in OpenSSL (SSL_write/SSL_read, no kTLS). Mixing the modes
 * proves the kernel's records are real TLS that OpenSSL decrypts, and that
 * the keys we install match OpenSSL's. The server keeps session tickets on,
 * so a TLS 1.3 kernel-mode client must skip NewSessionTicket records.
 *
 * usage: ktls_openssl [-v 1.2|1.3] [-c aes128|aes256|chacha20] [-n BYTES]
 *                     [-m kernel|user] server|client ADDR PORT
 */
#include "ktls.h"
#include "tls/ktls_offload.h"

#include <getopt.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

static int fail(const char *what)
{
	fprintf(stderr, "ktls_openssl: %s\n", what);
	ERR_print_errors_fp(stderr);
	return 1;
}

/* A throwaway self-signed P-256 certificate. */
static int make_cert(SSL_CTX *ctx)
{
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	int ok = 0;

	if (!pkey || !x)
		goto out;
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, pkey);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)"ktls-test", -1, -1, 0);
	X509_set_issuer_name(x, name);
	ok = X509_sign(x, pkey, EVP_sha256()) > 0 &&
	     SSL_CTX_use_certificate(ctx, x) == 1 &&
	     SSL_CTX_use_PrivateKey(ctx, pkey) == 1;
out:
	X509_free(x);
	EVP_PKEY_free(pkey);
	return ok ? 0 : -1;
}

struct conn {
	SSL *ssl;
	int fd;
	int kernel;
};

static int conn_write(void *ctx, const unsigned char *buf, size_t len)
{
	struct conn *c = ctx;

	if (c->kernel)
		return write_full(c->fd, buf, len);
	while (len) {
		int n = SSL_write(c->ssl, buf, (int)len);

		if (n <= 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static ssize_t conn_read(void *ctx, unsigned char *buf, size_t len)
{
	struct conn *c = ctx;
	ssize_t n;
	int k;

	if (c->kernel) {
		n = ktls_recv(c->fd, buf, len, 0);
	} else {
		k = SSL_read(c->ssl, buf, (int)len);
		n = k > 0 ? k : -EIO;
	}
	if (n <= 0)
		fprintf(stderr, "ktls_openssl: read: %s\n", n ? strerror((int)-n) : "EOF");
	return n;
}

static const char *suite(const char *v, const char *c)
{
	int tls13 = !strcmp(v, "1.3");

	if (!strcmp(c, "aes128"))
		return tls13 ? "TLS_AES_128_GCM_SHA256" : "ECDHE-ECDSA-AES128-GCM-SHA256";
	if (!strcmp(c, "aes256"))
		return tls13 ? "TLS_AES_256_GCM_SHA384" : "ECDHE-ECDSA-AES256-GCM-SHA384";
	if (!strcmp(c, "chacha20"))
		return tls13 ? "TLS_CHACHA20_POLY1305_SHA256" : "ECDHE-ECDSA-CHACHA20-POLY1305";
	return NULL;
}

int main(int argc, char **argv)
{
	const char *version = "1.2", *cipher = "aes128", *mode = "kernel", *why, *cs;
	struct conn c = { 0 };
	size_t n = 1 << 20;
	SSL_CTX *ctx;
	int opt, server, lfd, proto, err;

	while ((opt = getopt(argc, argv, "v:c:n:m:")) != -1) {
		switch (opt) {
		case 'v': version = optarg; break;
		case 'c': cipher = optarg; break;
		case 'n': n = strtoul(optarg, NULL, 0); break;
		case 'm': mode = optarg; break;
		default: goto usage;
		}
	}
	cs = suite(version, cipher);
	if (argc - optind != 3 || !cs || (strcmp(mode, "kernel") && strcmp(mode, "user")))
		goto usage;
	server = !strcmp(argv[optind], "server");
	c.kernel = !strcmp(mode, "kernel");
	proto = !strcmp(version, "1.3") ? TLS1_3_VERSION : TLS1_2_VERSION;

	ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());
	if (!ctx)
		return fail("SSL_CTX_new");
	SSL_CTX_set_min_proto_version(ctx, proto);
	SSL_CTX_set_max_proto_version(ctx, proto);
	if (proto == TLS1_3_VERSION ? !SSL_CTX_set_ciphersuites(ctx, cs)
				    : !SSL_CTX_set_cipher_list(ctx, cs))
		return fail("cipher");
	if (server && make_cert(ctx))
		return fail("certificate");
	if (c.kernel && ktls_ctx_prepare(ctx))
		return fail("ktls_ctx_prepare");
	if (!c.kernel)
		SSL_CTX_clear_options(ctx, SSL_OP_ENABLE_KTLS);

	if (server) {
		lfd = tcp_listen4(argv[optind + 1], atoi(argv[optind + 2]));
		if (lfd < 0)
			return fail("listen");
		c.fd = accept(lfd, NULL, NULL);
		close(lfd);
	} else {
		c.fd = tcp_connect4(argv[optind + 1], atoi(argv[optind + 2]));
	}
	if (c.fd < 0)
		return fail("connect/accept");
	c.ssl = SSL_new(ctx);
	SSL_set_fd(c.ssl, c.fd);
	if ((server ? SSL_accept(c.ssl) : SSL_connect(c.ssl)) != 1)
		return fail("handshake");
	if (c.kernel) {
		err = ktls_offload(c.ssl, &why);
		if (err) {
			fprintf(stderr, "ktls_openssl: offload: %s (%s)\n", why, strerror(-err));
			return 1;
		}
		if (!ktls_is_offloaded(c.fd))
			return fail("kernel does not report TX and RX keys");
	}
	if (server) {
		if (ktls_pattern_recv(conn_read, &c, n, 0, "ktls_openssl") ||
		    ktls_pattern_send(conn_write, &c, n, 1))
			return fail("data");
	} else {
		if (ktls_pattern_send(conn_write, &c, n, 0) ||
		    ktls_pattern_recv(conn_read, &c, n, 1, "ktls_openssl"))
			return fail("data");
	}
	printf("ktls_openssl %s: %zu bytes each way verified (%s, %s %s)\n",
	       server ? "server" : "client", n,
	       c.kernel ? "kernel TX+RX" : "userspace OpenSSL",
	       SSL_get_version(c.ssl), SSL_get_cipher_name(c.ssl));
	if (!c.kernel)
		SSL_shutdown(c.ssl);
	SSL_free(c.ssl);
	SSL_CTX_free(ctx);
	close(c.fd);
	return 0;
usage:
	fprintf(stderr, "usage: ktls_openssl [-v 1.2|1.3] [-c aes128|aes256|chacha20] [-n BYTES] [-m kernel|user] server|client ADDR PORT\n");
	return 2;
}
