// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SSTP call state machines (MS-SSTP 3.1 - 3.3). One timer per call: each
 * state has at most one running (negotiation, hello, abort 1/2, disconnect
 * 1/2), so a single deadline is enough. See docs/sstp-call.md.
 *
 * Rule kept throughout: the state and deadline are updated before a packet
 * is sent, so a send failure (which takes the call down) leaves nothing
 * half done; after a send, a function returns unless the call is still up.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "proto/sstp_call.h"

void sstp_call_config_init(struct sstp_call_config *cfg,
			   enum sstp_call_role role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->role = role;
	cfg->hash_mask = SSTP_HASH_MASK_SHA1 | SSTP_HASH_MASK_SHA256;
	cfg->negotiation_ms = SSTP_CALL_NEGOTIATION_MS;
	cfg->hello_ms = SSTP_CALL_HELLO_MS;
	cfg->nak_retries = SSTP_CALL_NAK_RETRIES;
}

int sstp_call_init(struct sstp_call *c, const struct sstp_call_config *cfg,
		   const struct sstp_call_ops *ops, void *ctx)
{
	if (!ops || !ops->send_ctrl || !ops->down)
		return -EINVAL;
	if (cfg->role != SSTP_CALL_SERVER && cfg->role != SSTP_CALL_CLIENT)
		return -EINVAL;
	if (!(cfg->hash_mask & (SSTP_HASH_MASK_SHA1 | SSTP_HASH_MASK_SHA256)))
		return -EINVAL;
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	/* Only bits 0 and 1 are defined: never offer the others. */
	c->cfg.hash_mask &= SSTP_HASH_MASK_SHA1 | SSTP_HASH_MASK_SHA256;
	if (!c->cfg.negotiation_ms)
		c->cfg.negotiation_ms = SSTP_CALL_NEGOTIATION_MS;
	c->ops = ops;
	c->ctx = ctx;
	c->state = SSTP_CALL_IDLE;
	c->deadline = SSTP_CALL_NO_DEADLINE;
	c->hash_proto = -1;
	c->hlak_matched = -1;
	return 0;
}

static void sstp_call_wipe(struct sstp_call *c)
{
	OPENSSL_cleanse(c->hlak, sizeof(c->hlak));
	OPENSSL_cleanse(c->held_pkt, sizeof(c->held_pkt));
	c->have_hlak = false;
	c->held = false;
}

void sstp_call_uninit(struct sstp_call *c)
{
	sstp_call_wipe(c);
}

/* ------------------------------------------------------------ helpers */

static void sstp_call_down(struct sstp_call *c, enum sstp_call_reason reason,
			   uint32_t status, const char *detail)
{
	if (c->state == SSTP_CALL_DOWN)
		return;
	c->state = SSTP_CALL_DOWN;
	c->deadline = SSTP_CALL_NO_DEADLINE;
	sstp_call_wipe(c);
	c->ops->down(c->ctx, reason, status, detail ? detail : "");
}

static bool sstp_call_closing(const struct sstp_call *c);

static int sstp_call_send(struct sstp_call *c, const uint8_t *pkt, size_t len)
{
	int err = c->ops->send_ctrl(c->ctx, pkt, len);

	if (!err)
		return 0;
	/* A teardown that could not be announced still has its reason. */
	if (sstp_call_closing(c))
		sstp_call_down(c, c->reason, c->status, c->detail);
	else
		sstp_call_down(c, SSTP_CALL_DOWN_LOWER, 0,
			       "sending a control packet failed");
	return err;
}

static int sstp_call_send_msg(struct sstp_call *c, const struct sstp_ctrl *msg)
{
	uint8_t buf[SSTP_PKT_MAX];
	int n = sstp_ctrl_encode(msg, buf, sizeof(buf));

	if (n < 0) {	/* cannot happen with the messages built here */
		sstp_call_down(c, SSTP_CALL_DOWN_LOWER, 0, "encoding failed");
		return n;
	}
	return sstp_call_send(c, buf, n);
}

static int sstp_call_send_simple(struct sstp_call *c, uint16_t type)
{
	struct sstp_ctrl msg;

	sstp_ctrl_init(&msg, type);
	return sstp_call_send_msg(c, &msg);
}

static int sstp_call_random(struct sstp_call *c, uint8_t *buf, size_t len)
{
	if (c->ops->random)
		return c->ops->random(c->ctx, buf, len);
	return RAND_bytes(buf, (int)len) == 1 ? 0 : -EIO;
}

static bool sstp_call_running(const struct sstp_call *c)
{
	return c->state != SSTP_CALL_IDLE && c->state != SSTP_CALL_DOWN;
}

/* Aborting or disconnecting already: the spec's "ignore the message" set. */
static bool sstp_call_closing(const struct sstp_call *c)
{
	switch (c->state) {
	case SSTP_CALL_ABORT_PENDING:
	case SSTP_CALL_ABORT_TIMEOUT_PENDING:
	case SSTP_CALL_DISCONNECT_ACK_PENDING:
	case SSTP_CALL_DISCONNECT_TIMEOUT_PENDING:
		return true;
	default:
		return false;
	}
}

/* What down() will report when the teardown now starting completes. */
static void sstp_call_set_reason(struct sstp_call *c,
				 enum sstp_call_reason reason, uint32_t status,
				 const char *detail)
{
	c->reason = reason;
	c->status = status;
	snprintf(c->detail, sizeof(c->detail), "%s", detail ? detail : "");
}

/* Call_Abort_In_Progress_1 (3.1.5.1): send CALL_ABORT, wait 3 s for the
 * peer's. */
static void sstp_call_abort_start(struct sstp_call *c, uint8_t attr_id,
				  uint32_t status, const char *detail,
				  uint64_t now)
{
	struct sstp_ctrl msg;

	c->state = SSTP_CALL_ABORT_PENDING;
	c->deadline = now + SSTP_CALL_ABORT1_MS;
	sstp_call_set_reason(c, SSTP_CALL_DOWN_ABORT, status, detail);
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_ABORT);
	sstp_ctrl_add_status(&msg, attr_id, status, NULL, 0);
	sstp_call_send_msg(c, &msg);
}

static void sstp_call_unexpected(struct sstp_call *c, uint16_t type,
				 uint64_t now)
{
	char detail[sizeof(c->detail)];

	snprintf(detail, sizeof(detail), "%s not expected in %s",
		 sstp_msg_type_name(type), sstp_call_state_name(c->state));
	sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
			      SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED, detail, now);
}

/* Abort because decoding found bad attributes: report the first problem. */
static void sstp_call_abort_bad_attr(struct sstp_call *c,
				     const struct sstp_ctrl *msg, uint64_t now)
{
	sstp_call_abort_start(c, msg->err[0].attr_id, msg->err[0].status,
			      "invalid attributes in control message", now);
}

/* Call_Abort_In_Progress_2: the peer aborts, answer and linger 1 s. */
static void sstp_call_peer_abort(struct sstp_call *c,
				 const struct sstp_ctrl *msg, uint64_t now)
{
	struct sstp_ctrl reply;

	c->state = SSTP_CALL_ABORT_TIMEOUT_PENDING;
	c->deadline = now + SSTP_CALL_ABORT2_MS;
	sstp_call_set_reason(c, SSTP_CALL_DOWN_PEER_ABORT,
			     msg && msg->n_status ? msg->status[0].status : 0,
			     "peer sent CALL_ABORT");
	sstp_ctrl_init(&reply, SSTP_MSG_CALL_ABORT);
	if (msg && msg->n_status)
		sstp_ctrl_add_status(&reply, msg->status[0].attr_id,
				     msg->status[0].status, NULL, 0);
	sstp_call_send_msg(c, &reply);
}

/* Call_Disconnect_In_Progress_2: acknowledge and linger 1 s. */
static void sstp_call_peer_disconnect(struct sstp_call *c, uint64_t now)
{
	if (c->state != SSTP_CALL_DISCONNECT_ACK_PENDING) {
		sstp_call_set_reason(c, SSTP_CALL_DOWN_PEER_DISCONNECT,
				     SSTP_STATUS_NO_ERROR, "peer sent CALL_DISCONNECT");
	}	/* else both sides disconnect at once: keep our own reason */
	c->state = SSTP_CALL_DISCONNECT_TIMEOUT_PENDING;
	c->deadline = now + SSTP_CALL_DISCONNECT2_MS;
	sstp_call_send_simple(c, SSTP_MSG_CALL_DISCONNECT_ACK);
}

static void sstp_call_hello_start(struct sstp_call *c, uint64_t now)
{
	c->last_rx = now;
	c->echo_sent = false;
	c->deadline = c->cfg.hello_ms ? now + c->cfg.hello_ms
				      : SSTP_CALL_NO_DEADLINE;
}

void sstp_call_hello_off(struct sstp_call *c)
{
	c->cfg.hello_ms = 0;
	if (c->state == SSTP_CALL_CONNECTED)
		c->deadline = SSTP_CALL_NO_DEADLINE;
}

static void sstp_call_established(struct sstp_call *c, uint64_t now)
{
	c->state = SSTP_CALL_CONNECTED;
	sstp_call_hello_start(c, now);
}

/* ------------------------------------------------------------ server */

static void sstp_call_server_request(struct sstp_call *c,
				     const struct sstp_ctrl *msg, int decoded,
				     uint64_t now)
{
	struct sstp_ctrl reply;
	unsigned int i;

	if (decoded == -EINVAL) {
		/* 3.3.5.2.2: NAK what we cannot accept, a limited number of times. */
		if (c->naks >= c->cfg.nak_retries) {
			sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
					      SSTP_STATUS_RETRY_COUNT_EXCEEDED,
					      "too many unacceptable CALL_CONNECT_REQUESTs",
					      now);
			return;
		}
		c->naks++;
		sstp_ctrl_init(&reply, SSTP_MSG_CALL_CONNECT_NAK);
		for (i = 0; i < msg->n_err; i++)
			sstp_ctrl_add_status(&reply, msg->err[i].attr_id,
					     msg->err[i].status, msg->err[i].value,
					     msg->err[i].value_len);
		sstp_call_send_msg(c, &reply);
		return;
	}

	if (sstp_call_random(c, c->nonce, sizeof(c->nonce))) {
		sstp_call_down(c, SSTP_CALL_DOWN_ABORT,
			       SSTP_STATUS_NO_ERROR, "no random bytes for the nonce");
		return;
	}
	c->state = SSTP_CALL_SERVER_CALL_CONNECTED_PENDING;
	c->deadline = now + c->cfg.negotiation_ms;
	sstp_ctrl_init(&reply, SSTP_MSG_CALL_CONNECT_ACK);
	reply.has_binding_req = true;
	reply.binding_req.hash_mask = c->cfg.hash_mask;
	memcpy(reply.binding_req.nonce, c->nonce, SSTP_NONCE_LEN);
	if (sstp_call_send_msg(c, &reply))
		return;
	if (c->ops->ppp_start)
		c->ops->ppp_start(c->ctx);
}

/* Check the crypto binding of pkt with the HLAK we now have (3.3.5.2.3). */
static void sstp_call_server_verify(struct sstp_call *c, const uint8_t *pkt,
				    size_t len, uint64_t now)
{
	enum crypto_binding_fail why = CRYPTO_BINDING_OK;
	unsigned int i;
	int err = -EACCES;

	/* Only the MAC depends on the HLAK: the next candidate is tried
	 * when that is all that failed. */
	for (i = 0; i < c->n_hlak; i++) {
		err = crypto_binding_verify(pkt, len, c->cfg.hash_mask, c->nonce,
					    &c->cfg.cert, c->hlak[i], &why);
		if (!err)
			c->hlak_matched = (int)i;
		if (err != -EACCES || why != CRYPTO_BINDING_BAD_MAC)
			break;
	}
	c->held = false;
	OPENSSL_cleanse(c->held_pkt, sizeof(c->held_pkt));
	if (err == -EBADMSG) {
		sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
				      SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
				      crypto_binding_fail_name(why), now);
		return;
	}
	if (err) {
		sstp_call_abort_start(c, SSTP_ATTR_CRYPTO_BINDING,
				      SSTP_STATUS_VALUE_NOT_SUPPORTED,
				      err == -EACCES ? crypto_binding_fail_name(why)
						     : "crypto binding check failed",
				      now);
		return;
	}
	c->hash_proto = pkt[SSTP_CONNECTED_HASH_PROTO_OFF];
	sstp_call_established(c, now);
	if (c->ops->connected)
		c->ops->connected(c->ctx);
}

static void sstp_call_server_connected(struct sstp_call *c, const uint8_t *pkt,
				       size_t len, int decoded, uint64_t now)
{
	if (decoded == -EINVAL || len != SSTP_CALL_CONNECTED_LEN) {
		sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
				      SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG,
				      "CALL_CONNECTED without a valid crypto binding",
				      now);
		return;
	}
	if (c->held) {
		sstp_call_unexpected(c, SSTP_MSG_CALL_CONNECTED, now);
		return;
	}
	if (!c->have_hlak) {
		/*
		 * sstp-client sends CALL_CONNECTED as soon as its own PPP
		 * authentication is done, which can be before ours: keep it
		 * until the HLAK arrives (negotiation timer still running).
		 */
		memcpy(c->held_pkt, pkt, SSTP_CALL_CONNECTED_LEN);
		c->held = true;
		return;
	}
	sstp_call_server_verify(c, pkt, len, now);
}

/* ------------------------------------------------------------ client */

static int sstp_call_client_send_request(struct sstp_call *c)
{
	struct sstp_ctrl msg;

	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECT_REQUEST);
	msg.has_encap = true;
	msg.encap_proto = SSTP_ENCAP_PROTO_PPP;
	return sstp_call_send_msg(c, &msg);
}

static void sstp_call_client_ack(struct sstp_call *c,
				 const struct sstp_ctrl *msg, int decoded,
				 uint64_t now)
{
	int proto;

	if (decoded == -EINVAL) {
		sstp_call_abort_bad_attr(c, msg, now);
		return;
	}
	/* 3.2.5.3.2: at least one hash offered, and one we support. */
	proto = crypto_binding_choose(msg->binding_req.hash_mask,
				      c->cfg.hash_mask);
	if (proto < 0) {
		sstp_call_abort_start(c, SSTP_ATTR_CRYPTO_BINDING_REQ,
				      SSTP_STATUS_VALUE_NOT_SUPPORTED,
				      "no common crypto binding hash", now);
		return;
	}
	c->hash_proto = proto;
	c->hash_mask = msg->binding_req.hash_mask;
	memcpy(c->nonce, msg->binding_req.nonce, SSTP_NONCE_LEN);
	c->state = SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED;
	c->deadline = now + c->cfg.negotiation_ms;
	if (c->ops->ppp_start)
		c->ops->ppp_start(c->ctx);
}

static void sstp_call_client_nak(struct sstp_call *c,
				 const struct sstp_ctrl *msg, int decoded,
				 uint64_t now)
{
	if (decoded == -EINVAL) {
		sstp_call_abort_bad_attr(c, msg, now);
		return;
	}
	if (c->naks >= c->cfg.nak_retries) {
		sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
				      SSTP_STATUS_RETRY_COUNT_EXCEEDED,
				      "server kept refusing CALL_CONNECT_REQUEST",
				      now);
		return;
	}
	c->naks++;
	c->deadline = now + c->cfg.negotiation_ms;
	sstp_call_client_send_request(c);
}

/* ------------------------------------------------------------ API */

int sstp_call_start(struct sstp_call *c, uint64_t now)
{
	if (c->state != SSTP_CALL_IDLE)
		return -EALREADY;
	c->deadline = now + c->cfg.negotiation_ms;
	if (c->cfg.role == SSTP_CALL_SERVER) {
		c->state = SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING;
		return 0;
	}
	c->state = SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT;
	sstp_call_client_send_request(c);
	return 0;
}

/* The states where nothing but teardown messages matter (3.1.1.1). */
static void sstp_call_input_closing(struct sstp_call *c, uint16_t type,
				    const uint8_t *pkt, size_t len, uint64_t now)
{
	struct sstp_ctrl msg;

	switch (c->state) {
	case SSTP_CALL_ABORT_PENDING:
		/* Their CALL_ABORT (or their answer to ours): linger 1 s. */
		if (type == SSTP_MSG_CALL_ABORT) {
			c->state = SSTP_CALL_ABORT_TIMEOUT_PENDING;
			c->deadline = now + SSTP_CALL_ABORT2_MS;
		}
		break;
	case SSTP_CALL_DISCONNECT_ACK_PENDING:
		if (type == SSTP_MSG_CALL_DISCONNECT_ACK) {
			sstp_call_down(c, SSTP_CALL_DOWN_DISCONNECT,
				       SSTP_STATUS_NO_ERROR,
				       "disconnect acknowledged");
		} else if (type == SSTP_MSG_CALL_DISCONNECT) {
			sstp_call_peer_disconnect(c, now);
		} else if (type == SSTP_MSG_CALL_ABORT) {
			/* A malformed Status Info does not stop an abort. */
			if (sstp_ctrl_decode(pkt, len, &msg) == -EBADMSG)
				sstp_call_peer_abort(c, NULL, now);
			else
				sstp_call_peer_abort(c, &msg, now);
		}
		break;
	default:	/* *_TIMEOUT_PENDING: wait for the timer */
		break;
	}
}

int sstp_call_input(struct sstp_call *c, const uint8_t *pkt, size_t len,
		    uint64_t now)
{
	struct sstp_ctrl msg;
	uint16_t type;
	int r;

	if (!sstp_call_running(c))
		return -ENOTCONN;
	if (len < SSTP_CTRL_HDR_LEN || !sstp_proto_hdr_ctrl(pkt))
		return -EINVAL;

	/* Any packet restarts the hello timer (3.1.2.3). */
	c->last_rx = now;
	c->echo_sent = false;

	type = sstp_proto_ctrl_type(pkt);
	if (sstp_call_closing(c)) {
		sstp_call_input_closing(c, type, pkt, len, now);
		return 0;
	}

	r = sstp_ctrl_decode(pkt, len, &msg);
	if (r == -EBADMSG) {
		sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
				      SSTP_STATUS_INVALID_FRAME_RECEIVED,
				      "malformed control packet", now);
		return 0;
	}

	switch (type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		if (c->state == SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING)
			sstp_call_server_request(c, &msg, r, now);
		else
			sstp_call_unexpected(c, type, now);
		return 0;
	case SSTP_MSG_CALL_CONNECTED:
		if (c->state == SSTP_CALL_SERVER_CALL_CONNECTED_PENDING)
			sstp_call_server_connected(c, pkt, len, r, now);
		else
			sstp_call_unexpected(c, type, now);
		return 0;
	case SSTP_MSG_CALL_CONNECT_ACK:
		if (c->state == SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT)
			sstp_call_client_ack(c, &msg, r, now);
		else
			sstp_call_unexpected(c, type, now);
		return 0;
	case SSTP_MSG_CALL_CONNECT_NAK:
		if (c->state == SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT)
			sstp_call_client_nak(c, &msg, r, now);
		else
			sstp_call_unexpected(c, type, now);
		return 0;
	case SSTP_MSG_CALL_ABORT:
		sstp_call_peer_abort(c, &msg, now);
		return 0;
	case SSTP_MSG_CALL_DISCONNECT:
		sstp_call_peer_disconnect(c, now);
		return 0;
	}

	/* DISCONNECT_ACK, ECHO_*: no attributes allowed. */
	if (r == -EINVAL) {
		sstp_call_abort_bad_attr(c, &msg, now);
		return 0;
	}
	if (type == SSTP_MSG_CALL_DISCONNECT_ACK || c->state != SSTP_CALL_CONNECTED) {
		sstp_call_unexpected(c, type, now);
		return 0;
	}
	if (type == SSTP_MSG_ECHO_REQUEST)
		sstp_call_send_simple(c, SSTP_MSG_ECHO_RESPONSE);
	/* ECHO_RESPONSE: the hello timer restart above is all it does. */
	return 0;
}

void sstp_call_rx_activity(struct sstp_call *c, uint64_t now)
{
	c->last_rx = now;
	c->echo_sent = false;
}

int sstp_call_hlak_matched(const struct sstp_call *c)
{
	return c->hlak_matched;
}

int sstp_call_set_hlak(struct sstp_call *c, const uint8_t *hlak, uint64_t now)
{
	uint8_t h[1][SSTP_HLAK_LEN];
	int err;

	if (hlak)
		memcpy(h[0], hlak, SSTP_HLAK_LEN);
	else
		crypto_binding_hlak_zero(h[0]);
	err = sstp_call_set_hlaks(c, (const uint8_t (*)[SSTP_HLAK_LEN])h, 1, now);
	OPENSSL_cleanse(h, sizeof(h));
	return err;
}

int sstp_call_set_hlaks(struct sstp_call *c, const uint8_t (*hlaks)[SSTP_HLAK_LEN],
			unsigned int n, uint64_t now)
{
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN];
	int err;

	if (c->cfg.role == SSTP_CALL_CLIENT &&
	    c->state == SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT)
		return -EAGAIN;
	if (c->state != SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED &&
	    c->state != SSTP_CALL_SERVER_CALL_CONNECTED_PENDING)
		return -ENOTCONN;
	if (c->have_hlak)
		return -EALREADY;
	if (!n || n > SSTP_HLAK_MAX)
		return -EINVAL;

	memcpy(c->hlak, hlaks, n * SSTP_HLAK_LEN);
	c->n_hlak = n;
	c->have_hlak = true;

	if (c->cfg.role == SSTP_CALL_SERVER) {
		if (c->held)
			sstp_call_server_verify(c, c->held_pkt,
						SSTP_CALL_CONNECTED_LEN, now);
		return 0;
	}

	/* Client: 3.2.7.1, send CALL_CONNECTED and we are connected. */
	err = crypto_binding_build(pkt, c->hash_proto, c->nonce, &c->cfg.cert,
				   c->hlak[0]);
	if (err) {
		sstp_call_abort_start(c, SSTP_ATTR_CRYPTO_BINDING,
				      SSTP_STATUS_VALUE_NOT_SUPPORTED,
				      "building the crypto binding failed", now);
		return 0;
	}
	sstp_call_established(c, now);
	err = sstp_call_send(c, pkt, sizeof(pkt));
	OPENSSL_cleanse(pkt, sizeof(pkt));
	if (!err && c->ops->connected)
		c->ops->connected(c->ctx);
	return 0;
}

int sstp_call_disconnect(struct sstp_call *c, uint64_t now)
{
	struct sstp_ctrl msg;

	if (!sstp_call_running(c))
		return -ENOTCONN;
	if (sstp_call_closing(c))
		return -EALREADY;
	c->state = SSTP_CALL_DISCONNECT_ACK_PENDING;
	c->deadline = now + SSTP_CALL_DISCONNECT1_MS;
	sstp_call_set_reason(c, SSTP_CALL_DOWN_DISCONNECT, SSTP_STATUS_NO_ERROR,
			     "local disconnect");
	/* 2.2.14: one Status Info, AttribID 0, status NO_ERROR. */
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_DISCONNECT);
	sstp_ctrl_add_status(&msg, SSTP_ATTR_NO_ERROR, SSTP_STATUS_NO_ERROR,
			     NULL, 0);
	sstp_call_send_msg(c, &msg);
	return 0;
}

int sstp_call_abort(struct sstp_call *c, uint8_t attr_id, uint32_t status,
		    const char *detail, uint64_t now)
{
	if (!sstp_call_running(c))
		return -ENOTCONN;
	if (sstp_call_closing(c))
		return -EALREADY;
	sstp_call_abort_start(c, attr_id, status, detail ? detail : "local abort",
			      now);
	return 0;
}

void sstp_call_lower_down(struct sstp_call *c, enum sstp_call_reason reason,
			  const char *detail)
{
	if (c->state == SSTP_CALL_DOWN)
		return;
	if (sstp_call_closing(c)) {
		/* The peer closing right after the handshake is normal. */
		sstp_call_down(c, c->reason, c->status, c->detail);
		return;
	}
	sstp_call_down(c, reason, 0, detail);
}

uint64_t sstp_call_next_deadline(const struct sstp_call *c)
{
	return sstp_call_running(c) ? c->deadline : SSTP_CALL_NO_DEADLINE;
}

static void sstp_call_hello_timer(struct sstp_call *c, uint64_t now)
{
	if (!c->cfg.hello_ms) {
		c->deadline = SSTP_CALL_NO_DEADLINE;
		return;
	}
	if (now < c->last_rx + c->cfg.hello_ms) {	/* heard something since */
		c->deadline = c->last_rx + c->cfg.hello_ms;
		return;
	}
	if (c->echo_sent) {
		/* 3.1.2.3: no answer in a whole interval, no CALL_ABORT. */
		sstp_call_down(c, SSTP_CALL_DOWN_HELLO_TIMEOUT, 0,
			       "no answer to ECHO_REQUEST");
		return;
	}
	c->echo_sent = true;
	c->deadline = now + c->cfg.hello_ms;
	sstp_call_send_simple(c, SSTP_MSG_ECHO_REQUEST);
}

void sstp_call_timer(struct sstp_call *c, uint64_t now)
{
	if (!sstp_call_running(c) || now < c->deadline)
		return;

	switch (c->state) {
	case SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING:
	case SSTP_CALL_SERVER_CALL_CONNECTED_PENDING:
	case SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT:
	case SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED:
		sstp_call_abort_start(c, SSTP_ATTR_STATUS_INFO,
				      SSTP_STATUS_NEGOTIATION_TIMEOUT,
				      "negotiation timer expired", now);
		break;
	case SSTP_CALL_CONNECTED:
		sstp_call_hello_timer(c, now);
		break;
	case SSTP_CALL_ABORT_PENDING:
		sstp_call_down(c, c->reason, c->status, c->detail);
		break;
	case SSTP_CALL_DISCONNECT_ACK_PENDING:
		sstp_call_down(c, SSTP_CALL_DOWN_DISCONNECT_TIMEOUT,
			       SSTP_STATUS_NO_ERROR,
			       "no CALL_DISCONNECT_ACK within 5 s");
		break;
	case SSTP_CALL_ABORT_TIMEOUT_PENDING:
	case SSTP_CALL_DISCONNECT_TIMEOUT_PENDING:
		sstp_call_down(c, c->reason, c->status, c->detail);
		break;
	default:
		break;
	}
}

bool sstp_call_ppp_allowed(const struct sstp_call *c)
{
	return c->state == SSTP_CALL_SERVER_CALL_CONNECTED_PENDING ||
	       c->state == SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED ||
	       c->state == SSTP_CALL_CONNECTED;
}

bool sstp_call_ppp_proto_allowed(const struct sstp_call *c, uint16_t ppp_proto)
{
	if (ppp_proto >= 0x8000)
		return sstp_call_ppp_allowed(c);
	return sstp_call_data_allowed(c);
}

const char *sstp_call_state_name(enum sstp_call_state s)
{
	switch (s) {
	case SSTP_CALL_IDLE:
		return "idle";
	case SSTP_CALL_SERVER_CONNECT_REQUEST_PENDING:
		return "Server_Connect_Request_Pending";
	case SSTP_CALL_SERVER_CALL_CONNECTED_PENDING:
		return "Server_Call_Connected_Pending";
	case SSTP_CALL_CLIENT_CONNECT_REQUEST_SENT:
		return "Client_Connect_Request_Sent";
	case SSTP_CALL_CLIENT_CONNECT_ACK_RECEIVED:
		return "Client_Connect_Ack_Received";
	case SSTP_CALL_CONNECTED:
		return "Call_Connected";
	case SSTP_CALL_ABORT_PENDING:
		return "Call_Abort_Pending";
	case SSTP_CALL_ABORT_TIMEOUT_PENDING:
		return "Call_Abort_Timeout_Pending";
	case SSTP_CALL_DISCONNECT_ACK_PENDING:
		return "Call_Disconnect_Ack_Pending";
	case SSTP_CALL_DISCONNECT_TIMEOUT_PENDING:
		return "Call_Disconnect_Timeout_Pending";
	case SSTP_CALL_DOWN:
		return "down";
	}
	return "unknown";
}

const char *sstp_call_reason_name(enum sstp_call_reason r)
{
	switch (r) {
	case SSTP_CALL_DOWN_DISCONNECT:
		return "disconnected";
	case SSTP_CALL_DOWN_DISCONNECT_TIMEOUT:
		return "disconnect not acknowledged";
	case SSTP_CALL_DOWN_PEER_DISCONNECT:
		return "disconnected by peer";
	case SSTP_CALL_DOWN_ABORT:
		return "aborted";
	case SSTP_CALL_DOWN_PEER_ABORT:
		return "aborted by peer";
	case SSTP_CALL_DOWN_HELLO_TIMEOUT:
		return "hello timeout";
	case SSTP_CALL_DOWN_LOWER:
		return "transport closed";
	}
	return "unknown";
}
