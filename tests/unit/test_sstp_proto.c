// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The shared codec (kmod/proto.h), compiled here exactly as the module
 * compiles it: packet header, control-packet check, attribute walk, the PPP
 * frame header, the burst rule, and the numbers it names.
 */
#include <errno.h>

#include "kmod/proto.h"
#include "test.h"

/* MS-SSTP 4.7, CALL_CONNECT_REQUEST. */
static const char *const req_hex = "10 01 00 0E 00 01 00 01 00 01 00 06 00 01";

static int parse(const uint8_t *h, bool *ctrl)
{
	return sstp_proto_hdr_parse(h, ctrl);
}

TEST(header_checks)
{
	uint8_t h[4];
	bool ctrl;

	sstp_proto_hdr_put(h, true, 8);
	CHECK_INT(h[0], 0x10);
	CHECK_INT(h[1], 0x01);
	CHECK_INT(sstp_proto_hdr_len(h), 8);
	CHECK_INT(parse(h, &ctrl), 8);
	CHECK(ctrl);
	h[0] = 0x11;
	CHECK_INT(parse(h, &ctrl), -EBADMSG);
	h[0] = 0x20;
	CHECK_INT(parse(h, &ctrl), -EBADMSG);
	sstp_proto_hdr_put(h, true, 7);		/* control packets need 8 */
	CHECK_INT(parse(h, &ctrl), -EBADMSG);
	sstp_proto_hdr_put(h, false, 4);	/* empty data packet: legal */
	CHECK_INT(parse(h, &ctrl), 4);
	CHECK(!ctrl);
	sstp_proto_hdr_put(h, false, 3);
	CHECK_INT(parse(h, &ctrl), -EBADMSG);
	sstp_proto_hdr_put(h, false, 0);
	CHECK_INT(parse(h, &ctrl), -EBADMSG);
	sstp_proto_hdr_put(h, false, 4095);
	CHECK_INT(parse(h, &ctrl), 4095);
}

/* MS-SSTP 2.2.1: the 7 bits before C and the 4 before the length are
 * reserved, "MUST be ignored on receipt". */
TEST(header_reserved_bits_ignored_on_receipt)
{
	uint8_t h[4];
	bool ctrl;

	sstp_proto_hdr_put(h, false, 1504);
	h[1] |= 0xfe;
	h[2] |= 0xf0;
	CHECK_INT(parse(h, &ctrl), 1504);
	CHECK(!ctrl);
	CHECK_INT(sstp_proto_hdr_len(h), 1504);
	sstp_proto_hdr_put(h, true, 14);
	h[1] |= 0xfe;
	h[2] |= 0xf0;
	CHECK_INT(parse(h, &ctrl), 14);
	CHECK(ctrl);
	/* and they are sent as zero */
	sstp_proto_hdr_put(h, true, 0xffff);
	CHECK_INT(h[1], 0x01);
	CHECK_INT(h[2], 0x0f);
}

static int check_hex(const char *hex, uint16_t *type)
{
	uint8_t b[SSTP_PKT_MAX];
	size_t n = test_unhex(hex, b, sizeof(b));

	return sstp_proto_ctrl_check(b, (unsigned int)n, type);
}

TEST(ctrl_check_accepts_the_spec_example)
{
	uint16_t type = 0;

	CHECK_INT(check_hex(req_hex, &type), 0);
	CHECK_INT(type, SSTP_MSG_CALL_CONNECT_REQUEST);
	CHECK_INT(check_hex("10 01 00 08 00 08 00 00", &type), 0);
	CHECK_INT(type, SSTP_MSG_ECHO_REQUEST);
}

TEST(ctrl_check_structural_errors)
{
	static const char *const bad[] = {
		/* attribute runs past the end, or is shorter than its header */
		"10 01 00 0E 00 01 00 01 00 01 00 07 00 01",
		"10 01 00 0E 00 01 00 01 00 01 00 03 00 01",
		/* more attributes announced than present, or fewer */
		"10 01 00 0E 00 01 00 02 00 01 00 06 00 01",
		"10 01 00 0E 00 01 00 00 00 01 00 06 00 01",
		/* a truncated attribute header */
		"10 01 00 0A 00 08 00 01 00 01",
		/* header length differs from the packet */
		"10 01 00 0F 00 01 00 01 00 01 00 06 00 01",
		/* a data packet, a bad version, unknown types, too short */
		"10 00 00 08 00 08 00 00",
		"11 01 00 08 00 08 00 00",
		"10 01 00 08 00 00 00 00",
		"10 01 00 08 00 0A 00 00",
		"10 01 00 08 01 08 00 00",
		"10 01 00 04",
		/* 65535 attributes announced, none there */
		"10 01 00 08 00 08 FF FF",
	};
	uint16_t type;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(check_hex(bad[i], &type), -EBADMSG);
}

/* Reserved bits in the packet header and in an attribute header (its
 * Reserved byte and the 4 bits before its length), as the kernel's and the
 * daemon's receive paths both see them. */
TEST(ctrl_check_reserved_bits_ignored_on_receipt)
{
	uint16_t type = 0;

	CHECK_INT(check_hex("10 FF F0 0E 00 01 00 01 FF 01 F0 06 00 01", &type), 0);
	CHECK_INT(type, SSTP_MSG_CALL_CONNECT_REQUEST);
	CHECK_INT(check_hex("10 FF F0 08 00 09 00 00", &type), 0);
	CHECK_INT(type, SSTP_MSG_ECHO_RESPONSE);
}

TEST(attr_walk)
{
	/* CALL_ABORT with one Status Info (12 bytes) */
	static const char *const hex =
		"10 01 00 14 00 05 00 01 00 02 00 0C 00 00 00 02 00 00 00 07";
	uint8_t b[32], id = 0;
	unsigned int off = SSTP_CTRL_HDR_LEN;
	size_t n = test_unhex(hex, b, sizeof(b));
	uint16_t alen = 0;

	CHECK_INT(sstp_proto_attr_next(b, (unsigned int)n, &off, &id, &alen), 0);
	CHECK_INT(id, 2);
	CHECK_INT(alen, 12);
	CHECK_INT(off, n);
	CHECK_INT(sstp_proto_attr_next(b, (unsigned int)n, &off, &id, &alen), -EBADMSG);
	off = SSTP_CTRL_HDR_LEN;
	CHECK_INT(sstp_proto_attr_next(b, (unsigned int)n - 1, &off, &id, &alen), -EBADMSG);
}

TEST(bare_ctrl_packet)
{
	uint8_t p[SSTP_CTRL_HDR_LEN];
	uint16_t type = 0;

	sstp_proto_ctrl_put_bare(p, SSTP_MSG_ECHO_RESPONSE);
	CHECK_INT(sstp_proto_ctrl_check(p, sizeof(p), &type), 0);
	CHECK_INT(type, SSTP_MSG_ECHO_RESPONSE);
	CHECK_INT(sstp_proto_ctrl_type(p), SSTP_MSG_ECHO_RESPONSE);
}

TEST(ppp_header)
{
	static const struct {
		const char *hex;
		int hlen;
		uint16_t proto;
	} t[] = {
		{ "FF 03 C0 21 09", 4, PPP_PROTO_LCP },
		{ "C0 21 09", 2, PPP_PROTO_LCP },
		{ "00 21 45", 2, PPP_PROTO_IPV4 },
		/* protocol-field compression: one odd byte, FF 03 or not */
		{ "21 45", 1, PPP_PROTO_IPV4 },
		{ "FF 03 57 60", 3, PPP_PROTO_IPV6 },
		/* an empty information field is fine */
		{ "80 57", 2, PPP_PROTO_IPV6CP },
		/* no protocol field, a truncated one, an even low byte */
		{ "", -EBADMSG, 0 },
		{ "FF 03", -EBADMSG, 0 },
		{ "C0", -EBADMSG, 0 },
		{ "FF 03 80", -EBADMSG, 0 },
		{ "C0 22 01", -EBADMSG, 0 },
	};
	uint8_t b[16];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		size_t n = test_unhex(t[i].hex, b, sizeof(b));
		uint16_t proto = 0;

		CHECK_INT(sstp_proto_ppp_hdr(b, (unsigned int)n, &proto), t[i].hlen);
		if (t[i].hlen > 0)
			CHECK_INT(proto, t[i].proto);
	}
	CHECK(sstp_proto_ppp_acf((const uint8_t *)"\xff\x03", 2));
	CHECK(!sstp_proto_ppp_acf((const uint8_t *)"\xff\x03", 1));
	CHECK(!sstp_proto_ppp_acf((const uint8_t *)"\xff\x01", 2));
}

TEST(burst_rule)
{
	/* more packets follow: everything goes */
	CHECK_INT(sstp_proto_burst_len(3000, 100, true), 3000);
	/* the end of a burst of several: the last one waits for its own record */
	CHECK_INT(sstp_proto_burst_len(3000, 100, false), 2900);
	/* then it goes alone; a lone packet goes at once */
	CHECK_INT(sstp_proto_burst_len(100, 100, false), 100);
	CHECK_INT(sstp_proto_burst_len(0, 0, false), 0);
}

TEST(named_numbers)
{
	CHECK_INT(SSTP_TLS_CHANGE_CIPHER_SPEC, 20);
	CHECK_INT(SSTP_TLS_ALERT, 21);
	CHECK_INT(SSTP_TLS_HANDSHAKE, 22);
	CHECK_INT(SSTP_TLS_APPLICATION_DATA, 23);
	CHECK_INT(SSTP_TLS_HEARTBEAT, 24);
	CHECK_INT(SSTP_TLS_NEW_SESSION_TICKET, 4);
	CHECK_INT(SSTP_TLS_KEY_UPDATE, 24);
	CHECK_INT(SSTP_MSG_ECHO_RESPONSE, 9);
	CHECK_INT(SSTP_DATA_MAX, 4091);
}
