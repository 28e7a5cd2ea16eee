/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What a Windows client asks after IPCP, pure: its DHCPINFORM (RFC 2131
 * 3.4, what RRAS gets: op 1, htype 8, ciaddr = its address, options 53=8,
 * 55 = 6 44 43 1 249 15) and our DHCPACK with the DNS servers (6), the DNS
 * suffix (15) and split-tunnel routes as classless static routes (121,
 * RFC 3442, and Microsoft's copy 249). Its IPv6 counterpart, the Router
 * Advertisement, is proto/ndisc.h.
 */
#ifndef SSTP_PROTO_DHCP_H
#define SSTP_PROTO_DHCP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_SERVER_PORT	67
#define DHCP_CLIENT_PORT	68
#define DHCP_MIN_LEN		240	/* BOOTP header and the magic cookie */
#define DHCP_MAX_LEN		576
#define DHCP_MAX_ROUTES		16

#define DHCP_OPT_SUBNET_MASK	1
#define DHCP_OPT_DNS		6
#define DHCP_OPT_DOMAIN		15
#define DHCP_OPT_MSG_TYPE	53
#define DHCP_OPT_SERVER_ID	54
#define DHCP_OPT_PARAMS		55
#define DHCP_OPT_CLASSLESS	121
#define DHCP_OPT_MS_CLASSLESS	249
#define DHCP_OPT_END		255

#define DHCP_INFORM		8
#define DHCP_ACK		5

struct dhcp_route {
	uint32_t dst;			/* host order, masked */
	uint8_t plen;
};

/* What our answer carries. */
struct dhcp_info {
	uint32_t server;		/* our tunnel address (server id, gateway) */
	uint32_t dns[2];		/* 0: none */
	char domain[128];		/* "" = none */
	struct dhcp_route routes[DHCP_MAX_ROUTES];
	unsigned int n_routes;
};

/*
 * A DHCP message (the UDP payload): is it a DHCPINFORM? 0 with *ciaddr
 * (host order), or -EINVAL (not BOOTP, not a DHCP request, not INFORM,
 * malformed options).
 */
int dhcp_inform_parse(const uint8_t *msg, size_t len, uint32_t *ciaddr);

/*
 * The DHCPACK for an INFORM (RFC 2131 4.3.5: no lease, no yiaddr): xid,
 * flags, ciaddr and chaddr as the request had them. Options in the order
 * the client's Parameter Request List asks for them, each one we have.
 * Returns the length written into out (DHCP_MAX_LEN), or -EINVAL.
 */
int dhcp_ack_build(const uint8_t *req, size_t req_len, const struct dhcp_info *info,
		   uint8_t *out, size_t size);

/* RFC 3442 encoding of the routes through info->server (option 121 / 249
 * value); the length, or -ENOSPC. */
int dhcp_classless_routes(const struct dhcp_info *info, uint8_t *out, size_t size);

#endif /* SSTP_PROTO_DHCP_H */
