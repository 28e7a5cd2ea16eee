// SPDX-License-Identifier: GPL-2.0-or-later
#include <errno.h>

#include "daemon/pool.h"
#include "test.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((b) << 16) | ((c) << 8) | (d))

TEST(range_alloc_exhaust_free)
{
	struct pool p;
	uint32_t a, seen[4];
	int i;

	CHECK_INT(pool_init(&p, "10.0.0.10-10.0.0.13", 0), 0);
	CHECK_INT(pool_size(&p), 4);
	for (i = 0; i < 4; i++) {
		CHECK_INT(pool_alloc(&p, &a), 0);
		seen[i] = a;
	}
	CHECK_INT(seen[0], IP(10, 0, 0, 10));
	CHECK_INT(seen[3], IP(10, 0, 0, 13));
	CHECK_INT(pool_alloc(&p, &a), -ENOSPC);
	pool_free(&p, IP(10, 0, 0, 11));
	pool_free(&p, IP(10, 0, 0, 11));	/* double free is harmless */
	CHECK_INT(p.used, 3);
	CHECK_INT(pool_alloc(&p, &a), 0);
	CHECK_INT(a, IP(10, 0, 0, 11));
	pool_uninit(&p);
}

TEST(cidr_skips_network_broadcast_and_exclude)
{
	struct pool p;
	uint32_t a;
	int i;

	CHECK_INT(pool_init(&p, "192.168.5.3/29", IP(192, 168, 5, 1)), 0);
	/* .0 and .7 are out: .1 .. .6, and .1 is excluded. */
	CHECK_INT(pool_size(&p), 6);
	for (i = 0; i < 5; i++) {
		CHECK_INT(pool_alloc(&p, &a), 0);
		CHECK(a != IP(192, 168, 5, 1));
		CHECK(a >= IP(192, 168, 5, 2) && a <= IP(192, 168, 5, 6));
	}
	CHECK_INT(pool_alloc(&p, &a), -ENOSPC);
	pool_uninit(&p);
}

TEST(round_robin_lets_freed_address_rest)
{
	struct pool p;
	uint32_t a, b;

	CHECK_INT(pool_init(&p, "10.1.0.1-10.1.0.3", 0), 0);
	CHECK_INT(pool_alloc(&p, &a), 0);
	pool_free(&p, a);
	CHECK_INT(pool_alloc(&p, &b), 0);
	CHECK(a != b);
	pool_uninit(&p);
}

TEST(reserve)
{
	struct pool p;

	CHECK_INT(pool_init(&p, "10.1.0.1-10.1.0.3", 0), 0);
	CHECK_INT(pool_reserve(&p, IP(10, 1, 0, 2)), 0);
	CHECK_INT(pool_reserve(&p, IP(10, 1, 0, 2)), -EADDRINUSE);
	CHECK_INT(pool_reserve(&p, IP(10, 1, 0, 9)), -ERANGE);
	pool_uninit(&p);
}

TEST(bad_specs)
{
	struct pool p;

	CHECK_INT(pool_init(&p, "10.0.0.5-10.0.0.1", 0), -EINVAL);
	CHECK_INT(pool_init(&p, "10.0.0.0/8", 0), -EINVAL);
	CHECK_INT(pool_init(&p, "10.0.0.0/33", 0), -EINVAL);
	CHECK_INT(pool_init(&p, "10.0.0.0/", 0), -EINVAL);
	CHECK_INT(pool_init(&p, "banana", 0), -EINVAL);
	CHECK_INT(pool_init(&p, "10.0.0.0-10.2.0.0", 0), -E2BIG);
	CHECK_INT(pool_init(&p, "10.0.0.7", 0), 0);
	CHECK_INT(pool_size(&p), 1);
	pool_uninit(&p);
}
