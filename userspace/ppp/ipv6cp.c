// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * IPV6CP (RFC 5072): both sides agree on distinct, non-zero 64-bit
 * interface identifiers (for the link-local addresses). Each side picks a
 * random one; a zero or colliding proposal is Nak'ed with a fresh one.
 * IPv6-Compression-Protocol is rejected.
 */
#include <string.h>
#include <syslog.h>

#include "ppp/internal.h"

#define IPV6CP_OPT_IFID 1

static bool ipv6cp_zero(const uint8_t id[8])
{
	static const uint8_t z[8];

	return !memcmp(id, z, 8);
}

/* A random identifier that is neither zero nor `avoid`. */
static void ipv6cp_new_id(struct ppp *ppp, uint8_t id[8], const uint8_t avoid[8])
{
	int i;

	for (i = 0; i < 8; i++) {
		if (ppp_random(ppp, id, 8))
			memset(id, 0, 8);
		/* Clear the universal/local bit: this is a local identifier. */
		id[0] &= ~0x02;
		if (!ipv6cp_zero(id) && memcmp(id, avoid, 8))
			return;
	}
	/* A broken RNG must still give a valid, distinct answer. */
	memcpy(id, avoid, 8);
	id[7] ^= 0x01;
	if (ipv6cp_zero(id))
		id[7] = 0x02;
}

static void ipv6cp_reset(struct fsm *f)
{
	struct ipv6cp_state *st = &f->ppp->ipv6cp_st;
	static const uint8_t none[8];

	memset(st, 0, sizeof(*st));
	st->req_id = true;
	ipv6cp_new_id(f->ppp, st->id, none);
}

static size_t ipv6cp_put_id(uint8_t *o, const uint8_t id[8])
{
	o[0] = IPV6CP_OPT_IFID;
	o[1] = 10;
	memcpy(o + 2, id, 8);
	return 10;
}

static size_t ipv6cp_build_req(struct fsm *f, uint8_t *buf, size_t size)
{
	struct ipv6cp_state *st = &f->ppp->ipv6cp_st;

	(void)size;
	return st->req_id ? ipv6cp_put_id(buf, st->id) : 0;
}

static int ipv6cp_recv_req(struct fsm *f, const uint8_t *opts, size_t len,
			   uint8_t *out, size_t *out_len, bool nak_ok)
{
	struct ipv6cp_state *st = &f->ppp->ipv6cp_st;
	uint8_t nak[10], peer[8] = { 0 };
	size_t n_rej = 0, n_nak = 0, off;
	bool have_peer = false;

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;

		if (o[0] != IPV6CP_OPT_IFID || o[1] != 10) {
			if (n_rej + o[1] <= FSM_PKT_MAX) {
				memcpy(out + n_rej, o, o[1]);
				n_rej += o[1];
			}
			continue;
		}
		if (ipv6cp_zero(o + 2) || !memcmp(o + 2, st->id, 8)) {
			uint8_t sugg[8];

			if (!nak_ok) {
				if (n_rej + o[1] <= FSM_PKT_MAX) {
					memcpy(out + n_rej, o, o[1]);
					n_rej += o[1];
				}
				continue;
			}
			ipv6cp_new_id(f->ppp, sugg, st->id);
			n_nak = ipv6cp_put_id(nak, sugg);
			continue;
		}
		memcpy(peer, o + 2, 8);
		have_peer = true;
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
	if (have_peer)
		memcpy(st->peer_id, peer, 8);
	memcpy(out, opts, len);
	*out_len = len;
	return FSM_CONF_ACK;
}

static int ipv6cp_recv_nak(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp_state *st = &f->ppp->ipv6cp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1]) {
		const uint8_t *o = opts + off;

		if (o[0] != IPV6CP_OPT_IFID || o[1] != 10 || !st->req_id)
			continue;
		/* Take the suggestion if it is usable, else pick anew. */
		if (!ipv6cp_zero(o + 2) && memcmp(o + 2, st->peer_id, 8))
			memcpy(st->id, o + 2, 8);
		else
			ipv6cp_new_id(f->ppp, st->id, st->peer_id);
	}
	return 0;
}

static int ipv6cp_recv_rej(struct fsm *f, const uint8_t *opts, size_t len)
{
	struct ipv6cp_state *st = &f->ppp->ipv6cp_st;
	size_t off;

	for (off = 0; off < len; off += opts[off + 1])
		if (opts[off] == IPV6CP_OPT_IFID)
			st->req_id = false;
	return 0;
}

static void ipv6cp_up(struct fsm *f)
{
	ppp_ncp_opened(f->ppp, f);
}

static void ipv6cp_down(struct fsm *f)
{
	ppp_ncp_left_open(f->ppp, f);
}

static void ipv6cp_finished(struct fsm *f)
{
	ppp_ncp_finished(f->ppp, f);
}

const struct fsm_ops ipv6cp_ops = {
	.proto = PPP_PROTO_IPV6CP,
	.name = "IPV6CP",
	.reset = ipv6cp_reset,
	.build_req = ipv6cp_build_req,
	.recv_req = ipv6cp_recv_req,
	.recv_nak = ipv6cp_recv_nak,
	.recv_rej = ipv6cp_recv_rej,
	.up = ipv6cp_up,
	.down = ipv6cp_down,
	.finished = ipv6cp_finished,
};
