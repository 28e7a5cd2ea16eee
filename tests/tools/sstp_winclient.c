// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sstp_winclient: an SSTP client that behaves as Windows' built-in one
 * (RasSstp and the RAS PPP engine) is seen to behave on the wire, so that
 * the tests can put a Windows-shaped peer in front of sstpd where no
 * Windows runs. Written from the facts collected in docs/windows.md (a
 * decrypted capture of a Windows client against RRAS, Windows 10 logs
 * against other servers, bug reports), not from any implementation: its
 * PPP is a script, not an engine. What it does, in order:
 *
 *   TLS as one Windows version's SChannel offers it (--tls), the HTTP
 *   request with Windows' header order, CALL_CONNECT_REQUEST byte for byte;
 *   PPP starts --lcp-delay ms after CALL_CONNECT_ACK and every PPP frame
 *   that arrives before its own first LCP request is dropped (Windows'
 *   RAS is not running yet); LCP id 0 with MRU 4091, Magic, PFC, ACFC,
 *   Callback (CBCP); one identifier counter for LCP and the NCPs; three
 *   Identification packets once LCP opens; MS-CHAPv2 or PAP; CALL_CONNECTED
 *   with SHA-256 right after the authentication Success; a CBCP "no
 *   callback" answer; IPV6CP, then IPCP with address, DNS and WINS
 *   (0x81-0x84); an LCP Protocol-Reject for CCP and anything else it does
 *   not run; after LCP opens every frame without FF 03 and IPv4 with the
 *   1-byte protocol (when the server agreed to ACFC and PFC), but the final
 *   Terminate-Request; a ping, DHCPINFORM with Windows' options at +0.3 s
 *   and once more at +3 s, NetBIOS broadcasts; then Windows' teardown
 *   (Terminate-Request, 100 ms, CALL_DISCONNECT, the server closes).
 *
 * Not Windows: -A waits for the server's LCP request before sending its own
 * (a peer that never speaks first), -O stops after TLS. "-h" lists the
 * options.
 *
 * It prints each step with its time since the TCP connect began, and a
 * last "summary" line of key=value words for the tests. Exit status: 0,
 * 1 when a check failed (the reason is printed), 2 for bad arguments, 3
 * when the TLS handshake failed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "kmod/proto.h"
#include "ppp/mschap.h"
#include "proto/crypto_binding.h"
#include "proto/http.h"
#include "proto/sstp_msg.h"

#define PROTO_CBCP		0xc029
#define CHAP_MSCHAPV2_ALG	0x81

/* The fixed parts of Windows' behaviour. */
#define WIN_MRU			4091
#define WIN_RESTART_MS		3000
#define WIN_MAX_CONFIGURE	10
#define WIN_DHCP_FIRST_MS	300
#define WIN_DHCP_RETRY_MS	3000
#define WIN_DISCONNECT_GAP_MS	100
#define WIN_TTL			128

enum { CP_CONF_REQ = 1, CP_CONF_ACK, CP_CONF_NAK, CP_CONF_REJ, CP_TERM_REQ,
       CP_TERM_ACK, CP_CODE_REJ, LCP_PROTO_REJ, LCP_ECHO_REQ, LCP_ECHO_REP,
       LCP_DISCARD, LCP_IDENT };

/* ------------------------------------------------------------ options */

struct tls_profile {
	const char *name;
	int min, max;
	const char *ciphers;		/* TLS 1.2 and older, in Windows' order */
	const char *suites;		/* TLS 1.3, "" for none */
	const char *groups;
};

/*
 * What each Windows version's SChannel offers by default (Microsoft's
 * "TLS Cipher Suites in Windows ..." pages; suites OpenSSL does not know,
 * such as DHE-DSS and RC4, are left out). Windows 7 and 8.1 (updated)
 * offer the same list; a stock Windows 7 client has TLS 1.0 only.
 */
#define WIN81_CIPHERS \
	"ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA:" \
	"ECDHE-RSA-AES128-SHA:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:" \
	"DHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA:AES256-GCM-SHA384:AES128-GCM-SHA256:" \
	"AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA:" \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:" \
	"ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0"
#define WIN10_CIPHERS \
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:" \
	"ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:" \
	"DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:" \
	"ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:" \
	"ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:" \
	"ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:" \
	"AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA256:" \
	"AES256-SHA:AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0"

static const struct tls_profile tls_profiles[] = {
	{ "win7", TLS1_VERSION, TLS1_VERSION,
	  "ECDHE-RSA-AES256-SHA:ECDHE-RSA-AES128-SHA:DHE-RSA-AES256-SHA:"
	  "DHE-RSA-AES128-SHA:AES256-SHA:AES128-SHA:ECDHE-ECDSA-AES256-SHA:"
	  "ECDHE-ECDSA-AES128-SHA:DES-CBC3-SHA:@SECLEVEL=0", "", "P-256:P-384" },
	{ "win7-tls12", TLS1_VERSION, TLS1_2_VERSION, WIN81_CIPHERS, "", "P-256:P-384" },
	{ "win81", TLS1_VERSION, TLS1_2_VERSION, WIN81_CIPHERS, "", "P-256:P-384" },
	{ "win10", TLS1_VERSION, TLS1_2_VERSION, WIN10_CIPHERS, "",
	  "X25519:P-256:P-384" },
	{ "win11", TLS1_2_VERSION, TLS1_3_VERSION, WIN10_CIPHERS,
	  "TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256", "X25519:P-256:P-384" },
};

static struct {
	const char *addr;
	unsigned int port;
	const char *host;		/* Host: and SNI, and the name checked */
	const char *ca;
	const char *user, *password;
	bool pap;
	const struct tls_profile *tls;
	const char *computer;		/* COMPUTERNAME */
	unsigned int lcp_delay_ms;
	unsigned int timeout_ms;
	unsigned int hold_ms;
	bool dhcp_required;
	bool ipv6_required;
	bool strict;
	bool passive;			/* not Windows: wait for the server's LCP */
	long max_connect_ms;		/* -1: no limit */
	const char *expect_dns;
	bool verbose;
} opt = {
	.port = 443, .computer = "WINPC", .lcp_delay_ms = 20,
	.timeout_ms = 40000, .hold_ms = 1000, .max_connect_ms = -1,
};

/* ------------------------------------------------------------ clock, report */

static uint64_t t0;

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static double elapsed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000 + (double)ts.tv_nsec / 1e6 - (double)t0;
}

/* One line of the report: the time, a marker, the text. */
static void say(const char *mark, const char *fmt, va_list ap)
{
	printf("%9.1f ms  %s", elapsed(), mark);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

static void step(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void step(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("", fmt, ap);
	va_end(ap);
}

static void verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void verbose(const char *fmt, ...)
{
	va_list ap;

	if (!opt.verbose)
		return;
	va_start(ap, fmt);
	say("  ", fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ what happened */

static struct {
	uint64_t http_at, ipcp_up_at, lcp_open_at, auth_at;
	unsigned int dropped_early;	/* PPP frames before our first LCP request */
	unsigned int code_rejects, protocol_rejects, bad_protocol_rejects;
	char rejected[128];		/* what the server rejected, for the summary */
	uint16_t mru_acked;
	bool acfc, pfc;			/* the server agreed: we may compress */
	const char *auth;
	int hash;
	const char *ipv6cp;		/* "up", "rejected", "off" */
	struct in_addr addr, peer, dns[2];
	uint8_t iid[8], peer_iid[8];
	unsigned int idents;
	bool cbcp, callback_acked;
	unsigned int ccp_rejected;
	bool ping, ping6;
	unsigned int dhcp_sent;
	bool dhcp_answered;
	unsigned int netbios;
	unsigned int v6_foreign;
	char v6_foreign_src[INET6_ADDRSTRLEN];
	bool teardown;
	uint64_t close_at;
} rep = { .ipv6cp = "off", .hash = -1, .auth = "none" };

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* ------------------------------------------------------------ TLS and I/O */

static SSL *ssl;
static int sock = -1;
static uint8_t obuf[16384];
static size_t olen;
static struct sstp_deframer df;
static char correlation[39];
static uint8_t guid_le[16];

static void ssl_err(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[200] = "";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	printf("%9.1f ms  %s failed: %s\n", elapsed(), what, buf[0] ? buf : "connection closed");
}

/* Wait for the socket; false on the overall timeout. */
static bool wait_sock(short events, int ms)
{
	struct pollfd p = { .fd = sock, .events = events };

	return poll(&p, 1, ms) > 0;
}

static void flush_out(void)
{
	size_t off = 0, n;
	int r;

	while (off < olen) {
		r = SSL_write_ex(ssl, obuf + off, olen - off, &n);
		if (r == 1) {
			off += n;
			continue;
		}
		r = SSL_get_error(ssl, r);
		if (r == SSL_ERROR_WANT_WRITE || r == SSL_ERROR_WANT_READ) {
			wait_sock(r == SSL_ERROR_WANT_WRITE ? POLLOUT : POLLIN, 1000);
			continue;
		}
		ssl_err("TLS write");
		fail("cannot write to the server");
	}
	olen = 0;
}

/* Queue a whole SSTP packet: what one event produces goes out in one
 * record, so records carry one to a few packets, as Windows' do. */
static void queue_pkt(const uint8_t *pkt, size_t len)
{
	if (olen + len > sizeof(obuf))
		flush_out();
	memcpy(obuf + olen, pkt, len);
	olen += len;
}

static void send_ctrl(const struct sstp_ctrl *m)
{
	uint8_t pkt[SSTP_PKT_MAX];
	int n = sstp_ctrl_encode(m, pkt, sizeof(pkt));

	if (n < 0)
		fail("cannot encode %s", sstp_msg_type_name(m->type));
	verbose("send %s", sstp_msg_type_name(m->type));
	queue_pkt(pkt, (size_t)n);
}

/* ------------------------------------------------------------ PPP framing */

static struct cp {
	uint16_t proto;
	const char *name;
	bool started, ack_rcvd, ack_sent, open, dead;
	uint8_t req_id;
	uint8_t req[64];
	size_t req_len;
	unsigned int tries;
	uint64_t retx_at;
} lcp = { .proto = PPP_PROTO_LCP, .name = "LCP" },
  ipcp = { .proto = PPP_PROTO_IPCP, .name = "IPCP" },
  ipv6cp = { .proto = PPP_PROTO_IPV6CP, .name = "IPV6CP" };

static uint8_t next_id;			/* one counter for LCP and the NCPs */
static uint32_t magic;
static bool ppp_started;		/* our first LCP request went out */

/*
 * One PPP frame. Before LCP opens, and for the final Terminate-Request,
 * with FF 03 and a 2-byte protocol; after it, as Windows does once the
 * server agreed: no FF 03 (ACFC), and a 1-byte protocol where the high
 * byte is zero (PFC).
 */
static void send_frame(uint16_t proto, const uint8_t *info, size_t len, bool full)
{
	uint8_t f[SSTP_DATA_MAX], pkt[SSTP_PKT_MAX];
	size_t n = 0;
	bool comp = lcp.open && !full;
	int r;

	if (!(comp && rep.acfc)) {
		f[n++] = PPP_ADDRESS_ALL;
		f[n++] = PPP_CONTROL_UI;
	}
	if (comp && rep.pfc && proto < 0x100) {
		f[n++] = (uint8_t)proto;
	} else {
		sstp_proto_put_be16(f + n, proto);
		n += 2;
	}
	if (len > sizeof(f) - n)
		fail("frame too long");
	memcpy(f + n, info, len);
	r = sstp_data_encap(pkt, sizeof(pkt), f, n + len);
	if (r < 0)
		fail("cannot frame a PPP frame");
	queue_pkt(pkt, (size_t)r);
}

/* A control packet of LCP, an NCP, CBCP or CHAP/PAP. */
static void send_cp(uint16_t proto, uint8_t code, uint8_t id, const uint8_t *data,
		    size_t len, bool full)
{
	uint8_t b[SSTP_DATA_MAX];

	if (len > sizeof(b) - 4)
		len = sizeof(b) - 4;
	b[0] = code;
	b[1] = id;
	sstp_proto_put_be16(b + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(b + 4, data, len);
	verbose("send %04x code %u id %u len %zu", proto, code, id, len);
	send_frame(proto, b, len + 4, full);
}

/* ------------------------------------------------------------ timers */

enum timer {
	T_PPP_START, T_LCP, T_IPCP, T_IPV6CP, T_PAP, T_PING, T_DHCP,
	T_NETBIOS, T_HOLD, T_TERM, T_DISCONNECT, T_DISC_ACK, T_CLOSE, T_MAX
};
static uint64_t timers[T_MAX];

static void timer_set(enum timer t, uint64_t ms)
{
	timers[t] = now_ms() + ms;
}

static void timer_off(enum timer t)
{
	timers[t] = 0;
}

/* ------------------------------------------------------------ the script */

static enum phase {
	PH_TLS, PH_HTTP, PH_CALL, PH_PPP, PH_UP, PH_TERM, PH_DISCONNECT, PH_CLOSE,
	PH_DONE,
} phase;

static struct crypto_binding_cert cert;
static uint8_t nonce[SSTP_NONCE_LEN];
static uint8_t hash_mask;
static uint8_t hlak[SSTP_HLAK_LEN];
static bool auth_done;
static uint16_t peer_auth_proto;	/* what the server's LCP asked for */
static uint8_t peer_auth_alg;
static uint8_t pap_id;
static uint8_t chap_challenge[MSCHAP_CHALLENGE_LEN], peer_challenge[MSCHAP_CHALLENGE_LEN];
static uint8_t nt_response[MSCHAP_NT_RESPONSE_LEN];
static uint16_t ping_id, ping_seq;
static uint32_t dhcp_xid;
static uint16_t ip_ident;
static uint8_t dhcp_client_id[16];

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("FAIL: ", fmt, ap);
	va_end(ap);
	exit(1);
}

static void put32(uint8_t *p, uint32_t v)
{
	sstp_proto_put_be16(p, (uint16_t)(v >> 16));
	sstp_proto_put_be16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)sstp_proto_get_be16(p) << 16 | sstp_proto_get_be16(p + 2);
}

static void note_reject(const char *what)
{
	size_t n = strlen(rep.rejected);

	snprintf(rep.rejected + n, sizeof(rep.rejected) - n, "%s%s", n ? "," : "", what);
}

/* --- one control protocol's request, resent on its restart timer --- */

static void cp_send_req(struct cp *c, enum timer t)
{
	c->req_id = next_id++;
	c->started = true;
	c->ack_rcvd = false;
	send_cp(c->proto, CP_CONF_REQ, c->req_id, c->req, c->req_len, false);
	timer_set(t, WIN_RESTART_MS);
}

static void cp_retransmit(struct cp *c, enum timer t)
{
	if (c->open || c->dead)
		return;
	if (++c->tries >= WIN_MAX_CONFIGURE)
		fail("%s: no answer to %u Configure-Requests", c->name, c->tries);
	cp_send_req(c, t);
}

/* Drop option `type` from the request (after a Reject). */
static void cp_drop_opt(struct cp *c, uint8_t type)
{
	size_t off = 0;

	while (off + 2 <= c->req_len && c->req[off + 1] >= 2) {
		uint8_t l = c->req[off + 1];

		if (c->req[off] == type) {
			memmove(c->req + off, c->req + off + l, c->req_len - off - l);
			c->req_len -= l;
			continue;
		}
		off += l;
	}
}

/* Replace the value of option `type` in the request (after a Nak). */
static void cp_set_opt(struct cp *c, const uint8_t *o)
{
	size_t off = 0;

	while (off + 2 <= c->req_len && c->req[off + 1] >= 2) {
		if (c->req[off] == o[0] && c->req[off + 1] == o[1]) {
			memcpy(c->req + off, o, o[1]);
			return;
		}
		off += c->req[off + 1];
	}
}

/* An option list is well formed. */
static bool opts_ok(const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		if (len - off < 2 || p[off + 1] < 2 || p[off + 1] > len - off)
			return false;
		off += p[off + 1];
	}
	return true;
}

/* --- LCP --- */

static void lcp_build(void)
{
	uint8_t *o = lcp.req;

	o[0] = 1; o[1] = 4; sstp_proto_put_be16(o + 2, WIN_MRU);		/* MRU */
	o[4] = 5; o[5] = 6; put32(o + 6, magic);				/* Magic */
	o[10] = 7; o[11] = 2;							/* PFC */
	o[12] = 8; o[13] = 2;							/* ACFC */
	o[14] = 13; o[15] = 3; o[16] = 6;					/* Callback: CBCP */
	lcp.req_len = 17;
}

static void send_identification(void)
{
	uint8_t b[64];
	int n;

	/* RFC 1570: the magic number, then the message. */
	put32(b, magic);
	n = snprintf((char *)b + 4, sizeof(b) - 4, "MSRASV5.20");
	send_cp(PPP_PROTO_LCP, LCP_IDENT, next_id++, b, 4 + (size_t)n, false);
	n = snprintf((char *)b + 4, sizeof(b) - 4, "MSRAS-0-%s", opt.computer);
	send_cp(PPP_PROTO_LCP, LCP_IDENT, next_id++, b, 4 + (size_t)n, false);
	memcpy(b + 4, guid_le, 16);
	send_cp(PPP_PROTO_LCP, LCP_IDENT, next_id++, b, 4 + 16, false);
	rep.idents = 3;
}

static void pap_send(void)
{
	uint8_t b[600];
	size_t u = strlen(opt.user), p = strlen(opt.password), n = 0;

	b[n++] = (uint8_t)u;
	memcpy(b + n, opt.user, u);
	n += u;
	b[n++] = (uint8_t)p;
	memcpy(b + n, opt.password, p);
	n += p;
	send_cp(PPP_PROTO_PAP, 1, pap_id, b, n, false);
	timer_set(T_PAP, WIN_RESTART_MS);
}

static void lcp_opened(void)
{
	lcp.open = true;
	timer_off(T_LCP);
	rep.lcp_open_at = now_ms();
	step("LCP open (server Acked MRU %u%s%s)", rep.mru_acked,
	     rep.pfc ? ", PFC" : "", rep.acfc ? ", ACFC" : "");
	send_identification();
	if (peer_auth_proto == PPP_PROTO_PAP) {
		rep.auth = "PAP";
		pap_id = next_id++;
		pap_send();
	} else if (peer_auth_proto == PPP_PROTO_CHAP) {
		rep.auth = "MS-CHAPv2";
	} else {
		fail("the server asked for no authentication");
	}
}

static void lcp_check_open(void)
{
	if (!lcp.open && lcp.ack_rcvd && lcp.ack_sent)
		lcp_opened();
}

/* The server's Configure-Request, judged as Windows does. */
static void lcp_peer_req(uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t rej[256], nak[256];
	size_t nr = 0, nn = 0, off;
	uint16_t want_auth = opt.pap ? PPP_PROTO_PAP : PPP_PROTO_CHAP;

	if (lcp.open)
		fail("the server renegotiates LCP on an open link");
	if (!lcp.started) {
		/* --passive: the server spoke first; now ours. */
		lcp_build();
		cp_send_req(&lcp, T_LCP);
		step("LCP Configure-Request after the server's (passive peer)");
	}
	peer_auth_proto = 0;
	for (off = 0; off < len; off += p[off + 1]) {
		const uint8_t *o = p + off;

		switch (o[0]) {
		case 1: case 2: case 5: case 7: case 8:	/* MRU ACCM Magic PFC ACFC */
			if (o[0] == 5 && o[1] == 6 && get32(o + 2) == magic)
				fail("LCP: the server sent our own magic number");
			break;
		case 3:					/* Auth-Protocol */
			if (o[1] >= 4 && sstp_proto_get_be16(o + 2) == want_auth &&
			    (want_auth == PPP_PROTO_PAP ||
			     (o[1] == 5 && o[4] == CHAP_MSCHAPV2_ALG))) {
				peer_auth_proto = want_auth;
				peer_auth_alg = o[1] == 5 ? o[4] : 0;
				break;
			}
			/* Nak with the one its profile allows (c223 81). */
			nak[nn++] = 3;
			if (opt.pap) {
				nak[nn++] = 4;
				sstp_proto_put_be16(nak + nn, PPP_PROTO_PAP);
				nn += 2;
			} else {
				nak[nn++] = 5;
				sstp_proto_put_be16(nak + nn, PPP_PROTO_CHAP);
				nn += 2;
				nak[nn++] = CHAP_MSCHAPV2_ALG;
			}
			break;
		default:	/* MRRU, Endpoint and Link Discriminator, the rest */
			if (nr + o[1] <= sizeof(rej)) {
				memcpy(rej + nr, o, o[1]);
				nr += o[1];
			}
			break;
		}
	}
	if (nr) {
		send_cp(PPP_PROTO_LCP, CP_CONF_REJ, id, rej, nr, false);
		return;
	}
	if (nn) {
		send_cp(PPP_PROTO_LCP, CP_CONF_NAK, id, nak, nn, false);
		return;
	}
	send_cp(PPP_PROTO_LCP, CP_CONF_ACK, id, p, len, false);
	lcp.ack_sent = true;
}

static void lcp_ack(uint8_t id, const uint8_t *p, size_t len)
{
	size_t off;

	if (id != lcp.req_id || len != lcp.req_len || memcmp(p, lcp.req, len)) {
		verbose("LCP: stale Configure-Ack id %u", id);
		return;
	}
	lcp.ack_rcvd = true;
	for (off = 0; off < len; off += p[off + 1]) {
		if (p[off] == 1)
			rep.mru_acked = sstp_proto_get_be16(p + off + 2);
		else if (p[off] == 7)
			rep.pfc = true;
		else if (p[off] == 8)
			rep.acfc = true;
		else if (p[off] == 13)
			rep.callback_acked = true;
	}
	lcp_check_open();
}

static void lcp_nak_rej(uint8_t code, uint8_t id, const uint8_t *p, size_t len)
{
	size_t off;
	char what[16];

	if (id != lcp.req_id || lcp.open)
		return;
	for (off = 0; off < len; off += p[off + 1]) {
		if (code == CP_CONF_REJ) {
			/* Windows drops what the server will not do, quietly. */
			snprintf(what, sizeof(what), "lcp-opt-%u", p[off]);
			note_reject(what);
			cp_drop_opt(&lcp, p[off]);
		} else if (p[off] == 1 && p[off + 1] == 4) {
			/* A smaller MRU by Nak is fine. */
			cp_set_opt(&lcp, p + off);
		}
	}
	lcp.tries = 0;
	cp_send_req(&lcp, T_LCP);
}

static void lcp_protocol_reject(const uint8_t *p, size_t len)
{
	uint16_t proto;
	char what[16];

	if (len < 2)
		return;
	proto = sstp_proto_get_be16(p);
	rep.protocol_rejects++;
	snprintf(what, sizeof(what), "proto-%04x", proto);
	note_reject(what);
	if (proto == PPP_PROTO_IPV6CP) {
		/* Windows goes on with IPv4 alone. */
		step("server Protocol-Rejects IPV6CP: IPv4 only");
		ipv6cp.dead = true;
		rep.ipv6cp = "rejected";
		timer_off(T_IPV6CP);
		if (opt.ipv6_required)
			fail("IPV6CP was rejected");
		return;
	}
	rep.bad_protocol_rejects++;
	step("server Protocol-Rejects 0x%04x", proto);
}

static void send_protocol_reject(uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t b[1500];

	if (len > sizeof(b) - 2)
		len = sizeof(b) - 2;
	sstp_proto_put_be16(b, proto);
	memcpy(b + 2, info, len);
	send_cp(PPP_PROTO_LCP, LCP_PROTO_REJ, next_id++, b, len + 2, false);
}

static void lcp_input(const uint8_t *p, size_t len)
{
	uint8_t code = p[0], id = p[1], rep_b[1500];
	size_t plen = sstp_proto_get_be16(p + 2);

	if (plen < 4 || plen > len)
		fail("LCP: malformed packet");
	p += 4;
	plen -= 4;
	switch (code) {
	case CP_CONF_REQ:
		if (!opts_ok(p, plen))
			fail("LCP: malformed Configure-Request");
		lcp_peer_req(id, p, plen);
		lcp_check_open();
		break;
	case CP_CONF_ACK:
		lcp_ack(id, p, plen);
		break;
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		if (!opts_ok(p, plen))
			fail("LCP: malformed Configure-Nak/Reject");
		lcp_nak_rej(code, id, p, plen);
		break;
	case CP_TERM_REQ:
		send_cp(PPP_PROTO_LCP, CP_TERM_ACK, id, NULL, 0, false);
		if (phase < PH_TERM)
			fail("the server terminated LCP");
		break;
	case CP_TERM_ACK:
		if (phase == PH_TERM) {
			timer_off(T_TERM);
			step("LCP Terminate-Ack");
			phase = PH_DISCONNECT;
			timer_set(T_DISCONNECT, WIN_DISCONNECT_GAP_MS);
		}
		break;
	case CP_CODE_REJ:
		rep.code_rejects++;
		snprintf((char *)rep_b, 32, "lcp-code-%u", plen ? p[0] : 0);
		note_reject((char *)rep_b);
		step("server Code-Rejects LCP code %u", plen ? p[0] : 0);
		break;
	case LCP_PROTO_REJ:
		lcp_protocol_reject(p, plen);
		break;
	case LCP_ECHO_REQ:
		if (!lcp.open || plen < 4 || plen > sizeof(rep_b))
			break;
		put32(rep_b, magic);
		memcpy(rep_b + 4, p + 4, plen - 4);
		send_cp(PPP_PROTO_LCP, LCP_ECHO_REP, id, rep_b, plen, false);
		break;
	default:	/* Echo-Reply, Discard, Identification, Time-Remaining */
		break;
	}
}

/* --- authentication and the crypto binding --- */

static void call_connected(void)
{
	uint8_t pkt[SSTP_CALL_CONNECTED_LEN];
	int h = crypto_binding_choose(hash_mask, SSTP_HASH_MASK_SHA1 | SSTP_HASH_MASK_SHA256);

	if (h < 0)
		fail("the server offers no hash Windows knows (mask 0x%02x)", hash_mask);
	if (crypto_binding_build(pkt, (unsigned int)h, nonce, &cert, hlak))
		fail("cannot build the crypto binding");
	rep.hash = h;
	queue_pkt(pkt, sizeof(pkt));
	step("CALL_CONNECTED sent (%s)", h == SSTP_HASH_SHA256 ? "SHA-256" : "SHA-1");
}

static void ncp_start(void);

static void auth_succeeded(void)
{
	auth_done = true;
	rep.auth_at = now_ms();
	timer_off(T_PAP);
	step("%s Success", rep.auth);
	call_connected();
	ncp_start();
}

static void chap_input(const uint8_t *p, size_t len)
{
	uint8_t b[600], keys[2][16];
	char want[MSCHAP_AUTH_RESPONSE_LEN + 1];
	size_t plen = sstp_proto_get_be16(p + 2), u = strlen(opt.user);

	if (plen < 4 || plen > len)
		fail("CHAP: malformed packet");
	switch (p[0]) {
	case 1:		/* Challenge */
		if (plen < 5 + MSCHAP_CHALLENGE_LEN || p[4] != MSCHAP_CHALLENGE_LEN)
			fail("MS-CHAPv2: bad Challenge");
		memcpy(chap_challenge, p + 5, MSCHAP_CHALLENGE_LEN);
		if (getrandom(peer_challenge, sizeof(peer_challenge), 0) != sizeof(peer_challenge))
			fail("getrandom");
		if (mschap_nt_response(chap_challenge, peer_challenge, opt.user,
				       (const uint8_t *)opt.password, strlen(opt.password),
				       nt_response))
			fail("MS-CHAPv2: cannot compute the response");
		/* Value-Size 49: peer challenge, 8 reserved, NT-Response, flags 0;
		 * then the name exactly as typed. */
		memset(b, 0, 50);
		b[0] = 49;
		memcpy(b + 1, peer_challenge, MSCHAP_CHALLENGE_LEN);
		memcpy(b + 1 + 24, nt_response, MSCHAP_NT_RESPONSE_LEN);
		memcpy(b + 50, opt.user, u);
		send_cp(PPP_PROTO_CHAP, 2, p[1], b, 50 + u, false);
		break;
	case 3:		/* Success: "S=<authenticator> M=..." */
		if (auth_done)
			break;
		if (mschap_authenticator_response((const uint8_t *)opt.password,
						  strlen(opt.password), nt_response,
						  peer_challenge, chap_challenge, opt.user, want))
			fail("MS-CHAPv2: cannot compute the authenticator response");
		if (plen < 4 + MSCHAP_AUTH_RESPONSE_LEN ||
		    strncasecmp((const char *)p + 4, want, MSCHAP_AUTH_RESPONSE_LEN))
			fail("MS-CHAPv2: the server's authenticator response does not verify");
		if (mschap_mppe_keys((const uint8_t *)opt.password, strlen(opt.password),
				     nt_response, false, keys[0], keys[1]))
			fail("MS-CHAPv2: cannot derive the MPPE keys");
		crypto_binding_hlak_mppe(hlak, keys[0], keys[1], false);
		auth_succeeded();
		break;
	case 4:
		fail("MS-CHAPv2 Failure: %.*s", (int)(plen - 4), (const char *)p + 4);
	default:
		break;
	}
}

static void pap_input(const uint8_t *p, size_t len)
{
	size_t plen = sstp_proto_get_be16(p + 2);

	if (plen < 4 || plen > len)
		fail("PAP: malformed packet");
	if (p[0] == 2 && p[1] == pap_id && !auth_done) {
		crypto_binding_hlak_zero(hlak);
		auth_succeeded();
	} else if (p[0] == 3) {
		fail("PAP Authenticate-Nak");
	}
}

/* CBCP (callback control): Windows only answers, "no callback". */
static void cbcp_input(const uint8_t *p, size_t len)
{
	static const uint8_t no_callback[] = { 1, 2 };

	if (len < 4)
		return;
	if (p[0] == 1) {
		send_cp(PROTO_CBCP, 2, p[1], no_callback, sizeof(no_callback), false);
		rep.cbcp = true;
		step("CBCP Request answered: no callback");
	}
}

/* --- the NCPs --- */

static void ncp_start(void)
{
	uint8_t *o;

	/* IPV6CP first, then IPCP, right after CALL_CONNECTED. */
	o = ipv6cp.req;
	o[0] = 1; o[1] = 10;
	memcpy(o + 2, rep.iid, 8);
	ipv6cp.req_len = 10;
	cp_send_req(&ipv6cp, T_IPV6CP);

	o = ipcp.req;
	memset(o, 0, 30);
	o[0] = 3; o[1] = 6;		/* IP-Address 0.0.0.0 */
	o[6] = 129; o[7] = 6;		/* primary DNS */
	o[12] = 130; o[13] = 6;		/* primary WINS */
	o[18] = 131; o[19] = 6;		/* secondary DNS */
	o[24] = 132; o[25] = 6;		/* secondary WINS */
	ipcp.req_len = 30;
	cp_send_req(&ipcp, T_IPCP);
}

static void up_start(void);

static void ncp_check_open(struct cp *c)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];

	if (c->open || !c->ack_rcvd || !c->ack_sent)
		return;
	c->open = true;
	timer_off(c == &ipcp ? T_IPCP : T_IPV6CP);
	if (c == &ipv6cp) {
		rep.ipv6cp = "up";
		step("IPV6CP up");
		return;
	}
	rep.ipcp_up_at = now_ms();
	inet_ntop(AF_INET, &rep.addr, a, sizeof(a));
	inet_ntop(AF_INET, &rep.peer, b, sizeof(b));
	step("IPCP up: %s, server %s; %llu ms from the HTTP request", a, b,
	     (unsigned long long)(rep.ipcp_up_at - rep.http_at));
	up_start();
}

static void ncp_peer_req(struct cp *c, uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t nak[16];
	size_t off;

	for (off = 0; off < len; off += p[off + 1]) {
		const uint8_t *o = p + off;

		if (c == &ipcp && o[0] == 3 && o[1] == 6) {
			memcpy(&rep.peer, o + 2, 4);
			continue;
		}
		if (c == &ipv6cp && o[0] == 1 && o[1] == 10) {
			if (!memcmp(o + 2, rep.iid, 8)) {
				nak[0] = 1;
				nak[1] = 10;
				if (getrandom(nak + 2, 8, 0) != 8)
					fail("getrandom");
				nak[2] &= 0xfd;
				send_cp(c->proto, CP_CONF_NAK, id, nak, 10, false);
				return;
			}
			memcpy(rep.peer_iid, o + 2, 8);
			continue;
		}
		send_cp(c->proto, CP_CONF_REJ, id, o, o[1], false);
		return;
	}
	send_cp(c->proto, CP_CONF_ACK, id, p, len, false);
	c->ack_sent = true;
	ncp_check_open(c);
}

static void ncp_ack(struct cp *c, uint8_t id, const uint8_t *p, size_t len)
{
	size_t off;

	if (id != c->req_id || len != c->req_len || memcmp(p, c->req, len))
		return;
	c->ack_rcvd = true;
	for (off = 0; c == &ipcp && off < len; off += p[off + 1]) {
		if (p[off] == 3)
			memcpy(&rep.addr, p + off + 2, 4);
		else if (p[off] == 129)
			memcpy(&rep.dns[0], p + off + 2, 4);
		else if (p[off] == 131)
			memcpy(&rep.dns[1], p + off + 2, 4);
	}
	ncp_check_open(c);
}

static void ncp_nak_rej(struct cp *c, uint8_t code, uint8_t id, const uint8_t *p, size_t len)
{
	size_t off;
	char what[24];

	if (id != c->req_id || c->open)
		return;
	for (off = 0; off < len; off += p[off + 1]) {
		if (code == CP_CONF_REJ) {
			snprintf(what, sizeof(what), "%s-opt-%u", c == &ipcp ? "ipcp" : "ipv6cp",
				 p[off]);
			note_reject(what);
			cp_drop_opt(c, p[off]);
			if (c == &ipcp && p[off] == 3)
				fail("IPCP: the server rejects the IP-Address option");
		} else {
			cp_set_opt(c, p + off);
			if (c == &ipv6cp && p[off] == 1 && p[off + 1] == 10)
				memcpy(rep.iid, p + off + 2, 8);
		}
	}
	c->tries = 0;
	cp_send_req(c, c == &ipcp ? T_IPCP : T_IPV6CP);
}

static void ncp_input(struct cp *c, const uint8_t *p, size_t len)
{
	uint8_t code = p[0], id = p[1];
	size_t plen = sstp_proto_get_be16(p + 2);
	char what[32];

	if (plen < 4 || plen > len)
		fail("%s: malformed packet", c->name);
	p += 4;
	plen -= 4;
	if (c->dead)
		return;
	switch (code) {
	case CP_CONF_REQ:
		if (!opts_ok(p, plen))
			fail("%s: malformed Configure-Request", c->name);
		ncp_peer_req(c, id, p, plen);
		break;
	case CP_CONF_ACK:
		ncp_ack(c, id, p, plen);
		break;
	case CP_CONF_NAK:
	case CP_CONF_REJ:
		if (!opts_ok(p, plen))
			fail("%s: malformed Configure-Nak/Reject", c->name);
		ncp_nak_rej(c, code, id, p, plen);
		break;
	case CP_TERM_REQ:
		send_cp(c->proto, CP_TERM_ACK, id, NULL, 0, false);
		fail("the server terminated %s", c->name);
	case CP_CODE_REJ:
		rep.code_rejects++;
		snprintf(what, sizeof(what), "%s-code-%u", c->name, plen ? p[0] : 0);
		note_reject(what);
		step("server Code-Rejects %s code %u", c->name, plen ? p[0] : 0);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ IP */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* An IPv4 packet from our address, sent as Windows frames it. */
static void send_ip4(uint8_t proto, struct in_addr dst, const uint8_t *l4, size_t len)
{
	uint8_t p[1500];

	if (len > sizeof(p) - 20)
		fail("IPv4 payload too long");
	memset(p, 0, 20);
	p[0] = 0x45;
	sstp_proto_put_be16(p + 2, (uint16_t)(20 + len));
	sstp_proto_put_be16(p + 4, ip_ident++);
	p[8] = WIN_TTL;
	p[9] = proto;
	memcpy(p + 12, &rep.addr, 4);
	memcpy(p + 16, &dst, 4);
	sstp_proto_put_be16(p + 10, csum_fold(csum_add(0, p, 20)));
	memcpy(p + 20, l4, len);
	send_frame(PPP_PROTO_IPV4, p, 20 + len, false);
}

static void send_udp4(struct in_addr dst, uint16_t sport, uint16_t dport,
		      const uint8_t *data, size_t len)
{
	uint8_t u[1400], ph[12];
	uint32_t sum;

	if (len > sizeof(u) - 8)
		fail("UDP payload too long");
	sstp_proto_put_be16(u, sport);
	sstp_proto_put_be16(u + 2, dport);
	sstp_proto_put_be16(u + 4, (uint16_t)(8 + len));
	sstp_proto_put_be16(u + 6, 0);
	memcpy(u + 8, data, len);
	memcpy(ph, &rep.addr, 4);
	memcpy(ph + 4, &dst, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_UDP;
	sstp_proto_put_be16(ph + 10, (uint16_t)(8 + len));
	sum = csum_fold(csum_add(csum_add(0, ph, 12), u, 8 + len));
	sstp_proto_put_be16(u + 6, sum ? (uint16_t)sum : 0xffff);
	send_ip4(IPPROTO_UDP, dst, u, 8 + len);
}

static void send_ping(void)
{
	/* Windows' ping: 32 bytes of its alphabet. */
	static const char data[] = "abcdefghijklmnopqrstuvwabcdefghi";
	uint8_t icmp[8 + 32];

	icmp[0] = 8;
	icmp[1] = 0;
	sstp_proto_put_be16(icmp + 2, 0);
	sstp_proto_put_be16(icmp + 4, ping_id);
	sstp_proto_put_be16(icmp + 6, ++ping_seq);
	memcpy(icmp + 8, data, 32);
	sstp_proto_put_be16(icmp + 2, csum_fold(csum_add(0, icmp, sizeof(icmp))));
	send_ip4(IPPROTO_ICMP, rep.peer, icmp, sizeof(icmp));
}

static void ll_addr(uint8_t a[16], const uint8_t iid[8])
{
	memset(a, 0, 16);
	a[0] = 0xfe;
	a[1] = 0x80;
	memcpy(a + 8, iid, 8);
}

static void send_ping6(void)
{
	uint8_t p[40 + 8 + 32], ph[40];
	uint32_t sum;

	memset(p, 0, sizeof(p));
	p[0] = 0x60;
	sstp_proto_put_be16(p + 4, 8 + 32);
	p[6] = 58;			/* ICMPv6 */
	p[7] = 255;
	ll_addr(p + 8, rep.iid);
	ll_addr(p + 24, rep.peer_iid);
	p[40] = 128;			/* Echo Request */
	sstp_proto_put_be16(p + 44, ping_id);
	sstp_proto_put_be16(p + 46, ++ping_seq);
	memset(p + 48, 'w', 32);
	memcpy(ph, p + 8, 32);
	put32(ph + 32, 8 + 32);
	memset(ph + 36, 0, 3);
	ph[39] = 58;
	sum = csum_add(csum_add(0, ph, 40), p + 40, 8 + 32);
	sstp_proto_put_be16(p + 42, csum_fold(sum));
	send_frame(PPP_PROTO_IPV6, p, sizeof(p), false);
}

/* DHCPINFORM as Windows sends it after IPCP (windows.md, "After IPCP"). */
static void send_dhcpinform(void)
{
	static const uint8_t prl[] = { 6, 44, 43, 1, 249, 15 };
	struct in_addr bcast = { .s_addr = INADDR_BROADCAST };
	uint8_t d[400];
	size_t n = 240, h = strlen(opt.computer);

	memset(d, 0, sizeof(d));
	d[0] = 1;			/* BOOTREQUEST */
	d[1] = 8;			/* htype 8, hlen 0 */
	put32(d + 4, dhcp_xid);
	memcpy(d + 12, &rep.addr, 4);	/* ciaddr */
	put32(d + 236, 0x63825363);	/* magic cookie */
	d[n++] = 53; d[n++] = 1; d[n++] = 8;			/* DHCPINFORM */
	d[n++] = 61; d[n++] = 17; d[n++] = 0;			/* client id */
	memcpy(d + n, dhcp_client_id, 16);
	n += 16;
	d[n++] = 12; d[n++] = (uint8_t)h;			/* host name */
	memcpy(d + n, opt.computer, h);
	n += h;
	d[n++] = 60; d[n++] = 8;				/* vendor class */
	memcpy(d + n, "MSFT 5.0", 8);
	n += 8;
	d[n++] = 55; d[n++] = sizeof(prl);			/* parameters */
	memcpy(d + n, prl, sizeof(prl));
	n += sizeof(prl);
	d[n++] = 255;
	send_udp4(bcast, 68, 67, d, n);
	rep.dhcp_sent++;
	step("DHCPINFORM%s sent (xid %08x)", rep.dhcp_sent == 1 ? "" : " retry", dhcp_xid);
}

/* A NetBIOS name encoded the first-level way (RFC 1001 14.1), 34 bytes. */
static size_t netbios_name(uint8_t *o, const char *name, uint8_t suffix)
{
	char n[16];
	int i;

	memset(n, ' ', 15);
	memcpy(n, name, strlen(name) < 15 ? strlen(name) : 15);
	n[15] = (char)suffix;
	o[0] = 32;
	for (i = 0; i < 16; i++) {
		o[1 + 2 * i] = (uint8_t)('A' + ((uint8_t)n[i] >> 4));
		o[2 + 2 * i] = (uint8_t)('A' + ((uint8_t)n[i] & 15));
	}
	o[33] = 0;
	return 34;
}

/* NetBIOS traffic Windows broadcasts on a new interface: a name
 * registration to 137 and a host announcement datagram to 138. */
static void send_netbios(void)
{
	struct in_addr bcast = { .s_addr = INADDR_BROADCAST };
	uint8_t b[300];
	size_t n;

	memset(b, 0, sizeof(b));
	sstp_proto_put_be16(b, (uint16_t)(0x8000 | rep.netbios));
	sstp_proto_put_be16(b + 2, 0x2910);	/* registration, broadcast */
	sstp_proto_put_be16(b + 4, 1);		/* one question */
	sstp_proto_put_be16(b + 10, 1);		/* one additional record */
	n = 12 + netbios_name(b + 12, opt.computer, 0);
	sstp_proto_put_be16(b + n, 0x20);	/* NB, IN */
	sstp_proto_put_be16(b + n + 2, 1);
	n += 4;
	b[n++] = 0xc0;				/* pointer to the name */
	b[n++] = 12;
	sstp_proto_put_be16(b + n, 0x20);
	sstp_proto_put_be16(b + n + 2, 1);
	put32(b + n + 4, 300000);
	sstp_proto_put_be16(b + n + 8, 6);
	memcpy(b + n + 12, &rep.addr, 4);
	n += 16;
	send_udp4(bcast, 137, 137, b, n);

	memset(b, 0, sizeof(b));
	b[0] = 0x11;				/* direct group datagram */
	b[1] = 0x02;
	sstp_proto_put_be16(b + 2, (uint16_t)rep.netbios);
	memcpy(b + 4, &rep.addr, 4);
	sstp_proto_put_be16(b + 8, 138);
	n = 14;
	n += netbios_name(b + n, opt.computer, 0);
	n += netbios_name(b + n, "WORKGROUP", 0x1d);
	memcpy(b + n, "\xffSMB%", 5);
	n += 5 + 32;
	sstp_proto_put_be16(b + 10, (uint16_t)(n - 14));
	send_udp4(bcast, 138, 138, b, n);
	rep.netbios += 2;
}

static void ip4_input(const uint8_t *p, size_t len)
{
	size_t ihl;
	const uint8_t *l4;

	if (len < 20 || p[0] >> 4 != 4 || (ihl = (size_t)(p[0] & 15) * 4) < 20 || ihl > len)
		return;
	l4 = p + ihl;
	len -= ihl;
	if (p[9] == IPPROTO_ICMP && len >= 8 && l4[0] == 0 &&
	    sstp_proto_get_be16(l4 + 4) == ping_id) {
		if (!rep.ping)
			step("ping answered by %s", inet_ntoa(*(const struct in_addr *)(p + 12)));
		rep.ping = true;
		timer_off(T_PING);
		return;
	}
	if (p[9] == IPPROTO_UDP && len >= 8 + 240 && sstp_proto_get_be16(l4 + 2) == 68 &&
	    sstp_proto_get_be16(l4) == 67) {
		const uint8_t *d = l4 + 8;
		size_t off = 240, dl = len - 8;

		if (d[0] != 2 || get32(d + 4) != dhcp_xid)
			return;
		while (off + 2 <= dl && d[off] != 255) {
			if (d[off] == 0) {
				off++;
				continue;
			}
			if (d[off] == 53 && d[off + 1] == 1 && off + 2 < dl && d[off + 2] == 5) {
				if (!rep.dhcp_answered)
					step("DHCPACK for the DHCPINFORM");
				rep.dhcp_answered = true;
			}
			off += 2 + (size_t)d[off + 1];
		}
	}
}

static void ip6_input(const uint8_t *p, size_t len)
{
	static const uint8_t any[16];
	uint8_t peer_ll[16];

	if (len < 40 || p[0] >> 4 != 6)
		return;
	ll_addr(peer_ll, rep.peer_iid);
	/* The server's only IPv6 source is the link-local IPV6CP gave it
	 * (or :: while it checks that address for duplicates). */
	if (memcmp(p + 8, peer_ll, 16) && memcmp(p + 8, any, 16)) {
		if (!rep.v6_foreign++)
			inet_ntop(AF_INET6, p + 8, rep.v6_foreign_src, sizeof(rep.v6_foreign_src));
		step("IPv6 from %s, not the negotiated fe80:: address",
		     inet_ntop(AF_INET6, p + 8, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN));
	}
	if (p[6] == 58 && len >= 48 && p[40] == 129 && sstp_proto_get_be16(p + 44) == ping_id) {
		if (!rep.ping6)
			step("ping6 answered");
		rep.ping6 = true;
	}
}

/* ------------------------------------------------------------ dispatch */

/* CCP (Windows never runs it over SSTP) and every protocol it does not
 * know get an LCP Protocol-Reject. */
static void ppp_reject(uint16_t proto, const uint8_t *f, size_t len)
{
	if (proto == PPP_PROTO_CCP)
		rep.ccp_rejected++;
	step("Protocol-Reject of 0x%04x", proto);
	send_protocol_reject(proto, f, len);
}

static void ppp_input(const uint8_t *f, size_t len)
{
	uint16_t proto;
	int h = sstp_proto_ppp_hdr(f, (unsigned int)len, &proto);

	if (h < 0)
		fail("malformed PPP frame from the server");
	if (!ppp_started) {
		/* Windows' PPP is not running yet: the frame is lost. */
		rep.dropped_early++;
		step("PPP frame 0x%04x dropped (our PPP has not started)", proto);
		return;
	}
	f += h;
	len -= (size_t)h;
	verbose("recv %04x %zu bytes", proto, len);
	if (proto == PPP_PROTO_IPV4 || proto == PPP_PROTO_IPV6) {
		(proto == PPP_PROTO_IPV4 ? ip4_input : ip6_input)(f, len);
		return;
	}
	if (len < 4)
		fail("short PPP control packet 0x%04x", proto);
	/* Nothing but LCP before LCP opens, and no NCP before authentication. */
	if (proto == PPP_PROTO_LCP)
		lcp_input(f, len);
	else if (!lcp.open || (!auth_done && (proto == PPP_PROTO_IPCP ||
					      proto == PPP_PROTO_IPV6CP)))
		verbose("0x%04x ignored before its phase", proto);
	else if (proto == PPP_PROTO_CHAP)
		chap_input(f, len);
	else if (proto == PPP_PROTO_PAP)
		pap_input(f, len);
	else if (proto == PROTO_CBCP)
		cbcp_input(f, len);
	else if (proto == PPP_PROTO_IPCP || proto == PPP_PROTO_IPV6CP)
		ncp_input(proto == PPP_PROTO_IPCP ? &ipcp : &ipv6cp, f, len);
	else
		ppp_reject(proto, f, len);
}

static void ctrl_input(const uint8_t *pkt, size_t len)
{
	struct sstp_ctrl m;
	uint16_t type = sstp_proto_ctrl_type(pkt);
	int r = sstp_ctrl_decode(pkt, len, &m);

	verbose("recv %s", sstp_msg_type_name(type));
	if (r == -EBADMSG)
		fail("malformed control packet from the server");
	switch (type) {
	case SSTP_MSG_CALL_CONNECT_ACK:
		if (phase != PH_CALL || r)
			fail("unexpected or bad CALL_CONNECT_ACK");
		hash_mask = m.binding_req.hash_mask;
		memcpy(nonce, m.binding_req.nonce, SSTP_NONCE_LEN);
		step("CALL_CONNECT_ACK (hash bitmask 0x%02x)", hash_mask);
		phase = PH_PPP;
		if (opt.passive)
			ppp_started = true;
		else
			timer_set(T_PPP_START, opt.lcp_delay_ms);
		break;
	case SSTP_MSG_CALL_CONNECT_NAK:
		fail("CALL_CONNECT_NAK");
	case SSTP_MSG_CALL_ABORT:
		fail("CALL_ABORT from the server (%s)",
		     m.n_status ? sstp_status_name(m.status[0].status) : "no status");
	case SSTP_MSG_CALL_DISCONNECT:
		sstp_ctrl_init(&m, SSTP_MSG_CALL_DISCONNECT_ACK);
		send_ctrl(&m);
		flush_out();
		fail("CALL_DISCONNECT from the server");
	case SSTP_MSG_CALL_DISCONNECT_ACK:
		if (phase == PH_DISCONNECT) {
			step("CALL_DISCONNECT_ACK");
			timer_off(T_DISC_ACK);
			phase = PH_CLOSE;
			timer_set(T_CLOSE, 5000);
		}
		break;
	case SSTP_MSG_ECHO_REQUEST:
		sstp_ctrl_init(&m, SSTP_MSG_ECHO_RESPONSE);
		send_ctrl(&m);
		break;
	default:
		break;
	}
}

/* ------------------------------------------------------------ phases */

static void up_start(void)
{
	phase = PH_UP;
	if (getrandom(&ping_id, sizeof(ping_id), 0) != sizeof(ping_id) ||
	    getrandom(&dhcp_xid, sizeof(dhcp_xid), 0) != sizeof(dhcp_xid))
		fail("getrandom");
	/* NetBIOS starts at once; the ping is ours; DHCPINFORM at +0.3 s. */
	send_netbios();
	send_ping();
	if (ipv6cp.open)
		send_ping6();
	timer_set(T_PING, 1000);
	timer_set(T_NETBIOS, 1000);
	timer_set(T_DHCP, WIN_DHCP_FIRST_MS);
	timer_set(T_HOLD, WIN_DHCP_FIRST_MS + WIN_DHCP_RETRY_MS + opt.hold_ms);
}

/* Windows' user disconnect: Terminate-Request with FF 03. */
static void teardown_start(void)
{
	phase = PH_TERM;
	timer_off(T_NETBIOS);
	timer_off(T_DHCP);
	timer_off(T_PING);
	lcp.req_id = next_id++;
	send_cp(PPP_PROTO_LCP, CP_TERM_REQ, lcp.req_id, NULL, 0, true);
	step("LCP Terminate-Request");
	timer_set(T_TERM, WIN_RESTART_MS);
}

static void check_ipv6_ready(void)
{
	/* IPV6CP may open after IPCP: ping over it once it does. */
	if (phase == PH_UP && ipv6cp.open && !rep.ping6 && !timers[T_PING])
		send_ping6();
}

static void run_timer(enum timer t)
{
	struct sstp_ctrl m;

	timers[t] = 0;
	switch (t) {
	case T_PPP_START:
		lcp_build();
		lcp.tries = 0;
		ppp_started = true;
		cp_send_req(&lcp, T_LCP);
		step("LCP Configure-Request (MRU %u, Magic, PFC, ACFC, Callback)", WIN_MRU);
		break;
	case T_LCP:
		cp_retransmit(&lcp, T_LCP);
		step("LCP Configure-Request again (restart timer)");
		break;
	case T_IPCP:
		cp_retransmit(&ipcp, T_IPCP);
		break;
	case T_IPV6CP:
		cp_retransmit(&ipv6cp, T_IPV6CP);
		break;
	case T_PAP:
		pap_send();
		break;
	case T_PING:
		if (!rep.ping) {
			send_ping();
			timer_set(T_PING, 1000);
		}
		if (ipv6cp.open && !rep.ping6)
			send_ping6();
		break;
	case T_DHCP:
		if (rep.dhcp_answered)
			break;
		send_dhcpinform();
		if (rep.dhcp_sent == 1)
			timer_set(T_DHCP, WIN_DHCP_RETRY_MS);
		break;
	case T_NETBIOS:
		send_netbios();
		timer_set(T_NETBIOS, 1000);
		break;
	case T_HOLD:
		if (!rep.ping)
			fail("the server never answered the ping");
		if (opt.ipv6_required && !rep.ping6)
			fail("the server never answered the IPv6 ping");
		teardown_start();
		break;
	case T_TERM:
		fail("no LCP Terminate-Ack");
	case T_DISCONNECT:
		sstp_ctrl_init(&m, SSTP_MSG_CALL_DISCONNECT);
		sstp_ctrl_add_status(&m, SSTP_ATTR_NO_ERROR, SSTP_STATUS_NO_ERROR, NULL, 0);
		send_ctrl(&m);
		step("CALL_DISCONNECT");
		timer_set(T_DISC_ACK, 5000);
		break;
	case T_DISC_ACK:
		fail("no CALL_DISCONNECT_ACK");
	case T_CLOSE:
		fail("the server did not close the connection after CALL_DISCONNECT_ACK");
	default:
		break;
	}
}

/* ------------------------------------------------------------ setup */

static void tcp_connect(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)opt.port) };
	int one = 1;

	if (inet_pton(AF_INET, opt.addr, &sa.sin_addr) != 1)
		fail("%s: not an IPv4 address", opt.addr);
	sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		fail("connect %s:%u: %s", opt.addr, opt.port, strerror(errno));
	setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(sock, F_SETFL, fcntl(sock, F_GETFL) | O_NONBLOCK);
	step("TCP connected to %s:%u", opt.addr, opt.port);
}

static void tls_connect(void)
{
	const struct tls_profile *p = opt.tls;
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	uint8_t *der = NULL;
	int r, len;
	X509 *peer;

	if (!ctx ||
	    !SSL_CTX_set_min_proto_version(ctx, p->min) ||
	    !SSL_CTX_set_max_proto_version(ctx, p->max) ||
	    !SSL_CTX_set_cipher_list(ctx, p->ciphers) ||
	    !SSL_CTX_set_ciphersuites(ctx, p->suites) ||
	    !SSL_CTX_set1_groups_list(ctx, p->groups) ||
	    SSL_CTX_load_verify_locations(ctx, opt.ca, NULL) != 1) {
		ssl_err("TLS setup");
		exit(2);
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	ssl = SSL_new(ctx);
	SSL_CTX_free(ctx);
	if (!ssl || !SSL_set_fd(ssl, sock) || !SSL_set_tlsext_host_name(ssl, opt.host) ||
	    !SSL_set1_host(ssl, opt.host)) {
		ssl_err("TLS setup");
		exit(2);
	}
	for (;;) {
		r = SSL_connect(ssl);
		if (r == 1)
			break;
		r = SSL_get_error(ssl, r);
		if ((r != SSL_ERROR_WANT_READ && r != SSL_ERROR_WANT_WRITE) ||
		    !wait_sock(r == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 10000)) {
			ssl_err("TLS handshake");
			printf("summary tls=failed profile=%s\n", p->name);
			exit(3);
		}
	}
	step("TLS up: %s %s (profile %s)", SSL_get_version(ssl), SSL_get_cipher_name(ssl),
	     p->name);
	printf("tls=%s cipher=%s\n", SSL_get_version(ssl), SSL_get_cipher_name(ssl));
	peer = SSL_get0_peer_certificate(ssl);
	len = peer ? i2d_X509(peer, &der) : -1;
	if (len <= 0 || crypto_binding_cert_hashes(der, (size_t)len, &cert))
		fail("no server certificate to bind");
	OPENSSL_free(der);
}

/* Windows' request: one record, its header order, Host without a port. */
static void http_request(void)
{
	char req[512];
	int n;

	http_correlation_id_new(correlation);
	n = snprintf(req, sizeof(req),
		     HTTP_METHOD_SSTP " " HTTP_SSTP_URI " HTTP/1.1\r\n"
		     "SSTPCORRELATIONID: %s\r\n"
		     "Content-Length: " HTTP_SSTP_LENGTH "\r\n"
		     "Host: %s\r\n"
		     "\r\n", correlation, opt.host);
	queue_pkt((const uint8_t *)req, (size_t)n);
	flush_out();
	rep.http_at = now_ms();
	phase = PH_HTTP;
	step("HTTP SSTP_DUPLEX_POST sent (correlation %s)", correlation);
}

/* The GUID as Windows holds it in memory: Data1-3 little-endian. */
static void guid_layout(void)
{
	unsigned int v[11];
	int i;

	if (sscanf(correlation, "{%8x-%4x-%4x-%2x%2x-%2x%2x%2x%2x%2x%2x}", &v[0], &v[1], &v[2],
		   &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]) != 11)
		fail("bad correlation id %s", correlation);
	guid_le[0] = (uint8_t)v[0];
	guid_le[1] = (uint8_t)(v[0] >> 8);
	guid_le[2] = (uint8_t)(v[0] >> 16);
	guid_le[3] = (uint8_t)(v[0] >> 24);
	guid_le[4] = (uint8_t)v[1];
	guid_le[5] = (uint8_t)(v[1] >> 8);
	guid_le[6] = (uint8_t)v[2];
	guid_le[7] = (uint8_t)(v[2] >> 8);
	for (i = 0; i < 8; i++)
		guid_le[8 + i] = (uint8_t)v[3 + i];
}

/* The HTTP answer, then CALL_CONNECT_REQUEST exactly as Windows' bytes. */
static size_t http_input(const uint8_t *buf, size_t len)
{
	static const uint8_t ccr[] = { 0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01,
				       0x00, 0x01, 0x00, 0x06, 0x00, 0x01 };
	struct http_response resp;
	int n = http_response_parse((const char *)buf, len, &resp);

	if (n == 0)
		return 0;
	if (n < 0 || resp.status != 200)
		fail("HTTP answer %d", n < 0 ? n : resp.status);
	step("HTTP 200");
	guid_layout();
	queue_pkt(ccr, sizeof(ccr));
	phase = PH_CALL;
	step("CALL_CONNECT_REQUEST sent");
	return (size_t)n;
}

/* ------------------------------------------------------------ main loop */

static void sstp_feed(const uint8_t *data, size_t len)
{
	struct sstp_packet pkt;
	int r;

	while ((r = sstp_deframer_next(&df, &data, &len, &pkt)) > 0) {
		if (pkt.control)
			ctrl_input(pkt.data, pkt.len);
		else if (phase >= PH_PPP)
			ppp_input(pkt.payload, pkt.payload_len);
		check_ipv6_ready();
	}
	if (r < 0)
		fail("undelineable SSTP stream from the server");
}

static void print_summary(void)
{
	char dns0[INET_ADDRSTRLEN], dns1[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &rep.dns[0], dns0, sizeof(dns0));
	inet_ntop(AF_INET, &rep.dns[1], dns1, sizeof(dns1));
	printf("summary connect_ms=%lld lcp_ms=%lld dropped_early=%u mru_acked=%u pfc=%d "
	       "acfc=%d auth=%s hash=%s idents=%u ipv6cp=%s ipcp_addr=%s dns1=%s dns2=%s "
	       "cbcp=%d ccp_rejected=%u ping=%d ping6=%d dhcp_sent=%u dhcp_answered=%d "
	       "netbios=%u code_rejects=%u protocol_rejects=%u bad_protocol_rejects=%u "
	       "rejected=%s v6_foreign=%u teardown=%d\n",
	       rep.ipcp_up_at ? (long long)(rep.ipcp_up_at - rep.http_at) : -1,
	       rep.lcp_open_at ? (long long)(rep.lcp_open_at - rep.http_at) : -1,
	       rep.dropped_early, rep.mru_acked, rep.pfc, rep.acfc, rep.auth,
	       rep.hash == SSTP_HASH_SHA256 ? "sha256" : rep.hash == SSTP_HASH_SHA1 ? "sha1" : "none",
	       rep.idents, rep.ipv6cp, inet_ntoa(rep.addr), dns0, dns1, rep.cbcp,
	       rep.ccp_rejected, rep.ping, rep.ping6, rep.dhcp_sent, rep.dhcp_answered,
	       rep.netbios, rep.code_rejects, rep.protocol_rejects, rep.bad_protocol_rejects,
	       rep.rejected[0] ? rep.rejected : "none", rep.v6_foreign, rep.teardown);
}

/* Checks on the whole run, once the server has closed. */
static int verdict(void)
{
	struct in_addr want;

	if (opt.max_connect_ms >= 0 &&
	    (long long)(rep.ipcp_up_at - rep.http_at) > opt.max_connect_ms)
		fail("connect took %llu ms from the HTTP request to IPCP up, limit %ld ms",
		     (unsigned long long)(rep.ipcp_up_at - rep.http_at), opt.max_connect_ms);
	if (opt.strict && rep.code_rejects)
		fail("the server Code-Rejected %u packet(s) Windows sends (%s)",
		     rep.code_rejects, rep.rejected);
	if (opt.strict && rep.bad_protocol_rejects)
		fail("the server Protocol-Rejected a protocol Windows needs (%s)", rep.rejected);
	if (opt.dhcp_required && !rep.dhcp_answered)
		fail("DHCPINFORM was not answered");
	if (opt.expect_dns && (inet_pton(AF_INET, opt.expect_dns, &want) != 1 ||
			       want.s_addr != rep.dns[0].s_addr))
		fail("primary DNS %s, want %s", inet_ntoa(rep.dns[0]), opt.expect_dns);
	if (rep.v6_foreign)
		fail("the server sent IPv6 from %s, not from the link-local IPV6CP negotiated",
		     rep.v6_foreign_src);
	return 0;
}

static void run(void)
{
	uint8_t buf[16384];
	size_t n, hlen = 0;
	char hbuf[HTTP_MAX_HEADER];
	uint64_t deadline = now_ms() + opt.timeout_ms, next, t;
	int r, i;

	for (;;) {
		t = now_ms();
		if (t >= deadline)
			fail("timed out in phase %d", phase);
		for (i = 0; i < T_MAX; i++)
			if (timers[i] && timers[i] <= t)
				run_timer((enum timer)i);
		flush_out();
		next = deadline;
		for (i = 0; i < T_MAX; i++)
			if (timers[i] && timers[i] < next)
				next = timers[i];
		t = now_ms();
		if (!SSL_pending(ssl) && !wait_sock(POLLIN, next > t ? (int)(next - t) : 0))
			continue;
		r = SSL_read_ex(ssl, buf, sizeof(buf), &n);
		if (r != 1) {
			r = SSL_get_error(ssl, r);
			if (r == SSL_ERROR_WANT_READ || r == SSL_ERROR_WANT_WRITE)
				continue;
			if (phase == PH_CLOSE) {
				rep.teardown = true;
				rep.close_at = now_ms();
				step("server closed the connection");
				return;
			}
			ssl_err("TLS read");
			fail("the server closed the connection in phase %d", phase);
		}
		if (phase == PH_HTTP) {
			size_t take = n < sizeof(hbuf) - hlen ? n : sizeof(hbuf) - hlen;
			size_t used;

			memcpy(hbuf + hlen, buf, take);
			hlen += take;
			used = http_input((const uint8_t *)hbuf, hlen);
			if (!used)
				continue;
			/* Bytes after the header are the start of SSTP. */
			sstp_feed((const uint8_t *)hbuf + used, hlen - used);
		} else {
			sstp_feed(buf, n);
		}
		flush_out();
	}
}

static void usage(void)
{
	fprintf(stderr,
		"usage: sstp_winclient -s ADDR[:PORT] -n HOST -C CA [-u USER -p PASSWORD] [options]\n"
		"  -t PROFILE  TLS as win7 (1.0 only), win7-tls12, win81, win10 (default), win11\n"
		"  -P          PAP instead of MS-CHAPv2\n"
		"  -c NAME     the computer name (Identification, DHCP, NetBIOS)\n"
		"  -d MS       PPP starts MS after CALL_CONNECT_ACK (20)\n"
		"  -H MS       stay up MS after the second DHCPINFORM (1000)\n"
		"  -T MS       give up after MS (40000)\n"
		"  -m MS       fail if IPCP is up later than MS after the HTTP request\n"
		"  -S          fail on a Code-Reject, or a Protocol-Reject of what Windows needs\n"
		"  -D          fail if DHCPINFORM is not answered\n"
		"  -6          fail unless IPV6CP comes up and the IPv6 ping is answered\n"
		"  -N ADDR     fail unless the primary DNS from IPCP is ADDR\n"
		"  -O          stop after the TLS handshake (no user needed)\n"
		"  -A          not Windows: wait for the server's LCP request (passive peer)\n"
		"  -v          every packet\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool tls_only = false;
	char *colon;
	size_t i;
	int c;

	opt.tls = &tls_profiles[3];	/* win10 */
	while ((c = getopt(argc, argv, "s:n:C:u:p:t:Pc:d:H:T:m:SD6N:OAv")) != -1) {
		if (c == 't') {
			opt.tls = NULL;
			for (i = 0; i < sizeof(tls_profiles) / sizeof(tls_profiles[0]); i++)
				if (!strcmp(optarg, tls_profiles[i].name))
					opt.tls = &tls_profiles[i];
			if (!opt.tls)
				usage();
		} else if (strchr("snCupc", c)) {
			*(c == 's' ? &opt.addr : c == 'n' ? &opt.host : c == 'C' ? &opt.ca :
			  c == 'u' ? &opt.user : c == 'p' ? &opt.password : &opt.computer) = optarg;
		} else if (strchr("dHT", c)) {
			*(c == 'd' ? &opt.lcp_delay_ms : c == 'H' ? &opt.hold_ms :
			  &opt.timeout_ms) = (unsigned int)atoi(optarg);
		} else if (c == 'm') {
			opt.max_connect_ms = atol(optarg);
		} else if (c == 'N') {
			opt.expect_dns = optarg;
		} else if (c != '?' && strchr("PSD6OAv", c)) {
			*(c == 'P' ? &opt.pap : c == 'S' ? &opt.strict : c == 'D' ? &opt.dhcp_required :
			  c == '6' ? &opt.ipv6_required : c == 'O' ? &tls_only : c == 'A' ? &opt.passive :
			  &opt.verbose) = true;
		} else {
			usage();
		}
	}
	if (!opt.addr || !opt.host || !opt.ca || (!tls_only && (!opt.user || !opt.password)))
		usage();
	colon = strchr(opt.addr, ':');
	if (colon) {
		*colon = 0;
		opt.port = (unsigned int)atoi(colon + 1);
	}
	if (getrandom(&magic, sizeof(magic), 0) != sizeof(magic) ||
	    getrandom(rep.iid, sizeof(rep.iid), 0) != sizeof(rep.iid) ||
	    getrandom(dhcp_client_id, sizeof(dhcp_client_id), 0) != sizeof(dhcp_client_id))
		fail("getrandom");
	rep.iid[0] &= 0xfd;		/* a random identifier: U/L bit clear */
	sstp_deframer_init(&df);
	t0 = now_ms();

	tcp_connect();
	phase = PH_TLS;
	tls_connect();
	if (tls_only) {
		SSL_shutdown(ssl);
		return 0;
	}
	http_request();
	run();
	print_summary();
	verdict();
	printf("ok: Windows-like session, connect %lld ms, teardown %s\n",
	       (long long)(rep.ipcp_up_at - rep.http_at), rep.teardown ? "clean" : "incomplete");
	SSL_free(ssl);
	close(sock);
	return 0;
}
