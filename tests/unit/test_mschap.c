// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MS-CHAPv2 and MPPE key vectors: RFC 2759 section 9.2, RFC 3079 section
 * 3.5.3; the MD4 (RFC 1320 A.5) and DES (FIPS 81 / classic) vectors the
 * home-made primitives must reproduce.
 */
#include <errno.h>

#include "test.h"

#include "ppp/des.h"
#include "ppp/md4.h"
#include "ppp/mschap.h"

#define U8(s) ((const uint8_t *)(s))

static const char *user = "User";
static const char *pass = "clientPass";

static void unhex(const char *hex, uint8_t *buf, size_t n)
{
	if (test_unhex(hex, buf, n) != n)
		abort();
}

static void rfc2759_inputs(uint8_t auth_chal[16], uint8_t peer_chal[16])
{
	unhex("5B5D7C7D7B3F2F3E3C2C602132262628", auth_chal, 16);
	unhex("21402324255E262A28295F2B3A337C7E", peer_chal, 16);
}

TEST(md4_rfc1320)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "31d6cfe0d16ae931b73c59d7e0c089c0" },
		{ "a", "bde52cb31de33e46245e05fbdbd6fb24" },
		{ "abc", "a448017aaf21d8525fc10ae87aa6729d" },
		{ "message digest", "d9130a8164549fe818874806e1c7014b" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "d79e1c308aa5bbcdeea8ed63df412da9" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "043f8582f241db351ce627e153e7f0e4" },
		{ "1234567890123456789012345678901234567890"
		  "1234567890123456789012345678901234567890",
		  "e33b4ddc9c38f2199c3e7b164fcc0536" },
	};
	uint8_t want[16], got[16];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].out, want, 16);
		md4_digest(v[i].in, strlen(v[i].in), got);
		CHECK_MEM(got, want, 16);
	}
}

TEST(md4_padding_edges)
{
	/* Lengths around the one/two padding block boundary; values from
	 * `openssl dgst -md4 -provider legacy` over that many 'a's. */
	static const struct { size_t n; const char *out; } v[] = {
		{ 55, "c889c81dd86c4d2e025778944ea02881" },
		{ 56, "d5f9a9e9257077a5f08b0b92f348b0ad" },
		{ 63, "7ea3da77432d44c323671097d1348fc8" },
		{ 64, "52f5076fabd22680234a3fa9f9dc5732" },
		{ 65, "330e377bf231f3cacfecc2c182fe7e5b" },
		{ 119, "e65dd227ccef97fa1d34d70189120f76" },
		{ 120, "b03ddbd470b47c013e0c7ab2ddd763db" },
	};
	uint8_t buf[120], got[16], want[16];

	memset(buf, 'a', sizeof(buf));
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].out, want, 16);
		md4_digest(buf, v[i].n, got);
		CHECK_MEM(got, want, 16);
	}
}

TEST(des_vectors)
{
	static const struct { const char *key, *pt, *ct; } v[] = {
		{ "133457799BBCDFF1", "0123456789ABCDEF", "85E813540F0AB405" },
		{ "0123456789ABCDEF", "4E6F772069732074", "3FA40E8A984D4815" },
		/* FIPS 81 / NBS: all-zero plaintext, weak-ish keys */
		{ "0101010101010101", "95F8A5E5DD31D900", "8000000000000000" },
		{ "8001010101010101", "0000000000000000", "95A8D72813DAA94D" },
	};
	uint8_t k[8], p[8], c[8], got[8];

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		unhex(v[i].key, k, 8);
		unhex(v[i].pt, p, 8);
		unhex(v[i].ct, c, 8);
		des_encrypt_block(k, p, got);
		CHECK_MEM(got, c, 8);
	}
}

TEST(des_key_expansion)
{
	uint8_t in[7], out[8], want[8];

	/* 56 one-bits become 0xFE in every byte (parity bit left 0). */
	memset(in, 0xff, 7);
	des_key_from_56(in, out);
	memset(want, 0xfe, 8);
	CHECK_MEM(out, want, 8);
	unhex("80000000000001", in, 7);
	des_key_from_56(in, out);
	unhex("8000000000000002", want, 8);
	CHECK_MEM(out, want, 8);
}

TEST(rfc2759_password_hash)
{
	uint8_t h[16], hh[16], want[16];

	CHECK_INT(mschap_nt_password_hash(U8(pass), strlen(pass), h), 0);
	unhex("44EBBA8D5312B8D611474411F56989AE", want, 16);
	CHECK_MEM(h, want, 16);
	md4_digest(h, 16, hh);
	unhex("41C00C584BD2D91C4017A2A12FA59F3F", want, 16);
	CHECK_MEM(hh, want, 16);
}

TEST(rfc2759_challenge_and_nt_response)
{
	uint8_t ac[16], pc[16], ch[8], want[24], resp[24];

	rfc2759_inputs(ac, pc);
	mschap_challenge_hash(pc, ac, user, ch);
	unhex("D02E4386BCE91226", want, 8);
	CHECK_MEM(ch, want, 8);
	/* A domain prefix is not part of the hashed name. */
	mschap_challenge_hash(pc, ac, "CORP\\User", ch);
	CHECK_MEM(ch, want, 8);

	CHECK_INT(mschap_nt_response(ac, pc, user, U8(pass), strlen(pass),
				     resp), 0);
	unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", want, 24);
	CHECK_MEM(resp, want, 24);
}

TEST(rfc2759_authenticator_response)
{
	uint8_t ac[16], pc[16], nt[24];
	char s[MSCHAP_AUTH_RESPONSE_LEN + 1];

	rfc2759_inputs(ac, pc);
	unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt, 24);
	CHECK_INT(mschap_authenticator_response(U8(pass), strlen(pass), nt, pc,
						ac, user, s), 0);
	CHECK_STR(s, "S=407A5589115FD0D6209F510FE9C04566932CDA56");
}

TEST(rfc3079_master_and_start_keys)
{
	uint8_t nt[24], hh[16], mk[16], want[16], k[16];

	unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt, 24);
	unhex("41C00C584BD2D91C4017A2A12FA59F3F", hh, 16);
	mschap_master_key(hh, nt, mk);
	unhex("FDECE3717A8C838CB388E527AE3CDD31", want, 16);
	CHECK_MEM(mk, want, 16);

	/* The RFC prints SendStartKey128 for the server side (Magic3): the
	 * server's send key, which is the client's receive key. */
	unhex("8B7CDC149B993A1BA118CB153F56DCCB", want, 16);
	mschap_asymmetric_start_key(mk, true, true, k);
	CHECK_MEM(k, want, 16);
	mschap_asymmetric_start_key(mk, false, false, k);
	CHECK_MEM(k, want, 16);
}

TEST(rfc3079_key_pairs_mirror)
{
	uint8_t nt[24], cs[16], cr[16], ss[16], sr[16], want[16];

	unhex("82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF", nt, 24);
	CHECK_INT(mschap_mppe_keys(U8(pass), strlen(pass), nt, false, cs, cr), 0);
	CHECK_INT(mschap_mppe_keys(U8(pass), strlen(pass), nt, true, ss, sr), 0);
	CHECK_MEM(cs, sr, 16);
	CHECK_MEM(cr, ss, 16);
	CHECK(memcmp(cs, cr, 16) != 0);
	unhex("8B7CDC149B993A1BA118CB153F56DCCB", want, 16);
	CHECK_MEM(cr, want, 16);
}

TEST(password_utf8)
{
	uint8_t a[16], b[16];

	/* Invalid UTF-8 is refused rather than hashed as something else. */
	CHECK_INT(mschap_nt_password_hash(U8("\xff"), 1, a), -EINVAL);
	CHECK_INT(mschap_nt_password_hash(U8("\xc3"), 1, a), -EINVAL);
	CHECK_INT(mschap_nt_password_hash(U8("\xc0\x80"), 2, a), -EINVAL);
	CHECK_INT(mschap_nt_password_hash(U8("\xed\xa0\x80"), 3, a), -EINVAL);
	/* U+00E9 and a non-BMP character go through UTF-16LE. */
	CHECK_INT(mschap_nt_password_hash(U8("\xc3\xa9"), 2, a), 0);
	md4_digest("\xe9\x00", 2, b);
	CHECK_MEM(a, b, 16);
	CHECK_INT(mschap_nt_password_hash(U8("\xf0\x9f\x98\x80"), 4, a), 0);
	md4_digest("\x3d\xd8\x00\xde", 4, b);
	CHECK_MEM(a, b, 16);
}

TEST(password_length_limit)
{
	uint8_t pw[257], h[16];

	memset(pw, 'x', sizeof(pw));
	CHECK_INT(mschap_nt_password_hash(pw, 256, h), 0);
	CHECK_INT(mschap_nt_password_hash(pw, 257, h), -EINVAL);
	CHECK_INT(mschap_nt_password_hash(pw, 0, h), 0);
}
