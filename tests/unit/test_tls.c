// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tls.c over a socketpair, with a CA and a server certificate made here:
 * handshakes (1.3 and 1.2), verification failures with their reasons, the
 * insecure flag, data both ways, EOF, the certificate the crypto binding
 * hashes being the same on both sides, and versions and suites pinned
 * through tls_opts (sstpd.conf tls_*).
 */
#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "tls/tls.h"
#include "test.h"
#include "test_pki.h"

static char dir[] = "/tmp/test_tls.XXXXXX";
static char ca_pem[64], other_pem[64], crt_pem[64], key_pem[64];

__attribute__((constructor)) static void make_pki(void)
{
	EVP_PKEY *cak = EVP_EC_gen("P-256"), *k = EVP_EC_gen("P-256"),
		 *ok = EVP_EC_gen("P-256");
	X509 *ca, *crt, *other;

	if (!mkdtemp(dir))
		abort();
	snprintf(ca_pem, sizeof(ca_pem), "%s/ca.pem", dir);
	snprintf(other_pem, sizeof(other_pem), "%s/other.pem", dir);
	snprintf(crt_pem, sizeof(crt_pem), "%s/crt.pem", dir);
	snprintf(key_pem, sizeof(key_pem), "%s/key.pem", dir);
	ca = make_cert(cak, "test CA", NULL, NULL, NULL);
	other = make_cert(ok, "other CA", NULL, NULL, NULL);
	crt = make_cert(k, "vpn.test", ca, cak, "DNS:vpn.test,IP:127.0.0.1");
	write_pem(ca_pem, ca, NULL);
	write_pem(other_pem, other, NULL);
	write_pem(crt_pem, crt, NULL);
	write_pem(key_pem, NULL, k);
	X509_free(ca);
	X509_free(other);
	X509_free(crt);
	EVP_PKEY_free(cak);
	EVP_PKEY_free(k);
	EVP_PKEY_free(ok);
}

__attribute__((destructor)) static void remove_pki(void)
{
	unlink(ca_pem);
	unlink(other_pem);
	unlink(crt_pem);
	unlink(key_pem);
	rmdir(dir);
}

struct pair {
	SSL_CTX *sctx, *cctx;
	struct tls s, c;
	int fd[2];
	int serr, cerr;
};

/* Client-side cipher restrictions for the next pair_open(), or NULL; and
 * an older client (its oldest version, e.g. TLS1_VERSION), or 0. */
static const char *client_suites13, *client_ciphers12;
static int client_min_version;
/* Versions and lists through tls_opts (what sstpd.conf sets), or zero. */
static struct tls_opts server_pin, client_pin;

static void pin(struct tls_opts *o, const struct tls_opts *from)
{
	o->min_version = from->min_version;
	o->max_version = from->max_version;
	o->ciphers = from->ciphers;
	o->ciphersuites = from->ciphersuites;
}

static int pair_open(struct pair *p, const char *ca, bool insecure,
		     const char *host, int max_version)
{
	struct tls_opts so = { .server = true, .cert = crt_pem, .key = key_pem };
	struct tls_opts co = { .ca = ca, .insecure = insecure };
	char err[256];
	int i;

	memset(p, 0, sizeof(*p));
	pin(&so, &server_pin);
	pin(&co, &client_pin);
	p->sctx = tls_ctx_new(&so, err, sizeof(err));
	p->cctx = tls_ctx_new(&co, err, sizeof(err));
	if (!p->sctx || !p->cctx)
		return -EINVAL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p->fd))
		return -errno;
	if (tls_init(&p->s, p->sctx, p->fd[0], NULL) ||
	    tls_init(&p->c, p->cctx, p->fd[1], host))
		return -EINVAL;
	if (client_min_version)
		SSL_set_min_proto_version(p->c.ssl, client_min_version);
	if (max_version)
		SSL_set_max_proto_version(p->c.ssl, max_version);
	if (client_suites13)
		SSL_set_ciphersuites(p->c.ssl, client_suites13);
	if (client_ciphers12)
		SSL_set_cipher_list(p->c.ssl, client_ciphers12);
	p->serr = p->cerr = -EAGAIN;
	for (i = 0; i < 50 && (p->serr == -EAGAIN || p->cerr == -EAGAIN); i++) {
		if (p->cerr == -EAGAIN)
			p->cerr = tls_handshake(&p->c);
		if (p->serr == -EAGAIN)
			p->serr = tls_handshake(&p->s);
	}
	return 0;
}

static void pair_close(struct pair *p)
{
	tls_uninit(&p->s);
	tls_uninit(&p->c);
	tls_ctx_free(p->sctx);
	tls_ctx_free(p->cctx);
	close(p->fd[0]);
	close(p->fd[1]);
}

TEST(handshake_tls13_data_and_cert)
{
	uint8_t *d1, *d2, buf[64];
	struct pair p;
	char desc[96];
	int n1, n2;

	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK(!strncmp(desc, "TLSv1.3 ", 8));
	CHECK_INT(tls_write(&p.c, "hello", 5), 5);
	CHECK_INT(tls_read(&p.s, buf, sizeof(buf)), 5);
	CHECK_MEM(buf, "hello", 5);
	CHECK_INT(tls_read(&p.s, buf, sizeof(buf)), -EAGAIN);
	CHECK_INT(tls_write(&p.s, "back", 4), 4);
	CHECK_INT(tls_read(&p.c, buf, sizeof(buf)), 4);
	/* Both sides see the same server certificate (crypto binding). */
	n1 = tls_server_cert_der(&p.s, &d1);
	n2 = tls_server_cert_der(&p.c, &d2);
	CHECK(n1 > 100);
	CHECK_INT(n1, n2);
	CHECK_MEM(d1, d2, (size_t)n1);
	OPENSSL_free(d1);
	OPENSSL_free(d2);
	/* A closed peer reads as EOF. */
	tls_shutdown(&p.c);
	shutdown(p.fd[1], SHUT_WR);
	CHECK_INT(tls_read(&p.s, buf, sizeof(buf)), 0);
	pair_close(&p);
}

TEST(tls12_aead_and_ip_address_name)
{
	struct pair p;
	char desc[96];

	CHECK_INT(pair_open(&p, ca_pem, false, "127.0.0.1", TLS1_2_VERSION), 0);
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK(!strncmp(desc, "TLSv1.2 ECDHE-ECDSA-", 20));
	CHECK(strstr(desc, "GCM") || strstr(desc, "CHACHA20"));
	pair_close(&p);
}

/* A peer that drops TCP without a close_notify is named as such, also on
 * a client that does not verify (insecure = yes): its certificate verdict
 * ("self-signed certificate") is no reason for a read error. */
TEST(truncation_named_not_the_certificate)
{
	uint8_t buf[64];
	struct pair p;

	CHECK_INT(pair_open(&p, other_pem, true, "vpn.test", 0), 0);
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	CHECK(SSL_get_verify_result(p.c.ssl) != X509_V_OK);
	CHECK_INT(tls_write(&p.s, "x", 1), 1);
	CHECK_INT(tls_read(&p.c, buf, sizeof(buf)), 1);
	signal(SIGPIPE, SIG_IGN);	/* as sstpd: the client may answer with an alert */
	shutdown(p.fd[0], SHUT_RDWR);
	CHECK_INT(tls_read(&p.c, buf, sizeof(buf)), -ECONNRESET);
	CHECK(!strstr(p.c.err, "certificate"));
	CHECK_STR(p.c.err, "TLS read: peer closed the connection without a TLS close_notify");
	pair_close(&p);
}

TEST(wrong_name_refused)
{
	struct pair p;

	CHECK_INT(pair_open(&p, ca_pem, false, "other.test", 0), 0);
	CHECK_INT(p.cerr, -EPROTO);
	CHECK(strstr(p.c.err, "hostname mismatch"));
	pair_close(&p);
}

TEST(untrusted_ca_refused_unless_insecure)
{
	struct pair p;

	CHECK_INT(pair_open(&p, other_pem, false, "vpn.test", 0), 0);
	CHECK_INT(p.cerr, -EPROTO);
	CHECK(strstr(p.c.err, "unable to get local issuer certificate"));
	pair_close(&p);
	CHECK_INT(pair_open(&p, other_pem, true, "other.test", 0), 0);
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	pair_close(&p);
}

TEST(ctx_errors_name_the_file)
{
	struct tls_opts so = { .server = true, .cert = "/nonexistent.pem", .key = key_pem };
	struct tls_opts mism = { .server = true, .cert = ca_pem, .key = key_pem };
	char err[256];

	CHECK(!tls_ctx_new(&so, err, sizeof(err)));
	CHECK(strstr(err, "/nonexistent.pem"));
	CHECK(!tls_ctx_new(&mism, err, sizeof(err)));
	CHECK(strstr(err, "mismatch"));
}

TEST(chacha20_poly1305_both_versions)
{
	struct pair p;
	char desc[96];

	client_suites13 = "TLS_CHACHA20_POLY1305_SHA256";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	client_suites13 = NULL;
	CHECK_INT(p.cerr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.3 TLS_CHACHA20_POLY1305_SHA256");
	pair_close(&p);

	client_ciphers12 = "ECDHE-ECDSA-CHACHA20-POLY1305";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_2_VERSION), 0);
	client_ciphers12 = NULL;
	CHECK_INT(p.cerr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305");
	pair_close(&p);
}

TEST(no_cbc_and_no_tls11)
{
	struct pair p;

	/* A TLS 1.2 client that only offers CBC finds no common cipher. */
	client_ciphers12 = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_2_VERSION), 0);
	client_ciphers12 = NULL;
	CHECK(p.cerr != 0 && p.cerr != -EAGAIN);
	CHECK_INT(p.serr, -EPROTO);
	pair_close(&p);
	/* Nor does a client that stops at TLS 1.1. */
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_1_VERSION), 0);
	CHECK(p.cerr != 0 && p.cerr != -EAGAIN);
	pair_close(&p);
}

/* What the server writes down for its log when a client cannot be served:
 * the cause, and what would fix it. */
TEST(hint_old_version_and_no_suite)
{
	struct pair p;

	/* A stock Windows 7: TLS 1.0 only. */
	client_min_version = TLS1_VERSION;
	client_ciphers12 = "ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_VERSION), 0);
	client_min_version = 0;
	client_ciphers12 = NULL;
	CHECK_INT(p.serr, -EPROTO);
	CHECK(strstr(p.s.hint, "the client offers TLS 1.0 at most, sstpd takes TLS 1.2 and newer"));
	CHECK(strstr(p.s.hint, "enable TLS 1.2 on the client"));
	pair_close(&p);
	/* TLS 1.2, but only CBC with ECDHE-ECDSA: nothing to add, nothing to
	 * change in the certificate. */
	client_ciphers12 = "ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_2_VERSION), 0);
	client_ciphers12 = NULL;
	CHECK_INT(p.serr, -EPROTO);
	CHECK(!strcmp(p.s.hint, "no TLS 1.2 cipher suite in common for the certificate's "
		      "EC key; it offers nothing sstpd takes (forward secrecy with AES-GCM "
		      "or ChaCha20-Poly1305)"));
	pair_close(&p);
	/* A suite sstpd would take if it were in tls_ciphers. */
	server_pin = (struct tls_opts){ .ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305" };
	client_ciphers12 = "ECDHE-ECDSA-AES128-GCM-SHA256";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_2_VERSION), 0);
	client_ciphers12 = NULL;
	server_pin = (struct tls_opts){ 0 };
	CHECK_INT(p.serr, -EPROTO);
	CHECK(strstr(p.s.hint, "it offers ECDHE-ECDSA-AES128-GCM-SHA256: add that to tls_ciphers"));
	pair_close(&p);
	/* A client sstpd can serve leaves no hint. */
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", TLS1_2_VERSION), 0);
	CHECK_INT(p.serr, 0);
	CHECK(!p.s.hint[0]);
	pair_close(&p);
}

TEST(pinned_tls12_aes128_gcm)
{
	struct pair p;
	char desc[96];

	server_pin = (struct tls_opts){ .min_version = TLS1_2_VERSION,
					.max_version = TLS1_2_VERSION,
					.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256" };
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	server_pin = (struct tls_opts){ 0 };
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256");
	tls_describe(&p.s, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256");
	pair_close(&p);
	/* the same pinned on the client: the server's defaults follow */
	client_pin = server_pin = (struct tls_opts){ 0 };
	client_pin.max_version = TLS1_2_VERSION;
	client_pin.ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305";
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	client_pin = (struct tls_opts){ 0 };
	CHECK_INT(p.cerr, 0);
	tls_describe(&p.s, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.2 ECDHE-ECDSA-CHACHA20-POLY1305");
	pair_close(&p);
}

TEST(pinned_tls13_suite)
{
	struct pair p;
	char desc[96];

	server_pin = (struct tls_opts){ .min_version = TLS1_3_VERSION,
					.ciphersuites = "TLS_AES_128_GCM_SHA256" };
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	server_pin = (struct tls_opts){ 0 };
	CHECK_INT(p.cerr, 0);
	CHECK_INT(p.serr, 0);
	tls_describe(&p.c, desc, sizeof(desc));
	CHECK_STR(desc, "TLSv1.3 TLS_AES_128_GCM_SHA256");
	pair_close(&p);
}

TEST(pinned_mismatch_fails_both_sides)
{
	struct pair p;

	/* a TLS 1.3-only client against a TLS 1.2-only server */
	server_pin = (struct tls_opts){ .max_version = TLS1_2_VERSION };
	client_pin = (struct tls_opts){ .min_version = TLS1_3_VERSION };
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	CHECK_INT(p.serr, -EPROTO);
	CHECK(strstr(p.s.err, "unsupported protocol"));
	CHECK(p.cerr != 0 && p.cerr != -EAGAIN);
	CHECK(strstr(p.c.err, "protocol version"));
	pair_close(&p);
	/* TLS 1.2 on both, no cipher in common */
	server_pin = (struct tls_opts){ .max_version = TLS1_2_VERSION,
					.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256" };
	client_pin = (struct tls_opts){ .ciphers = "ECDHE-ECDSA-CHACHA20-POLY1305",
					.max_version = TLS1_2_VERSION };
	CHECK_INT(pair_open(&p, ca_pem, false, "vpn.test", 0), 0);
	server_pin = client_pin = (struct tls_opts){ 0 };
	CHECK_INT(p.serr, -EPROTO);
	CHECK(strstr(p.s.err, "no shared cipher"));
	CHECK(p.cerr != 0 && p.cerr != -EAGAIN);
	pair_close(&p);
}

TEST(ctx_refuses_bad_tls_opts)
{
	struct tls_opts o = { .server = true, .cert = crt_pem, .key = key_pem };
	char err[256];
	SSL_CTX *ctx;

	o.min_version = TLS1_3_VERSION;
	o.max_version = TLS1_2_VERSION;
	CHECK(!tls_ctx_new(&o, err, sizeof(err)));
	CHECK(strstr(err, "TLS versions"));
	o.min_version = TLS1_1_VERSION;
	CHECK(!tls_ctx_new(&o, err, sizeof(err)));
	o.min_version = o.max_version = 0;
	o.ciphers = "AES128-SHA";
	CHECK(!tls_ctx_new(&o, err, sizeof(err)));
	CHECK(strstr(err, "TLS 1.2 ciphers: AES128-SHA cannot be offloaded"));
	o.ciphers = NULL;
	o.ciphersuites = "TLS_AES_128_CCM_SHA256";
	CHECK(!tls_ctx_new(&o, err, sizeof(err)));
	CHECK(strstr(err, "TLS 1.3 suites: TLS_AES_128_CCM_SHA256 cannot be offloaded"));
	o.ciphersuites = NULL;
	/* TLS 1.2 only with RSA suites but an EC key: no handshake could work */
	o.ciphers = "ECDHE-RSA-AES128-GCM-SHA256";
	o.max_version = TLS1_2_VERSION;
	CHECK(!tls_ctx_new(&o, err, sizeof(err)));
	CHECK_STR(err, "TLS 1.2 only, but the cipher list has no ECDHE-ECDSA suite "
		  "for the certificate's EC key");
	/* with TLS 1.3 allowed it is a valid choice (TLS 1.2 clients fail) */
	o.max_version = 0;
	ctx = tls_ctx_new(&o, err, sizeof(err));
	CHECK(ctx);
	tls_ctx_free(ctx);
	/* a client has no key to fit */
	o = (struct tls_opts){ .ca = ca_pem, .max_version = TLS1_2_VERSION,
			       .ciphers = "ECDHE-RSA-AES128-GCM-SHA256" };
	ctx = tls_ctx_new(&o, err, sizeof(err));
	CHECK(ctx);
	tls_ctx_free(ctx);
}
