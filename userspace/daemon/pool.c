// SPDX-License-Identifier: GPL-2.0-or-later
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/pool.h"

static int pool_parse_addr(const char *s, size_t n, uint32_t *out)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

static int pool_parse(const char *spec, uint32_t *first, uint32_t *last)
{
	const char *sep;
	uint32_t a, b;
	char *end;
	long plen;

	if ((sep = strchr(spec, '-'))) {
		if (pool_parse_addr(spec, sep - spec, &a) ||
		    pool_parse_addr(sep + 1, strlen(sep + 1), &b) || b < a)
			return -EINVAL;
	} else if ((sep = strchr(spec, '/'))) {
		if (pool_parse_addr(spec, sep - spec, &a))
			return -EINVAL;
		errno = 0;
		plen = strtol(sep + 1, &end, 10);
		if (errno || *end || end == sep + 1 || plen < 16 || plen > 30)
			return -EINVAL;
		a &= ~0u << (32 - plen);
		b = a | ~(~0u << (32 - plen));
		a++;
		b--;
	} else {
		if (pool_parse_addr(spec, strlen(spec), &a))
			return -EINVAL;
		b = a;
	}
	if ((uint64_t)b - a + 1 > POOL_MAX_SIZE)
		return -E2BIG;
	*first = a;
	*last = b;
	return 0;
}

int pool_init(struct pool *p, const char *spec, uint32_t exclude)
{
	uint32_t n;
	int err;

	memset(p, 0, sizeof(*p));
	err = pool_parse(spec, &p->first, &p->last);
	if (err)
		return err;
	n = pool_size(p);
	p->bits = calloc((n + 63) / 64, sizeof(*p->bits));
	if (!p->bits)
		return -ENOMEM;
	p->next = p->first;
	if (exclude >= p->first && exclude <= p->last)
		pool_reserve(p, exclude);
	return 0;
}

void pool_uninit(struct pool *p)
{
	free(p->bits);
	p->bits = NULL;
}

static int pool_test(const struct pool *p, uint32_t i)
{
	return (p->bits[i / 64] >> (i % 64)) & 1;
}

int pool_reserve(struct pool *p, uint32_t addr)
{
	uint32_t i;

	if (addr < p->first || addr > p->last)
		return -ERANGE;
	i = addr - p->first;
	if (pool_test(p, i))
		return -EADDRINUSE;
	p->bits[i / 64] |= 1ull << (i % 64);
	p->used++;
	return 0;
}

int pool_alloc(struct pool *p, uint32_t *addr)
{
	uint32_t n = pool_size(p), i, k;

	if (p->used >= n)
		return -ENOSPC;
	i = p->next - p->first;
	for (k = 0; k < n; k++, i = (i + 1) % n) {
		if (!pool_test(p, i)) {
			pool_reserve(p, p->first + i);
			*addr = p->first + i;
			p->next = p->first + (i + 1) % n;
			return 0;
		}
	}
	return -ENOSPC;
}

void pool_free(struct pool *p, uint32_t addr)
{
	uint32_t i;

	if (addr < p->first || addr > p->last)
		return;
	i = addr - p->first;
	if (!pool_test(p, i))
		return;
	p->bits[i / 64] &= ~(1ull << (i % 64));
	p->used--;
}
