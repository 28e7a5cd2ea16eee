/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Kernel TLS on a session's socket, so that sstp.ko can own it.
 *
 * OpenSSL 3.0 offloads TLS 1.2 in both directions by itself
 * (SSL_OP_ENABLE_KTLS), but TLS 1.3 only for transmit. For TLS 1.3 receive
 * we install TLS_RX ourselves, from the peer's application traffic secret
 * captured through the keylog callback, expanded with HKDF-Expand-Label.
 * That must happen before OpenSSL reads any application-key record, i.e.
 * right after the handshake; from then on the socket is read with
 * ktls_recv() (never SSL_read), which also skips the post-handshake
 * NewSessionTicket records a TLS 1.3 server sends.
 *
 * Fail closed: ktls_offload() either leaves both directions in the kernel,
 * verified with getsockopt(SOL_TLS), or says why not, and then the session
 * must stay on the userspace data path.
 */
#ifndef SSTP_KTLS_OFFLOAD_H
#define SSTP_KTLS_OFFLOAD_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <sys/types.h>

/* Call on every SSL_CTX whose sessions may be offloaded (before SSL_new). */
int ktls_ctx_prepare(SSL_CTX *ctx);

/*
 * After a completed handshake and before any SSL_read: put both directions
 * in the kernel. Returns 0, or -errno with a reason in *why (static text).
 */
int ktls_offload(SSL *ssl, const char **why);

/* Is this socket kTLS in both directions (both keys installed)? */
int ktls_is_offloaded(int fd);

/*
 * Read application data from an offloaded socket. Handshake records
 * (TLS 1.3 NewSessionTicket) are skipped; an alert is -ECONNRESET, a
 * KeyUpdate (which these kernels cannot follow) -EKEYEXPIRED; 0 is EOF.
 */
ssize_t ktls_recv(int fd, void *buf, size_t len, int flags);

/*
 * Send a TLS close_notify alert through the kernel's TLS TX (a record of
 * type 21 via TLS_SET_RECORD_TYPE), on a socket sstp.ko has given back:
 * the clean end a userspace session gets from SSL_shutdown(). Non-blocking;
 * -ENOTCONN when TCP is no longer ESTABLISHED (the peer closed or reset).
 * Returns 0 or -errno.
 */
int ktls_send_close_notify(int fd);

/* Send one record of content type @type (23 application data, 21 alert,
 * 22 handshake) on a kTLS socket; sendmsg()'s return. */
ssize_t ktls_send_record(int fd, unsigned char type, const void *buf, size_t len,
			 int flags);

/* The TLS 1.3 HKDF-Expand-Label (RFC 8446 7.1) with an empty context. */
int ktls_hkdf_expand_label(const EVP_MD *md, const unsigned char *secret,
			   size_t secret_len, const char *label,
			   unsigned char *out, size_t out_len);

#endif /* SSTP_KTLS_OFFLOAD_H */
