/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 address pool for the server's clients: a contiguous range, one bit
 * per address. Addresses are in host byte order everywhere in this API.
 */
#ifndef SSTP_POOL_H
#define SSTP_POOL_H

#include <stdint.h>

#define POOL_MAX_SIZE 65536

struct pool {
	uint32_t first, last;		/* inclusive */
	uint32_t next;			/* round robin, so a freed address rests */
	uint32_t used;
	uint64_t *bits;
};

/*
 * spec: "10.0.0.10-10.0.0.200" or a CIDR "10.0.0.0/24" (for a CIDR the
 * network and broadcast addresses are left out). `exclude` (e.g. the
 * server's own tunnel address, 0 for none) is never handed out.
 */
int pool_init(struct pool *p, const char *spec, uint32_t exclude);
void pool_uninit(struct pool *p);
/* 0 and *addr set, or -ENOSPC. */
int pool_alloc(struct pool *p, uint32_t *addr);
/* Take a specific address (e.g. a static one from the secrets file). */
int pool_reserve(struct pool *p, uint32_t addr);
void pool_free(struct pool *p, uint32_t addr);
static inline uint32_t pool_size(const struct pool *p)
{
	return p->last - p->first + 1;
}

#endif /* SSTP_POOL_H */
