/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * "host[:port]" as the configuration writes endpoints: a name or an IPv4
 * address with an optional port, an IPv6 address in brackets with an
 * optional port ("[2001:db8::1]:443"), or a bare IPv6 address (no port).
 */
#ifndef SSTP_ENDPOINT_H
#define SSTP_ENDPOINT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Split into host (brackets removed) and port (defport when absent).
 * 0, or -EINVAL for an empty host, a bad port (1..65535) or a host that
 * does not fit in hsize. */
int endpoint_split(const char *in, char *host, size_t hsize,
		   unsigned int *port, unsigned int defport);

/* A numeric address with a port ("0.0.0.0:443", "[::]:443") as a socket
 * address, for bind(). 0 or -EINVAL. */
int endpoint_sockaddr(const char *in, struct sockaddr_storage *ss,
		      socklen_t *len);

/* A non-blocking TCP socket listening on a numeric "addr:port": its fd,
 * or -errno with "addr: why" in err. */
int endpoint_listen(const char *in, int backlog, char *err, size_t errlen);

/* The same with a port for addresses that name none (0: one is required). */
int endpoint_sockaddr_port(const char *in, unsigned int defport,
			   struct sockaddr_storage *ss, socklen_t *len);

/*
 * Where a connection comes from, as admission control and authentication
 * throttling count it: an IPv4 address (also one mapped into IPv6), or the
 * /64 of an IPv6 address (one host easily holds a whole /64; WireGuard's
 * ratelimiter counts IPv6 sources the same way). text and port are the
 * full address, for logs.
 */
struct endpoint_source {
	uint8_t len;			/* 4 or 8; 0: not an IP address */
	uint8_t key[8];
	char text[INET6_ADDRSTRLEN];
	unsigned int port;
};

void endpoint_source(const struct sockaddr *sa, struct endpoint_source *out);

static inline bool endpoint_source_eq(const struct endpoint_source *a,
				      const struct endpoint_source *b)
{
	return a->len == b->len && !__builtin_memcmp(a->key, b->key, a->len);
}

#endif /* SSTP_ENDPOINT_H */
