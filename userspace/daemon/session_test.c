// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * [test] foreign_frames: a client that sends what a gateway must never
 * pass, so that the test-suite can prove it does not (tests/host/
 * test-gate.sh, tests/vm/test-offload-gate.sh). At three moments, before
 * LCP is up, after authentication but before the client's CALL_CONNECTED
 * (so before the server can have checked the crypto binding), and once
 * IPCP is up, it sends one PPP frame of each of MPLS unicast, IPX,
 * AppleTalk and a protocol nobody runs (0x4235), each carrying an IPv4
 * UDP packet to the server's address, port 9, and before the binding an
 * IPv4 frame with that packet too. Every packet's payload names its
 * moment and protocol ("SSTP-FOREIGN before-binding 0281"): none may
 * ever be seen on the server's side of the tunnel.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "daemon/session_internal.h"

#define FOREIGN_MPLS		0x0281
#define FOREIGN_IPX		0x002b
#define FOREIGN_APPLETALK	0x0029
#define FOREIGN_UNKNOWN		0x4235

static uint16_t session_test_csum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4/UDP packet from us to the server's address, port 9, with text
 * as its payload. Returns its length. */
static size_t session_test_udp(const struct session *s, uint8_t *p, const char *text)
{
	size_t n = strlen(text), len = 20 + 8 + n;
	uint32_t src = htonl(s->local_ip), dst = htonl(s->peer_ip ? s->peer_ip :
						       0xc0a86301); /* 192.168.99.1 */
	uint16_t c;

	memset(p, 0, 28);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = 17;		/* UDP */
	memcpy(p + 12, &src, 4);
	memcpy(p + 16, &dst, 4);
	c = session_test_csum(p, 20);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
	p[20] = 0x30;		/* from port 12345 */
	p[21] = 0x39;
	p[23] = 9;		/* to discard */
	p[24] = (uint8_t)((8 + n) >> 8);
	p[25] = (uint8_t)(8 + n);
	memcpy(p + 28, text, n);
	return len;
}

static void session_test_frame(struct session *s, uint16_t proto, const char *when)
{
	uint8_t f[256];
	char text[64];
	size_t off = 4, n;

	f[0] = PPP_ADDRESS_ALL;
	f[1] = PPP_CONTROL_UI;
	f[2] = (uint8_t)(proto >> 8);
	f[3] = (uint8_t)proto;
	if (proto == FOREIGN_MPLS) {
		/* label 16, bottom of stack, TTL 64 */
		static const uint8_t lse[4] = { 0x00, 0x01, 0x01, 0x40 };

		memcpy(f + off, lse, 4);
		off += 4;
	}
	snprintf(text, sizeof(text), "SSTP-FOREIGN %s %04x", when, proto);
	n = session_test_udp(s, f + off, text);
	if (link_send_ppp(s->link, f, off + n))
		slog(LOG_WARNING, s, "test: foreign frame %04x not sent", proto);
}

void session_test_foreign(struct session *s, const char *when)
{
	static const uint16_t protos[] = {
		FOREIGN_MPLS, FOREIGN_IPX, FOREIGN_APPLETALK, FOREIGN_UNKNOWN,
	};
	size_t i;

	if (s->server || !s->env->cfg->test_foreign_frames || s->phase != SP_SSTP)
		return;
	slog(LOG_WARNING, s, "test: sending foreign frames (%s)", when);
	for (i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		session_test_frame(s, protos[i], when);
	if (strcmp(when, "after-binding"))
		session_test_frame(s, PPP_PROTO_IPV4, when);
}
