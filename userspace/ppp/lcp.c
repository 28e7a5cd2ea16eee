// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LCP (RFC 1661): how it starts (the server lets the peer speak first), the
 * options we negotiate (MRU, Auth-Protocol, Magic-Number, PFC, ACFC; ACCM
 * is accepted and meaningless here as SSTP carries whole frames), echo,
 * Identification, Protocol-Reject and the keepalive.
 */
#include <errno.h>
#include <string.h>
#include <syslog.h>

#include "ppp/internal.h"

enum {
	LCP_OPT_MRU = 1,
	LCP_OPT_ACCM = 2,
	LCP_OPT_AUTH = 3,
	LCP_OPT_MAGIC = 5,
	LCP_OPT_PFC = 7,
	LCP_OPT_ACFC = 8,
};

enum {
	LCP_PROTO_REJ = 8,
	LCP_ECHO_REQ = 9,
	LCP_ECHO_REP = 10,
	LCP_DISCARD_REQ = 11,
	LCP_IDENTIFICATION = 12,
	LCP_TIME_REMAINING = 13,
};

/* The server's wait for the peer's first LCP frame, by default. */
#define LCP_WAIT_MS	1000

static struct ppp *lcp_ppp(struct fsm *f)
{
	return f->ppp;
}

/*
 * The lower layer is up. A client sends its Configure-Request at once, as
 * Windows does. A server waits for the peer to speak first, as RRAS does
 * (it answers 2 ms after Windows' first request): Windows' RAS drops PPP
 * frames that arrive before it has sent its own first request, so a server
 * that sends first loses its request and waits a restart interval.
 */
void lcp_start(struct ppp *ppp)
{
	struct lcp_state *st = &ppp->lcp_st;

	fsm_open(&ppp->lcp);
	if (ppp->cfg.role != PPP_ROLE_SERVER) {
		fsm_up(&ppp->lcp);
		return;
	}
	fsm_up_passive(&ppp->lcp);
	st->passive = true;
	st->wait_until = ppp->now + (ppp->cfg.lcp_wait_ms ? ppp->cfg.lcp_wait_ms :
				     LCP_WAIT_MS);
}

/* The wait is over: send our Configure-Request, heard or not. */
static void lcp_stop_waiting(struct ppp *ppp)
{
	struct lcp_state *st = &ppp->lcp_st;

	st->passive = false;
	st->wait_until = PPP_NO_DEADLINE;
	st->blind = !st->heard;
	fsm_passive_open(&ppp->lcp);
}

/*
 * Every LCP packet from the peer. The first one ends a server's wait: a
 * Configure-Request is answered with ours and the Ack or Nak (RCR in
 * Stopped), anything else first gets our request out. A server whose wait
 * ran out sent its request blind: if the peer's first packet is a
 * Configure-Request while ours is unanswered, the peer was not listening
 * yet, and ours goes again now rather than after the restart timer. It
 * goes after the answer to the peer's request, which may have changed it
 * (a magic-number collision picks a new one).
 */
int lcp_input(struct ppp *ppp, const uint8_t *pkt, size_t len)
{
	struct lcp_state *st = &ppp->lcp_st;
	bool conf_req = len >= 4 && pkt[0] == FSM_CONF_REQ, resend = false;
	int err;

	if (!st->heard && len >= 4 && ppp_get16(pkt + 2) >= 4 &&
	    ppp_get16(pkt + 2) <= len) {
		st->heard = true;
		if (st->passive && !conf_req) {
			lcp_stop_waiting(ppp);
		} else if (st->passive) {
			st->passive = false;
			st->wait_until = PPP_NO_DEADLINE;
		} else {
			resend = st->blind && conf_req &&
				 ppp->lcp.state == FSM_REQ_SENT;
		}
	}
	err = fsm_input(&ppp->lcp, pkt, len);
	if (resend && !err && !ppp->close_pending &&
	    (ppp->lcp.state == FSM_REQ_SENT || ppp->lcp.state == FSM_ACK_SENT)) {
		ppp_log(ppp, LOG_INFO, "LCP: the peer's first Configure-Request "
			"while ours is unanswered: sending ours again");
		fsm_resend_req(&ppp->lcp);
	}
	return err;
}

/* Best method of a mask, in the configured order of preference. */
enum ppp_auth ppp_auth_best(const struct ppp *ppp, unsigned int mask)
{
	static const enum ppp_auth dflt[] = {
		PPP_AUTH_MSCHAPV2, PPP_AUTH_CHAP_MD5, PPP_AUTH_PAP, PPP_AUTH_EAP,
		PPP_AUTH_NONE,
	};
	const enum ppp_auth *o = ppp->cfg.auth_order[0] ? ppp->cfg.auth_order : dflt;

	for (size_t i = 0; i < 5 && o[i]; i++)
		if (mask & o[i])
			return o[i];
	return PPP_AUTH_NONE;
}

/* Auth-Protocol option body (after type/len) -> method, NONE if unknown. */
static enum ppp_auth lcp_auth_parse(const uint8_t *o)
{
	uint16_t proto = ppp_get16(o + 2);

	if (proto == PPP_PROTO_PAP && o[1] == 4)
		return PPP_AUTH_PAP;
	if (proto == PPP_PROTO_EAP && o[1] == 4)
		return PPP_AUTH_EAP;
	if (proto == PPP_PROTO_CHAP && o[1] == 5) {
		if (o[4] == CHAP_ALG_MD5)
			return PPP_AUTH_CHAP_MD5;
		if (o[4] == CHAP_ALG_MSCHAPV2)
			return PPP_AUTH_MSCHAPV2;
	}
	return PPP_AUTH_NONE;
}

static size_t lcp_auth_put(uint8_t *o, enum ppp_auth m)
{
	o[0] = LCP_OPT_AUTH;
	if (m == PPP_AUTH_PAP || m == PPP_AUTH_EAP) {
		o[1] = 4;
		ppp_put16(o + 2, m == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_EAP);
		return 4;
	}
	o[1] = 5;
	ppp_put16(o + 2, PPP_PROTO_CHAP);
	o[4] = m == PPP_AUTH_MSCHAPV2 ? CHAP_ALG_MSCHAPV2 : CHAP_ALG_MD5;
	return 5;
}

static uint32_t lcp_new_magic(struct ppp *ppp, uint32_t avoid)
{
	uint32_t m = 0;
	int i;

	for (i = 0; i < 8 && (m == 0 || m == avoid); i++)
		if (ppp_random(ppp, &m, sizeof(m)))
			m = 0;
	if (m == 0 || m == avoid)	/* a broken RNG still must not loop */
		m = avoid ^ 0x5a5a5a5au ? avoid ^ 0x5a5a5a5au : 1;
	return m;
}

void lcp_reset_peer(struct ppp *ppp)
{
	struct lcp_state *st = &ppp->lcp_st;

	st->peer_mru = PPP_MRU_DEFAULT;
	st->peer_auth = PPP_AUTH_NONE;
	st->peer_magic = 0;
	st->peer_pfc = st->peer_acfc = false;
}

static void lcp_reset(struct fsm *f)
{
	struct ppp *ppp = lcp_ppp(f);
	struct lcp_state *st = &ppp->lcp_st;

	st->mru = ppp->cfg.mru ? ppp->cfg.mru : PPP_MRU_DEFAULT;
	st->req_mru = st->mru != PPP_MRU_DEFAULT;
	st->auth_tried = 0;
	st->auth = PPP_AUTH_NONE;
	st->req_auth = false;
	if (ppp->cfg.role == PPP_ROLE_SERVER && ppp->cfg.auth) {
		st->auth = ppp_auth_best(ppp, ppp->cfg.auth);
		st->auth_tried = st->auth;
		st->req_auth = true;
	}
	st->magic = lcp_new_magic(ppp, 0);
	st->req_magic = true;
	st->req_pfc = st->req_acfc = ppp->cfg.request_pfc_acfc;
	st->magic_collisions = 0;
	lcp_reset_peer(ppp);
}

static size_t lcp_build_req(struct fsm *f, uint8_t *buf, size_t size)
{
	struct lcp_state *st = &lcp_ppp(f)->lcp_st;
	size_t n = 0;

	(void)size;	/* at most 4 + 5 + 6 + 2 + 2 bytes, far below FSM_OPTS_MAX */
	/* Windows' order: MRU, Magic-Number, PFC, ACFC (a client asks for no
	 * Auth-Protocol). */
	if (st->req_mru) {
		buf[n] = LCP_OPT_MRU;
		buf[n + 1] = 4;
		ppp_put16(buf + n + 2, st->mru);
		n += 4;
	}
	if (st->req_auth)
		n += lcp_auth_put(buf + n, st->auth);
	if (st->req_magic) {
		buf[n] = LCP_OPT_MAGIC;
		buf[n + 1] = 6;
		ppp_put32(buf + n + 2, st->magic);
		n += 6;
	}
	if (st->req_pfc) {
		buf[n] = LCP_OPT_PFC;
		buf[n + 1] = 2;
		n += 2;
	}
	if (st->req_acfc) {
		buf[n] = LCP_OPT_ACFC;
		buf[n + 1] = 2;
		n += 2;
	}
	return n;
}

/* Append an option to a reply being built. */
static void lcp_reply_add(uint8_t *out, size_t *n, const uint8_t *o, size_t len)
{
	if (*n + len > FSM_PKT_MAX)
		return;
	memcpy(out + *n, o, len);
	*n += len;
}

static int lcp_recv_req(struct fsm *f, const uint8_t *opts, size_t len,
			uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ppp *ppp = lcp_ppp(f);
	struct lcp_state *st = &ppp->lcp_st;
	uint8_t nak[FSM_PKT_MAX];
	size_t n_rej = 0, n_nak = 0, off;
	uint16_t mru = PPP_MRU_DEFAULT;
	enum ppp_auth auth = PPP_AUTH_NONE;
	uint32_t magic = 0;
	bool pfc = false, acfc = false;

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;
		uint8_t t[8];
		bool bad = false;	/* wants a Nak */

		switch (o[0]) {
		case LCP_OPT_MRU:
			if (o[1] != 4)
				goto reject;
			mru = ppp_get16(o + 2);
			if (mru < PPP_MRU_MIN) {
				t[0] = LCP_OPT_MRU;
				t[1] = 4;
				ppp_put16(t + 2, PPP_MRU_MIN);
				bad = true;
			}
			break;
		case LCP_OPT_ACCM:
			if (o[1] != 6)
				goto reject;
			break;
		case LCP_OPT_AUTH:
			/* The server does not authenticate itself to anyone. */
			if (ppp->cfg.role == PPP_ROLE_SERVER || !ppp->cfg.auth ||
			    o[1] < 4)
				goto reject;
			auth = lcp_auth_parse(o);
			if (!(auth & ppp->cfg.auth)) {
				ppp_log(ppp, LOG_INFO,
					"LCP: server asks for auth 0x%04x, "
					"suggesting %s", ppp_get16(o + 2),
					ppp_auth_str(ppp_auth_best(ppp, ppp->cfg.auth)));
				lcp_auth_put(t, ppp_auth_best(ppp, ppp->cfg.auth));
				bad = true;
			}
			break;
		case LCP_OPT_MAGIC:
			if (o[1] != 6)
				goto reject;
			magic = ppp_get32(o + 2);
			if (magic == 0 || (st->req_magic && magic == st->magic)) {
				if (magic && ++st->magic_collisions >
						     ppp_max_failure(ppp)) {
					ppp_fail(ppp, PPP_DOWN_LOOPBACK,
						 "LCP: peer keeps sending our "
						 "magic number: looped-back link");
					goto reject;
				}
				/* Both sides pick anew (RFC 1661 6.4). */
				if (magic)
					st->magic = lcp_new_magic(ppp, magic);
				t[0] = LCP_OPT_MAGIC;
				t[1] = 6;
				ppp_put32(t + 2, lcp_new_magic(ppp, st->magic));
				bad = true;
			}
			break;
		case LCP_OPT_PFC:
			if (o[1] != 2)
				goto reject;
			pfc = true;
			break;
		case LCP_OPT_ACFC:
			if (o[1] != 2)
				goto reject;
			acfc = true;
			break;
		default:
			goto reject;
		}
		if (bad) {
			if (!nak_ok)
				goto reject;
			lcp_reply_add(nak, &n_nak, t, t[1]);
		}
		continue;
reject:
		lcp_reply_add(out, &n_rej, o, o[1]);
	}

	if (n_rej) {
		*out_len = n_rej;
		return FSM_CONF_REJ;
	}
	if (n_nak) {
		memcpy(out, nak, n_nak);
		*out_len = n_nak;
		return FSM_CONF_NAK;
	}
	st->peer_mru = mru;
	st->peer_auth = auth;
	st->peer_magic = magic;
	st->peer_pfc = pfc;
	st->peer_acfc = acfc;
	memcpy(out, opts, len);
	*out_len = len;
	return FSM_CONF_ACK;
}

static int lcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp *ppp = lcp_ppp(f);
	struct lcp_state *st = &ppp->lcp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;

		switch (o[0]) {
		case LCP_OPT_MRU:
			if (o[1] != 4 || !st->req_mru)
				break;
			if (ppp_get16(o + 2) >= PPP_MRU_MIN &&
			    ppp_get16(o + 2) <= st->mru) {
				st->mru = ppp_get16(o + 2);
			} else {
				st->mru = PPP_MRU_DEFAULT;
				st->req_mru = false;
			}
			break;
		case LCP_OPT_AUTH: {
			enum ppp_auth want;

			if (!st->req_auth || o[1] < 4)
				break;
			want = lcp_auth_parse(o);
			if (!(want & ppp->cfg.auth) || (want & st->auth_tried))
				want = ppp_auth_best(ppp, ppp->cfg.auth &
						     ~st->auth_tried);
			if (want == PPP_AUTH_NONE) {
				ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
					 "LCP: no authentication method in "
					 "common with the peer");
				return 0;
			}
			ppp_log(ppp, LOG_INFO, "LCP: peer Naks %s, trying %s",
				ppp_auth_str(st->auth), ppp_auth_str(want));
			st->auth = want;
			st->auth_tried |= want;
			break;
		}
		case LCP_OPT_MAGIC:
			if (o[1] != 6 || !st->req_magic)
				break;
			st->magic = lcp_new_magic(ppp, st->magic);
			break;
		default:
			break;
		}
	}
	return 0;
}

static int lcp_recv_rej(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp *ppp = lcp_ppp(f);
	struct lcp_state *st = &ppp->lcp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1]) {
		switch (opts[off]) {
		case LCP_OPT_MRU:
			st->req_mru = false;
			st->mru = PPP_MRU_DEFAULT;
			break;
		case LCP_OPT_AUTH:
			if (st->req_auth) {
				st->req_auth = false;
				ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
					 "LCP: peer refuses to authenticate");
			}
			break;
		case LCP_OPT_MAGIC:
			st->req_magic = false;
			break;
		case LCP_OPT_PFC:
			st->req_pfc = false;
			break;
		case LCP_OPT_ACFC:
			st->req_acfc = false;
			break;
		default:
			break;
		}
	}
	return 0;
}

/* RFC 1570: the magic number, then the text. */
static void lcp_send_identification(struct ppp *ppp)
{
	uint8_t b[4 + PPP_IDENT_MAX];
	size_t n = strlen(ppp->ident);

	ppp_put32(b, ppp->lcp_st.req_magic ? ppp->lcp_st.magic : 0);
	memcpy(b + 4, ppp->ident, n);
	ppp_send_ctl(ppp, PPP_PROTO_LCP, LCP_IDENTIFICATION, ppp->lcp.next_id++, b,
		     4 + n);
}

/*
 * What the peer says it is: Windows sends "MSRASV5.20",
 * "MSRAS-0-<computer name>" and its SSTPCORRELATIONID as 16 bytes in
 * Windows' GUID layout (the first three fields little-endian), shown here
 * as the GUID the HTTP request carried.
 */
static void lcp_log_identification(struct ppp *ppp, const uint8_t *data,
				   size_t len)
{
	char text[PPP_IDENT_MAX + 1];
	const uint8_t *g = data + 4;
	size_t i;

	if (len < 4)
		return;
	len -= 4;
	for (i = 0; i < len && g[i] >= 0x20 && g[i] < 0x7f; i++)
		;
	if (len == 16 && i < len) {
		ppp_log(ppp, LOG_INFO, "LCP: peer identification {%02X%02X%02X%02X-"
			"%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
			g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9],
			g[10], g[11], g[12], g[13], g[14], g[15]);
		return;
	}
	ppp_printable(text, sizeof(text), g, len);
	ppp_log(ppp, LOG_INFO, "LCP: peer identification '%s'", text);
}

static void lcp_up(struct fsm *f)
{
	struct ppp *ppp = lcp_ppp(f);

	if (ppp->ident[0])
		lcp_send_identification(ppp);
	ppp->lcp_st.echo_pending = 0;
	ppp->lcp_st.echo_at = ppp->cfg.echo_interval_ms ?
			      ppp->now + ppp->cfg.echo_interval_ms :
			      PPP_NO_DEADLINE;
	ppp_lcp_opened(ppp);
}

static void lcp_down(struct fsm *f)
{
	struct ppp *ppp = lcp_ppp(f);

	ppp->lcp_st.echo_at = PPP_NO_DEADLINE;
	ppp_lcp_closed(ppp);
}

static void lcp_finished(struct fsm *f)
{
	/* The lower layer (the SSTP session) is not ours to restart. */
	ppp_die(lcp_ppp(f));
}

static void lcp_protocol_rejected(struct ppp *ppp, uint16_t proto)
{
	ppp_log(ppp, LOG_INFO, "LCP: peer rejected protocol 0x%04x", proto);
	switch (proto) {
	case PPP_PROTO_IPCP:
		fsm_protocol_rejected(&ppp->ipcp);
		break;
	case PPP_PROTO_IPV6CP:
		fsm_protocol_rejected(&ppp->ipv6cp);
		break;
	case PPP_PROTO_LCP:
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
		ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
			 "peer rejected protocol 0x%04x", proto);
		break;
	default:
		break;
	}
}

static int lcp_extcode(struct fsm *f, uint8_t code, uint8_t id,
		       const uint8_t *data, size_t len)
{
	struct ppp *ppp = lcp_ppp(f);
	uint8_t rep[FSM_PKT_MAX];

	switch (code) {
	case LCP_PROTO_REJ:
		if (f->state == FSM_OPENED && len >= 2)
			lcp_protocol_rejected(ppp, ppp_get16(data));
		return 0;
	case LCP_ECHO_REQ:
		if (f->state != FSM_OPENED || len < 4)
			return 0;
		/* Our own magic coming back means a loop, not a peer. */
		if (ppp->lcp_st.req_magic && ppp_get32(data) == ppp->lcp_st.magic &&
		    ppp->lcp_st.magic) {
			ppp_log(ppp, LOG_NOTICE, "LCP: echo carries our magic");
			return 0;
		}
		ppp_put32(rep, ppp->lcp_st.req_magic ? ppp->lcp_st.magic : 0);
		memcpy(rep + 4, data + 4, len - 4);
		ppp_send_ctl(ppp, PPP_PROTO_LCP, LCP_ECHO_REP, id, rep, len);
		return 0;
	case LCP_ECHO_REP:
		ppp->lcp_st.echo_pending = 0;
		return 0;
	case LCP_IDENTIFICATION:	/* RFC 1570: Windows sends three */
		if (f->state == FSM_OPENED)
			lcp_log_identification(ppp, data, len);
		return 0;
	case LCP_DISCARD_REQ:
	case LCP_TIME_REMAINING:
		return 0;
	default:
		return -1;
	}
}

static bool lcp_code_rej_ok(uint8_t code)
{
	return code >= LCP_PROTO_REJ && code <= LCP_TIME_REMAINING;
}

const struct fsm_ops lcp_ops = {
	.proto = PPP_PROTO_LCP,
	.name = "LCP",
	.reset = lcp_reset,
	.build_req = lcp_build_req,
	.recv_req = lcp_recv_req,
	.recv_nak = lcp_recv_nak,
	.recv_rej = lcp_recv_rej,
	.up = lcp_up,
	.down = lcp_down,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
	.code_rej_ok = lcp_code_rej_ok,
};

void lcp_send_protocol_reject(struct ppp *ppp, uint16_t proto,
			      const uint8_t *info, size_t len)
{
	uint8_t buf[FSM_PKT_MAX];
	size_t max = ppp->lcp_st.peer_mru;

	if (ppp->lcp.state != FSM_OPENED)
		return;
	/* The whole LCP packet must fit the peer's MRU. */
	if (max > sizeof(buf))
		max = sizeof(buf);
	if (len > max - 4 - 2)
		len = max - 4 - 2;
	ppp_put16(buf, proto);
	memcpy(buf + 2, info, len);
	ppp_log(ppp, LOG_INFO, "LCP: rejecting protocol 0x%04x", proto);
	ppp_send_ctl(ppp, PPP_PROTO_LCP, LCP_PROTO_REJ, ppp->lcp.next_id++,
		     buf, len + 2);
}

uint64_t lcp_deadline(const struct ppp *ppp)
{
	if (ppp->lcp_st.passive)
		return ppp->lcp_st.wait_until;
	return ppp->lcp.state == FSM_OPENED ? ppp->lcp_st.echo_at :
					      PPP_NO_DEADLINE;
}

void lcp_timer(struct ppp *ppp)
{
	struct lcp_state *st = &ppp->lcp_st;
	uint8_t magic[4];

	if (st->passive && st->wait_until <= ppp->now) {
		ppp_log(ppp, LOG_INFO, "LCP: nothing from the peer in %u ms: "
			"sending our Configure-Request first",
			ppp->cfg.lcp_wait_ms ? ppp->cfg.lcp_wait_ms : LCP_WAIT_MS);
		lcp_stop_waiting(ppp);
		return;
	}
	if (ppp->lcp.state != FSM_OPENED || st->echo_at > ppp->now)
		return;
	if (st->echo_pending >= (ppp->cfg.echo_max_fail ?
				 ppp->cfg.echo_max_fail : 3)) {
		/* The peer is gone: no point in a Terminate handshake. */
		ppp_set_reason(ppp, PPP_DOWN_ECHO_TIMEOUT,
			       "no reply to LCP Echo-Request");
		ppp_die(ppp);
		return;
	}
	ppp_put32(magic, st->req_magic ? st->magic : 0);
	ppp_send_ctl(ppp, PPP_PROTO_LCP, LCP_ECHO_REQ, st->echo_id++, magic, 4);
	st->echo_pending++;
	st->echo_at = ppp->now + ppp->cfg.echo_interval_ms;
}
