// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * EAP (RFC 3748) in PPP, both roles, with EAP-MSCHAPv2
 * (draft-kamath-pppext-eap-mschapv2-02, what Windows calls "Secured
 * password"), and as a relay: a server whose verify callback is set hands
 * every EAP Response to the back end (RADIUS, RFC 3579) and sends the
 * peer whatever comes back, so the back end runs any method it likes.
 *
 * Server, local:
 *   Request/Identity -> Response/Identity
 *   Request/MSCHAPv2 Challenge -> Response/MSCHAPv2 Response
 *   Request/MSCHAPv2 Success (S=...) -> Response/MSCHAPv2 Success -> EAP-Success
 *   (or Request/MSCHAPv2 Failure -> Response/MSCHAPv2 Failure -> EAP-Failure)
 * Client: answers Identity with its name, EAP-MSCHAPv2 as the peer (it
 * checks S= before it believes anything), Notification with an empty
 * Response, any other method with a Nak naming what it does, and takes an
 * EAP-Success only after its method has succeeded.
 *
 * The server retransmits its last Request on the restart timer; the peer
 * answers a repeated Request with its last Response again.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <openssl/crypto.h>

#include "ppp/internal.h"

enum { EAP_REQUEST = 1, EAP_RESPONSE, EAP_SUCCESS, EAP_FAILURE };
enum { EAP_TYPE_IDENTITY = 1, EAP_TYPE_NOTIFICATION = 2, EAP_TYPE_NAK = 3 };
enum { MSV2_CHALLENGE = 1, MSV2_RESPONSE, MSV2_SUCCESS, MSV2_FAILURE };

/* Server states */
enum {
	EAPS_IDENTITY,		/* Request/Identity sent */
	EAPS_CHALLENGE,		/* EAP-MSCHAPv2 Challenge sent */
	EAPS_RESULT_OK,		/* EAP-MSCHAPv2 Success sent */
	EAPS_RESULT_FAIL,	/* EAP-MSCHAPv2 Failure sent */
	EAPS_RELAY,		/* the back end's Request sent */
	EAPS_DONE,		/* EAP-Success or -Failure sent */
};

#define MSV2_VALUE_LEN	49
#define EAP_HDR_LEN	4

/* ---- sending ---- */

/* A Request or Response: code, id, type, type data. Kept for resending. */
static void eap_send(struct ppp *ppp, uint8_t code, uint8_t id, uint8_t type,
		     const uint8_t *data, size_t len)
{
	uint8_t buf[PPP_EAP_MAX];

	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	buf[0] = type;
	if (len)
		memcpy(buf + 1, data, len);
	ppp_auth_send(ppp, PPP_PROTO_EAP, code, id, buf, len + 1);
}

/* A Request or Response of the method running: in PEAP's tunnel when
 * there is one (the inner packet: type first), else on the link. */
static void eap_emit(struct ppp *ppp, uint8_t code, uint8_t type,
		     const uint8_t *data, size_t len)
{
	uint8_t buf[PPP_EAP_MAX];

	if (!eap_tls_tunnel(ppp)) {
		eap_send(ppp, code, ppp->auth.id, type, data, len);
		return;
	}
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	buf[0] = type;
	if (len)
		memcpy(buf + 1, data, len);
	eap_tls_inner_send(ppp, code, buf, len + 1);
}

/* EAP-MSCHAPv2 type data: OpCode, MS-CHAPv2-ID, MS-Length, then data. */
static void eap_send_msv2(struct ppp *ppp, uint8_t code, uint8_t op,
			  const uint8_t *data, size_t len)
{
	uint8_t buf[4 + 1 + 255 + PPP_NAME_MAX];

	if (len > sizeof(buf) - 4)
		len = sizeof(buf) - 4;
	buf[0] = op;
	buf[1] = ppp->auth.ms_id;
	ppp_put16(buf + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(buf + 4, data, len);
	/* The peer's acknowledgements are the OpCode alone. */
	eap_emit(ppp, code, PPP_EAP_MSCHAPV2, buf,
		 code == EAP_RESPONSE && (op == MSV2_SUCCESS || op == MSV2_FAILURE) ?
		 1 : len + 4);
}

/* Success or Failure: a header only. */
static void eap_send_result(struct ppp *ppp, uint8_t code, uint8_t id)
{
	ppp_auth_send(ppp, PPP_PROTO_EAP, code, id, NULL, 0);
}

static void eap_arm(struct ppp *ppp)
{
	ppp->auth.retry_at = ppp->now + ppp_restart_ms(ppp);
}

/* ---- server ---- */

static void eap_server_request(struct ppp *ppp)
{
	if (eap_tls_tunnel(ppp))
		return;		/* eap_tls_inner_send() numbers its Requests */
	ppp->auth.id++;
	ppp->auth.tries = ppp_max_configure(ppp) - 1;
	eap_arm(ppp);
}

static void eap_server_challenge(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;
	uint8_t buf[1 + MSCHAP_CHALLENGE_LEN + PPP_NAME_MAX];
	size_t nl = strlen(ppp->name);

	if (ppp_random(ppp, a->challenge, MSCHAP_CHALLENGE_LEN) ||
	    ppp_random(ppp, &a->ms_id, 1)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "EAP: no randomness");
		return;
	}
	if (!eap_tls_tunnel(ppp))
		a->eap_type = PPP_EAP_MSCHAPV2;
	eap_server_request(ppp);
	buf[0] = MSCHAP_CHALLENGE_LEN;
	memcpy(buf + 1, a->challenge, MSCHAP_CHALLENGE_LEN);
	memcpy(buf + 1 + MSCHAP_CHALLENGE_LEN, ppp->name, nl);
	eap_send_msv2(ppp, EAP_REQUEST, MSV2_CHALLENGE, buf,
		      1 + MSCHAP_CHALLENGE_LEN + nl);
	a->eap_state = EAPS_CHALLENGE;
}

/* The method's result: EAP-Success (after the auth callback agreed) and
 * the network phase, or EAP-Failure. */
static void eap_server_finish(struct ppp *ppp, bool ok, const char *why,
			      const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint8_t id = pkt && len >= EAP_HDR_LEN ? pkt[1] : a->id;

	a->eap_state = EAPS_DONE;
	a->retry_at = PPP_NO_DEADLINE;
	eap_tls_free(ppp);
	if (ok && ppp_auth_report(ppp) == 0) {
		if (pkt && len >= EAP_HDR_LEN && pkt[0] == EAP_SUCCESS)
			ppp_auth_send(ppp, PPP_PROTO_EAP, EAP_SUCCESS, id, NULL, 0);
		else
			eap_send_result(ppp, EAP_SUCCESS, id);
		ppp_network_start(ppp);
		return;
	}
	eap_send_result(ppp, EAP_FAILURE, id);
	if (!ok)
		ppp_auth_refused(ppp, "EAP", why);
}

static void eap_server_msv2_response(struct ppp *ppp, const uint8_t *d, size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint8_t secret[PPP_SECRET_MAX];
	char msg[128];
	size_t nl, sl;
	bool ok, known;
	int n;

	/* OpCode, MS-ID, MS-Length, Value-Size 49, Value, Name */
	if (len < 5 + MSV2_VALUE_LEN || d[1] != a->ms_id || d[4] != MSV2_VALUE_LEN) {
		ppp_log(ppp, LOG_NOTICE, "EAP-MSCHAPv2: malformed response dropped");
		return;
	}
	nl = len - 5 - MSV2_VALUE_LEN;
	if (nl > PPP_NAME_MAX || memchr(d + 5 + MSV2_VALUE_LEN, 0, nl)) {
		ppp_log(ppp, LOG_NOTICE, "EAP-MSCHAPv2: bad name in response");
		return;
	}
	/* The name hashed is the one in the Response (RFC 2759), which is
	 * also the one authenticated. */
	/* A name other than the Identity's is throttled too (it was held
	 * under the Identity's; a lockout holds for either). */
	if (nl != strlen(a->peer_name) || memcmp(a->peer_name, d + 5 + MSV2_VALUE_LEN, nl)) {
		memcpy(a->peer_name, d + 5 + MSV2_VALUE_LEN, nl);
		a->peer_name[nl] = 0;
		a->refuse = a->refuse || ppp_auth_locked(ppp, a->peer_name);
	}
	/* An unknown user is checked against a dummy secret: the same work. */
	sl = ppp_auth_secret(ppp, a->peer_name, secret, sizeof(secret), &known);
	ok = mschapv2_server_check(ppp, d + 5, secret, sl) && known && !a->refuse;
	OPENSSL_cleanse(secret, sizeof(secret));
	eap_server_request(ppp);
	if (ok) {
		n = snprintf(msg, sizeof(msg), "%s M=Access granted", a->auth_response);
		eap_send_msv2(ppp, EAP_REQUEST, MSV2_SUCCESS, (const uint8_t *)msg,
			      (size_t)n);
		a->eap_state = EAPS_RESULT_OK;
		return;
	}
	n = snprintf(msg, sizeof(msg), "E=691 R=0 C=");
	for (size_t i = 0; i < MSCHAP_CHALLENGE_LEN; i++)
		n += snprintf(msg + n, sizeof(msg) - (size_t)n, "%02X", a->challenge[i]);
	n += snprintf(msg + n, sizeof(msg) - (size_t)n, " V=3 M=Authentication failed");
	eap_send_msv2(ppp, EAP_REQUEST, MSV2_FAILURE, (const uint8_t *)msg, (size_t)n);
	a->eap_state = EAPS_RESULT_FAIL;
	a->have_keys = false;
	snprintf(a->auth_response, sizeof(a->auth_response), "%s",
		 known ? "wrong password" : "unknown user");
}

static void eap_server_relay(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &ppp->auth;
	struct ppp_auth_request req = {
		.method = PPP_AUTH_EAP, .peer_name = a->peer_name, .id = pkt[1],
		.eap = pkt, .eap_len = len,
	};

	a->retry_at = PPP_NO_DEADLINE;
	if (ppp->cb.verify(ppp->ctx, &req)) {
		eap_server_finish(ppp, false, "refused at once", NULL, 0);
		return;
	}
	a->pending = true;
}

void eap_server_done(struct ppp *ppp, bool ok, const char *why)
{
	eap_server_finish(ppp, ok, why, NULL, 0);
}

/* Start the first method of eap_order the peer may take (skip: a type its
 * Nak refused, or 0); false when there is none. */
static bool eap_server_pick(struct ppp *ppp, const uint8_t *allowed, size_t n)
{
	static const enum ppp_eap_type dflt[] = { PPP_EAP_MSCHAPV2, PPP_EAP_NONE };
	const enum ppp_eap_type *o = ppp->cfg.eap_order[0] ? ppp->cfg.eap_order : dflt;

	for (size_t i = 0; i < 4 && o[i]; i++) {
		if (allowed && !memchr(allowed, o[i], n))
			continue;
		if (o[i] == PPP_EAP_MSCHAPV2) {
			eap_server_challenge(ppp);
			return true;
		}
		if (!eap_tls_server_start(ppp, o[i] == PPP_EAP_PEAP)) {
			ppp->auth.eap_state = EAPS_IDENTITY;	/* PEAP's inner one */
			return true;
		}
		ppp_log(ppp, LOG_NOTICE, "EAP: %s needs a TLS context",
			o[i] == PPP_EAP_PEAP ? "PEAP" : "EAP-TLS");
	}
	return false;
}

/*
 * A Response of the local method (type and type data), from the link or
 * from inside PEAP's tunnel: Identity, EAP-MSCHAPv2's steps.
 */
void eap_server_method(struct ppp *ppp, uint8_t type, const uint8_t *d, size_t dl)
{
	struct auth_state *a = &ppp->auth;
	bool tunnel = eap_tls_tunnel(ppp);

	switch (a->eap_state) {
	case EAPS_IDENTITY:
		if (type != EAP_TYPE_IDENTITY)
			return;
		ppp_printable(a->peer_name, sizeof(a->peer_name), d,
			      dl < PPP_NAME_MAX ? dl : PPP_NAME_MAX);
		if (tunnel)
			eap_server_challenge(ppp);
		else if (!eap_server_pick(ppp, NULL, 0))
			eap_server_finish(ppp, false, "no EAP method usable", NULL, 0);
		return;
	case EAPS_CHALLENGE:
		/* A Nak of the first method: another one it names. */
		if (type == EAP_TYPE_NAK) {
			if (tunnel || !eap_server_pick(ppp, d, dl))
				eap_server_finish(ppp, false, "no EAP method in common",
						  NULL, 0);
			return;
		}
		if (type == PPP_EAP_MSCHAPV2 && dl >= 1 && d[0] == MSV2_RESPONSE)
			eap_server_msv2_response(ppp, d, dl);
		return;
	case EAPS_RESULT_OK:
		if (type != PPP_EAP_MSCHAPV2 || dl < 1 || d[0] != MSV2_SUCCESS)
			return;
		a->eap_state = EAPS_DONE;
		if (tunnel)
			eap_tls_inner_done(ppp, true);	/* the Result TLV next */
		else
			eap_server_finish(ppp, true, NULL, NULL, 0);
		return;
	case EAPS_RESULT_FAIL:
		if (type == PPP_EAP_MSCHAPV2 && dl >= 1 && d[0] == MSV2_FAILURE)
			eap_server_finish(ppp, false, a->auth_response, NULL, 0);
		return;
	default:
		return;
	}
}

static void eap_server_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &ppp->auth;
	const uint8_t *d = pkt + EAP_HDR_LEN + 1;
	size_t dl = len - EAP_HDR_LEN - 1;
	uint8_t type;

	if (pkt[0] != EAP_RESPONSE || len < EAP_HDR_LEN + 1)
		return;
	if (a->done || (a->eap_state == EAPS_DONE && !a->tls)) {
		if (pkt[1] == a->id)
			ppp_auth_resend(ppp);	/* it missed our Success */
		return;
	}
	if (pkt[1] != a->id || a->pending || (a->held_len && !a->releasing))
		return;		/* an old Response, or the back end or the throttle has it */
	type = pkt[EAP_HDR_LEN];
	/* The Identity names the user: throttled there (cb.auth_hold), for
	 * every method and back end after it; the whole conversation waits. */
	if (a->eap_state == EAPS_IDENTITY && type == EAP_TYPE_IDENTITY && !a->tls) {
		if (len > sizeof(a->held)) {
			ppp_log(ppp, LOG_NOTICE, "EAP: oversized Identity dropped");
			return;
		}
		ppp_printable(a->peer_name, sizeof(a->peer_name), d,
			      dl < PPP_NAME_MAX ? dl : PPP_NAME_MAX);
		a->retry_at = PPP_NO_DEADLINE;	/* answered: no resend */
		if (ppp_auth_hold(ppp, a->peer_name, pkt, len))
			return;
		if (a->refuse) {
			eap_server_finish(ppp, false, "locked out", NULL, 0);
			return;
		}
	}
	if (a->relay) {
		eap_server_relay(ppp, pkt, len);
		return;
	}
	if (a->tls && type == a->eap_type) {
		eap_tls_server_input(ppp, d, dl);
		return;
	}
	if (a->tls && type == EAP_TYPE_NAK) {
		/* A Nak of our TLS method: another it names. */
		eap_tls_free(ppp);
		if (!eap_server_pick(ppp, d, dl))
			eap_server_finish(ppp, false, "no EAP method in common",
					  NULL, 0);
		return;
	}
	eap_server_method(ppp, type, d, dl);
}

void eap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v)
{
	struct auth_state *a = &ppp->auth;

	if (v->eap && (v->eap_len < EAP_HDR_LEN || v->eap_len > PPP_EAP_MAX ||
		       ppp_get16(v->eap + 2) != v->eap_len)) {
		eap_server_finish(ppp, false, "malformed EAP packet from the back end",
				  NULL, 0);
		return;
	}
	if (v->more) {
		if (!v->eap || v->eap[0] != EAP_REQUEST) {
			eap_server_finish(ppp, false, "the back end sent no EAP Request",
					  NULL, 0);
			return;
		}
		/* Sent as it came: its identifier is the next one to answer. */
		a->id = v->eap[1];
		a->eap_type = v->eap_len > EAP_HDR_LEN ? v->eap[EAP_HDR_LEN] : 0;
		a->tries = ppp_max_configure(ppp) - 1;
		ppp_auth_send(ppp, PPP_PROTO_EAP, v->eap[0], v->eap[1],
			      v->eap + EAP_HDR_LEN, v->eap_len - EAP_HDR_LEN);
		eap_arm(ppp);
		a->eap_state = EAPS_RELAY;
		return;
	}
	if (v->ok) {
		if (v->eap_type)
			a->eap_type = v->eap_type;
		if (v->has_msk) {
			memcpy(a->msk, v->msk, PPP_MSK_LEN);
			a->have_msk = true;
		}
	}
	eap_server_finish(ppp, v->ok, v->message ? v->message : "refused",
			  v->eap, v->eap_len);
}

/* ---- client ---- */

static bool eap_client_wants(const struct ppp *ppp, uint8_t type)
{
	const enum ppp_eap_type *o = ppp->cfg.eap_order;

	if (!o[0])
		return type == PPP_EAP_MSCHAPV2;
	for (size_t i = 0; i < 4 && o[i]; i++)
		if (o[i] == type)
			return true;
	return false;
}

static void eap_client_msv2(struct ppp *ppp, const uint8_t *d, size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint8_t val[MSV2_VALUE_LEN], buf[1 + MSV2_VALUE_LEN + PPP_NAME_MAX];
	size_t nl = strlen(ppp->name);

	if (len < 4)
		return;
	switch (d[0]) {
	case MSV2_CHALLENGE:
		if (len < 5 + MSCHAP_CHALLENGE_LEN || d[4] != MSCHAP_CHALLENGE_LEN)
			return;
		a->ms_id = d[1];
		if (!eap_tls_tunnel(ppp))
			a->eap_type = PPP_EAP_MSCHAPV2;
		memcpy(a->challenge, d + 5, MSCHAP_CHALLENGE_LEN);
		ppp_printable(a->peer_name, sizeof(a->peer_name),
			      d + 5 + MSCHAP_CHALLENGE_LEN,
			      len - 5 - MSCHAP_CHALLENGE_LEN < PPP_NAME_MAX ?
			      len - 5 - MSCHAP_CHALLENGE_LEN : PPP_NAME_MAX);
		if (mschapv2_client_response(ppp, val))
			return;
		buf[0] = MSV2_VALUE_LEN;
		memcpy(buf + 1, val, MSV2_VALUE_LEN);
		memcpy(buf + 1 + MSV2_VALUE_LEN, ppp->name, nl);
		eap_send_msv2(ppp, EAP_RESPONSE, MSV2_RESPONSE, buf,
			      1 + MSV2_VALUE_LEN + nl);
		a->eap_state = EAPS_CHALLENGE;
		return;
	case MSV2_SUCCESS:
		if (a->eap_state != EAPS_CHALLENGE ||
		    !mschapv2_client_check(ppp, d + 4, len - 4))
			return;
		eap_send_msv2(ppp, EAP_RESPONSE, MSV2_SUCCESS, NULL, 0);
		a->eap_state = EAPS_RESULT_OK;
		if (eap_tls_tunnel(ppp))
			eap_tls_inner_done(ppp, true);
		return;
	case MSV2_FAILURE: {
		char msg[128];

		ppp_printable(msg, sizeof(msg), d + 4, len - 4);
		eap_send_msv2(ppp, EAP_RESPONSE, MSV2_FAILURE, NULL, 0);
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "EAP-MSCHAPv2: server refused us: %s", msg);
		return;
	}
	default:
		return;
	}
}

/*
 * A Request of a method (type and type data), from the link or from
 * inside PEAP's tunnel: Identity, Notification, EAP-MSCHAPv2; a Nak for
 * anything else.
 */
void eap_client_method(struct ppp *ppp, uint8_t type, const uint8_t *d, size_t dl)
{
	uint8_t nak[4];
	size_t n = 0;

	if (type == EAP_TYPE_IDENTITY) {
		eap_emit(ppp, EAP_RESPONSE, EAP_TYPE_IDENTITY,
			 (const uint8_t *)ppp->name, strlen(ppp->name));
		return;
	}
	if (type == EAP_TYPE_NOTIFICATION) {
		eap_emit(ppp, EAP_RESPONSE, EAP_TYPE_NOTIFICATION, NULL, 0);
		return;
	}
	/* Inside PEAP EAP-MSCHAPv2 runs whatever the outer list says. */
	if (type == PPP_EAP_MSCHAPV2 &&
	    (eap_tls_tunnel(ppp) || eap_client_wants(ppp, type))) {
		eap_client_msv2(ppp, d, dl);
		return;
	}
	/* Legacy Nak with what we do. */
	for (size_t i = 0; i < 4; i++) {
		static const uint8_t all[] = { PPP_EAP_MSCHAPV2, PPP_EAP_PEAP, PPP_EAP_TLS };
		enum ppp_eap_type want = ppp->cfg.eap_order[0] ? ppp->cfg.eap_order[i] :
					 (i < 1 ? PPP_EAP_MSCHAPV2 : PPP_EAP_NONE);

		if (!want)
			break;
		if (memchr(all, want, sizeof(all)) && n < sizeof(nak))
			nak[n++] = (uint8_t)want;
	}
	if (!n)
		nak[n++] = 0;
	ppp_log(ppp, LOG_INFO, "EAP: server asks for type %u, Nak", type);
	eap_emit(ppp, EAP_RESPONSE, EAP_TYPE_NAK, nak, n);
}

static void eap_client_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	struct auth_state *a = &ppp->auth;
	const uint8_t *d = pkt + EAP_HDR_LEN + 1;
	size_t dl = len - EAP_HDR_LEN - 1;
	bool method_ok;
	uint8_t type;

	switch (pkt[0]) {
	case EAP_SUCCESS:
		if (a->done)
			return;
		/* Only after the method has succeeded (RFC 3748 4.2): a
		 * Success in its place would skip the server's proof. */
		method_ok = a->tls ? eap_tls_client_done(ppp) :
				    a->eap_state == EAPS_RESULT_OK;
		if (!method_ok) {
			ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
				 "EAP: Success before the method finished");
			return;
		}
		if (ppp_auth_report(ppp) == 0)
			ppp_network_start(ppp);
		return;
	case EAP_FAILURE:
		if (!a->done)
			ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "EAP: server sent Failure");
		return;
	case EAP_REQUEST:
		break;
	default:
		return;
	}
	if (len < EAP_HDR_LEN + 1 || a->done)
		return;
	if (a->have_last && pkt[1] == a->id) {
		ppp_auth_resend(ppp);		/* a repeated Request */
		return;
	}
	a->id = pkt[1];
	type = pkt[EAP_HDR_LEN];
	if ((type == PPP_EAP_TLS || type == PPP_EAP_PEAP) && eap_client_wants(ppp, type) &&
	    eap_tls_client_input(ppp, type, d, dl))
		return;
	eap_client_method(ppp, type, d, dl);
}

/* ---- the engine's entry points ---- */

void eap_start(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;
	uint8_t id;

	if (ppp->cfg.role == PPP_ROLE_CLIENT)
		return;		/* the server speaks first */
	if (ppp_random(ppp, &id, 1)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "EAP: no randomness");
		return;
	}
	a->relay = ppp->cb.verify != NULL;
	a->id = id;
	a->tries = ppp_max_configure(ppp) - 1;
	a->eap_state = EAPS_IDENTITY;
	eap_send(ppp, EAP_REQUEST, a->id, EAP_TYPE_IDENTITY, NULL, 0);
	eap_arm(ppp);
}

void eap_timer(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;

	if (ppp->cfg.role == PPP_ROLE_CLIENT || a->done || a->pending ||
	    (a->eap_state == EAPS_DONE && !a->tls))
		return;
	if (!a->tries) {
		ppp_fail(ppp, PPP_DOWN_AUTH_TIMEOUT, "EAP: no response to our request");
		return;
	}
	a->tries--;
	ppp_auth_resend(ppp);
	eap_arm(ppp);
}

void eap_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < EAP_HDR_LEN)
		return;
	plen = ppp_get16(pkt + 2);
	if (plen < EAP_HDR_LEN || plen > len)
		return;
	if (ppp->cfg.role == PPP_ROLE_SERVER)
		eap_server_input(ppp, pkt, plen);
	else
		eap_client_input(ppp, pkt, plen);
}
