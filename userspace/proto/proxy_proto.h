/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PROXY protocol (HAProxy's proxy-protocol.txt, versions 1 and 2): the
 * header a TCP front end (HAProxy, a load balancer) sends before the
 * client's first byte, naming the client's real address. Pure: the server
 * peeks at the socket, asks how long the header is, and consumes exactly
 * that, so that the TLS bytes after it stay in the socket (and later go to
 * kTLS and sstp.ko untouched).
 */
#ifndef SSTP_PROXY_PROTO_H
#define SSTP_PROXY_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* v1: "PROXY ... \r\n" is at most 107 bytes. v2: 16 bytes and the length
 * they announce; a header longer than this is refused (addresses need 36
 * bytes, the rest is TLVs: HAProxy's SNI, ALPN, TLS details). */
#define PROXY_V1_MAX		107
#define PROXY_V2_MAX		1024
#define PROXY_HDR_MAX		PROXY_V2_MAX

struct proxy_hdr {
	int version;			/* 1 or 2 */
	/* The front end speaks for itself (v2 LOCAL, v1 UNKNOWN, or an
	 * address family other than TCP over IPv4/IPv6): src and dst are
	 * not set, the connection's own addresses stand. */
	bool local;
	struct sockaddr_storage src, dst;
	/* v2 PP2_TYPE_AUTHORITY: the host name the client asked for (the
	 * front end's SNI), or "". */
	char authority[256];
};

/*
 * A header at the start of buf[0..len): its length (> 0) with hdr filled,
 * 0 while the bytes so far are the start of a valid header, -EBADMSG when
 * they are not a PROXY header (or a malformed one), -EMSGSIZE when it is
 * longer than PROXY_HDR_MAX.
 */
int proxy_hdr_parse(const uint8_t *buf, size_t len, struct proxy_hdr *hdr);

#endif /* SSTP_PROXY_PROTO_H */
