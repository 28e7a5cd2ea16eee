// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The PROXY protocol parser (proto/proxy_proto.c) on the headers HAProxy's
 * proxy-protocol.txt gives and on what it forbids: v1 TCP4, TCP6 and
 * UNKNOWN, v2 PROXY over IPv4 and IPv6 with TLVs, LOCAL, partial headers
 * (0: wait) and the exact length consumed, so that the TLS bytes after it
 * are never taken.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "proto/proxy_proto.h"
#include "test.h"

static int parse(const char *s, struct proxy_hdr *h)
{
	return proxy_hdr_parse((const uint8_t *)s, strlen(s), h);
}

static const char *addr(const struct sockaddr_storage *ss, char *buf, size_t n)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)ss;

		inet_ntop(AF_INET, &in->sin_addr, a, sizeof(a));
		snprintf(buf, n, "%s:%u", a, ntohs(in->sin_port));
	} else {
		const struct sockaddr_in6 *in6 = (const void *)ss;

		inet_ntop(AF_INET6, &in6->sin6_addr, a, sizeof(a));
		snprintf(buf, n, "[%s]:%u", a, ntohs(in6->sin6_port));
	}
	return buf;
}

TEST(v1_tcp4_consumes_exactly_the_line)
{
	const char *in = "PROXY TCP4 192.0.2.7 10.0.0.1 56324 443\r\n\x16\x03\x01";
	struct proxy_hdr h;
	char b[64];

	CHECK_INT(proxy_hdr_parse((const uint8_t *)in, strlen(in), &h),
		  (int)strlen("PROXY TCP4 192.0.2.7 10.0.0.1 56324 443\r\n"));
	CHECK_INT(h.version, 1);
	CHECK(!h.local);
	CHECK_STR(addr(&h.src, b, sizeof(b)), "192.0.2.7:56324");
	CHECK_STR(addr(&h.dst, b, sizeof(b)), "10.0.0.1:443");
}

TEST(v1_tcp6_and_unknown)
{
	struct proxy_hdr h;
	char b[64];

	CHECK(parse("PROXY TCP6 2001:db8::7 2001:db8::1 1024 443\r\n", &h) > 0);
	CHECK_STR(addr(&h.src, b, sizeof(b)), "[2001:db8::7]:1024");
	CHECK_INT(parse("PROXY UNKNOWN\r\n", &h), 15);
	CHECK(h.local);
	CHECK(parse("PROXY UNKNOWN ffff:f...f:ffff 1 2\r\n", &h) > 0);
	CHECK(h.local);
}

TEST(v1_partial_waits_and_bad_is_refused)
{
	struct proxy_hdr h;

	CHECK_INT(parse("", &h), 0);
	CHECK_INT(parse("PRO", &h), 0);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7 10.0", &h), 0);
	CHECK_INT(parse("GET / HTTP/1.1\r\n", &h), -EBADMSG);
	CHECK_INT(parse("\x16\x03\x01\x02", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7 10.0.0.1 56324 443\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7  10.0.0.1 56324 443\r\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7 10.0.0.1 56324 65536\r\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7 10.0.0.1 056324 443\r\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 2001:db8::7 10.0.0.1 1 443\r\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP5 192.0.2.7 10.0.0.1 1 443\r\n", &h), -EBADMSG);
	CHECK_INT(parse("PROXY TCP4 192.0.2.7 10.0.0.1 1\r\n", &h), -EBADMSG);
	/* No line end within 107 bytes. */
	CHECK_INT(parse("PROXY TCP6 aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa:aaaa "
			"bbbb:bbbb:bbbb:bbbb:bbbb:bbbb:bbbb:bbbb 65535 65535 and more", &h),
		  -EMSGSIZE);
}

static const uint8_t v2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a,
};

/* A v2 header: command, family, body. */
static size_t v2(uint8_t *out, uint8_t cmd, uint8_t fam, const uint8_t *body,
		 size_t blen)
{
	memcpy(out, v2_sig, 12);
	out[12] = cmd;
	out[13] = fam;
	out[14] = (uint8_t)(blen >> 8);
	out[15] = (uint8_t)blen;
	if (blen)
		memcpy(out + 16, body, blen);
	return 16 + blen;
}

TEST(v2_tcp4_with_authority_tlv)
{
	/* 192.0.2.7:56324 -> 10.0.0.1:443, then PP2_TYPE_AUTHORITY
	 * "vpn.example" and PP2_TYPE_ALPN "h2". */
	uint8_t body[] = {
		192, 0, 2, 7, 10, 0, 0, 1, 0xdc, 0x04, 0x01, 0xbb,
		0x02, 0x00, 0x0b, 'v', 'p', 'n', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e',
		0x01, 0x00, 0x02, 'h', '2',
	};
	uint8_t buf[128];
	struct proxy_hdr h;
	size_t n = v2(buf, 0x21, 0x11, body, sizeof(body)), i;
	char b[64];

	buf[n] = 0x16;		/* the ClientHello that follows */
	CHECK_INT(proxy_hdr_parse(buf, n + 1, &h), (int)n);
	CHECK_INT(h.version, 2);
	CHECK(!h.local);
	CHECK_STR(addr(&h.src, b, sizeof(b)), "192.0.2.7:56324");
	CHECK_STR(addr(&h.dst, b, sizeof(b)), "10.0.0.1:443");
	CHECK_STR(h.authority, "vpn.example");
	/* Every shorter prefix waits. */
	for (i = 0; i < n; i++)
		CHECK_INT(proxy_hdr_parse(buf, i, &h), 0);
}

TEST(v2_tcp6_local_and_errors)
{
	uint8_t body[36] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7, 0x20, 0x01, 0x0d, 0xb8,
			     [31] = 1, 0x04, 0x00, 0x01, 0xbb };
	uint8_t buf[1200];
	struct proxy_hdr h;
	size_t n;
	char b[64];

	n = v2(buf, 0x21, 0x21, body, sizeof(body));
	CHECK_INT(proxy_hdr_parse(buf, n, &h), (int)n);
	CHECK_STR(addr(&h.src, b, sizeof(b)), "[2001:db8::7]:1024");
	/* LOCAL: a health check; the connection's addresses stand. */
	n = v2(buf, 0x20, 0x00, NULL, 0);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), 16);
	CHECK(h.local);
	/* UDP over IPv4: nothing for a TCP server, treated as LOCAL. */
	n = v2(buf, 0x21, 0x12, body, 12);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), (int)n);
	CHECK(h.local);
	/* Version 1 in the v2 format, an unknown command, short addresses,
	 * a TLV running past the end, too long. */
	n = v2(buf, 0x11, 0x11, body, 12);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), -EBADMSG);
	n = v2(buf, 0x22, 0x11, body, 12);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), -EBADMSG);
	n = v2(buf, 0x21, 0x11, body, 11);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), -EBADMSG);
	n = v2(buf, 0x21, 0x21, body, 35);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), -EBADMSG);
	memcpy(body + 12, "\x02\x00\x09" "ab", 5);
	n = v2(buf, 0x21, 0x11, body, 17);
	CHECK_INT(proxy_hdr_parse(buf, n, &h), -EBADMSG);
	memset(body, 0, sizeof(body));
	n = v2(buf, 0x21, 0x11, body, 12);
	buf[14] = 0x04;		/* 1036 bytes announced */
	CHECK_INT(proxy_hdr_parse(buf, 16, &h), -EMSGSIZE);
}
