/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RADIUS packets (RFC 2865, 2866, 2869, 3579, 5176), pure: build a packet
 * attribute by attribute, sign it, check and walk one that came in. The
 * client that sends them is daemon/radius.c; docs/radius.md says why it
 * is ours and not radcli's.
 *
 * Signing, by code:
 *   Access-Request            Request Authenticator random (the caller's);
 *                             Message-Authenticator over the packet with it
 *   Accounting-, Disconnect-, Request Authenticator = MD5(packet with 16
 *   CoA-Request               zero bytes in its place || secret), after the
 *                             Message-Authenticator (computed over the zeros)
 *   any response              Message-Authenticator over the packet with the
 *                             request's authenticator in place, then the
 *                             Response Authenticator = MD5(packet with the
 *                             request's authenticator || secret)
 * A Message-Authenticator is only there when the builder added one
 * (radius_add_msg_auth()); every packet this project sends has one, first.
 */
#ifndef SSTP_PROTO_RADIUS_H
#define SSTP_PROTO_RADIUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RADIUS_HDR_LEN		20
#define RADIUS_AUTH_LEN		16
#define RADIUS_MAX_LEN		4096
#define RADIUS_ATTR_MAX		253	/* value bytes in one attribute */
#define RADIUS_PASSWORD_MAX	128	/* RFC 2865 5.2 */

enum radius_code {
	RADIUS_ACCESS_REQUEST		= 1,
	RADIUS_ACCESS_ACCEPT		= 2,
	RADIUS_ACCESS_REJECT		= 3,
	RADIUS_ACCOUNTING_REQUEST	= 4,
	RADIUS_ACCOUNTING_RESPONSE	= 5,
	RADIUS_ACCESS_CHALLENGE		= 11,
	RADIUS_DISCONNECT_REQUEST	= 40,
	RADIUS_DISCONNECT_ACK		= 41,
	RADIUS_DISCONNECT_NAK		= 42,
	RADIUS_COA_REQUEST		= 43,
	RADIUS_COA_ACK			= 44,
	RADIUS_COA_NAK			= 45,
};

enum radius_attr {
	RADIUS_USER_NAME		= 1,
	RADIUS_USER_PASSWORD		= 2,
	RADIUS_CHAP_PASSWORD		= 3,
	RADIUS_NAS_IP_ADDRESS		= 4,
	RADIUS_NAS_PORT			= 5,
	RADIUS_SERVICE_TYPE		= 6,
	RADIUS_FRAMED_PROTOCOL		= 7,
	RADIUS_FRAMED_IP_ADDRESS	= 8,
	RADIUS_FRAMED_IP_NETMASK	= 9,
	RADIUS_FILTER_ID		= 11,
	RADIUS_FRAMED_MTU		= 12,
	RADIUS_REPLY_MESSAGE		= 18,
	RADIUS_FRAMED_ROUTE		= 22,
	RADIUS_STATE			= 24,
	RADIUS_CLASS			= 25,
	RADIUS_VENDOR_SPECIFIC		= 26,
	RADIUS_SESSION_TIMEOUT		= 27,
	RADIUS_IDLE_TIMEOUT		= 28,
	RADIUS_TERMINATION_ACTION	= 29,
	RADIUS_CALLED_STATION_ID	= 30,
	RADIUS_CALLING_STATION_ID	= 31,
	RADIUS_NAS_IDENTIFIER		= 32,
	RADIUS_PROXY_STATE		= 33,
	RADIUS_ACCT_STATUS_TYPE		= 40,
	RADIUS_ACCT_DELAY_TIME		= 41,
	RADIUS_ACCT_INPUT_OCTETS	= 42,
	RADIUS_ACCT_OUTPUT_OCTETS	= 43,
	RADIUS_ACCT_SESSION_ID		= 44,
	RADIUS_ACCT_AUTHENTIC		= 45,
	RADIUS_ACCT_SESSION_TIME	= 46,
	RADIUS_ACCT_INPUT_PACKETS	= 47,
	RADIUS_ACCT_OUTPUT_PACKETS	= 48,
	RADIUS_ACCT_TERMINATE_CAUSE	= 49,
	RADIUS_ACCT_INPUT_GIGAWORDS	= 52,
	RADIUS_ACCT_OUTPUT_GIGAWORDS	= 53,
	RADIUS_EVENT_TIMESTAMP		= 55,
	RADIUS_CHAP_CHALLENGE		= 60,
	RADIUS_NAS_PORT_TYPE		= 61,
	RADIUS_EAP_MESSAGE		= 79,
	RADIUS_MESSAGE_AUTHENTICATOR	= 80,
	RADIUS_ACCT_INTERIM_INTERVAL	= 85,
	RADIUS_NAS_PORT_ID		= 87,
	RADIUS_NAS_IPV6_ADDRESS		= 95,
	RADIUS_FRAMED_IPV6_PREFIX	= 97,
	RADIUS_FRAMED_IPV6_ROUTE	= 99,
	RADIUS_ERROR_CAUSE		= 101,
	RADIUS_DELEGATED_IPV6_PREFIX	= 123,
};

/* Values */
#define RADIUS_SERVICE_FRAMED		2
#define RADIUS_PROTOCOL_PPP		1
#define RADIUS_NAS_PORT_VIRTUAL		5
#define RADIUS_ACCT_START		1
#define RADIUS_ACCT_STOP		2
#define RADIUS_ACCT_INTERIM		3
#define RADIUS_ACCT_ON			7
#define RADIUS_ACCT_OFF			8
#define RADIUS_AUTHENTIC_RADIUS		1
#define RADIUS_AUTHENTIC_LOCAL		2
/* Framed-IP-Address: "the NAS picks" and "the user may ask" mean the pool. */
#define RADIUS_IP_NAS_ASSIGNS		0xfffffffeu
#define RADIUS_IP_USER_CHOOSES		0xffffffffu

/* Acct-Terminate-Cause (RFC 2866 5.10) */
enum radius_term_cause {
	RADIUS_TERM_USER_REQUEST	= 1,
	RADIUS_TERM_LOST_CARRIER	= 2,
	RADIUS_TERM_LOST_SERVICE	= 3,
	RADIUS_TERM_IDLE_TIMEOUT	= 4,
	RADIUS_TERM_SESSION_TIMEOUT	= 5,
	RADIUS_TERM_ADMIN_RESET		= 6,
	RADIUS_TERM_ADMIN_REBOOT	= 7,
	RADIUS_TERM_PORT_ERROR		= 8,
	RADIUS_TERM_NAS_ERROR		= 9,
	RADIUS_TERM_NAS_REQUEST		= 10,
	RADIUS_TERM_NAS_REBOOT		= 11,
	RADIUS_TERM_SERVICE_UNAVAILABLE	= 15,
};

/* Error-Cause (RFC 5176 3.5) */
enum radius_error_cause {
	RADIUS_ERR_RESIDUAL_SESSION_REMOVED	= 201,
	RADIUS_ERR_UNSUPPORTED_ATTRIBUTE	= 401,
	RADIUS_ERR_MISSING_ATTRIBUTE		= 402,
	RADIUS_ERR_NAS_IDENTIFICATION_MISMATCH	= 403,
	RADIUS_ERR_INVALID_REQUEST		= 404,
	RADIUS_ERR_UNSUPPORTED_SERVICE		= 405,
	RADIUS_ERR_UNSUPPORTED_EXTENSION	= 406,
	RADIUS_ERR_INVALID_ATTRIBUTE_VALUE	= 407,
	RADIUS_ERR_ADMINISTRATIVELY_PROHIBITED	= 501,
	RADIUS_ERR_SESSION_CONTEXT_NOT_FOUND	= 503,
	RADIUS_ERR_SESSION_CONTEXT_NOT_REMOVABLE = 504,
	RADIUS_ERR_RESOURCES_UNAVAILABLE	= 506,
};

/* Vendors and their attributes (Vendor-Specific, RFC 2865 5.26 format). */
#define RADIUS_VENDOR_MICROSOFT		311
#define RADIUS_MS_CHAP_ERROR		2
#define RADIUS_MS_CHAP_CHALLENGE	11
#define RADIUS_MS_MPPE_SEND_KEY		16
#define RADIUS_MS_MPPE_RECV_KEY		17
#define RADIUS_MS_CHAP2_RESPONSE	25
#define RADIUS_MS_CHAP2_SUCCESS		26
#define RADIUS_VENDOR_MIKROTIK		14988
#define RADIUS_MIKROTIK_RATE_LIMIT	8

/* A packet being built. */
struct radius_pkt {
	uint8_t buf[RADIUS_MAX_LEN];
	size_t len;
	size_t msg_auth_off;		/* 0: no Message-Authenticator */
};

/* Header: code, identifier, authenticator (request: random for an
 * Access-Request, ignored for the others; response: ignored). */
void radius_init(struct radius_pkt *p, uint8_t code, uint8_t id,
		 const uint8_t auth[RADIUS_AUTH_LEN]);
/* One attribute; -EMSGSIZE when it does not fit, -EINVAL over 253 bytes. */
int radius_add(struct radius_pkt *p, uint8_t type, const void *val, size_t len);
int radius_add_u32(struct radius_pkt *p, uint8_t type, uint32_t v);
int radius_add_str(struct radius_pkt *p, uint8_t type, const char *s);
/* A value longer than one attribute, split over several (EAP-Message). */
int radius_add_long(struct radius_pkt *p, uint8_t type, const void *val,
		    size_t len);
int radius_add_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t vtype,
		   const void *val, size_t len);
/* The Message-Authenticator's place (16 zero bytes, filled by the sign). */
int radius_add_msg_auth(struct radius_pkt *p);
/* User-Password hidden with the secret and the request authenticator
 * (RFC 2865 5.2). Call after radius_init() of an Access-Request. */
int radius_add_user_password(struct radius_pkt *p, const uint8_t *pw,
			     size_t len, const uint8_t *secret, size_t slen);
/*
 * Sign: the length, the Message-Authenticator if there is one, and the
 * authenticator as the code asks (above). req_auth: the request's
 * authenticator when p is a response, NULL when p is a request.
 */
int radius_sign(struct radius_pkt *p, const uint8_t *secret, size_t slen,
		const uint8_t *req_auth);

/*
 * A packet that came in: 0 when the header and the attribute list are
 * well formed (length within len, every attribute 2..255 bytes and inside
 * the packet), -EBADMSG otherwise. Bytes past the header's length are
 * padding (RFC 2865 3) and ignored by everything below.
 */
int radius_check(const uint8_t *pkt, size_t len);
static inline size_t radius_len(const uint8_t *pkt)
{
	return (size_t)pkt[2] << 8 | pkt[3];
}

/*
 * Is it authentic? For a response (req_auth set): the Response
 * Authenticator. For an Accounting/Disconnect/CoA request (req_auth NULL):
 * the Request Authenticator. Then the Message-Authenticator, if there is
 * one, and there must be one when require_ma. 0, or -EBADMSG (malformed),
 * -EPERM (an authenticator does not verify), -ENOMSG (required
 * Message-Authenticator missing). pkt must have passed radius_check().
 */
int radius_verify(const uint8_t *pkt, const uint8_t *secret, size_t slen,
		  const uint8_t *req_auth, bool require_ma);

/* Walking the attributes of a checked packet: *off starts at 0. Returns
 * true with type/val/len of the next one. */
bool radius_next(const uint8_t *pkt, size_t *off, uint8_t *type,
		 const uint8_t **val, size_t *len);
/* The first attribute of a type, or NULL. */
const uint8_t *radius_find(const uint8_t *pkt, uint8_t type, size_t *len);
/* The first vendor attribute (vendor, vtype), or NULL. */
const uint8_t *radius_find_vsa(const uint8_t *pkt, uint32_t vendor,
			       uint8_t vtype, size_t *len);
/* An attribute of type Integer/Address: 0 or -ENOENT/-EBADMSG. */
int radius_get_u32(const uint8_t *pkt, uint8_t type, uint32_t *v);
/* Every attribute of a type concatenated (EAP-Message); the length, or
 * -ENOSPC when it does not fit size. */
int radius_get_long(const uint8_t *pkt, uint8_t type, uint8_t *out,
		    size_t size);

/*
 * MS-MPPE-Send-Key / -Recv-Key (RFC 2548 2.4.2): decrypt the salted value
 * with the secret and the request authenticator. Writes the key (its
 * length byte says how long) into key; returns the key length or -EBADMSG.
 */
int radius_mppe_key(const uint8_t *val, size_t len, const uint8_t *secret,
		    size_t slen, const uint8_t req_auth[RADIUS_AUTH_LEN],
		    uint8_t *key, size_t size);
/* The same, encrypting (a server's side; the tests play one). */
int radius_mppe_key_encrypt(const uint8_t *key, size_t klen, uint16_t salt,
			    const uint8_t *secret, size_t slen,
			    const uint8_t req_auth[RADIUS_AUTH_LEN],
			    uint8_t *out, size_t size);

const char *radius_code_name(uint8_t code);

#endif /* SSTP_PROTO_RADIUS_H */
