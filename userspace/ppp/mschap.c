// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * MS-CHAPv2 (RFC 2759 section 8) and MPPE master key derivation (RFC 3079
 * section 3.4), written from the RFCs' pseudocode. SHA-1 comes from
 * OpenSSL; MD4 and DES are ours (md4.c, des.c) because OpenSSL 3 only has
 * them in the legacy provider.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ppp/des.h"
#include "ppp/md4.h"
#include "ppp/mschap.h"

#define SHA1_LEN 20

struct mschap_piece {
	const void *p;
	size_t len;
};

/* SHA-1 over the concatenation of pieces. Fails only if OpenSSL cannot
 * allocate; then the digest is zeros and authentication simply fails. */
static void mschap_sha1(const struct mschap_piece *pc, size_t n,
			uint8_t out[SHA1_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	size_t i;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, pc[i].p, pc[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen);
	if (!ok)
		memset(out, 0, SHA1_LEN);
	EVP_MD_CTX_free(ctx);
}

int mschap_nt_password_hash(const uint8_t *password, size_t len,
			    uint8_t hash[MSCHAP_HASH_LEN])
{
	/* Up to 256 characters, each at most a surrogate pair. */
	uint8_t u16[MSCHAP_PASSWORD_MAX * 4];
	size_t i = 0, n = 0, chars = 0;

	while (i < len) {
		uint32_t c = password[i], min;
		size_t extra;

		if (c < 0x80) {
			extra = 0; min = 0;
		} else if ((c & 0xe0) == 0xc0) {
			extra = 1; min = 0x80; c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			extra = 2; min = 0x800; c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			extra = 3; min = 0x10000; c &= 0x07;
		} else {
			return -EINVAL;
		}
		if (len - i <= extra)
			return -EINVAL;
		for (size_t k = 1; k <= extra; k++) {
			if ((password[i + k] & 0xc0) != 0x80)
				return -EINVAL;
			c = (c << 6) | (password[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return -EINVAL;
		i += extra + 1;
		if (++chars > MSCHAP_PASSWORD_MAX)
			return -EINVAL;
		if (c >= 0x10000) {
			uint32_t v = c - 0x10000, hi = 0xd800 | (v >> 10),
				 lo = 0xdc00 | (v & 0x3ff);

			u16[n++] = (uint8_t)hi;
			u16[n++] = (uint8_t)(hi >> 8);
			u16[n++] = (uint8_t)lo;
			u16[n++] = (uint8_t)(lo >> 8);
		} else {
			u16[n++] = (uint8_t)c;
			u16[n++] = (uint8_t)(c >> 8);
		}
	}
	md4_digest(u16, n, hash);
	OPENSSL_cleanse(u16, sizeof(u16));
	return 0;
}

const char *mschap_user_without_domain(const char *username)
{
	const char *bs = strrchr(username, '\\');

	return bs ? bs + 1 : username;
}

void mschap_challenge_hash(const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
			   const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
			   const char *username, uint8_t challenge[8])
{
	const char *user = mschap_user_without_domain(username);
	struct mschap_piece pc[] = {
		{ peer_challenge, MSCHAP_CHALLENGE_LEN },
		{ auth_challenge, MSCHAP_CHALLENGE_LEN },
		{ user, strlen(user) },
	};
	uint8_t d[SHA1_LEN];

	mschap_sha1(pc, 3, d);
	memcpy(challenge, d, 8);
}

void mschap_challenge_response(const uint8_t challenge[8],
			       const uint8_t password_hash[MSCHAP_HASH_LEN],
			       uint8_t response[MSCHAP_NT_RESPONSE_LEN])
{
	/* The 16-byte hash zero-padded to 21 bytes = three 7-byte DES keys. */
	uint8_t z[21] = { 0 }, key[8];
	unsigned int i;

	memcpy(z, password_hash, MSCHAP_HASH_LEN);
	for (i = 0; i < 3; i++) {
		des_key_from_56(z + 7 * i, key);
		des_encrypt_block(key, challenge, response + 8 * i);
	}
	OPENSSL_cleanse(z, sizeof(z));
	OPENSSL_cleanse(key, sizeof(key));
}

int mschap_nt_response(const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
		       const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
		       const char *username, const uint8_t *password,
		       size_t password_len,
		       uint8_t response[MSCHAP_NT_RESPONSE_LEN])
{
	uint8_t challenge[8], hash[MSCHAP_HASH_LEN];
	int err;

	err = mschap_nt_password_hash(password, password_len, hash);
	if (err)
		return err;
	mschap_challenge_hash(peer_challenge, auth_challenge, username,
			      challenge);
	mschap_challenge_response(challenge, hash, response);
	OPENSSL_cleanse(hash, sizeof(hash));
	return 0;
}

int mschap_authenticator_response(const uint8_t *password, size_t password_len,
				  const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
				  const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
				  const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
				  const char *username,
				  char out[MSCHAP_AUTH_RESPONSE_LEN + 1])
{
	static const char magic1[] = "Magic server to client signing constant";
	static const char magic2[] =
		"Pad to make it do more than one iteration";
	static const char hex[] = "0123456789ABCDEF";
	uint8_t hash[MSCHAP_HASH_LEN], hash_hash[MD4_DIGEST_LEN];
	uint8_t digest[SHA1_LEN], challenge[8];
	unsigned int i;
	int err;

	err = mschap_nt_password_hash(password, password_len, hash);
	if (err)
		return err;
	md4_digest(hash, sizeof(hash), hash_hash);
	{
		struct mschap_piece pc[] = {
			{ hash_hash, sizeof(hash_hash) },
			{ nt_response, MSCHAP_NT_RESPONSE_LEN },
			{ magic1, sizeof(magic1) - 1 },
		};
		mschap_sha1(pc, 3, digest);
	}
	mschap_challenge_hash(peer_challenge, auth_challenge, username,
			      challenge);
	{
		struct mschap_piece pc[] = {
			{ digest, sizeof(digest) },
			{ challenge, sizeof(challenge) },
			{ magic2, sizeof(magic2) - 1 },
		};
		mschap_sha1(pc, 3, digest);
	}
	out[0] = 'S';
	out[1] = '=';
	for (i = 0; i < SHA1_LEN; i++) {
		out[2 + 2 * i] = hex[digest[i] >> 4];
		out[3 + 2 * i] = hex[digest[i] & 0xf];
	}
	out[MSCHAP_AUTH_RESPONSE_LEN] = '\0';
	OPENSSL_cleanse(hash, sizeof(hash));
	OPENSSL_cleanse(hash_hash, sizeof(hash_hash));
	return 0;
}

void mschap_master_key(const uint8_t password_hash_hash[MSCHAP_HASH_LEN],
		       const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
		       uint8_t master_key[16])
{
	static const char magic1[] = "This is the MPPE Master Key";
	struct mschap_piece pc[] = {
		{ password_hash_hash, MSCHAP_HASH_LEN },
		{ nt_response, MSCHAP_NT_RESPONSE_LEN },
		{ magic1, sizeof(magic1) - 1 },
	};
	uint8_t d[SHA1_LEN];

	mschap_sha1(pc, 3, d);
	memcpy(master_key, d, 16);
	OPENSSL_cleanse(d, sizeof(d));
}

void mschap_asymmetric_start_key(const uint8_t master_key[16], bool is_send,
				 bool is_server, uint8_t key[16])
{
	static const char magic2[] =
		"On the client side, this is the send key; "
		"on the server side, it is the receive key.";
	static const char magic3[] =
		"On the client side, this is the receive key; "
		"on the server side, it is the send key.";
	static const uint8_t pad1[40] = { 0 };
	static const uint8_t pad2[40] = {
		0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
		0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
		0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
		0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2, 0xf2,
	};
	/* Client send = server receive = Magic2, and the other way round. */
	const char *s = is_send == is_server ? magic3 : magic2;
	struct mschap_piece pc[] = {
		{ master_key, 16 },
		{ pad1, sizeof(pad1) },
		{ s, sizeof(magic2) - 1 },
		{ pad2, sizeof(pad2) },
	};
	uint8_t d[SHA1_LEN];

	_Static_assert(sizeof(magic2) == sizeof(magic3), "84-byte magics");
	mschap_sha1(pc, 4, d);
	memcpy(key, d, 16);
	OPENSSL_cleanse(d, sizeof(d));
}

int mschap_mppe_keys(const uint8_t *password, size_t password_len,
		     const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
		     bool is_server, uint8_t send_key[16], uint8_t recv_key[16])
{
	uint8_t hash[MSCHAP_HASH_LEN], hash_hash[MD4_DIGEST_LEN], mk[16];
	int err;

	err = mschap_nt_password_hash(password, password_len, hash);
	if (err)
		return err;
	md4_digest(hash, sizeof(hash), hash_hash);
	mschap_master_key(hash_hash, nt_response, mk);
	mschap_asymmetric_start_key(mk, true, is_server, send_key);
	mschap_asymmetric_start_key(mk, false, is_server, recv_key);
	OPENSSL_cleanse(hash, sizeof(hash));
	OPENSSL_cleanse(hash_hash, sizeof(hash_hash));
	OPENSSL_cleanse(mk, sizeof(mk));
	return 0;
}
