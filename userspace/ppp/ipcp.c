// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPCP (RFC 1332) with the DNS options of RFC 1877. The server gives the
 * peer the address the caller chose (the daemon owns the pool) by Nak'ing
 * whatever the peer asks for; the client asks for 0.0.0.0 and takes the
 * Nak. No Van Jacobson compression: IP-Compression-Protocol is rejected.
 */
#include <string.h>
#include <syslog.h>

#include "ppp/internal.h"

enum {
	IPCP_OPT_ADDRS = 1,		/* deprecated, RFC 1172 */
	IPCP_OPT_COMPRESSION = 2,
	IPCP_OPT_ADDR = 3,
	IPCP_OPT_DNS1 = 129,
	IPCP_OPT_NBNS1 = 130,
	IPCP_OPT_DNS2 = 131,
	IPCP_OPT_NBNS2 = 132,
};

static bool ipcp_is_server(const struct ppp *ppp)
{
	return ppp->cfg.role == PPP_ROLE_SERVER;
}

static void ipcp_reset(struct fsm *f)
{
	struct ppp *ppp = f->ppp;
	struct ipcp_state *st = &ppp->ipcp_st;

	memset(st, 0, sizeof(*st));
	st->req_addr = true;
	st->addr = ppp->cfg.ipv4_local;
	if (!ipcp_is_server(ppp) && ppp->cfg.request_dns)
		st->req_dns[0] = st->req_dns[1] = true;
}

static size_t ipcp_put_addr(uint8_t *o, uint8_t type, struct in_addr a)
{
	o[0] = type;
	o[1] = 6;
	memcpy(o + 2, &a.s_addr, 4);
	return 6;
}

static size_t ipcp_build_req(struct fsm *f, uint8_t *buf, size_t size)
{
	struct ipcp_state *st = &f->ppp->ipcp_st;
	size_t n = 0;

	(void)size;	/* 18 bytes at most */
	if (st->req_addr)
		n += ipcp_put_addr(buf + n, IPCP_OPT_ADDR, st->addr);
	if (st->req_dns[0])
		n += ipcp_put_addr(buf + n, IPCP_OPT_DNS1, st->dns_req[0]);
	if (st->req_dns[1])
		n += ipcp_put_addr(buf + n, IPCP_OPT_DNS2, st->dns_req[1]);
	return n;
}

static int ipcp_recv_req(struct fsm *f, const uint8_t *opts, size_t len,
			 uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ppp *ppp = f->ppp;
	struct ipcp_state *st = &ppp->ipcp_st;
	uint8_t nak[FSM_PKT_MAX];
	size_t n_rej = 0, n_nak = 0, off;
	struct in_addr peer = { 0 };
	bool dns_given[2] = { false, false };

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;
		struct in_addr v, want;
		int i;

		if (o[1] != 6 || (o[0] != IPCP_OPT_ADDR &&
				  o[0] != IPCP_OPT_DNS1 &&
				  o[0] != IPCP_OPT_DNS2))
			goto reject;
		memcpy(&v.s_addr, o + 2, 4);

		if (o[0] == IPCP_OPT_ADDR) {
			if (!ipcp_is_server(ppp)) {
				/* The server tells us its address; 0.0.0.0
				 * would ask us for one we do not have. */
				if (!v.s_addr)
					goto reject;
				peer = v;
				continue;
			}
			want = ppp->cfg.ipv4_peer;
			if (!want.s_addr) {
				ppp_log(ppp, LOG_ERR,
					"IPCP: no address to give the peer");
				goto reject;
			}
			peer = want;
		} else {
			/* Only a server hands out DNS servers. */
			i = o[0] == IPCP_OPT_DNS1 ? 0 : 1;
			want = ppp->cfg.dns[i];
			if (!ipcp_is_server(ppp) || !want.s_addr)
				goto reject;
			dns_given[i] = true;
		}
		if (v.s_addr == want.s_addr)
			continue;
		if (!nak_ok)
			goto reject;
		if (n_nak + 6 <= sizeof(nak))
			n_nak += ipcp_put_addr(nak + n_nak, o[0], want);
		continue;
reject:
		if (n_rej + o[1] <= FSM_PKT_MAX) {
			memcpy(out + n_rej, o, o[1]);
			n_rej += o[1];
		}
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
	/* A server peer that names no address of its own still gets the
	 * one we assigned: we know it either way. */
	if (ipcp_is_server(ppp) && !peer.s_addr)
		peer = ppp->cfg.ipv4_peer;
	st->peer = peer;
	st->dns_given[0] = dns_given[0];
	st->dns_given[1] = dns_given[1];
	memcpy(out, opts, len);
	*out_len = len;
	return FSM_CONF_ACK;
}

static int ipcp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ppp *ppp = f->ppp;
	struct ipcp_state *st = &ppp->ipcp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;
		struct in_addr v;

		if (o[1] != 6)
			continue;
		memcpy(&v.s_addr, o + 2, 4);
		switch (o[0]) {
		case IPCP_OPT_ADDR:
			/* A server keeps its own address; a client takes
			 * what it is given. */
			if (!ipcp_is_server(ppp) && st->req_addr && v.s_addr)
				st->addr = v;
			break;
		case IPCP_OPT_DNS1:
		case IPCP_OPT_DNS2:
			if (!ipcp_is_server(ppp) &&
			    st->req_dns[o[0] == IPCP_OPT_DNS2])
				st->dns_req[o[0] == IPCP_OPT_DNS2] = v;
			break;
		default:
			break;
		}
	}
	return 0;
}

static int ipcp_recv_rej(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipcp_state *st = &f->ppp->ipcp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1]) {
		switch (opts[off]) {
		case IPCP_OPT_ADDR:
			st->req_addr = false;
			break;
		case IPCP_OPT_DNS1:
			st->req_dns[0] = false;
			st->dns_req[0].s_addr = 0;
			break;
		case IPCP_OPT_DNS2:
			st->req_dns[1] = false;
			st->dns_req[1].s_addr = 0;
			break;
		default:
			break;
		}
	}
	return 0;
}

static void ipcp_up(struct fsm *f)
{
	struct ppp *ppp = f->ppp;

	/* Some servers never state their own address; that is fine. Not
	 * having one of our own is not. */
	if (!ppp->ipcp_st.addr.s_addr) {
		ppp_fail(ppp, PPP_DOWN_NEGOTIATION,
			 "IPCP: finished without a local address");
		return;
	}
	ppp_ncp_opened(ppp, f);
}

static void ipcp_down(struct fsm *f)
{
	ppp_ncp_left_open(f->ppp, f);
}

static void ipcp_finished(struct fsm *f)
{
	ppp_ncp_finished(f->ppp, f);
}

const struct fsm_ops ipcp_ops = {
	.proto = PPP_PROTO_IPCP,
	.name = "IPCP",
	.reset = ipcp_reset,
	.build_req = ipcp_build_req,
	.recv_req = ipcp_recv_req,
	.recv_nak = ipcp_recv_nak,
	.recv_rej = ipcp_recv_rej,
	.up = ipcp_up,
	.down = ipcp_down,
	.finished = ipcp_finished,
};
