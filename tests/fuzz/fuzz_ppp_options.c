// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the PPP engine's parsers: the LCP/IPCP/IPV6CP
 * option handlers called directly, whole engines fed frame sequences
 * (with the harness Acking the engine's own requests so that the fuzzer
 * reaches authentication and the NCPs), the PAP/CHAP packet parsers on an
 * engine put straight into the authentication phase, and the
 * chap-secrets parser.
 *
 * Input: byte 0 picks the mode and the configuration, the rest is data.
 * Frames are length-prefixed in engine mode: 1 byte, or 255 and 2 more.
 */
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
#include "ppp/secrets.c"
#include "fuzz_ppp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
	uint8_t acks[8][300];
	size_t ack_len[8];
	int n_acks;
	bool auto_ack;
	uint32_t rng;
} fz;

static void fz_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	/* Queue an Ack for every Configure-Request the engine sends. */
	if (!fz.auto_ack || len < 8 || len > 300 || f[4] != 1 || fz.n_acks == 8)
		return;
	memcpy(fz.acks[fz.n_acks], f, len);
	fz.acks[fz.n_acks][4] = 2;
	fz.ack_len[fz.n_acks++] = len;
}

static int fz_random(void *ctx, void *buf, size_t len)
{
	uint8_t *b = buf;

	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		fz.rng = fz.rng * 1103515245u + 12345u;
		b[i] = (uint8_t)(fz.rng >> 16);
	}
	return 0;
}

static int fz_auth(void *ctx, const struct ppp_auth_info *i)
{
	(void)ctx;
	return i->peer_name[0] == 'x' ? -EPERM : 0;
}

static void fz_down(void *ctx, enum ppp_down_reason r, const char *t)
{
	(void)ctx; (void)r; (void)t;
}

/* The name picks the throttle's verdict: "h..." is held, "l..." is
 * locked out (held and refused), anything else is checked at once. */
static uint32_t fz_hold(void *ctx, const char *name, bool *refuse)
{
	(void)ctx;
	*refuse = name[0] == 'l';
	return name[0] == 'h' || name[0] == 'l' ? 1500 : 0;
}

static void fz_failed(void *ctx, enum ppp_auth m, const char *name, const char *why)
{
	(void)ctx; (void)m;
	if (!name || !why[0])
		abort();
}

static const struct ppp_callbacks fz_cbs = {
	.send = fz_send, .get_secret = fz_secret, .auth = fz_auth,
	.link_down = fz_down, .random = fz_random, .auth_hold = fz_hold,
	.auth_failed = fz_failed,
};

static struct ppp *fz_engine(uint8_t sel)
{
	struct ppp_config c = {
		.role = sel & 1 ? PPP_ROLE_CLIENT : PPP_ROLE_SERVER,
		.auth = (sel >> 1) & 7,
		.name = "u",
		.password = "pw",
		.ipv4 = true,
		.ipv6 = !!(sel & 0x10),
		.request_dns = true,
		.echo_interval_ms = sel & 0x20 ? 1000 : 0,
	};
	struct ppp *ppp = NULL;

	c.ipv4_local.s_addr = htonl(0x0a000001);
	c.ipv4_peer.s_addr = htonl(0x0a000002);
	c.dns[0].s_addr = htonl(0x08080808);
	if (ppp_new(&c, &fz_cbs, NULL, &ppp))
		return NULL;
	return ppp;
}

/* The option handlers on their own, on a fresh engine. */
static void fz_options(uint8_t sel, const uint8_t *d, size_t n)
{
	struct ppp *ppp = fz_engine(sel);
	uint8_t out[FSM_PKT_MAX];
	size_t out_len = 0;
	struct fsm *f;

	if (!ppp)
		return;
	f = sel & 0x40 ? &ppp->ipcp : &ppp->lcp;
	if ((sel & 0xc0) == 0xc0)
		f = &ppp->ipv6cp;
	f->ops->reset(f);
	if (ppp_opts_check(d, n) == 0) {
		f->ops->recv_req(f, d, n, out, &out_len, sel & 0x20);
		if (out_len > FSM_PKT_MAX)
			abort();
		f->ops->recv_nak(f, d, n);
		f->ops->recv_rej(f, d, n);
		f->ops->build_req(f, out, sizeof(out));
	}
	ppp_free(ppp);
}

static void fz_feed_acks(struct ppp *ppp, uint64_t now)
{
	while (fz.n_acks && !ppp->dead) {
		uint8_t a[300];
		size_t l = fz.ack_len[0];

		memcpy(a, fz.acks[0], l);
		fz.n_acks--;
		memmove(fz.acks, fz.acks + 1, sizeof(fz.acks[0]) * (size_t)fz.n_acks);
		memmove(fz.ack_len, fz.ack_len + 1, sizeof(fz.ack_len[0]) * (size_t)fz.n_acks);
		ppp_input(ppp, a, l, now);
	}
}

static void fz_frames(uint8_t sel, const uint8_t *d, size_t n)
{
	struct ppp *ppp = fz_engine(sel);
	uint64_t now = 1000;

	if (!ppp)
		return;
	fz.auto_ack = sel & 0x40;
	ppp_start(ppp, now);
	fz_feed_acks(ppp, now);
	while (n > 0 && !ppp->dead) {
		/* 255: a 2-byte length follows, for frames beyond 254. */
		size_t l = fz_next_len(&d, &n, true);

		if (l == 0) {
			/* An empty frame means: let time pass. */
			now = ppp_deadline(ppp) == PPP_NO_DEADLINE ? now + 1000 :
			      ppp_deadline(ppp);
			ppp_timer(ppp, now);
		} else {
			ppp_input(ppp, d, l, now);
		}
		fz_feed_acks(ppp, now);
		d += l;
		n -= l;
	}
	if (!ppp->dead)
		ppp_close(ppp, "fuzz", now);
	ppp_free(ppp);
	fz.n_acks = 0;
}

/*
 * The authentication parsers, with LCP skipped: the engine is put straight
 * into the authentication phase with the method sel picks, and as server
 * it takes each packet's id as its challenge id, so that responses reach
 * the verification (MS-CHAPv2 and MD5 computations) instead of being
 * dropped as stale. An empty packet lets time pass to the next deadline
 * (a held credential's check, a retry, the give-up).
 */
static void fz_auth_packets(uint8_t sel, const uint8_t *d, size_t n)
{
	static const enum ppp_auth methods[4] = {
		PPP_AUTH_PAP, PPP_AUTH_CHAP_MD5, PPP_AUTH_MSCHAPV2,
		PPP_AUTH_MSCHAPV2,
	};
	enum ppp_auth m = methods[(sel >> 1) & 3];
	struct ppp *ppp = fz_engine((uint8_t)((sel & 1) | ((unsigned int)m << 1)));
	uint64_t now = 1000;

	if (!ppp)
		return;
	fz_enter_auth(ppp, m, now);
	while (n > 0 && !ppp->dead && !ppp->close_pending) {
		size_t l = fz_next_len(&d, &n, false);

		if (!l) {
			/* Time passes: a held credential comes due. */
			if (ppp_deadline(ppp) != PPP_NO_DEADLINE)
				now = ppp_deadline(ppp);
			ppp_timer(ppp, now);
			continue;
		}
		if (ppp->cfg.role == PPP_ROLE_SERVER && l >= 2 && !ppp->auth.done &&
		    !ppp->auth.held_len)
			ppp->auth.id = d[1];
		ppp_auth_dispatch(ppp, m == PPP_AUTH_PAP ? PPP_PROTO_PAP :
				  PPP_PROTO_CHAP, d, l);
		d += l;
		n -= l;
	}
	ppp_free(ppp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ppp_secrets *s = NULL;
	uint8_t sel;

	if (size < 2)
		return 0;
	sel = data[1];
	fz.rng = sel;
	fz.n_acks = 0;
	switch (data[0] % 4) {
	case 0:
		fz_options(sel, data + 2, size - 2);
		break;
	case 1:
		fz_frames(sel, data + 2, size - 2);
		break;
	case 3:
		fz_auth_packets(sel, data + 2, size - 2);
		break;
	default:
		if (ppp_secrets_parse((const char *)data + 2, size - 2, "fuzz",
				      &s, NULL, 0) == 0) {
			ppp_secrets_lookup(s, "u", "srv");
			ppp_secrets_free(s);
		}
		break;
	}
	return 0;
}
