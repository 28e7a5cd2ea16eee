// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PAP (RFC 1334): the client sends name and password in clear (inside TLS
 * here), the server checks them against the caller's secrets.
 */
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>

#include "ppp/internal.h"

enum { PAP_REQ = 1, PAP_ACK = 2, PAP_NAK = 3 };

static void pap_reply(struct ppp *ppp, uint8_t code, uint8_t id,
		      const char *msg)
{
	uint8_t buf[64];
	size_t n = strlen(msg);

	buf[0] = (uint8_t)n;
	memcpy(buf + 1, msg, n);
	ppp_auth_send(ppp, PPP_PROTO_PAP, code, id, buf, n + 1);
}

static void pap_send_request(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;
	uint8_t buf[2 + PPP_NAME_MAX + PPP_SECRET_MAX];
	size_t nl = strlen(ppp->name), n = 0;

	buf[n++] = (uint8_t)nl;
	memcpy(buf + n, ppp->name, nl);
	n += nl;
	buf[n++] = (uint8_t)ppp->password_len;
	memcpy(buf + n, ppp->password, ppp->password_len);
	n += ppp->password_len;
	ppp_auth_send(ppp, PPP_PROTO_PAP, PAP_REQ, a->id, buf, n);
	OPENSSL_cleanse(buf, sizeof(buf));
	a->retry_at = ppp->now + ppp_restart_ms(ppp);
}

void pap_start(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;

	if (ppp->cfg.role == PPP_ROLE_SERVER)
		return;		/* the client speaks first */
	a->id = 1;
	a->tries = ppp_max_configure(ppp) - 1;
	pap_send_request(ppp);
}

void pap_timer(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;

	if (ppp->cfg.role == PPP_ROLE_SERVER || a->done)
		return;
	if (!a->tries) {
		ppp_fail(ppp, PPP_DOWN_AUTH_TIMEOUT, "PAP: no answer from server");
		return;
	}
	a->tries--;
	ppp_auth_resend(ppp);
	a->retry_at = ppp->now + ppp_restart_ms(ppp);
}

/* The verdict on the request with id a->id, local or from the back end. */
static void pap_server_finish(struct ppp *ppp, bool ok, const char *why)
{
	struct auth_state *a = &ppp->auth;

	if (!ok) {
		pap_reply(ppp, PAP_NAK, a->id, "Login incorrect");
		ppp_auth_refused(ppp, "PAP", why);
		return;
	}
	if (ppp_auth_report(ppp)) {
		pap_reply(ppp, PAP_NAK, a->id, "Access denied");
		return;
	}
	pap_reply(ppp, PAP_ACK, a->id, "Login ok");
	ppp_network_start(ppp);
}

void pap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v)
{
	pap_server_finish(ppp, v->ok, v->message ? v->message : "refused");
}

static void pap_server_input(struct ppp *ppp, const uint8_t *pkt, size_t plen)
{
	struct auth_state *a = &ppp->auth;
	uint8_t secret[PPP_SECRET_MAX], id = pkt[1];
	const uint8_t *name, *pw, *p = pkt + 4;
	size_t nl, pl, sl, len = plen - 4;
	bool ok, known;

	if (a->done) {
		/* The peer missed our Ack: say it again. */
		if (id == a->id)
			ppp_auth_resend(ppp);
		return;
	}
	/* One is held already, or the back end has it: the peer's
	 * retransmissions wait with it. */
	if ((a->held_len && !a->releasing) || a->pending)
		return;
	if (plen > sizeof(a->held))
		goto malformed;
	if (len < 1 || (nl = p[0]) > len - 1 || len - 1 - nl < 1)
		goto malformed;
	name = p + 1;
	pl = p[1 + nl];
	if (pl > len - 2 - nl)
		goto malformed;
	pw = p + 2 + nl;
	if (memchr(name, '\0', nl))
		goto malformed;
	memcpy(a->peer_name, name, nl);
	a->peer_name[nl] = '\0';
	a->id = id;
	if (ppp_auth_hold(ppp, a->peer_name, pkt, plen))
		return;

	if (ppp->cb.verify) {
		struct ppp_auth_request req = {
			.method = PPP_AUTH_PAP, .peer_name = a->peer_name,
			.id = id, .response = pw, .response_len = pl,
		};

		/* Locked out: refused here, the back end never sees it. */
		if (a->refuse || ppp->cb.verify(ppp->ctx, &req))
			pap_server_finish(ppp, false, "refused at once");
		else
			a->pending = true;
		return;
	}
	sl = ppp_auth_secret(ppp, a->peer_name, secret, sizeof(secret), &known);
	/* The same comparison whether the user is known or not. */
	ok = CRYPTO_memcmp(secret, pw, pl < sl ? pl : sl) == 0;
	ok = ok && sl == pl && known && !a->refuse;
	OPENSSL_cleanse(secret, sizeof(secret));
	pap_server_finish(ppp, ok, known ? "wrong password" : "unknown user");
	return;
malformed:
	ppp_log(ppp, LOG_NOTICE, "PAP: malformed request dropped");
}

static void pap_client_input(struct ppp *ppp, uint8_t code, uint8_t id,
			     const uint8_t *p, size_t len)
{
	struct auth_state *a = &ppp->auth;
	char msg[128];

	if (a->done || id != a->id)
		return;
	msg[0] = '\0';
	if (len >= 1 && p[0] <= len - 1)
		ppp_printable(msg, sizeof(msg), p + 1, p[0]);
	if (code == PAP_ACK) {
		a->peer_name[0] = '\0';
		if (ppp_auth_report(ppp) == 0)
			ppp_network_start(ppp);
	} else if (code == PAP_NAK) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "PAP: server refused us: %s", msg);
	}
}

void pap_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < 4)
		return;
	plen = ppp_get16(pkt + 2);
	if (plen < 4 || plen > len)
		return;
	if (ppp->cfg.role == PPP_ROLE_SERVER) {
		if (pkt[0] == PAP_REQ)
			pap_server_input(ppp, pkt, plen);
	} else if (pkt[0] == PAP_ACK || pkt[0] == PAP_NAK) {
		pap_client_input(ppp, pkt[0], pkt[1], pkt + 4, plen - 4);
	}
}
