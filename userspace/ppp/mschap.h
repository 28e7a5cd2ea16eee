/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MS-CHAPv2 (RFC 2759) and its MPPE master keys (RFC 3079 section 3):
 * the cryptography only; the CHAP packets are in chap.c. Names follow the
 * RFCs' pseudocode so each function can be checked against it.
 */
#ifndef SSTP_PPP_MSCHAP_H
#define SSTP_PPP_MSCHAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MSCHAP_CHALLENGE_LEN	16
#define MSCHAP_NT_RESPONSE_LEN	24
#define MSCHAP_HASH_LEN		16
/* "S=" + 40 upper-case hex digits */
#define MSCHAP_AUTH_RESPONSE_LEN 42
/* RFC 2759: passwords are at most 256 Unicode characters. */
#define MSCHAP_PASSWORD_MAX	256

/* MD4 of the password as UTF-16LE. The password is UTF-8 (ASCII is UTF-8);
 * -EINVAL if it is not valid UTF-8 or longer than 256 characters. */
int mschap_nt_password_hash(const uint8_t *password, size_t len,
			    uint8_t hash[MSCHAP_HASH_LEN]);
/* The user name without any "DOMAIN\" prefix, as ChallengeHash wants it. */
const char *mschap_user_without_domain(const char *username);
void mschap_challenge_hash(const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
			   const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
			   const char *username, uint8_t challenge[8]);
void mschap_challenge_response(const uint8_t challenge[8],
			       const uint8_t password_hash[MSCHAP_HASH_LEN],
			       uint8_t response[MSCHAP_NT_RESPONSE_LEN]);
int mschap_nt_response(const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
		       const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
		       const char *username, const uint8_t *password,
		       size_t password_len,
		       uint8_t response[MSCHAP_NT_RESPONSE_LEN]);
/* "S=<40 hex>" plus a NUL into out. */
int mschap_authenticator_response(const uint8_t *password, size_t password_len,
				  const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
				  const uint8_t peer_challenge[MSCHAP_CHALLENGE_LEN],
				  const uint8_t auth_challenge[MSCHAP_CHALLENGE_LEN],
				  const char *username,
				  char out[MSCHAP_AUTH_RESPONSE_LEN + 1]);

/* RFC 3079 3.4: MasterKey from PasswordHashHash and the NT-Response. */
void mschap_master_key(const uint8_t password_hash_hash[MSCHAP_HASH_LEN],
		       const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
		       uint8_t master_key[16]);
/* RFC 3079 3.4 GetAsymmetricStartKey with a 16-byte (128-bit) key. */
void mschap_asymmetric_start_key(const uint8_t master_key[16], bool is_send,
				 bool is_server, uint8_t key[16]);
/* Both master keys of one side, straight from the password. */
int mschap_mppe_keys(const uint8_t *password, size_t password_len,
		     const uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN],
		     bool is_server, uint8_t send_key[16], uint8_t recv_key[16]);

#endif /* SSTP_PPP_MSCHAP_H */
