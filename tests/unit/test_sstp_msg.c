// SPDX-License-Identifier: GPL-2.0-or-later
/* SSTP messages: data framing, control messages, deframer (the header
 * itself is the shared codec's, tests/unit/test_sstp_proto.c). */
#include <errno.h>

#include "proto/sstp_msg.h"
#include "test.h"

/* MS-SSTP 4.7, CALL_CONNECT_REQUEST. */
static const char *const req_hex = "10 01 00 0E 00 01 00 01 00 01 00 06 00 01";

TEST(connect_request_spec_example_round_trips)
{
	uint8_t wire[32], out[32];
	size_t n = test_unhex(req_hex, wire, sizeof(wire));
	struct sstp_ctrl msg;

	CHECK_INT(n, SSTP_CALL_CONNECT_REQUEST_LEN);
	CHECK_INT(sstp_ctrl_decode(wire, n, &msg), 0);
	CHECK_INT(msg.type, SSTP_MSG_CALL_CONNECT_REQUEST);
	CHECK(msg.has_encap);
	CHECK_INT(msg.encap_proto, SSTP_ENCAP_PROTO_PPP);
	CHECK(!msg.has_binding && !msg.has_binding_req);
	CHECK_INT(msg.n_status, 0);
	CHECK_INT(sstp_ctrl_encode(&msg, out, sizeof(out)), n);
	CHECK_MEM(out, wire, n);
}

TEST(data_framing_limits)
{
	static uint8_t payload[SSTP_DATA_MAX + 1], buf[SSTP_PKT_MAX + 16];
	uint8_t h[4];

	memset(payload, 0xab, sizeof(payload));
	CHECK_INT(sstp_data_encap(buf, sizeof(buf), payload, SSTP_DATA_MAX),
		  SSTP_PKT_MAX);
	CHECK_INT(buf[0], 0x10);
	CHECK_INT(buf[1], 0x00);
	CHECK_INT(buf[2], 0x0f);
	CHECK_INT(buf[3], 0xff);
	CHECK_MEM(buf + 4, payload, SSTP_DATA_MAX);
	CHECK_INT(sstp_data_encap(buf, sizeof(buf), payload, SSTP_DATA_MAX + 1),
		  -EMSGSIZE);
	CHECK_INT(sstp_data_encap(buf, 10, payload, 7), -EMSGSIZE);
	CHECK_INT(sstp_data_encap(buf, 10, payload, 6), 10);
	CHECK_INT(sstp_data_put_hdr(h, 1500), 0);
	CHECK_INT(sstp_proto_hdr_len(h), 1504);
	CHECK_INT(sstp_data_put_hdr(h, SSTP_DATA_MAX + 1), -EMSGSIZE);
}

/* encode -> decode -> encode must be stable and keep every field. */
static int round_trip(const struct sstp_ctrl *in, size_t want_len,
		      struct sstp_ctrl *out)
{
	uint8_t a[SSTP_PKT_MAX], b[SSTP_PKT_MAX];
	int n = sstp_ctrl_encode(in, a, sizeof(a));

	if (n != (int)want_len)
		return -1;
	if (sstp_ctrl_decode(a, n, out))
		return -2;
	if (sstp_ctrl_encode(out, b, sizeof(b)) != n || memcmp(a, b, n))
		return -3;
	return 0;
}

TEST(every_message_round_trips)
{
	struct sstp_ctrl in, out;
	static const uint8_t val[3] = { 1, 2, 3 };
	unsigned int t, i;

	sstp_ctrl_init(&in, SSTP_MSG_CALL_CONNECT_ACK);
	in.has_binding_req = true;
	in.binding_req.hash_mask = SSTP_HASH_MASK_SHA1 | SSTP_HASH_MASK_SHA256;
	for (i = 0; i < SSTP_NONCE_LEN; i++)
		in.binding_req.nonce[i] = (uint8_t)i;
	CHECK_INT(round_trip(&in, SSTP_CALL_CONNECT_ACK_LEN, &out), 0);
	CHECK_INT(out.binding_req.hash_mask, 3);
	CHECK_MEM(out.binding_req.nonce, in.binding_req.nonce, SSTP_NONCE_LEN);

	sstp_ctrl_init(&in, SSTP_MSG_CALL_CONNECTED);
	in.has_binding = true;
	in.binding.hash_proto = SSTP_HASH_SHA256;
	memset(in.binding.nonce, 0x11, SSTP_NONCE_LEN);
	memset(in.binding.cert_hash, 0x22, SSTP_HASH_FIELD_LEN);
	memset(in.binding.mac, 0x33, SSTP_HASH_FIELD_LEN);
	CHECK_INT(round_trip(&in, SSTP_CALL_CONNECTED_LEN, &out), 0);
	CHECK_INT(out.binding.hash_proto, SSTP_HASH_SHA256);
	CHECK_MEM(out.binding.mac, in.binding.mac, SSTP_HASH_FIELD_LEN);

	sstp_ctrl_init(&in, SSTP_MSG_CALL_CONNECT_NAK);
	CHECK_INT(sstp_ctrl_add_status(&in, SSTP_ATTR_ENCAPSULATED_PROTOCOL_ID,
				       SSTP_STATUS_VALUE_NOT_SUPPORTED, val, 2), 0);
	CHECK_INT(sstp_ctrl_add_status(&in, 7, SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE,
				       NULL, 0), 0);
	CHECK_INT(round_trip(&in, 8 + 14 + 12, &out), 0);
	CHECK_INT(out.n_status, 2);
	CHECK_INT(out.status[0].attr_id, 1);
	CHECK_INT(out.status[0].status, 4);
	CHECK_INT(out.status[0].value_len, 2);
	CHECK_MEM(out.status[0].value, val, 2);
	CHECK_INT(out.status[1].attr_id, 7);

	for (t = SSTP_MSG_CALL_ABORT; t <= SSTP_MSG_CALL_DISCONNECT; t++) {
		sstp_ctrl_init(&in, t);
		CHECK_INT(round_trip(&in, 8, &out), 0);
		sstp_ctrl_add_status(&in, SSTP_ATTR_STATUS_INFO,
				     SSTP_STATUS_NEGOTIATION_TIMEOUT, NULL, 0);
		CHECK_INT(round_trip(&in, 20, &out), 0);
		CHECK_INT(out.n_status, 1);
		CHECK_INT(out.status[0].status, SSTP_STATUS_NEGOTIATION_TIMEOUT);
	}
	for (t = SSTP_MSG_CALL_DISCONNECT_ACK; t <= SSTP_MSG_ECHO_RESPONSE; t++) {
		sstp_ctrl_init(&in, t);
		CHECK_INT(round_trip(&in, SSTP_CTRL_SIMPLE_LEN, &out), 0);
		CHECK_INT(out.type, t);
	}

	/* Status Info values are capped at 64 bytes. */
	{
		uint8_t big[100];

		memset(big, 7, sizeof(big));
		sstp_ctrl_init(&in, SSTP_MSG_CALL_CONNECT_NAK);
		sstp_ctrl_add_status(&in, 1, 3, big, sizeof(big));
		CHECK_INT(in.status[0].value_len, 64);
		CHECK_INT(round_trip(&in, 8 + 76, &out), 0);
	}
}

TEST(encode_rejects_small_buffer)
{
	struct sstp_ctrl m;
	uint8_t buf[SSTP_CALL_CONNECTED_LEN];
	int i;

	sstp_ctrl_init(&m, SSTP_MSG_CALL_CONNECTED);
	m.has_binding = true;
	CHECK_INT(sstp_ctrl_encode(&m, buf, sizeof(buf) - 1), -EMSGSIZE);
	sstp_ctrl_init(&m, SSTP_MSG_CALL_CONNECT_NAK);
	for (i = 0; i < SSTP_MSG_MAX_STATUS; i++)
		CHECK_INT(sstp_ctrl_add_status(&m, 1, 1, NULL, 0), 0);
	CHECK_INT(sstp_ctrl_add_status(&m, 1, 1, NULL, 0), -ENOSPC);
	m.n_status = SSTP_MSG_MAX_STATUS + 1;
	CHECK_INT(sstp_ctrl_encode(&m, buf, sizeof(buf)), -EINVAL);
}

/* Decode hex, expect -EINVAL with a first error (attr, status). */
static int decode_err(const char *hex, uint8_t attr, uint32_t status,
		      struct sstp_ctrl *m)
{
	uint8_t b[SSTP_PKT_MAX];
	size_t n = test_unhex(hex, b, sizeof(b));
	int r = sstp_ctrl_decode(b, n, m);

	if (r != -EINVAL)
		return 100 + r;
	if (m->n_err < 1 || m->err[0].attr_id != attr ||
	    m->err[0].status != status)
		return 1;
	return 0;
}

TEST(attribute_errors_get_spec_status)
{
	struct sstp_ctrl m;

	/* duplicate Encapsulated Protocol ID */
	CHECK_INT(decode_err("10 01 00 14 00 01 00 02 00 01 00 06 00 01 00 01 00 06 00 01",
			     1, SSTP_STATUS_DUPLICATE_ATTRIBUTE, &m), 0);
	CHECK(m.has_encap);
	CHECK_INT(m.err[0].value_len, 2);
	/* unknown attribute id 7: no AttribValue sent back */
	CHECK_INT(decode_err("10 01 00 14 00 01 00 02 00 01 00 06 00 01 00 07 00 06 AA BB",
			     7, SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, &m), 0);
	CHECK_INT(m.err[0].value_len, 0);
	/* id 0 is not an attribute either */
	CHECK_INT(decode_err("10 01 00 14 00 01 00 02 00 00 00 06 AA BB 00 01 00 06 00 01",
			     0, SSTP_STATUS_UNRECOGNIZED_ATTRIBUTE, &m), 0);
	/* wrong length for Encapsulated Protocol ID */
	CHECK_INT(decode_err("10 01 00 10 00 01 00 01 00 01 00 08 00 01 00 00",
			     1, SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, &m), 0);
	CHECK_INT(m.err[0].value_len, 4);
	CHECK_INT(m.n_err, 1);	/* present, so not also "missing" */
	/* protocol other than PPP, value echoed */
	CHECK_INT(decode_err("10 01 00 0E 00 01 00 01 00 01 00 06 00 02",
			     1, SSTP_STATUS_VALUE_NOT_SUPPORTED, &m), 0);
	CHECK_INT(m.err[0].value_len, 2);
	CHECK_INT(m.err[0].value[1], 2);
	CHECK_INT(m.n_err, 1);
	/* a Status Info with an error inside a request */
	CHECK_INT(decode_err("10 01 00 1A 00 01 00 02 00 01 00 06 00 01 00 02 00 0C 00 00 00 01 00 00 00 04",
			     2, SSTP_STATUS_STATUS_INFO_NOT_SUPPORTED_IN_MSG, &m), 0);
	/* ... but "no error" is fine there */
	{
		uint8_t b[64];
		size_t n = test_unhex("10 01 00 1A 00 01 00 02 00 01 00 06 00 01 00 02 00 0C 00 00 00 00 00 00 00 00",
				      b, sizeof(b));

		CHECK_INT(sstp_ctrl_decode(b, n, &m), 0);
		CHECK(m.has_encap);
	}
	/* request without its Encapsulated Protocol ID */
	CHECK_INT(decode_err("10 01 00 08 00 01 00 00",
			     2, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, &m), 0);
	/* ACK without a Crypto Binding Request */
	CHECK_INT(decode_err("10 01 00 08 00 02 00 00",
			     2, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, &m), 0);
	/* NAK without any Status Info */
	CHECK_INT(decode_err("10 01 00 08 00 03 00 00",
			     2, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, &m), 0);
	/* CONNECTED without its binding */
	CHECK_INT(decode_err("10 01 00 08 00 04 00 00",
			     2, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING, &m), 0);
	/* Encapsulated Protocol ID inside an ECHO_REQUEST */
	CHECK_INT(decode_err("10 01 00 0E 00 08 00 01 00 01 00 06 00 01",
			     1, SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, &m), 0);
	/* Encapsulated Protocol ID inside an ACK (plus its binding missing) */
	CHECK_INT(decode_err("10 01 00 0E 00 02 00 01 00 01 00 06 00 01",
			     1, SSTP_STATUS_ATTRIB_NOT_SUPPORTED_IN_MSG, &m), 0);
	CHECK_INT(m.n_err, 2);
	CHECK_INT(m.err[1].status, SSTP_STATUS_REQUIRED_ATTRIBUTE_MISSING);
	/* two Status Infos in an ABORT */
	CHECK_INT(decode_err("10 01 00 20 00 05 00 02 00 02 00 0C 00 00 00 02 00 00 00 07 00 02 00 0C 00 00 00 02 00 00 00 07",
			     2, SSTP_STATUS_DUPLICATE_ATTRIBUTE, &m), 0);
	CHECK_INT(m.n_status, 1);
	/* Status Info shorter than 12 / longer than 76 */
	CHECK_INT(decode_err("10 01 00 12 00 05 00 01 00 02 00 0A 00 00 00 02 00 00",
			     2, SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, &m), 0);
	/* Crypto Binding of the wrong size in CONNECTED */
	CHECK_INT(decode_err("10 01 00 10 00 04 00 01 00 03 00 08 00 00 00 02",
			     3, SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH, &m), 0);
}

TEST(long_status_info_is_invalid_length)
{
	uint8_t b[200];
	struct sstp_ctrl m;
	size_t alen = SSTP_ATTR_STATUS_INFO_MAX + 1, len = 8 + alen;

	memset(b, 0, sizeof(b));
	sstp_proto_hdr_put(b, true, len);
	b[5] = SSTP_MSG_CALL_CONNECT_NAK;
	b[7] = 1;
	b[9] = SSTP_ATTR_STATUS_INFO;
	b[11] = (uint8_t)alen;
	CHECK_INT(sstp_ctrl_decode(b, len, &m), -EINVAL);
	CHECK_INT(m.err[0].status, SSTP_STATUS_INVALID_ATTRIB_VALUE_LENGTH);
	CHECK_INT(m.err[0].value_len, 64);	/* truncated echo */
	b[11] = (uint8_t)(alen - 1);
	sstp_proto_hdr_put(b, true, len - 1);
	CHECK_INT(sstp_ctrl_decode(b, len - 1, &m), 0);
	CHECK_INT(m.status[0].value_len, 64);
}

static int decode_hex(const char *hex)
{
	uint8_t b[SSTP_PKT_MAX];
	struct sstp_ctrl m;
	size_t n = test_unhex(hex, b, sizeof(b));

	return sstp_ctrl_decode(b, n, &m);
}

TEST(structural_errors_are_ebadmsg)
{
	/* attribute runs past the end */
	CHECK_INT(decode_hex("10 01 00 0E 00 01 00 01 00 01 00 07 00 01"), -EBADMSG);
	/* attribute length below its own header */
	CHECK_INT(decode_hex("10 01 00 0E 00 01 00 01 00 01 00 03 00 01"), -EBADMSG);
	CHECK_INT(decode_hex("10 01 00 0E 00 01 00 02 00 01 00 00 00 01"), -EBADMSG);
	/* more attributes announced than present */
	CHECK_INT(decode_hex("10 01 00 0E 00 01 00 02 00 01 00 06 00 01"), -EBADMSG);
	/* fewer announced: trailing bytes */
	CHECK_INT(decode_hex("10 01 00 0E 00 01 00 00 00 01 00 06 00 01"), -EBADMSG);
	/* a truncated attribute header */
	CHECK_INT(decode_hex("10 01 00 0A 00 08 00 01 00 01"), -EBADMSG);
	/* header length differs from the buffer */
	CHECK_INT(decode_hex("10 01 00 0F 00 01 00 01 00 01 00 06 00 01"), -EBADMSG);
	/* data packet, bad version, unknown types */
	CHECK_INT(decode_hex("10 00 00 08 00 08 00 00"), -EBADMSG);
	CHECK_INT(decode_hex("11 01 00 08 00 08 00 00"), -EBADMSG);
	CHECK_INT(decode_hex("10 01 00 08 00 00 00 00"), -EBADMSG);
	CHECK_INT(decode_hex("10 01 00 08 00 0A 00 00"), -EBADMSG);
	CHECK_INT(decode_hex("10 01 00 08 01 08 00 00"), -EBADMSG);
	CHECK_INT(decode_hex("10 01 00 04"), -EBADMSG);
	/* an attribute count of 65535 with no bytes behind it */
	CHECK_INT(decode_hex("10 01 00 08 00 08 FF FF"), -EBADMSG);
}

TEST(reserved_bits_ignored_on_receipt)
{
	/* reserved bits in the packet header, attribute header, Reserved1 */
	CHECK_INT(decode_hex("10 FF F0 0E 00 01 00 01 FF 01 F0 06 00 01"), 0);
	CHECK_INT(decode_hex("10 01 00 14 00 05 00 01 00 02 00 0C FF FF FF 02 00 00 00 07"), 0);
}

TEST(names)
{
	CHECK_STR(sstp_msg_type_name(SSTP_MSG_CALL_CONNECTED), "CALL_CONNECTED");
	CHECK_STR(sstp_msg_type_name(0), "unknown");
	CHECK_STR(sstp_msg_type_name(99), "unknown");
	CHECK_STR(sstp_attr_name(SSTP_ATTR_CRYPTO_BINDING_REQ), "CRYPTO_BINDING_REQ");
	CHECK_STR(sstp_attr_name(9), "unknown");
	CHECK_STR(sstp_status_name(SSTP_STATUS_NEGOTIATION_TIMEOUT), "NEGOTIATION_TIMEOUT");
	CHECK_STR(sstp_status_name(12), "unknown");
	CHECK_STR(sstp_status_name(0xffffffffu), "unknown");
}

/* A stream of three packets: control, data (max size), empty data. */
static size_t make_stream(uint8_t *s)
{
	static uint8_t payload[SSTP_DATA_MAX];
	size_t n, i;

	n = test_unhex(req_hex, s, 14);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7);
	n += sstp_data_encap(s + n, SSTP_PKT_MAX, payload, sizeof(payload));
	n += sstp_data_encap(s + n, 4, payload, 0);
	return n;
}

static int check_stream_packets(struct sstp_packet *got, unsigned int count,
				const uint8_t *s)
{
	if (count != 3)
		return 1;
	if (!got[0].control || got[0].len != 14)
		return 2;
	if (got[1].control || got[1].len != SSTP_PKT_MAX ||
	    got[1].payload_len != SSTP_DATA_MAX ||
	    got[1].payload != got[1].data + 4)
		return 3;
	if (got[2].control || got[2].len != 4 || got[2].payload_len != 0)
		return 4;
	(void)s;
	return 0;
}

TEST(deframer_whole_buffer_zero_copy)
{
	static uint8_t s[3 * SSTP_PKT_MAX];
	struct sstp_deframer d;
	struct sstp_packet got[4];
	const uint8_t *p = s;
	size_t n = make_stream(s), left = n;
	unsigned int count = 0;
	int r;

	sstp_deframer_init(&d);
	while ((r = sstp_deframer_next(&d, &p, &left, &got[count])) > 0) {
		CHECK(got[count].data >= s && got[count].data < s + n);
		count++;
		CHECK(count < 4);
	}
	CHECK_INT(r, 0);
	CHECK_INT(left, 0);
	CHECK_INT(check_stream_packets(got, count, s), 0);
	CHECK_MEM(got[0].data, s, 14);
	CHECK_INT(sstp_deframer_pending(&d), 0);
}

/* Feed the stream in chunks of every size from 1 to 9 (and some primes):
 * the packets must come out identical. */
TEST(deframer_split_reads)
{
	static uint8_t s[3 * SSTP_PKT_MAX], copy[3][SSTP_PKT_MAX];
	static const size_t chunks[] = { 1, 2, 3, 4, 5, 7, 9, 13, 1000, 4095, 4099 };
	size_t n = make_stream(s), ci;

	for (ci = 0; ci < sizeof(chunks) / sizeof(chunks[0]); ci++) {
		struct sstp_deframer d;
		struct sstp_packet got[4];
		size_t off = 0, offs[3] = { 0, 14, 14 + SSTP_PKT_MAX };
		unsigned int count = 0, i;

		sstp_deframer_init(&d);
		while (off < n) {
			size_t len = n - off < chunks[ci] ? n - off : chunks[ci];
			const uint8_t *p = s + off;
			int r;

			off += len;
			while ((r = sstp_deframer_next(&d, &p, &len, &got[count])) > 0) {
				CHECK(count < 3);
				/* copy out: the packet is only valid until the next call */
				memcpy(copy[count], got[count].data, got[count].len);
				count++;
			}
			CHECK_INT(r, 0);
			CHECK_INT(len, 0);
		}
		CHECK_INT(check_stream_packets(got, count, s), 0);
		for (i = 0; i < 3; i++)
			CHECK_MEM(copy[i], s + offs[i], got[i].len);
	}
}

TEST(deframer_rejects_bad_header_and_stays_failed)
{
	struct sstp_deframer d;
	struct sstp_packet pkt;
	uint8_t bad[] = { 0x20, 0x01, 0x00, 0x08, 0, 8, 0, 0 };
	uint8_t good[14];
	const uint8_t *p;
	size_t len;

	test_unhex(req_hex, good, sizeof(good));

	/* bad version, whole in the buffer */
	sstp_deframer_init(&d);
	p = bad;
	len = sizeof(bad);
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), -EPROTO);
	p = good;
	len = sizeof(good);
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), -EPROTO);

	/* bad version arriving one byte at a time */
	sstp_deframer_init(&d);
	p = bad;
	len = 1;
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), 0);
	len = 1;
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), 0);
	len = 1;
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), 0);
	len = 1;
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), -EPROTO);

	/* length 2 (shorter than the header) and a 6-byte control packet */
	{
		uint8_t tiny[] = { 0x10, 0x00, 0x00, 0x02 };
		uint8_t shortctl[] = { 0x10, 0x01, 0x00, 0x06, 0, 0 };

		sstp_deframer_init(&d);
		p = tiny;
		len = sizeof(tiny);
		CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), -EPROTO);
		sstp_deframer_init(&d);
		p = shortctl;
		len = sizeof(shortctl);
		CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), -EPROTO);
	}

	/* an empty read is nothing */
	sstp_deframer_init(&d);
	p = NULL;
	len = 0;
	CHECK_INT(sstp_deframer_next(&d, &p, &len, &pkt), 0);
}
