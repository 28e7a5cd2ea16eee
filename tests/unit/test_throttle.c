// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Authentication throttling (daemon/throttle.c): the delay doubles with
 * each failure of a source or a name up to its maximum, a lockout refuses
 * after N failures until it has been quiet long enough, a success forgets,
 * sources are IPv4 addresses or IPv6 /64s, and the tables stay bounded.
 */
#include <arpa/inet.h>

#include "daemon/throttle.h"
#include "test.h"
#include "test_addr.h"

static struct endpoint_source src(const char *a)
{
	struct sockaddr_storage ss;
	struct endpoint_source e;

	endpoint_source(test_sockaddr(a, &ss), &e);
	return e;
}

static const struct throttle_config cfg = {
	.delay_ms = 1000, .delay_max_ms = 8000, .lockout = 6, .lockout_ms = 300000,
};

/* A throttle with c, and n failures of alice from 192.0.2.1 at now. */
static struct throttle *with_failures(const struct throttle_config *c, int n, uint64_t now)
{
	struct endpoint_source a = src("192.0.2.1");
	struct throttle *t;

	if (throttle_new(c, &t))
		abort();
	for (int i = 0; i < n; i++)
		throttle_failed(t, &a, "alice", now);
	return t;
}

TEST(delay_doubles_up_to_the_maximum)
{
	static const uint32_t want[] = { 0, 1000, 2000, 4000, 8000, 8000 };
	struct endpoint_source a = src("192.0.2.1");
	struct throttle_state st;
	struct throttle *t;
	uint64_t now = 1000;

	CHECK_INT(throttle_new(&cfg, &t), 0);
	for (int i = 0; i < 6; i++) {
		throttle_hold(t, &a, "alice", now, &st);
		CHECK_INT(st.hold_ms, want[i]);
		CHECK_INT(st.src_failures, i);
		CHECK(!st.locked);
		throttle_failed(t, &a, "alice", now);
		now += 10;
	}
	throttle_hold(t, &a, "alice", now, &st);
	CHECK(st.locked);
	throttle_free(t);
}

/* A name is throttled wherever its guesses come from, and a source
 * whatever names it tries: the larger count sets the delay. */
TEST(source_and_name_counted_apart)
{
	struct endpoint_source a = src("192.0.2.1"), b = src("198.51.100.7");
	struct throttle_state st;
	struct throttle *t;
	char name[16];

	CHECK_INT(throttle_new(&cfg, &t), 0);
	/* Three names from one source. */
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "user%d", i);
		throttle_failed(t, &a, name, 100);
	}
	throttle_hold(t, &a, "someone-new", 200, &st);
	CHECK_INT(st.src_failures, 3);
	CHECK_INT(st.user_failures, 0);
	CHECK_INT(st.hold_ms, 4000);
	/* The same name from another source: only its own count. */
	throttle_hold(t, &b, "user1", 200, &st);
	CHECK_INT(st.src_failures, 0);
	CHECK_INT(st.user_failures, 1);
	CHECK_INT(st.hold_ms, 1000);
	throttle_free(t);
}

TEST(lockout_refuses_until_quiet_then_forgets)
{
	struct endpoint_source a = src("192.0.2.1");
	struct throttle *t = with_failures(&cfg, 6, 5000);
	struct throttle_state st;
	uint64_t now = 5000;
	unsigned int ns, nu;

	throttle_hold(t, &a, "alice", now + 299999, &st);
	CHECK(st.locked);
	CHECK_INT(st.hold_ms, 8000);
	/* Another name from the locked source is locked out too. */
	throttle_hold(t, &a, "bob", now, &st);
	CHECK(st.locked);
	/* A refused attempt during the lockout is a failure: it extends it. */
	throttle_failed(t, &a, "alice", now + 200000);
	throttle_hold(t, &a, "alice", now + 300001, &st);
	CHECK(st.locked);
	/* Quiet for a whole lockout: forgotten. */
	throttle_hold(t, &a, "alice", now + 500000, &st);
	CHECK(!st.locked);
	CHECK_INT(st.hold_ms, 0);
	throttle_count(t, &ns, &nu);
	CHECK_INT(ns + nu, 0);
	throttle_free(t);
}

TEST(no_lockout_when_off)
{
	struct throttle_config c = cfg;
	struct endpoint_source a = src("192.0.2.1");
	struct throttle_state st;
	struct throttle *t;

	c.lockout = 0;
	t = with_failures(&c, 100, 1);
	throttle_hold(t, &a, "alice", 2, &st);
	CHECK(!st.locked);
	CHECK_INT(st.hold_ms, 8000);
	throttle_free(t);
}

TEST(success_forgets)
{
	struct endpoint_source a = src("192.0.2.1");
	struct throttle_state st;
	struct throttle *t;

	CHECK_INT(throttle_new(&cfg, &t), 0);
	throttle_failed(t, &a, "alice", 1);
	throttle_failed(t, &a, "alice", 2);
	throttle_passed(t, &a, "alice");
	throttle_hold(t, &a, "alice", 3, &st);
	CHECK_INT(st.hold_ms, 0);
	CHECK_INT(st.src_failures + st.user_failures, 0);
	throttle_free(t);
}

/* An IPv6 host owns a /64: every address in it is one source. IPv4 mapped
 * into IPv6 is the IPv4 address. */
TEST(ipv6_sources_are_64s)
{
	struct endpoint_source a = src("2001:db8:1:2::1"), b = src("2001:db8:1:2:ffff::9"),
			       c = src("2001:db8:1:3::1"), m = src("::ffff:192.0.2.1"),
			       v4 = src("192.0.2.1");
	struct throttle_state st;
	struct throttle *t;

	CHECK(endpoint_source_eq(&a, &b));
	CHECK(!endpoint_source_eq(&a, &c));
	CHECK(endpoint_source_eq(&m, &v4));
	CHECK_STR(m.text, "192.0.2.1");
	CHECK_STR(b.text, "2001:db8:1:2:ffff::9");
	CHECK_INT(throttle_new(&cfg, &t), 0);
	throttle_failed(t, &a, "x", 1);
	throttle_hold(t, &b, "y", 2, &st);
	CHECK_INT(st.src_failures, 1);
	throttle_hold(t, &c, "y", 2, &st);
	CHECK_INT(st.src_failures, 0);
	throttle_free(t);
}

/* A flood of names keeps the table at its size; the newest stay. */
TEST(tables_bounded_oldest_dropped)
{
	static const struct throttle_config small = {
		.delay_ms = 1000, .delay_max_ms = 8000, .max_records = 64,
		.lockout_ms = 300000,
	};
	struct endpoint_source a = src("192.0.2.1");
	struct throttle_state st;
	struct throttle *t;
	unsigned int ns, nu;
	char name[16];

	CHECK_INT(throttle_new(&small, &t), 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "n%d", i);
		throttle_failed(t, &a, name, (uint64_t)i + 1);
	}
	throttle_count(t, &ns, &nu);
	CHECK_INT(ns, 1);
	CHECK_INT(nu, 64);
	throttle_hold(t, &a, "n999", 2000, &st);
	CHECK_INT(st.user_failures, 1);
	throttle_hold(t, &a, "n0", 2000, &st);
	CHECK_INT(st.user_failures, 0);
	CHECK_INT(st.src_failures, 1000);
	throttle_free(t);
}
