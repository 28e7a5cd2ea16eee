// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PPP engine: phases (RFC 1661 3.2), frame parsing and dispatch,
 * timers, and the glue between LCP, authentication and the NCPs.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ppp/internal.h"

static const char *const ppp_down_names[] = {
	[PPP_DOWN_CLOSED] = "closed",
	[PPP_DOWN_PEER_TERMINATED] = "terminated by peer",
	[PPP_DOWN_NEGOTIATION] = "negotiation failed",
	[PPP_DOWN_AUTH_FAILED] = "authentication failed",
	[PPP_DOWN_AUTH_TIMEOUT] = "authentication timed out",
	[PPP_DOWN_ECHO_TIMEOUT] = "peer stopped answering LCP echo",
	[PPP_DOWN_LOOPBACK] = "looped-back link",
	[PPP_DOWN_REJECTED] = "peer refused by policy",
};

const char *ppp_down_reason_str(enum ppp_down_reason reason)
{
	if ((unsigned int)reason < sizeof(ppp_down_names) / sizeof(ppp_down_names[0]))
		return ppp_down_names[reason];
	return "unknown";
}

const char *ppp_auth_str(enum ppp_auth method)
{
	switch (method) {
	case PPP_AUTH_NONE:
		return "none";
	case PPP_AUTH_PAP:
		return "PAP";
	case PPP_AUTH_CHAP_MD5:
		return "CHAP-MD5";
	case PPP_AUTH_MSCHAPV2:
		return "MS-CHAPv2";
	case PPP_AUTH_EAP:
		return "EAP";
	}
	return "?";
}

uint32_t ppp_restart_ms(const struct ppp *ppp)
{
	return ppp->cfg.restart_ms ? ppp->cfg.restart_ms : 3000;
}

unsigned int ppp_max_configure(const struct ppp *ppp)
{
	return ppp->cfg.max_configure ? ppp->cfg.max_configure : 10;
}

unsigned int ppp_max_terminate(const struct ppp *ppp)
{
	return ppp->cfg.max_terminate ? ppp->cfg.max_terminate : 2;
}

unsigned int ppp_max_failure(const struct ppp *ppp)
{
	return ppp->cfg.max_failure ? ppp->cfg.max_failure : 5;
}

void ppp_log(struct ppp *ppp, int prio, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!ppp->cb.log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ppp->cb.log(ppp->ctx, prio, msg);
}

int ppp_random(struct ppp *ppp, void *buf, size_t len)
{
	if (ppp->cb.random)
		return ppp->cb.random(ppp->ctx, buf, len);
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

void ppp_send_frame(struct ppp *ppp, const uint8_t *frame, size_t len)
{
	if (ppp->dead)
		return;
	ppp->cb.send(ppp->ctx, frame, len);
}

void ppp_send_ctl(struct ppp *ppp, uint16_t proto, uint8_t code, uint8_t id,
		  const uint8_t *data, size_t len)
{
	uint8_t buf[PPP_HDR_LEN + 4 + FSM_PKT_MAX];

	if (len > FSM_PKT_MAX)
		len = FSM_PKT_MAX;
	buf[0] = PPP_ADDRESS_ALL;
	buf[1] = PPP_CONTROL_UI;
	ppp_put16(buf + 2, proto);
	buf[4] = code;
	buf[5] = id;
	ppp_put16(buf + 6, (uint16_t)(len + 4));
	if (len)
		memcpy(buf + 8, data, len);
	ppp_send_frame(ppp, buf, len + 8);
}

void ppp_auth_send(struct ppp *ppp, uint16_t proto, uint8_t code, uint8_t id,
		   const uint8_t *data, size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint8_t *b = a->last;

	if (PPP_HDR_LEN + 4 + len > sizeof(a->last))
		len = sizeof(a->last) - PPP_HDR_LEN - 4;
	b[0] = PPP_ADDRESS_ALL;
	b[1] = PPP_CONTROL_UI;
	ppp_put16(b + 2, proto);
	b[4] = code;
	b[5] = id;
	ppp_put16(b + 6, (uint16_t)(len + 4));
	if (len)
		memcpy(b + 8, data, len);
	a->last_len = PPP_HDR_LEN + 4 + len;
	a->have_last = true;
	ppp_send_frame(ppp, b, a->last_len);
}

void ppp_auth_resend(struct ppp *ppp)
{
	if (ppp->auth.have_last)
		ppp_send_frame(ppp, ppp->auth.last, ppp->auth.last_len);
}

bool ppp_auth_hold(struct ppp *ppp, const char *name, const uint8_t *pkt,
		   size_t len)
{
	struct auth_state *a = &ppp->auth;
	uint32_t ms = 0;

	if (a->releasing)
		return false;		/* its time has come */
	a->refuse = false;
	if (ppp->cb.auth_hold)
		ms = ppp->cb.auth_hold(ppp->ctx, name, &a->refuse);
	if (!ms)
		return false;
	memcpy(a->held, pkt, len);
	a->held_len = len;
	a->check_at = ppp->now + ms;
	ppp_log(ppp, LOG_DEBUG, "%s: credential held %u ms before its check",
		ppp_auth_str(a->method), ms);
	return true;
}

bool ppp_auth_locked(struct ppp *ppp, const char *name)
{
	bool refuse = false;

	if (ppp->cb.auth_hold)
		ppp->cb.auth_hold(ppp->ctx, name, &refuse);
	return refuse;
}

/* The held credential is due: check it, through the protocol's input. */
static void ppp_auth_release(struct ppp *ppp)
{
	struct auth_state *a = &ppp->auth;
	uint8_t pkt[sizeof(a->held)];
	size_t len = a->held_len;

	a->check_at = PPP_NO_DEADLINE;
	if (!len)
		return;
	memcpy(pkt, a->held, len);
	a->held_len = 0;
	a->releasing = true;
	if (a->method == PPP_AUTH_PAP)
		pap_input(ppp, pkt, len);
	else if (a->method == PPP_AUTH_EAP)
		eap_input(ppp, pkt, len);
	else
		chap_input(ppp, pkt, len);
	a->releasing = false;
	OPENSSL_cleanse(pkt, sizeof(pkt));
}

size_t ppp_auth_secret(struct ppp *ppp, const char *name, uint8_t *secret,
		       size_t size, bool *known)
{
	struct auth_state *a = &ppp->auth;
	static const char hex[] = "0123456789abcdef";
	uint8_t raw[sizeof(a->dummy) / 2];
	int sl;
	size_t i;

	sl = ppp->cb.get_secret(ppp->ctx, name, secret, size);
	*known = sl >= 0;
	if (*known)
		return (size_t)sl;
	/* Printable, so that MS-CHAPv2 takes it as a password (UTF-8). */
	if (!a->have_dummy) {
		if (ppp_random(ppp, raw, sizeof(raw)))
			memset(raw, 0x5a, sizeof(raw));
		for (i = 0; i < sizeof(raw); i++) {
			a->dummy[2 * i] = (uint8_t)hex[raw[i] >> 4];
			a->dummy[2 * i + 1] = (uint8_t)hex[raw[i] & 15];
		}
		a->have_dummy = true;
	}
	i = sizeof(a->dummy) < size ? sizeof(a->dummy) : size;
	memcpy(secret, a->dummy, i);
	return i;
}

void ppp_auth_refused(struct ppp *ppp, const char *what, const char *why)
{
	struct auth_state *a = &ppp->auth;

	if (a->refuse)
		why = "locked out";
	if (ppp->cb.auth_failed)
		ppp->cb.auth_failed(ppp->ctx, a->method, a->peer_name, why);
	ppp_fail(ppp, PPP_DOWN_AUTH_FAILED, "%s: %s", what, why);
}

void ppp_printable(char *dst, size_t size, const uint8_t *src, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++)
		dst[n++] = src[i] >= 0x20 && src[i] < 0x7f ? (char)src[i] : '?';
	dst[n] = '\0';
}

int ppp_opts_check(const uint8_t *opts, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 2 || opts[off + 1] < 2 ||
		    opts[off + 1] > len - off)
			return -EINVAL;
		off += opts[off + 1];
	}
	return 0;
}

void ppp_set_reason(struct ppp *ppp, enum ppp_down_reason reason,
		    const char *text)
{
	if (ppp->reason_set)
		return;
	ppp->reason_set = true;
	ppp->reason = reason;
	snprintf(ppp->reason_text, sizeof(ppp->reason_text), "%s", text);
}

void ppp_fail(struct ppp *ppp, enum ppp_down_reason reason,
	      const char *fmt, ...)
{
	char text[sizeof(ppp->reason_text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ppp_log(ppp, LOG_NOTICE, "%s", text);
	ppp_set_reason(ppp, reason, text);
	ppp->close_pending = true;
}

void ppp_die(struct ppp *ppp)
{
	if (ppp->dead)
		return;
	if (!ppp->reason_set)
		ppp_set_reason(ppp, PPP_DOWN_NEGOTIATION,
			       "LCP negotiation failed");
	ppp->phase = PPP_PHASE_DEAD;
	ppp->dead = true;
	ppp_log(ppp, LOG_INFO, "link down: %s: %s",
		ppp_down_reason_str(ppp->reason), ppp->reason_text);
	ppp->cb.link_down(ppp->ctx, ppp->reason, ppp->reason_text);
}

/* Run a failure recorded during the event just processed. */
static void ppp_settle(struct ppp *ppp)
{
	if (ppp->dead || !ppp->close_pending)
		return;
	ppp->close_pending = false;
	ppp->phase = PPP_PHASE_TERMINATE;
	fsm_close(&ppp->lcp);
	/* If LCP had nothing to terminate (never got going), it is over. */
	if (ppp->lcp.state == FSM_INITIAL || ppp->lcp.state == FSM_CLOSED ||
	    ppp->lcp.state == FSM_STOPPED)
		ppp_die(ppp);
}

int ppp_new(const struct ppp_config *cfg, const struct ppp_callbacks *cb,
	    void *ctx, struct ppp **out)
{
	struct ppp *ppp;
	size_t n;

	if (!cfg || !cb || !cb->send || !cb->link_down || !out)
		return -EINVAL;
	if (cfg->auth & ~(unsigned int)PPP_AUTH_ALL)
		return -EINVAL;
	if (cfg->role == PPP_ROLE_CLIENT) {
		if (cfg->auth && (!cfg->name || !cfg->password))
			return -EINVAL;
	} else if (cfg->role == PPP_ROLE_SERVER) {
		if (cfg->auth && !cb->get_secret && !cb->verify)
			return -EINVAL;
		if (cfg->ipv4 && !cfg->ipv4_local.s_addr)
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	if (cfg->mru && cfg->mru < PPP_MRU_MIN)
		return -EINVAL;
	if (cfg->name && strlen(cfg->name) > PPP_NAME_MAX)
		return -EINVAL;
	if (cfg->password && strlen(cfg->password) > PPP_SECRET_MAX)
		return -EINVAL;

	ppp = calloc(1, sizeof(*ppp));
	if (!ppp)
		return -ENOMEM;
	ppp->cfg = *cfg;
	ppp->cb = *cb;
	ppp->ctx = ctx;
	snprintf(ppp->name, sizeof(ppp->name), "%s",
		 cfg->name ? cfg->name :
		 cfg->role == PPP_ROLE_SERVER ? "sstpd" : "");
	snprintf(ppp->ident, sizeof(ppp->ident), "%s", cfg->ident ? cfg->ident : "");
	if (cfg->password) {
		n = strlen(cfg->password);
		memcpy(ppp->password, cfg->password, n);
		ppp->password_len = n;
	}
	ppp->cfg.name = NULL;
	ppp->cfg.password = NULL;
	ppp->cfg.ident = NULL;
	ppp->phase = PPP_PHASE_DEAD;
	fsm_init(&ppp->lcp, &lcp_ops, ppp);
	fsm_init(&ppp->ipcp, &ipcp_ops, ppp);
	fsm_init(&ppp->ipv6cp, &ipv6cp_ops, ppp);
	lcp_reset_peer(ppp);
	ppp->auth.retry_at = PPP_NO_DEADLINE;
	ppp->auth.give_up_at = PPP_NO_DEADLINE;
	ppp->auth.check_at = PPP_NO_DEADLINE;
	ppp->lcp_st.echo_at = PPP_NO_DEADLINE;
	ppp->lcp_st.wait_until = PPP_NO_DEADLINE;
	*out = ppp;
	return 0;
}

void ppp_free(struct ppp *ppp)
{
	if (!ppp)
		return;
	eap_tls_free(ppp);
	OPENSSL_cleanse(ppp, sizeof(*ppp));
	free(ppp);
}

void ppp_start(struct ppp *ppp, uint64_t now)
{
	if (ppp->started || ppp->dead)
		return;
	ppp->now = now;
	ppp->started = true;
	ppp->phase = PPP_PHASE_ESTABLISH;
	lcp_start(ppp);
	ppp_settle(ppp);
}

void ppp_close(struct ppp *ppp, const char *text, uint64_t now)
{
	if (ppp->dead)
		return;
	ppp->now = now;
	ppp_log(ppp, LOG_INFO, "closing: %s", text ? text : "");
	ppp_set_reason(ppp, PPP_DOWN_CLOSED, text ? text : "closed");
	ppp->close_pending = true;
	ppp_settle(ppp);
}

void ppp_set_ipv4(struct ppp *ppp, struct in_addr local, struct in_addr peer)
{
	ppp->cfg.ipv4_local = local;
	ppp->cfg.ipv4_peer = peer;
}

static int ppp_ncp_fsm(struct ppp *ppp, uint16_t proto, struct fsm **f)
{
	bool enabled;

	if (proto == PPP_PROTO_IPCP) {
		*f = &ppp->ipcp;
		enabled = ppp->cfg.ipv4;
	} else if (proto == PPP_PROTO_IPV6CP) {
		*f = &ppp->ipv6cp;
		enabled = ppp->cfg.ipv6;
	} else {
		return -EINVAL;
	}
	if (!enabled)
		return -EOPNOTSUPP;
	if (ppp->dead || ppp->phase != PPP_PHASE_NETWORK)
		return -ENOTCONN;
	return 0;
}

int ppp_ncp_close(struct ppp *ppp, uint16_t proto, uint64_t now)
{
	struct fsm *f;
	int err;

	err = ppp_ncp_fsm(ppp, proto, &f);
	if (err)
		return err;
	ppp->now = now;
	ppp_log(ppp, LOG_INFO, "%s: closing by request", f->ops->name);
	fsm_close(f);
	ppp_settle(ppp);
	return 0;
}

int ppp_ncp_open(struct ppp *ppp, uint16_t proto, uint64_t now)
{
	struct fsm *f;
	int err;

	err = ppp_ncp_fsm(ppp, proto, &f);
	if (err)
		return err;
	ppp->now = now;
	ppp_log(ppp, LOG_INFO, "%s: opening by request", f->ops->name);
	/* Stopped (the peer terminated it, or it gave up) ignores an Open:
	 * RFC 1661's restart option is Close then Open, from Closed. */
	if (f->state == FSM_STOPPED)
		fsm_close(f);
	fsm_open(f);
	ppp_settle(ppp);
	return 0;
}

int ppp_auth_verdict(struct ppp *ppp, const struct ppp_auth_verdict *v,
		     uint64_t now)
{
	struct auth_state *a = &ppp->auth;

	if (ppp->dead || !a->pending || ppp->phase != PPP_PHASE_AUTHENTICATE)
		return -EALREADY;
	ppp->now = now;
	a->pending = false;
	if (a->method == PPP_AUTH_PAP)
		pap_verdict(ppp, v);
	else if (a->method == PPP_AUTH_EAP)
		eap_verdict(ppp, v);
	else
		chap_verdict(ppp, v);
	ppp_settle(ppp);
	return 0;
}

enum ppp_phase ppp_phase(const struct ppp *ppp)
{
	return ppp->phase;
}

uint16_t ppp_peer_mru(const struct ppp *ppp)
{
	return ppp->lcp_st.peer_mru;
}

bool ppp_ipv4_is_up(const struct ppp *ppp)
{
	return !ppp->dead && ppp->ipv4_open;
}

bool ppp_ipv6_is_up(const struct ppp *ppp)
{
	return !ppp->dead && ppp->ipv6_open;
}

int ppp_ip_header(uint8_t hdr[PPP_IP_HDR_LEN], const uint8_t *pkt, size_t len)
{
	uint16_t proto;

	if (len < 1)
		return -EINVAL;
	switch (pkt[0] >> 4) {
	case 4:
		proto = PPP_PROTO_IPV4;
		break;
	case 6:
		proto = PPP_PROTO_IPV6;
		break;
	default:
		return -EINVAL;
	}
	hdr[0] = PPP_ADDRESS_ALL;
	hdr[1] = PPP_CONTROL_UI;
	ppp_put16(hdr + 2, proto);
	return PPP_IP_HDR_LEN;
}

/* ---- phase changes, called by the protocol files ---- */

void ppp_lcp_opened(struct ppp *ppp)
{
	enum ppp_auth m;

	m = ppp->cfg.role == PPP_ROLE_SERVER ?
	    (ppp->lcp_st.req_auth ? ppp->lcp_st.auth : PPP_AUTH_NONE) :
	    ppp->lcp_st.peer_auth;
	if (ppp->cfg.role == PPP_ROLE_SERVER && ppp->cfg.auth && !m) {
		ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
			 "peer refused to authenticate");
		return;
	}
	eap_tls_free(ppp);
	memset(&ppp->auth, 0, sizeof(ppp->auth));
	ppp->auth.method = m;
	ppp->auth.retry_at = PPP_NO_DEADLINE;
	ppp->auth.give_up_at = PPP_NO_DEADLINE;
	ppp->auth.check_at = PPP_NO_DEADLINE;
	ppp_log(ppp, LOG_INFO, "LCP up, authentication: %s", ppp_auth_str(m));
	if (m == PPP_AUTH_NONE) {
		if (ppp_auth_report(ppp) == 0)
			ppp_network_start(ppp);
		return;
	}
	ppp->phase = PPP_PHASE_AUTHENTICATE;
	ppp->auth.give_up_at = ppp->now + (ppp->cfg.auth_timeout_ms ?
					   ppp->cfg.auth_timeout_ms : 30000);
	if (m == PPP_AUTH_PAP)
		pap_start(ppp);
	else if (m == PPP_AUTH_EAP)
		eap_start(ppp);
	else
		chap_start(ppp);
}

void ppp_lcp_closed(struct ppp *ppp)
{
	/*
	 * LCP left Opened. Everything above it goes down with it, silently:
	 * the NCPs see their lower layer go (no Terminate-Requests of their
	 * own, LCP's covers them).
	 */
	ppp->phase = PPP_PHASE_TERMINATE;
	fsm_down(&ppp->ipcp);
	fsm_close(&ppp->ipcp);
	fsm_down(&ppp->ipv6cp);
	fsm_close(&ppp->ipv6cp);
	ppp->auth.retry_at = PPP_NO_DEADLINE;
	ppp->auth.give_up_at = PPP_NO_DEADLINE;
	ppp->auth.check_at = PPP_NO_DEADLINE;
	ppp->auth.held_len = 0;
	if (ppp->lcp.state == FSM_CLOSING || ppp->lcp.state == FSM_STOPPING) {
		if (ppp->lcp.state == FSM_STOPPING)
			ppp_set_reason(ppp, PPP_DOWN_PEER_TERMINATED,
				       "peer sent LCP Terminate-Request");
		return;
	}
	/*
	 * The peer renegotiates LCP on an open link. That would mean
	 * authenticating again and rebuilding the network layer under a
	 * running SSTP session; no SSTP peer does it, so we end the link.
	 */
	ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
		 "peer renegotiated LCP on an open link");
}

int ppp_auth_report(struct ppp *ppp)
{
	struct ppp_auth_info info;
	struct auth_state *a = &ppp->auth;
	int err = 0;

	memset(&info, 0, sizeof(info));
	info.method = a->method;
	info.peer_name = a->peer_name;
	info.eap_type = a->method == PPP_AUTH_EAP ? a->eap_type : PPP_EAP_NONE;
	/* EAP-MSCHAPv2's MSK: the MS-CHAPv2 master keys, server receive ||
	 * server send (= client send || client receive), then zeros. */
	if (a->method == PPP_AUTH_EAP && a->have_keys && !a->have_msk) {
		bool srv = ppp->cfg.role == PPP_ROLE_SERVER;

		memset(a->msk, 0, sizeof(a->msk));
		memcpy(a->msk, srv ? a->recv_key : a->send_key, PPP_MPPE_KEY_LEN);
		memcpy(a->msk + 16, srv ? a->send_key : a->recv_key, PPP_MPPE_KEY_LEN);
		a->have_msk = true;
	}
	if (a->have_msk) {
		info.has_msk = true;
		memcpy(info.msk, a->msk, PPP_MSK_LEN);
		memcpy(info.hlak, a->msk, PPP_HLAK_LEN);
	}
	if (a->have_keys) {
		info.has_keys = true;
		memcpy(info.send_key, a->send_key, PPP_MPPE_KEY_LEN);
		memcpy(info.recv_key, a->recv_key, PPP_MPPE_KEY_LEN);
		/* HLAK = client send || client recv, whichever side we are
		 * (with an MSK it is already set: the same bytes for
		 * EAP-MSCHAPv2). */
		if (!a->have_msk && ppp->cfg.role == PPP_ROLE_CLIENT) {
			memcpy(info.hlak, a->send_key, PPP_MPPE_KEY_LEN);
			memcpy(info.hlak + 16, a->recv_key, PPP_MPPE_KEY_LEN);
		} else if (!a->have_msk) {
			memcpy(info.hlak, a->recv_key, PPP_MPPE_KEY_LEN);
			memcpy(info.hlak + 16, a->send_key, PPP_MPPE_KEY_LEN);
		}
	}
	if (ppp->cb.auth && !ppp->dead)
		err = ppp->cb.auth(ppp->ctx, &info);
	OPENSSL_cleanse(&info, sizeof(info));
	if (err) {
		ppp_fail(ppp, PPP_DOWN_REJECTED, "%s: the peer was refused after "
			 "authenticating (error %d)", ppp_auth_str(a->method), err);
		return err;
	}
	a->done = true;
	a->retry_at = PPP_NO_DEADLINE;
	a->give_up_at = PPP_NO_DEADLINE;
	ppp_log(ppp, LOG_INFO, "authenticated (%s)", ppp_auth_str(a->method));
	return 0;
}

void ppp_network_start(struct ppp *ppp)
{
	if (ppp->dead || ppp->phase == PPP_PHASE_NETWORK)
		return;
	ppp->phase = PPP_PHASE_NETWORK;
	if (!ppp->cfg.ipv4 && !ppp->cfg.ipv6) {
		ppp_fail(ppp, PPP_DOWN_NEGOTIATION, "no network protocol enabled");
		return;
	}
	if (ppp->cfg.ipv4) {
		fsm_open(&ppp->ipcp);
		fsm_up(&ppp->ipcp);
	} else {
		ppp->ipv4_dead = true;
	}
	if (ppp->cfg.ipv6) {
		fsm_open(&ppp->ipv6cp);
		fsm_up(&ppp->ipv6cp);
	} else {
		ppp->ipv6_dead = true;
	}
}

void ppp_ncp_opened(struct ppp *ppp, struct fsm *f)
{
	if (ppp->dead)
		return;
	if (f == &ppp->ipcp) {
		struct ppp_ipv4_info info = {
			.local = ppp->ipcp_st.addr,
			.peer = ppp->ipcp_st.peer,
			.mtu = ppp->lcp_st.peer_mru,
		};

		if (ppp->cfg.role == PPP_ROLE_CLIENT) {
			info.dns[0] = ppp->ipcp_st.dns_req[0];
			info.dns[1] = ppp->ipcp_st.dns_req[1];
		} else {
			for (int i = 0; i < 2; i++)
				if (ppp->ipcp_st.dns_given[i])
					info.dns[i] = ppp->cfg.dns[i];
		}
		ppp->ipv4_open = true;
		/* Renegotiated after it had finished: it counts again. */
		ppp->ipv4_dead = false;
		ppp_log(ppp, LOG_INFO, "IPCP up");
		if (ppp->cb.ipv4_up)
			ppp->cb.ipv4_up(ppp->ctx, &info);
	} else {
		struct ppp_ipv6_info info = { .mtu = ppp->lcp_st.peer_mru };

		memcpy(info.local_id, ppp->ipv6cp_st.id, 8);
		memcpy(info.peer_id, ppp->ipv6cp_st.peer_id, 8);
		ppp->ipv6_open = true;
		ppp->ipv6_dead = false;
		ppp_log(ppp, LOG_INFO, "IPV6CP up");
		if (ppp->cb.ipv6_up)
			ppp->cb.ipv6_up(ppp->ctx, &info);
	}
}

void ppp_ncp_left_open(struct ppp *ppp, struct fsm *f)
{
	bool *open = f == &ppp->ipcp ? &ppp->ipv4_open : &ppp->ipv6_open;

	if (!*open)
		return;
	*open = false;
	ppp_log(ppp, LOG_INFO, "%s down", f->ops->name);
	if (ppp->cb.ncp_down && !ppp->dead)
		ppp->cb.ncp_down(ppp->ctx, f->ops->proto);
}

void ppp_ncp_finished(struct ppp *ppp, struct fsm *f)
{
	/* An NCP gave up (retries exhausted, or the peer rejected it). The
	 * link is useless once no NCP is open or can still open. */
	if (f == &ppp->ipcp)
		ppp->ipv4_dead = true;
	else
		ppp->ipv6_dead = true;
	if (ppp->phase != PPP_PHASE_NETWORK)
		return;
	if (ppp->ipv4_dead && ppp->ipv6_dead)
		ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
			 "no network protocol could be negotiated");
}

/* ---- input ---- */

static void ppp_auth_dispatch(struct ppp *ppp, uint16_t proto,
			      const uint8_t *p, size_t len)
{
	enum ppp_auth m = ppp->auth.method;

	if (ppp->phase != PPP_PHASE_AUTHENTICATE &&
	    ppp->phase != PPP_PHASE_NETWORK)
		return;
	if (proto == PPP_PROTO_PAP && m == PPP_AUTH_PAP)
		pap_input(ppp, p, len);
	else if (proto == PPP_PROTO_CHAP &&
		 (m == PPP_AUTH_CHAP_MD5 || m == PPP_AUTH_MSCHAPV2))
		chap_input(ppp, p, len);
	else if (proto == PPP_PROTO_EAP && m == PPP_AUTH_EAP)
		eap_input(ppp, p, len);
	else
		ppp_log(ppp, LOG_DEBUG, "auth packet 0x%04x not negotiated",
			proto);
}

static void ppp_ncp_dispatch(struct ppp *ppp, struct fsm *f, bool enabled,
			     const uint8_t *p, size_t len)
{
	if (!enabled) {
		lcp_send_protocol_reject(ppp, f->ops->proto, p, len);
		return;
	}
	/* RFC 1661: NCP packets before the Network phase are discarded. */
	if (ppp->phase != PPP_PHASE_NETWORK)
		return;
	if (fsm_input(f, p, len))
		ppp_log(ppp, LOG_NOTICE, "%s: malformed packet dropped",
			f->ops->name);
}

int ppp_input(struct ppp *ppp, const uint8_t *frame, size_t len, uint64_t now)
{
	const uint8_t *p;
	uint16_t proto;
	int hlen, err = 0;

	if (ppp->dead || !ppp->started)
		return 0;
	ppp->now = now;

	/* FF 03 or not, the protocol compressed or not (shared with sstp.ko). */
	hlen = sstp_proto_ppp_hdr(frame, (unsigned int)len, &proto);
	if (hlen < 0)
		return -EINVAL;
	p = frame + hlen;
	len -= (size_t)hlen;

	switch (proto) {
	case PPP_PROTO_LCP:
		err = lcp_input(ppp, p, len);
		break;
	case PPP_PROTO_PAP:
	case PPP_PROTO_CHAP:
	case PPP_PROTO_EAP:
		if (ppp->lcp.state == FSM_OPENED)
			ppp_auth_dispatch(ppp, proto, p, len);
		break;
	case PPP_PROTO_IPCP:
		if (ppp->lcp.state == FSM_OPENED)
			ppp_ncp_dispatch(ppp, &ppp->ipcp, ppp->cfg.ipv4,
					 p, len);
		break;
	case PPP_PROTO_IPV6CP:
		if (ppp->lcp.state == FSM_OPENED)
			ppp_ncp_dispatch(ppp, &ppp->ipv6cp, ppp->cfg.ipv6,
					 p, len);
		break;
	case PPP_PROTO_IPV4:
		if (ppp->ipv4_open && ppp->cb.data)
			ppp->cb.data(ppp->ctx, proto, p, len);
		break;
	case PPP_PROTO_IPV6:
		if (ppp->ipv6_open && ppp->cb.data)
			ppp->cb.data(ppp->ctx, proto, p, len);
		break;
	default:
		/* RFC 1661 5.7: only in Opened, for anything we do not do. */
		if (ppp->lcp.state == FSM_OPENED)
			lcp_send_protocol_reject(ppp, proto, p, len);
		break;
	}
	ppp_settle(ppp);
	return err;
}

/* ---- time ---- */

static uint64_t ppp_min(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

uint64_t ppp_deadline(const struct ppp *ppp)
{
	uint64_t d = PPP_NO_DEADLINE;

	if (ppp->dead || !ppp->started)
		return d;
	d = ppp_min(d, ppp->lcp.deadline);
	d = ppp_min(d, ppp->ipcp.deadline);
	d = ppp_min(d, ppp->ipv6cp.deadline);
	d = ppp_min(d, ppp->auth.retry_at);
	d = ppp_min(d, ppp->auth.give_up_at);
	d = ppp_min(d, ppp->auth.check_at);
	d = ppp_min(d, lcp_deadline(ppp));
	return d;
}

void ppp_timer(struct ppp *ppp, uint64_t now)
{
	if (ppp->dead || !ppp->started)
		return;
	ppp->now = now;
	fsm_timer(&ppp->lcp, now);
	if (!ppp->dead)
		fsm_timer(&ppp->ipcp, now);
	if (!ppp->dead)
		fsm_timer(&ppp->ipv6cp, now);
	if (!ppp->dead && ppp->auth.give_up_at <= now) {
		ppp->auth.give_up_at = PPP_NO_DEADLINE;
		ppp->auth.retry_at = PPP_NO_DEADLINE;
		ppp_fail(ppp, PPP_DOWN_AUTH_TIMEOUT,
			 "%s authentication did not finish in time",
			 ppp_auth_str(ppp->auth.method));
	}
	if (!ppp->dead && ppp->auth.check_at <= now)
		ppp_auth_release(ppp);
	if (!ppp->dead && ppp->auth.retry_at <= now) {
		ppp->auth.retry_at = PPP_NO_DEADLINE;
		if (ppp->auth.method == PPP_AUTH_PAP)
			pap_timer(ppp);
		else if (ppp->auth.method == PPP_AUTH_EAP)
			eap_timer(ppp);
		else
			chap_timer(ppp);
	}
	if (!ppp->dead)
		lcp_timer(ppp);
	ppp_settle(ppp);
}
