// SPDX-License-Identifier: GPL-2.0-or-later
/* daemon/prefix.c: address lists for proxy_protocol. */
#include <arpa/inet.h>
#include <errno.h>

#include "daemon/prefix.h"
#include "test.h"
#include "test_addr.h"

static bool match(const struct prefix_list *l, const char *a)
{
	struct sockaddr_storage ss;

	return prefix_list_match(l, test_sockaddr(a, &ss));
}

TEST(hosts_and_prefixes)
{
	struct prefix_list l;
	char err[128];

	CHECK_INT(prefix_list_parse("127.0.0.1, 10.1.0.0/16 2001:db8::/32", &l, err,
				    sizeof(err)), 0);
	CHECK_INT(l.n, 3);
	CHECK(match(&l, "127.0.0.1"));
	CHECK(!match(&l, "127.0.0.2"));
	CHECK(match(&l, "10.1.255.3"));
	CHECK(!match(&l, "10.2.0.1"));
	CHECK(match(&l, "2001:db8:1::5"));
	CHECK(!match(&l, "2001:db9::5"));
	/* An IPv4 peer on a dual-stack socket. */
	CHECK(match(&l, "::ffff:10.1.2.3"));
	CHECK(!match(&l, "::ffff:10.2.2.3"));
}

TEST(empty_matches_nothing_and_errors)
{
	struct prefix_list l;
	char err[128];

	CHECK_INT(prefix_list_parse("", &l, err, sizeof(err)), 0);
	CHECK(!match(&l, "127.0.0.1"));
	CHECK_INT(prefix_list_parse("0.0.0.0/0", &l, err, sizeof(err)), 0);
	CHECK(match(&l, "203.0.113.9"));
	CHECK(!match(&l, "2001:db8::1"));
	CHECK_INT(prefix_list_parse("10.0.0.0/33", &l, err, sizeof(err)), -EINVAL);
	CHECK_STR(err, "'10.0.0.0/33' is not an address or address/length");
	CHECK_INT(prefix_list_parse("haproxy.local", &l, err, sizeof(err)), -EINVAL);
	CHECK_INT(prefix_list_parse("10.0.0.1/", &l, err, sizeof(err)), -EINVAL);
}
