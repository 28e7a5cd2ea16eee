/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SSTP wire format (MS-SSTP 2.2) and the pure functions that frame and check
 * it. Nothing here touches kernel objects, so the same file compiles in
 * userspace (for a fuzzer or a unit test) when __KERNEL__ is not defined.
 */
#ifndef SSTP_PROTO_H
#define SSTP_PROTO_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <linux/types.h>
typedef __u8 u8;
typedef __u16 u16;
#endif

#define SSTP_VERSION		0x10
#define SSTP_HDR_LEN		4
#define SSTP_CTRL_HDR_LEN	8	/* header + message type + attribute count */
#define SSTP_ATTR_HDR_LEN	4
#define SSTP_PKT_MAX		4095	/* 12-bit length field */
#define SSTP_FLAG_CONTROL	0x01
#define SSTP_LEN_MASK		0x0fff

/* Control message types (2.2.9 - 2.2.15). */
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

/* TLS record content types and handshake message types we meet on RX. */
#define SSTP_TLS_ALERT			21
#define SSTP_TLS_HANDSHAKE		22
#define SSTP_TLS_APPLICATION_DATA	23
#define SSTP_TLS_NEW_SESSION_TICKET	4
#define SSTP_TLS_KEY_UPDATE		24

static inline u16 sstp_proto_get_be16(const u8 *p)
{
	return (u16)((p[0] << 8) | p[1]);
}

static inline void sstp_proto_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/**
 * sstp_proto_hdr_parse() - check an SSTP packet header
 * @hdr: the first SSTP_HDR_LEN bytes of a packet
 * @ctrl: set to whether it is a control packet
 *
 * Return: the whole packet length (SSTP_HDR_LEN..SSTP_PKT_MAX), or -EBADMSG
 * for a bad version, non-zero reserved bits or a length below the header.
 */
static inline int sstp_proto_hdr_parse(const u8 *hdr, bool *ctrl)
{
	u16 len = sstp_proto_get_be16(hdr + 2);

	if (hdr[0] != SSTP_VERSION || (hdr[1] & ~SSTP_FLAG_CONTROL) ||
	    (len & ~SSTP_LEN_MASK) || len < SSTP_HDR_LEN)
		return -EBADMSG;
	*ctrl = hdr[1] & SSTP_FLAG_CONTROL;
	return len;
}

static inline void sstp_proto_hdr_put(u8 *hdr, bool ctrl, u16 len)
{
	hdr[0] = SSTP_VERSION;
	hdr[1] = ctrl ? SSTP_FLAG_CONTROL : 0;
	sstp_proto_put_be16(hdr + 2, len & SSTP_LEN_MASK);
}

/**
 * sstp_proto_ctrl_check() - validate one whole control packet
 * @pkt: the packet, header included
 * @len: its length, as the caller knows it from the stream or netlink
 * @type: set to the message type
 *
 * The header must be valid and say "control" and @len; the message type must
 * be known; the attributes must be exactly as many as announced, each with a
 * length of at least its header, and together fill the packet exactly.
 *
 * Return: 0 or -EBADMSG.
 */
static inline int sstp_proto_ctrl_check(const u8 *pkt, unsigned int len,
					u16 *type)
{
	unsigned int off = SSTP_CTRL_HDR_LEN;
	u16 count, alen;
	bool ctrl;
	int plen;

	if (len < SSTP_CTRL_HDR_LEN || len > SSTP_PKT_MAX)
		return -EBADMSG;
	plen = sstp_proto_hdr_parse(pkt, &ctrl);
	if (plen < 0 || !ctrl || (unsigned int)plen != len)
		return -EBADMSG;
	*type = sstp_proto_get_be16(pkt + 4);
	if (*type < SSTP_MSG_CALL_CONNECT_REQUEST || *type > SSTP_MSG_MAX)
		return -EBADMSG;
	for (count = sstp_proto_get_be16(pkt + 6); count; count--) {
		if (len - off < SSTP_ATTR_HDR_LEN)
			return -EBADMSG;
		alen = sstp_proto_get_be16(pkt + off + 2);
		if ((alen & ~SSTP_LEN_MASK) || alen < SSTP_ATTR_HDR_LEN ||
		    alen > len - off)
			return -EBADMSG;
		off += alen;
	}
	return off == len ? 0 : -EBADMSG;
}

/* PPP inside SSTP data packets: whole frames, no flags, no FCS (RFC 1661). */
#define SSTP_PPP_ALLSTATIONS	0xff
#define SSTP_PPP_UI		0x03
#define SSTP_PPP_HDR_MAX	4	/* FF 03 + two-byte protocol */
#define SSTP_PPP_IPV4		0x0021
#define SSTP_PPP_IPV6		0x0057

/**
 * sstp_proto_ppp_parse() - the PPP header of a data packet's payload
 * @p: the payload's first min(@len, SSTP_PPP_HDR_MAX) bytes
 * @len: payload length
 * @proto: set to the protocol number
 *
 * Takes every form a peer may send: with or without FF 03 (address and
 * control field compression) and with a one-byte protocol (protocol field
 * compression: an odd first byte). A two-byte protocol has an even first
 * and an odd second byte.
 *
 * Return: the header length (1 to 4), or -EBADMSG.
 */
static inline int sstp_proto_ppp_parse(const u8 *p, unsigned int len,
				       u16 *proto)
{
	unsigned int off = 0;

	if (len >= 2 && p[0] == SSTP_PPP_ALLSTATIONS && p[1] == SSTP_PPP_UI)
		off = 2;
	if (off >= len)
		return -EBADMSG;
	if (p[off] & 1) {
		*proto = p[off];
		return off + 1;
	}
	if (off + 2 > len || !(p[off + 1] & 1))
		return -EBADMSG;
	*proto = sstp_proto_get_be16(p + off);
	return off + 2;
}

/* An attribute-less control packet such as ECHO_REQUEST or ECHO_RESPONSE. */
static inline void sstp_proto_ctrl_put_bare(u8 *pkt, u16 type)
{
	sstp_proto_hdr_put(pkt, true, SSTP_CTRL_HDR_LEN);
	sstp_proto_put_be16(pkt + 4, type);
	sstp_proto_put_be16(pkt + 6, 0);
}

#endif /* SSTP_PROTO_H */
