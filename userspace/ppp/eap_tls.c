// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * TLS inside EAP, both roles: EAP-TLS (RFC 5216) and PEAPv0 (MS-PEAP,
 * draft-josefsson-pppext-eap-tls-eap-06) with EAP-MSCHAPv2 inside. OpenSSL
 * runs on memory BIOs: what the peer sent is written into one, what TLS
 * wants to send is read out of the other, so the engine stays pure.
 *
 * Framing (RFC 5216 3.1): Flags (L: a 4-byte TLS Message Length follows,
 * M: more fragments, S: start; PEAP: the low 3 bits are the version, 0),
 * then TLS data. Messages longer than EAP_TLS_FRAG leave in fragments,
 * each acknowledged by an empty packet of the other side; a fragmented
 * message coming in is acknowledged fragment by fragment and fed to TLS
 * whole. TLS 1.2 only: what Windows and pppd 2.4 speak inside EAP, and
 * what RFC 5216's key derivation is defined on (TLS 1.3 would be RFC 9190).
 *
 * Keys: MSK || EMSK = TLS-PRF(master secret, "client EAP encryption",
 * client random || server random), which is OpenSSL's RFC 5705 exporter
 * with no context. PEAPv0 without a cryptobinding TLV uses the same.
 *
 * PEAPv0 inside the tunnel: EAP packets without their 4-byte header
 * (type first; the header is the outer packet's), except EAP-TLV (type
 * 33) which keeps it. The server asks Identity, runs EAP-MSCHAPv2 (eap.c),
 * then sends a Result TLV; Success follows the client's Result TLV.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "ppp/internal.h"

#define EAP_TLS_L	0x80
#define EAP_TLS_M	0x40
#define EAP_TLS_S	0x20
#define EAP_TLS_FRAG	1024		/* TLS bytes per EAP packet */
#define EAP_TLS_MSG_MAX	65536		/* one TLS flight, reassembled */
#define EAP_TYPE_TLV	33
#define EAP_TLV_RESULT	3
#define EAP_TLV_MANDATORY 0x80

struct eap_tls {
	SSL *ssl;
	BIO *rbio, *wbio;		/* into TLS / out of TLS */
	bool peap, server;
	bool handshake_done;
	bool inner_ok;			/* PEAP: the inner method succeeded */
	/* The peer's message being reassembled. */
	uint8_t *rx;
	size_t rx_len, rx_total;
	/* Ours being sent in fragments. */
	uint8_t *tx;
	size_t tx_len, tx_off;
};

static void eap_tls_log_err(struct ppp *ppp, const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[160];

	ERR_error_string_n(e, buf, sizeof(buf));
	ppp_log(ppp, LOG_NOTICE, "%s: %s", what, e ? buf : "TLS failed");
	ERR_clear_error();
}

void eap_tls_free(struct ppp *ppp)
{
	struct eap_tls *t = ppp->auth.tls;

	if (!t)
		return;
	SSL_free(t->ssl);		/* frees both BIOs */
	if (t->rx)
		OPENSSL_clear_free(t->rx, EAP_TLS_MSG_MAX);
	if (t->tx)
		OPENSSL_clear_free(t->tx, t->tx_len);
	free(t);
	ppp->auth.tls = NULL;
}

static uint8_t eap_tls_type(const struct eap_tls *t)
{
	return t->peap ? PPP_EAP_PEAP : PPP_EAP_TLS;
}

/* A TLS session for this side, on ppp->cfg.eap_tls_ctx. */
static int eap_tls_new(struct ppp *ppp, bool peap)
{
	bool server = ppp->cfg.role == PPP_ROLE_SERVER;
	struct eap_tls *t;

	eap_tls_free(ppp);
	if (!ppp->cfg.eap_tls_ctx)
		return -ENOKEY;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->peap = peap;
	t->server = server;
	t->ssl = SSL_new(ppp->cfg.eap_tls_ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	t->rx = OPENSSL_malloc(EAP_TLS_MSG_MAX);
	if (!t->ssl || !t->rbio || !t->wbio || !t->rx) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		SSL_free(t->ssl);
		OPENSSL_free(t->rx);
		free(t);
		return -ENOMEM;
	}
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_max_proto_version(t->ssl, TLS1_2_VERSION);
	/* EAP-TLS: the server asks the client for its certificate and
	 * insists; PEAP: no client certificate. The client checks the
	 * server's chain in both. */
	if (server)
		SSL_set_verify(t->ssl, peap ? SSL_VERIFY_NONE :
			       SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	else
		SSL_set_verify(t->ssl, SSL_VERIFY_PEER, NULL);
	if (server)
		SSL_set_accept_state(t->ssl);
	else
		SSL_set_connect_state(t->ssl);
	ppp->auth.tls = t;
	return 0;
}

/* ---- fragments ---- */

/* Send the next fragment of t->tx (L on the first of several, M while
 * more follow), or an empty packet (an acknowledgement) when none. */
static void eap_tls_send_next(struct ppp *ppp, uint8_t code, uint8_t id)
{
	struct eap_tls *t = ppp->auth.tls;
	uint8_t pkt[2 + 4 + EAP_TLS_FRAG];
	size_t left = t->tx_len - t->tx_off, off = 2;
	size_t n = left > EAP_TLS_FRAG ? EAP_TLS_FRAG : left;

	pkt[0] = eap_tls_type(t);
	pkt[1] = left > EAP_TLS_FRAG ? EAP_TLS_M : 0;	/* PEAP version 0 */
	if (t->tx_off == 0 && left > EAP_TLS_FRAG) {
		pkt[1] |= EAP_TLS_L;
		ppp_put32(pkt + 2, (uint32_t)t->tx_len);
		off = 6;
	}
	if (n)
		memcpy(pkt + off, t->tx + t->tx_off, n);
	ppp_auth_send(ppp, PPP_PROTO_EAP, code, id, pkt, off + n);
	t->tx_off += n;
	if (t->tx_off == t->tx_len) {
		OPENSSL_clear_free(t->tx, t->tx_len);
		t->tx = NULL;
		t->tx_len = t->tx_off = 0;
	}
}

/* Server: the next Request gets a new identifier and the restart timer. */
static void eap_tls_server_request(struct ppp *ppp)
{
	ppp->auth.id++;
	ppp->auth.tries = ppp_max_configure(ppp) - 1;
	ppp->auth.retry_at = ppp->now + ppp_restart_ms(ppp);
}

/* Take what TLS wrote into the outgoing buffer. */
static int eap_tls_collect(struct eap_tls *t)
{
	size_t pending = BIO_ctrl_pending(t->wbio), old = t->tx_len - t->tx_off;
	uint8_t *n;

	if (!pending)
		return 0;
	if (old + pending > EAP_TLS_MSG_MAX)
		return -EMSGSIZE;
	n = OPENSSL_malloc(old + pending);
	if (!n)
		return -ENOMEM;
	if (old)
		memcpy(n, t->tx + t->tx_off, old);
	if (BIO_read(t->wbio, n + old, (int)pending) != (int)pending) {
		OPENSSL_free(n);
		return -EIO;
	}
	if (t->tx)
		OPENSSL_clear_free(t->tx, t->tx_len);
	t->tx = n;
	t->tx_len = old + pending;
	t->tx_off = 0;
	return 0;
}

/*
 * One EAP-TLS/PEAP packet's type data from the peer (flags first). Returns
 * 1 when a whole TLS message is now in TLS (then run it), 0 when a
 * fragment was taken and must be acknowledged, -1 on a malformed packet.
 * An empty packet (flags only, no data) with nothing pending is 2: the
 * peer acknowledges our fragment or ends the handshake.
 */
static int eap_tls_take(struct ppp *ppp, const uint8_t *d, size_t len)
{
	struct eap_tls *t = ppp->auth.tls;
	uint8_t flags;
	size_t off = 1, n;

	if (len < 1)
		return -1;
	flags = d[0];
	if (flags & EAP_TLS_L) {
		if (len < 5)
			return -1;
		if (!t->rx_len) {
			t->rx_total = ppp_get32(d + 1);
			if (t->rx_total > EAP_TLS_MSG_MAX || !t->rx_total)
				return -1;
		}
		off = 5;
	}
	n = len - off;
	if (!n && !(flags & EAP_TLS_M) && !t->rx_len)
		return 2;
	if (t->rx_len + n > EAP_TLS_MSG_MAX)
		return -1;
	memcpy(t->rx + t->rx_len, d + off, n);
	t->rx_len += n;
	if (flags & EAP_TLS_M)
		return 0;
	if (t->rx_total && t->rx_len != t->rx_total)
		return -1;
	if (BIO_write(t->rbio, t->rx, (int)t->rx_len) != (int)t->rx_len)
		return -1;
	t->rx_len = t->rx_total = 0;
	return 1;
}

/* ---- keys and names ---- */

static int eap_tls_msk(struct ppp *ppp)
{
	struct eap_tls *t = ppp->auth.tls;
	static const char label[] = "client EAP encryption";
	uint8_t out[2 * PPP_MSK_LEN];

	if (SSL_export_keying_material(t->ssl, out, sizeof(out), label,
				       sizeof(label) - 1, NULL, 0, 0) != 1)
		return -EIO;
	memcpy(ppp->auth.msk, out, PPP_MSK_LEN);
	ppp->auth.have_msk = true;
	OPENSSL_cleanse(out, sizeof(out));
	return 0;
}

/* EAP-TLS server: the client certificate verified (the handshake did it
 * against the CA) names the identity it claimed: its CN, or a SAN email
 * or DNS name, equals it. */
static bool eap_tls_peer_matches(struct ppp *ppp)
{
	struct eap_tls *t = ppp->auth.tls;
	X509 *cert = SSL_get0_peer_certificate(t->ssl);
	const char *id = ppp->auth.peer_name;
	char cn[256];
	bool ok = false;

	if (!cert || SSL_get_verify_result(t->ssl) != X509_V_OK)
		return false;
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName,
				      cn, sizeof(cn)) > 0 && !strcmp(cn, id))
		ok = true;
	if (!ok)
		ok = X509_check_email(cert, id, 0, 0) == 1 ||
		     X509_check_host(cert, id, 0, 0, NULL) == 1;
	return ok;
}

/* ---- the handshake ---- */

/* Run TLS on what came in; then send what it wrote, or acknowledge. */
static int eap_tls_run(struct ppp *ppp, uint8_t code, uint8_t id)
{
	struct eap_tls *t = ppp->auth.tls;
	int r, e;

	if (!t->handshake_done) {
		r = SSL_do_handshake(t->ssl);
		if (r == 1) {
			t->handshake_done = true;
			ppp_log(ppp, LOG_INFO, "%s: TLS established (%s, %s)",
				t->peap ? "PEAP" : "EAP-TLS", SSL_get_version(t->ssl),
				SSL_get_cipher_name(t->ssl));
		} else {
			e = SSL_get_error(t->ssl, r);
			if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
				eap_tls_log_err(ppp, t->peap ? "PEAP" : "EAP-TLS");
				eap_tls_collect(t);	/* a fatal alert, if any */
				return -EPROTO;
			}
		}
	}
	if (eap_tls_collect(t))
		return -EMSGSIZE;
	return 0;
}

/* ---- PEAP's inner packets ---- */

/*
 * Send one inner packet: type and type data (the header is implied by
 * the outer one), or a whole EAP packet for EAP-TLV (tlv true).
 */
void eap_tls_inner_send(struct ppp *ppp, uint8_t code, const uint8_t *data,
			size_t len)
{
	struct eap_tls *t = ppp->auth.tls;

	if (SSL_write(t->ssl, data, (int)len) != (int)len || eap_tls_collect(t)) {
		eap_tls_log_err(ppp, "PEAP: inner packet");
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "PEAP: cannot send inside the tunnel");
		return;
	}
	if (ppp->cfg.role == PPP_ROLE_SERVER)
		eap_tls_server_request(ppp);
	eap_tls_send_next(ppp, code, ppp->auth.id);
}

/* A Result TLV (MS-PEAP 2.2.8.1), as a whole EAP packet. */
static void eap_tls_send_result_tlv(struct ppp *ppp, uint8_t code, bool ok)
{
	uint8_t p[4 + 1 + 6];

	p[0] = code;
	p[1] = ppp->cfg.role == PPP_ROLE_SERVER ? (uint8_t)(ppp->auth.id + 1) :
						  ppp->auth.id;
	ppp_put16(p + 2, sizeof(p));
	p[4] = EAP_TYPE_TLV;
	p[5] = EAP_TLV_MANDATORY;
	p[6] = EAP_TLV_RESULT;
	ppp_put16(p + 7, 2);
	ppp_put16(p + 9, ok ? 1 : 2);
	eap_tls_inner_send(ppp, code, p, sizeof(p));
}

/* Read what the tunnel delivered and hand it to the inner method. */
static void eap_tls_inner_input(struct ppp *ppp)
{
	struct eap_tls *t = ppp->auth.tls;
	uint8_t buf[PPP_EAP_MAX];
	int n;

	n = SSL_read(t->ssl, buf, sizeof(buf));
	if (n <= 0)
		return;
	/* EAP-TLV keeps its header: code, id, length, type 33. */
	if (n >= 5 && (buf[0] == 1 || buf[0] == 2) && ppp_get16(buf + 2) == n &&
	    buf[4] == EAP_TYPE_TLV) {
		/* TLV: M, R, 14-bit type; length; status (1 = Success). */
		bool ok = n >= 11 && (ppp_get16(buf + 5) & 0x3fff) == EAP_TLV_RESULT &&
			  ppp_get16(buf + 9) == 1;

		if (t->server) {
			if (ok && t->inner_ok && !eap_tls_msk(ppp))
				eap_server_done(ppp, true, NULL);
			else
				eap_server_done(ppp, false, "PEAP: the client's result "
						"is not Success");
		} else {
			/* Echo the server's result; Success follows. */
			t->inner_ok = ok && t->inner_ok;
			eap_tls_send_result_tlv(ppp, 2, t->inner_ok);
		}
		return;
	}
	if (t->server)
		eap_server_method(ppp, buf[0], buf + 1, (size_t)n - 1);
	else
		eap_client_method(ppp, buf[0], buf + 1, (size_t)n - 1);
}

/* PEAP: the inner method finished (EAP-MSCHAPv2's Success acknowledged on
 * the server; S= verified on the client). */
void eap_tls_inner_done(struct ppp *ppp, bool ok)
{
	struct eap_tls *t = ppp->auth.tls;

	t->inner_ok = ok;
	if (t->server)
		eap_tls_send_result_tlv(ppp, 1, ok);
}

bool eap_tls_tunnel(const struct ppp *ppp)
{
	const struct eap_tls *t = ppp->auth.tls;

	return t && t->peap && t->handshake_done;
}

/* ---- server ---- */

int eap_tls_server_start(struct ppp *ppp, bool peap)
{
	uint8_t flags = EAP_TLS_S;
	int err = eap_tls_new(ppp, peap);

	if (err)
		return err;
	ppp->auth.eap_type = peap ? PPP_EAP_PEAP : PPP_EAP_TLS;
	eap_tls_server_request(ppp);
	{
		uint8_t p[2] = { (uint8_t)(peap ? PPP_EAP_PEAP : PPP_EAP_TLS), flags };

		ppp_auth_send(ppp, PPP_PROTO_EAP, 1, ppp->auth.id, p, 2);
	}
	return 0;
}

/* A Response of our TLS method. */
void eap_tls_server_input(struct ppp *ppp, const uint8_t *d, size_t len)
{
	struct eap_tls *t = ppp->auth.tls;
	int r = eap_tls_take(ppp, d, len);

	if (r < 0) {
		ppp_log(ppp, LOG_NOTICE, "EAP-TLS: malformed response dropped");
		return;
	}
	if (r == 1 && t->handshake_done) {
		eap_tls_inner_input(ppp);		/* PEAP application data */
		return;
	}
	if (r == 1 && eap_tls_run(ppp, 1, ppp->auth.id)) {
		eap_server_done(ppp, false, t->peap ? "PEAP: TLS handshake failed" :
				"EAP-TLS: TLS handshake failed");
		return;
	}
	/* Their fragment to acknowledge, our next fragment, or the handshake
	 * still under way: one more Request. */
	if (r == 0 || t->tx || !t->handshake_done) {
		eap_tls_server_request(ppp);
		eap_tls_send_next(ppp, 1, ppp->auth.id);
		return;
	}
	/* The client acknowledged our last flight: the handshake is over. */
	if (!t->peap) {
		bool ok = eap_tls_peer_matches(ppp);

		if (ok && eap_tls_msk(ppp))
			ok = false;
		eap_server_done(ppp, ok, ok ? NULL : "EAP-TLS: the certificate does "
				"not verify or does not name the identity");
		return;
	}
	/* PEAP: phase 2 starts with the inner Identity request. */
	{
		uint8_t ident = 1;

		eap_tls_inner_send(ppp, 1, &ident, 1);
	}
}

/* ---- client ---- */

/* A Request of a TLS method; false when we do not do it (Nak it). */
bool eap_tls_client_input(struct ppp *ppp, uint8_t type, const uint8_t *d,
			  size_t len)
{
	struct auth_state *a = &ppp->auth;
	struct eap_tls *t = a->tls;
	int r;

	if (len < 1)
		return true;
	if (d[0] & EAP_TLS_S) {
		if (eap_tls_new(ppp, type == PPP_EAP_PEAP)) {
			ppp_log(ppp, LOG_NOTICE, "EAP: no TLS context for %s",
				type == PPP_EAP_PEAP ? "PEAP" : "EAP-TLS");
			return false;
		}
		t = a->tls;
		a->eap_type = type;
		a->eap_state = 0;
		if (eap_tls_run(ppp, 2, a->id)) {
			ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "EAP: TLS could not start");
			return true;
		}
		eap_tls_send_next(ppp, 2, a->id);
		return true;
	}
	if (!t || type != eap_tls_type(t))
		return false;
	r = eap_tls_take(ppp, d, len);
	if (r < 0) {
		ppp_log(ppp, LOG_NOTICE, "EAP-TLS: malformed request dropped");
		return true;
	}
	if (r == 0 || (r == 2 && t->tx)) {
		eap_tls_send_next(ppp, 2, a->id);
		return true;
	}
	if (r == 1 && t->handshake_done) {
		eap_tls_inner_input(ppp);
		return true;
	}
	if (r == 1 && eap_tls_run(ppp, 2, a->id)) {
		eap_tls_send_next(ppp, 2, a->id);	/* the alert, if any */
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "%s: TLS handshake failed "
			 "(the server's certificate?)", t->peap ? "PEAP" : "EAP-TLS");
		return true;
	}
	if (t->handshake_done && !t->peap && !a->have_msk && eap_tls_msk(ppp)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "EAP-TLS: no keys");
		return true;
	}
	eap_tls_send_next(ppp, 2, a->id);
	return true;
}

/* The client may take EAP-Success now. */
bool eap_tls_client_done(struct ppp *ppp)
{
	struct eap_tls *t = ppp->auth.tls;

	if (!t || !t->handshake_done)
		return false;
	if (t->peap && (!t->inner_ok || eap_tls_msk(ppp)))
		return false;
	return ppp->auth.have_msk;
}
