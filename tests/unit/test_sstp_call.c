// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SSTP call state machines: a server and a client driven against each other
 * over an in-memory "wire" (through the real deframer), with a simulated
 * clock and a deterministic random source.
 */
#include <errno.h>

#include "proto/sstp_call.h"
#include "test.h"

#define MAX_OUT 16

struct peer {
	const char *name;
	struct sstp_call call;
	uint8_t out[MAX_OUT][SSTP_PKT_MAX];
	size_t out_len[MAX_OUT];
	unsigned int n_out;
	unsigned int sent_total;
	int ppp_started, connected, downs;
	enum sstp_call_reason reason;
	uint32_t status;
	char detail[128];
	int fail_send;
	uint8_t rnd;
};

static uint64_t now;

static int peer_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct peer *p = ctx;

	if (p->fail_send)
		return -EPIPE;
	if (p->n_out < MAX_OUT) {
		memcpy(p->out[p->n_out], pkt, len);
		p->out_len[p->n_out++] = len;
	}
	p->sent_total++;
	return 0;
}

static void peer_ppp_start(void *ctx)
{
	((struct peer *)ctx)->ppp_started++;
}

static void peer_connected(void *ctx)
{
	((struct peer *)ctx)->connected++;
}

static void peer_down(void *ctx, enum sstp_call_reason reason, uint32_t status,
		      const char *detail)
{
	struct peer *p = ctx;

	p->downs++;
	p->reason = reason;
	p->status = status;
	snprintf(p->detail, sizeof(p->detail), "%s", detail);
}

static int peer_random(void *ctx, uint8_t *buf, size_t len)
{
	struct peer *p = ctx;
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = p->rnd++;
	return 0;
}

static const struct sstp_call_ops ops = {
	.send_ctrl = peer_send,
	.ppp_start = peer_ppp_start,
	.connected = peer_connected,
	.down = peer_down,
	.random = peer_random,
};

static const uint8_t cert_der[] = { 0x30, 0x82, 0x01, 0x0a, 0x02, 0x01, 0x01 };
static const uint8_t other_der[] = { 0x30, 0x03, 0x02, 0x01, 0x02 };

static void peer_init_cfg(struct peer *p, const struct sstp_call_config *cfg,
			  const char *name)
{
	memset(p, 0, sizeof(*p));
	p->name = name;
	p->rnd = 0x40;
	sstp_call_init(&p->call, cfg, &ops, p);
}

static void peer_init(struct peer *p, enum sstp_call_role role, uint8_t mask,
		      uint32_t hello_ms)
{
	struct sstp_call_config cfg;

	sstp_call_config_init(&cfg, role);
	cfg.hash_mask = mask;
	cfg.hello_ms = hello_ms;
	crypto_binding_cert_hashes(cert_der, sizeof(cert_der), &cfg.cert);
	peer_init_cfg(p, &cfg, role == SSTP_CALL_SERVER ? "server" : "client");
}

/* Move everything p sent into q, through a deframer, in 5-byte reads. */
static unsigned int deliver(struct peer *p, struct peer *q)
{
	static uint8_t stream[MAX_OUT * SSTP_PKT_MAX];
	struct sstp_deframer d;
	struct sstp_packet pkt;
	size_t n = 0, off = 0;
	unsigned int i, count = 0;

	for (i = 0; i < p->n_out; i++) {
		memcpy(stream + n, p->out[i], p->out_len[i]);
		n += p->out_len[i];
	}
	p->n_out = 0;
	sstp_deframer_init(&d);
	while (off < n) {
		const uint8_t *b = stream + off;
		size_t len = n - off < 5 ? n - off : 5;

		off += len;
		while (sstp_deframer_next(&d, &b, &len, &pkt) > 0) {
			if (pkt.control)
				sstp_call_input(&q->call, pkt.data, pkt.len, now);
			else
				sstp_call_rx_activity(&q->call, now);
			count++;
		}
	}
	return count;
}

static void pump(struct peer *a, struct peer *b)
{
	while (a->n_out || b->n_out) {
		deliver(a, b);
		deliver(b, a);
	}
}

static void advance(struct peer *a, struct peer *b, uint64_t ms)
{
	now += ms;
	if (a)
		sstp_call_timer(&a->call, now);
	if (b)
		sstp_call_timer(&b->call, now);
}

/* Type (and first Status Info) of the i-th packet p has queued. */
static int out_type(const struct peer *p, unsigned int i)
{
	return i < p->n_out ? (p->out[i][4] << 8 | p->out[i][5]) : -1;
}

static int out_status(const struct peer *p, unsigned int i, uint8_t *attr)
{
	struct sstp_ctrl m;

	if (i >= p->n_out || sstp_ctrl_decode(p->out[i], p->out_len[i], &m) ||
	    !m.n_status)
		return -1;
	if (attr)
		*attr = m.status[0].attr_id;
	return (int)m.status[0].status;
}

static void feed_hex(struct peer *p, const char *hex)
{
	uint8_t b[SSTP_PKT_MAX];
	size_t n = test_unhex(hex, b, sizeof(b));

	sstp_call_input(&p->call, b, n, now);
}

static const uint8_t hlak_a[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
static const uint8_t hlak_b[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 11 };

/* Server and client up to both PPPs running (Call_Connected_Pending /
 * Connect_Ack_Received). */
static int negotiate(struct peer *s, struct peer *c, uint8_t smask,
		     uint8_t cmask, uint32_t hello)
{
	now = 1000;
	peer_init(s, SSTP_CALL_SERVER, smask, hello);
	peer_init(c, SSTP_CALL_CLIENT, cmask, hello);
	if (sstp_call_start(&s->call, now) || sstp_call_start(&c->call, now))
		return 1;
	if (out_type(c, 0) != SSTP_MSG_CALL_CONNECT_REQUEST || s->n_out)
		return 2;
	deliver(c, s);
	if (out_type(s, 0) != SSTP_MSG_CALL_CONNECT_ACK || !s->ppp_started)
		return 3;
	deliver(s, c);
	if (!c->ppp_started)
		return 4;
	return 0;
}

static int connect_pair(struct peer *s, struct peer *c, uint32_t hello)
{
	int r = negotiate(s, c, 3, 3, hello);

	if (r)
		return r;
	if (sstp_call_set_hlak(&s->call, hlak_a, now) ||
	    sstp_call_set_hlak(&c->call, hlak_a, now))
		return 10;
	deliver(c, s);
	if (!s->connected || !c->connected)
		return 11;
	if (!sstp_call_data_allowed(&s->call) || !sstp_call_data_allowed(&c->call))
		return 12;
	return 0;
}

TEST(handshake_sha256_both_offered)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_SERVER_CALL_CONNECTED_PENDING);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED);
	CHECK_INT(c.call.hash_proto, SSTP_HASH_SHA256);
	/* the client took the server's (deterministic) nonce */
	CHECK_MEM(c.call.nonce, s.call.nonce, SSTP_NONCE_LEN);
	CHECK_INT(s.call.nonce[0], 0x40);
	CHECK_INT(s.call.nonce[31], 0x40 + 31);
	/* PPP control may flow, PPP data may not */
	CHECK(sstp_call_ppp_allowed(&s.call) && sstp_call_ppp_allowed(&c.call));
	CHECK(!sstp_call_data_allowed(&s.call) && !sstp_call_data_allowed(&c.call));
	CHECK(sstp_call_ppp_proto_allowed(&s.call, 0xc021));	/* LCP */
	CHECK(sstp_call_ppp_proto_allowed(&s.call, 0xc223));	/* CHAP */
	CHECK(sstp_call_ppp_proto_allowed(&s.call, 0x8021));	/* IPCP */
	CHECK(!sstp_call_ppp_proto_allowed(&s.call, 0x0021));	/* IPv4 */
	CHECK(!sstp_call_ppp_proto_allowed(&c.call, 0x0057));	/* IPv6 */

	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), 0);
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), 0);
	CHECK_INT(c.connected, 1);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_CONNECTED);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_CONNECTED);
	CHECK_INT(c.out[0][SSTP_CONNECTED_HASH_PROTO_OFF], SSTP_HASH_SHA256);
	CHECK_INT(s.connected, 0);
	deliver(&c, &s);
	CHECK_INT(s.connected, 1);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_CONNECTED);
	CHECK(sstp_call_ppp_proto_allowed(&s.call, 0x0021));
	CHECK(sstp_call_ppp_proto_allowed(&c.call, 0x0021));
	CHECK_INT(s.n_out, 0);
	CHECK_INT(s.downs + c.downs, 0);
	/* hello disabled: no timer once connected */
	CHECK(sstp_call_next_deadline(&s.call) == SSTP_CALL_NO_DEADLINE);
	sstp_call_uninit(&s.call);
	sstp_call_uninit(&c.call);
}

TEST(handshake_sha1_when_server_offers_only_sha1)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, SSTP_HASH_MASK_SHA1, 3, 0), 0);
	CHECK_INT(s.call.cfg.hash_mask, SSTP_HASH_MASK_SHA1);
	CHECK_INT(c.call.hash_proto, SSTP_HASH_SHA1);
	sstp_call_set_hlak(&c.call, NULL, now);	/* PAP: zero HLAK */
	CHECK_INT(c.out[0][SSTP_CONNECTED_HASH_PROTO_OFF], SSTP_HASH_SHA1);
	sstp_call_set_hlak(&s.call, NULL, now);
	deliver(&c, &s);
	CHECK_INT(s.connected, 1);
}

TEST(client_aborts_when_no_common_hash)
{
	struct peer s, c;
	uint8_t attr;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, SSTP_HASH_MASK_SHA256, 0);
	peer_init(&c, SSTP_CALL_CLIENT, SSTP_HASH_MASK_SHA1, 0);
	sstp_call_start(&s.call, now);
	sstp_call_start(&c.call, now);
	deliver(&c, &s);
	deliver(&s, &c);
	CHECK_INT(c.ppp_started, 0);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_ABORT_PENDING);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&c, 0, &attr), SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(attr, SSTP_ATTR_CRYPTO_BINDING_REQ);
	CHECK(!sstp_call_ppp_allowed(&c.call));
	/* the server answers the abort and lingers 1 s; the client too */
	deliver(&c, &s);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_ABORT_TIMEOUT_PENDING);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	deliver(&s, &c);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_ABORT_TIMEOUT_PENDING);
	advance(&s, &c, SSTP_CALL_ABORT2_MS - 1);
	CHECK_INT(s.downs + c.downs, 0);
	advance(&s, &c, 1);
	CHECK_INT(s.downs, 1);
	CHECK_INT(c.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_PEER_ABORT);
	CHECK_INT(s.status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(c.status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK(sstp_call_is_down(&s.call) && sstp_call_is_down(&c.call));
	CHECK_INT(sstp_call_input(&s.call, c.out[0], 8, now), -ENOTCONN);
}

TEST(ack_with_empty_bitmask_aborts)
{
	struct peer c;

	now = 0;
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	sstp_call_start(&c.call, now);
	c.n_out = 0;
	feed_hex(&c, "10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 00"
		     "00000000000000000000000000000000"
		     "00000000000000000000000000000000");
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(c.ppp_started, 0);
}

TEST(server_holds_early_call_connected_until_hlak)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	/* sstp-client: its auth is done before the server's */
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), 0);
	deliver(&c, &s);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_SERVER_CALL_CONNECTED_PENDING);
	CHECK(s.call.held);
	CHECK_INT(s.connected, 0);
	CHECK_INT(s.n_out, 0);
	CHECK(!sstp_call_data_allowed(&s.call));
	CHECK(sstp_call_ppp_allowed(&s.call));
	now += 2000;
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), 0);
	CHECK_INT(s.connected, 1);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_CONNECTED);
	CHECK(!s.call.held);
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), -ENOTCONN);
}

TEST(held_call_connected_times_out_without_hlak)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	sstp_call_set_hlak(&c.call, hlak_a, now);
	deliver(&c, &s);
	advance(&s, NULL, SSTP_CALL_NEGOTIATION_MS - 1);
	CHECK_INT(s.n_out, 0);
	advance(&s, NULL, 1);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_NEGOTIATION_TIMEOUT);
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), -ENOTCONN);
}

static void check_bad_binding(bool early, const uint8_t *server_hlak,
			      const uint8_t *der, size_t der_len)
{
	struct peer s, c;
	uint8_t attr;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	if (der)	/* the client saw another certificate: a TLS MITM */
		crypto_binding_cert_hashes(der, der_len, &c.call.cfg.cert);
	if (!early)
		sstp_call_set_hlak(&s.call, server_hlak, now);
	sstp_call_set_hlak(&c.call, hlak_a, now);
	deliver(&c, &s);
	if (early) {
		CHECK_INT(s.n_out, 0);
		sstp_call_set_hlak(&s.call, server_hlak, now);
	}
	CHECK_INT(s.connected, 0);
	CHECK(!sstp_call_data_allowed(&s.call));
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_ABORT_PENDING);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, &attr), SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(attr, SSTP_ATTR_CRYPTO_BINDING);
	/* the client hears it and goes down 1 s later */
	deliver(&s, &c);
	CHECK(!sstp_call_data_allowed(&c.call));
	deliver(&c, &s);
	advance(&s, &c, SSTP_CALL_ABORT2_MS);
	CHECK_INT(c.downs, 1);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_PEER_ABORT);
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(s.status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
}

TEST(bad_binding_wrong_hlak_aborts)
{
	check_bad_binding(false, hlak_b, NULL, 0);
}

TEST(bad_binding_wrong_hlak_held_aborts)
{
	check_bad_binding(true, hlak_b, NULL, 0);
}

TEST(bad_binding_zero_hlak_on_server_aborts)
{
	check_bad_binding(false, NULL, NULL, 0);
}

TEST(bad_binding_other_certificate_aborts)
{
	check_bad_binding(false, hlak_a, other_der, sizeof(other_der));
}

TEST(call_connected_with_wrong_nonce_aborts)
{
	struct peer s, c;
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN], nonce[32];

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	sstp_call_set_hlak(&s.call, hlak_a, now);
	memcpy(nonce, s.call.nonce, 32);
	nonce[5] ^= 1;	/* a replay from an older session */
	CHECK_INT(crypto_binding_build(pkt, SSTP_HASH_SHA256, nonce,
				       &s.call.cfg.cert, hlak_a), 0);
	sstp_call_input(&s.call, pkt, sizeof(pkt), now);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(s.connected, 0);
}

TEST(call_connected_sha1_when_only_sha256_offered_aborts)
{
	struct peer s, c;
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN];

	CHECK_INT(negotiate(&s, &c, SSTP_HASH_MASK_SHA256, 3, 0), 0);
	sstp_call_set_hlak(&s.call, hlak_a, now);
	CHECK_INT(crypto_binding_build(pkt, SSTP_HASH_SHA1, s.call.nonce,
				       &s.call.cfg.cert, hlak_a), 0);
	sstp_call_input(&s.call, pkt, sizeof(pkt), now);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_VALUE_NOT_SUPPORTED);
	CHECK_INT(s.connected, 0);
}

TEST(call_connected_without_binding_aborts_not_supported_in_msg)
{
	struct peer s, c;
	uint8_t attr;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	feed_hex(&s, "10 01 00 08 00 04 00 00");
	CHECK_INT(out_status(&s, 0, &attr), SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG);
	CHECK_INT(attr, SSTP_ATTR_STATUS_INFO);
}

TEST(second_call_connected_while_held_aborts)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	sstp_call_set_hlak(&c.call, hlak_a, now);
	memcpy(c.out[1], c.out[0], c.out_len[0]);
	c.out_len[1] = c.out_len[0];
	c.n_out = 2;
	deliver(&c, &s);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
	/* and the HLAK arriving afterwards changes nothing */
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), -ENOTCONN);
	CHECK_INT(s.connected, 0);
}

/* ------------------------------------------------------------ timers */

TEST(server_negotiation_timeout_waiting_for_request)
{
	struct peer s;

	now = 5000;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	CHECK(sstp_call_next_deadline(&s.call) == SSTP_CALL_NO_DEADLINE);
	sstp_call_start(&s.call, now);
	CHECK_INT(sstp_call_start(&s.call, now), -EALREADY);
	CHECK(sstp_call_next_deadline(&s.call) == now + SSTP_CALL_NEGOTIATION_MS);
	advance(&s, NULL, SSTP_CALL_NEGOTIATION_MS - 1);
	CHECK_INT(s.n_out, 0);
	advance(&s, NULL, 1);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_NEGOTIATION_TIMEOUT);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_ABORT_PENDING);
	/* nobody answers: abort timer 1 (3 s) */
	CHECK(sstp_call_next_deadline(&s.call) == now + SSTP_CALL_ABORT1_MS);
	advance(&s, NULL, SSTP_CALL_ABORT1_MS - 1);
	CHECK_INT(s.downs, 0);
	advance(&s, NULL, 1);
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(s.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	advance(&s, NULL, 100000);
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.n_out, 1);
}

TEST(server_negotiation_timeout_waiting_for_call_connected)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	advance(&s, NULL, SSTP_CALL_NEGOTIATION_MS);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_NEGOTIATION_TIMEOUT);
	CHECK(!sstp_call_ppp_allowed(&s.call));
}

TEST(client_negotiation_timeouts)
{
	struct peer s, c;

	/* no CALL_CONNECT_ACK */
	now = 0;
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	sstp_call_start(&c.call, now);
	c.n_out = 0;
	advance(&c, NULL, SSTP_CALL_NEGOTIATION_MS - 1);
	CHECK_INT(c.n_out, 0);
	advance(&c, NULL, 1);
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_NEGOTIATION_TIMEOUT);

	/* ACK received, PPP never authenticates */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	advance(&c, NULL, SSTP_CALL_NEGOTIATION_MS - 1);
	CHECK_INT(c.n_out, 0);
	advance(&c, NULL, 1);
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_NEGOTIATION_TIMEOUT);
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), -ENOTCONN);
}

TEST(hello_echo_exchange_keeps_call_up)
{
	struct peer s, c;
	const uint32_t hello = 10000;

	CHECK_INT(connect_pair(&s, &c, hello), 0);
	CHECK(sstp_call_next_deadline(&s.call) == now + hello);
	advance(&s, &c, hello - 1);
	CHECK_INT(s.n_out + c.n_out, 0);
	advance(&s, &c, 1);
	/* both silent for one interval: both ask */
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_ECHO_REQUEST);
	deliver(&s, &c);
	CHECK_INT(out_type(&c, 1), SSTP_MSG_ECHO_RESPONSE);
	deliver(&c, &s);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_RESPONSE);
	deliver(&s, &c);
	/* answered: another full interval before the next question */
	advance(&s, &c, hello - 1);
	CHECK_INT(s.n_out + c.n_out, 0);
	CHECK_INT(s.downs + c.downs, 0);
	advance(&s, &c, 1);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
	pump(&s, &c);
	/* many intervals of regular echoes: never down */
	{
		int i;

		for (i = 0; i < 20; i++) {
			advance(&s, &c, hello);
			pump(&s, &c);
		}
	}
	CHECK_INT(s.downs + c.downs, 0);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_CONNECTED);
}

TEST(hello_data_traffic_postpones_echo)
{
	struct peer s, c;
	const uint32_t hello = 10000;
	int i;

	CHECK_INT(connect_pair(&s, &c, hello), 0);
	for (i = 0; i < 10; i++) {
		advance(&s, NULL, hello - 1000);
		sstp_call_rx_activity(&s.call, now);	/* a data packet */
	}
	CHECK_INT(s.n_out, 0);
	advance(&s, NULL, hello);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
}

TEST(hello_timeout_goes_down_without_abort)
{
	struct peer s, c;
	const uint32_t hello = 10000;

	CHECK_INT(connect_pair(&s, &c, hello), 0);
	advance(&s, NULL, hello);
	CHECK_INT(s.n_out, 1);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
	advance(&s, NULL, hello - 1);
	CHECK_INT(s.downs, 0);
	advance(&s, NULL, 1);
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_HELLO_TIMEOUT);
	CHECK_INT(s.n_out, 1);	/* no CALL_ABORT (3.1.2.3) */
	CHECK(!sstp_call_data_allowed(&s.call));
}

TEST(hello_answer_after_echo_rescues)
{
	struct peer s, c;
	const uint32_t hello = 10000;

	CHECK_INT(connect_pair(&s, &c, hello), 0);
	advance(&s, NULL, hello);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
	s.n_out = 0;
	advance(&s, NULL, hello - 1);
	sstp_call_rx_activity(&s.call, now);
	advance(&s, NULL, 1);
	CHECK_INT(s.downs, 0);
	CHECK_INT(s.n_out, 0);
	advance(&s, NULL, hello);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_ECHO_REQUEST);
}

/* ------------------------------------------------------------ teardown */

static void check_disconnect(bool client_first)
{
	struct peer s, c;
	struct peer *a, *b;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	a = client_first ? &c : &s;
	b = client_first ? &s : &c;
	CHECK_INT(sstp_call_disconnect(&a->call, now), 0);
	CHECK_INT(sstp_call_disconnect(&a->call, now), -EALREADY);
	CHECK_INT(sstp_call_state(&a->call), SSTP_CALL_DISCONNECT_ACK_PENDING);
	CHECK_INT(out_type(a, 0), SSTP_MSG_CALL_DISCONNECT);
	CHECK_INT(out_status(a, 0, NULL), SSTP_STATUS_NO_ERROR);
	CHECK(!sstp_call_data_allowed(&a->call));
	deliver(a, b);
	CHECK_INT(sstp_call_state(&b->call), SSTP_CALL_DISCONNECT_TIMEOUT_PENDING);
	CHECK_INT(out_type(b, 0), SSTP_MSG_CALL_DISCONNECT_ACK);
	CHECK(!sstp_call_data_allowed(&b->call));
	deliver(b, a);
	CHECK_INT(a->downs, 1);
	CHECK_INT(a->reason, SSTP_CALL_DOWN_DISCONNECT);
	CHECK_INT(b->downs, 0);
	advance(a, b, SSTP_CALL_DISCONNECT2_MS - 1);
	CHECK_INT(b->downs, 0);
	advance(a, b, 1);
	CHECK_INT(b->downs, 1);
	CHECK_INT(b->reason, SSTP_CALL_DOWN_PEER_DISCONNECT);
	CHECK_INT(a->downs, 1);
}

TEST(disconnect_handshake_client_initiated)
{
	check_disconnect(true);
}

TEST(disconnect_handshake_server_initiated)
{
	check_disconnect(false);
}

TEST(disconnect_unanswered_times_out)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	sstp_call_disconnect(&c.call, now);
	advance(&c, NULL, SSTP_CALL_DISCONNECT1_MS - 1);
	CHECK_INT(c.downs, 0);
	advance(&c, NULL, 1);
	CHECK_INT(c.downs, 1);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_DISCONNECT_TIMEOUT);
}

TEST(disconnect_crossing)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	sstp_call_disconnect(&c.call, now);
	sstp_call_disconnect(&s.call, now);
	deliver(&c, &s);
	deliver(&s, &c);
	/* each acknowledged the other's and lingers 1 s */
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_DISCONNECT_TIMEOUT_PENDING);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_DISCONNECT_TIMEOUT_PENDING);
	pump(&s, &c);	/* the late ACKs are ignored */
	advance(&s, &c, SSTP_CALL_DISCONNECT2_MS);
	CHECK_INT(s.downs, 1);
	CHECK_INT(c.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_DISCONNECT);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_DISCONNECT);
}

TEST(disconnect_during_negotiation)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	CHECK_INT(sstp_call_disconnect(&c.call, now), 0);
	pump(&s, &c);
	CHECK_INT(c.downs, 1);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_DISCONNECT);
	advance(&s, NULL, SSTP_CALL_DISCONNECT2_MS);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_PEER_DISCONNECT);
}

TEST(peer_abort_while_connected)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	CHECK_INT(sstp_call_abort(&s.call, SSTP_ATTR_STATUS_INFO,
				  SSTP_STATUS_INVALID_FRAME_RECEIVED, "test", now), 0);
	CHECK_INT(sstp_call_abort(&s.call, 0, 0, NULL, now), -EALREADY);
	CHECK(!sstp_call_data_allowed(&s.call));
	deliver(&s, &c);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_INVALID_FRAME_RECEIVED);
	/* the answer moves the initiator to the 1 s wait */
	deliver(&c, &s);
	CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_ABORT_TIMEOUT_PENDING);
	advance(&s, &c, SSTP_CALL_ABORT2_MS);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_PEER_ABORT);
	CHECK_INT(c.status, SSTP_STATUS_INVALID_FRAME_RECEIVED);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(s.downs + c.downs, 2);
}

TEST(abort_pending_ignores_everything_but_abort)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	sstp_call_abort(&c.call, SSTP_ATTR_STATUS_INFO,
			SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, NULL, now);
	c.n_out = 0;
	feed_hex(&c, "10 01 00 08 00 08 00 00");	/* ECHO_REQUEST */
	feed_hex(&c, "10 01 00 08 00 06 00 00");	/* CALL_DISCONNECT */
	feed_hex(&c, "10 01 00 08 00 0F 00 00");	/* garbage type */
	CHECK_INT(c.n_out, 0);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_ABORT_PENDING);
	CHECK_INT(sstp_call_disconnect(&c.call, now), -EALREADY);
	feed_hex(&c, "10 01 00 08 00 05 00 00");	/* CALL_ABORT */
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_ABORT_TIMEOUT_PENDING);
	feed_hex(&c, "10 01 00 08 00 05 00 00");
	CHECK_INT(c.n_out, 0);
	advance(&c, NULL, SSTP_CALL_ABORT2_MS);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(c.status, SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);
}

TEST(abort_during_disconnect)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	sstp_call_disconnect(&c.call, now);
	c.n_out = 0;
	feed_hex(&c, "10 01 00 08 00 08 00 00");	/* ignored */
	CHECK_INT(c.n_out, 0);
	feed_hex(&c, "10 01 00 14 00 05 00 01 00 02 00 0C 00 00 00 02 00 00 00 08");
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_ABORT_TIMEOUT_PENDING);
	advance(&c, NULL, SSTP_CALL_ABORT2_MS);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_PEER_ABORT);
	CHECK_INT(c.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
}

/* ------------------------------------------------------------ NAK */

static const char *const bad_proto_req = "10 01 00 0E 00 01 00 01 00 01 00 06 00 02";

TEST(server_naks_then_aborts_after_retries)
{
	struct peer s;
	struct sstp_ctrl m;
	int i;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	sstp_call_start(&s.call, now);
	for (i = 0; i < SSTP_CALL_NAK_RETRIES; i++) {
		s.n_out = 0;
		feed_hex(&s, bad_proto_req);
		CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_CONNECT_NAK);
		CHECK_INT(sstp_ctrl_decode(s.out[0], s.out_len[0], &m), 0);
		CHECK_INT(m.n_status, 1);
		CHECK_INT(m.status[0].attr_id, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
		CHECK_INT(m.status[0].status, SSTP_STATUS_VALUE_NOT_SUPPORTED);
		CHECK_INT(m.status[0].value_len, 2);
		CHECK_INT(m.status[0].value[1], 2);
		CHECK_INT(sstp_call_state(&s.call),
			  SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING);
	}
	s.n_out = 0;
	feed_hex(&s, bad_proto_req);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_RETRY_COUNT_EXCEEDED);
	CHECK_INT(s.ppp_started, 0);
}

TEST(server_nak_lists_every_problem)
{
	struct peer s;
	struct sstp_ctrl m;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	sstp_call_start(&s.call, now);
	/* unknown attribute 9 + no Encapsulated Protocol ID */
	feed_hex(&s, "10 01 00 0E 00 01 00 01 00 09 00 06 00 01");
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_CONNECT_NAK);
	CHECK_INT(sstp_ctrl_decode(s.out[0], s.out_len[0], &m), 0);
	CHECK_INT(m.n_status, 2);
	CHECK_INT(m.status[0].attr_id, 9);
	CHECK_INT(m.status[0].status, SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE);
	CHECK_INT(m.status[1].attr_id, SSTP_ATTR_STATUS_INFO);
	CHECK_INT(m.status[1].status, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING);
}

TEST(server_accepts_good_request_after_nak)
{
	struct peer s, c;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	sstp_call_start(&s.call, now);
	feed_hex(&s, bad_proto_req);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_CONNECT_NAK);
	s.n_out = 0;
	sstp_call_start(&c.call, now);
	deliver(&c, &s);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_CONNECT_ACK);
	CHECK_INT(s.ppp_started, 1);
}

TEST(client_retries_on_nak_then_aborts)
{
	struct peer c;
	/* NAK: Encapsulated Protocol ID / VALUE_NOT_SUPPORTED / 00 01 */
	static const char *const nak =
		"10 01 00 16 00 03 00 01 00 02 00 0E 00 00 00 01 00 00 00 04 00 01";
	int i;

	now = 0;
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	sstp_call_start(&c.call, now);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_CONNECT_REQUEST);
	for (i = 0; i < SSTP_CALL_NAK_RETRIES; i++) {
		c.n_out = 0;
		now += 1000;
		feed_hex(&c, nak);
		CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_CONNECT_REQUEST);
		CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT);
		/* negotiation timer restarted */
		CHECK(sstp_call_next_deadline(&c.call) == now + SSTP_CALL_NEGOTIATION_MS);
	}
	c.n_out = 0;
	feed_hex(&c, nak);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_RETRY_COUNT_EXCEEDED);
	CHECK_INT(c.ppp_started, 0);
}

/* ------------------------------------------------------------ bad input */

TEST(malformed_packet_aborts_only_that_call)
{
	struct peer s1, c1, s2, c2;

	CHECK_INT(connect_pair(&s1, &c1, 0), 0);
	CHECK_INT(connect_pair(&s2, &c2, 0), 0);
	/* an attribute running past the end */
	feed_hex(&s1, "10 01 00 0E 00 05 00 01 00 02 00 20 00 01");
	CHECK_INT(out_type(&s1, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(out_status(&s1, 0, NULL), SSTP_STATUS_INVALID_FRAME_RECEIVED);
	CHECK(!sstp_call_data_allowed(&s1.call));
	CHECK(sstp_call_data_allowed(&s2.call));
	CHECK_INT(s2.n_out, 0);
	/* unknown message type */
	feed_hex(&s2, "10 01 00 08 00 0C 00 00");
	CHECK_INT(out_status(&s2, 0, NULL), SSTP_STATUS_INVALID_FRAME_RECEIVED);
}

TEST(bad_attributes_in_echo_abort)
{
	struct peer s, c;
	uint8_t attr;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&s, "10 01 00 0E 00 08 00 01 00 01 00 06 00 01");
	CHECK_INT(out_status(&s, 0, &attr), SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG);
	CHECK_INT(attr, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID);
}

TEST(unexpected_messages_abort)
{
	struct peer s, c;

	/* connected server gets a CALL_CONNECT_REQUEST */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&s, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
	CHECK_INT(out_status(&s, 0, NULL), SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);

	/* client gets a CALL_CONNECT_REQUEST */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&c, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);

	/* ECHO_REQUEST before the call is connected */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	s.n_out = 0;
	feed_hex(&s, "10 01 00 08 00 08 00 00");
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);

	/* DISCONNECT_ACK out of the blue */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&c, "10 01 00 08 00 07 00 00");
	CHECK_INT(out_status(&c, 0, NULL), SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED);

	/* a second CALL_CONNECT_ACK on a connected client */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&c, "10 01 00 30 00 02 00 01 00 04 00 28 00 00 00 02"
		     "00000000000000000000000000000000"
		     "00000000000000000000000000000000");
	CHECK_INT(out_type(&c, 0), SSTP_MSG_CALL_ABORT);

	/* a data packet handed to the control input is the caller's bug */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	{
		uint8_t d[8] = { 0x10, 0x00, 0x00, 0x08, 0xff, 0x03, 0x00, 0x21 };

		CHECK_INT(sstp_call_input(&s.call, d, sizeof(d), now), -EINVAL);
		CHECK_INT(sstp_call_state(&s.call), SSTP_CALL_CONNECTED);
	}
}

TEST(echo_request_answered_when_connected)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&c, "10 01 00 08 00 08 00 00");
	CHECK_INT(c.n_out, 1);
	CHECK_INT(out_type(&c, 0), SSTP_MSG_ECHO_RESPONSE);
	CHECK_INT(c.out_len[0], 8);
	feed_hex(&c, "10 01 00 08 00 09 00 00");	/* unsolicited response: fine */
	CHECK_INT(c.n_out, 1);
	CHECK_INT(sstp_call_state(&c.call), SSTP_CALL_CONNECTED);
}

/* ------------------------------------------------------------ lower layer */

TEST(lower_down_reasons)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	sstp_call_lower_down(&s.call, SSTP_CALL_DOWN_LOWER, "tcp reset");
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_LOWER);
	sstp_call_lower_down(&s.call, SSTP_CALL_DOWN_LOWER, "again");
	CHECK_INT(s.downs, 1);
	CHECK_INT(sstp_call_disconnect(&s.call, now), -ENOTCONN);

	/* the peer closes right after acknowledging our disconnect */
	CHECK_INT(connect_pair(&s, &c, 0), 0);
	deliver(&c, &s);
	sstp_call_disconnect(&c.call, now);
	deliver(&c, &s);
	sstp_call_lower_down(&s.call, SSTP_CALL_DOWN_LOWER, "peer closed");
	CHECK_INT(s.reason, SSTP_CALL_DOWN_PEER_DISCONNECT);
	sstp_call_lower_down(&c.call, SSTP_CALL_DOWN_LOWER, "peer closed");
	CHECK_INT(c.reason, SSTP_CALL_DOWN_DISCONNECT);
}

TEST(send_failure_takes_call_down)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	c.fail_send = 1;
	sstp_call_set_hlak(&c.call, hlak_a, now);
	CHECK_INT(c.downs, 1);
	CHECK_INT(c.reason, SSTP_CALL_DOWN_LOWER);
	CHECK_INT(c.connected, 0);
	CHECK(!sstp_call_data_allowed(&c.call));

	now = 0;
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	c.fail_send = 1;
	CHECK_INT(sstp_call_start(&c.call, now), 0);
	CHECK_INT(c.downs, 1);
	CHECK(sstp_call_is_down(&c.call));
}

TEST(set_hlak_return_codes)
{
	struct peer s, c;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	peer_init(&c, SSTP_CALL_CLIENT, 3, 0);
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), -ENOTCONN);
	sstp_call_start(&s.call, now);
	sstp_call_start(&c.call, now);
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), -EAGAIN);
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), -ENOTCONN);
	deliver(&c, &s);
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), 0);
	CHECK_INT(sstp_call_set_hlak(&s.call, hlak_a, now), -EALREADY);
}

TEST(init_rejects_bad_config)
{
	struct sstp_call_config cfg;
	struct sstp_call call;
	struct sstp_call_ops bad = { 0 };

	sstp_call_config_init(&cfg, SSTP_CALL_SERVER);
	CHECK_INT(cfg.hash_mask, 3);
	CHECK_INT(cfg.hello_ms, SSTP_CALL_HELLO_MS);
	CHECK_INT(cfg.negotiation_ms, SSTP_CALL_NEGOTIATION_MS);
	CHECK_INT(sstp_call_init(&call, &cfg, &bad, NULL), -EINVAL);
	cfg.hash_mask = 0;
	CHECK_INT(sstp_call_init(&call, &cfg, &ops, NULL), -EINVAL);
	cfg.hash_mask = 4;
	CHECK_INT(sstp_call_init(&call, &cfg, &ops, NULL), -EINVAL);
	CHECK_STR(sstp_call_state_name(SSTP_CALL_ABORT_PENDING), "Call_Abort_Pending");
	CHECK_STR(sstp_call_reason_name(SSTP_CALL_DOWN_HELLO_TIMEOUT), "hello timeout");
}

/* The default random source (RAND_bytes) gives a nonce too. */
TEST(default_random_source)
{
	static const struct sstp_call_ops plain = {
		.send_ctrl = peer_send,
		.down = peer_down,
	};
	struct sstp_call_config cfg;
	struct peer s;
	static const uint8_t zero[32];

	memset(&s, 0, sizeof(s));
	sstp_call_config_init(&cfg, SSTP_CALL_SERVER);
	CHECK_INT(sstp_call_init(&s.call, &cfg, &plain, &s), 0);
	sstp_call_start(&s.call, 0);
	feed_hex(&s, "10 01 00 0E 00 01 00 01 00 01 00 06 00 01");
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_CONNECT_ACK);
	CHECK(memcmp(s.call.nonce, zero, 32));
	CHECK_MEM(s.out[0] + 16, s.call.nonce, 32);
}

TEST(abort_detail_is_copied_and_reported)
{
	struct peer s, c;
	char why[32];

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	snprintf(why, sizeof(why), "ppp said %d", 42);
	sstp_call_abort(&s.call, SSTP_ATTR_STATUS_INFO,
			SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, why, now);
	memset(why, 'x', sizeof(why) - 1);	/* the caller's buffer is gone */
	advance(&s, NULL, SSTP_CALL_ABORT1_MS);
	CHECK_INT(s.downs, 1);
	CHECK_STR(s.detail, "ppp said 42");

	/* the crypto binding failure says which check failed */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	sstp_call_set_hlak(&s.call, hlak_b, now);
	sstp_call_set_hlak(&c.call, hlak_a, now);
	deliver(&c, &s);
	advance(&s, NULL, SSTP_CALL_ABORT1_MS);
	CHECK_STR(s.detail, "compound MAC mismatch");
}

TEST(undefined_hash_bits_are_never_offered)
{
	struct peer s, c;

	CHECK_INT(negotiate(&s, &c, 0xff, 3, 0), 0);
	CHECK_INT(s.out[0][15], 3);	/* the ACK's Hash Protocol Bitmask */
	CHECK_INT(c.call.hash_proto, SSTP_HASH_SHA256);
}

TEST(unexpected_message_detail_names_message_and_state)
{
	struct peer s, c;

	CHECK_INT(connect_pair(&s, &c, 0), 0);
	feed_hex(&s, "10 01 00 08 00 07 00 00");
	advance(&s, NULL, SSTP_CALL_ABORT1_MS);
	CHECK_STR(s.detail, "CALL_DISCONNECT_ACK not expected in Call_Connected");
}

TEST(abort_that_cannot_be_sent_keeps_its_reason)
{
	struct peer s;

	now = 0;
	peer_init(&s, SSTP_CALL_SERVER, 3, 0);
	sstp_call_start(&s.call, now);
	s.fail_send = 1;
	advance(&s, NULL, SSTP_CALL_NEGOTIATION_MS);
	CHECK_INT(s.downs, 1);
	CHECK_INT(s.reason, SSTP_CALL_DOWN_ABORT);
	CHECK_INT(s.status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
}

/* A server with several HLAK candidates (EAP): a binding made with any of
 * them verifies, the index says which; one made with none aborts. A
 * client with candidates uses the first. */
TEST(hlak_candidates)
{
	static const uint8_t zero[32];
	uint8_t cands[3][32];
	struct peer s, c;

	memcpy(cands[0], hlak_b, 32);
	memcpy(cands[1], zero, 32);
	memcpy(cands[2], hlak_a, 32);
	for (int early = 0; early < 2; early++) {
		CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
		CHECK_INT(sstp_call_hlak_matched(&s.call), -1);
		if (!early)
			CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands,
						      3, now), 0);
		CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), 0);
		deliver(&c, &s);
		if (early)
			CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands,
						      3, now), 0);
		CHECK_INT(s.connected, 1);
		CHECK_INT(sstp_call_hlak_matched(&s.call), 2);
		sstp_call_uninit(&s.call);
		sstp_call_uninit(&c.call);
	}
	/* The client's is the first of its list. */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands, 2, now), 0);
	CHECK_INT(sstp_call_set_hlaks(&c.call, (const uint8_t (*)[32])cands + 1, 2, now), 0);
	deliver(&c, &s);
	CHECK_INT(s.connected, 1);
	CHECK_INT(sstp_call_hlak_matched(&s.call), 1);
	sstp_call_uninit(&s.call);
	sstp_call_uninit(&c.call);
	/* None of them: CALL_ABORT. */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands, 2, now), 0);
	CHECK_INT(sstp_call_set_hlak(&c.call, hlak_a, now), 0);
	deliver(&c, &s);
	CHECK_INT(s.connected, 0);
	CHECK_INT(out_type(&s, 0), SSTP_MSG_CALL_ABORT);
	CHECK_INT(sstp_call_hlak_matched(&s.call), -1);
	sstp_call_uninit(&s.call);
	sstp_call_uninit(&c.call);
	/* No candidate, or too many: refused, nothing taken. */
	CHECK_INT(negotiate(&s, &c, 3, 3, 0), 0);
	CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands, 0, now),
		  -EINVAL);
	CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands,
				      SSTP_HLAK_MAX + 1, now), -EINVAL);
	CHECK_INT(sstp_call_set_hlaks(&s.call, (const uint8_t (*)[32])cands, 1, now), 0);
	sstp_call_uninit(&s.call);
	sstp_call_uninit(&c.call);
}
