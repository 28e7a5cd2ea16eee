// SPDX-License-Identifier: GPL-2.0-or-later
/* DHCPINFORM in, DHCPACK out (proto/dhcp.h). */
#include <errno.h>
#include <string.h>

#include "proto/dhcp.h"

#define DHCP_OP_REQUEST		1
#define DHCP_OP_REPLY		2
#define DHCP_OFF_XID		4
#define DHCP_OFF_CIADDR		12
#define DHCP_OFF_OPTIONS	240
static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };

static uint32_t dhcp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void dhcp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The value of option code in the request, or NULL (*len: its length). */
static const uint8_t *dhcp_option(const uint8_t *msg, size_t len, uint8_t code,
				  size_t *olen)
{
	size_t off = DHCP_OFF_OPTIONS;

	while (off < len) {
		uint8_t c = msg[off];

		if (c == DHCP_OPT_END)
			return NULL;
		if (c == 0) {			/* Pad */
			off++;
			continue;
		}
		if (len - off < 2 || msg[off + 1] > len - off - 2)
			return NULL;
		if (c == code) {
			*olen = msg[off + 1];
			return msg + off + 2;
		}
		off += 2 + (size_t)msg[off + 1];
	}
	return NULL;
}

int dhcp_inform_parse(const uint8_t *msg, size_t len, uint32_t *ciaddr)
{
	const uint8_t *t;
	size_t n;

	if (len < DHCP_MIN_LEN || msg[0] != DHCP_OP_REQUEST ||
	    memcmp(msg + 236, dhcp_cookie, 4))
		return -EINVAL;
	t = dhcp_option(msg, len, DHCP_OPT_MSG_TYPE, &n);
	if (!t || n != 1 || t[0] != DHCP_INFORM)
		return -EINVAL;
	*ciaddr = dhcp_get32(msg + DHCP_OFF_CIADDR);
	return 0;
}

int dhcp_classless_routes(const struct dhcp_info *info, uint8_t *out, size_t size)
{
	size_t n = 0;

	for (unsigned int i = 0; i < info->n_routes; i++) {
		const struct dhcp_route *r = &info->routes[i];
		size_t sig = (r->plen + 7u) / 8u;

		if (r->plen > 32 || n + 1 + sig + 4 > size)
			return -ENOSPC;
		out[n++] = r->plen;
		for (size_t b = 0; b < sig; b++)
			out[n++] = (uint8_t)(r->dst >> (24 - 8 * b));
		dhcp_put32(out + n, info->server);
		n += 4;
	}
	return (int)n;
}

/* One option into out at *n, if it fits. */
static int dhcp_put_opt(uint8_t *out, size_t size, size_t *n, uint8_t code,
			const void *val, size_t len)
{
	if (len > 255 || *n + 2 + len + 1 > size)
		return -ENOSPC;
	out[(*n)++] = code;
	out[(*n)++] = (uint8_t)len;
	memcpy(out + *n, val, len);
	*n += len;
	return 0;
}

int dhcp_ack_build(const uint8_t *req, size_t req_len, const struct dhcp_info *info,
		   uint8_t *out, size_t size)
{
	static const uint8_t dflt[] = { DHCP_OPT_DNS, DHCP_OPT_DOMAIN,
					DHCP_OPT_CLASSLESS, DHCP_OPT_MS_CLASSLESS };
	uint8_t v[255], ack = DHCP_ACK;
	const uint8_t *want;
	size_t n, wn, len;
	uint32_t ciaddr;
	int r;

	if (dhcp_inform_parse(req, req_len, &ciaddr) || size < DHCP_MIN_LEN + 16)
		return -EINVAL;
	memset(out, 0, DHCP_MIN_LEN);
	out[0] = DHCP_OP_REPLY;
	out[1] = req[1];			/* htype */
	out[2] = req[2];			/* hlen */
	memcpy(out + DHCP_OFF_XID, req + DHCP_OFF_XID, 4);
	memcpy(out + 10, req + 10, 2);		/* flags */
	memcpy(out + DHCP_OFF_CIADDR, req + DHCP_OFF_CIADDR, 4);
	memcpy(out + 28, req + 28, 16);		/* chaddr */
	memcpy(out + 236, dhcp_cookie, 4);
	n = DHCP_OFF_OPTIONS;
	dhcp_put_opt(out, size, &n, DHCP_OPT_MSG_TYPE, &ack, 1);
	dhcp_put32(v, info->server);
	dhcp_put_opt(out, size, &n, DHCP_OPT_SERVER_ID, v, 4);
	want = dhcp_option(req, req_len, DHCP_OPT_PARAMS, &wn);
	if (!want) {
		want = dflt;
		wn = sizeof(dflt);
	}
	for (size_t i = 0; i < wn; i++) {
		switch (want[i]) {
		case DHCP_OPT_DNS:
			len = 0;
			for (int k = 0; k < 2; k++)
				if (info->dns[k]) {
					dhcp_put32(v + len, info->dns[k]);
					len += 4;
				}
			if (len)
				dhcp_put_opt(out, size, &n, DHCP_OPT_DNS, v, len);
			break;
		case DHCP_OPT_DOMAIN:
			len = strnlen(info->domain, sizeof(info->domain));
			if (len)
				dhcp_put_opt(out, size, &n, DHCP_OPT_DOMAIN, info->domain, len);
			break;
		case DHCP_OPT_CLASSLESS:
		case DHCP_OPT_MS_CLASSLESS:
			r = dhcp_classless_routes(info, v, sizeof(v));
			if (r > 0)
				dhcp_put_opt(out, size, &n, want[i], v, (size_t)r);
			break;
		default:
			break;
		}
	}
	out[n++] = DHCP_OPT_END;
	return (int)n;
}
