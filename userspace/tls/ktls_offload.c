// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Kernel TLS offload of an OpenSSL session: see ktls_offload.h for the why.
 */
#include "tls/ktls_offload.h"

#include <errno.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/tls1.h>
#include <string.h>
#include <sys/socket.h>

#include "kmod/proto.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

#define KTLS_SECRET_MAX 48	/* SHA-384 */

/* The TLS 1.3 application traffic secrets of one connection. */
struct ktls_secrets {
	unsigned char client[KTLS_SECRET_MAX];
	unsigned char server[KTLS_SECRET_MAX];
	size_t client_len, server_len;
};

static int ktls_ex_index = -1;

static void ktls_secrets_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad,
			      int idx, long argl, void *argp)
{
	OPENSSL_clear_free(ptr, sizeof(struct ktls_secrets));
}

static size_t ktls_unhex(const char *hex, unsigned char *out, size_t max)
{
	size_t n = 0;
	long v;
	char byte[3] = { 0 };

	while (hex[0] && hex[1] && n < max) {
		byte[0] = hex[0];
		byte[1] = hex[1];
		v = strtol(byte, NULL, 16);
		out[n++] = (unsigned char)v;
		hex += 2;
	}
	return n;
}

/*
 * OpenSSL hands us NSS key log lines. Keep the two application traffic
 * secrets of generation 0: the only ones kTLS on these kernels can use.
 */
static void ktls_keylog(const SSL *ssl, const char *line)
{
	static const char cts[] = "CLIENT_TRAFFIC_SECRET_0 ";
	static const char sts[] = "SERVER_TRAFFIC_SECRET_0 ";
	struct ktls_secrets *s;
	const char *hex;
	int client;

	if (!strncmp(line, cts, sizeof(cts) - 1))
		client = 1;
	else if (!strncmp(line, sts, sizeof(sts) - 1))
		client = 0;
	else
		return;
	/* "<label> <client random, 64 hex> <secret hex>" */
	hex = strchr(line + sizeof(cts) - 1, ' ');
	if (!hex)
		return;
	hex++;
	s = SSL_get_ex_data(ssl, ktls_ex_index);
	if (!s) {
		s = OPENSSL_zalloc(sizeof(*s));
		if (!s || !SSL_set_ex_data((SSL *)ssl, ktls_ex_index, s)) {
			OPENSSL_free(s);
			return;
		}
	}
	if (client)
		s->client_len = ktls_unhex(hex, s->client, sizeof(s->client));
	else
		s->server_len = ktls_unhex(hex, s->server, sizeof(s->server));
}

int ktls_ctx_prepare(SSL_CTX *ctx)
{
	if (ktls_ex_index < 0) {
		ktls_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, ktls_secrets_free);
		if (ktls_ex_index < 0)
			return -ENOMEM;
	}
	SSL_CTX_set_options(ctx, SSL_OP_ENABLE_KTLS);
	SSL_CTX_set_keylog_callback(ctx, ktls_keylog);
	return 0;
}

int ktls_hkdf_expand_label(const EVP_MD *md, const unsigned char *secret,
			   size_t secret_len, const char *label,
			   unsigned char *out, size_t out_len)
{
	unsigned char info[2 + 1 + 255 + 1];
	size_t label_len = strlen("tls13 ") + strlen(label), n = 0;
	int mode = EVP_KDF_HKDF_MODE_EXPAND_ONLY, ret = -EINVAL;
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *kctx;
	EVP_KDF *kdf;

	if (label_len > 255 || out_len > 0xffff)
		return -EINVAL;
	/* struct HkdfLabel { uint16 length; opaque label<7..255>; opaque context<0..255>; } */
	info[n++] = (unsigned char)(out_len >> 8);
	info[n++] = (unsigned char)out_len;
	info[n++] = (unsigned char)label_len;
	memcpy(info + n, "tls13 ", 6);
	memcpy(info + n + 6, label, label_len - 6);
	n += label_len;
	info[n++] = 0;

	kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		return -ENOSYS;
	kctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!kctx)
		return -ENOMEM;
	*p++ = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)EVP_MD_get0_name(md), 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)secret, secret_len);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(kctx, out, out_len, params) > 0)
		ret = 0;
	EVP_KDF_CTX_free(kctx);
	return ret;
}

int ktls_is_offloaded(int fd)
{
	struct tls_crypto_info info;
	socklen_t len;

	/*
	 * Asking for just the header returns version and cipher without any
	 * key material, and fails (EBUSY) for a direction with no key.
	 */
	len = sizeof(info);
	if (getsockopt(fd, SOL_TLS, TLS_TX, &info, &len) || !info.cipher_type)
		return 0;
	len = sizeof(info);
	if (getsockopt(fd, SOL_TLS, TLS_RX, &info, &len) || !info.cipher_type)
		return 0;
	return 1;
}

/* Install TLS_RX for TLS 1.3 from the peer's traffic secret, sequence 0. */
static int ktls_install_rx13(SSL *ssl, int fd, const char **why)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(ssl);
	struct ktls_secrets *s = SSL_get_ex_data(ssl, ktls_ex_index);
	union {
		struct tls12_crypto_info_aes_gcm_128 aes128;
		struct tls12_crypto_info_aes_gcm_256 aes256;
		struct tls12_crypto_info_chacha20_poly1305 chacha;
	} ci;
	unsigned char key[32], iv[12];
	const unsigned char *secret;
	const EVP_MD *md;
	size_t secret_len, key_len;
	socklen_t ci_len;
	int err;

	if (!c || !s) {
		*why = "TLS 1.3 traffic secret not captured (ktls_ctx_prepare not called)";
		return -EINVAL;
	}
	/* We receive what the peer sends: the server reads client secrets. */
	secret = SSL_is_server(ssl) ? s->client : s->server;
	secret_len = SSL_is_server(ssl) ? s->client_len : s->server_len;
	md = SSL_CIPHER_get_handshake_digest(c);
	if (!md || !secret_len || secret_len != (size_t)EVP_MD_get_size(md)) {
		*why = "TLS 1.3 traffic secret missing or of the wrong size";
		return -EINVAL;
	}
	memset(&ci, 0, sizeof(ci));
	switch (SSL_CIPHER_get_id(c) & 0xffff) {
	case 0x1301:	/* TLS_AES_128_GCM_SHA256 */
		key_len = 16;
		ci.aes128.info.cipher_type = TLS_CIPHER_AES_GCM_128;
		ci_len = sizeof(ci.aes128);
		break;
	case 0x1302:	/* TLS_AES_256_GCM_SHA384 */
		key_len = 32;
		ci.aes256.info.cipher_type = TLS_CIPHER_AES_GCM_256;
		ci_len = sizeof(ci.aes256);
		break;
	case 0x1303:	/* TLS_CHACHA20_POLY1305_SHA256 */
		key_len = 32;
		ci.chacha.info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		ci_len = sizeof(ci.chacha);
		break;
	default:
		*why = "TLS 1.3 cipher suite not supported by kTLS receive";
		return -EOPNOTSUPP;
	}
	ci.aes128.info.version = TLS_1_3_VERSION;
	err = ktls_hkdf_expand_label(md, secret, secret_len, "key", key, key_len);
	if (!err)
		err = ktls_hkdf_expand_label(md, secret, secret_len, "iv", iv, sizeof(iv));
	if (err) {
		*why = "HKDF-Expand-Label failed";
		goto out;
	}
	/* The 12-byte IV is salt (4) + iv (8) for AES-GCM, one iv for ChaCha20. */
	switch (ci.aes128.info.cipher_type) {
	case TLS_CIPHER_AES_GCM_128:
		memcpy(ci.aes128.key, key, 16);
		memcpy(ci.aes128.salt, iv, 4);
		memcpy(ci.aes128.iv, iv + 4, 8);
		break;
	case TLS_CIPHER_AES_GCM_256:
		memcpy(ci.aes256.key, key, 32);
		memcpy(ci.aes256.salt, iv, 4);
		memcpy(ci.aes256.iv, iv + 4, 8);
		break;
	default:
		memcpy(ci.chacha.key, key, 32);
		memcpy(ci.chacha.iv, iv, 12);
		break;
	}
	if (setsockopt(fd, SOL_TLS, TLS_RX, &ci, ci_len)) {
		err = -errno;
		*why = "setsockopt(TLS_RX) refused the TLS 1.3 receive key";
	}
out:
	OPENSSL_cleanse(&ci, sizeof(ci));
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(iv, sizeof(iv));
	return err;
}

int ktls_offload(SSL *ssl, const char **why)
{
	struct ktls_secrets *s;
	int fd = SSL_get_fd(ssl), err = 0;

	*why = NULL;
	if (fd < 0) {
		*why = "the TLS session has no socket";
		return -EBADF;
	}
	if (!BIO_get_ktls_send(SSL_get_wbio(ssl))) {
		*why = "OpenSSL did not enable kTLS transmit (tls module or cipher)";
		err = -EOPNOTSUPP;
		goto out;
	}
	if (!BIO_get_ktls_recv(SSL_get_rbio(ssl))) {
		if (SSL_version(ssl) != TLS1_3_VERSION) {
			*why = "OpenSSL did not enable kTLS receive";
			err = -EOPNOTSUPP;
			goto out;
		}
		/* Bytes OpenSSL already buffered could not be decrypted again. */
		if (SSL_has_pending(ssl)) {
			*why = "OpenSSL already read past the handshake";
			err = -EBUSY;
			goto out;
		}
		err = ktls_install_rx13(ssl, fd, why);
		if (err)
			goto out;
	}
	if (!ktls_is_offloaded(fd)) {
		*why = "the kernel does not report both TLS directions installed";
		err = -EIO;
	}
out:
	/* The secrets are of no further use; do not keep them around. */
	s = SSL_get_ex_data(ssl, ktls_ex_index);
	if (s)
		OPENSSL_cleanse(s, sizeof(*s));
	return err;
}

ssize_t ktls_recv(int fd, void *buf, size_t len, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(unsigned char))];
	struct iovec iov = { buf, len };
	struct msghdr msg;
	struct cmsghdr *cmsg;
	unsigned char type;
	ssize_t n;

	for (;;) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_iov = &iov;
		msg.msg_iovlen = 1;
		msg.msg_control = cbuf;
		msg.msg_controllen = sizeof(cbuf);
		n = recvmsg(fd, &msg, flags);
		if (n <= 0)
			return n < 0 ? -errno : 0;
		type = SSTP_TLS_APPLICATION_DATA;
		for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
			if (cmsg->cmsg_level == SOL_TLS &&
			    cmsg->cmsg_type == TLS_GET_RECORD_TYPE)
				type = *(unsigned char *)CMSG_DATA(cmsg);
		switch (type) {
		case SSTP_TLS_APPLICATION_DATA:
			return n;
		case SSTP_TLS_ALERT:	/* including close_notify */
			return -ECONNRESET;
		case SSTP_TLS_HANDSHAKE:	/* a NewSessionTicket is harmless */
			if (((unsigned char *)buf)[0] == SSTP_TLS_NEW_SESSION_TICKET)
				continue;
			if (((unsigned char *)buf)[0] == SSTP_TLS_KEY_UPDATE)
				return -EKEYEXPIRED;
			return -EPROTO;
		default:
			return -EPROTO;
		}
	}
}

ssize_t ktls_send_record(int fd, unsigned char type, const void *buf, size_t len,
			 int flags)
{
	char cbuf[CMSG_SPACE(sizeof(type))];
	struct iovec iov = { (void *)buf, len };
	struct msghdr msg;
	struct cmsghdr *cmsg;

	memset(&msg, 0, sizeof(msg));
	memset(cbuf, 0, sizeof(cbuf));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_TLS;
	cmsg->cmsg_type = TLS_SET_RECORD_TYPE;
	cmsg->cmsg_len = CMSG_LEN(sizeof(type));
	memcpy(CMSG_DATA(cmsg), &type, sizeof(type));
	return sendmsg(fd, &msg, flags);
}

int ktls_send_close_notify(int fd)
{
	/* Alert level 1 (warning), description 0 (close_notify). */
	static const unsigned char alert[2] = { 1, 0 };
	struct tcp_info ti;
	socklen_t tlen = sizeof(ti);
	ssize_t n;

	/* A peer that has closed its side (FIN: CLOSE_WAIT) or reset the
	 * connection is not listening any more. */
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &tlen) < 0)
		return -errno;
	if (ti.tcpi_state != TCP_ESTABLISHED)
		return -ENOTCONN;
	n = ktls_send_record(fd, SSTP_TLS_ALERT, alert, sizeof(alert), MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n < 0)
		return -errno;
	return n == (ssize_t)sizeof(alert) ? 0 : -EIO;
}
