// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SSTP messages on top of the shared codec (kmod/proto.h). Only libc: this
 * file is also compiled alone into tests/fuzz/fuzz_sstp_msg.c.
 */
#include <errno.h>
#include <string.h>

#include "proto/sstp_msg.h"

static uint32_t sstp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void sstp_put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

int sstp_data_put_hdr(uint8_t hdr[SSTP_HDR_LEN], size_t payload_len)
{
	if (payload_len > SSTP_DATA_MAX)
		return -EMSGSIZE;
	sstp_proto_hdr_put(hdr, false, (uint16_t)(payload_len + SSTP_HDR_LEN));
	return 0;
}

int sstp_data_encap(uint8_t *buf, size_t cap, const uint8_t *payload,
		    size_t payload_len)
{
	if (payload_len > SSTP_DATA_MAX || cap < payload_len + SSTP_HDR_LEN)
		return -EMSGSIZE;
	sstp_proto_hdr_put(buf, false, (uint16_t)(payload_len + SSTP_HDR_LEN));
	memmove(buf + SSTP_HDR_LEN, payload, payload_len);
	return (int)(payload_len + SSTP_HDR_LEN);
}

/* ------------------------------------------------------------ names */

const char *sstp_msg_type_name(unsigned int type)
{
	static const char *const names[] = {
		[SSTP_MSG_CALL_CONNECT_REQUEST] = "CALL_CONNECT_REQUEST",
		[SSTP_MSG_CALL_CONNECT_ACK] = "CALL_CONNECT_ACK",
		[SSTP_MSG_CALL_CONNECT_NAK] = "CALL_CONNECT_NAK",
		[SSTP_MSG_CALL_CONNECTED] = "CALL_CONNECTED",
		[SSTP_MSG_CALL_ABORT] = "CALL_ABORT",
		[SSTP_MSG_CALL_DISCONNECT] = "CALL_DISCONNECT",
		[SSTP_MSG_CALL_DISCONNECT_ACK] = "CALL_DISCONNECT_ACK",
		[SSTP_MSG_ECHO_REQUEST] = "ECHO_REQUEST",
		[SSTP_MSG_ECHO_RESPONSE] = "ECHO_RESPONSE",
	};

	if (type < sizeof(names) / sizeof(names[0]) && names[type])
		return names[type];
	return "unknown";
}

const char *sstp_attr_name(unsigned int attr_id)
{
	static const char *const names[] = {
		[SSTP_ATTR_NO_ERROR] = "NO_ERROR",
		[SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID] = "ENCAPSULATED_PROTOCOL_ID",
		[SSTP_ATTR_STATUS_INFO] = "STATUS_INFO",
		[SSTP_ATTR_CRYPTO_BINDING] = "CRYPTO_BINDING",
		[SSTP_ATTR_CRYPTO_BINDING_REQ] = "CRYPTO_BINDING_REQ",
	};

	if (attr_id < sizeof(names) / sizeof(names[0]))
		return names[attr_id];
	return "unknown";
}

const char *sstp_status_name(uint32_t status)
{
	static const char *const names[] = {
		[SSTP_STATUS_NO_ERROR] = "NO_ERROR",
		[SSTP_STATUS_DUPLICATE_ATTRIBUTE] = "DUPLICATE_ATTRIBUTE",
		[SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE] = "UNRECOGNIZED_ATTRIBUTE",
		[SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH] = "INVALID_ATTRIB_VALUE_LENGTH",
		[SSTP_STATUS_VALUE_NOT_SUPPORTED] = "VALUE_NOT_SUPPORTED",
		[SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED] = "UNACCEPTED_FRAME_RECEIVED",
		[SSTP_STATUS_RETRY_COUNT_EXCEEDED] = "RETRY_COUNT_EXCEEDED",
		[SSTP_STATUS_INVALID_FRAME_RECEIVED] = "INVALID_FRAME_RECEIVED",
		[SSTP_STATUS_NEGOTIATION_TIMEOUT] = "NEGOTIATION_TIMEOUT",
		[SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG] = "ATTRIB_NOT_SUPPORTED_IN_MSG",
		[SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING] = "REQUIRED_ATTRIBUTE_MISSING",
		[SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG] = "STATUS_INFO_NOT_SUPPORTED_IN_MSG",
	};

	if (status < sizeof(names) / sizeof(names[0]))
		return names[status];
	return "unknown";
}

/* ------------------------------------------------------------ control */

void sstp_ctrl_init(struct sstp_ctrl *msg, uint16_t type)
{
	memset(msg, 0, sizeof(*msg));
	msg->type = type;
}

static int sstp_status_set(struct sstp_status_info *si, uint8_t attr_id,
			   uint32_t status, const uint8_t *value,
			   size_t value_len)
{
	if (value_len > SSTP_ATTR_STATUS_VALUE_MAX)
		value_len = SSTP_ATTR_STATUS_VALUE_MAX;
	memset(si, 0, sizeof(*si));
	si->attr_id = attr_id;
	si->status = status;
	si->value_len = (uint8_t)value_len;
	if (value_len)
		memcpy(si->value, value, value_len);
	return 0;
}

int sstp_ctrl_add_status(struct sstp_ctrl *msg, uint8_t attr_id,
			 uint32_t status, const uint8_t *value, size_t value_len)
{
	if (msg->n_status >= SSTP_MSG_MAX_STATUS)
		return -ENOSPC;
	return sstp_status_set(&msg->status[msg->n_status++], attr_id, status,
			       value, value_len);
}

/* Record an attribute problem; beyond SSTP_MSG_MAX_STATUS they are dropped
 * (the first ones are enough to NAK or abort with). */
static void sstp_ctrl_err(struct sstp_ctrl *msg, uint8_t attr_id,
			  uint32_t status, const uint8_t *value,
			  size_t value_len)
{
	if (msg->n_err < SSTP_MSG_MAX_STATUS)
		sstp_status_set(&msg->err[msg->n_err++], attr_id, status, value,
				value_len);
}

/* Which attributes each message may carry (bit = attribute id). */
static unsigned int sstp_ctrl_allowed(uint16_t type)
{
	switch (type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		return 1u << SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID |
		       1u << SSTP_ATTR_STATUS_INFO;
	case SSTP_MSG_CALL_CONNECT_ACK:
		return 1u << SSTP_ATTR_CRYPTO_BINDING_REQ;
	case SSTP_MSG_CALL_CONNECTED:
		return 1u << SSTP_ATTR_CRYPTO_BINDING;
	case SSTP_MSG_CALL_CONNECT_NAK:
	case SSTP_MSG_CALL_ABORT:
	case SSTP_MSG_CALL_DISCONNECT:
		return 1u << SSTP_ATTR_STATUS_INFO;
	default:
		return 0;
	}
}

static unsigned int sstp_ctrl_required(uint16_t type)
{
	switch (type) {
	case SSTP_MSG_CALL_CONNECT_REQUEST:
		return 1u << SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID;
	case SSTP_MSG_CALL_CONNECT_ACK:
		return 1u << SSTP_ATTR_CRYPTO_BINDING_REQ;
	case SSTP_MSG_CALL_CONNECTED:
		return 1u << SSTP_ATTR_CRYPTO_BINDING;
	case SSTP_MSG_CALL_CONNECT_NAK:
		return 1u << SSTP_ATTR_STATUS_INFO;
	default:
		return 0;
	}
}

static size_t sstp_attr_expected_len(uint8_t id)
{
	switch (id) {
	case SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID:
		return SSTP_ATTR_ENCAP_LEN;
	case SSTP_ATTR_CRYPTO_BINDING:
		return SSTP_ATTR_CRYPTO_BINDING_LEN;
	case SSTP_ATTR_CRYPTO_BINDING_REQ:
		return SSTP_ATTR_CRYPTO_BINDING_REQ_LEN;
	default:
		return 0;	/* STATUS_INFO: a range, checked by the caller */
	}
}

/* One attribute of id, alen bytes (header included) at a. */
static void sstp_ctrl_attr(struct sstp_ctrl *msg, uint8_t id,
			   const uint8_t *a, size_t alen, unsigned int *seen)
{
	const uint8_t *v = a + SSTP_ATTR_HDR_LEN;
	size_t vlen = alen - SSTP_ATTR_HDR_LEN;
	uint32_t status;

	if (id == SSTP_ATTR_NO_ERROR || id > SSTP_ATTR_ID_MAX) {
		/* Not understood: the NAK carries no AttribValue (2.2.8). */
		sstp_ctrl_err(msg, id, SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, NULL, 0);
		return;
	}
	if (id == SSTP_ATTR_STATUS_INFO) {
		if (alen < SSTP_ATTR_STATUS_INFO_MIN ||
		    alen > SSTP_ATTR_STATUS_INFO_MAX) {
			sstp_ctrl_err(msg, id,
				      SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH,
				      v, vlen);
			return;
		}
	} else if (alen != sstp_attr_expected_len(id)) {
		sstp_ctrl_err(msg, id, SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH,
			      v, vlen);
		return;
	}

	if (!(sstp_ctrl_allowed(msg->type) & 1u << id)) {
		status = SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG;
		if (id == SSTP_ATTR_STATUS_INFO && sstp_get32(v + 4))
			status = SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG;
		sstp_ctrl_err(msg, id, status, v, vlen);
		return;
	}
	/* Only a NAK may list several Status Infos. */
	if ((*seen & 1u << id) && msg->type != SSTP_MSG_CALL_CONNECT_NAK) {
		sstp_ctrl_err(msg, id, SSTP_STATUS_DUPLICATE_ATTRIBUTE, v, vlen);
		return;
	}
	*seen |= 1u << id;

	switch (id) {
	case SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID:
		msg->encap_proto = sstp_proto_get_be16(v);
		if (msg->encap_proto != SSTP_ENCAP_PROTO_PPP) {
			sstp_ctrl_err(msg, id, SSTP_STATUS_VALUE_NOT_SUPPORTED,
				      v, vlen);
			return;
		}
		msg->has_encap = true;
		break;
	case SSTP_ATTR_STATUS_INFO:
		status = sstp_get32(v + 4);
		/* A request may say "no error", nothing else (3.3.1.1.1). */
		if (msg->type == SSTP_MSG_CALL_CONNECT_REQUEST &&
		    status != SSTP_STATUS_NO_ERROR) {
			sstp_ctrl_err(msg, id,
				      SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG,
				      v, vlen);
			return;
		}
		if (msg->n_status < SSTP_MSG_MAX_STATUS)
			sstp_status_set(&msg->status[msg->n_status++], v[3],
					status, v + 8, vlen - 8);
		break;
	case SSTP_ATTR_CRYPTO_BINDING:
		msg->binding.hash_proto = v[3];
		memcpy(msg->binding.nonce, v + 4, SSTP_NONCE_LEN);
		memcpy(msg->binding.cert_hash, v + 4 + SSTP_NONCE_LEN,
		       SSTP_HASH_FIELD_LEN);
		memcpy(msg->binding.mac, v + 4 + SSTP_NONCE_LEN + SSTP_HASH_FIELD_LEN,
		       SSTP_HASH_FIELD_LEN);
		msg->has_binding = true;
		break;
	case SSTP_ATTR_CRYPTO_BINDING_REQ:
		msg->binding_req.hash_mask = v[3];
		memcpy(msg->binding_req.nonce, v + 4, SSTP_NONCE_LEN);
		msg->has_binding_req = true;
		break;
	}
}

int sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sstp_ctrl *msg)
{
	unsigned int seen = 0, missing, i, nattr, off, at;
	uint16_t type, alen;
	uint8_t id;

	/* The structure, as the module checks it: header, type, attributes
	 * that fill the packet exactly. Then what each attribute says. */
	if (len > SSTP_PKT_MAX || sstp_proto_ctrl_check(pkt, (unsigned int)len, &type))
		return -EBADMSG;
	sstp_ctrl_init(msg, type);
	nattr = sstp_proto_get_be16(pkt + 6);
	for (i = 0, off = SSTP_CTRL_HDR_LEN; i < nattr; i++) {
		at = off;
		if (sstp_proto_attr_next(pkt, (unsigned int)len, &off, &id, &alen))
			return -EBADMSG;	/* the check walked it already */
		sstp_ctrl_attr(msg, id, pkt + at, alen, &seen);
	}

	missing = sstp_ctrl_required(msg->type) & ~seen;
	/* An attribute that was present but rejected is not also "missing". */
	for (i = 0; i < msg->n_err; i++)
		if (msg->err[i].attr_id <= SSTP_ATTR_ID_MAX)
			missing &= ~(1u << msg->err[i].attr_id);
	if (missing)
		sstp_ctrl_err(msg, SSTP_ATTR_STATUS_INFO,
			      SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, NULL, 0);

	return msg->n_err ? -EINVAL : 0;
}

static uint8_t *sstp_attr_put(uint8_t *p, uint8_t id, size_t alen)
{
	p[0] = 0;
	p[1] = id;
	sstp_proto_put_be16(p + 2, (uint16_t)alen);
	return p + SSTP_ATTR_HDR_LEN;
}

int sstp_ctrl_encode(const struct sstp_ctrl *msg, uint8_t *buf, size_t cap)
{
	size_t len = SSTP_CTRL_HDR_LEN;
	unsigned int nattr = 0, i;
	uint8_t *p;

	if (msg->n_status > SSTP_MSG_MAX_STATUS)
		return -EINVAL;
	if (msg->has_encap) {
		len += SSTP_ATTR_ENCAP_LEN;
		nattr++;
	}
	if (msg->has_binding_req) {
		len += SSTP_ATTR_CRYPTO_BINDING_REQ_LEN;
		nattr++;
	}
	if (msg->has_binding) {
		len += SSTP_ATTR_CRYPTO_BINDING_LEN;
		nattr++;
	}
	for (i = 0; i < msg->n_status; i++) {
		if (msg->status[i].value_len > SSTP_ATTR_STATUS_VALUE_MAX)
			return -EINVAL;
		len += SSTP_ATTR_STATUS_INFO_MIN + msg->status[i].value_len;
		nattr++;
	}
	if (len > cap)
		return -EMSGSIZE;

	memset(buf, 0, len);
	sstp_proto_hdr_put(buf, true, (uint16_t)len);
	sstp_proto_put_be16(buf + 4, msg->type);
	sstp_proto_put_be16(buf + 6, (uint16_t)nattr);
	p = buf + SSTP_CTRL_HDR_LEN;
	if (msg->has_encap) {
		p = sstp_attr_put(p, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID,
				  SSTP_ATTR_ENCAP_LEN);
		sstp_proto_put_be16(p, msg->encap_proto);
		p += 2;
	}
	if (msg->has_binding_req) {
		p = sstp_attr_put(p, SSTP_ATTR_CRYPTO_BINDING_REQ,
				  SSTP_ATTR_CRYPTO_BINDING_REQ_LEN);
		p[3] = msg->binding_req.hash_mask;
		memcpy(p + 4, msg->binding_req.nonce, SSTP_NONCE_LEN);
		p += 4 + SSTP_NONCE_LEN;
	}
	if (msg->has_binding) {
		p = sstp_attr_put(p, SSTP_ATTR_CRYPTO_BINDING,
				  SSTP_ATTR_CRYPTO_BINDING_LEN);
		p[3] = msg->binding.hash_proto;
		p += 4;
		memcpy(p, msg->binding.nonce, SSTP_NONCE_LEN);
		p += SSTP_NONCE_LEN;
		memcpy(p, msg->binding.cert_hash, SSTP_HASH_FIELD_LEN);
		p += SSTP_HASH_FIELD_LEN;
		memcpy(p, msg->binding.mac, SSTP_HASH_FIELD_LEN);
		p += SSTP_HASH_FIELD_LEN;
	}
	for (i = 0; i < msg->n_status; i++) {
		const struct sstp_status_info *si = &msg->status[i];

		p = sstp_attr_put(p, SSTP_ATTR_STATUS_INFO,
				  SSTP_ATTR_STATUS_INFO_MIN + si->value_len);
		p[3] = si->attr_id;
		sstp_put32(p + 4, si->status);
		memcpy(p + 8, si->value, si->value_len);
		p += 8 + si->value_len;
	}
	return (int)len;
}

/* ------------------------------------------------------------ deframer */

void sstp_deframer_init(struct sstp_deframer *d)
{
	d->have = 0;
	d->err = 0;
}

static void sstp_packet_fill(struct sstp_packet *pkt, const uint8_t *p,
			     size_t len)
{
	pkt->control = sstp_proto_hdr_ctrl(p);
	pkt->data = p;
	pkt->len = len;
	pkt->payload = p + SSTP_HDR_LEN;
	pkt->payload_len = len - SSTP_HDR_LEN;
}

/* Move up to want - d->have bytes of input into d->buf. */
static void sstp_deframer_take(struct sstp_deframer *d, const uint8_t **data,
			       size_t *len, size_t want)
{
	size_t take = want - d->have;

	if (take > *len)
		take = *len;
	if (!take)
		return;
	memcpy(d->buf + d->have, *data, take);
	d->have += take;
	*data += take;
	*len -= take;
}

int sstp_deframer_next(struct sstp_deframer *d, const uint8_t **data,
		       size_t *len, struct sstp_packet *pkt)
{
	bool ctrl;
	int need;

	if (d->err)
		return d->err;

	/* Fast path: nothing buffered and a whole packet in the input. */
	if (!d->have && *len >= SSTP_HDR_LEN) {
		need = sstp_proto_hdr_parse(*data, &ctrl);
		if (need < 0)
			return d->err = -EPROTO;
		if (*len >= (size_t)need) {
			sstp_packet_fill(pkt, *data, (size_t)need);
			*data += need;
			*len -= (size_t)need;
			return 1;
		}
	}

	/* Slow path: assemble in d->buf, header first. */
	if (d->have < SSTP_HDR_LEN) {
		sstp_deframer_take(d, data, len, SSTP_HDR_LEN);
		if (d->have < SSTP_HDR_LEN)
			return 0;
	}
	need = sstp_proto_hdr_parse(d->buf, &ctrl);
	if (need < 0)
		return d->err = -EPROTO;
	sstp_deframer_take(d, data, len, (size_t)need);
	if (d->have < (size_t)need)
		return 0;

	sstp_packet_fill(pkt, d->buf, (size_t)need);
	d->have = 0;
	return 1;
}
