// SPDX-License-Identifier: GPL-2.0-or-later
/* MD4, RFC 1320, written from the RFC's description. */
#include <string.h>

#include "ppp/md4.h"

static inline uint32_t md4_rol(uint32_t x, unsigned int n)
{
	return (x << n) | (x >> (32 - n));
}

#define MD4_F(x, y, z) (((x) & (y)) | (~(x) & (z)))
#define MD4_G(x, y, z) (((x) & (y)) | ((x) & (z)) | ((y) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))

static void md4_block(uint32_t st[4], const uint8_t *p)
{
	static const unsigned int s1[4] = { 3, 7, 11, 19 };
	static const unsigned int s2[4] = { 3, 5, 9, 13 };
	static const unsigned int s3[4] = { 3, 9, 11, 15 };
	static const unsigned int k3[16] = { 0, 8, 4, 12, 2, 10, 6, 14,
					     1, 9, 5, 13, 3, 11, 7, 15 };
	uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3], t;
	unsigned int i;

	for (i = 0; i < 16; i++)
		x[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 |
		       (uint32_t)p[4 * i + 2] << 16 | (uint32_t)p[4 * i + 3] << 24;

	/* Each round rotates the roles of a, b, c, d; do it by shifting. */
	for (i = 0; i < 16; i++) {
		t = md4_rol(a + MD4_F(b, c, d) + x[i], s1[i % 4]);
		a = d; d = c; c = b; b = t;
	}
	for (i = 0; i < 16; i++) {
		unsigned int k = (i % 4) * 4 + i / 4;

		t = md4_rol(a + MD4_G(b, c, d) + x[k] + 0x5a827999u, s2[i % 4]);
		a = d; d = c; c = b; b = t;
	}
	for (i = 0; i < 16; i++) {
		t = md4_rol(a + MD4_H(b, c, d) + x[k3[i]] + 0x6ed9eba1u,
			    s3[i % 4]);
		a = d; d = c; c = b; b = t;
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void md4_digest(const void *data, size_t len, uint8_t out[MD4_DIGEST_LEN])
{
	uint32_t st[4] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u };
	const uint8_t *p = data;
	uint64_t bits = (uint64_t)len * 8;
	uint8_t tail[128];
	size_t rest, n;
	unsigned int i;

	for (; len >= 64; p += 64, len -= 64)
		md4_block(st, p);

	/* Pad: 0x80, zeros to 56 mod 64, then the bit length little-endian. */
	memset(tail, 0, sizeof(tail));
	memcpy(tail, p, len);
	tail[len] = 0x80;
	rest = len + 1;
	n = rest <= 56 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 8 + i] = (uint8_t)(bits >> (8 * i));
	md4_block(st, tail);
	if (n == 128)
		md4_block(st, tail + 64);

	for (i = 0; i < 16; i++)
		out[i] = (uint8_t)(st[i / 4] >> (8 * (i % 4)));
}
