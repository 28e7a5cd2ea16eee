// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

#include "proto/proxy_proto.h"

static const uint8_t proxy_v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};
#define PROXY_V1_SIG		"PROXY "
#define PROXY_V2_HDR_LEN	16
#define PROXY_V2_CMD_LOCAL	0x20
#define PROXY_V2_CMD_PROXY	0x21
#define PROXY_V2_TCP4		0x11
#define PROXY_V2_TCP6		0x21
#define PROXY_PP2_AUTHORITY	0x02

/* Is buf[0..len) the start of sig[0..siglen)? */
static bool proxy_prefix_of(const uint8_t *buf, size_t len, const void *sig,
			    size_t siglen)
{
	return !memcmp(buf, sig, len < siglen ? len : siglen);
}

static int proxy_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	/* Decimal, 0..65535, no sign, no leading zero but "0" itself. */
	if (!*s || (s[0] == '0' && s[1]) || *s == '+' || *s == '-')
		return -EBADMSG;
	v = strtoul(s, &end, 10);
	if (*end || v > 65535)
		return -EBADMSG;
	*port = htons((uint16_t)v);
	return 0;
}

/* A socket address from an address and a port, both in network order. */
static void proxy_sockaddr(struct sockaddr_storage *ss, int family,
			   const void *addr, const void *port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET) {
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, addr, 4);
		memcpy(&((struct sockaddr_in *)ss)->sin_port, port, 2);
	} else {
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, addr, 16);
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_port, port, 2);
	}
}

static int proxy_v1_addr(int family, const char *a, const char *p,
			 struct sockaddr_storage *ss)
{
	uint8_t addr[16];
	uint16_t port;

	if (inet_pton(family, a, addr) != 1 || proxy_port(p, &port))
		return -EBADMSG;
	proxy_sockaddr(ss, family, addr, &port);
	return 0;
}

/* "PROXY TCP4|TCP6 src dst sport dport\r\n" or "PROXY UNKNOWN...\r\n". */
static int proxy_v1(const uint8_t *buf, size_t len, struct proxy_hdr *hdr)
{
	char line[PROXY_V1_MAX + 1], *w[7], *save = NULL;
	const uint8_t *lf;
	size_t n;
	int family, nw = 0;

	lf = memchr(buf, '\n', len < PROXY_V1_MAX ? len : PROXY_V1_MAX);
	if (!lf)
		return len >= PROXY_V1_MAX ? -EMSGSIZE : 0;
	n = (size_t)(lf - buf) + 1;
	if (n < 2 || buf[n - 2] != '\r' || memchr(buf, 0, n))
		return -EBADMSG;
	memcpy(line, buf, n - 2);
	line[n - 2] = 0;
	hdr->version = 1;
	/* Single spaces only: the specification leaves no room. */
	if (strstr(line, "  ") || line[n - 3] == ' ')
		return -EBADMSG;
	for (char *t = strtok_r(line, " ", &save); t && nw < 7; t = strtok_r(NULL, " ", &save))
		w[nw++] = t;
	if (nw >= 2 && !strcmp(w[1], "UNKNOWN")) {
		hdr->local = true;
		return (int)n;
	}
	if (nw != 6)
		return -EBADMSG;
	if (!strcmp(w[1], "TCP4"))
		family = AF_INET;
	else if (!strcmp(w[1], "TCP6"))
		family = AF_INET6;
	else
		return -EBADMSG;
	if (proxy_v1_addr(family, w[2], w[4], &hdr->src) ||
	    proxy_v1_addr(family, w[3], w[5], &hdr->dst))
		return -EBADMSG;
	return (int)n;
}

/* The TLVs after the addresses: only the authority is of use to us. */
static int proxy_v2_tlvs(const uint8_t *p, size_t len, struct proxy_hdr *hdr)
{
	while (len) {
		size_t vlen;

		if (len < 3)
			return -EBADMSG;
		vlen = (size_t)p[1] << 8 | p[2];
		if (vlen > len - 3)
			return -EBADMSG;
		if (p[0] == PROXY_PP2_AUTHORITY && vlen < sizeof(hdr->authority) &&
		    !memchr(p + 3, 0, vlen)) {
			memcpy(hdr->authority, p + 3, vlen);
			hdr->authority[vlen] = 0;
		}
		p += 3 + vlen;
		len -= 3 + vlen;
	}
	return 0;
}

static int proxy_v2(const uint8_t *buf, size_t len, struct proxy_hdr *hdr)
{
	size_t body, total;
	const uint8_t *a;

	if (len < PROXY_V2_HDR_LEN)
		return 0;
	hdr->version = 2;
	if ((buf[12] & 0xf0) != 0x20)
		return -EBADMSG;
	body = (size_t)buf[14] << 8 | buf[15];
	total = PROXY_V2_HDR_LEN + body;
	if (total > PROXY_V2_MAX)
		return -EMSGSIZE;
	if (len < total)
		return 0;
	a = buf + PROXY_V2_HDR_LEN;
	if (buf[12] == PROXY_V2_CMD_LOCAL) {
		hdr->local = true;
		return (int)total;
	}
	if (buf[12] != PROXY_V2_CMD_PROXY)
		return -EBADMSG;
	if (buf[13] == PROXY_V2_TCP4 || buf[13] == PROXY_V2_TCP6) {
		/* src addr, dst addr, src port, dst port */
		int family = buf[13] == PROXY_V2_TCP4 ? AF_INET : AF_INET6;
		size_t alen = family == AF_INET ? 4 : 16;

		if (body < 2 * alen + 4)
			return -EBADMSG;
		proxy_sockaddr(&hdr->src, family, a, a + 2 * alen);
		proxy_sockaddr(&hdr->dst, family, a + alen, a + 2 * alen + 2);
		a += 2 * alen + 4;
	} else {
		/* UNSPEC, UDP, UNIX: nothing we can use; the specification
		 * says to keep the connection's own addresses. */
		hdr->local = true;
		return (int)total;
	}
	if (proxy_v2_tlvs(a, (size_t)(buf + total - a), hdr))
		return -EBADMSG;
	return (int)total;
}

int proxy_hdr_parse(const uint8_t *buf, size_t len, struct proxy_hdr *hdr)
{
	memset(hdr, 0, sizeof(*hdr));
	if (!len)
		return 0;
	if (proxy_prefix_of(buf, len, proxy_v2_sig, sizeof(proxy_v2_sig)))
		return proxy_v2(buf, len, hdr);
	if (proxy_prefix_of(buf, len, PROXY_V1_SIG, strlen(PROXY_V1_SIG)))
		return len < strlen(PROXY_V1_SIG) ? 0 : proxy_v1(buf, len, hdr);
	return -EBADMSG;
}
