// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * RADIUS packets: building, signing, checking, walking (proto/radius.h).
 * MD5 and HMAC-MD5 come from OpenSSL, as RFC 2865 and RFC 3579 define
 * every authenticator with them.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "proto/radius.h"

#define RADIUS_MA_LEN	18	/* Message-Authenticator: type, length, 16 */

static void radius_put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void radius_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t radius_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* MD5 over up to three pieces. */
static int radius_md5(const void *a, size_t alen, const void *b, size_t blen,
		      const void *c, size_t clen, uint8_t out[16])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL) &&
	     EVP_DigestUpdate(ctx, a, alen) &&
	     (!blen || EVP_DigestUpdate(ctx, b, blen)) &&
	     (!clen || EVP_DigestUpdate(ctx, c, clen)) &&
	     EVP_DigestFinal_ex(ctx, out, &n);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -EIO;
}

static int radius_hmac_md5(const uint8_t *key, size_t klen, const uint8_t *data,
			   size_t len, uint8_t out[16])
{
	unsigned int n = 0;

	return HMAC(EVP_md5(), key, (int)klen, data, len, out, &n) ? 0 : -EIO;
}

void radius_init(struct radius_pkt *p, uint8_t code, uint8_t id,
		 const uint8_t auth[RADIUS_AUTH_LEN])
{
	p->buf[0] = code;
	p->buf[1] = id;
	radius_put16(p->buf + 2, RADIUS_HDR_LEN);
	if (auth)
		memcpy(p->buf + 4, auth, RADIUS_AUTH_LEN);
	else
		memset(p->buf + 4, 0, RADIUS_AUTH_LEN);
	p->len = RADIUS_HDR_LEN;
	p->msg_auth_off = 0;
}

int radius_add(struct radius_pkt *p, uint8_t type, const void *val, size_t len)
{
	if (len > RADIUS_ATTR_MAX)
		return -EINVAL;
	if (p->len + 2 + len > sizeof(p->buf))
		return -EMSGSIZE;
	p->buf[p->len] = type;
	p->buf[p->len + 1] = (uint8_t)(len + 2);
	if (len)
		memcpy(p->buf + p->len + 2, val, len);
	p->len += 2 + len;
	radius_put16(p->buf + 2, p->len);	/* readable as it grows */
	return 0;
}

int radius_add_u32(struct radius_pkt *p, uint8_t type, uint32_t v)
{
	uint8_t b[4];

	radius_put32(b, v);
	return radius_add(p, type, b, 4);
}

int radius_add_str(struct radius_pkt *p, uint8_t type, const char *s)
{
	return radius_add(p, type, s, strlen(s));
}

int radius_add_long(struct radius_pkt *p, uint8_t type, const void *val,
		    size_t len)
{
	const uint8_t *v = val;
	size_t n;
	int err;

	do {
		n = len < RADIUS_ATTR_MAX ? len : RADIUS_ATTR_MAX;
		err = radius_add(p, type, v, n);
		if (err)
			return err;
		v += n;
		len -= n;
	} while (len);
	return 0;
}

int radius_add_vsa(struct radius_pkt *p, uint32_t vendor, uint8_t vtype,
		   const void *val, size_t len)
{
	uint8_t b[RADIUS_ATTR_MAX];

	if (len > RADIUS_ATTR_MAX - 6)
		return -EINVAL;
	radius_put32(b, vendor);
	b[4] = vtype;
	b[5] = (uint8_t)(len + 2);
	if (len)
		memcpy(b + 6, val, len);
	return radius_add(p, RADIUS_VENDOR_SPECIFIC, b, len + 6);
}

int radius_add_msg_auth(struct radius_pkt *p)
{
	static const uint8_t zero[RADIUS_AUTH_LEN];
	size_t off = p->len;
	int err;

	if (p->msg_auth_off)
		return -EEXIST;
	err = radius_add(p, RADIUS_MESSAGE_AUTHENTICATOR, zero, sizeof(zero));
	if (!err)
		p->msg_auth_off = off;
	return err;
}

int radius_add_user_password(struct radius_pkt *p, const uint8_t *pw,
			     size_t len, const uint8_t *secret, size_t slen)
{
	uint8_t out[RADIUS_PASSWORD_MAX], b[16];
	const uint8_t *prev = p->buf + 4;
	size_t n, i, j;
	int err;

	if (len > RADIUS_PASSWORD_MAX)
		return -EINVAL;
	/* Padded with zeros to a multiple of 16, at least 16. */
	n = len ? (len + 15) / 16 * 16 : 16;
	memset(out, 0, sizeof(out));
	memcpy(out, pw, len);
	for (i = 0; i < n; i += 16) {
		err = radius_md5(secret, slen, prev, 16, NULL, 0, b);
		if (err)
			goto out;
		for (j = 0; j < 16; j++)
			out[i + j] ^= b[j];
		prev = out + i;
	}
	err = radius_add(p, RADIUS_USER_PASSWORD, out, n);
out:
	OPENSSL_cleanse(out, sizeof(out));
	OPENSSL_cleanse(b, sizeof(b));
	return err;
}

static bool radius_is_request(uint8_t code)
{
	return code == RADIUS_ACCESS_REQUEST || code == RADIUS_ACCOUNTING_REQUEST ||
	       code == RADIUS_DISCONNECT_REQUEST || code == RADIUS_COA_REQUEST;
}

int radius_sign(struct radius_pkt *p, const uint8_t *secret, size_t slen,
		const uint8_t *req_auth)
{
	uint8_t code = p->buf[0], mac[16];
	int err;

	if (!req_auth != radius_is_request(code))
		return -EINVAL;
	radius_put16(p->buf + 2, p->len);
	/* The authenticator field as the MACs see it. */
	if (req_auth)
		memcpy(p->buf + 4, req_auth, RADIUS_AUTH_LEN);
	else if (code != RADIUS_ACCESS_REQUEST)
		memset(p->buf + 4, 0, RADIUS_AUTH_LEN);
	if (p->msg_auth_off) {
		memset(p->buf + p->msg_auth_off + 2, 0, 16);
		err = radius_hmac_md5(secret, slen, p->buf, p->len, mac);
		if (err)
			return err;
		memcpy(p->buf + p->msg_auth_off + 2, mac, 16);
	}
	if (code == RADIUS_ACCESS_REQUEST)
		return 0;
	return radius_md5(p->buf, p->len, secret, slen, NULL, 0, p->buf + 4);
}

int radius_check(const uint8_t *pkt, size_t len)
{
	size_t plen, off;

	if (len < RADIUS_HDR_LEN)
		return -EBADMSG;
	plen = radius_len(pkt);
	if (plen < RADIUS_HDR_LEN || plen > len || plen > RADIUS_MAX_LEN)
		return -EBADMSG;
	for (off = RADIUS_HDR_LEN; off < plen; off += pkt[off + 1])
		if (plen - off < 2 || pkt[off + 1] < 2 || pkt[off + 1] > plen - off)
			return -EBADMSG;
	return 0;
}

bool radius_next(const uint8_t *pkt, size_t *off, uint8_t *type,
		 const uint8_t **val, size_t *len)
{
	size_t plen = radius_len(pkt);

	if (*off < RADIUS_HDR_LEN)
		*off = RADIUS_HDR_LEN;
	if (*off + 2 > plen)
		return false;
	*type = pkt[*off];
	*len = (size_t)pkt[*off + 1] - 2;
	*val = pkt + *off + 2;
	*off += pkt[*off + 1];
	return true;
}

const uint8_t *radius_find(const uint8_t *pkt, uint8_t type, size_t *len)
{
	const uint8_t *v;
	size_t off = 0, n;
	uint8_t t;

	while (radius_next(pkt, &off, &t, &v, &n)) {
		if (t == type) {
			*len = n;
			return v;
		}
	}
	return NULL;
}

const uint8_t *radius_find_vsa(const uint8_t *pkt, uint32_t vendor,
			       uint8_t vtype, size_t *len)
{
	const uint8_t *v;
	size_t off = 0, n, o;
	uint8_t t;

	while (radius_next(pkt, &off, &t, &v, &n)) {
		if (t != RADIUS_VENDOR_SPECIFIC || n < 4 || radius_get32(v) != vendor)
			continue;
		/* One VSA may hold several vendor attributes. */
		for (o = 4; o + 2 <= n && v[o + 1] >= 2 && v[o + 1] <= n - o;
		     o += v[o + 1]) {
			if (v[o] == vtype) {
				*len = (size_t)v[o + 1] - 2;
				return v + o + 2;
			}
		}
	}
	return NULL;
}

int radius_get_u32(const uint8_t *pkt, uint8_t type, uint32_t *v)
{
	const uint8_t *p;
	size_t n;

	p = radius_find(pkt, type, &n);
	if (!p)
		return -ENOENT;
	if (n != 4)
		return -EBADMSG;
	*v = radius_get32(p);
	return 0;
}

int radius_get_long(const uint8_t *pkt, uint8_t type, uint8_t *out,
		    size_t size)
{
	const uint8_t *v;
	size_t off = 0, n, got = 0;
	uint8_t t;

	while (radius_next(pkt, &off, &t, &v, &n)) {
		if (t != type)
			continue;
		if (n > size - got)
			return -ENOSPC;
		memcpy(out + got, v, n);
		got += n;
	}
	return (int)got;
}

int radius_verify(const uint8_t *pkt, const uint8_t *secret, size_t slen,
		  const uint8_t *req_auth, bool require_ma)
{
	uint8_t copy[RADIUS_MAX_LEN], want[16];
	size_t plen = radius_len(pkt), off = 0, n, ma = 0;
	const uint8_t *v;
	uint8_t t;
	int err;

	if (radius_check(pkt, plen))
		return -EBADMSG;
	while (radius_next(pkt, &off, &t, &v, &n)) {
		if (t != RADIUS_MESSAGE_AUTHENTICATOR)
			continue;
		if (n != 16 || ma)
			return -EBADMSG;
		ma = (size_t)(v - pkt) - 2;
	}
	memcpy(copy, pkt, plen);
	/* The authenticator in the packet's own field (Access-Request: it
	 * is the random one and nothing checks it here). */
	if (req_auth)
		memcpy(copy + 4, req_auth, RADIUS_AUTH_LEN);
	else if (pkt[0] != RADIUS_ACCESS_REQUEST)
		memset(copy + 4, 0, RADIUS_AUTH_LEN);
	if (pkt[0] != RADIUS_ACCESS_REQUEST) {
		err = radius_md5(copy, plen, secret, slen, NULL, 0, want);
		if (err)
			return err;
		if (CRYPTO_memcmp(want, pkt + 4, 16))
			return -EPERM;
	}
	if (!ma)
		return require_ma ? -ENOMSG : 0;
	memset(copy + ma + 2, 0, 16);
	err = radius_hmac_md5(secret, slen, copy, plen, want);
	if (err)
		return err;
	return CRYPTO_memcmp(want, pkt + ma + 2, 16) ? -EPERM : 0;
}

/*
 * RFC 2548 2.4.2: salt (2 bytes, high bit set), then the key's length byte,
 * the key and padding to a multiple of 16, XORed block by block with
 * b(1) = MD5(secret || request authenticator || salt), b(i) = MD5(secret ||
 * c(i-1)).
 */
static int radius_mppe_crypt(uint8_t *data, size_t len, bool decrypt,
			     const uint8_t *secret, size_t slen,
			     const uint8_t req_auth[RADIUS_AUTH_LEN],
			     const uint8_t salt[2])
{
	uint8_t b[16], c[16];
	size_t i, j;
	int err;

	for (i = 0; i < len; i += 16) {
		if (i == 0)
			err = radius_md5(secret, slen, req_auth, RADIUS_AUTH_LEN,
					 salt, 2, b);
		else
			err = radius_md5(secret, slen, c, 16, NULL, 0, b);
		if (err)
			return err;
		for (j = 0; j < 16; j++) {
			uint8_t in = data[i + j];

			data[i + j] ^= b[j];
			c[j] = decrypt ? in : data[i + j];
		}
	}
	OPENSSL_cleanse(b, sizeof(b));
	return 0;
}

int radius_mppe_key(const uint8_t *val, size_t len, const uint8_t *secret,
		    size_t slen, const uint8_t req_auth[RADIUS_AUTH_LEN],
		    uint8_t *key, size_t size)
{
	uint8_t buf[RADIUS_ATTR_MAX];
	size_t n = len - 2;
	int ret = -EBADMSG;

	if (len < 2 + 16 || (len - 2) % 16 || !(val[0] & 0x80) ||
	    n > sizeof(buf))
		return -EBADMSG;
	memcpy(buf, val + 2, n);
	if (radius_mppe_crypt(buf, n, true, secret, slen, req_auth, val))
		goto out;
	if (buf[0] > n - 1 || buf[0] > size)
		goto out;
	memcpy(key, buf + 1, buf[0]);
	ret = buf[0];
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	return ret;
}

int radius_mppe_key_encrypt(const uint8_t *key, size_t klen, uint16_t salt,
			    const uint8_t *secret, size_t slen,
			    const uint8_t req_auth[RADIUS_AUTH_LEN],
			    uint8_t *out, size_t size)
{
	size_t n = (klen + 1 + 15) / 16 * 16;

	if (klen > 255 || 2 + n > size)
		return -EINVAL;
	out[0] = (uint8_t)(salt >> 8 | 0x80);
	out[1] = (uint8_t)salt;
	memset(out + 2, 0, n);
	out[2] = (uint8_t)klen;
	memcpy(out + 3, key, klen);
	if (radius_mppe_crypt(out + 2, n, false, secret, slen, req_auth, out))
		return -EIO;
	return (int)(2 + n);
}

const char *radius_code_name(uint8_t code)
{
	switch (code) {
	case RADIUS_ACCESS_REQUEST:
		return "Access-Request";
	case RADIUS_ACCESS_ACCEPT:
		return "Access-Accept";
	case RADIUS_ACCESS_REJECT:
		return "Access-Reject";
	case RADIUS_ACCOUNTING_REQUEST:
		return "Accounting-Request";
	case RADIUS_ACCOUNTING_RESPONSE:
		return "Accounting-Response";
	case RADIUS_ACCESS_CHALLENGE:
		return "Access-Challenge";
	case RADIUS_DISCONNECT_REQUEST:
		return "Disconnect-Request";
	case RADIUS_DISCONNECT_ACK:
		return "Disconnect-ACK";
	case RADIUS_DISCONNECT_NAK:
		return "Disconnect-NAK";
	case RADIUS_COA_REQUEST:
		return "CoA-Request";
	case RADIUS_COA_ACK:
		return "CoA-ACK";
	case RADIUS_COA_NAK:
		return "CoA-NAK";
	}
	return "unknown";
}
