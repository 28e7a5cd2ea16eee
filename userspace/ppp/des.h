/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Single-block DES encryption (FIPS 46-3), only for MS-CHAP's
 * ChallengeResponse (RFC 2759 8.5). OpenSSL 3 keeps DES in the legacy
 * provider, which may not be loadable, so we carry our own. Not for
 * anything else: DES is broken.
 */
#ifndef SSTP_PPP_DES_H
#define SSTP_PPP_DES_H

#include <stdint.h>

/* Encrypt one 8-byte block with an 8-byte key (parity bits ignored). */
void des_encrypt_block(const uint8_t key[8], const uint8_t in[8],
		       uint8_t out[8]);
/* Spread 56 key bits (7 bytes) over 8 bytes, 7 bits each (RFC 2759 8.6). */
void des_key_from_56(const uint8_t in[7], uint8_t out[8]);

#endif /* SSTP_PPP_DES_H */
