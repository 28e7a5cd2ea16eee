// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * CHAP (RFC 1994) with two algorithms: MD5 and MS-CHAPv2 (RFC 2759), both
 * roles. The server challenges, checks the response against the caller's
 * secret and answers Success or Failure; the client answers challenges
 * and, for MS-CHAPv2, checks the server's authenticator response before it
 * believes a Success. Retries after a Failure are not offered (R=0).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ppp/internal.h"

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE, CHAP_SUCCESS, CHAP_FAILURE };

#define CHAP_MD5_LEN 16
/* MS-CHAPv2 Response value: peer challenge, 8 reserved, NT-Response, flags */
#define MSCHAPV2_VALUE_LEN 49

static bool chap_is_ms(const struct ppp *ppp)
{
	return ppp->auth.method == PPP_AUTH_MSCHAPV2;
}

/* MD5(id || secret || challenge), RFC 1994 4.1. */
static int chap_md5(uint8_t id, const uint8_t *secret, size_t slen,
		    const uint8_t *chal, size_t clen, uint8_t out[CHAP_MD5_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, &id, 1) &&
	     EVP_DigestUpdate(ctx, secret, slen) &&
	     EVP_DigestUpdate(ctx, chal, clen) &&
	     EVP_DigestFinal_ex(ctx, out, &olen);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

/* Challenge/Response body: value-size, value, name. */
static void chap_send_value(struct ppp *ppp, uint8_t code, uint8_t id,
			    const uint8_t *val, size_t vlen)
{
	uint8_t buf[1 + 255 + PPP_NAME_MAX];
	size_t nl = strlen(ppp->name);

	buf[0] = (uint8_t)vlen;
	memcpy(buf + 1, val, vlen);
	memcpy(buf + 1 + vlen, ppp->name, nl);
	ppp_auth_send(ppp, PPP_PROTO_CHAP, code, id, buf, 1 + vlen + nl);
}

static void chap_send_msg(struct ppp *ppp, uint8_t code, uint8_t id,
			  const char *msg)
{
	ppp_auth_send(ppp, PPP_PROTO_CHAP, code, id, (const uint8_t *)msg,
		      strlen(msg));
}

/* ---- server ---- */

static void chap_send_challenge(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;

	chap_send_value(ppp, CHAP_CHALLENGE, a->id, a->challenge,
			MSCHAP_CHALLENGE_LEN);
	a->retry_at = ppp->now + ppp_restart_ms(ppp);
}

void chap_start(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;
	uint8_t id;

	if (ppp->cfg.role == PPP_ROLE_CLIENT)
		return;		/* wait for the server's challenge */
	if (ppp_random(ppp, a->challenge, sizeof(a->challenge)) ||
	    ppp_random(ppp, &id, 1)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "CHAP: no randomness for a challenge");
		return;
	}
	a->id = id;
	a->tries = ppp_max_configure(ppp) - 1;
	chap_send_challenge(ppp);
}

void chap_timer(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;

	if (ppp->cfg.role == PPP_ROLE_CLIENT || a->done)
		return;
	if (!a->tries) {
		ppp_fail(ppp, PPP_DOWN_AUTH_TIMEOUT,
			 "CHAP: no response to our challenge");
		return;
	}
	a->tries--;
	chap_send_challenge(ppp);
}

static void chap_server_fail(struct ppp *ppp, uint8_t id)
{
	struct auth_state *a = &ppp->auth;
	char msg[96];

	if (chap_is_ms(ppp)) {
		int n = snprintf(msg, sizeof(msg), "E=691 R=0 C=");

		for (size_t i = 0; i < MSCHAP_CHALLENGE_LEN; i++)
			n += snprintf(msg + n, sizeof(msg) - (size_t)n, "%02X",
				      a->challenge[i]);
		snprintf(msg + n, sizeof(msg) - (size_t)n,
			 " V=3 M=Authentication failed");
	} else {
		snprintf(msg, sizeof(msg), "Authentication failed");
	}
	chap_send_msg(ppp, CHAP_FAILURE, id, msg);
}

/* Check a response against the secret; fills keys and the authenticator
 * response for MS-CHAPv2. */
static bool chap_server_verify(struct ppp *ppp, uint8_t id,
			       const uint8_t *val, size_t vlen,
			       const uint8_t *secret, size_t slen)
{
	struct auth_state *a = &ppp->auth;
	uint8_t want[MSCHAP_NT_RESPONSE_LEN];
	bool ok = false;

	if (!chap_is_ms(ppp)) {
		ok = vlen == CHAP_MD5_LEN &&
		     chap_md5(id, secret, slen, a->challenge,
			      MSCHAP_CHALLENGE_LEN, want) == 0 &&
		     CRYPTO_memcmp(want, val, CHAP_MD5_LEN) == 0;
		OPENSSL_cleanse(want, sizeof(want));
		return ok;
	}
	if (vlen != MSCHAPV2_VALUE_LEN)
		return false;
	return mschapv2_server_check(ppp, val, secret, slen);
}

/*
 * MS-CHAPv2 server side, for CHAP and EAP-MSCHAPv2: check the 49-byte
 * Response value against the secret, with a->challenge and a->peer_name;
 * on success a->auth_response and the keys are ready.
 */
bool mschapv2_server_check(struct ppp *ppp, const uint8_t *val,
			   const uint8_t *secret, size_t slen)
{
	struct auth_state *a = &ppp->auth;
	uint8_t want[MSCHAP_NT_RESPONSE_LEN];
	bool ok;

	memcpy(a->peer_challenge, val, MSCHAP_CHALLENGE_LEN);
	memcpy(a->nt_response, val + 24, MSCHAP_NT_RESPONSE_LEN);
	if (mschap_nt_response(a->challenge, a->peer_challenge, a->peer_name,
			       secret, slen, want))
		return false;
	ok = CRYPTO_memcmp(want, a->nt_response, sizeof(want)) == 0;
	if (ok)
		ok = mschap_authenticator_response(secret, slen, a->nt_response,
						   a->peer_challenge,
						   a->challenge, a->peer_name,
						   a->auth_response) == 0 &&
		     mschap_mppe_keys(secret, slen, a->nt_response, true,
				      a->send_key, a->recv_key) == 0;
	a->have_keys = ok;
	OPENSSL_cleanse(want, sizeof(want));
	return ok;
}

/* The verdict on the response to our challenge, local or from the back
 * end: Failure, or Success (with the authenticator response for
 * MS-CHAPv2) and the network phase. */
static void chap_server_finish(struct ppp *ppp, bool ok, const char *why)
{
	struct auth_state *a = &ppp->auth;
	char msg[96];

	if (!ok) {
		a->have_keys = false;
		chap_server_fail(ppp, a->id);
		ppp_auth_refused(ppp, ppp_auth_str(a->method), why);
		return;
	}
	if (ppp_auth_report(ppp)) {
		chap_server_fail(ppp, a->id);
		return;
	}
	if (chap_is_ms(ppp))
		snprintf(msg, sizeof(msg), "%s M=Access granted",
			 a->auth_response);
	else
		snprintf(msg, sizeof(msg), "Access granted");
	chap_send_msg(ppp, CHAP_SUCCESS, a->id, msg);
	ppp_network_start(ppp);
}

void chap_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v)
{
	struct auth_state *a = &ppp->auth;
	const char *m = v->message;

	if (v->ok && chap_is_ms(ppp)) {
		/* The peer checks "S=<40 hex>": without it, no Success. */
		if (!m || strlen(m) < MSCHAP_AUTH_RESPONSE_LEN ||
		    strncasecmp(m, "S=", 2)) {
			chap_server_finish(ppp, false, "no authenticator "
					   "response from the back end");
			return;
		}
		memcpy(a->auth_response, m, MSCHAP_AUTH_RESPONSE_LEN);
		a->auth_response[MSCHAP_AUTH_RESPONSE_LEN] = '\0';
		a->have_keys = v->has_keys;
		if (v->has_keys) {
			memcpy(a->send_key, v->send_key, PPP_MPPE_KEY_LEN);
			memcpy(a->recv_key, v->recv_key, PPP_MPPE_KEY_LEN);
		}
	}
	chap_server_finish(ppp, v->ok, m && !v->ok ? m : "refused");
}

static void chap_server_input(struct ppp *ppp, const uint8_t *pkt, size_t plen)
{
	struct auth_state *a = &ppp->auth;
	uint8_t secret[PPP_SECRET_MAX], id = pkt[1];
	const uint8_t *val, *name, *p = pkt + 4;
	size_t vlen, nl, sl, len = plen - 4;
	bool ok, known;

	if (id != a->id)
		return;		/* an answer to an older challenge */
	if (a->done) {
		ppp_auth_resend(ppp);	/* the peer missed our Success */
		return;
	}
	/* One is held already, or the back end has it: the peer's
	 * retransmissions wait with it. */
	if ((a->held_len && !a->releasing) || a->pending)
		return;
	if (plen > sizeof(a->held)) {
		ppp_log(ppp, LOG_NOTICE, "CHAP: oversized response dropped");
		return;
	}
	if (len < 1 || (vlen = p[0]) > len - 1) {
		ppp_log(ppp, LOG_NOTICE, "CHAP: malformed response dropped");
		return;
	}
	val = p + 1;
	name = p + 1 + vlen;
	nl = len - 1 - vlen;
	if (nl > PPP_NAME_MAX || memchr(name, '\0', nl)) {
		ppp_log(ppp, LOG_NOTICE, "CHAP: bad name in response");
		return;
	}
	memcpy(a->peer_name, name, nl);
	a->peer_name[nl] = '\0';
	a->retry_at = PPP_NO_DEADLINE;
	if (ppp_auth_hold(ppp, a->peer_name, pkt, plen))
		return;

	if (ppp->cb.verify) {
		struct ppp_auth_request req = {
			.method = a->method, .peer_name = a->peer_name, .id = id,
			.response = val, .response_len = vlen,
			.challenge = a->challenge,
			.challenge_len = MSCHAP_CHALLENGE_LEN,
		};

		/* Locked out: refused here, the back end never sees it. */
		if (vlen != (chap_is_ms(ppp) ? MSCHAPV2_VALUE_LEN : CHAP_MD5_LEN))
			chap_server_finish(ppp, false, "malformed response");
		else if (a->refuse || ppp->cb.verify(ppp->ctx, &req))
			chap_server_finish(ppp, false, "refused at once");
		else
			a->pending = true;
		return;
	}
	/* An unknown user is checked against a dummy secret: the same work. */
	sl = ppp_auth_secret(ppp, a->peer_name, secret, sizeof(secret), &known);
	ok = chap_server_verify(ppp, id, val, vlen, secret, sl);
	OPENSSL_cleanse(secret, sizeof(secret));
	chap_server_finish(ppp, ok && known && !a->refuse,
			   known ? "wrong password" : "unknown user");
}

/* ---- client ---- */

static void chap_client_challenge(struct ppp *ppp, uint8_t id,
				  const uint8_t *p, size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint8_t val[MSCHAPV2_VALUE_LEN];
	const uint8_t *chal;
	size_t clen, nl;

	if (len < 1 || (clen = p[0]) > len - 1 || clen == 0)
		return;
	chal = p + 1;
	nl = len - 1 - clen;
	if (chap_is_ms(ppp) && clen != MSCHAP_CHALLENGE_LEN)
		return;
	if (a->done && chap_is_ms(ppp))
		return;		/* no re-authentication with MS-CHAPv2 */
	/* A retransmitted challenge gets the same response again. */
	if (a->have_last && id == a->id && clen <= sizeof(a->challenge) &&
	    !memcmp(chal, a->challenge, clen)) {
		ppp_auth_resend(ppp);
		return;
	}
	a->id = id;
	memset(a->challenge, 0, sizeof(a->challenge));
	memcpy(a->challenge, chal, clen < sizeof(a->challenge) ?
					clen : sizeof(a->challenge));
	ppp_printable(a->peer_name, sizeof(a->peer_name), chal + clen,
		      nl < PPP_NAME_MAX ? nl : PPP_NAME_MAX);

	if (!chap_is_ms(ppp)) {
		if (chap_md5(id, ppp->password, ppp->password_len, chal, clen,
			     val))
			return;
		chap_send_value(ppp, CHAP_RESPONSE, id, val, CHAP_MD5_LEN);
		return;
	}
	if (mschapv2_client_response(ppp, val))
		return;
	chap_send_value(ppp, CHAP_RESPONSE, id, val, sizeof(val));
}

/*
 * MS-CHAPv2 peer side, for CHAP and EAP-MSCHAPv2: the 49-byte Response
 * value to a->challenge (fails the link if it cannot be computed).
 */
int mschapv2_client_response(struct ppp *ppp, uint8_t val[49])
{
	struct auth_state *a = &ppp->auth;

	if (ppp_random(ppp, a->peer_challenge, MSCHAP_CHALLENGE_LEN) ||
	    mschap_nt_response(a->challenge, a->peer_challenge, ppp->name,
			       ppp->password, ppp->password_len,
			       a->nt_response) ||
	    mschap_authenticator_response(ppp->password, ppp->password_len,
					  a->nt_response, a->peer_challenge,
					  a->challenge, ppp->name,
					  a->auth_response)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "MS-CHAPv2: cannot compute a response "
			 "(password not valid UTF-8?)");
		return -EINVAL;
	}
	memcpy(val, a->peer_challenge, MSCHAP_CHALLENGE_LEN);
	memset(val + 16, 0, 8);
	memcpy(val + 24, a->nt_response, MSCHAP_NT_RESPONSE_LEN);
	val[48] = 0;
	return 0;
}

/* The server's "S=<40 hex>" (first in p, case-insensitive) verifies: the
 * keys are derived. Otherwise the link fails. */
bool mschapv2_client_check(struct ppp *ppp, const uint8_t *p, size_t len)
{
	struct auth_state *a = &ppp->auth;

	if (len < MSCHAP_AUTH_RESPONSE_LEN ||
	    strncasecmp((const char *)p, a->auth_response,
			MSCHAP_AUTH_RESPONSE_LEN)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "MS-CHAPv2: the server's authenticator "
			 "response does not verify");
		return false;
	}
	if (mschap_mppe_keys(ppp->password, ppp->password_len,
			     a->nt_response, false, a->send_key,
			     a->recv_key)) {
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED,
			 "MS-CHAPv2: cannot derive keys");
		return false;
	}
	a->have_keys = true;
	return true;
}

static void chap_client_success(struct ppp *ppp, const uint8_t *p, size_t len)
{
	if (chap_is_ms(ppp) && !mschapv2_client_check(ppp, p, len))
		return;
	if (ppp_auth_report(ppp) == 0)
		ppp_network_start(ppp);
}

static void chap_client_input(struct ppp *ppp, uint8_t code, uint8_t id,
			      const uint8_t *p, size_t len)
{
	struct auth_state *a = &ppp->auth;
	char msg[128];

	switch (code) {
	case CHAP_CHALLENGE:
		chap_client_challenge(ppp, id, p, len);
		break;
	case CHAP_SUCCESS:
		if (!a->done && a->have_last && id == a->id)
			chap_client_success(ppp, p, len);
		break;
	case CHAP_FAILURE:
		if (a->done || !a->have_last || id != a->id)
			break;
		ppp_printable(msg, sizeof(msg), p, len);
		ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "%s: server refused us: %s",
			 ppp_auth_str(a->method), msg);
		break;
	default:
		break;
	}
}

void chap_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < 4)
		return;
	plen = ppp_get16(pkt + 2);
	if (plen < 4 || plen > len)
		return;
	if (ppp->cfg.role == PPP_ROLE_SERVER) {
		if (pkt[0] == CHAP_RESPONSE)
			chap_server_input(ppp, pkt, plen);
	} else {
		chap_client_input(ppp, pkt[0], pkt[1], pkt + 4, plen - 4);
	}
}
