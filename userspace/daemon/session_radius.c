// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A server session's side of RADIUS ([radius] in the configuration):
 *
 *   authentication  the PPP engine's verify callback becomes an
 *                   Access-Request; the answer, from the loop, becomes
 *                   ppp_auth_verdict(), with the MS-CHAPv2 authenticator
 *                   response and the MPPE keys of MS-CHAP2-Success and
 *                   MS-MPPE-Send/Recv-Key
 *   authorization   what the Access-Accept says is kept for the session:
 *                   Framed-IP-Address (else the pool), Framed-Route,
 *                   Framed-IPv6-Route, Session-Timeout, Idle-Timeout,
 *                   Acct-Interim-Interval, Class, the rate limit
 *   accounting      Start when the first NCP opens, Interim-Update, Stop
 *                   with the Acct-Terminate-Cause and the link's counters
 *                   (the kernel's on the kernel data path), 64-bit with
 *                   Gigawords
 *   limits          Session-Timeout and Idle-Timeout end the session
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "daemon/radius.h"
#include "daemon/session_internal.h"
#include "link/rtnl.h"
#include "ppp/mschap.h"

/* ------------------------------------------------------------ who we are */

/* The peer's address without the port ("192.0.2.7", "2001:db8::7"). */
static void session_radius_calling(const struct session *s, char *buf, size_t size)
{
	const char *p = s->peer, *end;
	size_t n;

	if (*p == '[') {
		p++;
		end = strchr(p, ']');
	} else {
		end = strrchr(p, ':');
	}
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
}

static const char *session_acct_id(struct session *s)
{
	if (!s->aaa.acct_id[0])
		snprintf(s->aaa.acct_id, sizeof(s->aaa.acct_id), "%08" PRIX32 "%08X",
			 s->env->acct_base, s->id);
	return s->aaa.acct_id;
}

/* What every request says about the NAS and the port (RFC 2865 5.4-5.7,
 * 5.31, 5.32, 5.41). */
static int session_radius_nas(struct session *s, struct radius_pkt *p)
{
	const struct session_env *env = s->env;
	char calling[INET6_ADDRSTRLEN];
	int err = 0;

	session_radius_calling(s, calling, sizeof(calling));
	err |= radius_add_str(p, RADIUS_NAS_IDENTIFIER, env->nas_id);
	if (env->nas_ip)
		err |= radius_add_u32(p, RADIUS_NAS_IP_ADDRESS, env->nas_ip);
	err |= radius_add_u32(p, RADIUS_NAS_PORT, s->id);
	err |= radius_add_u32(p, RADIUS_NAS_PORT_TYPE, RADIUS_NAS_PORT_VIRTUAL);
	err |= radius_add_u32(p, RADIUS_SERVICE_TYPE, RADIUS_SERVICE_FRAMED);
	err |= radius_add_u32(p, RADIUS_FRAMED_PROTOCOL, RADIUS_PROTOCOL_PPP);
	err |= radius_add_str(p, RADIUS_CALLING_STATION_ID, calling);
	err |= radius_add_str(p, RADIUS_ACCT_SESSION_ID, session_acct_id(s));
	return err ? -EMSGSIZE : 0;
}

/* ------------------------------------------------------------ authorization */

static void session_radius_keep(struct session *s, const uint8_t *resp)
{
	struct session_aaa *a = &s->aaa;
	const uint8_t *v;
	size_t off = 0, n;
	uint32_t u;
	uint8_t t;

	while (radius_next(resp, &off, &t, &v, &n)) {
		switch (t) {
		case RADIUS_FRAMED_ROUTE:
			if (a->n_routes < SESSION_AAA_ROUTES && n < sizeof(a->routes[0])) {
				memcpy(a->routes[a->n_routes], v, n);
				a->routes[a->n_routes++][n] = 0;
			}
			break;
		case RADIUS_FRAMED_IPV6_ROUTE:
			if (a->n_routes6 < SESSION_AAA_ROUTES && n < sizeof(a->routes6[0])) {
				memcpy(a->routes6[a->n_routes6], v, n);
				a->routes6[a->n_routes6++][n] = 0;
			}
			break;
		case RADIUS_FRAMED_IPV6_PREFIX:
			/* reserved, prefix length, prefix (RFC 3162 2.3) */
			if (n >= 2 && n <= 18 && v[1] <= 128 && (size_t)(v[1] + 7) / 8 <= n - 2) {
				memset(&a->prefix6, 0, sizeof(a->prefix6));
				memcpy(&a->prefix6, v + 2, n - 2);
				a->prefix6_len = v[1];
			}
			break;
		case RADIUS_CLASS:
			if (a->n_class < SESSION_AAA_CLASSES) {
				memcpy(a->class[a->n_class], v, n);
				a->class_len[a->n_class++] = (uint8_t)n;
			}
			break;
		default:
			break;
		}
	}
	if (!radius_get_u32(resp, RADIUS_FRAMED_IP_ADDRESS, &u) &&
	    u != RADIUS_IP_NAS_ASSIGNS && u != RADIUS_IP_USER_CHOOSES && u)
		a->framed_ip = u;
	if (!radius_get_u32(resp, RADIUS_SESSION_TIMEOUT, &u))
		a->session_timeout = u;
	if (!radius_get_u32(resp, RADIUS_IDLE_TIMEOUT, &u))
		a->idle_timeout = u;
	if (!radius_get_u32(resp, RADIUS_ACCT_INTERIM_INTERVAL, &u) && u)
		a->interim = u;
	v = radius_find_vsa(resp, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT, &n);
	if (v && n < sizeof(a->rate_limit)) {
		char text[sizeof(a->rate_limit)];

		memcpy(text, v, n);
		text[n] = 0;
		if (session_rate_parse(text, &a->rate_rx, &a->rate_tx))
			slog(LOG_WARNING, s, "RADIUS: Mikrotik-Rate-Limit '%s' not understood",
			     text);
		else
			snprintf(a->rate_limit, sizeof(a->rate_limit), "%s", text);
	}
}

/* "10M", "512k", "1500000": bits per second; 0 or -EINVAL. */
static int session_rate_value(const char *s, uint64_t *bps)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	v = strtoull(s, &end, 10);
	switch (*end) {
	case 'k': case 'K':
		v *= 1000;
		end++;
		break;
	case 'm': case 'M':
		v *= 1000000;
		end++;
		break;
	case 'g': case 'G':
		v *= 1000000000;
		end++;
		break;
	default:
		break;
	}
	if (*end)
		return -EINVAL;
	*bps = v;
	return 0;
}

/*
 * Mikrotik-Rate-Limit's first field, "rx[/tx]" as the router sees it: rx
 * what it receives from the client (upload), tx what it sends (download);
 * one value is both. Bursts and priority after a blank are not used.
 */
int session_rate_parse(const char *text, uint64_t *rx, uint64_t *tx)
{
	char buf[64], *sp, *slash;

	snprintf(buf, sizeof(buf), "%s", text);
	sp = strchr(buf, ' ');
	if (sp)
		*sp = 0;
	slash = strchr(buf, '/');
	if (slash)
		*slash = 0;
	if (session_rate_value(buf, rx))
		return -EINVAL;
	if (!slash) {
		*tx = *rx;
		return 0;
	}
	return session_rate_value(slash + 1, tx);
}

/* ------------------------------------------------------------ authentication */

/* MS-MPPE-Send-Key is the NAS's send key, -Recv-Key its receive key
 * (RFC 2548 2.4.2, 2.4.3): the server's, as struct ppp_auth_verdict wants. */
static void session_radius_keys(struct session *s, const uint8_t *resp,
				const uint8_t *req_auth, struct ppp_auth_verdict *v)
{
	const uint8_t *secret = (const uint8_t *)radius_secret(s->env->radius);
	size_t slen = strlen((const char *)secret), sn = 0, rn = 0;
	const uint8_t *sv, *rv;
	uint8_t key[64];
	int a, b;

	sv = radius_find_vsa(resp, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &sn);
	rv = radius_find_vsa(resp, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, &rn);
	if (!sv && !rv)
		return;
	a = sv ? radius_mppe_key(sv, sn, secret, slen, req_auth, key, sizeof(key)) : -ENOENT;
	if (a >= PPP_MPPE_KEY_LEN)
		memcpy(v->send_key, key, PPP_MPPE_KEY_LEN);
	b = rv ? radius_mppe_key(rv, rn, secret, slen, req_auth, key, sizeof(key)) : -ENOENT;
	if (b >= PPP_MPPE_KEY_LEN)
		memcpy(v->recv_key, key, PPP_MPPE_KEY_LEN);
	OPENSSL_cleanse(key, sizeof(key));
	v->has_keys = a >= PPP_MPPE_KEY_LEN && b >= PPP_MPPE_KEY_LEN;
	if (!v->has_keys)
		slog(LOG_WARNING, s, "RADIUS: MS-MPPE keys unusable; the crypto "
		     "binding gets a zero HLAK");
}

/* EAP over RADIUS: the answer's EAP-Message for the engine, the State
 * for the next request, the MSK (MS-MPPE-Recv-Key || MS-MPPE-Send-Key,
 * RFC 3579 and 2548). */
static int session_radius_eap(struct session *s, const uint8_t *resp,
			      const uint8_t *req_auth, struct ppp_auth_verdict *v,
			      uint8_t *eap, size_t size)
{
	const uint8_t *secret = (const uint8_t *)radius_secret(s->env->radius);
	size_t slen = strlen((const char *)secret), n;
	const uint8_t *val;
	uint8_t key[64];
	int len, a, b;

	len = radius_get_long(resp, RADIUS_EAP_MESSAGE, eap, size);
	if (len > 0) {
		v->eap = eap;
		v->eap_len = (size_t)len;
	}
	val = radius_find(resp, RADIUS_STATE, &n);
	s->aaa.state_len = val ? (uint8_t)n : 0;
	if (val)
		memcpy(s->aaa.state, val, n);
	if (resp[0] != RADIUS_ACCESS_ACCEPT)
		return len;
	val = radius_find_vsa(resp, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_RECV_KEY, &n);
	a = val ? radius_mppe_key(val, n, secret, slen, req_auth, key, 32) : -ENOENT;
	if (a > 0)
		memcpy(v->msk, key, (size_t)a);
	val = radius_find_vsa(resp, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &n);
	b = a > 0 && val ? radius_mppe_key(val, n, secret, slen, req_auth, key, 32) :
			    -ENOENT;
	if (b > 0 && a + b <= PPP_MSK_LEN) {
		/* 32 + 32 for TLS-based methods; 16 + 16 (then zeros) for
		 * EAP-MSCHAPv2, whose MSK's first half is the same either way. */
		memcpy(v->msk + (a == 16 ? 16 : a), key, (size_t)b);
		v->has_msk = true;
	}
	OPENSSL_cleanse(key, sizeof(key));
	if (!v->has_msk)
		slog(LOG_WARNING, s, "RADIUS: no MSK in the Access-Accept; the crypto "
		     "binding gets a zero HLAK");
	return len;
}

static void session_radius_auth_done(void *ctx, const uint8_t *resp,
				     const uint8_t *req_auth, int err)
{
	struct session *s = ctx;
	struct ppp_auth_verdict v = { 0 };
	char msg[MSCHAP_AUTH_RESPONSE_LEN + 1] = "", why[160];
	uint8_t eap[PPP_EAP_MAX];
	const uint8_t *val;
	bool is_eap;
	size_t n;

	s->aaa.auth_req = NULL;
	if (s->phase == SP_DOWN || !s->ppp)
		return;
	is_eap = s->aaa.eap;
	if (!err && is_eap && session_radius_eap(s, resp, req_auth, &v, eap,
						 sizeof(eap)) < 0) {
		snprintf(why, sizeof(why), "RADIUS %s with an EAP-Message too long",
			 radius_code_name(resp[0]));
		resp = NULL;
		v.eap = NULL;
		v.message = why;
	} else if (err) {
		snprintf(why, sizeof(why), "no RADIUS server answered");
		v.message = why;
		/* Not the client's fault: counted apart from credentials. */
		session_fail_as(s, SESSION_FAIL_AUTH_BACKEND);
	} else if (resp[0] == RADIUS_ACCESS_CHALLENGE && is_eap) {
		v.more = true;
		slog(LOG_DEBUG, s, "RADIUS: Access-Challenge");
		ppp_auth_verdict(s->ppp, &v, loop_now());
		session_settle(s);
		return;
	} else if (resp[0] != RADIUS_ACCESS_ACCEPT) {
		val = radius_find(resp, RADIUS_REPLY_MESSAGE, &n);
		snprintf(why, sizeof(why), "RADIUS %s%s%.*s", radius_code_name(resp[0]),
			 val ? ": " : "", val ? (int)n : 0, val ? (const char *)val : "");
		v.message = why;
	} else {
		v.ok = true;
		session_radius_keep(s, resp);
		val = radius_find_vsa(resp, RADIUS_VENDOR_MICROSOFT,
				      RADIUS_MS_CHAP2_SUCCESS, &n);
		if (val && n >= 1 + MSCHAP_AUTH_RESPONSE_LEN) {
			memcpy(msg, val + 1, MSCHAP_AUTH_RESPONSE_LEN);
			v.message = msg;
		}
		if (!is_eap)
			session_radius_keys(s, resp, req_auth, &v);
	}
	slog(v.ok ? LOG_INFO : LOG_WARNING, s, "RADIUS: %s", v.ok ?
	     "Access-Accept" : why);
	s->aaa.radius = v.ok;
	ppp_auth_verdict(s->ppp, &v, loop_now());
	OPENSSL_cleanse(&v, sizeof(v));
	OPENSSL_cleanse(eap, sizeof(eap));
	session_settle(s);
}

int session_radius_verify(struct session *s, const struct ppp_auth_request *req)
{
	struct radius_req *q;
	struct radius_pkt *p;
	uint8_t b[64];
	int err;

	q = radius_req_new(s->env->radius, false);
	if (!q)
		return -ENOMEM;
	p = radius_req_pkt(q);
	err = radius_add_str(p, RADIUS_USER_NAME, req->peer_name);
	switch (req->method) {
	case PPP_AUTH_PAP:
		err = err ? err : radius_req_add_password(q, req->response,
							  req->response_len);
		break;
	case PPP_AUTH_CHAP_MD5:
		b[0] = req->id;
		memcpy(b + 1, req->response, 16);
		err = err ? err : radius_add(p, RADIUS_CHAP_PASSWORD, b, 17);
		err = err ? err : radius_add(p, RADIUS_CHAP_CHALLENGE, req->challenge,
					     req->challenge_len);
		break;
	case PPP_AUTH_EAP:
		/* RFC 3579: the peer's packet as it came, and the State of
		 * the Access-Challenge it answers. */
		err = err ? err : radius_add_long(p, RADIUS_EAP_MESSAGE, req->eap,
						  req->eap_len);
		if (!err && s->aaa.state_len)
			err = radius_add(p, RADIUS_STATE, s->aaa.state, s->aaa.state_len);
		break;
	case PPP_AUTH_MSCHAPV2:
		/* RFC 2548 2.3.2: Ident, Flags, Peer-Challenge, Reserved,
		 * Response; the PPP value has the flags last. */
		b[0] = req->id;
		b[1] = req->response[48];
		memcpy(b + 2, req->response, 48);
		err = err ? err : radius_add_vsa(p, RADIUS_VENDOR_MICROSOFT,
						 RADIUS_MS_CHAP_CHALLENGE,
						 req->challenge, req->challenge_len);
		err = err ? err : radius_add_vsa(p, RADIUS_VENDOR_MICROSOFT,
						 RADIUS_MS_CHAP2_RESPONSE, b, 50);
		break;
	default:
		err = -EOPNOTSUPP;
		break;
	}
	err = err ? err : session_radius_nas(s, p);
	if (err) {
		radius_req_free(q);
		return err;
	}
	err = radius_req_send(q, session_radius_auth_done, s);
	if (err)
		return err;
	s->aaa.auth_req = q;
	s->aaa.eap = req->method == PPP_AUTH_EAP;
	slog(req->method == PPP_AUTH_EAP && s->aaa.state_len ? LOG_DEBUG : LOG_INFO,
	     s, "RADIUS: Access-Request for %s (%s)", req->peer_name,
	     ppp_auth_str(req->method));
	return 0;
}

/* ------------------------------------------------------------ accounting */

static const char *const session_acct_names[] = {
	[RADIUS_ACCT_START] = "Start",
	[RADIUS_ACCT_STOP] = "Stop",
	[RADIUS_ACCT_INTERIM] = "Interim-Update",
};

static void session_acct_done(void *ctx, const uint8_t *resp,
			      const uint8_t *req_auth, int err)
{
	unsigned int id = (unsigned int)(uintptr_t)ctx;

	if (err)
		log_warn("[%u] RADIUS: no accounting server answered", id);
}

static int session_acct_counters(struct radius_pkt *p, const struct link_stats *st)
{
	int err = 0;

	/* Input: from the client into the network (RFC 2866 5.3). */
	err |= radius_add_u32(p, RADIUS_ACCT_INPUT_OCTETS, (uint32_t)st->rx_bytes);
	err |= radius_add_u32(p, RADIUS_ACCT_INPUT_GIGAWORDS, (uint32_t)(st->rx_bytes >> 32));
	err |= radius_add_u32(p, RADIUS_ACCT_OUTPUT_OCTETS, (uint32_t)st->tx_bytes);
	err |= radius_add_u32(p, RADIUS_ACCT_OUTPUT_GIGAWORDS, (uint32_t)(st->tx_bytes >> 32));
	err |= radius_add_u32(p, RADIUS_ACCT_INPUT_PACKETS, (uint32_t)st->rx_packets);
	err |= radius_add_u32(p, RADIUS_ACCT_OUTPUT_PACKETS, (uint32_t)st->tx_packets);
	return err;
}

static void session_acct_send(struct session *s, uint32_t type)
{
	struct session_aaa *a = &s->aaa;
	struct link_stats st = { 0 };
	struct radius_req *q;
	struct radius_pkt *p;
	int err = 0;

	q = radius_req_new(s->env->radius, true);
	if (!q)
		return;
	p = radius_req_pkt(q);
	err |= radius_add_u32(p, RADIUS_ACCT_STATUS_TYPE, type);
	err |= radius_add_str(p, RADIUS_USER_NAME, s->user);
	err |= session_radius_nas(s, p);
	err |= radius_add_u32(p, RADIUS_ACCT_AUTHENTIC, a->radius ?
			      RADIUS_AUTHENTIC_RADIUS : RADIUS_AUTHENTIC_LOCAL);
	if (s->peer_ip)
		err |= radius_add_u32(p, RADIUS_FRAMED_IP_ADDRESS, s->peer_ip);
	for (unsigned int i = 0; i < a->n_class; i++)
		err |= radius_add(p, RADIUS_CLASS, a->class[i], a->class_len[i]);
	err |= radius_add_u32(p, RADIUS_EVENT_TIMESTAMP, (uint32_t)time(NULL));
	err |= radius_add_u32(p, RADIUS_ACCT_DELAY_TIME, 0);
	if (type != RADIUS_ACCT_START) {
		link_update_stats(s->link);
		if (s->link)
			st = s->link->stats;
		err |= radius_add_u32(p, RADIUS_ACCT_SESSION_TIME,
				      (uint32_t)((loop_now() - a->acct_start) / 1000));
		err |= session_acct_counters(p, &st);
	}
	if (type == RADIUS_ACCT_STOP)
		err |= radius_add_u32(p, RADIUS_ACCT_TERMINATE_CAUSE, a->term_cause);
	if (err) {
		radius_req_free(q);
		slog(LOG_WARNING, s, "RADIUS: accounting %s does not fit a packet",
		     session_acct_names[type]);
		return;
	}
	slog(LOG_INFO, s, "RADIUS: Accounting-Request %s%s%s", session_acct_names[type],
	     type == RADIUS_ACCT_STOP ? ", cause " : "",
	     type == RADIUS_ACCT_STOP ? session_term_cause_name(a->term_cause) : "");
	radius_req_send(q, session_acct_done, (void *)(uintptr_t)s->id);
}

static void session_acct_interim(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, aaa.acct_timer);

	session_acct_send(s, RADIUS_ACCT_INTERIM);
	loop_timer_set(s->env->loop, t, loop_now() + s->aaa.interim * 1000ull,
		       session_acct_interim);
}

/* ------------------------------------------------------------ limits */

static void session_limit_timer(struct loop_timer *t);

static void session_limit_arm(struct session *s)
{
	struct session_aaa *a = &s->aaa;
	uint64_t d = UINT64_MAX;

	if (a->session_end)
		d = a->session_end;
	if (a->idle_timeout && a->idle_since + a->idle_timeout * 1000ull < d)
		d = a->idle_since + a->idle_timeout * 1000ull;
	if (d == UINT64_MAX)
		loop_timer_cancel(s->env->loop, &a->limit_timer);
	else
		loop_timer_set(s->env->loop, &a->limit_timer, d, session_limit_timer);
}

static void session_limit_timer(struct loop_timer *t)
{
	struct session *s = container_of(t, struct session, aaa.limit_timer);
	struct session_aaa *a = &s->aaa;
	uint64_t now = loop_now();

	if (a->session_end && now >= a->session_end) {
		a->term_cause = RADIUS_TERM_SESSION_TIMEOUT;
		session_disconnect(s, "Session-Timeout reached");
		return;
	}
	if (a->idle_timeout) {
		link_update_stats(s->link);
		if (s->link && s->link->stats.rx_packets != a->idle_rx) {
			a->idle_rx = s->link->stats.rx_packets;
			a->idle_since = now;
		} else if (now >= a->idle_since + a->idle_timeout * 1000ull) {
			a->term_cause = RADIUS_TERM_IDLE_TIMEOUT;
			session_disconnect(s, "Idle-Timeout reached");
			return;
		}
	}
	session_limit_arm(s);
}

/* ------------------------------------------------------------ the session's life */

const char *session_term_cause_name(uint32_t cause)
{
	switch (cause) {
	case RADIUS_TERM_USER_REQUEST:
		return "User-Request";
	case RADIUS_TERM_LOST_CARRIER:
		return "Lost-Carrier";
	case RADIUS_TERM_IDLE_TIMEOUT:
		return "Idle-Timeout";
	case RADIUS_TERM_SESSION_TIMEOUT:
		return "Session-Timeout";
	case RADIUS_TERM_ADMIN_RESET:
		return "Admin-Reset";
	case RADIUS_TERM_ADMIN_REBOOT:
		return "Admin-Reboot";
	case RADIUS_TERM_NAS_ERROR:
		return "NAS-Error";
	case RADIUS_TERM_NAS_REQUEST:
		return "NAS-Request";
	}
	return "?";
}

/* Authenticated (by RADIUS or locally): the limits start counting. */
void session_radius_authorized(struct session *s)
{
	struct session_aaa *a = &s->aaa;
	uint64_t now = loop_now();

	if (!a->interim)
		a->interim = s->env->cfg->radius_acct_interim;
	a->idle_since = now;
	if (a->session_timeout)
		a->session_end = now + a->session_timeout * 1000ull;
	session_limit_arm(s);
	if (!a->rate_limit[0])
		return;
	slog(LOG_INFO, s, "rate limit %s: %" PRIu64 " bit/s from the client, "
	     "%" PRIu64 " bit/s to it", a->rate_limit, a->rate_rx, a->rate_tx);
	/* What the client sends is policed by the guard, from the first
	 * packet (it is attached with this policy when an NCP comes up). */
	session_set_rate(s, session_rate_bytes(a->rate_rx), 0);
}

/*
 * One Framed-Route ("10.1.0.0/16 0.0.0.0 1") or Framed-IPv6-Route
 * ("2001:db8::/48 :: 1") through the session's interface: the prefix
 * only, as the gateway is the client whatever the attribute names.
 */
static void session_radius_route(struct session *s, const char *text, bool v6)
{
	unsigned char dst[sizeof(struct in6_addr)];
	int plen = v6 ? 128 : 32, err;
	char buf[64], *slash;

	if (sscanf(text, "%63s", buf) != 1)
		buf[0] = 0;
	slash = strchr(buf, '/');
	if (slash) {
		plen = atoi(slash + 1);
		*slash = 0;
	}
	if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, dst) != 1 || plen < 0 ||
	    plen > (v6 ? 128 : 32)) {
		slog(LOG_WARNING, s, "RADIUS Framed-%sRoute '%s' not understood",
		     v6 ? "IPv6-" : "", text);
		return;
	}
	if (v6) {
		err = rtnl_route6_add(s->env->rtnl, s->link->ifindex,
				      (const struct in6_addr *)dst, plen);
	} else {
		uint32_t d;

		memcpy(&d, dst, 4);
		err = rtnl_route4_add(s->env->rtnl, s->link->ifindex, ntohl(d), plen);
	}
	slog(err ? LOG_WARNING : LOG_INFO, s, "route %s/%d dev %s%s%s", buf, plen,
	     s->link->ifname, err ? ": " : "", err ? s->env->rtnl->err : "");
}

/* An NCP opened: RADIUS routes on the interface; accounting starts with
 * the first. */
void session_radius_ncp_up(struct session *s, bool ipv6)
{
	struct session_aaa *a = &s->aaa;
	unsigned int i;

	for (i = 0; i < (ipv6 ? a->n_routes6 : a->n_routes); i++)
		session_radius_route(s, ipv6 ? a->routes6[i] : a->routes[i], ipv6);
	if (a->acct_started || !radius_has_acct(s->env->radius) ||
	    !s->env->cfg->radius_accounting)
		return;
	a->acct_started = true;
	a->acct_start = loop_now();
	session_acct_send(s, RADIUS_ACCT_START);
	if (a->interim)
		loop_timer_set(s->env->loop, &a->acct_timer,
			       a->acct_start + a->interim * 1000ull, session_acct_interim);
}

/* The session is going down, its link still there (the counters). */
void session_radius_down(struct session *s)
{
	struct session_aaa *a = &s->aaa;

	if (a->auth_req) {
		radius_req_cancel(a->auth_req);
		a->auth_req = NULL;
	}
	loop_timer_cancel(s->env->loop, &a->acct_timer);
	loop_timer_cancel(s->env->loop, &a->limit_timer);
	if (!a->acct_started)
		return;
	a->acct_started = false;
	if (!a->term_cause)
		a->term_cause = s->failed ? RADIUS_TERM_LOST_CARRIER :
			       RADIUS_TERM_USER_REQUEST;
	session_acct_send(s, RADIUS_ACCT_STOP);
}

/* ------------------------------------------------------------ dynamic authorization */

/* Attributes that say which session a request means (RFC 5176 3). */
static bool session_dae_id_attr(uint8_t t)
{
	return t == RADIUS_USER_NAME || t == RADIUS_ACCT_SESSION_ID ||
	       t == RADIUS_FRAMED_IP_ADDRESS || t == RADIUS_NAS_PORT ||
	       t == RADIUS_CALLING_STATION_ID;
}

/* Attributes any request may carry besides those. */
static bool session_dae_common_attr(uint8_t t)
{
	return t == RADIUS_NAS_IDENTIFIER || t == RADIUS_NAS_IP_ADDRESS ||
	       t == RADIUS_NAS_IPV6_ADDRESS || t == RADIUS_MESSAGE_AUTHENTICATOR ||
	       t == RADIUS_EVENT_TIMESTAMP || t == RADIUS_PROXY_STATE ||
	       t == RADIUS_STATE || t == RADIUS_REPLY_MESSAGE ||
	       t == RADIUS_ACCT_TERMINATE_CAUSE;
}

/* What a CoA-Request may change. */
static bool session_dae_coa_attr(uint8_t t, const uint8_t *v, size_t n)
{
	if (t == RADIUS_SESSION_TIMEOUT || t == RADIUS_IDLE_TIMEOUT ||
	    t == RADIUS_ACCT_INTERIM_INTERVAL)
		return true;
	/* One vendor attribute: Mikrotik-Rate-Limit. */
	return t == RADIUS_VENDOR_SPECIFIC && n >= 6 && v[0] == 0 && v[1] == 0 &&
	       (v[2] << 8 | v[3]) == RADIUS_VENDOR_MIKROTIK &&
	       v[4] == RADIUS_MIKROTIK_RATE_LIMIT && v[5] == n - 4;
}

static bool session_dae_matches(struct session *s, const uint8_t *req)
{
	char calling[INET6_ADDRSTRLEN];
	const uint8_t *v;
	size_t off = 0, n;
	uint8_t t;

	if (!s->server || s->phase != SP_SSTP || !s->user[0])
		return false;
	session_radius_calling(s, calling, sizeof(calling));
	while (radius_next(req, &off, &t, &v, &n)) {
		const char *want = NULL;
		uint32_t u = n == 4 ? (uint32_t)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3] : 0;

		switch (t) {
		case RADIUS_USER_NAME:
			want = s->user;
			break;
		case RADIUS_ACCT_SESSION_ID:
			want = session_acct_id(s);
			break;
		case RADIUS_CALLING_STATION_ID:
			want = calling;
			break;
		case RADIUS_FRAMED_IP_ADDRESS:
			if (n != 4 || u != s->peer_ip)
				return false;
			continue;
		case RADIUS_NAS_PORT:
			if (n != 4 || u != s->id)
				return false;
			continue;
		default:
			continue;
		}
		if (strlen(want) != n || memcmp(want, v, n))
			return false;
	}
	return true;
}

static void session_dae_coa(struct session *s, const uint8_t *req)
{
	struct session_aaa *a = &s->aaa;
	uint64_t now = loop_now();
	const uint8_t *v;
	uint32_t u;
	size_t n;

	if (!radius_get_u32(req, RADIUS_SESSION_TIMEOUT, &u)) {
		a->session_timeout = u;
		a->session_end = u ? now + u * 1000ull : 0;
		slog(LOG_INFO, s, "CoA: Session-Timeout %u s from now", u);
	}
	if (!radius_get_u32(req, RADIUS_IDLE_TIMEOUT, &u)) {
		a->idle_timeout = u;
		a->idle_since = now;
		slog(LOG_INFO, s, "CoA: Idle-Timeout %u s", u);
	}
	if (!radius_get_u32(req, RADIUS_ACCT_INTERIM_INTERVAL, &u) && u) {
		a->interim = u;
		if (a->acct_started)
			loop_timer_set(s->env->loop, &a->acct_timer, now + u * 1000ull,
				       session_acct_interim);
		slog(LOG_INFO, s, "CoA: Acct-Interim-Interval %u s", u);
	}
	v = radius_find_vsa(req, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT, &n);
	if (v && n < sizeof(a->rate_limit)) {
		memcpy(a->rate_limit, v, n);
		a->rate_limit[n] = 0;
		session_rate_parse(a->rate_limit, &a->rate_rx, &a->rate_tx);
		slog(LOG_INFO, s, "CoA: rate limit %s: %" PRIu64 " bit/s from the "
		     "client, %" PRIu64 " bit/s to it", a->rate_limit, a->rate_rx,
		     a->rate_tx);
		/* Into the guard at once: the live session's policer. */
		if (session_set_rate(s, session_rate_bytes(a->rate_rx), 0))
			slog(LOG_WARNING, s, "CoA: rate limit: %s", s->link->err);
	}
	session_limit_arm(s);
}

uint32_t session_radius_dae(struct session_env *env, const uint8_t *req)
{
	bool coa = req[0] == RADIUS_COA_REQUEST;
	struct session *s, *next;
	unsigned int ids = 0, hits = 0;
	const uint8_t *v;
	size_t off = 0, n;
	uint64_t rx, tx;
	uint8_t t;

	while (radius_next(req, &off, &t, &v, &n)) {
		if (session_dae_id_attr(t))
			ids++;
		else if (!session_dae_common_attr(t) &&
			 !(coa && session_dae_coa_attr(t, v, n)))
			return RADIUS_ERR_UNSUPPORTED_ATTRIBUTE;
	}
	if (!ids)
		return RADIUS_ERR_MISSING_ATTRIBUTE;
	v = radius_find_vsa(req, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT, &n);
	if (v) {
		char text[64];

		if (n >= sizeof(text))
			return RADIUS_ERR_INVALID_ATTRIBUTE_VALUE;
		memcpy(text, v, n);
		text[n] = 0;
		if (session_rate_parse(text, &rx, &tx))
			return RADIUS_ERR_INVALID_ATTRIBUTE_VALUE;
	}
	for (s = env->sessions; s; s = next) {
		next = s->next;
		if (!session_dae_matches(s, req))
			continue;
		hits++;
		if (coa) {
			session_dae_coa(s, req);
			continue;
		}
		s->aaa.term_cause = RADIUS_TERM_ADMIN_RESET;
		session_disconnect(s, "RADIUS Disconnect-Request");
	}
	return hits ? 0 : RADIUS_ERR_SESSION_CONTEXT_NOT_FOUND;
}
