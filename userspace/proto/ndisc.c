// SPDX-License-Identifier: GPL-2.0-or-later
/* Router Advertisements and Solicitations (proto/ndisc.h). */
#include <errno.h>
#include <string.h>

#include "proto/ndisc.h"

static void ndisc_put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void ndisc_put32(uint8_t *p, uint32_t v)
{
	ndisc_put16(p, v >> 16);
	ndisc_put16(p + 2, v & 0xffff);
}

int ndisc_ra_build(const struct ndisc_ra *info, uint8_t *out, size_t size)
{
	size_t n = 16 + 32 + (info->mtu ? 8 : 0);
	uint8_t *o;

	if (size < n || info->prefix_len > 128)
		return -ENOSPC;
	memset(out, 0, n);
	out[0] = NDISC_RA;			/* type; code 0, checksum 0 */
	out[4] = 64;				/* Cur Hop Limit */
	out[5] = 0;				/* M = O = 0: SLAAC, no DHCPv6 */
	ndisc_put16(out + 6, info->router_lifetime);
	/* Reachable Time, Retrans Timer: 0 = unspecified */
	o = out + 16;
	o[0] = 3;				/* Prefix Information */
	o[1] = 4;				/* 32 bytes */
	o[2] = info->prefix_len;
	o[3] = 0xc0;				/* on-link, autonomous */
	ndisc_put32(o + 4, info->valid);
	ndisc_put32(o + 8, info->preferred);
	memcpy(o + 16, &info->prefix, 16);
	if (info->mtu) {
		o = out + 48;
		o[0] = 5;			/* MTU */
		o[1] = 1;
		ndisc_put32(o + 4, info->mtu);
	}
	return (int)n;
}

bool ndisc_is_rs(const uint8_t *msg, size_t len)
{
	size_t off;

	/* type, code 0, checksum, reserved; then options of 8-byte units */
	if (len < 8 || msg[0] != NDISC_RS || msg[1] != 0)
		return false;
	for (off = 8; off < len; off += (size_t)msg[off + 1] * 8)
		if (len - off < 2 || !msg[off + 1] || (size_t)msg[off + 1] * 8 > len - off)
			return false;
	return true;
}
