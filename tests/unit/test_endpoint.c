// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>

#include <netinet/in.h>

#include "daemon/endpoint.h"
#include "test.h"

TEST(split_forms)
{
	char h[64];
	unsigned int p;

	CHECK_INT(endpoint_split("vpn.example.com", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "vpn.example.com");
	CHECK_INT(p, 443);
	CHECK_INT(endpoint_split("vpn.example.com:8443", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "vpn.example.com");
	CHECK_INT(p, 8443);
	CHECK_INT(endpoint_split("10.0.0.1:1", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "10.0.0.1");
	CHECK_INT(p, 1);
	CHECK_INT(endpoint_split("[2001:db8::1]:65535", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "2001:db8::1");
	CHECK_INT(p, 65535);
	CHECK_INT(endpoint_split("[2001:db8::1]", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "2001:db8::1");
	CHECK_INT(p, 443);
	CHECK_INT(endpoint_split("2001:db8::1", h, sizeof(h), &p, 443), 0);
	CHECK_STR(h, "2001:db8::1");
	CHECK_INT(p, 443);
}

TEST(split_rejects)
{
	static const char *const bad[] = {
		"", ":443", "h:", "h:0", "h:65536", "h:-1", "h:+1", "h:44x",
		"[2001:db8::1", "[2001:db8::1]x", "[]:443", "[::1]:",
		"h:99999999999999999999",
	};
	unsigned int p;
	char h[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(endpoint_split(bad[i], h, sizeof(h), &p, 443), -EINVAL);
	CHECK_INT(endpoint_split("toolong.example.com", h, 8, &p, 443), -EINVAL);
}

TEST(sockaddr_numeric_with_port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&ss;
	socklen_t len;

	CHECK_INT(endpoint_sockaddr("0.0.0.0:443", &ss, &len), 0);
	CHECK_INT(a4->sin_family, AF_INET);
	CHECK_INT(ntohs(a4->sin_port), 443);
	CHECK_INT(len, sizeof(*a4));
	CHECK_INT(endpoint_sockaddr("[::]:8443", &ss, &len), 0);
	CHECK_INT(a6->sin6_family, AF_INET6);
	CHECK_INT(ntohs(a6->sin6_port), 8443);
	CHECK_INT(endpoint_sockaddr("0.0.0.0", &ss, &len), -EINVAL);
	CHECK_INT(endpoint_sockaddr("vpn.example.com:443", &ss, &len), -EINVAL);
	CHECK_INT(endpoint_sockaddr("::", &ss, &len), -EINVAL);
}
