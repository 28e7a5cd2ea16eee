/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A minimal unit-test harness. A test file defines cases with TEST(name) and
 * checks with CHECK*(); main() comes from here. Every case prints one line,
 * "PASS <file>:<name>" or "FAIL <file>:<name>: <where>: <what>", and the
 * binary exits non-zero if any case failed. tests/run-unit.sh adds them up.
 */
#ifndef SSTP_TEST_H
#define SSTP_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

static struct test_case *test_head, **test_tail = &test_head;
static int test_failed_now;

#define TEST(n)                                                           \
	static void test_##n(void);                                       \
	static struct test_case test_case_##n = { #n, test_##n, NULL };  \
	__attribute__((constructor)) static void test_register_##n(void) \
	{                                                                 \
		*test_tail = &test_case_##n;                              \
		test_tail = &test_case_##n.next;                          \
	}                                                                 \
	static void test_##n(void)

static inline void test_fail(const char *file, int line, const char *what)
{
	if (!test_failed_now)
		printf("FAIL %s: %s:%d: %s\n", __BASE_FILE__, file, line, what);
	test_failed_now = 1;
}

/* Checks record the first failure of a case and return from it. */
#define CHECK(c)                                                          \
	do {                                                              \
		if (!(c)) {                                               \
			test_fail(__FILE__, __LINE__, "CHECK(" #c ")");   \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_INT(a, b)                                                   \
	do {                                                              \
		long long _a = (long long)(a), _b = (long long)(b);       \
		if (_a != _b) {                                           \
			char _m[256];                                     \
			snprintf(_m, sizeof(_m), "%s == %lld, want %s == %lld", \
				 #a, _a, #b, _b);                         \
			test_fail(__FILE__, __LINE__, _m);                \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_MEM(a, b, n)                                                \
	do {                                                              \
		if (memcmp((a), (b), (n))) {                              \
			test_fail(__FILE__, __LINE__,                     \
				  "memcmp(" #a ", " #b ", " #n ") != 0");  \
			return;                                           \
		}                                                         \
	} while (0)

#define CHECK_STR(a, b)                                                   \
	do {                                                              \
		const char *_a = (a), *_b = (b);                          \
		if (!_a || !_b || strcmp(_a, _b)) {                       \
			char _m[512];                                     \
			snprintf(_m, sizeof(_m), "%s == \"%s\", want \"%s\"", \
				 #a, _a ? _a : "(null)", _b ? _b : "(null)"); \
			test_fail(__FILE__, __LINE__, _m);                \
			return;                                           \
		}                                                         \
	} while (0)

/* Decode a hex string (spaces allowed) into buf; returns the byte count. */
static inline size_t test_unhex(const char *hex, uint8_t *buf, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (*hex && n < max) {
		if (*hex == ' ') {
			hex++;
			continue;
		}
		if (sscanf(hex, "%2x", &v) != 1)
			break;
		buf[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct test_case *t;
	int failed = 0;

	for (t = test_head; t; t = t->next) {
		if (argc > 1 && strcmp(argv[1], t->name))
			continue;
		test_failed_now = 0;
		t->fn();
		if (!test_failed_now)
			printf("PASS %s:%s\n", __BASE_FILE__, t->name);
		else
			failed++;
		fflush(stdout);
	}
	return failed ? 1 : 0;
}

#endif /* SSTP_TEST_H */
