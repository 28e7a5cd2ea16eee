// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option negotiation automaton seen from the wire: one engine, and the
 * test plays its peer with hand-made packets. Nak/Reject loops, Max-Failure,
 * the restart timer and its counters, termination, Code-Reject, loopback.
 */
#include <arpa/inet.h>
#include <errno.h>

#include "test.h"

#include "ppp/ppp.h"

#define LCP 0xc021
#define IPCP 0x8021
#define IPV6CP 0x8057

struct sent {
	uint8_t p[512];
	size_t len;
};

static struct {
	struct ppp *ppp;
	uint64_t now;
	struct sent out[256];
	int n_out;
	int n_down;
	enum ppp_down_reason reason;
	int n_auth, n_v4, n_v6, n_ncp_down, n_data;
	uint16_t ncp_down_proto;
	struct ppp_ipv4_info v4;
	uint64_t rng;
	char logs[16][200];	/* the engine's log lines */
	int n_logs;
	uint8_t forced[64];	/* random bytes to hand out first */
	size_t n_forced;
	struct ppp_auth_info auth;
} t;

static void cb_send(void *ctx, const uint8_t *f, size_t len)
{
	(void)ctx;
	if (t.n_out < 256) {
		memcpy(t.out[t.n_out].p, f, len < 512 ? len : 512);
		t.out[t.n_out].len = len;
		t.n_out++;
	}
}

static int cb_secret(void *ctx, const char *name, uint8_t *s, size_t size)
{
	(void)ctx;
	if (strcmp(name, "User") || size < 10)
		return -ENOENT;
	memcpy(s, "clientPass", 10);
	return 10;
}

static int cb_auth(void *ctx, const struct ppp_auth_info *i)
{
	(void)ctx;
	t.n_auth++;
	t.auth = *i;
	t.auth.peer_name = NULL;
	return 0;
}

static void cb_v4(void *ctx, const struct ppp_ipv4_info *i)
{
	(void)ctx;
	t.n_v4++;
	t.v4 = *i;
}

static void cb_v6(void *ctx, const struct ppp_ipv6_info *i)
{
	(void)ctx; (void)i;
	t.n_v6++;
}

static void cb_data(void *ctx, uint16_t proto, const uint8_t *p, size_t len)
{
	(void)ctx; (void)proto; (void)p; (void)len;
	t.n_data++;
}

static void cb_ncp_down(void *ctx, uint16_t proto)
{
	(void)ctx;
	t.n_ncp_down++;
	t.ncp_down_proto = proto;
}

static void cb_down(void *ctx, enum ppp_down_reason r, const char *text)
{
	(void)ctx; (void)text;
	t.n_down++;
	t.reason = r;
}

static void cb_log(void *ctx, int prio, const char *msg)
{
	(void)ctx; (void)prio;
	snprintf(t.logs[t.n_logs % 16], sizeof(t.logs[0]), "%s", msg);
	t.n_logs++;
	if (getenv("PPP_TEST_LOG"))
		fprintf(stderr, "%s\n", msg);
}

static int cb_random(void *ctx, void *buf, size_t len)
{
	uint8_t *b = buf;

	(void)ctx;
	for (size_t i = 0; i < len; i++) {
		if (t.n_forced) {
			b[i] = t.forced[0];
			memmove(t.forced, t.forced + 1, --t.n_forced);
			continue;
		}
		t.rng = t.rng * 6364136223846793005ull + 1442695040888963407ull;
		b[i] = (uint8_t)(t.rng >> 33);
	}
	return 0;
}

static const struct ppp_callbacks cbs = {
	.send = cb_send, .get_secret = cb_secret, .auth = cb_auth,
	.ipv4_up = cb_v4, .ipv6_up = cb_v6, .ncp_down = cb_ncp_down,
	.data = cb_data,
	.link_down = cb_down,
	.log = cb_log, .random = cb_random,
};

static struct ppp_config cfg(enum ppp_role role, unsigned int auth)
{
	struct ppp_config c = {
		.role = role, .auth = auth, .name = "u", .password = "p",
		.ipv4 = true, .ipv6 = true,
	};

	if (role == PPP_ROLE_SERVER) {
		inet_pton(AF_INET, "10.0.0.1", &c.ipv4_local);
		inet_pton(AF_INET, "10.0.0.2", &c.ipv4_peer);
		inet_pton(AF_INET, "192.0.2.53", &c.dns[0]);
	}
	return c;
}

static void setup(const struct ppp_config *c)
{
	memset(&t, 0, sizeof(t));
	t.now = 5000;
	t.rng = 42;
	if (ppp_new(c, &cbs, NULL, &t.ppp))
		abort();
	ppp_start(t.ppp, t.now);
}

static void teardown(void)
{
	ppp_free(t.ppp);
	t.ppp = NULL;
}

/* Feed one control packet: proto, code, id, then the option bytes. */
static int feed(uint16_t proto, uint8_t code, uint8_t id, const uint8_t *opts,
		size_t n)
{
	uint8_t f[600] = { 0xff, 0x03, (uint8_t)(proto >> 8), (uint8_t)proto,
			   code, id, (uint8_t)((n + 4) >> 8), (uint8_t)(n + 4) };

	memcpy(f + 8, opts, n);
	return ppp_input(t.ppp, f, n + 8, t.now);
}

#define FEED(proto, code, id, ...)                                     \
	({                                                             \
		static const uint8_t _o[] = { __VA_ARGS__ };           \
		feed(proto, code, id, _o, sizeof(_o));                 \
	})

/* The i-th frame sent with this protocol and code (-1: the last one). */
static const struct sent *sent(uint16_t proto, uint8_t code, int i)
{
	const struct sent *last = NULL;
	int k = 0;

	for (int j = 0; j < t.n_out; j++) {
		const struct sent *s = &t.out[j];

		if (s->len < 8 || s->p[2] != proto >> 8 ||
		    s->p[3] != (proto & 0xff) || s->p[4] != code)
			continue;
		if (k++ == i)
			return s;
		last = s;
	}
	return i < 0 ? last : NULL;
}

static int count(uint16_t proto, uint8_t code)
{
	int n = 0;

	while (sent(proto, code, n))
		n++;
	return n;
}

/* Options of a sent packet. */
static const uint8_t *opts_of(const struct sent *s, size_t *n)
{
	*n = s->len - 8;
	return s->p + 8;
}

/* Ack the engine's last Configure-Request of this protocol. */
static void ack_last_req(uint16_t proto)
{
	const struct sent *s = sent(proto, 1, -1);
	size_t n;
	const uint8_t *o = opts_of(s, &n);

	feed(proto, 2, s->p[5], o, n);
}

static void advance(uint64_t ms)
{
	uint64_t end = t.now + ms;

	while (ppp_deadline(t.ppp) <= end) {
		t.now = ppp_deadline(t.ppp);
		ppp_timer(t.ppp, t.now);
	}
	t.now = end;
}

/* Bring LCP to Opened with an empty peer request. */
static void open_lcp(void)
{
	FEED(LCP, 1, 1, 0x05, 0x06, 0x11, 0x22, 0x33, 0x44);
	ack_last_req(LCP);
}

/* The server's wait for the peer's first LCP frame (ppp_start()). */
#define LCP_WAIT 1000

/* The server's Configure-Request, after its wait ran out. */
static void server_speaks_first(void)
{
	advance(LCP_WAIT);
}

/* Index in t.out of the first frame of this protocol and code, or -1. */
static int sent_at(uint16_t proto, uint8_t code)
{
	for (int j = 0; j < t.n_out; j++)
		if (t.out[j].len >= 8 && t.out[j].p[2] == proto >> 8 &&
		    t.out[j].p[3] == (proto & 0xff) && t.out[j].p[4] == code)
			return j;
	return -1;
}

TEST(first_request_and_ack)
{
	setup(&(struct ppp_config){ .role = PPP_ROLE_SERVER,
				    .auth = PPP_AUTH_MSCHAPV2, .ipv4 = false,
				    .ipv6 = true });
	size_t n;
	const uint8_t *o;

	/* The server lets the peer speak first. */
	CHECK_INT(t.n_out, 0);
	CHECK_INT(ppp_deadline(t.ppp), t.now + LCP_WAIT);
	CHECK_INT(FEED(LCP, 1, 9, 0x01, 0x04, 0x0f, 0xfb, 0x07, 0x02, 0x08, 0x02), 0);
	/* Our request, then the Ack of theirs (RCR in Stopped: scr, sca). */
	CHECK_INT(count(LCP, 1), 1);
	CHECK_INT(sent_at(LCP, 1), 0);
	CHECK_INT(sent_at(LCP, 2), 1);
	o = opts_of(sent(LCP, 1, 0), &n);
	/* Auth-Protocol CHAP/MS-CHAPv2, then Magic-Number; MRU 1500 omitted */
	CHECK_INT(n, 5 + 6);
	CHECK_MEM(o, "\x03\x05\xc2\x23\x81", 5);
	CHECK_INT(o[5], 5);
	CHECK(o[7] | o[8] | o[9] | o[10]);
	CHECK_INT(sent(LCP, 2, -1)->p[5], 9);		/* Ack, same id */
	/* Building our request did not forget what the peer asked for. */
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	CHECK_INT(ppp_peer_mru(t.ppp), 4091);
	teardown();
}

/* A Windows client answers at its own pace: the server's request went out
 * when its wait ran out, and Windows dropped it. Its first request brings
 * ours again at once, with a new identifier, after the answer to its own. */
TEST(server_repeats_blind_request)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	const struct sent *first;

	setup(&c);
	advance(LCP_WAIT - 1);
	CHECK_INT(t.n_out, 0);
	advance(1);
	CHECK_INT(count(LCP, 1), 1);
	first = sent(LCP, 1, 0);
	CHECK_INT(ppp_deadline(t.ppp), t.now + 3000);
	advance(500);
	FEED(LCP, 1, 0, 0x01, 0x04, 0x0f, 0xfb, 0x07, 0x02, 0x08, 0x02);
	CHECK_INT(count(LCP, 1), 2);
	CHECK(sent(LCP, 1, 1)->p[5] != first->p[5]);
	CHECK(sent_at(LCP, 2) < t.n_out - 1);		/* the Ack, then ours */
	CHECK_MEM(sent(LCP, 1, 1)->p + 8, first->p + 8, first->len - 8);
	/* An Ack of the lost one would be stale; the new one opens LCP. */
	feed(LCP, 2, first->p[5], first->p + 8, first->len - 8);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_ESTABLISH);
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	CHECK_INT(count(LCP, 1), 2);
	CHECK_INT(ppp_peer_mru(t.ppp), 4091);
	teardown();
}

/* A peer that got the blind request answers it: nothing is repeated. */
TEST(server_blind_request_answered)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	server_speaks_first();
	ack_last_req(LCP);
	FEED(LCP, 1, 3);
	CHECK_INT(count(LCP, 1), 1);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	teardown();
}

/* The peer's first LCP frame is not a Configure-Request: the wait is over
 * and our request goes out before that frame is handled. */
TEST(server_wait_ended_by_other_frame)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	FEED(LCP, 5, 7);			/* Terminate-Request */
	CHECK_INT(count(LCP, 1), 1);
	CHECK_INT(sent_at(LCP, 1), 0);
	CHECK_INT(sent(LCP, 6, -1)->p[5], 7);	/* Terminate-Ack */
	CHECK_INT(ppp_deadline(t.ppp), t.now + 3000);
	teardown();
}

TEST(server_wait_configured_and_closed)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.lcp_wait_ms = 200;
	setup(&c);
	CHECK_INT(ppp_deadline(t.ppp), t.now + 200);
	/* Closed while waiting: nothing to terminate, down at once. */
	ppp_close(t.ppp, "admin", t.now);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.n_out, 0);
	teardown();
}

/* Did the engine log exactly this line (among the last 16)? */
static int logged(const char *line)
{
	for (int i = 0; i < 16 && i < t.n_logs; i++)
		if (!strcmp(t.logs[i], line))
			return 1;
	return 0;
}

/* sstpd's client asks as Windows does: MRU 4091, Magic, PFC, ACFC, and
 * says who it is in an Identification once LCP is up. */
TEST(client_windows_shaped_lcp)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	const struct sent *s, *id;
	size_t n;
	const uint8_t *o;

	c.mru = 4091;
	c.request_pfc_acfc = true;
	c.ident = "sstpd 1.2.3";
	setup(&c);
	o = opts_of(sent(LCP, 1, 0), &n);
	CHECK_INT(n, 4 + 6 + 2 + 2);
	CHECK_MEM(o, "\x01\x04\x0f\xfb\x05\x06", 6);
	CHECK_MEM(o + 10, "\x07\x02\x08\x02", 4);
	/* A server that will not do them: both dropped, the rest stays. */
	FEED(LCP, 4, sent(LCP, 1, 0)->p[5], 0x07, 0x02, 0x08, 0x02);
	s = sent(LCP, 1, 1);
	CHECK_INT(s->len, 8 + 4 + 6);
	CHECK_INT(count(LCP, 12), 0);
	FEED(LCP, 1, 1, 0x03, 0x05, 0xc2, 0x23, 0x81);
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	id = sent(LCP, 12, 0);
	CHECK(id);
	CHECK_INT(count(LCP, 12), 1);
	CHECK_INT(id->len, 8 + 4 + 11);
	CHECK_MEM(id->p + 8, s->p + 8 + 6, 4);		/* our magic number */
	CHECK_MEM(id->p + 12, "sstpd 1.2.3", 11);
	teardown();
}

/* Windows' three Identification packets are taken quietly and logged; the
 * third is its SSTPCORRELATIONID in Windows' GUID layout. */
TEST(server_logs_windows_identification)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);

	setup(&c);
	open_lcp();
	FEED(LCP, 12, 2, 0x11, 0x22, 0x33, 0x44, 'M', 'S', 'R', 'A', 'S', 'V', '5', '.',
	     '2', '0');
	FEED(LCP, 12, 3, 0x11, 0x22, 0x33, 0x44, 'M', 'S', 'R', 'A', 'S', '-', '0', '-',
	     'P', 'C', 0x01);
	FEED(LCP, 12, 4, 0x11, 0x22, 0x33, 0x44, 0x77, 0xe2, 0xff, 0xd0, 0x4e, 0x16, 0x91,
	     0x4a, 0xac, 0x4c, 0x6e, 0x62, 0xea, 0x8e, 0x87, 0xf6);
	CHECK_INT(count(LCP, 7), 0);			/* no Code-Reject */
	CHECK(logged("LCP: peer identification 'MSRASV5.20'"));
	CHECK(logged("LCP: peer identification 'MSRAS-0-PC?'"));
	CHECK(logged("LCP: peer identification {D0FFE277-164E-4A91-AC4C-6E62EA8E87F6}"));
	teardown();
}

/* The client speaks first, as Windows does. */
TEST(client_sends_at_once)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);

	setup(&c);
	CHECK_INT(count(LCP, 1), 1);
	CHECK_INT(ppp_deadline(t.ppp), t.now + 3000);
	teardown();
}

TEST(nak_loop_turns_into_reject)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);

	setup(&c);
	/* MRU 64 is too small: Nak with 128, five times (Max-Failure)... */
	for (int i = 0; i < 5; i++)
		FEED(LCP, 1, (uint8_t)(10 + i), 0x01, 0x04, 0x00, 0x40);
	CHECK_INT(count(LCP, 3), 5);
	CHECK_MEM(sent(LCP, 3, 0)->p + 8, "\x01\x04\x00\x80", 4);
	CHECK_INT(count(LCP, 4), 0);
	/* ...then the option is rejected instead. */
	FEED(LCP, 1, 20, 0x01, 0x04, 0x00, 0x40);
	CHECK_INT(count(LCP, 4), 1);
	CHECK_MEM(sent(LCP, 4, 0)->p + 8, "\x01\x04\x00\x40", 4);
	/* An acceptable request resets the count. */
	FEED(LCP, 1, 21, 0x01, 0x04, 0x05, 0x78);
	CHECK_INT(sent(LCP, 2, -1)->p[5], 21);
	FEED(LCP, 1, 22, 0x01, 0x04, 0x00, 0x40);
	CHECK_INT(count(LCP, 3), 6);
	teardown();
}

TEST(unknown_options_rejected_alone)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	size_t n;
	const uint8_t *o;

	setup(&c);
	/* MRU ok, Quality-Protocol and Callback unknown, MRU too small: only
	 * the rejects go back (Reject takes precedence over Nak). */
	FEED(LCP, 1, 3, 0x01, 0x04, 0x05, 0xdc, 0x04, 0x08, 0xc0, 0x25, 0, 0, 0, 1,
	     0x0d, 0x03, 0x06);
	o = opts_of(sent(LCP, 4, 0), &n);
	CHECK_INT(n, 8 + 3);
	CHECK_MEM(o, "\x04\x08\xc0\x25\x00\x00\x00\x01\x0d\x03\x06", 11);
	/* The server does not authenticate itself. */
	FEED(LCP, 1, 4, 0x03, 0x04, 0xc0, 0x23);
	o = opts_of(sent(LCP, 4, 1), &n);
	CHECK_MEM(o, "\x03\x04\xc0\x23", 4);
	teardown();
}

TEST(malformed_options_dropped)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	int before;

	setup(&c);
	before = t.n_out;
	CHECK_INT(FEED(LCP, 1, 3, 0x01, 0x01), -EINVAL);	/* len 1 */
	CHECK_INT(FEED(LCP, 1, 3, 0x01, 0x09, 0x00), -EINVAL);	/* overruns */
	CHECK_INT(FEED(LCP, 1, 3, 0x01), -EINVAL);
	/* Packet length field beyond the frame. */
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\xff\x03\xc0\x21\x01\x01\x00\x20",
			    8, t.now), -EINVAL);
	/* Larger than any control packet we handle (4096). */
	{
		static uint8_t big[8 + 5000] = { 0xff, 0x03, 0xc0, 0x21, 9, 1,
						 (8 + 5000 - 4) >> 8,
						 (uint8_t)(8 + 5000 - 4) };

		CHECK_INT(ppp_input(t.ppp, big, sizeof(big), t.now), -EINVAL);
	}
	CHECK_INT(t.n_out, before);
	/* Bytes after the length field are padding and ignored. */
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\xff\x03\xc0\x21\x01\x07\x00\x04\xee\xee",
			    10, t.now), 0);
	CHECK_INT(sent(LCP, 2, -1)->p[5], 7);
	CHECK_INT(sent(LCP, 2, -1)->len, 8);
	teardown();
}

TEST(our_request_adjusted_by_nak_and_reject)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_ALL);
	const struct sent *s;
	size_t n;
	const uint8_t *o;

	c.mru = 1400;
	setup(&c);
	s = sent(LCP, 1, 0);
	o = opts_of(s, &n);
	CHECK_MEM(o, "\x01\x04\x05\x78", 4);
	CHECK_INT(o[4], 5);
	/* Nak the MRU down to 1300, and the magic number. */
	FEED(LCP, 3, s->p[5], 0x01, 0x04, 0x05, 0x14, 0x05, 0x06, 1, 2, 3, 4);
	s = sent(LCP, 1, 1);
	CHECK(s);
	o = opts_of(s, &n);
	CHECK_MEM(o, "\x01\x04\x05\x14", 4);
	CHECK(memcmp(o + 6, sent(LCP, 1, 0)->p + 8 + 6, 4) != 0);
	/* A stale Nak (old id) changes nothing. */
	FEED(LCP, 3, sent(LCP, 1, 0)->p[5], 0x01, 0x04, 0x02, 0x00);
	CHECK_INT(count(LCP, 1), 2);
	/* Reject both: the next request is empty. */
	FEED(LCP, 4, s->p[5], 0x01, 0x04, 0x05, 0x14, 0x05, 0x06, 0, 0, 0, 0);
	s = sent(LCP, 1, 2);
	CHECK(s);
	CHECK_INT(s->len, 8);
	teardown();
}

TEST(bogus_ack_ignored)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	const struct sent *s;

	setup(&c);
	FEED(LCP, 1, 1);
	s = sent(LCP, 1, 0);
	/* Wrong id, then right id with different options: neither opens. */
	feed(LCP, 2, (uint8_t)(s->p[5] + 1), s->p + 8, s->len - 8);
	FEED(LCP, 2, s->p[5], 0x05, 0x06, 0, 0, 0, 1);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_ESTABLISH);
	CHECK_INT(t.n_auth, 0);
	ack_last_req(LCP);
	/* No auth configured: straight to the network phase. */
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	CHECK_INT(t.n_auth, 1);
	CHECK_INT(count(IPCP, 1), 1);
	teardown();
}

TEST(restart_timer_and_max_configure)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	uint64_t t0;

	setup(&c);
	server_speaks_first();
	t0 = t.now;
	CHECK_INT(ppp_deadline(t.ppp), t0 + 3000);
	advance(2999);
	CHECK_INT(count(LCP, 1), 1);
	advance(1);
	CHECK_INT(count(LCP, 1), 2);
	/* Every retransmission carries a new identifier. */
	CHECK(sent(LCP, 1, 0)->p[5] != sent(LCP, 1, 1)->p[5]);
	advance(100000);
	CHECK_INT(count(LCP, 1), 10);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_NEGOTIATION);
	CHECK_INT(ppp_deadline(t.ppp), PPP_NO_DEADLINE);
	teardown();
}

TEST(configured_timers)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.restart_ms = 1000;
	c.max_configure = 3;
	setup(&c);
	advance(10000);
	CHECK_INT(count(LCP, 1), 3);
	CHECK_INT(t.n_down, 1);
	teardown();
}

TEST(peer_terminates_opened_link)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	int n;

	setup(&c);
	open_lcp();
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	FEED(LCP, 5, 77);
	CHECK_INT(sent(LCP, 6, -1)->p[5], 77);	/* Terminate-Ack */
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_TERMINATE);
	CHECK_INT(t.n_down, 0);
	/* RFC 1661: wait one restart period before finishing. */
	advance(3000);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_PEER_TERMINATED);
	/* A dead engine ignores everything. */
	n = t.n_out;
	CHECK_INT(FEED(LCP, 1, 1), 0);
	CHECK_INT(t.n_out, n);
	teardown();
}

TEST(close_max_terminate)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	open_lcp();
	ppp_close(t.ppp, "bye", t.now);
	CHECK_INT(count(LCP, 5), 1);
	advance(3000);
	CHECK_INT(count(LCP, 5), 2);
	CHECK_INT(t.n_down, 0);
	advance(3000);
	CHECK_INT(count(LCP, 5), 2);	/* Max-Terminate = 2 */
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_CLOSED);
	teardown();
}

TEST(close_answered_by_terminate_ack)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	open_lcp();
	ppp_close(t.ppp, "bye", t.now);
	FEED(LCP, 6, sent(LCP, 5, 0)->p[5]);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_CLOSED);
	teardown();
}

TEST(unknown_code_rejected)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	const struct sent *s;

	setup(&c);
	open_lcp();
	FEED(LCP, 99, 5, 0xaa, 0xbb);
	s = sent(LCP, 7, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 6);
	CHECK_MEM(s->p + 8, "\x63\x05\x00\x06\xaa\xbb", 6);
	/* Identification and Discard-Request are dropped quietly. */
	FEED(LCP, 12, 6, 0, 0, 0, 0, 'W', 'i', 'n');
	FEED(LCP, 11, 7, 0, 0, 0, 0);
	CHECK_INT(count(LCP, 7), 1);
	/* A Code-Reject of Echo is harmless; of Configure-Request fatal. */
	FEED(LCP, 7, 8, 9, 1, 0, 8, 0, 0, 0, 0);
	CHECK_INT(t.n_down, 0);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	FEED(LCP, 7, 9, 1, 1, 0, 4);
	CHECK_INT(count(LCP, 5), 1);	/* terminating */
	teardown();
}

TEST(protocol_reject_only_when_opened)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	FEED(0x80fd, 1, 1);
	CHECK_INT(count(LCP, 8), 0);
	open_lcp();
	FEED(0x80fd, 1, 1, 0x12, 0x06, 0, 0, 0, 0x40);
	CHECK_INT(count(LCP, 8), 1);
	CHECK_MEM(sent(LCP, 8, 0)->p + 8, "\x80\xfd\x01\x01\x00\x0a", 6);
	teardown();
}

/* The link is looped back: everything we send comes back to us. */
TEST(loopback_detected)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	int done = 0;

	setup(&c);
	for (int guard = 0; guard < 1000 && !t.n_down; guard++) {
		while (done < t.n_out && !t.n_down) {
			struct sent s = t.out[done++];

			ppp_input(t.ppp, s.p, s.len, t.now);
		}
		if (!t.n_down && ppp_deadline(t.ppp) != PPP_NO_DEADLINE) {
			t.now = ppp_deadline(t.ppp);
			ppp_timer(t.ppp, t.now);
		}
	}
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_LOOPBACK);
	teardown();
}

TEST(server_auth_nak_walks_methods)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_PAP | PPP_AUTH_CHAP_MD5 |
					       PPP_AUTH_MSCHAPV2);
	const struct sent *s;

	setup(&c);
	server_speaks_first();
	s = sent(LCP, 1, 0);
	CHECK_MEM(s->p + 8, "\x03\x05\xc2\x23\x81", 5);
	/* The peer wants EAP: we go down our own list. */
	FEED(LCP, 3, s->p[5], 0x03, 0x04, 0xc2, 0x27);
	s = sent(LCP, 1, 1);
	CHECK_MEM(s->p + 8, "\x03\x05\xc2\x23\x05", 5);
	/* It suggests PAP: allowed, take it. */
	FEED(LCP, 3, s->p[5], 0x03, 0x04, 0xc0, 0x23);
	s = sent(LCP, 1, 2);
	CHECK_MEM(s->p + 8, "\x03\x04\xc0\x23", 4);
	/* It Naks PAP too: nothing left. */
	FEED(LCP, 3, s->p[5], 0x03, 0x05, 0xc2, 0x23, 0x81);
	CHECK_INT(count(LCP, 5), 1);
	advance(10000);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_NEGOTIATION);
	teardown();
}

TEST(server_auth_rejected_is_fatal)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	const struct sent *s;

	setup(&c);
	server_speaks_first();
	s = sent(LCP, 1, 0);
	FEED(LCP, 4, s->p[5], 0x03, 0x05, 0xc2, 0x23, 0x81);
	CHECK_INT(count(LCP, 5), 1);
	CHECK_INT(count(LCP, 1), 1);
	teardown();
}

TEST(client_naks_unsupported_auth)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2 | PPP_AUTH_PAP);
	const struct sent *s;

	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x04, 0xc2, 0x27);	/* EAP */
	s = sent(LCP, 3, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 5);
	CHECK_MEM(s->p + 8, "\x03\x05\xc2\x23\x81", 5);
	FEED(LCP, 1, 2, 0x03, 0x05, 0xc2, 0x23, 0x05);	/* CHAP-MD5: no */
	CHECK_INT(count(LCP, 3), 2);
	FEED(LCP, 1, 3, 0x03, 0x04, 0xc0, 0x23);	/* PAP: yes */
	CHECK_INT(sent(LCP, 2, -1)->p[5], 3);
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	/* The client speaks first with PAP: name "u", password "p". */
	CHECK(sent(0xc023, 1, 0));
	CHECK_MEM(sent(0xc023, 1, 0)->p + 8, "\x01u\x01p", 4);
	teardown();
}

TEST(ipcp_server_assigns_and_rejects)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	const struct sent *s;

	setup(&c);
	open_lcp();
	s = sent(IPCP, 1, 0);
	CHECK(s);
	CHECK_MEM(s->p + 8, "\x03\x06\x0a\x00\x00\x01", 6);
	/* VJ compression and WINS: rejected. */
	FEED(IPCP, 1, 1, 0x02, 0x06, 0x00, 0x2d, 0x0f, 0x01,
	     0x03, 0x06, 0, 0, 0, 0, 0x82, 0x06, 0, 0, 0, 0);
	s = sent(IPCP, 4, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 12);
	CHECK_MEM(s->p + 8, "\x02\x06\x00\x2d\x0f\x01\x82\x06", 8);
	/* 0.0.0.0 and DNS: Nak'ed with the assigned values; no secondary
	 * DNS configured, so that one is rejected. */
	FEED(IPCP, 1, 2, 0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0);
	s = sent(IPCP, 3, 0);
	CHECK(s);
	CHECK_MEM(s->p + 8, "\x03\x06\x0a\x00\x00\x02\x81\x06\xc0\x00\x02\x35", 12);
	FEED(IPCP, 1, 3, 0x83, 0x06, 0, 0, 0, 0);
	CHECK_MEM(sent(IPCP, 4, 1)->p + 8, "\x83\x06\x00\x00\x00\x00", 6);
	/* The peer asks for another address than assigned: Nak again. */
	FEED(IPCP, 1, 4, 0x03, 0x06, 10, 0, 0, 99);
	CHECK_MEM(sent(IPCP, 3, 1)->p + 8, "\x03\x06\x0a\x00\x00\x02", 6);
	FEED(IPCP, 1, 5, 0x03, 0x06, 10, 0, 0, 2, 0x81, 0x06, 192, 0, 2, 53);
	CHECK_INT(sent(IPCP, 2, -1)->p[5], 5);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 1);
	CHECK_INT(t.v4.peer.s_addr, htonl(0x0a000002));
	CHECK_INT(t.v4.dns[0].s_addr, htonl(0xc0000235));
	CHECK_INT(t.v4.dns[1].s_addr, 0);
	teardown();
}

TEST(ipcp_client_takes_nak)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_NONE);
	const struct sent *s;

	c.request_dns = true;
	c.ipv6 = false;
	setup(&c);
	open_lcp();
	s = sent(IPCP, 1, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 18);
	CHECK_MEM(s->p + 8, "\x03\x06\0\0\0\0\x81\x06\0\0\0\0\x83\x06\0\0\0\0", 18);
	FEED(IPCP, 3, s->p[5], 0x03, 0x06, 10, 1, 2, 3, 0x81, 0x06, 8, 8, 8, 8);
	s = sent(IPCP, 1, 1);
	CHECK_MEM(s->p + 8, "\x03\x06\x0a\x01\x02\x03\x81\x06\x08\x08\x08\x08\x83\x06\0\0\0\0", 18);
	/* No secondary DNS on offer. */
	FEED(IPCP, 4, s->p[5], 0x83, 0x06, 0, 0, 0, 0);
	s = sent(IPCP, 1, 2);
	CHECK_INT(s->len, 8 + 12);
	ack_last_req(IPCP);
	/* The server's request: address 10.1.0.1; compression rejected. */
	FEED(IPCP, 1, 40, 0x03, 0x06, 10, 1, 0, 1, 0x02, 0x04, 0x00, 0x2d);
	CHECK_MEM(sent(IPCP, 4, -1)->p + 8, "\x02\x04\x00\x2d", 4);
	CHECK_INT(t.n_v4, 0);
	FEED(IPCP, 1, 41, 0x03, 0x06, 10, 1, 0, 1);
	CHECK_INT(t.n_v4, 1);
	CHECK_INT(t.v4.local.s_addr, htonl(0x0a010203));
	CHECK_INT(t.v4.peer.s_addr, htonl(0x0a010001));
	CHECK_INT(t.v4.dns[0].s_addr, htonl(0x08080808));
	CHECK_INT(t.v4.dns[1].s_addr, 0);
	teardown();
}

TEST(ipv6cp_identifier_collisions)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);
	const struct sent *s;
	uint8_t ours[8], opt[10] = { 1, 10 };

	c.ipv4 = false;
	setup(&c);
	open_lcp();
	s = sent(IPV6CP, 1, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 10);
	memcpy(ours, s->p + 10, 8);
	CHECK(memcmp(ours, "\0\0\0\0\0\0\0\0", 8) != 0);
	/* The peer proposes our own identifier: Nak with another one. */
	memcpy(opt + 2, ours, 8);
	feed(IPV6CP, 1, 1, opt, 10);
	s = sent(IPV6CP, 3, 0);
	CHECK(s);
	CHECK(memcmp(s->p + 10, ours, 8) != 0);
	CHECK(memcmp(s->p + 10, "\0\0\0\0\0\0\0\0", 8) != 0);
	/* Zero: Nak too. */
	FEED(IPV6CP, 1, 2, 1, 10, 0, 0, 0, 0, 0, 0, 0, 0);
	CHECK_INT(count(IPV6CP, 3), 2);
	/* Our own Nak'ed to the peer's id: we pick a fresh one instead. */
	s = sent(IPV6CP, 1, -1);
	FEED(IPV6CP, 1, 3, 1, 10, 1, 2, 3, 4, 5, 6, 7, 8);
	FEED(IPV6CP, 3, s->p[5], 1, 10, 1, 2, 3, 4, 5, 6, 7, 8);
	s = sent(IPV6CP, 1, -1);
	CHECK(memcmp(s->p + 10, "\x01\x02\x03\x04\x05\x06\x07\x08", 8) != 0);
	/* A usable suggestion is taken. */
	FEED(IPV6CP, 3, s->p[5], 1, 10, 9, 9, 9, 9, 9, 9, 9, 9);
	s = sent(IPV6CP, 1, -1);
	CHECK_MEM(s->p + 10, "\x09\x09\x09\x09\x09\x09\x09\x09", 8);
	ack_last_req(IPV6CP);
	CHECK_INT(t.n_v6, 1);
	teardown();
}

TEST(ncp_protocol_rejected_by_peer)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	setup(&c);
	open_lcp();
	/* Windows Protocol-Rejects CCP over SSTP: harmless, we run none. */
	FEED(LCP, 8, 49, 0x80, 0xfd, 1, 1, 0, 4);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	/* IPV6CP rejected: IPv4 goes on. Then IPCP too: nothing left. */
	FEED(LCP, 8, 50, 0x80, 0x57, 1, 1, 0, 4);
	CHECK_INT(count(LCP, 5), 0);
	FEED(LCP, 8, 51, 0x80, 0x21, 1, 1, 0, 4);
	CHECK_INT(count(LCP, 5), 1);
	advance(10000);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_NEGOTIATION);
	teardown();
}

/*
 * MS-CHAPv2 on the wire with the RFC 2759 9.2 / RFC 3079 3.5.3 values:
 * the server's challenge is forced to the RFC's AuthenticatorChallenge and
 * the client's peer challenge to its PeerChallenge, so the packets and keys
 * must carry exactly the RFC's numbers.
 */
#define RFC_AUTH_CHAL "\x5B\x5D\x7C\x7D\x7B\x3F\x2F\x3E\x3C\x2C\x60\x21\x32\x26\x26\x28"
#define RFC_PEER_CHAL "\x21\x40\x23\x24\x25\x5E\x26\x2A\x28\x29\x5F\x2B\x3A\x33\x7C\x7E"
#define RFC_NT_RESP "\x82\x30\x9E\xCD\x8D\x70\x8B\x5E\xA0\x8F\xAA\x39\x81\xCD\x83\x54\x42\x33\x11\x4A\x3D\x85\xD6\xDF"
#define RFC_AUTH_RESP "S=407A5589115FD0D6209F510FE9C04566932CDA56"
#define RFC_START_KEY "\x8B\x7C\xDC\x14\x9B\x99\x3A\x1B\xA1\x18\xCB\x15\x3F\x56\xDC\xCB"

/* The RFC's MS-CHAPv2 Response value (49 bytes) and the name "User". */
static void rfc_response_value(uint8_t *v)
{
	v[0] = 49;
	memcpy(v + 1, RFC_PEER_CHAL, 16);
	memset(v + 17, 0, 8);
	memcpy(v + 25, RFC_NT_RESP, 24);
	v[49] = 0;
	memcpy(v + 50, "User", 4);
}

TEST(mschapv2_server_wire_rfc_vectors)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	uint8_t resp[1 + 49 + 4];
	const struct sent *s;

	c.name = "sstpd";
	setup(&c);
	memcpy(t.forced, RFC_AUTH_CHAL "\x2a", 17);
	t.n_forced = 17;
	open_lcp();
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	s = sent(0xc223, 1, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 0x2a);
	CHECK_INT(s->len, 8 + 1 + 16 + 5);
	CHECK_INT(s->p[8], 16);
	CHECK_MEM(s->p + 9, RFC_AUTH_CHAL, 16);
	CHECK_MEM(s->p + 25, "sstpd", 5);

	rfc_response_value(resp);
	CHECK_INT(feed(0xc223, 2, 0x2a, resp, sizeof(resp)), 0);
	s = sent(0xc223, 3, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 0x2a);
	CHECK_INT(s->len, 8 + 42 + 17);
	CHECK_MEM(s->p + 8, RFC_AUTH_RESP " M=Access granted", 42 + 17);
	CHECK_INT(t.n_auth, 1);
	CHECK(t.auth.has_keys);
	/* Server send key = client receive key = the RFC's start key; it
	 * is the second half of the HLAK. */
	CHECK_MEM(t.auth.send_key, RFC_START_KEY, 16);
	CHECK_MEM(t.auth.hlak + 16, RFC_START_KEY, 16);
	CHECK_MEM(t.auth.hlak, t.auth.recv_key, 16);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	/* A repeated response (our Success was lost) gets it again. */
	CHECK_INT(feed(0xc223, 2, 0x2a, resp, sizeof(resp)), 0);
	CHECK_INT(count(0xc223, 3), 2);
	CHECK_INT(t.n_auth, 1);
	teardown();
}

TEST(mschapv2_server_bad_response)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_MSCHAPV2);
	uint8_t resp[1 + 49 + 4];
	const struct sent *s;

	setup(&c);
	memcpy(t.forced, RFC_AUTH_CHAL "\x2a", 17);
	t.n_forced = 17;
	open_lcp();
	rfc_response_value(resp);
	/* Wrong id: an answer to some other challenge, ignored. */
	CHECK_INT(feed(0xc223, 2, 0x2b, resp, sizeof(resp)), 0);
	CHECK_INT(count(0xc223, 3) + count(0xc223, 4), 0);
	/* A NUL in the name: malformed, dropped (the challenge will be
	 * repeated). */
	resp[0] = 48;
	CHECK_INT(feed(0xc223, 2, 0x2a, resp, sizeof(resp)), 0);
	CHECK_INT(count(0xc223, 3) + count(0xc223, 4), 0);
	/* Well-formed, wrong NT-Response: Failure, no retry offered. */
	resp[0] = 49;
	resp[30] ^= 1;
	CHECK_INT(feed(0xc223, 2, 0x2a, resp, sizeof(resp)), 0);
	CHECK_INT(count(0xc223, 3), 0);
	s = sent(0xc223, 4, 0);
	CHECK(s);
	CHECK(!memcmp(s->p + 8, "E=691 R=0 C=5B5D7C7D7B3F2F3E3C2C602132262628 V=3", 48));
	CHECK_INT(t.n_auth, 0);
	CHECK_INT(count(LCP, 5), 1);
	advance(10000);
	CHECK_INT(t.reason, PPP_DOWN_AUTH_FAILED);
	teardown();
}

TEST(mschapv2_client_wire_rfc_vectors)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	uint8_t chal[1 + 16 + 5];
	const struct sent *s;

	c.name = "User";
	c.password = "clientPass";
	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x05, 0xc2, 0x23, 0x81, 0x05, 0x06, 1, 2, 3, 4);
	memcpy(t.forced, RFC_PEER_CHAL, 16);
	t.n_forced = 16;
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	chal[0] = 16;
	memcpy(chal + 1, RFC_AUTH_CHAL, 16);
	memcpy(chal + 17, "sstpd", 5);
	CHECK_INT(feed(0xc223, 1, 7, chal, sizeof(chal)), 0);
	s = sent(0xc223, 2, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 7);
	CHECK_INT(s->len, 8 + 1 + 49 + 4);
	CHECK_INT(s->p[8], 49);
	CHECK_MEM(s->p + 9, RFC_PEER_CHAL, 16);
	CHECK_MEM(s->p + 25, "\0\0\0\0\0\0\0\0", 8);
	CHECK_MEM(s->p + 33, RFC_NT_RESP, 24);
	CHECK_INT(s->p[57], 0);
	CHECK_MEM(s->p + 58, "User", 4);
	/* The challenge again (our response was lost): the same response. */
	CHECK_INT(feed(0xc223, 1, 7, chal, sizeof(chal)), 0);
	CHECK_INT(count(0xc223, 2), 2);
	CHECK_MEM(sent(0xc223, 2, 1)->p, s->p, s->len);
	/* Lower-case hex in the authenticator response is fine. */
	CHECK_INT(feed(0xc223, 3, 7, (const uint8_t *)
		       "S=407a5589115fd0d6209f510fe9c04566932cda56 M=ok", 47), 0);
	CHECK_INT(t.n_auth, 1);
	CHECK(t.auth.has_keys);
	CHECK_MEM(t.auth.recv_key, RFC_START_KEY, 16);
	CHECK_MEM(t.auth.hlak + 16, RFC_START_KEY, 16);
	CHECK_MEM(t.auth.hlak, t.auth.send_key, 16);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	teardown();
}

TEST(mschapv2_client_refuses_forged_success)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_MSCHAPV2);
	uint8_t chal[1 + 16];

	c.name = "User";
	c.password = "clientPass";
	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x05, 0xc2, 0x23, 0x81);
	memcpy(t.forced, RFC_PEER_CHAL, 16);
	t.n_forced = 16;
	ack_last_req(LCP);
	chal[0] = 16;
	memcpy(chal + 1, RFC_AUTH_CHAL, 16);
	feed(0xc223, 1, 7, chal, sizeof(chal));
	/* A server that does not know the password cannot produce S=. */
	CHECK_INT(feed(0xc223, 3, 7, (const uint8_t *)
		       "S=0000000000000000000000000000000000000000", 42), 0);
	CHECK_INT(t.n_auth, 0);
	CHECK_INT(count(LCP, 5), 1);
	advance(10000);
	CHECK_INT(t.reason, PPP_DOWN_AUTH_FAILED);
	teardown();
}

/* CHAP-MD5 responses: MD5(id || secret || challenge), values from
 * `openssl md5` over those bytes. */
TEST(chap_md5_server_wire)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_CHAP_MD5);
	uint8_t resp[1 + 16 + 4] = { 16 };
	const struct sent *s;

	setup(&c);
	memcpy(t.forced, RFC_AUTH_CHAL "\x2a", 17);
	t.n_forced = 17;
	open_lcp();
	s = sent(0xc223, 1, 0);
	CHECK(s);
	CHECK_MEM(s->p + 8, "\x10" RFC_AUTH_CHAL, 17);
	test_unhex("9966cfdea8173477fb942a7606aeb0c7", resp + 1, 16);
	memcpy(resp + 17, "User", 4);
	CHECK_INT(feed(0xc223, 2, 0x2a, resp, sizeof(resp)), 0);
	s = sent(0xc223, 3, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 0x2a);
	CHECK_INT(t.n_auth, 1);
	CHECK(!t.auth.has_keys);
	CHECK_INT(t.auth.method, PPP_AUTH_CHAP_MD5);
	teardown();
}

TEST(chap_md5_client_wire)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_CHAP_MD5);
	uint8_t want[16];
	const struct sent *s;

	c.name = "User";
	c.password = "clientPass";
	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x05, 0xc2, 0x23, 0x05);
	ack_last_req(LCP);
	/* A 5-byte challenge (any size is allowed) from "gw". */
	FEED(0xc223, 1, 7, 5, 1, 2, 3, 4, 5, 'g', 'w');
	s = sent(0xc223, 2, 0);
	CHECK(s);
	CHECK_INT(s->len, 8 + 1 + 16 + 4);
	CHECK_INT(s->p[8], 16);
	test_unhex("cc14ab9f589cfca46af302d55096d766", want, 16);
	CHECK_MEM(s->p + 9, want, 16);
	CHECK_MEM(s->p + 25, "User", 4);
	FEED(0xc223, 3, 7, 'o', 'k');
	CHECK_INT(t.n_auth, 1);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	teardown();
}

TEST(pap_server_wire)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_PAP);
	const struct sent *s;

	setup(&c);
	open_lcp();
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	/* Truncated: dropped, no answer. */
	FEED(0xc023, 1, 3, 4, 'U', 's', 'e', 'r', 20, 'x');
	CHECK_INT(count(0xc023, 2) + count(0xc023, 3), 0);
	FEED(0xc023, 1, 3, 4, 'U', 's', 'e', 'r', 10,
	     'c', 'l', 'i', 'e', 'n', 't', 'P', 'a', 's', 's');
	s = sent(0xc023, 2, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 3);
	CHECK_MEM(s->p + 8, "\x08Login ok", 9);
	CHECK_INT(t.n_auth, 1);
	teardown();
}

/* The peer closes IPCP but keeps LCP: IPv4 goes down at once; with no
 * other NCP the link is closed once IPCP has finished. */
TEST(peer_terminates_ipcp_only)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.ipv6 = false;
	setup(&c);
	open_lcp();
	FEED(IPCP, 1, 1, 0x03, 0x06, 10, 0, 0, 2);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 1);
	CHECK(ppp_ipv4_is_up(t.ppp));
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\x21\x45\0\0\x14", 5, t.now), 0);
	CHECK_INT(t.n_data, 1);
	FEED(IPCP, 5, 9);
	CHECK_INT(sent(IPCP, 6, -1)->p[5], 9);
	CHECK_INT(t.n_ncp_down, 1);
	CHECK_INT(t.ncp_down_proto, IPCP);
	CHECK(!ppp_ipv4_is_up(t.ppp));
	/* Data for IPv4 is no longer delivered. */
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\x21\x45\0\0\x14", 5, t.now), 0);
	CHECK_INT(t.n_data, 1);
	CHECK_INT(count(LCP, 5), 0);
	advance(3000);
	CHECK_INT(count(LCP, 5), 1);
	advance(10000);
	CHECK_INT(t.n_down, 1);
	CHECK_INT(t.reason, PPP_DOWN_NEGOTIATION);
	teardown();
}

/* The peer renegotiates IPCP on an open link (a new Configure-Request in
 * Opened): IPv4 goes down at once (ncp_down) and comes up again with the
 * new agreement, while LCP and the session stay. */
TEST(peer_renegotiates_ipcp)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.ipv6 = false;
	setup(&c);
	open_lcp();
	FEED(IPCP, 1, 1, 0x03, 0x06, 10, 0, 0, 2);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 1);
	CHECK_INT(t.n_ncp_down, 0);
	FEED(IPCP, 1, 2, 0x03, 0x06, 10, 0, 0, 2);
	CHECK_INT(t.n_ncp_down, 1);
	CHECK_INT(t.ncp_down_proto, IPCP);
	CHECK(!ppp_ipv4_is_up(t.ppp));
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\x21\x45\0\0\x14", 5, t.now), 0);
	CHECK_INT(t.n_data, 0);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 2);
	CHECK(ppp_ipv4_is_up(t.ppp));
	CHECK_INT(ppp_input(t.ppp, (const uint8_t *)"\x21\x45\0\0\x14", 5, t.now), 0);
	CHECK_INT(t.n_data, 1);
	CHECK_INT(t.n_down, 0);
	teardown();
}

/* ppp_ncp_close(): Terminate-Request for that NCP only, ncp_down at once;
 * ppp_ncp_open() from Closed sends a fresh Configure-Request. */
TEST(admin_ncp_close_and_open)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.ipv6 = true;
	setup(&c);
	CHECK_INT(ppp_ncp_close(t.ppp, IPCP, t.now), -ENOTCONN);
	open_lcp();
	CHECK_INT(ppp_ncp_close(t.ppp, LCP, t.now), -EINVAL);
	FEED(IPCP, 1, 1, 0x03, 0x06, 10, 0, 0, 2);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 1);
	CHECK_INT(ppp_ncp_close(t.ppp, IPCP, t.now), 0);
	CHECK_INT(t.n_ncp_down, 1);
	CHECK_INT(t.ncp_down_proto, IPCP);
	CHECK_INT(count(IPCP, 5), 1);
	CHECK_INT(count(LCP, 5), 0);
	FEED(IPCP, 6, sent(IPCP, 5, -1)->p[5]);
	/* IPV6CP is still negotiating, so the link stays. */
	advance(1000);
	CHECK_INT(t.n_down, 0);
	CHECK_INT(ppp_ncp_open(t.ppp, IPCP, t.now), 0);
	CHECK_INT(count(IPCP, 1), 2);
	FEED(IPCP, 1, 2, 0x03, 0x06, 10, 0, 0, 2);
	ack_last_req(IPCP);
	CHECK_INT(t.n_v4, 2);
	CHECK(ppp_ipv4_is_up(t.ppp));
	CHECK_INT(t.n_down, 0);
	teardown();
}

TEST(admin_ncp_not_enabled)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_NONE);

	c.ipv6 = false;
	setup(&c);
	open_lcp();
	CHECK_INT(ppp_ncp_close(t.ppp, 0x8057, t.now), -EOPNOTSUPP);
	CHECK_INT(ppp_ncp_open(t.ppp, 0x8057, t.now), -EOPNOTSUPP);
	teardown();
}

/* EAP-MSCHAPv2 on the wire with the RFC 2759 9.2 numbers, server side:
 * Identity, Challenge, the peer's Response, Success with S=, the peer's
 * Success, EAP-Success; the MSK's first half is the MS-CHAPv2 HLAK. */
TEST(eap_mschapv2_server_wire_rfc_vectors)
{
	struct ppp_config c = cfg(PPP_ROLE_SERVER, PPP_AUTH_EAP);
	uint8_t resp[1 + 4 + 1 + 49 + 4];
	const struct sent *s;

	c.name = "sstpd";
	setup(&c);
	memcpy(t.forced, "\x10" RFC_AUTH_CHAL "\x2a", 18);
	t.n_forced = 18;
	open_lcp();
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	s = sent(0xc227, 1, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 0x10);
	CHECK_INT(s->len, 9);
	CHECK_INT(s->p[8], 1);			/* Identity */
	CHECK_INT(FEED(0xc227, 2, 0x10, 1, 'U', 's', 'e', 'r'), 0);
	s = sent(0xc227, 1, 1);
	CHECK(s);
	CHECK_INT(s->p[5], 0x11);
	CHECK_INT(s->p[8], 26);
	CHECK_INT(s->p[9], 1);			/* Challenge */
	CHECK_INT(s->p[10], 0x2a);
	CHECK_INT(s->p[11] << 8 | s->p[12], 4 + 1 + 16 + 5);
	CHECK_INT(s->p[13], 16);
	CHECK_MEM(s->p + 14, RFC_AUTH_CHAL, 16);
	CHECK_MEM(s->p + 30, "sstpd", 5);

	resp[0] = 26;
	resp[1] = 2;
	resp[2] = 0x2a;
	resp[3] = 0;
	resp[4] = 4 + 1 + 49 + 4;
	rfc_response_value(resp + 5);
	CHECK_INT(feed(0xc227, 2, 0x11, resp, sizeof(resp)), 0);
	s = sent(0xc227, 1, 2);
	CHECK(s);
	CHECK_INT(s->p[5], 0x12);
	CHECK_INT(s->p[9], 3);			/* Success */
	CHECK_MEM(s->p + 13, RFC_AUTH_RESP " M=Access granted", 42 + 17);
	CHECK_INT(t.n_auth, 0);
	CHECK_INT(FEED(0xc227, 2, 0x12, 26, 3), 0);
	s = sent(0xc227, 3, 0);			/* EAP-Success */
	CHECK(s);
	CHECK_INT(s->p[5], 0x12);
	CHECK_INT(t.n_auth, 1);
	CHECK_INT(t.auth.method, PPP_AUTH_EAP);
	CHECK_INT(t.auth.eap_type, PPP_EAP_MSCHAPV2);
	CHECK(t.auth.has_msk);
	CHECK_MEM(t.auth.hlak + 16, RFC_START_KEY, 16);
	CHECK_MEM(t.auth.msk + 16, RFC_START_KEY, 16);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	teardown();
}

TEST(eap_mschapv2_client_wire_rfc_vectors)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_EAP);
	uint8_t chal[1 + 4 + 1 + 16 + 5];
	const struct sent *s;

	c.name = "User";
	c.password = "clientPass";
	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x04, 0xc2, 0x27, 0x05, 0x06, 1, 2, 3, 4);
	ack_last_req(LCP);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_AUTHENTICATE);
	CHECK_INT(FEED(0xc227, 1, 5, 1), 0);
	s = sent(0xc227, 2, 0);
	CHECK(s);
	CHECK_INT(s->p[5], 5);
	CHECK_INT(s->len, 8 + 1 + 4);
	CHECK_MEM(s->p + 8, "\x01User", 5);
	/* Another method first: a Nak naming EAP-MSCHAPv2. */
	CHECK_INT(FEED(0xc227, 1, 6, 13, 0x20), 0);
	s = sent(0xc227, 2, 1);
	CHECK(s);
	CHECK_INT(s->len, 10);
	CHECK_INT(s->p[8], 3);
	CHECK_INT(s->p[9], 26);
	memcpy(t.forced, RFC_PEER_CHAL, 16);
	t.n_forced = 16;
	chal[0] = 26;
	chal[1] = 1;
	chal[2] = 7;
	chal[3] = 0;
	chal[4] = sizeof(chal) - 1;
	chal[5] = 16;
	memcpy(chal + 6, RFC_AUTH_CHAL, 16);
	memcpy(chal + 22, "sstpd", 5);
	CHECK_INT(feed(0xc227, 1, 8, chal, sizeof(chal)), 0);
	s = sent(0xc227, 2, 2);
	CHECK(s);
	CHECK_INT(s->p[5], 8);
	CHECK_INT(s->p[8], 26);
	CHECK_INT(s->p[9], 2);
	CHECK_INT(s->p[10], 7);
	CHECK_INT(s->p[11] << 8 | s->p[12], 4 + 1 + 49 + 4);
	CHECK_INT(s->p[13], 49);
	CHECK_MEM(s->p + 14, RFC_PEER_CHAL, 16);
	CHECK_MEM(s->p + 38, RFC_NT_RESP, 24);
	CHECK_MEM(s->p + 63, "User", 4);
	{
		uint8_t ok[1 + 4 + 42];

		ok[0] = 26;
		ok[1] = 3;
		ok[2] = 7;
		ok[3] = 0;
		ok[4] = 4 + 42;
		memcpy(ok + 5, RFC_AUTH_RESP, 42);
		CHECK_INT(feed(0xc227, 1, 9, ok, sizeof(ok)), 0);
	}
	s = sent(0xc227, 2, 3);
	CHECK(s);
	CHECK_INT(s->len, 8 + 2);
	CHECK_INT(s->p[9], 3);
	CHECK_INT(t.n_auth, 0);
	CHECK_INT(FEED(0xc227, 3, 9), 0);
	CHECK_INT(t.n_auth, 1);
	CHECK(t.auth.has_msk);
	CHECK_MEM(t.auth.hlak + 16, RFC_START_KEY, 16);
	CHECK(ppp_phase(t.ppp) == PPP_PHASE_NETWORK);
	teardown();
}

TEST(eap_client_refuses_early_success)
{
	struct ppp_config c = cfg(PPP_ROLE_CLIENT, PPP_AUTH_EAP);

	setup(&c);
	FEED(LCP, 1, 1, 0x03, 0x04, 0xc2, 0x27);
	ack_last_req(LCP);
	CHECK_INT(FEED(0xc227, 1, 5, 1), 0);
	CHECK_INT(FEED(0xc227, 3, 5), 0);
	CHECK_INT(t.n_auth, 0);
	advance(10000);
	CHECK_INT(t.reason, PPP_DOWN_AUTH_FAILED);
	teardown();
}
