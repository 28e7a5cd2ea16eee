// SPDX-License-Identifier: GPL-2.0-or-later
/* SSTP crypto binding against the MS-SSTP 4.7 examples. */
#include <errno.h>

#include "proto/crypto_binding.h"
#include "test.h"

/* 4.7, SHA256: CALL_CONNECTED as sent, its HLAK and certificate hash. */
static const char *const sha256_pkt =
	"10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 02"
	"41 2B 48 9A EB D7 EC C7 D0 89 66 F2 6B E7 CD 72"
	"B2 31 A0 E9 21 0D 7C 91 B3 08 86 2B 03 44 C4 35"
	"79 93 EF 31 4C 49 3D AC E9 F0 2D 60 E7 E6 1C 84"
	"B6 69 0A AF E9 D7 AE EA 92 CB BE 8A D5 99 42 2D"
	"52 A6 8E FD 8C FF BF 52 77 0B 8F 0F E8 EC 73 71"
	"65 83 AF 6D 61 1E B6 D1 79 B3 B2 08 40 98 54 49";
static const char *const sha256_hlak =
	"2A1BB40D55AB0F5EF32F06F2B3CC73C48FD3FAC41D7A1315A19228D9024CA164";
static const char *const sha256_cert =
	"7993EF314C493DACE9F02D60E7E61C84B6690AAFE9D7AEEA92CBBE8AD599422D";
static const char *const sha256_nonce =
	"412B489AEBD7ECC7D08966F26BE7CD72B231A0E9210D7C91B308862B0344C435";
static const char *const sha256_mac =
	"52A68EFD8CFFBF52770B8F0FE8EC73716583AF6D611EB6D179B3B20840985449";

/* 4.7, SHA1. */
static const char *const sha1_pkt =
	"10 01 00 70 00 04 00 01 00 03 00 68 00 00 00 01"
	"0F 1A 2D 58 D4 A3 E3 00 0F AD 3C E4 90 6E 07 B7"
	"07 AA 9E 44 1C CE AC 5C BD 7B 2C C1 C9 D8 6C DF"
	"58 26 B6 29 BD A5 9B 8E 6F D8 DC D2 62 2F D3 4C"
	"53 48 05 A5 00 00 00 00 00 00 00 00 00 00 00 00"
	"69 91 5D D5 83 D8 06 2F EF 16 F6 1D B2 F0 32 90"
	"EC 27 CB 6C 00 00 00 00 00 00 00 00 00 00 00 00";
static const char *const sha1_hlak =
	"4B3128F43925D9006EEFB1C4E86515A1D88E56BAB3CA2BDF0373B7F5A8A13B19";
static const char *const sha1_cert = "5826B629BDA59B8E6FD8DCD2622FD34C534805A5";
static const char *const sha1_nonce =
	"0F1A2D58D4A3E3000FAD3CE4906E07B707AA9E441CCEAC5CBD7B2CC1C9D86CDF";
static const char *const sha1_mac = "69915DD583D8062FEF16F61DB2F03290EC27CB6C";

struct vec {
	unsigned int proto;
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN];
	uint8_t hlak[SSTP_HLAK_LEN];
	uint8_t nonce[SSTP_NONCE_LEN];
	uint8_t mac[SSTP_HASH_FIELD_LEN];
	struct crypto_binding_cert cert;
};

static int load(struct vec *v, unsigned int proto)
{
	bool s256 = proto == SSTP_HASH_SHA256;

	memset(v, 0, sizeof(*v));
	v->proto = proto;
	if (test_unhex(s256 ? sha256_pkt : sha1_pkt, v->pkt, sizeof(v->pkt)) !=
	    SSTP_CALL_CONNECTED_LEN)
		return -1;
	test_unhex(s256 ? sha256_hlak : sha1_hlak, v->hlak, sizeof(v->hlak));
	test_unhex(s256 ? sha256_nonce : sha1_nonce, v->nonce, sizeof(v->nonce));
	test_unhex(s256 ? sha256_mac : sha1_mac, v->mac, sizeof(v->mac));
	/* Only the hash of the protocol in use is known; fill the other
	 * with junk to show it is not looked at. */
	memset(&v->cert, 0x5a, sizeof(v->cert));
	if (s256)
		test_unhex(sha256_cert, v->cert.sha256, sizeof(v->cert.sha256));
	else
		test_unhex(sha1_cert, v->cert.sha1, sizeof(v->cert.sha1));
	return 0;
}

TEST(hash_len)
{
	CHECK_INT(crypto_binding_hash_len(SSTP_HASH_SHA1), 20);
	CHECK_INT(crypto_binding_hash_len(SSTP_HASH_SHA256), 32);
	CHECK_INT(crypto_binding_hash_len(0), -EINVAL);
	CHECK_INT(crypto_binding_hash_len(3), -EINVAL);
}

TEST(cmk_little_endian_length)
{
	/* HMAC-H(HLAK, label | 20 00 / 14 00 | 01), checked independently
	 * (python hmac) against the 4.7 HLAKs. */
	uint8_t hlak[32], cmk[32], want[32];

	test_unhex(sha256_hlak, hlak, 32);
	test_unhex("ecf59ac9fe155cf0a9e7d66adc1b363c1ad7ba91a9217f0cec2a534298828df6",
		   want, 32);
	CHECK_INT(crypto_binding_cmk(SSTP_HASH_SHA256, hlak, cmk), 0);
	CHECK_MEM(cmk, want, 32);
	test_unhex(sha1_hlak, hlak, 32);
	test_unhex("a98b862a38cc7e224b42cd128586acb22f0bd1e9", want, 20);
	CHECK_INT(crypto_binding_cmk(SSTP_HASH_SHA1, hlak, cmk), 0);
	CHECK_MEM(cmk, want, 20);
	CHECK_INT(crypto_binding_cmk(7, hlak, cmk), -EINVAL);
}

static void check_spec_mac(unsigned int proto)
{
	struct vec v;
	uint8_t mac[32], zero[12] = { 0 };
	int hl = crypto_binding_hash_len(proto);

	CHECK_INT(load(&v, proto), 0);
	CHECK_INT(crypto_binding_mac(proto, v.hlak, v.pkt, mac), 0);
	CHECK_MEM(mac, v.mac, hl);
	if (hl == 20)
		CHECK_MEM(mac + 20, zero, 12);
}

TEST(compound_mac_sha256_spec_vector)
{
	check_spec_mac(SSTP_HASH_SHA256);
}

TEST(compound_mac_sha1_spec_vector)
{
	check_spec_mac(SSTP_HASH_SHA1);
}

static void check_build(unsigned int proto)
{
	struct vec v;
	uint8_t out[SSTP_CALL_CONNECTED_LEN];

	CHECK_INT(load(&v, proto), 0);
	memset(out, 0xee, sizeof(out));
	CHECK_INT(crypto_binding_build(out, proto, v.nonce, &v.cert, v.hlak), 0);
	CHECK_MEM(out, v.pkt, sizeof(out));
}

TEST(client_builds_spec_call_connected_sha256)
{
	check_build(SSTP_HASH_SHA256);
}

TEST(client_builds_spec_call_connected_sha1)
{
	check_build(SSTP_HASH_SHA1);
}

static int verify(const struct vec *v, const uint8_t *pkt, size_t len,
		  uint8_t mask, const uint8_t *hlak, enum crypto_binding_fail *why)
{
	return crypto_binding_verify(pkt, len, mask, v->nonce, &v->cert,
				     hlak ? hlak : v->hlak, why);
}

/* The server accepts the spec's packet, and rejects every tampered field
 * with the right reason. */
static void check_verify(unsigned int proto)
{
	uint8_t mask = proto == SSTP_HASH_SHA256 ? SSTP_HASH_MASK_SHA256
						 : SSTP_HASH_MASK_SHA1;
	uint8_t other = proto == SSTP_HASH_SHA256 ? SSTP_HASH_MASK_SHA1
						  : SSTP_HASH_MASK_SHA256;
	enum crypto_binding_fail why;
	uint8_t p[SSTP_CALL_CONNECTED_LEN], hlak[32];
	struct vec v;
	size_t i;

	CHECK_INT(load(&v, proto), 0);
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt), mask, NULL, &why), 0);
	CHECK_INT(why, CRYPTO_BINDING_OK);
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt), 3, NULL, NULL), 0);

	/* hash protocol not offered */
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt), other, NULL, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_HASH_PROTO);
	/* hash protocol byte altered: unknown value, or the other hash */
	memcpy(p, v.pkt, sizeof(p));
	p[SSTP_CONNECTED_HASH_PROTO_OFF] = 3;
	CHECK_INT(verify(&v, p, sizeof(p), 3, NULL, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_HASH_PROTO);
	p[SSTP_CONNECTED_HASH_PROTO_OFF] = 0;
	CHECK_INT(verify(&v, p, sizeof(p), 0xff, NULL, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_HASH_PROTO);
	p[SSTP_CONNECTED_HASH_PROTO_OFF] = proto == 1 ? 2 : 1;
	CHECK_INT(verify(&v, p, sizeof(p), 3, NULL, &why), -EACCES);
	CHECK(why == CRYPTO_BINDING_BAD_CERT_HASH || why == CRYPTO_BINDING_BAD_MAC);

	/* every nonce byte */
	for (i = 0; i < SSTP_NONCE_LEN; i++) {
		memcpy(p, v.pkt, sizeof(p));
		p[SSTP_CONNECTED_NONCE_OFF + i] ^= 0x01;
		CHECK_INT(verify(&v, p, sizeof(p), mask, NULL, &why), -EACCES);
		CHECK_INT(why, CRYPTO_BINDING_BAD_NONCE);
	}
	/* every significant cert hash byte */
	for (i = 0; i < (size_t)crypto_binding_hash_len(proto); i++) {
		memcpy(p, v.pkt, sizeof(p));
		p[SSTP_CONNECTED_CERT_HASH_OFF + i] ^= 0x80;
		CHECK_INT(verify(&v, p, sizeof(p), mask, NULL, &why), -EACCES);
		CHECK_INT(why, CRYPTO_BINDING_BAD_CERT_HASH);
	}
	/* every significant MAC byte */
	for (i = 0; i < (size_t)crypto_binding_hash_len(proto); i++) {
		memcpy(p, v.pkt, sizeof(p));
		p[SSTP_CONNECTED_MAC_OFF + i] ^= 0x10;
		CHECK_INT(verify(&v, p, sizeof(p), mask, NULL, &why), -EACCES);
		CHECK_INT(why, CRYPTO_BINDING_BAD_MAC);
	}
	/* reserved bytes are covered by the MAC */
	memcpy(p, v.pkt, sizeof(p));
	p[12] = 0x01;
	CHECK_INT(verify(&v, p, sizeof(p), mask, NULL, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_MAC);
	/* a different HLAK (e.g. a relayed PPP authentication) */
	memcpy(hlak, v.hlak, sizeof(hlak));
	hlak[31] ^= 1;
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt), mask, hlak, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_MAC);
	crypto_binding_hlak_zero(hlak);
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt), mask, hlak, &why), -EACCES);
	CHECK_INT(why, CRYPTO_BINDING_BAD_MAC);
	/* a different nonce expected by the server (a replay) */
	{
		struct vec w = v;

		w.nonce[0] ^= 0xff;
		CHECK_INT(verify(&w, v.pkt, sizeof(v.pkt), mask, NULL, &why), -EACCES);
		CHECK_INT(why, CRYPTO_BINDING_BAD_NONCE);
	}

	/* format: length, type, attribute count, id, attribute length, version */
	CHECK_INT(verify(&v, v.pkt, sizeof(v.pkt) - 1, mask, NULL, &why), -EBADMSG);
	CHECK_INT(why, CRYPTO_BINDING_BAD_FORMAT);
	{
		static const size_t offs[] = { 0, 1, 3, 5, 7, 9, 11 };

		for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
			memcpy(p, v.pkt, sizeof(p));
			p[offs[i]] ^= offs[i] == 1 ? 0x01 : 0x02;
			CHECK_INT(verify(&v, p, sizeof(p), mask, NULL, &why), -EBADMSG);
			CHECK_INT(why, CRYPTO_BINDING_BAD_FORMAT);
		}
	}
}

TEST(server_verifies_and_rejects_tampering_sha256)
{
	check_verify(SSTP_HASH_SHA256);
}

TEST(server_verifies_and_rejects_tampering_sha1)
{
	check_verify(SSTP_HASH_SHA1);
}

TEST(sha1_mac_padding_is_ignored)
{
	struct vec v;
	uint8_t p[SSTP_CALL_CONNECTED_LEN];

	CHECK_INT(load(&v, SSTP_HASH_SHA1), 0);
	memcpy(p, v.pkt, sizeof(p));
	memset(p + SSTP_CONNECTED_MAC_OFF + 20, 0xcc, 12);
	CHECK_INT(verify(&v, p, sizeof(p), SSTP_HASH_MASK_SHA1, NULL, NULL), 0);
}

TEST(choose_prefers_sha256)
{
	CHECK_INT(crypto_binding_choose(3, 3), SSTP_HASH_SHA256);
	CHECK_INT(crypto_binding_choose(2, 3), SSTP_HASH_SHA256);
	CHECK_INT(crypto_binding_choose(1, 3), SSTP_HASH_SHA1);
	CHECK_INT(crypto_binding_choose(3, 1), SSTP_HASH_SHA1);
	CHECK_INT(crypto_binding_choose(2, 1), -ENOTSUP);
	CHECK_INT(crypto_binding_choose(0, 3), -ENOTSUP);
	CHECK_INT(crypto_binding_choose(0xfc, 3), -ENOTSUP);
}

TEST(cert_hashes)
{
	static const uint8_t abc[] = { 'a', 'b', 'c' };
	struct crypto_binding_cert c;
	uint8_t want[32];

	CHECK_INT(crypto_binding_cert_hashes(abc, sizeof(abc), &c), 0);
	test_unhex("a9993e364706816aba3e25717850c26c9cd0d89d", want, 20);
	CHECK_MEM(c.sha1, want, 20);
	test_unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		   want, 32);
	CHECK_MEM(c.sha256, want, 32);
	CHECK_INT(crypto_binding_cert_hashes(abc, 0, &c), -EINVAL);
}

TEST(hlak_from_mppe_keys_same_on_both_sides)
{
	uint8_t a[16], b[16], client[32], server[32], want[32];

	memset(a, 0xaa, 16);	/* client's MasterSendKey = server's MasterReceiveKey */
	memset(b, 0xbb, 16);
	crypto_binding_hlak_mppe(client, a, b, false);
	crypto_binding_hlak_mppe(server, b, a, true);
	memset(want, 0xaa, 16);
	memset(want + 16, 0xbb, 16);
	CHECK_MEM(client, want, 32);
	CHECK_MEM(server, want, 32);
	crypto_binding_hlak_zero(client);
	memset(want, 0, 32);
	CHECK_MEM(client, want, 32);
}

/* Client-built bindings verify on a server that offered both hashes. */
TEST(build_then_verify_round_trip)
{
	struct crypto_binding_cert cert;
	uint8_t nonce[32], hlak[32], pkt[SSTP_CALL_CONNECTED_LEN];
	static const uint8_t der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	unsigned int proto;

	CHECK_INT(crypto_binding_cert_hashes(der, sizeof(der), &cert), 0);
	memset(nonce, 0x42, sizeof(nonce));
	memset(hlak, 0x24, sizeof(hlak));
	for (proto = SSTP_HASH_SHA1; proto <= SSTP_HASH_SHA256; proto++) {
		CHECK_INT(crypto_binding_build(pkt, proto, nonce, &cert, hlak), 0);
		CHECK_INT(crypto_binding_verify(pkt, sizeof(pkt), 3, nonce, &cert,
						hlak, NULL), 0);
	}
	CHECK_INT(crypto_binding_build(pkt, 0, nonce, &cert, hlak), -EINVAL);
	CHECK_STR(crypto_binding_fail_name(CRYPTO_BINDING_BAD_MAC),
		  "compound MAC mismatch");
}
