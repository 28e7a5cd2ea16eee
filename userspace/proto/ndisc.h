/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv6 Neighbor Discovery as a tunnel server needs it, pure: the Router
 * Advertisement (RFC 4861 4.2) that gives a client its /64 for SLAAC
 * (RFC 4862) over IPV6CP, and the Router Solicitation that asks for one.
 */
#ifndef SSTP_PROTO_NDISC_H
#define SSTP_PROTO_NDISC_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NDISC_RS			133
#define NDISC_RA			134

struct ndisc_ra {
	struct in6_addr prefix;		/* the session's /64 (or what RADIUS said) */
	uint8_t prefix_len;		/* 64 for SLAAC */
	uint16_t router_lifetime;	/* s; 0: not a default router */
	uint32_t valid, preferred;	/* prefix lifetimes, s */
	uint32_t mtu;			/* 0: no MTU option */
};

/* The ICMPv6 Router Advertisement (no IPv6 header, checksum 0: the
 * kernel fills it for a raw ICMPv6 socket). The length, or -ENOSPC. */
int ndisc_ra_build(const struct ndisc_ra *info, uint8_t *out, size_t size);
/* Is this ICMPv6 message a well-formed Router Solicitation? */
bool ndisc_is_rs(const uint8_t *msg, size_t len);

#endif /* SSTP_PROTO_NDISC_H */
