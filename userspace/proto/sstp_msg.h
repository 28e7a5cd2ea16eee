/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SSTP messages (MS-SSTP 2.2) as userspace needs them: data packet framing,
 * control messages with their attributes, names for logs, and a stream
 * deframer. The packet header, the message types and the structural check
 * of a control packet are the module's (kmod/proto.h): this builds on them.
 *
 * Pure code: no I/O, no allocation, no global state. sstp_msg.c depends on
 * nothing but libc so that it can be compiled alone into a fuzzer.
 *
 * Everything on the wire is big-endian. Reserved bits and bytes are sent as
 * zero and ignored on receipt, as the spec says ("MUST be ignored on
 * receipt"); the version byte and the 12-bit lengths are checked strictly.
 */
#ifndef SSTP_MSG_H
#define SSTP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The header, the message types and the checks the module makes too. */
#include "kmod/proto.h"

/* ------------------------------------------------------------ attributes */

/* Attribute ids (2.2.4). 0 appears only as the AttribID of a Status Info. */
enum sstp_attr_id {
	SSTP_ATTR_NO_ERROR		= 0,
	SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID = 1,
	SSTP_ATTR_STATUS_INFO		= 2,
	SSTP_ATTR_CRYPTO_BINDING	= 3,
	SSTP_ATTR_CRYPTO_BINDING_REQ	= 4,
};
#define SSTP_ATTR_ID_MAX	4

/* Whole attribute lengths, header included (2.2.5 - 2.2.8). */
#define SSTP_ATTR_ENCAP_LEN		6
#define SSTP_ATTR_STATUS_INFO_MIN	12
#define SSTP_ATTR_STATUS_VALUE_MAX	64
#define SSTP_ATTR_STATUS_INFO_MAX	(SSTP_ATTR_STATUS_INFO_MIN + SSTP_ATTR_STATUS_VALUE_MAX)
#define SSTP_ATTR_CRYPTO_BINDING_LEN	104
#define SSTP_ATTR_CRYPTO_BINDING_REQ_LEN 40

/* Status Info status values (2.2.8). */
enum sstp_status {
	SSTP_STATUS_NO_ERROR			= 0,
	SSTP_STATUS_DUPLICATE_ATTRIBUTE		= 1,
	SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE	= 2,
	SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH	= 3,
	SSTP_STATUS_VALUE_NOT_SUPPORTED		= 4,
	SSTP_STATUS_UNACCEPTED_FRAME_RECEIVED	= 5,
	SSTP_STATUS_RETRY_COUNT_EXCEEDED	= 6,
	SSTP_STATUS_INVALID_FRAME_RECEIVED	= 7,
	SSTP_STATUS_NEGOTIATION_TIMEOUT		= 8,
	SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG	= 9,
	SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING	= 10,
	SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG = 11,
};

#define SSTP_ENCAP_PROTO_PPP	1

/* Hash Protocol in CRYPTO_BINDING (one value) ... */
#define SSTP_HASH_SHA1		1
#define SSTP_HASH_SHA256	2
/* ... and Hash Protocol Bitmask in CRYPTO_BINDING_REQ (a set). */
#define SSTP_HASH_MASK_SHA1	0x01
#define SSTP_HASH_MASK_SHA256	0x02

#define SSTP_NONCE_LEN		32
#define SSTP_HASH_FIELD_LEN	32	/* cert hash / MAC field; SHA1 is zero padded */
#define SSTP_SHA1_LEN		20
#define SSTP_SHA256_LEN		32

/* Fixed whole-packet sizes of the messages that have one. */
#define SSTP_CALL_CONNECT_REQUEST_LEN	14
#define SSTP_CALL_CONNECT_ACK_LEN	48
#define SSTP_CALL_CONNECTED_LEN		112
#define SSTP_CTRL_SIMPLE_LEN		8	/* DISCONNECT_ACK, ECHO_* */
/* Offsets inside the 112-byte CALL_CONNECTED packet (the MAC input). */
#define SSTP_CONNECTED_HASH_PROTO_OFF	15
#define SSTP_CONNECTED_NONCE_OFF	16
#define SSTP_CONNECTED_CERT_HASH_OFF	48
#define SSTP_CONNECTED_MAC_OFF		80

/* ------------------------------------------------------------ data */

/*
 * Data packets (2.2.3): one whole PPP frame as payload.
 * sstp_data_put_hdr() writes the header for a payload of payload_len bytes
 * in front of it (for callers that keep 4 bytes of headroom); returns 0 or
 * -EMSGSIZE when payload_len > SSTP_DATA_MAX.
 * sstp_data_encap() copies the payload after a header into buf; returns the
 * packet length, or -EMSGSIZE (payload too large or buf too small).
 */
int sstp_data_put_hdr(uint8_t hdr[SSTP_HDR_LEN], size_t payload_len);
int sstp_data_encap(uint8_t *buf, size_t cap, const uint8_t *payload,
		    size_t payload_len);

/* ------------------------------------------------------------ control */

struct sstp_status_info {
	uint8_t attr_id;	/* the attribute the status is about */
	uint32_t status;	/* enum sstp_status */
	uint8_t value_len;	/* 0..64 */
	uint8_t value[SSTP_ATTR_STATUS_VALUE_MAX];
};

struct sstp_crypto_binding_req {
	uint8_t hash_mask;	/* SSTP_HASH_MASK_* */
	uint8_t nonce[SSTP_NONCE_LEN];
};

struct sstp_crypto_binding {
	uint8_t hash_proto;	/* SSTP_HASH_SHA1 or SSTP_HASH_SHA256 */
	uint8_t nonce[SSTP_NONCE_LEN];
	uint8_t cert_hash[SSTP_HASH_FIELD_LEN];	/* SHA1: 20 bytes + 12 zero */
	uint8_t mac[SSTP_HASH_FIELD_LEN];	/* SHA1: 20 bytes + 12 zero */
};

/* A NAK may carry several Status Infos; we keep (and send) at most this many. */
#define SSTP_MSG_MAX_STATUS	8

/*
 * A decoded (or to-be-encoded) control message. Only the attributes whose
 * has_* flag is set (or the first n_status Status Infos) are meaningful.
 */
struct sstp_ctrl {
	uint16_t type;				/* enum sstp_msg_type */
	bool has_encap;
	bool has_binding_req;
	bool has_binding;
	uint16_t encap_proto;			/* SSTP_ENCAP_PROTO_PPP */
	struct sstp_crypto_binding_req binding_req;
	struct sstp_crypto_binding binding;
	unsigned int n_status;
	struct sstp_status_info status[SSTP_MSG_MAX_STATUS];

	/*
	 * Filled by sstp_ctrl_decode() when it returns -EINVAL: what is wrong
	 * with the attributes, as Status Infos ready to be sent back in a
	 * CALL_CONNECT_NAK (3.3.5.2.2) or to pick a CALL_ABORT status from.
	 * AttribValue is the offending attribute's value (truncated to 64
	 * bytes) where the spec asks for it, empty otherwise.
	 */
	unsigned int n_err;
	struct sstp_status_info err[SSTP_MSG_MAX_STATUS];
};

/*
 * Decode one whole control packet (header included, exactly len bytes, as
 * handed out by the deframer). Returns:
 *   0        well formed, every attribute valid and allowed in this message;
 *   -EINVAL  the packet structure is sound but attributes are not
 *            acceptable: msg->err[0..n_err) says which and why, the valid
 *            attributes are still filled in;
 *   -EBADMSG the packet cannot be parsed: not a control packet, bad
 *            version/length, unknown message type, an attribute running
 *            over the end, attribute count not matching the bytes. msg is
 *            unspecified.
 * Rules per message (2.2.9 - 2.2.15): CONNECT_REQUEST needs one
 * ENCAPSULATED_PROTOCOL_ID = PPP and may carry a Status Info with NO_ERROR;
 * CONNECT_ACK needs one CRYPTO_BINDING_REQ; CONNECT_NAK needs >= 1 Status
 * Info; CONNECTED needs one CRYPTO_BINDING; ABORT and DISCONNECT may carry
 * one Status Info; DISCONNECT_ACK and ECHO_* carry nothing. Unknown ids give
 * UNRECOGNIZED_ATTRIBUTE, wrong sizes INVALID_ATTRIB_VALUE_LENGTH, repeats
 * DUPLICATE_ATTRIBUTE, a protocol id other than PPP VALUE_NOT_SUPPORTED,
 * misplaced attributes ATTRIB_NOT_SUPPORTED_IN_MSG (a Status Info with a
 * non-zero status: STATUS_INFO_NOT_SUPPORTED_IN_MSG), absent required ones
 * REQUIRED_ATTRIBUTE_MISSING (with AttribID = STATUS_INFO, as 3.3.5.2.2
 * specifies). The hash protocol / bitmask / nonce values are not judged
 * here: that is the call state machine's and crypto_binding's business.
 */
int sstp_ctrl_decode(const uint8_t *pkt, size_t len, struct sstp_ctrl *msg);

/*
 * Encode msg into buf: header, type, then the attributes whose has_* flag
 * is set in the order ENCAPSULATED_PROTOCOL_ID, CRYPTO_BINDING_REQ,
 * CRYPTO_BINDING, then status[0..n_status). Nothing is validated beyond
 * sizes: callers build the messages the spec allows. Returns the packet
 * length, -EMSGSIZE if buf is too small, -EINVAL on a bad n_status or
 * value_len.
 */
int sstp_ctrl_encode(const struct sstp_ctrl *msg, uint8_t *buf, size_t cap);

/* Zero msg and set its type: the start of every message one builds. */
void sstp_ctrl_init(struct sstp_ctrl *msg, uint16_t type);

/* Append a Status Info to msg (value may be NULL when value_len is 0).
 * Returns 0, or -ENOSPC when SSTP_MSG_MAX_STATUS are already there. */
int sstp_ctrl_add_status(struct sstp_ctrl *msg, uint8_t attr_id,
			 uint32_t status, const uint8_t *value, size_t value_len);

/* Names for logs ("CALL_CONNECT_REQUEST", "NEGOTIATION_TIMEOUT", ...);
 * never NULL, "unknown" for values outside the spec. */
const char *sstp_msg_type_name(unsigned int type);
const char *sstp_attr_name(unsigned int attr_id);
const char *sstp_status_name(uint32_t status);

/* ------------------------------------------------------------ deframer */

/* One whole packet handed out by the deframer. */
struct sstp_packet {
	bool control;
	const uint8_t *data;	/* the whole packet, header included */
	size_t len;
	const uint8_t *payload;	/* data + SSTP_HDR_LEN */
	size_t payload_len;
};

/*
 * Splits the decrypted TLS byte stream into SSTP packets, across reads of
 * any size. A packet that arrives whole inside one input buffer is handed
 * out in place (no copy); only a packet split across inputs is assembled in
 * buf. After a bad header the deframer stays failed (-EPROTO from then on):
 * the connection must be dropped without sending anything (3.1.5.1).
 */
struct sstp_deframer {
	uint8_t buf[SSTP_PKT_MAX];
	size_t have;		/* bytes of a partial packet in buf */
	int err;		/* sticky: 0 or -EPROTO */
};

void sstp_deframer_init(struct sstp_deframer *d);

/*
 * Take bytes from *data / *len and produce the next whole packet.
 * Returns 1 with *pkt filled (and *data / *len advanced past what was
 * used), 0 when all input was consumed without completing a packet (the
 * partial packet is kept), or -EPROTO on a bad version or length.
 * pkt points into the caller's buffer or into d->buf, and stays valid
 * until the next call or until the caller's buffer changes. Use:
 *
 *	while ((r = sstp_deframer_next(&d, &p, &n, &pkt)) > 0)
 *		handle(&pkt);
 *	if (r < 0)
 *		drop the connection;
 */
int sstp_deframer_next(struct sstp_deframer *d, const uint8_t **data,
		       size_t *len, struct sstp_packet *pkt);

/* Bytes of an incomplete packet currently buffered (for diagnostics). */
static inline size_t sstp_deframer_pending(const struct sstp_deframer *d)
{
	return d->have;
}

#endif /* SSTP_MSG_H */
