// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPINFORM as Windows sends it, our DHCPACK (RFC 2131, 3442), and the
 * Router Advertisement (RFC 4861). */
#include <arpa/inet.h>
#include <errno.h>

#include "proto/dhcp.h"
#include "proto/ndisc.h"
#include "test.h"

/* A DHCPINFORM as windows-client.md describes Windows': htype 8, hlen 0,
 * ciaddr, chaddr zero, options 53=8, 61, 12, 60 "MSFT 5.0", 55. */
static size_t windows_inform(uint8_t *m)
{
	static const uint8_t opts[] = {
		99, 130, 83, 99,
		53, 1, 8,
		61, 17, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		12, 4, 'W', 'I', 'N', '1',
		60, 8, 'M', 'S', 'F', 'T', ' ', '5', '.', '0',
		55, 6, 6, 44, 43, 1, 249, 15,
		255,
	};

	memset(m, 0, 300);
	m[0] = 1;
	m[1] = 8;
	m[4] = 0xde; m[5] = 0xad; m[6] = 0xbe; m[7] = 0xef;	/* xid */
	m[12] = 192; m[13] = 168; m[14] = 99; m[15] = 77;	/* ciaddr */
	memcpy(m + 236, opts, sizeof(opts));
	return 236 + sizeof(opts);
}

static const uint8_t *find_opt(const uint8_t *m, size_t len, uint8_t code, size_t *n)
{
	for (size_t off = 240; off + 1 < len && m[off] != 255; off += 2 + m[off + 1])
		if (m[off] == code) {
			*n = m[off + 1];
			return m + off + 2;
		}
	return NULL;
}

TEST(inform_parsed)
{
	uint8_t m[300];
	size_t len = windows_inform(m);
	uint32_t ci = 0;

	CHECK_INT(dhcp_inform_parse(m, len, &ci), 0);
	CHECK_INT(ci, 0xc0a8634d);
	m[242] = 3;				/* a DHCPREQUEST */
	CHECK_INT(dhcp_inform_parse(m, len, &ci), -EINVAL);
	m[242] = 8;
	m[236] = 98;				/* no magic cookie */
	CHECK_INT(dhcp_inform_parse(m, len, &ci), -EINVAL);
	m[236] = 99;
	CHECK_INT(dhcp_inform_parse(m, 239, &ci), -EINVAL);
	m[241] = 200;				/* option running past the end */
	CHECK_INT(dhcp_inform_parse(m, len, &ci), -EINVAL);
}

TEST(ack_for_windows)
{
	struct dhcp_info info = {
		.server = 0xc0a86301, .dns = { 0x0a000035, 0x0a000036 },
		.domain = "corp.example",
		.routes = { { 0x0a000000, 8 }, { 0xac100000, 12 }, { 0xc0a80a80, 25 } },
		.n_routes = 3,
	};
	static const uint8_t routes[] = {
		8, 10, 192, 168, 99, 1,
		12, 172, 16, 192, 168, 99, 1,
		25, 192, 168, 10, 128, 192, 168, 99, 1,
	};
	uint8_t m[300], a[DHCP_MAX_LEN];
	size_t len = windows_inform(m), n;
	const uint8_t *v;
	int r;

	r = dhcp_ack_build(m, len, &info, a, sizeof(a));
	CHECK(r > 240);
	CHECK_INT(a[0], 2);
	CHECK_INT(a[1], 8);
	CHECK_MEM(a + 4, m + 4, 4);			/* xid */
	CHECK_MEM(a + 12, m + 12, 4);			/* ciaddr */
	CHECK_MEM(a + 16, "\0\0\0\0", 4);		/* no yiaddr */
	v = find_opt(a, (size_t)r, 53, &n);
	CHECK(v && n == 1 && v[0] == 5);
	v = find_opt(a, (size_t)r, 54, &n);
	CHECK(v && n == 4 && !memcmp(v, "\xc0\xa8\x63\x01", 4));
	v = find_opt(a, (size_t)r, 6, &n);
	CHECK(v && n == 8 && !memcmp(v, "\x0a\0\0\x35\x0a\0\0\x36", 8));
	v = find_opt(a, (size_t)r, 15, &n);
	CHECK(v && n == 12 && !memcmp(v, "corp.example", 12));
	v = find_opt(a, (size_t)r, 249, &n);
	CHECK(v && n == sizeof(routes) && !memcmp(v, routes, sizeof(routes)));
	/* Windows did not ask for 121 (it asks 249): not sent. */
	CHECK(!find_opt(a, (size_t)r, 121, &n));
	CHECK_INT(a[r - 1], 255);
	/* In the order asked: 6 before 249 before 15. */
	CHECK(find_opt(a, (size_t)r, 6, &n) < find_opt(a, (size_t)r, 249, &n));
	CHECK(find_opt(a, (size_t)r, 249, &n) < find_opt(a, (size_t)r, 15, &n));
	/* Nothing configured: just the type and the server. */
	memset(&info, 0, sizeof(info));
	info.server = 1;
	r = dhcp_ack_build(m, len, &info, a, sizeof(a));
	CHECK_INT(r, 240 + 3 + 6 + 1);
}

TEST(classless_route_encoding)
{
	struct dhcp_info info = { .server = 0x0a000001,
				  .routes = { { 0, 0 }, { 0x0a0b0c00, 24 } }, .n_routes = 2 };
	uint8_t v[64];

	/* RFC 3442: 0.0.0.0/0 is "0" then the router. */
	CHECK_INT(dhcp_classless_routes(&info, v, sizeof(v)), 5 + 8);
	CHECK_MEM(v, "\x00\x0a\x00\x00\x01\x18\x0a\x0b\x0c\x0a\x00\x00\x01", 13);
	CHECK_INT(dhcp_classless_routes(&info, v, 7), -ENOSPC);
}

TEST(router_advertisement)
{
	struct ndisc_ra ra = { .prefix_len = 64, .router_lifetime = 1800,
			       .valid = 86400, .preferred = 14400, .mtu = 1400 };
	uint8_t b[128];

	inet_pton(AF_INET6, "2001:db8:0:7::", &ra.prefix);
	CHECK_INT(ndisc_ra_build(&ra, b, sizeof(b)), 56);
	CHECK_INT(b[0], 134);
	CHECK_INT(b[4], 64);
	CHECK_INT(b[6] << 8 | b[7], 1800);
	CHECK_INT(b[16], 3);
	CHECK_INT(b[17], 4);
	CHECK_INT(b[18], 64);
	CHECK_INT(b[19], 0xc0);
	CHECK_MEM(b + 20, "\x00\x01\x51\x80", 4);
	CHECK_MEM(b + 32, &ra.prefix, 16);
	CHECK_INT(b[48], 5);
	CHECK_MEM(b + 52, "\x00\x00\x05\x78", 4);
	CHECK_INT(ndisc_ra_build(&ra, b, 40), -ENOSPC);
	CHECK(ndisc_is_rs((const uint8_t *)"\x85\x00\x00\x00\x00\x00\x00\x00", 8));
	CHECK(!ndisc_is_rs((const uint8_t *)"\x86\x00\x00\x00\x00\x00\x00\x00", 8));
	/* An option of length 0 would loop: malformed. */
	CHECK(!ndisc_is_rs((const uint8_t *)"\x85\x00\x00\x00\x00\x00\x00\x00\x01\x00", 10));
}
