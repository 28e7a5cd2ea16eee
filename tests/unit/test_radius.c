// SPDX-License-Identifier: GPL-2.0-or-later
/* RADIUS packets: the RFC 2865 section 7 examples, signing and checking
 * every kind the daemon sends or takes, and the RFC 2548 key hiding. */
#include <errno.h>

#include "proto/radius.h"
#include "test.h"

static const uint8_t secret[] = "xyzzy5461";
#define SLEN (sizeof(secret) - 1)

/* RFC 2865 7.1: nemo / arctangent, NAS 192.168.1.16 port 3. */
static const char *const rfc_req =
	"01 00 00 38 0f 40 3f 94 73 97 80 57 bd 83 d5 cb 98 f4 22 7a"
	"01 06 6e 65 6d 6f 02 12 0d be 70 8d 93 d4 13 ce 31 96 e4 3f"
	"78 2a 0a ee 04 06 c0 a8 01 10 05 06 00 00 00 03";
static const char *const rfc_accept =
	"02 00 00 26 86 fe 22 0e 76 24 ba 2a 10 05 f6 bf 9b 55 e0 b2"
	"06 06 00 00 00 01 0f 06 00 00 00 00 0e 06 c0 a8 01 03";

TEST(rfc2865_access_request_built)
{
	uint8_t want[128];
	size_t n = test_unhex(rfc_req, want, sizeof(want));
	struct radius_pkt p;

	radius_init(&p, RADIUS_ACCESS_REQUEST, 0, want + 4);
	CHECK_INT(radius_add_str(&p, RADIUS_USER_NAME, "nemo"), 0);
	CHECK_INT(radius_add_user_password(&p, (const uint8_t *)"arctangent", 10,
					   secret, SLEN), 0);
	CHECK_INT(radius_add_u32(&p, RADIUS_NAS_IP_ADDRESS, 0xc0a80110), 0);
	CHECK_INT(radius_add_u32(&p, RADIUS_NAS_PORT, 3), 0);
	CHECK_INT(radius_sign(&p, secret, SLEN, NULL), 0);
	CHECK_INT(p.len, n);
	CHECK_MEM(p.buf, want, n);
}

TEST(rfc2865_access_accept_verifies)
{
	uint8_t req[128], acc[128];
	uint32_t v;

	test_unhex(rfc_req, req, sizeof(req));
	size_t n = test_unhex(rfc_accept, acc, sizeof(acc));

	CHECK_INT(radius_check(acc, n), 0);
	CHECK_INT(radius_verify(acc, secret, SLEN, req + 4, false), 0);
	/* It has no Message-Authenticator: refused when one is required. */
	CHECK_INT(radius_verify(acc, secret, SLEN, req + 4, true), -ENOMSG);
	CHECK_INT(radius_get_u32(acc, RADIUS_SERVICE_TYPE, &v), 0);
	CHECK_INT(v, 1);
	CHECK_INT(radius_get_u32(acc, RADIUS_FRAMED_IP_ADDRESS, &v), -ENOENT);
	/* Another secret, another request, or one flipped bit: not authentic. */
	CHECK_INT(radius_verify(acc, (const uint8_t *)"xyzzy5462", SLEN, req + 4,
				false), -EPERM);
	req[4] ^= 1;
	CHECK_INT(radius_verify(acc, secret, SLEN, req + 4, false), -EPERM);
	req[4] ^= 1;
	acc[n - 1] ^= 1;
	CHECK_INT(radius_verify(acc, secret, SLEN, req + 4, false), -EPERM);
}

TEST(check_rejects_malformed)
{
	uint8_t acc[128];
	size_t n = test_unhex(rfc_accept, acc, sizeof(acc));

	CHECK_INT(radius_check(acc, RADIUS_HDR_LEN - 1), -EBADMSG);
	CHECK_INT(radius_check(acc, n - 1), -EBADMSG);	/* shorter than its length */
	acc[21] = 1;					/* attribute length 1 */
	CHECK_INT(radius_check(acc, n), -EBADMSG);
	acc[21] = 7;					/* runs past the end */
	CHECK_INT(radius_check(acc, n), -EBADMSG);
	acc[21] = 6;
	CHECK_INT(radius_check(acc, n + 0), 0);
	/* Padding past the length is allowed and ignored. */
	CHECK_INT(radius_check(acc, sizeof(acc)), 0);
	acc[3] = 19;
	CHECK_INT(radius_check(acc, n), -EBADMSG);
}

/* An Access-Request with a Message-Authenticator, answered with one: the
 * way every exchange of ours goes. */
TEST(message_authenticator_round_trip)
{
	static const uint8_t ra[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	struct radius_pkt req, resp;
	const uint8_t *v;
	size_t n;

	radius_init(&req, RADIUS_ACCESS_REQUEST, 7, ra);
	CHECK_INT(radius_add_msg_auth(&req), 0);
	CHECK_INT(radius_add_msg_auth(&req), -EEXIST);
	CHECK_INT(radius_add_str(&req, RADIUS_USER_NAME, "alice"), 0);
	CHECK_INT(radius_sign(&req, secret, SLEN, NULL), 0);
	CHECK_INT(radius_check(req.buf, req.len), 0);
	CHECK_INT(radius_verify(req.buf, secret, SLEN, NULL, true), 0);
	/* The first attribute, and not zeros any more. */
	CHECK_INT(req.buf[20], RADIUS_MESSAGE_AUTHENTICATOR);
	v = radius_find(req.buf, RADIUS_MESSAGE_AUTHENTICATOR, &n);
	CHECK(v && n == 16);
	CHECK(memcmp(v, (uint8_t[16]){ 0 }, 16) != 0);
	req.buf[req.len - 1] ^= 0x20;	/* "alicE" */
	CHECK_INT(radius_verify(req.buf, secret, SLEN, NULL, true), -EPERM);

	radius_init(&resp, RADIUS_ACCESS_ACCEPT, 7, NULL);
	CHECK_INT(radius_add_msg_auth(&resp), 0);
	CHECK_INT(radius_add_u32(&resp, RADIUS_SESSION_TIMEOUT, 3600), 0);
	CHECK_INT(radius_sign(&resp, secret, SLEN, NULL), -EINVAL);
	CHECK_INT(radius_sign(&resp, secret, SLEN, ra), 0);
	CHECK_INT(radius_verify(resp.buf, secret, SLEN, ra, true), 0);
	/* A spoofed answer that fixed up the Response Authenticator but
	 * could not compute the HMAC (the BlastRADIUS situation). */
	resp.buf[resp.msg_auth_off + 5] ^= 1;
	CHECK_INT(radius_verify(resp.buf, secret, SLEN, ra, true), -EPERM);
}

/* Accounting, Disconnect and CoA requests carry MD5(packet, secret). */
TEST(request_authenticator)
{
	static const uint8_t codes[] = { RADIUS_ACCOUNTING_REQUEST,
					 RADIUS_DISCONNECT_REQUEST,
					 RADIUS_COA_REQUEST };

	for (size_t i = 0; i < sizeof(codes); i++) {
		struct radius_pkt p;

		radius_init(&p, codes[i], (uint8_t)i, NULL);
		CHECK_INT(radius_add_u32(&p, RADIUS_ACCT_STATUS_TYPE, RADIUS_ACCT_START), 0);
		CHECK_INT(radius_add_str(&p, RADIUS_ACCT_SESSION_ID, "0000002A"), 0);
		if (i)
			CHECK_INT(radius_add_msg_auth(&p), 0);
		CHECK_INT(radius_sign(&p, secret, SLEN, NULL), 0);
		CHECK_INT(radius_verify(p.buf, secret, SLEN, NULL, i != 0), 0);
		CHECK_INT(radius_verify(p.buf, (const uint8_t *)"other", 5, NULL,
					false), -EPERM);
		if (!i)
			CHECK_INT(radius_verify(p.buf, secret, SLEN, NULL, true),
				  -ENOMSG);
		p.buf[p.len - 1] ^= 1;
		CHECK_INT(radius_verify(p.buf, secret, SLEN, NULL, false), -EPERM);
	}
}

TEST(vendor_attributes)
{
	struct radius_pkt p;
	const uint8_t *v;
	size_t n;

	radius_init(&p, RADIUS_ACCESS_ACCEPT, 1, NULL);
	CHECK_INT(radius_add_vsa(&p, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT,
				 "10M/20M", 7), 0);
	CHECK_INT(radius_add_vsa(&p, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS,
				 "\x01S=00", 5), 0);
	CHECK_INT(radius_sign(&p, secret, SLEN, (uint8_t[16]){ 0 }), 0);
	CHECK_INT(radius_check(p.buf, p.len), 0);
	v = radius_find_vsa(p.buf, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_CHAP2_SUCCESS, &n);
	CHECK(v && n == 5 && !memcmp(v, "\x01S=00", 5));
	v = radius_find_vsa(p.buf, RADIUS_VENDOR_MIKROTIK, RADIUS_MIKROTIK_RATE_LIMIT, &n);
	CHECK(v && n == 7 && !memcmp(v, "10M/20M", 7));
	CHECK(!radius_find_vsa(p.buf, RADIUS_VENDOR_MICROSOFT, RADIUS_MS_MPPE_SEND_KEY, &n));
	CHECK(!radius_find_vsa(p.buf, 9, RADIUS_MIKROTIK_RATE_LIMIT, &n));
}

TEST(long_values_split_and_joined)
{
	uint8_t eap[600], back[600];
	struct radius_pkt p;

	for (size_t i = 0; i < sizeof(eap); i++)
		eap[i] = (uint8_t)i;
	radius_init(&p, RADIUS_ACCESS_REQUEST, 1, NULL);
	CHECK_INT(radius_add_long(&p, RADIUS_EAP_MESSAGE, eap, sizeof(eap)), 0);
	CHECK_INT(p.len, RADIUS_HDR_LEN + 3 * 2 + 600);
	CHECK_INT(radius_sign(&p, secret, SLEN, NULL), 0);
	CHECK_INT(radius_get_long(p.buf, RADIUS_EAP_MESSAGE, back, sizeof(back)), 600);
	CHECK_MEM(back, eap, 600);
	CHECK_INT(radius_get_long(p.buf, RADIUS_EAP_MESSAGE, back, 599), -ENOSPC);
	CHECK_INT(radius_add(&p, 1, eap, 254), -EINVAL);
}

TEST(packet_full)
{
	uint8_t v[253] = { 0 };
	struct radius_pkt p;
	int err = 0, i;

	radius_init(&p, RADIUS_ACCESS_REQUEST, 1, NULL);
	for (i = 0; i < 100 && !err; i++)
		err = radius_add(&p, RADIUS_CLASS, v, sizeof(v));
	CHECK_INT(err, -EMSGSIZE);
	CHECK(p.len <= RADIUS_MAX_LEN);
}

/* Passwords of 0, 16 and 17 bytes pad to 16, 16 and 32, and decrypt back. */
TEST(user_password_lengths)
{
	static const uint8_t ra[16] = { 0xaa };
	static const size_t lens[] = { 0, 16, 17, 128 };
	uint8_t pw[129];

	memset(pw, 'x', sizeof(pw));
	for (size_t i = 0; i < 4; i++) {
		struct radius_pkt p;
		const uint8_t *v;
		size_t n;

		radius_init(&p, RADIUS_ACCESS_REQUEST, 1, ra);
		CHECK_INT(radius_add_user_password(&p, pw, lens[i], secret, SLEN), 0);
		v = radius_find(p.buf, RADIUS_USER_PASSWORD, &n);
		CHECK(v);
		CHECK_INT(n, lens[i] ? (lens[i] + 15) / 16 * 16 : 16);
	}
	{
		struct radius_pkt p;

		radius_init(&p, RADIUS_ACCESS_REQUEST, 1, ra);
		CHECK_INT(radius_add_user_password(&p, pw, 129, secret, SLEN), -EINVAL);
	}
}

TEST(mppe_keys)
{
	static const uint8_t ra[16] = { 0x0f, 0x40, 0x3f, 0x94, 0x73, 0x97 };
	uint8_t key[16], enc[64], back[32];
	int n;

	for (int i = 0; i < 16; i++)
		key[i] = (uint8_t)(0xa0 + i);
	n = radius_mppe_key_encrypt(key, 16, 0x1234, secret, SLEN, ra, enc, sizeof(enc));
	CHECK_INT(n, 2 + 32);
	CHECK_INT(enc[0] & 0x80, 0x80);
	CHECK_INT(radius_mppe_key(enc, (size_t)n, secret, SLEN, ra, back, sizeof(back)), 16);
	CHECK_MEM(back, key, 16);
	/* The wrong request authenticator gives garbage, caught by the
	 * length byte or not; a wrong-length value is refused outright. */
	CHECK_INT(radius_mppe_key(enc, (size_t)n - 1, secret, SLEN, ra, back,
				  sizeof(back)), -EBADMSG);
	enc[0] &= 0x7f;
	CHECK_INT(radius_mppe_key(enc, (size_t)n, secret, SLEN, ra, back,
				  sizeof(back)), -EBADMSG);
	/* A 32-byte key (EAP's MSK halves) takes three blocks. */
	{
		uint8_t k32[32];

		memset(k32, 0x5a, sizeof(k32));
		n = radius_mppe_key_encrypt(k32, 32, 0x8001, secret, SLEN, ra, enc,
					    sizeof(enc));
		CHECK_INT(n, 2 + 48);
		CHECK_INT(radius_mppe_key(enc, (size_t)n, secret, SLEN, ra, back,
					  sizeof(back)), 32);
		CHECK_MEM(back, k32, 32);
	}
}

TEST(code_names)
{
	CHECK_STR(radius_code_name(RADIUS_COA_NAK), "CoA-NAK");
	CHECK_STR(radius_code_name(99), "unknown");
}
