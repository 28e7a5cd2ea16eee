// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * SSTP crypto binding: CMK, Compound MAC, certificate hash, building and
 * checking CALL_CONNECTED. See crypto_binding.h for the formulas.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "proto/crypto_binding.h"

static const EVP_MD *crypto_binding_md(unsigned int hash_proto)
{
	switch (hash_proto) {
	case SSTP_HASH_SHA1:
		return EVP_sha1();
	case SSTP_HASH_SHA256:
		return EVP_sha256();
	default:
		return NULL;
	}
}

int crypto_binding_hash_len(unsigned int hash_proto)
{
	switch (hash_proto) {
	case SSTP_HASH_SHA1:
		return SSTP_SHA1_LEN;
	case SSTP_HASH_SHA256:
		return SSTP_SHA256_LEN;
	default:
		return -EINVAL;
	}
}

int crypto_binding_cert_hashes(const uint8_t *der, size_t der_len,
			       struct crypto_binding_cert *out)
{
	unsigned int n;

	if (!der || !der_len)
		return -EINVAL;
	if (!EVP_Digest(der, der_len, out->sha1, &n, EVP_sha1(), NULL) ||
	    n != SSTP_SHA1_LEN)
		return -EIO;
	if (!EVP_Digest(der, der_len, out->sha256, &n, EVP_sha256(), NULL) ||
	    n != SSTP_SHA256_LEN)
		return -EIO;
	return 0;
}

void crypto_binding_hlak_mppe(uint8_t hlak[SSTP_HLAK_LEN],
			      const uint8_t master_send[16],
			      const uint8_t master_recv[16], bool is_server)
{
	/* The client's send key first: on the server that is its receive key. */
	memcpy(hlak, is_server ? master_recv : master_send, 16);
	memcpy(hlak + 16, is_server ? master_send : master_recv, 16);
}

void crypto_binding_hlak_zero(uint8_t hlak[SSTP_HLAK_LEN])
{
	memset(hlak, 0, SSTP_HLAK_LEN);
}

static int crypto_binding_hmac(const EVP_MD *md, const uint8_t *key,
			       size_t key_len, const uint8_t *data,
			       size_t data_len, uint8_t *out)
{
	unsigned int n = 0;

	if (!HMAC(md, key, (int)key_len, data, data_len, out, &n))
		return -EIO;
	return 0;
}

int crypto_binding_cmk(unsigned int hash_proto,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       uint8_t cmk[SSTP_HASH_FIELD_LEN])
{
	const size_t label_len = sizeof(SSTP_CMK_LABEL) - 1;
	uint8_t seed[sizeof(SSTP_CMK_LABEL) - 1 + 3];
	uint8_t full[EVP_MAX_MD_SIZE];
	const EVP_MD *md = crypto_binding_md(hash_proto);
	int hlen = crypto_binding_hash_len(hash_proto), err;

	if (!md)
		return -EINVAL;
	/* 3.2.5.2.2 / 3.2.5.2.4: label | output length u16 LITTLE endian | 1 */
	memcpy(seed, SSTP_CMK_LABEL, label_len);
	seed[label_len] = (uint8_t)hlen;
	seed[label_len + 1] = 0;
	seed[label_len + 2] = 1;
	err = crypto_binding_hmac(md, hlak, SSTP_HLAK_LEN, seed, sizeof(seed),
				  full);
	if (!err)
		memcpy(cmk, full, hlen);
	OPENSSL_cleanse(full, sizeof(full));
	return err;
}

int crypto_binding_mac(unsigned int hash_proto,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       const uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
		       uint8_t mac[SSTP_HASH_FIELD_LEN])
{
	uint8_t cmk[SSTP_HASH_FIELD_LEN], input[SSTP_CALL_CONNECTED_LEN];
	uint8_t full[EVP_MAX_MD_SIZE];
	const EVP_MD *md = crypto_binding_md(hash_proto);
	int hlen = crypto_binding_hash_len(hash_proto), err;

	if (!md)
		return -EINVAL;
	err = crypto_binding_cmk(hash_proto, hlak, cmk);
	if (err)
		goto out_cleanse;
	memcpy(input, pkt, SSTP_CALL_CONNECTED_LEN);
	memset(input + SSTP_CONNECTED_MAC_OFF, 0,
	       SSTP_CALL_CONNECTED_LEN - SSTP_CONNECTED_MAC_OFF);
	err = crypto_binding_hmac(md, cmk, hlen, input, sizeof(input), full);
	if (!err) {
		memset(mac, 0, SSTP_HASH_FIELD_LEN);
		memcpy(mac, full, hlen);
	}
out_cleanse:
	OPENSSL_cleanse(cmk, sizeof(cmk));
	OPENSSL_cleanse(full, sizeof(full));
	return err;
}

int crypto_binding_choose(uint8_t server_mask, uint8_t client_mask)
{
	uint8_t common = server_mask & client_mask;

	if (common & SSTP_HASH_MASK_SHA256)
		return SSTP_HASH_SHA256;
	if (common & SSTP_HASH_MASK_SHA1)
		return SSTP_HASH_SHA1;
	return -ENOTSUP;
}

static const uint8_t *crypto_binding_cert_hash(const struct crypto_binding_cert *cert,
					       unsigned int hash_proto)
{
	return hash_proto == SSTP_HASH_SHA1 ? cert->sha1 : cert->sha256;
}

int crypto_binding_build(uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
			 unsigned int hash_proto,
			 const uint8_t nonce[SSTP_NONCE_LEN],
			 const struct crypto_binding_cert *cert,
			 const uint8_t hlak[SSTP_HLAK_LEN])
{
	struct sstp_ctrl msg;
	int hlen = crypto_binding_hash_len(hash_proto), n;

	if (hlen < 0)
		return hlen;
	sstp_ctrl_init(&msg, SSTP_MSG_CALL_CONNECTED);
	msg.has_binding = true;
	msg.binding.hash_proto = (uint8_t)hash_proto;
	memcpy(msg.binding.nonce, nonce, SSTP_NONCE_LEN);
	memcpy(msg.binding.cert_hash, crypto_binding_cert_hash(cert, hash_proto),
	       hlen);
	n = sstp_ctrl_encode(&msg, pkt, SSTP_CALL_CONNECTED_LEN);
	if (n < 0)
		return n;
	return crypto_binding_mac(hash_proto, hlak, pkt,
				  pkt + SSTP_CONNECTED_MAC_OFF);
}

static int crypto_binding_fail(enum crypto_binding_fail *why,
			       enum crypto_binding_fail what)
{
	if (why)
		*why = what;
	return what == CRYPTO_BINDING_BAD_FORMAT ? -EBADMSG : -EACCES;
}

int crypto_binding_verify(const uint8_t *pkt, size_t len, uint8_t offered_mask,
			  const uint8_t nonce[SSTP_NONCE_LEN],
			  const struct crypto_binding_cert *cert,
			  const uint8_t hlak[SSTP_HLAK_LEN],
			  enum crypto_binding_fail *why)
{
	uint8_t mac[SSTP_HASH_FIELD_LEN];
	unsigned int proto;
	int hlen, err, bad;
	bool ctrl;

	/* Exactly the 2.2.11 layout: header, type 4, one 104-byte binding. */
	if (len != SSTP_CALL_CONNECTED_LEN ||
	    sstp_proto_hdr_parse(pkt, &ctrl) != (int)len || !ctrl ||
	    sstp_proto_ctrl_type(pkt) != SSTP_MSG_CALL_CONNECTED ||
	    pkt[6] != 0 || pkt[7] != 1 ||
	    pkt[9] != SSTP_ATTR_CRYPTO_BINDING ||
	    sstp_proto_attr_len(pkt + 8) != SSTP_ATTR_CRYPTO_BINDING_LEN)
		return crypto_binding_fail(why, CRYPTO_BINDING_BAD_FORMAT);

	proto = pkt[SSTP_CONNECTED_HASH_PROTO_OFF];
	hlen = crypto_binding_hash_len(proto);
	/* Bit (proto - 1) of the mask: SHA1 = 1 -> 0x01, SHA256 = 2 -> 0x02. */
	if (hlen < 0 || !(offered_mask & (1u << (proto - 1))))
		return crypto_binding_fail(why, CRYPTO_BINDING_BAD_HASH_PROTO);
	if (CRYPTO_memcmp(pkt + SSTP_CONNECTED_NONCE_OFF, nonce, SSTP_NONCE_LEN))
		return crypto_binding_fail(why, CRYPTO_BINDING_BAD_NONCE);
	if (CRYPTO_memcmp(pkt + SSTP_CONNECTED_CERT_HASH_OFF,
			  crypto_binding_cert_hash(cert, proto), hlen))
		return crypto_binding_fail(why, CRYPTO_BINDING_BAD_CERT_HASH);

	err = crypto_binding_mac(proto, hlak, pkt, mac);
	if (err)
		return err;
	bad = CRYPTO_memcmp(pkt + SSTP_CONNECTED_MAC_OFF, mac, hlen);
	OPENSSL_cleanse(mac, sizeof(mac));
	if (bad)
		return crypto_binding_fail(why, CRYPTO_BINDING_BAD_MAC);
	if (why)
		*why = CRYPTO_BINDING_OK;
	return 0;
}

const char *crypto_binding_fail_name(enum crypto_binding_fail why)
{
	switch (why) {
	case CRYPTO_BINDING_OK:
		return "ok";
	case CRYPTO_BINDING_BAD_FORMAT:
		return "malformed crypto binding";
	case CRYPTO_BINDING_BAD_HASH_PROTO:
		return "hash protocol not offered";
	case CRYPTO_BINDING_BAD_NONCE:
		return "nonce mismatch";
	case CRYPTO_BINDING_BAD_CERT_HASH:
		return "certificate hash mismatch";
	case CRYPTO_BINDING_BAD_MAC:
		return "compound MAC mismatch";
	}
	return "unknown";
}
