// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The SSTP phase: once the HTTP exchange is done the session chooses its
 * link, starts the SSTP call (MS-SSTP 3.2, 3.3: proto/sstp_call.c) and the
 * PPP engine, and from then on hands the call every control packet and the
 * engine every PPP frame from the peer, whichever way they come: from the
 * SSTP stream the session reads itself, or from a link that owns the
 * socket.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/sstp.h>
#include <openssl/crypto.h>

#include "daemon/session_internal.h"
#include "proto/crypto_binding.h"
#include "version.h"

/* ------------------------------------------------------------ the call's ops */

static int session_call_send_ctrl(void *ctx, const uint8_t *pkt, size_t len)
{
	struct session *s = ctx;
	uint8_t copy[SSTP_PKT_MAX];
	int err;

	/* Test-only knob: a client that spoils its own Compound MAC lets the
	 * test-suite prove that the server checks the crypto binding. */
	if (!s->server && s->env->cfg->test_corrupt_compound_mac &&
	    len == SSTP_CALL_CONNECTED_LEN && len <= sizeof(copy) &&
	    sstp_proto_ctrl_type(pkt) == SSTP_MSG_CALL_CONNECTED) {
		memcpy(copy, pkt, len);
		copy[SSTP_CONNECTED_MAC_OFF] ^= 0x01;
		slog(LOG_WARNING, s, "test: corrupting the compound MAC");
		pkt = copy;
	}
	if (len >= SSTP_CTRL_HDR_LEN)
		slog(LOG_DEBUG, s, "send %s", sstp_msg_type_name(sstp_proto_ctrl_type(pkt)));
	err = link_send_ctrl(s->link, pkt, len);
	if (err && err != -ENOTCONN)
		slog(LOG_WARNING, s, "%s", s->link->err);
	return err;
}

static void session_call_ppp_start(void *ctx)
{
	struct session *s = ctx;

	ppp_start(s->ppp, loop_now());
	session_test_foreign(s, "before-lcp");
}

static void session_call_connected(void *ctx)
{
	struct session *s = ctx;

	const char *hash = sstp_call_hash_proto(&s->call) == SSTP_HASH_SHA256 ? "SHA-256" :
			   "SHA-1";
	int m = sstp_call_hlak_matched(&s->call);

	s->connected = true;
	s->env->stats.connected++;
	slog(LOG_INFO, s, "SSTP call connected (crypto binding %s, %s)%s%s",
	     s->server ? "verified" : "sent", hash, m >= 0 ? "; HLAK: " : "",
	     m >= 0 && s->hlak_names[m] ? s->hlak_names[m] : "");
	session_link_gate(s);
}

static void session_call_down(void *ctx, enum sstp_call_reason reason,
			      uint32_t status, const char *detail)
{
	struct session *s = ctx;
	bool failed = reason != SSTP_CALL_DOWN_DISCONNECT &&
		      reason != SSTP_CALL_DOWN_PEER_DISCONNECT &&
		      reason != SSTP_CALL_DOWN_DISCONNECT_TIMEOUT;

	/* A server that aborts an authenticated call before it connected
	 * does so because CALL_CONNECTED did not verify. */
	if (s->server && reason == SSTP_CALL_DOWN_ABORT && s->authenticated &&
	    !s->connected)
		session_fail_as(s, SESSION_FAIL_CRYPTO_BINDING);

	session_down(s, failed, "SSTP %s (%s)%s%s", sstp_call_reason_name(reason),
		     sstp_status_name(status), detail ? ": " : "", detail ? detail : "");
}

static const struct sstp_call_ops session_call_ops = {
	.send_ctrl = session_call_send_ctrl,
	.ppp_start = session_call_ppp_start,
	.connected = session_call_connected,
	.down = session_call_down,
};

/* ------------------------------------------------------------ start */

/* The hashes of the certificate the client saw, for the crypto binding:
 * ours, or on listen_plain the TLS terminator's. 0, or the session down. */
static int session_call_cert(struct session *s, struct crypto_binding_cert *out)
{
	uint8_t *der;
	int len, err;

	if (s->plain) {
		*out = s->env->plain_cert;
		return 0;
	}
	len = tls_server_cert_der(&s->tls, &der);
	if (len < 0) {
		session_down(s, true, "no server certificate for the crypto binding");
		return -ENOENT;
	}
	err = crypto_binding_cert_hashes(der, (size_t)len, out);
	OPENSSL_free(der);
	if (err)
		session_down(s, true, "certificate hash: %s", strerror(-err));
	return err;
}

static int session_call_init(struct session *s)
{
	const struct config *cfg = s->env->cfg;
	struct sstp_call_config ccfg;
	int err;

	sstp_call_config_init(&ccfg, s->server ? SSTP_CALL_SERVER : SSTP_CALL_CLIENT);
	ccfg.negotiation_ms = cfg->negotiation_timeout * 1000;
	/* A link that owns the socket is the only one to see the peer's
	 * traffic: it runs the hello timer and answers ECHO_REQUEST. */
	ccfg.hello_ms = link_owns_socket(s->link) ? 0 : cfg->hello_interval * 1000;
	err = session_call_cert(s, &ccfg.cert);
	if (err)
		return err;
	err = sstp_call_init(&s->call, &ccfg, &session_call_ops, s);
	if (err) {
		session_down(s, true, "SSTP call: %s", strerror(-err));
		return err;
	}
	s->call_inited = true;
	return 0;
}

static int session_ppp_new(struct session *s)
{
	const struct config *cfg = s->env->cfg;
	struct ppp_callbacks cb;
	struct ppp_config pcfg;
	int err;

	memset(&pcfg, 0, sizeof(pcfg));
	pcfg.role = s->server ? PPP_ROLE_SERVER : PPP_ROLE_CLIENT;
	pcfg.mru = (uint16_t)cfg->mtu;
	if (!s->server) {
		/*
		 * Shaped like Windows, so that every test of the client role
		 * also sends Windows-shaped traffic: the largest MRU asks 4091
		 * (all an SSTP packet holds after its header, counted as
		 * Windows counts it; our interface stays within mtu), PFC and
		 * ACFC asked for, and an Identification with our version.
		 */
		if (cfg->mtu == SSTP_MTU_MAX)
			pcfg.mru = SSTP_DATA_MAX;
		pcfg.request_pfc_acfc = true;
		pcfg.ident = "sstpd " SSTPD_VERSION;
	}
	pcfg.ipv4 = true;
	pcfg.ipv6 = cfg->ipv6;
	pcfg.auth = s->env->auth;
	memcpy(pcfg.auth_order, s->env->auth_order, sizeof(pcfg.auth_order));
	memcpy(pcfg.eap_order, s->env->eap_order, sizeof(pcfg.eap_order));
	pcfg.eap_tls_ctx = s->env->eap_ssl;
	if (s->server) {
		pcfg.name = SESSION_PPP_NAME;
		pcfg.ipv4_local.s_addr = htonl(s->env->local_ip);
		pcfg.dns[0].s_addr = htonl(s->env->dns[0]);
		pcfg.dns[1].s_addr = htonl(s->env->dns[1]);
	} else {
		pcfg.name = cfg->user;
		pcfg.password = cfg->password;
	}
	cb = session_ppp_cb;
	/* With RADIUS the server asks it, without it chap-secrets. */
	if (!s->server || !s->env->radius)
		cb.verify = NULL;
	err = ppp_new(&pcfg, &cb, s, &s->ppp);
	if (err)
		session_down(s, true, "PPP engine: %s", strerror(-err));
	return err;
}

/*
 * The HTTP exchange is done; rest holds the rlen bytes that came after its
 * header (the start of the SSTP stream). Open the link (the daemon's own:
 * the kernel data path takes over only once the peer has authenticated),
 * start the call and the engine, and take those bytes as if just read.
 */
void session_sstp_start(struct session *s, const uint8_t *rest, size_t rlen)
{
	s->phase = SP_SSTP;
	s->phase_deadline = 0;
	sstp_deframer_init(&s->df);

	if (session_link_open(s) || session_call_init(s) || session_ppp_new(s))
		return;
	sstp_call_start(&s->call, loop_now());
	if (rlen && s->phase == SP_SSTP)
		session_sstp_feed(s, rest, rlen);
}

/* ------------------------------------------------------------ from the peer */

/* A control packet from the peer, for the call. */
void session_ctrl_in(struct session *s, const uint8_t *pkt, size_t len,
		     uint64_t now)
{
	if (len >= SSTP_CTRL_HDR_LEN)
		slog(LOG_DEBUG, s, "recv %s", sstp_msg_type_name(sstp_proto_ctrl_type(pkt)));
	sstp_call_input(&s->call, pkt, len, now);
}

/* A PPP frame from the peer, for the engine once the call lets PPP run. */
void session_ppp_in(struct session *s, const uint8_t *frame, size_t len,
		    uint64_t now)
{
	if (!sstp_call_ppp_allowed(&s->call)) {
		s->ppp_dropped++;
		return;
	}
	ppp_input(s->ppp, frame, len, now);
}

static void session_sstp_packet(struct session *s, const struct sstp_packet *p)
{
	uint64_t now = loop_now();

	if (p->control) {
		session_ctrl_in(s, p->data, p->len, now);
		return;
	}
	sstp_call_rx_activity(&s->call, now);
	session_ppp_in(s, p->payload, p->payload_len, now);
}

/*
 * Authenticated, and the kernel is to take the socket: what was read but
 * not parsed goes with it, the deframer's partial packet first (one of the
 * two is empty: the deframer only keeps a partial packet once the input is
 * used up). Reads are bounded so that it fits in SSTP_PENDING_MAX.
 */
void session_sstp_stash(struct session *s, const uint8_t *data, size_t len)
{
	size_t have = sstp_deframer_pending(&s->df), n = s->pending_len + have + len;
	uint8_t *p;

	if (!have && !len)
		return;
	p = realloc(s->pending, n);
	if (!p) {
		session_down(s, true, "out of memory at the handoff");
		return;
	}
	memcpy(p + s->pending_len, s->df.buf, have);
	memcpy(p + s->pending_len + have, data, len);
	s->pending = p;
	s->pending_len = n;
	sstp_deframer_init(&s->df);
}

/* Bytes of the SSTP stream the session read itself. */
void session_sstp_feed(struct session *s, const uint8_t *data, size_t len)
{
	struct sstp_packet pkt;
	int r = 0;

	while (s->phase == SP_SSTP && !s->handoff_due &&
	       (r = sstp_deframer_next(&s->df, &data, &len, &pkt)) > 0)
		session_sstp_packet(s, &pkt);
	/* 3.1.5.1: an undelineable stream is dropped without a word. */
	if (s->phase == SP_SSTP && r < 0)
		sstp_call_lower_down(&s->call, SSTP_CALL_DOWN_LOWER,
				     "bad SSTP packet header");
	else if (s->phase == SP_SSTP && s->handoff_due)
		session_sstp_stash(s, data, len);
}
