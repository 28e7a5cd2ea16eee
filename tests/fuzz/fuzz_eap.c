// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for EAP in the PPP engine, both roles: an engine put
 * straight into the authentication phase with EAP, fed EAP packets.
 * Byte 1 picks the role and the method (EAP-MSCHAPv2 locally, PEAP,
 * EAP-TLS, or a server relaying to a back end whose verdicts are fuzzed
 * too). TLS runs on a real context with a certificate made once, so the
 * fragment reassembly and OpenSSL's record parsing see the data.
 * Packets are length-prefixed: 1 byte, or 255 and 2 more.
 */
#include <openssl/ec.h>
#include <openssl/x509.h>

#include "ppp/chap.c"
#include "ppp/des.c"
#include "ppp/eap.c"
#include "ppp/eap_tls.c"
#include "ppp/fsm.c"
#include "ppp/ipcp.c"
#include "ppp/ipv6cp.c"
#include "ppp/lcp.c"
#include "ppp/md4.c"
#include "ppp/mschap.c"
#include "ppp/pap.c"
#include "ppp/ppp.c"
#include "fuzz_ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static SSL_CTX *srv_ctx, *cli_ctx;
static uint32_t rng;
static bool pending;

static void fz_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx; (void)f; (void)len;
}

static int fz_secret(void *ctx, const char *name, uint8_t *s, size_t size)
{
	(void)ctx;
	if (strcmp(name, "u") || size < 2)
		return -ENOENT;
	memcpy(s, "pw", 2);
	return 2;
}

static int fz_verify(void *ctx, const struct ppp_auth_request *r)
{
	(void)ctx;
	if (r->eap_len > PPP_EAP_MAX)
		abort();
	pending = true;
	return 0;
}

static int fz_random(void *ctx, void *buf, size_t len)
{
	uint8_t *b = buf;

	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		rng = rng * 1103515245u + 12345u;
		b[i] = (uint8_t)(rng >> 16);
	}
	return 0;
}

static int fz_auth(void *ctx, const struct ppp_auth_info *i)
{
	(void)ctx; (void)i;
	return 0;
}

static void fz_down(void *ctx, enum ppp_down_reason r, const char *t)
{
	(void)ctx; (void)r; (void)t;
}

/* A self-signed certificate, made once. */
static void fz_tls_init(void)
{
	EVP_PKEY *k;
	X509 *x;

	if (srv_ctx)
		return;
	k = EVP_EC_gen("P-256");
	x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400);
	X509_set_pubkey(x, k);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
				   (const unsigned char *)"u", -1, -1, 0);
	X509_set_issuer_name(x, X509_get_subject_name(x));
	X509_sign(x, k, EVP_sha256());
	srv_ctx = SSL_CTX_new(TLS_server_method());
	SSL_CTX_use_certificate(srv_ctx, x);
	SSL_CTX_use_PrivateKey(srv_ctx, k);
	X509_STORE_add_cert(SSL_CTX_get_cert_store(srv_ctx), x);
	cli_ctx = SSL_CTX_new(TLS_client_method());
	SSL_CTX_use_certificate(cli_ctx, x);
	SSL_CTX_use_PrivateKey(cli_ctx, k);
	X509_STORE_add_cert(SSL_CTX_get_cert_store(cli_ctx), x);
	X509_free(x);
	EVP_PKEY_free(k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum ppp_eap_type types[4] = {
		PPP_EAP_MSCHAPV2, PPP_EAP_PEAP, PPP_EAP_TLS, PPP_EAP_MSCHAPV2,
	};
	struct ppp_callbacks cb = {
		.send = fz_send, .get_secret = fz_secret, .auth = fz_auth,
		.link_down = fz_down, .random = fz_random,
	};
	struct ppp_config c = {
		.auth = PPP_AUTH_EAP, .name = "u", .password = "pw", .ipv4 = true,
	};
	struct ppp *ppp = NULL;
	uint64_t now = 1000;
	uint8_t sel;

	if (size < 2)
		return 0;
	fz_tls_init();
	sel = data[1];
	rng = sel;
	pending = false;
	data += 2;
	size -= 2;
	c.role = sel & 1 ? PPP_ROLE_CLIENT : PPP_ROLE_SERVER;
	c.eap_order[0] = types[(sel >> 1) & 3];
	c.eap_tls_ctx = c.role == PPP_ROLE_SERVER ? srv_ctx : cli_ctx;
	c.ipv4_local.s_addr = htonl(0x0a000001);
	c.ipv4_peer.s_addr = htonl(0x0a000002);
	/* A server that relays: the verdicts come from the input too. */
	if (c.role == PPP_ROLE_SERVER && ((sel >> 1) & 3) == 3)
		cb.verify = fz_verify;
	if (ppp_new(&c, &cb, NULL, &ppp))
		return 0;
	fz_enter_auth(ppp, PPP_AUTH_EAP, now);
	while (size > 0 && !ppp->dead && !ppp->close_pending) {
		size_t l = fz_next_len(&data, &size, true);

		if (pending && l >= 1) {
			/* The back end's answer: ok/more from the first byte. */
			struct ppp_auth_verdict v = {
				.ok = data[0] & 1, .more = data[0] & 2,
				.eap = data + 1, .eap_len = l - 1,
				.has_msk = data[0] & 4,
			};

			pending = false;
			ppp_auth_verdict(ppp, &v, now);
		} else if (l == 0) {
			now += 3000;
			ppp_timer(ppp, now);
		} else {
			/* A server takes each packet's id as the one it waits for. */
			if (c.role == PPP_ROLE_SERVER && l >= 2 && !ppp->auth.done)
				ppp->auth.id = data[1];
			eap_input(ppp, data, l);
		}
		data += l;
		size -= l;
	}
	ppp_free(ppp);
	return 0;
}
