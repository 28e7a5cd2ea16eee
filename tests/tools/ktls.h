/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Static-key kernel TLS for tests (the pattern of the kernel's
 * tools/testing/selftests/net/tls.c): no handshake and no OpenSSL, just
 * TCP_ULP "tls" and TLS_TX/TLS_RX with fixed keys. The client's TX key is the
 * server's RX key and the other way round, so a connected pair talks real
 * TLS records to each other. Keys derive from a one-byte seed so a test can
 * give one side a wrong key on purpose.
 */
#ifndef SSTP_TEST_KTLS_H
#define SSTP_TEST_KTLS_H

#include <arpa/inet.h>
#include <errno.h>
#include <linux/tls.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kmod/proto.h"
#include "tls/ktls_offload.h"

#ifndef SOL_TLS
#define SOL_TLS 282
#endif

enum ktls_cipher { KTLS_AES128_GCM, KTLS_AES256_GCM, KTLS_CHACHA20 };

struct ktls_params {
	int version;		/* TLS_1_2_VERSION or TLS_1_3_VERSION */
	enum ktls_cipher cipher;
	unsigned char seed;	/* keys are a function of this and the direction */
};

#define KTLS_PARAMS_DEFAULT { TLS_1_2_VERSION, KTLS_AES128_GCM, 0x5a }

union ktls_crypto_info {
	struct tls_crypto_info info;
	struct tls12_crypto_info_aes_gcm_128 aes128;
	struct tls12_crypto_info_aes_gcm_256 aes256;
	struct tls12_crypto_info_chacha20_poly1305 chacha;
};

static inline void ktls_fill(unsigned char *p, size_t n, unsigned char seed, int dir, int what)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + dir * 101 + what * 17 + i * 7);
}

/* Key material for one direction (0: client to server, 1: server to client). */
static inline socklen_t ktls_info(const struct ktls_params *p, int dir,
				  union ktls_crypto_info *ci)
{
	memset(ci, 0, sizeof(*ci));
	ci->info.version = (unsigned short)p->version;
	switch (p->cipher) {
	case KTLS_AES128_GCM:
		ci->info.cipher_type = TLS_CIPHER_AES_GCM_128;
		ktls_fill(ci->aes128.key, sizeof(ci->aes128.key), p->seed, dir, 1);
		ktls_fill(ci->aes128.iv, sizeof(ci->aes128.iv), p->seed, dir, 2);
		ktls_fill(ci->aes128.salt, sizeof(ci->aes128.salt), p->seed, dir, 3);
		return sizeof(ci->aes128);
	case KTLS_AES256_GCM:
		ci->info.cipher_type = TLS_CIPHER_AES_GCM_256;
		ktls_fill(ci->aes256.key, sizeof(ci->aes256.key), p->seed, dir, 1);
		ktls_fill(ci->aes256.iv, sizeof(ci->aes256.iv), p->seed, dir, 2);
		ktls_fill(ci->aes256.salt, sizeof(ci->aes256.salt), p->seed, dir, 3);
		return sizeof(ci->aes256);
	case KTLS_CHACHA20:
		ci->info.cipher_type = TLS_CIPHER_CHACHA20_POLY1305;
		ktls_fill(ci->chacha.key, sizeof(ci->chacha.key), p->seed, dir, 1);
		ktls_fill(ci->chacha.iv, sizeof(ci->chacha.iv), p->seed, dir, 2);
		return sizeof(ci->chacha);
	}
	return 0;
}

/*
 * Turn a connected TCP socket into a kTLS socket. tx/rx select the
 * directions to install (a test may want TX only). Returns 0 or -errno.
 */
static inline int ktls_attach(int fd, bool server, const struct ktls_params *p,
			      bool tx, bool rx)
{
	union ktls_crypto_info ci;
	socklen_t len;

	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", sizeof("tls")))
		return -errno;
	if (tx) {
		len = ktls_info(p, server ? 1 : 0, &ci);
		if (setsockopt(fd, SOL_TLS, TLS_TX, &ci, len))
			return -errno;
	}
	if (rx) {
		len = ktls_info(p, server ? 0 : 1, &ci);
		if (setsockopt(fd, SOL_TLS, TLS_RX, &ci, len))
			return -errno;
	}
	return 0;
}

static inline int ktls_parse_params(struct ktls_params *p, const char *version,
				    const char *cipher)
{
	if (version) {
		if (!strcmp(version, "1.2"))
			p->version = TLS_1_2_VERSION;
		else if (!strcmp(version, "1.3"))
			p->version = TLS_1_3_VERSION;
		else
			return -EINVAL;
	}
	if (cipher) {
		if (!strcmp(cipher, "aes128"))
			p->cipher = KTLS_AES128_GCM;
		else if (!strcmp(cipher, "aes256"))
			p->cipher = KTLS_AES256_GCM;
		else if (!strcmp(cipher, "chacha20"))
			p->cipher = KTLS_CHACHA20;
		else
			return -EINVAL;
	}
	return 0;
}


/*
 * Receive plaintext; *type gets the record's content type. kTLS never
 * returns bytes of two record types in one call. Returns recvmsg's value.
 */
static inline ssize_t ktls_recv_record(int fd, void *buf, size_t len, unsigned char *type, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(unsigned char))];
	struct iovec iov = { buf, len };
	struct msghdr msg = { 0 };
	struct cmsghdr *cmsg;
	ssize_t n;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = cbuf;
	msg.msg_controllen = sizeof(cbuf);
	n = recvmsg(fd, &msg, flags);
	*type = SSTP_TLS_APPLICATION_DATA;
	if (n < 0)
		return n;
	for (cmsg = CMSG_FIRSTHDR(&msg); cmsg; cmsg = CMSG_NXTHDR(&msg, cmsg))
		if (cmsg->cmsg_level == SOL_TLS && cmsg->cmsg_type == TLS_GET_RECORD_TYPE)
			*type = *(unsigned char *)CMSG_DATA(cmsg);
	return n;
}

/* TCP helpers for IPv4 literals. Return a socket or -errno. */
static inline int tcp_listen4(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, one = 1;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -EINVAL;
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* Connect, retrying while the listener is not up yet (up to ~10 s). */
static inline int tcp_connect4(const char *addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd, err = -ETIMEDOUT;

	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1)
		return -EINVAL;
	for (int i = 0; i < 200; i++) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -errno;
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			return fd;
		err = -errno;
		close(fd);
		if (err != -ECONNREFUSED && err != -ENETUNREACH)
			break;
		usleep(50000);
	}
	return err;
}

/* Read exactly len bytes of application data (SSTP_TLS_APPLICATION_DATA). */
static inline int ktls_read_full(int fd, void *buf, size_t len)
{
	unsigned char *p = buf, type;
	ssize_t n;

	while (len) {
		n = ktls_recv_record(fd, p, len, &type, 0);
		if (n < 0)
			return -errno;
		if (n == 0)
			return -ECONNRESET;
		if (type != SSTP_TLS_APPLICATION_DATA)
			return -EPROTO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static inline int write_full(int fd, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Test data for the data-transfer tools: byte i of stream `which`. One side
 * sends n bytes through a write function, the other reads them through a
 * read function and checks every byte, so the kTLS-only, OpenSSL and mixed
 * transports all carry and verify the same bytes.
 */
#define KTLS_PATTERN_CHUNK 16384

/* Write all of buf: 0 or -errno. */
typedef int (*ktls_write_fn)(void *ctx, const unsigned char *buf, size_t len);
/* Read up to len bytes: how many (> 0), 0 at the end of the stream, or -errno. */
typedef ssize_t (*ktls_read_fn)(void *ctx, unsigned char *buf, size_t len);

static inline unsigned char ktls_pattern(size_t i, int which)
{
	return (unsigned char)((i * 7 + (size_t)which * 13) % 251);
}

static inline int ktls_pattern_send(ktls_write_fn wr, void *ctx, size_t n, int which)
{
	unsigned char buf[KTLS_PATTERN_CHUNK];
	size_t off, k, i;
	int err;

	for (off = 0; off < n; off += k) {
		k = n - off < sizeof(buf) ? n - off : sizeof(buf);
		for (i = 0; i < k; i++)
			buf[i] = ktls_pattern(off + i, which);
		err = wr(ctx, buf, k);
		if (err)
			return err;
	}
	return 0;
}

/* Returns 0, the read function's -errno, -ECONNRESET for an early end of
 * the stream, or -EILSEQ (after naming the first wrong byte, as who). */
static inline int ktls_pattern_recv(ktls_read_fn rd, void *ctx, size_t n, int which,
				    const char *who)
{
	unsigned char buf[KTLS_PATTERN_CHUNK];
	size_t off = 0, i;
	ssize_t k;

	while (off < n) {
		k = rd(ctx, buf, n - off < sizeof(buf) ? n - off : sizeof(buf));
		if (k < 0)
			return (int)k;
		if (k == 0)
			return -ECONNRESET;
		for (i = 0; i < (size_t)k; i++) {
			if (buf[i] != ktls_pattern(off + i, which)) {
				fprintf(stderr, "%s: byte %zu differs\n", who, off + i);
				return -EILSEQ;
			}
		}
		off += (size_t)k;
	}
	return 0;
}

#endif /* SSTP_TEST_KTLS_H */
