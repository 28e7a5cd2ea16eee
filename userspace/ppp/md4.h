/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MD4 (RFC 1320), only because MS-CHAPv2 is built on it. OpenSSL 3 keeps
 * MD4 in the legacy provider, which may not be loadable, so we carry our own.
 */
#ifndef SSTP_PPP_MD4_H
#define SSTP_PPP_MD4_H

#include <stddef.h>
#include <stdint.h>

#define MD4_DIGEST_LEN 16

void md4_digest(const void *data, size_t len, uint8_t out[MD4_DIGEST_LEN]);

#endif /* SSTP_PPP_MD4_H */
