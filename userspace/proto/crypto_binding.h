/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SSTP crypto binding (MS-SSTP 3.2.5.2, 3.3.5.2.3, 4.7): ties the PPP
 * authentication to the TLS session, so that a man in the middle cannot
 * relay a PPP authentication that happened somewhere else.
 *
 *   HLAK  32 bytes from the PPP authentication (MS-CHAPv2: the RFC 3079
 *         master keys; PAP / CHAP-MD5: zeros).
 *   CMK   = HMAC-H(HLAK, "SSTP inner method derived CMK" | len u16 LE | 0x01),
 *         20 (SHA1) or 32 (SHA256) bytes.
 *   MAC   = HMAC-H(CMK, the 112-byte CALL_CONNECTED with the MAC field zeroed).
 *   cert  = H(DER of the server certificate).
 *
 * OpenSSL 3 EVP only. Every compare of secret-dependent bytes is constant
 * time. Functions return 0 or -errno.
 */
#ifndef SSTP_CRYPTO_BINDING_H
#define SSTP_CRYPTO_BINDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proto/sstp_msg.h"

#define SSTP_HLAK_LEN		32
#define SSTP_CMK_LABEL		"SSTP inner method derived CMK"	/* 29 bytes, no NUL */

/* Both hashes of the server certificate: the server does not know which one
 * the client will use, the client picks one from the server's offer. */
struct crypto_binding_cert {
	uint8_t sha1[SSTP_SHA1_LEN];
	uint8_t sha256[SSTP_SHA256_LEN];
};

/* Digest length of a hash protocol (SSTP_HASH_SHA1: 20, SSTP_HASH_SHA256:
 * 32), or -EINVAL for anything else. */
int crypto_binding_hash_len(unsigned int hash_proto);

/* SHA1 and SHA256 of a DER certificate. */
int crypto_binding_cert_hashes(const uint8_t *der, size_t der_len,
			       struct crypto_binding_cert *out);

/*
 * The HLAK from MS-CHAPv2 / MPPE master keys (RFC 3079 3.x), given as the
 * local side derived them: the client's MasterSendKey | MasterReceiveKey.
 * The server's own MasterReceiveKey equals the client's MasterSendKey, so
 * a server passes its keys with is_server = true and gets the same bytes.
 */
void crypto_binding_hlak_mppe(uint8_t hlak[SSTP_HLAK_LEN],
			      const uint8_t master_send[16],
			      const uint8_t master_recv[16], bool is_server);

/* The HLAK when the authentication yields no keys (PAP, CHAP-MD5): zeros. */
void crypto_binding_hlak_zero(uint8_t hlak[SSTP_HLAK_LEN]);

/* CMK for hash_proto; writes crypto_binding_hash_len(hash_proto) bytes. */
int crypto_binding_cmk(unsigned int hash_proto,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       uint8_t cmk[SSTP_HASH_FIELD_LEN]);

/*
 * Compound MAC over a 112-byte CALL_CONNECTED packet as it is (or will be)
 * on the wire; bytes 80..111 (MAC + padding) are treated as zero whatever
 * they hold. Writes hash_len bytes to mac and zeroes the rest of the
 * 32-byte field.
 */
int crypto_binding_mac(unsigned int hash_proto,
		       const uint8_t hlak[SSTP_HLAK_LEN],
		       const uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
		       uint8_t mac[SSTP_HASH_FIELD_LEN]);

/*
 * Client: choose the hash protocol from the server's bitmask and the
 * client's own supported mask: SHA256 when both allow it, else SHA1.
 * Returns SSTP_HASH_SHA256 / SSTP_HASH_SHA1, or -ENOTSUP when there is
 * nothing in common (the client then aborts, 3.2.5.3.2).
 */
int crypto_binding_choose(uint8_t server_mask, uint8_t client_mask);

/*
 * Client: build the complete 112-byte CALL_CONNECTED packet (header
 * included) with the nonce from CALL_CONNECT_ACK, the hash of the
 * certificate the server presented, and the Compound MAC keyed by the HLAK.
 */
int crypto_binding_build(uint8_t pkt[SSTP_CALL_CONNECTED_LEN],
			 unsigned int hash_proto,
			 const uint8_t nonce[SSTP_NONCE_LEN],
			 const struct crypto_binding_cert *cert,
			 const uint8_t hlak[SSTP_HLAK_LEN]);

/* Which check failed in crypto_binding_verify(). */
enum crypto_binding_fail {
	CRYPTO_BINDING_OK = 0,
	CRYPTO_BINDING_BAD_FORMAT,	/* not a 112-byte CALL_CONNECTED with one binding */
	CRYPTO_BINDING_BAD_HASH_PROTO,	/* not one we offered */
	CRYPTO_BINDING_BAD_NONCE,
	CRYPTO_BINDING_BAD_CERT_HASH,
	CRYPTO_BINDING_BAD_MAC,
};

/*
 * Server: check a received CALL_CONNECTED packet (the raw bytes, since the
 * MAC covers them as sent): a single CRYPTO_BINDING of the right length, a
 * hash protocol inside offered_mask, the nonce we sent, our own certificate
 * hash, and the Compound MAC under hlak. Padding is ignored (3.3.5.2.3).
 * Returns 0 when valid, -EBADMSG (format; abort with
 * ATTRIB_NOT_SUPPORTED_IN_MSG) or -EACCES (a value; abort with
 * CRYPTO_BINDING / VALUE_NOT_SUPPORTED), with *why (may be NULL) set.
 */
int crypto_binding_verify(const uint8_t *pkt, size_t len, uint8_t offered_mask,
			  const uint8_t nonce[SSTP_NONCE_LEN],
			  const struct crypto_binding_cert *cert,
			  const uint8_t hlak[SSTP_HLAK_LEN],
			  enum crypto_binding_fail *why);

const char *crypto_binding_fail_name(enum crypto_binding_fail why);

#endif /* SSTP_CRYPTO_BINDING_H */
