/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The SSTP wire format (MS-SSTP 2.2), the PPP frames it carries and the TLS
 * record types under it, with the pure functions that frame and check them.
 * This is the project's one SSTP codec: the module deframes, checks and
 * frames with it, and userspace includes this very header for the same jobs
 * (its deframer, its control-message decoder, its data framing, the PPP
 * engine's frame header). A unit test and a fuzzer run it in userspace.
 * So: nothing here touches a kernel object, the includes are the only
 * difference between the two builds, and every function is static inline.
 *
 * Reserved bits and bytes are sent as zero and ignored on receipt (MS-SSTP
 * 2.2.1, 2.2.2, 2.2.4: "MUST be ignored on receipt"); the version and the
 * 12-bit lengths are checked strictly.
 */
#ifndef SSTP_PROTO_H
#define SSTP_PROTO_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
#endif

#define SSTP_VERSION		0x10	/* 1.0: major in the high nibble */
#define SSTP_HDR_LEN		4	/* version, C bit, 12-bit length */
#define SSTP_CTRL_HDR_LEN	8	/* + message type, attribute count */
#define SSTP_ATTR_HDR_LEN	4	/* reserved, id, 12-bit length */
#define SSTP_PKT_MAX		4095	/* the largest 12-bit length */
#define SSTP_DATA_MAX		(SSTP_PKT_MAX - SSTP_HDR_LEN)	/* 4091 */
#define SSTP_FLAG_CONTROL	0x01	/* byte 1: 1 = control, 0 = data */
#define SSTP_LEN_MASK		0x0fff	/* the top 4 bits are reserved */

/* PPP protocol numbers (RFC 1661, RFC 5072) that an SSTP session carries. */
#define PPP_PROTO_IPV4		0x0021
#define PPP_PROTO_IPV6		0x0057
#define PPP_PROTO_IPCP		0x8021
#define PPP_PROTO_IPV6CP	0x8057
#define PPP_PROTO_CCP		0x80fd
#define PPP_PROTO_LCP		0xc021
#define PPP_PROTO_PAP		0xc023
#define PPP_PROTO_CHAP		0xc223
/* The HDLC address and control fields, FF 03, in front of the protocol. */
#define PPP_ADDRESS_ALL		0xff
#define PPP_CONTROL_UI		0x03
#define PPP_ACF_LEN		2
#define PPP_HDR_MAX		4	/* FF 03 and a two-byte protocol */

/* Control message types (2.2.2). */
enum sstp_msg_type {
	SSTP_MSG_CALL_CONNECT_REQUEST = 1,
	SSTP_MSG_CALL_CONNECT_ACK,
	SSTP_MSG_CALL_CONNECT_NAK,
	SSTP_MSG_CALL_CONNECTED,
	SSTP_MSG_CALL_ABORT,
	SSTP_MSG_CALL_DISCONNECT,
	SSTP_MSG_CALL_DISCONNECT_ACK,
	SSTP_MSG_ECHO_REQUEST,
	SSTP_MSG_ECHO_RESPONSE,
	SSTP_MSG_MAX = SSTP_MSG_ECHO_RESPONSE,
};

/* TLS record content types (RFC 8446 5.1), as kTLS reports them. */
enum sstp_tls_record_type {
	SSTP_TLS_CHANGE_CIPHER_SPEC = 20,
	SSTP_TLS_ALERT = 21,
	SSTP_TLS_HANDSHAKE = 22,
	SSTP_TLS_APPLICATION_DATA = 23,
	SSTP_TLS_HEARTBEAT = 24,
};

/* Handshake message types met after the handshake (the first byte of a
 * handshake record's plaintext).
 */
enum sstp_tls_handshake_type {
	SSTP_TLS_NEW_SESSION_TICKET = 4,
	SSTP_TLS_KEY_UPDATE = 24,
};

static inline u16 sstp_proto_get_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline void sstp_proto_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Raw fields of a header (at least SSTP_HDR_LEN bytes), reserved bits off. */
static inline bool sstp_proto_hdr_ctrl(const u8 *hdr)
{
	return hdr[1] & SSTP_FLAG_CONTROL;
}

static inline u16 sstp_proto_hdr_len(const u8 *hdr)
{
	return sstp_proto_get_be16(hdr + 2) & SSTP_LEN_MASK;
}

/**
 * sstp_proto_hdr_parse() - check an SSTP packet header
 * @hdr: the first SSTP_HDR_LEN bytes of a packet
 * @ctrl: set to whether it is a control packet
 *
 * A stream with a bad header cannot be delineated any further: the caller
 * drops the connection without sending anything (3.1.5.1).
 *
 * Return: the whole packet length (SSTP_HDR_LEN..SSTP_PKT_MAX, at least
 * SSTP_CTRL_HDR_LEN for a control packet), or -EBADMSG for a bad version or
 * a length below that.
 */
static inline int sstp_proto_hdr_parse(const u8 *hdr, bool *ctrl)
{
	u16 len = sstp_proto_hdr_len(hdr);

	*ctrl = sstp_proto_hdr_ctrl(hdr);
	if (hdr[0] != SSTP_VERSION ||
	    len < (*ctrl ? SSTP_CTRL_HDR_LEN : SSTP_HDR_LEN))
		return -EBADMSG;
	return len;
}

static inline void sstp_proto_hdr_put(u8 *hdr, bool ctrl, u16 len)
{
	hdr[0] = SSTP_VERSION;
	hdr[1] = ctrl ? SSTP_FLAG_CONTROL : 0;
	sstp_proto_put_be16(hdr + 2, len & SSTP_LEN_MASK);
}

/* The message type of a control packet (at least SSTP_CTRL_HDR_LEN bytes). */
static inline u16 sstp_proto_ctrl_type(const u8 *pkt)
{
	return sstp_proto_get_be16(pkt + 4);
}

static inline u16 sstp_proto_attr_len(const u8 *attr)
{
	return sstp_proto_get_be16(attr + 2) & SSTP_LEN_MASK;
}

/**
 * sstp_proto_attr_next() - step over one attribute of a control packet
 * @pkt: the packet
 * @len: its length
 * @off: where the attribute starts (SSTP_CTRL_HDR_LEN for the first, at
 *	most @len); moved past it
 * @id: set to its attribute id
 * @alen: set to its whole length, header included
 *
 * Return: 0, or -EBADMSG when the attribute's header or its length runs
 * past the packet, or its length is shorter than its header.
 */
static inline int sstp_proto_attr_next(const u8 *pkt, unsigned int len,
				       unsigned int *off, u8 *id, u16 *alen)
{
	if (len - *off < SSTP_ATTR_HDR_LEN)
		return -EBADMSG;
	*id = pkt[*off + 1];
	*alen = sstp_proto_attr_len(pkt + *off);
	if (*alen < SSTP_ATTR_HDR_LEN || *alen > len - *off)
		return -EBADMSG;
	*off += *alen;
	return 0;
}

/**
 * sstp_proto_ctrl_check() - validate one whole control packet
 * @pkt: the packet, header included
 * @len: its length, as the caller knows it from the stream or netlink
 * @type: set to the message type
 *
 * The header must be valid and say "control" and @len; the message type must
 * be known; the attributes must be exactly as many as announced and together
 * fill the packet exactly. What the attributes say is the daemon's business.
 *
 * Return: 0 or -EBADMSG.
 */
static inline int sstp_proto_ctrl_check(const u8 *pkt, unsigned int len,
					u16 *type)
{
	unsigned int off = SSTP_CTRL_HDR_LEN;
	u16 count, alen;
	bool ctrl;
	u8 id;

	if (len < SSTP_CTRL_HDR_LEN || len > SSTP_PKT_MAX)
		return -EBADMSG;
	if (sstp_proto_hdr_parse(pkt, &ctrl) != (int)len || !ctrl)
		return -EBADMSG;
	*type = sstp_proto_ctrl_type(pkt);
	if (*type < SSTP_MSG_CALL_CONNECT_REQUEST || *type > SSTP_MSG_MAX)
		return -EBADMSG;
	for (count = sstp_proto_get_be16(pkt + 6); count; count--)
		if (sstp_proto_attr_next(pkt, len, &off, &id, &alen))
			return -EBADMSG;
	return off == len ? 0 : -EBADMSG;
}

/* An attribute-less control packet such as ECHO_REQUEST or ECHO_RESPONSE. */
static inline void sstp_proto_ctrl_put_bare(u8 *pkt, u16 type)
{
	sstp_proto_hdr_put(pkt, true, SSTP_CTRL_HDR_LEN);
	sstp_proto_put_be16(pkt + 4, type);
	sstp_proto_put_be16(pkt + 6, 0);
}

/* Does a PPP frame start with the address and control fields FF 03? */
static inline bool sstp_proto_ppp_acf(const u8 *frame, unsigned int len)
{
	return len >= PPP_ACF_LEN && frame[0] == PPP_ADDRESS_ALL &&
	       frame[1] == PPP_CONTROL_UI;
}

/**
 * sstp_proto_ppp_hdr() - the header of a PPP frame from an SSTP data packet
 * @frame: the frame (the data packet's payload)
 * @len: its length
 * @proto: set to the protocol number
 *
 * The address and control fields FF 03 are optional (address-and-control
 * field compression), and a protocol number whose high byte is zero may be
 * sent as its one odd low byte (protocol-field compression, RFC 1661 6.5
 * and 6.6). The low byte of every protocol number is odd.
 *
 * Return: the header length (1 to 4: the information field starts there),
 * or -EBADMSG when there is no valid protocol field.
 */
static inline int sstp_proto_ppp_hdr(const u8 *frame, unsigned int len,
				     u16 *proto)
{
	unsigned int acf = sstp_proto_ppp_acf(frame, len) ? PPP_ACF_LEN : 0;

	frame += acf;
	len -= acf;
	if (len >= 1 && (frame[0] & 1)) {
		*proto = frame[0];
		return acf + 1;
	}
	if (len < 2 || !(frame[1] & 1))
		return -EBADMSG;
	*proto = sstp_proto_get_be16(frame);
	return acf + 2;
}

/**
 * sstp_proto_burst_len() - how much of a burst goes into this TLS record
 * @queued: bytes of whole SSTP packets ready to send
 * @last: the length of the last of them
 * @more: more packets follow in this burst (not its end)
 *
 * Several packets share a record, but at the end of a burst the last
 * packet goes in a record of its own. sstp-client (sstpc) reads one SSTP
 * packet per readiness event of its socket and never looks at what OpenSSL
 * already decrypted (SSL_pending): packets after the first in the last
 * record of a burst would wait in its TLS buffer until the peer sends
 * again, i.e. until the inner TCP's retransmission timer fires. A burst that
 * ends with a one-packet record leaves nothing behind. Packets are only
 * ever appended, so a send retried after a short write never asks for less
 * than the record a TLS library already holds.
 *
 * Return: the bytes to send now, from the start of @queued.
 */
static inline size_t sstp_proto_burst_len(size_t queued, size_t last,
					  bool more)
{
	if (more || queued <= last)
		return queued;
	return queued - last;
}

#endif /* SSTP_PROTO_H */
